package cost_test

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// dgx is a DGX H100/H200-class server: two 56-core Xeon Platinum 8480C
// with hyper-threading, 224 vCPUs, 8 GPUs.
func dgx() cost.Server {
	return cost.Server{Name: "DGX H200", CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, GPUs: 8, GPUModel: "H200"}
}

// guideInput is the guide's fleet: ten 224-vCPU GPU servers, 730 hours.
func guideInput() cost.Input {
	return cost.Input{Groups: []cost.NodeGroup{{Server: dgx(), Count: 10}}, Pricing: cost.HybridNodesPricing()}
}

func TestGuideScenarioTiered(t *testing.T) {
	e, err := cost.Compute(guideInput())
	if err != nil {
		t.Fatal(err)
	}
	if e.VCPUHours != 1_635_200 || e.Total.String() != "$24,416.00" {
		t.Fatalf("guide fleet: %d vCPU-h, %s", e.VCPUHours, e.Total)
	}
	var parts []string
	for _, u := range e.Tiers {
		parts = append(parts, u.Amount.String())
	}
	if want := []string{"$11,520.00", "$8,064.00", "$4,832.00", "$0.00", "$0.00"}; !slices.Equal(parts, want) {
		t.Errorf("tiers = %v, want %v", parts, want)
	}
	if e.PerNode.String() != "$2,441.60" || e.PerGPU.String() != "$305.20" || e.MarginalRate.String() != "$0.01" || e.AverageRate.String() != "$0.014932" {
		t.Errorf("per node %s, per GPU %s, marginal %s, average %s", e.PerNode, e.PerGPU, e.MarginalRate, e.AverageRate)
	}
	if len(e.Findings) != 0 {
		t.Errorf("findings: %v", e.Findings)
	}
	testkit.Golden(t, "guide-tiered.golden.md", e.Markdown())
	js, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "guide-tiered.golden.json", append(js, '\n'))
}

func TestGuideFlatAssumption(t *testing.T) {
	in := guideInput()
	in.Pricing = cost.GuidePricing()
	e, err := cost.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	// 0.1099 × 730 × 224 × 10, exactly; the guide's $179,715.20 rounds the
	// per-vCPU month to $80.23 before multiplying.
	if e.Total.String() != "$179,708.48" {
		t.Errorf("flat total = %s, want $179,708.48", e.Total)
	}
	if len(e.Findings) != 1 || e.Findings[0].Code != cost.CodeGuidePricing {
		t.Errorf("findings = %v", e.Findings)
	}
}

func TestVCPUMismatchFinding(t *testing.T) {
	in := guideInput()
	in.Groups[0].Server = cost.Server{Name: "guide server", CPU: cost.Processors{Model: "Xeon Platinum 8592+", Sockets: 2, DeclaredVCPUs: 224}, GPUs: 8}
	e, err := cost.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if e.VCPUs != 2560 || len(e.Findings) != 1 || e.Findings[0].Code != cost.CodeVCPUMismatch || e.Findings[0].Field != "groups[0].server.cpu.declaredVcpus" {
		t.Errorf("vCPUs %d, findings %v", e.VCPUs, e.Findings)
	}
}

func TestDetachedNodesAndCalendarMonth(t *testing.T) {
	in := guideInput()
	in.MonthHours = cost.CalendarMonthHours(2026, time.February)
	in.Groups[0].HoursPerMonth = 12 * 20 // 12 hours on 20 working days
	e, err := cost.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if in.MonthHours != 672 || e.VCPUHours != 224*10*240 || e.Total.String() != "$10,752.00" {
		t.Errorf("month %d h, %d vCPU-h, %s", in.MonthHours, e.VCPUHours, e.Total)
	}
	if got := cost.CalendarMonthHours(2024, time.March); got != 744 {
		t.Errorf("March = %d h", got)
	}
}

func TestClusterFee(t *testing.T) {
	in := guideInput()
	in.ClusterFee = &cost.ClusterFee{Clusters: 1, Rate: cost.StandardClusterRate()}
	e, err := cost.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if e.ClusterFee.String() != "$73.00" || e.Total.String() != "$24,489.00" {
		t.Errorf("fee %s total %s", e.ClusterFee, e.Total)
	}
}

func TestInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*cost.Input)
		path   string
	}{
		{"zero count", func(in *cost.Input) { in.Groups[0].Count = 0 }, "groups[0].count"},
		{"negative count", func(in *cost.Input) { in.Groups[0].Count = -3 }, "groups[0].count"},
		{"month over 744", func(in *cost.Input) { in.MonthHours = 745 }, "monthHours"},
		{"node hours over month", func(in *cost.Input) { in.Groups[0].HoursPerMonth = 731 }, "groups[0].hoursPerMonth"},
		{"no groups", func(in *cost.Input) { in.Groups = nil }, "groups"},
		{"zero sockets", func(in *cost.Input) { in.Groups[0].Server.CPU.Sockets = 0 }, "groups[0].server.cpu.sockets"},
		{"unknown CPU", func(in *cost.Input) { in.Groups[0].Server.CPU.Model = "Pentium II" }, "groups[0].server.cpu.model"},
		{"three threads", func(in *cost.Input) { in.Groups[0].Server.CPU.ThreadsPerCore = 3 }, "groups[0].server.cpu.threadsPerCore"},
		{"negative GPUs", func(in *cost.Input) { in.Groups[0].Server.GPUs = -1 }, "groups[0].server.gpus"},
		{"bad table", func(in *cost.Input) { in.Pricing.Tiers[1].UpTo = 1 }, "pricing.tiers[1].upTo"},
		{"negative cluster fee", func(in *cost.Input) { in.ClusterFee = &cost.ClusterFee{Clusters: 1, Rate: -1} }, "clusterFee.rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := guideInput()
			tc.mutate(&in)
			_, err := cost.Compute(in)
			errs := ivalidation.FieldErrors(err)
			if len(errs) != 1 || errs[0].Field != tc.path {
				t.Errorf("Compute = %v, want one error at %s", err, tc.path)
			}
		})
	}
	in := guideInput()
	in.Groups[0].Count = math.MaxInt32
	in.Groups = append(in.Groups, in.Groups[0], in.Groups[0], in.Groups[0], in.Groups[0])
	in.Pricing = cost.GuidePricing()
	for i := range in.Groups {
		in.Groups[i].Server.CPU.CoresPerSocket = 1024
	}
	if _, err := cost.Compute(in); !errors.Is(err, cost.ErrOverflow) {
		t.Errorf("overflowing fleet: %v", err)
	}
}

// BenchmarkEstimate100kNodes prices a 100,000-node fleet of mixed servers
// (target < 10 ms).
func BenchmarkEstimate100kNodes(b *testing.B) {
	in := cost.Input{Pricing: cost.HybridNodesPricing()}
	for i := range 100_000 {
		s := dgx()
		if i%3 == 0 {
			s = cost.Server{Name: "cpu", CPU: cost.Processors{CoresPerSocket: 32, ThreadsPerCore: 2, Sockets: 2}}
		}
		in.Groups = append(in.Groups, cost.NodeGroup{Server: s, Count: 1, HoursPerMonth: int64(200 + i%500)})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cost.Compute(in); err != nil {
			b.Fatal(err)
		}
	}
}
