package lab_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	nodev1 "k8s.io/api/node/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// gpuNode is what a GPU node of the bundle is: its labels and taints from
// its NodeConfig, and the runtimes its containerd drop-in defines.
type gpuNode struct {
	labels   map[string]string
	taints   []corev1.Taint
	runtimes []string
}

// bundleGPUNode reads the first GPU node of the bundle.
func bundleGPUNode(t *testing.T, bundle blueprint.Bundle) gpuNode {
	t.Helper()
	for _, f := range bundle.Files() {
		if f.Kind != blueprint.KindNodeConfig {
			continue
		}
		c, err := nodeconfig.Parse(f.Content)
		if err != nil {
			t.Fatal(err)
		}
		if c.Spec.Containerd.Config == "" {
			continue
		}
		d, err := containerdconf.Parse([]byte(c.Spec.Containerd.Config))
		if err != nil {
			t.Fatal(err)
		}
		n := gpuNode{labels: c.Spec.Kubelet.NodeLabels, taints: c.Spec.Kubelet.Taints}
		// nodeadm adds these labels itself.
		n.labels = mapsWith(n.labels, map[string]string{"eks.amazonaws.com/compute-type": "hybrid"})
		if d.CRI != nil {
			for name := range d.CRI.Runtimes {
				n.runtimes = append(n.runtimes, name)
			}
		}
		return n
	}
	t.Fatal("the bundle has no GPU NodeConfig")
	return gpuNode{}
}

func mapsWith(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// podSpecsOnGPUNodes returns, by "file/kind/name", the pod specs of the
// bundle meant for GPU nodes: the device plugin's DaemonSets, the GPU test
// pod and the training pod.
func podSpecsOnGPUNodes(t *testing.T, bundle blueprint.Bundle) map[string]corev1.PodSpec {
	t.Helper()
	out := map[string]corev1.PodSpec{}
	for _, path := range []string{"kubernetes/nvidia-device-plugin.yaml", "kubernetes/gpu-test-pod.yaml", "kubernetes/workloads.yaml"} {
		for _, o := range testkit.DecodeManifests(t, file(t, bundle, path)) {
			switch v := o.(type) {
			case *appsv1.DaemonSet:
				out[path+"/DaemonSet/"+v.Name] = v.Spec.Template.Spec
			case *corev1.Pod:
				if v.Name != "gpu-test" && v.Name != "gpu-training" {
					continue
				}
				out[path+"/Pod/"+v.Name] = v.Spec
			}
		}
	}
	return out
}

// disagreements lists where the files of a bundle disagree: a
// RuntimeClass whose handler no containerd runtime has; a pod for GPU
// nodes that does not tolerate their taint, or whose node selector or
// required affinity no GPU node's labels satisfy.
func disagreements(t *testing.T, bundle blueprint.Bundle) []string {
	t.Helper()
	var out []string
	node := bundleGPUNode(t, bundle)
	for _, o := range testkit.DecodeManifests(t, file(t, bundle, "kubernetes/nvidia-runtimeclass.yaml")) {
		if rc, ok := o.(*nodev1.RuntimeClass); ok && !slices.Contains(node.runtimes, rc.Handler) {
			out = append(out, fmt.Sprintf("RuntimeClass %s has handler %q; the containerd drop-in defines %v", rc.Name, rc.Handler, node.runtimes))
		}
	}
	for name, spec := range podSpecsOnGPUNodes(t, bundle) {
		for _, taint := range node.taints {
			if !slices.ContainsFunc(spec.Tolerations, func(tol corev1.Toleration) bool { return tolerates(tol, taint) }) {
				out = append(out, fmt.Sprintf("%s does not tolerate the GPU nodes' taint %s", name, taint.ToString()))
			}
		}
		if sel := labels.SelectorFromSet(spec.NodeSelector); !sel.Matches(labels.Set(node.labels)) {
			out = append(out, fmt.Sprintf("%s selects nodes with %s; the GPU nodes' labels do not match", name, sel))
		}
		if a := spec.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
			ok := false
			for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
				ok = ok || termMatches(term, node.labels)
			}
			if !ok {
				out = append(out, fmt.Sprintf("%s's required node affinity matches no GPU node", name))
			}
		}
	}
	slices.Sort(out)
	return out
}

// tolerates is Kubernetes's toleration matching (core/v1
// Toleration.ToleratesTaint, without its logger): an empty key with Exists
// tolerates every taint; otherwise key, effect and — for Equal — value.
func tolerates(tol corev1.Toleration, taint corev1.Taint) bool {
	if tol.Effect != "" && tol.Effect != taint.Effect {
		return false
	}
	if tol.Key == "" {
		return tol.Operator == corev1.TolerationOpExists
	}
	if tol.Key != taint.Key {
		return false
	}
	switch tol.Operator {
	case corev1.TolerationOpExists:
		return true
	case "", corev1.TolerationOpEqual:
		return tol.Value == taint.Value
	}
	return false
}

func termMatches(term corev1.NodeSelectorTerm, l map[string]string) bool {
	for _, e := range term.MatchExpressions {
		v, has := l[e.Key]
		switch e.Operator {
		case corev1.NodeSelectorOpIn:
			if !has || !slices.Contains(e.Values, v) {
				return false
			}
		case corev1.NodeSelectorOpNotIn:
			if has && slices.Contains(e.Values, v) {
				return false
			}
		case corev1.NodeSelectorOpExists:
			if !has {
				return false
			}
		case corev1.NodeSelectorOpDoesNotExist:
			if has {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// TestBundleFilesAgree checks the files of both bundles against each
// other: the RuntimeClass handler is a runtime of the containerd drop-in
// the NodeConfigs carry, and every pod meant for GPU nodes (the device
// plugin, the GPU test pod, the training pod) tolerates the taint the
// NodeConfigs set and selects labels the NodeConfigs give.
func TestBundleFilesAgree(t *testing.T) {
	for _, bp := range []struct {
		name string
		b    blueprint.Blueprint
	}{{"reference", blueprint.Reference()}, {"iam-ra-calico", iraCalico()}} {
		t.Run(bp.name, func(t *testing.T) {
			if d := disagreements(t, render(t, bp.b)); len(d) > 0 {
				t.Errorf("the files disagree:\n%s", strings.Join(d, "\n"))
			}
		})
	}
}

// TestBundleFilesAgreeNegative breaks one file at a time and checks the
// agreement test names exactly that disagreement.
func TestBundleFilesAgreeNegative(t *testing.T) {
	bundle := render(t, blueprint.Reference())
	for _, tc := range []struct {
		name, path, from, to, want string
	}{
		{"RuntimeClass handler", "kubernetes/nvidia-runtimeclass.yaml", "handler: nvidia", "handler: nvidia-cdi", `RuntimeClass nvidia has handler "nvidia-cdi"`},
		{"test pod toleration", "kubernetes/gpu-test-pod.yaml", "key: nvidia.com/gpu", "key: nvidia.com/gpus", "gpu-test does not tolerate"},
		{"training pod product", "kubernetes/workloads.yaml", "nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu.product: NVIDIA-H200", "gpu-training selects nodes with"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := string(file(t, bundle, tc.path))
			if !strings.Contains(before, tc.from) {
				t.Fatalf("%s has no %q", tc.path, tc.from)
			}
			d := disagreements(t, withFile(bundle, tc.path, []byte(strings.Replace(before, tc.from, tc.to, 1))))
			if len(d) != 1 || !strings.Contains(d[0], tc.want) {
				t.Errorf("disagreements %q, want exactly one naming %q", d, tc.want)
			}
		})
	}
}
