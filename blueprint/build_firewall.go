package blueprint

import (
	"fmt"
	"net/netip"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/storage"
)

// buildFirewall derives the rule sets from the plan (the EKS flows, the
// resolver's, NFS to each server from the nodes that mount it, CoreDNS to
// the site's DNS servers), checks they carry every flow the rest of the
// bundle relies on, and grades each export's path.
func (bt *built) buildFirewall() field.ErrorList {
	b, fp := bt.bp, bt.fp
	creds := firewall.CredentialsSSM
	if b.Credentials.Provider == nodeconfig.ProviderIAMRolesAnywhere {
		creds = firewall.CredentialsIAMRolesAnywhere
	}
	// The tigera-operator always runs Typha, which calico-node on every
	// node reaches on TCP 5473 (https://docs.tigera.io/calico/latest/network-policy/comms/reduce-nodes).
	opts := firewall.ProfileOptions{Region: b.Cluster.Region, Credentials: creds, PodIdentity: b.Credentials.PodIdentity, CoreDNSInCloud: true, Install: true, Istio: b.Istio,
		CalicoTypha: b.CNI == netplan.CNICalico}
	if bt.dns.Inbound != nil || bt.dns.Outbound != nil {
		rf := &firewall.ResolverFlows{OnPremDNS: b.DNS.Servers}
		for _, ip := range b.DNS.Inbound.IPs {
			rf.InboundIPs = append(rf.InboundIPs, ip.IP)
		}
		for _, ip := range b.DNS.Outbound.IPs {
			rf.OutboundIPs = append(rf.OutboundIPs, ip.IP)
		}
		opts.Resolver = rf
	}
	rules, err := firewall.Profiles(bt.plan, opts)
	if err != nil {
		return internalError(fp.Child("site"), "the firewall rules", err)
	}
	sets := []firewall.RuleSet{rules}
	for _, e := range b.Storage {
		sets = append(sets, firewall.NFSProfile(bt.plan, e.share()))
	}
	if len(b.DNS.Zones) > 0 {
		sets = append(sets, firewall.StubDomainProfile(b.DNS.Servers, true))
	}
	rules = firewall.Merge(sets...)
	bt.rules = rules
	if errs := bt.checkFlows(); len(errs) > 0 {
		return errs
	}
	bt.findings = append(bt.findings, newProvenance(nil).findings(firewall.LintRules(rules))...)
	bt.storagePaths()
	return nil
}

// flow is one flow the bundle relies on, and the blueprint field that
// asks for it.
type flow struct {
	at    *field.Path
	proto firewall.Protocol
	port  uint16
	from  firewall.Peer // zero: from anywhere
	to    firewall.Peer
	why   string
}

