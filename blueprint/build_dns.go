package blueprint

import (
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/storage"
)

// maxResolverName is the longest Route 53 Resolver endpoint or rule name
// (Route 53 Resolver API reference, CreateResolverEndpoint Name).
const maxResolverName = 64

// buildDNS builds the DNS plan: one FORWARD rule per on-premises zone to
// the site's DNS servers, the endpoints in their named subnets, and the
// cluster as CoreDNS sees it.
func (bt *built) buildDNS() field.ErrorList {
	b, dp := bt.bp, bt.fp.Child("dns")
	endpoint := func(name string, e Endpoint) *dnsplan.Endpoint {
		if !e.used() {
			return nil
		}
		cluster := b.Cluster.Name[:min(len(b.Cluster.Name), maxResolverName-len(name)-1)]
		out := &dnsplan.Endpoint{Name: cluster + "-" + name, SecurityGroupID: e.SecurityGroupID}
		for _, ip := range e.IPs {
			s, _ := b.subnet(ip.Subnet)
			out.IPs = append(out.IPs, dnsplan.EndpointIP{IP: ip.IP, SubnetID: s.ID, Subnet: s.CIDR, AZ: s.AZ})
		}
		return out
	}
	p := dnsplan.Plan{
		Region: b.Cluster.Region, VPCID: b.VPC.ID, VPCCIDRs: []netip.Prefix{b.VPC.CIDR},
		Inbound: endpoint("inbound", b.DNS.Inbound), Outbound: endpoint("outbound", b.DNS.Outbound),
		OnPrem:  dnsplan.OnPrem{Servers: b.DNS.Servers, ForwardToAWS: b.DNS.ForwardToAWS, DNSSECValidation: b.DNS.DNSSECValidation},
		Cluster: b.dnsCluster(),
	}
	from := newProvenance(dp)
	for i, z := range b.DNS.Zones {
		name := "onprem-" + strings.ReplaceAll(z.String(), ".", "-")
		var targets []dnsplan.Target
		for _, s := range b.DNS.Servers {
			targets = append(targets, dnsplan.Target{IP: s})
		}
		p.Rules = append(p.Rules, dnsplan.Rule{Name: name[:min(len(name), maxResolverName)], Domain: z, Targets: targets, VPCIDs: []string{b.VPC.ID}})
		rp := field.NewPath("rules").Index(i)
		from.set(rp.Child("domain"), dp.Child("zones").Index(i))
		from.set(rp.Child("vpcIds"), dp.Child("zones").Index(i))
	}
	for i := range b.DNS.ForwardToAWS {
		from.set(field.NewPath("onPrem", "forwardToAws").Index(i), dp.Child("forwardToAws").Index(i))
	}
	from.set(field.NewPath("onPrem", "forwardToAws"), dp.Child("forwardToAws"))
	from.set(field.NewPath("onPrem", "dnssecValidation"), dp.Child("dnssecValidation"))
	from.set(field.NewPath("cluster", "access"), bt.fp.Child("cluster", "endpointAccess"))
	from.set(field.NewPath("inbound", "ips"), dp.Child("inbound", "ips"))
	from.set(field.NewPath("outbound", "ips"), dp.Child("outbound", "ips"))
	p.Default()
	if err := p.Validate(); err != nil {
		return internalError(dp, "the DNS plan", err)
	}
	bt.dns = p
	bt.findings = append(bt.findings, from.findings(p.Lint())...)
	return nil
}

// buildStorage builds one volume per export, NFSv3 with the preset
// options after nfsvers=3.
func (bt *built) buildStorage() field.ErrorList {
	for i, e := range bt.bp.Storage {
		ep := bt.fp.Child("storage").Index(i)
		v := storage.Volume{Name: e.Name, Namespace: e.Namespace, Capacity: e.Capacity, Placement: e.Placement}
		share := &storage.NFS{Server: e.Server.String(), Path: e.Path}
		if e.CSI {
			v.NFSCSI = share
		} else {
			v.NFS = share
		}
		if e.NFSVersion == 3 {
			v.MountOptions = append([]string{"nfsvers=3"}, storage.PresetOptions(0)[1:]...)
		}
		v.Default()
		if err := v.Validate(); err != nil {
			return internalError(ep, "the volume", err)
		}
		bt.volumes = append(bt.volumes, v)
		from := newProvenance(ep)
		from.set(field.NewPath("mountOptions"), ep.Child("nfsVersion"))
		bt.findings = append(bt.findings, from.findings(v.Lint())...)
	}
	return nil
}
