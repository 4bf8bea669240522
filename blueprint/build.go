package blueprint

import (
	"net/netip"
	"slices"
	"strconv"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/storage"
)

// node is one hybrid server of a pool.
type node struct {
	pool int
	name string
	addr netip.Addr
}

// built is a valid blueprint turned into every domain package's model,
// with the findings on them at blueprint paths.
type built struct {
	bp          Blueprint
	fp          *field.Path // where the blueprint sits
	plan        netplan.Plan
	path        netpath.Path
	rules       firewall.RuleSet
	flowList    []Flow // the flows the configs make, checked against rules
	conn        netplan.Connectivity
	routing     netplan.RoutingPlan
	dns         dnsplan.Plan
	identity    nodeconfig.Identity
	nodes       []node
	fleets      []nodeconfig.Fleet // each pool's NodeConfigs; none without credentials
	volumes     []storage.Volume
	planned     []PlannedNode // the nodes as plan.json and the report show them
	estimate    cost.Estimate
	scenarios   []cost.Result
	comparisons []cost.Comparison
	converted   *cost.Amount
	findings    []advice.Finding
}

// build turns a blueprint whose fields are valid into the domain models,
// step by step. A step's errors are what only the models show (a flow the
// firewall lacks, a bill that overflows) or a model its own package
// refuses (a bug, reported as an internal error); the first failing step
// ends the build.
func build(b Blueprint, fp *field.Path) (*built, field.ErrorList) {
	bt := &built{bp: b, fp: fp}
	steps := []func() field.ErrorList{
		bt.buildNetwork, bt.buildRouting, bt.buildDNS, bt.buildStorage,
		bt.buildFirewall, bt.buildIdentity, bt.buildNodes, bt.buildCosts,
	}
	for _, step := range steps {
		if errs := step(); len(errs) > 0 {
			return nil, errs
		}
	}
	return bt, nil
}

// buildNetwork builds the address plan and the path to the VPC.
func (bt *built) buildNetwork() field.ErrorList {
	b, fp := bt.bp, bt.fp
	plan, paths := b.networkPlan(fp)
	plan.Default()
	if err := plan.Validate(); err != nil {
		return internalError(fp.Child("site"), "the address plan", err)
	}
	bt.plan = plan
	from := newProvenance(fp.Child("site"))
	for i, p := range paths {
		from.set(field.NewPath("networks").Index(i).Child("prefix"), p)
	}
	for _, f := range from.findings(plan.Lint()) {
		// With Cilium the bundle's cilium-values.yaml sets the pod pool to
		// the remote pod network, so the default pool never comes into play.
		if f.Code != netplan.CodeCNIDefaultPool || b.CNI != netplan.CNICilium {
			bt.findings = append(bt.findings, f)
		}
	}
	bt.path = b.networkPath()
	bt.path.NodeMTU = b.Site.NodeMTU
	if err := bt.path.Validate(); err != nil {
		return internalError(fp.Child("connectivity"), "the network path", err)
	}
	cp := fp.Child("connectivity")
	from = newProvenance(cp.Child("connection"))
	from.set(field.NewPath("nodeMtu"), fp.Child("site", "nodeMtu"))
	from.set(field.NewPath("hops").Index(0), fp.Child("site", "nodeMtu"))
	if b.Connectivity.DirectConnect != nil {
		from.set(field.NewPath("hops").Index(1), cp.Child("directConnect", "vifMtu"))
	}
	bt.findings = append(bt.findings, from.findings(bt.path.Lint())...)
	// The measured link against the baseline for its capacity; the
	// measurement's fields are netpath.Measurement's.
	if m := b.Connectivity.Measurement; m != nil {
		bt.findings = append(bt.findings, advice.WithPrefix(cp.Child("measurement").String(), bt.thresholds().Check(*m))...)
	}
	return nil
}

// buildRouting builds the link's AWS side and the routing plan.
func (bt *built) buildRouting() field.ErrorList {
	b, cp := bt.bp, bt.fp.Child("connectivity")
	conn := netplan.Connectivity{
		Connection: b.Connectivity.Connection, Region: b.Cluster.Region, VPCID: b.VPC.ID,
		TransitGatewayASN: b.Connectivity.TransitGatewayASN, VPN: b.Connectivity.VPN,
		SiteDestinations: b.siteDestinations(),
	}
	for _, s := range b.VPC.Subnets {
		// The Transit Gateway attachment takes one subnet per
		// Availability Zone: the first of each.
		if !slices.Contains(conn.SubnetAZs, s.AZ) {
			conn.SubnetIDs, conn.SubnetAZs = append(conn.SubnetIDs, s.ID), append(conn.SubnetAZs, s.AZ)
		}
		if !slices.Contains(conn.RouteTableIDs, s.RouteTableID) {
			conn.RouteTableIDs = append(conn.RouteTableIDs, s.RouteTableID)
		}
	}
	if dx := b.Connectivity.DirectConnect; dx != nil {
		conn.DirectConnect = &netplan.DirectConnect{GatewayName: dx.GatewayName, ASN: dx.ASN}
	}
	bt.conn = conn
	r, err := netplan.PlanRouting(bt.plan, conn)
	if err != nil {
		return internalError(cp, "the routing plan", err)
	}
	bt.routing = r
	bt.findings = append(bt.findings, newProvenance(cp.Child("connection")).findings(r.Lint())...)
	return nil
}

// siteDestinations are the site addresses outside the remote networks
// that traffic from the VPC goes to: the DNS servers (the Resolver
// outbound endpoint and CoreDNS replicas on cloud nodes forward the
// on-premises zones to them) and the NFS servers cloud nodes mount.
// Addresses in the VPC are not site destinations.
func (b Blueprint) siteDestinations() []netplan.SiteDestination {
	var out []netplan.SiteDestination
	if len(b.DNS.Zones) > 0 {
		for _, s := range b.DNS.Servers {
			if s.Is4() && !b.VPC.CIDR.Contains(s) {
				out = append(out, netplan.SiteDestination{Prefix: netip.PrefixFrom(s, 32), Purpose: "site DNS server " + s.String() + ": the Resolver outbound endpoint and CoreDNS on cloud nodes forward the on-premises zones to it"})
			}
		}
	}
	for i, e := range b.Storage {
		if e.Server.Is4() && e.Placement != storage.HybridOnly && !b.VPC.CIDR.Contains(e.Server) {
			out = append(out, netplan.SiteDestination{Prefix: netip.PrefixFrom(e.Server, 32), Purpose: "the NFS server of storage[" + strconv.Itoa(i) + "]: cloud nodes mount it"})
		}
	}
	return out
}
