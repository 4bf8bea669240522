package storage

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
)

// PathCheck is the network between the nodes that mount an on-premises
// volume and its server, in netplan's terms: the measured link, the hops
// it crosses, the firewall rules in place, and the share.
type PathCheck struct {
	// Thresholds default to netpath.GuideThresholds: bandwidth of at least
	// 10 Gbps, latency of at most 5 ms (the guide's storage targets).
	Thresholds  *netpath.Thresholds `json:"thresholds,omitempty"`
	Measurement netpath.Measurement `json:"measurement"`
	Path        netpath.Path        `json:"path"`
	Plan        netplan.Plan        `json:"-"`
	Share       firewall.NFSShare   `json:"share"`
	// Rules are the firewall rules in place (or planned), checked for the
	// NFS flows: 2049, and rpcbind 111 and mountd for NFSv3.
	Rules firewall.RuleSet `json:"rules"`
	// NodeMTU is the MTU configured on the nodes' interfaces; 0 skips the
	// comparison with the path.
	NodeMTU int `json:"nodeMtu,omitempty"`
}

// refPathTest is AWS's advice to test the network with one's own
// workloads before production: its 100 Mbps and 200 ms are a floor for the
// node's link to the Region, not a storage target (EKS User Guide,
// hybrid-nodes-networking, "Minimum network requirements").
const refPathTest = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html#hybrid-nodes-networking-min-reqs"

// Finding codes of CheckPath.
const (
	CodePathSlow        advice.Code = "storage/path-below-baseline"
	CodePathNotMeasured advice.Code = "storage/path-not-measured"
	CodePathMTU         advice.Code = "storage/path-mtu"
	CodeFirewallMissing advice.Code = "storage/firewall-missing"
)

// CheckPath grades the storage path: bandwidth and latency against the
// thresholds (not measured is a finding too), the path MTU computed from
// the hops (9000 is only right when every hop carries it: a Transit
// Gateway carries 8500), and every NFS flow of firewall.NFSProfile present
// in the rules. Findings are sorted, most severe first.
func CheckPath(c PathCheck) []advice.Finding {
	th := netpath.GuideThresholds()
	if c.Thresholds != nil {
		th = *c.Thresholds
	}
	var fs []advice.Finding
	measured := map[string]bool{}
	for _, g := range th.Grade(c.Measurement) {
		measured[g.Metric] = true
		if g.Metric != "latency" && g.Metric != "bandwidth" || g.Grade == netpath.GradeGood {
			continue
		}
		lvl := advice.Warning
		if g.Grade == netpath.GradeCritical {
			lvl = advice.Error
		}
		fs = append(fs, advice.Finding{Level: lvl, Code: CodePathSlow, Field: measurementField(g.Metric).String(),
			Message: fmt.Sprintf("%s %s is %s for storage (target: latency ≤ %s, bandwidth ≥ %d Gbps)", g.Metric, g.Value, g.Grade, th.Latency[0], th.Bandwidth[0]/1_000_000_000),
			Ref:     refPathTest})
	}
	for _, m := range []string{"latency", "bandwidth"} {
		if !measured[m] {
			fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodePathNotMeasured, Field: measurementField(m).String(),
				Message: m + " of the storage path was not measured: measure it with ping and iperf3 from a node to the NFS server before putting data on it",
				Ref:     refPathTest})
		}
	}
	if mtu, hop := c.Path.MTU(); hop >= 0 {
		msg := fmt.Sprintf("the path MTU to the storage is %d (limited by hop %d, %s)", mtu, hop, c.Path.Hops[hop].Kind)
		lvl := advice.Info
		if c.NodeMTU > mtu {
			lvl = advice.Warning
			msg += fmt.Sprintf(": the nodes' MTU %d is larger, so full-size frames are dropped or fragmented; set %d, not a blanket 9000", c.NodeMTU, mtu)
		}
		fs = append(fs, advice.Finding{Level: lvl, Code: CodePathMTU, Field: field.NewPath("path").String(), Message: msg, Ref: "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html"})
	}
	for _, need := range firewall.NFSProfile(c.Plan, c.Share) {
		if !c.Rules.Allows(need.Protocol, need.Ports, need.From, need.To) {
			fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeFirewallMissing, Field: field.NewPath("rules").String(),
				Message: fmt.Sprintf("no rule allows %s %s from %s to the NFS server %s (%s)", need.Protocol, need.Ports, need.From, c.Share.Server, need.Purpose),
				Ref:     need.Ref})
		}
	}
	return advice.Sort(fs)
}

// measurementField is the path of a netpath metric ("latency",
// "bandwidth") in PathCheck's Measurement, by its JSON name.
func measurementField(metric string) *field.Path {
	name := metric
	switch metric {
	case "bandwidth":
		name = "bandwidthBps"
	case "loss":
		name = "lossPpm"
	}
	return field.NewPath("measurement", name)
}
