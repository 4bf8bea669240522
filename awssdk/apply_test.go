package awssdk_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"

	"github.com/hybridkit/hybridkit/awssdk"
	"github.com/hybridkit/hybridkit/blueprint"
)

// vpnVariant is the core module's variant with a VPN and IAM Roles
// Anywhere, where the reference has Direct Connect and SSM.
const vpnVariant = "vpn-calico-iam-roles-anywhere.yaml"

// variant reads a blueprint from the core module's variants.
func variant(t *testing.T, name string) blueprint.Blueprint {
	t.Helper()
	data, err := os.ReadFile("../blueprint/testdata/variants/" + name)
	if err != nil {
		t.Fatal(err)
	}
	b, err := blueprint.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// awsSide is b's AWS side.
func awsSide(t *testing.T, b blueprint.Blueprint) blueprint.AWS {
	t.Helper()
	a, err := b.AWS()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// planOf builds the plan of b.
func planOf(t *testing.T, b blueprint.Blueprint) awssdk.Plan {
	t.Helper()
	p, err := awssdk.Build(awsSide(t, b))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func referencePlan(t *testing.T) awssdk.Plan { return planOf(t, blueprint.Reference()) }

func variantPlan(t *testing.T, name string) awssdk.Plan { return planOf(t, variant(t, name)) }

// planOps are the plan's operations, "<service>:<Operation>", in order.
func planOps(p awssdk.Plan) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, string(s.Service)+":"+s.Operation)
	}
	return out
}

// mutating keeps the operations that change something, in order.
func mutating(ops []string) []string {
	var out []string
	for _, op := range ops {
		_, name, _ := strings.Cut(op, ":")
		if !strings.HasPrefix(name, "Describe") && !strings.HasPrefix(name, "List") && !strings.HasPrefix(name, "Get") {
			out = append(out, op)
		}
	}
	return out
}

