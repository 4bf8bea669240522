package inspect

import (
	"fmt"
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/dnsplan"
)

// refDnsmasq is dnsmasq(8), whose long options are the config file's
// lines.
const refDnsmasq = "https://thekelleys.org.uk/dnsmasq/docs/dnsmasq-man.html"

// dnsmasqServer is one server= (or local=) line.
type dnsmasqServer struct {
	domains []string
	addr    string // empty for "local only" (server=/d/ and local=)
	line    int
}

// parseDnsmasq reads the server= and local= lines of a dnsmasq config:
// server=/domain/[domain/…]addr[#port][@source] for a domain, server=addr
// for every name. Other options are accepted and not read; a server line
// dnsmasq would refuse is an error with its line.
func parseDnsmasq(data []byte) ([]dnsmasqServer, error) {
	var out []dnsmasqServer
	for i, raw := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(raw)
		if l == "" || l[0] == '#' {
			continue
		}
		key, value, _ := strings.Cut(l, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if key != "server" && key != "local" {
			continue
		}
		s := dnsmasqServer{line: i + 1}
		if strings.HasPrefix(value, "/") {
			parts := strings.Split(value[1:], "/")
			if len(parts) < 2 {
				return nil, fmt.Errorf("line %d: %s=%s: the domains end with '/'", i+1, key, printableLine(value))
			}
			s.domains, s.addr = parts[:len(parts)-1], parts[len(parts)-1]
		} else {
			s.addr = value
		}
		if key == "local" {
			s.addr = ""
		}
		if s.addr != "" && s.addr != "#" {
			host, _, _ := strings.Cut(s.addr, "@")
			host, _, _ = strings.Cut(host, "#")
			if _, err := netip.ParseAddr(host); err != nil {
				return nil, fmt.Errorf("line %d: %s is not an address", i+1, printableLine(s.addr))
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// dnsmasqZones groups the server lines by domain: dnsmasq sends a domain
// only to its servers (there is no "first"), and does not validate DNSSEC
// unless told to, with no per-domain exceptions.
func dnsmasqZones(servers []dnsmasqServer) []forwardZone {
	var out []forwardZone
	index := map[string]int{}
	for i, s := range servers {
		if s.addr == "" || s.addr == "#" {
			continue
		}
		host, _, _ := strings.Cut(s.addr, "@")
		host, _, _ = strings.Cut(host, "#")
		a, err := netip.ParseAddr(host)
		if err != nil {
			continue
		}
		domains := s.domains
		if len(domains) == 0 {
			domains = []string{"."}
		}
		for _, d := range domains {
			d = strings.TrimSuffix(d, ".")
			if d == "" {
				d = "."
			}
			j, ok := index[d]
			if !ok {
				at := field.NewPath("server").Index(i)
				j = len(out)
				index[d] = j
				out = append(out, forwardZone{domain: d, policy: dnsplan.ForwardOnly, at: at, policyAt: at, line: s.line})
			}
			out[j].targets = append(out[j].targets, forwardTarget{addr: a, at: field.NewPath("server").Index(i), line: s.line})
		}
	}
	return out
}
