package nodeconfig_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// ssmIdentity is the reference scenario: ten GPU nodes registering with
// one SSM activation that expires a week after the plan was made.
func ssmIdentity() nodeconfig.Identity {
	return nodeconfig.Identity{
		ClusterName: "gpu-hybrid-cluster",
		Region:      "ap-northeast-2",
		AccountID:   "111122223333",
		Provider:    nodeconfig.ProviderSSM,
		Activation: &nodeconfig.Activation{
			RegistrationLimit: 10,
			Expiration:        time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC),
		},
	}
}

// iraIdentity is the variant: IAM Roles Anywhere and EKS Pod Identity.
func iraIdentity() nodeconfig.Identity {
	return nodeconfig.Identity{
		ClusterName:   "gpu-hybrid-cluster",
		Region:        "ap-northeast-2",
		AccountID:     "111122223333",
		Provider:      nodeconfig.ProviderIAMRolesAnywhere,
		PodIdentity:   true,
		RolesAnywhere: &nodeconfig.RolesAnywhere{TrustAnchorARN: exampleTA},
	}
}

// checkPolicyJSON asserts what IAM itself requires of a document: it is
// JSON, Version is 2012-10-17, and no principal is a wildcard.
func checkPolicyJSON(t *testing.T, what string, doc []byte) {
	t.Helper()
	var generic struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal(doc, &generic); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, doc)
	}
	if generic.Version != "2012-10-17" {
		t.Errorf("%s: Version %q", what, generic.Version)
	}
	if len(generic.Statement) == 0 {
		t.Errorf("%s: no statements", what)
	}
	for i, st := range generic.Statement {
		p, ok := st["Principal"]
		if !ok {
			continue
		}
		b, _ := json.Marshal(p)
		if strings.Contains(string(b), `"*"`) || string(b) == `"*"` {
			t.Errorf("%s: statement %d has a wildcard principal %s", what, i, b)
		}
	}
}

func TestIdentityGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		id   nodeconfig.Identity
	}{{"ssm", ssmIdentity()}, {"ira", iraIdentity()}} {
		t.Run(tc.name, func(t *testing.T) {
			role, err := tc.id.Role()
			if err != nil {
				t.Fatal(err)
			}
			js, err := json.MarshalIndent(role, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, "identity-"+tc.name+"-role.golden.json", append(js, '\n'))
			for what, d := range map[string]nodeconfig.PolicyDocument{"trust": role.TrustPolicy, "permissions": role.Permissions} {
				b, err := d.JSON()
				if err != nil {
					t.Fatal(err)
				}
				checkPolicyJSON(t, what, b)
			}

			script, err := nodeconfig.IdentityScript(tc.id)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, "identity-"+tc.name+".golden.sh", script)
			calls := testkit.RecordCommands(t, script, "aws", map[string]string{"create-profile": examplePr})
			var ops []string
			for _, c := range calls {
				ops = append(ops, c[0]+" "+c[1])
				for i := 1; i < len(c); i++ {
					// The documents reach the CLI byte for byte: in particular
					// the policy variable ${aws:PrincipalTag/x509Subject/CN}
					// is not expanded by the shell.
					if c[i-1] == "--assume-role-policy-document" || c[i-1] == "--policy-document" {
						checkPolicyJSON(t, c[1], []byte(c[i]))
					}
				}
			}
			want := []string{"iam create-role", "iam put-role-policy", "iam attach-role-policy"}
			switch tc.id.Provider {
			case nodeconfig.ProviderSSM:
				want = append(want, "iam attach-role-policy", "eks create-access-entry", "ssm create-activation")
			default:
				want = append(want, "eks create-access-entry", "rolesanywhere create-profile")
			}
			if !slices.Equal(ops, want) {
				t.Fatalf("calls = %q\nwant %q", ops, want)
			}
			trust := testkit.FlagValue(t, calls[0], "--assume-role-policy-document")
			if tc.id.Provider == nodeconfig.ProviderIAMRolesAnywhere && !strings.Contains(trust, `"sts:RoleSessionName":"${aws:PrincipalTag/x509Subject/CN}"`) {
				t.Errorf("the trust policy does not bind the session name to the certificate CN: %s", trust)
			}
			ae := calls[len(calls)-2]
			if testkit.FlagValue(t, ae, "--type") != "HYBRID_LINUX" || testkit.FlagValue(t, ae, "--principal-arn") != "arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole" {
				t.Errorf("access entry call %q", ae)
			}
		})
	}
}

