package dnsplan_test

import (
	"net/netip"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/dnsplan"
)

// TestValidateEachBranch reaches every error branch of Plan.Validate the
// reference plan does not already reach in TestValidateRules, and puts
// each bound between its last accepted and first refused value.
func TestValidateEachBranch(t *testing.T) {
	targets := func(n int) []dnsplan.Target {
		var ts []dnsplan.Target
		for i := range n {
			ts = append(ts, dnsplan.Target{IP: netip.AddrFrom4([4]byte{192, 168, 1, byte(50 + i)})})
		}
		return ts
	}
	tests := []struct {
		name   string
		mutate func(*dnsplan.Plan)
		path   string // "" when valid
		typ    field.ErrorType
	}{
		{"non-canonical subnet", func(p *dnsplan.Plan) { p.Inbound.IPs[0].Subnet = netip.PrefixFrom(addr("10.0.1.7"), 24) }, "inbound.ips[0].subnet", field.ErrorTypeInvalid},
		{"no subnet", func(p *dnsplan.Plan) { p.Inbound.IPs[0].Subnet = netip.Prefix{} }, "inbound.ips[0].subnet", field.ErrorTypeInvalid},
		{"subnet without AZ", func(p *dnsplan.Plan) { p.Inbound.IPs[0].AZ = "" }, "inbound.ips[0].az", field.ErrorTypeRequired},
		{"subnet as large as the VPC", func(p *dnsplan.Plan) {
			p.VPCCIDRs = []netip.Prefix{pfx("10.0.1.0/24"), pfx("10.0.2.0/24")}
		}, "", ""},
		{"two endpoint IPs", func(p *dnsplan.Plan) { p.Inbound.IPs = p.Inbound.IPs[:2] }, "", ""},
		{"rule name of 64", func(p *dnsplan.Plan) { p.Rules[0].Name = strings.Repeat("r", 64) }, "", ""},
		{"rule name of 65", func(p *dnsplan.Plan) { p.Rules[0].Name = strings.Repeat("r", 65) }, "rules[0].name", field.ErrorTypeInvalid},
		{"rule name empty", func(p *dnsplan.Plan) { p.Rules[0].Name = "" }, "rules[0].name", field.ErrorTypeInvalid},
		{"rule name of digits", func(p *dnsplan.Plan) { p.Rules[0].Name = "0123456789" }, "rules[0].name", field.ErrorTypeInvalid},
		{"rule name with a digit", func(p *dnsplan.Plan) { p.Rules[0].Name = "rule 0" }, "", ""},
		{"rule name of /", func(p *dnsplan.Plan) { p.Rules[0].Name = "a/b" }, "rules[0].name", field.ErrorTypeInvalid},
		{"rule name of :", func(p *dnsplan.Plan) { p.Rules[0].Name = "a:b" }, "rules[0].name", field.ErrorTypeInvalid},
		{"rule without domain", func(p *dnsplan.Plan) { p.Rules[0].Domain = dnsplan.Domain{} }, "rules[0].domain", field.ErrorTypeRequired},
		{"six targets", func(p *dnsplan.Plan) { p.Rules[0].Targets = targets(6) }, "", ""},
		{"target without address", func(p *dnsplan.Plan) { p.Rules[0].Targets[1].IP = netip.Addr{} }, "rules[0].targets[1].ip", field.ErrorTypeRequired},
		{"target 0.0.0.0", func(p *dnsplan.Plan) { p.Rules[0].Targets[1].IP = addr("0.0.0.0") }, "rules[0].targets[1].ip", field.ErrorTypeInvalid},
		{"target loopback", func(p *dnsplan.Plan) { p.Rules[0].Targets[1].IP = addr("127.0.0.53") }, "rules[0].targets[1].ip", field.ErrorTypeInvalid},
		{"target multicast", func(p *dnsplan.Plan) { p.Rules[0].Targets[1].IP = addr("224.0.0.251") }, "rules[0].targets[1].ip", field.ErrorTypeInvalid},
		{"IPv6 targets", func(p *dnsplan.Plan) {
			p.Rules[0].Targets = []dnsplan.Target{{IP: addr("fd00::53")}, {IP: addr("fd00::54")}}
		}, "", ""},
		{"server 0.0.0.0", func(p *dnsplan.Plan) { p.OnPrem.Servers[0] = addr("0.0.0.0") }, "onPrem.servers[0]", field.ErrorTypeInvalid},
		{"server loopback", func(p *dnsplan.Plan) { p.OnPrem.Servers[0] = addr("127.0.0.1") }, "onPrem.servers[0]", field.ErrorTypeInvalid},
		{"server multicast", func(p *dnsplan.Plan) { p.OnPrem.Servers[0] = addr("ff02::fb") }, "onPrem.servers[0]", field.ErrorTypeInvalid},
		{"server without address", func(p *dnsplan.Plan) { p.OnPrem.Servers[0] = netip.Addr{} }, "onPrem.servers[0]", field.ErrorTypeInvalid},
		{"forwarded domain empty", func(p *dnsplan.Plan) { p.OnPrem.ForwardToAWS[0] = dnsplan.Domain{} }, "onPrem.forwardToAws[0]", field.ErrorTypeRequired},
		{"forward target without address", func(p *dnsplan.Plan) { p.OnPrem.ForwardTargets = []netip.Addr{{}} }, "onPrem.forwardTargets[0]", field.ErrorTypeInvalid},
		{"forward target IPv6", func(p *dnsplan.Plan) { p.OnPrem.ForwardTargets = []netip.Addr{addr("fd00::53")} }, "", ""},
		{"first policy", func(p *dnsplan.Plan) { p.OnPrem.Policy = dnsplan.ForwardFirst }, "", ""},
		{"family", func(p *dnsplan.Plan) { p.Cluster.Family = "ipv5" }, "cluster.family", field.ErrorTypeNotSupported},
		{"system rule", func(p *dnsplan.Plan) {
			p.Rules = append(p.Rules, dnsplan.Rule{Name: "carve", Domain: dom("aws.company.local"), Type: dnsplan.RuleSystem, VPCIDs: []string{p.VPCID}})
		}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := referencePlan()
			tt.mutate(&p)
			errs := p.ValidateAt(nil)
			switch {
			case tt.path == "" && len(errs) > 0:
				t.Fatalf("Validate = %v, want nil", errs)
			case tt.path != "" && (len(errs) != 1 || errs[0].Field != tt.path || errs[0].Type != tt.typ):
				t.Fatalf("Validate = %v\nwant one %s at %s", errs, tt.typ, tt.path)
			}
		})
	}
}

