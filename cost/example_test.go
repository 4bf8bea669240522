package cost_test

import (
	"fmt"

	"github.com/hybridkit/hybridkit/cost"
)

// The adoption guide's fleet, priced correctly: ten DGX-class servers
// (2 × 56 cores × 2 threads = 224 vCPUs) for a 730-hour month.
func ExampleCompute() {
	e, err := cost.Compute(cost.Input{
		Groups: []cost.NodeGroup{{
			Server: cost.Server{Name: "DGX H200", CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, GPUs: 8},
			Count:  10,
		}},
		Pricing: cost.HybridNodesPricing(),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(e.VCPUHours, "vCPU-hours")
	for _, u := range e.Tiers[:3] {
		fmt.Println(u.Hours, "h at", u.Rate, "=", u.Amount)
	}
	fmt.Println("total", e.Total, "per node", e.PerNode, "per GPU", e.PerGPU)
	// Output:
	// 1635200 vCPU-hours
	// 576000 h at $0.02 = $11,520.00
	// 576000 h at $0.014 = $8,064.00
	// 483200 h at $0.01 = $4,832.00
	// total $24,416.00 per node $2,441.60 per GPU $305.20
}

// The guide's flat $0.1099 assumption gives exactly $179,708.48, with a
// finding. (The guide printed $179,715.20 because it rounded the
// per-vCPU month to $80.23 before multiplying.)
func ExampleGuidePricing() {
	e, err := cost.Compute(cost.Input{
		Groups:  []cost.NodeGroup{{Server: cost.Server{Name: "DGX H200", CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, GPUs: 8}, Count: 10}},
		Pricing: cost.GuidePricing(),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(e.Total)
	fmt.Println(e.Findings[0].Code)
	// Output:
	// $179,708.48
	// cost/guide-flat-price
}

func ExampleScenarios() {
	base := cost.Input{Groups: []cost.NodeGroup{
		{Server: cost.Server{Name: "DGX H200", CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, GPUs: 8}, Count: 10},
		{Server: cost.Server{Name: "CPU node", CPU: cost.Processors{Model: "EPYC 9654", Sockets: 1}}, Count: 4},
	}, ClusterFee: &cost.ClusterFee{Clusters: 1, Rate: cost.StandardClusterRate()}}
	rs, err := cost.CompareScenarios(cost.Scenarios(base, 12*22))
	if err != nil {
		panic(err)
	}
	for _, r := range rs {
		fmt.Printf("%-40s %s\n", r.Name, r.Estimate.Total)
	}
	// Output:
	// guide's flat $0.1099 (not AWS's price)   $241,395.816
	// tiered, all nodes 24×7                   $30,095.40
	// tiered, attached 264 h/month             $14,646.568
	// tiered, GPU servers only                 $24,489.00
}

func ExampleCompare() {
	server := cost.Server{Name: "DGX H200", CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, GPUs: 8}
	e, err := cost.Compute(cost.Input{Groups: []cost.NodeGroup{{Server: server, Count: 10}}, Pricing: cost.HybridNodesPricing()})
	if err != nil {
		panic(err)
	}
	cmp, err := cost.Compare(e, 0, cost.OwnedCosts{
		Capex: cost.MustParseMoney("400000"), AmortisationMonths: 48,
		PowerWatts: 10_200, PUEMilli: 1_400, EnergyPerKWh: cost.MustParseMoney("0.12"),
	}, []cost.CloudInstance{
		{Name: "p5en.48xlarge", Hourly: cost.MustParseMoney("63.296"), GPUs: 8, Region: "us-east-1", Checked: "2026-03", Source: "instances.vantage.sh"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("owned:", cmp.HybridFee, "+", cmp.Amortisation, "+", cmp.Energy, "=", cmp.Owned)
	fmt.Println(cmp.Cloud[0].Name, cmp.Cloud[0].Monthly, "break-even at", cmp.Cloud[0].BreakEven)
	// Output:
	// owned: $2,441.60 + $8,333.33 + $1,250.93 = $12,025.86
	// p5en.48xlarge $46,206.08 break-even at 26.03%
}

func ExampleExchangeRate_Convert() {
	krw, err := cost.ParseExchangeRate("KRW", 0, "1380.25")
	if err != nil {
		panic(err)
	}
	a, err := krw.Convert(cost.MustParseMoney("24416.00"))
	if err != nil {
		panic(err)
	}
	fmt.Println(a)
	// Output: KRW 33,700,184
}
