package gpu

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/internal/imageref"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/internal/yamlenc"
)

// DefaultDevicePluginImage is the NVIDIA device plugin release the library
// renders by default: v0.20.0, tagged 2026-08-19 and shipped with GPU
// Operator v26.7.0
// (https://github.com/NVIDIA/k8s-device-plugin/releases/tag/v0.20.0). The
// adoption guide's v0.14.5 is from 2024-02.
const DefaultDevicePluginImage = "nvcr.io/nvidia/k8s-device-plugin:" + DevicePluginVersion

// DevicePluginVersion is the release DefaultDevicePluginImage runs, and
// the oldest Lint accepts without a finding.
const DevicePluginVersion = "v0.20.0"

// Names used by the rendered objects (as in the plugin's static manifest,
// deployments/static/nvidia-device-plugin.yml).
const (
	DevicePluginName       = "nvidia-device-plugin-daemonset"
	DevicePluginConfigName = "nvidia-device-plugin-config"
	devicePluginPodLabel   = "nvidia-device-plugin-ds"
	devicePluginConfigDir  = "/etc/nvidia-device-plugin"
	devicePluginConfigKey  = "config.yaml"
	// ResourceGPU is the extended resource the plugin advertises.
	ResourceGPU corev1.ResourceName = "nvidia.com/gpu"
	// ResourceGPUShared is advertised instead when sharing renames it.
	ResourceGPUShared corev1.ResourceName = "nvidia.com/gpu.shared"
)

// MIGStrategy is the device plugin's migStrategy.
type MIGStrategy string

// MIG strategies (NVIDIA/k8s-device-plugin api/config/v1).
const (
	MIGStrategyNone   MIGStrategy = "none"
	MIGStrategySingle MIGStrategy = "single"
	MIGStrategyMixed  MIGStrategy = "mixed"
)

// Sharing is how one GPU is offered to several pods.
type Sharing string

// Sharing strategies. SharingNone (empty) advertises whole GPUs.
const (
	SharingNone        Sharing = ""
	SharingTimeSlicing Sharing = "time-slicing"
	SharingMPS         Sharing = "mps"
)

// DevicePluginOptions configure the NVIDIA device plugin DaemonSet and its
// config file. The zero value, defaulted, is the plugin with whole GPUs
// and no MIG on every node labelled nvidia.com/gpu.present=true.
type DevicePluginOptions struct {
	// Image defaults to DefaultDevicePluginImage.
	Image string `json:"image,omitempty"`
	// Namespace defaults to kube-system.
	Namespace string `json:"namespace,omitempty"`
	// MIGStrategy defaults to none.
	MIGStrategy MIGStrategy `json:"migStrategy,omitempty"`
	// Sharing turns on time-slicing or MPS with Replicas per GPU.
	Sharing  Sharing `json:"sharing,omitempty"`
	Replicas int     `json:"replicas,omitempty"`
	// RenameByDefault advertises shared GPUs as nvidia.com/gpu.shared.
	RenameByDefault bool `json:"renameByDefault,omitempty"`
	// FailRequestsGreaterThanOne rejects pods asking for more than one
	// shared GPU (the plugin's default: false for time-slicing, true for
	// MPS).
	FailRequestsGreaterThanOne *bool `json:"failRequestsGreaterThanOne,omitempty"`
	// RuntimeClassName is set on the plugin's pods when the NVIDIA runtime
	// is not containerd's default; without it the plugin cannot load NVML.
	RuntimeClassName string `json:"runtimeClassName,omitempty"`
	// NodeSelector chooses the GPU nodes; default
	// {nvidia.com/gpu.present: "true"} (ModelLabels sets it).
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	// MPSRoot is where the MPS control daemon keeps its pipes, logs and
	// /dev/shm on the host; with MPS sharing it defaults to
	// /run/nvidia/mps, the Helm chart's mps.root. The plugin refuses to
	// start with MPS and no root ("using MPS requires --mps-root to be
	// specified": cmd/nvidia-device-plugin/main.go validateFlags).
	MPSRoot string `json:"mpsRoot,omitempty"`
}

// DefaultMPSRoot is the Helm chart's mps.root (k8s-device-plugin v0.20.0,
// deployments/helm/nvidia-device-plugin/values.yaml).
const DefaultMPSRoot = "/run/nvidia/mps"

