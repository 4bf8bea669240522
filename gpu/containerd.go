package gpu

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/internal/imageref"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// Target is the file a containerd configuration is rendered for.
type Target int

// The three targets. The zero Target is invalid.
const (
	// TargetContainerd1 is a standalone /etc/containerd/config.toml for
	// containerd 1.6 and 1.7: version 2, CRI plugin io.containerd.grpc.v1.cri.
	TargetContainerd1 Target = iota + 1
	// TargetContainerd2 is a standalone config.toml for containerd 2.x:
	// version 3, plugins io.containerd.cri.v1.runtime and .images, without
	// the runtime_root and runtime_engine keys 2.0 removed.
	TargetContainerd2
	// TargetNodeadmDropIn is the text for spec.containerd.config of a hybrid
	// NodeConfig, which nodeadm writes to config.d/00-nodeadm.toml under its
	// own version 2 root file: version 2 (containerd 1.x ignores a version
	// 3 drop-in's tables) and the complete CRI section (containerd 1.x
	// replaces the whole plugin table with the drop-in's).
	TargetNodeadmDropIn
)

var targetNames = map[Target]string{
	TargetContainerd1:   "containerd1",
	TargetContainerd2:   "containerd2",
	TargetNodeadmDropIn: "nodeadm-dropin",
}

// String returns "containerd1", "containerd2" or "nodeadm-dropin".
func (t Target) String() string {
	if s, ok := targetNames[t]; ok {
		return s
	}
	return fmt.Sprintf("target(%d)", int(t))
}

// MarshalText encodes the target as its String form.
func (t Target) MarshalText() ([]byte, error) {
	if _, ok := targetNames[t]; !ok {
		return nil, fmt.Errorf("gpu: invalid containerd target %d", int(t))
	}
	return []byte(t.String()), nil
}

// UnmarshalText parses a String form. On error t is unchanged.
func (t *Target) UnmarshalText(b []byte) error {
	for k, v := range targetNames {
		if v == string(b) {
			*t = k
			return nil
		}
	}
	return fmt.Errorf("gpu: unknown containerd target %q (want containerd1, containerd2 or nodeadm-dropin)", b)
}

// configVersion is the config schema version of a target.
func (t Target) configVersion() int {
	if t == TargetContainerd2 {
		return 3
	}
	return 2
}

// Defaults of the NVIDIA Container Toolkit (cmd/nvidia-ctk-installer and
// nvidia-ctk runtime configure).
const (
	DefaultRuntimeName = "nvidia"
	DefaultBinaryPath  = "/usr/bin/nvidia-container-runtime"
)

// ContainerdOptions describe the NVIDIA runtime in containerd's CRI plugin.
// The zero value is completed by Default except for SandboxImage, which
// must be set (DefaultContainerdOptions sets the regional EKS pause image).
type ContainerdOptions struct {
	// RuntimeName is the runtime's name and RuntimeClass handler.
	// Default "nvidia".
	RuntimeName string `json:"runtimeName,omitempty"`
	// BinaryPath is the NVIDIA runtime binary. Default
	// /usr/bin/nvidia-container-runtime.
	BinaryPath string `json:"binaryPath,omitempty"`
	// SetAsDefault makes the NVIDIA runtime containerd's default, so pods
	// without a RuntimeClass (the device plugin among them) see the GPUs.
	// Default true: nvidia-ctk leaves it unset on purpose, and its absence
	// is the most reported cause of "could not load NVML library"
	// (k8s-device-plugin issues #314, #406, #478).
	SetAsDefault *bool `json:"setAsDefault,omitempty"`
	// EnableCDI turns on Container Device Interface injection (containerd
	// 1.7 and later).
	EnableCDI bool `json:"enableCdi,omitempty"`
	// CDISpecDirs overrides containerd's CDI spec directories; only with
	// EnableCDI.
	CDISpecDirs []string `json:"cdiSpecDirs,omitempty"`
	// ExtraRuntimes adds the nvidia-cdi and nvidia-legacy runtimes the GPU
	// Operator installs (<binary>.cdi and <binary>.legacy).
	ExtraRuntimes bool `json:"extraRuntimes,omitempty"`
	// SandboxImage is the pause image. Required.
	SandboxImage string `json:"sandboxImage"`
	// RegistryConfigPath is registry.config_path. Default
	// /etc/containerd/certs.d:/etc/docker/certs.d (nodeadm's).
	RegistryConfigPath string `json:"registryConfigPath,omitempty"`
	// CNIBinDir and CNIConfDir default to /opt/cni/bin and /etc/cni/net.d.
	CNIBinDir  string `json:"cniBinDir,omitempty"`
	CNIConfDir string `json:"cniConfDir,omitempty"`
}

