package dnsplan

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/hybridkit/hybridkit/internal/strict"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// Plan is the hybrid DNS design of one cluster VPC: the Route 53 Resolver
// endpoints in it, the rules that send on-premises zones from AWS to the
// site's DNS servers, what the site's resolvers send to AWS, and the
// cluster's own DNS (CoreDNS and the nodes' resolver).
//
// The zero Plan is invalid; Validate says why.
type Plan struct {
	// Region and VPCID locate the endpoints and the default association.
	Region string `json:"region"`
	VPCID  string `json:"vpcId"`
	// VPCCIDRs are the VPC's CIDR blocks, the first being the primary
	// (the VPC resolver is its base address plus two).
	VPCCIDRs []netip.Prefix `json:"vpcCidrs"`
	// Inbound receives queries from the site (on-premises → AWS).
	Inbound *Endpoint `json:"inbound,omitempty"`
	// Outbound sends queries matching the rules to the site
	// (AWS → on-premises).
	Outbound *Endpoint `json:"outbound,omitempty"`
	// Rules are the Resolver rules; FORWARD rules need Outbound.
	Rules   []Rule  `json:"rules,omitempty"`
	OnPrem  OnPrem  `json:"onPrem"`
	Cluster Cluster `json:"cluster"`
}

// Endpoint is a Route 53 Resolver endpoint: one network interface per IP.
type Endpoint struct {
	// Name is the endpoint's name (letters, digits, spaces, _ and -).
	Name string `json:"name"`
	// SecurityGroupID must allow DNS (TCP and UDP 53) the endpoint's way:
	// in from the site for inbound, out to the targets for outbound.
	SecurityGroupID string       `json:"securityGroupId"`
	IPs             []EndpointIP `json:"ips"`
}

// EndpointIP is one address of an endpoint and the subnet that holds it.
type EndpointIP struct {
	IP       netip.Addr `json:"ip"`
	SubnetID string     `json:"subnetId"`
	// Subnet is the subnet's CIDR, so the plan can check that IP lies in it
	// and is not one of the five addresses AWS reserves.
	Subnet netip.Prefix `json:"subnet"`
	// AZ is the subnet's Availability Zone ("ap-northeast-2a").
	AZ string `json:"az"`
}

// RuleType is a Resolver rule type.
type RuleType string

// Rule types a plan may create (RECURSIVE rules belong to Resolver itself).
const (
	// RuleForward sends the domain and its subdomains to the targets.
	RuleForward RuleType = "FORWARD"
	// RuleSystem carves a subdomain back out of a FORWARD rule, to be
	// resolved by the VPC resolver.
	RuleSystem RuleType = "SYSTEM"
)

// Rule is a Resolver rule and the VPCs it is associated with. A rule does
// nothing until it is associated with a VPC.
type Rule struct {
	// Name is the rule's name: up to 64 letters, digits, spaces, _ and -,
	// not only digits.
	Name   string   `json:"name"`
	Domain Domain   `json:"domain"`
	Type   RuleType `json:"type,omitempty"`
	// Targets are the on-premises DNS servers (FORWARD only): 1 to 6, one
	// address family.
	Targets []Target `json:"targets,omitempty"`
	// VPCIDs are the VPCs the rule is associated with; nil (the key
	// left out) means the plan's VPC, an empty list none at all, which
	// Validate refuses: a rule acts only where it is associated.
	VPCIDs []string `json:"vpcIds,omitzero"`
}

// Target is a DNS server address and port (0 means 53).
type Target struct {
	IP   netip.Addr `json:"ip"`
	Port uint16     `json:"port,omitempty"`
}

// port returns the target's port, 53 when unset.
func (t Target) port() uint16 {
	if t.Port == 0 {
		return 53
	}
	return t.Port
}

// ForwardPolicy is how the site's resolvers use their forwarders.
type ForwardPolicy string

// Forward policies (BIND's forward only | first; Unbound's forward-first).
const (
	// ForwardOnly asks only the forwarders: a private zone never leaks to
	// the internet.
	ForwardOnly ForwardPolicy = "only"
	// ForwardFirst falls back to the resolver's own recursion when the
	// forwarders fail.
	ForwardFirst ForwardPolicy = "first"
)

