package netplan

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/internal/shellscript"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// RemoteNetworkConfig is the cluster's remoteNetworkConfig, shaped like the
// EKS API (RemoteNetworkConfigRequest) and the JSON that
// `aws eks create-cluster --remote-network-config` and
// `aws eks update-cluster-config --remote-network-config` take.
//
// Each list holds at most one item whose cidrs list every block ("Array
// Members: Maximum number of 1 item"), and an update replaces the whole
// list (EKS API reference, RemoteNetworkConfigRequest).
type RemoteNetworkConfig struct {
	RemoteNodeNetworks []RemoteNetwork `json:"remoteNodeNetworks,omitempty"`
	RemotePodNetworks  []RemoteNetwork `json:"remotePodNetworks,omitempty"`
}

// RemoteNetwork is RemoteNodeNetwork or RemotePodNetwork: a list of CIDRs.
type RemoteNetwork struct {
	CIDRs []string `json:"cidrs"`
}

// RemoteNetworkConfig returns the plan's remote networks as the cluster's
// remoteNetworkConfig. The plan must validate.
func (p Plan) RemoteNetworkConfig() (RemoteNetworkConfig, error) {
	if err := p.Validate(); err != nil {
		return RemoteNetworkConfig{}, err
	}
	var c RemoteNetworkConfig
	if ps := p.Prefixes(RoleRemoteNode); len(ps) > 0 {
		c.RemoteNodeNetworks = []RemoteNetwork{{CIDRs: cidrStrings(ps)}}
	}
	if ps := p.Prefixes(RoleRemotePod); len(ps) > 0 {
		c.RemotePodNetworks = []RemoteNetwork{{CIDRs: cidrStrings(ps)}}
	}
	return c, nil
}

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (c RemoteNetworkConfig) Validate() error {
	return ivalidation.ToError("netplan", c.ValidateAt(nil))
}

// ValidateAt checks a RemoteNetworkConfig on its own: at most one item per
// list, canonical private IPv4 CIDRs between /8 and /32, none overlapping.
func (c RemoteNetworkConfig) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	var all []netip.Prefix
	var paths []*field.Path
	for _, l := range []struct {
		name string
		nets []RemoteNetwork
	}{{"remoteNodeNetworks", c.RemoteNodeNetworks}, {"remotePodNetworks", c.RemotePodNetworks}} {
		lp := fp.Child(l.name)
		if len(l.nets) > 1 {
			errs = append(errs, field.TooMany(lp, len(l.nets), 1))
		}
		for i, n := range l.nets {
			if len(n.CIDRs) == 0 {
				errs = append(errs, field.Required(lp.Index(i).Child("cidrs"), "at least one CIDR"))
			}
			for j, s := range n.CIDRs {
				cp := lp.Index(i).Child("cidrs").Index(j)
				pfx, err := ParsePrefix(s)
				switch {
				case err != nil:
					errs = append(errs, field.Invalid(cp, s, strings.TrimPrefix(err.Error(), "netplan: ")))
				case !within(pfx, append(rfc1918(), CGNAT())):
					errs = append(errs, field.Invalid(cp, s, "must be private and between /8 and /32"))
				default:
					all, paths = append(all, pfx), append(paths, cp)
				}
			}
		}
	}
	for _, pr := range OverlappingPairs(all) {
		errs = append(errs, field.Invalid(paths[pr.J], all[pr.J].String(), fmt.Sprintf("overlaps %s (%s)", all[pr.I], paths[pr.I])))
	}
	return errs
}

// JSON returns the --remote-network-config argument.
func (c RemoteNetworkConfig) JSON() ([]byte, error) {
	if err := ivalidation.ToError("netplan", c.ValidateAt(nil)); err != nil {
		return nil, err
	}
	return json.Marshal(c)
}

// Connection is how the site reaches the VPC.
type Connection string

// Connections.
const (
	// ConnectionDirectConnect is a Direct Connect gateway associated with
	// the Transit Gateway over a transit virtual interface.
	ConnectionDirectConnect Connection = "direct-connect"
	// ConnectionVPN is an AWS Site-to-Site VPN attached to the Transit
	// Gateway.
	ConnectionVPN Connection = "vpn"
)