// Default fills unset fields; it is idempotent.
func (o *DevicePluginOptions) Default() {
	if o.Image == "" {
		o.Image = DefaultDevicePluginImage
	}
	if o.Namespace == "" {
		o.Namespace = metav1.NamespaceSystem
	}
	if o.MIGStrategy == "" {
		o.MIGStrategy = MIGStrategyNone
	}
	if len(o.NodeSelector) == 0 {
		o.NodeSelector = map[string]string{LabelGPUPresent: "true"}
	}
	if o.Sharing == SharingMPS && o.MPSRoot == "" {
		o.MPSRoot = DefaultMPSRoot
	}
}

// Validate reports every invalid option with its JSON path, or nil.
func (o DevicePluginOptions) Validate() error {
	return ivalidation.ToError("gpu", o.ValidateAt(nil))
}

// ValidateAt is Validate for options embedded at path p.
func (o DevicePluginOptions) ValidateAt(p *field.Path) field.ErrorList {
	o.Default()
	var errs field.ErrorList
	if o.Image != "" {
		if _, err := imageref.Parse(o.Image); err != nil {
			errs = append(errs, field.Invalid(p.Child("image"), o.Image, err.Error()))
		}
	}
	if o.Namespace != "" {
		if msgs := validation.IsDNS1123Label(o.Namespace); len(msgs) > 0 {
			errs = append(errs, field.Invalid(p.Child("namespace"), o.Namespace, strings.Join(msgs, "; ")))
		}
	}
	switch o.MIGStrategy {
	case "", MIGStrategyNone, MIGStrategySingle, MIGStrategyMixed:
	default:
		errs = append(errs, field.NotSupported(p.Child("migStrategy"), o.MIGStrategy, []MIGStrategy{MIGStrategyNone, MIGStrategySingle, MIGStrategyMixed}))
	}
	switch o.Sharing {
	case SharingNone:
		if o.Replicas != 0 || o.RenameByDefault || o.FailRequestsGreaterThanOne != nil {
			errs = append(errs, field.Forbidden(p.Child("replicas"), "replicas, renameByDefault and failRequestsGreaterThanOne need sharing (time-slicing or mps)"))
		}
	case SharingTimeSlicing, SharingMPS:
		if o.Replicas < 2 || o.Replicas > 1024 {
			errs = append(errs, field.Invalid(p.Child("replicas"), o.Replicas, "must be 2 to 1024 when a GPU is shared"))
		}
		if o.MIGStrategy == MIGStrategyMixed {
			errs = append(errs, field.Forbidden(p.Child("sharing"), "sharing under the mixed MIG strategy needs one resource entry per MIG profile; this renderer shares nvidia.com/gpu only (use the single strategy)"))
		}
	default:
		errs = append(errs, field.NotSupported(p.Child("sharing"), o.Sharing, []Sharing{SharingTimeSlicing, SharingMPS}))
	}
	if o.RuntimeClassName != "" {
		if msgs := validation.IsDNS1123Subdomain(o.RuntimeClassName); len(msgs) > 0 {
			errs = append(errs, field.Invalid(p.Child("runtimeClassName"), o.RuntimeClassName, strings.Join(msgs, "; ")))
		}
	}
	if o.MPSRoot != "" {
		if o.Sharing != SharingMPS {
			errs = append(errs, field.Forbidden(p.Child("mpsRoot"), "only with MPS sharing"))
		}
		errs = append(errs, ivalidation.AbsPath(p.Child("mpsRoot"), o.MPSRoot, false)...)
	}
	for _, k := range slices.Sorted(maps.Keys(o.NodeSelector)) {
		kp := p.Child("nodeSelector").Key(k)
		if msgs := validation.IsQualifiedName(k); len(msgs) > 0 {
			errs = append(errs, field.Invalid(kp, k, strings.Join(msgs, "; ")))
		}
		if msgs := validation.IsValidLabelValue(o.NodeSelector[k]); len(msgs) > 0 {
			errs = append(errs, field.Invalid(kp, o.NodeSelector[k], strings.Join(msgs, "; ")))
		}
	}
	return errs
}

