package blueprint

import (
	"bytes"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/markdown"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Plan is plan.json: the whole plan for machines.
type Plan struct {
	Cluster             Cluster                     `json:"cluster"`
	Networks            netplan.Plan                `json:"networks"`
	Path                PathSummary                 `json:"path"`
	RemoteNetworkConfig netplan.RemoteNetworkConfig `json:"remoteNetworkConfig"`
	Routing             netplan.RoutingPlan         `json:"routing"`
	Firewall            firewall.RuleSet            `json:"firewall"`
	Flows               []Flow                      `json:"flows"`
	DNS                 dnsplan.Plan                `json:"dns"`
	Nodes               []PlannedNode               `json:"nodes"`
	Cost                cost.Estimate               `json:"cost"`
	Scenarios           []cost.Result               `json:"scenarios"`
	Comparisons         []cost.Comparison           `json:"comparisons,omitempty"`
	Converted           *cost.Amount                `json:"converted,omitempty"`
	Findings            []advice.Finding            `json:"findings"`
}

// PathSummary is the path MTU and what follows from it.
type PathSummary struct {
	Hops        []netpath.Hop      `json:"hops"`
	MTU         int                `json:"mtu"`
	PodMTU      int                `json:"podMtu"`
	PingPayload int                `json:"pingPayload"`
	Thresholds  netpath.Thresholds `json:"thresholds"`
}

// PlannedNode is one hybrid node.
type PlannedNode struct {
	Name     string                        `json:"name"`
	Pool     string                        `json:"pool"`
	Address  netip.Addr                    `json:"address"`
	Labels   map[string]string             `json:"labels"`
	Capacity map[corev1.ResourceName]int64 `json:"capacity,omitempty"`
	Taints   []corev1.Taint                `json:"taints,omitempty"`
}

// plannedNodes lists the nodes with their pool's labels, capacity and
// taints, worked out once per pool and shared by its nodes.
func (bt *built) plannedNodes() []PlannedNode {
	pools := make([]PlannedNode, len(bt.bp.NodePools))
	for i, p := range bt.bp.NodePools {
		pn := PlannedNode{Pool: p.Name, Labels: poolLabels(bt.bp, p)}
		pn.Labels[nodeconfig.LabelComputeType] = nodeconfig.ComputeTypeHybrid
		if p.GPU != nil {
			if m, ok := gpu.ModelByAlias(p.GPU.Model); ok {
				o := gpu.DevicePluginOptions{}
				o.Default()
				if c, err := gpu.Capacity(o, m, p.GPU.Count, nil); err == nil {
					pn.Capacity = c
				}
			}
			pn.Taints = []corev1.Taint{gpu.NodeTaint()}
		}
		pools[i] = pn
	}
	out := make([]PlannedNode, len(bt.nodes))
	for i, n := range bt.nodes {
		out[i] = pools[n.pool]
		out[i].Name, out[i].Address = n.name, n.addr
	}
	return out
}

func (bt *built) planJSON(findings []advice.Finding) ([]byte, error) {
	rnc, _ := bt.plan.RemoteNetworkConfig()
	mtu, _ := bt.path.MTU()
	p := Plan{
		Cluster: bt.bp.Cluster, Networks: bt.plan,
		Path:                PathSummary{Hops: bt.path.Hops, MTU: mtu, PodMTU: bt.path.PodMTU(), PingPayload: bt.path.PingPayload(), Thresholds: bt.thresholds()},
		RemoteNetworkConfig: rnc, Routing: bt.routing, Firewall: bt.rules, Flows: bt.flowList, DNS: bt.dns, Nodes: bt.planned,
		Cost: bt.estimate, Scenarios: bt.scenarios, Comparisons: bt.comparisons, Converted: bt.converted, Findings: findings,
	}
	js, err := jsonFile(p)
	if err != nil {
		return nil, fmt.Errorf("blueprint: plan.json: %w", err)
	}
	return js, nil
}

// costScenarios renders the scenarios with the guide's figure beside the
// real one.
func costScenarios(bt *built) []byte {
	var b bytes.Buffer
	b.WriteString("# Cost scenarios\n\n")
	b.Write(cost.RenderScenarios(bt.scenarios))
	if len(bt.scenarios) > 0 {
		guide := bt.scenarios[0].Estimate
		fmt.Fprintf(&b, "\nThe adoption guide priced hybrid nodes at a flat $0.1099 per vCPU-hour: %s a month for this fleet. AWS prices them in monthly tiers: %s.\n",
			markdown.Text(guide.HybridNodes.String()), markdown.Text(bt.estimate.HybridNodes.String()))
	}
	return b.Bytes()
}

// reportWriter writes README.md section by section.
type reportWriter struct {
	bt       *built
	b        *bytes.Buffer
	files    []File
	findings []advice.Finding
}

func (r *reportWriter) w(format string, args ...any) { fmt.Fprintf(r.b, format, args...) }

// report writes README.md, the plan report.
func (bt *built) report(files []File, findings []advice.Finding) []byte {
	r := &reportWriter{bt: bt, b: &bytes.Buffer{}, files: files, findings: findings}
	r.b.Grow(40 << 10) // the reference report is about 30 KB: one buffer, not a doubling chain
	r.sectionSummary()
	r.sectionFlows()
	r.sectionTopology()
	r.sectionCorrections()
	r.sectionFindings()
	r.sectionAddresses()
	r.sectionDNS()
	r.sectionNodes()
	r.sectionCost()
	r.sectionBaseline()
	r.sectionFiles()
	return r.b.Bytes()
}

// sectionSummary writes the title and the summary table.
func (r *reportWriter) sectionSummary() {
	bt, bp, b, w, t := r.bt, r.bt.bp, r.b, r.w, markdown.Text
	w("# EKS Hybrid Nodes plan: %s\n\n", t(bp.Cluster.Name))
	w("Generated by hybridkit from one blueprint. Every file in this folder was checked against the rules of the program that reads it; `bundle.json` lists them with their SHA-256.\n\n")
	w("## Summary\n\n")
	mtu, _ := bt.path.MTU()
	gpus := int64(0)
	for _, p := range bp.NodePools {
		if p.GPU != nil {
			gpus += int64(p.GPU.Count * p.Count)
		}
	}
	th := bt.thresholds()
	e := bt.estimate
	rows := [][]string{
		{"Cluster", fmt.Sprintf("%s · EKS %s · %s · %s endpoint", bp.Cluster.Name, bp.Cluster.KubernetesVersion, bp.Cluster.Region, bp.Cluster.EndpointAccess)},
		{"Hybrid nodes", fmt.Sprintf("%d nodes · %d vCPUs · %d GPUs · %s credentials", e.Nodes, e.VCPUs, gpus, bp.Credentials.Provider)},
		{"VPC", bp.VPC.CIDR.String() + " · services " + bp.Cluster.ServiceCIDR.String()},
		{"Site", "nodes " + bp.Site.RemoteNodeNetwork.String() + " · pods " + bp.Site.RemotePodNetwork.String()},
		{"Link", fmt.Sprintf("%s to a Transit Gateway · CNI %s (%s)", bp.Connectivity.Connection, bp.CNI, bt.path.Encapsulation)},
		{"MTU", fmt.Sprintf("path %d · pods %d · ping payload %d", mtu, bt.path.PodMTU(), bt.path.PingPayload())},
		{"PoC thresholds", fmt.Sprintf("latency < %s · jitter < %s · loss < %d ppm · bandwidth > %s", th.Latency[0], th.Jitter[0], th.LossPPM[0], bitRate(th.Bandwidth[0]))},
		{"Checked by", "verify/from-kubectl.sh, verify/from-site.sh" + r.probeCheck()},
		{"Monthly cost", e.Total.String() + ": hybrid nodes " + e.HybridNodes.String() + ", cluster " + e.ClusterFee.String()},
	}
	if c := converted(bt); c != "" {
		rows = append(rows, []string{"In " + bp.Pricing.Currency, strings.TrimPrefix(c, " ")})
	}
	rows = append(rows, []string{"Findings", fmt.Sprintf("%d error, %d warning, %d info", advice.Count(r.findings, advice.Error), advice.Count(r.findings, advice.Warning), advice.Count(r.findings, advice.Info))})
	summary := markdown.Table{Header: []string{"Item", "Plan"}, Rows: rows}
	b.Write(summary.Bytes())
}

// sectionCorrections lists what the plan corrects in the adoption guide.
func (r *reportWriter) sectionCorrections() {
	bt, w, t := r.bt, r.w, markdown.Text
	w("\n## What this plan corrects in the adoption guide\n\n")
	guideFlat := "-"
	if len(bt.scenarios) > 0 {
		guideFlat = bt.scenarios[0].Estimate.HybridNodes.String()
	}
	for _, c := range []string{
		fmt.Sprintf("Price: the guide's flat $0.1099 per vCPU-hour gives %s for this fleet; AWS's monthly tiers give %s.", guideFlat, bt.estimate.HybridNodes),
		"Firewall: TCP 10250 goes from the EKS control plane (cluster ENIs) to the hybrid nodes, not the other way; no 6443; security-group rules name the remote networks as CIDRs, never a hybrid security group.",
		mtuCorrection(bt.path),
		"containerd: the NVIDIA drop-in is version 2 and carries the whole CRI section, so containerd 1.x's table replacement keeps runc's SystemdCgroup, the sandbox image and the registry config.",
		"Device plugin: rendered here at " + gpu.DevicePluginVersion + " instead of v0.14.5 from a URL.",
		"DNS: every Route 53 Resolver rule is associated with the VPC; .local is routed explicitly on the Ubuntu nodes (systemd-resolved) because it is reserved for mDNS.",
		"Placement: EC2 nodes have no compute-type=ec2 label; cloud work uses compute-type NotIn [hybrid], and spreading uses topology.kubernetes.io/zone, which the hybrid nodes get from their NodeConfig.",
		"Cluster Autoscaler: scales the cloud node groups only; hybrid billing stops when the Node object is deleted.",
		"Cost Explorer: the guide filters on SERVICE \"Amazon Elastic Kubernetes Service - Hybrid Nodes\", which Cost Explorer does not have, and ends the month a day early (End is exclusive); cost/cost-explorer.sh filters on \"" + cost.EKSCostExplorerService + "\" in the cluster's Region and groups by usage type.",
	} {
		w("- %s\n", t(c))
	}
}

// sectionFindings lists the findings by level: code, field, message and
// a link to the source (plan.json holds them as data).
func (r *reportWriter) sectionFindings() {
	w, t := r.w, markdown.Text
	w("\n## Findings\n")
	for _, l := range []advice.Level{advice.Error, advice.Warning, advice.Info} {
		n := advice.Count(r.findings, l)
		if n == 0 {
			continue
		}
		w("\n### %s (%d)\n\n", t(strings.ToUpper(l.String()[:1])+l.String()[1:]), n)
		for _, f := range r.findings {
			if f.Level != l {
				continue
			}
			at := ""
			if f.Field != "" {
				at = " at `" + strings.ReplaceAll(f.Field, "`", "'") + "`"
			}
			w("- `%s`%s: %s (%s)\n", f.Code, at, t(f.Message), markdown.Link("source", f.Ref))
		}
	}
}

// sectionAddresses lists the networks and the VPC routes to the site.
func (r *reportWriter) sectionAddresses() {
	bt, b, w, t := r.bt, r.b, r.w, markdown.Text
	w("\n## Address plan\n\n")
	rows := [][]string{}
	for _, n := range bt.plan.Networks {
		rows = append(rows, []string{n.Name, string(n.Role), n.Prefix.String(), n.AZ})
	}
	b.Write(markdown.Table{Header: []string{"Network", "Role", "CIDR", "AZ"}, Rows: rows}.Bytes())
	w("\nVPC routes, one per flow the plan sends from the VPC to the site:\n\n")
	b.Write(markdown.Table{Header: []string{"Destination", "Route tables", "Target", "Flow"}, Rows: routeRows(bt.routing)}.Bytes())
	w("\nThe site must announce %s and receive %s.\n", t(prefixes(bt.routing.SiteMustAdvertise)), t(prefixes(bt.routing.AdvertiseToSite)))
}

// sectionNodes lists the hybrid nodes with their capacity and labels.
func (r *reportWriter) sectionNodes() {
	bt, b, w, t := r.bt, r.b, r.w, markdown.Text
	w("\n## Hybrid nodes and GPUs\n")
	first := 0
	for _, p := range bt.bp.NodePools {
		nodes := bt.planned[first : first+p.Count]
		first += p.Count
		pn := nodes[0]
		w("\n### Pool %s: %d node(s)\n\n", t(p.Name), len(nodes))
		capacity := []string{}
		for k, v := range pn.Capacity {
			capacity = append(capacity, string(k)+"="+strconv.FormatInt(v, 10))
		}
		rows := [][]string{{"Capacity", strings.Join(sortedStrings(capacity), " ")}}
		if len(pn.Taints) > 0 {
			rows = append(rows, []string{"Taints", pn.Taints[0].ToString()})
		}
		for _, k := range sortedKeys(pn.Labels) {
			rows = append(rows, []string{"Label", k + "=" + pn.Labels[k]})
		}
		b.Write(markdown.Table{Header: []string{"Every node", "Value"}, Rows: rows}.Bytes())
		w("\n")
		b.Write(markdown.Table{Header: []string{"Node", "Address"}, Rows: nodeRows(nodes)}.Bytes())
	}
}

// maxListedNodes is how many nodes of a pool the report lists one by
// one; a larger pool shows its first and last (plan.json lists all).
const maxListedNodes = 20

// nodeRows are a pool's nodes by name and address.
func nodeRows(nodes []PlannedNode) [][]string {
	if len(nodes) > maxListedNodes {
		last := nodes[len(nodes)-1]
		return [][]string{
			{nodes[0].Name, nodes[0].Address.String()},
			{fmt.Sprintf("… %d more, named and addressed in sequence (plan.json lists each)", len(nodes)-2), "…"},
			{last.Name, last.Address.String()},
		}
	}
	rows := make([][]string, len(nodes))
	for i, n := range nodes {
		rows[i] = []string{n.Name, n.Address.String()}
	}
	return rows
}

// sectionCost writes the estimate, the scenarios and the cloud comparisons.
func (r *reportWriter) sectionCost() {
	bt, bp, b, w, t := r.bt, r.bt.bp, r.b, r.w, markdown.Text
	w("\n## Cost\n\n")
	b.Write(bt.estimate.Markdown())
	r.costCharts()
	w("\n")
	b.Write(cost.RenderScenarios(bt.scenarios))
	for _, c := range bt.comparisons {
		w("\nOne %s server against cloud GPU instances with the same GPUs (dated list prices, given as inputs; its share of the hybrid-nodes bill, without the cluster fee):\n\n", t(c.Server))
		crow := [][]string{{"hybrid server (owned)", c.Owned.String(), c.OwnedGPUHour.String(), "-"}}
		for _, cc := range c.Cloud {
			crow = append(crow, []string{cc.Name, cc.Monthly.String(), cc.GPUHour.String(), cc.BreakEven.String()})
		}
		b.Write(markdown.Table{Header: []string{"Option", "Per month", "Per GPU-hour", "Break-even use"}, Align: []markdown.Align{markdown.Left, markdown.Right, markdown.Right, markdown.Right}, Rows: crow}.Bytes())
	}
	if len(bt.comparisons) > 0 && bp.Pricing.Owned == nil {
		w("\n%s\n", t("No owned costs were given (capex, power): the hybrid server's figure is its EKS fee only."))
	}
}

// sectionBaseline writes the link's bands and, when measured, its grades.
func (r *reportWriter) sectionBaseline() {
	bt, bp, b, w := r.bt, r.bt.bp, r.b, r.w
	w("\n## Link baseline\n\n")
	th := bt.thresholds()
	if bp.Connectivity.BandwidthGbps > 0 {
		w("The guide's bands, with bandwidth scaled to the link's %d Gbps (good at full capacity, a warning from half).\n\n", bp.Connectivity.BandwidthGbps)
	}
	b.Write(markdown.Table{Header: []string{"Metric", "Good", "Warning", "Critical"}, Rows: [][]string{
		{"latency", "< " + th.Latency[0].String(), th.Latency[0].String() + " – " + th.Latency[1].String(), "> " + th.Latency[1].String()},
		{"jitter", "< " + th.Jitter[0].String(), th.Jitter[0].String() + " – " + th.Jitter[1].String(), "> " + th.Jitter[1].String()},
		{"loss", fmt.Sprintf("< %d ppm", th.LossPPM[0]), fmt.Sprintf("%d – %d ppm", th.LossPPM[0], th.LossPPM[1]), fmt.Sprintf("> %d ppm", th.LossPPM[1])},
		{"bandwidth", "> " + bitRate(th.Bandwidth[0]), bitRate(th.Bandwidth[1]) + " – " + bitRate(th.Bandwidth[0]), "< " + bitRate(th.Bandwidth[1])},
	}}.Bytes())
	if m := bp.Connectivity.Measurement; m != nil {
		w("\nMeasured:\n\n")
		grows := [][]string{}
		for _, g := range th.Grade(*m) {
			grows = append(grows, []string{g.Metric, g.Value, g.Grade.String()})
		}
		b.Write(markdown.Table{Header: []string{"Metric", "Value", "Grade"}, Rows: grows}.Bytes())
	}
}

// sectionFiles lists the bundle's files and the order to use them in.
func (r *reportWriter) sectionFiles() {
	w, t := r.w, markdown.Text
	w("\n## Files\n\n")
	w("- `README.md` (%s): this report\n- `plan.json` (%s): the plan for machines\n", KindMarkdown, KindJSON)
	for _, f := range r.files {
		w("- `%s` (%s): %s\n", f.Path, f.Kind, t(f.Description))
	}
	w("\nRun the AWS scripts in order (`aws/01-…` to `aws/05-…`), then `nodeadm init -c file://nodeconfigs/<node>.yaml` on each server, then `kubectl apply -f kubernetes/`, then the scripts in `verify/`.\n")
}

// probeCheck names the path MTU check when the plan has a probe.
func (r *reportWriter) probeCheck() string {
	if r.bt.bp.Connectivity.MTUProbe.IsValid() {
		return ", verify/from-hybrid-node.sh"
	}
	return ""
}

func converted(bt *built) string {
	if bt.converted == nil {
		return ""
	}
	return " ≈ " + bt.converted.String() + " at " + bt.bp.Pricing.CurrencyRate + " " + bt.bp.Pricing.Currency + "/USD"
}

func hopMTU(p netpath.Path, i int) int {
	q := netpath.Path{Hops: p.Hops[i : i+1]}
	m, _ := q.MTU()
	return m
}

func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

func endpointIPs(e Endpoint) string {
	s := make([]string, len(e.IPs))
	for i, ip := range e.IPs {
		s[i] = ip.IP.String()
	}
	return strings.Join(s, ", ")
}

// thresholds are the link baseline's bands for this link's capacity.
func (bt *built) thresholds() netpath.Thresholds {
	return netpath.LinkThresholds(int64(bt.bp.Connectivity.BandwidthGbps) * 1_000_000_000)
}

// bitRate formats bits per second in Gbps, or Mbps below one Gbps.
func bitRate(bps int64) string {
	if bps >= 1_000_000_000 && bps%100_000_000 == 0 {
		return strconv.FormatFloat(float64(bps)/1e9, 'f', -1, 64) + " Gbps"
	}
	return strconv.FormatInt(bps/1_000_000, 10) + " Mbps"
}

// mtuCorrection names the hops that limit the path (those outside the
// site when the nodes' own MTU is no smaller), instead of the guide's 9000
// bytes everywhere.
func mtuCorrection(p netpath.Path) string {
	limits := p.Limits()
	if len(limits) == 0 {
		return "MTU: the path has no hops."
	}
	var kinds []string
	for _, h := range limits {
		if h.Kind != netpath.HopOnPrem || len(limits) == 1 {
			kinds = append(kinds, string(h.Kind))
		}
	}
	return fmt.Sprintf("MTU: the path carries %d bytes, limited by %s (a Transit Gateway carries at most 8500, a Site-to-Site VPN tunnel 1446), so the proving ping payload is %d, not the guide's 8972.", limits[0].MTU, strings.Join(kinds, " and "), p.PingPayload())
}

// routeRows are the VPC routes by destination: the route tables that
// carry each, its target and the flow it serves.
func routeRows(r netplan.RoutingPlan) [][]string {
	var rows [][]string
	at := map[netip.Prefix]int{}
	for _, rt := range r.VPCRoutes {
		if i, ok := at[rt.Destination]; ok {
			rows[i][1] += ", " + rt.RouteTableID
			continue
		}
		at[rt.Destination] = len(rows)
		purpose, _, _ := strings.Cut(rt.Purpose, ":") // the flow; the why is in plan.json
		rows = append(rows, []string{rt.Destination.String(), rt.RouteTableID, rt.Target, purpose})
	}
	return rows
}

func prefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

func sortedStrings(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
