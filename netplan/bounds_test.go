package netplan_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netplan"
)

// TestAllocateBounds: a request may be as large as the pool and as small
// as /32; one bit either side is refused.
func TestAllocateBounds(t *testing.T) {
	pool := pfx("10.0.0.0/24")
	for _, tc := range []struct {
		bits int
		want string // "" when refused
	}{{24, "10.0.0.0/24"}, {32, "10.0.0.0/32"}, {23, ""}, {33, ""}} {
		got, err := netplan.Allocate(pool, nil, []netplan.Request{{Name: "r", Bits: tc.bits}})
		switch {
		case tc.want == "":
			if errs := ivalidation.FieldErrors(err); len(errs) != 1 || errs[0].Field != "requests[0].bits" {
				t.Errorf("/%d: %v, want one error at requests[0].bits", tc.bits, err)
			}
		case err != nil || got[0].Prefix.String() != tc.want:
			t.Errorf("/%d: %v, %v; want %s", tc.bits, got, err, tc.want)
		}
		p, ok := netplan.NextFree(pool, nil, tc.bits)
		if (tc.want != "") != ok || ok && p.String() != tc.want {
			t.Errorf("NextFree /%d = %v, %t", tc.bits, p, ok)
		}
	}
	if _, ok := netplan.NextFree(netip.Prefix{}, nil, 24); ok {
		t.Error("NextFree in the zero prefix")
	}
	if _, ok := netplan.NextFree(pfx("fd00::/64"), nil, 80); ok {
		t.Error("NextFree in an IPv6 pool")
	}
	// A pool with host bits is masked.
	if p, ok := netplan.NextFree(pfx("10.0.0.7/24"), nil, 25); !ok || p.String() != "10.0.0.0/25" {
		t.Errorf("NextFree in an unmasked pool = %v %t", p, ok)
	}
}

// TestAllocateLowestSmallestBlock: among free blocks, the smallest that
// holds the request is split, and among equals the lowest address wins.
func TestAllocateLowestSmallestBlock(t *testing.T) {
	pool := pfx("10.0.0.0/24")
	// Free after the pins: 10.0.0.0/26, 10.0.0.128/27 and 10.0.0.224/27.
	used := []netip.Prefix{pfx("10.0.0.64/26"), pfx("10.0.0.160/27"), pfx("10.0.0.192/27")}
	got, err := netplan.Allocate(pool, used, []netplan.Request{{Name: "a", Bits: 28}, {Name: "b", Bits: 27}, {Name: "c", Bits: 27}})
	if err != nil {
		t.Fatal(err)
	}
	// b and c (the /27s) go first, by name, into the two free /27s lowest
	// first; a (/28) then splits the /26 rather than nothing else left.
	want := []string{"10.0.0.0/28", "10.0.0.128/27", "10.0.0.224/27"}
	for i, a := range got {
		if a.Prefix.String() != want[i] {
			t.Errorf("%s = %s, want %s", a.Name, a.Prefix, want[i])
		}
	}
	// A /28 goes into the free /27 rather than splitting the larger /26.
	used2 := []netip.Prefix{pfx("10.0.0.64/26"), pfx("10.0.0.128/26"), pfx("10.0.0.192/27")}
	if p, ok := netplan.NextFree(pool, used2, 28); !ok || p.String() != "10.0.0.224/28" {
		t.Errorf("NextFree = %v %t, want the smallest block 10.0.0.224/28", p, ok)
	}
}

// TestExhaustedErrorFree: Free counts what is left, in every piece.
func TestExhaustedErrorFree(t *testing.T) {
	pool := pfx("10.0.0.0/24")
	// Pins leave a /26, a /27 and a /32 free: 64 + 32 + 1.
	used := []netip.Prefix{pfx("10.0.0.64/26"), pfx("10.0.0.160/27"), pfx("10.0.0.192/27"), pfx("10.0.0.224/28"),
		pfx("10.0.0.240/29"), pfx("10.0.0.248/30"), pfx("10.0.0.252/31"), pfx("10.0.0.254/32")}
	_, err := netplan.Allocate(pool, used, []netplan.Request{{Name: "big", Bits: 25}})
	var ex *netplan.ExhaustedError
	if !errors.As(err, &ex) || !errors.Is(err, netplan.ErrExhausted) {
		t.Fatalf("error %v", err)
	}
	if ex.Free != 97 || ex.Request.Name != "big" || ex.Pool != pool {
		t.Errorf("ExhaustedError = %+v, want 97 addresses free", ex)
	}
	if msg := ex.Error(); msg != `netplan: no free /25 left in 10.0.0.0/24 for "big" (97 addresses free, none in an aligned /25)` {
		t.Errorf("message %q", msg)
	}
	if errors.Is(err, errors.New("netplan: address space exhausted")) {
		t.Error("Is matches any error with the same text")
	}
}

func TestCapacityBounds(t *testing.T) {
	pod := pfx("10.244.0.0/16")
	for _, tc := range []struct {
		bits  int
		nodes uint64
	}{{16, 1}, {24, 256}, {32, 65536}, {15, 0}, {33, 0}} {
		if got := netplan.NodesSupported(pod, tc.bits); got != tc.nodes {
			t.Errorf("NodesSupported(/16, %d) = %d, want %d", tc.bits, got, tc.nodes)
		}
	}
	if got := netplan.NodesSupported(netip.Prefix{}, 24); got != 0 {
		t.Errorf("NodesSupported(zero) = %d", got)
	}
	for bits, want := range map[int]uint64{0: 1 << 32, 24: 256, 32: 1, -1: 0, 33: 0} {
		if got := netplan.AddressesPerNode(bits); got != want {
			t.Errorf("AddressesPerNode(%d) = %d, want %d", bits, got, want)
		}
	}
}