// The plugin's config file (NVIDIA/k8s-device-plugin api/config/v1).
type pluginConfig struct {
	Version string         `json:"version"`
	Flags   pluginFlags    `json:"flags"`
	Sharing *pluginSharing `json:"sharing,omitempty"`
}

type pluginFlags struct {
	MIGStrategy MIGStrategy `json:"migStrategy"`
}

type pluginSharing struct {
	TimeSlicing *replicatedResources `json:"timeSlicing,omitempty"`
	MPS         *replicatedResources `json:"mps,omitempty"`
}

type replicatedResources struct {
	RenameByDefault            bool                 `json:"renameByDefault,omitempty"`
	FailRequestsGreaterThanOne *bool                `json:"failRequestsGreaterThanOne,omitempty"`
	Resources                  []replicatedResource `json:"resources"`
}

type replicatedResource struct {
	Name     corev1.ResourceName `json:"name"`
	Replicas int                 `json:"replicas"`
}

// PluginConfig renders the plugin's config.yaml for o (defaulted first).
func PluginConfig(o DevicePluginOptions) ([]byte, error) {
	o.Default()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	cfg := pluginConfig{Version: "v1", Flags: pluginFlags{MIGStrategy: o.MIGStrategy}}
	if o.Sharing != SharingNone {
		r := &replicatedResources{
			RenameByDefault:            o.RenameByDefault,
			FailRequestsGreaterThanOne: o.FailRequestsGreaterThanOne,
			Resources:                  []replicatedResource{{Name: ResourceGPU, Replicas: o.Replicas}},
		}
		if o.Sharing == SharingMPS {
			cfg.Sharing = &pluginSharing{MPS: r}
		} else {
			cfg.Sharing = &pluginSharing{TimeSlicing: r}
		}
	}
	return yamlenc.Marshal(cfg)
}

// DevicePluginObjects are the Kubernetes objects of the device plugin.
type DevicePluginObjects struct {
	ConfigMap *corev1.ConfigMap
	DaemonSet *appsv1.DaemonSet
	// MPSControlDaemon runs the MPS control daemon on nodes labelled
	// nvidia.com/mps.capable=true; nil without MPS sharing.
	MPSControlDaemon *appsv1.DaemonSet
}

// Objects returns the objects in the order to apply them.
func (d DevicePluginObjects) Objects() []runtime.Object {
	out := []runtime.Object{d.ConfigMap, d.DaemonSet}
	if d.MPSControlDaemon != nil {
		out = append(out, d.MPSControlDaemon)
	}
	return out
}

