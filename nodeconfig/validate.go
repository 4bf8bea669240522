package nodeconfig

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

var (
	// ARN formats: arn:<partition>:iam::<account>:role/<path><name>
	// (IAM User Guide, IAM identifiers) and
	// arn:<partition>:rolesanywhere:<region>:<account>:trust-anchor|profile/<uuid>
	// (IAM Roles Anywhere API reference).
	roleARNRE        = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/([\x21-\x7e]+/)?[\w+=,.@-]{1,64}$`)
	rolesAnywhereRE  = regexp.MustCompile(`^arn:aws(-[a-z]+)*:rolesanywhere:[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:(trust-anchor|profile)/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	cpusetRE         = regexp.MustCompile(`^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$`)
	percentRE        = regexp.MustCompile(`^([0-9]+(\.[0-9]+)?)%$`)
	kubeletLabelOKRE = regexp.MustCompile(`^(kubernetes\.io/(hostname|arch|os)|beta\.kubernetes\.io/(arch|os|instance-type)|node\.kubernetes\.io/instance-type|failure-domain\.beta\.kubernetes\.io/(region|zone)|topology\.kubernetes\.io/(region|zone))$`)
)

// Validate reports every problem nodeadm or the kubelet would refuse, with
// its JSON path, or nil. It applies eks-hybrid's hybrid-node validation
// (cluster name and region, exactly one credential provider, the SSM and
// IAM Roles Anywhere formats, no --hostname-override), the kubelet's own
// rules for the typed settings, labels and taints (including the labels a
// kubelet may not set on itself), and the EKS formats of the cluster
// fields. It reads c with apiVersion and kind defaulted and does not
// change it.
//
// The error unwraps to a k8s.io/apimachinery utilerrors.Aggregate of
// *field.Error.
func (c NodeConfig) Validate() error {
	return ivalidation.ToError("nodeconfig", c.ValidateAt(nil))
}

// ValidateAt is Validate for a NodeConfig embedded at path p (the blueprint
// passes "nodePools[0].nodes[3]").
func (c NodeConfig) ValidateAt(p *field.Path) field.ErrorList {
	c.Default()
	var errs field.ErrorList
	if c.APIVersion != APIVersion {
		errs = append(errs, field.NotSupported(p.Child("apiVersion"), c.APIVersion, []string{APIVersion}))
	}
	if c.Kind != Kind {
		errs = append(errs, field.NotSupported(p.Child("kind"), c.Kind, []string{Kind}))
	}
	errs = append(errs, ivalidation.Struct(p, &c)...)
	sp := p.Child("spec")
	errs = append(errs, validateCluster(c.Spec.Cluster, sp.Child("cluster"))...)
	errs = append(errs, validateContainerd(c.Spec.Containerd, sp.Child("containerd"))...)
	if s := c.Spec.Instance.LocalStorage.Strategy; s != "" && s != LocalStorageRAID0 && s != LocalStorageMount {
		errs = append(errs, field.NotSupported(sp.Child("instance", "localStorage", "strategy"), s, []LocalStorageStrategy{LocalStorageRAID0, LocalStorageMount}))
	}
	errs = append(errs, validateHybrid(c.Spec.Hybrid, sp.Child("hybrid"))...)
	errs = append(errs, validateKubelet(c.Spec.Kubelet, sp.Child("kubelet"))...)
	return errs
}

func validateCluster(cd ClusterDetails, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if cd.Name != "" {
		errs = append(errs, ivalidation.ClusterName(p.Child("name"), cd.Name)...)
	}
	if cd.Region != "" {
		errs = append(errs, ivalidation.Region(p.Child("region"), cd.Region)...)
	}
	if cd.APIServerEndpoint != "" {
		u, err := url.Parse(cd.APIServerEndpoint)
		switch {
		case err != nil:
			errs = append(errs, field.Invalid(p.Child("apiServerEndpoint"), cd.APIServerEndpoint, "must be a URL: "+err.Error()))
		case u.Scheme != "https" || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
			errs = append(errs, field.Invalid(p.Child("apiServerEndpoint"), cd.APIServerEndpoint, "must be an https URL with a host and no path, such as https://<id>.gr7.<region>.eks.amazonaws.com"))
		}
	}
	if len(cd.CertificateAuthority) > 0 {
		if msg := checkPEMCertificate(cd.CertificateAuthority); msg != "" {
			errs = append(errs, field.Invalid(p.Child("certificateAuthority"), "<certificate data>", msg))
		}
	}
	if cd.CIDR != "" {
		if cidrErrs := validation.IsValidCIDR(p.Child("cidr"), cd.CIDR); len(cidrErrs) > 0 {
			errs = append(errs, cidrErrs...)
		} else if strings.Contains(cd.CIDR, ":") {
			errs = append(errs, field.Invalid(p.Child("cidr"), cd.CIDR, "must be an IPv4 CIDR: EKS Hybrid Nodes support IPv4 clusters only"))
		}
	}
	if cd.EnableOutpost != nil && *cd.EnableOutpost {
		errs = append(errs, field.Forbidden(p.Child("enableOutpost"), "is for EKS on Outposts; nodeadm would configure an Outposts kubelet on a hybrid node"))
	}
	if cd.ID != "" {
		errs = append(errs, field.Forbidden(p.Child("id"), "is for EKS on Outposts; nodeadm would configure an Outposts kubelet on a hybrid node"))
	}
	return errs
}

// checkPEMCertificate returns why b is not a PEM-encoded X.509 certificate,
// or "".
func checkPEMCertificate(b []byte) string {
	block, rest := pem.Decode(b)
	if block == nil {
		return "must be a PEM-encoded certificate (the base64 of the PEM file, as in DescribeCluster's certificateAuthority.data)"
	}
	if block.Type != "CERTIFICATE" {
		return fmt.Sprintf("must be a PEM CERTIFICATE block, not %q", block.Type)
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		return "holds a PEM block that is not an X.509 certificate: " + err.Error()
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		if extra, _ := pem.Decode(rest); extra == nil {
			return "has trailing data after the certificate"
		}
	}
	return ""
}

func validateContainerd(co ContainerdOptions, p *field.Path) field.ErrorList {
	if strings.TrimSpace(co.Config) == "" {
		return nil
	}
	if _, err := containerdconf.Parse([]byte(co.Config)); err != nil {
		return field.ErrorList{field.Invalid(p.Child("config"), "<TOML>", "containerd will not start: "+strings.TrimPrefix(err.Error(), "containerdconf: "))}
	}
	return nil
}

func validateHybrid(h *HybridOptions, p *field.Path) field.ErrorList {
	if h == nil {
		return field.ErrorList{field.Required(p, "without spec.hybrid nodeadm treats the machine as an EC2 instance; set ssm or iamRolesAnywhere")}
	}
	var errs field.ErrorList
	switch {
	case h.SSM == nil && h.IAMRolesAnywhere == nil:
		errs = append(errs, field.Required(p, "exactly one of ssm and iamRolesAnywhere must be set"))
	case h.SSM != nil && h.IAMRolesAnywhere != nil:
		errs = append(errs, field.Forbidden(p.Child("iamRolesAnywhere"), "exactly one of ssm and iamRolesAnywhere may be set, and ssm is set"))
	}
	if s := h.SSM; s != nil {
		errs = append(errs, s.ValidateAt(p.Child("ssm"))...)
	}
	if ira := h.IAMRolesAnywhere; ira != nil {
		errs = append(errs, ira.ValidateAt(p.Child("iamRolesAnywhere"))...)
	}
	return errs
}

// ValidateNodeLabels checks labels a node sets on itself through the
// kubelet (--node-labels), reporting at fp: Kubernetes label keys and
// values, and none of the keys the NodeRestriction admission plugin keeps
// from a kubelet (kubernetes.io/ and k8s.io/ keys other than the few it
// allows, node-role.kubernetes.io/ among them).
func ValidateNodeLabels(fp *field.Path, labels map[string]string) field.ErrorList {
	errs := metav1validation.ValidateLabels(labels, fp)
	for _, key := range slices.Sorted(maps.Keys(labels)) {
		if reason := kubeletMayNotSet(key); reason != "" {
			errs = append(errs, field.Forbidden(fp.Key(key), reason))
		}
	}
	return errs
}

func validateKubelet(k KubeletOptions, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateKubeletConfig(k.Config, p.Child("config"))...)
	for i, f := range k.Flags {
		errs = append(errs, validateFlag(p.Child("flags").Index(i), f)...)
	}
	errs = append(errs, ValidateNodeLabels(p.Child("nodeLabels"), k.NodeLabels)...)
	tp := p.Child("taints")
	seen := map[string]int{}
	for i, t := range k.Taints {
		ip := tp.Index(i)
		errs = append(errs, invalidIf(ip.Child("key"), t.Key, "", validation.IsQualifiedName(t.Key))...)
		if t.Value != "" {
			errs = append(errs, invalidIf(ip.Child("value"), t.Value, "", validation.IsValidLabelValue(t.Value))...)
		}
		switch t.Effect {
		case corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
		default:
			errs = append(errs, field.NotSupported(ip.Child("effect"), t.Effect, []corev1.TaintEffect{corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute}))
		}
		if t.TimeAdded != nil {
			errs = append(errs, field.Forbidden(ip.Child("timeAdded"), "the kubelet refuses registration taints with timeAdded"))
		}
		id := t.Key + ":" + string(t.Effect)
		if j, dup := seen[id]; dup {
			errs = append(errs, field.Duplicate(ip, fmt.Sprintf("%s (same key and effect as taints[%d])", taintString(t), j)))
		}
		seen[id] = i
	}
	return errs
}

