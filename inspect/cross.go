package inspect

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Codes of the checks across files and against the Context.
const (
	// CodeOverlap: two networks that must not share addresses do.
	CodeOverlap advice.Code = "inspect/network-overlap"
	// CodeNoRoute: a route table of the cluster's VPC has no route to a
	// remote network.
	CodeNoRoute advice.Code = "inspect/no-route-to-remote-network"
	// CodeContextMismatch: a file names another cluster, region or
	// network than the Context (or another file) does.
	CodeContextMismatch advice.Code = "inspect/context-mismatch"
	// CodeNodeOutsideRemote: none of a host's addresses is in the
	// cluster's remote node networks.
	CodeNodeOutsideRemote advice.Code = "inspect/node-outside-remote-networks"
	// CodeIncomplete: a check needs a file or Context that was not given.
	CodeIncomplete advice.Code = "inspect/incomplete"
)

const refHybridNetworking = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html"

// crossCheck runs the checks that need more than one file, or a file and
// the Context.
func crossCheck(ctx Context, docs []*document) {
	checkBundles(docs)
	checkResolver(ctx, docs)
	view := collectNetworks(ctx, docs)
	view.checkOverlaps()
	view.checkRouteTables(docs)
	view.checkHosts(docs)
	checkClusters(ctx, docs, view)
	checkNodeConfigs(ctx, docs)
}

// ofKind returns the documents of kind k that parsed.
func ofKind(docs []*document, k Kind) []*document {
	var out []*document
	for _, d := range docs {
		if d.kind == k && d.parsed != nil {
			out = append(out, d)
		}
	}
	return out
}

// forwardedZones are the domains the site's resolvers forward, from every
// BIND, Unbound and dnsmasq file given.
func forwardedZones(docs []*document) []dnsplan.Domain {
	var out []dnsplan.Domain
	for _, d := range docs {
		zs, ok := d.parsed.([]forwardZone)
		if !ok {
			continue
		}
		for _, z := range zs {
			if dom, err := dnsplan.ParseDomain(z.domain); err == nil && !slices.Contains(out, dom) {
				out = append(out, dom)
			}
		}
	}
	return out
}

// checkResolver runs dnsplan's rule checks on list-resolver-rules output:
// with list-resolver-rule-associations, rules associated with no VPC;
// with the site's forwarders and the cluster's VPC (which holds the
// inbound endpoint), rules that send a forwarded domain back (a loop).
func checkResolver(ctx Context, docs []*document) {
	var assocs []resolverAssociationsOutput
	for _, d := range ofKind(docs, KindAWSAssocs) {
		assocs = append(assocs, d.parsed.(resolverAssociationsOutput))
	}
	vpcID := ctx.VPCID
	for _, d := range ofKind(docs, KindAWSCluster) {
		if vpcID == "" {
			vpcID = d.parsed.(clusterOutput).Cluster.ResourcesVpcConfig.VpcID
		}
	}
	forwarded := forwardedZones(docs)
	for _, d := range ofKind(docs, KindAWSRules) {
		out := d.parsed.(resolverRulesOutput)
		p := dnsplan.Plan{Region: ctx.Region, VPCID: vpcID, OnPrem: dnsplan.OnPrem{ForwardToAWS: forwarded}}
		if vpcID != "" && len(forwarded) > 0 {
			p.Inbound = &dnsplan.Endpoint{} // the site forwards to an inbound endpoint in the cluster's VPC
		}
		var index []int // plan rule → output rule
		for i, r := range out.ResolverRules {
			typ := dnsplan.RuleType(r.RuleType)
			if typ != dnsplan.RuleForward && typ != dnsplan.RuleSystem {
				continue // RECURSIVE: the Internet Resolver's own rule
			}
			dom, err := dnsplan.ParseDomain(strings.TrimSuffix(r.DomainName, "."))
			if err != nil {
				d.add(findingAt(advice.Error, CodeInvalid, field.NewPath("ResolverRules").Index(i).Child("DomainName"), refResolverRules, "%s is not a domain name", printableLine(r.DomainName)))
				continue
			}
			rule := dnsplan.Rule{Name: r.Name, Domain: dom, Type: typ, VPCIDs: []string{}}
			for _, a := range assocs {
				for _, x := range a.ResolverRuleAssociations {
					if x.ResolverRuleID == r.ID && !strings.EqualFold(x.Status, "DELETING") && !strings.EqualFold(x.Status, "FAILED") {
						rule.VPCIDs = append(rule.VPCIDs, x.VPCID)
					}
				}
			}
			p.Rules = append(p.Rules, rule)
			index = append(index, i)
		}
		if len(assocs) == 0 && len(index) > 0 {
			d.add(findingAt(advice.Info, CodeIncomplete, field.NewPath("ResolverRules"), refResolverRules,
				"whether each rule is associated with a VPC needs `aws route53resolver list-resolver-rule-associations` output: give it with this file"))
		}
		for _, f := range p.Lint() {
			rest, ok := strings.CutPrefix(f.Field, "rules[")
			if !ok || f.Code == dnsplan.CodeRuleNotAssociated && len(assocs) == 0 {
				continue
			}
			n, tail, _ := strings.Cut(rest, "]")
			var pi int
			if _, err := fmt.Sscan(n, &pi); err != nil || pi >= len(index) {
				continue
			}
			at := field.NewPath("ResolverRules").Index(index[pi])
			switch tail {
			case ".domain":
				at = at.Child("DomainName")
			case ".vpcIds":
				at = at.Child("Id")
			}
			f.Field = at.String()
			d.add(f)
		}
	}
}

