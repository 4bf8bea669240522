package poc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/markdown"
	"github.com/hybridkit/hybridkit/netpath"
)

// maxOutput bounds what Grade reads of one file: far more than any check
// prints.
const maxOutput = 8 << 20

// Plan is what the proof of concept must show.
type Plan struct {
	// HybridNodes is how many hybrid nodes must be Ready; 0 checks none.
	HybridNodes int `json:"hybridNodes"`
	// GPUsPerNode is the nvidia.com/gpu each hybrid GPU node must
	// advertise as allocatable; 0 skips the GPU items.
	GPUsPerNode int `json:"gpusPerNode"`
	// GPUModel is the product name nvidia-smi prints ("NVIDIA H200"); the
	// GPU pod's devices must have it. Empty accepts any.
	GPUModel string `json:"gpuModel,omitempty"`
	// Thresholds grade the link; the zero value is the adoption guide's
	// baseline (netpath.GuideThresholds).
	Thresholds netpath.Thresholds `json:"thresholds"`
	// NodePayload and PodPayload are the don't-fragment ping sizes at the
	// node path's MTU and the pod MTU; 0 skips that check.
	NodePayload int `json:"nodePayload,omitempty"`
	PodPayload  int `json:"podPayload,omitempty"`
	// StorageBytes is what each dd run must move; 0 skips the storage
	// item (no on-premises volume).
	StorageBytes int64 `json:"storageBytes,omitempty"`
	// DNSZone is the on-premises zone resolved from both sides; empty
	// skips the DNS item.
	DNSZone string `json:"dnsZone,omitempty"`
}

// Check is one graded measurement.
type Check struct {
	Name string `json:"name"`
	// File is the results file it was read from.
	File string `json:"file"`
	// Measured is what the output shows, or why nothing was measured.
	Measured string `json:"measured"`
	// Grade is the band of a measured metric (good, warning, critical);
	// empty for pass/fail checks.
	Grade string `json:"grade,omitempty"`
	Pass  bool   `json:"pass"`
	// Look says what to look at when the check fails.
	Look string `json:"look,omitempty"`
}

// Item is one PoC item of the adoption guide, with its checks.
type Item struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Checks []Check `json:"checks"`
	Pass   bool    `json:"pass"`
}

// Report is the graded proof of concept. Pass is true when every item
// passes; a metric in the warning band passes, a critical one fails.
type Report struct {
	Items []Item `json:"items"`
	Pass  bool   `json:"pass"`
}

// Grade grades the results of verify/poc.sh (file name to content, as
// read from its results folder) against p. It never fails: output that
// is missing, unreadable or shows a failure makes a failing check that
// says so. Items p does not ask for (no GPUs, no storage, no DNS zone)
// are left out.
func Grade(p Plan, results map[string][]byte) Report {
	if p.Thresholds == (netpath.Thresholds{}) {
		p.Thresholds = netpath.GuideThresholds()
	}
	g := grader{results: results}
	var r Report
	if p.HybridNodes > 0 || p.GPUsPerNode > 0 {
		r.Items = append(r.Items, Item{ID: "gpu", Name: "hybrid GPU nodes join and run a GPU pod", Checks: g.gpu(p)})
	}
	if p.StorageBytes > 0 {
		r.Items = append(r.Items, Item{ID: "storage", Name: "a pod on a cloud node reads and writes the on-premises NFS volume", Checks: []Check{g.storage(p)}})
	}
	r.Items = append(r.Items, Item{ID: "link", Name: "the link from a cloud node to a hybrid node meets the baseline", Checks: g.link(p)})
	r.Items = append(r.Items, Item{ID: "routing", Name: "pods reach each other across the link", Checks: []Check{
		g.succeeded("cloud pod to hybrid pod", FileCloudPodToHybridPod, "the VPC route tables' routes to the remote pod network, the on-premises router's route for it to the nodes (or BGP), and the firewall between the VPC and the remote pod network"),
		g.succeeded("hybrid pod to the VPC (the cluster endpoint)", FileHybridPodToVPC, "the on-premises route to the VPC CIDR, the cluster security group's rules for the remote pod network, and kube-proxy on the hybrid node"),
	}})
	if p.DNSZone != "" {
		look := "the CoreDNS stub domain for " + p.DNSZone + " and the firewall from the CoreDNS replicas to the site's DNS servers"
		r.Items = append(r.Items, Item{ID: "dns", Name: "DNS resolves the on-premises zone from both sides", Checks: []Check{
			g.answered("from a hybrid pod", FileDNSFromHybrid, look),
			g.answered("from a cloud pod", FileDNSFromCloud, look+", and the Route 53 Resolver outbound endpoint's rule"),
		}})
	}
	r.Pass = true
	for i := range r.Items {
		it := &r.Items[i]
		it.Pass = true
		for _, c := range it.Checks {
			it.Pass = it.Pass && c.Pass
		}
		r.Pass = r.Pass && it.Pass
	}
	return r
}

type grader struct{ results map[string][]byte }

