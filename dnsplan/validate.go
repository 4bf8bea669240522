package dnsplan

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"go4.org/netipx"
	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// Limits of Route 53 Resolver (the API model,
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverEndpoint.html,
// and its quotas,
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html).
const (
	// MinEndpointIPs: "Route 53 requires that you create at least two"
	// (CreateResolverEndpoint IpAddresses, min 2).
	MinEndpointIPs = 2
	// EndpointIPQuota is the default quota of IP addresses per endpoint
	// (adjustable, so more is a finding, not an error).
	EndpointIPQuota = 6
	// MaxRuleTargets is the quota of target IPs per rule (not adjustable).
	MaxRuleTargets = 6
)

// Validate returns nil, or every problem with its JSON path as an
// aggregate of *field.Error. It reads the plan with its defaults (a zero
// field is its default) and never changes p.
func (p Plan) Validate() error { return ivalidation.ToError("dnsplan", p.ValidateAt(nil)) }

// ValidateAt is Validate with paths under fp.
func (p Plan) ValidateAt(fp *field.Path) field.ErrorList {
	p = p.defaulted()
	var errs field.ErrorList
	errs = append(errs, ivalidation.Region(fp.Child("region"), p.Region)...)
	errs = append(errs, ivalidation.ResourceID(fp.Child("vpcId"), p.VPCID, "vpc")...)
	if len(p.VPCCIDRs) == 0 {
		errs = append(errs, field.Required(fp.Child("vpcCidrs"), "the VPC's CIDR blocks, primary first"))
	}
	for i, c := range p.VPCCIDRs {
		if !c.IsValid() || !c.Addr().Is4() || c.Masked() != c {
			errs = append(errs, field.Invalid(fp.Child("vpcCidrs").Index(i), c.String(), "must be a canonical IPv4 prefix"))
		}
	}
	seen := map[netip.Addr]*field.Path{}
	for _, e := range []struct {
		name string
		ep   *Endpoint
	}{{"inbound", p.Inbound}, {"outbound", p.Outbound}} {
		if e.ep != nil {
			errs = append(errs, p.validateEndpoint(fp.Child(e.name), *e.ep, seen)...)
		}
	}
	errs = append(errs, p.validateRules(fp.Child("rules"))...)
	errs = append(errs, p.validateOnPrem(fp.Child("onPrem"))...)
	errs = append(errs, p.validateCluster(fp.Child("cluster"))...)
	return errs
}

func (p Plan) validateEndpoint(ep *field.Path, e Endpoint, seen map[netip.Addr]*field.Path) field.ErrorList {
	var errs field.ErrorList
	if !validResolverName(e.Name) {
		errs = append(errs, field.Invalid(ep.Child("name"), e.Name, "must be 1 to 64 letters, digits, spaces, _ and -, not only digits"))
	}
	errs = append(errs, ivalidation.ResourceID(ep.Child("securityGroupId"), e.SecurityGroupID, "sg")...)
	if len(e.IPs) < MinEndpointIPs {
		errs = append(errs, field.Invalid(ep.Child("ips"), len(e.IPs), "an endpoint needs at least 2 IP addresses (Route 53 Resolver requires two, in two subnets)"))
	}
	for i, ip := range e.IPs {
		ipp := ep.Child("ips").Index(i)
		errs = append(errs, ivalidation.ResourceID(ipp.Child("subnetId"), ip.SubnetID, "subnet")...)
		switch {
		case !ip.Subnet.IsValid() || ip.Subnet.Masked() != ip.Subnet:
			errs = append(errs, field.Invalid(ipp.Child("subnet"), ip.Subnet.String(), "must be the subnet's canonical CIDR"))
		case len(p.VPCCIDRs) > 0 && !slices.ContainsFunc(p.VPCCIDRs, func(v netip.Prefix) bool { return v.Bits() <= ip.Subnet.Bits() && v.Contains(ip.Subnet.Addr()) }):
			errs = append(errs, field.Invalid(ipp.Child("subnet"), ip.Subnet.String(), "is not inside the VPC's CIDR blocks"))
		default:
			errs = append(errs, ValidateEndpointAddress(ipp.Child("ip"), ip.IP, ip.Subnet)...)
		}
		if prev, dup := seen[ip.IP]; dup && ip.IP.IsValid() {
			errs = append(errs, field.Duplicate(ipp.Child("ip"), ip.IP.String()+" (also "+prev.String()+")"))
		}
		seen[ip.IP] = ipp.Child("ip")
		if ip.AZ == "" {
			errs = append(errs, field.Required(ipp.Child("az"), "the subnet's Availability Zone"))
		} else if ivalidation.IsRegion(p.Region) && !strings.HasPrefix(ip.AZ, p.Region) {
			errs = append(errs, field.Invalid(ipp.Child("az"), ip.AZ, "must be an Availability Zone of "+p.Region))
		}
	}
	return errs
}