// knownNetwork is a network and where it was learnt: a file's field, or
// the Context (doc nil).
type knownNetwork struct {
	net  netplan.Network
	doc  *document
	at   *field.Path
	line int
	// vpcID is the VPC a VPC block belongs to.
	vpcID string
}

// networkView is everything known about the deployment's networks.
type networkView struct {
	ctx      Context
	networks []knownNetwork
	// vpcID is the cluster's VPC, from the Context or describe-cluster.
	vpcID string
	// clusterSubnets are the cluster's subnets, from describe-cluster.
	clusterSubnets []string
}

func (v *networkView) add(role netplan.Role, p netip.Prefix, doc *document, at *field.Path, line int) {
	if !p.IsValid() {
		return
	}
	name := "the context's " + string(role) + " network"
	if doc != nil {
		name = doc.name + " " + at.String()
	}
	v.networks = append(v.networks, knownNetwork{net: netplan.Network{Name: name, Role: role, Prefix: p.Masked()}, doc: doc, at: at, line: line})
}

// addText adds a prefix written as text at a file's field, at the field's
// line; text that is not a prefix (or empty) adds nothing.
func (v *networkView) addText(role netplan.Role, text string, doc *document, at *field.Path) {
	if p, err := netip.ParsePrefix(text); err == nil {
		v.add(role, p, doc, at, doc.lines.line(at.String()))
	}
}

// addTexts adds each prefix of a list at field list[i].
func (v *networkView) addTexts(role netplan.Role, texts []string, doc *document, list *field.Path) {
	for i, t := range texts {
		v.addText(role, t, doc, list.Index(i))
	}
}

