package lab_test

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// link is two namespaces joined by a veth pair: a hybrid node (node) and
// the other side of the link (peer), which holds an address in the
// cluster's ENI subnet and one of another hybrid node.
type link struct {
	node, peer string
}

const (
	nodeAddr    = "192.168.10.11"
	peerNode    = "192.168.10.99"
	clusterENI  = "10.0.1.10"
	vethNode    = "hkn0"
	vethPeer    = "hkp0"
	outsidePort = "12345" // in no rule of the plan
)

func newLink(t *testing.T, mtu int) link {
	t.Helper()
	ip := testkit.Tool(t, "ip", "iproute2")
	l := link{node: netns(t, "node"), peer: netns(t, "peer")}
	mustRun(t, ip, "link", "add", vethNode, "netns", l.node, "type", "veth", "peer", "name", vethPeer, "netns", l.peer)
	m := itoa(mtu)
	mustRun(t, ip, "-n", l.node, "link", "set", vethNode, "mtu", m, "up")
	mustRun(t, ip, "-n", l.peer, "link", "set", vethPeer, "mtu", m, "up")
	mustRun(t, ip, "-n", l.node, "addr", "add", nodeAddr+"/24", "dev", vethNode)
	mustRun(t, ip, "-n", l.node, "route", "add", "10.0.0.0/16", "dev", vethNode)
	mustRun(t, ip, "-n", l.peer, "addr", "add", peerNode+"/24", "dev", vethPeer)
	mustRun(t, ip, "-n", l.peer, "addr", "add", clusterENI+"/24", "dev", vethPeer)
	return l
}

// listeners accepts TCP and UDP on the node for the ports under test and
// records what arrived.
type listeners struct {
	mu  sync.Mutex
	got map[string]bool
}

func (l *listeners) seen(k string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.got[k]
}

func listen(t *testing.T, ns string, tcp, udp []string) *listeners {
	t.Helper()
	ls := &listeners{got: map[string]bool{}}
	inNamespace(t, ns, func() {
		for _, p := range tcp {
			ln, err := net.Listen("tcp", nodeAddr+":"+p)
			if err != nil {
				t.Errorf("listen tcp %s: %v", p, err)
				continue
			}
			t.Cleanup(func() { ln.Close() })
			go func(p string) {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					ls.mu.Lock()
					ls.got["tcp/"+p] = true
					ls.mu.Unlock()
					c.Close()
				}
			}(p)
		}
		for _, p := range udp {
			pc, err := net.ListenPacket("udp", nodeAddr+":"+p)
			if err != nil {
				t.Errorf("listen udp %s: %v", p, err)
				continue
			}
			t.Cleanup(func() { pc.Close() })
			go func(p string) {
				buf := make([]byte, 64)
				for {
					if _, _, err := pc.ReadFrom(buf); err != nil {
						return
					}
					ls.mu.Lock()
					ls.got["udp/"+p] = true
					ls.mu.Unlock()
				}
			}(p)
		}
	})
	return ls
}