// checkFlows reports every flow the rules do not allow, at the field that
// asks for it.
func (bt *built) checkFlows() field.ErrorList {
	b, fp := bt.bp, bt.fp
	nodes, pods := firewall.PeerRole(netplan.RoleRemoteNode), firewall.PeerRole(netplan.RoleRemotePod)
	flows := []flow{
		{fp.Child("site", "remoteNodeNetwork"), firewall.ProtoTCP, 10250, firewall.Peer{}, nodes, "the control plane to the kubelet"},
		{fp.Child("vpc", "subnets"), firewall.ProtoTCP, 443, firewall.Peer{}, firewall.PeerClusterENIs(), "nodes and pods to the Kubernetes API"},
		{fp.Child("site", "remotePodNetwork"), firewall.ProtoUDP, 53, firewall.Peer{}, pods, "DNS to CoreDNS on hybrid nodes"},
		{fp.Child("site", "remotePodNetwork"), firewall.ProtoTCP, 53, firewall.Peer{}, pods, "DNS over TCP to CoreDNS on hybrid nodes"},
	}
	if b.CNI == netplan.CNICilium {
		flows = append(flows, flow{fp.Child("cni"), firewall.ProtoUDP, 8472, firewall.Peer{}, nodes, "Cilium VXLAN between nodes"})
	}
	for i, e := range b.Storage {
		for _, c := range nfsClients(e.Placement) {
			flows = append(flows, flow{fp.Child("storage").Index(i).Child("server"), firewall.ProtoTCP, 2049, c, firewall.PeerHost(e.Server), "NFS to " + e.Server.String() + " from " + c.String()})
		}
	}
	for _, ip := range b.DNS.Servers {
		sp := fp.Child("dns", "servers")
		if len(b.DNS.Zones) > 0 {
			for _, proto := range []firewall.Protocol{firewall.ProtoUDP, firewall.ProtoTCP} {
				flows = append(flows, flow{sp, proto, 53, firewall.PeerRole(netplan.RoleVPC), firewall.PeerHost(ip), "CoreDNS on cloud nodes to the site's DNS server " + ip.String() + " (the Corefile's stub domains)"})
			}
		}
		if bt.dns.Outbound != nil {
			flows = append(flows, flow{sp, firewall.ProtoUDP, 53, firewall.Peer{}, firewall.PeerHost(ip), "the outbound endpoint to the site's DNS server " + ip.String()})
		}
	}
	var errs field.ErrorList
	for _, f := range flows {
		if !bt.rules.Allows(f.proto, firewall.Port(f.port), f.from, f.to) {
			errs = append(errs, field.Invalid(f.at, f.to.String(), fmt.Sprintf("no firewall rule allows %s %d (%s)", f.proto, f.port, f.why)))
		}
	}
	return errs
}

// share is the export as the firewall sees it: the server, the NFS
// version and the nodes that mount it.
func (e Export) share() firewall.NFSShare {
	return firewall.NFSShare{Server: e.Server, Version: e.NFSVersion, Clients: nfsClients(e.Placement)}
}

// nfsClients are the peers that mount an export placed p: the nodes'
// addresses (NFS mounts happen in the node's network namespace) — cloud
// nodes in the VPC, hybrid nodes in the remote node network.
func nfsClients(p storage.Placement) []firewall.Peer {
	switch p {
	case storage.HybridOnly:
		return []firewall.Peer{firewall.PeerRole(netplan.RoleRemoteNode)}
	case storage.CloudOnly:
		return []firewall.Peer{firewall.PeerRole(netplan.RoleVPC)}
	}
	return []firewall.Peer{firewall.PeerRole(netplan.RoleVPC), firewall.PeerRole(netplan.RoleRemoteNode)}
}

// storagePath is the path from a hybrid node to an NFS server: the site's
// LAN (the nodes' own MTU) for a server on the site, the whole link for
// one in the VPC, with enc on top (none for the node's own mounts, the
// CNI's for a pod).
func (bt *built) storagePath(server netip.Addr, enc netpath.Encapsulation) netpath.Path {
	p := netpath.Path{Hops: bt.path.Hops[:1], Encapsulation: enc}
	if bt.bp.VPC.CIDR.Contains(server) {
		p.Hops = bt.path.Hops
	}
	return p
}

// storagePaths grades each export's path with storage.CheckPath: the
// site's LAN for a server on the site, the whole link for one in the VPC;
// NFS mounts are the host's, so nothing is encapsulated.
func (bt *built) storagePaths() {
	b := bt.bp
	for i, e := range b.Storage {
		ep := bt.fp.Child("storage").Index(i)
		path := bt.storagePath(e.Server, netpath.EncapNone)
		c := storage.PathCheck{Path: path, Plan: bt.plan, Share: e.share(), Rules: bt.rules, NodeMTU: b.Site.NodeMTU}
		if e.Measurement != nil {
			c.Measurement = *e.Measurement
		}
		from := newProvenance(ep.Child("server"))
		for _, m := range []string{"latency", "jitter", "lossPpm", "bandwidthBps"} {
			from.set(field.NewPath("measurement", m), ep.Child("measurement", m))
		}
		for _, f := range from.findings(storage.CheckPath(c)) {
			if f.Code == storage.CodePathMTU && f.Level == advice.Info && len(path.Hops) == 1 {
				continue // on the site's LAN the path MTU is the nodes' own
			}
			bt.findings = append(bt.findings, f)
		}
	}
}
