package placement

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/internal/imageref"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// AutoscalerImage is the Cluster Autoscaler's image repository.
const AutoscalerImage = "registry.k8s.io/autoscaling/cluster-autoscaler"

// Autoscaler is the Cluster Autoscaler for the cluster's EC2 Auto Scaling
// groups. It cannot add or remove hybrid nodes — they are servers, not
// Auto Scaling group members — and hybrid billing stops only when a Node
// object is deleted.
type Autoscaler struct {
	ClusterName string `json:"clusterName"`
	Region      string `json:"region"`
	// KubernetesVersion is the cluster's "1.33"; the image's minor version
	// must match it (the autoscaler supports only its own minor).
	KubernetesVersion string `json:"kubernetesVersion"`
	// ImageTag defaults to the newest Cluster Autoscaler release for the
	// Kubernetes minor (a table of the minors EKS supports).
	ImageTag string `json:"imageTag,omitempty"`
	// RoleARN, when set, is the IAM role for service accounts annotation
	// (eks.amazonaws.com/role-arn); with EKS Pod Identity leave it empty.
	RoleARN string `json:"roleArn,omitempty"`
	// ScaleHybridNodes records a request to scale hybrid nodes, which the
	// autoscaler cannot do: Objects returns a finding.
	ScaleHybridNodes bool `json:"scaleHybridNodes,omitempty"`
}

func (a Autoscaler) tag() string {
	if a.ImageTag != "" {
		return a.ImageTag
	}
	m, _ := ivalidation.LookupKubernetesMinor(a.KubernetesVersion)
	return m.AutoscalerTag
}

// Validate checks the names and that the image's minor version is the
// cluster's; nil or every error with its path.
func (a Autoscaler) Validate() error { return ivalidation.ToError("placement", a.ValidateAt(nil)) }

// ValidateAt is Validate with paths under fp.
func (a Autoscaler) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, ivalidation.ClusterName(fp.Child("clusterName"), a.ClusterName)...)
	errs = append(errs, ivalidation.Region(fp.Child("region"), a.Region)...)
	if verrs := ivalidation.KubernetesVersion(fp.Child("kubernetesVersion"), a.KubernetesVersion); len(verrs) > 0 {
		return append(errs, verrs...)
	}
	major, minor, _ := strings.Cut(a.KubernetesVersion, ".")
	v, ok := imageref.ParseVersion(a.tag())
	switch {
	case !ok:
		errs = append(errs, field.Invalid(fp.Child("imageTag"), a.ImageTag, "must be a version tag such as v1.33.0"))
	case len(v) < 2 || strconv.Itoa(v[0]) != major || strconv.Itoa(v[1]) != minor:
		errs = append(errs, field.Invalid(fp.Child("imageTag"), a.tag(), "must have the cluster's minor version "+a.KubernetesVersion+": the Cluster Autoscaler supports only the Kubernetes minor it was released with"))
	}
	if a.RoleARN != "" && !strings.HasPrefix(a.RoleARN, "arn:") {
		errs = append(errs, field.Invalid(fp.Child("roleArn"), a.RoleARN, "must be an IAM role ARN"))
	}
	return errs
}

// CodeAutoscalerHybrid is the finding for asking the autoscaler to scale
// hybrid nodes.
const CodeAutoscalerHybrid advice.Code = "placement/autoscaler-hybrid-nodes"

