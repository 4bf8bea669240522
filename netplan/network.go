package netplan

import (
	"fmt"
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Role is what a network of the plan is for.
type Role string

// Roles.
const (
	// RoleVPC is a VPC CIDR block (primary or secondary).
	RoleVPC Role = "vpc"
	// RoleSubnet is a VPC subnet; it must lie inside a RoleVPC network.
	RoleSubnet Role = "subnet"
	// RoleRemoteNode is a remote node network: where hybrid nodes' IPs are.
	RoleRemoteNode Role = "remote-node"
	// RoleRemotePod is a remote pod network: where hybrid pods' IPs are.
	RoleRemotePod Role = "remote-pod"
	// RoleService is the cluster's Kubernetes service CIDR.
	RoleService Role = "service"
	// RoleOnPrem is an existing on-premises network or host.
	RoleOnPrem Role = "on-prem"
	// RoleReserved is a range nothing in the plan may use.
	RoleReserved Role = "reserved"
)

// Roles returns every role in a fixed order.
func Roles() []Role {
	return []Role{RoleVPC, RoleSubnet, RoleRemoteNode, RoleRemotePod, RoleService, RoleOnPrem, RoleReserved}
}

// Network is one named network of a plan.
type Network struct {
	// Name is unique in the plan; rules refer to it.
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Prefix must be canonical (no host bits) and IPv4.
	Prefix netip.Prefix `json:"prefix"`
	// AZ is a subnet's Availability Zone ("ap-northeast-2a").
	AZ string `json:"az,omitempty"`
	// ClusterENIs marks a subnet that holds the EKS cluster's network
	// interfaces — the "EKS cluster IPs" of the AWS firewall tables.
	ClusterENIs bool `json:"clusterEnis,omitempty"`
}

// CNI is the cluster network plugin on the hybrid nodes.
type CNI string

// CNIs. Cilium is the one AWS supports on hybrid nodes today; Calico
// support moved to the EKS Hybrid examples repository
// (https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-cni.html).
const (
	CNICilium CNI = "cilium"
	CNICalico CNI = "calico"
)

// DefaultPerNodeBits returns the CNI's default per-node pod block: Cilium's
// cluster-pool hands each node a /24 (clusterPoolIPv4MaskSize), Calico's
// IPAM allocates /26 blocks (IPPool blockSize)
// (https://docs.cilium.io/en/stable/network/concepts/ipam/cluster-pool/,
// https://docs.tigera.io/calico/latest/reference/resources/ippool).
func (c CNI) DefaultPerNodeBits() int {
	if c == CNICalico {
		return 26
	}
	return 24
}

// defaultPool is the pod pool the CNI uses when it is not configured:
// Cilium 10.0.0.0/8, Calico 192.168.0.0/16 (the same pages).
func (c CNI) defaultPool() netip.Prefix {
	if c == CNICalico {
		return netip.MustParsePrefix("192.168.0.0/16")
	}
	return netip.MustParsePrefix("10.0.0.0/8")
}

// Plan is the address plan of a hybrid deployment: every network of the
// VPC, the remote node and pod networks, the service CIDR, what already
// exists on premises and what is reserved.
type Plan struct {
	Networks []Network `json:"networks"`
	// CNI defaults to Cilium.
	CNI CNI `json:"cni,omitempty"`
	// PerNodeBits is the prefix length of each node's pod block; default
	// CNI.DefaultPerNodeBits().
	PerNodeBits int `json:"perNodeBits,omitempty"`
	// Nodes is how many hybrid nodes the pod networks must serve; 0 skips
	// the capacity check.
	Nodes int `json:"nodes,omitempty"`
}

// Default fills CNI and PerNodeBits; it is idempotent.
func (p *Plan) Default() {
	if p.CNI == "" {
		p.CNI = CNICilium
	}
	if p.PerNodeBits == 0 {
		p.PerNodeBits = p.CNI.DefaultPerNodeBits()
	}
}

// Network returns the network named name.
func (p Plan) Network(name string) (Network, bool) {
	for _, n := range p.Networks {
		if n.Name == name {
			return n, true
		}
	}
	return Network{}, false
}

// ByRole returns the networks of role r, in plan order.
func (p Plan) ByRole(r Role) []Network {
	var out []Network
	for _, n := range p.Networks {
		if n.Role == r {
			out = append(out, n)
		}
	}
	return out
}

// Prefixes returns the prefixes of the networks of role r.
func (p Plan) Prefixes(r Role) []netip.Prefix {
	var out []netip.Prefix
	for _, n := range p.ByRole(r) {
		out = append(out, n.Prefix)
	}
	return out
}

// ClusterENIPrefixes returns the subnets that hold the cluster's ENIs; when
// no subnet is marked, every subnet (EKS may place ENIs in any subnet given
// to CreateCluster).
func (p Plan) ClusterENIPrefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, n := range p.ByRole(RoleSubnet) {
		if n.ClusterENIs {
			out = append(out, n.Prefix)
		}
	}
	if len(out) == 0 {
		return p.Prefixes(RoleSubnet)
	}
	return out
}

