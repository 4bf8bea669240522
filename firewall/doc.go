// Package firewall holds the traffic an EKS Hybrid Nodes deployment needs
// as rules over a netplan.Plan, and renders them for the places that
// enforce them: AWS security groups, the hybrid nodes' nftables or
// iptables, and tables for people.
//
// Profiles builds the rules a deployment needs from its plan — the AWS
// "ongoing cluster operations" table, nodeadm's host ports, Cilium or
// Calico, Istio, NFS, Route 53 Resolver, CoreDNS's stub domains — merged
// and de-duplicated in a fixed order. SecurityGroup and
// SecurityGroupScript render them for AWS (on-premises peers always as
// CIDRs), RenderNFTables and RenderIPTables for the nodes, RenderMarkdown
// and RenderCSV for people. LintRules reports the adoption guide's
// mistakes in a rule set written by hand.
//
//	rules, err := firewall.Profiles(plan, firewall.ProfileOptions{Region: "ap-northeast-2", Credentials: firewall.CredentialsSSM})
//	if err != nil { … }
//	nft, err := firewall.RenderNFTables(plan, rules, firewall.PeerRole(netplan.RoleRemoteNode))
//
// A rule's peers are a role of the plan (every network with it), a named
// network, the subnets of the cluster's network interfaces, a prefix, or
// anywhere; Peer.Resolve turns one into prefixes.
package firewall
