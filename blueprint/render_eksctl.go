package blueprint

import (
	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/internal/eksctl"
	"github.com/hybridkit/hybridkit/internal/yamlenc"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// CodeEksctlNeedsCABundle: eksctl refuses an IAM Roles Anywhere
// remoteNetworkConfig without the CA bundle of a trust anchor it creates
// itself, so a blueprint that reuses an existing trust anchor gets no
// aws/eksctl-cluster.yaml.
const CodeEksctlNeedsCABundle advice.Code = "blueprint/eksctl-needs-ca-bundle"

// refEksctlTypes is eksctl's ClusterConfig schema at v0.215.0; its
// validateRemoteNetworkingConfig is in validation.go next to it.
const refEksctlTypes = "https://github.com/eksctl-io/eksctl/blob/1df868edbf06679085b11025f1544ad92b5ef812/pkg/apis/eksctl.io/v1alpha5/types.go"

// eksctlCluster writes aws/eksctl-cluster.yaml: the cluster on the
// blueprint's existing VPC and subnets (as private subnets), its service
// CIDR, authentication mode API_AND_CONFIG_MAP (remoteNetworkConfig
// refuses CONFIG_MAP), and the remote networks.
//
// The VPC exists, so there is no vpcGatewayID (eksctl: "not supported
// when using pre-existing VPC"): aws/02-connectivity.sh routes the VPC to
// the Transit Gateway. remoteNetworkConfig.iam names the Hybrid Nodes
// role aws/04-identity.sh creates, so eksctl creates no second role or
// credential source; it maps the role in aws-auth, which the
// HYBRID_LINUX access entry of 04-identity.sh makes redundant but
// harmless. rnc is the cluster's remoteNetworkConfig, as
// aws/remote-network-config.json holds it.
func (r *renderer) eksctlCluster(rnc netplan.RemoteNetworkConfig) {
	bt, b := r.bt, r.bt.bp
	if b.Credentials.Provider != nodeconfig.ProviderSSM {
		r.bt.findings = append(r.bt.findings, advice.Finding{Level: advice.Info, Code: CodeEksctlNeedsCABundle,
			Field: r.bt.fp.Child("credentials", "iamRolesAnywhere").String(), Ref: refEksctlTypes,
			Message: "no aws/eksctl-cluster.yaml: eksctl's remoteNetworkConfig with provider IRA requires iam.caBundleCert to create a trust anchor of its own, while this blueprint reuses trust anchor " + b.Credentials.IAMRolesAnywhere.TrustAnchorARN + "; create the cluster with the aws/ scripts"})
		return
	}
	cidrs := func(nets []netplan.RemoteNetwork) []eksctl.RemoteNetwork {
		var out []eksctl.RemoteNetwork
		for _, n := range nets {
			out = append(out, eksctl.RemoteNetwork{CIDRs: n.CIDRs})
		}
		return out
	}
	subnets := map[string]eksctl.Subnet{}
	for _, s := range b.VPC.Subnets {
		subnets[s.Name] = eksctl.Subnet{ID: s.ID, AZ: s.AZ, CIDR: s.CIDR.String()}
	}
	cfg := eksctl.Config{
		APIVersion:        eksctl.APIVersion,
		Kind:              eksctl.Kind,
		Metadata:          eksctl.Meta{Name: b.Cluster.Name, Region: b.Cluster.Region, Version: b.Cluster.KubernetesVersion},
		KubernetesNetwork: &eksctl.KubernetesNetwork{ServiceIPv4CIDR: b.Cluster.ServiceCIDR.String()},
		AccessConfig:      &eksctl.AccessConfig{AuthenticationMode: "API_AND_CONFIG_MAP"},
		VPC:               &eksctl.VPC{ID: b.VPC.ID, CIDR: b.VPC.CIDR.String(), Subnets: &eksctl.Subnets{Private: subnets}},
		RemoteNetworkConfig: &eksctl.RemoteNetworkConfig{
			IAM:                &eksctl.RemoteNodesIAM{Provider: eksctl.ProviderSSM, RoleARN: bt.identity.RoleARN()},
			RemoteNodeNetworks: cidrs(rnc.RemoteNodeNetworks),
			RemotePodNetworks:  cidrs(rnc.RemotePodNetworks),
		},
	}
	const path = "aws/eksctl-cluster.yaml"
	if errs := cfg.ValidateRemoteNetworks(); len(errs) > 0 {
		r.add(path, KindEksctlConfig, "", nil, errs.ToAggregate())
		return
	}
	y, err := yamlenc.Marshal(cfg)
	r.add(path, KindEksctlConfig, "eksctl create cluster -f: the cluster on the existing VPC with its remote networks (SSM, the role of aws/04-identity.sh)", y, err)
}