// Objects returns the autoscaler's ServiceAccount, ClusterRole, Role and
// bindings (the upstream AWS example's permissions) and its Deployment:
// auto-discovery of the Auto Scaling groups tagged for this cluster, the
// guide's --expander=least-waste and --skip-nodes-with-system-pods=false,
// system-cluster-critical, non-root, and a required node affinity that
// keeps it off hybrid nodes. An invalid input returns the validation
// error; ScaleHybridNodes returns a finding.
func (a Autoscaler) Objects() ([]runtime.Object, []advice.Finding, error) {
	if err := a.Validate(); err != nil {
		return nil, nil, err
	}
	const name, ns = "cluster-autoscaler", "kube-system"
	labels := map[string]string{"app.kubernetes.io/name": name}
	sa := &corev1.ServiceAccount{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels}}
	if a.RoleARN != "" {
		sa.Annotations = map[string]string{"eks.amazonaws.com/role-arn": a.RoleARN}
	}
	rule := func(groups, resources, verbs []string, names ...string) rbacv1.PolicyRule {
		return rbacv1.PolicyRule{APIGroups: groups, Resources: resources, Verbs: verbs, ResourceNames: names}
	}
	core, read := []string{""}, []string{"watch", "list", "get"}
	cr := &rbacv1.ClusterRole{TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Rules: []rbacv1.PolicyRule{
			rule(core, []string{"events", "endpoints"}, []string{"create", "patch"}),
			rule(core, []string{"pods/eviction"}, []string{"create"}),
			rule(core, []string{"pods/status"}, []string{"update"}),
			rule(core, []string{"endpoints"}, []string{"get", "update"}, name),
			rule(core, []string{"nodes"}, []string{"watch", "list", "get", "update"}),
			rule(core, []string{"namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"}, read),
			rule([]string{"policy"}, []string{"poddisruptionbudgets"}, []string{"watch", "list"}),
			rule([]string{"apps"}, []string{"statefulsets", "replicasets", "daemonsets"}, read),
			rule([]string{"storage.k8s.io"}, []string{"storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"}, read),
			rule([]string{"batch"}, []string{"jobs", "cronjobs"}, []string{"watch", "list", "get", "patch"}),
			rule([]string{"coordination.k8s.io"}, []string{"leases"}, []string{"create"}),
			rule([]string{"coordination.k8s.io"}, []string{"leases"}, []string{"get", "update"}, name),
		}}
	role := &rbacv1.Role{TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "Role"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels},
		Rules: []rbacv1.PolicyRule{
			rule(core, []string{"configmaps"}, []string{"create", "list", "watch"}),
			rule(core, []string{"configmaps"}, []string{"delete", "get", "update", "watch"}, "cluster-autoscaler-status", "cluster-autoscaler-priority-expander"),
		}}
	subject := []rbacv1.Subject{{Kind: "ServiceAccount", Name: name, Namespace: ns}}
	crb := &rbacv1.ClusterRoleBinding{TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRoleBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: name}, Subjects: subject}
	rb := &rbacv1.RoleBinding{TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: name}, Subjects: subject}

	one := int32(1)
	nonRoot, uid := true, int64(65534)
	noEscalation, readOnly := false, true
	res := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("600Mi")}
	tmpl := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec: corev1.PodSpec{
			PriorityClassName:  "system-cluster-critical",
			ServiceAccountName: name,
			SecurityContext:    &corev1.PodSecurityContext{RunAsNonRoot: &nonRoot, RunAsUser: &uid, FSGroup: &uid},
			Containers: []corev1.Container{{
				Name:  name,
				Image: AutoscalerImage + ":" + a.tag(),
				Command: []string{
					"./cluster-autoscaler",
					"--cloud-provider=aws",
					"--namespace=" + ns,
					"--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/" + a.ClusterName,
					"--expander=least-waste",
					"--skip-nodes-with-system-pods=false",
					"--skip-nodes-with-local-storage=false",
					"--balance-similar-node-groups",
				},
				Env:       []corev1.EnvVar{{Name: "AWS_REGION", Value: a.Region}},
				Resources: corev1.ResourceRequirements{Requests: res, Limits: res},
				SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: &noEscalation, ReadOnlyRootFilesystem: &readOnly,
					Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}},
			}},
		},
	}
	if err := (Cloud{}).Place(&tmpl); err != nil {
		return nil, nil, err
	}
	dep := &appsv1.Deployment{TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels},
		Spec:       appsv1.DeploymentSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: labels}, Template: tmpl}}
	var fs []advice.Finding
	if a.ScaleHybridNodes {
		fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeAutoscalerHybrid, Field: field.NewPath("scaleHybridNodes").String(),
			Message: "the Cluster Autoscaler scales EC2 Auto Scaling groups only: it cannot add or remove on-premises hybrid nodes. Hybrid billing stops when a Node object is deleted, so save by draining and deleting idle hybrid nodes (and re-running nodeadm init to rejoin)",
			Ref:     "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-remove.html"})
	}
	return []runtime.Object{sa, cr, role, crb, rb, dep}, fs, nil
}

// Codes of CheckAutoscaler.
const (
	CodeAutoscalerVersion   advice.Code = "placement/autoscaler-version"
	CodeAutoscalerDiscovery advice.Code = "placement/autoscaler-discovery"
)

