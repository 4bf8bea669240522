package netplan

import (
	"fmt"
	"net/netip"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// MinClusterSubnetIPs is the number of free addresses EKS recommends in
// each subnet that holds the cluster's network interfaces (it requires 6):
// EKS User Guide, network-reqs, "Subnet requirements and considerations".
const MinClusterSubnetIPs = 16

// Finding codes of Plan.Lint.
const (
	CodeCGNATRemote     advice.Code = "netplan/cgnat-remote-network"
	CodeDockerBridge    advice.Code = "netplan/docker-bridge-range"
	CodeCNIDefaultPool  advice.Code = "netplan/cni-default-pool"
	CodePodCapacity     advice.Code = "netplan/pod-capacity"
	CodePodOverOnPrem   advice.Code = "netplan/pod-network-over-on-prem"
	CodeNoRemotePodNet  advice.Code = "netplan/no-remote-pod-network"
	CodeSmallENISubnets advice.Code = "netplan/small-cluster-subnets"
)

// refCNIPools: Cilium's cluster-pool IPAM defaults to 10.0.0.0/8 in /24s
// per node (clusterPoolIPv4PodCIDRList, clusterPoolIPv4MaskSize); Calico's
// default pool is 192.168.0.0/16 in /26 blocks
// (https://docs.tigera.io/calico/latest/reference/resources/ippool).
const refCNIPools = "https://docs.cilium.io/en/stable/network/concepts/ipam/cluster-pool/"

// Lint reports what is legal but risky in a plan that Validate accepts:
// remote networks in 100.64.0.0/10 (the EKS API reference says RFC 1918,
// the user guide allows CGNAT), anything in 172.17.0.0/16, a CNI default
// pod pool that collides with the site or the VPC, pod networks too small
// for the nodes, pod networks inside existing on-premises ranges, no
// remote pod network at all, and cluster subnets with fewer than
// MinClusterSubnetIPs usable addresses.
func (p Plan) Lint() []advice.Finding {
	p.Default()
	var fs []advice.Finding
	at := func(i int) *field.Path { return field.NewPath("networks").Index(i).Child("prefix") }
	for i, n := range p.Networks {
		if !n.Prefix.IsValid() {
			continue
		}
		if (n.Role == RoleRemoteNode || n.Role == RoleRemotePod) && within(n.Prefix, []netip.Prefix{CGNAT()}) {
			fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeCGNATRemote, Field: at(i).String(),
				Message: fmt.Sprintf("%s network %q uses 100.64.0.0/10: the EKS user guide allows it, but the API reference still says RFC 1918 only; test that CreateCluster accepts it before relying on it", n.Role, n.Name),
				Ref:     "https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteNodeNetwork.html"})
		}
		if n.Role != RoleOnPrem && n.Role != RoleReserved && n.Prefix.Overlaps(DockerBridge()) {
			fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeDockerBridge, Field: at(i).String(),
				Message: fmt.Sprintf("%q (%s) overlaps 172.17.0.0/16, Docker's default bridge, which some AWS services also use; hosts and containers on it lose the overlapping routes", n.Name, n.Prefix),
				Ref:     "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html"})
		}
	}
	for i, n := range p.Networks {
		if n.Role != RoleSubnet || !n.ClusterENIs || !n.Prefix.IsValid() || !n.Prefix.Addr().Is4() {
			continue
		}
		// AWS reserves five addresses of every subnet (the network, the
		// router, DNS, one for future use and the broadcast address).
		if free := 1<<(32-n.Prefix.Bits()) - 5; free < MinClusterSubnetIPs {
			fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeSmallENISubnets, Field: at(i).String(),
				Message: fmt.Sprintf("subnet %q (%s) holds %d usable addresses: EKS needs at least 6 free in each cluster subnet for its network interfaces and recommends at least %d, so upgrades, which add interfaces before removing the old ones, can run", n.Name, n.Prefix, free, MinClusterSubnetIPs),
				Ref:     "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets"})
		}
	}
	pool := p.CNI.defaultPool()
	for i, n := range p.Networks {
		if n.Role == RoleRemotePod || n.Role == RoleReserved || !n.Prefix.IsValid() || !n.Prefix.Overlaps(pool) {
			continue
		}
		fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeCNIDefaultPool, Field: at(i).String(),
			Message: fmt.Sprintf("%s's default pod pool %s overlaps %s network %q (%s): configure the CNI's pool as the remote pod network explicitly (blueprint.Render's cilium-values.yaml does), or pods will take addresses that are already in use", p.CNI, pool, n.Role, n.Name, n.Prefix),
			Ref:     refCNIPools})
	}
	pods := p.ByRole(RoleRemotePod)
	if len(pods) == 0 {
		fs = append(fs, advice.Finding{Level: advice.Info, Code: CodeNoRemotePodNet, Field: field.NewPath("networks").String(),
			Message: "no remote pod network: webhooks running on hybrid nodes, metrics-server, load balancer IP targets and cloud-to-hybrid pod traffic need the pod CIDR routed to AWS, unless the CNI masquerades and nothing in AWS calls a hybrid pod",
			Ref:     "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html"})
	}
	if p.Nodes > 0 && len(pods) > 0 {
		var supported uint64
		for _, n := range pods {
			supported += NodesSupported(n.Prefix, p.PerNodeBits)
		}
		if supported < uint64(p.Nodes) {
			fs = append(fs, advice.Finding{Level: advice.Error, Code: CodePodCapacity, Field: field.NewPath("networks").String(),
				Message: fmt.Sprintf("the remote pod networks hold %d blocks of /%d (one per node with %s), fewer than the %d nodes planned", supported, p.PerNodeBits, p.CNI, p.Nodes),
				Ref:     refCNIPools})
		}
	}
	for _, pr := range OverlappingPairs(plainPrefixes(p.Networks)) {
		a, b := p.Networks[pr.I], p.Networks[pr.J]
		if a.Role == RoleRemotePod && b.Role == RoleOnPrem || a.Role == RoleOnPrem && b.Role == RoleRemotePod {
			pod, onprem, idx := a, b, pr.I
			if a.Role == RoleOnPrem {
				pod, onprem, idx = b, a, pr.J
			}
			fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodePodOverOnPrem, Field: at(idx).String(),
				Message: fmt.Sprintf("pod network %q (%s) overlaps on-premises network %q (%s): unless that range is set aside for pods, pods and existing hosts share addresses", pod.Name, pod.Prefix, onprem.Name, onprem.Prefix),
				Ref:     "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html"})
		}
	}
	return advice.Sort(fs)
}

func plainPrefixes(ns []Network) []netip.Prefix {
	out := make([]netip.Prefix, len(ns))
	for i, n := range ns {
		if n.Prefix.IsValid() {
			out[i] = n.Prefix.Masked()
		}
	}
	return out
}
