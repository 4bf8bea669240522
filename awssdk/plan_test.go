package awssdk_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/rolesanywhere"

	"github.com/hybridkit/hybridkit/awssdk"
	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

func TestBuildRefusesAnIncompleteAWSSide(t *testing.T) {
	a := awsSide(t, blueprint.Reference())
	for _, tc := range []struct {
		name  string
		edit  func(*blueprint.AWS)
		error string
	}{
		{"zero", func(a *blueprint.AWS) { *a = blueprint.AWS{} }, "names no cluster"},
		{"no routes", func(a *blueprint.AWS) { a.Routing.VPCRoutes = nil }, "no VPC routes"},
		{"overlapping remote networks", func(a *blueprint.AWS) {
			a.RemoteNetworks.RemotePodNetworks = []netplan.RemoteNetwork{{CIDRs: []string{"192.168.10.0/25"}}}
		}, "remotePodNetworks[0].cidrs[0]"},
		{"no VPC", func(a *blueprint.AWS) { a.Connectivity.VPCID = "" }, "vpcId"},
		{"no identity", func(a *blueprint.AWS) { a.Identity = nodeconfig.Identity{} }, "provider"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := a
			tc.edit(&b)
			p, err := awssdk.Build(b)
			if err == nil || !strings.Contains(err.Error(), tc.error) {
				t.Fatalf("err = %v, want one naming %q", err, tc.error)
			}
			if len(p.Steps) != 0 {
				t.Errorf("an error came with %d steps", len(p.Steps))
			}
		})
	}
}

func TestPlanCheck(t *testing.T) {
	route := func(id string, needs ...awssdk.Need) awssdk.Step {
		return awssdk.Step{ID: id, Service: awssdk.ServiceEC2, Operation: "CreateRoute", Input: &ec2.CreateRouteInput{}, Needs: needs}
	}
	tgw := awssdk.Step{ID: "tgw", Service: awssdk.ServiceEC2, Operation: "CreateTransitGateway", Input: &ec2.CreateTransitGatewayInput{}, Produces: "TransitGateway.TransitGatewayId"}
	for _, tc := range []struct {
		name  string
		steps []awssdk.Step
		error string
	}{
		{"valid", []awssdk.Step{tgw, route("r", awssdk.Need{Field: "TransitGatewayId", Step: "tgw"})}, ""},
		{"need before its producer", []awssdk.Step{route("r", awssdk.Need{Field: "TransitGatewayId", Step: "tgw"}), tgw}, `needs "tgw", which is not an earlier step`},
		{"need of a step without output", []awssdk.Step{route("a"), route("r", awssdk.Need{Field: "TransitGatewayId", Step: "a"})}, "produces no ID"},
		{"unknown field", []awssdk.Step{tgw, route("r", awssdk.Need{Field: "TransitGateway", Step: "tgw"})}, `no *string field "TransitGateway"`},
		{"field not a string", []awssdk.Step{tgw, route("r", awssdk.Need{Field: "DryRun", Step: "tgw"})}, `no *string field "DryRun"`},
		{"duplicate ID", []awssdk.Step{tgw, tgw}, "used twice"},
		{"no ID", []awssdk.Step{route("")}, "has no ID"},
		{"input not a pointer", []awssdk.Step{{ID: "x", Input: ec2.CreateRouteInput{}}}, "non-nil pointer"},
		{"nil input", []awssdk.Step{{ID: "x", Input: (*ec2.CreateRouteInput)(nil)}}, "non-nil pointer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := awssdk.Plan{Steps: tc.steps}.Check()
			if tc.error == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.error) {
				t.Fatalf("err = %v, want %q", err, tc.error)
			}
			// Apply refuses the plan before any call.
			fake, clients := newFakeAWS(t)
			if _, err := awssdk.Apply(context.Background(), clients, awssdk.Plan{Steps: tc.steps}); err == nil {
				t.Error("Apply ran a plan that fails Check")
			}
			if len(fake.ops()) != 0 {
				t.Errorf("Apply called %q", fake.ops())
			}
		})
	}
}

// TestApplyLeavesThePlanAlone: Needs are filled in copies, so a plan can
// be applied again or printed after.
func TestApplyLeavesThePlanAlone(t *testing.T) {
	p := referencePlan(t)
	_, clients := newFakeAWS(t)
	if _, err := awssdk.Apply(context.Background(), clients, p); err != nil {
		t.Fatal(err)
	}
	s, _ := p.Step("route/rtb-0aaaaaaaaaaaaaaa1/192.168.10.0/24")
	if id := s.Input.(*ec2.CreateRouteInput).TransitGatewayId; id != nil {
		t.Errorf("Apply wrote %q into the plan's input", *id)
	}
}

func TestApplyNeedsItsClients(t *testing.T) {
	p := referencePlan(t)
	_, clients := newFakeAWS(t)
	clients.IAM = nil
	res, err := awssdk.Apply(context.Background(), clients, p)
	if err == nil || !strings.Contains(err.Error(), "no iam client") {
		t.Fatalf("err = %v, want one naming the missing iam client", err)
	}
	if len(res.Steps) == 0 {
		t.Error("the steps before the role were not reported")
	}
}

