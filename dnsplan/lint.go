package dnsplan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// Finding codes of Lint.
const (
	CodeLocalDomain          advice.Code = "dnsplan/local-domain"
	CodeForwardFirst         advice.Code = "dnsplan/forward-first"
	CodeDNSSECExceptions     advice.Code = "dnsplan/dnssec-exceptions"
	CodePublicAndPrivate     advice.Code = "dnsplan/public-and-private-endpoint"
	CodePrivateEndpoint      advice.Code = "dnsplan/private-endpoint-resolves-publicly"
	CodeIPv6EndpointNames    advice.Code = "dnsplan/ipv6-endpoint-names"
	CodeEndpointIPQuota      advice.Code = "dnsplan/endpoint-ip-quota"
	CodeSingleAZ             advice.Code = "dnsplan/single-availability-zone"
	CodeBroadForward         advice.Code = "dnsplan/broad-forward"
	CodeSystemRuleUnattached advice.Code = "dnsplan/system-rule-outside-forward"
	CodeRuleNotAssociated    advice.Code = "dnsplan/rule-not-associated"
	CodeRuleLoop             advice.Code = "dnsplan/rule-loop"
)

// Sources of the rule findings.
const (
	refAssociate = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-rules-managing.html#resolver-rules-managing-associating-rules"
	refLoop      = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/best-practices-resolver-endpoints.html"
)

