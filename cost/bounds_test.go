package cost_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/cost"
)

func TestMoneyAddMulBounds(t *testing.T) {
	max, min := cost.Money(math.MaxInt64), cost.Money(math.MinInt64)
	for _, tc := range []struct {
		name    string
		got     func() (cost.Money, error)
		want    cost.Money
		wantErr bool
	}{
		{"add zero", func() (cost.Money, error) { return cost.Money(7).Add(0) }, 7, false},
		{"add zero to max", func() (cost.Money, error) { return max.Add(0) }, max, false},
		{"add up to max", func() (cost.Money, error) { return (max - 1).Add(1) }, max, false},
		{"add past max", func() (cost.Money, error) { return max.Add(1) }, 0, true},
		{"add down to min", func() (cost.Money, error) { return (min + 1).Add(-1) }, min, false},
		{"add past min", func() (cost.Money, error) { return min.Add(-1) }, 0, true},
		{"add negative", func() (cost.Money, error) { return cost.Money(5).Add(-7) }, -2, false},
		{"mul by zero", func() (cost.Money, error) { return max.Mul(0) }, 0, false},
		{"mul zero", func() (cost.Money, error) { return cost.Money(0).Mul(math.MaxInt64) }, 0, false},
		{"mul to max", func() (cost.Money, error) { return max.Mul(1) }, max, false},
		{"mul one past max", func() (cost.Money, error) { return (max/2 + 1).Mul(2) }, 0, true},
		{"mul to min", func() (cost.Money, error) { return cost.Money(1).Mul(math.MinInt64) }, min, false},
		{"mul min by -1", func() (cost.Money, error) { return min.Mul(-1) }, 0, true},
		{"mul -1 by min", func() (cost.Money, error) { return cost.Money(-1).Mul(math.MinInt64) }, 0, true},
		{"mul -1", func() (cost.Money, error) { return cost.Money(-1).Mul(5) }, -5, false},
		{"mul negatives", func() (cost.Money, error) { return cost.Money(-3).Mul(-5) }, 15, false},
	} {
		got, err := tc.got()
		if got != tc.want || (err != nil) != tc.wantErr || err != nil && !errors.Is(err, cost.ErrOverflow) {
			t.Errorf("%s = %d, %v; want %d (error %t)", tc.name, int64(got), err, int64(tc.want), tc.wantErr)
		}
	}
}

func TestDivRoundByZero(t *testing.T) {
	for _, n := range []int64{0, -1} {
		if got := cost.DivRoundCents(cost.Dollar, n); got != 0 {
			t.Errorf("DivRoundCents($1, %d) = %s, want $0.00", n, got)
		}
		if got := cost.DivRoundMicro(cost.Dollar, n); got != 0 {
			t.Errorf("DivRoundMicro($1, %d) = %s, want $0.00", n, got)
		}
	}
	if got := cost.DivRoundCents(cost.Dollar, 1); got != cost.Dollar {
		t.Errorf("DivRoundCents($1, 1) = %s", got)
	}
	if got := cost.DivRoundMicro(cost.Dollar, 1); got != cost.Dollar {
		t.Errorf("DivRoundMicro($1, 1) = %s", got)
	}
}

func TestParseMoneyCommaGroups(t *testing.T) {
	for in, want := range map[string]cost.Money{"$1,000": 1_000 * cost.Dollar, "$123,456": 123_456 * cost.Dollar, "$123": 123 * cost.Dollar} {
		if got, err := cost.ParseMoney(in); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %s, %v", in, got, err)
		}
	}
	for _, bad := range []string{",123", "1234,567", "1,2345"} {
		if _, err := cost.ParseMoney(bad); err == nil || !strings.Contains(err.Error(), "commas must group thousands") {
			t.Errorf("ParseMoney(%q) error = %v", bad, err)
		}
	}
}

func TestMarginalRateAtTierBounds(t *testing.T) {
	table := cost.HybridNodesPricing()
	for hours, want := range map[int64]cost.Money{
		0: 20_000, 575_999: 20_000, 576_000: 14_000, 1_151_999: 14_000, 1_152_000: 10_000,
		11_519_999: 8_000, 11_520_000: 6_000, math.MaxInt64: 6_000,
	} {
		if got := table.MarginalRate(hours); got != want {
			t.Errorf("MarginalRate(%d) = %s, want %s", hours, got, want)
		}
	}
	// A table whose last tier is bounded has no rate past it.
	bounded := cost.PriceTable{Name: "b", Tiers: []cost.Tier{{UpTo: 10, Rate: 5}}}
	if got := bounded.MarginalRate(10); got != 0 {
		t.Errorf("bounded MarginalRate(10) = %s", got)
	}
}