// Connectivity describes the AWS resources between the site and the VPC:
// a Transit Gateway attached to the VPC and reached from the site over
// Direct Connect or VPN. AWS resource IDs that already exist are inputs;
// resources the script creates are referred to by the variables it sets.
type Connectivity struct {
	Connection Connection `json:"connection"`
	// Region is the AWS Region ("ap-northeast-2").
	Region string `json:"region"`
	// VPCID and SubnetIDs (one per Availability Zone) attach the Transit
	// Gateway to the VPC.
	VPCID     string   `json:"vpcId"`
	SubnetIDs []string `json:"subnetIds"`
	// SubnetAZs, when given, are the Availability Zones of SubnetIDs, in
	// the same order: an attachment takes one subnet per zone (AWS refuses
	// two with DuplicateSubnetsInSameZone).
	SubnetAZs []string `json:"subnetAzs,omitempty"`
	// RouteTableIDs are the VPC route tables that must send the remote
	// networks to the Transit Gateway.
	RouteTableIDs []string `json:"routeTableIds"`
	// TransitGatewayASN is the Transit Gateway's Amazon-side ASN (default
	// 64512).
	TransitGatewayASN int64 `json:"transitGatewayAsn,omitempty"`
	// DirectConnect configures the Direct Connect gateway.
	DirectConnect *DirectConnect `json:"directConnect,omitempty"`
	// VPN configures the customer gateway and tunnels.
	VPN *VPN `json:"vpn,omitempty"`
	// ExistingRoutes are routes already in the VPC route tables; a route
	// more specific than (or equal to) a remote network that points
	// elsewhere would take its traffic.
	ExistingRoutes []VPCRoute `json:"existingRoutes,omitempty"`
	// SiteDestinations are addresses on the site, outside the remote
	// networks, that traffic from the VPC goes to: the DNS servers the
	// Resolver outbound endpoint and CoreDNS forward to, the NFS servers
	// cloud pods mount. Each is routed to the Transit Gateway like a
	// remote network, and the site must announce it.
	SiteDestinations []SiteDestination `json:"siteDestinations,omitempty"`
}

// SiteDestination is a site prefix the VPC sends traffic to, and why.
type SiteDestination struct {
	Prefix  netip.Prefix `json:"prefix"`
	Purpose string       `json:"purpose"`
}

// DirectConnect is a Direct Connect gateway.
type DirectConnect struct {
	// GatewayName names the Direct Connect gateway the script creates.
	GatewayName string `json:"gatewayName"`
	// ASN is its Amazon-side ASN; it must differ from the Transit Gateway's.
	ASN int64 `json:"asn"`
}

// VPN is a Site-to-Site VPN connection.
type VPN struct {
	// CustomerGatewayIP is the public address of the on-premises device.
	CustomerGatewayIP netip.Addr `json:"customerGatewayIp"`
	// CustomerASN is the on-premises BGP ASN.
	CustomerASN int64 `json:"customerAsn"`
	// TunnelInsideCIDRs are the two tunnels' /30s from 169.254.0.0/16;
	// empty lets AWS choose.
	TunnelInsideCIDRs []netip.Prefix `json:"tunnelInsideCidrs,omitempty"`
}

// VPCRoute is one entry of a VPC route table.
type VPCRoute struct {
	RouteTableID string       `json:"routeTableId"`
	Destination  netip.Prefix `json:"destination"`
	// Target is "transit-gateway" for routes the plan creates, or the ID
	// of an existing target (igw-…, nat-…, pcx-…, tgw-…).
	Target string `json:"target"`
	// Purpose says which flow the route carries (planned routes only).
	Purpose string `json:"purpose,omitempty"`
}

// RoutingPlan is what must be routed where.
type RoutingPlan struct {
	// VPCRoutes send every remote network to the Transit Gateway, in each
	// route table.
	VPCRoutes []VPCRoute `json:"vpcRoutes"`
	// AdvertiseToSite are the prefixes AWS announces to the site (the VPC
	// CIDRs): the Direct Connect gateway's allowed prefixes, or what the
	// VPN's BGP session advertises.
	AdvertiseToSite []netip.Prefix `json:"advertiseToSite"`
	// SiteMustAdvertise are the prefixes on-premises routers must announce
	// to AWS: the remote node and pod networks.
	SiteMustAdvertise []netip.Prefix `json:"siteMustAdvertise"`
	// ASNs are the BGP ASNs of the Transit Gateway, the Direct Connect
	// gateway and the customer gateway (0 when unused).
	TransitGatewayASN int64 `json:"transitGatewayAsn"`
	DirectConnectASN  int64 `json:"directConnectAsn,omitempty"`
	CustomerASN       int64 `json:"customerAsn,omitempty"`
}

