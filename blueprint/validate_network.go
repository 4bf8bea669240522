package blueprint

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/dnsplan"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
)

// validateCluster checks what the cluster's tags cannot: the endpoint
// name against the Region, and the service CIDR's rules.
func (b Blueprint) validateCluster(cp *field.Path) field.ErrorList {
	c := b.Cluster
	errs := netplan.RoleService.ValidatePrefix(cp.Child("serviceCidr"), c.ServiceCIDR)
	if !c.EndpointHost.IsZero() && ivalidation.IsRegion(c.Region) {
		errs = append(errs, dnsplan.ValidateEndpointHost(cp.Child("endpointHost"), c.EndpointHost, c.Region)...)
	}
	return errs
}

// validateVPC checks the VPC block and its subnets: each inside the VPC,
// in a zone of the cluster's Region, named once; two zones at least.
func (b Blueprint) validateVPC(vp *field.Path) field.ErrorList {
	errs := netplan.RoleVPC.ValidatePrefix(vp.Child("cidr"), b.VPC.CIDR)
	vpcOK := len(errs) == 0
	var zones []string
	for i, s := range b.VPC.Subnets {
		sp := vp.Child("subnets").Index(i)
		perrs := netplan.RoleSubnet.ValidatePrefix(sp.Child("cidr"), s.CIDR)
		errs = append(errs, perrs...)
		if len(perrs) == 0 && vpcOK && !(b.VPC.CIDR.Bits() <= s.CIDR.Bits() && b.VPC.CIDR.Contains(s.CIDR.Addr())) {
			errs = append(errs, field.Invalid(sp.Child("cidr"), s.CIDR.String(), "must lie inside the VPC's "+b.VPC.CIDR.String()))
		}
		if j := slices.IndexFunc(b.VPC.Subnets[:i], func(o Subnet) bool { return o.Name == s.Name }); j >= 0 && s.Name != "" {
			errs = append(errs, field.Duplicate(sp.Child("name"), s.Name+" (also vpc.subnets["+strconv.Itoa(j)+"])"))
		}
		if ivalidation.IsRegion(b.Cluster.Region) && !isZoneOf(s.AZ, b.Cluster.Region) {
			errs = append(errs, field.Invalid(sp.Child("az"), s.AZ, "must be an Availability Zone of "+b.Cluster.Region+" such as "+b.Cluster.Region+"a"))
		}
		if !slices.Contains(zones, s.AZ) {
			zones = append(zones, s.AZ)
		}
	}
	if len(zones) < 2 {
		errs = append(errs, field.Invalid(vp.Child("subnets"), len(zones), "EKS needs subnets in at least two Availability Zones"))
	}
	return errs
}

// isZoneOf reports whether az names a zone of region: the Region and one
// letter.
func isZoneOf(az, region string) bool {
	rest, ok := strings.CutPrefix(az, region)
	return ok && len(rest) == 1 && rest[0] >= 'a' && rest[0] <= 'z'
}

// validateNetworks checks the site's ranges and the remote networks by
// their roles, every overlap that breaks the plan (reported at the later
// field, naming the earlier), and that the remote pod network holds a
// block for every node.
func (b Blueprint) validateNetworks(fp *field.Path) field.ErrorList {
	sp := fp.Child("site")
	var errs field.ErrorList
	for i, n := range b.Site.Networks {
		errs = append(errs, netplan.RoleOnPrem.ValidatePrefix(sp.Child("networks").Index(i), n)...)
	}
	errs = append(errs, netplan.RoleRemoteNode.ValidatePrefix(sp.Child("remoteNodeNetwork"), b.Site.RemoteNodeNetwork)...)
	errs = append(errs, netplan.RoleRemotePod.ValidatePrefix(sp.Child("remotePodNetwork"), b.Site.RemotePodNetwork)...)
	plan, paths := b.networkPlan(fp)
	for _, o := range plan.Overlaps() {
		a, c := plan.Networks[o.I], plan.Networks[o.J]
		errs = append(errs, field.Invalid(paths[o.J], c.Prefix.String(), fmt.Sprintf("overlaps %s (%s): %s", paths[o.I], a.Prefix, o.Reason)))
	}
	if pod := b.Site.RemotePodNetwork; pod.IsValid() && pod.Masked() == pod {
		plan.Default()
		if n, blocks := b.totalNodes(), netplan.NodesSupported(pod, plan.PerNodeBits); uint64(n) > blocks {
			errs = append(errs, field.Invalid(sp.Child("remotePodNetwork"), pod.String(),
				fmt.Sprintf("holds %d per-node /%d blocks of %s, fewer than the %d nodes", blocks, plan.PerNodeBits, plan.CNI, n)))
		}
	}
	return errs
}

