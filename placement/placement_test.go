package placement_test

import (
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/manifest"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/placement"
)

// nodeKinds are the label sets of the reference cluster's nodes: hybrid
// H200 servers in zone onprem-dc1 (labels from nodeadm, the NodeConfig and
// gpu.ModelLabels) and EC2 nodes in two AZs.
func nodeKinds() []map[string]string {
	m, _ := gpu.ModelByAlias("h200")
	hybrid := map[string]string{"eks.amazonaws.com/compute-type": "hybrid", "topology.kubernetes.io/zone": "onprem-dc1", "kubernetes.io/os": "linux"}
	for k, v := range gpu.ModelLabels(m, 8) {
		hybrid[k] = v
	}
	return []map[string]string{hybrid,
		{"topology.kubernetes.io/zone": "ap-northeast-2a", "kubernetes.io/os": "linux", "eks.amazonaws.com/nodegroup": "cpu"},
		{"topology.kubernetes.io/zone": "ap-northeast-2c", "kubernetes.io/os": "linux", "eks.amazonaws.com/nodegroup": "cpu"}}
}

func h200Labels() map[string]string {
	m, _ := gpu.ModelByAlias("h200")
	l := gpu.ModelLabels(m, 8)
	return map[string]string{"nvidia.com/gpu.product": l["nvidia.com/gpu.product"]}
}

// guideTrainingPod is the guide's gpu-training pod as written: selectors
// on labels nobody sets (gpu, node-type), no toleration, limits only.
func guideTrainingPod() *corev1.Pod {
	return &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: "gpu-training", Labels: map[string]string{"app": "gpu-training"}},
		Spec: corev1.PodSpec{
			NodeSelector:  map[string]string{"gpu": "h100", "node-type": "hybrid"},
			RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{Name: "training", Image: "pytorch/pytorch:2.1-cuda12.1",
				Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{"nvidia.com/gpu": resource.MustParse("8")}}}},
		},
	}
}

func guideWebAPIPod() *corev1.Pod {
	return &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: "web-api", Labels: map[string]string{"app": "web-api"}},
		Spec: corev1.PodSpec{
			NodeSelector: map[string]string{"eks.amazonaws.com/compute-type": "ec2"},
			Containers:   []corev1.Container{{Name: "api", Image: "nginx:latest"}},
		},
	}
}

func guideCriticalApp() *appsv1.Deployment {
	replicas := int32(6)
	labels := map[string]string{"app": "critical-app"}
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "critical-app", Labels: labels},
		Spec: appsv1.DeploymentSpec{Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{
				Containers: []corev1.Container{{Name: "app", Image: "public.ecr.aws/nginx/nginx:1.27"}},
				Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{
					{Weight: 50, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "eks.amazonaws.com/compute-type", Operator: corev1.NodeSelectorOpIn, Values: []string{"ec2"}}}}},
					{Weight: 50, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "node-type", Operator: corev1.NodeSelectorOpIn, Values: []string{"hybrid"}}}}},
				}}},
			}}},
	}
}