// collectNetworks gathers the networks of the Context, describe-cluster,
// describe-vpcs (the cluster's VPC; every VPC when it is not known) and
// the hosts' connected routes (the site, as on-premises networks).
func collectNetworks(ctx Context, docs []*document) *networkView {
	v := &networkView{ctx: ctx, vpcID: ctx.VPCID}
	for _, p := range ctx.VPCCIDRs {
		v.add(netplan.RoleVPC, p, nil, nil, 0)
	}
	for _, p := range ctx.RemoteNodeNetworks {
		v.add(netplan.RoleRemoteNode, p, nil, nil, 0)
	}
	for _, p := range ctx.RemotePodNetworks {
		v.add(netplan.RoleRemotePod, p, nil, nil, 0)
	}
	v.add(netplan.RoleService, ctx.ServiceCIDR, nil, nil, 0)
	for _, p := range ctx.SiteNetworks {
		v.add(netplan.RoleOnPrem, p, nil, nil, 0)
	}
	for _, d := range ofKind(docs, KindAWSCluster) {
		c := d.parsed.(clusterOutput).Cluster
		cp := field.NewPath("cluster")
		if v.vpcID == "" {
			v.vpcID = c.ResourcesVpcConfig.VpcID
		}
		v.clusterSubnets = append(v.clusterSubnets, c.ResourcesVpcConfig.SubnetIDs...)
		v.addText(netplan.RoleService, c.KubernetesNetworkConfig.ServiceIPv4CIDR, d, cp.Child("kubernetesNetworkConfig", "serviceIpv4Cidr"))
		if rn := c.RemoteNetworkConfig; rn != nil {
			rp := cp.Child("remoteNetworkConfig")
			for i, n := range rn.RemoteNodeNetworks {
				v.addTexts(netplan.RoleRemoteNode, n.CIDRs, d, rp.Child("remoteNodeNetworks").Index(i).Child("cidrs"))
			}
			for i, n := range rn.RemotePodNetworks {
				v.addTexts(netplan.RoleRemotePod, n.CIDRs, d, rp.Child("remotePodNetworks").Index(i).Child("cidrs"))
			}
		}
	}
	for _, d := range ofKind(docs, KindEksctl) {
		v.addEksctlNetworks(d)
	}
	for _, d := range ofKind(docs, KindAWSVPCs) {
		for i, vpc := range d.parsed.(vpcsOutput).Vpcs {
			if v.vpcID != "" && vpc.VpcID != v.vpcID {
				continue
			}
			vp := field.NewPath("Vpcs").Index(i)
			seen := false
			for j, a := range vpc.CidrBlockAssociationSet {
				if a.CidrBlockState.State != "" && a.CidrBlockState.State != "associated" {
					continue
				}
				at := vp.Child("CidrBlockAssociationSet").Index(j).Child("CidrBlock")
				if p, err := netip.ParsePrefix(a.CidrBlock); err == nil {
					v.add(netplan.RoleVPC, p, d, at, d.lines.line(at.String()))
					v.networks[len(v.networks)-1].vpcID = vpc.VpcID
					seen = true
				}
			}
			if !seen {
				at := vp.Child("CidrBlock")
				if p, err := netip.ParsePrefix(vpc.CidrBlock); err == nil {
					v.add(netplan.RoleVPC, p, d, at, d.lines.line(at.String()))
					v.networks[len(v.networks)-1].vpcID = vpc.VpcID
				}
			}
		}
	}
	for _, d := range ofKind(docs, KindIPRoute) {
		for _, r := range d.parsed.([]route) {
			if r.connected() && !cniDevice(r.dev) && r.dst.Addr().Is4() && !r.dst.Addr().IsLoopback() && !r.dst.Addr().IsLinkLocalUnicast() {
				line := r.line
				if line == 0 {
					line = d.lines.line(r.at.String())
				}
				v.add(netplan.RoleOnPrem, r.dst, d, r.at, line)
			}
		}
	}
	return v
}

// where names a network's source for a message.
func (n knownNetwork) where() string {
	if n.doc == nil {
		return "the context"
	}
	return advice.Quote(n.doc.name) + " " + n.at.String()
}

// checkOverlaps reports each overlap netplan says breaks a plan, on every
// file that holds one of the pair; two VPC blocks are not compared (an
// account's VPCs may share addresses), nor a network with itself learnt
// twice.
func (v *networkView) checkOverlaps() {
	p := netplan.Plan{Networks: make([]netplan.Network, len(v.networks))}
	for i, n := range v.networks {
		p.Networks[i] = n.net
	}
	seen := map[string]bool{} // a file's network against a network known twice is one finding
	for _, o := range p.Overlaps() {
		a, b := v.networks[o.I], v.networks[o.J]
		if a.doc == nil && b.doc == nil || a.net.Role == netplan.RoleVPC && b.net.Role == netplan.RoleVPC ||
			a.net.Role == b.net.Role && a.net.Prefix == b.net.Prefix {
			continue
		}
		for _, pair := range [][2]knownNetwork{{a, b}, {b, a}} {
			x, y := pair[0], pair[1]
			key := fmt.Sprintf("%p|%s|%s|%s", x.doc, x.at, y.net.Role, y.net.Prefix)
			if x.doc == nil || seen[key] {
				continue
			}
			seen[key] = true
			f := findingAt(advice.Error, CodeOverlap, x.at, refHybridNetworking, "%s (%s) overlaps the %s network %s of %s: %s", x.net.Prefix, x.net.Role, y.net.Role, y.net.Prefix, y.where(), o.Reason)
			f.Line = x.line
			x.doc.add(f)
		}
	}
	for _, f := range p.Lint() {
		switch f.Code {
		case netplan.CodePodOverOnPrem, netplan.CodeCGNATRemote, netplan.CodeDockerBridge:
		default:
			continue
		}
		rest, ok := strings.CutPrefix(f.Field, "networks[")
		if !ok {
			continue
		}
		var i int
		if _, err := fmt.Sscan(strings.SplitN(rest, "]", 2)[0], &i); err != nil || i >= len(v.networks) || v.networks[i].doc == nil {
			continue
		}
		n := v.networks[i]
		f.Field, f.Line = n.at.String(), n.line
		n.doc.add(f)
	}
}

