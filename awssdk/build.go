package awssdk

import (
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rolesanywhere"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	r53rtypes "github.com/aws/aws-sdk-go-v2/service/route53resolver/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Step IDs of the steps that produce an ID other steps need, for
// [Plan.Step] and [Result.ResourceID].
const (
	StepTransitGateway           = "transit-gateway"
	StepTransitGatewayAttachment = "transit-gateway-vpc-attachment"
	StepDirectConnectGateway     = "direct-connect-gateway"
	StepCustomerGateway          = "customer-gateway"
	StepVPNConnection            = "vpn-connection"
	StepCluster                  = "cluster"
	StepSSMActivation            = "ssm-activation"
	StepRolesAnywhereProfile     = "roles-anywhere-profile"
	StepOutboundEndpoint         = "resolver-endpoint/outbound"
	StepInboundEndpoint          = "resolver-endpoint/inbound"
)

// Build turns the AWS side of a blueprint ([blueprint.Blueprint.AWS]) into
// the plan of SDK calls, in the order of the bundle's aws/ scripts:
//
//  1. the cluster's remote networks (eks UpdateClusterConfig);
//  2. the Transit Gateway, its VPC attachment, then the Direct Connect
//     gateway and its association or the customer gateway and VPN
//     connection, then one ec2 CreateRoute per VPC route;
//  3. the cluster security group (eks DescribeCluster for its ID), one
//     AuthorizeSecurityGroupIngress or -Egress per permission;
//  4. the Hybrid Nodes role (iam CreateRole, PutRolePolicy,
//     AttachRolePolicy), its HYBRID_LINUX access entry, and the SSM
//     activation or the IAM Roles Anywhere profile;
//  5. the Route 53 Resolver security-group rules, endpoints, rules and
//     rule associations.
//
// A zero or incomplete AWS value returns an error naming what is missing,
// and no plan.
func Build(a blueprint.AWS) (Plan, error) {
	if a.ClusterName == "" || a.Region == "" {
		return Plan{}, fmt.Errorf("awssdk: the AWS side names no cluster or Region; take it from Blueprint.AWS")
	}
	if len(a.Routing.VPCRoutes) == 0 {
		return Plan{}, fmt.Errorf("awssdk: the routing plan has no VPC routes; take it from Blueprint.AWS")
	}
	var p Plan
	add := func(s Step) { p.Steps = append(p.Steps, s) }

	rn, err := RemoteNetworkConfig(a.RemoteNetworks)
	if err != nil {
		return Plan{}, err
	}
	add(Step{ID: "cluster-remote-networks", Service: ServiceEKS, Operation: "UpdateClusterConfig",
		Input: &eks.UpdateClusterConfigInput{Name: aws.String(a.ClusterName), RemoteNetworkConfig: rn}})

	steps, err := connectivitySteps(a.Connectivity, a.Routing, a.ClusterName)
	if err != nil {
		return Plan{}, err
	}
	p.Steps = append(p.Steps, steps...)

	add(Step{ID: StepCluster, Service: ServiceEKS, Operation: "DescribeCluster",
		Input: &eks.DescribeClusterInput{Name: aws.String(a.ClusterName)}, Produces: "Cluster.ResourcesVpcConfig.ClusterSecurityGroupId"})
	p.Steps = append(p.Steps, clusterSecurityGroupSteps(a.ClusterSecurityGroup)...)

	steps, err = identitySteps(a.Identity)
	if err != nil {
		return Plan{}, err
	}
	p.Steps = append(p.Steps, steps...)

	if a.DNS != nil {
		steps, err = resolverSteps(*a.DNS)
		if err != nil {
			return Plan{}, err
		}
		p.Steps = append(p.Steps, steps...)
	}
	if err := p.Check(); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// RemoteNetworkConfig returns the cluster's remote networks as the EKS
// API's request type, for eks.UpdateClusterConfigInput and
// eks.CreateClusterInput. An invalid config returns its validation error.
func RemoteNetworkConfig(c netplan.RemoteNetworkConfig) (*ekstypes.RemoteNetworkConfigRequest, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	out := &ekstypes.RemoteNetworkConfigRequest{}
	for _, n := range c.RemoteNodeNetworks {
		out.RemoteNodeNetworks = append(out.RemoteNodeNetworks, ekstypes.RemoteNodeNetwork{Cidrs: append([]string(nil), n.CIDRs...)})
	}
	for _, n := range c.RemotePodNetworks {
		out.RemotePodNetworks = append(out.RemotePodNetworks, ekstypes.RemotePodNetwork{Cidrs: append([]string(nil), n.CIDRs...)})
	}
	return out, nil
}

func nameTagSpec(kind ec2types.ResourceType, name string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: kind, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

// connectivitySteps mirror netplan.ConnectivityScript.
func connectivitySteps(c netplan.Connectivity, r netplan.RoutingPlan, cluster string) ([]Step, error) {
	c.Default()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	tgw := StepTransitGateway
	steps := []Step{{
		ID: tgw, Service: ServiceEC2, Operation: "CreateTransitGateway",
		Input: &ec2.CreateTransitGatewayInput{
			Description: aws.String("hybrid nodes of " + cluster),
			Options: &ec2types.TransitGatewayRequestOptions{
				AmazonSideAsn:                aws.Int64(c.TransitGatewayASN),
				AutoAcceptSharedAttachments:  ec2types.AutoAcceptSharedAttachmentsValueDisable,
				DefaultRouteTableAssociation: ec2types.DefaultRouteTableAssociationValueEnable,
				DefaultRouteTablePropagation: ec2types.DefaultRouteTablePropagationValueEnable,
				DnsSupport:                   ec2types.DnsSupportValueEnable,
				VpnEcmpSupport:               ec2types.VpnEcmpSupportValueEnable,
			},
			TagSpecifications: nameTagSpec(ec2types.ResourceTypeTransitGateway, cluster+"-tgw"),
		},
		Produces: "TransitGateway.TransitGatewayId", AwaitState: "available",
	}, {
		ID: StepTransitGatewayAttachment, Service: ServiceEC2, Operation: "CreateTransitGatewayVpcAttachment",
		Input: &ec2.CreateTransitGatewayVpcAttachmentInput{VpcId: aws.String(c.VPCID), SubnetIds: append([]string(nil), c.SubnetIDs...),
			TagSpecifications: nameTagSpec(ec2types.ResourceTypeTransitGatewayAttachment, cluster+"-vpc")},
		Needs:    []Need{{Field: "TransitGatewayId", Step: tgw}},
		Produces: "TransitGatewayVpcAttachment.TransitGatewayAttachmentId",
		// Routes to the Transit Gateway need the attachment available.
		AwaitState: "available",
	}}
	switch c.Connection {
	case netplan.ConnectionDirectConnect:
		d := c.DirectConnect
		in := &directconnect.CreateDirectConnectGatewayAssociationInput{}
		for _, p := range r.AdvertiseToSite {
			in.AddAllowedPrefixesToDirectConnectGateway = append(in.AddAllowedPrefixesToDirectConnectGateway, dxtypes.RouteFilterPrefix{Cidr: aws.String(p.String())})
		}
		steps = append(steps, Step{
			ID: StepDirectConnectGateway, Service: ServiceDirectConnect, Operation: "CreateDirectConnectGateway",
			Input:    &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String(d.GatewayName), AmazonSideAsn: aws.Int64(d.ASN)},
			Produces: "DirectConnectGateway.DirectConnectGatewayId",
		}, Step{
			ID: "direct-connect-gateway-association", Service: ServiceDirectConnect, Operation: "CreateDirectConnectGatewayAssociation",
			Input: in, Needs: []Need{{Field: "DirectConnectGatewayId", Step: StepDirectConnectGateway}, {Field: "GatewayId", Step: tgw}},
		})
	case netplan.ConnectionVPN:
		v := c.VPN
		in := &ec2.CreateVpnConnectionInput{Type: aws.String("ipsec.1"), TagSpecifications: nameTagSpec(ec2types.ResourceTypeVpnConnection, cluster+"-vpn")}
		if len(v.TunnelInsideCIDRs) == 2 {
			in.Options = &ec2types.VpnConnectionOptionsSpecification{TunnelOptions: []ec2types.VpnTunnelOptionsSpecification{
				{TunnelInsideCidr: aws.String(v.TunnelInsideCIDRs[0].String())}, {TunnelInsideCidr: aws.String(v.TunnelInsideCIDRs[1].String())},
			}}
		}
		cgw := &ec2.CreateCustomerGatewayInput{Type: ec2types.GatewayTypeIpsec1, IpAddress: aws.String(v.CustomerGatewayIP.String()),
			TagSpecifications: nameTagSpec(ec2types.ResourceTypeCustomerGateway, cluster+"-cgw")}
		if v.CustomerASN > netplan.MaxBgpAsn {
			cgw.BgpAsnExtended = aws.Int64(v.CustomerASN)
		} else {
			cgw.BgpAsn = aws.Int32(int32(v.CustomerASN))
		}
		steps = append(steps, Step{
			ID: StepCustomerGateway, Service: ServiceEC2, Operation: "CreateCustomerGateway", Input: cgw,
			Produces: "CustomerGateway.CustomerGatewayId",
		}, Step{
			ID: StepVPNConnection, Service: ServiceEC2, Operation: "CreateVpnConnection", Input: in,
			Needs:    []Need{{Field: "CustomerGatewayId", Step: StepCustomerGateway}, {Field: "TransitGatewayId", Step: tgw}},
			Produces: "VpnConnection.VpnConnectionId", AwaitState: "available",
		})
	default:
		return nil, fmt.Errorf("awssdk: connection %q is neither %q nor %q", c.Connection, netplan.ConnectionDirectConnect, netplan.ConnectionVPN)
	}
	for _, rt := range r.VPCRoutes {
		steps = append(steps, Step{
			ID: "route/" + rt.RouteTableID + "/" + rt.Destination.String(), Service: ServiceEC2, Operation: "CreateRoute",
			Input: &ec2.CreateRouteInput{RouteTableId: aws.String(rt.RouteTableID), DestinationCidrBlock: aws.String(rt.Destination.String())},
			Needs: []Need{{Field: "TransitGatewayId", Step: tgw}},
		})
	}
	return steps, nil
}

// IPPermission returns a firewall permission as the EC2 API's type, field
// for field; empty descriptions are left out. A zero permission gives an
// IpPermission with an empty protocol, which EC2 refuses.
func IPPermission(p firewall.IPPermission) ec2types.IpPermission {
	out := ec2types.IpPermission{IpProtocol: aws.String(p.IPProtocol), FromPort: p.FromPort, ToPort: p.ToPort}
	for _, r := range p.IPRanges {
		out.IpRanges = append(out.IpRanges, ec2types.IpRange{CidrIp: aws.String(r.CIDRIP), Description: optional(r.Description)})
	}
	for _, g := range p.UserIDGroupPairs {
		out.UserIdGroupPairs = append(out.UserIdGroupPairs, ec2types.UserIdGroupPair{GroupId: aws.String(g.GroupID), Description: optional(g.Description)})
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// clusterSecurityGroupSteps authorise one permission per call, as the
// script does, so a duplicate is reported for that permission alone, on
// the group DescribeCluster returns.
func clusterSecurityGroupSteps(rules firewall.SecurityGroupRules) []Step {
	var steps []Step
	needs := []Need{{Field: "GroupId", Step: StepCluster}}
	for i, p := range rules.Ingress {
		steps = append(steps, Step{ID: "cluster-sg/ingress/" + strconv.Itoa(i), Service: ServiceEC2, Operation: "AuthorizeSecurityGroupIngress",
			Input: &ec2.AuthorizeSecurityGroupIngressInput{IpPermissions: []ec2types.IpPermission{IPPermission(p)}}, Needs: needs})
	}
	for i, p := range rules.Egress {
		steps = append(steps, Step{ID: "cluster-sg/egress/" + strconv.Itoa(i), Service: ServiceEC2, Operation: "AuthorizeSecurityGroupEgress",
			Input: &ec2.AuthorizeSecurityGroupEgressInput{IpPermissions: []ec2types.IpPermission{IPPermission(p)}}, Needs: needs})
	}
	return steps
}

// identitySteps mirror nodeconfig.IdentityScript.
func identitySteps(id nodeconfig.Identity) ([]Step, error) {
	role, err := id.Role()
	if err != nil {
		return nil, err
	}
	trust, err := role.TrustPolicy.JSON()
	if err != nil {
		return nil, err
	}
	perms, err := role.Permissions.JSON()
	if err != nil {
		return nil, err
	}
	steps := []Step{
		{ID: "role", Service: ServiceIAM, Operation: "CreateRole", Input: &iam.CreateRoleInput{RoleName: aws.String(role.Name),
			Description: aws.String("EKS Hybrid Nodes of " + id.ClusterName), AssumeRolePolicyDocument: aws.String(string(trust))}},
		{ID: "role-policy", Service: ServiceIAM, Operation: "PutRolePolicy", Input: &iam.PutRolePolicyInput{RoleName: aws.String(role.Name),
			PolicyName: aws.String(role.InlinePolicyName), PolicyDocument: aws.String(string(perms))}},
	}
	for _, arn := range role.ManagedPolicyARNs {
		steps = append(steps, Step{ID: "role-managed-policy/" + arn, Service: ServiceIAM, Operation: "AttachRolePolicy",
			Input: &iam.AttachRolePolicyInput{RoleName: aws.String(role.Name), PolicyArn: aws.String(arn)}})
	}
	ae := id.AccessEntry()
	steps = append(steps, Step{ID: "access-entry", Service: ServiceEKS, Operation: "CreateAccessEntry",
		Input: &eks.CreateAccessEntryInput{ClusterName: aws.String(ae.ClusterName), PrincipalArn: aws.String(ae.PrincipalARN), Type: aws.String(ae.Type)}})
	switch id.Provider {
	case nodeconfig.ProviderSSM:
		a, err := id.ActivationInput()
		if err != nil {
			return nil, err
		}
		in := &ssm.CreateActivationInput{IamRole: aws.String(a.IamRole), Description: aws.String(a.Description),
			DefaultInstanceName: aws.String(a.DefaultInstanceName), RegistrationLimit: aws.Int32(int32(a.RegistrationLimit)), ExpirationDate: a.ExpirationDate}
		for _, t := range a.Tags {
			in.Tags = append(in.Tags, ssmtypes.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
		}
		steps = append(steps, Step{ID: StepSSMActivation, Service: ServiceSSM, Operation: "CreateActivation", Input: in, Produces: "ActivationId"})
	case nodeconfig.ProviderIAMRolesAnywhere:
		// Role validated the identity, so RolesAnywhere is set; Default
		// fills the profile's name and session length, on a copy of it.
		ra := *id.RolesAnywhere
		id.RolesAnywhere = &ra
		id.Default()
		steps = append(steps, Step{ID: StepRolesAnywhereProfile, Service: ServiceRolesAnywhere, Operation: "CreateProfile",
			Input: &rolesanywhere.CreateProfileInput{Name: aws.String(ra.ProfileName), RoleArns: []string{role.ARN},
				DurationSeconds: aws.Int32(int32(ra.SessionSeconds)), Enabled: aws.Bool(true)},
			Produces: "Profile.ProfileArn"})
	}
	return steps, nil
}

// resolverSteps mirror dnsplan.AWSScript: security-group rules, the
// endpoints (each awaited until OPERATIONAL), every rule, and every rule's
// associations.
func resolverSteps(req dnsplan.AWSRequests) ([]Step, error) {
	var steps []Step
	for i, r := range req.SecurityGroupRules {
		perm := IPPermission(firewall.IPPermission{IPProtocol: r.Protocol, FromPort: aws.Int32(int32(r.Port)), ToPort: aws.Int32(int32(r.Port)),
			IPRanges: []firewall.IPRange{{CIDRIP: r.CIDR.String(), Description: r.Purpose}}})
		id := "resolver-sg/" + r.Direction + "/" + strconv.Itoa(i)
		if r.Direction == "ingress" {
			steps = append(steps, Step{ID: id, Service: ServiceEC2, Operation: "AuthorizeSecurityGroupIngress",
				Input: &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(r.GroupID), IpPermissions: []ec2types.IpPermission{perm}}})
		} else {
			steps = append(steps, Step{ID: id, Service: ServiceEC2, Operation: "AuthorizeSecurityGroupEgress",
				Input: &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(r.GroupID), IpPermissions: []ec2types.IpPermission{perm}}})
		}
	}
	endpointStep := map[string]string{dnsplan.DirectionInbound: StepInboundEndpoint, dnsplan.DirectionOutbound: StepOutboundEndpoint}
	for _, e := range req.Endpoints {
		in := &route53resolver.CreateResolverEndpointInput{CreatorRequestId: aws.String(e.CreatorRequestID), Name: aws.String(e.Name),
			Direction: r53rtypes.ResolverEndpointDirection(e.Direction), SecurityGroupIds: append([]string(nil), e.SecurityGroupIDs...),
			ResolverEndpointType: r53rtypes.ResolverEndpointType(e.ResolverEndpointType)}
		for _, ip := range e.IPAddresses {
			in.IpAddresses = append(in.IpAddresses, r53rtypes.IpAddressRequest{SubnetId: aws.String(ip.SubnetID), Ip: aws.String(ip.IP)})
		}
		for _, p := range e.Protocols {
			in.Protocols = append(in.Protocols, r53rtypes.Protocol(p))
		}
		steps = append(steps, Step{ID: endpointStep[e.Direction], Service: ServiceRoute53Resolver, Operation: "CreateResolverEndpoint",
			Input: in, Produces: "ResolverEndpoint.Id", AwaitState: "OPERATIONAL"})
	}
	for _, r := range req.Rules {
		ruleStep := "resolver-rule/" + r.Name
		in := &route53resolver.CreateResolverRuleInput{CreatorRequestId: aws.String(r.CreatorRequestID), Name: aws.String(r.Name),
			RuleType: r53rtypes.RuleTypeOption(r.RuleType), DomainName: aws.String(r.DomainName)}
		var needs []Need
		for _, t := range r.TargetIPs {
			in.TargetIps = append(in.TargetIps, r53rtypes.TargetAddress{Ip: aws.String(t.IP), Port: aws.Int32(t.Port)})
		}
		if len(r.TargetIPs) > 0 {
			needs = []Need{{Field: "ResolverEndpointId", Step: StepOutboundEndpoint}}
		}
		steps = append(steps, Step{ID: ruleStep, Service: ServiceRoute53Resolver, Operation: "CreateResolverRule", Input: in, Needs: needs, Produces: "ResolverRule.Id"})
		for _, a := range req.Associations {
			if a.RuleName == r.Name {
				steps = append(steps, Step{ID: "resolver-rule-association/" + r.Name + "/" + a.VPCID, Service: ServiceRoute53Resolver, Operation: "AssociateResolverRule",
					Input: &route53resolver.AssociateResolverRuleInput{VPCId: aws.String(a.VPCID), Name: aws.String(r.Name)},
					Needs: []Need{{Field: "ResolverRuleId", Step: ruleStep}}})
			}
		}
	}
	return steps, nil
}
