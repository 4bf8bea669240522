package blueprint

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/imageref"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/storage"
)

// pathMap translates the paths of a domain package's errors into the
// blueprint's: each entry maps a path prefix to the blueprint field it
// came from.
type pathMap [][2]string

func (m pathMap) translate(errs field.ErrorList) field.ErrorList {
	out := make(field.ErrorList, 0, len(errs))
	for _, e := range errs {
		c := *e
		c.Field = m.path(c.Field)
		// Details name other inputs by the package's path, "(…,
		// networks[0])": name them by the blueprint's.
		for _, p := range m {
			c.Detail = strings.ReplaceAll(c.Detail, p[0]+")", p[1]+")")
		}
		out = append(out, &c)
	}
	return out
}

// path rewrites one path by its longest matching prefix.
func (m pathMap) path(s string) string {
	best := -1
	for i, p := range m {
		if under(s, p[0]) && (best < 0 || len(p[0]) > len(m[best][0])) {
			best = i
		}
	}
	if best < 0 {
		return s
	}
	return m[best][1] + s[len(m[best][0]):]
}

// node is one hybrid server of a pool.
type node struct {
	pool   int
	name   string
	addr   netip.Addr
	config *nodeconfig.NodeConfig // nil without credentials
}

// built is the blueprint turned into every domain package's model.
type built struct {
	bp          Blueprint
	plan        netplan.Plan
	path        netpath.Path
	rules       firewall.RuleSet
	conn        netplan.Connectivity
	routing     netplan.RoutingPlan
	dns         dnsplan.Plan
	identity    nodeconfig.Identity
	nodes       []node
	volumes     []storage.Volume
	planned     []PlannedNode // the nodes as plan.json and the report show them
	estimate    cost.Estimate
	scenarios   []cost.Result
	comparisons []cost.Comparison
	converted   *cost.Amount
	findings    []advice.Finding
}

// subnet finds a VPC subnet by name.
func (b Blueprint) subnet(name string) (Subnet, bool) {
	i := slices.IndexFunc(b.VPC.Subnets, func(s Subnet) bool { return s.Name == name })
	if i < 0 {
		return Subnet{}, false
	}
	return b.VPC.Subnets[i], true
}

// networkPlan is the address plan; netMap maps its networks back to the
// blueprint's fields.
func (b Blueprint) networkPlan() (netplan.Plan, pathMap) {
	plan := netplan.Plan{CNI: b.CNI, Nodes: b.totalNodes()}
	var m pathMap
	add := func(name string, role netplan.Role, p netip.Prefix, az string, eni bool, from string) {
		m = append(m, [2]string{"networks[" + strconv.Itoa(len(plan.Networks)) + "].prefix", from})
		m = append(m, [2]string{"networks[" + strconv.Itoa(len(plan.Networks)) + "]", from})
		plan.Networks = append(plan.Networks, netplan.Network{Name: name, Role: role, Prefix: p, AZ: az, ClusterENIs: eni})
	}
	add("vpc", netplan.RoleVPC, b.VPC.CIDR, "", false, "vpc.cidr")
	for i, s := range b.VPC.Subnets {
		add("subnet-"+strconv.Itoa(i), netplan.RoleSubnet, s.CIDR, s.AZ, true, "vpc.subnets["+strconv.Itoa(i)+"].cidr")
	}
	for i, n := range b.Site.Networks {
		add("site-"+strconv.Itoa(i), netplan.RoleOnPrem, n, "", false, "site.networks["+strconv.Itoa(i)+"]")
	}
	add("remote-nodes", netplan.RoleRemoteNode, b.Site.RemoteNodeNetwork, "", false, "site.remoteNodeNetwork")
	add("remote-pods", netplan.RoleRemotePod, b.Site.RemotePodNetwork, "", false, "site.remotePodNetwork")
	add("services", netplan.RoleService, b.Cluster.ServiceCIDR, "", false, "cluster.serviceCidr")
	m = append(m, [2]string{"nodes", "nodePools"})
	return plan, m
}

