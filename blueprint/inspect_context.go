package blueprint

import (
	"github.com/hybridkit/hybridkit/inspect"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netplan"
)

// InspectContext returns what package inspect compares existing files
// with: the cluster b plans, its VPC and networks, the site's networks,
// the label sets of its cloud and hybrid nodes, and the link baseline
// for its connection. An invalid blueprint returns Validate's error.
//
//	ctx, err := bp.InspectContext()
//	results, err := inspect.Files(ctx, inputs...)
func (b Blueprint) InspectContext() (inspect.Context, error) {
	bt, errs := compile(b, nil)
	if len(errs) > 0 {
		return inspect.Context{}, ivalidation.ToError("blueprint", errs)
	}
	c := bt.bp
	th := bt.thresholds()
	return inspect.Context{
		ClusterName:        c.Cluster.Name,
		Region:             c.Cluster.Region,
		KubernetesVersion:  c.Cluster.KubernetesVersion,
		VPCID:              c.VPC.ID,
		VPCCIDRs:           bt.plan.Prefixes(netplan.RoleVPC),
		RemoteNodeNetworks: bt.plan.Prefixes(netplan.RoleRemoteNode),
		RemotePodNetworks:  bt.plan.Prefixes(netplan.RoleRemotePod),
		ServiceCIDR:        c.Cluster.ServiceCIDR,
		SiteNetworks:       bt.plan.Prefixes(netplan.RoleOnPrem),
		Nodes:              bt.nodeLabelSets(),
		Thresholds:         &th,
	}, nil
}