func codes(fs []advice.Finding) []advice.Code {
	var out []advice.Code
	for _, f := range fs {
		out = append(out, f.Code)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestGuideManifestsLintedThenCorrected(t *testing.T) {
	train := guideTrainingPod()
	if got := codes(placement.Lint(train.Spec, nodeKinds())); !slices.Equal(got, []advice.Code{placement.CodeGPUWithoutToleration, placement.CodeSelectorUnmatched}) {
		t.Errorf("guide training pod: %v", got)
	}
	web := guideWebAPIPod()
	if got := codes(placement.Lint(web.Spec, nodeKinds())); !slices.Equal(got, []advice.Code{placement.CodeSelectorEC2, placement.CodeSelectorUnmatched, placement.CodeLatestImage}) {
		t.Errorf("guide web-api pod: %v", got)
	}
	crit := guideCriticalApp()
	if got := codes(placement.Lint(crit.Spec.Template.Spec, nodeKinds())); !slices.Equal(got, []advice.Code{placement.CodeSelectorEC2}) {
		t.Errorf("guide critical-app: %v", got)
	}

	// Corrected.
	train.Spec.NodeSelector = nil
	train.Spec.Containers[0].Image = "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime"
	if err := placement.Apply(train, placement.GPU{Count: 8, NodeLabels: h200Labels(), RuntimeClass: "nvidia"}); err != nil {
		t.Fatal(err)
	}
	web.Spec.Containers[0].Image = "public.ecr.aws/nginx/nginx:1.27"
	if err := placement.Apply(web, placement.Cloud{}); err != nil {
		t.Fatal(err)
	}
	crit.Spec.Template.Spec.Affinity = nil
	if err := placement.Apply(crit, placement.HA{}); err != nil {
		t.Fatal(err)
	}
	as, fs, err := (placement.Autoscaler{ClusterName: "gpu-hybrid-cluster", Region: "ap-northeast-2", KubernetesVersion: "1.33"}).Objects()
	if err != nil || len(fs) != 0 {
		t.Fatal(err, fs)
	}
	for _, tc := range []struct {
		golden string
		objs   []runtime.Object
	}{
		{"gpu-training.golden.yaml", []runtime.Object{train}},
		{"web-api.golden.yaml", []runtime.Object{web}},
		{"critical-app.golden.yaml", []runtime.Object{crit}},
		{"cluster-autoscaler.golden.yaml", as},
	} {
		y, err := manifest.Render(tc.objs...)
		if err != nil {
			t.Fatal(err)
		}
		testkit.Golden(t, tc.golden, y)
		decoded := testkit.DecodeManifests(t, y)
		if len(decoded) != len(tc.objs) {
			t.Errorf("%s: %d objects decoded", tc.golden, len(decoded))
		}
		for _, o := range decoded {
			tmpl, _, err := placement.PodTemplateOf(o)
			if err != nil {
				continue
			}
			if fs := placement.Lint(tmpl.Spec, nodeKinds()); len(fs) != 0 {
				t.Errorf("%s still has findings: %v", tc.golden, fs)
			}
		}
	}
	if train.Spec.Containers[0].Resources.Requests.Name("nvidia.com/gpu", resource.DecimalSI).Value() != 8 || *train.Spec.RuntimeClassName != "nvidia" {
		t.Errorf("GPU placement: %+v", train.Spec)
	}
}

func TestPlacersOnEveryWorkloadKind(t *testing.T) {
	tmpl := corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "x"}}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox:1.36"}}}}
	objs := []runtime.Object{
		&corev1.Pod{ObjectMeta: tmpl.ObjectMeta, Spec: tmpl.Spec},
		&corev1.PodTemplate{Template: tmpl},
		&appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: tmpl}},
		&appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Template: tmpl}},
		&appsv1.DaemonSet{Spec: appsv1.DaemonSetSpec{Template: tmpl}},
		&appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Template: tmpl}},
		&batchv1.Job{Spec: batchv1.JobSpec{Template: tmpl}},
		&batchv1.CronJob{Spec: batchv1.CronJobSpec{JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: tmpl}}}},
	}
	for _, o := range objs {
		o := o.DeepCopyObject()
		if err := placement.Apply(o, placement.GPU{Count: 1}); err != nil {
			t.Fatalf("%T: %v", o, err)
		}
		got, _, _ := placement.PodTemplateOf(o)
		if got.Spec.NodeSelector["eks.amazonaws.com/compute-type"] != "hybrid" || len(got.Spec.Tolerations) != 1 {
			t.Errorf("%T: GPU placement not applied: %+v", o, got.Spec)
		}
	}
	if err := placement.Apply(&corev1.Service{}, placement.Cloud{}); err == nil {
		t.Error("Apply accepted a Service")
	}
}

func TestPlacerErrorsLeaveObjectUnchanged(t *testing.T) {
	pod := guideTrainingPod()
	before := pod.DeepCopy()
	for _, p := range []placement.Placer{
		placement.GPU{Count: 0},
		placement.GPU{Count: 1, Container: "missing"},
		placement.GPU{Count: 1, NodeLabels: map[string]string{"bad key!": "v"}},
		placement.GPU{Count: 1, RuntimeClass: "NVIDIA"},
	} {
		if err := placement.Apply(pod, p); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
	pod.ObjectMeta.Labels = nil
	if err := placement.Apply(pod, placement.HA{}); err == nil {
		t.Error("HA without labels accepted")
	}
	pod.ObjectMeta.Labels = before.Labels
	if !equalPods(pod, before) {
		t.Error("a failed placement changed the pod")
	}
}

func equalPods(a, b *corev1.Pod) bool {
	ya, _ := manifest.Render(a)
	yb, _ := manifest.Render(b)
	return string(ya) == string(yb)
}

func TestCloudKeepsExistingTerms(t *testing.T) {
	spec := corev1.PodTemplateSpec{Spec: corev1.PodSpec{Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
		NodeSelectorTerms: []corev1.NodeSelectorTerm{
			{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "kubernetes.io/arch", Operator: corev1.NodeSelectorOpIn, Values: []string{"amd64"}}}},
			{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "kubernetes.io/arch", Operator: corev1.NodeSelectorOpIn, Values: []string{"arm64"}}}},
		}}}}}}
	if err := (placement.Cloud{ExcludeAuto: true, ExcludeFargate: true}).Place(&spec); err != nil {
		t.Fatal(err)
	}
	for i, term := range spec.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		last := term.MatchExpressions[len(term.MatchExpressions)-1]
		if last.Key != "eks.amazonaws.com/compute-type" || strings.Join(last.Values, ",") != "hybrid,auto,fargate" {
			t.Errorf("term %d: %+v", i, term)
		}
	}
}