func TestApplyWaitsForAvailable(t *testing.T) {
	p := referencePlan(t)
	fake, clients := newFakeAWS(t)
	if _, err := awssdk.Apply(context.Background(), clients, p); err != nil {
		t.Fatal(err)
	}
	ops := fake.ops()
	idx := func(op string) int {
		for i, o := range ops {
			if o == op {
				return i
			}
		}
		return -1
	}
	// The attachment waits for the Transit Gateway; routes for the attachment.
	create, attach := idx("ec2:CreateTransitGateway"), idx("ec2:CreateTransitGatewayVpcAttachment")
	if ops[create+1] != "ec2:DescribeTransitGateways" || attach < create {
		t.Errorf("no state poll between the Transit Gateway and its attachment: %q", ops[create:attach+1])
	}
	if ops[attach+1] != "ec2:DescribeTransitGatewayVpcAttachments" {
		t.Errorf("no state poll after the attachment: %q", ops[attach:attach+2])
	}
	if ops[idx("route53resolver:CreateResolverEndpoint")+1] != "route53resolver:GetResolverEndpoint" {
		t.Error("no state poll after the endpoint")
	}
}

func TestResultRedactsTheActivationCode(t *testing.T) {
	p := referencePlan(t)
	_, clients := newFakeAWS(t)
	res, err := awssdk.Apply(context.Background(), clients, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(res), fmt.Sprintf("%+v", res), fmt.Sprintf("%#v", res)} {
		if strings.Contains(s, "Z0a1B2c3D4e5F6g7H8i9") {
			t.Errorf("the Result prints the activation code: %s", s)
		}
	}
}

func TestTrustAnchorInput(t *testing.T) {
	ca, err := os.ReadFile("testdata/site-ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	fake, clients := newFakeAWS(t)
	ra := clients.RolesAnywhere.(*rolesanywhere.Client)
	for _, tc := range []struct {
		name   string
		anchor nodeconfig.TrustAnchor
		source string
	}{
		{"certificate bundle", nodeconfig.TrustAnchor{Name: "site-ca", Region: "ap-northeast-2", CertificateBundle: string(ca)}, "CERTIFICATE_BUNDLE"},
		{"private CA", nodeconfig.TrustAnchor{Name: "site-pca", Region: "ap-northeast-2", ACMPCAARN: "arn:aws:acm-pca:ap-northeast-2:111122223333:certificate-authority/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d"}, "AWS_ACM_PCA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := awssdk.TrustAnchorInput(tc.anchor)
			if err != nil {
				t.Fatal(err)
			}
			out, err := ra.CreateTrustAnchor(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(aws.ToString(out.TrustAnchor.TrustAnchorArn), "arn:aws:rolesanywhere:") {
				t.Errorf("trust anchor ARN %v", out.TrustAnchor.TrustAnchorArn)
			}
			cs := fake.callsOf("rolesanywhere:CreateTrustAnchor")
			body := cs[len(cs)-1].JSON
			src := body["source"].(map[string]any)
			if src["sourceType"] != tc.source || body["enabled"] != true || body["name"] != tc.anchor.Name {
				t.Errorf("CreateTrustAnchor %v", body)
			}
		})
	}
	if _, err := awssdk.TrustAnchorInput(nodeconfig.TrustAnchor{Name: "x", Region: "ap-northeast-2"}); err == nil || !strings.Contains(err.Error(), "certificateBundle") {
		t.Errorf("an anchor without a source: err = %v", err)
	}
}

// TestCustomerGatewayASN: BgpAsn takes ASNs up to 2147483647 and
// BgpAsnExtended only those above (EC2 API, CreateCustomerGateway).
func TestCustomerGatewayASN(t *testing.T) {
	a := awsSide(t, variant(t, vpnVariant))
	for _, tc := range []struct {
		asn      int64
		extended bool
	}{{65010, false}, {netplan.MaxBgpAsn, false}, {netplan.MaxBgpAsn + 1, true}, {4200000000, true}} {
		a.Connectivity.VPN.CustomerASN = tc.asn
		p, err := awssdk.Build(a)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := p.Step(awssdk.StepCustomerGateway)
		in := s.Input.(*ec2.CreateCustomerGatewayInput)
		switch {
		case tc.extended && (in.BgpAsn != nil || aws.ToInt64(in.BgpAsnExtended) != tc.asn):
			t.Errorf("ASN %d: BgpAsn %v, BgpAsnExtended %v; want only BgpAsnExtended", tc.asn, in.BgpAsn, in.BgpAsnExtended)
		case !tc.extended && (in.BgpAsnExtended != nil || int64(aws.ToInt32(in.BgpAsn)) != tc.asn):
			t.Errorf("ASN %d: BgpAsn %v, BgpAsnExtended %v; want only BgpAsn", tc.asn, in.BgpAsn, in.BgpAsnExtended)
		}
	}
}
