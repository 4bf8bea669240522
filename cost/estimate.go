package cost

import (
	"fmt"
	"math"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// StandardMonthHours is the 730-hour month AWS uses in its price examples
// (8,760 hours / 12).
const StandardMonthHours = 730

// MaxMonthHours is the longest calendar month: 31 × 24.
const MaxMonthHours = 744

// CalendarMonthHours returns the hours of a calendar month in UTC (672 to
// 744).
func CalendarMonthHours(year int, month time.Month) int64 {
	start := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	return int64(start.AddDate(0, 1, 0).Sub(start) / time.Hour)
}

// NodeGroup is Count identical servers that are hybrid nodes for
// HoursPerMonth hours each (0: the whole month). Detaching nodes at night
// or at weekends — deleting their Node objects — is what lowers the bill:
// billing stops when the Node object is removed.
type NodeGroup struct {
	Server        Server `json:"server"`
	Count         int    `json:"count"`
	HoursPerMonth int64  `json:"hoursPerMonth,omitempty"`
}

// ClusterFee is the EKS cluster charge, separate from hybrid nodes:
// Clusters × Rate per hour. StandardClusterRate is standard support;
// pass the extended-support rate for clusters past it.
type ClusterFee struct {
	Clusters int   `json:"clusters"`
	Rate     Money `json:"rate"`
}

// StandardClusterRate returns $0.10, the hourly EKS cluster fee under
// standard support (aws.amazon.com/eks/pricing).
func StandardClusterRate() Money { return 100_000 }

// Input is what an estimate needs.
type Input struct {
	Groups []NodeGroup `json:"groups"`
	// MonthHours defaults to StandardMonthHours; at most 744.
	MonthHours int64      `json:"monthHours,omitempty"`
	Pricing    PriceTable `json:"pricing"`
	// ClusterFee is added when set.
	ClusterFee *ClusterFee `json:"clusterFee,omitempty"`
}

// Estimate is a month of hybrid nodes: usage, the tier breakdown and the
// totals. Amounts are exact except PerNode, PerGPU (RoundCents) and
// AverageRate (DivRoundMicro).
type Estimate struct {
	Pricing      string      `json:"pricing"`
	PriceChecked string      `json:"priceChecked"`
	MonthHours   int64       `json:"monthHours"`
	Nodes        int64       `json:"nodes"`
	VCPUs        int64       `json:"vcpus"`
	GPUs         int64       `json:"gpus"`
	VCPUHours    int64       `json:"vcpuHours"`
	Tiers        []TierUsage `json:"tiers"`
	HybridNodes  Money       `json:"hybridNodes"`
	ClusterFee   Money       `json:"clusterFee"`
	Total        Money       `json:"total"`
	// AverageRate is HybridNodes / VCPUHours; MarginalRate the price of
	// one more vCPU-hour.
	AverageRate  Money `json:"averageRate"`
	MarginalRate Money `json:"marginalRate"`
	// PerNode shares Total over the nodes (the fleet's average, cluster
	// fee included). PerGPU shares the hybrid-nodes bill of the nodes that
	// have GPUs over their GPUs: CPU-only nodes and the cluster fee are
	// not spread over GPUs.
	PerNode Money `json:"perNode"`
	PerGPU  Money `json:"perGpu,omitempty"`
	// Groups are each node group's share of the hybrid-nodes bill.
	Groups   []GroupCost      `json:"groups"`
	Findings []advice.Finding `json:"findings,omitempty"`
}

// GroupCost is one node group's share of the month's hybrid-nodes bill:
// its vCPU-hours at the fleet's tiers (the tiers count the whole account,
// so every vCPU-hour costs the average rate). The shares add up to
// Estimate.HybridNodes exactly (the last group takes the rounding).
type GroupCost struct {
	Server    Server `json:"server"`
	Nodes     int64  `json:"nodes"`
	GPUs      int64  `json:"gpus"`
	VCPUHours int64  `json:"vcpuHours"`
	// HybridNodes is the group's share; PerNode and PerGPU divide it
	// (RoundCents).
	HybridNodes Money `json:"hybridNodes"`
	PerNode     Money `json:"perNode"`
	PerGPU      Money `json:"perGpu,omitempty"`
}

// Validate checks the input: groups with a valid server and a positive
// count, hours within the month, a month of 1 to 744 hours, a valid table.
// It returns nil or every error with its path.
func (in Input) Validate() error { return ivalidation.ToError("cost", in.ValidateAt(nil)) }

// ValidateAt is Validate with paths under fp.
func (in Input) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	month := in.monthHours()
	badMonth := month < 1 || month > MaxMonthHours
	if badMonth {
		errs = append(errs, field.Invalid(fp.Child("monthHours"), in.MonthHours, "must be 1 to 744 (31 days)"))
	}
	if len(in.Groups) == 0 {
		errs = append(errs, field.Required(fp.Child("groups"), "at least one group of nodes"))
	}
	for i, g := range in.Groups {
		// Each rule is decided once; a clean group (the common case in a
		// large fleet) builds no field path.
		badCount := g.Count < 1
		// Hours are measured against the month only when it is valid:
		// one error for a bad month, not one per group.
		badHours := g.HoursPerMonth < 0 || !badMonth && g.HoursPerMonth > month
		if g.Server.valid() && !badCount && !badHours {
			continue
		}
		gp := fp.Child("groups").Index(i)
		errs = append(errs, g.Server.ValidateAt(gp.Child("server"))...)
		if badCount {
			errs = append(errs, field.Invalid(gp.Child("count"), g.Count, "must be at least 1"))
		}
		if badHours {
			errs = append(errs, field.Invalid(gp.Child("hoursPerMonth"), g.HoursPerMonth, fmt.Sprintf("must be 0 (all month) to %d", month)))
		}
	}
	errs = append(errs, in.Pricing.ValidateAt(fp.Child("pricing"))...)
	if f := in.ClusterFee; f != nil {
		if f.Clusters < 0 {
			errs = append(errs, field.Invalid(fp.Child("clusterFee").Child("clusters"), f.Clusters, "must not be negative"))
		}
		if f.Rate < 0 {
			errs = append(errs, field.Invalid(fp.Child("clusterFee").Child("rate"), f.Rate.String(), "must not be negative"))
		}
	}
	return errs
}