// DefaultContainerdOptions returns defaulted options for target t with
// the EKS pause image of region (see containerdconf.EKSPauseImage): the
// tag nodeadm writes into its own root config for the nodeadm drop-in
// (containerdconf.NodeadmPauseTag, so the drop-in keeps nodeadm's choice),
// and containerdconf.DefaultPauseTag for standalone files.
func DefaultContainerdOptions(t Target, region string) ContainerdOptions {
	tag := containerdconf.DefaultPauseTag
	if t == TargetNodeadmDropIn {
		tag = containerdconf.NodeadmPauseTag
	}
	pause, _ := containerdconf.EKSPauseImage(region, tag)
	o := ContainerdOptions{SandboxImage: pause}
	o.Default()
	return o
}

// Default fills unset fields; it is idempotent.
func (o *ContainerdOptions) Default() {
	if o.RuntimeName == "" {
		o.RuntimeName = DefaultRuntimeName
	}
	if o.BinaryPath == "" {
		o.BinaryPath = DefaultBinaryPath
	}
	if o.SetAsDefault == nil {
		t := true
		o.SetAsDefault = &t
	}
	if o.RegistryConfigPath == "" {
		o.RegistryConfigPath = containerdconf.DefaultRegistryConfigPath
	}
	if o.CNIBinDir == "" {
		o.CNIBinDir = containerdconf.DefaultCNIBinDir
	}
	if o.CNIConfDir == "" {
		o.CNIConfDir = containerdconf.DefaultCNIConfDir
	}
}

// setAsDefault reads SetAsDefault with its default.
func (o ContainerdOptions) setAsDefault() bool { return o.SetAsDefault == nil || *o.SetAsDefault }

// Validate reports every option that cannot be rendered, with its JSON
// path, or nil. It does not apply defaults: empty optional fields are
// accepted.
func (o ContainerdOptions) Validate() error {
	return ivalidation.ToError("gpu", o.ValidateAt(nil))
}

// ValidateAt is Validate for options embedded at path p.
func (o ContainerdOptions) ValidateAt(p *field.Path) field.ErrorList {
	o.Default()
	var errs field.ErrorList
	if o.RuntimeName != "" {
		if msgs := validation.IsDNS1123Label(o.RuntimeName); len(msgs) > 0 {
			errs = append(errs, field.Invalid(p.Child("runtimeName"), o.RuntimeName, "must be a plain name (it becomes the RuntimeClass handler): "+strings.Join(msgs, "; ")))
		} else if o.RuntimeName == "runc" || o.ExtraRuntimes && (o.RuntimeName == "nvidia-cdi" || o.RuntimeName == "nvidia-legacy") {
			errs = append(errs, field.Invalid(p.Child("runtimeName"), o.RuntimeName, "is the name of another runtime in the same config"))
		}
	}
	if o.BinaryPath != "" {
		errs = append(errs, ivalidation.AbsPath(p.Child("binaryPath"), o.BinaryPath, false)...)
	}
	if o.SandboxImage == "" {
		errs = append(errs, field.Required(p.Child("sandboxImage"), "the pause image, for example the regional EKS image (containerdconf.EKSPauseImage)"))
	} else if _, err := imageref.Parse(o.SandboxImage); err != nil {
		errs = append(errs, field.Invalid(p.Child("sandboxImage"), o.SandboxImage, err.Error()))
	}
	if len(o.CDISpecDirs) > 0 && !o.EnableCDI {
		errs = append(errs, field.Forbidden(p.Child("cdiSpecDirs"), "only with enableCdi"))
	}
	for i, d := range o.CDISpecDirs {
		errs = append(errs, ivalidation.AbsPath(p.Child("cdiSpecDirs").Index(i), d, false)...)
	}
	if o.RegistryConfigPath != "" {
		for _, d := range strings.Split(o.RegistryConfigPath, ":") {
			if e := ivalidation.AbsPath(p.Child("registryConfigPath"), d, false); len(e) > 0 {
				errs = append(errs, field.Invalid(p.Child("registryConfigPath"), o.RegistryConfigPath, "must be absolute directories separated by ':'"))
				break
			}
		}
	}
	if o.CNIBinDir != "" {
		errs = append(errs, ivalidation.AbsPath(p.Child("cniBinDir"), o.CNIBinDir, false)...)
	}
	if o.CNIConfDir != "" {
		errs = append(errs, ivalidation.AbsPath(p.Child("cniConfDir"), o.CNIConfDir, false)...)
	}
	return errs
}

