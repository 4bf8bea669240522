package awssdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"time"

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
	"github.com/aws/smithy-go"

	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Outcome is what a step did.
type Outcome string

// Outcomes of a step.
const (
	// OutcomeCreated: the step created the resource.
	OutcomeCreated Outcome = "created"
	// OutcomeUpdated: the step changed an existing resource to the plan
	// (the cluster's remote networks, the role's inline policy).
	OutcomeUpdated Outcome = "updated"
	// OutcomeExisting: the resource was there as planned and is reused.
	OutcomeExisting Outcome = "existing"
	// OutcomeRead: the step only reads (the cluster's security group ID).
	OutcomeRead Outcome = "read"
)

// StepResult is one step Apply finished.
type StepResult struct {
	ID      string
	Outcome Outcome
	// ResourceID is the ID the step produced (Step.Produces), if any.
	ResourceID string
}

// Result is what Apply did, in order; on an error, the steps before the
// failing one.
type Result struct {
	Steps []StepResult
	// ActivationCode is the SSM activation's code when Apply created the
	// activation: AWS shows it once, so store it as a secret. It is empty
	// when the activation existed: its code was shown when it was made.
	ActivationCode nodeconfig.Secret
}

// ResourceID returns the ID the step with the given ID produced, or "".
func (r Result) ResourceID(step string) string {
	for _, s := range r.Steps {
		if s.ID == step {
			return s.ResourceID
		}
	}
	return ""
}

// Apply makes the plan's calls in order with the given clients, stopping
// at the first failure; the Result holds the steps that finished, and the
// error names the step that did not. It is idempotent: a resource that
// already exists as planned is found (by its Name tag, creator request ID,
// name or parent, before anything is created) or recognised from AWS's
// "already exists" error code, and reused, so a second Apply creates
// nothing. Steps with an AwaitState are polled until the resource reaches
// it. Apply returns an error for a plan that fails [Plan.Check].
func Apply(ctx context.Context, c Clients, p Plan) (Result, error) {
	var res Result
	if err := p.Check(); err != nil {
		return res, err
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 10 * time.Second
	}
	if c.MaxPolls <= 0 {
		c.MaxPolls = 90
	}
	ids := map[string]string{}
	for _, s := range p.Steps {
		in, err := withNeeds(s, ids)
		if err != nil {
			return res, err
		}
		r, err := c.step(ctx, s, in, &res)
		if err != nil {
			return res, fmt.Errorf("awssdk: step %q (%s %s): %w", s.ID, s.Service, s.Operation, err)
		}
		if s.Produces != "" {
			if r.ResourceID == "" {
				return res, fmt.Errorf("awssdk: step %q (%s %s) returned no %s", s.ID, s.Service, s.Operation, s.Produces)
			}
			ids[s.ID] = r.ResourceID
		}
		if s.AwaitState != "" {
			if err := c.await(ctx, s, r.ResourceID); err != nil {
				return res, fmt.Errorf("awssdk: step %q: %w", s.ID, err)
			}
		}
		res.Steps = append(res.Steps, r)
	}
	return res, nil
}

// hasCode reports an AWS error with one of the codes.
func hasCode(err error, codes ...string) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && slices.Contains(codes, ae.ErrorCode())
}

// created is the result of a create call: its produced ID, if the step
// has one.
func created(s Step, out any) (StepResult, error) {
	r := StepResult{ID: s.ID, Outcome: OutcomeCreated}
	if s.Produces != "" {
		id, err := producedID(out, s.Produces)
		if err != nil {
			return StepResult{}, err
		}
		r.ResourceID = id
	}
	return r, nil
}

// answered is the result of a call that creates: what it created, an
// existing resource when AWS refuses with one of existsCodes, or the
// error.
func answered(s Step, out any, err error, existsCodes ...string) (StepResult, error) {
	switch {
	case hasCode(err, existsCodes...):
		return StepResult{ID: s.ID, Outcome: OutcomeExisting}, nil
	case err != nil:
		return StepResult{}, err
	}
	return created(s, out)
}

func missingClient(s Step) error {
	return fmt.Errorf("no %s client in Clients", s.Service)
}

