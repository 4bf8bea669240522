package dnsplan

import (
	"fmt"
	"net/netip"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// EKSDefaultServerBlock is the root server block of the Corefile EKS
// installs with its CoreDNS add-on, for the given cluster domain: errors,
// health with a 5 s lameduck, ready (the add-on's readiness probe), the
// kubernetes plugin for the cluster domain and the reverse zones,
// prometheus on :9153, forward to the node's resolv.conf, cache 30, loop,
// reload and loadbalance (EKS User Guide, managing CoreDNS; Amazon EKS
// add-on default configuration).
func EKSDefaultServerBlock(clusterDomain Domain) ServerBlock {
	return ServerBlock{Keys: []string{".:53"}, Directives: []Directive{
		{Name: "errors"},
		{Name: "health", Block: []Directive{{Name: "lameduck", Args: []string{"5s"}}}},
		{Name: "ready"},
		{Name: "kubernetes", Args: []string{clusterDomain.String(), "in-addr.arpa", "ip6.arpa"}, Block: []Directive{
			{Name: "pods", Args: []string{"insecure"}},
			{Name: "fallthrough", Args: []string{"in-addr.arpa", "ip6.arpa"}},
		}},
		{Name: "prometheus", Args: []string{":9153"}},
		{Name: "forward", Args: []string{".", "/etc/resolv.conf"}},
		{Name: "cache", Args: []string{"30"}},
		{Name: "loop"},
		{Name: "reload"},
		{Name: "loadbalance"},
	}}
}

// corefileAddr writes an upstream as CoreDNS's forward plugin reads it:
// ip, ip:port, or [ipv6]:port.
func corefileAddr(a netip.Addr, port uint16) string {
	if port == 53 {
		return a.String()
	}
	return netip.AddrPortFrom(a, port).String()
}

// StubServerBlocks returns one server block per on-premises zone (each
// FORWARD rule's domain), forwarding to that rule's targets with errors
// and a 30 s cache: in-cluster lookups of on-premises names go straight to
// the site's DNS servers instead of through the VPC resolver. A query goes
// to the block with the longest matching zone.
func StubServerBlocks(p Plan) ([]ServerBlock, error) {
	p = p.defaulted()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out []ServerBlock
	for _, r := range p.forwardRules() {
		args := []string{"."}
		for _, t := range r.Targets {
			args = append(args, corefileAddr(t.IP, t.port()))
		}
		out = append(out, ServerBlock{Keys: []string{r.Domain.String() + ":53"}, Directives: []Directive{
			{Name: "errors"},
			{Name: "cache", Args: []string{"30"}},
			{Name: "forward", Args: args},
		}})
	}
	return out, nil
}

// RenderCorefile returns the cluster's whole Corefile: the EKS default
// root block followed by the stub blocks. It is checked with
// Corefile.Check before it is returned; an Error finding is an error.
func RenderCorefile(p Plan) ([]byte, error) {
	p = p.defaulted()
	stubs, err := StubServerBlocks(p)
	if err != nil {
		return nil, err
	}
	cf := Corefile{Blocks: append([]ServerBlock{EKSDefaultServerBlock(p.Cluster.Domain)}, stubs...)}
	for _, f := range cf.Check() {
		if f.Level == advice.Error {
			return nil, fmt.Errorf("dnsplan: rendered Corefile: %s", f.Message)
		}
	}
	return cf.Bytes()
}

// CoreDNSConfigMap returns the kube-system/coredns ConfigMap holding
// RenderCorefile's output, as EKS's self-managed CoreDNS reads it. With the
// EKS add-on, pass the same Corefile as the add-on's "corefile"
// configuration value instead: the add-on overwrites edits to the
// ConfigMap.
func CoreDNSConfigMap(p Plan) (*corev1.ConfigMap, error) {
	p = p.defaulted()
	cf, err := RenderCorefile(p)
	if err != nil {
		return nil, err
	}
	return &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: "coredns", Namespace: "kube-system", Labels: map[string]string{"eks.amazonaws.com/component": "coredns", "k8s-app": "kube-dns"}},
		Data:       map[string]string{"Corefile": string(cf)},
	}, nil
}

// CoreDNSAffinity is the affinity EKS recommends for CoreDNS in a cluster
// with hybrid and cloud nodes: spread replicas across hosts (weight 100)
// and across zones (weight 50), hybrid nodes carrying their own
// topology.kubernetes.io/zone label (EKS User Guide, hybrid-nodes-webhooks
// "Configure add-ons for mixed mode clusters").
func CoreDNSAffinity() *corev1.Affinity {
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}}
	return &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
		PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{
			{Weight: 100, PodAffinityTerm: corev1.PodAffinityTerm{LabelSelector: sel, TopologyKey: corev1.LabelHostname}},
			{Weight: 50, PodAffinityTerm: corev1.PodAffinityTerm{LabelSelector: sel, TopologyKey: corev1.LabelTopologyZone}},
		},
	}}
}

// KubeDNSTrafficDistributionPatch is the merge patch for the kube-dns
// Service that keeps DNS traffic on the side it starts on
// (trafficDistribution: PreferClose, Kubernetes ≥ 1.31):
// `kubectl -n kube-system patch service kube-dns --type merge -p …`.
func KubeDNSTrafficDistributionPatch() []byte {
	return []byte(`{"spec":{"trafficDistribution":"PreferClose"}}`)
}

// Finding codes of MixedClusterAdvice.
const CodeMixedClusterDNS advice.Code = "dnsplan/mixed-cluster-coredns"

// MixedClusterAdvice says how to run CoreDNS when a cluster has nodes on
// both sides: at least one replica on hybrid nodes and one in AWS, a zone
// label on the hybrid nodes, the anti-affinity of CoreDNSAffinity, and
// PreferClose on kube-dns (EKS User Guide, hybrid-nodes-webhooks).
func MixedClusterAdvice(hybridZone string) []advice.Finding {
	const ref = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-webhooks.html"
	return []advice.Finding{
		{Level: advice.Info, Code: CodeMixedClusterDNS, Field: field.NewPath("coredns", "replicas").String(), Ref: ref,
			Message: "run at least one CoreDNS replica on hybrid nodes and one on cloud nodes, so each side resolves names when the link between them is down"},
		{Level: advice.Info, Code: CodeMixedClusterDNS, Field: field.NewPath("nodes", "labels").String(), Ref: ref,
			Message: "label the hybrid nodes " + corev1.LabelTopologyZone + "=" + strconv.Quote(hybridZone) + " so zone-aware spreading and PreferClose can tell the sides apart"},
		{Level: advice.Info, Code: CodeMixedClusterDNS, Field: field.NewPath("coredns", "affinity").String(), Ref: ref,
			Message: "give CoreDNS pod anti-affinity on " + corev1.LabelHostname + " (weight 100) and " + corev1.LabelTopologyZone + " (weight 50)"},
		{Level: advice.Info, Code: CodeMixedClusterDNS, Field: field.NewPath("kube-dns", "spec", "trafficDistribution").String(), Ref: ref,
			Message: "set trafficDistribution: PreferClose on the kube-dns Service (Kubernetes 1.31 and later) so pods use the CoreDNS replica on their own side; with Cilium, also enable service topology (loadBalancer.serviceTopology=true)"},
	}
}
