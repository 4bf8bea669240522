package lab_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

const (
	eksAnswer     = "10.0.1.50" // what the fake inbound endpoint answers for the cluster endpoint
	phzName       = "api.aws.company.internal"
	phzAnswer     = "10.0.3.3"
	onpremName    = "db.company.local"
	onpremAnswer  = "192.168.1.10"
	outsideName   = "www.outside-the-plan.example"
	outsideAnswer = "203.0.113.7"
	nodeResolver  = "192.168.1.200" // the hybrid node's own resolver, CoreDNS's forward . /etc/resolv.conf
)

var (
	inboundIPs = []string{"10.0.1.100", "10.0.2.100"}
	siteDNSIPs = []string{"192.168.1.53", "192.168.1.54"}
)

// dnsWorld is a namespace holding stand-ins, each a dnsmasq on one address
// that logs the queries it gets: the Route 53 inbound endpoint's two
// addresses (answering the AWS names), the site's two DNS servers
// (answering company.local) and a node's resolver (answering the rest).
// Only the stand-ins listed alive run. With leak, a route to nowhere lets
// packets to any other address leave, so a resolver that recurses is seen
// doing it; without, they fail at once (no route), which keeps resolvers
// that validate from waiting on the root servers.
type dnsWorld struct {
	ns   string
	logs map[string]string // stand-in address → its query log
}

func newDNSWorld(t *testing.T, b blueprint.Blueprint, alive []string, leak bool) dnsWorld {
	t.Helper()
	dnsmasq := testkit.Tool(t, "dnsmasq", "dnsmasq-base")
	ip := testkit.Tool(t, "ip", "iproute2")
	w := dnsWorld{ns: netns(t, "dns"), logs: map[string]string{}}
	// Only the stand-ins alive have their address: a resolver's packets to
	// one taken away fail at once (no route), as a forwarder that is down
	// and unreachable does, instead of waiting out a silent drop.
	for _, a := range alive {
		mustRun(t, ip, "-n", w.ns, "addr", "add", a+"/32", "dev", "lo")
	}
	if leak {
		// No dummy device in every kernel: a veth pair whose far end is
		// down swallows what the default route sends.
		mustRun(t, ip, "-n", w.ns, "link", "add", "hkd0", "type", "veth", "peer", "name", "hkd1")
		mustRun(t, ip, "-n", w.ns, "link", "set", "hkd0", "up")
		mustRun(t, ip, "-n", w.ns, "route", "add", "default", "dev", "hkd0")
	}
	dir := t.TempDir()
	for _, a := range alive {
		var answers []string
		switch {
		case slices.Contains(inboundIPs, a):
			answers = []string{"--address=/" + b.Cluster.EndpointHost.String() + "/" + eksAnswer, "--address=/aws.company.internal/" + phzAnswer}
		case slices.Contains(siteDNSIPs, a):
			answers = []string{"--local=/company.local/", "--host-record=" + onpremName + "," + onpremAnswer}
		default:
			answers = []string{"--address=/outside-the-plan.example/" + outsideAnswer}
		}
		log := filepath.Join(dir, a+".queries")
		w.logs[a] = log
		daemon(t, w.ns, "stand-in-"+a, dnsmasq, append([]string{"--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
			"--listen-address=" + a, "--port=53", "--log-queries", "--log-facility=" + log, "--pid-file=", "--user=root"}, answers...)...)
		waitDNSPort(t, w.ns, a+":53")
	}
	return w
}

// failing starts, at each address, an inbound endpoint that answers
// SERVFAIL to everything (CoreDNS's template plugin): a forwarder that is
// up but broken, which Unbound's forward-first falls back from.
func (w dnsWorld) failing(t *testing.T, addrs []string) {
	t.Helper()
	coredns := goTool(t, "coredns", "github.com/coredns/coredns@v1.15.0")
	ip := testkit.Tool(t, "ip", "iproute2")
	var conf strings.Builder
	for _, a := range addrs {
		mustRun(t, ip, "-n", w.ns, "addr", "add", a+"/32", "dev", "lo")
		conf.WriteString(a + ":53 {\n    bind " + a + "\n    template ANY ANY {\n        rcode SERVFAIL\n    }\n}\n")
	}
	daemon(t, w.ns, "failing-endpoint", coredns, "-conf", testkit.WriteFile(t, "Corefile.failing", []byte(conf.String())))
	for _, a := range addrs {
		waitDNSPort(t, w.ns, a+":53")
	}
}

