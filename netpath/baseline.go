package netpath

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// Grade is how a measured value compares with the baseline.
type Grade int

// Grades, ordered.
const (
	GradeGood Grade = iota
	GradeWarning
	GradeCritical
)

// String returns "good", "warning" or "critical".
func (g Grade) String() string {
	switch g {
	case GradeGood:
		return "good"
	case GradeWarning:
		return "warning"
	case GradeCritical:
		return "critical"
	}
	return fmt.Sprintf("grade(%d)", int(g))
}

// MarshalText encodes the String form.
func (g Grade) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

// Thresholds is the link baseline between the hybrid nodes and AWS. Each
// pair gives the bounds of the warning band: better than the first value is
// good, worse than the second is critical, the bounds themselves warn.
type Thresholds struct {
	Latency   [2]time.Duration `json:"latency"`
	Jitter    [2]time.Duration `json:"jitter"`
	LossPPM   [2]int64         `json:"lossPpm"`      // packet loss in parts per million
	Bandwidth [2]int64         `json:"bandwidthBps"` // bits per second; higher is better
}

// GuideThresholds is the adoption guide's baseline table: latency under
// 5 ms (5–10 ms warning, over 10 critical), jitter under 2 ms (2–5),
// loss under 0.01 % (0.01–0.1 %), bandwidth over 10 Gbps (5–10).
func GuideThresholds() Thresholds {
	return Thresholds{
		Latency:   [2]time.Duration{5 * time.Millisecond, 10 * time.Millisecond},
		Jitter:    [2]time.Duration{2 * time.Millisecond, 5 * time.Millisecond},
		LossPPM:   [2]int64{100, 1000},
		Bandwidth: [2]int64{10_000_000_000, 5_000_000_000},
	}
}

// LinkThresholds are GuideThresholds with the bandwidth bands scaled to
// the link's capacity in bits per second, as the guide's are to its
// 10 Gbps Direct Connect: good at full capacity, a warning from half of
// it, critical below. A capacity of 0 (not known) keeps the guide's
// 10 Gbps; a negative one is treated as 0.
func LinkThresholds(capacityBps int64) Thresholds {
	t := GuideThresholds()
	if capacityBps > 0 {
		t.Bandwidth = [2]int64{capacityBps, capacityBps / 2}
	}
	return t
}

// Measurement is one observation of the link. Zero fields were not
// measured; Set says which were.
type Measurement struct {
	Latency   time.Duration `json:"latency,omitempty" validate:"gte=0"`
	Jitter    time.Duration `json:"jitter,omitempty" validate:"gte=0"`
	LossPPM   int64         `json:"lossPpm,omitempty" validate:"gte=0,lte=1000000"`
	Bandwidth int64         `json:"bandwidthBps,omitempty" validate:"gte=0"`
	// Retransmits is TCP retransmissions during a bandwidth test.
	Retransmits int64 `json:"retransmits,omitempty" validate:"gte=0"`
	// Measured lists the metrics present: "latency", "jitter", "loss",
	// "bandwidth".
	Measured []string `json:"measured,omitempty" validate:"dive,oneof=latency jitter loss bandwidth"`
}

// Validate returns nil, or every problem with its JSON path: no negative
// figure, loss at most 1,000,000 ppm, and only known metrics in Measured.
func (m Measurement) Validate() error { return ivalidation.ToError("netpath", m.ValidateAt(nil)) }

// ValidateAt is Validate with paths under fp.
func (m Measurement) ValidateAt(fp *field.Path) field.ErrorList { return ivalidation.Struct(fp, &m) }

func (m Measurement) has(metric string) bool {
	for _, x := range m.Measured {
		if x == metric {
			return true
		}
	}
	return false
}

// MetricGrade is one metric's grade.
type MetricGrade struct {
	Metric string `json:"metric"`
	Value  string `json:"value"`
	Grade  Grade  `json:"grade"`
}

func lowerIsBetter(v, good, bad int64) Grade {
	switch {
	case v < good:
		return GradeGood
	case v > bad:
		return GradeCritical
	}
	return GradeWarning
}

