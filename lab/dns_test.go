package lab_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

const (
	eksAnswer    = "10.0.1.50" // what the fake inbound endpoint answers for the cluster endpoint
	phzName      = "api.aws.company.internal"
	phzAnswer    = "10.0.3.3"
	onpremName   = "db.company.local"
	onpremAnswer = "192.168.1.10"
	outsideName  = "www.outside-the-plan.example"
)

// dnsWorld is a namespace holding stand-ins for the Route 53 inbound
// endpoint (10.0.1.100, 10.0.2.100) and the site's DNS servers
// (192.168.1.53, .54), each a dnsmasq that logs every query it gets.
type dnsWorld struct {
	ns               string
	inboundLog, site *os.File
}

func newDNSWorld(t *testing.T, b blueprint.Blueprint) dnsWorld {
	t.Helper()
	dnsmasq := testkit.Tool(t, "dnsmasq", "dnsmasq-base")
	ns := netns(t, "dns")
	for _, a := range []string{"10.0.1.100", "10.0.2.100", "192.168.1.53", "192.168.1.54"} {
		if _, err := inNS(t, ns, "ip", "addr", "add", a+"/32", "dev", "lo"); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "inbound.queries")
	site := filepath.Join(dir, "site.queries")
	daemon(t, ns, "fake-inbound-endpoint", dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
		"--listen-address=10.0.1.100,10.0.2.100", "--port=53", "--log-queries", "--log-facility="+in, "--pid-file=", "--user=root",
		"--address=/"+b.Cluster.EndpointHost+"/"+eksAnswer, "--address=/aws.company.internal/"+phzAnswer)
	daemon(t, ns, "fake-site-dns", dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
		"--listen-address=192.168.1.53,192.168.1.54", "--port=53", "--log-queries", "--log-facility="+site, "--pid-file=", "--user=root",
		"--local=/company.local/", "--host-record="+onpremName+","+onpremAnswer)
	waitDNS(t, ns, "10.0.1.100:53", b.Cluster.EndpointHost)
	waitDNS(t, ns, "192.168.1.53:53", onpremName)
	return dnsWorld{ns: ns, inboundLog: mustOpen(t, in), site: mustOpen(t, site)}
}