// asked reports whether the stand-in at addr was asked name.
func (w dnsWorld) asked(t *testing.T, addr, name string) bool {
	t.Helper()
	p, ok := w.logs[addr]
	if !ok {
		return false
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(b), name)
}

// dnsCounter counts, in the world's namespace, the DNS packets sent to an
// address that is not one of the given servers: a resolver that recurses
// instead of forwarding sends them to the root servers.
func (w dnsWorld) dnsCounter(t *testing.T, servers []string) func() int {
	t.Helper()
	nft := testkit.Tool(t, "nft", "nftables")
	rules := "table inet hkcount {\n  chain out {\n    type filter hook output priority filter; policy accept;\n" +
		"    ip daddr != { 127.0.0.0/8, " + strings.Join(servers, ", ") + " } udp dport 53 counter\n" +
		"    ip daddr != { 127.0.0.0/8, " + strings.Join(servers, ", ") + " } tcp dport 53 counter\n  }\n}\n"
	if out, err := inNS(t, w.ns, nft, "-f", testkit.WriteFile(t, "count.nft", []byte(rules))); err != nil {
		t.Fatalf("nft: %v\n%s", err, out)
	}
	re := regexp.MustCompile(`packets (\d+)`)
	return func() int {
		out, err := inNS(t, w.ns, nft, "list", "table", "inet", "hkcount")
		if err != nil {
			t.Fatalf("nft list: %v\n%s", err, out)
		}
		n := 0
		for _, m := range re.FindAllStringSubmatch(string(out), -1) {
			k, _ := strconv.Atoi(m[1])
			n += k
		}
		return n
	}
}

// dig asks server ("127.0.0.1:5301") in the world's namespace for name's A
// records, once, with dig (no search list, no retries): the answers, or an
// error with dig's status line.
func (w dnsWorld) dig(t *testing.T, server, name string) ([]string, error) {
	t.Helper()
	digBin := testkit.Tool(t, "dig", "bind9-dnsutils")
	host, port, _ := strings.Cut(server, ":")
	out, err := inNS(t, w.ns, digBin, "+time=8", "+tries=1", "@"+host, "-p", port, name, "A")
	if err != nil {
		return nil, fmt.Errorf("dig: %v: %s", err, out)
	}
	if !strings.Contains(string(out), "status: NOERROR") {
		return nil, fmt.Errorf("dig: %s", regexp.MustCompile(`status: \w+`).FindString(string(out)))
	}
	var ips []string
	for _, m := range regexp.MustCompile(`(?m)^\S+\s+\d+\s+IN\s+A\s+(\S+)$`).FindAllStringSubmatch(string(out), -1) {
		ips = append(ips, m[1])
	}
	return ips, nil
}

// forwarder is one of the site's resolvers, started with a rendered
// configuration; it forwards the AWS names to the inbound endpoint.
type forwarder struct {
	name string
	// files are the bundle files it reads; drop removes the second
	// inbound endpoint address from one, and the others edit it as named.
	files []string
	// start runs it; validate turns DNSSEC validation on (the root's
	// trust anchor).
	start func(t *testing.T, w dnsWorld, b blueprint.Bundle, validate bool) string
}

// withoutSecond removes the second inbound endpoint address from the
// site resolvers' files, each in its own syntax.
func withoutSecond(t *testing.T, b blueprint.Bundle) blueprint.Bundle {
	t.Helper()
	edits := map[string]func(string) string{
		"dns/named-forward-zones.conf":   func(s string) string { return strings.ReplaceAll(s, " 10.0.2.100 port 53;", "") },
		"dns/unbound-forward-zones.conf": func(s string) string { return strings.ReplaceAll(s, "    forward-addr: 10.0.2.100@53\n", "") },
		"dns/dnsmasq-hybrid.conf": func(s string) string {
			return regexp.MustCompile(`(?m)^server=/[^/]+/10\.0\.2\.100#53\n`).ReplaceAllString(s, "")
		},
	}
	for path, edit := range edits {
		before := string(file(t, b, path))
		after := edit(before)
		if after == before {
			t.Fatalf("%s: the second inbound endpoint address was not found", path)
		}
		b = withFile(b, path, []byte(after))
	}
	return b
}