func TestApplyReference(t *testing.T) {
	p := referencePlan(t)
	fake, clients := newFakeAWS(t)
	res, err := awssdk.Apply(context.Background(), clients, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != len(p.Steps) {
		t.Fatalf("%d steps done, want %d", len(res.Steps), len(p.Steps))
	}
	// Every step's call reached AWS, in the plan's order: the SDK client
	// validated and serialised each input.
	want := slices.DeleteFunc(planOps(p), func(op string) bool { return op == "eks:DescribeCluster" })
	if got := mutating(fake.ops()); !slices.Equal(got, want) {
		t.Errorf("calls that change AWS:\n got %q\nwant %q", got, want)
	}
	for _, r := range res.Steps {
		wantOutcome := awssdk.OutcomeCreated
		switch r.ID {
		case awssdk.StepCluster:
			wantOutcome = awssdk.OutcomeRead
		case "cluster-remote-networks":
			wantOutcome = awssdk.OutcomeUpdated
		}
		if r.Outcome != wantOutcome {
			t.Errorf("step %s: %s, want %s", r.ID, r.Outcome, wantOutcome)
		}
	}

	// The IDs flow from the step that produces them to the steps that need them.
	tgw := res.ResourceID(awssdk.StepTransitGateway)
	if !strings.HasPrefix(tgw, "tgw-") {
		t.Fatalf("transit gateway ID %q", tgw)
	}
	routes := fake.callsOf("ec2:CreateRoute")
	if len(routes) != 10 {
		t.Fatalf("%d CreateRoute calls, want 10", len(routes))
	}
	for _, c := range routes {
		if c.Form.Get("TransitGatewayId") != tgw || !strings.HasPrefix(c.Form.Get("RouteTableId"), "rtb-") {
			t.Errorf("CreateRoute %v: want TransitGatewayId %s", c.Form, tgw)
		}
	}
	if got := routes[0].Form.Get("DestinationCidrBlock"); got != "192.168.10.0/24" {
		t.Errorf("the first route goes to %s, want the remote node network 192.168.10.0/24", got)
	}
	att := fake.callsOf("ec2:CreateTransitGatewayVpcAttachment")[0].Form
	if att.Get("TransitGatewayId") != tgw || att.Get("VpcId") != "vpc-0a1b2c3d4e5f67890" || att.Get("SubnetIds.1") != "subnet-0aaaaaaaaaaaaaaa1" {
		t.Errorf("CreateTransitGatewayVpcAttachment %v", att)
	}
	tg := fake.callsOf("ec2:CreateTransitGateway")[0].Form
	if tg.Get("Options.AmazonSideAsn") != "64512" || tg.Get("Options.AutoAcceptSharedAttachments") != "disable" || tg.Get("TagSpecification.1.Tag.1.Value") != "gpu-hybrid-cluster-tgw" {
		t.Errorf("CreateTransitGateway %v", tg)
	}
	dx := fake.callsOf("directconnect:CreateDirectConnectGatewayAssociation")[0].JSON
	if dx["gatewayId"] != tgw || dx["directConnectGatewayId"] != res.ResourceID(awssdk.StepDirectConnectGateway) {
		t.Errorf("CreateDirectConnectGatewayAssociation %v", dx)
	}
	if ps, _ := dx["addAllowedPrefixesToDirectConnectGateway"].([]any); len(ps) != 1 || ps[0].(map[string]any)["cidr"] != "10.0.0.0/16" {
		t.Errorf("allowed prefixes %v, want the VPC CIDR", dx["addAllowedPrefixesToDirectConnectGateway"])
	}
	for _, op := range []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress"} {
		cs := fake.callsOf(op)
		var cluster int
		for _, c := range cs {
			if c.Form.Get("GroupId") == "sg-0c1a2b3c4d5e6f708" {
				cluster++
			}
			if c.Form.Has("IpPermissions.2.IpProtocol") {
				t.Errorf("%s carries two permissions: one per call", op)
			}
		}
		if wantN := map[string]int{"ec2:AuthorizeSecurityGroupIngress": 2, "ec2:AuthorizeSecurityGroupEgress": 4}[op]; cluster != wantN {
			t.Errorf("%d %s calls on the cluster security group from DescribeCluster, want %d", cluster, op, wantN)
		}
	}
	kubelet := fake.callsOf("ec2:AuthorizeSecurityGroupEgress")[3].Form
	if kubelet.Get("IpPermissions.1.FromPort") != "10250" || kubelet.Get("IpPermissions.1.IpRanges.1.CidrIp") != "192.168.10.0/24" {
		t.Errorf("the kubelet rule %v", kubelet)
	}
	upd := fake.callsOf("eks:UpdateClusterConfig")[0].JSON["remoteNetworkConfig"].(map[string]any)
	if n := upd["remoteNodeNetworks"].([]any)[0].(map[string]any)["cidrs"].([]any); len(n) != 1 || n[0] != "192.168.10.0/24" {
		t.Errorf("remote node networks %v", upd)
	}
	ae := fake.callsOf("eks:CreateAccessEntry")[0].JSON
	if ae["type"] != "HYBRID_LINUX" || ae["principalArn"] != "arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole" {
		t.Errorf("CreateAccessEntry %v", ae)
	}
	act := fake.callsOf("ssm:CreateActivation")[0].JSON
	if act["IamRole"] != "AmazonEKSHybridNodesRole" || act["RegistrationLimit"] != float64(10) {
		t.Errorf("CreateActivation %v", act)
	}
	if res.ActivationCode.Reveal() != "Z0a1B2c3D4e5F6g7H8i9" || res.ResourceID(awssdk.StepSSMActivation) == "" {
		t.Errorf("the activation's ID %q and code were not returned", res.ResourceID(awssdk.StepSSMActivation))
	}
	if s := res.ActivationCode.String(); strings.Contains(s, "Z0a1") {
		t.Errorf("the activation code prints as %q", s)
	}
	out := res.ResourceID(awssdk.StepOutboundEndpoint)
	for _, c := range fake.callsOf("route53resolver:CreateResolverRule") {
		if c.JSON["ResolverEndpointId"] != out {
			t.Errorf("CreateResolverRule %v: want the outbound endpoint %s", c.JSON, out)
		}
	}
	for _, c := range fake.callsOf("route53resolver:AssociateResolverRule") {
		if !strings.HasPrefix(c.JSON["ResolverRuleId"].(string), "rslvr-rr-") || c.JSON["VPCId"] != "vpc-0a1b2c3d4e5f67890" {
			t.Errorf("AssociateResolverRule %v", c.JSON)
		}
	}
	if len(fake.callsOf("route53resolver:AssociateResolverRule")) == 0 {
		t.Error("no rule was associated")
	}
}