// OnPrem is the site's side of the design.
type OnPrem struct {
	// Servers are the site's DNS servers: what the hybrid nodes and the
	// CoreDNS stub domains use.
	Servers []netip.Addr `json:"servers"`
	// ForwardToAWS are the domains the site's resolvers send to the
	// inbound endpoint: the cluster's endpoint name, private hosted zones,
	// interface endpoint names.
	ForwardToAWS []Domain `json:"forwardToAws,omitempty"`
	// ForwardTargets override where ForwardToAWS goes; empty means the
	// inbound endpoint's IPs, which is the only supported target.
	ForwardTargets []netip.Addr `json:"forwardTargets,omitempty"`
	// Policy defaults to only.
	Policy ForwardPolicy `json:"policy,omitempty"`
	// DNSSECValidation says the site's resolvers validate (BIND's default
	// dnssec-validation auto); the forwarded private zones then need
	// exceptions, which the renderers write.
	DNSSECValidation bool `json:"dnssecValidation,omitempty"`
}

// EndpointAccess is the cluster API endpoint's access mode.
type EndpointAccess string

// Endpoint access modes (EKS cluster endpoint access control).
const (
	AccessPublic           EndpointAccess = "public"
	AccessPrivate          EndpointAccess = "private"
	AccessPublicAndPrivate EndpointAccess = "public-and-private"
)

// IPFamily is the cluster's IP family.
type IPFamily string

// IP families.
const (
	IPv4 IPFamily = "ipv4"
	IPv6 IPFamily = "ipv6"
)

// Cluster is what DNS needs to know about the EKS cluster.
type Cluster struct {
	// EndpointHost is the API server's name
	// (<id>.<suffix>.<region>.eks.amazonaws.com, or …api.aws for IPv6
	// clusters); zero when not known yet.
	EndpointHost Domain         `json:"endpointHost,omitzero"`
	Access       EndpointAccess `json:"access,omitempty"`
	Family       IPFamily       `json:"family,omitempty"`
	// Domain is the cluster DNS domain, cluster.local by default.
	Domain Domain `json:"domain,omitzero"`
	// Networks are the cluster's pod and service CIDRs. CoreDNS's
	// kubernetes plugin answers their reverse (PTR) lookups, so no stub
	// domain may take their in-addr.arpa zones away from it.
	Networks []netip.Prefix `json:"networks,omitempty"`
}

// DefaultClusterDomain is Kubernetes' default cluster domain.
const DefaultClusterDomain = "cluster.local"

// Default fills rule types (FORWARD), rule associations (the plan's VPC,
// for a rule whose VPCIDs is nil; an empty list says "none" and Validate
// refuses it),
// the forward policy (only), the cluster's access (private), family (ipv4)
// and domain (cluster.local). It is idempotent; nil is a no-op.
func (p *Plan) Default() {
	if p == nil {
		return
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		if r.Type == "" {
			r.Type = RuleForward
		}
		if r.VPCIDs == nil && p.VPCID != "" {
			r.VPCIDs = []string{p.VPCID}
		}
	}
	if p.OnPrem.Policy == "" {
		p.OnPrem.Policy = ForwardOnly
	}
	if p.Cluster.Access == "" {
		p.Cluster.Access = AccessPrivate
	}
	if p.Cluster.Family == "" {
		p.Cluster.Family = IPv4
	}
	if p.Cluster.Domain.IsZero() {
		p.Cluster.Domain = Domain{name: DefaultClusterDomain}
	}
}

// defaulted returns a copy of p with Default applied, sharing no memory
// Default writes: every entry point reads the plan through it, so a zero
// field means its default and the caller's plan is never changed.
func (p Plan) defaulted() Plan {
	p.Rules = slices.Clone(p.Rules)
	for i := range p.Rules {
		p.Rules[i].VPCIDs = slices.Clone(p.Rules[i].VPCIDs)
	}
	p.Default()
	return p
}

// forwardTargets returns where the site sends ForwardToAWS: the override,
// or the inbound endpoint's IPs.
func (p Plan) forwardTargets() []netip.Addr {
	if len(p.OnPrem.ForwardTargets) > 0 {
		return p.OnPrem.ForwardTargets
	}
	var out []netip.Addr
	if p.Inbound != nil {
		for _, ip := range p.Inbound.IPs {
			out = append(out, ip.IP)
		}
	}
	return out
}

// forwardRules returns the FORWARD rules: the on-premises zones.
func (p Plan) forwardRules() []Rule {
	var out []Rule
	for _, r := range p.Rules {
		if r.Type == RuleForward || r.Type == "" {
			out = append(out, r)
		}
	}
	return out
}

// ParsePlan decodes a YAML or JSON plan strictly: every unknown key and
// every value its type refuses — each domain name, address and prefix —
// is reported with its path, and nothing is returned on error. It does not
// Default or Validate.
func ParsePlan(data []byte) (Plan, error) {
	var p Plan
	errs, err := strict.DecodeYAML(data, &p, nil)
	if err != nil {
		return Plan{}, fmt.Errorf("dnsplan: %w", err)
	}
	if err := ivalidation.ToError("dnsplan", errs); err != nil {
		return Plan{}, err
	}
	return p, nil
}