// step runs one call, looking first for what already exists.
func (c Clients) step(ctx context.Context, s Step, input any, res *Result) (StepResult, error) {
	existing := func(id string) (StepResult, error) {
		return StepResult{ID: s.ID, Outcome: OutcomeExisting, ResourceID: id}, nil
	}
	switch s.Service {
	case ServiceEKS:
		if c.EKS == nil {
			return StepResult{}, missingClient(s)
		}
	case ServiceEC2:
		if c.EC2 == nil {
			return StepResult{}, missingClient(s)
		}
	case ServiceDirectConnect:
		if c.DirectConnect == nil {
			return StepResult{}, missingClient(s)
		}
	case ServiceIAM:
		if c.IAM == nil {
			return StepResult{}, missingClient(s)
		}
	case ServiceSSM:
		if c.SSM == nil {
			return StepResult{}, missingClient(s)
		}
	case ServiceRolesAnywhere:
		if c.RolesAnywhere == nil {
			return StepResult{}, missingClient(s)
		}
	case ServiceRoute53Resolver:
		if c.Route53Resolver == nil {
			return StepResult{}, missingClient(s)
		}
	}
	switch in := input.(type) {
	case *eks.UpdateClusterConfigInput:
		d, err := c.EKS.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: in.Name})
		if err != nil {
			return StepResult{}, err
		}
		if d.Cluster != nil && sameRemoteNetworks(d.Cluster.RemoteNetworkConfig, in.RemoteNetworkConfig) {
			return existing("")
		}
		if _, err := c.EKS.UpdateClusterConfig(ctx, in); err != nil {
			return StepResult{}, err
		}
		return StepResult{ID: s.ID, Outcome: OutcomeUpdated}, nil
	case *eks.DescribeClusterInput:
		out, err := c.EKS.DescribeCluster(ctx, in)
		if err != nil {
			return StepResult{}, err
		}
		r, err := created(s, out)
		r.Outcome = OutcomeRead
		return r, err
	case *eks.CreateAccessEntryInput:
		out, err := c.EKS.CreateAccessEntry(ctx, in)
		return answered(s, out, err, "ResourceInUseException")

	case *ec2.CreateTransitGatewayInput:
		// DescribeTransitGateways documents no tag filters: the Name tag is
		// matched here, on every page.
		name := nameTag(in.TagSpecifications)
		var next *string
		for name != "" {
			d, err := c.EC2.DescribeTransitGateways(ctx, &ec2.DescribeTransitGatewaysInput{Filters: []ec2types.Filter{ec2Filter("state", "pending", "available")}, NextToken: next})
			if err != nil {
				return StepResult{}, err
			}
			for _, g := range d.TransitGateways {
				if slices.ContainsFunc(g.Tags, func(t ec2types.Tag) bool { return aws.ToString(t.Key) == "Name" && aws.ToString(t.Value) == name }) {
					return existing(aws.ToString(g.TransitGatewayId))
				}
			}
			if next = d.NextToken; aws.ToString(next) == "" {
				break
			}
		}
		out, err := c.EC2.CreateTransitGateway(ctx, in)
		return answered(s, out, err)
	case *ec2.CreateTransitGatewayVpcAttachmentInput:
		d, err := c.EC2.DescribeTransitGatewayVpcAttachments(ctx, &ec2.DescribeTransitGatewayVpcAttachmentsInput{Filters: []ec2types.Filter{
			ec2Filter("transit-gateway-id", aws.ToString(in.TransitGatewayId)), ec2Filter("vpc-id", aws.ToString(in.VpcId)), ec2Filter("state", "pending", "available")}})
		if err != nil {
			return StepResult{}, err
		}
		if len(d.TransitGatewayVpcAttachments) > 0 {
			return existing(aws.ToString(d.TransitGatewayVpcAttachments[0].TransitGatewayAttachmentId))
		}
		out, err := c.EC2.CreateTransitGatewayVpcAttachment(ctx, in)
		return answered(s, out, err)
	case *ec2.CreateCustomerGatewayInput:
		d, err := c.EC2.DescribeCustomerGateways(ctx, &ec2.DescribeCustomerGatewaysInput{Filters: append(nameFilter(in.TagSpecifications),
			ec2Filter("ip-address", aws.ToString(in.IpAddress)), ec2Filter("state", "pending", "available"))})
		if err != nil {
			return StepResult{}, err
		}
		if len(d.CustomerGateways) > 0 {
			return existing(aws.ToString(d.CustomerGateways[0].CustomerGatewayId))
		}
		out, err := c.EC2.CreateCustomerGateway(ctx, in)
		return answered(s, out, err)
	case *ec2.CreateVpnConnectionInput:
		d, err := c.EC2.DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{Filters: []ec2types.Filter{
			ec2Filter("customer-gateway-id", aws.ToString(in.CustomerGatewayId)), ec2Filter("transit-gateway-id", aws.ToString(in.TransitGatewayId)), ec2Filter("state", "pending", "available")}})
		if err != nil {
			return StepResult{}, err
		}
		if len(d.VpnConnections) > 0 {
			return existing(aws.ToString(d.VpnConnections[0].VpnConnectionId))
		}
		out, err := c.EC2.CreateVpnConnection(ctx, in)
		return answered(s, out, err)
	case *ec2.CreateRouteInput:
		out, err := c.EC2.CreateRoute(ctx, in)
		return answered(s, out, err, "RouteAlreadyExists")
	case *ec2.AuthorizeSecurityGroupIngressInput:
		out, err := c.EC2.AuthorizeSecurityGroupIngress(ctx, in)
		return answered(s, out, err, "InvalidPermission.Duplicate")
	case *ec2.AuthorizeSecurityGroupEgressInput:
		out, err := c.EC2.AuthorizeSecurityGroupEgress(ctx, in)
		return answered(s, out, err, "InvalidPermission.Duplicate")

	case *directconnect.CreateDirectConnectGatewayInput:
		var next *string
		for {
			d, err := c.DirectConnect.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{NextToken: next})
			if err != nil {
				return StepResult{}, err
			}
			for _, g := range d.DirectConnectGateways {
				if aws.ToString(g.DirectConnectGatewayName) == aws.ToString(in.DirectConnectGatewayName) &&
					(g.DirectConnectGatewayState == dxtypes.DirectConnectGatewayStatePending || g.DirectConnectGatewayState == dxtypes.DirectConnectGatewayStateAvailable) {
					return existing(aws.ToString(g.DirectConnectGatewayId))
				}
			}
			if next = d.NextToken; aws.ToString(next) == "" {
				break
			}
		}
		out, err := c.DirectConnect.CreateDirectConnectGateway(ctx, in)
		return answered(s, out, err)
	case *directconnect.CreateDirectConnectGatewayAssociationInput:
		d, err := c.DirectConnect.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{
			DirectConnectGatewayId: in.DirectConnectGatewayId, AssociatedGatewayId: in.GatewayId})
		if err != nil {
			return StepResult{}, err
		}
		for _, a := range d.DirectConnectGatewayAssociations {
			if a.AssociationState != dxtypes.DirectConnectGatewayAssociationStateDisassociating && a.AssociationState != dxtypes.DirectConnectGatewayAssociationStateDisassociated {
				return existing("")
			}
		}
		out, err := c.DirectConnect.CreateDirectConnectGatewayAssociation(ctx, in)
		return answered(s, out, err)

	case *iam.CreateRoleInput:
		out, err := c.IAM.CreateRole(ctx, in)
		return answered(s, out, err, "EntityAlreadyExists")
	case *iam.PutRolePolicyInput:
		outcome := OutcomeCreated
		d, err := c.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: in.RoleName, PolicyName: in.PolicyName})
		switch {
		case hasCode(err, "NoSuchEntity"):
		case err != nil:
			return StepResult{}, err
		case samePolicy(aws.ToString(d.PolicyDocument), aws.ToString(in.PolicyDocument)):
			return existing("")
		default:
			outcome = OutcomeUpdated
		}
		if _, err := c.IAM.PutRolePolicy(ctx, in); err != nil {
			return StepResult{}, err
		}
		return StepResult{ID: s.ID, Outcome: outcome}, nil
	case *iam.AttachRolePolicyInput:
		var marker *string
		for {
			d, err := c.IAM.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: in.RoleName, Marker: marker})
			if err != nil {
				return StepResult{}, err
			}
			for _, a := range d.AttachedPolicies {
				if aws.ToString(a.PolicyArn) == aws.ToString(in.PolicyArn) {
					return existing("")
				}
			}
			if !d.IsTruncated {
				break
			}
			marker = d.Marker
		}
		out, err := c.IAM.AttachRolePolicy(ctx, in)
		return answered(s, out, err)

	case *ssm.CreateActivationInput:
		d, err := c.SSM.DescribeActivations(ctx, &ssm.DescribeActivationsInput{Filters: []ssmtypes.DescribeActivationsFilter{
			{FilterKey: ssmtypes.DescribeActivationsFilterKeysIamRole, FilterValues: []string{aws.ToString(in.IamRole)}},
			{FilterKey: ssmtypes.DescribeActivationsFilterKeysDefaultInstanceName, FilterValues: []string{aws.ToString(in.DefaultInstanceName)}},
		}})
		if err != nil {
			return StepResult{}, err
		}
		for _, a := range d.ActivationList {
			if !a.Expired && aws.ToString(a.Description) == aws.ToString(in.Description) {
				return existing(aws.ToString(a.ActivationId))
			}
		}
		out, err := c.SSM.CreateActivation(ctx, in)
		if err != nil {
			return StepResult{}, err
		}
		res.ActivationCode = nodeconfig.Secret(aws.ToString(out.ActivationCode))
		return created(s, out)

	case *rolesanywhere.CreateProfileInput:
		var next *string
		for {
			d, err := c.RolesAnywhere.ListProfiles(ctx, &rolesanywhere.ListProfilesInput{NextToken: next})
			if err != nil {
				return StepResult{}, err
			}
			for _, p := range d.Profiles {
				if aws.ToString(p.Name) == aws.ToString(in.Name) {
					return existing(aws.ToString(p.ProfileArn))
				}
			}
			if next = d.NextToken; aws.ToString(next) == "" {
				break
			}
		}
		out, err := c.RolesAnywhere.CreateProfile(ctx, in)
		return answered(s, out, err)

	case *route53resolver.CreateResolverEndpointInput:
		d, err := c.Route53Resolver.ListResolverEndpoints(ctx, &route53resolver.ListResolverEndpointsInput{Filters: []r53rtypes.Filter{resolverFilter("CreatorRequestId", aws.ToString(in.CreatorRequestId))}})
		if err != nil {
			return StepResult{}, err
		}
		if len(d.ResolverEndpoints) > 0 {
			return existing(aws.ToString(d.ResolverEndpoints[0].Id))
		}
		out, err := c.Route53Resolver.CreateResolverEndpoint(ctx, in)
		return answered(s, out, err)
	case *route53resolver.CreateResolverRuleInput:
		d, err := c.Route53Resolver.ListResolverRules(ctx, &route53resolver.ListResolverRulesInput{Filters: []r53rtypes.Filter{resolverFilter("CreatorRequestId", aws.ToString(in.CreatorRequestId))}})
		if err != nil {
			return StepResult{}, err
		}
		if len(d.ResolverRules) > 0 {
			return existing(aws.ToString(d.ResolverRules[0].Id))
		}
		out, err := c.Route53Resolver.CreateResolverRule(ctx, in)
		return answered(s, out, err)
	case *route53resolver.AssociateResolverRuleInput:
		d, err := c.Route53Resolver.ListResolverRuleAssociations(ctx, &route53resolver.ListResolverRuleAssociationsInput{Filters: []r53rtypes.Filter{
			resolverFilter("ResolverRuleId", aws.ToString(in.ResolverRuleId)), resolverFilter("VPCId", aws.ToString(in.VPCId))}})
		if err != nil {
			return StepResult{}, err
		}
		if len(d.ResolverRuleAssociations) > 0 {
			return existing("")
		}
		out, err := c.Route53Resolver.AssociateResolverRule(ctx, in)
		return answered(s, out, err, "ResourceExistsException")
	}
	return StepResult{}, fmt.Errorf("awssdk: no call for %T", input)
}