func (in Input) monthHours() int64 {
	if in.MonthHours == 0 {
		return StandardMonthHours
	}
	return in.MonthHours
}

// Finding codes of estimates.
const CodeGuidePricing advice.Code = "cost/guide-flat-price"

// checkedMul multiplies non-negative int64s or reports overflow.
func checkedMul(a, b int64) (int64, error) {
	if a != 0 && b > math.MaxInt64/a {
		return 0, ErrOverflow
	}
	return a * b, nil
}

func checkedAdd(a, b int64) (int64, error) {
	if b > math.MaxInt64-a {
		return 0, ErrOverflow
	}
	return a + b, nil
}

// shareByGroup splits HybridNodes over the groups by vCPU-hours and sets
// the per-node and per-GPU figures.
func (e *Estimate) shareByGroup() error {
	var given, gpuShare Money
	for i := range e.Groups {
		g := &e.Groups[i]
		if i == len(e.Groups)-1 {
			g.HybridNodes = e.HybridNodes - given
		} else {
			// e.VCPUHours > 0: every valid group has vCPUs and hours (a
			// zero would be an ErrOverflow from mulDivHalfUp, not a panic).
			share, err := mulDivHalfUp(uint64(e.HybridNodes), uint64(g.VCPUHours), uint64(e.VCPUHours))
			if err != nil {
				return err
			}
			g.HybridNodes = Money(share)
		}
		given += g.HybridNodes
		g.PerNode = DivRoundCents(g.HybridNodes, g.Nodes)
		if g.GPUs > 0 {
			g.PerGPU = DivRoundCents(g.HybridNodes, g.GPUs)
			gpuShare += g.HybridNodes
		}
	}
	e.PerGPU = DivRoundCents(gpuShare, e.GPUs)
	return nil
}

