package gpu_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/manifest"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

func render(t *testing.T, objs ...runtime.Object) []byte {
	t.Helper()
	b, err := manifest.Render(objs...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestManifestsGolden(t *testing.T) {
	dp, err := gpu.DevicePlugin(gpu.DevicePluginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	shared, err := gpu.DevicePlugin(gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 4, FailRequestsGreaterThanOne: &yes, RuntimeClassName: "nvidia"})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := gpu.RuntimeClass("nvidia")
	if err != nil {
		t.Fatal(err)
	}
	pod, err := gpu.TestPod(gpu.TestPodOptions{})
	if err != nil {
		t.Fatal(err)
	}
	podRC, err := gpu.TestPod(gpu.TestPodOptions{Name: "gpu-test-runtimeclass", RuntimeClassName: "nvidia"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		objs []runtime.Object
	}{
		{"device-plugin.golden.yaml", []runtime.Object{dp.ConfigMap, dp.DaemonSet}},
		{"device-plugin-time-slicing.golden.yaml", []runtime.Object{shared.ConfigMap, shared.DaemonSet}},
		{"runtimeclass.golden.yaml", []runtime.Object{rc}},
		{"gpu-test-pod.golden.yaml", []runtime.Object{pod, podRC}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := render(t, tc.objs...)
			testkit.Golden(t, tc.name, b)
			if got := testkit.DecodeManifests(t, b); len(got) != len(tc.objs) {
				t.Errorf("decoded %d objects, want %d", len(got), len(tc.objs))
			}
		})
	}
}

func TestDevicePluginShape(t *testing.T) {
	objs, err := gpu.DevicePlugin(gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategySingle})
	if err != nil {
		t.Fatal(err)
	}
	ds := objs.DaemonSet
	spec := ds.Spec.Template.Spec
	c := spec.Containers[0]
	if c.Image != gpu.DefaultDevicePluginImage || spec.PriorityClassName != "system-node-critical" {
		t.Errorf("image %s priority %s", c.Image, spec.PriorityClassName)
	}
	if !slices.ContainsFunc(spec.Tolerations, func(t corev1.Toleration) bool {
		return t.Key == "nvidia.com/gpu" && t.Operator == corev1.TolerationOpExists
	}) {
		t.Errorf("no GPU toleration: %v", spec.Tolerations)
	}
	// With a MIG strategy the chart gives the plugin CAP_SYS_ADMIN to
	// watch MIG devices through NVML, and NVIDIA_MIG_MONITOR_DEVICES.
	if sc := c.SecurityContext; sc.AllowPrivilegeEscalation != nil || len(sc.Capabilities.Drop) != 0 || !slices.Equal(sc.Capabilities.Add, []corev1.Capability{"SYS_ADMIN"}) {
		t.Errorf("security context under MIG %+v", c.SecurityContext)
	}
	if !slices.Contains(c.Env, corev1.EnvVar{Name: "NVIDIA_MIG_MONITOR_DEVICES", Value: "all"}) {
		t.Errorf("env under MIG %v", c.Env)
	}
	whole, err := gpu.DevicePlugin(gpu.DevicePluginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if wc := whole.DaemonSet.Spec.Template.Spec.Containers[0]; *wc.SecurityContext.AllowPrivilegeEscalation || !slices.Equal(wc.SecurityContext.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(wc.Env) != 0 {
		t.Errorf("whole GPUs: security context %+v, env %v", wc.SecurityContext, wc.Env)
	}
	term := spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0]
	if term.Key != gpu.LabelGPUPresent || term.Values[0] != "true" {
		t.Errorf("affinity %+v", term)
	}
	var cfg struct {
		Version string `json:"version"`
		Flags   struct {
			MIGStrategy string `json:"migStrategy"`
		} `json:"flags"`
	}
	if err := yaml.UnmarshalStrict([]byte(objs.ConfigMap.Data["config.yaml"]), &cfg); err != nil || cfg.Flags.MIGStrategy != "single" {
		t.Errorf("config = %q (%v)", objs.ConfigMap.Data["config.yaml"], err)
	}
	if !strings.Contains(strings.Join(c.Args, " "), "--config-file=/etc/nvidia-device-plugin/config.yaml") {
		t.Errorf("args %v", c.Args)
	}
	var _ *appsv1.DaemonSet = ds
}

// TestMPSAsTheChartRendersIt: with MPS the plugin gets MPS_ROOT and the
// MPS root and shm from the host (without MPS_ROOT it exits: "using MPS
// requires --mps-root to be specified"), and a second DaemonSet runs the
// control daemon on mps.capable nodes.
func TestMPSAsTheChartRendersIt(t *testing.T) {
	objs, err := gpu.DevicePlugin(gpu.DevicePluginOptions{Sharing: gpu.SharingMPS, Replicas: 4})
	if err != nil {
		t.Fatal(err)
	}
	c := objs.DaemonSet.Spec.Template.Spec.Containers[0]
	if !slices.Contains(c.Env, corev1.EnvVar{Name: "MPS_ROOT", Value: gpu.DefaultMPSRoot}) {
		t.Errorf("plugin env %v", c.Env)
	}
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		mounts[m.Name] = m.MountPath
	}
	if mounts["mps-root"] != "/mps" || mounts["mps-shm"] != "/dev/shm" {
		t.Errorf("plugin mounts %v", mounts)
	}
	hostPaths := map[string]string{}
	for _, v := range objs.DaemonSet.Spec.Template.Spec.Volumes {
		if v.HostPath != nil {
			hostPaths[v.Name] = v.HostPath.Path
		}
	}
	if hostPaths["mps-root"] != "/run/nvidia/mps" || hostPaths["mps-shm"] != "/run/nvidia/mps/shm" {
		t.Errorf("host paths %v", hostPaths)
	}
	d := objs.MPSControlDaemon
	if d == nil {
		t.Fatal("no MPS control daemon")
	}
	spec := d.Spec.Template.Spec
	if spec.NodeSelector[gpu.LabelMPSCapable] != "true" || !spec.HostPID || len(spec.InitContainers) != 1 || !slices.Equal(spec.InitContainers[0].Command, []string{"mps-control-daemon", "mount-shm"}) {
		t.Errorf("control daemon spec: selector %v hostPID %v init %v", spec.NodeSelector, spec.HostPID, spec.InitContainers)
	}
	if p := spec.InitContainers[0].VolumeMounts[0].MountPropagation; p == nil || *p != corev1.MountPropagationBidirectional {
		t.Error("the shm mount does not propagate back to the host")
	}
	if !slices.Equal(spec.Containers[0].Command, []string{"mps-control-daemon"}) || !*spec.Containers[0].SecurityContext.Privileged {
		t.Errorf("control daemon container %+v", spec.Containers[0])
	}
	objsList := objs.Objects()
	if len(objsList) != 3 {
		t.Errorf("%d objects, want 3", len(objsList))
	}
	testkit.DecodeManifests(t, render(t, objsList...))
	// Without MPS there is no control daemon and no MPS root.
	ts, err := gpu.DevicePlugin(gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 4})
	if err != nil || ts.MPSControlDaemon != nil || len(ts.Objects()) != 2 {
		t.Errorf("time-slicing: %v %+v", err, ts.MPSControlDaemon)
	}
	if err := (gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 2, MPSRoot: "/run/x"}).Validate(); err == nil {
		t.Error("an MPS root without MPS was accepted")
	}
}

