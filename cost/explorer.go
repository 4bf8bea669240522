package cost

import (
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/shellscript"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// EKSCostExplorerService is the SERVICE dimension value Cost Explorer gives
// Amazon EKS, cluster fees and hybrid nodes alike: "Amazon Elastic
// Container Service for Kubernetes" (aws ce get-dimension-values
// --dimension SERVICE lists it; https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetDimensionValues.html).
// The adoption guide filters on "Amazon Elastic Kubernetes Service -
// Hybrid Nodes", a value Cost Explorer does not have, so its query
// returns nothing; hybrid nodes are a usage type within EKS.
const EKSCostExplorerService = "Amazon Elastic Container Service for Kubernetes"

// CostExplorerRegion returns the Region whose Cost Explorer endpoint
// serves region's partition, and false for a Region that is not one or a
// partition without Cost Explorer (GovCloud, the isolated partitions).
func CostExplorerRegion(region string) (string, bool) {
	p, ok := ivalidation.RegionPartition(region)
	if !ok {
		return "", false
	}
	return costExplorerRegion(p.ID)
}

// costExplorerRegion is where each partition serves the Cost Explorer API:
// its endpoint rules sign every request for us-east-1 in the aws
// partition, cn-northwest-1 in aws-cn and eusc-de-east-1 in aws-eusc, and
// have no endpoint in the others
// (https://github.com/aws/aws-sdk-go-v2/blob/service/costexplorer/v1.63.10/service/costexplorer/endpoints.go).
func costExplorerRegion(partition string) (string, bool) {
	switch partition {
	case "aws":
		return "us-east-1", true
	case "aws-cn":
		return "cn-northwest-1", true
	case "aws-eusc":
		return "eusc-de-east-1", true
	}
	return "", false
}

// ceExpression is the part of Cost Explorer's Expression the filter uses
// (API reference, Expression and DimensionValues).
type ceExpression struct {
	And        []ceExpression `json:"And,omitempty"`
	Dimensions *ceDimension   `json:"Dimensions,omitempty"`
}

type ceDimension struct {
	Key    string   `json:"Key"`
	Values []string `json:"Values"`
}

// CostExplorerFilter returns the Cost Explorer filter (the --filter JSON
// of aws ce get-cost-and-usage) for the EKS charges of one Region: SERVICE
// is EKSCostExplorerService and REGION the cluster's. Grouped by
// USAGE_TYPE, the result has one line for the hybrid nodes' vCPU-hours
// beside the cluster hours. An invalid region is an error.
func CostExplorerFilter(region string) ([]byte, error) {
	if errs := ivalidation.Region(field.NewPath("region"), region); len(errs) > 0 {
		return nil, ivalidation.ToError("cost", errs)
	}
	f := ceExpression{And: []ceExpression{
		{Dimensions: &ceDimension{Key: "SERVICE", Values: []string{EKSCostExplorerService}}},
		{Dimensions: &ceDimension{Key: "REGION", Values: []string{region}}},
	}}
	js, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(js, '\n'), nil
}

// CostExplorerScript returns a bash script that shows the EKS spend of
// one Region for the current month so far, by usage type: first the
// Region's EKS usage types (aws ce get-dimension-values), so the hybrid
// nodes' line can be told from the cluster fee, then the unblended cost
// and usage quantity (vCPU-hours for hybrid nodes) of each
// (aws ce get-cost-and-usage). The time period ends tomorrow, because
// Cost Explorer's End is exclusive (the guide's End=2025-02-28 leaves out
// the 28th). e, when it has vCPU-hours, is the plan's estimate the script
// prints for comparison. A region outside the partitions that serve Cost
// Explorer is an error.
func CostExplorerScript(region string, e Estimate) ([]byte, error) {
	filter, err := CostExplorerFilter(region)
	if err != nil {
		return nil, err
	}
	p, _ := ivalidation.RegionPartition(region)
	ceRegion, ok := CostExplorerRegion(region)
	if !ok {
		return nil, fmt.Errorf("cost: Cost Explorer has no endpoint in the %s partition of %s; query it from the account's commercial partition", p.ID, region)
	}
	var compact []byte
	var f ceExpression
	if err := json.Unmarshal(filter, &f); err != nil {
		return nil, err
	}
	if compact, err = json.Marshal(f); err != nil {
		return nil, err
	}
	s := shellscript.New("EKS spend in " + region + " this month, by usage type (Cost Explorer).\n" +
		"Hybrid nodes are billed per vCPU-hour as a usage type of the EKS service; the cluster fee is another.\n" +
		"Cost Explorer is served from " + ceRegion + " for the whole partition, and its End date is exclusive.")
	if e.VCPUHours > 0 {
		s.Comment(fmt.Sprintf("The plan expects %d vCPU-hours (%s) for hybrid nodes in a %d-hour month.", e.VCPUHours, e.HybridNodes, e.MonthHours))
	}
	s.Capture("START", shellscript.Lits("date", "-u", "+%Y-%m-01")...)
	s.Capture("END", shellscript.Lits("date", "-u", "-d", "tomorrow", "+%Y-%m-%d")...)
	period := shellscript.Join(shellscript.Lit("Start="), shellscript.Ref("START"), shellscript.Lit(",End="), shellscript.Ref("END"))
	s.Comment("The Region's EKS usage types: the hybrid nodes' vCPU-hours are one of them.")
	s.Run(append(shellscript.Lits("aws", "ce", "get-dimension-values", "--region", ceRegion, "--time-period"), period,
		shellscript.Lit("--dimension"), shellscript.Lit("USAGE_TYPE"), shellscript.Lit("--filter"), shellscript.Lit(string(compact)),
		shellscript.Lit("--query"), shellscript.Lit("DimensionValues[].Value"), shellscript.Lit("--output"), shellscript.Lit("text"))...)
	s.Comment("Cost and usage of each: for hybrid nodes UsageQuantity is vCPU-hours.")
	s.Run(append(shellscript.Lits("aws", "ce", "get-cost-and-usage", "--region", ceRegion, "--time-period"), period,
		shellscript.Lit("--granularity"), shellscript.Lit("MONTHLY"), shellscript.Lit("--metrics"), shellscript.Lit("UnblendedCost"), shellscript.Lit("UsageQuantity"),
		shellscript.Lit("--filter"), shellscript.Lit(string(compact)), shellscript.Lit("--group-by"), shellscript.Lit("Type=DIMENSION,Key=USAGE_TYPE"))...)
	return s.Bytes()
}