func forwarders() []forwarder {
	return []forwarder{
		{name: "bind", start: func(t *testing.T, w dnsWorld, b blueprint.Bundle, validate bool) string {
			named := testkit.Tool(t, "named", "bind9")
			dir := t.TempDir()
			zones := testkit.WriteFileIn(t, dir, "zones.conf", file(t, b, "dns/named-forward-zones.conf"))
			options, _ := b.File("dns/named-options.conf")
			// dnssec-validation auto validates with the root's key built
			// into BIND; the rendered options exempt the private zones.
			validation := "no"
			if validate {
				validation = "auto"
			}
			conf := "options {\n\tdirectory \"" + dir + "\";\n\tpid-file none;\n\tlisten-on port 5301 { 127.0.0.1; };\n\tlisten-on-v6 { none; };\n\trecursion yes;\n\tallow-query { any; };\n\tdnssec-validation " + validation + ";\n" +
				string(options.Content) + "};\nlogging { channel all { file \"" + filepath.Join(dir, "named.log") + "\"; severity info; print-category yes; }; category default { all; }; category dnssec { all; }; };\ninclude \"" + zones + "\";\n"
			daemon(t, w.ns, "named", named, "-g", "-u", "root", "-c", testkit.WriteFileIn(t, dir, "named.conf", []byte(conf)))
			waitDNSPort(t, w.ns, "127.0.0.1:5301")
			t.Cleanup(func() { logged(t, filepath.Join(dir, "named.log")) })
			return "127.0.0.1:5301"
		}},
		{name: "unbound", start: func(t *testing.T, w dnsWorld, b blueprint.Bundle, validate bool) string {
			unbound := testkit.Tool(t, "unbound", "unbound")
			dir := t.TempDir()
			inc := testkit.WriteFileIn(t, dir, "forward.conf", file(t, b, "dns/unbound-forward-zones.conf"))
			// The root's trust anchor (dns-root-data) turns validation on;
			// the rendered domain-insecure exempts the private zones.
			conf := "server:\n    interface: 127.0.0.1@5302\n    do-ip6: no\n    username: \"\"\n    chroot: \"\"\n    pidfile: \"\"\n    directory: \"" + dir + "\"\n" +
				"    use-syslog: no\n    logfile: \"" + filepath.Join(dir, "unbound.log") + "\"\n    val-log-level: 2\n    verbosity: 1\n" +
				"    access-control: 127.0.0.0/8 allow\ninclude: \"" + inc + "\"\n"
			if validate {
				conf = strings.Replace(conf, "    access-control:", "    trust-anchor-file: \"/usr/share/dns/root.key\"\n    access-control:", 1)
			}
			daemon(t, w.ns, "unbound", unbound, "-d", "-c", testkit.WriteFileIn(t, dir, "unbound.conf", []byte(conf)))
			waitDNSPort(t, w.ns, "127.0.0.1:5302")
			t.Cleanup(func() { logged(t, filepath.Join(dir, "unbound.log")) })
			return "127.0.0.1:5302"
		}},
		{name: "dnsmasq", start: func(t *testing.T, w dnsWorld, b blueprint.Bundle, _ bool) string {
			dnsmasq := testkit.Tool(t, "dnsmasq", "dnsmasq-base")
			conf := testkit.WriteFile(t, "dnsmasq.conf", file(t, b, "dns/dnsmasq-hybrid.conf"))
			daemon(t, w.ns, "dnsmasq-site", dnsmasq, "--keep-in-foreground", "--conf-file="+conf, "--no-resolv", "--no-hosts", "--bind-interfaces",
				"--listen-address=127.0.0.1", "--port=5303", "--pid-file=", "--user=root")
			waitDNSPort(t, w.ns, "127.0.0.1:5303")
			return "127.0.0.1:5303"
		}},
	}
}

