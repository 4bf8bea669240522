package nodeconfig

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// Fleet describes many nodes built from one template: the same cluster,
// kubelet and containerd settings, and either one shared SSM activation or
// IAM Roles Anywhere with a node name per node.
type Fleet struct {
	// Template is the configuration every node starts from. Its
	// IAMRolesAnywhere.NodeName is replaced per node.
	Template NodeConfig
	// Nodes are the members, in output order.
	Nodes []FleetNode
}

// FleetNode is one member of a Fleet.
type FleetNode struct {
	// Name identifies the node: its host name, and with IAM Roles Anywhere
	// its Kubernetes node name (which must equal its certificate's CN when
	// the role's trust policy binds them). With SSM the Kubernetes name is
	// the managed-instance ID, and Name only names the file.
	Name string
	// Labels are added to the template's labels; a key here wins.
	Labels map[string]string
	// CertificatePath and PrivateKeyPath override the template's (IAM
	// Roles Anywhere only), for hosts that keep several identities.
	CertificatePath string
	PrivateKeyPath  string
	// NodeIP, when valid, is the address the kubelet registers
	// (--node-ip): on a host with several interfaces it picks the one in
	// the remote node network, which EKS reaches.
	NodeIP netip.Addr
}

// namePatternRE is a node name pattern: one integer verb, %d or %0Nd
// (zero-padded to N digits), and otherwise only the characters of a
// Kubernetes node name (lower-case letters, digits and hyphens).
var namePatternRE = regexp.MustCompile(`^[-a-z0-9]*%(0[1-9])?d[-a-z0-9]*$`)

// MaxNodes bounds a fleet: 100,000 nodes, the most an EKS cluster
// supports (its ultra scale clusters:
// https://aws.amazon.com/blogs/containers/under-the-hood-amazon-eks-ultra-scale-clusters/),
// so it covers any real fleet. It is checked before anything proportional
// to the count is built.
const MaxNodes = 100_000

// NodesNamed returns count FleetNodes named by pattern, which holds one
// integer verb (%d or %0Nd) and otherwise only lower-case letters, digits
// and hyphens: NodesNamed("gpu-%02d", 1, 3) names gpu-01, gpu-02 and
// gpu-03. Every name must be a Kubernetes node name that is also a DNS
// label (RFC 1123, at most 63 characters), because it names the node's
// host and its file. It fails on any other pattern, a count outside 1 to
// MaxNodes, a negative first number, or a name that is not such a label.
func NodesNamed(pattern string, first, count int) ([]FleetNode, error) {
	if count < 1 || count > MaxNodes {
		return nil, fmt.Errorf("nodeconfig: node count %d must be 1 to %d", count, MaxNodes)
	}
	if first < 0 || first > math.MaxInt32 {
		return nil, fmt.Errorf("nodeconfig: the first node number %d must be 0 to %d", first, math.MaxInt32)
	}
	if errs := ValidateNamePattern(field.NewPath("pattern"), pattern, first, count); len(errs) > 0 {
		return nil, ivalidation.ToError("nodeconfig", errs)
	}
	out := make([]FleetNode, count)
	for i := range out {
		out[i].Name = fmt.Sprintf(pattern, first+i)
	}
	return out, nil
}

// ValidateNamePattern checks pattern as NodesNamed reads it, for count
// nodes numbered from first (both in range), reporting at fp: one integer
// verb and otherwise only lower-case letters, digits and hyphens, and
// every name a DNS label. Names grow with their number, so the first and
// the last name stand for all of them.
func ValidateNamePattern(fp *field.Path, pattern string, first, count int) field.ErrorList {
	if !namePatternRE.MatchString(pattern) {
		return field.ErrorList{field.Invalid(fp, pattern, "must hold exactly one integer verb (%d, %02d, %03d, …) and otherwise only lower-case letters, digits and hyphens")}
	}
	for _, i := range []int{0, count - 1} {
		name := fmt.Sprintf(pattern, first+i)
		if msgs := validation.IsDNS1123Label(name); len(msgs) > 0 {
			return field.ErrorList{field.Invalid(fp, pattern, fmt.Sprintf("node %d would be named %s, which is not a node name: %s", i+1, advice.Quote(name), strings.Join(msgs, "; ")))}
		}
	}
	return nil
}

