package blueprint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/internal/markdown"
	"github.com/hybridkit/hybridkit/netplan"
)

// sectionFlows writes the flow matrix: one row per flow the configs make,
// with the side that must let it through; the per-rule table is a file of
// its own.
func (r *reportWriter) sectionFlows() {
	bt, b, w := r.bt, r.b, r.w
	w("\n## Flows\n\n")
	w("Every connection the bundle's configs make, checked against the firewall plan (a flow no rule allows is an error finding). ")
	w("The rules, one per line, are in [firewall/rules.md](firewall/rules.md) and [firewall/rules.csv](firewall/rules.csv).\n\n")
	rows := make([][]string, 0, len(bt.flowList))
	for _, f := range bt.flowList {
		name := f.Name
		if f.Optional {
			name += " (optional)"
		}
		rows = append(rows, []string{name, r.peers(f.From) + " → " + r.peers(f.To), flowPorts(f), f.Allow, f.Why, markdown.Link("source", f.Ref)})
	}
	b.Write(markdown.Table{Header: []string{"Flow", "From → to", "Protocol", "Must allow", "Why", "Source"}, Rows: rows}.Bytes())
}

// maxListedPeers is how many hosts a flow's end lists by address before
// it counts them.
const maxListedPeers = 2

// peers names a flow's end for a reader: networks by what they hold,
// hosts by address (or counted), AWS endpoints by name.
func (r *reportWriter) peers(ps []firewall.Peer) string {
	var names, hosts []string
	for _, p := range ps {
		if a, ok := hostOf(p); ok {
			hosts = append(hosts, a.String())
			continue
		}
		names = append(names, peerName(p))
	}
	if len(hosts) > maxListedPeers {
		hosts = []string{strconv.Itoa(len(hosts)) + " hosts"}
	}
	if len(names) > maxListedPeers {
		names = []string{strconv.Itoa(len(names)) + " AWS endpoints"}
	}
	return strings.Join(append(names, hosts...), ", ")
}

// peerName is a peer in words.
func peerName(p firewall.Peer) string {
	switch {
	case p.Role == netplan.RoleRemoteNode:
		return "hybrid nodes"
	case p.Role == netplan.RoleRemotePod:
		return "hybrid pods"
	case p.Role == netplan.RoleVPC:
		return "VPC"
	case p.ClusterENIs:
		return "EKS ENIs"
	case p.Any && p.Host != "":
		return p.Host
	}
	return p.String()
}

// flowPorts writes a flow's protocols and ports: "UDP+TCP 53",
// "TCP 443, 8443, 9443", "ICMP echo".
func flowPorts(f Flow) string {
	var protos []string
	for _, p := range f.Protocols {
		protos = append(protos, strings.ToUpper(p.String()))
	}
	if len(f.Ports) == 0 {
		return strings.Join(protos, "+") + " echo"
	}
	var ports []string
	for _, p := range f.Ports {
		ports = append(ports, p.String())
	}
	return strings.Join(protos, "+") + " " + strings.Join(ports, ", ")
}

// flowEdges are the topology diagram's edges: one per flow and pair of
// drawn ends, labelled with the flow's ports, dotted when optional.
func (bt *built) flowEdges(nodeOf func(firewall.Peer) string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range bt.flowList {
		arrow := "-->"
		if f.Optional {
			arrow = "-.->"
		}
		for _, from := range f.From {
			for _, to := range f.To {
				a, z := nodeOf(from), nodeOf(to)
				key := a + arrow + z + f.Name
				if a == "" || z == "" || seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, fmt.Sprintf("  %s %s|%s| %s", a, arrow, markdown.MermaidLabel(f.Name+" · "+flowPorts(f)), z))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