func TestActivationInput(t *testing.T) {
	in, err := ssmIdentity().ActivationInput()
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "identity-ssm-activation.golden.json", append(js, '\n'))
	if in.IamRole != "AmazonEKSHybridNodesRole" || in.RegistrationLimit != 10 || in.Tags[0].Value != "arn:aws:eks:ap-northeast-2:111122223333:cluster/gpu-hybrid-cluster" {
		t.Errorf("ActivationInput = %+v", in)
	}
	if _, err := iraIdentity().ActivationInput(); err == nil {
		t.Error("an IAM Roles Anywhere identity produced an SSM activation")
	}
	// The activation script carries no activation code: there is none to
	// carry, and the one AWS prints is never fed back into a script.
	script, err := nodeconfig.IdentityScript(ssmIdentity())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(script), exampleCode) || strings.Contains(string(script), "--activation-code") {
		t.Error("the identity script holds an activation code")
	}
}

func TestRolePermissions(t *testing.T) {
	ssm, err := ssmIdentity().Role()
	if err != nil {
		t.Fatal(err)
	}
	ira, err := iraIdentity().Role()
	if err != nil {
		t.Fatal(err)
	}
	actions := func(d nodeconfig.PolicyDocument) []string {
		var out []string
		for _, s := range d.Statement {
			out = append(out, s.Action...)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		got     []string
		want    []string
		managed []string
	}{
		{"ssm", actions(ssm.Permissions), []string{"eks:DescribeCluster", "eks:ListAccessEntries", "ssm:DescribeInstanceInformation", "ssm:DeregisterManagedInstance"}, ssm.ManagedPolicyARNs},
		{"ira", actions(ira.Permissions), []string{"eks:DescribeCluster", "eks:ListAccessEntries", "eks-auth:AssumeRoleForPodIdentity"}, ira.ManagedPolicyARNs},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s actions = %v, want %v", tc.name, tc.got, tc.want)
		}
		if !slices.Contains(tc.managed, "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly") {
			t.Errorf("%s: nodes cannot pull from ECR: %v", tc.name, tc.managed)
		}
		if (tc.name == "ssm") != slices.Contains(tc.managed, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore") {
			t.Errorf("%s: AmazonSSMManagedInstanceCore attached = %v", tc.name, tc.managed)
		}
	}
	dereg := ssm.Permissions.Statement[2]
	if dereg.Condition["StringEquals"]["ssm:resourceTag/EKSClusterARN"] != "arn:aws:eks:ap-northeast-2:111122223333:cluster/gpu-hybrid-cluster" {
		t.Errorf("deregistration is not limited to this cluster's instances: %+v", dereg)
	}
	gov := ssmIdentity()
	gov.Region = "us-gov-west-1"
	r, err := gov.Role()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.ARN, "arn:aws-us-gov:iam::") || !strings.HasPrefix(r.ManagedPolicyARNs[0], "arn:aws-us-gov:iam::aws:policy/") {
		t.Errorf("GovCloud ARNs: %s %v", r.ARN, r.ManagedPolicyARNs)
	}
}