// Grade grades every measured metric, in the order latency, jitter, loss,
// bandwidth.
func (t Thresholds) Grade(m Measurement) []MetricGrade {
	var out []MetricGrade
	if m.has("latency") {
		out = append(out, MetricGrade{"latency", m.Latency.String(), lowerIsBetter(int64(m.Latency), int64(t.Latency[0]), int64(t.Latency[1]))})
	}
	if m.has("jitter") {
		out = append(out, MetricGrade{"jitter", m.Jitter.String(), lowerIsBetter(int64(m.Jitter), int64(t.Jitter[0]), int64(t.Jitter[1]))})
	}
	if m.has("loss") {
		out = append(out, MetricGrade{"loss", formatPPM(m.LossPPM), lowerIsBetter(m.LossPPM, t.LossPPM[0], t.LossPPM[1])})
	}
	if m.has("bandwidth") {
		// Higher is better: grade the negated values.
		out = append(out, MetricGrade{"bandwidth", formatBps(m.Bandwidth), lowerIsBetter(-m.Bandwidth, -t.Bandwidth[0], -t.Bandwidth[1])})
	}
	return out
}

// CodeBelowBaseline is the finding for a measured metric outside the
// baseline's good band.
const CodeBelowBaseline advice.Code = "netpath/below-baseline"

// Check grades m and returns a finding for every metric that is not good:
// a Warning in the warning band, an Error beyond it, at the metric's field
// of Measurement ("latency", "jitter", "lossPpm", "bandwidthBps"). A
// Measurement with nothing measured returns none.
func (t Thresholds) Check(m Measurement) []advice.Finding {
	var fs []advice.Finding
	for _, g := range t.Grade(m) {
		if g.Grade == GradeGood {
			continue
		}
		lvl := advice.Warning
		if g.Grade == GradeCritical {
			lvl = advice.Error
		}
		good, bad := t.bounds(g.Metric)
		fs = append(fs, advice.Finding{Level: lvl, Code: CodeBelowBaseline, Field: field.NewPath(metricField(g.Metric)).String(),
			Message: fmt.Sprintf("%s %s is %s: the baseline is good %s %s, critical %s %s", g.Metric, g.Value, g.Grade, betterWord(g.Metric), good, worseWord(g.Metric), bad),
			Ref:     "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html#hybrid-nodes-networking-min-reqs"})
	}
	return fs
}

// metricField maps Grade's metric names to Measurement's JSON fields.
func metricField(metric string) string {
	switch metric {
	case "loss":
		return "lossPpm"
	case "bandwidth":
		return "bandwidthBps"
	}
	return metric
}

// bounds formats the two bounds of a metric's warning band.
func (t Thresholds) bounds(metric string) (good, bad string) {
	switch metric {
	case "latency":
		return t.Latency[0].String(), t.Latency[1].String()
	case "jitter":
		return t.Jitter[0].String(), t.Jitter[1].String()
	case "loss":
		return formatPPM(t.LossPPM[0]), formatPPM(t.LossPPM[1])
	}
	return formatBps(t.Bandwidth[0]), formatBps(t.Bandwidth[1])
}

func betterWord(metric string) string {
	if metric == "bandwidth" {
		return "above"
	}
	return "below"
}

func worseWord(metric string) string {
	if metric == "bandwidth" {
		return "below"
	}
	return "above"
}

func formatPPM(ppm int64) string {
	return strconv.FormatFloat(float64(ppm)/10000, 'f', -1, 64) + "%"
}

func formatBps(bps int64) string {
	return strconv.FormatFloat(float64(bps)/1e9, 'f', 2, 64) + " Gbps"
}

var (
	pingLossRE = regexp.MustCompile(`(\d+) packets transmitted, (\d+) (?:packets )?received,(?: \+\d+ \w+,)* ([0-9.]+)% packet loss`)
	pingRTTRE  = regexp.MustCompile(`(?:rtt|round-trip) min/avg/max/(?:mdev|stddev) = ([0-9.]+)/([0-9.]+)/([0-9.]+)/([0-9.]+) ms`)
)