// Build returns one defaulted NodeConfig per node, in the order of Nodes.
// It validates every node and returns all problems at once, with paths
// such as "nodes[3].name" and "nodes[3].spec.kubelet.nodeLabels[x]"; on
// error it returns no configs. The template is never modified.
//
// Every member is the template plus what its FleetNode sets, so the
// template is validated once, as the first member, and each other member
// for what it adds: a fleet of n nodes costs one full validation and n
// small ones.
func (f Fleet) Build() ([]NodeConfig, error) {
	errs := f.validateShape()
	out := make([]NodeConfig, 0, len(f.Nodes))
	for i, n := range f.Nodes {
		c := f.node(n)
		np := field.NewPath("nodes").Index(i)
		var nerrs field.ErrorList
		if i == 0 {
			nerrs = c.ValidateAt(np)
		} else {
			nerrs = f.validateMember(np, c, n)
		}
		if len(nerrs) > 0 {
			errs = append(errs, nerrs...)
			continue
		}
		out = append(out, c)
	}
	if len(errs) > 0 {
		return nil, ivalidation.ToError("nodeconfig", errs)
	}
	return out, nil
}

// validateMember checks what member n adds to the template, whose other
// fields the first member's full validation has checked: its labels, its
// --node-ip flag, and with IAM Roles Anywhere its node name and key paths.
func (f Fleet) validateMember(np *field.Path, c NodeConfig, n FleetNode) field.ErrorList {
	kp := np.Child("spec", "kubelet")
	errs := ValidateNodeLabels(kp.Child("nodeLabels"), n.Labels)
	if n.NodeIP.IsValid() {
		flags := c.Spec.Kubelet.Flags
		errs = append(errs, validateFlag(kp.Child("flags").Index(len(flags)-1), flags[len(flags)-1])...)
	}
	if h := c.Spec.Hybrid; h != nil && h.IAMRolesAnywhere != nil {
		ira := h.IAMRolesAnywhere
		errs = append(errs, IAMRolesAnywhere{NodeName: ira.NodeName, CertificatePath: n.CertificatePath, PrivateKeyPath: n.PrivateKeyPath}.ValidateAt(np.Child("spec", "hybrid", "iamRolesAnywhere"))...)
	}
	return errs
}

