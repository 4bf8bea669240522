package placement

import (
	"github.com/hybridkit/hybridkit/advice"
)

// CodeMixedCluster is the code of MixedCluster.Lint's findings.
const CodeMixedCluster advice.Code = "placement/mixed-cluster"

// MixedCluster describes a cluster with both hybrid and cloud nodes, for
// AWS's rules on such clusters (EKS User Guide, hybrid-nodes-webhooks,
// "Configure add-ons for mixed mode clusters"). The zero value is a
// cluster whose remote pod network is not routed and whose hybrid nodes
// have no zone label.
type MixedCluster struct {
	// PodNetworkRoutable says the remote pod network is routed from the
	// VPC: without it the control plane cannot reach webhooks on hybrid
	// nodes, so every webhook must run in the cloud.
	PodNetworkRoutable bool
	// HybridZoneLabelled says every hybrid node carries a
	// topology.kubernetes.io/zone label of its own (HybridZoneLabels).
	HybridZoneLabelled bool
}

// Lint returns the rules as findings to act on. They concern the cluster
// as a whole, so none has a field.
func (m MixedCluster) Lint() []advice.Finding {
	const ref = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-webhooks.html"
	f := func(l advice.Level, msg string) advice.Finding {
		return advice.Finding{Level: l, Code: CodeMixedCluster, Message: msg, Ref: ref}
	}
	var fs []advice.Finding
	if !m.PodNetworkRoutable {
		fs = append(fs, f(advice.Warning,
			"the remote pod network is not routable from the VPC, so the EKS control plane cannot call webhooks on hybrid nodes: run every webhook (AWS Load Balancer Controller, cert-manager, policy engines, the Pod Identity webhook of add-ons) on cloud nodes with Cloud placement"))
		fs = append(fs, f(advice.Warning,
			"metrics-server is an aggregated API the control plane calls in its pod: without a routable remote pod network run it on cloud nodes, from where it scrapes the hybrid kubelets on 10250 through the remote node network"))
	} else {
		fs = append(fs, f(advice.Info,
			"with a routable remote pod network, webhooks may run on either side; the cluster security group must allow the control plane to the webhook ports in the remote pod network"))
	}
	fs = append(fs, f(advice.Info, "run at least one CoreDNS replica on hybrid nodes and one on cloud nodes, spread by topology.kubernetes.io/zone, with trafficDistribution: PreferClose on kube-dns"),
		f(advice.Info, "add-ons that need the EC2 instance metadata service or ENIs (the VPC CNI, EBS CSI, EFS CSI node plugins) do not run on hybrid nodes: keep their DaemonSets off them with Cloud placement"),
	)
	if !m.HybridZoneLabelled {
		fs = append(fs, f(advice.Info, "give hybrid nodes a topology.kubernetes.io/zone label of their own in the NodeConfig so zone-aware spreading and routing treat the site as a zone"))
	}
	return fs
}
