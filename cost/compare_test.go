package cost_test

import (
	"testing"

	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

func TestScenariosGolden(t *testing.T) {
	base := guideInput()
	base.Groups = append(base.Groups, cost.NodeGroup{Server: cost.Server{Name: "CPU node", CPUModel: "EPYC 9654", Sockets: 1}, Count: 4})
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
	e, err := cost.Compute(guideInput())
	if err != nil {
		t.Fatal(err)
	}
	p5 := cost.CloudInstance{Name: "p5.48xlarge", Hourly: cost.MustParseMoney("55.04"), GPUs: 8, Checked: "2026-03"}
	for _, tc := range []struct {
		name   string
		server cost.Server
		owned  cost.OwnedCosts
		cloud  []cost.CloudInstance
		path   string
	}{
		{"server without GPUs", cost.Server{Name: "cpu", CPUModel: "EPYC 9654", Sockets: 1}, cost.OwnedCosts{}, []cost.CloudInstance{p5}, "server.gpus"},
		{"capex without months", dgx(), cost.OwnedCosts{Capex: cost.Dollar}, []cost.CloudInstance{p5}, "owned.amortisationMonths"},
		{"PUE below 1", dgx(), cost.OwnedCosts{PowerWatts: 1000, PUEMilli: 900}, []cost.CloudInstance{p5}, "owned.pueMilli"},
		{"undated price", dgx(), cost.OwnedCosts{}, []cost.CloudInstance{{Name: "p5", Hourly: cost.Dollar, GPUs: 8}}, "cloud[0].checked"},
		{"instance without GPUs", dgx(), cost.OwnedCosts{}, []cost.CloudInstance{{Name: "c7i", Hourly: cost.Dollar, Checked: "2026-03"}}, "cloud[0].gpus"},
	} {
		_, err := cost.Compare(e, tc.server, tc.owned, tc.cloud)
		errs := ivalidation.FieldErrors(err)
		if len(errs) != 1 || errs[0].Field != tc.path {
			t.Errorf("%s: Compare = %v, want one error at %s", tc.name, err, tc.path)
		}
	}
	cmp, err := cost.Compare(e, dgx(), cost.OwnedCosts{}, []cost.CloudInstance{p5})
	if err != nil {
		t.Fatal(err)
	}
	// Only the hybrid fee: $2,441.60 against 8 GPUs × 730 h × $55.04 / 8.
	if cmp.Owned.String() != "$2,441.60" || cmp.Cloud[0].Monthly.String() != "$40,179.20" || cmp.Cloud[0].GPUHour.String() != "$6.88" || cmp.Cloud[0].BreakEven.String() != "6.08%" {
		t.Errorf("comparison: %s", cmp)
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
