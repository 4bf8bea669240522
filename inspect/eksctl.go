package inspect

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"

	"github.com/hybridkit/hybridkit/internal/eksctl"
	"github.com/hybridkit/hybridkit/netplan"
)

// refEksctl is eksctl's ClusterConfig schema at v0.215.0, whose
// validation.go (same commit) holds validateRemoteNetworkingConfig.
const refEksctl = "https://github.com/eksctl-io/eksctl/blob/1df868edbf06679085b11025f1544ad92b5ef812/pkg/apis/eksctl.io/v1alpha5/types.go"

// checkEksctl reads an eksctl ClusterConfig: the fields hybridkit knows
// (the rest of eksctl's schema is eksctl's to check), eksctl's own rules
// for remoteNetworkConfig, and — in crossCheck — its VPC, service and
// remote networks with every other network known.
func (d *document) checkEksctl() {
	d.lines = indexYAML(d.data, "")
	var c eksctl.Config
	if err := yaml.Unmarshal(d.data, &c); err != nil {
		d.parseError(fmt.Errorf("eksctl ClusterConfig: %w", err), refEksctl)
		return
	}
	d.parsed = c
	d.invalid(CodeInvalid, "", c.ValidateRemoteNetworks().ToAggregate(), refEksctl)
}

// addEksctlNetworks adds an eksctl ClusterConfig's VPC CIDR, service CIDR
// and remote networks to the view.
func (v *networkView) addEksctlNetworks(d *document) {
	c := d.parsed.(eksctl.Config)
	if c.VPC != nil {
		v.addText(netplan.RoleVPC, c.VPC.CIDR, d, field.NewPath("vpc", "cidr"))
	}
	if n := c.KubernetesNetwork; n != nil {
		v.addText(netplan.RoleService, n.ServiceIPv4CIDR, d, field.NewPath("kubernetesNetworkConfig", "serviceIPv4CIDR"))
	}
	r := c.RemoteNetworkConfig
	if r == nil {
		return
	}
	rp := field.NewPath("remoteNetworkConfig")
	for i, n := range r.RemoteNodeNetworks {
		v.addTexts(netplan.RoleRemoteNode, n.CIDRs, d, rp.Child("remoteNodeNetworks").Index(i).Child("cidrs"))
	}
	for i, n := range r.RemotePodNetworks {
		v.addTexts(netplan.RoleRemotePod, n.CIDRs, d, rp.Child("remotePodNetworks").Index(i).Child("cidrs"))
	}
}