// Compute returns the month's estimate, or every input error with its
// path, or ErrOverflow: never a wrong number.
func Compute(in Input) (Estimate, error) {
	if err := in.Validate(); err != nil {
		return Estimate{}, err
	}
	month := in.monthHours()
	e := Estimate{Pricing: in.Pricing.Name, PriceChecked: in.Pricing.Checked, MonthHours: month, Groups: make([]GroupCost, 0, len(in.Groups))}
	var err error
	for i, g := range in.Groups {
		hours := g.HoursPerMonth
		if hours == 0 {
			hours = month
		}
		n := int64(g.Count)
		v := int64(g.Server.VCPUs())
		groupVCPUs, err1 := checkedMul(v, n)
		vh, err2 := checkedMul(groupVCPUs, hours)
		gpus, err3 := checkedMul(int64(g.Server.GPUs), n)
		if err = firstErr(err1, err2, err3); err != nil {
			return Estimate{}, err
		}
		if e.Nodes, err = checkedAdd(e.Nodes, n); err != nil {
			return Estimate{}, err
		}
		if e.VCPUs, err = checkedAdd(e.VCPUs, groupVCPUs); err != nil {
			return Estimate{}, err
		}
		if e.GPUs, err = checkedAdd(e.GPUs, gpus); err != nil {
			return Estimate{}, err
		}
		if e.VCPUHours, err = checkedAdd(e.VCPUHours, vh); err != nil {
			return Estimate{}, err
		}
		e.Groups = append(e.Groups, GroupCost{Server: g.Server, Nodes: n, GPUs: gpus, VCPUHours: vh})
		if fs := g.Server.CPU.Lint(); fs != nil {
			e.Findings = append(e.Findings, advice.WithPrefix(field.NewPath("groups").Index(i).Child("server", "cpu").String(), fs)...)
		}
	}
	if e.Tiers, e.HybridNodes, err = in.Pricing.Price(e.VCPUHours); err != nil {
		return Estimate{}, err
	}
	if f := in.ClusterFee; f != nil {
		fee, err := f.Rate.Mul(int64(f.Clusters))
		if err == nil {
			fee, err = fee.Mul(month)
		}
		if err != nil {
			return Estimate{}, err
		}
		e.ClusterFee = fee
	}
	if e.Total, err = e.HybridNodes.Add(e.ClusterFee); err != nil {
		return Estimate{}, err
	}
	e.AverageRate = DivRoundMicro(e.HybridNodes, e.VCPUHours)
	e.MarginalRate = in.Pricing.MarginalRate(e.VCPUHours)
	e.PerNode = DivRoundCents(e.Total, e.Nodes)
	if err := e.shareByGroup(); err != nil {
		return Estimate{}, err
	}
	if in.Pricing.GuideAssumption {
		msg := fmt.Sprintf("%s is not AWS's price; EKS Hybrid Nodes are priced in monthly vCPU-hour tiers from $0.020 down to $0.006", in.Pricing.Name)
		if _, tiered, err := HybridNodesPricing().Price(e.VCPUHours); err == nil {
			msg += fmt.Sprintf(": these %d vCPU-hours cost %s with the tiers, not %s", e.VCPUHours, tiered, e.HybridNodes)
		}
		e.Findings = append(e.Findings, advice.Finding{Level: advice.Error, Code: CodeGuidePricing, Field: field.NewPath("pricing").String(), Message: msg, Ref: "https://aws.amazon.com/eks/pricing/"})
	}
	e.Findings = advice.Sort(e.Findings)
	return e, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