// logged prints a daemon's log file when the test failed.
func logged(t *testing.T, path string) {
	if t.Failed() {
		b, _ := os.ReadFile(path)
		t.Logf("%s:\n%s", filepath.Base(path), b)
	}
}

// labForwards sends the cluster's endpoint name and a private hosted zone
// to AWS (an explicit list replaces the default of the endpoint alone).
func labForwards(b blueprint.Blueprint) []dnsplan.Domain {
	return []dnsplan.Domain{b.Cluster.EndpointHost, dnsplan.MustParseDomain("aws.company.internal")}
}

func labBundle(t *testing.T) (blueprint.Blueprint, blueprint.Bundle) {
	b := blueprint.Reference()
	b.DNS.ForwardToAWS = labForwards(b)
	return b, render(t, b)
}

// waitDNSPort waits until a DNS server answers a query at all (any
// response code): an ICMP port-unreachable looks like a server error to
// Go's resolver, so a raw exchange tells "not up yet" from "refused".
func waitDNSPort(t *testing.T, ns, server string) {
	t.Helper()
	// ID 0x1234, no recursion desired (a resolver must not go looking for
	// the name: that traffic would count against forward only), one
	// question: "invalid." IN A.
	query := []byte{0x12, 0x34, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 7, 'i', 'n', 'v', 'a', 'l', 'i', 'd', 0, 0, 1, 0, 1}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := dialInNS(ns, "udp", server, time.Second)
		if err == nil {
			_ = c.SetDeadline(time.Now().Add(300 * time.Millisecond))
			buf := make([]byte, 512)
			_, werr := c.Write(query)
			n, rerr := c.Read(buf)
			c.Close()
			if werr == nil && rerr == nil && n >= 12 && buf[0] == 0x12 && buf[1] == 0x34 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no DNS server on %s in %s", server, ns)
}

// TestDNSEveryForwarderAnswers starts BIND, Unbound and dnsmasq with the
// rendered configs against each inbound endpoint address alone: the AWS
// names resolve through either one, and the one alive is the one asked —
// so both are listed. A name outside the forwarded zones reaches no
// forwarder. The twin, the configs without the second address, fails with
// only the second alive, and the reason is that it was never asked.
func TestDNSEveryForwarderAnswers(t *testing.T) {
	t.Parallel()
	requireRoot(t)
	b, bundle := labBundle(t)
	expect := map[string]string{b.Cluster.EndpointHost.String(): eksAnswer, phzName: phzAnswer}
	for _, r := range forwarders() {
		for _, alive := range inboundIPs {
			t.Run(r.name+"/only "+alive, func(t *testing.T) {
				t.Parallel()
				w := newDNSWorld(t, b, []string{alive}, false)
				server := r.start(t, w, bundle, true)
				for name, want := range expect {
					if got, err := w.dig(t, server, name); err != nil || !slices.Contains(got, want) {
						t.Errorf("%s resolves %s to %v (%v), want %s", r.name, name, got, err, want)
					}
					if !w.asked(t, alive, name) {
						t.Errorf("%s did not ask %s for %s", r.name, alive, name)
					}
				}
				_, _ = w.dig(t, server, outsideName)
				if w.asked(t, alive, outsideName) {
					t.Errorf("%s sent %s, outside every forwarded zone, to the inbound endpoint", r.name, outsideName)
				}
			})
		}
		t.Run(r.name+"/twin without the second address", func(t *testing.T) {
			t.Parallel()
			w := newDNSWorld(t, b, []string{inboundIPs[1]}, false)
			server := r.start(t, w, withoutSecond(t, bundle), true)
			if got, err := w.dig(t, server, b.Cluster.EndpointHost.String()); err == nil {
				t.Errorf("resolved %v with the second address gone from the config", got)
			}
			if w.asked(t, inboundIPs[1], b.Cluster.EndpointHost.String()) {
				t.Error("the second address was asked although the config no longer lists it")
			}
		})
	}
}

// TestDNSForwardOnly breaks the inbound endpoint (it answers SERVFAIL):
// BIND and Unbound, as rendered (forward only, forward-first: no), fail the
// name and send no query anywhere else. The twin with forward first sends
// queries to other servers (the root), which is how private names leak.
func TestDNSForwardOnly(t *testing.T) {
	t.Parallel()
	requireRoot(t)
	b, bundle := labBundle(t)
	first := map[string]func(string) string{
		"bind":    func(s string) string { return strings.ReplaceAll(s, "forward only;", "forward first;") },
		"unbound": func(s string) string { return strings.ReplaceAll(s, "forward-first: no", "forward-first: yes") },
	}
	path := map[string]string{"bind": "dns/named-forward-zones.conf", "unbound": "dns/unbound-forward-zones.conf"}
	for _, r := range forwarders() {
		edit, ok := first[r.name]
		if !ok {
			continue // dnsmasq's server=/zone/ never recurses
		}
		for _, twin := range []bool{false, true} {
			name := r.name + "/as rendered"
			bb := bundle
			if twin {
				name = r.name + "/twin with forward first"
				before := string(file(t, bundle, path[r.name]))
				if edit(before) == before {
					t.Fatalf("%s has no forward-only setting to flip", path[r.name])
				}
				bb = withFile(bundle, path[r.name], []byte(edit(before)))
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				w := newDNSWorld(t, b, nil, true)
				w.failing(t, inboundIPs)
				sent := w.dnsCounter(t, inboundIPs)
				// Without validation: its own root queries (trust anchor
				// maintenance) would blur what forwarding sends.
				server := r.start(t, w, bb, false)
				if got, err := w.dig(t, server, b.Cluster.EndpointHost.String()); err == nil {
					t.Errorf("resolved %v with the inbound endpoint down", got)
				}
				n := sent()
				for deadline := time.Now().Add(5 * time.Second); twin && n == 0 && time.Now().Before(deadline); n = sent() {
					time.Sleep(200 * time.Millisecond)
				}
				switch {
				case !twin && n > 0:
					t.Errorf("%d DNS packets went to servers other than the inbound endpoint", n)
				case twin && n == 0:
					t.Error("forward first sent nothing elsewhere: the twin does not show the leak")
				}
			})
		}
	}
}

