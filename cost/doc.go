// Package cost prices EKS Hybrid Nodes exactly: integer micro-dollar
// Money, the monthly vCPU-hour tiers as data, fleet estimates with their
// tier breakdown, scenarios side by side, a comparison with cloud GPU
// instances, and currency conversion at a caller's rate.
//
// Hybrid Nodes are billed per vCPU-hour in marginal monthly tiers that
// aggregate every hybrid node of the account in the Region (and of all
// accounts of an AWS Organization with consolidated billing); a node is
// billed from the moment it joins until its Node object is deleted. The
// vCPUs are the ones the node reports: sockets × cores × threads.
//
//	e, err := cost.Compute(cost.Input{
//		Groups:  []cost.NodeGroup{{Server: cost.Server{Name: "dgx", CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, GPUs: 8}, Count: 10}},
//		Pricing: cost.HybridNodesPricing(),
//	})
//	fmt.Println(e.Total) // $24,416.00
//
// No float64 touches money: rates parse from decimal strings
// (ParseMoney), products are exact, and the single rounding rule (half away
// from zero) is applied only where a share is divided out (RoundCents,
// DivRoundCents) or converted (ExchangeRate.Convert). Overflow is an
// error, never a wrong number.
//
// Sources: https://aws.amazon.com/eks/pricing/ (the tiers, the cluster
// fee); the adoption guide's flat $0.1099 is kept only to show the
// difference (GuidePricing).
package cost