func TestIdentityValidate(t *testing.T) {
	tests := []struct {
		name   string
		base   func() nodeconfig.Identity
		mutate func(*nodeconfig.Identity)
		path   string
		typ    field.ErrorType
	}{
		{"cluster name", ssmIdentity, func(id *nodeconfig.Identity) { id.ClusterName = "gpu cluster" }, "clusterName", field.ErrorTypeInvalid},
		{"region", ssmIdentity, func(id *nodeconfig.Identity) { id.Region = "" }, "region", field.ErrorTypeRequired},
		{"account", ssmIdentity, func(id *nodeconfig.Identity) { id.AccountID = "1111-2222-3333" }, "accountId", field.ErrorTypeInvalid},
		{"role name", ssmIdentity, func(id *nodeconfig.Identity) { id.RoleName = "role/with/path" }, "roleName", field.ErrorTypeInvalid},
		{"provider", ssmIdentity, func(id *nodeconfig.Identity) { id.Provider = "kerberos" }, "provider", field.ErrorTypeNotSupported},
		{"ssm without activation", ssmIdentity, func(id *nodeconfig.Identity) { id.Activation = nil }, "activation", field.ErrorTypeRequired},
		{"ssm with roles anywhere", ssmIdentity, func(id *nodeconfig.Identity) { id.RolesAnywhere = iraIdentity().RolesAnywhere }, "rolesAnywhere", field.ErrorTypeForbidden},
		{"registration limit 0", ssmIdentity, func(id *nodeconfig.Identity) { id.Activation.RegistrationLimit = 0 }, "activation.registrationLimit", field.ErrorTypeInvalid},
		{"registration limit 1001", ssmIdentity, func(id *nodeconfig.Identity) { id.Activation.RegistrationLimit = 1001 }, "activation.registrationLimit", field.ErrorTypeInvalid},
		{"description quote", ssmIdentity, func(id *nodeconfig.Identity) { id.Activation.Description = `it's` }, "activation.description", field.ErrorTypeInvalid},
		{"instance name newline", ssmIdentity, func(id *nodeconfig.Identity) { id.Activation.DefaultInstanceName = "a\nb" }, "activation.defaultInstanceName", field.ErrorTypeInvalid},
		{"ira without anchor", iraIdentity, func(id *nodeconfig.Identity) { id.RolesAnywhere = nil }, "rolesAnywhere", field.ErrorTypeRequired},
		{"ira with activation", iraIdentity, func(id *nodeconfig.Identity) { id.Activation = ssmIdentity().Activation }, "activation", field.ErrorTypeForbidden},
		{"anchor is a profile", iraIdentity, func(id *nodeconfig.Identity) { id.RolesAnywhere.TrustAnchorARN = examplePr }, "rolesAnywhere.trustAnchorArn", field.ErrorTypeInvalid},
		{"profile name", iraIdentity, func(id *nodeconfig.Identity) { id.RolesAnywhere.ProfileName = "a/b" }, "rolesAnywhere.profileName", field.ErrorTypeInvalid},
		{"session too short", iraIdentity, func(id *nodeconfig.Identity) { id.RolesAnywhere.SessionSeconds = 600 }, "rolesAnywhere.sessionSeconds", field.ErrorTypeInvalid},
		{"session too long", iraIdentity, func(id *nodeconfig.Identity) { id.RolesAnywhere.SessionSeconds = 43201 }, "rolesAnywhere.sessionSeconds", field.ErrorTypeInvalid},
	}
	for _, base := range []func() nodeconfig.Identity{ssmIdentity, iraIdentity} {
		id := base()
		id.Default()
		if errs := id.ValidateAt(nil); errs != nil {
			t.Fatalf("reference identity: %v", errs)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.base()
			tt.mutate(&id)
			errs := id.ValidateAt(field.NewPath("identity"))
			want := "identity." + tt.path
			if len(errs) != 1 || errs[0].Field != want || errs[0].Type != tt.typ {
				t.Fatalf("ValidateAt = %v\nwant one %s at %s", errs, tt.typ, want)
			}
			if out, err := nodeconfig.IdentityScript(id); err == nil || out != nil {
				t.Error("IdentityScript rendered an invalid identity")
			}
		})
	}
}