// TestDNSSECExemption: BIND and Unbound validate with the root's trust
// anchor, so the unsigned private answers are bogus unless exempted; with
// the rendered exemptions (validate-except, domain-insecure) the names
// resolve, and the twin without them fails on validation.
func TestDNSSECExemption(t *testing.T) {
	t.Parallel()
	requireRoot(t)
	b, bundle := labBundle(t)
	strip := map[string]struct {
		path string
		re   *regexp.Regexp
	}{
		"bind":    {"dns/named-options.conf", regexp.MustCompile(`(?m)^\s*validate-except .*\n`)},
		"unbound": {"dns/unbound-forward-zones.conf", regexp.MustCompile(`(?m)^\s*domain-insecure: .*\n`)},
	}
	for _, r := range forwarders() {
		s, ok := strip[r.name]
		if !ok {
			continue
		}
		t.Run(r.name+"/exempted", func(t *testing.T) {
			t.Parallel()
			w := newDNSWorld(t, b, inboundIPs, false)
			server := r.start(t, w, bundle, true)
			if got, err := w.dig(t, server, b.Cluster.EndpointHost.String()); err != nil || !slices.Contains(got, eksAnswer) {
				t.Errorf("the exempted private name resolves to %v (%v)", got, err)
			}
		})
		t.Run(r.name+"/twin without the exemption", func(t *testing.T) {
			t.Parallel()
			w := newDNSWorld(t, b, inboundIPs, false)
			before := string(file(t, bundle, s.path))
			after := s.re.ReplaceAllString(before, "")
			if after == before {
				t.Fatalf("%s has no exemption to remove", s.path)
			}
			server := r.start(t, w, withFile(bundle, s.path, []byte(after)), true)
			if got, err := w.dig(t, server, b.Cluster.EndpointHost.String()); err == nil {
				t.Errorf("the unsigned private name resolved to %v without an exemption: validation is off", got)
			}
			// Why: the endpoint answered, and the resolver refused the answer.
			if !w.asked(t, inboundIPs[0], b.Cluster.EndpointHost.String()) && !w.asked(t, inboundIPs[1], b.Cluster.EndpointHost.String()) {
				t.Error("the inbound endpoint was never asked: the failure is not validation's")
			}
		})
	}
}

