package awssdk

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rolesanywhere"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// EKSAPI is what Apply calls on an *eks.Client.
type EKSAPI interface {
	DescribeCluster(context.Context, *eks.DescribeClusterInput, ...func(*eks.Options)) (*eks.DescribeClusterOutput, error)
	UpdateClusterConfig(context.Context, *eks.UpdateClusterConfigInput, ...func(*eks.Options)) (*eks.UpdateClusterConfigOutput, error)
	CreateAccessEntry(context.Context, *eks.CreateAccessEntryInput, ...func(*eks.Options)) (*eks.CreateAccessEntryOutput, error)
}

// EC2API is what Apply calls on an *ec2.Client.
type EC2API interface {
	CreateTransitGateway(context.Context, *ec2.CreateTransitGatewayInput, ...func(*ec2.Options)) (*ec2.CreateTransitGatewayOutput, error)
	DescribeTransitGateways(context.Context, *ec2.DescribeTransitGatewaysInput, ...func(*ec2.Options)) (*ec2.DescribeTransitGatewaysOutput, error)
	CreateTransitGatewayVpcAttachment(context.Context, *ec2.CreateTransitGatewayVpcAttachmentInput, ...func(*ec2.Options)) (*ec2.CreateTransitGatewayVpcAttachmentOutput, error)
	DescribeTransitGatewayVpcAttachments(context.Context, *ec2.DescribeTransitGatewayVpcAttachmentsInput, ...func(*ec2.Options)) (*ec2.DescribeTransitGatewayVpcAttachmentsOutput, error)
	CreateCustomerGateway(context.Context, *ec2.CreateCustomerGatewayInput, ...func(*ec2.Options)) (*ec2.CreateCustomerGatewayOutput, error)
	DescribeCustomerGateways(context.Context, *ec2.DescribeCustomerGatewaysInput, ...func(*ec2.Options)) (*ec2.DescribeCustomerGatewaysOutput, error)
	CreateVpnConnection(context.Context, *ec2.CreateVpnConnectionInput, ...func(*ec2.Options)) (*ec2.CreateVpnConnectionOutput, error)
	DescribeVpnConnections(context.Context, *ec2.DescribeVpnConnectionsInput, ...func(*ec2.Options)) (*ec2.DescribeVpnConnectionsOutput, error)
	CreateRoute(context.Context, *ec2.CreateRouteInput, ...func(*ec2.Options)) (*ec2.CreateRouteOutput, error)
	AuthorizeSecurityGroupIngress(context.Context, *ec2.AuthorizeSecurityGroupIngressInput, ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupIngressOutput, error)
	AuthorizeSecurityGroupEgress(context.Context, *ec2.AuthorizeSecurityGroupEgressInput, ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupEgressOutput, error)
}

// DirectConnectAPI is what Apply calls on a *directconnect.Client.
type DirectConnectAPI interface {
	CreateDirectConnectGateway(context.Context, *directconnect.CreateDirectConnectGatewayInput, ...func(*directconnect.Options)) (*directconnect.CreateDirectConnectGatewayOutput, error)
	DescribeDirectConnectGateways(context.Context, *directconnect.DescribeDirectConnectGatewaysInput, ...func(*directconnect.Options)) (*directconnect.DescribeDirectConnectGatewaysOutput, error)
	CreateDirectConnectGatewayAssociation(context.Context, *directconnect.CreateDirectConnectGatewayAssociationInput, ...func(*directconnect.Options)) (*directconnect.CreateDirectConnectGatewayAssociationOutput, error)
	DescribeDirectConnectGatewayAssociations(context.Context, *directconnect.DescribeDirectConnectGatewayAssociationsInput, ...func(*directconnect.Options)) (*directconnect.DescribeDirectConnectGatewayAssociationsOutput, error)
}