func TestPolicyDocumentCheck(t *testing.T) {
	ok := nodeconfig.PolicyStatement{Effect: "Allow", Action: []string{"eks:DescribeCluster"}, Resource: []string{"*"}}
	for _, tc := range []struct {
		name string
		doc  nodeconfig.PolicyDocument
	}{
		{"old version", nodeconfig.PolicyDocument{Version: "2008-10-17", Statement: []nodeconfig.PolicyStatement{ok}}},
		{"no statements", nodeconfig.PolicyDocument{Version: nodeconfig.PolicyVersion}},
		{"bad effect", nodeconfig.PolicyDocument{Version: nodeconfig.PolicyVersion, Statement: []nodeconfig.PolicyStatement{{Effect: "allow", Action: ok.Action, Resource: ok.Resource}}}},
		{"no action", nodeconfig.PolicyDocument{Version: nodeconfig.PolicyVersion, Statement: []nodeconfig.PolicyStatement{{Effect: "Allow", Resource: ok.Resource}}}},
		{"every action", nodeconfig.PolicyDocument{Version: nodeconfig.PolicyVersion, Statement: []nodeconfig.PolicyStatement{{Effect: "Allow", Action: []string{"*"}, Resource: ok.Resource}}}},
		{"wildcard principal", nodeconfig.PolicyDocument{Version: nodeconfig.PolicyVersion, Statement: []nodeconfig.PolicyStatement{{Effect: "Allow", Principal: &nodeconfig.ServicePrincipal{Service: "*"}, Action: []string{"sts:AssumeRole"}}}}},
	} {
		if _, err := tc.doc.JSON(); err == nil {
			t.Errorf("%s: JSON accepted %+v", tc.name, tc.doc)
		}
	}
}

