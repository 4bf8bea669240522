package lab_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
)

// The published prices, written here on their own (not the library's
// table): EKS Hybrid Nodes per vCPU-hour in monthly tiers, and the
// standard cluster fee (https://aws.amazon.com/eks/pricing/). Amounts are
// in micro-dollars.
var (
	publishedTiers = []struct{ upTo, microPerHour int64 }{
		{576_000, 20_000},
		{1_152_000, 14_000},
		{5_760_000, 10_000},
		{11_520_000, 8_000},
		{0, 6_000}, // every vCPU-hour beyond
	}
	clusterFeeMicroPerHour int64 = 100_000
)

// cpuThreads are the processors the lab's blueprints name: hardware
// threads per socket (Intel ark, AMD product pages).
var cpuThreads = map[string]int64{
	"Xeon Platinum 8480C": 112, // 56 cores × 2 threads
	"EPYC 9654":           192, // 96 cores × 2 threads
}

// expected is a month's bill computed here from the published table.
type expected struct {
	vcpuHours  int64
	tiers      []int64 // micro-dollars per tier
	hybrid     int64
	clusterFee int64
	total      int64
	perGPU     int64 // GPU pools' share over their GPUs, in cents × 10⁴
}

func expectedBill(t *testing.T, b blueprint.Blueprint) expected {
	t.Helper()
	month := int64(730)
	var e expected
	var gpuHours, gpus int64
	for _, p := range b.NodePools {
		threads, ok := cpuThreads[p.CPU.Model]
		if !ok {
			t.Fatalf("the lab does not know the %s", p.CPU.Model)
		}
		hours := month
		if p.HoursPerMonth > 0 {
			hours = p.HoursPerMonth
		}
		vh := threads * int64(p.CPU.Sockets) * int64(p.Count) * hours
		e.vcpuHours += vh
		if p.GPU != nil {
			gpuHours += vh
			gpus += int64(p.GPU.Count * p.Count)
		}
	}
	left, from := e.vcpuHours, int64(0)
	for _, tier := range publishedTiers {
		n := left
		if tier.upTo > 0 {
			n = min(left, tier.upTo-from)
		}
		e.tiers = append(e.tiers, n*tier.microPerHour)
		e.hybrid += n * tier.microPerHour
		left -= n
		from = tier.upTo
	}
	e.clusterFee = clusterFeeMicroPerHour * month
	e.total = e.hybrid + e.clusterFee
	if gpus > 0 {
		// The GPU pools' vCPU-hours at the month's average rate, over the
		// GPUs, rounded half up to the cent.
		share := e.hybrid * gpuHours / e.vcpuHours
		e.perGPU = (share/gpus + 5_000) / 10_000 * 10_000
	}
	return e
}

func dollars(micro int64) string {
	return fmt.Sprintf("%d.%02d", micro/1_000_000, micro%1_000_000/10_000)
}