func TestCapacity(t *testing.T) {
	h100, _ := gpu.ModelByAlias("h100")
	h200, _ := gpu.ModelByAlias("h200")
	yes := true
	tests := []struct {
		name   string
		opts   gpu.DevicePluginOptions
		model  gpu.Model
		layout map[string]int
		want   map[corev1.ResourceName]int64
	}{
		{"whole GPUs", gpu.DevicePluginOptions{}, h100, nil, map[corev1.ResourceName]int64{"nvidia.com/gpu": 8}},
		{"time-slicing x4", gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 4}, h100, nil, map[corev1.ResourceName]int64{"nvidia.com/gpu": 32}},
		{"renamed", gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 4, RenameByDefault: true, FailRequestsGreaterThanOne: &yes}, h100, nil, map[corev1.ResourceName]int64{"nvidia.com/gpu.shared": 32}},
		{"mig single 7x1g", gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategySingle}, h200, map[string]int{"1g.18gb": 7}, map[corev1.ResourceName]int64{"nvidia.com/gpu": 56}},
		{"mig mixed", gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategyMixed}, h100, map[string]int{"3g.40gb": 1, "2g.20gb": 1, "1g.10gb": 2}, map[corev1.ResourceName]int64{"nvidia.com/mig-3g.40gb": 8, "nvidia.com/mig-2g.20gb": 8, "nvidia.com/mig-1g.10gb": 16}},
		{"mig single shared", gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategySingle, Sharing: gpu.SharingTimeSlicing, Replicas: 2}, h200, map[string]int{"3g.71gb": 2}, map[corev1.ResourceName]int64{"nvidia.com/gpu": 32}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := gpu.Capacity(tt.opts, tt.model, 8, tt.layout)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("Capacity = %v, want %v", got, tt.want)
			}
		})
	}
	for name, tc := range map[string]struct {
		opts   gpu.DevicePluginOptions
		layout map[string]int
		gpus   int
	}{
		"layout without MIG":    {gpu.DevicePluginOptions{}, map[string]int{"1g.10gb": 7}, 8},
		"MIG without layout":    {gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategyMixed}, nil, 8},
		"unknown profile":       {gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategyMixed}, map[string]int{"1g.18gb": 1}, 8},
		"too many instances":    {gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategyMixed}, map[string]int{"3g.40gb": 3}, 8},
		"too many slices":       {gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategyMixed}, map[string]int{"4g.40gb": 1, "3g.40gb": 1, "1g.10gb": 1}, 8},
		"single with two kinds": {gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategySingle}, map[string]int{"3g.40gb": 1, "2g.20gb": 1}, 8},
		"no GPUs":               {gpu.DevicePluginOptions{}, nil, 0},
	} {
		if _, err := gpu.Capacity(tc.opts, h100, tc.gpus, tc.layout); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestDevicePluginValidate(t *testing.T) {
	tests := []struct {
		name string
		opts gpu.DevicePluginOptions
		path string
		typ  field.ErrorType
	}{
		{"image", gpu.DevicePluginOptions{Image: "nvcr.io/nvidia/k8s device plugin"}, "image", field.ErrorTypeInvalid},
		{"namespace", gpu.DevicePluginOptions{Namespace: "Kube_System"}, "namespace", field.ErrorTypeInvalid},
		{"mig strategy", gpu.DevicePluginOptions{MIGStrategy: "all"}, "migStrategy", field.ErrorTypeNotSupported},
		{"sharing", gpu.DevicePluginOptions{Sharing: "vgpu", Replicas: 2}, "sharing", field.ErrorTypeNotSupported},
		{"replicas", gpu.DevicePluginOptions{Sharing: gpu.SharingMPS, Replicas: 1}, "replicas", field.ErrorTypeInvalid},
		{"replicas without sharing", gpu.DevicePluginOptions{Replicas: 4}, "replicas", field.ErrorTypeForbidden},
		{"sharing mixed", gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 2, MIGStrategy: gpu.MIGStrategyMixed}, "sharing", field.ErrorTypeForbidden},
		{"runtime class", gpu.DevicePluginOptions{RuntimeClassName: "NVIDIA"}, "runtimeClassName", field.ErrorTypeInvalid},
		{"selector", gpu.DevicePluginOptions{NodeSelector: map[string]string{"gpu": "h100 80gb"}}, "nodeSelector[gpu]", field.ErrorTypeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := ivalidation.FieldErrors(tt.opts.Validate())
			if len(errs) != 1 || errs[0].Field != tt.path || errs[0].Type != tt.typ {
				t.Fatalf("Validate() = %v, want one %s at %s", errs, tt.typ, tt.path)
			}
			if _, err := gpu.DevicePlugin(tt.opts); err == nil {
				t.Errorf("DevicePlugin accepted invalid options")
			}
		})
	}
}