// validateFlag checks one element of spec.kubelet.flags the way the
// kubelet will receive it. nodeadm joins the flags with spaces into
// NODEADM_KUBELET_ARGS="…" in the EnvironmentFile of kubelet.service, whose
// ExecStart names $NODEADM_KUBELET_ARGS as a word of its own — and systemd
// splits such a variable at whitespace, unquoting as it goes
// (aws/eks-hybrid internal/kubelet/environment.go and kubelet.service;
// systemd.service(5), "Command lines"). So one element may hold several
// flags, and each word is checked on its own; quotes and backslashes,
// which the EnvironmentFile and systemd would both reinterpret, are
// refused.
func validateFlag(fp *field.Path, f string) field.ErrorList {
	if strings.ContainsFunc(f, func(r rune) bool {
		return unicode.IsControl(r) && r != '\t' || r == '"' || r == '\'' || r == '\\'
	}) {
		return field.ErrorList{field.Invalid(fp, f, "must not contain quotes, backslashes or control characters: nodeadm writes the flags between double quotes into a systemd EnvironmentFile, and systemd unquotes them again")}
	}
	words := strings.Fields(f)
	if len(words) == 0 {
		return field.ErrorList{field.Invalid(fp, f, "must be a long kubelet flag, --name or --name=value")}
	}
	var errs field.ErrorList
	for j, w := range words {
		where := ""
		if len(words) > 1 {
			where = fmt.Sprintf("word %d of the flag (%s; systemd splits it at whitespace): ", j+1, advice.Quote(w))
		}
		switch {
		case !strings.HasPrefix(w, "--") || len(w) < 3:
			errs = append(errs, field.Invalid(fp, f, where+"must be a long kubelet flag, --name or --name=value"))
		case strings.HasPrefix(w, flagHostnameOverride) || w == "--hostname-override":
			errs = append(errs, field.Forbidden(fp, where+"nodeadm rejects --hostname-override on hybrid nodes: the node name comes from the SSM managed-instance ID or iamRolesAnywhere.nodeName"))
		case strings.HasPrefix(w, flagNodeLabels) || w == "--node-labels":
			errs = append(errs, field.Invalid(fp, f, where+"set labels in NodeLabels, which the kubelet's rules are checked on; Marshal renders them as --node-labels"))
		case strings.HasPrefix(w, flagRegisterTaints) || w == "--register-with-taints":
			errs = append(errs, field.Invalid(fp, f, where+"set taints in Taints; Marshal renders them as --register-with-taints"))
		}
	}
	return errs
}