func TestProcessorsVCPUs(t *testing.T) {
	for _, tc := range []struct {
		p    cost.Processors
		want int
	}{
		{cost.Processors{Sockets: 1, CoresPerSocket: 1, ThreadsPerCore: 1}, 1},
		{cost.Processors{Sockets: 2, CoresPerSocket: 3, ThreadsPerCore: 2}, 12},
		{cost.Processors{Sockets: 0, CoresPerSocket: 4, ThreadsPerCore: 2}, 0},
		{cost.Processors{Sockets: -1, CoresPerSocket: 4, ThreadsPerCore: 2}, 0},
		{cost.Processors{Sockets: 1, CoresPerSocket: -4, ThreadsPerCore: 2}, 0},
		{cost.Processors{Sockets: 1, CoresPerSocket: 4, ThreadsPerCore: -2}, 0},
	} {
		if got := tc.p.VCPUs(); got != tc.want {
			t.Errorf("%+v.VCPUs() = %d, want %d", tc.p, got, tc.want)
		}
	}
}

// server returns a server of sockets × cores × threads vCPUs and gpus GPUs.
func server(sockets, cores, threads, gpus int) cost.Server {
	return cost.Server{Name: "s", CPU: cost.Processors{Sockets: sockets, CoresPerSocket: cores, ThreadsPerCore: threads}, GPUs: gpus}
}

// TestComputeOverflows reaches each overflow check of Compute alone: the
// result is ErrOverflow, never a wrapped number.
func TestComputeOverflows(t *testing.T) {
	const maxI = math.MaxInt64
	one := server(1, 1, 1, 0)
	tests := []struct {
		name   string
		groups []cost.NodeGroup
		fee    *cost.ClusterFee
	}{
		{"group vCPUs", []cost.NodeGroup{{Server: server(16, 1024, 2, 0), Count: maxI/32768 + 1}}, nil},
		{"group vCPU-hours", []cost.NodeGroup{{Server: one, Count: maxI/730 + 1}}, nil},
		{"group GPUs", []cost.NodeGroup{{Server: server(1, 1, 1, maxI/2+1), Count: 2, HoursPerMonth: 1}}, nil},
		{"fleet nodes", []cost.NodeGroup{{Server: one, Count: maxI/2 + 1, HoursPerMonth: 1}, {Server: one, Count: maxI/2 + 1, HoursPerMonth: 1}}, nil},
		{"fleet vCPUs", []cost.NodeGroup{{Server: server(1, 1, 2, 0), Count: maxI/4 + 1, HoursPerMonth: 1}, {Server: server(1, 1, 2, 0), Count: maxI/4 + 1, HoursPerMonth: 1}}, nil},
		{"fleet GPUs", []cost.NodeGroup{{Server: server(1, 1, 1, maxI/2+1), Count: 1, HoursPerMonth: 1}, {Server: server(1, 1, 1, maxI/2+1), Count: 1, HoursPerMonth: 1}}, nil},
		{"fleet vCPU-hours", []cost.NodeGroup{{Server: one, Count: maxI / 744, HoursPerMonth: 730}, {Server: one, Count: maxI / 744, HoursPerMonth: 730}}, nil},
		{"price", []cost.NodeGroup{{Server: one, Count: 1_000_000_000_000_000}}, nil},
		{"cluster fee × clusters", []cost.NodeGroup{{Server: one, Count: 1}}, &cost.ClusterFee{Clusters: 3, Rate: maxI / 2}},
		{"cluster fee × hours", []cost.NodeGroup{{Server: one, Count: 1}}, &cost.ClusterFee{Clusters: 1, Rate: maxI / 100}},
		{"total", []cost.NodeGroup{{Server: dgx(), Count: 10}}, &cost.ClusterFee{Clusters: 1, Rate: maxI / 730}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := cost.Input{Groups: tt.groups, Pricing: cost.HybridNodesPricing(), ClusterFee: tt.fee}
			if err := in.Validate(); err != nil {
				t.Fatalf("the input is valid, so only the arithmetic can fail: %v", err)
			}
			e, err := cost.Compute(in)
			if !errors.Is(err, cost.ErrOverflow) {
				t.Errorf("Compute = %+v, %v; want ErrOverflow", e, err)
			}
		})
	}
	// The same fleets one step smaller fit.
	e, err := cost.Compute(cost.Input{Groups: []cost.NodeGroup{{Server: one, Count: 1}}, Pricing: cost.HybridNodesPricing(),
		ClusterFee: &cost.ClusterFee{Clusters: 1, Rate: (maxI - 20_000*730) / 730}})
	if err != nil || e.Total != cost.Money((maxI-20_000*730)/730*730+20_000*730) {
		t.Errorf("largest fee: %s, %v", e.Total, err)
	}
}

