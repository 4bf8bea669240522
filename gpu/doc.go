// Package gpu prepares hybrid nodes for NVIDIA GPUs: the containerd
// configuration of the NVIDIA runtime, the device plugin and its config, the
// RuntimeClass and a GPU test pod, node labels and taints, an inventory read
// from nvidia-smi, a MIG catalog, and checks of a host's prerequisites.
//
// # containerd
//
// RenderContainerd writes the NVIDIA runtime for three targets:
// TargetContainerd1 (a standalone config.toml for containerd 1.6/1.7,
// version 2), TargetContainerd2 (containerd 2.x, version 3) and
// TargetNodeadmDropIn (spec.containerd.config of a hybrid NodeConfig:
// version 2 with the complete CRI section, because containerd 1.x replaces
// the whole plugin table with a drop-in's, and ignores a version 3 drop-in
// altogether). Every runc-based runtime gets
// SystemdCgroup = true and an explicit runtime_type, and by default the
// NVIDIA runtime is containerd's default so the device plugin can load
// NVML. CheckContainerd reads a host's existing file and says what is
// wrong with it.
//
//	toml, err := gpu.RenderContainerd(gpu.TargetNodeadmDropIn, gpu.DefaultContainerdOptions(gpu.TargetNodeadmDropIn, "ap-northeast-2"))
//	cfg.Spec.Containerd.Config = string(toml) // a nodeconfig.NodeConfig
//
// # Kubernetes objects
//
// DevicePlugin builds the NVIDIA device plugin DaemonSet (current release,
// never a remote URL) and its ConfigMap (MIG strategy, time-slicing or MPS);
// Capacity says what a node will advertise. RuntimeClass, TestPod,
// NodeTaint, GPUToleration and ModelLabels cover the rest.
//
// # Inventory
//
// ParseSMILog (nvidia-smi -q -x), ParseQueryCSV (--query-gpu … --format=csv)
// and ParseMIGProfiles (nvidia-smi mig -lgip) read real captures;
// Inventory.Labels returns the labels GPU feature discovery would set.
//
// Sources: the NVIDIA Container Toolkit's containerd configuration
// (https://github.com/NVIDIA/nvidia-container-toolkit/tree/v1.20.0/pkg/config/engine/containerd),
// the device plugin and GPU feature discovery at v0.20.0
// (https://github.com/NVIDIA/k8s-device-plugin/tree/v0.20.0), and real
// nvidia-smi captures from an H200 (in this package's testdata).
package gpu
