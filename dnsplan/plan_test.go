package dnsplan_test

import (
	"encoding/json"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/dnsplan"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

func addr(s string) netip.Addr    { return netip.MustParseAddr(s) }
func pfx(s string) netip.Prefix   { return netip.MustParsePrefix(s) }
func dom(s string) dnsplan.Domain { return dnsplan.MustParseDomain(s) }

const endpointHost = "0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-2.eks.amazonaws.com"

// referencePlan is the adoption guide's scenario, corrected: company.local
// on 192.168.1.53/.54, the inbound endpoint on 10.0.1.100/10.0.2.100 and
// the outbound on .101 in two AZs, the rule associated with the cluster
// VPC, and the site's resolvers validating DNSSEC (BIND's default).
func referencePlan() dnsplan.Plan {
	ep := func(name, sg string, last byte) *dnsplan.Endpoint {
		return &dnsplan.Endpoint{Name: name, SecurityGroupID: sg, IPs: []dnsplan.EndpointIP{
			{IP: netip.AddrFrom4([4]byte{10, 0, 1, last}), SubnetID: "subnet-0aaaaaaaaaaaaaaa1", Subnet: pfx("10.0.1.0/24"), AZ: "ap-northeast-2a"},
			{IP: netip.AddrFrom4([4]byte{10, 0, 2, last}), SubnetID: "subnet-0ccccccccccccccc3", Subnet: pfx("10.0.2.0/24"), AZ: "ap-northeast-2c"},
		}}
	}
	p := dnsplan.Plan{
		Region:   "ap-northeast-2",
		VPCID:    "vpc-0a1b2c3d4e5f67890",
		VPCCIDRs: []netip.Prefix{pfx("10.0.0.0/16")},
		Inbound:  ep("hybrid-inbound", "sg-0123456789abcdef0", 100),
		Outbound: ep("hybrid-outbound", "sg-0fedcba9876543210", 101),
		Rules: []dnsplan.Rule{{
			Name: "company-local", Domain: dom("company.local"),
			Targets: []dnsplan.Target{{IP: addr("192.168.1.53")}, {IP: addr("192.168.1.54")}},
		}},
		OnPrem: dnsplan.OnPrem{
			Servers:          []netip.Addr{addr("192.168.1.53"), addr("192.168.1.54")},
			ForwardToAWS:     []dnsplan.Domain{dom(endpointHost)},
			DNSSECValidation: true,
		},
		Cluster: dnsplan.Cluster{EndpointHost: dom(endpointHost), Access: dnsplan.AccessPrivate},
	}
	p.Default()
	return p
}

func TestReferencePlan(t *testing.T) {
	p := referencePlan()
	if errs := p.ValidateAt(nil); errs != nil {
		t.Fatal(errs)
	}
	var codes []string
	for _, f := range p.Lint() {
		codes = append(codes, string(f.Code)+"@"+f.Field)
	}
	want := []string{
		string(dnsplan.CodeLocalDomain) + "@rules[0].domain",
		string(dnsplan.CodeDNSSECExceptions) + "@onPrem.dnssecValidation",
		string(dnsplan.CodePrivateEndpoint) + "@onPrem.forwardToAws",
	}
	if !slices.Equal(codes, want) {
		t.Errorf("Lint = %v\nwant %v", codes, want)
	}
	if p.Rules[0].VPCIDs[0] != p.VPCID || p.Rules[0].Type != dnsplan.RuleForward || p.OnPrem.Policy != dnsplan.ForwardOnly || p.Cluster.Domain.String() != "cluster.local" {
		t.Errorf("Default = %+v", p)
	}
}

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*dnsplan.Plan)
		path   string
		typ    field.ErrorType
	}{
		{"region", func(p *dnsplan.Plan) { p.Region = "seoul" }, "region", field.ErrorTypeInvalid},
		{"vpc id", func(p *dnsplan.Plan) { p.VPCID = "vpc-1" }, "vpcId", field.ErrorTypeInvalid},
		{"no vpc cidrs", func(p *dnsplan.Plan) { p.VPCCIDRs = nil }, "vpcCidrs", field.ErrorTypeRequired},
		{"vpc cidr host bits", func(p *dnsplan.Plan) { p.VPCCIDRs[0] = netip.PrefixFrom(addr("10.0.0.1"), 16) }, "vpcCidrs[0]", field.ErrorTypeInvalid},
		{"one endpoint IP", func(p *dnsplan.Plan) { p.Inbound.IPs = p.Inbound.IPs[:1] }, "inbound.ips", field.ErrorTypeInvalid},
		{"endpoint name", func(p *dnsplan.Plan) { p.Inbound.Name = "12345" }, "inbound.name", field.ErrorTypeInvalid},
		{"security group", func(p *dnsplan.Plan) { p.Outbound.SecurityGroupID = "sg-xyz" }, "outbound.securityGroupId", field.ErrorTypeInvalid},
		{"subnet id", func(p *dnsplan.Plan) { p.Inbound.IPs[0].SubnetID = "subnet-;" }, "inbound.ips[0].subnetId", field.ErrorTypeInvalid},
		{"ip outside subnet", func(p *dnsplan.Plan) { p.Inbound.IPs[0].IP = addr("10.0.9.100") }, "inbound.ips[0].ip", field.ErrorTypeInvalid},
		{"subnet outside vpc", func(p *dnsplan.Plan) { p.Inbound.IPs[1].Subnet = pfx("10.1.2.0/24") }, "inbound.ips[1].subnet", field.ErrorTypeInvalid},
		{"reserved .2 resolver", func(p *dnsplan.Plan) { p.Inbound.IPs[0].IP = addr("10.0.1.2") }, "inbound.ips[0].ip", field.ErrorTypeInvalid},
		{"reserved broadcast", func(p *dnsplan.Plan) { p.Inbound.IPs[1].IP = addr("10.0.2.255") }, "inbound.ips[1].ip", field.ErrorTypeInvalid},
		{"ipv6 endpoint ip", func(p *dnsplan.Plan) { p.Inbound.IPs[1].IP = addr("fd00::1") }, "inbound.ips[1].ip", field.ErrorTypeInvalid},
		{"ip used twice", func(p *dnsplan.Plan) { p.Outbound.IPs[0].IP = addr("10.0.1.100") }, "outbound.ips[0].ip", field.ErrorTypeDuplicate},
		{"az of another region", func(p *dnsplan.Plan) { p.Inbound.IPs[0].AZ = "us-east-1a" }, "inbound.ips[0].az", field.ErrorTypeInvalid},
		{"no targets", func(p *dnsplan.Plan) { p.Rules[0].Targets = nil }, "rules[0].targets", field.ErrorTypeRequired},
		{"seven targets", func(p *dnsplan.Plan) {
			p.Rules[0].Targets = nil
			for i := range 7 {
				p.Rules[0].Targets = append(p.Rules[0].Targets, dnsplan.Target{IP: netip.AddrFrom4([4]byte{192, 168, 1, byte(50 + i)})})
			}
		}, "rules[0].targets", field.ErrorTypeTooMany},
		{"mixed families", func(p *dnsplan.Plan) { p.Rules[0].Targets[1].IP = addr("fd00::53") }, "rules[0].targets[1].ip", field.ErrorTypeInvalid},
		{"target is the inbound endpoint", func(p *dnsplan.Plan) { p.Rules[0].Targets[1].IP = addr("10.0.2.100") }, "rules[0].targets[1]", field.ErrorTypeInvalid},
		{"forward rule without outbound", func(p *dnsplan.Plan) { p.Outbound = nil }, "outbound", field.ErrorTypeRequired},
		{"unassociated rule", func(p *dnsplan.Plan) { p.Rules[0].VPCIDs = []string{} }, "rules[0].vpcIds", field.ErrorTypeRequired},
		{"rule type", func(p *dnsplan.Plan) { p.Rules[0].Type = "RECURSIVE" }, "rules[0].type", field.ErrorTypeNotSupported},
		{"system rule with targets", func(p *dnsplan.Plan) {
			p.Rules = append(p.Rules, dnsplan.Rule{Name: "carve", Domain: dom("aws.company.local"), Type: dnsplan.RuleSystem, VPCIDs: []string{p.VPCID}, Targets: p.Rules[0].Targets})
		}, "rules[1].targets", field.ErrorTypeForbidden},
		{"duplicate rule domain", func(p *dnsplan.Plan) {
			p.Rules = append(p.Rules, dnsplan.Rule{Name: "again", Domain: dom("COMPANY.local."), Type: dnsplan.RuleForward, VPCIDs: []string{p.VPCID}, Targets: p.Rules[0].Targets})
		}, "rules[1].domain", field.ErrorTypeDuplicate},
		{"duplicate rule name", func(p *dnsplan.Plan) {
			p.Rules = append(p.Rules, dnsplan.Rule{Name: "company-local", Domain: dom("corp.internal"), Type: dnsplan.RuleForward, VPCIDs: []string{p.VPCID}, Targets: p.Rules[0].Targets})
		}, "rules[1].name", field.ErrorTypeDuplicate},
		{"loop through the site", func(p *dnsplan.Plan) {
			p.OnPrem.ForwardToAWS = append(p.OnPrem.ForwardToAWS, dom("db.company.local"))
		}, "rules[0].vpcIds[0]", field.ErrorTypeInvalid},
		{"forward to the vpc resolver", func(p *dnsplan.Plan) { p.OnPrem.ForwardTargets = []netip.Addr{addr("10.0.0.2")} }, "onPrem.forwardTargets[0]", field.ErrorTypeInvalid},
		{"forward to 169.254.169.253", func(p *dnsplan.Plan) { p.OnPrem.ForwardTargets = []netip.Addr{addr("169.254.169.253")} }, "onPrem.forwardTargets[0]", field.ErrorTypeInvalid},
		{"forward without inbound", func(p *dnsplan.Plan) { p.Inbound = nil }, "inbound", field.ErrorTypeRequired},
		{"no site servers", func(p *dnsplan.Plan) { p.OnPrem.Servers = nil }, "onPrem.servers", field.ErrorTypeRequired},
		{"duplicate forwarded domain", func(p *dnsplan.Plan) { p.OnPrem.ForwardToAWS = append(p.OnPrem.ForwardToAWS, p.OnPrem.ForwardToAWS[0]) }, "onPrem.forwardToAws[1]", field.ErrorTypeDuplicate},
		{"policy", func(p *dnsplan.Plan) { p.OnPrem.Policy = "sometimes" }, "onPrem.policy", field.ErrorTypeNotSupported},
		{"access", func(p *dnsplan.Plan) { p.Cluster.Access = "open" }, "cluster.access", field.ErrorTypeNotSupported},
		{"stub shadows the cluster domain", func(p *dnsplan.Plan) { p.Rules[0].Domain = dom("local") }, "rules[0].domain", field.ErrorTypeInvalid},
		{"stub takes the service CIDR's reverse zone", func(p *dnsplan.Plan) {
			p.Cluster.Networks = []netip.Prefix{pfx("10.96.0.0/16")}
			p.Rules[0].Domain = dom("96.10.in-addr.arpa")
		}, "rules[0].domain", field.ErrorTypeInvalid},
		{"stub takes a wider reverse zone", func(p *dnsplan.Plan) {
			p.Cluster.Networks = []netip.Prefix{pfx("10.244.0.0/16")}
			p.Rules[0].Domain = dom("10.in-addr.arpa")
		}, "rules[0].domain", field.ErrorTypeInvalid},
		{"the guide's endpoint name", func(p *dnsplan.Plan) { p.Cluster.EndpointHost = dom("my-service.eks.amazonaws.com") }, "cluster.endpointHost", field.ErrorTypeInvalid},
		{"endpoint of another region", func(p *dnsplan.Plan) {
			p.Cluster.EndpointHost = dom("0123456789abcdef0123456789abcdef.gr7.us-east-1.eks.amazonaws.com")
		}, "cluster.endpointHost", field.ErrorTypeInvalid},
		{"endpoint without a cluster label", func(p *dnsplan.Plan) { p.Cluster.EndpointHost = dom("ap-northeast-2.eks.amazonaws.com") }, "cluster.endpointHost", field.ErrorTypeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := referencePlan()
			tt.mutate(&p)
			errs := p.ValidateAt(nil)
			if len(errs) != 1 || errs[0].Field != tt.path || errs[0].Type != tt.typ {
				t.Fatalf("Validate = %v\nwant one %s at %s", errs, tt.typ, tt.path)
			}
			if out, err := dnsplan.RenderBINDZones(p); err == nil || out != nil {
				t.Error("RenderBINDZones rendered an invalid plan")
			}
		})
	}
}

