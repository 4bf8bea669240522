package netplan

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

var (
	// Network names end up in scripts, comments and report tables.
	nameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$`)
	// Availability Zone names (ap-northeast-2a, us-gov-west-1b, use1-az1-style IDs).
	azRE = regexp.MustCompile(`^([a-z]{2}(-[a-z]+)+-[0-9]{1,2}[a-z]|[a-z]{3,5}[0-9]-az[0-9]{1,2})$`)
)

// Validate reports every problem with the plan, with JSON paths, or nil:
// names, roles and canonical IPv4 prefixes; the EKS Hybrid Nodes rules
// (remote node and pod networks private — RFC 1918 or 100.64.0.0/10 — and
// between /8 and /32; the service CIDR RFC 1918 and between /12 and /24);
// VPC and subnet sizes between /16 and /28 with every subnet inside a VPC
// CIDR; and overlaps that break routing, each naming both networks. It
// does not change p.
//
// Sources: the Amazon EKS API reference
// (https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteNodeNetwork.html,
// API_RemotePodNetwork.html, API_KubernetesNetworkConfigRequest.html), the
// EKS User Guide
// (https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html)
// and the Amazon VPC User Guide
// (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
func (p Plan) Validate() error {
	return ivalidation.ToError("netplan", p.ValidateAt(nil))
}

// ValidateAt is Validate for a plan embedded at path fp.
func (p Plan) ValidateAt(fp *field.Path) field.ErrorList {
	p.Default()
	var errs field.ErrorList
	np := fp.Child("networks")
	names := map[string]int{}
	services := 0
	vpcs := p.Prefixes(RoleVPC) // once: a plan may hold thousands of subnets
	for i, n := range p.Networks {
		ip := np.Index(i)
		switch {
		case n.Name == "":
			errs = append(errs, field.Required(ip.Child("name"), ""))
		case !nameRE.MatchString(n.Name):
			errs = append(errs, field.Invalid(ip.Child("name"), n.Name, "must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 63 characters"))
		default:
			if j, dup := names[n.Name]; dup {
				errs = append(errs, field.Duplicate(ip.Child("name"), fmt.Sprintf("%s (also networks[%d])", n.Name, j)))
			} else {
				names[n.Name] = i
			}
		}
		pe := n.Role.ValidatePrefix(ip.Child("prefix"), n.Prefix)
		errs = append(errs, pe...)
		if n.Role != RoleSubnet {
			if n.AZ != "" {
				errs = append(errs, field.Forbidden(ip.Child("az"), "only subnets have an Availability Zone"))
			}
			if n.ClusterENIs {
				errs = append(errs, field.Forbidden(ip.Child("clusterEnis"), "only subnets hold cluster network interfaces"))
			}
		}
		switch n.Role {
		case RoleSubnet:
			switch {
			case n.AZ == "":
				errs = append(errs, field.Required(ip.Child("az"), "the subnet's Availability Zone"))
			case !azRE.MatchString(n.AZ):
				errs = append(errs, field.Invalid(ip.Child("az"), n.AZ, "must be an Availability Zone such as ap-northeast-2a"))
			}
			if len(pe) == 0 && !within(n.Prefix, vpcs) {
				errs = append(errs, field.Invalid(ip.Child("prefix"), n.Prefix.String(), "must lie inside a VPC CIDR of the plan"))
			}
		case RoleService:
			services++
			if services > 1 {
				errs = append(errs, field.TooMany(np, services, 1))
			}
		case RoleVPC, RoleRemoteNode, RoleRemotePod, RoleOnPrem, RoleReserved:
		default:
			errs = append(errs, field.NotSupported(ip.Child("role"), n.Role, Roles()))
		}
	}
	if len(p.ByRole(RoleRemoteNode)) == 0 {
		errs = append(errs, field.Required(np, "a hybrid plan needs at least one remote-node network"))
	}
	errs = append(errs, p.overlapErrors(np)...)
	switch p.CNI {
	case "", CNICilium, CNICalico:
	default:
		errs = append(errs, field.NotSupported(fp.Child("cni"), p.CNI, []CNI{CNICilium, CNICalico}))
	}
	if p.PerNodeBits != 0 && (p.PerNodeBits < 16 || p.PerNodeBits > 30) {
		errs = append(errs, field.Invalid(fp.Child("perNodeBits"), p.PerNodeBits, "a node's pod block must be between /16 and /30"))
	}
	if p.Nodes < 0 {
		errs = append(errs, field.Invalid(fp.Child("nodes"), p.Nodes, "must not be negative"))
	}
	return errs
}

// rolePair is an unordered pair of roles: the lesser first.
type rolePair [2]Role

func pairOf(a, b Role) rolePair { return rolePair{min(a, b), max(a, b)} }

// Why two overlapping networks break the plan, by the unordered pair of
// their roles; a pair not listed may overlap (nested on-premises ranges,
// the node network inside the site, a subnet inside its VPC, which is
// checked as containment) or is for Lint to judge (a pod network inside an
// existing on-premises range).
const (
	whyEKSRemote  = "EKS requires remote node and pod networks to overlap neither each other, the VPC CIDRs nor the service CIDR"
	whyVPCBlocks  = "the CIDR blocks and subnets of a VPC cannot overlap"
	whyServiceVPC = "the service CIDR must not overlap the VPC"
	whyRouting    = "the same addresses on premises and in AWS cannot both be routed"
	whyServiceOn  = "kube-proxy takes over every address in the service CIDR on every node: pods could not reach the on-premises hosts that share them"
	whyReserved   = "the range is reserved"
	whyOneService = "a cluster has one service CIDR"
)

// overlapReason returns why networks of roles a and b may not overlap,
// or "" when they may. Sources: EKS User Guide, hybrid-nodes-networking
// (remote networks), Amazon VPC User Guide (VPC CIDR blocks), EKS API
// reference KubernetesNetworkConfigRequest (service CIDR).
func overlapReason(a, b Role) string {
	switch pairOf(a, b) {
	case pairOf(RoleVPC, RoleVPC), pairOf(RoleSubnet, RoleSubnet):
		return whyVPCBlocks
	case pairOf(RoleVPC, RoleRemoteNode), pairOf(RoleVPC, RoleRemotePod),
		pairOf(RoleSubnet, RoleRemoteNode), pairOf(RoleSubnet, RoleRemotePod),
		pairOf(RoleRemoteNode, RoleRemoteNode), pairOf(RoleRemoteNode, RoleRemotePod), pairOf(RoleRemotePod, RoleRemotePod),
		pairOf(RoleRemoteNode, RoleService), pairOf(RoleRemotePod, RoleService):
		return whyEKSRemote
	case pairOf(RoleVPC, RoleService), pairOf(RoleSubnet, RoleService):
		return whyServiceVPC
	case pairOf(RoleVPC, RoleOnPrem), pairOf(RoleSubnet, RoleOnPrem):
		return whyRouting
	case pairOf(RoleService, RoleOnPrem):
		return whyServiceOn
	case pairOf(RoleService, RoleService):
		return whyOneService
	case pairOf(RoleVPC, RoleReserved), pairOf(RoleSubnet, RoleReserved), pairOf(RoleRemoteNode, RoleReserved),
		pairOf(RoleRemotePod, RoleReserved), pairOf(RoleService, RoleReserved):
		return whyReserved
	}
	return ""
}

// Overlap is a pair of the plan's networks whose overlap breaks it: the
// indexes of the two networks (I < J) and why.
type Overlap struct {
	I, J   int
	Reason string
}

// Overlaps returns the overlaps that break the plan, each pair once, in
// index order. A network overlapping a VPC CIDR is reported against the
// VPC, not again against each subnet inside it. Networks with invalid
// prefixes or roles are skipped. Validate reports each as an error at
// the second network; callers that hold the networks elsewhere (a
// blueprint) report them at their own paths.
func (p Plan) Overlaps() []Overlap {
	ps := make([]netip.Prefix, len(p.Networks))
	for i, n := range p.Networks {
		if n.Prefix.IsValid() && n.Prefix.Addr().Is4() && slices.Contains(Roles(), n.Role) {
			ps[i] = n.Prefix.Masked()
		}
	}
	pairs := OverlappingPairs(ps)
	// A network that overlaps a VPC CIDR overlaps the subnets inside it
	// too; naming the VPC is enough. vpcsOf lists, for each network, the
	// VPC blocks it overlaps, so the check costs the few VPCs, not every
	// network.
	vpcsOf := map[int][]int{}
	for _, pr := range pairs {
		for _, o := range [][2]int{{pr.I, pr.J}, {pr.J, pr.I}} {
			if p.Networks[o[1]].Role == RoleVPC {
				vpcsOf[o[0]] = append(vpcsOf[o[0]], o[1])
			}
		}
	}
	insideOverlappedVPC := func(x, subnet int) bool {
		for _, v := range vpcsOf[x] {
			if p.Networks[v].Prefix.Contains(p.Networks[subnet].Prefix.Addr()) {
				return true
			}
		}
		return false
	}
	var out []Overlap
	for _, pr := range pairs {
		a, b := p.Networks[pr.I], p.Networks[pr.J]
		why := overlapReason(a.Role, b.Role)
		if why == "" {
			continue
		}
		if a.Role == RoleSubnet && b.Role != RoleSubnet && insideOverlappedVPC(pr.J, pr.I) ||
			b.Role == RoleSubnet && a.Role != RoleSubnet && insideOverlappedVPC(pr.I, pr.J) {
			continue
		}
		out = append(out, Overlap{I: pr.I, J: pr.J, Reason: why})
	}
	return out
}

func (p Plan) overlapErrors(np *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, o := range p.Overlaps() {
		a, b := p.Networks[o.I], p.Networks[o.J]
		errs = append(errs, field.Invalid(np.Index(o.J).Child("prefix"), b.Prefix.String(),
			fmt.Sprintf("overlaps %s network %q (%s, networks[%d]): %s", a.Role, a.Name, a.Prefix, o.I, o.Reason)))
	}
	return errs
}
