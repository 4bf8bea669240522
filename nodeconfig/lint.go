package nodeconfig

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/internal/imageref"
)

// Finding codes reported by Lint.
const (
	CodeIAMRADefaultPaths     advice.Code = "nodeconfig/iam-ra-default-paths"
	CodeLabelSetByNodeadm     advice.Code = "nodeconfig/label-set-by-nodeadm"
	CodeContainerdDropIn      advice.Code = "nodeconfig/containerd-dropin"
	CodeOutdatedImage         advice.Code = "nodeconfig/outdated-image"
	CodeLocalStorageIgnored   advice.Code = "nodeconfig/local-storage-ignored"
	CodeCgroupDriver          advice.Code = "nodeconfig/cgroup-driver"
	CodeReservedCPUsCgroups   advice.Code = "nodeconfig/reserved-cpus-with-cgroups"
	CodeClusterDNSOutsideCIDR advice.Code = "nodeconfig/cluster-dns-outside-cidr"
	CodeMemoryManagerStatic   advice.Code = "nodeconfig/memory-manager-static"
	CodeTopologyWithoutCPU    advice.Code = "nodeconfig/topology-without-cpu-manager"
	CodeKeySpelling           advice.Code = "nodeconfig/key-spelling"
	CodeOutpostFlag           advice.Code = "nodeconfig/enable-outpost-false"
)

const (
	refNodeadmCheck   = "https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/cmd/nodeadm/config/check.go"
	refNodeadmLabels  = "https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/internal/kubelet/config.go"
	refKubeletConfig  = "https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/internal/kubelet/config.go"
	refKubeletValid   = "https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/apis/config/validation/validation.go"
	refRegistryFrozen = "https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/"
	refPodInfraFlag   = "https://github.com/kubernetes/kubernetes/blob/master/CHANGELOG/CHANGELOG-1.35.md (--pod-infra-container-image removed)"
)

// Lint reports what nodeadm accepts but will not work as intended:
//
//   - IAM Roles Anywhere certificate and key paths left to defaults
//     (`nodeadm config check` does not apply them);
//   - labels nodeadm already sets, with the same or a conflicting value;
//   - a containerd drop-in that is not version = 2, that replaces the CRI
//     plugin table without carrying the complete section (containerd 1.x
//     then loses runc's SystemdCgroup, the sandbox image and the registry
//     hosts), or whose default runtime it does not define;
//   - an outdated or frozen-registry sandbox image, and the removed
//     --pod-infra-container-image flag;
//   - kubelet settings that clash with what nodeadm configures (a cgroup
//     driver other than systemd, reservedSystemCPUs next to nodeadm's
//     reserved cgroups) or with each other.
//
// Lint assumes a NodeConfig that Validate accepts; on others it reports
// what it can. Findings never contain the activation code.
func (c NodeConfig) Lint() []advice.Finding {
	c.Default()
	var fs []advice.Finding
	sp := field.NewPath("spec")
	if h := c.Spec.Hybrid; h != nil && h.IAMRolesAnywhere != nil {
		ira := h.IAMRolesAnywhere
		for _, f := range []struct{ name, value, def string }{
			{"certificatePath", ira.CertificatePath, DefaultCertificatePath},
			{"privateKeyPath", ira.PrivateKeyPath, DefaultPrivateKeyPath},
		} {
			if f.value == "" {
				fs = append(fs, advice.Finding{
					Level: advice.Warning, Code: CodeIAMRADefaultPaths, Field: sp.Child("hybrid", "iamRolesAnywhere", f.name).String(),
					Message: fmt.Sprintf("%s is left to nodeadm's default %s; `nodeadm config check` validates without defaults and fails — write the path explicitly (NewIAMRolesAnywhere does)", f.name, f.def),
					Ref:     refNodeadmCheck,
				})
			}
		}
	}
	for _, k := range c.folded {
		fs = append(fs, advice.Finding{
			Level: advice.Info, Code: CodeKeySpelling, Field: k.Path,
			Message: fmt.Sprintf("line %d: nodeadm reads this key because encoding/json matches keys ignoring case, but its name is %s; write it that way so other tools (kubectl, schema validators, hybridkit's strict readers) read it too", k.Line, advice.Quote(k.Field)),
			Ref:     "https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/internal/api/bridge/decode.go",
		})
	}
	if o := c.Spec.Cluster.EnableOutpost; o != nil && !*o {
		fs = append(fs, advice.Finding{
			Level: advice.Info, Code: CodeOutpostFlag, Field: field.NewPath("spec", "cluster", "enableOutpost").String(),
			Message: "enableOutpost: false has no effect (nodeadm treats a node as an Outposts node only when it is true); leave it out",
			Ref:     "https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/internal/api/types.go (IsOutpostNode)",
		})
	}
	fs = append(fs, c.lintLabels()...)
	fs = append(fs, c.lintContainerd()...)
	fs = append(fs, c.lintKubelet()...)
	if c.Spec.Instance.LocalStorage.Strategy != "" {
		fs = append(fs, advice.Finding{
			Level: advice.Info, Code: CodeLocalStorageIgnored, Field: sp.Child("instance", "localStorage", "strategy").String(),
			Message: "the hybrid nodeadm ignores instance.localStorage (it configures EC2 instance-store volumes); prepare local disks yourself",
			Ref:     "https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/api/v1alpha1/nodeconfig_types.go",
		})
	}
	return advice.Sort(fs)
}