// CheckAutoscaler reads the pod spec of a Cluster Autoscaler written by
// hand and reports an image whose minor version is not the cluster's
// (kubernetesVersion, "1.33"; empty checks that it is a minor EKS
// supports at all) and Auto Scaling group discovery by the enabled tag
// alone, which adopts every tagged group of the account and region, the
// other clusters' included (clusterName, when given, is the tag to add).
// Containers that do not run AutoscalerImage are not looked at. Findings'
// fields are relative to the pod spec.
func CheckAutoscaler(spec corev1.PodSpec, clusterName, kubernetesVersion string) []advice.Finding {
	var fs []advice.Finding
	for i, c := range spec.Containers {
		ref, err := imageref.Parse(c.Image)
		if err != nil || ref.Registry+"/"+ref.Repository != AutoscalerImage {
			continue
		}
		cp := field.NewPath("containers").Index(i)
		if f, ok := checkAutoscalerTag(cp.Child("image"), ref.Tag, kubernetesVersion); ok {
			fs = append(fs, f)
		}
		args := append(append([]string{}, c.Command...), c.Args...)
		for j, a := range args {
			v, ok := strings.CutPrefix(a, "--node-group-auto-discovery=")
			if !ok || !strings.HasPrefix(v, "asg:tag=") {
				continue
			}
			tags := strings.Split(strings.TrimPrefix(v, "asg:tag="), ",")
			named := false
			for _, t := range tags {
				k, _, _ := strings.Cut(t, "=")
				if strings.HasPrefix(k, "k8s.io/cluster-autoscaler/") && k != "k8s.io/cluster-autoscaler/enabled" {
					named = true
				}
			}
			if named {
				continue
			}
			at := cp.Child("command").Index(j)
			if j >= len(c.Command) {
				at = cp.Child("args").Index(j - len(c.Command))
			}
			want := "k8s.io/cluster-autoscaler/<cluster>"
			if clusterName != "" {
				want = "k8s.io/cluster-autoscaler/" + clusterName
			}
			fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeAutoscalerDiscovery, Field: at.String(),
				Message: fmt.Sprintf("Auto Scaling groups are discovered by %s alone: the autoscaler adopts every tagged group in the account and region, other clusters' too; add the cluster's tag %s. It scales EC2 Auto Scaling groups only, never hybrid nodes", advice.Quote(strings.TrimPrefix(v, "asg:tag=")), want),
				Ref:     "https://github.com/kubernetes/autoscaler/blob/cluster-autoscaler-1.36.1/cluster-autoscaler/cloudprovider/aws/README.md#auto-discovery-setup"})
		}
	}
	return fs
}

// checkAutoscalerTag compares the image tag's minor with the cluster's.
func checkAutoscalerTag(at *field.Path, tag, kubernetesVersion string) (advice.Finding, bool) {
	const ref = "https://github.com/kubernetes/autoscaler/tree/cluster-autoscaler-1.36.1/cluster-autoscaler#releases"
	parts := strings.SplitN(strings.TrimPrefix(tag, "v"), ".", 3)
	if len(parts) < 2 {
		return advice.Finding{}, false
	}
	minor := parts[0] + "." + parts[1]
	switch {
	case kubernetesVersion != "" && minor != kubernetesVersion:
		return advice.Finding{Level: advice.Warning, Code: CodeAutoscalerVersion, Field: at.String(),
			Message: fmt.Sprintf("autoscaler %s is for Kubernetes %s and the cluster runs %s: each autoscaler release supports its own minor only; use %s", advice.Quote(tag), minor, kubernetesVersion, autoscalerTagFor(kubernetesVersion)),
			Ref:     ref}, true
	case kubernetesVersion == "":
		if _, ok := ivalidation.LookupKubernetesMinor(minor); !ok {
			ms := ivalidation.KubernetesMinors()
			return advice.Finding{Level: advice.Warning, Code: CodeAutoscalerVersion, Field: at.String(),
				Message: fmt.Sprintf("autoscaler %s is for Kubernetes %s, which EKS no longer supports (%s to %s); use the release for the cluster's minor", advice.Quote(tag), minor, ms[0].Version, ms[len(ms)-1].Version),
				Ref:     ref}, true
		}
	}
	return advice.Finding{}, false
}

// autoscalerTagFor names the image for a cluster minor, or says how to
// find it when the minor is not one EKS supports.
func autoscalerTagFor(kubernetesVersion string) string {
	if m, ok := ivalidation.LookupKubernetesMinor(kubernetesVersion); ok {
		return AutoscalerImage + ":" + m.AutoscalerTag
	}
	return "the newest " + kubernetesVersion + " release"
}
