package lab_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ce "github.com/aws/aws-sdk-go-v2/service/costexplorer"
	cetypes "github.com/aws/aws-sdk-go-v2/service/costexplorer/types"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/cost"
)

// TestCostExplorerFilterThroughTheSDK reads the rendered filter with the
// AWS SDK's own Cost Explorer deserializer (as the MonitorSpecification
// of an anomaly monitor, a field of the same Expression type), sends it
// back with the SDK's serializer (as GetCostAndUsage's Filter), and checks
// the two JSON documents mean the same: a misspelt key or a wrong shape
// would be dropped on the way. It also checks, with the SDK's endpoint
// rules, that the script asks the Region that serves Cost Explorer.
func TestCostExplorerFilterThroughTheSDK(t *testing.T) {
	b := blueprint.Reference()
	bundle := render(t, b)
	filter := file(t, bundle, "cost/cost-explorer-filter.json")

	var sent []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		switch r.Header.Get("X-Amz-Target") {
		case "AWSInsightsIndexService.GetAnomalyMonitors":
			_, _ = io.WriteString(w, `{"AnomalyMonitors":[{"MonitorName":"eks","MonitorType":"CUSTOM","MonitorSpecification":`+string(filter)+`}]}`)
		case "AWSInsightsIndexService.GetCostAndUsage":
			sent = body
			_, _ = io.WriteString(w, `{"ResultsByTime":[]}`)
		default:
			http.Error(w, "unexpected "+r.Header.Get("X-Amz-Target"), http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	client := ce.New(ce.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.AnonymousCredentials{}, HTTPClient: srv.Client()})
	ctx := context.Background()
	mons, err := client.GetAnomalyMonitors(ctx, &ce.GetAnomalyMonitorsInput{})
	if err != nil {
		t.Fatal(err)
	}
	expr := mons.AnomalyMonitors[0].MonitorSpecification
	if _, err := client.GetCostAndUsage(ctx, &ce.GetCostAndUsageInput{
		Filter: expr, Granularity: cetypes.GranularityMonthly, Metrics: []string{"UnblendedCost", "UsageQuantity"},
		TimePeriod: &cetypes.DateInterval{Start: aws.String("2026-12-01"), End: aws.String("2027-01-01")},
		GroupBy:    []cetypes.GroupDefinition{{Type: cetypes.GroupDefinitionTypeDimension, Key: aws.String("USAGE_TYPE")}},
	}); err != nil {
		t.Fatal(err)
	}
	var req struct{ Filter any }
	var ours any
	if err := json.Unmarshal(sent, &req); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(filter, &ours); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(req.Filter, ours) {
		t.Errorf("the SDK sends the filter as\n%s\nthe bundle has\n%s", sent, filter)
	}

	// The script's --region is where the SDK's rules send the call.
	script := string(file(t, bundle, "cost/cost-explorer.sh"))
	for _, region := range []string{b.Cluster.Region, "cn-north-1", "eusc-de-east-1"} {
		ep, err := ce.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, ce.EndpointParameters{Region: aws.String(region)})
		if err != nil {
			t.Fatal(err)
		}
		s := script
		if region != b.Cluster.Region {
			sh, err := cost.CostExplorerScript(region, cost.Estimate{})
			if err != nil {
				t.Fatal(err)
			}
			s = string(sh)
		}
		host := ep.URI.Host
		signing := strings.TrimSuffix(strings.TrimPrefix(host, "ce."), "."+strings.SplitN(host, ".", 3)[2])
		if !strings.Contains(s, "--region "+signing) {
			t.Errorf("%s: the SDK calls %s; the script does not say --region %s", region, host, signing)
		}
	}
}