func TestLintFindings(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*dnsplan.Plan)
		code   advice.Code
	}{
		{"forward first", func(p *dnsplan.Plan) { p.OnPrem.Policy = dnsplan.ForwardFirst }, dnsplan.CodeForwardFirst},
		{"public and private", func(p *dnsplan.Plan) {
			p.Cluster.Access = dnsplan.AccessPublicAndPrivate
			p.OnPrem.ForwardToAWS = []dnsplan.Domain{dom("aws.company.internal")}
		}, dnsplan.CodePublicAndPrivate},
		{"ipv6 names", func(p *dnsplan.Plan) { p.Cluster.Family = dnsplan.IPv6 }, dnsplan.CodeIPv6EndpointNames},
		{"seven endpoint IPs", func(p *dnsplan.Plan) {
			for i := range 5 {
				p.Inbound.IPs = append(p.Inbound.IPs, dnsplan.EndpointIP{IP: netip.AddrFrom4([4]byte{10, 0, 1, byte(110 + i)}), SubnetID: "subnet-0aaaaaaaaaaaaaaa1", Subnet: pfx("10.0.1.0/24"), AZ: "ap-northeast-2a"})
			}
		}, dnsplan.CodeEndpointIPQuota},
		{"one AZ", func(p *dnsplan.Plan) {
			p.Outbound.IPs[1] = dnsplan.EndpointIP{IP: addr("10.0.1.102"), SubnetID: "subnet-0aaaaaaaaaaaaaaa1", Subnet: pfx("10.0.1.0/24"), AZ: "ap-northeast-2a"}
		}, dnsplan.CodeSingleAZ},
		{"broad forward", func(p *dnsplan.Plan) { p.OnPrem.ForwardToAWS = []dnsplan.Domain{dom("eks.amazonaws.com")} }, dnsplan.CodeBroadForward},
		{"system rule outside", func(p *dnsplan.Plan) {
			p.Rules = append(p.Rules, dnsplan.Rule{Name: "carve", Domain: dom("corp.internal"), Type: dnsplan.RuleSystem, VPCIDs: []string{p.VPCID}})
		}, dnsplan.CodeSystemRuleUnattached},
		// The guide's two Resolver mistakes (never associated; a loop)
		// are errors of Validate too; Lint names them with a code and a
		// source for plans read from what already runs.
		{"rule never associated", func(p *dnsplan.Plan) { p.Rules[0].VPCIDs = []string{} }, dnsplan.CodeRuleNotAssociated},
		{"rule loop", func(p *dnsplan.Plan) { p.OnPrem.ForwardToAWS = append(p.OnPrem.ForwardToAWS, dom("db.company.local")) }, dnsplan.CodeRuleLoop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := referencePlan()
			tt.mutate(&p)
			invalid := tt.code == dnsplan.CodeRuleNotAssociated || tt.code == dnsplan.CodeRuleLoop
			if errs := p.ValidateAt(nil); (errs != nil) != invalid {
				t.Fatalf("Validate: %v", errs)
			}
			if !hasCode(p, tt.code) {
				t.Errorf("Lint has no %s: %v", tt.code, p.Lint())
			}
		})
	}
}

