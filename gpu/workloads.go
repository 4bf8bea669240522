package gpu

import (
	"fmt"
	"maps"
	"strings"

	corev1 "k8s.io/api/core/v1"
	nodev1 "k8s.io/api/node/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/hybridkit/hybridkit/nodeconfig"
)

// The GPU taint of the adoption guide: GPU nodes repel pods that do not ask
// for GPUs. The device plugin's manifests tolerate nvidia.com/gpu with any
// value.
const (
	TaintKey   = "nvidia.com/gpu"
	TaintValue = "present"
)

// NodeTaint is the taint to register GPU nodes with
// (nvidia.com/gpu=present:NoSchedule).
func NodeTaint() corev1.Taint {
	return corev1.Taint{Key: TaintKey, Value: TaintValue, Effect: corev1.TaintEffectNoSchedule}
}

// GPUToleration tolerates NodeTaint (any value of nvidia.com/gpu).
func GPUToleration() corev1.Toleration {
	return corev1.Toleration{Key: TaintKey, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}
}

// RuntimeClass returns the node.k8s.io/v1 RuntimeClass for the NVIDIA
// runtime handler (its name and handler are the containerd runtime name).
// Its scheduling section sends pods that use it to GPU nodes and adds the
// GPU toleration to them.
func RuntimeClass(handler string) (*nodev1.RuntimeClass, error) {
	if msgs := validation.IsDNS1123Label(handler); len(msgs) > 0 {
		return nil, fmt.Errorf("gpu: runtime handler %q: %s", handler, strings.Join(msgs, "; "))
	}
	return &nodev1.RuntimeClass{
		TypeMeta:   metav1.TypeMeta{APIVersion: "node.k8s.io/v1", Kind: "RuntimeClass"},
		ObjectMeta: metav1.ObjectMeta{Name: handler},
		Handler:    handler,
		Scheduling: &nodev1.Scheduling{
			NodeSelector: map[string]string{LabelGPUPresent: "true"},
			Tolerations:  []corev1.Toleration{GPUToleration()},
		},
	}, nil
}

// TestPodOptions describe the GPU smoke-test pod.
type TestPodOptions struct {
	// Name defaults to gpu-test.
	Name string
	// Image defaults to the guide's nvidia/cuda:12.3.0-base-ubuntu22.04.
	Image string
	// GPUs defaults to 1.
	GPUs int
	// RuntimeClassName is set when the NVIDIA runtime is not the default.
	RuntimeClassName string
	// NodeSelector defaults to hybrid GPU nodes:
	// eks.amazonaws.com/compute-type=hybrid (set by nodeadm) and
	// nvidia.com/gpu.present=true (set by ModelLabels).
	NodeSelector map[string]string
}

// DefaultTestImage is the CUDA image of the adoption guide's test pod.
const DefaultTestImage = "nvidia/cuda:12.3.0-base-ubuntu22.04"

// TestPod is the adoption guide's GPU test pod, corrected: it runs
// nvidia-smi once, requests exactly what it limits (extended resources
// cannot be overcommitted, and a request without a limit is refused),
// tolerates the GPU taint, and selects nodes by labels that exist.
func TestPod(o TestPodOptions) (*corev1.Pod, error) {
	if o.Name == "" {
		o.Name = "gpu-test"
	}
	if o.Image == "" {
		o.Image = DefaultTestImage
	}
	if o.GPUs == 0 {
		o.GPUs = 1
	}
	if o.GPUs < 0 {
		return nil, fmt.Errorf("gpu: test pod GPUs %d must be positive", o.GPUs)
	}
	if len(o.NodeSelector) == 0 {
		o.NodeSelector = map[string]string{nodeconfig.LabelComputeType: nodeconfig.ComputeTypeHybrid, LabelGPUPresent: "true"}
	}
	if msgs := validation.IsDNS1123Subdomain(o.Name); len(msgs) > 0 {
		return nil, fmt.Errorf("gpu: test pod name %q: %s", o.Name, strings.Join(msgs, "; "))
	}
	q := resource.NewQuantity(int64(o.GPUs), resource.DecimalSI)
	pod := &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: o.Name},
		Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			NodeSelector:  maps.Clone(o.NodeSelector),
			Tolerations:   []corev1.Toleration{GPUToleration()},
			Containers: []corev1.Container{{
				Name:    "cuda",
				Image:   o.Image,
				Command: []string{"nvidia-smi"},
				Resources: corev1.ResourceRequirements{
					Requests: corev1.ResourceList{ResourceGPU: *q},
					Limits:   corev1.ResourceList{ResourceGPU: q.DeepCopy()},
				},
			}},
		},
	}
	if o.RuntimeClassName != "" {
		rc := o.RuntimeClassName
		pod.Spec.RuntimeClassName = &rc
	}
	return pod, nil
}
