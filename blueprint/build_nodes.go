package blueprint

import (
	"fmt"
	"maps"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Finding codes of Render for credentials that do not exist yet.
const (
	CodeNoActivation advice.Code = "blueprint/no-activation"
	CodeNoProfile    advice.Code = "blueprint/no-profile"
)

// refCredentials is how hybrid nodes get AWS credentials: an SSM hybrid
// activation or an IAM Roles Anywhere profile (EKS User Guide,
// hybrid-nodes-creds).
const refCredentials = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-creds.html"

// buildIdentity builds the AWS identity of the nodes: the Hybrid Nodes
// role, its access entry and the SSM activation (for every node) or the
// IAM Roles Anywhere profile.
func (bt *built) buildIdentity() field.ErrorList {
	b, cp := bt.bp, bt.fp.Child("credentials")
	id := nodeconfig.Identity{ClusterName: b.Cluster.Name, Region: b.Cluster.Region, AccountID: b.Cluster.AccountID, Provider: b.Credentials.Provider, PodIdentity: b.Credentials.PodIdentity}
	switch b.Credentials.Provider {
	case nodeconfig.ProviderSSM:
		a := &nodeconfig.Activation{RegistrationLimit: b.totalNodes()}
		if s := b.Credentials.SSM; s != nil {
			a.Expiration = s.Expiration
		}
		id.Activation = a
		if s := b.Credentials.SSM; s == nil || s.ActivationID == "" {
			bt.findings = append(bt.findings, advice.Finding{Level: advice.Warning, Code: CodeNoActivation, Field: cp.Child("ssm").String(), Ref: refCredentials,
				Message: "no SSM activation yet, so the bundle has no NodeConfigs: run aws/04-identity.sh, store the activation code in your secret store, and render again with credentials.ssm.activationId and activationCode"})
		}
	case nodeconfig.ProviderIAMRolesAnywhere:
		ra := b.Credentials.IAMRolesAnywhere
		id.RolesAnywhere = &nodeconfig.RolesAnywhere{TrustAnchorARN: ra.TrustAnchorARN}
		if ra.ProfileARN == "" {
			bt.findings = append(bt.findings, advice.Finding{Level: advice.Warning, Code: CodeNoProfile, Field: cp.Child("iamRolesAnywhere", "profileArn").String(), Ref: refCredentials,
				Message: "no IAM Roles Anywhere profile yet, so the bundle has no NodeConfigs: run aws/04-identity.sh and render again with its profile ARN"})
		}
	}
	id.Default()
	if err := id.Validate(); err != nil {
		return internalError(cp, "the identity", err)
	}
	bt.identity = id
	return nil
}

// credentialsReady reports whether the AWS outputs the NodeConfigs need
// (the activation, or the profile) are in the blueprint.
func (b Blueprint) credentialsReady() bool {
	if b.Credentials.Provider == nodeconfig.ProviderSSM {
		return b.Credentials.SSM != nil && b.Credentials.SSM.ActivationID != ""
	}
	return b.Credentials.IAMRolesAnywhere.ProfileARN != ""
}

// buildNodes names and addresses every node and, once the credentials
// exist, builds each pool's NodeConfigs as a nodeconfig.Fleet: the pool's
// template (labels, GPU taint, the NVIDIA containerd drop-in) and one
// member per node with its --node-ip. The drop-in, the same for every GPU
// pool, is rendered and checked on nodeadm's root config once.
func (bt *built) buildNodes() field.ErrorList {
	b, pp := bt.bp, bt.fp.Child("nodePools")
	dropIn, errs := bt.nodeadmDropIn()
	if len(errs) > 0 {
		return errs
	}
	bt.lintGPUSharing()
	for i, p := range b.NodePools {
		members := make([]nodeconfig.FleetNode, p.Count)
		a := p.FirstAddress
		for j := range members {
			members[j] = nodeconfig.FleetNode{Name: fmt.Sprintf(p.HostnamePattern, j+1), NodeIP: a}
			bt.nodes = append(bt.nodes, node{pool: i, name: members[j].Name, addr: a})
			a = a.Next()
		}
		bt.lintPool(i)
		if !b.credentialsReady() {
			continue
		}
		fleet := nodeconfig.Fleet{Template: bt.template(p, dropIn), Nodes: members}
		configs, err := fleet.Build()
		if err != nil {
			return internalError(pp.Index(i), "the pool's NodeConfigs", err)
		}
		bt.fleets = append(bt.fleets, fleet)
		from := newProvenance(pp.Index(i))
		bt.findings = append(bt.findings, from.findings(configs[0].Lint())...)
	}
	return nil
}

// template is the NodeConfig every node of pool p starts from.
func (bt *built) template(p NodePool, dropIn []byte) nodeconfig.NodeConfig {
	b := bt.bp
	var c nodeconfig.NodeConfig
	if b.Credentials.Provider == nodeconfig.ProviderSSM {
		c = nodeconfig.NewSSM(b.Cluster.Name, b.Cluster.Region, b.Credentials.SSM.ActivationCode, b.Credentials.SSM.ActivationID)
	} else {
		ra := b.Credentials.IAMRolesAnywhere
		c = nodeconfig.NewIAMRolesAnywhere(b.Cluster.Name, b.Cluster.Region, nodeconfig.IAMRolesAnywhere{
			TrustAnchorARN: ra.TrustAnchorARN, ProfileARN: ra.ProfileARN, RoleARN: bt.identity.RoleARN()})
	}
	c.Spec.Kubelet.NodeLabels = poolLabels(b, p)
	if p.GPU != nil {
		c.Spec.Kubelet.Taints = []corev1.Taint{gpu.NodeTaint()}
		c.Spec.Containerd.Config = string(dropIn)
	}
	return c
}

// nodeadmDropIn renders the NVIDIA runtime drop-in GPU NodeConfigs carry
// and checks it on top of nodeadm's root config; its advice names the
// file, since no blueprint field sets it. Without GPU pools it is nil.
func (bt *built) nodeadmDropIn() ([]byte, field.ErrorList) {
	b, pp := bt.bp, bt.fp.Child("nodePools")
	if !b.hasGPUPools() {
		return nil, nil
	}
	pause, _ := containerdconf.EKSPauseImage(b.Cluster.Region, containerdconf.NodeadmPauseTag)
	root, err := containerdconf.Render(containerdconf.NodeadmRoot(pause))
	if err != nil {
		return nil, internalError(pp, "nodeadm's root containerd config", err)
	}
	dropIn, err := gpu.RenderContainerd(gpu.TargetNodeadmDropIn, gpu.DefaultContainerdOptions(gpu.TargetNodeadmDropIn, b.Cluster.Region))
	if err != nil {
		return nil, internalError(pp, "the NVIDIA containerd drop-in", err)
	}
	fs, err := gpu.CheckContainerdDropIn(dropIn, root)
	if err != nil {
		return nil, internalError(pp, "the NVIDIA containerd drop-in", err)
	}
	for _, f := range fs {
		if f.Level == advice.Error {
			return nil, internalError(pp, "the NVIDIA containerd drop-in", fmt.Errorf("%s", f.Message))
		}
		f.Field, f.Message = "", "containerd/nodeadm-dropin.toml on nodeadm's root config: "+f.Message
		bt.findings = append(bt.findings, f)
	}
	return dropIn, nil
}

// hasGPUPools reports whether any pool has GPUs.
func (b Blueprint) hasGPUPools() bool {
	for _, p := range b.NodePools {
		if p.GPU != nil {
			return true
		}
	}
	return false
}

// lintPool adds the advice on pool i's hosts (gpu.CheckHost's warnings
// and notes) at the pool's fields.
func (bt *built) lintPool(i int) {
	b, ip := bt.bp, bt.fp.Child("nodePools").Index(i)
	for _, f := range gpu.CheckHost(b.NodePools[i].hostFacts(b)) {
		f.Field = hostFieldPath(ip, f.Field).String()
		bt.findings = append(bt.findings, f)
	}
}

// lintGPUSharing adds the device plugin's advice on the blueprint's GPU
// sharing at gpuSharing's fields.
func (bt *built) lintGPUSharing() {
	if bt.bp.GPUSharing == nil {
		return
	}
	gp := bt.fp.Child("gpuSharing")
	from := newProvenance(gp)
	from.set(field.NewPath("sharing"), gp.Child("strategy"))
	from.set(field.NewPath("replicas"), gp.Child("replicas"))
	from.set(field.NewPath("failRequestsGreaterThanOne"), gp.Child("failRequestsGreaterThanOne"))
	bt.findings = append(bt.findings, from.findings(bt.bp.devicePluginOptions().Lint())...)
}

// devicePluginOptions are the NVIDIA device plugin's options: the
// defaults, with the blueprint's GPU sharing.
func (b Blueprint) devicePluginOptions() gpu.DevicePluginOptions {
	var o gpu.DevicePluginOptions
	if g := b.GPUSharing; g != nil {
		o.Sharing, o.Replicas, o.FailRequestsGreaterThanOne = g.Strategy, g.Replicas, g.FailRequestsGreaterThanOne
	}
	o.Default()
	return o
}

// poolLabels returns the node labels of a pool: the site zone, the GPU
// model labels (as GPU feature discovery sets them under the blueprint's
// sharing) and the pool's own.
func poolLabels(b Blueprint, p NodePool) map[string]string {
	l := map[string]string{corev1.LabelTopologyZone: b.Site.Zone}
	if p.GPU != nil {
		if m, ok := gpu.ModelByAlias(p.GPU.Model); ok {
			maps.Copy(l, gpu.ModelLabelsFor(m, p.GPU.Count, b.devicePluginOptions()))
		}
	}
	maps.Copy(l, p.Labels)
	return l
}