func mustOpen(t *testing.T, p string) *os.File {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func waitDNS(t *testing.T, ns, server, name string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := lookup(t, ns, server, name); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no DNS server answers %s at %s", name, server)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// queried reports whether a fake server's query log mentions name.
func queried(t *testing.T, f *os.File, name string) bool {
	t.Helper()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(b), name)
}

// resolverUnderTest starts one of the site's resolvers with the rendered
// configuration and returns the address it answers on.
type resolverUnderTest struct {
	name  string
	start func(t *testing.T, w dnsWorld, b blueprint.Bundle) string
	// names it must resolve, with the expected answer
	expect map[string]string
	// breaks returns the rendered bundle with a broken forwarder, for the
	// negative case
	breaks func(t *testing.T, b blueprint.Bundle) blueprint.Bundle
}

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

func resolversUnderTest(host string) []resolverUnderTest {
	toAWS := map[string]string{host: eksAnswer, phzName: phzAnswer}
	wrongForwarder := func(path string) func(t *testing.T, b blueprint.Bundle) blueprint.Bundle {
		return func(t *testing.T, b blueprint.Bundle) blueprint.Bundle {
			c := file(t, b, path)
			c = []byte(strings.ReplaceAll(strings.ReplaceAll(string(c), "10.0.1.100", "10.0.1.99"), "10.0.2.100", "10.0.2.99"))
			return withFile(b, path, c)
		}
	}
	return []resolverUnderTest{
		{name: "bind", expect: toAWS, breaks: wrongForwarder("dns/named-forward-zones.conf"), start: func(t *testing.T, w dnsWorld, b blueprint.Bundle) string {
			named := testkit.Tool(t, "named", "bind9")
			dir := t.TempDir()
			zones := testkit.WriteFileIn(t, dir, "zones.conf", file(t, b, "dns/named-forward-zones.conf"))
			options, _ := b.File("dns/named-options.conf")
			conf := "options {\n\tdirectory \"" + dir + "\";\n\tpid-file none;\n\tlisten-on port 5301 { 127.0.0.1; };\n\tlisten-on-v6 { none; };\n\trecursion yes;\n\tallow-query { any; };\n\tdnssec-validation auto;\n" +
				string(options.Content) + "};\ninclude \"" + zones + "\";\n"
			daemon(t, w.ns, "named", named, "-g", "-u", "root", "-c", testkit.WriteFileIn(t, dir, "named.conf", []byte(conf)))
			waitDNSPort(t, w.ns, "127.0.0.1:5301")
			return "127.0.0.1:5301"
		}},
		{name: "unbound", expect: toAWS, breaks: wrongForwarder("dns/unbound-forward-zones.conf"), start: func(t *testing.T, w dnsWorld, b blueprint.Bundle) string {
			unbound := testkit.Tool(t, "unbound", "unbound")
			dir := t.TempDir()
			inc := testkit.WriteFileIn(t, dir, "forward.conf", file(t, b, "dns/unbound-forward-zones.conf"))
			conf := "server:\n    interface: 127.0.0.1@5302\n    do-ip6: no\n    username: \"\"\n    chroot: \"\"\n    pidfile: \"\"\n    directory: \"" + dir + "\"\n    use-syslog: no\n    access-control: 127.0.0.0/8 allow\ninclude: \"" + inc + "\"\n"
			daemon(t, w.ns, "unbound", unbound, "-d", "-c", testkit.WriteFileIn(t, dir, "unbound.conf", []byte(conf)))
			waitDNSPort(t, w.ns, "127.0.0.1:5302")
			return "127.0.0.1:5302"
		}},
		{name: "dnsmasq", expect: toAWS, breaks: wrongForwarder("dns/dnsmasq-hybrid.conf"), start: func(t *testing.T, w dnsWorld, b blueprint.Bundle) string {
			dnsmasq := testkit.Tool(t, "dnsmasq", "dnsmasq-base")
			conf := testkit.WriteFile(t, "dnsmasq.conf", file(t, b, "dns/dnsmasq-hybrid.conf"))
			daemon(t, w.ns, "dnsmasq-site", dnsmasq, "--keep-in-foreground", "--conf-file="+conf, "--no-resolv", "--no-hosts", "--bind-interfaces",
				"--listen-address=127.0.0.1", "--port=5303", "--pid-file=", "--user=root")
			waitDNSPort(t, w.ns, "127.0.0.1:5303")
			return "127.0.0.1:5303"
		}},
		{name: "coredns", expect: map[string]string{onpremName: onpremAnswer}, breaks: func(t *testing.T, b blueprint.Bundle) blueprint.Bundle {
			c := strings.ReplaceAll(string(file(t, b, "dns/Corefile")), "192.168.1.53 192.168.1.54", "192.168.1.99")
			return withFile(b, "dns/Corefile", []byte(c))
		}, start: func(t *testing.T, w dnsWorld, b blueprint.Bundle) string {
			coredns := goTool(t, "coredns", "github.com/coredns/coredns@v1.15.0")
			cf, err := dnsplan.ParseCorefile(file(t, b, "dns/Corefile"))
			if err != nil {
				t.Fatal(err)
			}
			// The stub domains as rendered; only the root block, which
			// needs the Kubernetes API, is left out, and port 53 moves to
			// 5304.
			var lab dnsplan.Corefile
			for _, sb := range cf.Blocks {
				if slices.Contains(sb.Keys, ".:53") {
					continue
				}
				for i, k := range sb.Keys {
					sb.Keys[i] = strings.TrimSuffix(k, ":53") + ":5304"
				}
				lab.Blocks = append(lab.Blocks, sb)
			}
			out, err := lab.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			daemon(t, w.ns, "coredns", coredns, "-dns.port", "5304", "-conf", testkit.WriteFile(t, "Corefile", out))
			waitDNSPort(t, w.ns, "127.0.0.1:5304")
			return "127.0.0.1:5304"
		}},
	}
}

// labForwards sends the cluster's endpoint name and a private hosted zone
// to AWS (an explicit list replaces the default of the endpoint alone).
func labForwards(b blueprint.Blueprint) []dnsplan.Domain {
	return []dnsplan.Domain{dnsplan.MustParseDomain(b.Cluster.EndpointHost), dnsplan.MustParseDomain("aws.company.internal")}
}

// waitDNSPort waits until a DNS server answers a query at all (any
// response code): an ICMP port-unreachable looks like a server error to
// Go's resolver, so a raw exchange tells "not up yet" from "refused".
func waitDNSPort(t *testing.T, ns, server string) {
	t.Helper()
	// ID 0x1234, recursion desired, one question: "invalid." IN A.
	query := []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 7, 'i', 'n', 'v', 'a', 'l', 'i', 'd', 0, 0, 1, 0, 1}
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

// TestDNSForwardersResolveThroughTheRightServer starts each rendered
// forwarder (BIND, Unbound, dnsmasq on the site; CoreDNS in the cluster)
// next to stand-ins for the inbound endpoint and the site's DNS, and
// checks that each resolves the names it forwards through the right
// server — and that a name outside the forwarded zones never reaches them.
func TestDNSForwardersResolveThroughTheRightServer(t *testing.T) {
	requireRoot(t)
	for _, bp := range []struct {
		name string
		b    blueprint.Blueprint
	}{{"reference", blueprint.Reference()}, {"iam-ra-calico", iraCalico()}} {
		b := bp.b
		b.DNS.ForwardToAWS = labForwards(b)
		bundle := render(t, b)
		for _, r := range resolversUnderTest(b.Cluster.EndpointHost) {
			t.Run(bp.name+"/"+r.name, func(t *testing.T) {
				w := newDNSWorld(t, b)
				server := r.start(t, w, bundle)
				for name, want := range r.expect {
					got, err := lookup(t, w.ns, server, name)
					if err != nil || !slices.Contains(got, want) {
						inb, _ := os.ReadFile(w.inboundLog.Name())
						site, _ := os.ReadFile(w.site.Name())
						t.Errorf("%s resolves %s to %v (%v), want %s\ninbound endpoint queries:\n%s\nsite DNS queries:\n%s", r.name, name, got, err, want, inb, site)
					}
				}
				_, _ = lookup(t, w.ns, server, outsideName)
				if queried(t, w.inboundLog, outsideName) || queried(t, w.site, outsideName) {
					t.Errorf("%s sent %s, which is outside every forwarded zone, to a forwarder", r.name, outsideName)
				}
			})
		}
	}
}

// TestDNSNegativeWrongForwarder proves the test above can fail: the same
// configs with the forwarder pointed at an address where no server runs
// resolve nothing.
func TestDNSNegativeWrongForwarder(t *testing.T) {
	requireRoot(t)
	b := blueprint.Reference()
	b.DNS.ForwardToAWS = labForwards(b)
	bundle := render(t, b)
	for _, r := range resolversUnderTest(b.Cluster.EndpointHost) {
		t.Run(r.name, func(t *testing.T) {
			w := newDNSWorld(t, b)
			server := r.start(t, w, r.breaks(t, bundle))
			for name := range r.expect {
				if got, err := lookup(t, w.ns, server, name); err == nil {
					t.Errorf("%s with a wrong forwarder still resolves %s to %v", r.name, name, got)
				}
			}
		})
	}
}
