package firewall_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netplan"
)

func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }
func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// referencePlan is the adoption guide's address plan.
func referencePlan() netplan.Plan { return testkit.ReferencePlan() }

func referenceOptions() firewall.ProfileOptions {
	return firewall.ProfileOptions{
		Region:         "ap-northeast-2",
		Credentials:    firewall.CredentialsSSM,
		CoreDNSInCloud: true,
		NFS:            &firewall.NFSShare{Server: addr("192.168.1.100")},
		Resolver: &firewall.ResolverFlows{
			InboundIPs: []netip.Addr{addr("10.0.1.100"), addr("10.0.2.100")},
			OnPremDNS:  []netip.Addr{addr("192.168.1.53"), addr("192.168.1.54")},
		},
	}
}

func referenceRules(t testing.TB) firewall.RuleSet {
	t.Helper()
	rs, err := firewall.Profiles(referencePlan(), referenceOptions())
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestProfilesGolden(t *testing.T) {
	plan := referencePlan()
	rs := referenceRules(t)
	testkit.Golden(t, "rules.golden.md", firewall.RenderMarkdown(rs))
	csv, err := firewall.RenderCSV(rs)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "rules.golden.csv", csv)

	nodes := firewall.PeerRole(netplan.RoleRemoteNode)
	nft, err := firewall.RenderNFTables(plan, rs, nodes)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "node-firewall.golden.nft", nft)
	ipt, err := firewall.RenderIPTables(plan, rs, nodes)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "node-firewall.golden.iptables", ipt)

	sg, err := firewall.SecurityGroup(plan, rs, firewall.PeerClusterENIs())
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(sg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "cluster-sg.golden.json", append(js, '\n'))
	script, err := firewall.SecurityGroupScript("Cluster security group rules for hybrid nodes", sg, firewall.SGTarget{ClusterName: "gpu-hybrid-cluster", Region: "ap-northeast-2"})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "cluster-sg.golden.sh", script)
	testkit.CheckBash(t, script)
}

// TestReferenceFlows pins the facts the guide got wrong.
func TestReferenceFlows(t *testing.T) {
	rs := referenceRules(t)
	find := func(proto firewall.Protocol, port uint16, dir firewall.Direction) *firewall.Rule {
		for i := range rs {
			if rs[i].Protocol == proto && rs[i].Ports == firewall.Port(port) && rs[i].Direction == dir {
				return &rs[i]
			}
		}
		return nil
	}
	if r := find(firewall.ProtoTCP, 10250, firewall.Inbound); r == nil || !r.From.ClusterENIs || r.To.Role != netplan.RoleRemoteNode || !r.Required {
		t.Errorf("kubelet rule: %+v", r)
	}
	if r := find(firewall.ProtoTCP, 10250, firewall.Outbound); r != nil {
		t.Errorf("the guide's outbound 10250 rule is present: %+v", r)
	}
	for _, r := range rs {
		if r.Ports == firewall.Port(6443) || r.Ports == firewall.Port(15004) || r.Ports == firewall.Port(9099) {
			t.Errorf("rule on a port the guide got wrong: %+v", r)
		}
	}
	if r := find(firewall.ProtoUDP, 8472, firewall.Internal); r == nil {
		t.Errorf("no Cilium VXLAN rule")
	}
	// Merged: the kubelet rule comes from two profiles.
	if r := find(firewall.ProtoTCP, 10250, firewall.Inbound); r.Profile != "eks-hybrid; node-host" {
		t.Errorf("merged profiles = %q", r.Profile)
	}
	if fs := firewall.LintRules(rs); len(fs) != 0 {
		t.Errorf("LintRules(reference) = %v", fs)
	}
}

func TestMergeIsOrderIndependent(t *testing.T) {
	plan := referencePlan()
	o := referenceOptions()
	a := firewall.Merge(firewall.CoreProfile(plan, o), firewall.NodeHostProfile(), firewall.CiliumProfile(o))
	b := firewall.Merge(firewall.CiliumProfile(o), firewall.NodeHostProfile(), firewall.CoreProfile(plan, o))
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) == string(jb) {
		return
	}
	// Joined purposes may list profiles in input order; the rules, their
	// order and everything else must match.
	if len(a) != len(b) {
		t.Fatalf("lengths differ: %d %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Protocol != b[i].Protocol || a[i].Ports != b[i].Ports || a[i].Direction != b[i].Direction || a[i].From != b[i].From || a[i].To != b[i].To || a[i].Required != b[i].Required {
			t.Errorf("rule %d differs: %+v / %+v", i, a[i], b[i])
		}
	}
}