// DevicePlugin builds the device plugin's ConfigMap and DaemonSet: the
// static manifest of NVIDIA/k8s-device-plugin, rendered by the library
// (never fetched from a URL), with the config file mounted from the
// ConfigMap, the GPU taint and CriticalAddonsOnly tolerated,
// system-node-critical priority, every capability dropped, the kubelet's
// device-plugins directory mounted, and a required node affinity to GPU
// nodes.
//
// Where the plugin needs more, it gets what the plugin's Helm chart gives
// it (k8s-device-plugin v0.20.0, deployments/helm/nvidia-device-plugin):
// with a MIG strategy, CAP_SYS_ADMIN and NVIDIA_MIG_MONITOR_DEVICES=all
// (the chart's requiresCapSysAdmin); with MPS sharing, MPS_ROOT, the MPS
// root and its shm mounted from the host, and a second DaemonSet that
// runs the MPS control daemon (daemonset-mps-control-daemon.yml) on nodes
// labelled nvidia.com/mps.capable=true (ModelLabelsFor sets the label).
func DevicePlugin(o DevicePluginOptions) (DevicePluginObjects, error) {
	o.Default()
	cfg, err := PluginConfig(o)
	if err != nil {
		return DevicePluginObjects{}, err
	}
	labels := map[string]string{"name": devicePluginPodLabel}
	cm := &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: DevicePluginConfigName, Namespace: o.Namespace},
		Data:       map[string]string{devicePluginConfigKey: string(cfg)},
	}
	var terms []corev1.NodeSelectorRequirement
	for _, k := range slices.Sorted(maps.Keys(o.NodeSelector)) {
		terms = append(terms, corev1.NodeSelectorRequirement{Key: k, Operator: corev1.NodeSelectorOpIn, Values: []string{o.NodeSelector[k]}})
	}
	affinity := &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
		RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: terms}},
		},
	}}
	no := false
	hostPathDir := corev1.HostPathDirectory
	security := &corev1.SecurityContext{
		AllowPrivilegeEscalation: &no,
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
	var env []corev1.EnvVar
	if o.MIGStrategy != MIGStrategyNone {
		// The plugin watches MIG devices through NVML, which needs
		// CAP_SYS_ADMIN; the chart then adds it instead of dropping all.
		security = &corev1.SecurityContext{Capabilities: &corev1.Capabilities{Add: []corev1.Capability{"SYS_ADMIN"}}}
		env = append(env, corev1.EnvVar{Name: "NVIDIA_MIG_MONITOR_DEVICES", Value: "all"})
	}
	ctr := corev1.Container{
		Name:            "nvidia-device-plugin-ctr",
		Image:           o.Image,
		Args:            []string{"--config-file=" + devicePluginConfigDir + "/" + devicePluginConfigKey},
		Env:             env,
		SecurityContext: security,
		VolumeMounts: []corev1.VolumeMount{
			{Name: "device-plugin", MountPath: "/var/lib/kubelet/device-plugins"},
			{Name: "config", MountPath: devicePluginConfigDir, ReadOnly: true},
		},
	}
	volumes := []corev1.Volume{
		{Name: "device-plugin", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/var/lib/kubelet/device-plugins", Type: &hostPathDir}}},
		{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: DevicePluginConfigName}}}},
	}
	if o.Sharing == SharingMPS {
		// The plugin checks the control daemon's health through its pipe
		// and shm under the MPS root.
		ctr.Env = append(ctr.Env, corev1.EnvVar{Name: "MPS_ROOT", Value: o.MPSRoot})
		ctr.VolumeMounts = append(ctr.VolumeMounts, mpsMounts()...)
		volumes = append(volumes, mpsVolumes(o.MPSRoot)...)
	}
	tolerations := []corev1.Toleration{
		{Key: "CriticalAddonsOnly", Operator: corev1.TolerationOpExists},
		GPUToleration(),
	}
	ds := pluginDaemonSet(DevicePluginName, o.Namespace, labels, corev1.PodSpec{
		PriorityClassName: "system-node-critical",
		Tolerations:       tolerations,
		Affinity:          affinity,
		Containers:        []corev1.Container{ctr},
		Volumes:           volumes,
	})
	if o.RuntimeClassName != "" {
		rc := o.RuntimeClassName
		ds.Spec.Template.Spec.RuntimeClassName = &rc
	}
	out := DevicePluginObjects{ConfigMap: cm, DaemonSet: ds}
	if o.Sharing == SharingMPS {
		out.MPSControlDaemon = mpsControlDaemon(o, tolerations, affinity)
	}
	return out, nil
}

// The MPS control daemon's objects, as the plugin's Helm chart renders
// them (k8s-device-plugin v0.20.0,
// deployments/helm/nvidia-device-plugin/templates/daemonset-mps-control-daemon.yml).
const (
	MPSControlDaemonName = "nvidia-device-plugin-mps-control-daemon"
	mpsPodLabel          = "nvidia-device-plugin-mps-control-daemon"
)

func mpsMounts() []corev1.VolumeMount {
	return []corev1.VolumeMount{
		{Name: "mps-shm", MountPath: "/dev/shm"},
		{Name: "mps-root", MountPath: "/mps"},
	}
}

func mpsVolumes(root string) []corev1.Volume {
	orCreate := corev1.HostPathDirectoryOrCreate
	return []corev1.Volume{
		{Name: "mps-root", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: root, Type: &orCreate}}},
		{Name: "mps-shm", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: root + "/shm"}}},
	}
}

