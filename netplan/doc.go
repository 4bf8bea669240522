// Package netplan plans the addresses between an EKS cluster's VPC and its
// hybrid nodes: the address plan and its rules, overlap detection that
// names the overlapping inputs, an allocator; and the AWS side of the path
// — the cluster's remote networks, VPC routes, BGP announcements and the
// Transit Gateway, Direct Connect or VPN resources. The firewall rules
// built on a plan are package firewall's; the path MTU and the link
// baseline, package netpath's.
//
// # Address plan
//
// A Plan is a list of named networks with roles (VPC, subnet, remote node,
// remote pod, service, on-premises, reserved). Validate applies the EKS
// Hybrid Nodes rules and reports every overlap that breaks routing, each
// naming both networks; Lint reports what is legal but risky (CGNAT remote
// networks, 172.17.0.0/16, CNI default pools colliding with the site, pod
// networks too small for the nodes).
//
//	plan := netplan.Plan{Networks: []netplan.Network{
//		{Name: "vpc", Role: netplan.RoleVPC, Prefix: netip.MustParsePrefix("10.0.0.0/16")},
//		…
//	}}
//	if err := plan.Validate(); err != nil { … }
//
// OverlappingPairs finds every overlapping pair in O(n log n + k);
// Allocate carves named blocks largest-first without the gaps Terraform's
// cidrsubnets leaves.
//
// # AWS side
//
// Plan.RemoteNetworkConfig is the cluster's remoteNetworkConfig (one item
// per list, as the EKS API allows) and ClusterNetworkScript the
// update-cluster-config call that sets it. PlanRouting derives, from a plan
// and a Connectivity (Transit Gateway over Direct Connect or Site-to-Site
// VPN), the VPC routes, the prefixes each side must announce and the BGP
// ASNs, and refuses existing routes that would win longest-prefix match;
// ConnectivityScript writes the AWS CLI commands that build it all.
package netplan