func TestPartition(t *testing.T) {
	for region, want := range map[string]string{
		"ap-northeast-2": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov",
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eu-isoe-west-1": "aws-iso-e",
	} {
		if got := nodeconfig.Partition(region); got != want {
			t.Errorf("Partition(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestTrustAnchor(t *testing.T) {
	ca := string(testkit.ReadTestdata(t, "site-ca.pem"))
	leaf := string(testkit.ReadTestdata(t, "node-leaf.pem"))
	ta := nodeconfig.TrustAnchor{Name: "site-ca", Region: "ap-northeast-2", CertificateBundle: ca}
	script, err := nodeconfig.TrustAnchorScript(ta)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "trust-anchor.golden.sh", script)
	calls := testkit.RecordCommands(t, script, "aws", map[string]string{"create-trust-anchor": exampleTA})
	if len(calls) != 1 {
		t.Fatalf("calls = %q", calls)
	}
	var src struct {
		SourceType string
		SourceData struct{ X509CertificateData string }
	}
	if err := json.Unmarshal([]byte(testkit.FlagValue(t, calls[0], "--source")), &src); err != nil {
		t.Fatal(err)
	}
	if src.SourceType != "CERTIFICATE_BUNDLE" || src.SourceData.X509CertificateData != ca {
		t.Errorf("the CLI received source %+v", src)
	}

	for _, tc := range []struct {
		name string
		ta   nodeconfig.TrustAnchor
		path string
		typ  field.ErrorType
	}{
		{"no source", nodeconfig.TrustAnchor{Name: "a", Region: "ap-northeast-2"}, "certificateBundle", field.ErrorTypeRequired},
		{"both sources", nodeconfig.TrustAnchor{Name: "a", Region: "ap-northeast-2", CertificateBundle: ca, ACMPCAARN: "arn:aws:acm-pca:ap-northeast-2:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555"}, "acmPcaArn", field.ErrorTypeForbidden},
		{"bad pca arn", nodeconfig.TrustAnchor{Name: "a", Region: "ap-northeast-2", ACMPCAARN: "arn:aws:acm:ap-northeast-2:111122223333:certificate/x"}, "acmPcaArn", field.ErrorTypeInvalid},
		{"leaf is not a CA", nodeconfig.TrustAnchor{Name: "a", Region: "ap-northeast-2", CertificateBundle: leaf}, "certificateBundle", field.ErrorTypeInvalid},
		{"private key", nodeconfig.TrustAnchor{Name: "a", Region: "ap-northeast-2", CertificateBundle: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}, "certificateBundle", field.ErrorTypeInvalid},
		{"not PEM", nodeconfig.TrustAnchor{Name: "a", Region: "ap-northeast-2", CertificateBundle: "hello"}, "certificateBundle", field.ErrorTypeInvalid},
		{"trailing text", nodeconfig.TrustAnchor{Name: "a", Region: "ap-northeast-2", CertificateBundle: ca + "junk"}, "certificateBundle", field.ErrorTypeInvalid},
		{"too long", nodeconfig.TrustAnchor{Name: "a", Region: "ap-northeast-2", CertificateBundle: strings.Repeat(ca, 20)}, "certificateBundle", field.ErrorTypeTooLong},
		{"name", nodeconfig.TrustAnchor{Name: "a;b", Region: "ap-northeast-2", CertificateBundle: ca}, "name", field.ErrorTypeInvalid},
	} {
		errs := tc.ta.ValidateAt(nil)
		if len(errs) != 1 || errs[0].Field != tc.path || errs[0].Type != tc.typ {
			t.Errorf("%s: Validate = %v, want one %s at %s", tc.name, errs, tc.typ, tc.path)
		}
	}

	node := nodeconfig.IAMRolesAnywhere{NodeName: "gpu-node-01"}
	if err := node.CheckCertificate([]byte(leaf)); err != nil {
		t.Errorf("CheckCertificate: %v", err)
	}
	node.NodeName = "gpu-node-02"
	if err := node.CheckCertificate([]byte(leaf)); err == nil || !strings.Contains(err.Error(), `"gpu-node-01"`) {
		t.Errorf("CheckCertificate with the wrong CN = %v", err)
	}
	if err := node.CheckCertificate([]byte(ca)); err == nil {
		t.Error("CheckCertificate accepted the CA certificate")
	}
}

func ExampleIdentity_Role() {
	id := nodeconfig.Identity{
		ClusterName:   "gpu-hybrid-cluster",
		Region:        "ap-northeast-2",
		AccountID:     "111122223333",
		Provider:      nodeconfig.ProviderIAMRolesAnywhere,
		RolesAnywhere: &nodeconfig.RolesAnywhere{TrustAnchorARN: "arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"},
	}
	role, err := id.Role()
	if err != nil {
		panic(err)
	}
	fmt.Println(role.ARN)
	for _, s := range role.TrustPolicy.Statement {
		fmt.Println(s.Principal.Service, s.Action, s.Condition["StringEquals"])
	}
	fmt.Println(role.ManagedPolicyARNs)
	// Output:
	// arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole
	// rolesanywhere.amazonaws.com [sts:TagSession sts:SetSourceIdentity] map[]
	// rolesanywhere.amazonaws.com [sts:AssumeRole] map[sts:RoleSessionName:${aws:PrincipalTag/x509Subject/CN}]
	// [arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly]
}

func ExampleIdentity_ActivationInput() {
	id := nodeconfig.Identity{
		ClusterName: "gpu-hybrid-cluster",
		Region:      "ap-northeast-2",
		AccountID:   "111122223333",
		Provider:    nodeconfig.ProviderSSM,
		Activation:  &nodeconfig.Activation{RegistrationLimit: 10},
	}
	in, err := id.ActivationInput()
	if err != nil {
		panic(err)
	}
	fmt.Println(in.IamRole, in.RegistrationLimit, in.DefaultInstanceName)
	fmt.Println(in.Tags[0].Key, in.Tags[0].Value)
	// Output:
	// AmazonEKSHybridNodesRole 10 eks-hybrid-nodes
	// EKSClusterARN arn:aws:eks:ap-northeast-2:111122223333:cluster/gpu-hybrid-cluster
}

// FuzzIdentityScripts puts fuzzed names and descriptions into the identity
// and trust-anchor scripts. What the builders accept, bash runs, and the
// AWS CLI receives exactly as given.
func FuzzIdentityScripts(f *testing.F) {
	f.Add("EKS Hybrid Nodes of the GPU cluster", "gpu nodes", "gpu-hybrid-cluster-hybrid-nodes", "site CA")
	f.Add("$(reboot) `id` ${HOME}", "a;b|c&d", "x y z", "ca; rm -rf /")
	f.Add("'", "\"", "-", "_")
	f.Fuzz(func(t *testing.T, description, instanceName, profile, anchor string) {
		id := ssmIdentity()
		id.Activation.Description, id.Activation.DefaultInstanceName = description, instanceName
		if script, err := nodeconfig.IdentityScript(id); err == nil {
			calls := testkit.RecordCommands(t, script, "aws", nil)
			got := calls[len(calls)-1]
			if got[1] != "create-activation" || testkit.FlagValue(t, got, "--description") != description || testkit.FlagValue(t, got, "--default-instance-name") != instanceName {
				t.Fatalf("the activation reached the CLI as %q", got)
			}
		}
		ira := iraIdentity()
		ira.RolesAnywhere.ProfileName = profile
		if script, err := nodeconfig.IdentityScript(ira); err == nil {
			calls := testkit.RecordCommands(t, script, "aws", nil)
			if got := calls[len(calls)-1]; got[1] != "create-profile" || testkit.FlagValue(t, got, "--name") != profile {
				t.Fatalf("the profile reached the CLI as %q", got)
			}
		}
		ta := nodeconfig.TrustAnchor{Name: anchor, Region: "ap-northeast-2", ACMPCAARN: "arn:aws:acm-pca:ap-northeast-2:111122223333:certificate-authority/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d"}
		if script, err := nodeconfig.TrustAnchorScript(ta); err == nil {
			calls := testkit.RecordCommands(t, script, "aws", nil)
			if len(calls) != 1 || testkit.FlagValue(t, calls[0], "--name") != anchor {
				t.Fatalf("the trust anchor reached the CLI as %q", calls)
			}
		}
	})
}

func TestPolicyDocumentValidate(t *testing.T) {
	good := func() nodeconfig.PolicyDocument {
		return nodeconfig.PolicyDocument{Version: nodeconfig.PolicyVersion, Statement: []nodeconfig.PolicyStatement{
			{Effect: "Allow", Principal: &nodeconfig.ServicePrincipal{Service: "ssm.amazonaws.com"}, Action: []string{"sts:AssumeRole"}},
			{Effect: "Deny", Action: []string{"eks:DescribeCluster"}, Resource: []string{"*"}},
		}}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("valid document refused: %v", err)
	}
	for _, tc := range []struct {
		name, path string
		mutate     func(*nodeconfig.PolicyDocument)
	}{
		{"old version", "Version", func(d *nodeconfig.PolicyDocument) { d.Version = "2008-10-17" }},
		{"no statements", "Statement", func(d *nodeconfig.PolicyDocument) { d.Statement = nil }},
		{"effect", "Statement[0].Effect", func(d *nodeconfig.PolicyDocument) { d.Statement[0].Effect = "allow" }},
		{"no actions", "Statement[1].Action", func(d *nodeconfig.PolicyDocument) { d.Statement[1].Action = nil }},
		{"every action", "Statement[1].Action[1]", func(d *nodeconfig.PolicyDocument) { d.Statement[1].Action = append(d.Statement[1].Action, "*") }},
		{"empty principal", "Statement[0].Principal.Service", func(d *nodeconfig.PolicyDocument) { d.Statement[0].Principal.Service = "" }},
		{"wildcard principal", "Statement[0].Principal.Service", func(d *nodeconfig.PolicyDocument) { d.Statement[0].Principal.Service = "*.amazonaws.com" }},
		{"neither principal nor resources", "Statement[1].Resource", func(d *nodeconfig.PolicyDocument) { d.Statement[1].Resource = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := good()
			tc.mutate(&d)
			errs := d.ValidateAt(nil)
			if len(errs) != 1 || errs[0].Field != tc.path {
				t.Errorf("errors = %v, want one at %s", errs, tc.path)
			}
			if _, err := d.JSON(); err == nil {
				t.Error("JSON wrote an invalid document")
			}
		})
	}
}