func (c NodeConfig) lintLabels() []advice.Finding {
	var fs []advice.Finding
	provider := ""
	if h := c.Spec.Hybrid; h != nil {
		switch {
		case h.SSM != nil:
			provider = "ssm"
		case h.IAMRolesAnywhere != nil:
			provider = "iam-ra"
		}
	}
	for key, want := range map[string]string{LabelComputeType: ComputeTypeHybrid, LabelCredentialProvider: provider} {
		got, ok := c.Spec.Kubelet.NodeLabels[key]
		if !ok {
			continue
		}
		f := advice.Finding{Code: CodeLabelSetByNodeadm, Field: field.NewPath("spec", "kubelet", "nodeLabels").Key(key).String(), Ref: refNodeadmLabels}
		if got == want {
			f.Level = advice.Info
			f.Message = fmt.Sprintf("nodeadm already sets %s=%s; the label is redundant", key, want)
		} else {
			f.Level = advice.Warning
			f.Message = fmt.Sprintf("nodeadm sets %s=%s, and this later --node-labels entry overrides it with %s: add-ons that select hybrid nodes by this label (or avoid them, like the VPC CNI) will misplace pods", key, want, advice.Quote(got))
		}
		fs = append(fs, f)
	}
	return fs
}

func (c NodeConfig) lintContainerd() []advice.Finding {
	text := c.Spec.Containerd.Config
	if strings.TrimSpace(text) == "" {
		return nil
	}
	dropIn, err := containerdconf.Parse([]byte(text))
	if err != nil {
		return nil // Validate reports it.
	}
	field := "spec.containerd.config"
	// The root config is nodeadm's; its sandbox image is the regional EKS
	// pause image, whatever its exact tag.
	pause, _ := containerdconf.EKSPauseImage(c.Spec.Cluster.Region, containerdconf.NodeadmPauseTag)
	var fs []advice.Finding
	for _, f := range containerdconf.CheckDropIn(dropIn, containerdconf.NodeadmRoot(pause)) {
		fs = append(fs, advice.Finding{
			Level: f.Level, Code: CodeContainerdDropIn, Field: field,
			Message: fmt.Sprintf("%s (%s): %s", f.Field, f.Code, f.Message),
			Ref:     f.Ref,
		})
	}
	if dropIn.CRI != nil && dropIn.CRI.SandboxImage != "" {
		if f, ok := lintImage(field, dropIn.CRI.SandboxImage); ok {
			fs = append(fs, f)
		}
	}
	return fs
}

// lintImage reports a sandbox image from the frozen k8s.gcr.io registry or
// older than the pause image the EKS AMIs cache.
func lintImage(field, image string) (advice.Finding, bool) {
	ref, err := imageref.Parse(image)
	if err != nil {
		return advice.Finding{}, false
	}
	if ref.Registry == "k8s.gcr.io" {
		return advice.Finding{
			Level: advice.Warning, Code: CodeOutdatedImage, Field: field,
			Message: fmt.Sprintf("sandbox image %s comes from k8s.gcr.io, frozen since April 2023; use the regional EKS pause image (eks/pause) or registry.k8s.io", advice.Quote(image)),
			Ref:     refRegistryFrozen,
		}, true
	}
	v, ok := ref.Version()
	def, _ := imageref.ParseVersion(containerdconf.NodeadmPauseTag)
	if ok && strings.HasSuffix(ref.Repository, "pause") && imageref.CompareVersions(v, def) < 0 {
		return advice.Finding{
			Level: advice.Info, Code: CodeOutdatedImage, Field: field,
			Message: fmt.Sprintf("sandbox image %s is older than pause:%s, the one nodeadm configures", advice.Quote(image), containerdconf.NodeadmPauseTag),
			Ref:     "https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/internal/aws/ecr/ecr.go",
		}, true
	}
	return advice.Finding{}, false
}

