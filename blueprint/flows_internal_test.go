package blueprint

import (
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/firewall"
)

// allowsAny reports whether r lets through any connection of f.
func allowsAny(r firewall.Rule, f Flow) bool {
	ports := f.Ports
	if len(ports) == 0 {
		ports = []firewall.PortRange{{}}
	}
	for _, proto := range f.Protocols {
		for _, port := range ports {
			for _, from := range f.From {
				for _, to := range f.To {
					if (firewall.RuleSet{r}).Allows(proto, port, from, to) {
						return true
					}
				}
			}
		}
	}
	return false
}

// TestEveryFlowHasItsRule: in the reference, every flow is allowed, and
// with the rules that allow one flow taken away, the check reports that
// flow — and only it — at its field.
func TestEveryFlowHasItsRule(t *testing.T) {
	b := Reference()
	b.Connectivity.MTUProbe = b.VPC.Subnets[0].CIDR.Addr().Next().Next().Next().Next().Next() // a flow more
	bt, errs := compile(b, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if fs := checkFlows(bt.flowList, bt.rules); len(fs) > 0 {
		t.Fatalf("the plan's own flows are refused: %v", fs)
	}
	for _, f := range bt.flowList {
		t.Run(f.Name, func(t *testing.T) {
			twin := slices.DeleteFunc(slices.Clone(bt.rules), func(r firewall.Rule) bool { return allowsAny(r, f) })
			if len(twin) == len(bt.rules) {
				t.Fatal("no rule allows the flow")
			}
			fs := checkFlows(bt.flowList, twin)
			var fields []string
			for _, x := range fs {
				fields = append(fields, x.Field)
			}
			if !slices.ContainsFunc(fs, func(x advice.Finding) bool { return strings.HasPrefix(x.Message, f.Name+" (") }) || !slices.Contains(fields, f.Field) {
				t.Errorf("without its rules, %s is not reported at %s: %v", f.Name, f.Field, fs)
			}
		})
	}
}

// TestCoreDNSStubFlowFromTheVPC is the gap the report's picture showed:
// CoreDNS replicas in the VPC forward the site's zones straight to the
// site's DNS servers, so the site firewall must admit them on 53.
func TestCoreDNSStubFlowFromTheVPC(t *testing.T) {
	bt, errs := compile(Reference(), nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	twin := slices.DeleteFunc(slices.Clone(bt.rules), func(r firewall.Rule) bool { return strings.Contains(r.Profile, "stub") })
	fs := checkFlows(bt.flowList, twin)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "CoreDNS stub domains") || fs[0].Field != "dns.zones" {
		t.Errorf("without the stub-domain rules: %v", fs)
	}
}