// TestNFTablesAccepted runs every nftables rendering through nft -c.
func TestNFTablesAccepted(t *testing.T) {
	nft := testkit.Tool(t, "nft", "nftables")
	for _, tc := range renderings(t) {
		b, err := firewall.RenderNFTables(tc.plan, tc.rules, firewall.PeerRole(netplan.RoleRemoteNode))
		if err != nil {
			t.Fatal(err)
		}
		if res := testkit.Run(t, "", nft, "-c", "-f", testkit.WriteFile(t, "rules.nft", b)); res.Err != nil {
			t.Errorf("%s: nft -c: %v\n%s\n%s", tc.name, res.Err, res.Stderr, b)
		}
	}
}

// TestIPTablesAccepted runs every iptables rendering through
// iptables-restore --test.
func TestIPTablesAccepted(t *testing.T) {
	ipt := testkit.Tool(t, "iptables-restore", "iptables")
	for _, tc := range renderings(t) {
		b, err := firewall.RenderIPTables(tc.plan, tc.rules, firewall.PeerRole(netplan.RoleRemoteNode))
		if err != nil {
			t.Fatal(err)
		}
		if res := testkit.Run(t, "", ipt, "--test", testkit.WriteFile(t, "rules.ipt", b)); res.Err != nil {
			t.Errorf("%s: iptables-restore --test: %v\n%s\n%s", tc.name, res.Err, res.Stderr, b)
		}
	}
}

type rendering struct {
	name  string
	plan  netplan.Plan
	rules firewall.RuleSet
}

func renderings(t *testing.T) []rendering {
	plan := referencePlan()
	calico := referencePlan()
	calico.CNI = netplan.CNICalico
	o := referenceOptions()
	calicoRules, err := firewall.Profiles(calico, firewall.ProfileOptions{Region: "us-east-1", Credentials: firewall.CredentialsIAMRolesAnywhere, CalicoEncapsulation: "ipip", CalicoBGP: true, CalicoTypha: true, Istio: true, NFS: &firewall.NFSShare{Server: addr("192.168.1.100"), Version: 3}})
	if err != nil {
		t.Fatal(err)
	}
	o.CiliumWireGuard = true
	hostile := firewall.RuleSet{{Protocol: firewall.ProtoTCP, Ports: firewall.Port(9000), Direction: firewall.Inbound, From: firewall.PeerClusterENIs(), To: firewall.PeerRole(netplan.RoleRemoteNode),
		Purpose: strings.Repeat("a very long purpose; ", 20) + "with } braces ' and ; semicolons # hash", Required: true}}
	return []rendering{
		{"reference", plan, referenceRules(t)},
		{"calico ipip bgp typha istio nfs3", calico, calicoRules},
		{"hostile comment", plan, hostile},
	}
}

func TestSecurityGroupRefusesHybridSecurityGroups(t *testing.T) {
	plan := referencePlan()
	// The guide: source sg-hybrid-nodes for traffic from on-prem nodes.
	guide := firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(15001), Direction: firewall.Outbound,
		From: firewall.PeerSecurityGroup("sg-hybrid-nodes"), To: firewall.PeerClusterENIs(), Purpose: "Envoy outbound", Required: true}
	errs := ivalidation.FieldErrors(ivalidation.ToError("netplan", firewall.RuleSet{guide}.ValidateAt(field.NewPath("rules"), plan)))
	if len(errs) != 1 || errs[0].Field != "rules[0]" || !strings.Contains(errs[0].Detail, "no ENIs in the VPC") {
		t.Errorf("errors = %v", errs)
	}
	// An AWS-side security group is fine.
	cloud := firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(2049), Direction: firewall.Inbound,
		From: firewall.PeerSecurityGroup("sg-0123workers"), To: firewall.PeerHost(addr("192.168.1.100")), Purpose: "NFS from EC2 workers", Required: true}
	if errs := (firewall.RuleSet{cloud}).ValidateAt(nil, plan); len(errs) != 0 {
		t.Errorf("AWS-side security group refused: %v", errs)
	}
}

