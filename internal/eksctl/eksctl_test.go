package eksctl_test

import (
	"testing"

	"github.com/hybridkit/hybridkit/internal/eksctl"
)

// valid is the shape the bundle writes: an existing VPC, SSM with a role.
func valid() eksctl.Config {
	return eksctl.Config{
		APIVersion: eksctl.APIVersion, Kind: eksctl.Kind,
		Metadata:     eksctl.Meta{Name: "c", Region: "ap-northeast-2"},
		AccessConfig: &eksctl.AccessConfig{AuthenticationMode: "API_AND_CONFIG_MAP"},
		VPC:          &eksctl.VPC{ID: "vpc-0a1b2c3d", CIDR: "10.0.0.0/16"},
		RemoteNetworkConfig: &eksctl.RemoteNetworkConfig{
			IAM:                &eksctl.RemoteNodesIAM{Provider: "SSM", RoleARN: "arn:aws:iam::111122223333:role/r"},
			RemoteNodeNetworks: []eksctl.RemoteNetwork{{CIDRs: []string{"192.168.10.0/24"}}},
		},
	}
}

// TestValidateRemoteNetworks holds each of eksctl's rules alone, on both
// sides, with the path it names.
func TestValidateRemoteNetworks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*eksctl.Config)
		path   string // "" = valid
	}{
		{"as rendered", func(*eksctl.Config) {}, ""},
		{"no remoteNetworkConfig", func(c *eksctl.Config) { c.RemoteNetworkConfig = nil }, ""},
		{"ipv6 cluster", func(c *eksctl.Config) { c.KubernetesNetwork = &eksctl.KubernetesNetwork{IPFamily: "IPv6"} }, "remoteNetworkConfig"},
		{"ipv4 cluster", func(c *eksctl.Config) { c.KubernetesNetwork = &eksctl.KubernetesNetwork{IPFamily: "IPv4"} }, ""},
		{"CONFIG_MAP", func(c *eksctl.Config) { c.AccessConfig.AuthenticationMode = "CONFIG_MAP" }, "accessConfig.authenticationMode"},
		{"API", func(c *eksctl.Config) { c.AccessConfig.AuthenticationMode = "API" }, ""},
		{"no node networks", func(c *eksctl.Config) { c.RemoteNetworkConfig.RemoteNodeNetworks = nil }, "remoteNetworkConfig.remoteNodeNetworks"},
		{"gateway with existing VPC", func(c *eksctl.Config) { c.RemoteNetworkConfig.VPCGatewayID = "tgw-0123" }, "remoteNetworkConfig.vpcGatewayID"},
		{"tgw with new VPC", func(c *eksctl.Config) { c.VPC.ID = ""; c.RemoteNetworkConfig.VPCGatewayID = "tgw-0123" }, ""},
		{"vgw with new VPC", func(c *eksctl.Config) { c.VPC.ID = ""; c.RemoteNetworkConfig.VPCGatewayID = "vgw-0123" }, ""},
		{"igw with new VPC", func(c *eksctl.Config) { c.VPC.ID = ""; c.RemoteNetworkConfig.VPCGatewayID = "igw-0123" }, "remoteNetworkConfig.vpcGatewayID"},
		{"no iam: SSM by default", func(c *eksctl.Config) { c.RemoteNetworkConfig.IAM = nil }, ""},
		{"provider ssm in lower case", func(c *eksctl.Config) { c.RemoteNetworkConfig.IAM.Provider = "ssm" }, ""},
		{"SSM with a CA bundle", func(c *eksctl.Config) { c.RemoteNetworkConfig.IAM.CABundleCert = "PEM" }, "remoteNetworkConfig.iam.caBundleCert"},
		{"IRA without a CA bundle", func(c *eksctl.Config) { c.RemoteNetworkConfig.IAM.Provider = "IRA" }, "remoteNetworkConfig.iam.caBundleCert"},
		{"IRA with a CA bundle", func(c *eksctl.Config) {
			c.RemoteNetworkConfig.IAM.Provider, c.RemoteNetworkConfig.IAM.CABundleCert = "IRA", "PEM"
		}, ""},
		{"unknown provider", func(c *eksctl.Config) { c.RemoteNetworkConfig.IAM.Provider = "KMS" }, "remoteNetworkConfig.iam.provider"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.mutate(&c)
			errs := c.ValidateRemoteNetworks()
			switch {
			case tc.path == "" && len(errs) > 0:
				t.Fatalf("want valid, got %v", errs)
			case tc.path != "" && (len(errs) != 1 || errs[0].Field != tc.path):
				t.Fatalf("want one error at %s, got %v", tc.path, errs)
			}
		})
	}
}
