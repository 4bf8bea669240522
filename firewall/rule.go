package firewall

import (
	"cmp"
	"fmt"
	"github.com/hybridkit/hybridkit/netplan"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// Protocol is an IP protocol number (IANA "Assigned Internet Protocol
// Numbers"). The zero Protocol is invalid in a rule.
type Protocol uint8

// Protocols the profiles use.
const (
	ProtoICMP Protocol = 1
	ProtoIPIP Protocol = 4 // IP-in-IP (Calico's IPIP encapsulation)
	ProtoTCP  Protocol = 6
	ProtoUDP  Protocol = 17
	ProtoESP  Protocol = 50 // IPsec ESP
)

var protoNames = map[Protocol]string{ProtoICMP: "icmp", ProtoIPIP: "ipip", ProtoTCP: "tcp", ProtoUDP: "udp", ProtoESP: "esp"}

// String returns "tcp", "udp", "icmp", "ipip", "esp" or the number.
func (p Protocol) String() string {
	if s, ok := protoNames[p]; ok {
		return s
	}
	return strconv.Itoa(int(p))
}

// HasPorts reports whether the protocol carries ports (TCP, UDP).
func (p Protocol) HasPorts() bool { return p == ProtoTCP || p == ProtoUDP }

// MarshalText encodes the String form.
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText accepts a name ("tcp", case-insensitive) or a number
// 1–255. On error p is unchanged.
func (p *Protocol) UnmarshalText(b []byte) error {
	s := strings.ToLower(string(b))
	for k, v := range protoNames {
		if v == s {
			*p = k
			return nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 255 {
		return fmt.Errorf("firewall: protocol %q is not tcp, udp, icmp, ipip, esp or a number 1-255", b)
	}
	*p = Protocol(n)
	return nil
}

// PortRange is an inclusive range of ports. The zero PortRange means every
// port (and is the only valid value for protocols without ports).
type PortRange struct {
	First uint16 `json:"first,omitempty"`
	Last  uint16 `json:"last,omitempty"`
}

// Port returns the range of one port.
func Port(p uint16) PortRange { return PortRange{First: p, Last: p} }

// Ports returns the range first–last.
func Ports(first, last uint16) PortRange { return PortRange{First: first, Last: last} }

// All reports whether the range is "every port".
func (r PortRange) All() bool { return r == PortRange{} }

// covers reports whether port is in the range (every port is in the zero
// range).
func (r PortRange) covers(port uint16) bool {
	return r.All() || r.First <= port && port <= r.Last
}

// String returns "10250", "30000-32767" or "all".
func (r PortRange) String() string {
	switch {
	case r.All():
		return "all"
	case r.First == r.Last:
		return strconv.Itoa(int(r.First))
	}
	return fmt.Sprintf("%d-%d", r.First, r.Last)
}

// Direction places a flow relative to the hybrid side (the remote node and
// pod networks and the site around them), as the AWS "ongoing cluster
// operations" table does.
type Direction string

// Directions.
const (
	// Inbound flows come from AWS (or elsewhere) into the hybrid side.
	Inbound Direction = "inbound"
	// Outbound flows leave the hybrid side.
	Outbound Direction = "outbound"
	// Internal flows stay inside the hybrid side (node to node, pod to pod).
	Internal Direction = "internal"
)

// Peer is one end of a flow. Exactly one of Network, Role, ClusterENIs,
// Prefix and Any is set.
type Peer struct {
	// Network names a network of the plan.
	Network string `json:"network,omitempty"`
	// Role stands for every network of the plan with that role.
	Role netplan.Role `json:"role,omitempty"`
	// ClusterENIs stands for the subnets that hold the EKS cluster's
	// network interfaces ("EKS cluster IPs").
	ClusterENIs bool `json:"clusterEnis,omitempty"`
	// Prefix is an explicit IPv4 prefix (a single host is a /32).
	Prefix netip.Prefix `json:"prefix,omitempty"`
	// Any is every IPv4 address: a public AWS endpoint whose addresses are
	// not fixed. Host names the endpoint for the reader.
	Any  bool   `json:"any,omitempty"`
	Host string `json:"host,omitempty"`
	// SecurityGroupID is accepted only for the AWS side of a flow; the
	// hybrid side has no ENIs in the VPC and is always written as CIDRs.
	SecurityGroupID string `json:"securityGroupId,omitempty"`
}

// PeerNetwork is the plan's network called name.
func PeerNetwork(name string) Peer { return Peer{Network: name} }

// PeerRole is every network of the plan with role r.
func PeerRole(r netplan.Role) Peer { return Peer{Role: r} }

// PeerClusterENIs is the subnets that hold the EKS cluster's ENIs.
func PeerClusterENIs() Peer { return Peer{ClusterENIs: true} }

// PeerPrefix is an explicit IPv4 prefix.
func PeerPrefix(p netip.Prefix) Peer { return Peer{Prefix: p} }

// PeerHost is one address, as a /32.
func PeerHost(a netip.Addr) Peer { return Peer{Prefix: netip.PrefixFrom(a, a.BitLen())} }

// PeerEndpoint is a public AWS endpoint reached by name (any address).
func PeerEndpoint(hostname string) Peer { return Peer{Any: true, Host: hostname} }

// PeerSecurityGroup is a security group on the AWS side of a flow.
func PeerSecurityGroup(id string) Peer { return Peer{SecurityGroupID: id} }

func (p Peer) isSecurityGroup() bool { return p.SecurityGroupID != "" }
func (p Peer) key() string           { return p.String() }
func peerCount(p Peer) (n int) {
	return countTrue(p.Network != "", p.Role != "", p.ClusterENIs, p.Prefix.IsValid(), p.Any, p.SecurityGroupID != "")
}
func countTrue(bs ...bool) (n int) {
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// String names the peer for tables and comments.
func (p Peer) String() string {
	switch {
	case p.Network != "":
		return p.Network
	case p.Role != "":
		return string(p.Role) + " networks"
	case p.ClusterENIs:
		return "EKS cluster ENIs"
	case p.Prefix.IsValid():
		return p.Prefix.String()
	case p.Any && p.Host != "":
		return p.Host
	case p.Any:
		return "any"
	case p.SecurityGroupID != "":
		return p.SecurityGroupID
	}
	return "(none)"
}

// Resolve returns the peer's prefixes in plan. Any resolves to 0.0.0.0/0;
// a security group resolves to nothing (it is not an address).
func (peer Peer) Resolve(p netplan.Plan) ([]netip.Prefix, error) {
	switch {
	case peer.Network != "":
		n, ok := p.Network(peer.Network)
		if !ok {
			return nil, fmt.Errorf("firewall: no network named %q in the plan", peer.Network)
		}
		return []netip.Prefix{n.Prefix}, nil
	case peer.Role != "":
		ps := p.Prefixes(peer.Role)
		if len(ps) == 0 {
			return nil, fmt.Errorf("firewall: the plan has no %s network", peer.Role)
		}
		return ps, nil
	case peer.ClusterENIs:
		ps := p.ClusterENIPrefixes()
		if len(ps) == 0 {
			return nil, fmt.Errorf("firewall: the plan has no subnet for the cluster's ENIs")
		}
		return ps, nil
	case peer.Prefix.IsValid():
		return []netip.Prefix{peer.Prefix}, nil
	case peer.Any:
		return []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}, nil
	}
	return nil, nil
}

// Rule is one allowed flow.
type Rule struct {
	Protocol Protocol `json:"protocol"`
	// Ports is the destination port range; zero means every port.
	Ports PortRange `json:"ports,omitzero"`
	// ICMPType limits an ICMP rule to one type (8 = echo request); nil is
	// every type.
	ICMPType  *uint8    `json:"icmpType,omitempty"`
	Direction Direction `json:"direction"`
	From      Peer      `json:"from"`
	To        Peer      `json:"to"`
	// Purpose says why the flow exists; it ends up in comments and tables.
	Purpose string `json:"purpose"`
	// Required is false for flows only some features need.
	Required bool `json:"required"`
	// Ref names the source of the fact (a document or file).
	Ref string `json:"ref,omitempty"`
	// Profile is the profile that produced the rule.
	Profile string `json:"profile,omitempty"`
}

// Validate returns nil, or every problem of the rule against plan, whose
// networks its peers name, with JSON paths (ValidateAt).
func (r Rule) Validate(plan netplan.Plan) error {
	return ivalidation.ToError("firewall", r.ValidateAt(nil, plan))
}

// ValidateAt checks a rule against the plan it refers to.
func (r Rule) ValidateAt(fp *field.Path, plan netplan.Plan) field.ErrorList {
	var errs field.ErrorList
	if r.Protocol == 0 {
		errs = append(errs, field.Required(fp.Child("protocol"), "tcp, udp, icmp or an IP protocol number"))
	}
	switch {
	case r.Ports.All() || r.Protocol == 0:
	case !r.Protocol.HasPorts():
		errs = append(errs, field.Invalid(fp.Child("ports"), r.Ports.String(), fmt.Sprintf("%s has no ports", r.Protocol)))
	case r.Ports.First == 0:
		errs = append(errs, field.Invalid(fp.Child("ports").Child("first"), 0, "ports are 1 to 65535"))
	case r.Ports.Last < r.Ports.First:
		errs = append(errs, field.Invalid(fp.Child("ports"), r.Ports.String(), "the range is reversed"))
	}
	if r.ICMPType != nil && r.Protocol != ProtoICMP {
		errs = append(errs, field.Forbidden(fp.Child("icmpType"), "only for icmp"))
	}
	switch r.Direction {
	case Inbound, Outbound, Internal:
	default:
		errs = append(errs, field.NotSupported(fp.Child("direction"), r.Direction, []Direction{Inbound, Outbound, Internal}))
	}
	for _, end := range []struct {
		name string
		peer Peer
	}{{"from", r.From}, {"to", r.To}} {
		pp := func() *field.Path { return fp.Child(end.name) } // built on an error only
		if n := peerCount(end.peer); n != 1 {
			errs = append(errs, field.Invalid(pp(), end.peer.String(), "set exactly one of network, role, clusterEnis, prefix, any or securityGroupId"))
			continue
		}
		if end.peer.Prefix.IsValid() && netplan.ValidatePrefix(nil, end.peer.Prefix) != nil {
			errs = append(errs, netplan.ValidatePrefix(pp().Child("prefix"), end.peer.Prefix)...)
		}
		if end.peer.Role != "" && !slices.Contains(netplan.Roles(), end.peer.Role) {
			errs = append(errs, field.NotSupported(pp().Child("role"), end.peer.Role, netplan.Roles()))
		}
		if end.peer.Network != "" || end.peer.Role != "" || end.peer.ClusterENIs {
			if _, err := end.peer.Resolve(plan); err != nil {
				errs = append(errs, field.NotFound(pp(), end.peer.String()))
			}
		}
		if end.peer.Host != "" && ivalidation.PlainText(nil, end.peer.Host) != nil {
			errs = append(errs, ivalidation.PlainText(pp().Child("host"), end.peer.Host)...)
		}
	}
	// The hybrid side has no ENIs in the VPC: a security group cannot name
	// it (the guide's rules with source sg-hybrid-nodes match nothing).
	for _, h := range r.hybridEnd() {
		if h.isSecurityGroup() {
			errs = append(errs, field.Invalid(fp, h.SecurityGroupID, "the on-premises end of a flow cannot be a security group: hybrid nodes have no ENIs in the VPC; use the remote node or pod network ("+string(CodeOnPremSecurityGroup)+", "+refEKSNetworking+")"))
		}
	}
	if r.Purpose == "" {
		errs = append(errs, field.Required(fp.Child("purpose"), "say why the flow exists"))
	}
	errs = append(errs, ivalidation.PlainText(fp.Child("purpose"), r.Purpose)...)
	return errs
}

// hybridEnd returns the peers of the rule on the hybrid side: the
// destination of an inbound flow, the source of an outbound one, both of
// an internal one.
func (r Rule) hybridEnd() []Peer {
	switch r.Direction {
	case Inbound:
		return []Peer{r.To}
	case Outbound:
		return []Peer{r.From}
	case Internal:
		return []Peer{r.From, r.To}
	}
	return nil
}

// RuleSet is an ordered list of rules.
type RuleSet []Rule

// Validate returns nil, or every problem of the rules against plan, with
// JSON paths (ValidateAt).
func (rs RuleSet) Validate(plan netplan.Plan) error {
	return ivalidation.ToError("firewall", rs.ValidateAt(nil, plan))
}

// ValidateAt checks every rule.
func (rs RuleSet) ValidateAt(fp *field.Path, plan netplan.Plan) field.ErrorList {
	var errs field.ErrorList
	for i, r := range rs {
		// A rule's path is built only for a rule with errors: renderers
		// validate every rule set they write.
		if r.ValidateAt(nil, plan) != nil {
			errs = append(errs, r.ValidateAt(fp.Index(i), plan)...)
		}
	}
	return errs
}

// Allows reports whether some rule lets proto traffic on ports from from
// to to: the same protocol and destination, a port range that covers
// ports (a rule for every port covers all), and the same source or one
// for any address. A zero from stands for any source.
func (rs RuleSet) Allows(proto Protocol, ports PortRange, from, to Peer) bool {
	for _, r := range rs {
		if r.Protocol != proto || r.To != to || from != (Peer{}) && r.From != from && !r.From.Any {
			continue
		}
		if r.Ports.All() || r.Ports.First <= ports.First && ports.Last <= r.Ports.Last {
			return true
		}
	}
	return false
}

func (r Rule) identity() string {
	t := ""
	if r.ICMPType != nil {
		t = strconv.Itoa(int(*r.ICMPType))
	}
	return strings.Join([]string{string(r.Direction), r.Protocol.String(), r.Ports.String(), t, r.From.key(), r.To.key()}, "|")
}

var directionOrder = map[Direction]int{Inbound: 0, Internal: 1, Outbound: 2}

// Merge joins rule sets, folding rules that allow the same flow into one
// (purposes, sources and profiles joined; required if any is) and sorting
// the result by direction, protocol, ports and peers, so the output does
// not depend on the order of the inputs.
func Merge(sets ...RuleSet) RuleSet {
	total := 0
	for _, set := range sets {
		total += len(set)
	}
	byID := make(map[string]int, total)
	out := make(RuleSet, 0, total)
	ids := make([]string, 0, total) // out's identities, computed once each
	for _, set := range sets {
		for _, r := range set {
			id := r.identity()
			i, ok := byID[id]
			if !ok {
				byID[id] = len(out)
				out = append(out, r)
				ids = append(ids, id)
				continue
			}
			m := &out[i]
			m.Purpose = joinUnique(m.Purpose, r.Purpose)
			m.Ref = joinUnique(m.Ref, r.Ref)
			m.Profile = joinUnique(m.Profile, r.Profile)
			m.Required = m.Required || r.Required
		}
	}
	// The sort keys are built once per rule, not once per comparison, and
	// the rules move once, after the sort.
	type keyed struct {
		i            int
		from, to, id string
	}
	ks := make([]keyed, len(out))
	for i, r := range out {
		ks[i] = keyed{i, r.From.key(), r.To.key(), ids[i]}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		ra, rb := &out[a.i], &out[b.i]
		return cmp.Or(
			cmp.Compare(directionOrder[ra.Direction], directionOrder[rb.Direction]),
			cmp.Compare(ra.Protocol, rb.Protocol),
			cmp.Compare(ra.Ports.First, rb.Ports.First),
			cmp.Compare(ra.Ports.Last, rb.Ports.Last),
			cmp.Compare(a.from, b.from),
			cmp.Compare(a.to, b.to),
			cmp.Compare(a.id, b.id),
		)
	})
	sorted := make(RuleSet, len(out))
	for i, k := range ks {
		sorted[i] = out[k.i]
	}
	return sorted
}

func joinUnique(a, b string) string {
	if b == "" || a == b {
		return a
	}
	if a == "" {
		return b
	}
	for _, part := range strings.Split(a, "; ") {
		if part == b {
			return a
		}
	}
	return a + "; " + b
}