// costDisagreements lists, figure by figure, where plan.json, README.md
// and cost/estimate.md disagree with the bill computed here.
func costDisagreements(t *testing.T, bundle blueprint.Bundle, e expected) []string {
	t.Helper()
	var p blueprint.Plan
	if err := json.Unmarshal(file(t, bundle, "plan.json"), &p); err != nil {
		return []string{"plan.json: " + err.Error()}
	}
	var out []string
	check := func(what string, got any, want string) {
		if fmt.Sprint(got) != want && fmt.Sprint(got) != "$"+want {
			out = append(out, fmt.Sprintf("%s: %v, want %s", what, got, want))
		}
	}
	check("plan.json vCPU-hours", p.Cost.VCPUHours, fmt.Sprint(e.vcpuHours))
	for i, want := range e.tiers {
		if i >= len(p.Cost.Tiers) {
			out = append(out, fmt.Sprintf("plan.json has %d tiers, the table %d", len(p.Cost.Tiers), len(e.tiers)))
			break
		}
		check(fmt.Sprintf("plan.json tier %d", i), strings.TrimPrefix(p.Cost.Tiers[i].Amount.String(), "$"), withCommas(dollars(want)))
	}
	check("plan.json hybrid nodes", strings.TrimPrefix(p.Cost.HybridNodes.String(), "$"), withCommas(dollars(e.hybrid)))
	check("plan.json cluster fee", strings.TrimPrefix(p.Cost.ClusterFee.String(), "$"), withCommas(dollars(e.clusterFee)))
	check("plan.json total", strings.TrimPrefix(p.Cost.Total.String(), "$"), withCommas(dollars(e.total)))
	if e.perGPU > 0 {
		check("plan.json per GPU", strings.TrimPrefix(p.Cost.PerGPU.String(), "$"), withCommas(dollars(e.perGPU)))
	}
	for _, f := range []string{"README.md", "cost/estimate.md"} {
		text := string(file(t, bundle, f))
		for _, row := range []string{
			"| Cluster fee |  |  | $" + withCommas(dollars(e.clusterFee)) + " |",
			"| Total |  |  | $" + withCommas(dollars(e.total)) + " |",
			"| Hybrid nodes |  | " + withCommas(fmt.Sprint(e.vcpuHours)) + " | $" + withCommas(dollars(e.hybrid)) + " |",
		} {
			if !strings.Contains(text, row) {
				out = append(out, f+" lacks the row "+row)
			}
		}
	}
	slices.Sort(out)
	return out
}

// withCommas groups the integer part of a decimal number by thousands.
func withCommas(s string) string {
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		return b.String() + "." + frac
	}
	return b.String()
}

// TestCostReportAgrees computes the month's bill here, from the published
// tiers and cluster fee written in this file, and checks every figure of
// plan.json, README.md and cost/estimate.md against it: vCPU-hours, each
// tier, the hybrid-nodes amount, the cluster fee, the total and the
// per-GPU share; and that the guide's figure sits beside the real one.
func TestCostReportAgrees(t *testing.T) {
	for _, bp := range []struct {
		name string
		b    blueprint.Blueprint
	}{{"reference", blueprint.Reference()}, {"iam-ra-calico", iraCalico()}} {
		t.Run(bp.name, func(t *testing.T) {
			bundle := render(t, bp.b)
			for _, d := range costDisagreements(t, bundle, expectedBill(t, bp.b)) {
				t.Error(d)
			}
			if !strings.Contains(string(file(t, bundle, "README.md")), "flat $0.1099 per vCPU-hour gives $179,708.48") {
				t.Error("the report does not show the guide's figure beside the real one")
			}
		})
	}
}

// TestCostReportNegative edits one figure at a time and checks the test
// above names exactly that figure.
func TestCostReportNegative(t *testing.T) {
	b := blueprint.Reference()
	bundle := render(t, b)
	e := expectedBill(t, b)
	for _, tc := range []struct {
		name, path, from, to string
		want                 []string
	}{
		{"plan.json total", "plan.json", `"total": "24489.00"`, `"total": "179781.48"`, []string{"plan.json total: 179,781.48, want 24,489.00"}},
		{"cluster fee row", "README.md", "| Cluster fee |  |  | $73.00 |", "| Cluster fee |  |  | $74.00 |", []string{"README.md lacks the row | Cluster fee |  |  | $73.00 |"}},
		{"hybrid nodes row", "cost/estimate.md", "| Hybrid nodes |  | 1,635,200 | $24,416.00 |", "| Hybrid nodes |  | 1,635,200 | $24,461.00 |", []string{"cost/estimate.md lacks the row | Hybrid nodes |  | 1,635,200 | $24,416.00 |"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := string(file(t, bundle, tc.path))
			if !strings.Contains(before, tc.from) {
				t.Fatalf("%s has no %q", tc.path, tc.from)
			}
			got := costDisagreements(t, withFile(bundle, tc.path, []byte(strings.Replace(before, tc.from, tc.to, 1))), e)
			if !slices.Equal(got, tc.want) {
				t.Errorf("disagreements %q, want exactly %q", got, tc.want)
			}
		})
	}
}
