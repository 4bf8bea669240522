package testkit

import (
	"net/netip"

	"github.com/hybridkit/hybridkit/netplan"
)

// ReferencePlan is the adoption guide's address plan, for the tests of
// netplan and of the packages built on it: VPC 10.0.0.0/16 with two
// subnets for the cluster, the site 192.168.0.0/16 whose GPU servers sit in
// 192.168.10.0/24, pods 10.244.0.0/16, services 10.96.0.0/16, ten nodes
// with Cilium.
func ReferencePlan() netplan.Plan {
	p := netip.MustParsePrefix
	return netplan.Plan{
		Networks: []netplan.Network{
			{Name: "vpc", Role: netplan.RoleVPC, Prefix: p("10.0.0.0/16")},
			{Name: "subnet-a", Role: netplan.RoleSubnet, Prefix: p("10.0.1.0/24"), AZ: "ap-northeast-2a", ClusterENIs: true},
			{Name: "subnet-c", Role: netplan.RoleSubnet, Prefix: p("10.0.2.0/24"), AZ: "ap-northeast-2c", ClusterENIs: true},
			{Name: "site", Role: netplan.RoleOnPrem, Prefix: p("192.168.0.0/16")},
			{Name: "gpu-nodes", Role: netplan.RoleRemoteNode, Prefix: p("192.168.10.0/24")},
			{Name: "pods", Role: netplan.RoleRemotePod, Prefix: p("10.244.0.0/16")},
			{Name: "services", Role: netplan.RoleService, Prefix: p("10.96.0.0/16")},
		},
		CNI:   netplan.CNICilium,
		Nodes: 10,
	}
}