func TestRuleValidation(t *testing.T) {
	plan := referencePlan()
	base := firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(443), Direction: firewall.Outbound, From: firewall.PeerRole(netplan.RoleRemoteNode), To: firewall.PeerClusterENIs(), Purpose: "x", Required: true}
	echo := uint8(8)
	tests := []struct {
		name string
		mut  func(*firewall.Rule)
		path string
		typ  field.ErrorType
	}{
		{"no protocol", func(r *firewall.Rule) { r.Protocol = 0 }, "rules[0].protocol", field.ErrorTypeRequired},
		{"port 0", func(r *firewall.Rule) { r.Ports = firewall.Ports(0, 10) }, "rules[0].ports.first", field.ErrorTypeInvalid},
		{"reversed", func(r *firewall.Rule) { r.Ports = firewall.Ports(32767, 30000) }, "rules[0].ports", field.ErrorTypeInvalid},
		{"ports on icmp", func(r *firewall.Rule) { r.Protocol = firewall.ProtoICMP }, "rules[0].ports", field.ErrorTypeInvalid},
		{"icmp type on tcp", func(r *firewall.Rule) { r.ICMPType = &echo }, "rules[0].icmpType", field.ErrorTypeForbidden},
		{"direction", func(r *firewall.Rule) { r.Direction = "both" }, "rules[0].direction", field.ErrorTypeNotSupported},
		{"unknown network", func(r *firewall.Rule) { r.To = firewall.PeerNetwork("dmz") }, "rules[0].to", field.ErrorTypeNotFound},
		{"two kinds", func(r *firewall.Rule) { r.From.Network = "site" }, "rules[0].from", field.ErrorTypeInvalid},
		{"empty peer", func(r *firewall.Rule) { r.From = firewall.Peer{} }, "rules[0].from", field.ErrorTypeInvalid},
		{"host bits", func(r *firewall.Rule) { r.To = firewall.PeerPrefix(pfx("10.0.1.7/24")) }, "rules[0].to.prefix", field.ErrorTypeInvalid},
		{"no purpose", func(r *firewall.Rule) { r.Purpose = "" }, "rules[0].purpose", field.ErrorTypeRequired},
		{"purpose with newline", func(r *firewall.Rule) { r.Purpose = "a\nb" }, "rules[0].purpose", field.ErrorTypeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.mut(&r)
			errs := firewall.RuleSet{r}.ValidateAt(field.NewPath("rules"), plan)
			if len(errs) != 1 || errs[0].Field != tt.path || errs[0].Type != tt.typ {
				t.Fatalf("errors = %v, want one %s at %s", errs, tt.typ, tt.path)
			}
		})
	}
}

func TestProfileOptionsValidation(t *testing.T) {
	_, err := firewall.Profiles(referencePlan(), firewall.ProfileOptions{Region: "Seoul", Credentials: "password", WebhookPorts: []uint16{0}, CalicoEncapsulation: "gre",
		NFS: &firewall.NFSShare{Server: addr("fd00::1"), Version: 2}, Resolver: &firewall.ResolverFlows{}})
	var got []string
	for _, e := range ivalidation.FieldErrors(err) {
		got = append(got, e.Field)
	}
	want := []string{"region", "credentials", "webhookPorts[0]", "calicoEncapsulation", "nfs.server", "nfs.version", "resolver.onPremDns"}
	if !slices.Equal(got, want) {
		t.Errorf("paths = %v, want %v", got, want)
	}
}

