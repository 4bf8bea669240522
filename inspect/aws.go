package inspect

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/firewall"
)

// The AWS CLI prints each action's response elements as JSON with the
// API's member names; these types hold the members inspect reads, so a
// member AWS adds later does not break them.

// securityGroupsOutput is `aws ec2 describe-security-groups`
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html,
// API_SecurityGroup.html, API_IpPermission.html).
type securityGroupsOutput struct {
	SecurityGroups []securityGroup
}

type securityGroup struct {
	GroupID             string `json:"GroupId"`
	GroupName           string
	Description         string
	VpcID               string         `json:"VpcId"`
	IPPermissions       []ipPermission `json:"IpPermissions"`
	IPPermissionsEgress []ipPermission `json:"IpPermissionsEgress"`
	Tags                []awsTag
}

type ipPermission struct {
	IPProtocol string `json:"IpProtocol"`
	FromPort   *int32
	ToPort     *int32
	IPRanges   []struct {
		CidrIP string `json:"CidrIp"`
	} `json:"IpRanges"`
	UserIDGroupPairs []struct {
		GroupID string `json:"GroupId"`
	} `json:"UserIdGroupPairs"`
}

type awsTag struct{ Key, Value string }

// resolverRulesOutput is `aws route53resolver list-resolver-rules`
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ListResolverRules.html,
// API_route53resolver_ResolverRule.html).
type resolverRulesOutput struct {
	ResolverRules []struct {
		ID         string `json:"Id"`
		Name       string
		DomainName string
		RuleType   string
		TargetIps  []struct {
			IP   string `json:"Ip"`
			Ipv6 string
			Port int
		}
		ResolverEndpointID string `json:"ResolverEndpointId"`
		OwnerID            string `json:"OwnerId"`
	}
}

// resolverAssociationsOutput is `aws route53resolver
// list-resolver-rule-associations`
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ListResolverRuleAssociations.html).
type resolverAssociationsOutput struct {
	ResolverRuleAssociations []struct {
		ID             string `json:"Id"`
		ResolverRuleID string `json:"ResolverRuleId"`
		VPCID          string `json:"VPCId"`
		Status         string
	}
}

// clusterOutput is `aws eks describe-cluster`
// (https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html,
// API_Cluster.html, API_VpcConfigResponse.html, API_RemoteNetworkConfigResponse.html).
type clusterOutput struct {
	Cluster struct {
		Name               string
		Version            string
		Endpoint           string
		ResourcesVpcConfig struct {
			SubnetIDs              []string `json:"subnetIds"`
			SecurityGroupIDs       []string `json:"securityGroupIds"`
			ClusterSecurityGroupID string   `json:"clusterSecurityGroupId"`
			VpcID                  string   `json:"vpcId"`
			EndpointPublicAccess   bool     `json:"endpointPublicAccess"`
			EndpointPrivateAccess  bool     `json:"endpointPrivateAccess"`
		} `json:"resourcesVpcConfig"`
		KubernetesNetworkConfig struct {
			ServiceIPv4CIDR string `json:"serviceIpv4Cidr"`
			ServiceIPv6CIDR string `json:"serviceIpv6Cidr"`
			IPFamily        string `json:"ipFamily"`
		} `json:"kubernetesNetworkConfig"`
		RemoteNetworkConfig *struct {
			RemoteNodeNetworks []remoteNetwork `json:"remoteNodeNetworks"`
			RemotePodNetworks  []remoteNetwork `json:"remotePodNetworks"`
		} `json:"remoteNetworkConfig"`
	} `json:"cluster"`
}

// remoteNetwork is a RemoteNodeNetwork or RemotePodNetwork.
type remoteNetwork struct {
	CIDRs []string `json:"cidrs"`
}

// vpcsOutput is `aws ec2 describe-vpcs`
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html,
// API_Vpc.html, API_VpcCidrBlockAssociation.html).
type vpcsOutput struct {
	Vpcs []struct {
		VpcID                   string `json:"VpcId"`
		CidrBlock               string
		CidrBlockAssociationSet []struct {
			CidrBlock      string
			CidrBlockState struct{ State string }
		}
		IsDefault bool
	}
}

// routeTablesOutput is `aws ec2 describe-route-tables`
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html,
// API_RouteTable.html, API_Route.html, API_RouteTableAssociation.html).
type routeTablesOutput struct {
	RouteTables []struct {
		RouteTableID string `json:"RouteTableId"`
		VpcID        string `json:"VpcId"`
		Routes       []struct {
			DestinationCidrBlock   string
			GatewayID              string `json:"GatewayId"`
			TransitGatewayID       string `json:"TransitGatewayId"`
			NatGatewayID           string `json:"NatGatewayId"`
			VpcPeeringConnectionID string `json:"VpcPeeringConnectionId"`
			NetworkInterfaceID     string `json:"NetworkInterfaceId"`
			State                  string
		}
		Associations []struct {
			Main     bool
			SubnetID string `json:"SubnetId"`
		}
	}
}