// routeTargetPrefixes are the ID prefixes of VPC route targets: internet,
// NAT, transit and virtual private gateways, peering connections, network
// interfaces, gateway endpoints, carrier and local gateways (EC2 API
// reference, Route).
func routeTargetPrefixes() []string {
	return []string{"igw", "nat", "pcx", "tgw", "vgw", "eni", "vpce", "cagw", "lgw"}
}

func isRouteTarget(s string) bool {
	return slices.ContainsFunc(routeTargetPrefixes(), func(p string) bool { return ivalidation.IsResourceID(s, p) })
}

// validDXGatewayName reports whether s can name a Direct Connect gateway:
// 1 to 100 letters, digits, spaces, periods, underscores and hyphens.
func validDXGatewayName(s string) bool { return ivalidation.IsName(s, 100, " ._-") }

// privateASN reports whether n is in the private ASN ranges AWS accepts for
// Amazon-side ASNs: 64512–65534 and 4200000000–4294967294 (EC2 API,
// TransitGatewayRequestOptions.AmazonSideAsn; Direct Connect
// CreateDirectConnectGateway).
func privateASN(n int64) bool {
	return n >= 64512 && n <= 65534 || n >= 4200000000 && n <= 4294967294
}

// reservedTunnelCIDRs are the /30s AWS refuses as tunnel inside CIDRs
// (EC2 API, VpnTunnelOptionsSpecification.TunnelInsideCidr).
func reservedTunnelCIDRs() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{"169.254.0.0/30", "169.254.1.0/30", "169.254.2.0/30", "169.254.3.0/30", "169.254.4.0/30", "169.254.5.0/30", "169.254.169.252/30"} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

// Default fills TransitGatewayASN (64512).
func (c *Connectivity) Default() {
	if c.TransitGatewayASN == 0 {
		c.TransitGatewayASN = 64512
	}
}

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (c Connectivity) Validate() error { return ivalidation.ToError("netplan", c.ValidateAt(nil)) }

// ValidateAt checks the connectivity description.
func (c Connectivity) ValidateAt(fp *field.Path) field.ErrorList {
	c.Default()
	var errs field.ErrorList
	errs = append(errs, ivalidation.Region(fp.Child("region"), c.Region)...)
	errs = append(errs, ivalidation.ResourceID(fp.Child("vpcId"), c.VPCID, "vpc")...)
	if len(c.SubnetIDs) == 0 {
		errs = append(errs, field.Required(fp.Child("subnetIds"), "one subnet per Availability Zone for the Transit Gateway attachment"))
	}
	for i, s := range c.SubnetIDs {
		errs = append(errs, ivalidation.ResourceID(fp.Child("subnetIds").Index(i), s, "subnet")...)
	}
	if len(c.SubnetAZs) > 0 {
		if len(c.SubnetAZs) != len(c.SubnetIDs) {
			errs = append(errs, field.Invalid(fp.Child("subnetAzs"), len(c.SubnetAZs), fmt.Sprintf("must name the zone of each of the %d subnets", len(c.SubnetIDs))))
		}
		for i, az := range c.SubnetAZs {
			if j := slices.Index(c.SubnetAZs[:i], az); j >= 0 && i < len(c.SubnetIDs) {
				errs = append(errs, field.Invalid(fp.Child("subnetIds").Index(i), c.SubnetIDs[i],
					fmt.Sprintf("is in %s like subnetIds[%d]: a Transit Gateway VPC attachment takes one subnet per Availability Zone (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html)", az, j)))
			}
		}
	}
	if len(c.RouteTableIDs) == 0 {
		errs = append(errs, field.Required(fp.Child("routeTableIds"), "the VPC route tables that must reach the remote networks"))
	}
	for i, s := range c.RouteTableIDs {
		errs = append(errs, ivalidation.ResourceID(fp.Child("routeTableIds").Index(i), s, "rtb")...)
	}
	for i, d := range c.SiteDestinations {
		dp := fp.Child("siteDestinations").Index(i)
		if !d.Prefix.IsValid() || !d.Prefix.Addr().Is4() {
			errs = append(errs, field.Required(dp.Child("prefix"), "an IPv4 prefix on the site"))
		}
		errs = append(errs, ivalidation.PlainText(dp.Child("purpose"), d.Purpose)...)
	}
	errs = append(errs, ValidateLink(fp, c.Connection, c.TransitGatewayASN, c.DirectConnect, c.VPN)...)
	for i, r := range c.ExistingRoutes {
		rp := fp.Child("existingRoutes").Index(i)
		errs = append(errs, ivalidation.ResourceID(rp.Child("routeTableId"), r.RouteTableID, "rtb")...)
		errs = append(errs, ValidatePrefix(rp.Child("destination"), r.Destination)...)
		if !isRouteTarget(r.Target) {
			errs = append(errs, field.Invalid(rp.Child("target"), r.Target, "must be a route target ID (igw-, nat-, pcx-, tgw-, vgw-, eni-, vpce-, …)"))
		}
	}
	return errs
}

