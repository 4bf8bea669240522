package firewall

import (
	"bytes"
	"fmt"
	"github.com/hybridkit/hybridkit/netplan"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// HostRule is one accept rule of a host firewall's input chain.
type HostRule struct {
	Protocol Protocol
	Ports    PortRange
	ICMPType *uint8
	// Sources are the allowed source prefixes; empty means any.
	Sources []netip.Prefix
	Comment string
}

// HostFirewall selects the rules that end at host (normally
// PeerRole(RoleRemoteNode): every hybrid node) and turns them into input
// accept rules with resolved sources. A rule whose To lies inside the
// host's networks applies; pod-bound flows pass the FORWARD path, which the
// CNI owns, and are not included.
func HostFirewall(plan netplan.Plan, rules RuleSet, host Peer) ([]HostRule, error) {
	hostNets, err := host.Resolve(plan)
	if err != nil {
		return nil, err
	}
	var out []HostRule
	for i, r := range rules {
		to, err := r.To.Resolve(plan)
		if err != nil {
			return nil, fmt.Errorf("firewall: rules[%d]: %w", i, err)
		}
		if len(to) == 0 || !allInside(to, hostNets) {
			continue
		}
		from, err := r.From.Resolve(plan)
		if err != nil {
			return nil, fmt.Errorf("firewall: rules[%d]: %w", i, err)
		}
		if slices.ContainsFunc(from, func(p netip.Prefix) bool { return p.Bits() == 0 }) {
			from = nil
		}
		out = append(out, HostRule{Protocol: r.Protocol, Ports: r.Ports, ICMPType: r.ICMPType, Sources: from, Comment: r.Purpose})
	}
	return out, nil
}

func allInside(ps, outer []netip.Prefix) bool {
	for _, p := range ps {
		if !slices.ContainsFunc(outer, func(o netip.Prefix) bool { return o.Bits() <= p.Bits() && o.Contains(p.Addr()) }) {
			return false
		}
	}
	return true
}

// nftComment keeps a comment printable, without quotes, and within the 128
// bytes nft accepts (NFT_USERDATA_MAXLEN for comments).
func nftComment(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	for len(s) > 127 {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// nftWriter writes an nftables ruleset; every value goes through its
// methods, which only emit validated addresses, numbers and sanitised
// comments.
type nftWriter struct {
	buf   bytes.Buffer
	depth int
}

func (w *nftWriter) line(parts ...string) {
	w.buf.WriteString(strings.Repeat("\t", w.depth))
	w.buf.WriteString(strings.Join(parts, " "))
	w.buf.WriteByte('\n')
}

func (w *nftWriter) open(parts ...string) { w.line(append(parts, "{")...); w.depth++ }
func (w *nftWriter) close()               { w.depth--; w.line("}") }

func nftSet(ps []netip.Prefix) string {
	if len(ps) == 1 {
		return ps[0].String()
	}
	return "{ " + strings.Join(cidrStrings(ps), ", ") + " }"
}

// essentialICMP are the ICMP types every host must accept: echo requests
// for reachability checks, and destination-unreachable (which carries
// "fragmentation needed", so path MTU discovery works — Amazon VPC User
// Guide, Path MTU Discovery) and time-exceeded for traceroute.
var essentialICMP = []string{"echo-request", "destination-unreachable", "time-exceeded"}

// RenderNFTables renders a complete `table inet hybridkit` for a hybrid
// node: the input chain drops by default and accepts established traffic,
// loopback, essential ICMP and every HostFirewall rule; forward (owned by
// the CNI) and output accept. Load it with `nft -f`; it replaces only its
// own table.
func RenderNFTables(plan netplan.Plan, rules RuleSet, host Peer) ([]byte, error) {
	hrs, err := HostFirewall(plan, rules, host)
	if err != nil {
		return nil, err
	}
	var w nftWriter
	w.line("#!/usr/sbin/nft -f")
	w.line("# Host firewall for EKS hybrid nodes, rendered by hybridkit.")
	w.line("table inet hybridkit")
	w.line("delete table inet hybridkit")
	w.open("table inet hybridkit")
	w.open("chain input")
	w.line("type filter hook input priority filter; policy drop;")
	w.line("ct state established,related accept")
	w.line("ct state invalid drop")
	w.line(`iifname "lo" accept`)
	w.line("icmp type { " + strings.Join(essentialICMP, ", ") + ` } accept comment "reachability, path MTU discovery, traceroute"`)
	for _, r := range hrs {
		var parts []string
		if len(r.Sources) > 0 {
			parts = append(parts, "ip saddr", nftSet(r.Sources))
		}
		switch {
		case r.Protocol.HasPorts():
			parts = append(parts, r.Protocol.String(), "dport", nftPorts(r.Ports))
		case r.Protocol == ProtoICMP:
			if r.ICMPType != nil {
				parts = append(parts, "icmp type", strconv.Itoa(int(*r.ICMPType)))
			} else {
				parts = append(parts, "ip protocol icmp")
			}
		default:
			parts = append(parts, "meta l4proto", strconv.Itoa(int(r.Protocol)))
		}
		parts = append(parts, "accept", `comment "`+nftComment(r.Comment)+`"`)
		w.line(parts...)
	}
	w.close()
	w.open("chain forward")
	w.line("type filter hook forward priority filter; policy accept;")
	w.close()
	w.open("chain output")
	w.line("type filter hook output priority filter; policy accept;")
	w.close()
	w.close()
	return w.buf.Bytes(), nil
}

func nftPorts(r PortRange) string {
	if r.All() {
		return "1-65535"
	}
	if r.First == r.Last {
		return strconv.Itoa(int(r.First))
	}
	return fmt.Sprintf("%d-%d", r.First, r.Last)
}

// RenderIPTables renders the same host firewall as iptables-restore input
// for the filter table: INPUT drops by default; FORWARD and OUTPUT accept.
// Load it with `iptables-restore --noflush` to keep other chains.
func RenderIPTables(plan netplan.Plan, rules RuleSet, host Peer) ([]byte, error) {
	hrs, err := HostFirewall(plan, rules, host)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("# Host firewall for EKS hybrid nodes, rendered by hybridkit.\n")
	b.WriteString("*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n")
	b.WriteString("-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n")
	b.WriteString("-A INPUT -m conntrack --ctstate INVALID -j DROP\n")
	b.WriteString("-A INPUT -i lo -j ACCEPT\n")
	for _, t := range essentialICMP {
		fmt.Fprintf(&b, "-A INPUT -p icmp -m icmp --icmp-type %s -j ACCEPT\n", t)
	}
	for _, r := range hrs {
		sources := cidrStrings(r.Sources)
		if len(sources) == 0 {
			sources = []string{""}
		}
		for _, src := range sources {
			var parts []string
			parts = append(parts, "-A", "INPUT")
			if src != "" {
				parts = append(parts, "-s", src)
			}
			switch {
			case r.Protocol.HasPorts():
				ports := "1:65535"
				if !r.Ports.All() {
					ports = strconv.Itoa(int(r.Ports.First))
					if r.Ports.Last != r.Ports.First {
						ports += ":" + strconv.Itoa(int(r.Ports.Last))
					}
				}
				parts = append(parts, "-p", r.Protocol.String(), "-m", r.Protocol.String(), "--dport", ports)
			case r.Protocol == ProtoICMP:
				parts = append(parts, "-p", "icmp")
				if r.ICMPType != nil {
					parts = append(parts, "-m", "icmp", "--icmp-type", strconv.Itoa(int(*r.ICMPType)))
				}
			default:
				parts = append(parts, "-p", strconv.Itoa(int(r.Protocol)))
			}
			parts = append(parts, "-m", "comment", "--comment", `"`+nftComment(r.Comment)+`"`, "-j", "ACCEPT")
			b.WriteString(strings.Join(parts, " "))
			b.WriteByte('\n')
		}
	}
	b.WriteString("COMMIT\n")
	return b.Bytes(), nil
}
