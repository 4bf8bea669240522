package lab_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netplan"
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
	outsideAddr = "172.31.250.9"
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

// addPeer gives the peer side another source address, routed from the node.
func (l link) addPeer(t *testing.T, a string) {
	t.Helper()
	ip := testkit.Tool(t, "ip", "iproute2")
	if out, err := inNS(t, l.peer, ip, "addr", "add", a+"/32", "dev", vethPeer); err != nil && !strings.Contains(string(out), "already assigned") {
		t.Fatalf("addr %s: %v %s", a, err, out)
	}
	if out, err := inNS(t, l.node, ip, "route", "replace", a+"/32", "dev", vethNode); err != nil {
		t.Fatalf("route %s: %v %s", a, err, out)
	}
}

// nodeListeners accepts TCP and UDP on the node's address and records, per
// "proto/port", the sources that got through.
type nodeListeners struct {
	mu  sync.Mutex
	got map[string][]string
}

func (l *nodeListeners) record(k, src string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got[k] = append(l.got[k], src)
}

func (l *nodeListeners) seen(k, src string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Contains(l.got[k], src)
}

func listenOnNode(t *testing.T, ns string, ports map[string][]int) *nodeListeners {
	t.Helper()
	ls := &nodeListeners{got: map[string][]string{}}
	inNamespace(t, ns, func() {
		for _, p := range ports["tcp"] {
			ln, err := net.Listen("tcp", net.JoinHostPort(nodeAddr, itoa(p)))
			if err != nil {
				t.Errorf("listen tcp %d: %v", p, err)
				continue
			}
			t.Cleanup(func() { ln.Close() })
			go func(k string) {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					ls.record(k, strings.Split(c.RemoteAddr().String(), ":")[0])
					c.Close()
				}
			}("tcp/" + itoa(p))
		}
		for _, p := range ports["udp"] {
			pc, err := net.ListenPacket("udp", net.JoinHostPort(nodeAddr, itoa(p)))
			if err != nil {
				t.Errorf("listen udp %d: %v", p, err)
				continue
			}
			t.Cleanup(func() { pc.Close() })
			go func(k string) {
				buf := make([]byte, 64)
				for {
					_, from, err := pc.ReadFrom(buf)
					if err != nil {
						return
					}
					ls.record(k, strings.Split(from.String(), ":")[0])
				}
			}("udp/" + itoa(p))
		}
	})
	return ls
}