// IAMAPI is what Apply calls on an *iam.Client.
type IAMAPI interface {
	CreateRole(context.Context, *iam.CreateRoleInput, ...func(*iam.Options)) (*iam.CreateRoleOutput, error)
	GetRolePolicy(context.Context, *iam.GetRolePolicyInput, ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
	PutRolePolicy(context.Context, *iam.PutRolePolicyInput, ...func(*iam.Options)) (*iam.PutRolePolicyOutput, error)
	ListAttachedRolePolicies(context.Context, *iam.ListAttachedRolePoliciesInput, ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error)
	AttachRolePolicy(context.Context, *iam.AttachRolePolicyInput, ...func(*iam.Options)) (*iam.AttachRolePolicyOutput, error)
}

// SSMAPI is what Apply calls on an *ssm.Client.
type SSMAPI interface {
	CreateActivation(context.Context, *ssm.CreateActivationInput, ...func(*ssm.Options)) (*ssm.CreateActivationOutput, error)
	DescribeActivations(context.Context, *ssm.DescribeActivationsInput, ...func(*ssm.Options)) (*ssm.DescribeActivationsOutput, error)
}

// RolesAnywhereAPI is what Apply calls on a *rolesanywhere.Client.
type RolesAnywhereAPI interface {
	CreateProfile(context.Context, *rolesanywhere.CreateProfileInput, ...func(*rolesanywhere.Options)) (*rolesanywhere.CreateProfileOutput, error)
	ListProfiles(context.Context, *rolesanywhere.ListProfilesInput, ...func(*rolesanywhere.Options)) (*rolesanywhere.ListProfilesOutput, error)
}

// Route53ResolverAPI is what Apply calls on a *route53resolver.Client.
type Route53ResolverAPI interface {
	CreateResolverEndpoint(context.Context, *route53resolver.CreateResolverEndpointInput, ...func(*route53resolver.Options)) (*route53resolver.CreateResolverEndpointOutput, error)
	ListResolverEndpoints(context.Context, *route53resolver.ListResolverEndpointsInput, ...func(*route53resolver.Options)) (*route53resolver.ListResolverEndpointsOutput, error)
	GetResolverEndpoint(context.Context, *route53resolver.GetResolverEndpointInput, ...func(*route53resolver.Options)) (*route53resolver.GetResolverEndpointOutput, error)
	CreateResolverRule(context.Context, *route53resolver.CreateResolverRuleInput, ...func(*route53resolver.Options)) (*route53resolver.CreateResolverRuleOutput, error)
	ListResolverRules(context.Context, *route53resolver.ListResolverRulesInput, ...func(*route53resolver.Options)) (*route53resolver.ListResolverRulesOutput, error)
	AssociateResolverRule(context.Context, *route53resolver.AssociateResolverRuleInput, ...func(*route53resolver.Options)) (*route53resolver.AssociateResolverRuleOutput, error)
	ListResolverRuleAssociations(context.Context, *route53resolver.ListResolverRuleAssociationsInput, ...func(*route53resolver.Options)) (*route53resolver.ListResolverRuleAssociationsOutput, error)
}

// Clients are the SDK clients Apply calls (the SDK's *eks.Client and so on
// satisfy the interfaces) and how it waits for resources to come up. A
// nil client is an error only when a step needs it: a VPN plan needs no
// DirectConnect, an SSM plan no RolesAnywhere.
type Clients struct {
	EKS             EKSAPI
	EC2             EC2API
	DirectConnect   DirectConnectAPI
	IAM             IAMAPI
	SSM             SSMAPI
	RolesAnywhere   RolesAnywhereAPI
	Route53Resolver Route53ResolverAPI
	// PollInterval is the time between two reads of a resource's state
	// while Apply waits for a step's AwaitState; zero means 10 s.
	PollInterval time.Duration
	// MaxPolls bounds those reads; zero means 90 (15 minutes at 10 s, as
	// the bundle's scripts wait).
	MaxPolls int
}
