// Package dnsplan designs the DNS between an EKS cluster's VPC and the site
// of its hybrid nodes, and renders it for every resolver involved.
//
// A Plan holds the Route 53 Resolver endpoints (inbound: the site asks
// AWS; outbound: AWS asks the site), the rules that send on-premises zones
// to the site's DNS servers and the VPCs they are associated with, what
// the site's resolvers forward to AWS, and the cluster's DNS settings.
// Names are Domains, parsed once and refused if a renderer would have to
// escape them.
//
//	p := dnsplan.Plan{Region: "ap-northeast-2", VPCID: "vpc-0a1b2c3d", …}
//	p.Default()
//	if errs := p.Validate(); errs != nil { … }   // Route 53 Resolver's rules
//	findings := p.Lint()                         // .local, forward first, …
//	zones, err := dnsplan.RenderBINDZones(p)     // named.conf forward zones
//
// Renderers, each with its own escaping writer: RenderBINDZones and
// RenderBINDOptions (BIND), RenderUnbound, RenderDnsmasq, RenderResolved
// (the Ubuntu nodes' systemd-resolved drop-in), RenderCorefile and
// CoreDNSConfigMap (the cluster's CoreDNS with stub domains), AWSScript and
// Plan.Requests (the AWS CLI commands, or the same as data for the SDK:
// endpoints, rules, and the associations without which a rule does
// nothing), and VerifyCommands. ParseCorefile and Corefile.Check read a
// Corefile the way CoreDNS does before it starts.
//
// Sources: the Route 53 Resolver API and quotas
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverEndpoint.html,
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html),
// the BIND 9 and Unbound references
// (https://bind9.readthedocs.io/en/latest/reference.html,
// https://unbound.docs.nlnetlabs.nl/en/latest/manpages/unbound.conf.html),
// CoreDNS's plugins (https://coredns.io/plugins/) and RFC 6762.
package dnsplan