// kubeletMayNotSet returns why the kubelet refuses to set label key on its
// own Node, or "". Since Kubernetes 1.16 the kubelet refuses to start when
// --node-labels holds a kubernetes.io or k8s.io label outside the allowed
// set, so that a node cannot claim a role (node-role.kubernetes.io/…) or
// a NodeRestriction label (node-restriction.kubernetes.io/…)
// (kubernetes cmd/kubelet/app/options ValidateKubeletFlags; k8s.io/kubelet
// well_known_labels.go).
func kubeletMayNotSet(key string) string {
	ns, _, ok := strings.Cut(key, "/")
	if !ok {
		return ""
	}
	k8sNamespace := ns == "kubernetes.io" || strings.HasSuffix(ns, ".kubernetes.io") || ns == "k8s.io" || strings.HasSuffix(ns, ".k8s.io")
	if !k8sNamespace || kubeletLabelOKRE.MatchString(key) {
		return ""
	}
	for _, allowed := range []string{"kubelet.kubernetes.io", "node.kubernetes.io"} {
		if ns == allowed || strings.HasSuffix(ns, "."+allowed) {
			return ""
		}
	}
	why := "the kubelet refuses to start with a kubernetes.io or k8s.io label outside kubelet.kubernetes.io/, node.kubernetes.io/ and the well-known topology, OS and instance-type labels"
	if ns == "node-restriction.kubernetes.io" {
		why += "; node-restriction.kubernetes.io/ labels exist precisely so that only administrators can set them"
	} else if ns == "node-role.kubernetes.io" {
		why += "; apply node roles with kubectl label after the node joins"
	}
	return why
}