// ValidateEndpointAddress checks ip as a Resolver endpoint address in the
// subnet whose CIDR is subnet, reporting at fp: an IPv4 address inside
// the subnet and none of the five AWS reserves there.
func ValidateEndpointAddress(fp *field.Path, ip netip.Addr, subnet netip.Prefix) field.ErrorList {
	switch {
	case !ip.Is4():
		return field.ErrorList{field.Invalid(fp, ip.String(), "must be an IPv4 address")}
	case !subnet.Contains(ip):
		return field.ErrorList{field.Invalid(fp, ip.String(), fmt.Sprintf("is not in its subnet %s", subnet))}
	case reservedInSubnet(subnet, ip):
		return field.ErrorList{field.Invalid(fp, ip.String(), fmt.Sprintf("is one of the five addresses AWS reserves in %s (the first four and the last)", subnet))}
	}
	return nil
}

// reservedInSubnet reports whether ip is one of the five addresses AWS
// reserves in every subnet: the network address, +1 (router), +2 (DNS),
// +3 (future use) and the last (VPC User Guide, subnet sizing).
func reservedInSubnet(subnet netip.Prefix, ip netip.Addr) bool {
	a := subnet.Addr()
	for range 4 {
		if a == ip {
			return true
		}
		a = a.Next()
	}
	return ip == netipx.PrefixLastIP(subnet)
}

