package cost

import (
	"fmt"
	"strconv"

	"github.com/hybridkit/hybridkit/internal/markdown"
)

// Scenario is a named input.
type Scenario struct {
	Name  string `json:"name"`
	Input Input  `json:"input"`
}

// Result is a scenario's estimate.
type Result struct {
	Name     string   `json:"name"`
	Estimate Estimate `json:"estimate"`
}

// Scenarios returns the comparisons the adoption guide should have made,
// from one base input:
//
//  1. the guide's flat $0.1099 assumption (to show the gap; it carries a
//     finding),
//  2. the real tiers with every node attached 24×7,
//  3. the real tiers with nodes attached hoursOn hours a month and
//     detached (Node objects deleted) the rest,
//  4. the real tiers with only the servers that have GPUs as hybrid nodes.
//
// The base's cluster fee applies to all. hoursOn 0 skips scenario 3; a
// base without CPU-only servers skips scenario 4.
func Scenarios(base Input, hoursOn int64) []Scenario {
	tiered := base
	tiered.Pricing = HybridNodesPricing()
	guide := base
	guide.Pricing = GuidePricing()
	out := []Scenario{
		{Name: "guide's flat $0.1099 (not AWS's price)", Input: guide},
		{Name: "tiered, all nodes 24×7", Input: tiered},
	}
	if hoursOn > 0 {
		part := tiered
		part.Groups = make([]NodeGroup, len(tiered.Groups))
		for i, g := range tiered.Groups {
			g.HoursPerMonth = hoursOn
			part.Groups[i] = g
		}
		out = append(out, Scenario{Name: "tiered, attached " + strconv.FormatInt(hoursOn, 10) + " h/month", Input: part})
	}
	gpuOnly := tiered
	gpuOnly.Groups = nil
	for _, g := range tiered.Groups {
		if g.Server.GPUs > 0 {
			gpuOnly.Groups = append(gpuOnly.Groups, g)
		}
	}
	if len(gpuOnly.Groups) > 0 && len(gpuOnly.Groups) < len(tiered.Groups) {
		out = append(out, Scenario{Name: "tiered, GPU servers only", Input: gpuOnly})
	}
	return out
}

// CompareScenarios computes every scenario, or returns the first error
// naming its scenario.
func CompareScenarios(ss []Scenario) ([]Result, error) {
	out := make([]Result, 0, len(ss))
	for i, s := range ss {
		e, err := Compute(s.Input)
		if err != nil {
			return nil, fmt.Errorf("cost: scenario %d (%s): %w", i, s.Name, err)
		}
		out = append(out, Result{Name: s.Name, Estimate: e})
	}
	return out, nil
}

// RenderScenarios renders results side by side as a Markdown table.
func RenderScenarios(rs []Result) []byte {
	t := markdown.Table{
		Header: []string{"Scenario", "Nodes", "vCPU-hours", "Hybrid nodes", "Cluster fee", "Total / month", "Per node", "Per GPU", "Average $/vCPU-h"},
		Align:  []markdown.Align{markdown.Left, markdown.Right, markdown.Right, markdown.Right, markdown.Right, markdown.Right, markdown.Right, markdown.Right, markdown.Right},
	}
	for _, r := range rs {
		e := r.Estimate
		perGPU := "-"
		if e.GPUs > 0 {
			perGPU = e.PerGPU.String()
		}
		t.Rows = append(t.Rows, []string{r.Name, strconv.FormatInt(e.Nodes, 10), group(strconv.FormatInt(e.VCPUHours, 10)),
			e.HybridNodes.String(), e.ClusterFee.String(), e.Total.String(), e.PerNode.String(), perGPU, e.AverageRate.String()})
	}
	return t.Bytes()
}

// Markdown renders one estimate: the tier breakdown and the totals, with
// its findings.
func (e Estimate) Markdown() []byte {
	t := markdown.Table{
		Header: []string{"Tier (vCPU-hours / month)", "Rate", "Hours", "Amount"},
		Align:  []markdown.Align{markdown.Left, markdown.Right, markdown.Right, markdown.Right},
	}
	for _, u := range e.Tiers {
		band := group(strconv.FormatInt(u.From, 10)) + " – "
		if u.To == 0 {
			band += "∞"
		} else {
			band += group(strconv.FormatInt(u.To, 10))
		}
		t.Rows = append(t.Rows, []string{band, u.Rate.String(), group(strconv.FormatInt(u.Hours, 10)), u.Amount.String()})
	}
	t.Rows = append(t.Rows,
		[]string{"Hybrid nodes", "", group(strconv.FormatInt(e.VCPUHours, 10)), e.HybridNodes.String()},
		[]string{"Cluster fee", "", "", e.ClusterFee.String()},
		[]string{"Total", "", "", e.Total.String()})
	out := []byte(markdown.Text(fmt.Sprintf("%s (checked %s): %d nodes, %d vCPUs, %d GPUs, %d-hour month.", e.Pricing, e.PriceChecked, e.Nodes, e.VCPUs, e.GPUs, e.MonthHours)) + "\n\n")
	out = append(out, t.Bytes()...)
	out = append(out, []byte("\n"+markdown.Text(fmt.Sprintf("Per node %s, per GPU %s, average %s and marginal %s per vCPU-hour.", e.PerNode, e.PerGPU, e.AverageRate, e.MarginalRate))+"\n")...)
	for _, f := range e.Findings {
		out = append(out, []byte("\n- "+markdown.Text(f.String()))...)
	}
	if len(e.Findings) > 0 {
		out = append(out, '\n')
	}
	return out
}