func TestPlanBounds(t *testing.T) {
	with := func(f func(*netplan.Plan)) netplan.Plan {
		p := referencePlan()
		f(&p)
		return p
	}
	perNode := func(b int) netplan.Plan { return with(func(p *netplan.Plan) { p.PerNodeBits = b }) }
	for _, tc := range []struct {
		name string
		plan netplan.Plan
		path string
		typ  field.ErrorType
	}{
		{"per-node /16", perNode(16), "", ""},
		{"per-node /30", perNode(30), "", ""},
		{"per-node /15", perNode(15), "perNodeBits", field.ErrorTypeInvalid},
		{"per-node /31", perNode(31), "perNodeBits", field.ErrorTypeInvalid},
		{"per-node default", perNode(0), "", ""},
		{"no nodes", with(func(p *netplan.Plan) { p.Nodes = 0 }), "", ""},
		{"negative nodes", with(func(p *netplan.Plan) { p.Nodes = -1 }), "nodes", field.ErrorTypeInvalid},
		{"one service", with(func(p *netplan.Plan) {}), "", ""},
		{"calico", with(func(p *netplan.Plan) { p.CNI = netplan.CNICalico }), "", ""},
		{"name of 63", with(func(p *netplan.Plan) { p.Networks[3].Name = strings.Repeat("a", 63) }), "", ""},
		{"name of 64", with(func(p *netplan.Plan) { p.Networks[3].Name = strings.Repeat("a", 64) }), "networks[3].name", field.ErrorTypeInvalid},
		{"empty name", with(func(p *netplan.Plan) { p.Networks[3].Name = "" }), "networks[3].name", field.ErrorTypeRequired},
		{"cluster ENIs on a subnet", with(func(p *netplan.Plan) { p.Networks[1].ClusterENIs = true }), "", ""},
		{"AZ ID", with(func(p *netplan.Plan) { p.Networks[1].AZ = "apne2-az1" }), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.plan.Validate()
			errs := ivalidation.FieldErrors(err)
			switch {
			case tc.path == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.path != "" && (len(errs) != 1 || errs[0].Field != tc.path || errs[0].Type != tc.typ):
				t.Fatalf("Validate() = %v\nwant one %s at %s", err, tc.typ, tc.path)
			}
		})
	}
}

// TestOverlapNamesTheVPCNotItsSubnets: a network over a VPC is reported
// once, against the VPC — not again against each subnet inside it — but a
// subnet of another VPC it overlaps is still named.
func TestOverlapNamesTheVPCNotItsSubnets(t *testing.T) {
	p := netplan.Plan{Networks: []netplan.Network{
		{Name: "vpc", Role: netplan.RoleVPC, Prefix: pfx("10.0.0.0/16")},
		{Name: "subnet-a", Role: netplan.RoleSubnet, Prefix: pfx("10.0.1.0/24"), AZ: "ap-northeast-2a"},
		{Name: "subnet-b", Role: netplan.RoleSubnet, Prefix: pfx("10.0.2.0/24"), AZ: "ap-northeast-2b"},
		{Name: "nodes", Role: netplan.RoleRemoteNode, Prefix: pfx("192.168.10.0/24")},
		{Name: "site", Role: netplan.RoleOnPrem, Prefix: pfx("10.0.0.0/8")},
	}}
	got := p.Overlaps()
	if len(got) != 1 || got[0].I != 0 || got[0].J != 4 {
		t.Errorf("Overlaps = %+v, want only vpc/site", got)
	}
	// The site the other way round: the subnet comes first in the pair.
	p.Networks[0], p.Networks[4] = p.Networks[4], p.Networks[0]
	p.Networks[0].Prefix, p.Networks[4].Prefix = pfx("10.0.0.0/8"), pfx("10.0.0.0/16")
	got = p.Overlaps()
	if len(got) != 1 || got[0].I != 0 || got[0].J != 4 {
		t.Errorf("Overlaps (site first) = %+v, want only site/vpc", got)
	}
	// A site that covers only one subnet and not the whole VPC: it still
	// overlaps the VPC, which is named; the subnet is implied.
	q := netplan.Plan{Networks: []netplan.Network{
		{Name: "vpc", Role: netplan.RoleVPC, Prefix: pfx("10.0.0.0/16")},
		{Name: "subnet-a", Role: netplan.RoleSubnet, Prefix: pfx("10.0.1.0/24"), AZ: "ap-northeast-2a"},
		{Name: "site", Role: netplan.RoleOnPrem, Prefix: pfx("10.0.1.0/25")},
	}}
	if got := q.Overlaps(); len(got) != 1 || got[0].I != 0 || got[0].J != 2 {
		t.Errorf("Overlaps (site inside a subnet) = %+v", got)
	}
	// Two subnets that overlap each other are both in the VPC: reported.
	r := netplan.Plan{Networks: []netplan.Network{
		{Name: "vpc", Role: netplan.RoleVPC, Prefix: pfx("10.0.0.0/16")},
		{Name: "subnet-a", Role: netplan.RoleSubnet, Prefix: pfx("10.0.1.0/24"), AZ: "ap-northeast-2a"},
		{Name: "subnet-b", Role: netplan.RoleSubnet, Prefix: pfx("10.0.1.0/25"), AZ: "ap-northeast-2b"},
	}}
	if got := r.Overlaps(); len(got) != 1 || got[0].I != 1 || got[0].J != 2 {
		t.Errorf("Overlaps (subnets) = %+v", got)
	}
}