// remote returns the remote node and pod networks known.
func (v *networkView) remote() []knownNetwork {
	var out []knownNetwork
	seen := map[netip.Prefix]bool{}
	for _, n := range v.networks {
		if (n.net.Role == netplan.RoleRemoteNode || n.net.Role == netplan.RoleRemotePod) && !seen[n.net.Prefix] {
			seen[n.net.Prefix] = true
			out = append(out, n)
		}
	}
	return out
}

// checkRouteTables checks that the route tables of the cluster's VPC
// send each remote network somewhere (a transit gateway, a virtual
// private gateway, …): the tables of the cluster's subnets when
// describe-cluster says which (an error), else every table of the VPC
// (a warning: the table may serve subnets that never talk to the nodes).
func (v *networkView) checkRouteTables(docs []*document) {
	remote := v.remote()
	for _, d := range ofKind(docs, KindAWSRoutes) {
		out := d.parsed.(routeTablesOutput)
		if len(remote) == 0 {
			d.add(findingAt(advice.Info, CodeIncomplete, field.NewPath("RouteTables"), refHybridNetworking,
				"the routes to the remote node and pod networks are checked with the cluster's networks: give `aws eks describe-cluster` output or a context"))
			continue
		}
		explicit := map[string]bool{}
		for _, t := range out.RouteTables {
			for _, a := range t.Associations {
				if a.SubnetID != "" {
					explicit[a.SubnetID] = true
				}
			}
		}
		for i, t := range out.RouteTables {
			if v.vpcID != "" && t.VpcID != v.vpcID {
				continue
			}
			level := advice.Warning
			if len(v.clusterSubnets) > 0 {
				serves := false
				for _, a := range t.Associations {
					if slices.Contains(v.clusterSubnets, a.SubnetID) {
						serves = true
					}
					if a.Main && slices.ContainsFunc(v.clusterSubnets, func(s string) bool { return !explicit[s] }) {
						serves = true
					}
				}
				if !serves {
					continue
				}
				level = advice.Error
			}
			tp := field.NewPath("RouteTables").Index(i)
			for _, n := range remote {
				ok, blackhole := false, -1
				for j, r := range t.Routes {
					dst, err := netip.ParsePrefix(r.DestinationCidrBlock)
					if err != nil || dst.Bits() > n.net.Prefix.Bits() || !dst.Contains(n.net.Prefix.Addr()) || r.GatewayID == "local" {
						continue
					}
					if strings.EqualFold(r.State, "blackhole") {
						blackhole = j
						continue
					}
					ok = true
				}
				switch {
				case ok:
				case blackhole >= 0:
					d.add(findingAt(advice.Error, CodeNoRoute, tp.Child("Routes").Index(blackhole), refHybridNetworking,
						"the route to the %s network %s in %s is a blackhole: its target is gone, so the cluster cannot reach the hybrid side", n.net.Role, n.net.Prefix, t.RouteTableID))
				default:
					d.add(findingAt(level, CodeNoRoute, tp.Child("Routes"), refHybridNetworking,
						"route table %s has no route to the %s network %s: traffic from its subnets to the hybrid side follows the default route or is dropped; add a route to the transit gateway or virtual private gateway", t.RouteTableID, n.net.Role, n.net.Prefix))
				}
			}
		}
	}
}

// checkHosts checks each host's routing table against the remote node
// networks: a host none of whose addresses is in them cannot be
// reached by the control plane as a node.
func (v *networkView) checkHosts(docs []*document) {
	var nodes []netip.Prefix
	planned := false // networks known from the Context or AWS, not from hosts
	for _, n := range v.networks {
		if n.net.Role == netplan.RoleRemoteNode && !slices.Contains(nodes, n.net.Prefix) {
			nodes = append(nodes, n.net.Prefix)
		}
		planned = planned || n.doc == nil || n.doc.kind != KindIPRoute
	}
	for _, d := range ofKind(docs, KindIPRoute) {
		rs := d.parsed.([]route)
		if !planned {
			d.add(findingAt(advice.Info, CodeIncomplete, nil, refHybridNetworking,
				"the routes are compared with the VPC, remote and service networks: give a context or `aws eks describe-cluster` and `aws ec2 describe-vpcs` output"))
			continue
		}
		if len(nodes) == 0 {
			continue
		}
		inside := false
		for _, r := range rs {
			for _, n := range nodes {
				if r.prefsrc.IsValid() && n.Contains(r.prefsrc) || r.connected() && n.Overlaps(r.dst) {
					inside = true
				}
			}
		}
		if !inside {
			names := make([]string, len(nodes))
			for i, n := range nodes {
				names[i] = n.String()
			}
			d.add(findingAt(advice.Warning, CodeNodeOutsideRemote, nil, refHybridNetworking,
				"none of this host's networks is in the remote node networks (%s): the node would register with an address the control plane does not route to, so logs, exec and webhooks fail", strings.Join(names, ", ")))
		}
	}
}