// mpsControlDaemon is the control daemon's DaemonSet: an init container
// that mounts the daemon's shm under the MPS root (mount-shm, privileged,
// with bidirectional propagation so the host and the plugin see it), then
// mps-control-daemon itself, privileged, in the host's PID namespace (the
// chart's default: the MPS server finds its PID through /proc), reading
// the plugin's config file, on nodes labelled nvidia.com/mps.capable=true.
func mpsControlDaemon(o DevicePluginOptions, tolerations []corev1.Toleration, affinity *corev1.Affinity) *appsv1.DaemonSet {
	yes := true
	bidirectional := corev1.MountPropagationBidirectional
	labels := map[string]string{"name": mpsPodLabel}
	env := []corev1.EnvVar{
		{Name: "NODE_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "spec.nodeName"}}},
		{Name: "CONFIG_FILE", Value: devicePluginConfigDir + "/" + devicePluginConfigKey},
		{Name: "NVIDIA_VISIBLE_DEVICES", Value: "all"},
		{Name: "NVIDIA_DRIVER_CAPABILITIES", Value: "compute,utility"},
	}
	ds := pluginDaemonSet(MPSControlDaemonName, o.Namespace, labels, corev1.PodSpec{
		PriorityClassName: "system-node-critical",
		HostPID:           true,
		NodeSelector:      map[string]string{LabelMPSCapable: "true"},
		Tolerations:       tolerations,
		Affinity:          affinity,
		InitContainers: []corev1.Container{{
			Name:            "mps-control-daemon-mounts",
			Image:           o.Image,
			Command:         []string{"mps-control-daemon", "mount-shm"},
			SecurityContext: &corev1.SecurityContext{Privileged: &yes},
			VolumeMounts:    []corev1.VolumeMount{{Name: "mps-root", MountPath: "/mps", MountPropagation: &bidirectional}},
		}},
		Containers: []corev1.Container{{
			Name:            "mps-control-daemon-ctr",
			Image:           o.Image,
			Command:         []string{"mps-control-daemon"},
			Env:             env,
			SecurityContext: &corev1.SecurityContext{Privileged: &yes},
			VolumeMounts: append(mpsMounts(),
				corev1.VolumeMount{Name: "config", MountPath: devicePluginConfigDir, ReadOnly: true}),
		}},
		Volumes: append(mpsVolumes(o.MPSRoot),
			corev1.Volume{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: DevicePluginConfigName}}}}),
	})
	if o.RuntimeClassName != "" {
		rc := o.RuntimeClassName
		ds.Spec.Template.Spec.RuntimeClassName = &rc
	}
	return ds
}

// Capacity returns the extended resources a node with gpus GPUs of model m
// advertises under o: whole GPUs, MIG devices (layout gives the MIG
// instances per GPU by profile; single needs exactly one profile), and,
// when shared, replicas of each. 8 GPUs × 4 time-slicing replicas →
// nvidia.com/gpu: 32.
func Capacity(o DevicePluginOptions, m Model, gpus int, layout map[string]int) (map[corev1.ResourceName]int64, error) {
	o.Default()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if gpus < 1 {
		return nil, fmt.Errorf("gpu: a node needs at least one GPU, not %d", gpus)
	}
	out := map[corev1.ResourceName]int64{}
	switch o.MIGStrategy {
	case MIGStrategyNone:
		if len(layout) > 0 {
			return nil, fmt.Errorf("gpu: a MIG layout needs the single or mixed MIG strategy")
		}
		out[ResourceGPU] = int64(gpus)
	case MIGStrategySingle, MIGStrategyMixed:
		if err := checkLayout(m, layout); err != nil {
			return nil, err
		}
		if o.MIGStrategy == MIGStrategySingle {
			if len(layout) != 1 {
				return nil, fmt.Errorf("gpu: the single MIG strategy needs every GPU split into one profile, the layout has %d", len(layout))
			}
			for _, n := range layout {
				out[ResourceGPU] = int64(n * gpus)
			}
		} else {
			for name, n := range layout {
				p, _ := m.MIGProfile(name)
				out[corev1.ResourceName(p.ResourceName())] = int64(n * gpus)
			}
		}
	}
	if o.Sharing != SharingNone {
		n := out[ResourceGPU] * int64(o.Replicas)
		delete(out, ResourceGPU)
		if o.RenameByDefault {
			out[ResourceGPUShared] = n
		} else {
			out[ResourceGPU] = n
		}
	}
	return out, nil
}

