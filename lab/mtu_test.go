package lab_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
)

// planPath reads the path (hops, MTU, pod MTU, payload) from the bundle's
// plan.json.
func planPath(t *testing.T, b blueprint.Bundle) blueprint.PathSummary {
	t.Helper()
	var p blueprint.Plan
	if err := json.Unmarshal(file(t, b, "plan.json"), &p); err != nil {
		t.Fatal(err)
	}
	return p.Path
}

func vpnBlueprint() blueprint.Blueprint {
	b := blueprint.Reference()
	b.Connectivity.Connection = netplan.ConnectionVPN
	b.Connectivity.DirectConnect = nil
	b.Connectivity.VPN = &netplan.VPN{CustomerGatewayIP: netip.MustParseAddr("203.0.113.10"), CustomerASN: 65000}
	b.Site.NodeMTU = 1500
	return b
}

// jumboBlueprint has nodes at 9000 behind the 8500-byte path, so the
// limit is a router's, not the node's own interface.
func jumboBlueprint() blueprint.Blueprint {
	b := blueprint.Reference()
	b.Site.NodeMTU = 9000
	return b
}

// chain builds the path of plan.json as namespaces, one per hop boundary:
// the node, a router after each hop but the last, and the VPC at the end;
// link i carries hop i's MTU. It returns the node's namespace and the VPC
// end's address.
func chain(t *testing.T, hops []netpath.Hop) (string, string) {
	t.Helper()
	ip := testkit.Tool(t, "ip", "iproute2")
	ns := []string{netns(t, "node")}
	for range hops {
		ns = append(ns, netns(t, "hop"))
	}
	for i, h := range hops {
		a, b := fmt.Sprintf("10.200.%d.1", i), fmt.Sprintf("10.200.%d.2", i)
		veth(t, ns[i], "hkr"+itoa(i)+"a", a+"/30", ns[i+1], "hkr"+itoa(i)+"b", b+"/30", h.EffectiveMTU())
		if i > 0 {
			mustRun(t, ip, "netns", "exec", ns[i], "sysctl", "-qw", "net.ipv4.ip_forward=1")
		}
		mustRun(t, ip, "-n", ns[i], "route", "add", "default", "via", b)
		for j := 0; j < i; j++ {
			mustRun(t, ip, "-n", ns[i+1], "route", "add", fmt.Sprintf("10.200.%d.0/30", j), "via", a)
		}
	}
	return ns[0], fmt.Sprintf("10.200.%d.2", len(hops)-1)
}

// dfPing sends one don't-fragment ping of payload bytes and returns ping's
// output and whether it got a reply.
func dfPing(t *testing.T, ns, to string, payload int) (string, bool) {
	t.Helper()
	pingBin := testkit.Tool(t, "ping", "iputils-ping")
	// Two tries: the first may only teach the node the path MTU.
	out, err := inNS(t, ns, pingBin, "-M", "do", "-s", itoa(payload), "-c", "2", "-W", "1", to)
	return string(out), err == nil
}

// TestPathMTUIsWhatThePlanSays builds the path plan.json describes, hop by
// hop with each hop's MTU (site, Direct Connect VIF, Transit Gateway, VPC;
// or site and VPN): the plan's payload passes end to end and one byte more
// does not — refused by the router at the limiting hop with
// "fragmentation needed" when the node's own MTU is larger, by the node
// itself ("message too long") when it is not. The plan's MTU is checked
// against the chain's, not against a constant.
func TestPathMTUIsWhatThePlanSays(t *testing.T) {
	t.Parallel()
	requireRoot(t)
	for _, tc := range []struct {
		name   string
		b      blueprint.Blueprint
		reason string // what ping reports one byte over
	}{
		{"direct-connect", blueprint.Reference(), "message too long"},
		{"direct-connect, jumbo nodes", jumboBlueprint(), "Frag needed and DF set (mtu = 8500)"},
		{"vpn", vpnBlueprint(), "Frag needed and DF set (mtu = 1446)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := planPath(t, render(t, tc.b))
			smallest := 0
			for _, h := range p.Hops {
				if m := h.EffectiveMTU(); smallest == 0 || m < smallest {
					smallest = m
				}
			}
			if p.MTU != smallest || p.PingPayload != p.MTU-28 {
				t.Fatalf("plan.json says MTU %d payload %d; its hops carry %d", p.MTU, p.PingPayload, smallest)
			}
			node, vpc := chain(t, p.Hops)
			if out, ok := dfPing(t, node, vpc, p.PingPayload); !ok {
				t.Errorf("ping -M do -s %d fails on the planned path:\n%s", p.PingPayload, out)
			}
			out, ok := dfPing(t, node, vpc, p.PingPayload+1)
			if ok {
				t.Errorf("ping -M do -s %d passes a path the plan says carries %d", p.PingPayload+1, p.MTU)
			}
			if !strings.Contains(out, tc.reason) {
				t.Errorf("one byte over failed, but not because of the MTU (want %q):\n%s", tc.reason, out)
			}
		})
	}
}

