package lab

import (
	"strings"
	"testing"

	api "github.com/weaveworks/eksctl/pkg/apis/eksctl.io/v1alpha5"
	"sigs.k8s.io/yaml"

	"github.com/hybridkit/hybridkit/blueprint"
)

// eksctlValidate reads an eksctl ClusterConfig as eksctl v0.215.0 does
// (pkg/eks/api.go ParseConfig: sigs.k8s.io/yaml.UnmarshalStrict into its
// ClusterConfig), sets its defaults and runs its ValidateClusterConfig,
// which holds validateRemoteNetworkingConfig.
func eksctlValidate(data []byte) (*api.ClusterConfig, error) {
	cfg := api.NewClusterConfig()
	if err := yaml.UnmarshalStrict(data, cfg); err != nil {
		return nil, err
	}
	api.SetClusterConfigDefaults(cfg)
	return cfg, api.ValidateClusterConfig(cfg)
}

// TestEksctlAcceptsTheClusterConfig: aws/eksctl-cluster.yaml of the
// reference bundle strict-decodes with eksctl's own types and passes its
// validation, with the networks and provider the plan has.
func TestEksctlAcceptsTheClusterConfig(t *testing.T) {
	bundle, _, err := blueprint.Render(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	f, ok := bundle.File("aws/eksctl-cluster.yaml")
	if !ok || f.Kind != blueprint.KindEksctlConfig {
		t.Fatalf("no eksctl-config file: %v", f)
	}
	cfg, err := eksctlValidate(f.Content)
	if err != nil {
		t.Fatalf("eksctl refuses the file: %v\n%s", err, f.Content)
	}
	r := cfg.RemoteNetworkConfig
	if r == nil || !strings.EqualFold(*r.IAM.Provider, api.SSMProvider) || len(r.RemoteNodeNetworks) != 1 || r.RemoteNodeNetworks[0].CIDRs[0] != "192.168.10.0/24" ||
		len(r.RemotePodNetworks) != 1 || r.RemotePodNetworks[0].CIDRs[0] != "10.244.0.0/16" || cfg.VPC.ID != "vpc-0a1b2c3d4e5f67890" {
		t.Errorf("eksctl read %+v", r)
	}
}

// TestEksctlNegative: eksctl's validation refuses what it should in a copy
// of the rendered file, so the positive test can fail. eksctl does not
// check a remote network against the VPC: the file with a remote node
// network inside the VPC passes eksctl, and inspect is what refuses it.
func TestEksctlNegative(t *testing.T) {
	bundle, _, err := blueprint.Render(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	f, _ := bundle.File("aws/eksctl-cluster.yaml")
	good := string(f.Content)
	for _, tc := range []struct {
		name, old, new string
		refused        bool
	}{
		{"unknown field", "  authenticationMode:", "  authenticationMod:", true},
		{"CONFIG_MAP", "API_AND_CONFIG_MAP", "CONFIG_MAP", true},
		{"gateway with the existing VPC", "  iam:\n", "  vpcGatewayID: tgw-0123456789abcdef0\n  iam:\n", true},
		{"IRA without a CA bundle", "provider: SSM", "provider: IRA", true},
		{"no remote node networks", "  remoteNodeNetworks:\n  - cidrs:\n    - 192.168.10.0/24\n", "", true},
		{"remote node network inside the VPC", "192.168.10.0/24", "10.0.8.0/24", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(good, tc.old, tc.new, 1)
			if bad == good {
				t.Fatalf("%q is not in the file", tc.old)
			}
			_, err := eksctlValidate([]byte(bad))
			if (err != nil) != tc.refused {
				t.Errorf("eksctl: %v, want refused=%v", err, tc.refused)
			}
			t.Logf("eksctl: %v", err)
		})
	}
}