// checkLayout checks a per-GPU MIG layout against the model's profiles:
// known profiles, no more instances than the profile allows, and at most
// the 7 compute slices of an H100/H200.
func checkLayout(m Model, layout map[string]int) error {
	if len(layout) == 0 {
		return fmt.Errorf("gpu: a MIG strategy needs a layout (instances per profile per GPU)")
	}
	slices7 := 0
	for _, name := range slices.Sorted(maps.Keys(layout)) {
		n := layout[name]
		p, ok := m.MIGProfile(name)
		if !ok {
			var known []string
			for _, q := range m.MIGProfiles {
				known = append(known, q.Name)
			}
			return fmt.Errorf("gpu: %s has no MIG profile %q (known: %s)", m.Alias, name, strings.Join(known, ", "))
		}
		if n < 1 || n > p.Instances {
			return fmt.Errorf("gpu: %d instances of %s on one %s; the profile allows 1 to %d", n, name, m.Alias, p.Instances)
		}
		g, _, _ := strings.Cut(name, "g.")
		k, _ := strconv.Atoi(g)
		slices7 += k * n
	}
	if slices7 > 7 {
		return fmt.Errorf("gpu: the layout uses %d compute slices; a GPU has 7", slices7)
	}
	return nil
}

// Finding codes of DevicePluginOptions.Lint.
const (
	CodeOutdatedDevicePlugin advice.Code = "gpu/outdated-device-plugin"
	CodeMPSControlDaemon     advice.Code = "gpu/mps-control-daemon"
	CodeSharedMultiRequest   advice.Code = "gpu/shared-multi-request"
)

// Lint reports device-plugin settings that render but do not do what they
// seem to.
func (o DevicePluginOptions) Lint() []advice.Finding {
	o.Default()
	var fs []advice.Finding
	if ref, err := imageref.Parse(o.Image); err == nil {
		v, ok := ref.Version()
		def, _ := imageref.ParseVersion(DevicePluginVersion)
		if ok && imageref.CompareVersions(v, def) < 0 {
			fs = append(fs, advice.Finding{
				Level: advice.Warning, Code: CodeOutdatedDevicePlugin, Field: field.NewPath("image").String(),
				Message: fmt.Sprintf("device plugin %s is older than %s (2026-08-19); v0.14.5, the adoption guide's, is from 2024-02 and predates GFD's merge into the plugin and containerd 2.x support", advice.Quote(ref.Tag), DevicePluginVersion),
				Ref:     "https://github.com/NVIDIA/k8s-device-plugin/releases",
			})
		}
	}
	if o.Sharing == SharingMPS {
		fs = append(fs, advice.Finding{
			Level: advice.Info, Code: CodeMPSControlDaemon, Field: field.NewPath("sharing").String(),
			Message: "MPS sharing runs the MPS control daemon (the second DaemonSet) only on nodes labelled nvidia.com/mps.capable=true, which GPU feature discovery sets — or the NodeConfig's labels (ModelLabelsFor); MPS is not supported on MIG-enabled GPUs",
			Ref:     "https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/deployments/helm/nvidia-device-plugin/templates/daemonset-mps-control-daemon.yml",
		})
	}
	if o.Sharing == SharingTimeSlicing && (o.FailRequestsGreaterThanOne == nil || !*o.FailRequestsGreaterThanOne) {
		fs = append(fs, advice.Finding{
			Level: advice.Info, Code: CodeSharedMultiRequest, Field: field.NewPath("failRequestsGreaterThanOne").String(),
			Message: "with time-slicing a pod asking for 2 nvidia.com/gpu may get two replicas of the same GPU; set failRequestsGreaterThanOne to reject such requests",
			Ref:     "https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/README.md#shared-access-to-gpus",
		})
	}
	return fs
}

// pluginDaemonSet is a DaemonSet of the device plugin's chart: its name
// label, one pod per selected node, rolling updates.
func pluginDaemonSet(name, namespace string, labels map[string]string, spec corev1.PodSpec) *appsv1.DaemonSet {
	return &appsv1.DaemonSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: map[string]string{"app.kubernetes.io/name": "nvidia-device-plugin"}},
		Spec: appsv1.DaemonSetSpec{
			Selector:       &metav1.LabelSelector{MatchLabels: labels},
			UpdateStrategy: appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType},
			Template:       corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: spec},
		},
	}
}
