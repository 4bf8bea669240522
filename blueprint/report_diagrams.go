package blueprint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/internal/markdown"
	"github.com/hybridkit/hybridkit/netplan"
)

// sectionTopology draws the site, the link and the VPC, and every flow of
// the matrix between them with its ports and direction.
func (r *reportWriter) sectionTopology() {
	bt, bp, w := r.bt, r.bt.bp, r.w
	l := markdown.MermaidLabel
	w("\n## Topology\n\n```mermaid\nflowchart LR\n")
	w("  subgraph site[%s]\n", l("site "+bp.Site.Zone+" · "+prefixes(bp.Site.Networks)))
	w("    nodes[%s]\n", l(fmt.Sprintf("%d hybrid nodes · %s", bt.estimate.Nodes, bp.Site.RemoteNodeNetwork)))
	w("    pods[%s]\n", l("hybrid pods · "+bp.Site.RemotePodNetwork.String()))
	if len(bp.DNS.Servers) > 0 {
		w("    dns[%s]\n", l("site DNS · "+joinAddrs(bp.DNS.Servers)))
	}
	for i, e := range bp.Storage {
		if !bp.VPC.CIDR.Contains(e.Server) {
			w("    nfs%d[%s]\n", i, l("NFS "+e.Server.String()+":"+e.Path))
		}
	}
	w("  end\n")
	r.linkNodes()
	w("  subgraph vpc[%s]\n", l("VPC "+bp.VPC.ID+" · "+bp.VPC.CIDR.String()))
	w("    eni[%s]\n    cloud[%s]\n", l("EKS control plane ENIs"), l("cloud nodes and pods"))
	if bt.dns.Inbound != nil {
		w("    inbound[%s]\n", l("Resolver inbound · "+endpointIPs(bp.DNS.Inbound)))
	}
	if bt.dns.Outbound != nil {
		w("    outbound[%s]\n", l("Resolver outbound · "+endpointIPs(bp.DNS.Outbound)))
	}
	for i, e := range bp.Storage {
		if bp.VPC.CIDR.Contains(e.Server) {
			w("    nfs%d[%s]\n", i, l("NFS "+e.Server.String()+":"+e.Path))
		}
	}
	if p := bp.Connectivity.MTUProbe; p.IsValid() {
		w("    probe[%s]\n", l("MTU probe "+p.String()))
	}
	w("  end\n  aws[%s]\n", l("AWS service endpoints"))
	w("  site === link === tgw === vpc\n")
	for _, e := range bt.flowEdges(r.diagramNode) {
		w("%s\n", e)
	}
	w("```\n")
	if mtu, hop := bt.path.MTU(); hop >= 0 {
		w("\nPath MTU %d, limited by the %s hop; pods get %d after %s. Solid arrows are required flows, dotted ones optional.\n",
			mtu, markdown.Text(string(bt.path.Hops[hop].Kind)), bt.path.PodMTU(), markdown.Text(string(bt.path.Encapsulation)))
	}
}

// linkNodes draws the link: the Direct Connect gateway (its ASN and the
// prefixes it announces to the site) or the VPN (the customer gateway and
// its ASN), and the Transit Gateway with its ASN.
func (r *reportWriter) linkNodes() {
	bt, bp, w, l := r.bt, r.bt.bp, r.w, markdown.MermaidLabel
	c := bp.Connectivity
	switch {
	case c.DirectConnect != nil:
		d := c.DirectConnect
		w("  link[%s]\n", l(fmt.Sprintf("Direct Connect %s VIF · MTU %d · gateway %s AS %d · announces %s", d.VIF, hopMTU(bt.path, 1), d.GatewayName, d.ASN, prefixes(bt.routing.AdvertiseToSite))))
	case c.VPN != nil:
		w("  link[%s]\n", l(fmt.Sprintf("Site-to-Site VPN · customer gateway %s AS %d", c.VPN.CustomerGatewayIP, c.VPN.CustomerASN)))
	default:
		w("  link[%s]\n", l(string(c.Connection)))
	}
	w("  tgw[%s]\n", l(fmt.Sprintf("Transit Gateway AS %d", c.TransitGatewayASN)))
}