func TestDevicePluginLint(t *testing.T) {
	tests := []struct {
		name string
		opts gpu.DevicePluginOptions
		code advice.Code
	}{
		{"guide's image", gpu.DevicePluginOptions{Image: "nvcr.io/nvidia/k8s-device-plugin:v0.14.5"}, gpu.CodeOutdatedDevicePlugin},
		{"mps", gpu.DevicePluginOptions{Sharing: gpu.SharingMPS, Replicas: 2}, gpu.CodeMPSControlDaemon},
		{"time-slicing multi-request", gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 2}, gpu.CodeSharedMultiRequest},
	}
	for _, tt := range tests {
		fs := tt.opts.Lint()
		if len(fs) != 1 || fs[0].Code != tt.code || fs[0].Level < advice.Info {
			t.Errorf("%s: Lint = %v, want %s", tt.name, fs, tt.code)
		}
	}
	if fs := (gpu.DevicePluginOptions{}).Lint(); len(fs) != 0 {
		t.Errorf("default options have findings: %v", fs)
	}
}

func TestWorkloadErrors(t *testing.T) {
	if _, err := gpu.RuntimeClass("NVIDIA runtime"); err == nil {
		t.Errorf("RuntimeClass accepted a bad handler")
	}
	if _, err := gpu.TestPod(gpu.TestPodOptions{GPUs: -1}); err == nil {
		t.Errorf("TestPod accepted -1 GPUs")
	}
	if _, err := gpu.TestPod(gpu.TestPodOptions{Name: "GPU Test"}); err == nil {
		t.Errorf("TestPod accepted a bad name")
	}
	pod, _ := gpu.TestPod(gpu.TestPodOptions{GPUs: 8})
	r := pod.Spec.Containers[0].Resources
	if !r.Requests[gpu.ResourceGPU].Equal(r.Limits[gpu.ResourceGPU]) || r.Limits.Name(gpu.ResourceGPU, "").Value() != 8 {
		t.Errorf("requests %v limits %v", r.Requests, r.Limits)
	}
}