// send tries proto/port on the node from src in the peer namespace; a TCP
// probe reports whether it connected, a UDP probe is judged by the
// listener.
func (l link) send(t *testing.T, src, proto string, port int) bool {
	t.Helper()
	ok := false
	inNamespace(t, l.peer, func() {
		dst := net.JoinHostPort(nodeAddr, itoa(port))
		if proto == "tcp" {
			d := net.Dialer{Timeout: 300 * time.Millisecond, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
			if c, err := d.Dial("tcp", dst); err == nil {
				ok = true
				c.Close()
			}
			return
		}
		c, err := net.DialUDP("udp", &net.UDPAddr{IP: net.ParseIP(src)}, net.UDPAddrFromAddrPort(netip.MustParseAddrPort(dst)))
		if err != nil {
			t.Errorf("udp: %v", err)
			return
		}
		defer c.Close()
		for range 3 {
			_, _ = c.Write([]byte("probe"))
		}
	})
	return ok
}

// hostRule is one rule of the plan the hybrid node's firewall enforces:
// traffic to the node on a port range from the listed sources (nil: any).
type hostRule struct {
	proto   string
	lo, hi  int
	sources []netip.Prefix
	purpose string
}

// hostRules reads from plan.json the rules whose destination is the
// remote node network, with their sources resolved to the plan's
// prefixes.
func hostRules(t *testing.T, bundle blueprint.Bundle) []hostRule {
	t.Helper()
	var plan blueprint.Plan
	if err := json.Unmarshal(file(t, bundle, "plan.json"), &plan); err != nil {
		t.Fatal(err)
	}
	var out []hostRule
	for _, r := range plan.Firewall {
		if r.To.Role != netplan.RoleRemoteNode || (r.Protocol != firewall.ProtoTCP && r.Protocol != firewall.ProtoUDP) {
			continue
		}
		h := hostRule{proto: r.Protocol.String(), lo: int(r.Ports.First), hi: int(r.Ports.Last), purpose: r.Purpose}
		switch f := r.From; {
		case f.Any:
		case f.ClusterENIs:
			for _, n := range plan.Networks.Networks {
				if n.ClusterENIs {
					h.sources = append(h.sources, n.Prefix)
				}
			}
		case f.Role != "":
			h.sources = plan.Networks.Prefixes(f.Role)
		case f.Prefix.IsValid():
			h.sources = []netip.Prefix{f.Prefix}
		default:
			t.Fatalf("rule %+v: a source the test cannot place", r)
		}
		out = append(out, h)
	}
	if len(out) == 0 {
		t.Fatal("plan.json has no rule to the hybrid nodes")
	}
	return out
}

// sourceIn is an address inside p for the peer to send from: the tenth
// host, or the only one of a /32. Inside the remote node network it is the
// peer node's, not the node's own.
func sourceIn(p netip.Prefix) string {
	if p.Bits() == 32 {
		return p.Addr().String()
	}
	a := p.Masked().Addr()
	for range 10 {
		a = a.Next()
	}
	if s := a.String(); s != nodeAddr {
		return s
	}
	return a.Next().String()
}

// allowedFrom reports whether some rule lets src reach proto/port.
func allowedFrom(rules []hostRule, proto string, port int, src netip.Addr) bool {
	return slices.ContainsFunc(rules, func(r hostRule) bool {
		return r.proto == proto && port >= r.lo && port <= r.hi &&
			(r.sources == nil || slices.ContainsFunc(r.sources, func(p netip.Prefix) bool { return p.Contains(src) }))
	})
}

// firewallProbe is one packet the test sends and what the plan says of it.
type firewallProbe struct {
	proto string
	port  int
	src   string
	pass  bool
	why   string
}

// probesFor derives the probes from the rules: each rule's first and last
// port from inside each of its sources (must pass) and from an address in
// none of them (must be dropped unless another rule allows it); a port in
// no rule (must be dropped).
func probesFor(rules []hostRule) []firewallProbe {
	var out []firewallProbe
	for _, r := range rules {
		ports := []int{r.lo}
		if r.hi != r.lo {
			ports = append(ports, r.hi)
		}
		sources := []string{outsideAddr}
		for _, p := range r.sources {
			sources = append(sources, sourceIn(p))
		}
		for _, port := range ports {
			for _, s := range sources {
				pass := allowedFrom(rules, r.proto, port, netip.MustParseAddr(s))
				out = append(out, firewallProbe{r.proto, port, s, pass, r.purpose})
			}
		}
	}
	n, _ := strconv.Atoi(outsidePort)
	out = append(out, firewallProbe{"tcp", n, clusterENI, false, "a port in no rule"}, firewallProbe{"udp", n, peerNode, false, "a port in no rule"})
	return out
}

// runProbes loads rules with the loader into a fresh link and sends every
// probe; it returns the probes whose outcome differs from the plan.
func runProbes(t *testing.T, ld firewallLoader, ruleset []byte, probes []firewallProbe) []string {
	t.Helper()
	l := newLink(t, 1500)
	if err := ld.load(t, l.node, ruleset); err != nil {
		t.Fatal(err)
	}
	ports := map[string][]int{}
	for _, p := range probes {
		if !slices.Contains(ports[p.proto], p.port) {
			ports[p.proto] = append(ports[p.proto], p.port)
		}
		l.addPeer(t, p.src)
	}
	ls := listenOnNode(t, l.node, ports)
	var tcp []bool
	for _, p := range probes {
		tcp = append(tcp, l.send(t, p.src, p.proto, p.port))
	}
	time.Sleep(200 * time.Millisecond)
	var wrong []string
	for i, p := range probes {
		got := ls.seen(p.proto+"/"+itoa(p.port), p.src)
		if p.proto == "tcp" {
			got = got || tcp[i]
		}
		if got != p.pass {
			wrong = append(wrong, fmt.Sprintf("%s %d from %s passed=%v, the plan says %v (%s)", p.proto, p.port, p.src, got, p.pass, p.why))
		}
	}
	return wrong
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

// TestFirewallPassesThePlanAndNothingElse loads the rendered host firewall
// (nftables, and separately iptables-restore) into a hybrid node's
// namespace and sends, for every rule of plan.json that ends at the hybrid
// nodes, its first and last port from inside each of its sources (every
// cluster ENI subnet, the remote node network, anywhere) and from outside
// them: exactly what the plan allows gets through. The node's own
// connections get their replies (established, related). Both blueprints
// (Cilium with SSM, Calico with IAM Roles Anywhere).
func TestFirewallPassesThePlanAndNothingElse(t *testing.T) {
	t.Parallel()
	requireRoot(t)
	for _, bp := range []struct {
		name string
		b    blueprint.Blueprint
	}{{"reference", blueprint.Reference()}, {"iam-ra-calico", iraCalico()}} {
		bundle := render(t, bp.b)
		probes := probesFor(hostRules(t, bundle))
		for _, ld := range loaders() {
			t.Run(bp.name+"/"+ld.name, func(t *testing.T) {
				t.Parallel()
				for _, w := range runProbes(t, ld, file(t, bundle, ld.path), probes) {
					t.Error(w)
				}
			})
			t.Run(bp.name+"/"+ld.name+"/replies to the node's own connections", func(t *testing.T) {
				t.Parallel()
				l := newLink(t, 1500)
				if err := ld.load(t, l.node, file(t, bundle, ld.path)); err != nil {
					t.Fatal(err)
				}
				var ln net.Listener
				inNamespace(t, l.peer, func() {
					var err error
					if ln, err = net.Listen("tcp", clusterENI+":443"); err != nil {
						t.Fatal(err)
					}
				})
				defer ln.Close()
				go func() {
					for {
						c, err := ln.Accept()
						if err != nil {
							return
						}
						_, _ = c.Write([]byte("hello"))
						c.Close()
					}
				}()
				inNamespace(t, l.node, func() {
					c, err := net.DialTimeout("tcp", clusterENI+":443", time.Second)
					if err != nil {
						t.Fatalf("the node cannot open a connection to the API: %v", err)
					}
					defer c.Close()
					_ = c.SetReadDeadline(time.Now().Add(time.Second))
					buf := make([]byte, 5)
					if n, err := c.Read(buf); err != nil || string(buf[:n]) != "hello" {
						t.Errorf("the reply to the node's own connection was dropped: %q %v", buf[:n], err)
					}
				})
			})
		}
	}
}

// TestFirewallNegativeWithout10250 takes the kubelet rule out of each
// ruleset: the control plane's SYN from either ENI subnet is dropped (the
// listener never sees it) while the other rules still pass — so it is the
// missing rule that drops it.
func TestFirewallNegativeWithout10250(t *testing.T) {
	t.Parallel()
	requireRoot(t)
	bundle := render(t, blueprint.Reference())
	rules := hostRules(t, bundle)
	var without []hostRule
	for _, r := range rules {
		if r.lo != 10250 {
			without = append(without, r)
		}
	}
	probes := probesFor(rules)
	for _, ld := range loaders() {
		t.Run(ld.name, func(t *testing.T) {
			t.Parallel()
			var kept []string
			for _, line := range strings.Split(string(file(t, bundle, ld.path)), "\n") {
				if !strings.Contains(line, "10250") {
					kept = append(kept, line)
				}
			}
			wrong := runProbes(t, ld, []byte(strings.Join(kept, "\n")), probes)
			var on10250, other []string
			for _, w := range wrong {
				if strings.HasPrefix(w, "tcp 10250 ") {
					on10250 = append(on10250, w)
				} else {
					other = append(other, w)
				}
			}
			// Every allowed 10250 probe fails, and nothing else does.
			want := 0
			for _, p := range probes {
				if p.proto == "tcp" && p.port == 10250 && p.pass && !allowedFrom(without, "tcp", 10250, netip.MustParseAddr(p.src)) {
					want++
				}
			}
			if len(on10250) != want || want < 2 || len(other) > 0 {
				t.Errorf("without the kubelet rule: %d of %d kubelet probes blocked (want all, from every ENI subnet); other differences: %v", len(on10250), want, other)
			}
		})
	}
}

// cniPort is the overlay port of the blueprint's CNI.
func cniPort(b blueprint.Blueprint) string {
	if b.CNI == "calico" {
		return "4789"
	}
	return "8472"
}