// MaxBgpAsn is the largest ASN CreateCustomerGateway takes in BgpAsn, a
// 32-bit signed integer; a larger one (up to 4294967295) goes in
// BgpAsnExtended, which takes only those ("If the ASN is larger than
// 2,147,483,647, you must use BgpAsnExtended", EC2 API reference,
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateCustomerGateway.html).
const MaxBgpAsn = 2147483647

// CustomerASNFlag returns the create-customer-gateway option that takes
// asn: --bgp-asn up to MaxBgpAsn, --bgp-asn-extended above.
func CustomerASNFlag(asn int64) string {
	if asn > MaxBgpAsn {
		return "--bgp-asn-extended"
	}
	return "--bgp-asn"
}

// transitGatewayTarget marks routes to the Transit Gateway the plan creates.
const transitGatewayTarget = "transit-gateway"

// PlanRouting derives the routes and BGP announcements from the plan: every
// remote node and pod network, and every site destination outside them
// (c.SiteDestinations), routed to the Transit Gateway from every VPC route
// table with the flow it carries, the VPC CIDRs announced to the site and
// all of those announced from it. It reports every remote network an existing, equal or
// more specific route would take away, and every ASN conflict.
func PlanRouting(plan Plan, c Connectivity) (RoutingPlan, error) {
	c.Default()
	var errs field.ErrorList
	errs = append(errs, plan.ValidateAt(field.NewPath("plan"))...)
	errs = append(errs, c.ValidateAt(field.NewPath("connectivity"))...)
	for i, d := range c.SiteDestinations {
		for _, v := range plan.Prefixes(RoleVPC) {
			if d.Prefix.IsValid() && v.Overlaps(d.Prefix) {
				errs = append(errs, field.Invalid(field.NewPath("connectivity", "siteDestinations").Index(i).Child("prefix"), d.Prefix.String(), "is inside the VPC "+v.String()+", not on the site"))
			}
		}
	}
	if len(errs) > 0 {
		return RoutingPlan{}, ivalidation.ToError("netplan", errs)
	}
	type dest struct {
		prefix  netip.Prefix
		purpose string
	}
	var dests []dest
	for _, p := range plan.Prefixes(RoleRemoteNode) {
		dests = append(dests, dest{p, "the remote node network: the control plane to the kubelets, cloud pods to hybrid nodes"})
	}
	for _, p := range plan.Prefixes(RoleRemotePod) {
		dests = append(dests, dest{p, "the remote pod network: webhooks and services on hybrid pods"})
	}
	remote := append(plan.Prefixes(RoleRemoteNode), plan.Prefixes(RoleRemotePod)...)
	for _, d := range c.SiteDestinations {
		// A destination inside a remote network is routed already.
		if !slices.ContainsFunc(remote, func(p netip.Prefix) bool { return p.Overlaps(d.Prefix) && p.Bits() <= d.Prefix.Bits() }) {
			dests = append(dests, dest{d.Prefix.Masked(), d.Purpose})
		}
	}
	r := RoutingPlan{
		AdvertiseToSite:   plan.Prefixes(RoleVPC),
		TransitGatewayASN: c.TransitGatewayASN,
	}
	for _, d := range dests {
		if !slices.Contains(r.SiteMustAdvertise, d.prefix) {
			r.SiteMustAdvertise = append(r.SiteMustAdvertise, d.prefix)
		}
	}
	if c.DirectConnect != nil {
		r.DirectConnectASN = c.DirectConnect.ASN
	}
	if c.VPN != nil {
		r.CustomerASN = c.VPN.CustomerASN
	}
	for _, rtb := range c.RouteTableIDs {
		seen := map[netip.Prefix]int{}
		for _, d := range dests {
			if i, dup := seen[d.prefix]; dup {
				// Two flows to one address share the route.
				r.VPCRoutes[i].Purpose += "; " + d.purpose
				continue
			}
			seen[d.prefix] = len(r.VPCRoutes)
			r.VPCRoutes = append(r.VPCRoutes, VPCRoute{RouteTableID: rtb, Destination: d.prefix, Target: transitGatewayTarget, Purpose: d.purpose})
		}
	}
	errs = append(errs, r.conflicts(c.ExistingRoutes)...)
	if len(errs) > 0 {
		return RoutingPlan{}, ivalidation.ToError("netplan", errs)
	}
	return r, nil
}

