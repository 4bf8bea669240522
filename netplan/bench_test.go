package netplan_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/hybridkit/hybridkit/netplan"
)

// subnetPlan has n /24 subnets in /16 VPC blocks of 256 each, and the
// remote networks.
func subnetPlan(n int) netplan.Plan {
	p := netplan.Plan{Networks: []netplan.Network{
		{Name: "remote-nodes", Role: netplan.RoleRemoteNode, Prefix: netip.MustParsePrefix("192.168.0.0/16")},
		{Name: "remote-pods", Role: netplan.RoleRemotePod, Prefix: netip.MustParsePrefix("172.16.0.0/12")},
	}}
	for v := range (n + 255) / 256 {
		p.Networks = append(p.Networks, netplan.Network{Name: fmt.Sprintf("vpc-%d", v), Role: netplan.RoleVPC,
			Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(v), 0, 0}), 16)})
	}
	for i := range n {
		p.Networks = append(p.Networks, netplan.Network{Name: fmt.Sprintf("subnet-%d", i), Role: netplan.RoleSubnet, AZ: "ap-northeast-2a",
			Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i / 256), byte(i % 256), 0}), 24)})
	}
	return p
}

// BenchmarkValidateSubnets validates plans of 1,000, 2,000 and 4,000
// subnets: ns/subnet stays flat when the cost is linear (the target is
// under 10 ms at 4,000).
func BenchmarkValidateSubnets(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000} {
		p := subnetPlan(n)
		if err := p.Validate(); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = p.Validate()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/subnet")
		})
	}
}

// BenchmarkOverlapErrors validates plans whose remote pod network covers
// the VPC and its 1,000, 2,000 and 4,000 subnets: the errors name the VPC
// once, and ns/subnet stays flat.
func BenchmarkOverlapErrors(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000} {
		p := subnetPlan(n)
		p.Networks[1].Prefix = netip.MustParsePrefix("10.0.0.0/8") // the pod network over every VPC
		if err := p.Validate(); err == nil {
			b.Fatal("the overlap was accepted")
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = p.Validate()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/subnet")
		})
	}
}