// networkPlan is the address plan, and the blueprint path of each of its
// networks.
func (b Blueprint) networkPlan(fp *field.Path) (netplan.Plan, []*field.Path) {
	plan := netplan.Plan{CNI: b.CNI, Nodes: b.totalNodes()}
	var paths []*field.Path
	add := func(name string, role netplan.Role, p netip.Prefix, az string, eni bool, at *field.Path) {
		paths = append(paths, at)
		plan.Networks = append(plan.Networks, netplan.Network{Name: name, Role: role, Prefix: p, AZ: az, ClusterENIs: eni})
	}
	add("vpc", netplan.RoleVPC, b.VPC.CIDR, "", false, fp.Child("vpc", "cidr"))
	for i, s := range b.VPC.Subnets {
		add("subnet-"+strconv.Itoa(i), netplan.RoleSubnet, s.CIDR, s.AZ, true, fp.Child("vpc", "subnets").Index(i).Child("cidr"))
	}
	for i, n := range b.Site.Networks {
		add("site-"+strconv.Itoa(i), netplan.RoleOnPrem, n, "", false, fp.Child("site", "networks").Index(i))
	}
	add("remote-nodes", netplan.RoleRemoteNode, b.Site.RemoteNodeNetwork, "", false, fp.Child("site", "remoteNodeNetwork"))
	add("remote-pods", netplan.RoleRemotePod, b.Site.RemotePodNetwork, "", false, fp.Child("site", "remotePodNetwork"))
	add("services", netplan.RoleService, b.Cluster.ServiceCIDR, "", false, fp.Child("cluster", "serviceCidr"))
	return plan, paths
}

// totalNodes counts the nodes of the pools whose count is positive.
func (b Blueprint) totalNodes() int {
	n := 0
	for _, p := range b.NodePools {
		if p.Count > 0 {
			n += p.Count
		}
	}
	return n
}

// validateConnectivity checks the link: the connection and its Direct
// Connect gateway or VPN (netplan.ValidateLink, whose field names are the
// blueprint's), the VIF's MTU, the MTU probe's address, and that pods
// keep IPv6's minimum MTU through the path.
func (b Blueprint) validateConnectivity(cp, fp *field.Path) field.ErrorList {
	c := b.Connectivity
	var dx *netplan.DirectConnect
	if c.DirectConnect != nil {
		dx = &netplan.DirectConnect{GatewayName: c.DirectConnect.GatewayName, ASN: c.DirectConnect.ASN}
	}
	errs := netplan.ValidateLink(cp, c.Connection, c.TransitGatewayASN, dx, c.VPN)
	if d := c.DirectConnect; d != nil && d.VIFMTU != 0 && c.Connection == netplan.ConnectionDirectConnect {
		if mtus := b.networkPath().Hops[1].Kind.MTUs(); !slices.Contains(mtus, d.VIFMTU) {
			errs = append(errs, field.NotSupported(cp.Child("directConnect", "vifMtu"), d.VIFMTU, strings.Fields(strings.Trim(fmt.Sprint(mtus), "[]"))))
		}
	}
	if p := c.MTUProbe; p.IsValid() && (!p.Is4() || !b.VPC.CIDR.Contains(p)) {
		errs = append(errs, field.Invalid(cp.Child("mtuProbe"), p.String(), "must be an IPv4 address in the VPC "+b.VPC.CIDR.String()))
	}
	if len(errs) == 0 && b.Site.NodeMTU >= 1280 && b.Site.NodeMTU <= 9216 {
		path := b.networkPath()
		if pod := path.PodMTU(); pod < 1280 {
			errs = append(errs, field.Invalid(fp.Child("site", "nodeMtu"), b.Site.NodeMTU,
				fmt.Sprintf("leaves pods an MTU of %d through this path with %s, below IPv6's minimum of 1280", pod, path.Encapsulation)))
		}
	}
	return errs
}

// networkPath is the path from a hybrid node to the VPC: the site's LAN
// at the nodes' MTU, the Direct Connect VIF or the VPN, the Transit
// Gateway and the VPC, with the CNI's VXLAN on top.
func (b Blueprint) networkPath() netpath.Path {
	hops := []netpath.Hop{{Kind: netpath.HopOnPrem, Name: "site", MTU: b.Site.NodeMTU}}
	switch b.Connectivity.Connection {
	case netplan.ConnectionDirectConnect:
		kind, mtu := netpath.HopDXTransitVIF, 0
		if dx := b.Connectivity.DirectConnect; dx != nil {
			if dx.VIF == "private" {
				kind = netpath.HopDXPrivateVIF
			}
			mtu = dx.VIFMTU
		}
		hops = append(hops, netpath.Hop{Kind: kind, Name: "direct-connect", MTU: mtu})
	case netplan.ConnectionVPN:
		hops = append(hops, netpath.Hop{Kind: netpath.HopSiteToSiteVPN, Name: "site-to-site-vpn"})
	}
	hops = append(hops, netpath.Hop{Kind: netpath.HopTransitGateway, Name: "transit-gateway"}, netpath.Hop{Kind: netpath.HopVPC, Name: "vpc"})
	return netpath.Path{Hops: hops, Encapsulation: netpath.EncapVXLAN}
}
