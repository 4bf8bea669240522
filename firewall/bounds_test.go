package firewall_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/netplan"
)

// TestRuleBounds: the accepted side of each rule's bounds, and the
// refused side where TestRuleValidation does not already hold it.
func TestRuleBounds(t *testing.T) {
	plan := referencePlan()
	base := firewall.Rule{Protocol: firewall.ProtoTCP, Ports: firewall.Port(443), Direction: firewall.Outbound,
		From: firewall.PeerRole(netplan.RoleRemoteNode), To: firewall.PeerClusterENIs(), Purpose: "x", Required: true}
	echo := uint8(8)
	for _, tc := range []struct {
		name string
		mut  func(*firewall.Rule)
		path string // "" when valid
	}{
		{"port 1", func(r *firewall.Rule) { r.Ports = firewall.Port(1) }, ""},
		{"port 65535", func(r *firewall.Rule) { r.Ports = firewall.Port(65535) }, ""},
		{"range of one", func(r *firewall.Rule) { r.Ports = firewall.Ports(30000, 30000) }, ""},
		{"range reversed by one", func(r *firewall.Rule) { r.Ports = firewall.Ports(30001, 30000) }, "rules[0].ports"},
		{"every port", func(r *firewall.Rule) { r.Ports = firewall.PortRange{} }, ""},
		{"icmp without ports", func(r *firewall.Rule) { r.Protocol, r.Ports = firewall.ProtoICMP, firewall.PortRange{} }, ""},
		{"icmp type on icmp", func(r *firewall.Rule) {
			r.Protocol, r.Ports, r.ICMPType = firewall.ProtoICMP, firewall.PortRange{}, &echo
		}, ""},
		{"udp ports", func(r *firewall.Rule) { r.Protocol = firewall.ProtoUDP }, ""},
		{"inbound", func(r *firewall.Rule) { r.Direction, r.From, r.To = firewall.Inbound, r.To, r.From }, ""},
		{"internal", func(r *firewall.Rule) {
			r.Direction, r.To = firewall.Internal, firewall.PeerRole(netplan.RoleRemotePod)
		}, ""},
		{"a security group in the VPC", func(r *firewall.Rule) { r.To = firewall.PeerSecurityGroup("sg-0123456789abcdef0") }, ""},
		{"a security group on the hybrid side", func(r *firewall.Rule) { r.From = firewall.PeerSecurityGroup("sg-0123456789abcdef0") }, "rules[0]"},
		{"a prefix", func(r *firewall.Rule) { r.To = firewall.PeerPrefix(pfx("10.0.1.0/24")) }, ""},
		{"a host", func(r *firewall.Rule) { r.To = firewall.PeerHost(addr("10.0.1.10")) }, ""},
		{"an endpoint", func(r *firewall.Rule) { r.To = firewall.PeerEndpoint("sts.ap-northeast-2.amazonaws.com") }, ""},
		{"an endpoint with a newline", func(r *firewall.Rule) { r.To = firewall.PeerEndpoint("a\nb") }, "rules[0].to.host"},
		{"a role not in the plan's list", func(r *firewall.Rule) { r.To = firewall.PeerRole("dmz") }, "rules[0].to.role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			tc.mut(&r)
			errs := firewall.RuleSet{r}.ValidateAt(field.NewPath("rules"), plan)
			switch {
			case tc.path == "" && len(errs) != 0:
				t.Fatalf("errors = %v, want none", errs)
			case tc.path != "" && (len(errs) == 0 || errs[0].Field != tc.path):
				t.Fatalf("errors = %v, want the first at %s", errs, tc.path)
			}
		})
	}
}

func TestProtocolNumberBounds(t *testing.T) {
	for s, want := range map[string]firewall.Protocol{"1": 1, "255": 255, "TCP": firewall.ProtoTCP} {
		var p firewall.Protocol
		if err := p.UnmarshalText([]byte(s)); err != nil || p != want {
			t.Errorf("UnmarshalText(%q) = %v, %v", s, p, err)
		}
	}
	p := firewall.ProtoUDP
	if err := p.UnmarshalText([]byte("-1")); err == nil || p != firewall.ProtoUDP {
		t.Errorf("UnmarshalText(-1) = %v, %v; want an error and p unchanged", p, err)
	}
}

// TestAllowsPortBounds: a rule's range covers a request exactly to its
// ends and not a port beyond.
func TestAllowsPortBounds(t *testing.T) {
	to := firewall.PeerRole(netplan.RoleRemoteNode)
	rs := firewall.RuleSet{{Protocol: firewall.ProtoTCP, Ports: firewall.Ports(30000, 32767), Direction: firewall.Inbound,
		From: firewall.PeerClusterENIs(), To: to, Purpose: "node ports"}}
	for _, tc := range []struct {
		ports firewall.PortRange
		want  bool
	}{
		{firewall.Ports(30000, 32767), true},
		{firewall.Port(30000), true},
		{firewall.Port(32767), true},
		{firewall.Ports(29999, 32767), false},
		{firewall.Ports(30000, 32768), false},
		{firewall.Port(29999), false},
	} {
		if got := rs.Allows(firewall.ProtoTCP, tc.ports, firewall.PeerClusterENIs(), to); got != tc.want {
			t.Errorf("Allows(%s) = %t, want %t", tc.ports, got, tc.want)
		}
	}
}