func hasCode(p dnsplan.Plan, code advice.Code) bool {
	for _, f := range p.Lint() {
		if f.Code == code {
			return true
		}
	}
	return false
}

// hostileNames would break, or inject into, a BIND, Unbound, dnsmasq or
// CoreDNS file if they reached one.
var hostileNames = []string{
	`company"local`,
	`x"; }; zone "evil" { type master; file "/etc/passwd"; }; zone "x`,
	"company.local\nforward-zone:",
	"company.local; rm -rf /",
	"{company}.local",
	"company local",
	"company/local",
	`company\.local`,
	"회사.local",
	"café.example",
	strings.Repeat("a", 64) + ".example",
	strings.Repeat("abcdefghij.", 25) + "example",
	"a..b",
	".company.local",
	"",
	".",
	"-lead.example",
	"trail-.example",
	"company.local#comment",
	"tab\tname",
	"nul\x00name",
}

func TestHostileNamesRefusedWithPath(t *testing.T) {
	for _, name := range hostileNames {
		if d, err := dnsplan.ParseDomain(name); err == nil {
			t.Errorf("ParseDomain(%q) = %q, want an error", name, d)
			continue
		}
		doc := `{"region":"ap-northeast-2","rules":[{"name":"r","domain":` + jsonString(name) + `}],"onPrem":{"forwardToAws":["ok.example",` + jsonString(name) + `]}}`
		p, err := dnsplan.ParsePlan([]byte(doc))
		if name == "" && err == nil {
			// Empty text is the zero Domain, as a missing key is: it is
			// Validate that refuses it, at the same paths.
			err = p.Validate()
		}
		var fields []string
		for _, e := range ivalidation.FieldErrors(err) {
			if name == "" && !strings.HasSuffix(e.Field, ".domain") && !strings.HasPrefix(e.Field, "onPrem.forwardToAws") {
				continue // the rest of this small plan is incomplete too
			}
			fields = append(fields, e.Field)
		}
		// In document order.
		if want := []string{"rules[0].domain", "onPrem.forwardToAws[1]"}; !slices.Equal(fields, want) {
			t.Errorf("ParsePlan with %q: fields %v, want %v (%v)", name, fields, want, err)
		}
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func TestEKSEndpointHosts(t *testing.T) {
	for h, ok := range map[string]bool{
		"0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-2.eks.amazonaws.com": true,
		"abc.yl4.cn-north-1.eks.amazonaws.com.cn":                               true,
		"abc.eks-cluster.ap-northeast-2.api.aws":                                true,
		"abc.ap-northeast-2.api.aws":                                            true,
		"eks-cluster.ap-northeast-2.api.aws":                                    false,
		"my-service.eks.amazonaws.com":                                          false,
		"abc.gr7.us-west-2.eks.amazonaws.com":                                   false,
		"abc.gr7.ap-northeast-2.example.com":                                    false,
	} {
		if got := dnsplan.IsEKSEndpointHost(dom(h), "ap-northeast-2") || dnsplan.IsEKSEndpointHost(dom(h), "cn-north-1"); got != ok {
			t.Errorf("IsEKSEndpointHost(%s) = %v, want %v", h, got, ok)
		}
	}
}

func TestReverseZone(t *testing.T) {
	for d, want := range map[string]string{
		"10.in-addr.arpa":        "10.0.0.0/8",
		"1.168.192.in-addr.arpa": "192.168.1.0/24",
		"in-addr.arpa":           "0.0.0.0/0",
		"4.3.2.1.in-addr.arpa":   "1.2.3.4/32",
		"256.in-addr.arpa":       "",
		"01.in-addr.arpa":        "",
		"x.in-addr.arpa":         "",
		"5.4.3.2.1.in-addr.arpa": "",
		"company.local":          "",
		"xin-addr.arpa":          "",
	} {
		p, ok := dom(d).ReverseZone()
		if got := map[bool]string{true: p.String(), false: ""}[ok]; got != want {
			t.Errorf("ReverseZone(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestDomain(t *testing.T) {
	d := dom("Company.LOCAL.")
	if d.String() != "company.local" || d.FQDN() != "company.local." || d.TLD() != "local" {
		t.Errorf("Domain = %q %q %q", d, d.FQDN(), d.TLD())
	}
	if !dom("db.company.local").Within(d) || dom("xcompany.local").Within(d) || !d.Within(d) || d.Within(dom("db.company.local")) {
		t.Error("Within")
	}
	for _, ok := range []string{"_msdcs.corp.example", "10.in-addr.arpa", "xn--9n2bp8q.local", "internal", strings.Repeat("a", 63) + ".example"} {
		if _, err := dnsplan.ParseDomain(ok); err != nil {
			t.Errorf("ParseDomain(%q): %v", ok, err)
		}
	}
	var z dnsplan.Domain
	if text, err := z.MarshalText(); err != nil || len(text) != 0 {
		t.Errorf("the zero Domain marshals as %q, %v; want empty text", text, err)
	}
	back := dnsplan.MustParseDomain("company.local")
	if err := back.UnmarshalText(nil); err != nil || !back.IsZero() {
		t.Errorf("empty text reads as %q, %v; want the zero Domain", back, err)
	}
}

// TestParsedPlanWithoutDomainsEncodes: a rule or forwarded domain left
// empty by the document ("rules:\n-", found by FuzzParsePlan) is the zero
// Domain; the plan still encodes (as ""), reads back the same, and
// Validate names each missing domain.
func TestParsedPlanWithoutDomainsEncodes(t *testing.T) {
	for _, doc := range []string{"rules:\n-", "rules: [{name: r}]\nonPrem: {forwardToAws: [null]}"} {
		p, err := dnsplan.ParsePlan([]byte(doc))
		if err != nil {
			t.Fatalf("ParsePlan(%q): %v", doc, err)
		}
		js, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("%q does not encode: %v", doc, err)
		}
		back, err := dnsplan.ParsePlan(js)
		if err != nil || !reflect.DeepEqual(back, p) {
			t.Fatalf("%s reads back as %+v, %v", js, back, err)
		}
		if !strings.Contains(string(js), `"domain":""`) {
			t.Errorf("%s: the missing domain is not empty", js)
		}
		var found bool
		for _, e := range p.ValidateAt(nil) {
			found = found || e.Field == "rules[0].domain"
		}
		if !found {
			t.Errorf("%q: Validate does not require rules[0].domain", doc)
		}
	}
	if js, err := json.Marshal(dnsplan.MustParseDomain("company.local")); err != nil || string(js) != `"company.local"` {
		t.Errorf("a Domain encodes as %s, %v", js, err)
	}
}
