package nodeconfig_test

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

func TestLint(t *testing.T) {
	gpu := func(f func(*nodeconfig.NodeConfig)) nodeconfig.NodeConfig {
		c := guideGPUNode(t)
		f(&c)
		return c
	}
	tests := []struct {
		name  string
		cfg   nodeconfig.NodeConfig
		code  advice.Code
		field string
		level advice.Level
	}{
		{"iam-ra paths left to defaults", func() nodeconfig.NodeConfig {
			c := iamRANode()
			c.Spec.Hybrid.IAMRolesAnywhere.CertificatePath = ""
			return c
		}(), nodeconfig.CodeIAMRADefaultPaths, "spec.hybrid.iamRolesAnywhere.certificatePath", advice.Warning},
		{"compute-type label, same value", gpu(func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.NodeLabels[nodeconfig.LabelComputeType] = "hybrid" }),
			nodeconfig.CodeLabelSetByNodeadm, "spec.kubelet.nodeLabels[eks.amazonaws.com/compute-type]", advice.Info},
		{"credential label, conflicting", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.NodeLabels[nodeconfig.LabelCredentialProvider] = "iam-ra"
		}),
			nodeconfig.CodeLabelSetByNodeadm, "spec.kubelet.nodeLabels[eks.amazonaws.com/hybrid-credential-provider]", advice.Warning},
		{"drop-in version 3", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Containerd.Config = "version = 3\n[plugins.\"io.containerd.cri.v1.images\".pinned_images]\nsandbox = \"602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8\"\n"
		}), nodeconfig.CodeContainerdDropIn, "spec.containerd.config", advice.Error},
		{"drop-in default undefined", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Containerd.Config = strings.Replace(c.Spec.Containerd.Config, "default_runtime_name = 'nvidia'", "default_runtime_name = 'gpu'", 1)
		}), nodeconfig.CodeContainerdDropIn, "spec.containerd.config", advice.Error},
		{"frozen registry", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Containerd.Config = strings.Replace(c.Spec.Containerd.Config, "602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.5", "k8s.gcr.io/pause:3.8", 1)
		}), nodeconfig.CodeOutdatedImage, "spec.containerd.config", advice.Warning},
		{"old pause", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Containerd.Config = strings.Replace(c.Spec.Containerd.Config, "pause:3.5", "pause:3.1", 1)
		}), nodeconfig.CodeOutdatedImage, "spec.containerd.config", advice.Info},
		{"pod infra flag", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Flags = []string{"--pod-infra-container-image=602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8"}
		}), nodeconfig.CodeOutdatedImage, "spec.kubelet.flags[0]", advice.Warning},
		{"local storage", gpu(func(c *nodeconfig.NodeConfig) { c.Spec.Instance.LocalStorage.Strategy = nodeconfig.LocalStorageRAID0 }),
			nodeconfig.CodeLocalStorageIgnored, "spec.instance.localStorage.strategy", advice.Info},
		{"cgroupfs", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.Extra = map[string]json.RawMessage{"cgroupDriver": json.RawMessage(`"cgroupfs"`)}
		}), nodeconfig.CodeCgroupDriver, "spec.kubelet.config.cgroupDriver", advice.Error},
		{"reserved cpus", gpu(func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Config.ReservedSystemCPUs = "0-3" }),
			nodeconfig.CodeReservedCPUsCgroups, "spec.kubelet.config.reservedSystemCPUs", advice.Error},
		{"memory manager static", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.MemoryManagerPolicy = nodeconfig.MemoryManagerStatic
		}),
			nodeconfig.CodeMemoryManagerStatic, "spec.kubelet.config.memoryManagerPolicy", advice.Warning},
		{"topology without cpu manager", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.TopologyManagerPolicy = nodeconfig.TopologyManagerSingleNUMANode
		}), nodeconfig.CodeTopologyWithoutCPU, "spec.kubelet.config.topologyManagerPolicy", advice.Info},
		{"cluster dns outside cidr", gpu(func(c *nodeconfig.NodeConfig) {
			c.Spec.Cluster.CIDR = "10.96.0.0/16"
			c.Spec.Kubelet.Config.ClusterDNS = []netip.Addr{netip.MustParseAddr("10.100.0.10")}
		}), nodeconfig.CodeClusterDNSOutsideCIDR, "spec.kubelet.config.clusterDNS[0]", advice.Warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); err != nil {
				t.Fatalf("lint fixture is invalid: %v", err)
			}
			fs := tt.cfg.Lint()
			if len(fs) != 1 || fs[0].Code != tt.code || fs[0].Field != tt.field || fs[0].Level != tt.level {
				t.Fatalf("Lint() = %v\nwant one %s %s at %s", fs, tt.level, tt.code, tt.field)
			}
			if fs[0].Ref == "" || fs[0].Message == "" {
				t.Errorf("finding without message or source: %+v", fs[0])
			}
		})
	}
}

// Setting both reserved cgroups to "" lifts the kubelet's restriction.
func TestLintReservedCPUsWithCgroupsCleared(t *testing.T) {
	c := guideGPUNode(t)
	c.Spec.Kubelet.Config.ReservedSystemCPUs = "0-3"
	c.Spec.Kubelet.Config.Extra = map[string]json.RawMessage{"systemReservedCgroup": json.RawMessage(`""`), "kubeReservedCgroup": json.RawMessage(`""`)}
	if fs := c.Lint(); len(fs) != 0 {
		t.Errorf("Lint() = %v", fs)
	}
}
