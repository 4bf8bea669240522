package cost

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// CloudInstance is a cloud GPU instance and its on-demand price, a dated
// input: this package never fetches or embeds cloud prices. For example,
// p5.48xlarge (8 × H100) $55.04/h and p5en.48xlarge (8 × H200) $63.296/h
// in us-east-1 as listed in March 2026 (../shared/reference/
// facts-nodeconfig-network-pricing.md §3.3).
type CloudInstance struct {
	Name    string `json:"name"`
	Hourly  Money  `json:"hourly"`
	GPUs    int    `json:"gpus"`
	Region  string `json:"region"`
	Checked string `json:"checked"`
	Source  string `json:"source"`
}

// OwnedCosts are the optional costs of owning a hybrid server, per server.
type OwnedCosts struct {
	// Capex is the server's price, amortised over AmortisationMonths.
	Capex              Money `json:"capex"`
	AmortisationMonths int   `json:"amortisationMonths"`
	// PowerWatts is the average draw; PUEMilli the data centre's PUE in
	// thousandths (1500 = 1.5); EnergyPerKWh the electricity price.
	PowerWatts   int64 `json:"powerWatts"`
	PUEMilli     int64 `json:"pueMilli"`
	EnergyPerKWh Money `json:"energyPerKwh"`
	// OtherMonthly is everything else per server and month (space,
	// support, network).
	OtherMonthly Money `json:"otherMonthly"`
}

// Percent is a ratio in hundredths of a percent (6123 = 61.23%).
type Percent int64

// String formats the percentage with two decimals.
func (p Percent) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return fmt.Sprintf("%s%d.%02d%%", sign, p/100, p%100)
}

// MarshalText writes String.
func (p Percent) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads what MarshalText writes ("61.23%"), exactly.
func (p *Percent) UnmarshalText(b []byte) error {
	s, ok := strings.CutSuffix(string(b), "%")
	if !ok {
		return fmt.Errorf("cost: percentage %q has no %%", b)
	}
	// Two decimals of a percent are the same digits as cents of a dollar.
	m, err := ParseMoney(s)
	if err != nil || m%Cent != 0 {
		return fmt.Errorf("cost: percentage %q: at most two decimals", b)
	}
	*p = Percent(m / Cent)
	return nil
}

// CloudCost is one cloud option priced for the same GPUs.
type CloudCost struct {
	Name string `json:"name"`
	// Monthly is the instances needed for one server's GPUs, all month.
	Monthly Money `json:"monthly"`
	GPUHour Money `json:"gpuHour"`
	// BreakEven is the share of the month the cloud GPUs must run for
	// them to cost what the owned server costs: below it the cloud is
	// cheaper, above it the hybrid server.
	BreakEven Percent `json:"breakEven"`
}

// Comparison is one hybrid server against cloud instances with the same
// GPUs, per month.
type Comparison struct {
	// HybridFee is the server's share of the hybrid-nodes bill.
	HybridFee    Money       `json:"hybridFee"`
	Amortisation Money       `json:"amortisation"`
	Energy       Money       `json:"energy"`
	Other        Money       `json:"other"`
	Owned        Money       `json:"owned"`
	OwnedGPUHour Money       `json:"ownedGpuHour"`
	Cloud        []CloudCost `json:"cloud"`
}