// Lint reports what is legal but will misbehave. It reads the plan with
// its defaults, as every entry point does.
func (p Plan) Lint() []advice.Finding {
	p = p.defaulted()
	var fs []advice.Finding
	add := func(l advice.Level, code advice.Code, at *field.Path, ref, format string, args ...any) {
		fs = append(fs, advice.Finding{Level: l, Code: code, Field: at.String(), Message: fmt.Sprintf(format, args...), Ref: ref})
	}
	forwards := newDomainIndex(p.OnPrem.ForwardToAWS)
	var zones []Domain
	for _, r := range p.Rules {
		if r.Type == RuleForward {
			zones = append(zones, r.Domain)
		}
	}
	forwardZones := newDomainIndex(zones)
	const rfc6762 = "https://www.rfc-editor.org/rfc/rfc6762#section-3"
	for i, r := range p.Rules {
		if len(r.VPCIDs) == 0 {
			add(advice.Error, CodeRuleNotAssociated, field.NewPath("rules").Index(i).Child("vpcIds"), refAssociate,
				"the rule for %s is associated with no VPC, so it forwards nothing: a rule acts only in the VPCs it is associated with (aws route53resolver associate-resolver-rule); the adoption guide creates the rule and never associates it", r.Domain)
		}
		if loop, d := p.loops(r, forwards); loop {
			add(advice.Error, CodeRuleLoop, field.NewPath("rules").Index(i).Child("vpcIds"), refLoop,
				"the rule for %s is associated with %s, which holds the inbound endpoint the site forwards %s to: queries go round between the endpoints and the site until they time out", r.Domain, p.VPCID, d)
		}
		if r.Domain.TLD() == "local" {
			add(advice.Warning, CodeLocalDomain, field.NewPath("rules").Index(i).Child("domain"), rfc6762,
				"%s is under .local, which RFC 6762 reserves for multicast DNS: systemd-resolved on Ubuntu nodes sends it to mDNS, not to your DNS servers, unless it is a routing domain (the rendered resolved drop-in sets Domains=~%s); for new zones use a name under .internal (reserved for private use by ICANN, 2024)", r.Domain, r.Domain)
		}
		if r.Type == RuleSystem && !forwardZones.within(r.Domain) {
			add(advice.Warning, CodeSystemRuleUnattached, field.NewPath("rules").Index(i).Child("domain"), "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html",
				"the SYSTEM rule for %s is not inside any FORWARD rule's domain, so it changes nothing", r.Domain)
		}
	}
	for i, d := range p.OnPrem.ForwardToAWS {
		if d.TLD() == "local" {
			add(advice.Warning, CodeLocalDomain, field.NewPath("onPrem", "forwardToAws").Index(i), rfc6762, "%s is under .local, reserved for multicast DNS (RFC 6762)", d)
		}
		if s := d.String(); s == "amazonaws.com" || s == "eks.amazonaws.com" || s == "api.aws" {
			add(advice.Info, CodeBroadForward, field.NewPath("onPrem", "forwardToAws").Index(i), "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
				"forwarding all of %s sends every EKS and AWS API name (other clusters, eks.%s.amazonaws.com, hybrid-assets.eks.amazonaws.com) through the inbound endpoint: it works, but costs endpoint capacity; forward the cluster's endpoint name instead", d, cmp.Or(p.Region, "<region>"))
		}
	}
	if p.OnPrem.Policy == ForwardFirst && len(p.OnPrem.ForwardToAWS) > 0 {
		add(advice.Warning, CodeForwardFirst, field.NewPath("onPrem", "policy"), "https://bind9.readthedocs.io/en/latest/reference.html#namedconf-statement-forward",
			"forward first: when the inbound endpoint does not answer, the site's resolvers look the private names up on the internet themselves, leaking the queries and caching NXDOMAIN; use only")
	}
	if p.OnPrem.DNSSECValidation && len(p.OnPrem.ForwardToAWS) > 0 {
		var names []string
		for _, d := range p.OnPrem.ForwardToAWS {
			names = append(names, d.String())
		}
		add(advice.Info, CodeDNSSECExceptions, field.NewPath("onPrem", "dnssecValidation"), "https://bind9.readthedocs.io/en/latest/reference.html#namedconf-statement-validate-except",
			"the site's resolvers validate DNSSEC and the forwarded private answers are unsigned: the BIND options carry validate-except and the Unbound config domain-insecure for %s", strings.Join(names, ", "))
	}
	host := p.Cluster.EndpointHost
	switch p.Cluster.Access {
	case AccessPublicAndPrivate:
		if host.IsZero() || !forwarded(p.OnPrem.ForwardToAWS, host) {
			add(advice.Warning, CodePublicAndPrivate, field.NewPath("cluster", "access"), "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-concepts-kubernetes.html",
				"with public and private endpoint access, on-premises resolvers get the endpoint's public addresses, so hybrid nodes reach the API over the internet; use either public or private access, or forward the endpoint name to the inbound endpoint")
		}
	case AccessPrivate:
		if !host.IsZero() && forwarded(p.OnPrem.ForwardToAWS, host) {
			add(advice.Info, CodePrivateEndpoint, field.NewPath("onPrem", "forwardToAws"), "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
				"with private-only access, public DNS already resolves %s to its private addresses; forwarding it to the inbound endpoint is not required (it does no harm)", host)
		}
	}
	if p.Cluster.Family == IPv6 {
		hasAPIAWS := false
		for _, d := range p.OnPrem.ForwardToAWS {
			if d.Within(MustParseDomain("api.aws")) {
				hasAPIAWS = true
			}
		}
		if !hasAPIAWS && (host.IsZero() || !host.Within(MustParseDomain("api.aws"))) {
			add(advice.Warning, CodeIPv6EndpointNames, field.NewPath("cluster", "family"), "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
				"IPv6 clusters created since October 2024 have endpoint names under api.aws (eks-cluster.%s.api.aws), which a forwarder for eks.amazonaws.com does not cover", p.Region)
		}
	}
	for _, e := range []struct {
		name string
		ep   *Endpoint
	}{{"inbound", p.Inbound}, {"outbound", p.Outbound}} {
		if e.ep == nil {
			continue
		}
		if n := len(e.ep.IPs); n > EndpointIPQuota {
			add(advice.Warning, CodeEndpointIPQuota, field.NewPath(e.name, "ips"), "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html",
				"%d IP addresses: the default quota is %d per endpoint; request an increase before creating it", n, EndpointIPQuota)
		}
		azs := map[string]bool{}
		for _, ip := range e.ep.IPs {
			azs[ip.AZ] = true
		}
		if len(e.ep.IPs) >= MinEndpointIPs && len(azs) < 2 {
			add(advice.Warning, CodeSingleAZ, field.NewPath(e.name, "ips"), "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-inbound-queries.html",
				"every address of the %s endpoint is in one Availability Zone: AWS recommends at least two, so an AZ outage does not take DNS down", e.name)
		}
	}
	return advice.Sort(fs)
}

func forwarded(ds []Domain, host Domain) bool {
	for _, d := range ds {
		if host.Within(d) {
			return true
		}
	}
	return false
}

// loops reports whether rule r forwards, from the VPC that holds the
// inbound endpoint, a domain the site sends to that endpoint — a query loop
// — and which forwarded domain it is; forwarded indexes
// p.OnPrem.ForwardToAWS.
func (p Plan) loops(r Rule, forwarded domainIndex) (bool, Domain) {
	if p.Inbound == nil || (r.Type != RuleForward && r.Type != "") || !slices.Contains(r.VPCIDs, p.VPCID) || p.VPCID == "" {
		return false, Domain{}
	}
	if i, ok := forwarded.overlapping(r.Domain); ok {
		return true, p.OnPrem.ForwardToAWS[i]
	}
	return false, Domain{}
}
