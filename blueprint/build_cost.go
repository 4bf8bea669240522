package blueprint

import (
	"errors"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/cost"
)

// Price tables a blueprint names (pricing.table).
const (
	PricingTiered    = "tiered"
	PricingGuideFlat = "flat-guide"
)

// buildCosts estimates the month, the scenarios, each GPU pool against
// the cloud instances with its GPU, and the converted total. A bill too
// large to count is an error at the pricing field that makes it so.
func (bt *built) buildCosts() field.ErrorList {
	b, pp := bt.bp, bt.fp.Child("pricing")
	table := cost.HybridNodesPricing()
	if b.Pricing.Table == PricingGuideFlat {
		table = cost.GuidePricing()
	}
	in := cost.Input{MonthHours: b.Pricing.MonthHours, Pricing: table, ClusterFee: &cost.ClusterFee{Clusters: 1, Rate: cost.StandardClusterRate()}}
	from := newProvenance(pp)
	for i, p := range b.NodePools {
		in.Groups = append(in.Groups, cost.NodeGroup{Server: p.server(), Count: p.Count, HoursPerMonth: p.HoursPerMonth})
		from.set(field.NewPath("groups").Index(i).Child("server", "cpu", "declaredVcpus"), bt.fp.Child("nodePools").Index(i).Child("cpu", "declaredVcpus"))
	}
	e, err := cost.Compute(in)
	if err != nil {
		return costError(bt.fp.Child("nodePools"), "the month's bill for the pools", err)
	}
	bt.estimate = e
	bt.findings = append(bt.findings, from.findings(e.Findings)...)
	if bt.scenarios, err = cost.CompareScenarios(cost.Scenarios(in, 12*22)); err != nil {
		return costError(bt.fp.Child("nodePools"), "the pools' cost scenarios", err)
	}
	owned := cost.OwnedCosts{}
	if b.Pricing.Owned != nil {
		owned = *b.Pricing.Owned
	}
	// Each GPU pool against the instances with its GPUs (the estimate's
	// groups are the pools, in order).
	for g, p := range b.NodePools {
		if p.GPU == nil || len(b.Pricing.Cloud) == 0 {
			continue
		}
		cmp, err := cost.Compare(e, g, owned, b.Pricing.Cloud)
		if err != nil {
			return costError(pp.Child("cloud"), "comparing "+bt.fp.Child("nodePools").Index(g).String()+" with the cloud instances", err)
		}
		if len(cmp.Cloud) > 0 {
			bt.comparisons = append(bt.comparisons, cmp)
		}
	}
	return bt.convert(pp)
}

// convert converts the total into pricing.currency.
func (bt *built) convert(pp *field.Path) field.ErrorList {
	p := bt.bp.Pricing
	if p.Currency == "" {
		return nil
	}
	decimals := 2
	if p.Currency == "KRW" || p.Currency == "JPY" {
		decimals = 0
	}
	rate, err := cost.ParseExchangeRate(p.Currency, decimals, p.CurrencyRate)
	if err != nil {
		return internalError(pp.Child("currencyRate"), "the exchange rate", err)
	}
	a, err := rate.Convert(bt.estimate.Total)
	if err != nil {
		return costError(pp.Child("currencyRate"), "converting the total "+bt.estimate.Total.String(), err)
	}
	bt.converted = &a
	return nil
}

// costError reports a computation over valid inputs that fails: one
// whose amounts overflow is an error at the field whose values make it
// so; anything else is a bug.
func costError(at *field.Path, what string, err error) field.ErrorList {
	if errors.Is(err, cost.ErrOverflow) {
		return field.ErrorList{field.Invalid(at, "", what+" is too large to count in int64 micro-dollars")}
	}
	return internalError(at, what, err)
}

// server is the pool's hardware for the cost model.
func (p NodePool) server() cost.Server {
	s := cost.Server{Name: p.Name, CPU: p.CPU}
	if p.GPU != nil {
		s.GPUs, s.GPUModel = p.GPU.Count, p.GPU.Model
	}
	return s
}