// decodeAWS decodes an AWS CLI output into v, indexing its lines.
func (d *document) decodeAWS(v any, ref string) bool {
	d.lines = indexYAML(d.data, "")
	if err := json.Unmarshal(d.data, v); err != nil {
		d.parseError(jsonError(d.data, err), ref)
		return false
	}
	return true
}

// jsonError names the line of a JSON syntax or type error.
func jsonError(data []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err
	}
	return fmt.Errorf("line %d: %w", 1+strings.Count(string(data[:off]), "\n"), err)
}

const refSGs = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html"

// isHybridGroup reports a security group made for the hybrid nodes — by
// its name, Name tag or description — as the adoption guide's
// sg-hybrid-nodes. No such group can hold a hybrid node: hybrid nodes
// have no network interfaces in the VPC.
func isHybridGroup(g securityGroup) bool {
	texts := []string{g.GroupName, g.GroupID, g.Description}
	for _, t := range g.Tags {
		if t.Key == "Name" {
			texts = append(texts, t.Value)
		}
	}
	for _, t := range texts {
		if t = strings.ToLower(t); strings.Contains(t, "hybrid") && (strings.Contains(t, "node") || strings.Contains(t, "onprem") || strings.Contains(t, "on-prem")) {
			return true
		}
	}
	return false
}

// sgRule is a firewall rule read from a security group and where it is.
type sgRule struct {
	rule firewall.Rule
	at   *field.Path
	// inHybridGroup: the rule is a hybrid group's own; namesHybridGroup:
	// its peer is a hybrid group other than its own.
	inHybridGroup, namesHybridGroup bool
}

// checkSecurityGroups reads describe-security-groups output as rules of
// the hybrid flows — the permissions whose other end is a hybrid network
// (the Context's remote networks) or a group made for hybrid nodes — and
// runs firewall.LintRules on them.
func (d *document) checkSecurityGroups() {
	var out securityGroupsOutput
	if !d.decodeAWS(&out, refSGs) {
		return
	}
	d.parsed = out
	hybrid := map[string]bool{}
	for _, g := range out.SecurityGroups {
		if isHybridGroup(g) {
			hybrid[g.GroupID] = true
		}
	}
	remote := append(append([]netip.Prefix{}, d.ctx.RemoteNodeNetworks...), d.ctx.RemotePodNetworks...)
	var rules []sgRule
	for i, g := range out.SecurityGroups {
		gp := field.NewPath("SecurityGroups").Index(i)
		self := firewall.PeerSecurityGroup(g.GroupID)
		for dir, perms := range [][]ipPermission{g.IPPermissions, g.IPPermissionsEgress} {
			member := "IpPermissions"
			if dir == 1 {
				member = "IpPermissionsEgress"
			}
			for j, p := range perms {
				pp := gp.Child(member).Index(j)
				var peers []sgPeer
				for k, r := range p.IPRanges {
					pfx, err := netip.ParsePrefix(r.CidrIP)
					if err != nil {
						continue
					}
					peers = append(peers, sgPeer{firewall.PeerPrefix(pfx.Masked()), overlapsAny(pfx, remote), pp.Child("IpRanges").Index(k)})
				}
				for k, r := range p.UserIDGroupPairs {
					peers = append(peers, sgPeer{firewall.PeerSecurityGroup(r.GroupID), hybrid[r.GroupID], pp.Child("UserIdGroupPairs").Index(k)})
				}
				for _, peer := range peers {
					if !peer.hybrid && !hybrid[g.GroupID] {
						continue // not a hybrid flow
					}
					for _, r := range permissionRules(p) {
						switch {
						case peer.hybrid && hybrid[g.GroupID]:
							r.Direction, r.From, r.To = firewall.Internal, peer.peer, self
						case dir == 0 && peer.hybrid, dir == 1 && hybrid[g.GroupID]:
							r.Direction = firewall.Outbound
						default:
							r.Direction = firewall.Inbound
						}
						if r.Direction != firewall.Internal {
							r.From, r.To = peer.peer, self
							if dir == 1 {
								r.From, r.To = self, peer.peer
							}
						}
						rules = append(rules, sgRule{rule: r, at: peer.at, inHybridGroup: hybrid[g.GroupID],
							namesHybridGroup: peer.peer.SecurityGroupID != "" && peer.peer.SecurityGroupID != g.GroupID && peer.hybrid})
					}
				}
			}
		}
	}
	rs := make(firewall.RuleSet, len(rules))
	for i, r := range rules {
		rs[i] = r.rule
	}
	for i, g := range out.SecurityGroups {
		if hybrid[g.GroupID] {
			d.add(findingAt(advice.Error, firewall.CodeOnPremSecurityGroup, field.NewPath("SecurityGroups").Index(i), refSGs,
				"security group %s (%s) is made for the hybrid nodes, but hybrid nodes have no network interfaces in the VPC: no security group holds them, so neither its rules nor the rules that name it match their traffic; allow the remote node and pod networks as CIDRs on the cluster's security group instead",
				g.GroupID, advice.Quote(g.GroupName)))
		}
	}
	seen := map[string]bool{}
	for _, f := range firewall.LintRules(rs) {
		i, ok := ruleIndex(f.Field)
		if !ok {
			continue
		}
		r := rules[i]
		// A hybrid group's own rules are covered by the finding on the
		// group; the rules of other groups that name it are not.
		if f.Code == firewall.CodeOnPremSecurityGroup && r.inHybridGroup && !r.namesHybridGroup {
			continue
		}
		f.Field = r.at.String()
		if key := string(f.Code) + f.Field; !seen[key] {
			seen[key] = true
			d.add(f)
		}
	}
}