// TestDomainLengthBounds: 253 octets in all and 63 per label are the
// limits (RFC 1035 §2.3.4, as presentation text without the final dot).
func TestDomainLengthBounds(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	// Four labels of 63 and the dots: 255; trim to the bounds.
	long := label63 + "." + label63 + "." + label63 + "." + label63
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{long[:253], true},
		{long[:254], false},
		{long[:253] + ".", true}, // the final dot is not counted
		{label63 + ".x", true},
		{label63 + "a.x", false},
		{"a", true},
		{"", false},
	} {
		_, err := dnsplan.ParseDomain(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseDomain(%d octets ending %q) error = %v", len(tc.in), tc.in[max(0, len(tc.in)-4):], err)
		}
	}
}

func TestReverseZoneOctetBounds(t *testing.T) {
	for d, want := range map[string]string{
		"0.10.in-addr.arpa":   "10.0.0.0/16",
		"255.10.in-addr.arpa": "10.255.0.0/16",
	} {
		p, ok := dom(d).ReverseZone()
		if got := map[bool]string{true: p.String(), false: ""}[ok]; got != want {
			t.Errorf("ReverseZone(%s) = %q, want %q", d, got, want)
		}
	}
}

// TestDomainLabelCharacters: letters, digits, '-' and '_' — the
// characters either side of each range refused.
func TestDomainLabelCharacters(t *testing.T) {
	for _, ok := range []string{"a.z.example", "A.Z.example", "0.9.example", "a-b_c.example"} {
		if _, err := dnsplan.ParseDomain(ok); err != nil {
			t.Errorf("ParseDomain(%q): %v", ok, err)
		}
	}
	for _, c := range []string{"@", "[", "`", "{", "/", ":"} {
		if _, err := dnsplan.ParseDomain("a" + c + "b.example"); err == nil {
			t.Errorf("ParseDomain with %q accepted", c)
		}
	}
}

// TestValidateWithoutOptionalParts: a plan that forwards nothing to AWS
// needs no inbound endpoint; one without VPC CIDRs reports only those,
// even with forward targets to compare against the VPC resolver; SYSTEM
// rules are not stub domains.
func TestValidateWithoutOptionalParts(t *testing.T) {
	p := referencePlan()
	p.OnPrem.ForwardToAWS = nil
	p.Inbound = nil
	if errs := p.ValidateAt(nil); len(errs) != 0 {
		t.Errorf("no forwarding to AWS, no inbound endpoint: %v", errs)
	}

	p = referencePlan()
	p.VPCCIDRs = nil
	p.OnPrem.ForwardTargets = []netip.Addr{addr("10.0.1.100")}
	errs := p.ValidateAt(nil)
	if len(errs) != 1 || errs[0].Field != "vpcCidrs" {
		t.Errorf("no VPC CIDRs: %v", errs)
	}

	p = referencePlan()
	p.Rules = append(p.Rules, dnsplan.Rule{Name: "cluster", Domain: dom("local"), Type: dnsplan.RuleSystem, VPCIDs: []string{p.VPCID}})
	if errs := p.ValidateAt(nil); len(errs) != 0 {
		t.Errorf("a SYSTEM rule over the cluster domain: %v", errs)
	}
	p.Rules[len(p.Rules)-1].Type = dnsplan.RuleForward
	p.Rules[len(p.Rules)-1].Targets = p.Rules[0].Targets
	if errs := p.ValidateAt(nil); len(errs) != 1 || errs[0].Field != "rules[1].domain" {
		t.Errorf("a FORWARD rule over the cluster domain: %v", errs)
	}
}
