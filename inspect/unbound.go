package inspect

import (
	"fmt"
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/dnsplan"
)

// refUnbound is unbound.conf(5).
const refUnbound = "https://unbound.docs.nlnetlabs.nl/en/latest/manpages/unbound.conf.html"

// unboundLine is one "key: value" line of unbound.conf.
type unboundLine struct {
	key, value string
	line       int
}

// parseUnbound reads unbound.conf text into its clauses ("server:",
// "forward-zone:", …), each a list of key: value lines. Comments (#) and
// quotes are removed as unbound does; a line that is not "key: value" is
// an error with its line.
func parseUnbound(data []byte) ([][]unboundLine, error) {
	var clauses [][]unboundLine
	for i, raw := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(stripUnboundComment(raw))
		if l == "" {
			continue
		}
		key, value, ok := strings.Cut(l, ":")
		if !ok || key == "" || strings.ContainsAny(key, " \t\"") {
			return nil, fmt.Errorf("line %d: %q is not a key: value line", i+1, printableLine(l))
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' && value[len(value)-1] == '"' || value[0] == '\'' && value[len(value)-1] == '\'') {
			value = value[1 : len(value)-1]
		}
		ul := unboundLine{key: key, value: value, line: i + 1}
		if value == "" && isUnboundClause(key) {
			clauses = append(clauses, []unboundLine{ul})
			continue
		}
		if len(clauses) == 0 {
			clauses = append(clauses, []unboundLine{{key: "server", line: i + 1}})
		}
		clauses[len(clauses)-1] = append(clauses[len(clauses)-1], ul)
	}
	return clauses, nil
}

func isUnboundClause(key string) bool {
	switch key {
	case "server", "forward-zone", "stub-zone", "auth-zone", "remote-control", "python", "dynlib", "view", "rpz", "dnscrypt", "cachedb", "dnstap":
		return true
	}
	return false
}

// stripUnboundComment removes a # comment outside quotes.
func stripUnboundComment(l string) string {
	quoted := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			quoted = !quoted
		case '#':
			if !quoted {
				return l[:i]
			}
		}
	}
	return l
}

// unboundZones reads the forward zones: name, forward-addr
// (addr[@port][#tls-name]) and forward-first (default no, which is
// "only"). Unbound validates when the server clause loads a trust
// anchor; domain-insecure exempts a zone.
func unboundZones(clauses [][]unboundLine) []forwardZone {
	validating := false
	var insecure []string
	for _, c := range clauses {
		if c[0].key != "server" {
			continue
		}
		for _, l := range c[1:] {
			switch l.key {
			case "auto-trust-anchor-file", "trust-anchor-file", "trust-anchor", "trusted-keys-file":
				validating = true
			case "domain-insecure":
				insecure = append(insecure, strings.TrimSuffix(l.value, "."))
			}
		}
	}
	var out []forwardZone
	n := 0
	for _, c := range clauses {
		if c[0].key != "forward-zone" {
			continue
		}
		zp := field.NewPath("forward-zone").Index(n)
		n++
		z := forwardZone{policy: dnsplan.ForwardOnly, at: zp.Child("name"), policyAt: zp.Child("forward-first"), line: c[0].line}
		nAddr := 0
		for _, l := range c[1:] {
			switch l.key {
			case "name":
				z.domain, z.line = strings.TrimSuffix(l.value, "."), l.line
				if z.domain == "" {
					z.domain = "."
				}
			case "forward-addr":
				addr, _, _ := strings.Cut(l.value, "#")
				addr, _, _ = strings.Cut(addr, "@")
				if a, err := netip.ParseAddr(addr); err == nil {
					z.targets = append(z.targets, forwardTarget{addr: a, at: zp.Child("forward-addr").Index(nAddr), line: l.line})
				}
				nAddr++
			case "forward-first":
				z.policyLine = l.line
				if l.value == "yes" {
					z.policy = dnsplan.ForwardFirst
				}
			}
		}
		z.validated = validating && !covered(insecure, z.domain)
		if z.domain != "" && len(z.targets) > 0 {
			out = append(out, z)
		}
	}
	return out
}

// covered reports whether name is one of zones or below one.
func covered(zones []string, name string) bool {
	name = strings.ToLower(name)
	for _, z := range zones {
		z = strings.ToLower(z)
		if name == z || strings.HasSuffix(name, "."+z) {
			return true
		}
	}
	return false
}