// diagramNode is the topology node a flow's end is drawn at, or "" when
// the diagram has none for it.
func (r *reportWriter) diagramNode(p firewall.Peer) string {
	bp := r.bt.bp
	switch {
	case p.Role == netplan.RoleRemoteNode:
		return "nodes"
	case p.Role == netplan.RoleRemotePod:
		return "pods"
	case p.Role == netplan.RoleVPC:
		return "cloud"
	case p.ClusterENIs:
		return "eni"
	case p.Any && p.Host != "":
		return "aws"
	}
	a, ok := hostOf(p)
	if !ok {
		return ""
	}
	switch {
	case slices.Contains(bp.DNS.Servers, a):
		return "dns"
	case slices.ContainsFunc(bp.DNS.Inbound.IPs, func(ip EndpointIP) bool { return ip.IP == a }):
		return "inbound"
	case slices.ContainsFunc(bp.DNS.Outbound.IPs, func(ip EndpointIP) bool { return ip.IP == a }):
		return "outbound"
	case a == bp.Connectivity.MTUProbe:
		return "probe"
	}
	for i, e := range bp.Storage {
		if e.Server == a {
			return "nfs" + strconv.Itoa(i)
		}
	}
	return ""
}

// sectionDNS draws who answers which domain, top to bottom so the text
// stays legible at a page's width, and lists it.
func (r *reportWriter) sectionDNS() {
	bt, bp, b, w, l := r.bt, r.bt.bp, r.b, r.w, markdown.MermaidLabel
	w("\n## DNS\n\n```mermaid\nflowchart TB\n")
	w("  onprem[%s]\n", l("site resolvers · "+joinAddrs(bp.DNS.Servers)))
	w("  coredns[%s]\n  resolver[%s]\n", l("CoreDNS · hybrid and cloud replicas"), l("VPC resolver"))
	if bt.dns.Inbound != nil {
		w("  inbound[%s]\n", l("inbound endpoint · "+endpointIPs(bp.DNS.Inbound)))
		for _, d := range bp.DNS.ForwardToAWS {
			w("  onprem -->|%s| inbound\n", l(d.String()))
		}
		w("  inbound --> resolver\n")
	}
	if bt.dns.Outbound != nil {
		w("  outbound[%s]\n", l("outbound endpoint · "+endpointIPs(bp.DNS.Outbound)))
		for _, z := range bp.DNS.Zones {
			w("  resolver -->|%s| outbound\n", l(z.String()))
		}
		w("  outbound --> onprem\n")
	}
	for _, z := range bp.DNS.Zones {
		w("  coredns -->|%s| onprem\n", l(z.String()+" stub domain"))
	}
	w("  coredns -->|%s| resolver\n", l("everything else"))
	w("```\n\n")
	var rows [][]string
	for _, d := range bp.DNS.ForwardToAWS {
		rows = append(rows, []string{"site → AWS", d.String(), endpointIPs(bp.DNS.Inbound), "BIND, Unbound, dnsmasq files in dns/"})
	}
	for _, z := range bp.DNS.Zones {
		rows = append(rows, []string{"AWS → site", z.String(), joinAddrs(bp.DNS.Servers), "a Resolver rule and a CoreDNS stub domain"})
	}
	b.Write(markdown.Table{Header: []string{"Direction", "Domain", "Answered by", "Configured in"}, Rows: rows}.Bytes())
}

// costCharts draws the month's hybrid-nodes bill by price tier, and the
// guide's flat price beside the tiered one.
func (r *reportWriter) costCharts() {
	bt, w := r.bt, r.w
	var labels, values []string
	for _, t := range bt.estimate.Tiers {
		if t.Hours == 0 {
			continue
		}
		labels = append(labels, strconv.Quote(fmt.Sprintf("%d vCPU-h at %s", t.Hours, t.Rate)))
		values = append(values, dollars(t.Amount))
	}
	if len(labels) > 0 {
		w("\n```mermaid\nxychart-beta\n  title \"Hybrid nodes this month, by price tier (USD)\"\n  x-axis [%s]\n  y-axis \"USD\"\n  bar [%s]\n```\n",
			strings.Join(labels, ", "), strings.Join(values, ", "))
	}
	if len(bt.scenarios) > 0 {
		w("\n```mermaid\nxychart-beta\n  title \"Hybrid nodes this month (USD)\"\n  x-axis [\"the guide's flat $0.1099\", \"AWS's tiers\"]\n  y-axis \"USD\"\n  bar [%s, %s]\n```\n",
			dollars(bt.scenarios[0].Estimate.HybridNodes), dollars(bt.estimate.HybridNodes))
	}
}

// dollars writes m as a plain decimal number of dollars for a chart.
func dollars(m cost.Money) string {
	s := m.String() // "$12,613.12"
	return strings.NewReplacer("$", "", ",", "").Replace(s)
}