func ExampleCapacity() {
	h100, _ := gpu.ModelByAlias("h100")
	c, err := gpu.Capacity(gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 4}, h100, 8, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c)
	// Output: map[nvidia.com/gpu:32]
}

func ExampleDevicePlugin() {
	objs, err := gpu.DevicePlugin(gpu.DevicePluginOptions{MIGStrategy: gpu.MIGStrategyMixed})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(objs.DaemonSet.Spec.Template.Spec.Containers[0].Image)
	fmt.Print(objs.ConfigMap.Data["config.yaml"])
	// Output:
	// nvcr.io/nvidia/k8s-device-plugin:v0.20.0
	// flags:
	//   migStrategy: mixed
	// version: v1
}

func ExampleTestPod() {
	pod, err := gpu.TestPod(gpu.TestPodOptions{RuntimeClassName: "nvidia"})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := pod.Spec.Containers[0]
	fmt.Println(pod.Spec.NodeSelector, *pod.Spec.RuntimeClassName)
	fmt.Println(c.Resources.Requests.Name(gpu.ResourceGPU, ""), c.Resources.Limits.Name(gpu.ResourceGPU, ""))
	// Output:
	// map[eks.amazonaws.com/compute-type:hybrid nvidia.com/gpu.present:true] nvidia
	// 1 1
}

func ExampleRuntimeClass() {
	rc, err := gpu.RuntimeClass("nvidia")
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := manifest.Render(rc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(b))
	// Output:
	// apiVersion: node.k8s.io/v1
	// handler: nvidia
	// kind: RuntimeClass
	// metadata:
	//   name: nvidia
	// scheduling:
	//   nodeSelector:
	//     nvidia.com/gpu.present: "true"
	//   tolerations:
	//   - effect: NoSchedule
	//     key: nvidia.com/gpu
	//     operator: Exists
}