// TestApplyTwiceCreatesNothing is the idempotency proof: the second Apply
// against the same AWS finds every resource, or is told it exists, and
// creates nothing.
func TestApplyTwiceCreatesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		plan func(*testing.T) awssdk.Plan
	}{
		{"reference (Direct Connect, SSM, Resolver)", referencePlan},
		{"VPN and IAM Roles Anywhere", func(t *testing.T) awssdk.Plan { return variantPlan(t, vpnVariant) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.plan(t)
			fake, clients := newFakeAWS(t)
			first, err := awssdk.Apply(context.Background(), clients, p)
			if err != nil {
				t.Fatal(err)
			}
			made := fake.created
			if made == 0 {
				t.Fatal("the first Apply created nothing")
			}
			second, err := awssdk.Apply(context.Background(), clients, p)
			if err != nil {
				t.Fatal(err)
			}
			if fake.created != made {
				t.Errorf("the second Apply created %d resources", fake.created-made)
			}
			for i, r := range second.Steps {
				if r.Outcome != awssdk.OutcomeExisting && r.Outcome != awssdk.OutcomeRead {
					t.Errorf("second Apply, step %s: %s", r.ID, r.Outcome)
				}
				if r.ResourceID != first.Steps[i].ResourceID {
					t.Errorf("step %s: the second Apply used %q, the first %q", r.ID, r.ResourceID, first.Steps[i].ResourceID)
				}
			}
			if second.ActivationCode != "" {
				t.Error("the second Apply returned an activation code for an activation it did not create")
			}
		})
	}
}

func TestApplyVPNAndRolesAnywhere(t *testing.T) {
	p := variantPlan(t, vpnVariant)
	fake, clients := newFakeAWS(t)
	clients.DirectConnect, clients.SSM = nil, nil // the plan needs neither
	res, err := awssdk.Apply(context.Background(), clients, p)
	if err != nil {
		t.Fatal(err)
	}
	vpn := fake.callsOf("ec2:CreateVpnConnection")[0].Form
	if vpn.Get("CustomerGatewayId") != res.ResourceID(awssdk.StepCustomerGateway) || vpn.Get("TransitGatewayId") != res.ResourceID(awssdk.StepTransitGateway) || vpn.Get("Type") != "ipsec.1" {
		t.Errorf("CreateVpnConnection %v", vpn)
	}
	cgw := fake.callsOf("ec2:CreateCustomerGateway")[0].Form
	if cgw.Get("IpAddress") != "203.0.113.10" || cgw.Get("BgpAsn") != "65010" || cgw.Has("BgpAsnExtended") {
		t.Errorf("CreateCustomerGateway %v", cgw)
	}
	prof := fake.callsOf("rolesanywhere:CreateProfile")[0].JSON
	if prof["name"] != "gpu-hybrid-cluster-hybrid-nodes" || prof["durationSeconds"] != float64(3600) || prof["enabled"] != true {
		t.Errorf("CreateProfile %v", prof)
	}
	if arns := prof["roleArns"].([]any); len(arns) != 1 || arns[0] != "arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole" {
		t.Errorf("profile role ARNs %v", arns)
	}
	if !strings.HasPrefix(res.ResourceID(awssdk.StepRolesAnywhereProfile), "arn:aws:rolesanywhere:") {
		t.Errorf("profile ARN %q", res.ResourceID(awssdk.StepRolesAnywhereProfile))
	}
	if len(fake.callsOf("ssm:CreateActivation"))+len(fake.callsOf("directconnect:CreateDirectConnectGateway")) != 0 {
		t.Error("a VPN and IAM Roles Anywhere plan called SSM or Direct Connect")
	}
}