func TestLintRules(t *testing.T) {
	node, cluster := firewall.PeerRole(netplan.RoleRemoteNode), firewall.PeerClusterENIs()
	pod := firewall.PeerRole(netplan.RoleRemotePod)
	tests := []struct {
		name string
		rule firewall.Rule
		code advice.Code
	}{
		{"guide's 10250 direction", firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(10250), Direction: firewall.Outbound, From: node, To: cluster, Purpose: "kubelet"}, firewall.CodeKubeletDirection},
		{"6443", firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(6443), Direction: firewall.Outbound, From: node, To: cluster, Purpose: "api"}, firewall.CodeAPIPort6443},
		{"mixer", firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(15004), Direction: firewall.Internal, From: pod, To: pod, Purpose: "mixer"}, firewall.CodeIstioMixer},
		{"sidecar outbound redirect 15001", firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(15001), Direction: firewall.Internal, From: pod, To: pod, Purpose: "envoy"}, firewall.CodeIstioInPod},
		{"sidecar inbound redirect 15006", firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(15006), Direction: firewall.Internal, From: pod, To: pod, Purpose: "envoy"}, firewall.CodeIstioInPod},
		{"felix 9099", firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(9099), Direction: firewall.Internal, From: node, To: node, Purpose: "metrics"}, firewall.CodeCalicoFelixPort},
		{"guide's sg-hybrid-nodes", firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(443), Direction: firewall.Outbound, From: firewall.PeerSecurityGroup("sg-0123456789abcdef0"), To: cluster, Purpose: "api"}, firewall.CodeOnPremSecurityGroup},
	}
	for _, tt := range tests {
		fs := firewall.LintRules(firewall.RuleSet{tt.rule})
		if len(fs) != 1 || fs[0].Code != tt.code || fs[0].Field != "rules[0]" || !strings.HasPrefix(fs[0].Ref, "https://") {
			t.Errorf("%s: %v", tt.name, fs)
		}
	}
}

// TestLintRulesOtherSide: the rules next to the linted ones pass.
func TestLintRulesOtherSide(t *testing.T) {
	node, cluster := firewall.PeerRole(netplan.RoleRemoteNode), firewall.PeerClusterENIs()
	pod := firewall.PeerRole(netplan.RoleRemotePod)
	outbound := firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(10250), Direction: firewall.Outbound, From: node, To: cluster, Purpose: "kubelet"}
	tests := []struct {
		name string
		rs   firewall.RuleSet
	}{
		{"10250 outbound beside 10250 inbound", firewall.RuleSet{outbound, {Protocol: firewall.ProtoTCP, Ports: firewall.Port(10250), Direction: firewall.Inbound, From: cluster, To: node, Purpose: "kubelet"}}},
		{"10250 outbound beside an inbound range holding it", firewall.RuleSet{outbound, {Protocol: firewall.ProtoTCP, Ports: firewall.Ports(10000, 11000), Direction: firewall.Inbound, From: cluster, To: node, Purpose: "kubelet"}}},
		{"10250 outbound beside an inbound rule for every port", firewall.RuleSet{outbound, {Protocol: firewall.ProtoTCP, Direction: firewall.Inbound, From: cluster, To: node, Purpose: "all"}}},
		{"15008 HBONE", firewall.RuleSet{{Protocol: firewall.ProtoTCP, Ports: firewall.Port(15008), Direction: firewall.Internal, From: pod, To: pod, Purpose: "hbone"}}},
		{"15002", firewall.RuleSet{{Protocol: firewall.ProtoTCP, Ports: firewall.Port(15002), Direction: firewall.Internal, From: pod, To: pod, Purpose: "x"}}},
		{"15000-15010 range", firewall.RuleSet{{Protocol: firewall.ProtoTCP, Ports: firewall.Ports(15000, 15010), Direction: firewall.Internal, From: pod, To: pod, Purpose: "x"}}},
		{"UDP 15001", firewall.RuleSet{{Protocol: firewall.ProtoUDP, Ports: firewall.Port(15001), Direction: firewall.Internal, From: pod, To: pod, Purpose: "x"}}},
	}
	for _, tt := range tests {
		if fs := firewall.LintRules(tt.rs); len(fs) != 0 {
			t.Errorf("%s: %v", tt.name, fs)
		}
	}
	// 10250 inbound only below or above the range does not count.
	rs := firewall.RuleSet{outbound, {Protocol: firewall.ProtoTCP, Ports: firewall.Ports(10251, 11000), Direction: firewall.Inbound, From: cluster, To: node, Purpose: "x"}}
	if fs := firewall.LintRules(rs); len(fs) != 1 || fs[0].Code != firewall.CodeKubeletDirection {
		t.Errorf("range above 10250: %v", fs)
	}
	rs[1].Ports = firewall.Ports(10000, 10249)
	if fs := firewall.LintRules(rs); len(fs) != 1 || fs[0].Code != firewall.CodeKubeletDirection {
		t.Errorf("range below 10250: %v", fs)
	}
}