// checkClusters checks describe-cluster output: its networks against the
// Context, its endpoint access against the site's forwarders, and its
// security groups (when given) against the flows EKS needs.
func checkClusters(ctx Context, docs []*document, v *networkView) {
	for _, d := range ofKind(docs, KindAWSCluster) {
		c := d.parsed.(clusterOutput).Cluster
		cp := field.NewPath("cluster")
		if ctx.ClusterName != "" && c.Name != ctx.ClusterName {
			d.add(findingAt(advice.Warning, CodeContextMismatch, cp.Child("name"), refHybridNetworking, "the cluster is %s; the context plans %s", advice.Quote(c.Name), advice.Quote(ctx.ClusterName)))
		}
		if ctx.KubernetesVersion != "" && c.Version != "" && c.Version != ctx.KubernetesVersion {
			d.add(findingAt(advice.Warning, CodeContextMismatch, cp.Child("version"), "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html", "the cluster runs Kubernetes %s; the context plans %s (nodeadm installs the kubelet of the version it is given)", c.Version, ctx.KubernetesVersion))
		}
		for _, n := range v.networks {
			if n.doc != d || n.net.Role != netplan.RoleRemoteNode && n.net.Role != netplan.RoleRemotePod {
				continue
			}
			for _, e := range n.net.Role.ValidatePrefix(n.at, n.net.Prefix) {
				f := findingAt(advice.Error, CodeInvalid, n.at, "https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteNodeNetwork.html", "%s", e.ErrorBody())
				f.Line = n.line
				d.add(f)
			}
		}
		if c.RemoteNetworkConfig == nil || len(c.RemoteNetworkConfig.RemoteNodeNetworks) == 0 {
			d.add(findingAt(advice.Error, CodeInvalid, cp.Child("remoteNetworkConfig"), "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-cluster-create.html",
				"the cluster has no remote node networks: hybrid nodes cannot join it; update it with the remote node (and pod) networks"))
		} else if cidrCount(c.RemoteNetworkConfig.RemotePodNetworks) == 0 {
			p := netplan.Plan{Networks: []netplan.Network{{Name: "nodes", Role: netplan.RoleRemoteNode, Prefix: netip.MustParsePrefix("10.0.0.0/8")}}}
			for _, f := range p.Lint() {
				if f.Code == netplan.CodeNoRemotePodNet {
					f.Field = cp.Child("remoteNetworkConfig", "remotePodNetworks").String()
					d.add(f)
				}
			}
		}
		if ctx.RemoteNodeNetworks != nil && c.RemoteNetworkConfig != nil {
			var got []netip.Prefix
			for _, n := range c.RemoteNetworkConfig.RemoteNodeNetworks {
				for _, s := range n.CIDRs {
					if p, err := netip.ParsePrefix(s); err == nil {
						got = append(got, p.Masked())
					}
				}
			}
			for _, want := range ctx.RemoteNodeNetworks {
				if !slices.Contains(got, want.Masked()) {
					d.add(findingAt(advice.Error, CodeContextMismatch, cp.Child("remoteNetworkConfig", "remoteNodeNetworks"), refHybridNetworking,
						"the plan's remote node network %s is not one of the cluster's: nodes there cannot join", want))
				}
			}
		}
		// Endpoint access: with public and private access, the site's
		// resolvers get public addresses unless they forward the
		// endpoint's name to the inbound endpoint.
		access := dnsplan.AccessPublic
		switch vc := c.ResourcesVpcConfig; {
		case vc.EndpointPublicAccess && vc.EndpointPrivateAccess:
			access = dnsplan.AccessPublicAndPrivate
		case vc.EndpointPrivateAccess:
			access = dnsplan.AccessPrivate
		}
		host, _ := dnsplan.ParseDomain(strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(c.Endpoint), "https://"), "/"))
		plan := dnsplan.Plan{Region: ctx.Region, Cluster: dnsplan.Cluster{Access: access, EndpointHost: host}, OnPrem: dnsplan.OnPrem{ForwardToAWS: forwardedZones(docs)}}
		for _, f := range plan.Lint() {
			if f.Code == dnsplan.CodePublicAndPrivate {
				f.Field = cp.Child("resourcesVpcConfig", "endpointPrivateAccess").String()
				d.add(f)
			}
		}
		checkClusterSecurityGroups(ctx, docs, c.ResourcesVpcConfig.ClusterSecurityGroupID, c.ResourcesVpcConfig.SecurityGroupIDs, v)
	}
}

