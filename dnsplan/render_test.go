package dnsplan_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/internal/manifest"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

func TestGoldenRenderings(t *testing.T) {
	p := referencePlan()
	zones, err := dnsplan.RenderBINDZones(p)
	if err != nil {
		t.Fatal(err)
	}
	options, err := dnsplan.RenderBINDOptions(p)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "named-zones.golden.conf", zones)
	testkit.Golden(t, "named-options.golden.conf", options)
	testkit.CheckBIND(t, options, zones)

	unbound, err := dnsplan.RenderUnbound(p)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "unbound.golden.conf", unbound)
	testkit.CheckUnbound(t, unbound)

	dm, err := dnsplan.RenderDnsmasq(p)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "dnsmasq.golden.conf", dm)
	testkit.CheckDnsmasq(t, dm)

	resolved, err := dnsplan.RenderResolved(p)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "resolved.golden.conf", resolved)
	if !strings.Contains(string(resolved), "Domains=~company.local ~") || !strings.Contains(string(resolved), "DNS=192.168.1.53 192.168.1.54") {
		t.Errorf("resolved drop-in does not route company.local to the site's servers:\n%s", resolved)
	}

	corefile, err := dnsplan.RenderCorefile(p)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "Corefile.golden", corefile)
	cm, err := dnsplan.CoreDNSConfigMap(p)
	if err != nil {
		t.Fatal(err)
	}
	y, err := manifest.Render(cm)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "coredns-configmap.golden.yaml", y)
	if objs := testkit.DecodeManifests(t, y); len(objs) != 1 {
		t.Errorf("ConfigMap decodes to %d objects", len(objs))
	}

	script, err := dnsplan.AWSScript(p)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "resolver.golden.sh", script)
	req, err := p.Requests()
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(req, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "resolver-requests.golden.json", append(js, '\n'))

	checks, err := dnsplan.VerifyCommands(p)
	if err != nil {
		t.Fatal(err)
	}
	js, err = json.MarshalIndent(checks, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "verify.golden.json", append(js, '\n'))
}

// TestAWSScriptAssociatesEveryRule runs the script with a stub aws and
// checks what the CLI receives: every rule created through the outbound
// endpoint and then associated (correction #13).
func TestAWSScriptAssociatesEveryRule(t *testing.T) {
	p := referencePlan()
	p.Rules = append(p.Rules,
		dnsplan.Rule{Name: "corp-internal", Domain: dom("corp.internal"), Targets: p.Rules[0].Targets, VPCIDs: []string{p.VPCID, "vpc-0bbbbbbbbbbbbbbb2"}},
		dnsplan.Rule{Name: "aws-carve-out", Domain: dom("aws.corp.internal"), Type: dnsplan.RuleSystem})
	p.Default()
	script, err := dnsplan.AWSScript(p)
	if err != nil {
		t.Fatal(err)
	}
	calls := testkit.RecordCommands(t, script, "aws", map[string]string{
		"create-resolver-endpoint": "rslvr-out-0123456789abcdef", "get-resolver-endpoint": "OPERATIONAL", "create-resolver-rule": "rslvr-rr-0123456789abcdef",
	})
	var ops []string
	for _, c := range calls {
		ops = append(ops, c[1])
		switch c[1] {
		case "authorize-security-group-ingress", "authorize-security-group-egress":
			var perms []struct {
				IpProtocol string
				FromPort   int
				IpRanges   []struct{ CidrIp string }
			}
			if err := json.Unmarshal([]byte(testkit.FlagValue(t, c, "--ip-permissions")), &perms); err != nil || len(perms) != 1 || perms[0].FromPort != 53 {
				t.Errorf("%q: %v %+v", c, err, perms)
			}
		case "create-resolver-rule":
			if testkit.FlagValue(t, c, "--rule-type") == "FORWARD" && testkit.FlagValue(t, c, "--resolver-endpoint-id") != "rslvr-out-0123456789abcdef" {
				t.Errorf("rule not created through the outbound endpoint: %q", c)
			}
		}
	}
	count := func(op string) int {
		n := 0
		for _, o := range ops {
			if o == op {
				n++
			}
		}
		return n
	}
	if count("create-resolver-endpoint") != 2 || count("create-resolver-rule") != 3 || count("associate-resolver-rule") != 4 {
		t.Errorf("calls = %q", ops)
	}
	if i, j := slices.Index(ops, "get-resolver-endpoint"), slices.Index(ops, "create-resolver-rule"); i < 0 || i > j {
		t.Errorf("rules are created before the outbound endpoint is operational: %q", ops)
	}
}

// TestRenderingsWithoutDNSSECAndWithPorts covers the other branches with
// the real consumers: no validation exceptions, forward first, a
// non-standard target port, several zones.
func TestRenderingsWithoutDNSSECAndWithPorts(t *testing.T) {
	p := referencePlan()
	p.OnPrem.DNSSECValidation = false
	p.OnPrem.Policy = dnsplan.ForwardFirst
	p.OnPrem.ForwardToAWS = append(p.OnPrem.ForwardToAWS, dom("aws.company.internal"), dom("10.in-addr.arpa"))
	p.Rules[0].Targets[1].Port = 5353
	if errs := p.ValidateAt(nil); errs != nil {
		t.Fatal(errs)
	}
	zones, err := dnsplan.RenderBINDZones(p)
	if err != nil {
		t.Fatal(err)
	}
	options, err := dnsplan.RenderBINDOptions(p)
	if err != nil || options != nil {
		t.Fatalf("options without DNSSEC = %q, %v", options, err)
	}
	if !strings.Contains(string(zones), "forward first;") {
		t.Errorf("policy first not rendered:\n%s", zones)
	}
	testkit.CheckBIND(t, nil, zones)
	unbound, err := dnsplan.RenderUnbound(p)
	if err != nil {
		t.Fatal(err)
	}
	testkit.CheckUnbound(t, unbound)
	dm, err := dnsplan.RenderDnsmasq(p)
	if err != nil {
		t.Fatal(err)
	}
	testkit.CheckDnsmasq(t, dm)
	cf, err := dnsplan.RenderCorefile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cf), "forward . 192.168.1.53 192.168.1.54:5353") {
		t.Errorf("Corefile:\n%s", cf)
	}
}

// BenchmarkRenderBIND1000Zones renders 1,000 forward zones (target < 5 ms,
// validation included).
func BenchmarkRenderBIND1000Zones(b *testing.B) {
	p := referencePlan()
	p.OnPrem.ForwardToAWS = nil
	for i := range 1000 {
		p.OnPrem.ForwardToAWS = append(p.OnPrem.ForwardToAWS, dom(fmt.Sprintf("zone-%04d.aws.company.internal", i)))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dnsplan.RenderBINDZones(p); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBIND1000ZonesAccepted(t *testing.T) {
	p := referencePlan()
	for i := range 1000 {
		p.OnPrem.ForwardToAWS = append(p.OnPrem.ForwardToAWS, dom(fmt.Sprintf("zone-%04d.aws.company.internal", i)))
	}
	zones, err := dnsplan.RenderBINDZones(p)
	if err != nil {
		t.Fatal(err)
	}
	options, err := dnsplan.RenderBINDOptions(p)
	if err != nil {
		t.Fatal(err)
	}
	testkit.CheckBIND(t, options, zones)
}