// ParsePing reads the summary of Linux iputils ping: packet loss, and the
// average round trip as latency and its mdev as jitter. A run where every
// packet was lost has no round-trip line; only loss is measured then.
// Output without the statistics line is an error.
func ParsePing(out []byte) (Measurement, error) {
	if len(out) > 1<<20 {
		return Measurement{}, errors.New("netpath: ping output is larger than 1 MiB")
	}
	var m Measurement
	lm := pingLossRE.FindSubmatch(out)
	if lm == nil {
		return Measurement{}, errors.New("netpath: no \"packets transmitted, … received, …% packet loss\" line in the ping output")
	}
	ppm, err := parseDecimalPPM(string(lm[3]))
	if err != nil {
		return Measurement{}, err
	}
	m.LossPPM = ppm
	m.Measured = append(m.Measured, "loss")
	if rm := pingRTTRE.FindSubmatch(out); rm != nil {
		avg, err1 := msDuration(string(rm[2]))
		mdev, err2 := msDuration(string(rm[4]))
		if err := errors.Join(err1, err2); err != nil {
			return Measurement{}, err
		}
		m.Latency, m.Jitter = avg, mdev
		m.Measured = append([]string{"latency", "jitter"}, m.Measured...)
	}
	return m, nil
}

// parseDecimalPPM reads a percentage such as "0.01" into parts per million
// without floating point.
func parseDecimalPPM(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	frac = (frac + "0000")[:4] // ppm resolution: 0.0001 %, more digits dropped
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w > 100 {
		return 0, fmt.Errorf("netpath: loss %q%% is not a percentage", s)
	}
	return w*10000 + f, nil
}

func msDuration(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || f > 1e9 {
		return 0, fmt.Errorf("netpath: %q ms is not a round-trip time", s)
	}
	return time.Duration(math.Round(f * float64(time.Millisecond))), nil
}

