package cost_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/cost"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// TestOwnedCostsBounds: each bound of OwnedCosts on both sides, alone.
func TestOwnedCostsBounds(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    cost.OwnedCosts
		path string // "" when valid
	}{
		{"zero", cost.OwnedCosts{}, ""},
		{"capex at the bound", cost.OwnedCosts{Capex: cost.MaxCapex, AmortisationMonths: 1}, ""},
		{"capex over", cost.OwnedCosts{Capex: cost.MaxCapex + 1, AmortisationMonths: 1}, "capex"},
		{"capex negative", cost.OwnedCosts{Capex: -1}, "capex"},
		{"months at the bound", cost.OwnedCosts{Capex: 1, AmortisationMonths: cost.MaxAmortisationMonths}, ""},
		{"months over", cost.OwnedCosts{Capex: 1, AmortisationMonths: cost.MaxAmortisationMonths + 1}, "amortisationMonths"},
		{"months negative", cost.OwnedCosts{AmortisationMonths: -1}, "amortisationMonths"},
		{"months without capex", cost.OwnedCosts{AmortisationMonths: 1}, ""},
		{"power at the bound", cost.OwnedCosts{PowerWatts: cost.MaxPowerWatts}, ""},
		{"power over", cost.OwnedCosts{PowerWatts: cost.MaxPowerWatts + 1}, "powerWatts"},
		{"power negative", cost.OwnedCosts{PowerWatts: -1}, "powerWatts"},
		{"PUE 1.0", cost.OwnedCosts{PUEMilli: 1000}, ""},
		{"PUE 0.999", cost.OwnedCosts{PUEMilli: 999}, "pueMilli"},
		{"PUE at the bound", cost.OwnedCosts{PUEMilli: cost.MaxPUEMilli}, ""},
		{"PUE over", cost.OwnedCosts{PUEMilli: cost.MaxPUEMilli + 1}, "pueMilli"},
		{"energy at the bound", cost.OwnedCosts{EnergyPerKWh: cost.MaxEnergyPerKWh}, ""},
		{"energy over", cost.OwnedCosts{EnergyPerKWh: cost.MaxEnergyPerKWh + 1}, "energyPerKwh"},
		{"energy negative", cost.OwnedCosts{EnergyPerKWh: -1}, "energyPerKwh"},
		{"other at the bound", cost.OwnedCosts{OtherMonthly: cost.MaxOtherMonthly}, ""},
		{"other over", cost.OwnedCosts{OtherMonthly: cost.MaxOtherMonthly + 1}, "otherMonthly"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkOnePath(t, tc.o.Validate(), tc.path)
		})
	}
}

func checkOnePath(t *testing.T, err error, path string) {
	t.Helper()
	errs := ivalidation.FieldErrors(err)
	switch {
	case path == "" && err != nil:
		t.Errorf("Validate = %v, want nil", err)
	case path != "" && (len(errs) != 1 || errs[0].Field != path):
		t.Errorf("Validate = %v, want one error at %s", err, path)
	}
}

func TestCloudInstanceBounds(t *testing.T) {
	ok := cost.CloudInstance{Name: "p5.48xlarge", Hourly: cost.Dollar, GPUs: 8, Checked: "2026-03"}
	with := func(f func(*cost.CloudInstance)) cost.CloudInstance { c := ok; f(&c); return c }
	for _, tc := range []struct {
		name string
		c    cost.CloudInstance
		path string
	}{
		{"valid", ok, ""},
		{"one GPU", with(func(c *cost.CloudInstance) { c.GPUs = 1 }), ""},
		{"no GPUs", with(func(c *cost.CloudInstance) { c.GPUs = 0 }), "gpus"},
		{"GPUs at the bound", with(func(c *cost.CloudInstance) { c.GPUs = cost.MaxCloudGPUs }), ""},
		{"GPUs over", with(func(c *cost.CloudInstance) { c.GPUs = cost.MaxCloudGPUs + 1 }), "gpus"},
		{"a micro-dollar an hour", with(func(c *cost.CloudInstance) { c.Hourly = 1 }), ""},
		{"free", with(func(c *cost.CloudInstance) { c.Hourly = 0 }), "hourly"},
		{"hourly at the bound", with(func(c *cost.CloudInstance) { c.Hourly = cost.MaxCloudHourly }), ""},
		{"hourly over", with(func(c *cost.CloudInstance) { c.Hourly = cost.MaxCloudHourly + 1 }), "hourly"},
		{"no name", with(func(c *cost.CloudInstance) { c.Name = "" }), "name"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkOnePath(t, tc.c.Validate(), tc.path) })
	}
}

