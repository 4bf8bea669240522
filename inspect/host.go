package inspect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/netpath"
)

// route is one entry of the host's routing table, from `ip -j route` or
// `ip route show`.
type route struct {
	dst       netip.Prefix // invalid for default
	isDefault bool
	typ       string // unicast unless ip says otherwise (local, unreachable, …)
	gateway   netip.Addr
	dev       string
	protocol  string
	scope     string
	prefsrc   netip.Addr
	at        *field.Path
	line      int
}

// ipRouteJSON is one object of `ip -j route` (iproute2's JSON keys).
type ipRouteJSON struct {
	Type     string `json:"type"`
	Dst      string `json:"dst"`
	Gateway  string `json:"gateway"`
	Dev      string `json:"dev"`
	Protocol string `json:"protocol"`
	Scope    string `json:"scope"`
	Prefsrc  string `json:"prefsrc"`
}

const refIPRoute = "https://man7.org/linux/man-pages/man8/ip-route.8.html"

// parseRoutes reads `ip -j route` (a JSON array) or `ip route show` text.
// A destination that is not "default" or an address or prefix is an
// error with its line.
func parseRoutes(data []byte) ([]route, error) {
	s := bytes.TrimSpace(data)
	if len(s) > 0 && s[0] == '[' {
		var rs []ipRouteJSON
		if err := json.Unmarshal(s, &rs); err != nil {
			return nil, jsonError(data, err)
		}
		out := make([]route, 0, len(rs))
		for i, r := range rs {
			rt := route{typ: r.Type, dev: r.Dev, protocol: r.Protocol, scope: r.Scope, at: field.NewPath("routes").Index(i)}
			if err := rt.setDst(r.Dst); err != nil {
				return nil, fmt.Errorf("routes[%d].dst: %w", i, err)
			}
			rt.gateway, _ = netip.ParseAddr(r.Gateway)
			rt.prefsrc, _ = netip.ParseAddr(r.Prefsrc)
			out = append(out, rt)
		}
		return out, nil
	}
	var out []route
	for i, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		rt := route{at: field.NewPath("routes").Index(len(out)), line: i + 1}
		switch f[0] {
		case "local", "broadcast", "unreachable", "blackhole", "prohibit", "throw", "multicast", "anycast", "unicast":
			rt.typ, f = f[0], f[1:]
		}
		if len(f) == 0 {
			return nil, fmt.Errorf("line %d: a route without a destination", i+1)
		}
		if err := rt.setDst(f[0]); err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		for j := 1; j+1 < len(f); j++ {
			switch f[j] {
			case "via":
				rt.gateway, _ = netip.ParseAddr(f[j+1])
			case "dev":
				rt.dev = f[j+1]
			case "proto":
				rt.protocol = f[j+1]
			case "scope":
				rt.scope = f[j+1]
			case "src":
				rt.prefsrc, _ = netip.ParseAddr(f[j+1])
			}
		}
		out = append(out, rt)
	}
	return out, nil
}

func (r *route) setDst(s string) error {
	if s == "default" || s == "0.0.0.0/0" || s == "::/0" {
		r.isDefault = true
		return nil
	}
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return fmt.Errorf("%s is not a route destination", printableLine(s))
		}
		r.dst = netip.PrefixFrom(a, a.BitLen())
		return nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return fmt.Errorf("%s is not a route destination", printableLine(s))
	}
	r.dst = p.Masked()
	return nil
}

// connected reports a route to a network the host is on (the kernel's
// link routes): its addresses are here, on the site, not across the link.
func (r route) connected() bool {
	return !r.isDefault && !r.gateway.IsValid() && (r.typ == "" || r.typ == "unicast") && (r.scope == "link" || r.protocol == "kernel")
}

// cniDevice reports the interfaces Cilium and Calico, the CNIs EKS
// Hybrid Nodes support, make for their pods and tunnels, whose routes to
// pod networks are expected. A cni0 or flannel.1 bridge is another CNI's,
// left from an earlier cluster: its routes are reported like any other.
func cniDevice(dev string) bool {
	for _, p := range []string{"cilium_", "lxc", "cali", "vxlan.calico", "tunl"} {
		if strings.HasPrefix(dev, p) {
			return true
		}
	}
	return false
}

func (d *document) checkRoutes() {
	if t := bytes.TrimSpace(d.data); len(t) > 0 && t[0] == '[' {
		d.lines = indexYAML(d.data, "routes") // `ip -j route`; text routes carry their lines
	}
	rs, err := parseRoutes(d.data)
	if err != nil {
		d.parseError(err, refIPRoute)
		return
	}
	d.parsed = rs
}

// checkSMI reads nvidia-smi's XML log or query CSV and checks the driver
// against the GPUs (gpu.CheckHost).
func (d *document) checkSMI() {
	var inv gpu.Inventory
	var err error
	if bytes.Contains(d.data[:min(len(d.data), 4096)], []byte("<nvidia_smi_log")) {
		inv, err = gpu.ParseSMILog(d.data)
	} else {
		inv, err = gpu.ParseQueryCSV(d.data)
	}
	if err != nil {
		d.parseError(err, "https://docs.nvidia.com/deploy/nvidia-smi/index.html")
		return
	}
	d.parsed = inv
	h := gpu.HostFacts{DriverVersion: inv.DriverVersion}
	for _, g := range inv.GPUs {
		h.GPUs = append(h.GPUs, g.Name)
	}
	d.add(gpu.CheckHost(h)...)
}

// checkOSRelease checks the operating system against what EKS Hybrid
// Nodes support.
func (d *document) checkOSRelease() {
	id, version, err := gpu.ParseOSRelease(d.data)
	if err != nil {
		d.parseError(err, "https://www.freedesktop.org/software/systemd/man/latest/os-release.html")
		return
	}
	d.add(gpu.CheckHost(gpu.HostFacts{OSID: id, OSVersion: version})...)
}

// checkLink grades a ping or iperf3 -J run against the baseline: the
// Context's thresholds, or the adoption guide's.
func (d *document) checkLink() {
	var m netpath.Measurement
	var err error
	if d.kind == KindPing {
		m, err = netpath.ParsePing(d.data)
	} else {
		m, err = netpath.ParseIperf3(d.data)
	}
	if err != nil {
		d.parseError(err, "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html")
		return
	}
	d.parsed = m
	th := netpath.GuideThresholds()
	if d.ctx.Thresholds != nil {
		th = *d.ctx.Thresholds
	}
	d.add(th.Check(m)...)
}

// printableLine quotes a piece of input for a message, bounded.
func printableLine(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strconv.Quote(s)
}
