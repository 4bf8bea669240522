package lab_test

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netplan"
)

// planPath reads the path MTU and the proving ping payload from the
// bundle's plan.json.
func planPath(t *testing.T, b blueprint.Bundle) blueprint.PathSummary {
	t.Helper()
	var p blueprint.Plan
	if err := json.Unmarshal(file(t, b, "plan.json"), &p); err != nil {
		t.Fatal(err)
	}
	return p.Path
}

func ping(t *testing.T, ns string, payload int) bool {
	t.Helper()
	pingBin := testkit.Tool(t, "ping", "iputils-ping")
	_, err := inNS(t, ns, pingBin, "-M", "do", "-s", itoa(payload), "-c", "1", "-W", "1", nodeAddr)
	return err == nil
}

func vpnBlueprint() blueprint.Blueprint {
	b := blueprint.Reference()
	b.Connectivity.Connection = netplan.ConnectionVPN
	b.Connectivity.DirectConnect = nil
	b.Connectivity.VPN = &netplan.VPN{CustomerGatewayIP: netip.MustParseAddr("203.0.113.10"), CustomerASN: 65000}
	b.Site.NodeMTU = 1500
	return b
}

// TestPathMTUIsWhatThePlanSays builds the link with the MTU the plan
// computes from its hops (8500 through a Transit Gateway over Direct
// Connect, 1446 through a Site-to-Site VPN): the don't-fragment ping with
// the plan's payload passes, one byte more does not.
func TestPathMTUIsWhatThePlanSays(t *testing.T) {
	requireRoot(t)
	for _, tc := range []struct {
		name    string
		b       blueprint.Blueprint
		mtu     int
		payload int
	}{
		{"direct-connect", blueprint.Reference(), 8500, 8472},
		{"vpn", vpnBlueprint(), 1446, 1418},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := planPath(t, render(t, tc.b))
			if p.MTU != tc.mtu || p.PingPayload != tc.payload {
				t.Fatalf("plan.json says MTU %d payload %d, want %d and %d", p.MTU, p.PingPayload, tc.mtu, tc.payload)
			}
			l := newLink(t, p.MTU)
			if !ping(t, l.peer, p.PingPayload) {
				t.Errorf("ping -M do -s %d fails on a %d-byte path", p.PingPayload, p.MTU)
			}
			if ping(t, l.peer, p.PingPayload+1) {
				t.Errorf("ping -M do -s %d passes on a %d-byte path", p.PingPayload+1, p.MTU)
			}
		})
	}
}

// TestPathMTUNegative proves the check can fail: the guide's 8972-byte
// payload does not fit the 8500-byte path the plan computes.
func TestPathMTUNegative(t *testing.T) {
	requireRoot(t)
	p := planPath(t, render(t, blueprint.Reference()))
	l := newLink(t, p.MTU)
	if ping(t, l.peer, 8972) {
		t.Error("the guide's 8972-byte ping passed a path the plan says carries 8500")
	}
}
