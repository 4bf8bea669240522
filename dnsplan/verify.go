package dnsplan

import (
	"encoding/json"

	"github.com/hybridkit/hybridkit/nodeconfig"
)

// DNSUtilsImage is the image the Kubernetes DNS debugging guide runs dig
// from (kubernetes.io, "Debugging DNS Resolution").
const DNSUtilsImage = "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3"

// Check is one verification command: where to run it, what it proves, and
// its argument vector (run it without a shell).
type Check struct {
	// Where is "site" (one of the site's DNS servers: the inbound
	// endpoint's security group admits DNS from them only) or "kubectl"
	// (a workstation with access to the cluster).
	Where   string   `json:"where"`
	Purpose string   `json:"purpose"`
	Args    []string `json:"args"`
	// Answer says the check passes only if the command prints an answer:
	// dig exits 0 on a name that does not exist.
	Answer bool `json:"answer,omitempty"`
}

// VerifyCommands returns the commands that prove the design works, in the
// order to run them:
//
//   - from one of the site's DNS servers, `dig @<inbound IP> <name>` over
//     UDP and over TCP for the cluster's endpoint name (or each forwarded
//     domain's SOA when the name is not known): the inbound endpoint
//     answers on both, which its security group must admit (DNS falls
//     back to TCP for large answers, RFC 7766);
//   - from the same host, `dig <name>` through the site's own resolver: the
//     forward zone is in place;
//   - from a pod on a hybrid node and a pod on a cloud node,
//     `dig SOA <zone>` for every on-premises zone: CoreDNS's stub domain
//     and the outbound rule reach the site's servers.
//
// Every check must print an answer (Answer). The plan must validate.
func VerifyCommands(p Plan) ([]Check, error) {
	p = p.defaulted()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out []Check
	type q struct{ name, qtype string }
	var names []q
	if h := p.Cluster.EndpointHost; !h.IsZero() {
		names = append(names, q{h.String(), "A"})
	} else {
		for _, d := range p.OnPrem.ForwardToAWS {
			names = append(names, q{d.String(), "SOA"})
		}
	}
	// One try of two seconds: a blocked port fails the check at once (dig
	// exits 9, "no reply from server").
	dig := func(args ...string) []string { return append([]string{"dig", "+time=2", "+tries=1"}, args...) }
	for _, ip := range p.forwardTargets() {
		for _, n := range names {
			for _, t := range []struct{ flag, name string }{{"+notcp", "UDP"}, {"+tcp", "TCP"}} {
				out = append(out, Check{Where: "site", Answer: true,
					Purpose: "the inbound endpoint " + ip.String() + " answers " + n.name + " over " + t.name + " 53 (private addresses for the EKS endpoint)",
					Args:    dig(t.flag, "@"+ip.String(), "+short", n.name, n.qtype)})
			}
		}
	}
	for _, n := range names {
		out = append(out, Check{Where: "site", Answer: true, Purpose: "the site's resolver forwards " + n.name + " to AWS", Args: dig("+short", n.name, n.qtype)})
	}
	for _, side := range []struct{ name, op string }{{"hybrid", "In"}, {"cloud", "NotIn"}} {
		overrides, err := json.Marshal(map[string]any{"apiVersion": "v1", "spec": map[string]any{"affinity": map[string]any{"nodeAffinity": map[string]any{
			"requiredDuringSchedulingIgnoredDuringExecution": map[string]any{"nodeSelectorTerms": []any{map[string]any{"matchExpressions": []any{
				map[string]any{"key": nodeconfig.LabelComputeType, "operator": side.op, "values": []string{"hybrid"}},
			}}}},
		}}}})
		if err != nil {
			return nil, err
		}
		for _, r := range p.forwardRules() {
			out = append(out, Check{Where: "kubectl", Answer: true, Purpose: "a pod on a " + side.name + " node resolves the on-premises zone " + r.Domain.String(),
				Args: append([]string{"kubectl", "run", "dns-check-" + side.name, "--rm", "-i", "--quiet", "--restart=Never", "--image=" + DNSUtilsImage,
					"--overrides=" + string(overrides), "--"}, dig("+short", "SOA", r.Domain.String())...)})
		}
	}
	return out, nil
}