// ContainerdConfig returns the configuration model for target t: runc and
// the NVIDIA runtime(s), all runc-based with SystemdCgroup = true and an
// explicit runtime_type, the default runtime, CDI, the sandbox image, the
// registry host directories and the CNI directories. o is defaulted first;
// invalid options or an unknown target are errors.
func ContainerdConfig(t Target, o ContainerdOptions) (containerdconf.Config, error) {
	if _, ok := targetNames[t]; !ok {
		return containerdconf.Config{}, fmt.Errorf("gpu: unknown containerd target %d", int(t))
	}
	o.Default()
	if err := o.Validate(); err != nil {
		return containerdconf.Config{}, err
	}
	yes, no := true, false
	runtime := func(binary string) containerdconf.Runtime {
		return containerdconf.Runtime{Type: containerdconf.RuntimeTypeRuncV2, BinaryName: binary, SystemdCgroup: &yes, PrivilegedWithoutHostDevices: &no}
	}
	rts := map[string]containerdconf.Runtime{
		"runc":        {Type: containerdconf.RuntimeTypeRuncV2, SystemdCgroup: &yes},
		o.RuntimeName: runtime(o.BinaryPath),
	}
	if o.ExtraRuntimes {
		rts["nvidia-cdi"] = runtime(o.BinaryPath + ".cdi")
		rts["nvidia-legacy"] = runtime(o.BinaryPath + ".legacy")
	}
	def := "runc"
	if o.setAsDefault() {
		def = o.RuntimeName
	}
	cri := &containerdconf.CRI{
		SandboxImage:       o.SandboxImage,
		DefaultRuntimeName: def,
		Runtimes:           rts,
		RegistryConfigPath: o.RegistryConfigPath,
		CNIBinDirs:         []string{o.CNIBinDir},
		CNIConfDir:         o.CNIConfDir,
	}
	if o.EnableCDI {
		// containerd 2.x always enables CDI: only version 2 has the key.
		if t.configVersion() == 2 {
			cri.EnableCDI = &yes
		}
		cri.CDISpecDirs = o.CDISpecDirs
	}
	c := containerdconf.Config{Version: t.configVersion(), CRI: cri}
	switch t {
	case TargetContainerd1, TargetContainerd2:
		c.Root, c.State = "/var/lib/containerd", "/run/containerd"
	case TargetNodeadmDropIn:
		// nodeadm's root file sets discard_unpacked_layers; containerd 1.x
		// would lose it with the rest of the table.
		cri.DiscardUnpackedLayers = &yes
	}
	return c, nil
}

// RenderContainerd renders the TOML for target t. Invalid options give an
// error with every problem and no bytes.
func RenderContainerd(t Target, o ContainerdOptions) ([]byte, error) {
	c, err := ContainerdConfig(t, o)
	if err != nil {
		return nil, err
	}
	return containerdconf.Render(c)
}

// Finding codes of the containerd checks.
const (
	CodeNoNVIDIARuntime     advice.Code = "gpu/no-nvidia-runtime"
	CodeNVIDIANotDefault    advice.Code = "gpu/nvidia-not-default"
	CodeCDIOnContainerd16               = "gpu/cdi-needs-containerd-1.7"
	CodeRuntimeClassMissing advice.Code = "gpu/runtime-class-needed"
)

