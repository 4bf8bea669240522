package cost

import (
	"fmt"
	"math"

	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// Tier is one band of a tiered price: vCPU-hours up to and including
// UpTo (cumulative over the month; 0 in the last tier means no limit) cost
// Rate each.
type Tier struct {
	UpTo int64 `json:"upTo,omitempty"`
	Rate Money `json:"rate"`
}

// PriceTable is a monthly vCPU-hour price: marginal tiers, or one
// unbounded tier for a flat price. Hours are aggregated over every hybrid
// node of the account in the Region (or of all accounts of an AWS
// Organization with consolidated billing), and billing runs while each
// Node object exists.
type PriceTable struct {
	Name string `json:"name"`
	// Checked is the date the prices were last compared with the source
	// (YYYY-MM-DD); Source says where they come from.
	Checked string `json:"checked"`
	Source  string `json:"source"`
	Tiers   []Tier `json:"tiers"`
	// GuideAssumption marks a table kept only to reproduce a wrong figure:
	// every estimate with it carries a finding.
	GuideAssumption bool `json:"guideAssumption,omitempty"`
}

// HybridNodesPricing returns the EKS Hybrid Nodes price table: per
// vCPU-hour per month, first 576,000 h $0.020, next 576,000 h $0.014,
// next 4,608,000 h $0.010, next 5,760,000 h $0.008, above 11,520,000 h
// $0.006. Source: https://aws.amazon.com/eks/pricing/ (Amazon EKS Hybrid
// Nodes), as quoted by three concordant sources, one checked 2026-09-13.
// Prices change: pass your own table when they do.
func HybridNodesPricing() PriceTable {
	return PriceTable{
		Name:    "EKS Hybrid Nodes (tiered)",
		Checked: "2026-09-13",
		Source:  "https://aws.amazon.com/eks/pricing/",
		Tiers: []Tier{
			{UpTo: 576_000, Rate: 20_000},
			{UpTo: 1_152_000, Rate: 14_000},
			{UpTo: 5_760_000, Rate: 10_000},
			{UpTo: 11_520_000, Rate: 8_000},
			{Rate: 6_000},
		},
	}
}

// GuidePricing returns the flat $0.1099 per vCPU-hour the adoption guide
// assumed ("Base pricing (as of February 2025)"). It is not AWS's price:
// it is 5.5× the top tier, and its own source replaced it with the tiered
// table in June 2026. Use it only to reproduce the guide's figure; every
// estimate made with it carries CodeGuidePricing.
func GuidePricing() PriceTable {
	return PriceTable{
		Name:            "flat $0.1099/vCPU-hour, as the adoption guide assumed",
		Checked:         "2026-02-05",
		Source:          "devfloor9/engineering-playbook hybrid-nodes-adoption-guide.md (commit 827134b), withdrawn in 6f27ec5",
		Tiers:           []Tier{{Rate: 109_900}},
		GuideAssumption: true,
	}
}

// FlatPricing returns a one-tier table at rate per vCPU-hour, for callers
// with a negotiated flat price.
func FlatPricing(name string, rate Money, checked, source string) PriceTable {
	return PriceTable{Name: name, Checked: checked, Source: source, Tiers: []Tier{{Rate: rate}}}
}

// Validate checks the table: a name, at least one tier, positive rates,
// bounds strictly increasing, and only the last tier unbounded.
// It returns nil or every error with its path.
func (t PriceTable) Validate() error { return ivalidation.ToError("cost", t.ValidateAt(nil)) }

// ValidateAt is Validate with paths under fp.
func (t PriceTable) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if t.Name == "" {
		errs = append(errs, field.Required(fp.Child("name"), "what the table is"))
	}
	errs = append(errs, ivalidation.PlainText(fp.Child("name"), t.Name)...)
	if len(t.Tiers) == 0 {
		errs = append(errs, field.Required(fp.Child("tiers"), "at least one tier"))
	}
	prev := int64(0)
	for i, tier := range t.Tiers {
		tp := fp.Child("tiers").Index(i)
		if tier.Rate <= 0 {
			errs = append(errs, field.Invalid(tp.Child("rate"), tier.Rate.String(), "must be positive"))
		}
		last := i == len(t.Tiers)-1
		switch {
		case last && tier.UpTo != 0:
			errs = append(errs, field.Invalid(tp.Child("upTo"), tier.UpTo, "the last tier must be unbounded (0)"))
		case !last && tier.UpTo <= prev:
			errs = append(errs, field.Invalid(tp.Child("upTo"), tier.UpTo, fmt.Sprintf("tiers must be in increasing order: this one ends at or before the previous one (%d)", prev)))
		}
		if !last {
			prev = max(prev, tier.UpTo)
		}
	}
	return errs
}

// TierUsage is how many vCPU-hours fell into one tier and what they cost.
type TierUsage struct {
	// From and To are the tier's bounds (To 0: unbounded).
	From   int64 `json:"from"`
	To     int64 `json:"to,omitempty"`
	Rate   Money `json:"rate"`
	Hours  int64 `json:"hours"`
	Amount Money `json:"amount"`
}

// Price returns the cost of vcpuHours in a month: the per-tier breakdown
// (every tier, used or not) and the exact total, which is the sum of the
// parts. An invalid table, negative hours or an overflowing amount is an
// error.
func (t PriceTable) Price(vcpuHours int64) ([]TierUsage, Money, error) {
	if err := t.Validate(); err != nil {
		return nil, 0, err
	}
	if vcpuHours < 0 {
		return nil, 0, fmt.Errorf("cost: %d vCPU-hours: must not be negative", vcpuHours)
	}
	var out []TierUsage
	var total Money
	from := int64(0)
	for _, tier := range t.Tiers {
		to := tier.UpTo
		end := to
		if end == 0 {
			end = math.MaxInt64
		}
		h := max(0, min(vcpuHours, end)-from)
		amt, err := tier.Rate.Mul(h)
		if err != nil {
			return nil, 0, err
		}
		if total, err = total.Add(amt); err != nil {
			return nil, 0, err
		}
		out = append(out, TierUsage{From: from, To: to, Rate: tier.Rate, Hours: h, Amount: amt})
		from = end
	}
	return out, total, nil
}

// MarginalRate returns the rate of the next vCPU-hour after vcpuHours.
func (t PriceTable) MarginalRate(vcpuHours int64) Money {
	for _, tier := range t.Tiers {
		if tier.UpTo == 0 || vcpuHours < tier.UpTo {
			return tier.Rate
		}
	}
	return 0
}