// TestGroupSharesAddUp: the last group takes the rounding, so the shares
// add up to the bill exactly even when it does not divide.
func TestGroupSharesAddUp(t *testing.T) {
	one := server(1, 1, 1, 1)
	in := cost.Input{Groups: []cost.NodeGroup{{Server: one, Count: 1}, {Server: one, Count: 1}, {Server: one, Count: 1}},
		MonthHours: 1, Pricing: cost.PriceTable{Name: "odd", Tiers: []cost.Tier{{Rate: 1}}}}
	e, err := cost.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	// 3 vCPU-hours at 1 µ$: shares of 1 µ$ each.
	var sum cost.Money
	for _, g := range e.Groups {
		sum += g.HybridNodes
	}
	if e.HybridNodes != 3 || sum != e.HybridNodes {
		t.Errorf("bill %d µ$, shares %v", e.HybridNodes, e.Groups)
	}
	in.Pricing.Tiers[0].Rate = 10
	in.Groups[2].HoursPerMonth = 1
	in.Groups = append(in.Groups, cost.NodeGroup{Server: server(1, 1, 2, 0), Count: 1})
	// 5 vCPU-hours, 50 µ$: 10, 10, 10 and the last 20.
	if e, err = cost.Compute(in); err != nil {
		t.Fatal(err)
	}
	got := []cost.Money{e.Groups[0].HybridNodes, e.Groups[1].HybridNodes, e.Groups[2].HybridNodes, e.Groups[3].HybridNodes}
	if got[0] != 10 || got[1] != 10 || got[2] != 10 || got[3] != 20 {
		t.Errorf("shares %v, want [10 10 10 20]", got)
	}
	// 7 µ$ over three equal groups: 2, 2 and the last 3 (not 2 + 2 + 2).
	in = cost.Input{Groups: []cost.NodeGroup{{Server: one, Count: 1}, {Server: one, Count: 1}, {Server: one, Count: 1}},
		MonthHours: 1, Pricing: cost.PriceTable{Name: "odd", Tiers: []cost.Tier{{UpTo: 1, Rate: 5}, {Rate: 1}}}}
	if e, err = cost.Compute(in); err != nil {
		t.Fatal(err)
	}
	if g := e.Groups; e.HybridNodes != 7 || g[0].HybridNodes != 2 || g[1].HybridNodes != 2 || g[2].HybridNodes != 3 {
		t.Errorf("bill %d, shares %v", e.HybridNodes, g)
	}
	// Per-GPU counts only the groups with GPUs.
	if e.GPUs != 3 || e.PerGPU != 0 {
		t.Errorf("GPUs %d per GPU %s", e.GPUs, e.PerGPU)
	}
}

func TestGuidePricingFindingNamesTheTieredCost(t *testing.T) {
	in := guideInput()
	in.Pricing = cost.GuidePricing()
	e, err := cost.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Findings) != 1 || e.Findings[0].Code != cost.CodeGuidePricing ||
		!strings.Contains(e.Findings[0].Message, "these 1635200 vCPU-hours cost $24,416.00 with the tiers, not $179,708.48") {
		t.Errorf("findings %v", e.Findings)
	}
}

