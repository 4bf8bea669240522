package blueprint

import (
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
	if p := b.Connectivity.MTUProbe; p.IsValid() {
		echo := uint8(8)
		sets = append(sets, firewall.RuleSet{{Protocol: firewall.ProtoICMP, ICMPType: &echo, Direction: firewall.Outbound,
			From: firewall.PeerRole(netplan.RoleRemoteNode), To: firewall.PeerHost(p), Required: true, Profile: "verify",
			Purpose: "the path MTU check pings the probe (verify/from-hybrid-node.sh)", Ref: refPathMTU}})
	}
	sets = append(sets, pocRules())
	rules = firewall.Merge(sets...)
	bt.rules = rules
	bt.flowList = bt.flows()
	bt.findings = append(bt.findings, checkFlows(bt.flowList, rules)...)
	bt.findings = append(bt.findings, newProvenance(nil).findings(firewall.LintRules(rules))...)
	bt.storagePaths()
	return nil
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

// refPoC is the source of the PoC flows: the bundle's own script.
const refPoC = "https://pkg.go.dev/github.com/hybridkit/hybridkit/poc"

// pocRules let verify/poc.sh measure the link from the VPC: ICMP echo to
// the hybrid nodes and pods, iperf3 (TCP 5201, iperf3's default port) to
// the nodes. Optional: only the PoC needs them.
func pocRules() firewall.RuleSet {
	echo := uint8(8)
	vpc := firewall.PeerRole(netplan.RoleVPC)
	nodes, pods := firewall.PeerRole(netplan.RoleRemoteNode), firewall.PeerRole(netplan.RoleRemotePod)
	return firewall.RuleSet{
		{Protocol: firewall.ProtoICMP, ICMPType: &echo, Direction: firewall.Inbound, From: vpc, To: nodes, Profile: "verify",
			Purpose: "the PoC link checks ping a hybrid node from a cloud node (verify/poc.sh)", Ref: refPoC},
		{Protocol: firewall.ProtoICMP, ICMPType: &echo, Direction: firewall.Inbound, From: vpc, To: pods, Profile: "verify",
			Purpose: "the PoC routing check pings a hybrid pod from a cloud pod (verify/poc.sh)", Ref: refPoC},
		{Protocol: firewall.ProtoTCP, Ports: firewall.Port(5201), Direction: firewall.Inbound, From: vpc, To: nodes, Profile: "verify",
			Purpose: "the PoC bandwidth check runs iperf3 from a cloud node to a hybrid node (verify/poc.sh)", Ref: refPoC},
	}
}