// TestCompareWithoutCapexOrPower: owned costs of only the hybrid fee and
// other costs compare without amortisation or energy.
func TestCompareWithoutCapexOrPower(t *testing.T) {
	e, err := cost.Compute(guideInput())
	if err != nil {
		t.Fatal(err)
	}
	p5 := cost.CloudInstance{Name: "p5.48xlarge", Hourly: cost.MustParseMoney("55.04"), GPUs: 8, Checked: "2026-03"}
	c, err := cost.Compare(e, 0, cost.OwnedCosts{OtherMonthly: 100 * cost.Dollar}, []cost.CloudInstance{p5})
	if err != nil {
		t.Fatal(err)
	}
	if c.Amortisation != 0 || c.Energy != 0 || c.Owned != e.Groups[0].PerNode+100*cost.Dollar {
		t.Errorf("comparison %+v", c)
	}
	// Energy alone: 1,000 W at PUE 1.0 for 730 h = 730 kWh at $0.10.
	c, err = cost.Compare(e, 0, cost.OwnedCosts{PowerWatts: 1000, EnergyPerKWh: 100_000}, []cost.CloudInstance{p5})
	if err != nil || c.Energy != 73*cost.Dollar {
		t.Errorf("energy %s, %v", c.Energy, err)
	}
}

func TestPercentString(t *testing.T) {
	for p, want := range map[cost.Percent]string{0: "0.00%", 1: "0.01%", -1: "-0.01%", 6123: "61.23%", -10000: "-100.00%"} {
		if got := p.String(); got != want {
			t.Errorf("Percent(%d) = %q, want %q", int64(p), got, want)
		}
	}
}

func TestExchangeRateBounds(t *testing.T) {
	for _, tc := range []struct {
		currency string
		decimals int
		ok       bool
	}{
		{"AZN", 2, true}, {"XYZ", 6, true}, {"KRW", 0, true},
		{"@AA", 2, false}, {"[AA", 2, false}, {"AA`", 2, false}, {"AA{", 2, false}, {"usd", 2, false}, {"US", 2, false}, {"USDX", 2, false},
		{"USD", -1, false}, {"USD", 7, false},
	} {
		_, err := cost.ParseExchangeRate(tc.currency, tc.decimals, "1")
		if (err == nil) != tc.ok {
			t.Errorf("ParseExchangeRate(%q, %d) error = %v", tc.currency, tc.decimals, err)
		}
	}
	for _, tc := range []struct {
		r    cost.ExchangeRate
		want string
	}{
		{cost.ExchangeRate{Currency: "KRW", Decimals: 0, PerDollar: 1_380_250_000}, "KRW 1,380"},
		{cost.ExchangeRate{Currency: "XAU", Decimals: 6, PerDollar: 500}, "XAU 0.000500"},
		{cost.ExchangeRate{Currency: "EUR", Decimals: 2, PerDollar: 1}, "EUR 0.00"},
	} {
		a, err := tc.r.Convert(cost.Dollar)
		if err != nil || a.String() != tc.want {
			t.Errorf("%+v.Convert($1) = %s, %v; want %s", tc.r, a, err, tc.want)
		}
	}
	for _, r := range []cost.ExchangeRate{
		{Currency: "EUR", Decimals: 2, PerDollar: 0},
		{Currency: "EUR", Decimals: 2, PerDollar: -1},
		{Currency: "EUR", Decimals: -1, PerDollar: 1},
		{Currency: "EUR", Decimals: 7, PerDollar: 1},
	} {
		if a, err := r.Convert(cost.Dollar); err == nil || !strings.HasPrefix(err.Error(), "cost: invalid exchange rate") {
			t.Errorf("%+v.Convert = %v, %v", r, a, fmt.Sprint(err))
		}
	}
}
