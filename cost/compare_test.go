package cost_test

import (
	"testing"

	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

func TestScenariosGolden(t *testing.T) {
	base := guideInput()
	base.Groups = append(base.Groups, cost.NodeGroup{Server: cost.Server{Name: "CPU node", CPU: cost.Processors{Model: "EPYC 9654", Sockets: 1}}, Count: 4})
	base.ClusterFee = &cost.ClusterFee{Clusters: 1, Rate: cost.StandardClusterRate()}
	rs, err := cost.CompareScenarios(cost.Scenarios(base, 264))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 4 {
		t.Fatalf("%d scenarios", len(rs))
	}
	testkit.Golden(t, "scenarios.golden.md", cost.RenderScenarios(rs))
	// Only GPU servers: the CPU-only group is gone.
	if rs[3].Estimate.Nodes != 10 || rs[3].Estimate.Total.String() != "$24,489.00" {
		t.Errorf("GPU-only scenario: %+v", rs[3].Estimate)
	}
	if got := cost.Scenarios(guideInput(), 0); len(got) != 2 {
		t.Errorf("a GPU-only fleet without partial hours gives %d scenarios, want 2", len(got))
	}
}

func TestCompareErrors(t *testing.T) {
	in := guideInput()
	in.Groups = append(in.Groups, cost.NodeGroup{Server: cost.Server{Name: "cpu", CPU: cost.Processors{Model: "EPYC 9654", Sockets: 1}}, Count: 4})
	e, err := cost.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	p5 := cost.CloudInstance{Name: "p5.48xlarge", Hourly: cost.MustParseMoney("55.04"), GPUs: 8, Checked: "2026-03"}
	for _, tc := range []struct {
		name  string
		group int
		owned cost.OwnedCosts
		cloud []cost.CloudInstance
		path  string
	}{
		{"no such group", 2, cost.OwnedCosts{}, []cost.CloudInstance{p5}, "groups"},
		{"server without GPUs", 1, cost.OwnedCosts{}, []cost.CloudInstance{p5}, "groups[1].server.gpus"},
		{"capex without months", 0, cost.OwnedCosts{Capex: cost.Dollar}, []cost.CloudInstance{p5}, "owned.amortisationMonths"},
		{"PUE below 1", 0, cost.OwnedCosts{PowerWatts: 1000, PUEMilli: 900}, []cost.CloudInstance{p5}, "owned.pueMilli"},
		{"undated price", 0, cost.OwnedCosts{}, []cost.CloudInstance{{Name: "p5", Hourly: cost.Dollar, GPUs: 8}}, "cloud[0].checked"},
		{"instance without GPUs", 0, cost.OwnedCosts{}, []cost.CloudInstance{{Name: "c7i", Hourly: cost.Dollar, Checked: "2026-03"}}, "cloud[0].gpus"},
	} {
		_, err := cost.Compare(e, tc.group, tc.owned, tc.cloud)
		errs := ivalidation.FieldErrors(err)
		if len(errs) != 1 || errs[0].Field != tc.path {
			t.Errorf("%s: Compare = %v, want one error at %s", tc.name, err, tc.path)
		}
	}
	g, err := cost.Compute(guideInput())
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := cost.Compare(g, 0, cost.OwnedCosts{}, []cost.CloudInstance{p5})
	if err != nil {
		t.Fatal(err)
	}
	// Only the hybrid fee: the GPU server's share of the hybrid-nodes bill
	// (no cluster fee), against 8 GPUs × 730 h × $55.04 / 8.
	if cmp.HybridFee != g.Groups[0].PerNode || cmp.Cloud[0].Monthly.String() != "$40,179.20" || cmp.Cloud[0].GPUHour.String() != "$6.88" {
		t.Errorf("comparison: %s", cmp)
	}
}

// TestMixedFleetShares: with H100, H200 and CPU-only groups, the groups'
// shares add up to the bill exactly, the per-GPU figure leaves the CPU
// nodes out, and each GPU group is compared only with the instances of its
// own GPU.
func TestMixedFleetShares(t *testing.T) {
	h100 := cost.Server{Name: "h100", CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, GPUs: 8, GPUModel: "h100"}
	h200 := cost.Server{Name: "h200", CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, GPUs: 8, GPUModel: "h200"}
	cpu := cost.Server{Name: "cpu", CPU: cost.Processors{Model: "EPYC 9654", Sockets: 1}}
	e, err := cost.Compute(cost.Input{Pricing: cost.HybridNodesPricing(), ClusterFee: &cost.ClusterFee{Clusters: 1, Rate: cost.StandardClusterRate()},
		Groups: []cost.NodeGroup{{Server: h100, Count: 3}, {Server: h200, Count: 7}, {Server: cpu, Count: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	var sum cost.Money
	for _, g := range e.Groups {
		sum += g.HybridNodes
	}
	if sum != e.HybridNodes {
		t.Errorf("group shares add up to %s, the bill is %s", sum, e.HybridNodes)
	}
	gpuBill := e.Groups[0].HybridNodes + e.Groups[1].HybridNodes
	if want := cost.DivRoundCents(gpuBill, 80); e.PerGPU != want {
		t.Errorf("PerGPU = %s, want %s (the GPU groups' bill over 80 GPUs)", e.PerGPU, want)
	}
	cloud := []cost.CloudInstance{
		{Name: "p5.48xlarge", Hourly: cost.MustParseMoney("55.04"), GPUs: 8, GPUModel: "h100", Checked: "2026-03"},
		{Name: "p5en.48xlarge", Hourly: cost.MustParseMoney("63.296"), GPUs: 8, GPUModel: "h200", Checked: "2026-03"},
	}
	for g, want := range map[int]string{0: "p5.48xlarge", 1: "p5en.48xlarge"} {
		cmp, err := cost.Compare(e, g, cost.OwnedCosts{}, cloud)
		if err != nil {
			t.Fatal(err)
		}
		if len(cmp.Cloud) != 1 || cmp.Cloud[0].Name != want || cmp.HybridFee != e.Groups[g].PerNode {
			t.Errorf("group %d compared with %+v, want only %s at its own share", g, cmp.Cloud, want)
		}
	}
}

func TestExchangeRate(t *testing.T) {
	eur, err := cost.ParseExchangeRate("EUR", 2, "0.92")
	if err != nil {
		t.Fatal(err)
	}
	for m, want := range map[cost.Money]string{
		cost.MustParseMoney("100"):      "EUR 92.00",
		cost.MustParseMoney("0.005"):    "EUR 0.00",
		cost.MustParseMoney("0.00544"):  "EUR 0.01",
		cost.MustParseMoney("-1234.5"):  "EUR -1,135.74",
		cost.MustParseMoney("24416.00"): "EUR 22,462.72",
		cost.MustParseMoney("0.000001"): "EUR 0.00",
	} {
		a, err := eur.Convert(m)
		if err != nil || a.String() != want {
			t.Errorf("Convert(%s) = %s, %v; want %s", m, a, err, want)
		}
	}
	for _, bad := range []struct {
		code     string
		decimals int
		rate     string
	}{{"krw", 0, "1380"}, {"KRW", 7, "1380"}, {"KRW", 0, "0"}, {"KRW", 0, "-1"}, {"KRW", 0, "1380.1234567"}, {"WON!", 0, "1"}} {
		if _, err := cost.ParseExchangeRate(bad.code, bad.decimals, bad.rate); err == nil {
			t.Errorf("ParseExchangeRate(%+v) succeeded", bad)
		}
	}
}

func TestPercentText(t *testing.T) {
	for _, p := range []cost.Percent{0, 1, 6123, 10000, 12345, -250} {
		b, _ := p.MarshalText()
		var back cost.Percent
		if err := back.UnmarshalText(b); err != nil || back != p {
			t.Errorf("%s: round trip %d, %v", b, back, err)
		}
	}
	var p cost.Percent
	for _, bad := range []string{"61.23", "61.234%", "x%", ""} {
		if err := p.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) accepted", bad)
		}
	}
}
