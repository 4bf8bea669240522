package lab_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/cost"
)

// independentEstimate prices the blueprint with the cost package directly,
// the way a finance team's own tool would.
func independentEstimate(t *testing.T, b blueprint.Blueprint) cost.Estimate {
	t.Helper()
	in := cost.Input{Pricing: cost.HybridNodesPricing(), ClusterFee: &cost.ClusterFee{Clusters: 1, Rate: cost.StandardClusterRate()}}
	for _, p := range b.NodePools {
		s := cost.Server{Name: p.Name, CPUModel: p.CPU.Model, Sockets: p.CPU.Sockets, CoresPerSocket: p.CPU.CoresPerSocket, ThreadsPerCore: p.CPU.ThreadsPerCore}
		if p.GPU != nil {
			s.GPUs = p.GPU.Count
		}
		in.Groups = append(in.Groups, cost.NodeGroup{Server: s, Count: p.Count, HoursPerMonth: p.HoursPerMonth})
	}
	e, err := cost.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// costDisagreements lists where the bundle's plan.json and README.md
// disagree with the estimate.
func costDisagreements(t *testing.T, bundle blueprint.Bundle, e cost.Estimate) []string {
	t.Helper()
	var p blueprint.Plan
	if err := json.Unmarshal(file(t, bundle, "plan.json"), &p); err != nil {
		return []string{"plan.json: " + err.Error()}
	}
	var out []string
	check := func(what string, got, want any) {
		if fmt.Sprint(got) != fmt.Sprint(want) {
			out = append(out, fmt.Sprintf("%s: %v, want %v", what, got, want))
		}
	}
	check("plan.json total", p.Cost.Total, e.Total)
	check("plan.json hybrid nodes", p.Cost.HybridNodes, e.HybridNodes)
	check("plan.json vCPU-hours", p.Cost.VCPUHours, e.VCPUHours)
	check("plan.json per GPU", p.Cost.PerGPU, e.PerGPU)
	for i, u := range e.Tiers {
		if i < len(p.Cost.Tiers) {
			check(fmt.Sprintf("plan.json tier %d", i), p.Cost.Tiers[i].Amount, u.Amount)
		}
	}
	readme := string(file(t, bundle, "README.md"))
	for _, s := range []string{
		"| Monthly cost | " + e.Total.String() + " (hybrid nodes " + e.HybridNodes.String(),
		"| Total |  |  | " + e.Total.String() + " |",
	} {
		if !strings.Contains(readme, s) {
			out = append(out, "README.md lacks "+s)
		}
	}
	for _, u := range e.Tiers {
		if u.Hours > 0 && !strings.Contains(readme, u.Amount.String()+" |") {
			out = append(out, "README.md lacks the tier amount "+u.Amount.String())
		}
	}
	if string(file(t, bundle, "cost/estimate.md")) != string(e.Markdown()) {
		// The names differ only if the report used another table.
		out = append(out, "cost/estimate.md is not the estimate's own rendering")
	}
	return out
}

// TestCostReportAgrees checks that plan.json, README.md and cost/estimate.md
// carry the numbers the cost package computes on its own, for both
// blueprints, and that the guide's figure sits beside the real one.
func TestCostReportAgrees(t *testing.T) {
	for _, bp := range []struct {
		name string
		b    blueprint.Blueprint
	}{{"reference", blueprint.Reference()}, {"iam-ra-calico", iraCalico()}} {
		t.Run(bp.name, func(t *testing.T) {
			bundle := render(t, bp.b)
			e := independentEstimate(t, bp.b)
			for _, d := range costDisagreements(t, bundle, e) {
				t.Error(d)
			}
			if !strings.Contains(string(file(t, bundle, "README.md")), "flat $0.1099 per vCPU-hour gives $179,708.48") {
				t.Error("the report does not show the guide's figure beside the real one")
			}
		})
	}
}

// TestCostReportNegative: a report edited after rendering is caught.
func TestCostReportNegative(t *testing.T) {
	b := blueprint.Reference()
	bundle := render(t, b)
	e := independentEstimate(t, b)
	tampered := withFile(bundle, "plan.json", []byte(strings.Replace(string(file(t, bundle, "plan.json")), `"total": "24489.00"`, `"total": "179715.20"`, 1)))
	if d := costDisagreements(t, tampered, e); len(d) == 0 {
		t.Error("a plan.json with the guide's total passed the check")
	}
	readme := withFile(bundle, "README.md", []byte(strings.ReplaceAll(string(file(t, bundle, "README.md")), "$8,064.00", "$8,046.00")))
	if d := costDisagreements(t, readme, e); len(d) == 0 {
		t.Error("a README with a wrong tier amount passed the check")
	}
}