// TestSecurityGroupRefusesOnPremGroups: the security-group renderer itself
// refuses the guide's rules whose on-premises end is a security group.
func TestSecurityGroupRefusesOnPremGroups(t *testing.T) {
	rule := firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(10250), Direction: firewall.Inbound,
		From: firewall.PeerClusterENIs(), To: firewall.PeerSecurityGroup("sg-0123456789abcdef0"), Purpose: "kubelet"}
	_, err := firewall.SecurityGroup(referencePlan(), firewall.RuleSet{rule}, firewall.PeerClusterENIs())
	if err == nil || !strings.Contains(err.Error(), string(firewall.CodeOnPremSecurityGroup)) {
		t.Errorf("SecurityGroup = %v, want a refusal naming %s", err, firewall.CodeOnPremSecurityGroup)
	}
	// A security group on the AWS side is fine.
	rule.From, rule.To = firewall.PeerSecurityGroup("sg-0123456789abcdef0"), firewall.PeerRole(netplan.RoleRemoteNode)
	sg, err := firewall.SecurityGroup(referencePlan(), firewall.RuleSet{rule}, firewall.PeerRole(netplan.RoleRemoteNode))
	if err != nil || len(sg.Ingress) != 1 || sg.Ingress[0].UserIDGroupPairs[0].GroupID != "sg-0123456789abcdef0" {
		t.Errorf("an AWS-side group: %+v %v", sg, err)
	}
}

func TestProtocolText(t *testing.T) {
	for _, p := range []firewall.Protocol{firewall.ProtoTCP, firewall.ProtoUDP, firewall.ProtoICMP, firewall.ProtoIPIP, firewall.ProtoESP, 132} {
		b, _ := p.MarshalText()
		var back firewall.Protocol
		if err := back.UnmarshalText(b); err != nil || back != p {
			t.Errorf("%v round trip = %v %v", p, back, err)
		}
	}
	var p firewall.Protocol
	for _, bad := range []string{"0", "256", "sctp?", ""} {
		if err := p.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) accepted", bad)
		}
	}
}

// FuzzRenderNFTComment: no purpose can break out of its comment or add a
// rule; nft itself is the judge in TestNFTablesAccepted, this checks shape.
func FuzzRenderNFTComment(f *testing.F) {
	f.Add("kubelet")
	f.Add("a\" accept; tcp dport 22 accept comment \"")
	f.Add(strings.Repeat("é", 200))
	render := func(t *testing.T, purpose string) []byte {
		r := firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(10250), Direction: firewall.Inbound, From: firewall.PeerClusterENIs(), To: firewall.PeerRole(netplan.RoleRemoteNode), Purpose: purpose, Required: true}
		b, err := firewall.RenderNFTables(referencePlan(), firewall.RuleSet{r}, firewall.PeerRole(netplan.RoleRemoteNode))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f.Fuzz(func(t *testing.T, purpose string) {
		b := render(t, purpose)
		want := len(strings.Split(string(render(t, "x")), "\n"))
		lines := strings.Split(string(b), "\n")
		n := 0
		for _, l := range lines {
			if strings.Contains(l, "dport") {
				n++
				if strings.Count(l, `"`) != 2 || !strings.HasSuffix(l, `"`) {
					t.Fatalf("comment escaped its quotes: %q", l)
				}
			}
		}
		if n != 1 || len(lines) != want {
			t.Fatalf("purpose %q changed the ruleset's shape:\n%s", purpose, b)
		}
	})
}

func ExampleProfiles() {
	rs, err := firewall.Profiles(referencePlan(), firewall.ProfileOptions{Region: "ap-northeast-2", Credentials: firewall.CredentialsSSM})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rs {
		if r.Required && r.Direction == firewall.Inbound {
			fmt.Println(r.Direction, r.Protocol, r.Ports, r.From, "->", r.To, ":", r.Purpose)
		}
	}
	// Output:
	// inbound tcp 10250 EKS cluster ENIs -> remote-node networks : EKS control plane to the kubelet (logs, exec, port-forward)
}

func ExampleSecurityGroup() {
	plan := referencePlan()
	rs, _ := firewall.Profiles(plan, firewall.ProfileOptions{Region: "ap-northeast-2", Credentials: firewall.CredentialsSSM})
	sg, err := firewall.SecurityGroup(plan, rs, firewall.PeerClusterENIs())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range sg.Ingress {
		fmt.Println("ingress", p.IPProtocol, *p.FromPort, p.IPRanges[0].CIDRIP)
	}
	for _, p := range sg.Egress {
		fmt.Println("egress", p.IPProtocol, *p.FromPort, *p.ToPort, p.IPRanges[0].CIDRIP)
	}
	// Output:
	// ingress tcp 443 192.168.10.0/24
	// ingress tcp 443 10.244.0.0/16
	// egress tcp 443 443 10.244.0.0/16
	// egress tcp 8443 8443 10.244.0.0/16
	// egress tcp 9443 9443 10.244.0.0/16
	// egress tcp 10250 10250 192.168.10.0/24
}