// TestApplyStopsAtTheFirstFailure: AWS refuses one call; Apply reports the
// steps before it and makes no later call.
func TestApplyStopsAtTheFirstFailure(t *testing.T) {
	p := referencePlan(t)
	fake, clients := newFakeAWS(t)
	fake.failOp = "iam:CreateRole"
	res, err := awssdk.Apply(context.Background(), clients, p)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" || !strings.Contains(err.Error(), `step "role" (iam CreateRole)`) {
		t.Fatalf("err = %v, want AccessDenied at step role", err)
	}
	roleAt := slices.IndexFunc(p.Steps, func(s awssdk.Step) bool { return s.ID == "role" })
	if len(res.Steps) != roleAt {
		t.Errorf("%d steps reported done, want the %d before the role", len(res.Steps), roleAt)
	}
	if ops := fake.ops(); ops[len(ops)-1] != "iam:CreateRole" {
		t.Errorf("calls after the failure: %q", ops)
	}
}

// TestSDKValidatorRefusesAMissingField is the negative twin: an input
// without a required field fails in the SDK client's own validation,
// before a request is sent.
func TestSDKValidatorRefusesAMissingField(t *testing.T) {
	p := referencePlan(t)
	fake, clients := newFakeAWS(t)
	s, ok := p.Step("route/rtb-0aaaaaaaaaaaaaaa1/192.168.10.0/24")
	if !ok {
		t.Fatal("no route step")
	}
	in := *s.Input.(*ec2.CreateRouteInput)
	_, err := clients.EC2.CreateRoute(context.Background(), &in)
	if err != nil {
		t.Fatalf("the planned route fails: %v", err)
	}
	in.RouteTableId = nil
	_, err = clients.EC2.CreateRoute(context.Background(), &in)
	var inv smithy.InvalidParamsError
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "RouteTableId") {
		t.Fatalf("err = %v, want the SDK's missing-parameter error for RouteTableId", err)
	}
	if n := len(fake.callsOf("ec2:CreateRoute")); n != 1 {
		t.Errorf("%d CreateRoute requests reached AWS, want only the valid one", n)
	}

	// Apply of a plan whose attachment lost its Need: the Transit Gateway
	// ID is missing, the SDK refuses the step, Apply stops there.
	for i := range p.Steps {
		if p.Steps[i].ID == awssdk.StepTransitGatewayAttachment {
			p.Steps[i].Needs = nil
		}
	}
	res, err := awssdk.Apply(context.Background(), clients, p)
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "TransitGatewayId") {
		t.Fatalf("err = %v, want the SDK's missing-parameter error for TransitGatewayId", err)
	}
	if last := res.Steps[len(res.Steps)-1].ID; last != awssdk.StepTransitGateway {
		t.Errorf("the last step done is %s, want %s", last, awssdk.StepTransitGateway)
	}
}

// TestApplyReusesOnlyWhatThePlanNames: a Transit Gateway with another
// Name tag is left alone and a new one created; one with the plan's name
// is reused.
func TestApplyReusesOnlyWhatThePlanNames(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reused bool
	}{{"another-cluster-tgw", false}, {"gpu-hybrid-cluster-tgw", true}} {
		t.Run(tc.name, func(t *testing.T) {
			p := referencePlan(t)
			fake, clients := newFakeAWS(t)
			existing := fake.add("tgw", "tgw-", map[string]string{"tag:Name": tc.name})
			res, err := awssdk.Apply(context.Background(), clients, p)
			if err != nil {
				t.Fatal(err)
			}
			got := res.ResourceID(awssdk.StepTransitGateway)
			if (got == existing) != tc.reused {
				t.Errorf("Transit Gateway %s, the existing one %s: reused %t, want %t", got, existing, got == existing, tc.reused)
			}
			if n := len(fake.callsOf("ec2:CreateTransitGateway")); n != map[bool]int{true: 0, false: 1}[tc.reused] {
				t.Errorf("%d CreateTransitGateway calls", n)
			}
		})
	}
}
