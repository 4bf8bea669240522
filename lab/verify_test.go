package lab_test

import (
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// resolvConf gives a namespace its own /etc/resolv.conf: ip netns exec
// bind-mounts /etc/netns/NAME/resolv.conf over it.
func resolvConf(t *testing.T, ns, server string) {
	t.Helper()
	dir := filepath.Join("/etc/netns", ns)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "resolv.conf"), []byte("nameserver "+server+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// veth joins two namespaces with a veth pair of the given MTU, each end
// up with its address.
func veth(t *testing.T, a, aName, aAddr, b, bName, bAddr string, mtu int) {
	t.Helper()
	ip := testkit.Tool(t, "ip", "iproute2")
	mustRun(t, ip, "link", "add", aName, "netns", a, "type", "veth", "peer", "name", bName, "netns", b)
	for _, end := range [][3]string{{a, aName, aAddr}, {b, bName, bAddr}} {
		mustRun(t, ip, "-n", end[0], "link", "set", end[1], "mtu", itoa(mtu), "up")
		mustRun(t, ip, "-n", end[0], "addr", "add", end[2], "dev", end[1])
	}
}

// runScript runs a rendered script with bash inside a namespace (PATH
// first through dir, where stand-ins live) and returns its output.
func runScript(t *testing.T, ns, dir string, script []byte) (string, error) {
	t.Helper()
	bash := testkit.Tool(t, "bash", "bash")
	path := testkit.WriteFile(t, "check.sh", script)
	env := "PATH=" + dir + ":" + os.Getenv("PATH")
	out, err := inNS(t, ns, "env", env, bash, path)
	return string(out), err
}

// siteWorld is one of the site's DNS servers (192.168.1.53, running the
// rendered dnsmasq forwarder as its resolver) and the VPC: the two
// inbound endpoint addresses answering the cluster's endpoint name over
// UDP and TCP behind the rendered inbound security group, and an MTU
// probe; a hybrid node joins the VPC over a link of linkMTU bytes.
type siteWorld struct{ site, node, vpc string }

func newSiteWorld(t *testing.T, b blueprint.Blueprint, bundle blueprint.Bundle, sgFilter func(proto string) bool, linkMTU int) siteWorld {
	t.Helper()
	requireRoot(t)
	dnsmasq := testkit.Tool(t, "dnsmasq", "dnsmasq-base")
	nft := testkit.Tool(t, "nft", "nftables")
	ip := testkit.Tool(t, "ip", "iproute2")
	w := siteWorld{site: netns(t, "sitedns"), node: netns(t, "node"), vpc: netns(t, "vpc")}
	veth(t, w.site, "hks0", "192.168.1.53/24", w.vpc, "hkv0", "192.168.1.1/24", 1500)
	veth(t, w.node, "hkn0", "192.168.10.11/24", w.vpc, "hkv1", "192.168.10.1/24", linkMTU)
	mustRun(t, ip, "-n", w.site, "route", "add", "default", "via", "192.168.1.1")
	mustRun(t, ip, "-n", w.node, "route", "add", "default", "via", "192.168.10.1")
	for _, a := range []string{"10.0.1.100", "10.0.2.100", b.Connectivity.MTUProbe.String()} {
		mustRun(t, ip, "-n", w.vpc, "addr", "add", a+"/32", "dev", "lo")
	}
	// The inbound endpoint's security group, from the bundle's rules: DNS
	// from the listed sources, nothing else (no ICMP).
	var sg struct {
		SecurityGroupRules []struct {
			GroupID, Direction, Protocol, CIDR string
			Port                               int
		}
	}
	if err := json.Unmarshal(file(t, bundle, "aws/route53-resolver.json"), &sg); err != nil {
		t.Fatal(err)
	}
	rules := "table inet sg {\n  chain input {\n    type filter hook input priority filter; policy accept;\n    ct state established,related accept\n"
	for _, r := range sg.SecurityGroupRules {
		if r.GroupID == b.DNS.Inbound.SecurityGroupID && r.Direction == "ingress" && sgFilter(r.Protocol) {
			rules += "    ip daddr { 10.0.1.100, 10.0.2.100 } ip saddr " + r.CIDR + " " + r.Protocol + " dport " + itoa(r.Port) + " accept\n"
		}
	}
	rules += "    ip daddr { 10.0.1.100, 10.0.2.100 } drop\n  }\n}\n"
	if out, err := inNS(t, w.vpc, nft, "-f", testkit.WriteFile(t, "sg.nft", []byte(rules))); err != nil {
		t.Fatalf("nft: %v\n%s", err, out)
	}
	daemon(t, w.vpc, "inbound-endpoint", dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
		"--listen-address=10.0.1.100,10.0.2.100", "--port=53", "--pid-file=", "--user=root", "--address=/"+b.Cluster.EndpointHost.String()+"/"+eksAnswer)
	// The site DNS server's resolver: the rendered dnsmasq forward zones.
	daemon(t, w.site, "site-dns", dnsmasq, "--keep-in-foreground", "--conf-file="+testkit.WriteFile(t, "dnsmasq.conf", file(t, bundle, "dns/dnsmasq-hybrid.conf")),
		"--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=127.0.0.1", "--port=53", "--pid-file=", "--user=root")
	resolvConf(t, w.site, "127.0.0.1")
	waitDNSPort(t, w.site, "127.0.0.1:53")
	return w
}

func probeBlueprint() blueprint.Blueprint {
	b := blueprint.Reference()
	b.Connectivity.MTUProbe = netip.MustParseAddr("10.0.1.60")
	return b
}

// TestVerifyFromSiteAndHybridNode runs the rendered verify/from-site.sh on
// a stand-in for a site DNS server and verify/from-hybrid-node.sh on a
// hybrid node, behind the rendered security group: both pass on the
// planned network, and each fails on a broken twin — an inbound security
// group without TCP 53, a link whose MTU is not the plan's. The guide's
// check, a ping of the inbound endpoint, fails on the planned network.
func TestVerifyFromSiteAndHybridNode(t *testing.T) {
	t.Parallel()
	b := probeBlueprint()
	bundle := render(t, b)
	site, node := file(t, bundle, "verify/from-site.sh"), file(t, bundle, "verify/from-hybrid-node.sh")
	all := func(string) bool { return true }
	t.Run("planned network", func(t *testing.T) {
		t.Parallel()
		w := newSiteWorld(t, b, bundle, all, 8500)
		if out, err := runScript(t, w.site, t.TempDir(), site); err != nil {
			t.Errorf("from-site.sh failed on the planned network: %v\n%s", err, out)
		}
		if out, err := runScript(t, w.node, t.TempDir(), node); err != nil {
			t.Errorf("from-hybrid-node.sh failed on the planned network: %v\n%s", err, out)
		}
		pingBin := testkit.Tool(t, "ping", "iputils-ping")
		if out, err := inNS(t, w.site, pingBin, "-c", "1", "-W", "1", "10.0.1.100"); err == nil {
			t.Errorf("a ping of the inbound endpoint passed its security group, which admits DNS only:\n%s", out)
		}
	})
	t.Run("no TCP 53 in the security group", func(t *testing.T) {
		t.Parallel()
		w := newSiteWorld(t, b, bundle, func(p string) bool { return p != "tcp" }, 8500)
		// Why: dig over TCP gets no reply (the SYN is dropped) and exits 9,
		// which stops the script; the UDP checks before it passed.
		out, err := runScript(t, w.site, t.TempDir(), site)
		var exit *exec.ExitError
		if err == nil || !errors.As(err, &exit) || exit.ExitCode() != 9 {
			t.Errorf("from-site.sh without TCP 53 to the inbound endpoint: %v, want dig's exit 9 (no reply)\n%s", err, out)
		}
	})
	for _, mtu := range []int{9000, 1500} {
		t.Run("link MTU "+itoa(mtu), func(t *testing.T) {
			t.Parallel()
			w := newSiteWorld(t, b, bundle, all, mtu)
			out, err := runScript(t, w.node, t.TempDir(), node)
			// Why: at 9000 the one-byte-over ping passes and the script
			// says so; at 1500 the planned payload itself does not fit.
			want := map[int]string{9000: "don't-fragment ping passed", 1500: "message too long"}[mtu]
			if err == nil || !strings.Contains(out, want) {
				t.Errorf("from-hybrid-node.sh on a %d-byte link: %v, want a failure saying %q:\n%s", mtu, err, want, out)
			}
		})
	}
}

// kubectlWorld is a hybrid node on the site's LAN (linkMTU), a pod on it
// (podMTU, routed through the node), a cloud pod routed to the site, and
// the site with its DNS server (SOA of company.local) and the NFS server
// (ping, iperf3 -s). The node carries the rendered nftables firewall.
type kubectlWorld struct{ node, pod, cloud, site string }

func newKubectlWorld(t *testing.T, bundle blueprint.Bundle, linkMTU, podMTU int) kubectlWorld {
	t.Helper()
	requireRoot(t)
	ip := testkit.Tool(t, "ip", "iproute2")
	unbound := testkit.Tool(t, "unbound", "unbound")
	iperf3 := testkit.Tool(t, "iperf3", "iperf3")
	w := kubectlWorld{node: netns(t, "node"), pod: netns(t, "pod"), cloud: netns(t, "cloudpod"), site: netns(t, "site")}
	veth(t, w.node, "hkn0", "192.168.10.11/16", w.site, "hks0", "192.168.1.100/16", linkMTU)
	mustRun(t, ip, "-n", w.site, "addr", "add", "192.168.1.53/16", "dev", "hks0")
	veth(t, w.pod, "eth0", "10.244.0.10/24", w.node, "hkp0", "10.244.0.1/24", podMTU)
	mustRun(t, ip, "-n", w.pod, "route", "add", "default", "via", "10.244.0.1")
	mustRun(t, ip, "netns", "exec", w.node, "sysctl", "-qw", "net.ipv4.ip_forward=1")
	mustRun(t, ip, "-n", w.site, "route", "add", "10.244.0.0/16", "via", "192.168.10.11")
	veth(t, w.cloud, "eth0", "10.0.1.20/24", w.site, "hkc0", "10.0.1.1/24", 1500)
	mustRun(t, ip, "-n", w.cloud, "route", "add", "default", "via", "10.0.1.1")
	if err := loaders()[0].load(t, w.node, file(t, bundle, "firewall/hybrid-node.nft")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := "server:\n    interface: 192.168.1.53\n    do-ip6: no\n    username: \"\"\n    chroot: \"\"\n    pidfile: \"\"\n    directory: \"" + dir + "\"\n    use-syslog: no\n" +
		"    access-control: 0.0.0.0/0 allow\n    local-zone: \"company.local.\" static\n" +
		"    local-data: \"company.local. 3600 IN SOA ns.company.local. hostmaster.company.local. 1 3600 600 86400 60\"\n"
	daemon(t, w.site, "site-dns", unbound, "-d", "-c", testkit.WriteFileIn(t, dir, "unbound.conf", []byte(conf)))
	daemon(t, w.site, "nfs-iperf3", iperf3, "-s", "-B", "192.168.1.100")
	waitDNSPort(t, w.site, "192.168.1.53:53")
	waitPort(t, w.site, "192.168.1.100:5201")
	resolvConf(t, w.pod, "192.168.1.53")
	resolvConf(t, w.cloud, "192.168.1.53")
	return w
}

// fakeKubectl writes a kubectl stand-in that runs `kubectl run … -- cmd`
// where the pod would run: in the node's namespace with hostNetwork, in
// the cloud pod's for a pod kept off hybrid nodes, else in the hybrid
// pod's. It shortens the link measurement (iperf3 -t, ping -c).
func fakeKubectl(t *testing.T, w kubectlWorld) string {
	t.Helper()
	dir := t.TempDir()
	script := `#!/usr/bin/env bash
set -euo pipefail
[ "$1" = run ] || { echo "kubectl stand-in: only run" >&2; exit 2; }
overrides=""
while [ $# -gt 0 ]; do
  case "$1" in
    --overrides=*) overrides="${1#--overrides=}" ;;
    --) shift; break ;;
  esac
  shift
done
# The measurement's length is the stand-in's to choose: 2 s of iperf3 and
# 10 pings prove the commands run where they should as well as 30 s do.
args=()
for a in "$@"; do
  case "$a" in
    30) [ "${prev:-}" = -t ] && a=2 ;;
    100) [ "${prev:-}" = -c ] && a=10 ;;
  esac
  args+=("$a"); prev="$a"
done
set -- "${args[@]}"
ns=` + w.pod + `
case "$overrides" in
  *'"hostNetwork":true'*) ns=` + w.node + ` ;;
  *'"NotIn"'*) ns=` + w.cloud + ` ;;
esac
exec ip netns exec "$ns" "$@"
`
	p := filepath.Join(dir, "kubectl")
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestVerifyFromKubectl runs the rendered verify/from-kubectl.sh with a
// kubectl stand-in that puts each pod in the namespace it would run in:
// it passes with the planned MTUs (node 8500, pod 8450 under VXLAN) and
// fails where the site LAN carries 9000 (one byte more passes) or the
// pod's MTU is smaller than the plan's. The guide-style check — the path
// payload from inside a pod — fails on the planned network.
func TestVerifyFromKubectl(t *testing.T) {
	t.Parallel()
	bundle := render(t, blueprint.Reference())
	script := file(t, bundle, "verify/from-kubectl.sh")
	for _, tc := range []struct {
		name            string
		linkMTU, podMTU int
		passes          bool
		why             string // in the script's output
	}{
		{"planned network", 8500, 8450, true, "bits_per_second"},
		{"site LAN carries 9000", 9000, 8450, false, "don't-fragment ping from a hybrid node passed"},
		{"pod MTU below the plan", 8500, 8400, false, "message too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newKubectlWorld(t, bundle, tc.linkMTU, tc.podMTU)
			out, err := runScript(t, w.node, fakeKubectl(t, w), script)
			if (err == nil) != tc.passes || !strings.Contains(out, tc.why) {
				t.Errorf("from-kubectl.sh: %v, want it to pass: %v, saying %q\n%s", err, tc.passes, tc.why, out)
			}
			if tc.passes {
				pingBin := testkit.Tool(t, "ping", "iputils-ping")
				if out, err := inNS(t, w.pod, pingBin, "-M", "do", "-s", "8472", "-c", "1", "-W", "1", "192.168.1.100"); err == nil {
					t.Errorf("the path payload passed from inside a pod whose MTU is 8450:\n%s", out)
				}
			}
		})
	}
}