func TestScenariosGPUOnly(t *testing.T) {
	names := func(ss []cost.Scenario) string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return strings.Join(out, "; ")
	}
	cpu := cost.NodeGroup{Server: server(2, 32, 2, 0), Count: 2}
	gpu := cost.NodeGroup{Server: dgx(), Count: 2}
	for _, tc := range []struct {
		name   string
		groups []cost.NodeGroup
		want   bool
	}{
		{"CPU only", []cost.NodeGroup{cpu}, false},
		{"GPU only", []cost.NodeGroup{gpu}, false},
		{"mixed", []cost.NodeGroup{cpu, gpu}, true},
	} {
		ss := cost.Scenarios(cost.Input{Groups: tc.groups, Pricing: cost.HybridNodesPricing()}, 0)
		if got := strings.Contains(names(ss), "GPU servers only"); got != tc.want {
			t.Errorf("%s: scenarios %s", tc.name, names(ss))
		}
	}
	// A fleet without GPUs shows no per-GPU figure.
	rs, err := cost.CompareScenarios(cost.Scenarios(cost.Input{Groups: []cost.NodeGroup{cpu}, Pricing: cost.HybridNodesPricing()}, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(cost.RenderScenarios(rs))), "\n")[2:] {
		cells := strings.Split(line, "|")
		if perGPU := strings.TrimSpace(cells[8]); perGPU != "-" {
			t.Errorf("per GPU of a CPU fleet = %q in %s", perGPU, line)
		}
	}
}

// TestInputBounds: each bound of Input.Validate on both sides, alone.
func TestInputBounds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*cost.Input)
		path   string
	}{
		{"one-hour month", func(in *cost.Input) { in.MonthHours = 1 }, ""},
		{"744-hour month", func(in *cost.Input) { in.MonthHours = 744 }, ""},
		{"745-hour month", func(in *cost.Input) { in.MonthHours = 745 }, "monthHours"},
		{"negative month", func(in *cost.Input) { in.MonthHours = -1 }, "monthHours"},
		{"one node", func(in *cost.Input) { in.Groups[0].Count = 1 }, ""},
		{"no nodes", func(in *cost.Input) { in.Groups[0].Count = 0 }, "groups[0].count"},
		{"all month", func(in *cost.Input) { in.Groups[0].HoursPerMonth = 0 }, ""},
		{"the whole month given", func(in *cost.Input) { in.Groups[0].HoursPerMonth = 730 }, ""},
		{"an hour over the month", func(in *cost.Input) { in.Groups[0].HoursPerMonth = 731 }, "groups[0].hoursPerMonth"},
		{"negative hours", func(in *cost.Input) { in.Groups[0].HoursPerMonth = -1 }, "groups[0].hoursPerMonth"},
		{"hours within a short month", func(in *cost.Input) { in.MonthHours = 672; in.Groups[0].HoursPerMonth = 672 }, ""},
		{"hours over a short month", func(in *cost.Input) { in.MonthHours = 672; in.Groups[0].HoursPerMonth = 673 }, "groups[0].hoursPerMonth"},
		{"no clusters", func(in *cost.Input) { in.ClusterFee = &cost.ClusterFee{} }, ""},
		{"negative clusters", func(in *cost.Input) { in.ClusterFee = &cost.ClusterFee{Clusters: -1} }, "clusterFee.clusters"},
		{"free clusters", func(in *cost.Input) { in.ClusterFee = &cost.ClusterFee{Clusters: 1, Rate: 0} }, ""},
		{"negative rate", func(in *cost.Input) { in.ClusterFee = &cost.ClusterFee{Clusters: 1, Rate: -1} }, "clusterFee.rate"},
		{"a bad server in a clean group", func(in *cost.Input) { in.Groups[0].Server.CPU.Sockets = 17 }, "groups[0].server.cpu.sockets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := guideInput()
			tc.mutate(&in)
			checkOnePath(t, in.Validate(), tc.path)
		})
	}
}

func TestCostExplorerScriptMentionsThePlan(t *testing.T) {
	for _, tc := range []struct {
		hours int64
		want  bool
	}{{0, false}, {1, true}} {
		s, err := cost.CostExplorerScript("eu-west-1", cost.Estimate{VCPUHours: tc.hours, MonthHours: 730})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(s), "The plan expects"); got != tc.want {
			t.Errorf("%d vCPU-hours: mentions the plan %t", tc.hours, got)
		}
	}
}
