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
// in us-east-1 as listed in March 2026
// (https://instances.vantage.sh/aws/ec2/p5.48xlarge,
// https://instances.vantage.sh/aws/ec2/p5en.48xlarge).
type CloudInstance struct {
	Name   string `json:"name"`
	Hourly Money  `json:"hourly"`
	GPUs   int    `json:"gpus"`
	// GPUModel is the instance's GPU ("h100"): a server is compared only
	// with instances of its own GPU; empty compares with every server.
	GPUModel string `json:"gpuModel,omitempty"`
	Region   string `json:"region"`
	Checked  string `json:"checked"`
	Source   string `json:"source"`
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
	// Server names the server compared.
	Server string `json:"server"`
	// HybridFee is the server's share of the hybrid-nodes bill.
	HybridFee    Money       `json:"hybridFee"`
	Amortisation Money       `json:"amortisation"`
	Energy       Money       `json:"energy"`
	Other        Money       `json:"other"`
	Owned        Money       `json:"owned"`
	OwnedGPUHour Money       `json:"ownedGpuHour"`
	Cloud        []CloudCost `json:"cloud"`
}

// Bounds of the comparison's inputs. They cover every real server and
// price with room to spare, and they keep every product Compare forms
// (watts × PUE × hours × $/kWh, hourly × GPUs × hours) far inside Money's
// range, so a mistyped figure is an error at its field, never an
// overflow.
const (
	MaxCapex              = 1_000_000_000 * Dollar // a billion dollars per server
	MaxAmortisationMonths = 600                    // 50 years
	MaxPowerWatts         = 1_000_000              // a megawatt per server
	MaxPUEMilli           = 10_000                 // a PUE of 10
	MaxEnergyPerKWh       = 100 * Dollar
	MaxOtherMonthly       = 100_000_000 * Dollar
	MaxCloudHourly        = 100_000 * Dollar
	MaxCloudGPUs          = 64
)

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (o OwnedCosts) Validate() error { return ivalidation.ToError("cost", o.ValidateAt(nil)) }

// ValidateAt checks the owned costs: none negative, each within its
// bound above, a PUE of at least 1.0 (1000) when given, and amortisation
// months when there is capex.
func (o OwnedCosts) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	money := func(name string, v, limit Money) {
		if v < 0 || v > limit {
			errs = append(errs, field.Invalid(fp.Child(name), v.String(), "must be $0 to "+limit.String()))
		}
	}
	count := func(name string, v, lo, limit int64) {
		if v < lo || v > limit {
			errs = append(errs, field.Invalid(fp.Child(name), v, fmt.Sprintf("must be %d to %d", lo, limit)))
		}
	}
	money("capex", o.Capex, MaxCapex)
	count("amortisationMonths", int64(o.AmortisationMonths), 0, MaxAmortisationMonths)
	count("powerWatts", o.PowerWatts, 0, MaxPowerWatts)
	if o.PUEMilli != 0 {
		count("pueMilli", o.PUEMilli, 1000, MaxPUEMilli)
	}
	money("energyPerKwh", o.EnergyPerKWh, MaxEnergyPerKWh)
	money("otherMonthly", o.OtherMonthly, MaxOtherMonthly)
	if o.Capex > 0 && o.AmortisationMonths == 0 {
		errs = append(errs, field.Required(fp.Child("amortisationMonths"), "the months over which capex is amortised"))
	}
	return errs
}

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (c CloudInstance) Validate() error { return ivalidation.ToError("cost", c.ValidateAt(nil)) }

// ValidateAt checks a cloud instance: a name, GPUs (1 to 64), a positive
// hourly price up to $100,000, and the date it was read.
func (c CloudInstance) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if c.Name == "" {
		errs = append(errs, field.Required(fp.Child("name"), "the instance type"))
	}
	errs = append(errs, ivalidation.PlainText(fp.Child("name"), c.Name)...)
	if c.GPUs < 1 || c.GPUs > MaxCloudGPUs {
		errs = append(errs, field.Invalid(fp.Child("gpus"), c.GPUs, fmt.Sprintf("must be 1 to %d", MaxCloudGPUs)))
	}
	if c.Hourly <= 0 || c.Hourly > MaxCloudHourly {
		errs = append(errs, field.Invalid(fp.Child("hourly"), c.Hourly.String(), "must be more than $0 and at most "+MaxCloudHourly.String()))
	}
	if c.Checked == "" {
		errs = append(errs, field.Required(fp.Child("checked"), "the date the price was read: cloud prices change"))
	}
	for _, f := range []struct{ name, v string }{{"region", c.Region}, {"checked", c.Checked}, {"source", c.Source}, {"gpuModel", c.GPUModel}} {
		errs = append(errs, ivalidation.PlainText(fp.Child(f.name), f.v)...)
	}
	return errs
}

// Compare prices one server of group g of the estimate (the group's
// PerNode share of the hybrid-nodes bill) plus the owned costs against
// each cloud instance type that has the server's GPU model (or none
// given), for the server's GPUs over the estimate's month. Invalid inputs
// (a group that does not exist or has no GPUs, owned costs or instances
// out of their bounds) are field errors with their paths; an overflow is
// ErrOverflow.
func Compare(e Estimate, g int, owned OwnedCosts, cloud []CloudInstance) (Comparison, error) {
	var errs field.ErrorList
	var server Server
	switch {
	case g < 0 || g >= len(e.Groups):
		errs = append(errs, field.Invalid(field.NewPath("groups"), g, fmt.Sprintf("the estimate has %d groups", len(e.Groups))))
	case e.Groups[g].Server.GPUs < 1:
		errs = append(errs, field.Invalid(field.NewPath("groups").Index(g).Child("server", "gpus"), e.Groups[g].Server.GPUs, "a GPU comparison needs a server with GPUs"))
	default:
		server = e.Groups[g].Server
	}
	errs = append(errs, owned.ValidateAt(field.NewPath("owned"))...)
	for i, c := range cloud {
		errs = append(errs, c.ValidateAt(field.NewPath("cloud").Index(i))...)
	}
	if err := ivalidation.ToError("cost", errs); err != nil {
		return Comparison{}, err
	}
	month := e.MonthHours
	cmp := Comparison{Server: server.Name, HybridFee: e.Groups[g].PerNode, Other: owned.OtherMonthly}
	// Without capex there are no months (DivRoundCents by 0 is 0); without
	// power the energy is 0.
	cmp.Amortisation = DivRoundCents(owned.Capex, int64(owned.AmortisationMonths))
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
		if c.GPUModel != "" && !strings.EqualFold(c.GPUModel, server.GPUModel) {
			continue
		}
		// The server's GPUs in cloud instances: GPUs × hours × hourly / GPUs per instance.
		perMonth, err := c.Hourly.Mul(gpuHours)
		if err != nil {
			return Comparison{}, err
		}
		cc := CloudCost{Name: c.Name, Monthly: DivRoundCents(perMonth, int64(c.GPUs)), GPUHour: DivRoundCents(c.Hourly, int64(c.GPUs))}
		// owned / (cloud at 100%) in hundredths of a percent, using the
		// exact cloud amount rather than its rounded share. perMonth > 0:
		// the hourly price, the GPUs and the month are all positive.
		bp, err := mulDivHalfUp(uint64(cmp.Owned), uint64(c.GPUs)*10_000, uint64(perMonth))
		if err != nil {
			return Comparison{}, err
		}
		cc.BreakEven = Percent(bp)
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
