package cost_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

func TestCostExplorerFilter(t *testing.T) {
	js, err := cost.CostExplorerFilter("ap-northeast-2")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "cost-explorer-filter.golden.json", js)
	var f struct {
		And []struct {
			Dimensions struct {
				Key    string
				Values []string
			}
		}
	}
	dec := json.NewDecoder(strings.NewReader(string(js)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range f.And {
		got[e.Dimensions.Key] = strings.Join(e.Dimensions.Values, ",")
	}
	if got["SERVICE"] != cost.EKSCostExplorerService || got["REGION"] != "ap-northeast-2" || len(got) != 2 {
		t.Errorf("filter = %v", got)
	}
	if _, err := cost.CostExplorerFilter("Seoul"); err == nil {
		t.Error("an invalid region was accepted")
	}
}

func TestCostExplorerScript(t *testing.T) {
	e, err := cost.Compute(cost.Input{Groups: []cost.NodeGroup{{Server: cost.Server{Name: "dgx", CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, GPUs: 8}, Count: 10}}, Pricing: cost.HybridNodesPricing()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := cost.CostExplorerScript("ap-northeast-2", e)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "cost-explorer.golden.sh", s)
	testkit.CheckBash(t, s)
	for _, want := range []string{"--region us-east-1", "get-dimension-values", "get-cost-and-usage", "Key=USAGE_TYPE", "UsageQuantity", "1635200 vCPU-hours"} {
		if !strings.Contains(string(s), want) {
			t.Errorf("script lacks %q", want)
		}
	}
	for region, ce := range map[string]string{"cn-north-1": "cn-northwest-1", "eusc-de-east-1": "eusc-de-east-1", "us-west-2": "us-east-1"} {
		s, err := cost.CostExplorerScript(region, cost.Estimate{})
		if err != nil || !strings.Contains(string(s), "--region "+ce) {
			t.Errorf("%s: Cost Explorer in %s expected: %v\n%s", region, ce, err, s)
		}
	}
	for _, region := range []string{"us-gov-west-1", "us-iso-east-1", "nowhere"} {
		if _, err := cost.CostExplorerScript(region, cost.Estimate{}); err == nil {
			t.Errorf("%s: Cost Explorer has no endpoint there, yet a script was written", region)
		}
	}
}

func TestCostExplorerRegion(t *testing.T) {
	for _, tc := range []struct {
		region, want string
		ok           bool
	}{
		{"ap-northeast-2", "us-east-1", true},
		{"us-east-1", "us-east-1", true},
		{"cn-north-1", "cn-northwest-1", true},
		{"eusc-de-east-1", "eusc-de-east-1", true},
		{"us-gov-west-1", "", false},
		{"us-iso-east-1", "", false},
		{"korea", "", false},
	} {
		if got, ok := cost.CostExplorerRegion(tc.region); got != tc.want || ok != tc.ok {
			t.Errorf("CostExplorerRegion(%q) = %q, %v, want %q, %v", tc.region, got, ok, tc.want, tc.ok)
		}
	}
}
