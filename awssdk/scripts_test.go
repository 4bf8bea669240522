package awssdk_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// scriptPolls are the describe-… and get-… calls the scripts repeat while
// they wait for a state; the plan has them as AwaitState.
var scriptPolls = []string{"describe-transit-gateways", "describe-transit-gateway-vpc-attachments", "describe-vpn-connections", "get-resolver-endpoint"}

// operationName turns a CLI subcommand into its API operation:
// create-transit-gateway-vpc-attachment → CreateTransitGatewayVpcAttachment.
func operationName(sub string) string {
	var b strings.Builder
	for _, w := range strings.Split(sub, "-") {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// TestPlanMakesTheScriptsCalls: the plan and the bundle's aws/ scripts
// make the same calls in the same order, for both the reference and the
// VPN + IAM Roles Anywhere variant, so the two ways to apply a blueprint
// cannot drift apart.
func TestPlanMakesTheScriptsCalls(t *testing.T) {
	for _, tc := range []struct {
		name string
		bp   func(*testing.T) blueprint.Blueprint
	}{
		{"reference", func(*testing.T) blueprint.Blueprint { return blueprint.Reference() }},
		{vpnVariant, func(t *testing.T) blueprint.Blueprint { return variant(t, vpnVariant) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.bp(t)
			bundle, _, err := blueprint.Render(b)
			if err != nil {
				t.Fatal(err)
			}
			p := planOf(t, b)
			outputs := map[string]string{}
			for _, poll := range scriptPolls {
				outputs[poll] = "available"
			}
			outputs["get-resolver-endpoint"] = "OPERATIONAL"
			for sub, id := range map[string]string{
				"create-transit-gateway": "tgw-0123456789abcdef0", "create-transit-gateway-vpc-attachment": "tgw-attach-0123456789abcdef0",
				"create-direct-connect-gateway": "5f294f92-bafb-4011-916d-9b0bec0c6a40", "create-customer-gateway": "cgw-0123456789abcdef0",
				"create-vpn-connection": "vpn-0123456789abcdef0", "describe-cluster": "sg-0c1a2b3c4d5e6f708",
				"create-resolver-endpoint": "rslvr-in-0123456789abcdef0", "create-resolver-rule": "rslvr-rr-0123456789abcdef0",
			} {
				outputs[sub] = id
			}
			var script []string
			for _, f := range bundle.Files() {
				if !strings.HasPrefix(f.Path, "aws/") || !strings.HasSuffix(f.Path, ".sh") {
					continue
				}
				for _, call := range testkit.RecordCommands(t, f.Content, "aws", outputs) {
					if slices.Contains(scriptPolls, call[1]) {
						continue
					}
					script = append(script, call[0]+":"+operationName(call[1]))
				}
			}
			if got := planOps(p); !slices.Equal(got, script) {
				t.Errorf("the plan's calls differ from the scripts'\nplan:    %q\nscripts: %q", got, script)
			}
		})
	}
}