// Compare prices one server of the estimate (its PerNode share) plus the
// owned costs against each cloud instance type, for the server's GPUs over
// the estimate's month. It errors on a server without GPUs, an instance
// without GPUs or price, or an overflow.
func Compare(e Estimate, server Server, owned OwnedCosts, cloud []CloudInstance) (Comparison, error) {
	var errs field.ErrorList
	if server.GPUs < 1 {
		errs = append(errs, field.Invalid(field.NewPath("server", "gpus"), server.GPUs, "a GPU comparison needs a server with GPUs"))
	}
	if owned.Capex < 0 || owned.AmortisationMonths < 0 || owned.PowerWatts < 0 || owned.PUEMilli < 0 || owned.EnergyPerKWh < 0 || owned.OtherMonthly < 0 {
		errs = append(errs, field.Invalid(field.NewPath("owned"), "", "costs must not be negative"))
	}
	if owned.Capex > 0 && owned.AmortisationMonths == 0 {
		errs = append(errs, field.Required(field.NewPath("owned", "amortisationMonths"), "the months over which capex is amortised"))
	}
	if owned.PowerWatts > 0 && owned.PUEMilli != 0 && owned.PUEMilli < 1000 {
		errs = append(errs, field.Invalid(field.NewPath("owned", "pueMilli"), owned.PUEMilli, "a PUE is at least 1.0 (1000)"))
	}
	for i, c := range cloud {
		cp := field.NewPath("cloud").Index(i)
		if c.GPUs < 1 {
			errs = append(errs, field.Invalid(cp.Child("gpus"), c.GPUs, "must be at least 1"))
		}
		if c.Hourly <= 0 {
			errs = append(errs, field.Invalid(cp.Child("hourly"), c.Hourly.String(), "must be positive"))
		}
		if c.Checked == "" {
			errs = append(errs, field.Required(cp.Child("checked"), "the date the price was read: cloud prices change"))
		}
	}
	if err := ivalidation.ToError("cost", errs); err != nil {
		return Comparison{}, err
	}
	month := e.MonthHours
	cmp := Comparison{HybridFee: e.PerNode, Other: owned.OtherMonthly}
	if owned.AmortisationMonths > 0 {
		cmp.Amortisation = DivRoundCents(owned.Capex, int64(owned.AmortisationMonths))
	}
	if owned.PowerWatts > 0 {
		pue := owned.PUEMilli
		if pue == 0 {
			pue = 1000
		}
		// watts × PUE/1000 × hours / 1000 = kWh; × $/kWh.
		wh, err1 := checkedMul(owned.PowerWatts, pue)
		wh, err2 := checkedMul(wh, month)
		if err := firstErr(err1, err2); err != nil {
			return Comparison{}, err
		}
		energy, err := mulDivHalfUp(uint64(wh), uint64(owned.EnergyPerKWh), 1_000_000)
		if err != nil {
			return Comparison{}, err
		}
		cmp.Energy = RoundCents(Money(energy))
	}
	var err error
	for _, m := range []Money{cmp.HybridFee, cmp.Amortisation, cmp.Energy, cmp.Other} {
		if cmp.Owned, err = cmp.Owned.Add(m); err != nil {
			return Comparison{}, err
		}
	}
	gpuHours, err := checkedMul(int64(server.GPUs), month)
	if err != nil {
		return Comparison{}, err
	}
	cmp.OwnedGPUHour = DivRoundCents(cmp.Owned, gpuHours)
	for _, c := range cloud {
		// The server's GPUs in cloud instances: GPUs × hours × hourly / GPUs per instance.
		perMonth, err := c.Hourly.Mul(gpuHours)
		if err != nil {
			return Comparison{}, err
		}
		cc := CloudCost{Name: c.Name, Monthly: DivRoundCents(perMonth, int64(c.GPUs)), GPUHour: DivRoundCents(c.Hourly, int64(c.GPUs))}
		if perMonth > 0 {
			// owned / (cloud at 100%) in hundredths of a percent, using the
			// exact cloud amount rather than its rounded share.
			bp, err := mulDivHalfUp(uint64(cmp.Owned), uint64(c.GPUs)*10_000, uint64(perMonth))
			if err != nil {
				return Comparison{}, err
			}
			cc.BreakEven = Percent(bp)
		}
		cmp.Cloud = append(cmp.Cloud, cc)
	}
	return cmp, nil
}

// String summarises the comparison on one line per option.
func (c Comparison) String() string {
	s := "owned " + c.Owned.String() + "/month (" + c.OwnedGPUHour.String() + " per GPU-hour)"
	for _, cc := range c.Cloud {
		s += "; " + cc.Name + " " + cc.Monthly.String() + "/month (" + cc.GPUHour.String() + " per GPU-hour, break-even at " + cc.BreakEven.String() + " use)"
	}
	return s
}