// Resource names accepted in systemReserved and kubeReserved.
func reservableResource(name string) bool {
	switch name {
	case "cpu", "memory", "ephemeral-storage", "pid":
		return true
	}
	return strings.HasPrefix(name, "hugepages-")
}

// Eviction signals (kubelet pkg/kubelet/eviction/api).
func evictionSignal(name string) bool {
	switch name {
	case "memory.available", "nodefs.available", "nodefs.inodesFree", "imagefs.available", "imagefs.inodesFree",
		"containerfs.available", "containerfs.inodesFree", "pid.available", "allocatableMemory.available":
		return true
	}
	return false
}

func validateKubeletConfig(k KubeletConfig, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if k.MaxPods != nil && *k.MaxPods < 1 {
		errs = append(errs, field.Invalid(p.Child(keyMaxPods), *k.MaxPods, "must be at least 1"))
	}
	checkGrace := func(key string, d time.Duration) {
		if d < 0 || (d > 0 && d < time.Second) {
			errs = append(errs, field.Invalid(p.Child(key), d.String(), "must be zero or at least 1s (kubelet validation)"))
		}
	}
	var total, critical time.Duration
	if k.ShutdownGracePeriod != nil {
		total = k.ShutdownGracePeriod.Duration
		checkGrace(keyShutdown, total)
	}
	if k.ShutdownGracePeriodCriticalPods != nil {
		critical = k.ShutdownGracePeriodCriticalPods.Duration
		checkGrace(keyShutdownCritical, critical)
		if critical > total {
			errs = append(errs, field.Invalid(p.Child(keyShutdownCritical), critical.String(),
				fmt.Sprintf("must not exceed shutdownGracePeriod (%s): it is the part of that period kept for critical pods", total)))
		}
	}
	for _, m := range []struct {
		key string
		v   map[string]string
	}{{keySystemReserved, k.SystemReserved}, {keyKubeReserved, k.KubeReserved}} {
		for _, name := range slices.Sorted(maps.Keys(m.v)) {
			rp := p.Child(m.key).Key(name)
			if !reservableResource(name) {
				errs = append(errs, field.NotSupported(rp, name, []string{"cpu", "memory", "ephemeral-storage", "pid", "hugepages-<size>"}))
				continue
			}
			if name == "pid" {
				if n, err := strconv.ParseInt(m.v[name], 10, 64); err != nil || n < 0 {
					errs = append(errs, field.Invalid(rp, m.v[name], "must be a non-negative number of process IDs"))
				}
				continue
			}
			if q, err := resource.ParseQuantity(m.v[name]); err != nil || q.Sign() < 0 {
				errs = append(errs, field.Invalid(rp, m.v[name], "must be a non-negative quantity such as 500m or 2Gi"))
			}
		}
	}
	for _, sig := range slices.Sorted(maps.Keys(k.EvictionHard)) {
		ep := p.Child(keyEvictionHard).Key(sig)
		v := k.EvictionHard[sig]
		if !evictionSignal(sig) {
			errs = append(errs, field.Invalid(ep, sig, "is not a kubelet eviction signal (memory.available, nodefs.available, nodefs.inodesFree, imagefs.available, imagefs.inodesFree, containerfs.available, containerfs.inodesFree, pid.available)"))
			continue
		}
		if m := percentRE.FindStringSubmatch(v); m != nil {
			if f, _ := strconv.ParseFloat(m[1], 64); f > 100 {
				errs = append(errs, field.Invalid(ep, v, "percentage must be at most 100%"))
			}
			continue
		}
		if q, err := resource.ParseQuantity(v); err != nil || q.Sign() < 0 {
			errs = append(errs, field.Invalid(ep, v, "must be a quantity such as 100Mi or a percentage such as 10%"))
		}
	}
	if v := k.CPUManagerPolicy; v != "" && v != CPUManagerNone && v != CPUManagerStatic {
		errs = append(errs, field.NotSupported(p.Child(keyCPUManager), v, []CPUManagerPolicy{CPUManagerNone, CPUManagerStatic}))
	}
	switch k.TopologyManagerPolicy {
	case "", TopologyManagerNone, TopologyManagerBestEffort, TopologyManagerRestricted, TopologyManagerSingleNUMANode:
	default:
		errs = append(errs, field.NotSupported(p.Child(keyTopologyManager), k.TopologyManagerPolicy,
			[]TopologyManagerPolicy{TopologyManagerNone, TopologyManagerBestEffort, TopologyManagerRestricted, TopologyManagerSingleNUMANode}))
	}
	if v := k.MemoryManagerPolicy; v != "" && v != MemoryManagerNone && v != MemoryManagerStatic {
		errs = append(errs, field.NotSupported(p.Child(keyMemoryManager), v, []MemoryManagerPolicy{MemoryManagerNone, MemoryManagerStatic}))
	}
	if k.ReservedSystemCPUs != "" && !validCPUSet(k.ReservedSystemCPUs) {
		errs = append(errs, field.Invalid(p.Child(keyReservedSystemCPUs), k.ReservedSystemCPUs, "must be a cpuset such as 0-3,64-67"))
	}
	for i, a := range k.ClusterDNS {
		if !a.Is4() {
			errs = append(errs, field.Invalid(p.Child(keyClusterDNS).Index(i), a.String(), "must be an IPv4 address: EKS Hybrid Nodes support IPv4 clusters only"))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(k.Extra)) {
		xp := p.Child(key)
		if slices.Contains(typedKeys(), key) {
			errs = append(errs, field.Invalid(xp, key, "has a typed field in KubeletConfig; set it there"))
			continue
		}
		if !json.Valid(k.Extra[key]) {
			errs = append(errs, field.Invalid(xp, string(k.Extra[key]), "must be valid JSON"))
		}
	}
	return errs
}

// validCPUSet reports whether s is a Linux cpuset list whose ranges run
// upwards ("0-3,8").
func validCPUSet(s string) bool {
	if !cpusetRE.MatchString(s) {
		return false
	}
	for _, r := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(r, "-")
		if isRange {
			a, _ := strconv.Atoi(lo)
			b, _ := strconv.Atoi(hi)
			if a > b {
				return false
			}
		}
	}
	return true
}