// Addresses returns the number of addresses in a prefix (2^(32-bits) for
// IPv4), or 0 for an invalid or IPv6 prefix.
func Addresses(pfx netip.Prefix) uint64 {
	if !pfx.IsValid() || !pfx.Addr().Is4() {
		return 0
	}
	return 1 << (32 - pfx.Bits())
}

// awsReserved is how many addresses AWS keeps in every subnet: the network
// address, the VPC router (.1), DNS (.2), one for future use (.3) and the
// broadcast address (Amazon VPC User Guide, "Subnet CIDR blocks").
const awsReserved = 5

// Usable returns how many addresses of the network can be given to hosts:
// a VPC subnet loses the 5 AWS reserves; other networks keep them all.
func (n Network) Usable() uint64 {
	a := Addresses(n.Prefix)
	if n.Role == RoleSubnet {
		if a < awsReserved {
			return 0
		}
		return a - awsReserved
	}
	return a
}

// Private-use ranges: RFC 1918 and the RFC 6598 shared address space.
func rfc1918() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"),
	}
}

// CGNAT returns 100.64.0.0/10 (RFC 6598).
func CGNAT() netip.Prefix { return netip.MustParsePrefix("100.64.0.0/10") }

// DockerBridge returns 172.17.0.0/16, which Docker's default bridge and
// some AWS services use: "To avoid future conflicts, don't use this range
// when creating your VPC" (Amazon VPC User Guide, VPC CIDR blocks).
func DockerBridge() netip.Prefix { return netip.MustParsePrefix("172.17.0.0/16") }

func within(p netip.Prefix, outer []netip.Prefix) bool {
	for _, o := range outer {
		if o.Bits() <= p.Bits() && o.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// ParsePrefix parses an IPv4 prefix strictly: canonical (no host bits), no
// leading zeros, no IPv6. The error says what to write instead.
func ParsePrefix(s string) (netip.Prefix, error) {
	if errs := validation.IsValidCIDR(nil, s); len(errs) > 0 {
		return netip.Prefix{}, fmt.Errorf("netplan: %q is not a canonical prefix: %s", s, strings.TrimPrefix(errs[0].Detail, ": "))
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("netplan: %w", err)
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("netplan: %q is IPv6; EKS Hybrid Nodes plans are IPv4", s)
	}
	return p, nil
}

// ValidatePrefix checks that p, a prefix already parsed, is a canonical
// IPv4 prefix (netip.Prefix keeps host bits, so they are checked here),
// reporting at fp: a zero prefix is Required, anything else Invalid.
func ValidatePrefix(fp *field.Path, p netip.Prefix) field.ErrorList {
	switch {
	case !p.IsValid():
		return field.ErrorList{field.Required(fp, "an IPv4 prefix such as 10.0.0.0/16")}
	case !p.Addr().Is4():
		return field.ErrorList{field.Invalid(fp, p.String(), "must be IPv4: EKS Hybrid Nodes support IPv4 clusters only")}
	case p.Masked() != p:
		return field.ErrorList{field.Invalid(fp, p.String(), fmt.Sprintf("has host bits set; the network is %s", p.Masked()))}
	}
	return nil
}

// ValidatePrefix checks p as a network of role r, reporting at fp:
// ValidatePrefix's canonical IPv4 form, then the role's rules — VPC
// blocks and subnets between /16 and /28 (Amazon VPC User Guide,
// vpc-cidr-blocks); remote node and pod networks private (RFC 1918 or
// 100.64.0.0/10) and so between /8 and /32 (EKS API reference,
// RemoteNodeNetwork, RemotePodNetwork); the service CIDR inside RFC 1918
// and between /12 and /24 (EKS API reference,
// KubernetesNetworkConfigRequest). Site and reserved ranges have no rule
// beyond the form. Overlaps with other networks are Plan.Overlaps'.
func (r Role) ValidatePrefix(fp *field.Path, p netip.Prefix) field.ErrorList {
	if errs := ValidatePrefix(fp, p); len(errs) > 0 {
		return errs
	}
	var errs field.ErrorList
	switch r {
	case RoleVPC, RoleSubnet:
		if p.Bits() < 16 || p.Bits() > 28 {
			errs = append(errs, field.Invalid(fp, p.String(), "VPC and subnet blocks must be between /16 and /28"))
		}
	case RoleRemoteNode, RoleRemotePod:
		// Every private range is at most a /8, so this also enforces the
		// /8 … /32 size rule.
		if !within(p, append(rfc1918(), CGNAT())) {
			errs = append(errs, field.Invalid(fp, p.String(), "remote node and pod networks must be private and between /8 and /32: inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10"))
		}
	case RoleService:
		if !within(p, rfc1918()) {
			errs = append(errs, field.Invalid(fp, p.String(), "the service CIDR must be inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"))
		}
		if p.Bits() < 12 || p.Bits() > 24 {
			errs = append(errs, field.Invalid(fp, p.String(), "the service CIDR must be between /12 and /24"))
		}
	}
	return errs
}