// checkClusterSecurityGroups checks the cluster's security groups, when
// describe-security-groups output holding them is given, for every
// required flow of firewall.CoreProfile between the cluster's network
// interfaces and the remote networks.
func checkClusterSecurityGroups(ctx Context, docs []*document, clusterSG string, extra []string, v *networkView) {
	ids := append([]string{clusterSG}, extra...)
	plan := netplan.Plan{}
	for _, n := range v.remote() {
		plan.Networks = append(plan.Networks, n.net)
	}
	if len(plan.Networks) == 0 {
		return
	}
	for _, d := range ofKind(docs, KindAWSSGs) {
		out := d.parsed.(securityGroupsOutput)
		var groups []securityGroup
		first := -1
		for i, g := range out.SecurityGroups {
			if slices.Contains(ids, g.GroupID) {
				groups = append(groups, g)
				if first < 0 {
					first = i
				}
			}
		}
		if len(groups) == 0 {
			continue
		}
		cluster := firewall.PeerClusterENIs()
		for _, r := range firewall.CoreProfile(plan, firewall.ProfileOptions{Region: ctx.Region, Credentials: firewall.CredentialsSSM}) {
			if !r.Required || r.To != cluster && r.From != cluster {
				continue
			}
			ingress, other := r.To == cluster, r.To
			if ingress {
				other = r.From
			}
			prefixes, err := other.Resolve(plan)
			if err != nil {
				continue
			}
			for _, n := range prefixes {
				allowed := false
				for _, g := range groups {
					perms := g.IPPermissionsEgress
					if ingress {
						perms = g.IPPermissions
					}
					for _, p := range perms {
						if p.covers(r.Protocol, r.Ports.First, n) && p.covers(r.Protocol, r.Ports.Last, n) {
							allowed = true
						}
					}
				}
				if allowed {
					continue
				}
				way := "out to"
				if ingress {
					way = "in from"
				}
				d.add(findingAt(advice.Error, firewall.CodeFlowNotAllowed, field.NewPath("SecurityGroups").Index(first), refSGs,
					"the cluster's security groups (%s) do not allow %s %s %s %s: %s", strings.Join(ids, ", "), r.Protocol, r.Ports, way, n, r.Purpose))
			}
		}
	}
}

// checkNodeConfigs compares each NodeConfig's cluster with the Context's
// and with describe-cluster's.
func checkNodeConfigs(ctx Context, docs []*document) {
	name, region := ctx.ClusterName, ctx.Region
	for _, d := range ofKind(docs, KindAWSCluster) {
		if name == "" {
			name = d.parsed.(clusterOutput).Cluster.Name
		}
	}
	for _, d := range ofKind(docs, KindNodeConfig) {
		c := d.parsed.(nodeconfig.NodeConfig)
		cp := field.NewPath("spec", "cluster")
		if name != "" && c.Spec.Cluster.Name != name {
			d.add(findingAt(advice.Error, CodeContextMismatch, cp.Child("name"), refNodeConfig, "the node joins cluster %s, not %s", advice.Quote(c.Spec.Cluster.Name), advice.Quote(name)))
		}
		if region != "" && c.Spec.Cluster.Region != region {
			d.add(findingAt(advice.Error, CodeContextMismatch, cp.Child("region"), refNodeConfig, "the node looks for its cluster in %s, not %s", advice.Quote(c.Spec.Cluster.Region), advice.Quote(region)))
		}
	}
}

// cidrCount counts the CIDRs of remote networks.
func cidrCount(ns []remoteNetwork) int {
	n := 0
	for _, x := range ns {
		n += len(x.CIDRs)
	}
	return n
}