func (b Blueprint) totalNodes() int {
	n := 0
	for _, p := range b.NodePools {
		if p.Count > 0 {
			n += p.Count
		}
	}
	return n
}

// networkPath is the path from a hybrid node to the VPC.
func (b Blueprint) networkPath() netpath.Path {
	hops := []netpath.Hop{{Kind: netpath.HopOnPrem, Name: "site", MTU: b.Site.NodeMTU}}
	switch b.Connectivity.Connection {
	case netplan.ConnectionDirectConnect:
		kind := netpath.HopDXTransitVIF
		mtu := 0
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
	enc := netpath.EncapVXLAN
	return netpath.Path{Hops: hops, Encapsulation: enc}
}

// build turns a defaulted blueprint into the domain models, returning
// every error with its blueprint path.
func build(b Blueprint) (*built, field.ErrorList) {
	var errs field.ErrorList
	out := &built{bp: b}

	// Cluster.
	cp := field.NewPath("cluster")
	errs = append(errs, ivalidation.ClusterName(cp.Child("name"), b.Cluster.Name)...)
	errs = append(errs, ivalidation.Region(cp.Child("region"), b.Cluster.Region)...)
	errs = append(errs, ivalidation.AccountID(cp.Child("accountId"), b.Cluster.AccountID)...)
	errs = append(errs, ivalidation.KubernetesVersion(cp.Child("kubernetesVersion"), b.Cluster.KubernetesVersion)...)
	var endpointHost dnsplan.Domain
	if h := b.Cluster.EndpointHost; h != "" {
		d, err := dnsplan.ParseDomain(h)
		if err != nil {
			errs = append(errs, field.Invalid(cp.Child("endpointHost"), h, strings.TrimPrefix(err.Error(), "dnsplan: ")))
		}
		endpointHost = d
	}
	errs = append(errs, ivalidation.ResourceID(field.NewPath("vpc", "id"), b.VPC.ID, "vpc")...)
	for i, s := range b.VPC.Subnets {
		sp := field.NewPath("vpc", "subnets").Index(i)
		if s.Name == "" {
			errs = append(errs, field.Required(sp.Child("name"), "the name DNS endpoints refer to"))
		}
		for j := range i {
			if b.VPC.Subnets[j].Name == s.Name && s.Name != "" {
				errs = append(errs, field.Duplicate(sp.Child("name"), s.Name))
			}
		}
		if !strings.HasPrefix(s.AZ, b.Cluster.Region) || len(s.AZ) != len(b.Cluster.Region)+1 {
			errs = append(errs, field.Invalid(sp.Child("az"), s.AZ, "must be an Availability Zone of "+b.Cluster.Region))
		}
	}
	if len(b.VPC.Subnets) < 2 {
		errs = append(errs, field.Invalid(field.NewPath("vpc", "subnets"), len(b.VPC.Subnets), "EKS needs subnets in at least two Availability Zones"))
	}

	// Address plan.
	plan, netMap := b.networkPlan()
	plan.Default()
	planErr := plan.Validate()
	if planErr != nil {
		errs = append(errs, netMap.translate(ivalidation.FieldErrorsAt(field.NewPath("site"), planErr))...)
	}
	out.plan = plan
	for _, f := range withFields(plan.Lint(), netMap) {
		// With Cilium the bundle's cilium-values.yaml sets the pod pool to
		// the remote pod network, so the default pool never comes into play.
		if f.Code == netplan.CodeCNIDefaultPool && b.CNI == netplan.CNICilium {
			continue
		}
		out.findings = append(out.findings, f)
	}

	// Path MTU.
	out.path = b.networkPath()
	if b.Site.NodeMTU < 1280 || b.Site.NodeMTU > 9216 {
		errs = append(errs, field.Invalid(field.NewPath("site", "nodeMtu"), b.Site.NodeMTU, "must be 1280 to 9216"))
	} else if err := out.path.Validate(); err != nil {
		errs = append(errs, pathMap{{"hops[0]", "site.nodeMtu"}, {"hops[1]", "connectivity.directConnect.vifMtu"}}.translate(ivalidation.FieldErrorsAt(field.NewPath("connectivity"), err))...)
	} else if pod := out.path.PodMTU(); pod < 1280 {
		errs = append(errs, field.Invalid(field.NewPath("connectivity"), pod, fmt.Sprintf("the pod MTU through this path with %s is %d, below IPv6's minimum of 1280", out.path.Encapsulation, pod)))
	}
	out.findings = append(out.findings, advice.WithPrefix("connectivity.path", out.path.Lint(b.Site.NodeMTU))...)
	if g := b.Connectivity.BandwidthGbps; g < 0 || g > 400 {
		errs = append(errs, field.Invalid(field.NewPath("connectivity", "bandwidthGbps"), g, "must be 0 (not known) to 400, the largest Direct Connect connection"))
	}
	if p := b.Connectivity.MTUProbe; p.IsValid() && (!p.Is4() || !b.VPC.CIDR.Contains(p)) {
		errs = append(errs, field.Invalid(field.NewPath("connectivity", "mtuProbe"), p.String(), "must be an IPv4 address in the VPC "+b.VPC.CIDR.String()))
	}

	// Connectivity and routing.
	conn := netplan.Connectivity{
		Connection: b.Connectivity.Connection, Region: b.Cluster.Region, VPCID: b.VPC.ID,
		TransitGatewayASN: b.Connectivity.TransitGatewayASN, VPN: b.Connectivity.VPN,
	}
	connMap := pathMap{{"connectivity.region", "cluster.region"}, {"connectivity.vpcId", "vpc.id"}}
	for i, s := range b.VPC.Subnets {
		// The Transit Gateway attachment takes one subnet per
		// Availability Zone: the first of each.
		if !slices.Contains(conn.SubnetAZs, s.AZ) {
			connMap = append(connMap, [2]string{"connectivity.subnetIds[" + strconv.Itoa(len(conn.SubnetIDs)) + "]", "vpc.subnets[" + strconv.Itoa(i) + "].id"})
			conn.SubnetIDs, conn.SubnetAZs = append(conn.SubnetIDs, s.ID), append(conn.SubnetAZs, s.AZ)
		}
		if !slices.Contains(conn.RouteTableIDs, s.RouteTableID) {
			connMap = append(connMap, [2]string{"connectivity.routeTableIds[" + strconv.Itoa(len(conn.RouteTableIDs)) + "]", "vpc.subnets[" + strconv.Itoa(i) + "].routeTableId"})
			conn.RouteTableIDs = append(conn.RouteTableIDs, s.RouteTableID)
		}
	}
	if dx := b.Connectivity.DirectConnect; dx != nil {
		conn.DirectConnect = &netplan.DirectConnect{GatewayName: dx.GatewayName, ASN: dx.ASN}
		if dx.VIF != "transit" && dx.VIF != "private" {
			errs = append(errs, field.NotSupported(field.NewPath("connectivity", "directConnect", "vif"), dx.VIF, []string{"transit", "private"}))
		}
	}
	conn.SiteDestinations = b.siteDestinations()
	out.conn = conn
	if cerrs := conn.ValidateAt(field.NewPath("connectivity")); len(cerrs) > 0 {
		errs = append(errs, connMap.translate(cerrs)...)
	} else if planErr == nil {
		r, err := netplan.PlanRouting(plan, conn)
		if err != nil {
			errs = append(errs, connMap.translate(netMap.translate(ivalidation.FieldErrorsAt(field.NewPath("connectivity"), err)))...)
		}
		out.routing = r
		out.findings = append(out.findings, advice.WithPrefix("connectivity", r.Lint())...)
	}

	// What each pool's hosts run (gpu.CheckHost): errors are the blueprint's.
	for i, p := range b.NodePools {
		pp := field.NewPath("nodePools").Index(i)
		for _, f := range gpu.CheckHost(p.hostFacts(b)) {
			fp := pp.Child(hostField(f.Field))
			if f.Level == advice.Error {
				errs = append(errs, field.Invalid(fp, hostValue(p, f.Field), f.Message))
				continue
			}
			f.Field = fp.String()
			out.findings = append(out.findings, f)
		}
	}

	// Node pools and their addresses.
	names := map[string]string{}
	addrs := map[netip.Addr]string{}
	podBlocks := netplan.NodesSupported(b.Site.RemotePodNetwork, plan.PerNodeBits)
	if n := b.totalNodes(); b.Site.RemotePodNetwork.IsValid() && uint64(n) > podBlocks {
		errs = append(errs, field.Invalid(field.NewPath("site", "remotePodNetwork"), b.Site.RemotePodNetwork.String(),
			fmt.Sprintf("holds %d per-node /%d blocks of %s, fewer than the %d nodes", podBlocks, plan.PerNodeBits, b.CNI, n)))
	}
	if len(b.NodePools) == 0 {
		errs = append(errs, field.Required(field.NewPath("nodePools"), "at least one pool of hybrid nodes"))
	}
	total := b.totalNodes()
	if total > nodeconfig.MaxNodes {
		errs = append(errs, field.TooMany(field.NewPath("nodePools"), total, nodeconfig.MaxNodes))
	}
	for i, p := range b.NodePools {
		pp := field.NewPath("nodePools").Index(i)
		perrs := validatePool(pp, p)
		errs = append(errs, perrs...)
		// Nothing proportional to the count is built before the count is
		// known to be in range.
		if hasErrUnder(perrs, pp.Child("count").String()) || total > nodeconfig.MaxNodes {
			continue
		}
		nodes, err := nodeconfig.NodesNamed(p.HostnamePattern, 1, p.Count)
		if err != nil {
			errs = append(errs, field.Invalid(pp.Child("hostnamePattern"), p.HostnamePattern, strings.TrimPrefix(err.Error(), "nodeconfig: ")))
			continue
		}
		a := p.FirstAddress
		for j := 0; j < p.Count; j++ {
			n := nodes[j].Name
			if prev, dup := names[n]; dup {
				errs = append(errs, field.Duplicate(pp.Child("hostnamePattern"), n+" (also "+prev+")"))
			}
			names[n] = pp.String()
			switch {
			case !a.IsValid():
				errs = append(errs, field.Required(pp.Child("firstAddress"), "the first node's address in the remote node network"))
			case !b.Site.RemoteNodeNetwork.Contains(a):
				errs = append(errs, field.Invalid(pp.Child("firstAddress"), p.FirstAddress.String(), fmt.Sprintf("node %d of %d (%s) would be %s, outside the remote node network %s: EKS only reaches nodes inside it", j+1, p.Count, n, a, b.Site.RemoteNodeNetwork)))
			case a == b.Site.RemoteNodeNetwork.Masked().Addr():
				errs = append(errs, field.Invalid(pp.Child("firstAddress"), a.String(), "is the remote node network's own address"))
			}
			if prev, dup := addrs[a]; dup && a.IsValid() {
				errs = append(errs, field.Duplicate(pp.Child("firstAddress"), a.String()+" (also "+prev+")"))
			}
			addrs[a] = n
			out.nodes = append(out.nodes, node{pool: i, name: n, addr: a})
			if !a.IsValid() || !b.Site.RemoteNodeNetwork.Contains(a) {
				break
			}
			a = a.Next()
		}
	}

	// DNS, once what it builds on is sound: its errors would only repeat
	// the cluster's and the VPC's.
	dp, dnsMap, dnsErrs := b.dnsPlan(endpointHost)
	if !hasErrUnder(errs, "cluster.region", "vpc") {
		errs = append(errs, dnsErrs...)
	}
	if len(dnsErrs) == 0 {
		// Lint's error-level findings (a rule loop, a rule without a
		// VPC) are Validate's errors too, so only a valid plan is linted.
		out.findings = append(out.findings, withFields(dp.Lint(), dnsMap)...)
	}
	out.dns = dp

	// Storage.
	for i, e := range b.Storage {
		ep := field.NewPath("storage").Index(i)
		v := storage.Volume{Name: e.Name, Namespace: e.Namespace, Capacity: e.Capacity, Placement: e.Placement}
		share := &storage.NFS{Server: e.Server.String(), Path: e.Path}
		if e.CSI {
			v.NFSCSI = share
		} else {
			v.NFS = share
		}
		if e.NFSVersion == 3 {
			v.MountOptions = append([]string{"nfsvers=3"}, storage.PresetOptions(0)[1:]...)
		}
		if e.NFSVersion != 3 && e.NFSVersion != 4 {
			errs = append(errs, field.Invalid(ep.Child("nfsVersion"), e.NFSVersion, "must be 3 or 4"))
		}
		v.Default()
		verrs := v.ValidateAt(ep)
		errs = append(errs, pathMap{{ep.Child("nfs", "server").String(), ep.Child("server").String()}, {ep.Child("nfsCsi", "server").String(), ep.Child("server").String()},
			{ep.Child("nfs", "path").String(), ep.Child("path").String()}, {ep.Child("nfsCsi", "path").String(), ep.Child("path").String()}}.translate(verrs)...)
		if !e.Server.Is4() {
			errs = append(errs, field.Invalid(ep.Child("server"), e.Server.String(), "must be the NFS server's IPv4 address"))
		} else if !slices.ContainsFunc(append(append([]netip.Prefix{}, b.Site.Networks...), b.VPC.CIDR, b.Site.RemoteNodeNetwork), func(p netip.Prefix) bool { return p.Contains(e.Server) }) {
			errs = append(errs, field.Invalid(ep.Child("server"), e.Server.String(), "is in none of the plan's networks (site, remote node network, VPC): nothing routes the NFS traffic to it"))
		}
		out.volumes = append(out.volumes, v)
		out.findings = append(out.findings, advice.WithPrefix(ep.String(), v.Lint())...)
	}

	errs = append(errs, validateWorkloads(field.NewPath("workloads"), b.Workloads)...)

	// GPU sharing: the device plugin's options, by the blueprint's paths.
	if g := b.GPUSharing; g != nil {
		gp := field.NewPath("gpuSharing")
		m := pathMap{{"sharing", gp.Child("strategy").String()}, {"replicas", gp.Child("replicas").String()},
			{"failRequestsGreaterThanOne", gp.Child("failRequestsGreaterThanOne").String()}}
		o := b.devicePluginOptions()
		serrs := o.ValidateAt(nil)
		if g.Strategy == gpu.SharingNone {
			serrs = field.ErrorList{field.Required(gp.Child("strategy"), "time-slicing or mps (omit gpuSharing for whole GPUs)")}
		}
		errs = append(errs, m.translate(serrs)...)
		if len(serrs) == 0 {
			out.findings = append(out.findings, withFields(o.Lint(), m)...)
		}
	}

	// Firewall rules.
	if len(errs) == 0 {
		rules, rerrs := out.firewall()
		errs = append(errs, rerrs...)
		out.rules = rules
		if len(rerrs) == 0 {
			out.storagePaths()
		}
	}

	// Identity and NodeConfigs, unless the cluster or the pools are
	// already wrong (their errors would repeat as the identity's).
	if !hasErrUnder(errs, "cluster", "nodePools") {
		errs = append(errs, out.identityAndNodes()...)
	}

	// Cost.
	errs = append(errs, out.costs()...)
	return out, errs
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

// storagePath is the path from a hybrid node to an NFS server: the site's
// LAN (the nodes' own MTU) for a server on the site, the whole link for
// one in the VPC, with enc on top (none for the node's own mounts, the
// CNI's for a pod).
func (o *built) storagePath(server netip.Addr, enc netpath.Encapsulation) netpath.Path {
	p := netpath.Path{Hops: o.path.Hops[:1], Encapsulation: enc}
	if o.bp.VPC.CIDR.Contains(server) {
		p.Hops = o.path.Hops
	}
	return p
}

// storagePaths grades each export's path with storage.CheckPath: the
// site's LAN for a server on the site, the whole link for one in the VPC;
// NFS mounts are the host's, so nothing is encapsulated.
func (o *built) storagePaths() {
	b := o.bp
	for i, e := range b.Storage {
		ep := field.NewPath("storage").Index(i)
		path := o.storagePath(e.Server, netpath.EncapNone)
		c := storage.PathCheck{Path: path, Plan: o.plan, Share: firewall.NFSShare{Server: e.Server, Version: e.NFSVersion}, Rules: o.rules, NodeMTU: b.Site.NodeMTU}
		if e.Measurement != nil {
			c.Measurement = *e.Measurement
		}
		m := pathMap{{"measurement", ep.Child("measurement").String()}, {"path", ep.Child("server").String()}, {"rules", "firewall"}}
		for _, f := range withFields(storage.CheckPath(c), m) {
			if f.Code == storage.CodePathMTU && f.Level == advice.Info && len(path.Hops) == 1 {
				continue // on the site's LAN the path MTU is the nodes' own
			}
			o.findings = append(o.findings, f)
		}
	}
}

// under reports whether the field path s is prefix or lies below it
// ("vpc.subnets[0].id" is under "vpc" and "vpc.subnets", not "vp").
func under(s, prefix string) bool {
	return s == prefix || strings.HasPrefix(s, prefix+".") || strings.HasPrefix(s, prefix+"[")
}

// hasErrUnder reports whether an error lies at or under one of the paths.
func hasErrUnder(errs field.ErrorList, paths ...string) bool {
	for _, e := range errs {
		for _, p := range paths {
			if under(e.Field, p) {
				return true
			}
		}
	}
	return false
}

// MaxReplicas bounds a workload's replicas.
const MaxReplicas = 10_000

// validateWorkloads checks what reaches the example manifests: image
// references by their grammar, and the replica count.
func validateWorkloads(wp *field.Path, w Workloads) field.ErrorList {
	var errs field.ErrorList
	for _, img := range []struct{ name, ref string }{{"trainingImage", w.TrainingImage}, {"webImage", w.WebImage}} {
		if _, err := imageref.Parse(img.ref); err != nil {
			errs = append(errs, field.Invalid(wp.Child(img.name), img.ref, err.Error()))
		}
	}
	if w.CriticalReplicas < 1 || w.CriticalReplicas > MaxReplicas {
		errs = append(errs, field.Invalid(wp.Child("criticalReplicas"), w.CriticalReplicas, fmt.Sprintf("must be 1 to %d (0 takes the default, %d)", MaxReplicas, DefaultCriticalReplicas)))
	}
	return errs
}

func validatePool(pp *field.Path, p NodePool) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range k8svalidation.IsDNS1123Label(p.Name) {
		errs = append(errs, field.Invalid(pp.Child("name"), p.Name, msg))
	}
	if p.Count < 1 || p.Count > nodeconfig.MaxNodes {
		errs = append(errs, field.Invalid(pp.Child("count"), p.Count, fmt.Sprintf("must be 1 to %d", nodeconfig.MaxNodes)))
	}
	if p.GPU != nil {
		_, ok := gpu.ModelByAlias(p.GPU.Model)
		if !ok {
			errs = append(errs, field.NotSupported(pp.Child("gpu", "model"), p.GPU.Model, gpu.Aliases()))
		}
		if p.GPU.Count < 1 || p.GPU.Count > 16 {
			errs = append(errs, field.Invalid(pp.Child("gpu", "count"), p.GPU.Count, "must be 1 to 16"))
		}
		if ok && p.DriverVersion != "" {
			major, _, _ := strings.Cut(p.DriverVersion, ".")
			if _, err := strconv.Atoi(major); err != nil {
				errs = append(errs, field.Invalid(pp.Child("driverVersion"), p.DriverVersion, "must be an NVIDIA driver version such as 550.127.05"))
			}
		}
	}
	switch p.OS {
	case "ubuntu-22.04", "ubuntu-24.04", "ubuntu-20.04", "rhel-8", "rhel-9", "al2023":
	default:
		errs = append(errs, field.NotSupported(pp.Child("os"), p.OS, []string{"ubuntu-20.04", "ubuntu-22.04", "ubuntu-24.04", "rhel-8", "rhel-9", "al2023"}))
	}
	if p.HoursPerMonth < 0 || p.HoursPerMonth > cost.MaxMonthHours {
		errs = append(errs, field.Invalid(pp.Child("hoursPerMonth"), p.HoursPerMonth, "must be 0 (all month) to 744"))
	}
	server := p.server()
	errs = append(errs, pathMap{{pp.Child("server").String(), pp.Child("cpu").String()}}.translate(server.ValidateAt(pp.Child("server")))...)
	for _, k := range slices.Sorted(maps.Keys(p.Labels)) {
		v := p.Labels[k]
		for _, msg := range k8svalidation.IsQualifiedName(k) {
			errs = append(errs, field.Invalid(pp.Child("labels").Key(k), k, msg))
		}
		for _, msg := range k8svalidation.IsValidLabelValue(v) {
			errs = append(errs, field.Invalid(pp.Child("labels").Key(k), v, msg))
		}
	}
	return errs
}

// hostFacts describes the pool's hosts for gpu.CheckHost.
func (p NodePool) hostFacts(b Blueprint) gpu.HostFacts {
	h := gpu.HostFacts{DriverVersion: p.DriverVersion, ContainerdVersion: p.ContainerdVersion, KubernetesVersion: b.Cluster.KubernetesVersion, CNI: string(b.CNI)}
	if p.GPU == nil {
		h.DriverVersion = ""
	} else {
		h.GPUs = []string{p.GPU.Model}
	}
	switch id, version, _ := strings.Cut(p.OS, "-"); id {
	case "ubuntu", "rhel":
		h.OSID, h.OSVersion = id, version
	case "al2023":
		h.OSID, h.OSVersion = "amzn", "2023"
	}
	return h
}

// hostField maps a HostFacts field to the pool's.
func hostField(f string) string {
	switch f {
	case "osId", "osVersion":
		return "os"
	case "gpus":
		return "gpu"
	case "":
		return "os"
	}
	return f
}

func hostValue(p NodePool, f string) string {
	switch f {
	case "driverVersion":
		return p.DriverVersion
	case "containerdVersion":
		return p.ContainerdVersion
	}
	return p.OS
}

// server is the pool's hardware for the cost model.
func (p NodePool) server() cost.Server {
	s := cost.Server{Name: p.Name, CPUModel: p.CPU.Model, Sockets: p.CPU.Sockets, CoresPerSocket: p.CPU.CoresPerSocket, ThreadsPerCore: p.CPU.ThreadsPerCore, DeclaredVCPUs: p.CPU.DeclaredVCPUs}
	if p.GPU != nil {
		s.GPUs, s.GPUModel = p.GPU.Count, p.GPU.Model
	}
	return s
}

// withFields maps findings' fields through m.
func withFields(fs []advice.Finding, m pathMap) []advice.Finding {
	out := make([]advice.Finding, len(fs))
	for i, f := range fs {
		f.Field = m.path(f.Field)
		out[i] = f
	}
	return out
}

// devicePluginOptions are the NVIDIA device plugin's options: the
// defaults, with the blueprint's GPU sharing.
func (b Blueprint) devicePluginOptions() gpu.DevicePluginOptions {
	var o gpu.DevicePluginOptions
	if g := b.GPUSharing; g != nil {
		o.Sharing, o.Replicas, o.FailRequestsGreaterThanOne = g.Strategy, g.Replicas, g.FailRequestsGreaterThanOne
	}
	o.Default()
	return o
}

// poolLabels returns the node labels of a pool: the site zone, the GPU
// model labels (as GPU feature discovery sets them under the blueprint's
// sharing) and the pool's own.
func poolLabels(b Blueprint, p NodePool) map[string]string {
	l := map[string]string{"topology.kubernetes.io/zone": b.Site.Zone}
	if p.GPU != nil {
		if m, ok := gpu.ModelByAlias(p.GPU.Model); ok {
			for k, v := range gpu.ModelLabelsFor(m, p.GPU.Count, b.devicePluginOptions()) {
				l[k] = v
			}
		}
	}
	for k, v := range p.Labels {
		l[k] = v
	}
	return l
}