// invalidIf returns one Invalid error carrying every message of a
// k8s.io/apimachinery predicate, or nothing when msgs is empty.
func invalidIf(p *field.Path, value, prefix string, msgs []string) field.ErrorList {
	if len(msgs) == 0 {
		return nil
	}
	return field.ErrorList{field.Invalid(p, value, prefix+strings.Join(msgs, "; "))}
}

// validActivationCode applies nodeadm's ^.{20,250}$ (Go's "." is any
// character but a newline) to a code: 20 to 250 characters, none a newline
// (aws/eks-hybrid internal/node/hybrid/validator.go).
func validActivationCode(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 20 && n <= 250 && !strings.Contains(s, "\n") && utf8.ValidString(s)
}

// lowerUUID applies nodeadm's activation-ID pattern
// ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$.
func lowerUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (s SSM) Validate() error { return ivalidation.ToError("nodeconfig", s.ValidateAt(nil)) }

// ValidateAt checks the activation as nodeadm does, with paths under fp:
// the code 20 to 250 characters on one line (reported redacted), the ID
// a lower-case UUID; both required.
func (s SSM) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch {
	case s.ActivationCode == "":
		errs = append(errs, field.Required(fp.Child("activationCode"), "the code returned by aws ssm create-activation"))
	case !validActivationCode(s.ActivationCode.Reveal()):
		errs = append(errs, field.Invalid(fp.Child("activationCode"), redacted, fmt.Sprintf("must be 20 to 250 characters on one line (it has %d)", len(s.ActivationCode))))
	}
	switch {
	case s.ActivationID == "":
		errs = append(errs, field.Required(fp.Child("activationId"), "the ID returned by aws ssm create-activation"))
	case !lowerUUID(s.ActivationID):
		errs = append(errs, field.Invalid(fp.Child("activationId"), s.ActivationID, "must be a lower-case UUID (8-4-4-4-12 hexadecimal digits)"))
	}
	return errs
}

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (ira IAMRolesAnywhere) Validate() error {
	return ivalidation.ToError("nodeconfig", ira.ValidateAt(nil))
}

