package blueprint

import (
	"fmt"
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Flow is one kind of connection the bundle's own configs make: who opens
// it (From) to whom (To), on which protocols and ports, which firewall or
// security group must let it through (Allow), and the blueprint field
// that brings it about. Flows are derived from the blueprint, not from the
// firewall rules, so that the rules can be checked against them.
type Flow struct {
	Name      string              `json:"name"`
	From      []firewall.Peer     `json:"from"`
	To        []firewall.Peer     `json:"to"`
	Protocols []firewall.Protocol `json:"protocols"`
	// Ports are the destination ports; none for ICMP echo.
	Ports []firewall.PortRange `json:"ports,omitempty"`
	Allow string               `json:"allow"`
	Why   string               `json:"why"`
	Ref   string               `json:"ref"`
	Field string               `json:"field"`
	// Optional flows serve a feature the cluster may not use (admission
	// webhooks on hybrid pods, installing nodeadm from the internet).
	Optional bool `json:"optional,omitempty"`
}

// Sources of the flows.
const (
	refEKSNetworking = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html"
	refCiliumPorts   = "https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules"
	refCalicoPorts   = "https://docs.tigera.io/calico/latest/getting-started/kubernetes/requirements#network-requirements"
	refResolver      = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver.html"
	refCoreDNSFwd    = "https://coredns.io/plugins/forward/"
	refNFSPorts      = "https://www.rfc-editor.org/rfc/rfc7530#section-3.1"
	refPathMTU       = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-mtu.html"
)

// Which side must let a flow through.
const (
	allowSiteIn      = "site firewall, inbound"
	allowSiteOut     = "site firewall, outbound; cluster security group, inbound"
	allowSiteInside  = "site firewall, between site networks"
	allowResolverIn  = "site firewall, outbound; inbound endpoint's security group, inbound"
	allowResolverOut = "site firewall, inbound; outbound endpoint's security group, outbound"
	allowInternet    = "site firewall, outbound to the internet (or a VPC endpoint)"
	allowProbe       = "site firewall, outbound; the probe's security group, inbound"
	allowCloudNodes  = "site firewall, outbound; cloud nodes' security group, inbound"
)

// flows derives every flow the bundle's configs imply.
func (bt *built) flows() []Flow {
	b, fp := bt.bp, bt.fp
	nodes, pods, vpc := firewall.PeerRole(netplan.RoleRemoteNode), firewall.PeerRole(netplan.RoleRemotePod), firewall.PeerRole(netplan.RoleVPC)
	cluster := firewall.PeerClusterENIs()
	tcp, both := []firewall.Protocol{firewall.ProtoTCP}, []firewall.Protocol{firewall.ProtoUDP, firewall.ProtoTCP}
	port := func(ps ...uint16) []firewall.PortRange {
		out := make([]firewall.PortRange, len(ps))
		for i, p := range ps {
			out[i] = firewall.Port(p)
		}
		return out
	}
	at := func(p *field.Path) string { return p.String() }
	out := []Flow{
		{Name: "kubelet", From: []firewall.Peer{cluster}, To: []firewall.Peer{nodes}, Protocols: tcp, Ports: port(10250), Allow: allowSiteIn,
			Why: "the control plane reaches the kubelet (logs, exec, port-forward)", Ref: refEKSNetworking, Field: at(fp.Child("site", "remoteNodeNetwork"))},
		{Name: "Kubernetes API", From: []firewall.Peer{nodes, pods}, To: []firewall.Peer{cluster}, Protocols: tcp, Ports: port(443), Allow: allowSiteOut,
			Why: "kubelets, kube-proxy and pods reach the API server", Ref: refEKSNetworking, Field: at(fp.Child("vpc", "subnets"))},
		{Name: "admission webhooks", From: []firewall.Peer{cluster}, To: []firewall.Peer{pods}, Protocols: tcp, Ports: port(443, 8443, 9443), Allow: allowSiteIn,
			Why: "the control plane calls webhooks running on hybrid pods", Ref: refEKSNetworking, Field: at(fp.Child("site", "remotePodNetwork")), Optional: true},
		{Name: "DNS to CoreDNS on hybrid nodes", From: []firewall.Peer{pods, vpc}, To: []firewall.Peer{pods}, Protocols: both, Ports: port(53), Allow: allowSiteIn + "; " + allowSiteInside,
			Why: "pods on both sides resolve through the replica on hybrid nodes", Ref: refEKSNetworking, Field: at(fp.Child("site", "remotePodNetwork"))},
		{Name: "DNS to CoreDNS in the VPC", From: []firewall.Peer{pods}, To: []firewall.Peer{vpc}, Protocols: both, Ports: port(53), Allow: allowCloudNodes,
			Why: "hybrid pods resolve through the replica on cloud nodes", Ref: refEKSNetworking, Field: at(fp.Child("site", "remotePodNetwork"))},
	}
	out = append(out, bt.cniFlows(nodes)...)
	out = append(out, bt.dnsFlows(pods, vpc, both)...)
	for i, e := range b.Storage {
		var clients []firewall.Peer
		clients = append(clients, nfsClients(e.Placement)...)
		f := Flow{Name: "NFS " + e.Name, From: clients, To: []firewall.Peer{firewall.PeerHost(e.Server)}, Protocols: tcp, Ports: port(2049),
			Allow: allowFor(clients), Why: "nodes mount the export", Ref: refNFSPorts, Field: at(fp.Child("storage").Index(i).Child("server"))}
		out = append(out, f)
	}
	endpoint, why := "ssm."+b.Cluster.Region+".amazonaws.com", "SSM credential refresh and heartbeat"
	if b.Credentials.Provider == nodeconfig.ProviderIAMRolesAnywhere {
		endpoint, why = "rolesanywhere."+b.Cluster.Region+".amazonaws.com", "IAM Roles Anywhere credential refresh"
	}
	out = append(out, Flow{Name: "credentials", From: []firewall.Peer{nodes}, To: []firewall.Peer{firewall.PeerEndpoint(endpoint)}, Protocols: tcp, Ports: port(443),
		Allow: allowInternet, Why: why, Ref: refEKSNetworking, Field: at(fp.Child("credentials", "provider"))})
	var install []firewall.Peer
	for _, h := range []string{"hybrid-assets.eks.amazonaws.com", "eks." + b.Cluster.Region + ".amazonaws.com", "api.ecr." + b.Cluster.Region + ".amazonaws.com"} {
		install = append(install, firewall.PeerEndpoint(h))
	}
	out = append(out, Flow{Name: "nodeadm install", From: []firewall.Peer{nodes}, To: install, Protocols: tcp, Ports: port(443), Allow: allowInternet,
		Why: "nodeadm downloads its artifacts and the EKS images", Ref: refEKSNetworking, Field: at(fp.Child("cluster", "region")), Optional: true})
	out = append(out,
		Flow{Name: "PoC pings", From: []firewall.Peer{vpc}, To: []firewall.Peer{nodes, pods}, Protocols: []firewall.Protocol{firewall.ProtoICMP}, Allow: allowSiteIn,
			Why: "verify/poc.sh pings hybrid nodes from cloud nodes, hybrid pods from cloud pods", Ref: refPoC, Field: at(fp.Child("connectivity", "bandwidthGbps")), Optional: true},
		Flow{Name: "PoC bandwidth check", From: []firewall.Peer{vpc}, To: []firewall.Peer{nodes}, Protocols: tcp, Ports: port(5201), Allow: allowSiteIn,
			Why: "verify/poc.sh runs iperf3 from a cloud node to a hybrid node", Ref: refPoC, Field: at(fp.Child("connectivity", "bandwidthGbps")), Optional: true})
	if p := b.Connectivity.MTUProbe; p.IsValid() {
		out = append(out, Flow{Name: "MTU probe", From: []firewall.Peer{nodes}, To: []firewall.Peer{firewall.PeerHost(p)}, Protocols: []firewall.Protocol{firewall.ProtoICMP},
			Allow: allowProbe, Why: "verify/from-hybrid-node.sh pings the probe with don't-fragment set", Ref: refPathMTU, Field: at(fp.Child("connectivity", "mtuProbe"))})
	}
	return out
}

// cniFlows are the CNI's overlay and health checks between hybrid nodes.
func (bt *built) cniFlows(nodes firewall.Peer) []Flow {
	at := bt.fp.Child("cni").String()
	one := []firewall.Peer{nodes}
	if bt.bp.CNI == netplan.CNICalico {
		return []Flow{
			{Name: "Calico VXLAN", From: one, To: one, Protocols: []firewall.Protocol{firewall.ProtoUDP}, Ports: []firewall.PortRange{firewall.Port(4789)},
				Allow: allowSiteInside, Why: "pod traffic between hybrid nodes", Ref: refCalicoPorts, Field: at},
			{Name: "Calico Typha", From: one, To: one, Protocols: []firewall.Protocol{firewall.ProtoTCP}, Ports: []firewall.PortRange{firewall.Port(5473)},
				Allow: allowSiteInside, Why: "calico-node reads the datastore through Typha", Ref: refCalicoPorts, Field: at},
		}
	}
	return []Flow{
		{Name: "Cilium VXLAN", From: one, To: one, Protocols: []firewall.Protocol{firewall.ProtoUDP}, Ports: []firewall.PortRange{firewall.Port(8472)},
			Allow: allowSiteInside, Why: "pod traffic between hybrid nodes", Ref: refCiliumPorts, Field: at},
		{Name: "Cilium health", From: one, To: one, Protocols: []firewall.Protocol{firewall.ProtoTCP}, Ports: []firewall.PortRange{firewall.Port(4240)},
			Allow: allowSiteInside, Why: "cilium-health probes every node", Ref: refCiliumPorts, Field: at, Optional: true},
	}
}

// dnsFlows are the forwarders' flows: CoreDNS's stub domains from
// wherever its replicas run, the Resolver's outbound endpoint to the
// site's servers, and those servers to the inbound endpoint.
func (bt *built) dnsFlows(pods, vpc firewall.Peer, both []firewall.Protocol) []Flow {
	b, dp := bt.bp, bt.fp.Child("dns")
	var servers []firewall.Peer
	for _, s := range b.DNS.Servers {
		servers = append(servers, firewall.PeerHost(s))
	}
	p53 := []firewall.PortRange{firewall.Port(53)}
	var out []Flow
	if len(b.DNS.Zones) > 0 {
		out = append(out, Flow{Name: "CoreDNS stub domains", From: []firewall.Peer{pods, vpc}, To: servers, Protocols: both, Ports: p53,
			Allow: allowSiteIn + "; " + allowSiteInside, Why: "CoreDNS on both sides forwards the site's zones to it",
			Ref: refCoreDNSFwd, Field: dp.Child("zones").String()})
	}
	if bt.dns.Outbound != nil && len(b.DNS.Zones) > 0 {
		out = append(out, Flow{Name: "Resolver outbound endpoint", From: hosts(b.DNS.Outbound.IPs), To: servers, Protocols: both, Ports: p53,
			Allow: allowResolverOut, Why: "the VPC resolver forwards the site's zones to it", Ref: refResolver, Field: dp.Child("outbound", "ips").String()})
	}
	if bt.dns.Inbound != nil && len(b.DNS.ForwardToAWS) > 0 {
		out = append(out, Flow{Name: "Resolver inbound endpoint", From: servers, To: hosts(b.DNS.Inbound.IPs), Protocols: both, Ports: p53,
			Allow: allowResolverIn, Why: "the site's resolvers forward the cluster's names to AWS", Ref: refResolver, Field: dp.Child("inbound", "ips").String()})
	}
	return out
}

func hosts(ips []EndpointIP) []firewall.Peer {
	out := make([]firewall.Peer, len(ips))
	for i, ip := range ips {
		out[i] = firewall.PeerHost(ip.IP)
	}
	return out
}

// allowFor says which side admits a flow from clients to the site.
func allowFor(clients []firewall.Peer) string {
	for _, c := range clients {
		if c.Role == netplan.RoleVPC {
			return allowSiteIn + "; " + allowSiteInside
		}
	}
	return allowSiteInside
}

// checkFlows reports, at the field that brings each flow about, every
// protocol, port and pair of ends of a flow that no rule allows.
func checkFlows(flows []Flow, rules firewall.RuleSet) []advice.Finding {
	var fs []advice.Finding
	for _, f := range flows {
		var missing []string
		ports := f.Ports
		if len(ports) == 0 {
			ports = []firewall.PortRange{{}}
		}
		for _, proto := range f.Protocols {
			for _, port := range ports {
				for _, from := range f.From {
					for _, to := range f.To {
						if !rules.Allows(proto, port, from, to) {
							missing = append(missing, fmt.Sprintf("%s %s from %s to %s", proto, portText(port), from, to))
						}
					}
				}
			}
		}
		if len(missing) > 0 {
			fs = append(fs, advice.Finding{Level: advice.Error, Code: firewall.CodeFlowNotAllowed, Field: f.Field, Ref: f.Ref,
				Message: fmt.Sprintf("%s (%s): no firewall rule allows %s", f.Name, f.Why, strings.Join(missing, "; "))})
		}
	}
	return fs
}

func portText(p firewall.PortRange) string {
	if p.All() {
		return "echo"
	}
	return p.String()
}

// hostOf returns the address of a host peer (a /32), and false for other
// peers.
func hostOf(p firewall.Peer) (netip.Addr, bool) {
	if p.Prefix.IsValid() && p.Prefix.IsSingleIP() {
		return p.Prefix.Addr(), true
	}
	return netip.Addr{}, false
}
