package dnsplan

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/hybridkit/hybridkit/advice"
)

// Domain is a validated DNS name: lower-case labels of letters, digits,
// hyphens and underscores, each 1 to 63 octets and not starting or ending
// with a hyphen, at most 253 octets in all; one label ("internal") is a
// valid name. It is stored without the trailing dot. The zero Domain is invalid; use ParseDomain.
//
// Underscores are allowed because service names use them
// (_msdcs.corp.example); everything else outside RFC 1035's letter, digit,
// hyphen set — quotes, braces, semicolons, spaces, slashes, backslashes,
// control characters, non-ASCII — is refused, so no renderer ever has to
// escape a name (IDNs must be given in their xn-- form).
type Domain struct{ name string }

// maxDomainLength is the longest name in text form without the trailing
// dot: 255 octets on the wire minus the length octets (RFC 1035 §2.3.4).
const maxDomainLength = 253

// ParseDomain parses s, with or without a trailing dot, folding upper case
// to lower case. The root (".") is refused: forwarding every name is a
// resolver's default forwarder, not a zone.
func ParseDomain(s string) (Domain, error) {
	name := strings.TrimSuffix(s, ".")
	switch {
	case name == "":
		return Domain{}, fmt.Errorf("dnsplan: domain %s: empty name (the root is not a forward zone)", advice.Quote(s))
	case len(name) > maxDomainLength:
		return Domain{}, fmt.Errorf("dnsplan: domain %s: %d characters, more than %d", advice.Quote(s), len(name), maxDomainLength)
	}
	var b strings.Builder
	b.Grow(len(name))
	for i, label := range strings.Split(name, ".") {
		if err := checkLabel(label); err != nil {
			return Domain{}, fmt.Errorf("dnsplan: domain %s: label %d %v", advice.Quote(s), i+1, err)
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strings.ToLower(label))
	}
	return Domain{name: b.String()}, nil
}

// MustParseDomain is ParseDomain for tests and examples: it panics on error.
func MustParseDomain(s string) Domain {
	d, err := ParseDomain(s)
	if err != nil {
		panic(err)
	}
	return d
}

func checkLabel(l string) error {
	switch {
	case l == "":
		return fmt.Errorf("is empty")
	case len(l) > 63:
		return fmt.Errorf("is %d octets, more than 63", len(l))
	case l[0] == '-' || l[len(l)-1] == '-':
		return fmt.Errorf("%q starts or ends with a hyphen", l)
	}
	for _, c := range l {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("holds %q: only letters, digits, hyphens and underscores (IDNs in xn-- form)", c)
		}
	}
	return nil
}

// String returns the name without the trailing dot ("company.local").
func (d Domain) String() string { return d.name }

// FQDN returns the name with the trailing dot ("company.local."), as
// Route 53 returns it.
func (d Domain) FQDN() string {
	if d.name == "" {
		return ""
	}
	return d.name + "."
}

// IsZero reports whether d is the zero Domain.
func (d Domain) IsZero() bool { return d.name == "" }

// Labels returns the labels, leftmost first.
func (d Domain) Labels() []string {
	if d.name == "" {
		return nil
	}
	return strings.Split(d.name, ".")
}

// TLD returns the last label ("local" for company.local).
func (d Domain) TLD() string {
	return d.name[strings.LastIndexByte(d.name, '.')+1:]
}

// Within reports whether d equals parent or is a subdomain of it.
func (d Domain) Within(parent Domain) bool {
	return d.name != "" && parent.name != "" && (d.name == parent.name || strings.HasSuffix(d.name, "."+parent.name))
}

// Overlaps reports whether either name is within the other.
func (d Domain) Overlaps(o Domain) bool { return d.Within(o) || o.Within(d) }

// MarshalText returns the name without the trailing dot, and empty text
// for the zero Domain, as netip.Addr does: a plan read with a rule that
// names no domain still encodes, for Validate to report.
func (d Domain) MarshalText() ([]byte, error) {
	return []byte(d.name), nil
}

// UnmarshalText parses text with ParseDomain, so a JSON or YAML document
// cannot carry an invalid name. Empty text is the zero Domain (as for
// netip.Addr), the value a missing key leaves too; Validate reports it
// wherever a domain is required.
func (d *Domain) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Domain{}
		return nil
	}
	v, err := ParseDomain(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ReverseZone returns the IPv4 prefix a reverse zone under in-addr.arpa
// stands for (RFC 1035 §3.5): "10.in-addr.arpa" is 10.0.0.0/8,
// "1.168.192.in-addr.arpa" 192.168.1.0/24 and "in-addr.arpa" itself
// 0.0.0.0/0. ok is false for any other name, including labels that are
// not octets (RFC 2317 classless delegations such as "0/26" cannot be
// Domains).
func (d Domain) ReverseZone() (netip.Prefix, bool) {
	rest, ok := strings.CutSuffix(d.name, "in-addr.arpa")
	if !ok || rest != "" && !strings.HasSuffix(rest, ".") {
		return netip.Prefix{}, false
	}
	var octets []string
	if rest != "" {
		octets = strings.Split(strings.TrimSuffix(rest, "."), ".")
	}
	if len(octets) > 4 {
		return netip.Prefix{}, false
	}
	var b [4]byte
	for i, o := range octets {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > 255 || strconv.Itoa(n) != o {
			return netip.Prefix{}, false
		}
		// The labels run from the last octet to the first.
		b[len(octets)-1-i] = byte(n)
	}
	return netip.PrefixFrom(netip.AddrFrom4(b), 8*len(octets)), true
}
