package blueprint

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/dnsplan"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netplan"
)

// validateDNS checks the hybrid DNS design: the on-premises zones (as
// CoreDNS stub domains, and never sent back to the site by the domains
// forwarded to AWS), the site's DNS servers, and the Resolver endpoints'
// addresses in their named subnets.
func (b Blueprint) validateDNS(dp *field.Path) field.ErrorList {
	d := b.DNS
	var errs field.ErrorList
	for i, z := range d.Zones {
		zp := dp.Child("zones").Index(i)
		if j := slices.Index(d.Zones[:i], z); j >= 0 {
			errs = append(errs, field.Duplicate(zp, z.String()+" (also dns.zones["+strconv.Itoa(j)+"])"))
		}
		errs = append(errs, dnsplan.ValidateStubDomain(zp, z, b.dnsCluster())...)
		for j, f := range d.ForwardToAWS {
			if f.Overlaps(z) && d.Inbound.used() {
				errs = append(errs, field.Invalid(zp, z.String(), fmt.Sprintf("overlaps dns.forwardToAws[%d] (%s): the outbound endpoint sends the zone to the site, which sends it back to the inbound endpoint, a loop (%s)", j, f, dnsplan.CodeRuleLoop)))
			}
		}
	}
	errs = append(errs, b.validateDNSServers(dp.Child("servers"))...)
	seen := map[netip.Addr]*field.Path{}
	errs = append(errs, b.validateEndpoint(dp.Child("inbound"), d.Inbound, seen)...)
	errs = append(errs, b.validateEndpoint(dp.Child("outbound"), d.Outbound, seen)...)
	if len(d.Zones) > 0 && !d.Outbound.used() {
		errs = append(errs, field.Required(dp.Child("outbound"), "the outbound endpoint that forwards dns.zones to the site"))
	}
	for i, f := range d.ForwardToAWS {
		if j := slices.Index(d.ForwardToAWS[:i], f); j >= 0 {
			errs = append(errs, field.Duplicate(dp.Child("forwardToAws").Index(i), f.String()))
		}
	}
	if len(d.ForwardToAWS) > 0 && !d.Inbound.used() {
		errs = append(errs, field.Required(dp.Child("inbound"), "the site forwards dns.forwardToAws to the inbound endpoint"))
	}
	return errs
}

// validateDNSServers checks the site's DNS servers: needed for the
// zones, unicast IPv4, each once, at most a rule's target quota.
func (b Blueprint) validateDNSServers(sp *field.Path) field.ErrorList {
	var errs field.ErrorList
	servers := b.DNS.Servers
	switch {
	case len(servers) == 0 && len(b.DNS.Zones) > 0:
		errs = append(errs, field.Required(sp, "the site's DNS servers that answer dns.zones"))
	case len(servers) > dnsplan.MaxRuleTargets:
		errs = append(errs, field.TooMany(sp, len(servers), dnsplan.MaxRuleTargets))
	}
	for i, s := range servers {
		if !s.Is4() || s.IsUnspecified() || s.IsLoopback() || s.IsMulticast() {
			errs = append(errs, field.Invalid(sp.Index(i), s.String(), "must be the unicast IPv4 address of a DNS server"))
		} else if j := slices.Index(servers[:i], s); j >= 0 {
			errs = append(errs, field.Duplicate(sp.Index(i), s.String()))
		}
	}
	return errs
}

// used reports whether the blueprint asks for the endpoint.
func (e Endpoint) used() bool { return len(e.IPs) > 0 || e.SecurityGroupID != "" }

// validateEndpoint checks a Resolver endpoint the blueprint asks for: its
// security group, two addresses at least, each in the subnet it names
// and used once across both endpoints.
func (b Blueprint) validateEndpoint(ep *field.Path, e Endpoint, seen map[netip.Addr]*field.Path) field.ErrorList {
	if !e.used() {
		return nil
	}
	var errs field.ErrorList
	if e.SecurityGroupID == "" {
		errs = append(errs, field.Required(ep.Child("securityGroupId"), "the endpoint's security group"))
	}
	if len(e.IPs) < dnsplan.MinEndpointIPs {
		errs = append(errs, field.Invalid(ep.Child("ips"), len(e.IPs), "an endpoint needs at least 2 addresses (Route 53 Resolver requires two, in two subnets)"))
	}
	for i, ip := range e.IPs {
		ipp := ep.Child("ips").Index(i)
		s, ok := b.subnet(ip.Subnet)
		switch {
		case !ok:
			errs = append(errs, field.NotFound(ipp.Child("subnet"), ip.Subnet))
		case netplan.ValidatePrefix(nil, s.CIDR) == nil:
			errs = append(errs, dnsplan.ValidateEndpointAddress(ipp.Child("ip"), ip.IP, s.CIDR)...)
		}
		if prev, dup := seen[ip.IP]; dup && ip.IP.IsValid() {
			errs = append(errs, field.Duplicate(ipp.Child("ip"), ip.IP.String()+" (also "+prev.String()+")"))
		}
		seen[ip.IP] = ipp.Child("ip")
	}
	return errs
}

// subnet finds a VPC subnet by name.
func (b Blueprint) subnet(name string) (Subnet, bool) {
	i := slices.IndexFunc(b.VPC.Subnets, func(s Subnet) bool { return s.Name == name })
	if i < 0 {
		return Subnet{}, false
	}
	return b.VPC.Subnets[i], true
}

// dnsCluster is the cluster as the DNS plan sees it: its endpoint name
// and access, and the networks the kubernetes plugin answers for (cloud
// pods take VPC addresses with the VPC CNI, hybrid pods the remote pod
// network, services the service CIDR).
func (b Blueprint) dnsCluster() dnsplan.Cluster {
	c := dnsplan.Cluster{EndpointHost: b.Cluster.EndpointHost, Access: b.Cluster.EndpointAccess, Family: dnsplan.IPv4,
		Domain:   dnsplan.MustParseDomain(dnsplan.DefaultClusterDomain),
		Networks: validPrefixes(b.VPC.CIDR, b.Site.RemotePodNetwork, b.Cluster.ServiceCIDR)}
	if !ivalidation.IsRegion(b.Cluster.Region) {
		c.EndpointHost = dnsplan.Domain{}
	}
	return c
}

// validPrefixes returns the valid, canonical prefixes among ps.
func validPrefixes(ps ...netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range ps {
		if p.IsValid() && p.Masked() == p {
			out = append(out, p)
		}
	}
	return out
}