// output returns a check's output and whether its command exited 0; a
// missing file or exit status is a check that did not run.
func (g grader) output(file string) (out []byte, status string, ok bool) {
	out, found := g.results[file]
	if !found {
		return nil, "not run: " + file + " is missing from the results", false
	}
	if len(out) > maxOutput {
		return nil, fmt.Sprintf("%s is larger than %d bytes", file, maxOutput), false
	}
	exit, found := g.results[file+ExitSuffix]
	if !found {
		return out, "", true // the exit status is optional: output alone is graded
	}
	code := strings.TrimSpace(string(exit))
	if code != "0" {
		return out, "exit status " + printable(code) + ": " + lastLine(out), false
	}
	return out, "", true
}

func (g grader) succeeded(name, file, look string) Check {
	c := Check{Name: name, File: file, Look: look}
	out, status, ok := g.output(file)
	if !ok {
		c.Measured = status
		return c
	}
	c.Measured, c.Pass = "reached: "+lastLine(out), true
	return c
}

func (g grader) answered(name, file, look string) Check {
	c := Check{Name: name, File: file, Look: look}
	out, status, ok := g.output(file)
	switch {
	case !ok:
		c.Measured = status
	case len(bytes.TrimSpace(out)) == 0:
		c.Measured = "no answer"
	default:
		c.Measured, c.Pass = "answer: "+lastLine(out), true
	}
	return c
}

func (g grader) gpu(p Plan) []Check {
	nodes := Check{Name: "hybrid nodes Ready with their GPUs allocatable", File: FileNodes,
		Look: "kubectl describe node for the missing ones: nodeadm's logs (journalctl -u nodeadm, kubelet), and the NVIDIA device plugin's pod on the node"}
	if out, status, ok := g.output(FileNodes); !ok {
		nodes.Measured = status
	} else {
		nodes.Measured, nodes.Pass = gradeNodes(out, p)
	}
	if p.GPUsPerNode == 0 {
		return []Check{nodes}
	}
	pod := Check{Name: "a GPU pod on a hybrid node runs nvidia-smi", File: FileGPUPod,
		Look: "kubectl describe pod hybridkit-poc-gpu: its events (scheduling, the nvidia runtime), then the node's containerd config for the nvidia runtime"}
	if out, status, ok := g.output(FileGPUPod); !ok {
		pod.Measured = status
	} else if inv, err := gpu.ParseQueryCSV(out); err != nil {
		pod.Measured = printable(err.Error())
	} else {
		names := make([]string, len(inv.GPUs))
		pod.Pass = len(inv.GPUs) > 0
		for i, d := range inv.GPUs {
			names[i] = d.Name
			if p.GPUModel != "" && d.Name != p.GPUModel {
				pod.Pass = false
			}
		}
		pod.Measured = fmt.Sprintf("%d GPU(s): %s, driver %s", len(inv.GPUs), printable(strings.Join(names, ", ")), printable(inv.DriverVersion))
		if !pod.Pass && p.GPUModel != "" {
			pod.Measured += "; the plan's GPU is " + p.GPUModel
		}
	}
	return []Check{nodes, pod}
}

// gradeNodes reads `kubectl get nodes -o json`: every planned node Ready
// with GPUsPerNode allocatable.
func gradeNodes(out []byte, p Plan) (string, bool) {
	var list corev1.NodeList
	if err := json.Unmarshal(out, &list); err != nil {
		return "not kubectl's node list: " + printable(err.Error()), false
	}
	ready, full := 0, 0
	var short []string
	for _, n := range list.Items {
		isReady := false
		for _, c := range n.Status.Conditions {
			if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
				isReady = true
			}
		}
		if isReady {
			ready++
		}
		q := n.Status.Allocatable[gpu.ResourceGPU]
		if got := q.Value(); p.GPUsPerNode == 0 || got == int64(p.GPUsPerNode) {
			full++
		} else if len(short) < 5 {
			short = append(short, fmt.Sprintf("%s has %d", printable(n.Name), got))
		}
	}
	msg := fmt.Sprintf("%d of %d planned hybrid nodes Ready", ready, p.HybridNodes)
	if p.GPUsPerNode > 0 {
		msg += fmt.Sprintf(", %d with %d nvidia.com/gpu allocatable", full, p.GPUsPerNode)
	}
	if len(short) > 0 {
		msg += " (" + strings.Join(short, "; ") + ")"
	}
	return msg, ready >= p.HybridNodes && full == len(list.Items) && len(list.Items) >= p.HybridNodes
}