// CheckContainerd reads a host's containerd config.toml and reports what
// containerdconf.Check finds, plus what matters for GPUs: no runtime whose
// binary is an NVIDIA runtime, or one that is not the default (pods then
// need RuntimeClass nvidia, the device plugin included). A file that does
// not parse is an error.
func CheckContainerd(config []byte) ([]advice.Finding, error) {
	c, err := containerdconf.Parse(config)
	if err != nil {
		return nil, fmt.Errorf("gpu: %w", err)
	}
	fs := containerdconf.Check(c)
	var nvidia []string
	if c.CRI != nil {
		for _, name := range c.CRI.RuntimeNames() {
			if strings.Contains(c.CRI.Runtimes[name].BinaryName, "nvidia-container-runtime") {
				nvidia = append(nvidia, name)
			}
		}
	}
	switch {
	case len(nvidia) == 0:
		fs = append(fs, advice.Finding{
			Level: advice.Error, Code: CodeNoNVIDIARuntime, Field: field.NewPath("plugins").String(),
			Message: "no runtime runs nvidia-container-runtime: containers get no GPU devices or driver libraries; add the nvidia runtime (RenderContainerd) or run nvidia-ctk runtime configure",
			Ref:     "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html#configuring-containerd-for-kubernetes",
		})
	case c.CRI.DefaultRuntimeName == "" || !slices.Contains(nvidia, c.CRI.DefaultRuntimeName):
		fs = append(fs, advice.Finding{
			Level: advice.Warning, Code: CodeNVIDIANotDefault, Field: field.NewPath("plugins").String(),
			Message: fmt.Sprintf("the NVIDIA runtime %q is not the default runtime (%q): every GPU pod, the device plugin included, must then set runtimeClassName: %s, or the plugin fails with \"could not load NVML library\"", nvidia[0], orDefault(c.CRI.DefaultRuntimeName, "runc"), nvidia[0]),
			Ref:     "https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/README.md#prerequisites",
		})
	}
	return advice.Sort(fs), nil
}

// CheckContainerdDropIn reads a drop-in and the root config that imports
// it and reports what containerdconf.CheckDropIn finds: a drop-in newer than
// its root, a CRI section that containerd 1.x's whole-table replacement
// turns into a config without runc's SystemdCgroup, the sandbox image or
// the registry hosts, and a default runtime the drop-in does not define.
// Either file failing to parse is an error.
func CheckContainerdDropIn(dropIn, root []byte) ([]advice.Finding, error) {
	d, err := containerdconf.Parse(dropIn)
	if err != nil {
		return nil, fmt.Errorf("gpu: drop-in: %w", err)
	}
	r, err := containerdconf.Parse(root)
	if err != nil {
		return nil, fmt.Errorf("gpu: root config: %w", err)
	}
	return containerdconf.CheckDropIn(d, r), nil
}

// CheckContainerdOptions reports option combinations that render but do
// not do what they seem to on target t: CDI on containerd 1.6, and an
// NVIDIA runtime that is not the default (pods then need a RuntimeClass).
// It reads o with its defaults.
func CheckContainerdOptions(t Target, o ContainerdOptions) []advice.Finding {
	o.Default()
	var fs []advice.Finding
	if o.EnableCDI && t == TargetContainerd1 {
		fs = append(fs, advice.Finding{
			Level: advice.Info, Code: CodeCDIOnContainerd16, Field: field.NewPath("enableCdi").String(),
			Message: "enable_cdi exists from containerd 1.7; containerd 1.6 ignores it",
			Ref:     "https://github.com/containerd/containerd/blob/v2.4.2/docs/cri/config.md",
		})
	}
	if !o.setAsDefault() {
		fs = append(fs, advice.Finding{
			Level: advice.Info, Code: CodeRuntimeClassMissing, Field: field.NewPath("setAsDefault").String(),
			Message: "the NVIDIA runtime is not the default: render the RuntimeClass and set runtimeClassName on GPU pods and on the device plugin",
			Ref:     "https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/README.md#prerequisites",
		})
	}
	return fs
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