func TestLintExtendedResources(t *testing.T) {
	one, two := resource.MustParse("1"), resource.MustParse("2")
	for _, tc := range []struct {
		name string
		res  corev1.ResourceRequirements
		want []advice.Code
	}{
		{"request only", corev1.ResourceRequirements{Requests: corev1.ResourceList{"nvidia.com/gpu": one}}, []advice.Code{placement.CodeExtendedLimits}},
		{"request differs", corev1.ResourceRequirements{Requests: corev1.ResourceList{"nvidia.com/gpu": one}, Limits: corev1.ResourceList{"nvidia.com/gpu": two}}, []advice.Code{placement.CodeExtendedLimits, placement.CodeGPUWithoutToleration}},
		{"limit only", corev1.ResourceRequirements{Limits: corev1.ResourceList{"example.com/fpga": one}}, nil},
		{"cpu differs is fine", corev1.ResourceRequirements{Requests: corev1.ResourceList{"cpu": one}, Limits: corev1.ResourceList{"cpu": two}}, nil},
	} {
		spec := corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x:1", Resources: tc.res}}}
		if got := codes(placement.Lint(spec, nil)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestAutoscalerValidation(t *testing.T) {
	base := placement.Autoscaler{ClusterName: "gpu-hybrid-cluster", Region: "ap-northeast-2", KubernetesVersion: "1.33"}
	for _, tc := range []struct {
		name   string
		mutate func(*placement.Autoscaler)
		path   string
	}{
		{"guide's v1.28 on a 1.33 cluster", func(a *placement.Autoscaler) { a.ImageTag = "v1.28.0" }, "imageTag"},
		{"bad tag", func(a *placement.Autoscaler) { a.ImageTag = "latest" }, "imageTag"},
		{"bad version", func(a *placement.Autoscaler) { a.KubernetesVersion = "1.33.2" }, "kubernetesVersion"},
		{"cluster name", func(a *placement.Autoscaler) { a.ClusterName = "a b" }, "clusterName"},
		{"region", func(a *placement.Autoscaler) { a.Region = "" }, "region"},
	} {
		a := base
		tc.mutate(&a)
		errs := a.ValidateAt(nil)
		if len(errs) != 1 || errs[0].Field != tc.path {
			t.Errorf("%s: %v, want one error at %s", tc.name, errs, tc.path)
		}
		if objs, _, err := a.Objects(); err == nil || objs != nil {
			t.Errorf("%s: Objects rendered", tc.name)
		}
	}
	a := base
	a.ScaleHybridNodes = true
	if _, fs, err := a.Objects(); err != nil || len(fs) != 1 || fs[0].Code != placement.CodeAutoscalerHybrid {
		t.Errorf("ScaleHybridNodes: %v %v", fs, err)
	}
}

func TestMixedClusterLint(t *testing.T) {
	unroutable := placement.MixedCluster{}.Lint()
	if len(unroutable) != 5 || unroutable[0].Level != advice.Warning || !strings.Contains(unroutable[0].Message, "webhook") || unroutable[0].Field != "" {
		t.Errorf("unroutable: %v", unroutable)
	}
	routable := placement.MixedCluster{PodNetworkRoutable: true}.Lint()
	if len(routable) != 4 || routable[0].Level != advice.Info {
		t.Errorf("routable: %v", routable)
	}
	if labelled := (placement.MixedCluster{PodNetworkRoutable: true, HybridZoneLabelled: true}).Lint(); len(labelled) != 3 || slices.ContainsFunc(labelled, func(f advice.Finding) bool { return strings.Contains(f.Message, "zone label") }) {
		t.Errorf("labelled: %v", labelled)
	}
	if _, err := placement.HybridZoneLabels("onprem dc1"); err == nil {
		t.Error("zone with a space accepted")
	}
	if l, err := placement.HybridZoneLabels("onprem-dc1"); err != nil || l["topology.kubernetes.io/zone"] != "onprem-dc1" {
		t.Errorf("HybridZoneLabels = %v %v", l, err)
	}
}

// TestCheckAutoscaler: a hand-written Cluster Autoscaler is checked for an
// image of another minor than the cluster's (or of no minor EKS supports)
// and for discovery by the enabled tag alone; other containers are left
// alone.
func TestCheckAutoscaler(t *testing.T) {
	ca := func(image string, command, args []string) corev1.PodSpec {
		return corev1.PodSpec{Containers: []corev1.Container{
			{Name: "sidecar", Image: "busybox:1.36", Args: []string{"--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled"}},
			{Name: "cluster-autoscaler", Image: image, Command: command, Args: args},
		}}
	}
	const img = placement.AutoscalerImage
	enabledOnly := "--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled"
	both := "--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/gpu-hybrid-cluster"
	type want struct {
		code  advice.Code
		field string
		text  string
	}
	tests := []struct {
		name    string
		spec    corev1.PodSpec
		cluster string
		version string
		want    []want
	}{
		{"guide's v1.28 on 1.33", ca(img+":v1.28.0", nil, []string{both}), "gpu-hybrid-cluster", "1.33",
			[]want{{placement.CodeAutoscalerVersion, "containers[1].image", img + ":v1.33.6"}}},
		{"matching minor", ca(img+":v1.33.0", nil, []string{both}), "gpu-hybrid-cluster", "1.33", nil},
		{"next minor", ca(img+":v1.34.5", nil, []string{both}), "gpu-hybrid-cluster", "1.33",
			[]want{{placement.CodeAutoscalerVersion, "containers[1].image", "the cluster runs 1.33"}}},
		{"no cluster version, unsupported minor", ca(img+":v1.28.0", nil, []string{both}), "", "",
			[]want{{placement.CodeAutoscalerVersion, "containers[1].image", "1.32 to 1.36"}}},
		{"no cluster version, supported minor", ca(img+":v1.32.7", nil, []string{both}), "", "", nil},
		{"tag without a minor", ca(img+":latest", nil, []string{both}), "", "1.33", nil},
		{"enabled tag alone in args", ca(img+":v1.33.6", nil, []string{"--v=4", enabledOnly}), "gpu-hybrid-cluster", "1.33",
			[]want{{placement.CodeAutoscalerDiscovery, "containers[1].args[1]", "k8s.io/cluster-autoscaler/gpu-hybrid-cluster"}}},
		{"enabled tag alone in command", ca(img+":v1.33.6", []string{"./cluster-autoscaler", enabledOnly}, []string{"--v=4"}), "", "1.33",
			[]want{{placement.CodeAutoscalerDiscovery, "containers[1].command[1]", "k8s.io/cluster-autoscaler/<cluster>"}}},
		{"enabled tag alone after command", ca(img+":v1.33.6", []string{"./cluster-autoscaler"}, []string{enabledOnly}), "x", "1.33",
			[]want{{placement.CodeAutoscalerDiscovery, "containers[1].args[0]", "k8s.io/cluster-autoscaler/x"}}},
		{"cluster tag alone", ca(img+":v1.33.6", nil, []string{"--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/gpu-hybrid-cluster"}), "", "1.33", nil},
		{"explicit groups", ca(img+":v1.33.6", nil, []string{"--nodes=1:10:my-asg"}), "", "1.33", nil},
		{"another image", ca("example.com/cluster-autoscaler:v1.28.0", nil, []string{enabledOnly}), "", "1.33", nil},
		{"unparsable image", ca("UPPER CASE", nil, []string{enabledOnly}), "", "1.33", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := placement.CheckAutoscaler(tt.spec, tt.cluster, tt.version)
			if len(fs) != len(tt.want) {
				t.Fatalf("CheckAutoscaler = %v, want %d findings", fs, len(tt.want))
			}
			for i, w := range tt.want {
				f := fs[i]
				if f.Code != w.code || f.Field != w.field || f.Level != advice.Warning || !strings.Contains(f.Message, w.text) || !strings.HasPrefix(f.Ref, "https://github.com/kubernetes/autoscaler/") {
					t.Errorf("finding %d = %+v, want %s at %s containing %q", i, f, w.code, w.field, w.text)
				}
			}
		})
	}
}