func (g grader) storage(p Plan) Check {
	c := Check{Name: "direct write then direct read of " + strconv.FormatInt(p.StorageBytes, 10) + " bytes", File: FileStorage,
		Look: "kubectl -n <namespace> describe pod hybridkit-poc-storage (mount errors), the NFS rules from the VPC to the server (TCP 2049), and the export's client list, which must hold the VPC's CIDR"}
	out, status, ok := g.output(FileStorage)
	runs, err := ParseDD(out)
	switch {
	case err != nil && !ok:
		c.Measured = status
		return c
	case err != nil:
		c.Measured = printable(err.Error())
		return c
	}
	parts := make([]string, len(runs))
	for i, r := range runs {
		parts[i] = r.String()
	}
	c.Measured = strings.Join(parts, "; ")
	if !ok {
		c.Measured = status + "; " + c.Measured
	}
	c.Pass = ok && len(runs) == 2 && runs[0].Bytes == p.StorageBytes && runs[1].Bytes == p.StorageBytes
	if len(runs) == 2 {
		c.Measured = "write " + formatRate(runs[0].BytesPerSecond()) + ", read " + formatRate(runs[1].BytesPerSecond()) + " (" + c.Measured + ")"
	}
	return c
}

func (g grader) link(p Plan) []Check {
	var m netpath.Measurement
	var checks []Check
	look := map[string]string{
		"latency":   "the path: the Direct Connect or VPN's route, and whether traffic hairpins through another site",
		"jitter":    "congestion on the link and on-premises routers' queues",
		"loss":      "interface errors on both ends, the MTU of every hop, and the link's utilisation",
		"bandwidth": "the link's capacity and utilisation, the VPN's per-tunnel limit, and the hosts' NICs; iperf3 -P for more streams",
	}
	if out, status, ok := g.output(FileLinkPing); !ok && len(out) == 0 {
		checks = append(checks, Check{Name: "ping (latency, jitter, loss)", File: FileLinkPing, Measured: status, Look: "whether ICMP from the VPC reaches the hybrid node (security groups, on-premises firewall)"})
	} else if pm, err := netpath.ParsePing(out); err != nil {
		checks = append(checks, Check{Name: "ping (latency, jitter, loss)", File: FileLinkPing, Measured: printable(err.Error()), Look: look["loss"]})
	} else {
		m = pm
	}
	if out, status, ok := g.output(FileLinkIperf3); !ok && len(out) == 0 {
		checks = append(checks, Check{Name: "iperf3 (bandwidth)", File: FileLinkIperf3, Measured: status, Look: "the iperf3 server pod on the hybrid node, and TCP 5201 from the VPC"})
	} else if im, err := netpath.ParseIperf3(out); err != nil {
		checks = append(checks, Check{Name: "iperf3 (bandwidth)", File: FileLinkIperf3, Measured: printable(err.Error()), Look: "the iperf3 server pod on the hybrid node, and TCP 5201 from the VPC"})
	} else {
		m.Bandwidth = im.Bandwidth
		m.Measured = append(m.Measured, im.Measured...)
	}
	for _, mg := range p.Thresholds.Grade(m) {
		file := FileLinkPing
		if mg.Metric == "bandwidth" {
			file = FileLinkIperf3
		}
		checks = append(checks, Check{Name: mg.Metric, File: file, Measured: mg.Value, Grade: mg.Grade.String(), Pass: mg.Grade != netpath.GradeCritical, Look: look[mg.Metric]})
	}
	if p.NodePayload > 0 {
		checks = append(checks, g.succeeded(fmt.Sprintf("don't-fragment ping of %d bytes, node to node", p.NodePayload), FileNodePayload,
			"the MTU of every hop between the VPC and the site: a smaller one drops full-size packets (the plan's path MTU is in the report)"))
	}
	if p.PodPayload > 0 {
		checks = append(checks, g.succeeded(fmt.Sprintf("don't-fragment ping of %d bytes, pod to pod", p.PodPayload), FilePodPayload,
			"the CNI's MTU on the hybrid nodes, which must leave room for its encapsulation under the path MTU"))
	}
	return checks
}

// lastLine is the last non-empty line of out, printable and short.
func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return printable(lines[len(lines)-1])
}

func printable(s string) string { return advice.Printable(s, 200) }

// Markdown is the report as a Markdown document: the verdict, then a
// table per item with each check's measurement, band and what to look at
// when it fails.
func (r Report) Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("# PoC report\n\n")
	verdict := "**pass**: every item passes."
	if !r.Pass {
		var failed []string
		for _, it := range r.Items {
			if !it.Pass {
				failed = append(failed, it.ID)
			}
		}
		verdict = "**fail**: " + strings.Join(failed, ", ") + "."
	}
	b.WriteString(verdict + "\n")
	for _, it := range r.Items {
		mark := "pass"
		if !it.Pass {
			mark = "fail"
		}
		fmt.Fprintf(&b, "\n## %s: %s (%s)\n\n", it.ID, markdown.Text(it.Name), mark)
		t := markdown.Table{Header: []string{"check", "measured", "band", "result", "look at", "file"}}
		for _, c := range it.Checks {
			res, lookAt := "pass", ""
			if !c.Pass {
				res, lookAt = "fail", c.Look
			}
			t.Rows = append(t.Rows, []string{c.Name, c.Measured, c.Grade, res, lookAt, c.File})
		}
		b.Write(t.Bytes())
	}
	return b.Bytes()
}