// TestCoreDNSWholeCorefile runs the whole rendered Corefile — the root
// block too — with only what running outside a cluster needs changed (the
// Kubernetes API endpoint, the ports): company.local goes to the site DNS
// servers, each of them in turn; everything else to the node's resolver
// (/etc/resolv.conf). The twin whose root block forwards to 8.8.8.8
// never asks the node's resolver.
func TestCoreDNSWholeCorefile(t *testing.T) {
	t.Parallel()
	requireRoot(t)
	coredns := goTool(t, "coredns", "github.com/coredns/coredns@v1.15.0")
	b, bundle := labBundle(t)
	run := func(t *testing.T, w dnsWorld, corefile []byte) string {
		cf, err := dnsplan.ParseCorefile(corefile)
		if err != nil {
			t.Fatal(err)
		}
		for i, sb := range cf.Blocks {
			for j, k := range sb.Keys {
				cf.Blocks[i].Keys[j] = strings.TrimSuffix(k, ":53") + ":5304"
			}
			for j, d := range sb.Directives {
				switch d.Name {
				case "kubernetes":
					cf.Blocks[i].Directives[j].Block = append(d.Block, dnsplan.Directive{Name: "endpoint", Args: []string{"http://127.0.0.1:1"}})
				case "health", "ready", "prometheus":
					// Their listeners, on ports of their own in the namespace.
					cf.Blocks[i].Directives[j].Args = map[string][]string{"health": {"127.0.0.1:18080"}, "ready": {"127.0.0.1:18181"}, "prometheus": {"127.0.0.1:19153"}}[d.Name]
				}
			}
		}
		out, err := cf.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		resolvConf(t, w.ns, nodeResolver)
		daemon(t, w.ns, "coredns", coredns, "-conf", testkit.WriteFile(t, "Corefile", out))
		// The kubernetes plugin waits five seconds for an API that is not there.
		waitDNSPort(t, w.ns, "127.0.0.1:5304")
		return "127.0.0.1:5304"
	}
	for _, alive := range siteDNSIPs {
		t.Run("only "+alive, func(t *testing.T) {
			t.Parallel()
			w := newDNSWorld(t, b, []string{alive, nodeResolver}, false)
			server := run(t, w, file(t, bundle, "dns/Corefile"))
			if got, err := w.dig(t, server, onpremName); err != nil || !slices.Contains(got, onpremAnswer) || !w.asked(t, alive, onpremName) {
				t.Errorf("%s resolves to %v (%v), asked %s: %v", onpremName, got, err, alive, w.asked(t, alive, onpremName))
			}
			if got, err := w.dig(t, server, outsideName); err != nil || !slices.Contains(got, outsideAnswer) || !w.asked(t, nodeResolver, outsideName) {
				t.Errorf("%s resolves to %v (%v), asked the node's resolver: %v", outsideName, got, err, w.asked(t, nodeResolver, outsideName))
			}
		})
	}
	t.Run("twin forwarding the root to 8.8.8.8", func(t *testing.T) {
		t.Parallel()
		w := newDNSWorld(t, b, append([]string{nodeResolver}, siteDNSIPs...), false)
		server := run(t, w, []byte(strings.Replace(string(file(t, bundle, "dns/Corefile")), "forward . /etc/resolv.conf", "forward . 8.8.8.8", 1)))
		_, _ = w.dig(t, server, outsideName)
		if w.asked(t, nodeResolver, outsideName) {
			t.Error("the node's resolver was asked although the root block forwards elsewhere")
		}
	})
}

// withFile returns the bundle with one file's content replaced.
func withFile(b blueprint.Bundle, path string, content []byte) blueprint.Bundle {
	files := b.Files()
	for i := range files {
		if files[i].Path == path {
			files[i].Content = content
		}
	}
	out, err := blueprint.NewBundle(files...)
	if err != nil {
		panic(err)
	}
	return out
}