// conflicts reports existing routes that are equal to, or more specific
// than, a planned route in the same table and point elsewhere: longest
// prefix match would send (part of) the remote network there.
func (r RoutingPlan) conflicts(existing []VPCRoute) field.ErrorList {
	var errs field.ErrorList
	for i, e := range existing {
		for _, want := range r.VPCRoutes {
			if e.RouteTableID != want.RouteTableID || e.Target == want.Target {
				continue
			}
			if e.Destination.Bits() >= want.Destination.Bits() && want.Destination.Contains(e.Destination.Addr()) {
				errs = append(errs, field.Invalid(field.NewPath("connectivity", "existingRoutes").Index(i), e.Destination.String(),
					fmt.Sprintf("in %s this route to %s is at least as specific as the remote network %s, so longest-prefix match sends that traffic to %s instead of the Transit Gateway", e.RouteTableID, e.Target, want.Destination, e.Target)))
			}
		}
	}
	return errs
}

// Finding codes of the routing checks.
const (
	CodeStaticRoutesForVPN advice.Code = "netplan/vpn-needs-bgp"
	CodeDXAllowedPrefixes  advice.Code = "netplan/dx-allowed-prefixes"
)

// Lint reports what the routing plan leaves to people: announcing the
// remote networks from the site (BGP), and the Direct Connect allowed
// prefixes that must stay in step with the VPC CIDRs.
func (r RoutingPlan) Lint() []advice.Finding {
	var fs []advice.Finding
	remote := strings.Join(cidrStrings(r.SiteMustAdvertise), ", ")
	if r.CustomerASN != 0 {
		fs = append(fs, advice.Finding{Level: advice.Info, Code: CodeStaticRoutesForVPN, Field: field.NewPath("siteMustAdvertise").String(),
			Message: fmt.Sprintf("the on-premises VPN device (AS %d) must announce %s over BGP to the Transit Gateway (AS %d); without it, add static Transit Gateway routes to the VPN attachment", r.CustomerASN, remote, r.TransitGatewayASN),
			Ref:     "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html"})
	}
	if r.DirectConnectASN != 0 {
		fs = append(fs, advice.Finding{Level: advice.Info, Code: CodeDXAllowedPrefixes, Field: field.NewPath("advertiseToSite").String(),
			Message: fmt.Sprintf("the Direct Connect gateway announces only its allowed prefixes (%s); add each new VPC CIDR to the association, and have the site announce %s", strings.Join(cidrStrings(r.AdvertiseToSite), ", "), remote),
			Ref:     "https://docs.aws.amazon.com/directconnect/latest/UserGuide/allowed-to-prefixes.html"})
	}
	return fs
}

// waitAttempts × waitInterval seconds (15 minutes) bound each poll for a
// resource to become available.
const (
	waitAttempts = 90
	waitInterval = 10
)