func (c NodeConfig) lintKubelet() []advice.Finding {
	var fs []advice.Finding
	k := c.Spec.Kubelet
	kp := field.NewPath("spec", "kubelet")
	for i, f := range k.Flags {
		if strings.HasPrefix(f, "--pod-infra-container-image") {
			fs = append(fs, advice.Finding{
				Level: advice.Warning, Code: CodeOutdatedImage, Field: kp.Child("flags").Index(i).String(),
				Message: "--pod-infra-container-image has had no effect since Kubernetes 1.29 (containerd pins its sandbox image) and was removed in 1.35, where the kubelet refuses to start with it; set the sandbox image in the containerd config",
				Ref:     refPodInfraFlag,
			})
		}
	}
	if raw, ok := k.Config.Extra["cgroupDriver"]; ok {
		var driver string
		if json.Unmarshal(raw, &driver) == nil && driver != "systemd" {
			fs = append(fs, advice.Finding{
				Level: advice.Error, Code: CodeCgroupDriver, Field: kp.Child("config", "cgroupDriver").String(),
				Message: fmt.Sprintf("cgroupDriver %q: nodeadm configures containerd's runc with SystemdCgroup = true and the kubelet with systemd; a different driver makes pod sandboxes fail", driver),
				Ref:     refKubeletConfig,
			})
		}
	}
	if k.Config.ReservedSystemCPUs != "" && !(cgroupCleared(k.Config.Extra, "systemReservedCgroup") && cgroupCleared(k.Config.Extra, "kubeReservedCgroup")) {
		fs = append(fs, advice.Finding{
			Level: advice.Error, Code: CodeReservedCPUsCgroups, Field: kp.Child("config", "reservedSystemCPUs").String(),
			Message: "reservedSystemCPUs cannot be combined with systemReservedCgroup or kubeReservedCgroup, and nodeadm sets both (/system, /runtime): the kubelet refuses to start; reserve CPU through kubeReserved/systemReserved instead",
			Ref:     refKubeletValid + "; " + refKubeletConfig,
		})
	}
	if k.Config.MemoryManagerPolicy == MemoryManagerStatic {
		if _, ok := k.Config.Extra["reservedMemory"]; !ok {
			fs = append(fs, advice.Finding{
				Level: advice.Warning, Code: CodeMemoryManagerStatic, Field: kp.Child("config", "memoryManagerPolicy").String(),
				Message: "memoryManagerPolicy Static needs reservedMemory per NUMA node, equal to the memory reserved by kubeReserved, systemReserved and evictionHard; without it the kubelet refuses to start",
				Ref:     refKubeletValid + " (validateReservedMemoryConfiguration)",
			})
		}
	}
	if p := k.Config.TopologyManagerPolicy; (p == TopologyManagerRestricted || p == TopologyManagerSingleNUMANode) && k.Config.CPUManagerPolicy != CPUManagerStatic {
		fs = append(fs, advice.Finding{
			Level: advice.Info, Code: CodeTopologyWithoutCPU, Field: kp.Child("config", "topologyManagerPolicy").String(),
			Message: fmt.Sprintf("topologyManagerPolicy %s aligns only resources whose managers give hints; without cpuManagerPolicy static only the GPUs (device plugin) are aligned, not CPUs", p),
			Ref:     "https://kubernetes.io/docs/tasks/administer-cluster/topology-manager/",
		})
	}
	if cidr, err := netip.ParsePrefix(c.Spec.Cluster.CIDR); err == nil {
		for i, a := range k.Config.ClusterDNS {
			if !cidr.Contains(a) && !a.IsLinkLocalUnicast() {
				fs = append(fs, advice.Finding{
					Level: advice.Warning, Code: CodeClusterDNSOutsideCIDR, Field: kp.Child("config", "clusterDNS").Index(i).String(),
					Message: fmt.Sprintf("clusterDNS %s is outside the service CIDR %s, where the kube-dns Service lives (nodeadm would use the .10 address); pods on this node may not resolve cluster names", a, cidr),
					Ref:     "https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/internal/api/net.go",
				})
			}
		}
	}
	return fs
}

// cgroupCleared reports whether extra sets key to "".
func cgroupCleared(extra map[string]json.RawMessage, key string) bool {
	var s string
	raw, ok := extra[key]
	return ok && json.Unmarshal(raw, &s) == nil && s == ""
}