type sgPeer struct {
	peer   firewall.Peer
	hybrid bool
	at     *field.Path
}

// ruleIndex reads i from LintRules' "rules[i]".
func ruleIndex(p string) (int, bool) {
	s, ok := strings.CutPrefix(p, "rules[")
	if !ok {
		return 0, false
	}
	s, _, _ = strings.Cut(s, "]")
	i, err := strconv.Atoi(s)
	return i, err == nil
}

// permissionRules turns one IpPermission into rules without ends: "-1"
// (every protocol) becomes TCP and UDP on every port and ICMP.
func permissionRules(p ipPermission) []firewall.Rule {
	ports := firewall.PortRange{}
	if p.FromPort != nil && p.ToPort != nil && *p.FromPort >= 0 && *p.ToPort <= 65535 && !(*p.FromPort == 0 && *p.ToPort == 65535) {
		ports = firewall.Ports(uint16(*p.FromPort), uint16(*p.ToPort))
	}
	switch strings.ToLower(p.IPProtocol) {
	case "-1", "all":
		return []firewall.Rule{{Protocol: firewall.ProtoTCP}, {Protocol: firewall.ProtoUDP}, {Protocol: firewall.ProtoICMP}}
	case "tcp", "6":
		return []firewall.Rule{{Protocol: firewall.ProtoTCP, Ports: ports}}
	case "udp", "17":
		return []firewall.Rule{{Protocol: firewall.ProtoUDP, Ports: ports}}
	case "icmp", "1":
		return []firewall.Rule{{Protocol: firewall.ProtoICMP}}
	}
	var proto firewall.Protocol
	if proto.UnmarshalText([]byte(p.IPProtocol)) != nil {
		return nil
	}
	return []firewall.Rule{{Protocol: proto}}
}

// overlapsAny reports whether p shares an address with any of ps.
func overlapsAny(p netip.Prefix, ps []netip.Prefix) bool {
	for _, q := range ps {
		if p.Overlaps(q) {
			return true
		}
	}
	return false
}

// covers reports whether a permission lets proto traffic on port reach
// (or come from) every address of n.
func (p ipPermission) covers(proto firewall.Protocol, port uint16, n netip.Prefix) bool {
	matched := false
	for _, r := range permissionRules(p) {
		if r.Protocol == proto && (r.Ports.All() || r.Ports.First <= port && port <= r.Ports.Last) {
			matched = true
		}
	}
	if !matched {
		return false
	}
	for _, r := range p.IPRanges {
		if c, err := netip.ParsePrefix(r.CidrIP); err == nil && c.Bits() <= n.Bits() && c.Contains(n.Addr()) {
			return true
		}
	}
	return false
}

// Resolver rules.

const refResolverRules = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-rules-managing.html"

func (d *document) checkResolverRules() {
	var out resolverRulesOutput
	if d.decodeAWS(&out, refResolverRules) {
		d.parsed = out
	}
}

func (d *document) checkResolverAssociations() {
	var out resolverAssociationsOutput
	if d.decodeAWS(&out, refResolverRules) {
		d.parsed = out
	}
}

// EKS cluster, VPCs and route tables: their checks need each other and
// the Context, so they run in crossCheck.

func (d *document) checkCluster() {
	var out clusterOutput
	if d.decodeAWS(&out, "https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html") {
		d.parsed = out
	}
}

func (d *document) checkVPCs() {
	var out vpcsOutput
	if d.decodeAWS(&out, "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html") {
		d.parsed = out
	}
}

func (d *document) checkRouteTables() {
	var out routeTablesOutput
	if d.decodeAWS(&out, "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html") {
		d.parsed = out
	}
}

// findingAt is a finding at a path with a level, code, message and ref.
// A nil path is the whole file.
func findingAt(l advice.Level, code advice.Code, at *field.Path, ref, format string, args ...any) advice.Finding {
	f := advice.Finding{Level: l, Code: code, Message: fmt.Sprintf(format, args...), Ref: ref}
	if at != nil { // a nil path prints "<nil>"
		f.Field = at.String()
	}
	return f
}