// ConnectivityScript writes the AWS CLI commands that build the path: the
// Transit Gateway and its VPC attachment, then either the Direct Connect
// gateway and its association (with the VPC CIDRs as allowed prefixes) or
// the customer gateway and VPN connection, and finally one create-route per
// VPC route table entry. IDs the script creates are captured into
// variables; everything else is quoted by the shell writer.
//
// The routing plan must come from [PlanRouting] for the same connectivity;
// invalid connectivity or cluster name returns an error and no script.
func ConnectivityScript(c Connectivity, r RoutingPlan, clusterName string) ([]byte, error) {
	c.Default()
	errs := c.ValidateAt(field.NewPath("connectivity"))
	errs = append(errs, ivalidation.ClusterName(field.NewPath("clusterName"), clusterName)...)
	if len(r.VPCRoutes) == 0 {
		errs = append(errs, field.Required(field.NewPath("routing", "vpcRoutes"), "the routing plan from PlanRouting"))
	}
	if len(errs) > 0 {
		return nil, ivalidation.ToError("netplan", errs)
	}
	L := shellscript.Lit
	region := shellscript.Lits("--region", c.Region)
	tag := func(kind, name string) shellscript.Word {
		return L("ResourceType=" + kind + ",Tags=[{Key=Name,Value=" + name + "}]")
	}
	s := shellscript.New("Connectivity for the hybrid nodes of " + clusterName + ": Transit Gateway, " + string(c.Connection) + ", VPC routes.\nRun once; every command fails loudly (set -e).")
	s.Blank()
	s.Comment("Transit Gateway (Amazon-side ASN " + strconv.FormatInt(c.TransitGatewayASN, 10) + ").")
	s.Capture("TGW_ID", slices.Concat(shellscript.Lits("aws", "ec2", "create-transit-gateway",
		"--description", "hybrid nodes of "+clusterName,
		"--options", "AmazonSideAsn="+strconv.FormatInt(c.TransitGatewayASN, 10)+",AutoAcceptSharedAttachments=disable,DefaultRouteTableAssociation=enable,DefaultRouteTablePropagation=enable,DnsSupport=enable,VpnEcmpSupport=enable",
		"--tag-specifications"), []shellscript.Word{tag("transit-gateway", clusterName+"-tgw")},
		shellscript.Lits("--query", "TransitGateway.TransitGatewayId", "--output", "text"), region)...)
	// The EC2 CLI has no waiter for transit gateways or their attachments
	// (its waiters stop at VPN connections and customer gateways), so the
	// script polls describe-… for the "available" state.
	s.Comment("Wait until it is available (the EC2 CLI has no transit-gateway waiter).")
	s.WaitFor("available", waitAttempts, waitInterval, slices.Concat(shellscript.Lits("aws", "ec2", "describe-transit-gateways", "--transit-gateway-ids"), []shellscript.Word{shellscript.Ref("TGW_ID")},
		shellscript.Lits("--query", "TransitGateways[0].State", "--output", "text"), region)...)
	s.Blank()
	s.Comment("Attach the VPC (one subnet per Availability Zone).")
	s.Capture("TGW_VPC_ATTACHMENT_ID", slices.Concat(shellscript.Lits("aws", "ec2", "create-transit-gateway-vpc-attachment", "--transit-gateway-id"), []shellscript.Word{shellscript.Ref("TGW_ID")},
		shellscript.Lits("--vpc-id", c.VPCID, "--subnet-ids"), shellscript.Lits(c.SubnetIDs...),
		shellscript.Lits("--query", "TransitGatewayVpcAttachment.TransitGatewayAttachmentId", "--output", "text"), region)...)
	s.Blank()
	switch c.Connection {
	case ConnectionDirectConnect:
		d := c.DirectConnect
		s.Comment("Direct Connect gateway (ASN " + strconv.FormatInt(d.ASN, 10) + ", different from the Transit Gateway's), associated with the Transit Gateway.\nAllowed prefixes are what AWS announces to the site: the VPC CIDRs.")
		s.Capture("DXGW_ID", slices.Concat(shellscript.Lits("aws", "directconnect", "create-direct-connect-gateway",
			"--direct-connect-gateway-name", d.GatewayName, "--amazon-side-asn", strconv.FormatInt(d.ASN, 10),
			"--query", "directConnectGateway.directConnectGatewayId", "--output", "text"), region)...)
		args := slices.Concat(shellscript.Lits("aws", "directconnect", "create-direct-connect-gateway-association", "--direct-connect-gateway-id"), []shellscript.Word{shellscript.Ref("DXGW_ID")},
			shellscript.Lits("--gateway-id"), []shellscript.Word{shellscript.Ref("TGW_ID")}, shellscript.Lits("--add-allowed-prefixes-to-direct-connect-gateway"))
		for _, p := range r.AdvertiseToSite {
			args = append(args, L("cidr="+p.String()))
		}
		s.Run(append(args, region...)...)
		s.Comment("Then create a transit virtual interface on your Direct Connect connection to this gateway\n(aws directconnect create-transit-virtual-interface), with MTU 8500 for jumbo frames.")
	case ConnectionVPN:
		v := c.VPN
		s.Comment("Customer gateway (the on-premises device, AS " + strconv.FormatInt(v.CustomerASN, 10) + ") and the VPN connection to the Transit Gateway.")
		s.Capture("CGW_ID", slices.Concat(shellscript.Lits("aws", "ec2", "create-customer-gateway", "--type", "ipsec.1",
			"--ip-address", v.CustomerGatewayIP.String(), CustomerASNFlag(v.CustomerASN), strconv.FormatInt(v.CustomerASN, 10), "--tag-specifications"),
			[]shellscript.Word{tag("customer-gateway", clusterName+"-cgw")},
			shellscript.Lits("--query", "CustomerGateway.CustomerGatewayId", "--output", "text"), region)...)
		args := slices.Concat(shellscript.Lits("aws", "ec2", "create-vpn-connection", "--type", "ipsec.1", "--customer-gateway-id"), []shellscript.Word{shellscript.Ref("CGW_ID")},
			shellscript.Lits("--transit-gateway-id"), []shellscript.Word{shellscript.Ref("TGW_ID")})
		if len(v.TunnelInsideCIDRs) == 2 {
			opts, err := json.Marshal(map[string]any{"TunnelOptions": []map[string]string{
				{"TunnelInsideCidr": v.TunnelInsideCIDRs[0].String()}, {"TunnelInsideCidr": v.TunnelInsideCIDRs[1].String()},
			}})
			if err != nil {
				return nil, err
			}
			args = append(args, L("--options"), L(string(opts)))
		}
		args = append(args, shellscript.Lits("--query", "VpnConnection.VpnConnectionId", "--output", "text")...)
		s.Capture("VPN_ID", append(args, region...)...)
		s.Comment("The tunnels come up once the VPN connection is available; its customer gateway configuration\n(aws ec2 describe-vpn-connections) then holds what the on-premises device needs.")
		s.WaitFor("available", waitAttempts, waitInterval, slices.Concat(shellscript.Lits("aws", "ec2", "describe-vpn-connections", "--vpn-connection-ids"), []shellscript.Word{shellscript.Ref("VPN_ID")},
			shellscript.Lits("--query", "VpnConnections[0].State", "--output", "text"), region)...)
	}
	s.Blank()
	s.Comment("VPC routes: every remote node and pod network goes to the Transit Gateway.")
	s.WaitFor("available", waitAttempts, waitInterval, slices.Concat(shellscript.Lits("aws", "ec2", "describe-transit-gateway-vpc-attachments", "--transit-gateway-attachment-ids"), []shellscript.Word{shellscript.Ref("TGW_VPC_ATTACHMENT_ID")},
		shellscript.Lits("--query", "TransitGatewayVpcAttachments[0].State", "--output", "text"), region)...)
	for _, rt := range r.VPCRoutes {
		s.Run(slices.Concat(shellscript.Lits("aws", "ec2", "create-route", "--route-table-id", rt.RouteTableID, "--destination-cidr-block", rt.Destination.String(),
			"--transit-gateway-id"), []shellscript.Word{shellscript.Ref("TGW_ID")}, region)...)
	}
	return s.Bytes()
}