// ValidateAt checks the IAM Roles Anywhere settings that are set, with
// paths under fp: the node name (2 to 64 characters, the role session
// name, and a DNS subdomain, the Kubernetes node name), the role,
// trust-anchor and profile ARN formats, and absolute file paths. Which
// fields are required is NodeConfig.Validate's rule.
func (ira IAMRolesAnywhere) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if ira.NodeName != "" {
		if len(ira.NodeName) < 2 || len(ira.NodeName) > 64 {
			errs = append(errs, field.Invalid(fp.Child("nodeName"), ira.NodeName, "must be 2 to 64 characters: it is the IAM role session name (nodeadm allows at most 64)"))
		}
		errs = append(errs, invalidIf(fp.Child("nodeName"), ira.NodeName, "is the Kubernetes node name, which ", validation.IsDNS1123Subdomain(ira.NodeName))...)
	}
	if ira.RoleARN != "" && !roleARNRE.MatchString(ira.RoleARN) {
		errs = append(errs, field.Invalid(fp.Child("roleArn"), ira.RoleARN, "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)"))
	}
	for _, a := range []struct {
		name, value, resource string
	}{{"trustAnchorArn", ira.TrustAnchorARN, "trust-anchor"}, {"profileArn", ira.ProfileARN, "profile"}} {
		if a.value == "" {
			continue
		}
		m := rolesAnywhereRE.FindStringSubmatch(a.value)
		if m == nil || m[3] != a.resource {
			errs = append(errs, field.Invalid(fp.Child(a.name), a.value, fmt.Sprintf("must be an IAM Roles Anywhere %s ARN (arn:aws:rolesanywhere:<region>:<account>:%s/<id>)", a.resource, a.resource)))
		}
	}
	for _, f := range []struct{ name, value string }{
		{"awsConfigPath", ira.AWSConfigPath}, {"certificatePath", ira.CertificatePath}, {"privateKeyPath", ira.PrivateKeyPath},
	} {
		if f.value != "" {
			errs = append(errs, ivalidation.AbsPath(fp.Child(f.name), f.value, false)...)
		}
	}
	return errs
}