// await polls the resource a step created until it reaches the step's
// AwaitState, a failed state, MaxPolls or the context's end.
func (c Clients) await(ctx context.Context, s Step, id string) error {
	for i := 0; ; i++ {
		state, err := c.state(ctx, s, id)
		if err != nil {
			return err
		}
		switch state {
		case s.AwaitState:
			return nil
		case "failed", "failing", "deleting", "deleted", "rejected", "ACTION_NEEDED", "DELETING":
			return fmt.Errorf("%s is %s, waiting for %s", id, state, s.AwaitState)
		}
		if i+1 >= c.MaxPolls {
			return fmt.Errorf("%s is still %s after %d polls, waiting for %s", id, state, c.MaxPolls, s.AwaitState)
		}
		t := time.NewTimer(c.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// state reads the state of the resource a step created.
func (c Clients) state(ctx context.Context, s Step, id string) (string, error) {
	switch s.Input.(type) {
	case *ec2.CreateTransitGatewayInput:
		d, err := c.EC2.DescribeTransitGateways(ctx, &ec2.DescribeTransitGatewaysInput{TransitGatewayIds: []string{id}})
		if err != nil || len(d.TransitGateways) == 0 {
			return "", errors.Join(err, fmt.Errorf("%s not found", id))
		}
		return string(d.TransitGateways[0].State), nil
	case *ec2.CreateTransitGatewayVpcAttachmentInput:
		d, err := c.EC2.DescribeTransitGatewayVpcAttachments(ctx, &ec2.DescribeTransitGatewayVpcAttachmentsInput{TransitGatewayAttachmentIds: []string{id}})
		if err != nil || len(d.TransitGatewayVpcAttachments) == 0 {
			return "", errors.Join(err, fmt.Errorf("%s not found", id))
		}
		return string(d.TransitGatewayVpcAttachments[0].State), nil
	case *ec2.CreateVpnConnectionInput:
		d, err := c.EC2.DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{VpnConnectionIds: []string{id}})
		if err != nil || len(d.VpnConnections) == 0 {
			return "", errors.Join(err, fmt.Errorf("%s not found", id))
		}
		return string(d.VpnConnections[0].State), nil
	case *route53resolver.CreateResolverEndpointInput:
		d, err := c.Route53Resolver.GetResolverEndpoint(ctx, &route53resolver.GetResolverEndpointInput{ResolverEndpointId: aws.String(id)})
		if err != nil || d.ResolverEndpoint == nil {
			return "", errors.Join(err, fmt.Errorf("%s not found", id))
		}
		return string(d.ResolverEndpoint.Status), nil
	}
	return "", fmt.Errorf("awssdk: no state to read for %T", s.Input)
}

func ec2Filter(name string, values ...string) ec2types.Filter {
	return ec2types.Filter{Name: aws.String(name), Values: values}
}

// nameTag is the Name tag the plan gives a resource, or "".
func nameTag(specs []ec2types.TagSpecification) string {
	for _, s := range specs {
		for _, t := range s.Tags {
			if aws.ToString(t.Key) == "Name" {
				return aws.ToString(t.Value)
			}
		}
	}
	return ""
}

// nameFilter finds resources by the Name tag the plan gives them.
func nameFilter(specs []ec2types.TagSpecification) []ec2types.Filter {
	if name := nameTag(specs); name != "" {
		return []ec2types.Filter{ec2Filter("tag:Name", name)}
	}
	return nil
}

func resolverFilter(name, value string) r53rtypes.Filter {
	return r53rtypes.Filter{Name: aws.String(name), Values: []string{value}}
}

// sameRemoteNetworks compares the cluster's remote networks with the
// plan's, as sets of CIDRs per kind.
func sameRemoteNetworks(have *ekstypes.RemoteNetworkConfigResponse, want *ekstypes.RemoteNetworkConfigRequest) bool {
	var haveNodes, havePods, wantNodes, wantPods []string
	if have != nil {
		for _, n := range have.RemoteNodeNetworks {
			haveNodes = append(haveNodes, n.Cidrs...)
		}
		for _, n := range have.RemotePodNetworks {
			havePods = append(havePods, n.Cidrs...)
		}
	}
	if want != nil {
		for _, n := range want.RemoteNodeNetworks {
			wantNodes = append(wantNodes, n.Cidrs...)
		}
		for _, n := range want.RemotePodNetworks {
			wantPods = append(wantPods, n.Cidrs...)
		}
	}
	for _, l := range [][]string{haveNodes, havePods, wantNodes, wantPods} {
		slices.Sort(l)
	}
	return slices.Equal(haveNodes, wantNodes) && slices.Equal(havePods, wantPods)
}

// samePolicy compares a policy document IAM returns (URL-encoded JSON,
// as GetRolePolicy documents it) with the plan's, as JSON values.
func samePolicy(have, want string) bool {
	if u, err := url.QueryUnescape(have); err == nil {
		have = u
	}
	var h, w any
	if json.Unmarshal([]byte(have), &h) != nil || json.Unmarshal([]byte(want), &w) != nil {
		return false
	}
	return reflect.DeepEqual(h, w)
}