// ClusterNetworkScript writes the commands that turn on hybrid nodes for an
// existing cluster: update-cluster-config with the remote network config.
// An update replaces the whole remoteNetworkConfig, so the script always
// sends every remote network of the plan.
//
// An invalid plan, cluster name or region returns an error and no script.
func ClusterNetworkScript(plan Plan, clusterName, region string) ([]byte, error) {
	errs := ivalidation.ClusterName(field.NewPath("clusterName"), clusterName)
	errs = append(errs, ivalidation.Region(field.NewPath("region"), region)...)
	if len(errs) > 0 {
		return nil, ivalidation.ToError("netplan", errs)
	}
	rnc, err := plan.RemoteNetworkConfig()
	if err != nil {
		return nil, err
	}
	js, err := rnc.JSON()
	if err != nil {
		return nil, err
	}
	s := shellscript.New("Remote networks of " + clusterName + " (EKS Hybrid Nodes).\nupdate-cluster-config replaces the whole list: this sends every remote network of the plan.")
	s.Run(shellscript.Lits("aws", "eks", "update-cluster-config", "--name", clusterName, "--region", region, "--remote-network-config", string(js))...)
	return s.Bytes()
}

// cidrStrings formats prefixes.
func cidrStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// ValidateLink checks the link between the site and AWS: the connection
// kind, the Transit Gateway's ASN (0 means 64512), and the Direct Connect
// gateway for direct-connect or the VPN for vpn (the other must be nil).
// It reports at fp's children connection, transitGatewayAsn,
// directConnect and vpn, the names Connectivity uses, so a caller with
// the same fields passes its own path.
func ValidateLink(fp *field.Path, conn Connection, asn int64, dx *DirectConnect, vpn *VPN) field.ErrorList {
	var errs field.ErrorList
	if asn == 0 {
		asn = 64512
	}
	if !privateASN(asn) {
		errs = append(errs, field.Invalid(fp.Child("transitGatewayAsn"), asn, "must be a private ASN: 64512-65534 or 4200000000-4294967294"))
	}
	switch conn {
	case ConnectionDirectConnect:
		dp := fp.Child("directConnect")
		switch d := dx; {
		case d == nil:
			errs = append(errs, field.Required(dp, "the Direct Connect gateway"))
		default:
			if !validDXGatewayName(d.GatewayName) {
				errs = append(errs, field.Invalid(dp.Child("gatewayName"), d.GatewayName, "1 to 100 letters, digits, spaces and ._-"))
			}
			switch {
			case !privateASN(d.ASN):
				errs = append(errs, field.Invalid(dp.Child("asn"), d.ASN, "must be a private ASN: 64512-65534 or 4200000000-4294967294"))
			case d.ASN == asn:
				errs = append(errs, field.Invalid(dp.Child("asn"), d.ASN, "must differ from the Transit Gateway's ASN: a transit gateway and the Direct Connect gateway it is associated with need different ASNs"))
			}
		}
		if vpn != nil {
			errs = append(errs, field.Forbidden(fp.Child("vpn"), "the connection is direct-connect"))
		}
	case ConnectionVPN:
		vp := fp.Child("vpn")
		switch v := vpn; {
		case v == nil:
			errs = append(errs, field.Required(vp, "the customer gateway and tunnels"))
		default:
			if !v.CustomerGatewayIP.Is4() || v.CustomerGatewayIP.IsPrivate() || v.CustomerGatewayIP.IsLoopback() || v.CustomerGatewayIP.IsUnspecified() {
				errs = append(errs, field.Invalid(vp.Child("customerGatewayIp"), v.CustomerGatewayIP.String(), "must be the public IPv4 address of the on-premises VPN device"))
			}
			switch {
			case v.CustomerASN < 1 || v.CustomerASN > 4294967294:
				errs = append(errs, field.Invalid(vp.Child("customerAsn"), v.CustomerASN, "must be an ASN between 1 and 4294967294"))
			case v.CustomerASN == asn:
				errs = append(errs, field.Invalid(vp.Child("customerAsn"), v.CustomerASN, "must differ from the Transit Gateway's ASN"))
			}
			if n := len(v.TunnelInsideCIDRs); n != 0 && n != 2 {
				errs = append(errs, field.Invalid(vp.Child("tunnelInsideCidrs"), n, "a VPN connection has two tunnels: give two /30s or none"))
			}
			linkLocal := netip.MustParsePrefix("169.254.0.0/16")
			for i, t := range v.TunnelInsideCIDRs {
				tp := vp.Child("tunnelInsideCidrs").Index(i)
				switch {
				case ValidatePrefix(tp, t) != nil:
					errs = append(errs, ValidatePrefix(tp, t)...)
				case t.Bits() != 30 || !linkLocal.Contains(t.Addr()):
					errs = append(errs, field.Invalid(tp, t.String(), "must be a /30 from 169.254.0.0/16"))
				case slices.Contains(reservedTunnelCIDRs(), t):
					errs = append(errs, field.Invalid(tp, t.String(), "is reserved by AWS (169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30)"))
				}
			}
			if len(v.TunnelInsideCIDRs) == 2 && v.TunnelInsideCIDRs[0].Overlaps(v.TunnelInsideCIDRs[1]) {
				errs = append(errs, field.Invalid(vp.Child("tunnelInsideCidrs").Index(1), v.TunnelInsideCIDRs[1].String(), "overlaps the other tunnel"))
			}
		}
		if dx != nil {
			errs = append(errs, field.Forbidden(fp.Child("directConnect"), "the connection is vpn"))
		}
	default:
		errs = append(errs, field.NotSupported(fp.Child("connection"), conn, []Connection{ConnectionDirectConnect, ConnectionVPN}))
	}
	return errs
}
