package cost_test

import (
	"math/rand/v2"
	"testing"

	"github.com/hybridkit/hybridkit/cost"
)

func TestTierBoundaries(t *testing.T) {
	table := cost.HybridNodesPricing()
	for _, tc := range []struct {
		hours int64
		want  string
	}{
		{0, "$0.00"},
		{1, "$0.02"},
		{575_999, "$11,519.98"},
		{576_000, "$11,520.00"},
		{576_001, "$11,520.014"},
		{1_151_999, "$19,583.986"},
		{1_152_000, "$19,584.00"},
		{1_152_001, "$19,584.01"},
		{1_635_200, "$24,416.00"},
		{5_759_999, "$65,663.99"},
		{5_760_000, "$65,664.00"},
		{5_760_001, "$65,664.008"},
		{11_519_999, "$111,743.992"},
		{11_520_000, "$111,744.00"},
		{11_520_001, "$111,744.006"},
		{20_000_000, "$162,624.00"},
	} {
		tiers, total, err := table.Price(tc.hours)
		if err != nil {
			t.Fatal(err)
		}
		if total.String() != tc.want {
			t.Errorf("Price(%d) = %s, want %s", tc.hours, total, tc.want)
		}
		var sum cost.Money
		var hours int64
		for _, u := range tiers {
			sum += u.Amount
			hours += u.Hours
		}
		if sum != total || hours != tc.hours {
			t.Errorf("Price(%d): parts sum to %s over %d h, total %s", tc.hours, sum, hours, total)
		}
	}
}

// TestPriceMonotonicAndAdditive: on random usage, more hours never cost
// less, and the total is the sum of the tier parts at the tier rates.
func TestPriceMonotonicAndAdditive(t *testing.T) {
	table := cost.HybridNodesPricing()
	r := rand.New(rand.NewPCG(1, 2))
	prev := cost.Money(-1)
	h := int64(0)
	for range 5000 {
		h += r.Int64N(20_000)
		tiers, total, err := table.Price(h)
		if err != nil {
			t.Fatal(err)
		}
		if total < prev {
			t.Fatalf("Price(%d) = %s < previous %s", h, total, prev)
		}
		prev = total
		var sum cost.Money
		for _, u := range tiers {
			if want, _ := u.Rate.Mul(u.Hours); want != u.Amount {
				t.Fatalf("tier amount %s != %s × %d", u.Amount, u.Rate, u.Hours)
			}
			sum += u.Amount
		}
		if sum != total {
			t.Fatalf("Price(%d): parts %s != total %s", h, sum, total)
		}
	}
}

func TestPriceTableValidation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tiers []cost.Tier
		path  string
	}{
		{"no tiers", nil, "tiers"},
		{"unordered", []cost.Tier{{UpTo: 100, Rate: 2}, {UpTo: 50, Rate: 1}, {Rate: 1}}, "tiers[1].upTo"},
		{"equal bounds", []cost.Tier{{UpTo: 100, Rate: 2}, {UpTo: 100, Rate: 1}, {Rate: 1}}, "tiers[1].upTo"},
		{"bounded last tier", []cost.Tier{{UpTo: 100, Rate: 2}, {UpTo: 200, Rate: 1}}, "tiers[1].upTo"},
		{"zero rate", []cost.Tier{{UpTo: 100, Rate: 0}, {Rate: 1}}, "tiers[0].rate"},
		{"negative bound", []cost.Tier{{UpTo: -5, Rate: 1}, {Rate: 1}}, "tiers[0].upTo"},
	} {
		errs := cost.PriceTable{Name: "t", Tiers: tc.tiers}.ValidateAt(nil)
		if len(errs) != 1 || errs[0].Field != tc.path {
			t.Errorf("%s: Validate = %v, want one error at %s", tc.name, errs, tc.path)
		}
		if _, _, err := (cost.PriceTable{Name: "t", Tiers: tc.tiers}).Price(10); err == nil {
			t.Errorf("%s: Price accepted an invalid table", tc.name)
		}
	}
	if _, _, err := cost.HybridNodesPricing().Price(-1); err == nil {
		t.Error("negative hours accepted")
	}
}
