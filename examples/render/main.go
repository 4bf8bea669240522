// Command render writes the NodeConfig of the reference scenario (the
// adoption guide's GPU node, corrected) into an output folder and prints a
// summary with its findings.
//
//	go run ./examples/render            # writes ./out
//	go run ./examples/render -out DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

func main() {
	out := flag.String("out", "out", "folder to write into")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "render: unexpected arguments:", flag.Args())
		os.Exit(2)
	}
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	c, err := referenceNode()
	if err != nil {
		return err
	}
	b, err := nodeconfig.Marshal(c)
	if err != nil {
		return err
	}
	path := filepath.Join(out, "nodeconfigs", "gpu-node-01.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	// The file holds the SSM activation code: only its owner may read it.
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", path, len(b))
	for _, f := range c.Lint() {
		fmt.Println(" ", f)
	}
	return nil
}

// referenceNode is the guide's GPU node (../shared/seed, nodeconfig-gpu.yaml)
// done right: a complete containerd drop-in for the NVIDIA runtime, labels
// that exist, and a topology zone. The activation is an example value.
func referenceNode() (nodeconfig.NodeConfig, error) {
	const region = "ap-northeast-2"
	toml, err := gpu.RenderContainerd(gpu.TargetNodeadmDropIn, gpu.DefaultContainerdOptions(region))
	if err != nil {
		return nodeconfig.NodeConfig{}, err
	}
	h100, _ := gpu.ModelByAlias("h100")
	c := nodeconfig.NewSSM("gpu-hybrid-cluster", region, "EXAMPLE+activation+code+0123456789", "6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f")
	maxPods := int32(110)
	c.Spec.Kubelet.Config.MaxPods = &maxPods
	c.Spec.Kubelet.Config.ShutdownGracePeriod = &metav1.Duration{Duration: 30 * time.Second}
	c.Spec.Kubelet.NodeLabels = gpu.ModelLabels(h100, 8)
	c.Spec.Kubelet.NodeLabels["topology.kubernetes.io/zone"] = "onprem-dc1"
	c.Spec.Kubelet.Taints = []corev1.Taint{gpu.NodeTaint()}
	c.Spec.Containerd.Config = string(toml)
	c.Default()
	return c, nil
}