// validResolverName: Resolver names are at most 64 of [a-zA-Z0-9 _-] and
// not only digits (Route 53 Resolver API model, shape Name).
func validResolverName(s string) bool {
	return ivalidation.IsName(s, 64, " _-") && strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

func (p Plan) validateRules(rp *field.Path) field.ErrorList {
	var errs field.ErrorList
	domains := map[string]int{}
	names := map[string]int{}
	inboundIPs := map[netip.Addr]bool{}
	if p.Inbound != nil {
		for _, ip := range p.Inbound.IPs {
			inboundIPs[ip.IP] = true
		}
	}
	forwards := newDomainIndex(p.OnPrem.ForwardToAWS)
	for i, r := range p.Rules {
		ip := rp.Index(i)
		if !validResolverName(r.Name) {
			errs = append(errs, field.Invalid(ip.Child("name"), r.Name, "must be 1 to 64 letters, digits, spaces, _ and -, not only digits"))
		} else if j, dup := names[r.Name]; dup {
			errs = append(errs, field.Duplicate(ip.Child("name"), r.Name+fmt.Sprintf(" (also rules[%d])", j)))
		} else {
			names[r.Name] = i
		}
		if r.Domain.IsZero() {
			errs = append(errs, field.Required(ip.Child("domain"), "the domain the rule matches"))
		} else if j, dup := domains[r.Domain.name]; dup {
			errs = append(errs, field.Duplicate(ip.Child("domain"), r.Domain.name+fmt.Sprintf(" (also rules[%d]): a VPC can be associated with one rule per domain", j)))
		} else {
			domains[r.Domain.name] = i
		}
		switch r.Type {
		case RuleForward:
			if p.Outbound == nil {
				errs = append(errs, field.Required(field.NewPath("outbound"), fmt.Sprintf("rules[%d] forwards %s: FORWARD rules send queries through an outbound endpoint", i, r.Domain)))
			}
			errs = append(errs, validateTargets(ip.Child("targets"), r.Targets)...)
			for j, t := range r.Targets {
				if inboundIPs[t.IP] {
					errs = append(errs, field.Invalid(ip.Child("targets").Index(j), t.IP.String(), "is an address of the inbound endpoint: the outbound endpoint would forward to its own VPC in a loop"))
				}
			}
		case RuleSystem:
			if len(r.Targets) > 0 {
				errs = append(errs, field.Forbidden(ip.Child("targets"), "SYSTEM rules have no targets: the VPC resolver answers"))
			}
		default:
			errs = append(errs, field.NotSupported(ip.Child("type"), r.Type, []RuleType{RuleForward, RuleSystem}))
		}
		if len(r.VPCIDs) == 0 {
			errs = append(errs, field.Required(ip.Child("vpcIds"), "a rule does nothing until it is associated with a VPC ("+string(CodeRuleNotAssociated)+", "+refAssociate+")"))
		}
		for j, v := range r.VPCIDs {
			errs = append(errs, ivalidation.ResourceID(ip.Child("vpcIds").Index(j), v, "vpc")...)
			// Loop: the site sends this domain to the inbound endpoint, and
			// the inbound endpoint's VPC sends it back to the site.
			if loop, d := p.loops(r, forwards); loop && v == p.VPCID {
				errs = append(errs, field.Invalid(ip.Child("vpcIds").Index(j), v, fmt.Sprintf("holds the inbound endpoint the site forwards %s to; associating this rule for %s with it makes queries loop between the endpoints and the site (%s, %s)", d, r.Domain, CodeRuleLoop, refLoop)))
			}
		}
	}
	return errs
}

func validateTargets(tp *field.Path, ts []Target) field.ErrorList {
	var errs field.ErrorList
	switch {
	case len(ts) == 0:
		errs = append(errs, field.Required(tp, "the on-premises DNS servers the rule forwards to"))
	case len(ts) > MaxRuleTargets:
		errs = append(errs, field.TooMany(tp, len(ts), MaxRuleTargets))
	}
	for j, t := range ts {
		switch {
		case !t.IP.IsValid():
			errs = append(errs, field.Required(tp.Index(j).Child("ip"), "a DNS server address"))
		case t.IP.Is4() != ts[0].IP.Is4():
			errs = append(errs, field.Invalid(tp.Index(j).Child("ip"), t.IP.String(), "a rule's targets are all IPv4 or all IPv6"))
		case t.IP.IsUnspecified() || t.IP.IsLoopback() || t.IP.IsMulticast():
			errs = append(errs, field.Invalid(tp.Index(j).Child("ip"), t.IP.String(), "must be a unicast DNS server address"))
		}
	}
	return errs
}

// vpcResolvers are the addresses of the VPC's own resolver: the primary
// CIDR's base plus two, and 169.254.169.253 (VPC User Guide, Amazon DNS
// server).
func (p Plan) vpcResolvers() []netip.Addr {
	out := []netip.Addr{netip.AddrFrom4([4]byte{169, 254, 169, 253})}
	if len(p.VPCCIDRs) > 0 && p.VPCCIDRs[0].Addr().Is4() {
		out = append(out, p.VPCCIDRs[0].Masked().Addr().Next().Next())
	}
	return out
}

func (p Plan) validateOnPrem(op *field.Path) field.ErrorList {
	var errs field.ErrorList
	o := p.OnPrem
	if len(o.Servers) == 0 {
		errs = append(errs, field.Required(op.Child("servers"), "the site's DNS servers"))
	}
	for i, s := range o.Servers {
		if !s.IsValid() || s.IsUnspecified() || s.IsLoopback() || s.IsMulticast() {
			errs = append(errs, field.Invalid(op.Child("servers").Index(i), s.String(), "must be a unicast DNS server address"))
		}
	}
	fwd := make(map[Domain]bool, len(o.ForwardToAWS))
	for i, d := range o.ForwardToAWS {
		switch {
		case d.IsZero():
			errs = append(errs, field.Required(op.Child("forwardToAws").Index(i), "a domain"))
		case fwd[d]:
			errs = append(errs, field.Duplicate(op.Child("forwardToAws").Index(i), d.String()))
		}
		fwd[d] = true
	}
	if len(o.ForwardToAWS) > 0 && len(p.forwardTargets()) == 0 {
		errs = append(errs, field.Required(field.NewPath("inbound"), "the site forwards domains to AWS: they go to an inbound endpoint"))
	}
	for i, t := range o.ForwardTargets {
		if slices.Contains(p.vpcResolvers(), t) {
			errs = append(errs, field.Invalid(op.Child("forwardTargets").Index(i), t.String(), "is the VPC resolver: forwarding from on premises to it is not supported (Route 53 Developer Guide); forward to the inbound endpoint's addresses"))
		} else if !t.Is4() && !t.Is6() {
			errs = append(errs, field.Invalid(op.Child("forwardTargets").Index(i), t.String(), "must be an address"))
		}
	}
	switch o.Policy {
	case ForwardOnly, ForwardFirst:
	default:
		errs = append(errs, field.NotSupported(op.Child("policy"), o.Policy, []ForwardPolicy{ForwardOnly, ForwardFirst}))
	}
	return errs
}

func (p Plan) validateCluster(cp *field.Path) field.ErrorList {
	var errs field.ErrorList
	c := p.Cluster
	switch c.Access {
	case AccessPublic, AccessPrivate, AccessPublicAndPrivate:
	default:
		errs = append(errs, field.NotSupported(cp.Child("access"), c.Access, []EndpointAccess{AccessPublic, AccessPrivate, AccessPublicAndPrivate}))
	}
	switch c.Family {
	case IPv4, IPv6:
	default:
		errs = append(errs, field.NotSupported(cp.Child("family"), c.Family, []IPFamily{IPv4, IPv6}))
	}
	if h := c.EndpointHost; !h.IsZero() && ivalidation.IsRegion(p.Region) {
		errs = append(errs, ValidateEndpointHost(cp.Child("endpointHost"), h, p.Region)...)
	}
	if c.Domain.IsZero() {
		errs = append(errs, field.Required(cp.Child("domain"), "the cluster domain (cluster.local)"))
		return errs
	}
	for i, r := range p.Rules {
		if r.Type != RuleForward && r.Type != "" {
			continue
		}
		errs = append(errs, ValidateStubDomain(field.NewPath("rules").Index(i).Child("domain"), r.Domain, c)...)
	}
	for i, n := range c.Networks {
		if !n.IsValid() || n.Masked() != n {
			errs = append(errs, field.Invalid(cp.Child("networks").Index(i), n.String(), "must be a canonical prefix"))
		}
	}
	return errs
}

// ValidateEndpointHost checks h as the API server name of a cluster in
// region (IsEKSEndpointHost), reporting at fp.
func ValidateEndpointHost(fp *field.Path, h Domain, region string) field.ErrorList {
	if IsEKSEndpointHost(h, region) {
		return nil
	}
	return field.ErrorList{field.Invalid(fp, h.String(), fmt.Sprintf("must be the cluster's API server name in %s: <id>.<suffix>.%s.eks.amazonaws.com, or for IPv6 clusters created since October 2024 a name under %s.api.aws (the cluster's endpoint in DescribeCluster)", region, region, region))}
}

// IsEKSEndpointHost reports whether h has the shape of an EKS cluster's
// API server name in region: at least one cluster-unique label in front of
// <region>.eks.amazonaws.com (IPv4 clusters; .com.cn in China), or of
// <region>.api.aws (dual-stack endpoints of IPv6 clusters created since
// October 2024; api.amazonwebservices.com.cn in China), optionally with
// eks-cluster before the region
// (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
// The adoption guide's my-service.eks.amazonaws.com is not one.
func IsEKSEndpointHost(h Domain, region string) bool {
	for _, suffix := range []string{".eks.amazonaws.com", ".eks.amazonaws.com.cn", ".api.aws", ".api.amazonwebservices.com.cn"} {
		rest, ok := strings.CutSuffix(h.name, "."+region+suffix)
		if !ok {
			continue
		}
		rest = strings.TrimSuffix(rest, ".eks-cluster")
		if rest != "" && rest != "eks-cluster" {
			return true
		}
	}
	return false
}

// ValidateStubDomain checks d as an on-premises zone CoreDNS forwards in
// cluster c, reporting at fp. A CoreDNS server block wins by longest
// match, so a zone that contains the cluster domain ("local" for
// cluster.local) would take every in-cluster query away from the
// kubernetes plugin, and a reverse zone covering a cluster network its
// pods' and services' PTR lookups.
func ValidateStubDomain(fp *field.Path, d Domain, c Cluster) field.ErrorList {
	var errs field.ErrorList
	if !c.Domain.IsZero() && c.Domain.Within(d) {
		errs = append(errs, field.Invalid(fp, d.String(), fmt.Sprintf("contains the cluster domain %s: as a CoreDNS stub domain it would take every in-cluster query away from the kubernetes plugin", c.Domain)))
	}
	if rz, ok := d.ReverseZone(); ok {
		for _, n := range c.Networks {
			if rz.Overlaps(n) {
				errs = append(errs, field.Invalid(fp, d.String(), fmt.Sprintf("is the reverse zone of %s, which covers the cluster network %s: as a CoreDNS stub domain it would take the PTR lookups of its pods and services away from the kubernetes plugin", rz, n)))
				break
			}
		}
	}
	return errs
}
