package containerdconf

import (
	"maps"
	"slices"
)

// CRI runtime plugin IDs per config version (containerd docs/PLUGINS.md).
const (
	PluginCRIv1      = "cri"                          // version 1
	PluginCRIv2      = "io.containerd.grpc.v1.cri"    // version 2
	PluginCRIRuntime = "io.containerd.cri.v1.runtime" // version 3 and 4
	PluginCRIImages  = "io.containerd.cri.v1.images"  // version 3 and 4
)

// RuntimeTypeRuncV2 is the shim every runc-based runtime (runc, nvidia,
// nvidia-cdi, nvidia-legacy) uses.
const RuntimeTypeRuncV2 = "io.containerd.runc.v2"

// Config is one containerd configuration file, reduced to the keys this
// module reads and writes. The zero Config is an empty version-0 file, which
// Render refuses; Parse reports version 1 for a file without a version key.
type Config struct {
	// Version is the config schema version: 2 or 3 for Render; 1–4 from Parse.
	Version int `json:"version"`
	// Root and State are containerd's root and state directories, if set.
	Root  string `json:"root,omitempty"`
	State string `json:"state,omitempty"`
	// Imports are the files merged on top of this one, in order.
	Imports []string `json:"imports,omitempty"`
	// CRI is the CRI plugin's configuration; nil when the file has no CRI
	// table at all (a drop-in that only sets other plugins).
	CRI *CRI `json:"cri,omitempty"`
	// PluginIDs lists every plugin table present in a parsed file, sorted.
	// Parse fills it so Check can spot keys of the wrong version; Render
	// ignores it.
	PluginIDs []string `json:"pluginIds,omitempty"`
	// IgnoredKeys are keys of a parsed file that containerd of the file's
	// version does not read — it logs "Ignoring unknown key" and goes on
	// without them: a version 3 file's enable_cdi and cni.bin_dir. Parse
	// fills it; Check reports it; Render ignores it.
	IgnoredKeys []string `json:"ignoredKeys,omitempty"`
}

// CRI is the CRI plugin's runtime, image and network settings.
type CRI struct {
	// SandboxImage is the pause image (v2 sandbox_image; v3
	// pinned_images.sandbox).
	SandboxImage string `json:"sandboxImage,omitempty"`
	// DefaultRuntimeName is the runtime pods use when they name no
	// RuntimeClass. It must name an entry of Runtimes.
	DefaultRuntimeName string `json:"defaultRuntimeName,omitempty"`
	// DiscardUnpackedLayers drops compressed layers after unpacking.
	DiscardUnpackedLayers *bool `json:"discardUnpackedLayers,omitempty"`
	// Runtimes by name; rendered in name order.
	Runtimes map[string]Runtime `json:"runtimes,omitempty"`
	// EnableCDI turns on Container Device Interface injection in version 2
	// files (default false in containerd 1.7). containerd 2.x always
	// enables CDI and has no such key: a version 3 file refuses false and
	// never writes it (plugins/cri/runtime/plugin.go, configMigration:
	// "CDI is always enabled").
	EnableCDI *bool `json:"enableCdi,omitempty"`
	// CDISpecDirs are the CDI spec directories (containerd default
	// ["/etc/cdi", "/var/run/cdi"]).
	CDISpecDirs []string `json:"cdiSpecDirs,omitempty"`
	// RegistryConfigPath is registry.config_path: the hosts.toml directories.
	RegistryConfigPath string `json:"registryConfigPath,omitempty"`
	// CNIBinDirs are where the CNI plugins live: a version 2 file holds one
	// (cni.bin_dir), a version 3 file a list (cni.bin_dirs: containerd 2.x
	// reads bin_dir only when it migrates a version 2 file, and ignores it
	// in a version 3 file — internal/cri/config CniConfig). CNIConfDir is
	// where their configs live.
	CNIBinDirs []string `json:"cniBinDirs,omitempty"`
	CNIConfDir string   `json:"cniConfDir,omitempty"`
}

// Runtime is one entry of containerd.runtimes.
type Runtime struct {
	// Type is runtime_type, for example RuntimeTypeRuncV2. containerd refuses
	// a runtime without it ("container.Runtime.Name must be set").
	Type string `json:"type,omitempty"`
	// PrivilegedWithoutHostDevices keeps host devices out of privileged pods.
	PrivilegedWithoutHostDevices *bool `json:"privilegedWithoutHostDevices,omitempty"`
	// BinaryName is options.BinaryName: the OCI runtime binary (runc when
	// empty).
	BinaryName string `json:"binaryName,omitempty"`
	// SystemdCgroup is options.SystemdCgroup. Every runc-based runtime on a
	// node must agree with the kubelet's cgroup driver (systemd on hybrid
	// nodes).
	SystemdCgroup *bool `json:"systemdCgroup,omitempty"`
	// RuntimeRoot and RuntimeEngine are legacy keys removed in containerd
	// 2.0. Parse fills them so Check can report them; Render refuses them.
	RuntimeRoot   *string `json:"runtimeRoot,omitempty"`
	RuntimeEngine *string `json:"runtimeEngine,omitempty"`
}

// IsRuncBased reports whether the runtime runs through the runc shim (and
// so needs SystemdCgroup to match the kubelet).
func (r Runtime) IsRuncBased() bool {
	return r.Type == RuntimeTypeRuncV2 || r.Type == "io.containerd.runc.v1" || r.Type == ""
}

// RuntimeNames returns the runtime names in render order.
func (c *CRI) RuntimeNames() []string {
	if c == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(c.Runtimes))
}

// Nodeadm's fixed paths, from aws/eks-hybrid internal/containerd
// (config.go and config.template.toml).
const (
	// NodeadmDropInDir is where nodeadm's root config imports drop-ins from.
	NodeadmDropInDir = "/etc/containerd/config.d"
	// NodeadmDropInPath is the file nodeadm writes spec.containerd.config to,
	// verbatim.
	NodeadmDropInPath = "/etc/containerd/config.d/00-nodeadm.toml"
	// DefaultRegistryConfigPath is the registry host directory list nodeadm
	// (and the EKS AMIs) configure.
	DefaultRegistryConfigPath = "/etc/containerd/certs.d:/etc/docker/certs.d"
	// DefaultCNIBinDir and DefaultCNIConfDir are the CNI locations nodeadm
	// configures.
	DefaultCNIBinDir  = "/opt/cni/bin"
	DefaultCNIConfDir = "/etc/cni/net.d"
)

// NodeadmRoot returns the root /etc/containerd/config.toml that the hybrid
// nodeadm writes before it places the user's drop-in in config.d: version 2,
// runc as default with SystemdCgroup = true, the given sandbox image, the
// registry host directories and the CNI directories
// (aws/eks-hybrid internal/containerd/config.template.toml).
func NodeadmRoot(sandboxImage string) Config {
	t := true
	return Config{
		Version: 2,
		Root:    "/var/lib/containerd",
		State:   "/run/containerd",
		Imports: []string{NodeadmDropInDir + "/*.toml"},
		CRI: &CRI{
			SandboxImage:          sandboxImage,
			DefaultRuntimeName:    "runc",
			DiscardUnpackedLayers: &t,
			Runtimes: map[string]Runtime{
				"runc": {Type: RuntimeTypeRuncV2, SystemdCgroup: &t},
			},
			RegistryConfigPath: DefaultRegistryConfigPath,
			CNIBinDirs:         []string{DefaultCNIBinDir},
			CNIConfDir:         DefaultCNIConfDir,
		},
	}
}