// connectFrom opens a TCP connection from src (an address of the peer
// namespace) to the node's port; it reports whether it connected.
func connectFrom(t *testing.T, ns, src, port string) bool {
	t.Helper()
	ok := false
	inNamespace(t, ns, func() {
		d := net.Dialer{Timeout: 700 * time.Millisecond, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
		c, err := d.Dial("tcp", nodeAddr+":"+port)
		if err == nil {
			ok = true
			c.Close()
		}
	})
	return ok
}

func sendUDPFrom(t *testing.T, ns, src, port string) {
	t.Helper()
	inNamespace(t, ns, func() {
		c, err := net.DialUDP("udp", &net.UDPAddr{IP: net.ParseIP(src)}, &net.UDPAddr{IP: net.ParseIP(nodeAddr), Port: atoi(port)})
		if err != nil {
			t.Errorf("udp: %v", err)
			return
		}
		defer c.Close()
		for range 3 {
			_, _ = c.Write([]byte("probe"))
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

type firewallLoader struct {
	name, path string
	load       func(t *testing.T, ns string, rules []byte) error
}

func loaders() []firewallLoader {
	return []firewallLoader{
		{"nftables", "firewall/hybrid-node.nft", func(t *testing.T, ns string, rules []byte) error {
			nft := testkit.Tool(t, "nft", "nftables")
			out, err := inNS(t, ns, nft, "-f", testkit.WriteFile(t, "rules.nft", rules))
			if err != nil {
				t.Logf("nft: %s", out)
			}
			return err
		}},
		{"iptables", "firewall/hybrid-node.iptables", func(t *testing.T, ns string, rules []byte) error {
			ipt := testkit.Tool(t, "iptables-restore", "iptables")
			out, err := inNS(t, ns, ipt, testkit.WriteFile(t, "rules.iptables", rules))
			if err != nil {
				t.Logf("iptables-restore: %s", out)
			}
			return err
		}},
	}
}

// cniPort is the overlay port of the blueprint's CNI.
func cniPort(b blueprint.Blueprint) string {
	if b.CNI == "calico" {
		return "4789"
	}
	return "8472"
}

// TestFirewallPassesThePlanAndNothingElse loads the rendered host firewall
// (nftables, and separately iptables-restore) into a hybrid node's
// namespace and pushes traffic at it from the other side of a veth: the
// kubelet port from the cluster's ENI subnet and the CNI's overlay port
// from another node get through; a port in no rule does not. Both
// blueprints (Cilium with SSM, Calico with IAM Roles Anywhere).
func TestFirewallPassesThePlanAndNothingElse(t *testing.T) {
	requireRoot(t)
	for _, bp := range []struct {
		name string
		b    blueprint.Blueprint
	}{{"reference", blueprint.Reference()}, {"iam-ra-calico", iraCalico()}} {
		bundle := render(t, bp.b)
		for _, ld := range loaders() {
			t.Run(bp.name+"/"+ld.name, func(t *testing.T) {
				l := newLink(t, 1500)
				if err := ld.load(t, l.node, file(t, bundle, ld.path)); err != nil {
					t.Fatal(err)
				}
				port := cniPort(bp.b)
				ls := listen(t, l.node, []string{"10250", outsidePort}, []string{port})
				if !connectFrom(t, l.peer, clusterENI, "10250") {
					t.Error("TCP 10250 from the cluster ENI subnet is blocked: the control plane cannot reach the kubelet")
				}
				if connectFrom(t, l.peer, clusterENI, outsidePort) || ls.seen("tcp/"+outsidePort) {
					t.Errorf("TCP %s, in no rule of the plan, got through", outsidePort)
				}
				sendUDPFrom(t, l.peer, peerNode, port)
				time.Sleep(100 * time.Millisecond)
				if !ls.seen("udp/" + port) {
					t.Errorf("UDP %s (the CNI overlay) from another node is blocked", port)
				}
			})
		}
	}
}

// TestFirewallNegativeWithout10250 proves the test above can fail: the
// same rulesets without their kubelet rule block the control plane.
func TestFirewallNegativeWithout10250(t *testing.T) {
	requireRoot(t)
	bundle := render(t, blueprint.Reference())
	for _, ld := range loaders() {
		t.Run(ld.name, func(t *testing.T) {
			var kept []string
			for _, line := range strings.Split(string(file(t, bundle, ld.path)), "\n") {
				if !strings.Contains(line, "10250") {
					kept = append(kept, line)
				}
			}
			l := newLink(t, 1500)
			if err := ld.load(t, l.node, []byte(strings.Join(kept, "\n"))); err != nil {
				t.Fatal(err)
			}
			listen(t, l.node, []string{"10250"}, nil)
			if connectFrom(t, l.peer, clusterENI, "10250") {
				t.Error("without its 10250 rule the firewall still lets the kubelet port through")
			}
		})
	}
}