// TestPathMTUNegative: the guide's 8972-byte payload on the planned path
// is refused by the Transit Gateway hop's router with "fragmentation
// needed (mtu = 8500)" — the nodes here at 9000 as the guide has them.
func TestPathMTUNegative(t *testing.T) {
	t.Parallel()
	requireRoot(t)
	p := planPath(t, render(t, jumboBlueprint()))
	node, vpc := chain(t, p.Hops)
	out, ok := dfPing(t, node, vpc, 8972)
	if ok || !strings.Contains(out, "Frag needed and DF set (mtu = 8500)") {
		t.Errorf("the guide's 8972-byte ping: passed=%v, want a fragmentation-needed error at 8500:\n%s", ok, out)
	}
}

// TestPodMTUThroughVXLAN builds VXLAN between two nodes over a link of the
// path MTU, as Cilium does: the kernel allows the VXLAN device exactly the
// plan's podMtu (one more is refused), and a don't-fragment ping of
// podMtu - 28 crosses it while one byte more does not.
func TestPodMTUThroughVXLAN(t *testing.T) {
	t.Parallel()
	requireRoot(t)
	ip := testkit.Tool(t, "ip", "iproute2")
	p := planPath(t, render(t, blueprint.Reference()))
	a, b := netns(t, "node"), netns(t, "node")
	veth(t, a, "hku0", "192.168.10.11/24", b, "hku1", "192.168.10.12/24", p.MTU)
	for _, end := range []struct{ ns, dev, remote, addr string }{{a, "hku0", "192.168.10.12", "10.244.0.1/24"}, {b, "hku1", "192.168.10.11", "10.244.0.2/24"}} {
		mustRun(t, ip, "-n", end.ns, "link", "add", "hkx0", "type", "vxlan", "id", "42", "remote", end.remote, "dstport", "8472", "dev", end.dev)
		if out, err := inNS(t, end.ns, ip, "link", "set", "hkx0", "mtu", itoa(p.PodMTU+1)); err == nil {
			t.Errorf("the kernel allows VXLAN %d bytes over a %d-byte link; plan.json says the pod MTU is %d", p.PodMTU+1, p.MTU, p.PodMTU)
		} else if !strings.Contains(string(out), "Invalid argument") {
			t.Errorf("setting the VXLAN MTU one over failed for another reason: %s", out)
		}
		mustRun(t, ip, "-n", end.ns, "link", "set", "hkx0", "mtu", itoa(p.PodMTU), "up")
		mustRun(t, ip, "-n", end.ns, "addr", "add", end.addr, "dev", "hkx0")
	}
	if out, ok := dfPing(t, a, "10.244.0.2", p.PodMTU-28); !ok {
		t.Errorf("a %d-byte ping does not cross VXLAN at the pod MTU %d:\n%s", p.PodMTU-28, p.PodMTU, out)
	}
	if out, ok := dfPing(t, a, "10.244.0.2", p.PodMTU-27); ok || !strings.Contains(out, "message too long") {
		t.Errorf("one byte over the pod MTU: passed=%v, want the local message-too-long:\n%s", ok, out)
	}
}