// ParseIperf3 reads `iperf3 -J` output: the bandwidth the receiver saw for
// all streams together (end.sum_received, or sum for UDP) and the sender's
// retransmissions. An iperf3 error report is returned as an error.
func ParseIperf3(out []byte) (Measurement, error) {
	var doc struct {
		Error string `json:"error"`
		End   *struct {
			SumSent *struct {
				BitsPerSecond float64 `json:"bits_per_second"`
				Retransmits   int64   `json:"retransmits"`
			} `json:"sum_sent"`
			SumReceived *struct {
				BitsPerSecond float64 `json:"bits_per_second"`
			} `json:"sum_received"`
			Sum *struct {
				BitsPerSecond float64 `json:"bits_per_second"`
				LostPercent   float64 `json:"lost_percent"`
				JitterMS      float64 `json:"jitter_ms"`
			} `json:"sum"`
		} `json:"end"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return Measurement{}, fmt.Errorf("netpath: iperf3 -J output is not JSON: %w", err)
	}
	if doc.Error != "" {
		return Measurement{}, fmt.Errorf("netpath: iperf3 reported: %s", doc.Error)
	}
	if doc.End == nil {
		return Measurement{}, errors.New("netpath: iperf3 -J output has no end summary (was the test interrupted?)")
	}
	var m Measurement
	switch {
	case doc.End.SumReceived != nil:
		m.Bandwidth = int64(doc.End.SumReceived.BitsPerSecond)
		if doc.End.SumSent != nil {
			m.Retransmits = doc.End.SumSent.Retransmits
		}
		m.Measured = []string{"bandwidth"}
	case doc.End.Sum != nil: // UDP
		s := doc.End.Sum
		m.Bandwidth = int64(s.BitsPerSecond)
		m.LossPPM = int64(math.Round(s.LostPercent * 10000))
		m.Jitter = time.Duration(math.Round(s.JitterMS * float64(time.Millisecond)))
		m.Measured = []string{"jitter", "loss", "bandwidth"}
	default:
		return Measurement{}, errors.New("netpath: iperf3 -J output has neither sum_received nor sum")
	}
	if m.Bandwidth < 0 || m.Retransmits < 0 {
		return Measurement{}, errors.New("netpath: iperf3 -J output has negative totals")
	}
	return m, nil
}

// MeasureOptions place the measurement pods.
type MeasureOptions struct {
	// Target is the address measured against (an iperf3 server or a pod on
	// the other side).
	Target netip.Addr
	// Image defaults to networkstatic/iperf3, the guide's.
	Image string
	// NodeSelector places the client pod (for example on a hybrid node:
	// eks.amazonaws.com/compute-type=hybrid).
	NodeSelector map[string]string
	// Seconds and Streams default to 30 and 4.
	Seconds, Streams int
	// PingPayload, when set, adds a don't-fragment ping of that size.
	PingPayload int
	// HostNetwork runs the pods in the node's network namespace, so they
	// measure the path the node itself uses (an NFS mount, the kubelet)
	// with the node's MTU; a pod's own interface has the CNI's smaller MTU
	// (8450 under an 8500-byte node with VXLAN), so a don't-fragment ping
	// sized for the node's path fails inside a pod before it leaves.
	HostNetwork bool
	// Affinity, when set, is the pod's affinity: cloud nodes, which carry
	// no compute-type label, are the nodes NotIn the hybrid one.
	Affinity *corev1.Affinity
}

// PodCommand returns the kubectl argument vector that runs cmd in a
// throw-away pod placed by o: kubectl run NAME --image … --rm -i --quiet
// --overrides {nodeSelector, tolerations, hostNetwork} -- cmd…. kubectl
// exits non-zero when the command does.
func (o MeasureOptions) PodCommand(name string, cmd ...string) ([]string, error) {
	if o.Image == "" {
		o.Image = "networkstatic/iperf3"
	}
	spec := map[string]any{}
	if len(o.NodeSelector) > 0 {
		spec["nodeSelector"] = o.NodeSelector
		spec["tolerations"] = []map[string]string{{"operator": "Exists"}}
	}
	if o.HostNetwork {
		spec["hostNetwork"] = true
	}
	if o.Affinity != nil {
		spec["affinity"] = o.Affinity
	}
	// --quiet keeps kubectl's own lines ("pod … deleted") out of the
	// command's output, which checks read.
	args := []string{"kubectl", "run", name, "--image=" + o.Image, "--restart=Never", "--rm", "-i", "--quiet"}
	if len(spec) > 0 {
		b, err := json.Marshal(map[string]any{"spec": spec})
		if err != nil {
			return nil, err
		}
		args = append(args, "--overrides="+string(b))
	}
	return append(append(args, "--"), cmd...), nil
}

// MeasureCommands returns kubectl argument vectors (never a shell string)
// that measure the link from a pod: 100 pings for latency, jitter and loss,
// and an iperf3 run with JSON output for bandwidth.
func MeasureCommands(o MeasureOptions) ([][]string, error) {
	if !o.Target.IsValid() {
		return nil, errors.New("netpath: the measurement needs a target address")
	}
	if o.Seconds == 0 {
		o.Seconds = 30
	}
	if o.Streams == 0 {
		o.Streams = 4
	}
	if o.Seconds < 1 || o.Streams < 1 || o.Streams > 128 {
		return nil, fmt.Errorf("netpath: %d seconds and %d streams are not a measurement", o.Seconds, o.Streams)
	}
	target := o.Target.String()
	cmds := [][]string{
		{"hybridkit-ping", "ping", "-c", "100", "-i", "0.2", target},
		{"hybridkit-iperf3", "iperf3", "-c", target, "-t", strconv.Itoa(o.Seconds), "-P", strconv.Itoa(o.Streams), "-J"},
	}
	if o.PingPayload > 0 {
		cmds = append(cmds, []string{"hybridkit-mtu", "ping", "-M", "do", "-s", strconv.Itoa(o.PingPayload), "-c", "3", target})
	}
	var out [][]string
	for _, c := range cmds {
		args, err := o.PodCommand(c[0], c[1:]...)
		if err != nil {
			return nil, err
		}
		out = append(out, args)
	}
	return out, nil
}