func TestRuleSetAllows(t *testing.T) {
	rs := referenceRules(t)
	nodes, eni := firewall.PeerRole(netplan.RoleRemoteNode), firewall.PeerClusterENIs()
	for _, tc := range []struct {
		name  string
		proto firewall.Protocol
		ports firewall.PortRange
		from  firewall.Peer
		want  bool
	}{
		{"kubelet from the cluster", firewall.ProtoTCP, firewall.Port(10250), eni, true},
		{"kubelet from any source", firewall.ProtoTCP, firewall.Port(10250), firewall.Peer{}, true},
		{"kubelet from the pods", firewall.ProtoTCP, firewall.Port(10250), firewall.PeerRole(netplan.RoleRemotePod), false},
		{"kubelet over UDP", firewall.ProtoUDP, firewall.Port(10250), eni, false},
		{"a port in no rule", firewall.ProtoTCP, firewall.Port(12345), firewall.Peer{}, false},
	} {
		if got := rs.Allows(tc.proto, tc.ports, tc.from, nodes); got != tc.want {
			t.Errorf("%s: Allows = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// FuzzProtocolText: UnmarshalText accepts exactly what MarshalText writes
// back to the same protocol.
func FuzzProtocolText(f *testing.F) {
	for _, s := range []string{"tcp", "UDP", "icmp", "4", "255", "0", "sctp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var p firewall.Protocol
		if p.UnmarshalText([]byte(s)) != nil {
			return
		}
		out, _ := p.MarshalText()
		var back firewall.Protocol
		if err := back.UnmarshalText(out); err != nil || back != p {
			t.Fatalf("%q → %d → %q → %d (%v)", s, p, out, back, err)
		}
	})
}

// FuzzRenderTables puts a fuzzed purpose, ports and sources into one rule
// and renders it as iptables-restore input, Markdown and CSV: every output
// keeps its shape — one iptables line per source with one quoted comment,
// one Markdown row of eight cells, and a CSV that reads back as the rows
// it was written from.
func FuzzRenderTables(f *testing.F) {
	f.Add("kubelet", uint16(10250), uint16(10250), uint8(6))
	f.Add("a\" -j ACCEPT\n-A INPUT -j ACCEPT #", uint16(1), uint16(65535), uint8(17))
	f.Add("cell | pipe\nrow", uint16(53), uint16(53), uint8(1))
	f.Add("é,\"quoted\"\r\n", uint16(30000), uint16(32767), uint8(4))
	f.Fuzz(func(t *testing.T, purpose string, first, last uint16, proto uint8) {
		r := firewall.Rule{Protocol: firewall.Protocol(proto), Direction: firewall.Inbound, From: firewall.PeerClusterENIs(), To: firewall.PeerRole(netplan.RoleRemoteNode), Purpose: purpose, Required: true}
		if r.Protocol.HasPorts() {
			r.Ports = firewall.Ports(first, last)
		}
		plan := referencePlan()
		if len(r.ValidateAt(nil, plan)) > 0 {
			return // the renderers take validated rules
		}
		ipt, err := firewall.RenderIPTables(plan, firewall.RuleSet{r}, firewall.PeerRole(netplan.RoleRemoteNode))
		if err != nil {
			t.Fatal(err)
		}
		sources := len(plan.ClusterENIPrefixes())
		for _, l := range strings.Split(strings.TrimSpace(string(ipt)), "\n") {
			if strings.HasPrefix(l, "-A INPUT -s ") {
				sources--
				if strings.Count(l, `"`) != 2 || !strings.HasSuffix(l, `" -j ACCEPT`) {
					t.Fatalf("comment escaped its quotes: %q", l)
				}
			}
		}
		if sources != 0 {
			t.Fatalf("purpose %q changed the iptables rules:\n%s", purpose, ipt)
		}
		md := strings.Split(strings.TrimSpace(string(firewall.RenderMarkdown(firewall.RuleSet{r}))), "\n")
		if len(md) != 3 {
			t.Fatalf("Markdown has %d lines:\n%s", len(md), strings.Join(md, "\n"))
		}
		if cells := strings.Count(strings.ReplaceAll(md[2], `\|`, ""), "|"); cells != 9 {
			t.Fatalf("Markdown row has %d separators: %q", cells, md[2])
		}
		c, err := firewall.RenderCSV(firewall.RuleSet{r})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(c)).ReadAll()
		if err != nil || len(rows) != 2 || len(rows[1]) != 8 || rows[1][5] != strings.ReplaceAll(purpose, "\r\n", "\n") {
			t.Fatalf("CSV reads back as %q (%v)", rows, err)
		}
	})
}

// TestNFSAndStubDomainClients: an NFS mount comes from the node's address
// (the VPC for cloud nodes, the remote node network for hybrid nodes),
// never from a pod network; CoreDNS forwards the on-premises zones from
// the VPC and, with replicas on hybrid nodes, the remote pod network.
func TestNFSAndStubDomainClients(t *testing.T) {
	server := addr("192.168.1.100")
	rs := firewall.NFSProfile(referencePlan(), firewall.NFSShare{Server: server})
	for _, tc := range []struct {
		from firewall.Peer
		want bool
	}{
		{firewall.PeerRole(netplan.RoleVPC), true},
		{firewall.PeerRole(netplan.RoleRemoteNode), true},
		{firewall.PeerRole(netplan.RoleRemotePod), false},
	} {
		if got := rs.Allows(firewall.ProtoTCP, firewall.Port(2049), tc.from, firewall.PeerHost(server)); got != tc.want {
			t.Errorf("NFS from %s allowed: %v, want %v", tc.from, got, tc.want)
		}
	}
	dns := addr("192.168.1.53")
	for _, hybrid := range []bool{false, true} {
		rs := firewall.StubDomainProfile([]netip.Addr{dns}, hybrid)
		for _, proto := range []firewall.Protocol{firewall.ProtoTCP, firewall.ProtoUDP} {
			if !rs.Allows(proto, firewall.Port(53), firewall.PeerRole(netplan.RoleVPC), firewall.PeerHost(dns)) {
				t.Errorf("no %s 53 from the VPC to the site DNS", proto)
			}
			if got := rs.Allows(proto, firewall.Port(53), firewall.PeerRole(netplan.RoleRemotePod), firewall.PeerHost(dns)); got != hybrid {
				t.Errorf("%s 53 from hybrid pods: %v, want %v", proto, got, hybrid)
			}
		}
	}
}

// FuzzSecurityGroupScript puts a fuzzed purpose and title into the
// security-group script: whatever the builder accepts, bash runs it and the
// AWS CLI receives one rule, every value exactly as given.
func FuzzSecurityGroupScript(f *testing.F) {
	f.Add("kubelet from the control plane", "Cluster security group rules")
	f.Add("it's; rm -rf / #", "title\nwith lines\x00")
	f.Add("$HOME ${PATH} \\", "-")
	f.Fuzz(func(t *testing.T, purpose, title string) {
		rule := firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(10250), Direction: firewall.Inbound, From: firewall.PeerClusterENIs(), To: firewall.PeerRole(netplan.RoleRemoteNode), Purpose: purpose, Required: true}
		if len(rule.ValidateAt(nil, referencePlan())) > 0 {
			return
		}
		sg, err := firewall.SecurityGroup(referencePlan(), firewall.RuleSet{rule}, firewall.PeerRole(netplan.RoleRemoteNode))
		if err != nil {
			t.Fatal(err)
		}
		script, err := firewall.SecurityGroupScript(title, sg, firewall.SGTarget{GroupID: "sg-0123456789abcdef0", Region: "ap-northeast-2"})
		if err != nil {
			t.Fatal(err)
		}
		calls := testkit.RecordCommands(t, script, "aws", nil)
		if len(calls) != 1 {
			t.Fatalf("%d AWS calls, want 1: %q", len(calls), calls)
		}
		var perms []firewall.IPPermission
		if err := json.Unmarshal([]byte(testkit.FlagValue(t, calls[0], "--ip-permissions")), &perms); err != nil || len(perms) != 1 {
			t.Fatalf("--ip-permissions: %v", err)
		}
	})
}