// Marshal returns each member's NodeConfig as nodeadm reads it, in the
// order of Nodes: Build's configs, validated as Build validates them (the
// template once, each member for what it adds) and encoded as Marshal
// encodes one, without validating each again.
func (f Fleet) Marshal() ([][]byte, error) {
	cs, err := f.Build()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(cs))
	for i, c := range cs {
		if out[i], err = encode(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (f Fleet) validateShape() field.ErrorList {
	var errs field.ErrorList
	np := field.NewPath("nodes")
	if len(f.Nodes) == 0 {
		errs = append(errs, field.Required(np, "a fleet needs at least one node"))
	}
	ssm := f.Template.Spec.Hybrid != nil && f.Template.Spec.Hybrid.SSM != nil
	seen := make(map[string]int, len(f.Nodes))
	ips := make(map[netip.Addr]int, len(f.Nodes))
	for i, n := range f.Nodes {
		p := np.Index(i)
		if n.NodeIP.IsValid() {
			if j, dup := ips[n.NodeIP]; dup {
				errs = append(errs, field.Duplicate(p.Child("nodeIP"), fmt.Sprintf("%s (also nodes[%d])", n.NodeIP, j)))
			}
			ips[n.NodeIP] = i
		}
		if n.Name == "" {
			errs = append(errs, field.Required(p.Child("name"), ""))
			continue
		}
		errs = append(errs, invalidIf(p.Child("name"), n.Name, "", validation.IsDNS1123Subdomain(n.Name))...)
		if j, dup := seen[n.Name]; dup {
			errs = append(errs, field.Duplicate(p.Child("name"), fmt.Sprintf("%s (also nodes[%d])", n.Name, j)))
		}
		seen[n.Name] = i
		if ssm && (n.CertificatePath != "" || n.PrivateKeyPath != "") {
			errs = append(errs, field.Forbidden(p.Child("certificatePath"), "certificate paths apply to IAM Roles Anywhere nodes; this fleet uses SSM"))
		}
	}
	return errs
}

// node builds one member's configuration from a deep copy of the template.
func (f Fleet) node(n FleetNode) NodeConfig {
	c := f.Template.clone()
	if len(n.Labels) > 0 {
		if c.Spec.Kubelet.NodeLabels == nil {
			c.Spec.Kubelet.NodeLabels = make(map[string]string, len(n.Labels))
		}
		maps.Copy(c.Spec.Kubelet.NodeLabels, n.Labels)
	}
	if n.NodeIP.IsValid() {
		c.Spec.Kubelet.Flags = append(c.Spec.Kubelet.Flags, "--node-ip="+n.NodeIP.String())
	}
	if h := c.Spec.Hybrid; h != nil && h.IAMRolesAnywhere != nil {
		h.IAMRolesAnywhere.NodeName = n.Name
		if n.CertificatePath != "" {
			h.IAMRolesAnywhere.CertificatePath = n.CertificatePath
		}
		if n.PrivateKeyPath != "" {
			h.IAMRolesAnywhere.PrivateKeyPath = n.PrivateKeyPath
		}
	}
	c.Default()
	return c
}

// clone returns a copy of c that shares no mutable memory with it.
func (c NodeConfig) clone() NodeConfig {
	out := c
	if c.Metadata != nil {
		out.Metadata = c.Metadata.DeepCopy()
	}
	out.Spec.Cluster.CertificateAuthority = slices.Clone(c.Spec.Cluster.CertificateAuthority)
	if c.Spec.Cluster.EnableOutpost != nil {
		v := *c.Spec.Cluster.EnableOutpost
		out.Spec.Cluster.EnableOutpost = &v
	}
	k := c.Spec.Kubelet
	out.Spec.Kubelet = KubeletOptions{
		Config:     k.Config.clone(),
		Flags:      slices.Clone(k.Flags),
		NodeLabels: maps.Clone(k.NodeLabels),
	}
	if k.Taints != nil {
		out.Spec.Kubelet.Taints = make([]corev1.Taint, len(k.Taints))
		for i := range k.Taints {
			k.Taints[i].DeepCopyInto(&out.Spec.Kubelet.Taints[i])
		}
	}
	if h := c.Spec.Hybrid; h != nil {
		hc := *h
		if h.SSM != nil {
			s := *h.SSM
			hc.SSM = &s
		}
		if h.IAMRolesAnywhere != nil {
			ira := *h.IAMRolesAnywhere
			hc.IAMRolesAnywhere = &ira
		}
		out.Spec.Hybrid = &hc
	}
	return out
}

func (k KubeletConfig) clone() KubeletConfig {
	out := k
	if k.MaxPods != nil {
		v := *k.MaxPods
		out.MaxPods = &v
	}
	if k.ShutdownGracePeriod != nil {
		v := *k.ShutdownGracePeriod
		out.ShutdownGracePeriod = &v
	}
	if k.ShutdownGracePeriodCriticalPods != nil {
		v := *k.ShutdownGracePeriodCriticalPods
		out.ShutdownGracePeriodCriticalPods = &v
	}
	out.SystemReserved = maps.Clone(k.SystemReserved)
	out.KubeReserved = maps.Clone(k.KubeReserved)
	out.EvictionHard = maps.Clone(k.EvictionHard)
	out.ClusterDNS = slices.Clone(k.ClusterDNS)
	if k.Extra != nil {
		out.Extra = make(map[string]json.RawMessage, len(k.Extra))
		for key, v := range k.Extra {
			out.Extra[key] = slices.Clone(v)
		}
	}
	return out
}
