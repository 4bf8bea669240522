package containerdconf

// The TOML shapes Render writes, one struct per table. go-toml/v2 writes
// struct fields in declaration order (key-values first, then sub-tables) and
// map keys sorted, which makes the output deterministic. Parse reads files
// through reader (parse.go) instead, so that plugin IDs match exactly.

type registryTable struct {
	ConfigPath string `toml:"config_path,omitempty"`
}

type cniTable struct {
	BinDir  string `toml:"bin_dir,omitempty"`
	ConfDir string `toml:"conf_dir,omitempty"`
}

// v3CNITable is the CNI table of version 3: bin_dirs is a list.
type v3CNITable struct {
	BinDirs []string `toml:"bin_dirs,omitempty"`
	ConfDir string   `toml:"conf_dir,omitempty"`
}

type runtimeOptions struct {
	BinaryName    string `toml:"BinaryName,omitempty"`
	SystemdCgroup *bool  `toml:"SystemdCgroup,omitempty"`
}

type runtimeTable struct {
	RuntimeType                  string          `toml:"runtime_type,omitempty"`
	PrivilegedWithoutHostDevices *bool           `toml:"privileged_without_host_devices,omitempty"`
	RuntimeRoot                  *string         `toml:"runtime_root,omitempty"`
	RuntimeEngine                *string         `toml:"runtime_engine,omitempty"`
	Options                      *runtimeOptions `toml:"options,omitempty"`
}

// containerdTable is plugins.<cri>.containerd in version 1 and 2, and
// plugins."io.containerd.cri.v1.runtime".containerd in version 3.
type containerdTable struct {
	DefaultRuntimeName    string                  `toml:"default_runtime_name,omitempty"`
	DiscardUnpackedLayers *bool                   `toml:"discard_unpacked_layers,omitempty"`
	Runtimes              map[string]runtimeTable `toml:"runtimes,omitempty"`
}

// v2CRI is the CRI plugin table of versions 1 ("cri") and 2
// ("io.containerd.grpc.v1.cri").
type v2CRI struct {
	SandboxImage string           `toml:"sandbox_image,omitempty"`
	EnableCDI    *bool            `toml:"enable_cdi,omitempty"`
	CDISpecDirs  *[]string        `toml:"cdi_spec_dirs,omitempty"`
	Containerd   *containerdTable `toml:"containerd,omitempty"`
	Registry     *registryTable   `toml:"registry,omitempty"`
	CNI          *cniTable        `toml:"cni,omitempty"`
}

type v2Plugins struct {
	CRI *v2CRI `toml:"io.containerd.grpc.v1.cri,omitempty"`
}

type pinnedImages struct {
	Sandbox string `toml:"sandbox,omitempty"`
}

type v3Images struct {
	DiscardUnpackedLayers *bool          `toml:"discard_unpacked_layers,omitempty"`
	PinnedImages          *pinnedImages  `toml:"pinned_images,omitempty"`
	Registry              *registryTable `toml:"registry,omitempty"`
}

type v3Runtime struct {
	CDISpecDirs *[]string        `toml:"cdi_spec_dirs,omitempty"`
	Containerd  *containerdTable `toml:"containerd,omitempty"`
	CNI         *v3CNITable      `toml:"cni,omitempty"`
}

type v3Plugins struct {
	Images  *v3Images  `toml:"io.containerd.cri.v1.images,omitempty"`
	Runtime *v3Runtime `toml:"io.containerd.cri.v1.runtime,omitempty"`
}

type header struct {
	Version int       `toml:"version"`
	Root    string    `toml:"root,omitempty"`
	State   string    `toml:"state,omitempty"`
	Imports *[]string `toml:"imports,omitempty"`
}

type v2File struct {
	header
	Plugins *v2Plugins `toml:"plugins,omitempty"`
}

type v3File struct {
	header
	Plugins *v3Plugins `toml:"plugins,omitempty"`
}

func (c *Config) header() header {
	return header{Version: c.Version, Root: c.Root, State: c.State, Imports: slicePtr(c.Imports)}
}

func runtimesTo(rs map[string]Runtime) map[string]runtimeTable {
	if len(rs) == 0 {
		return nil
	}
	out := make(map[string]runtimeTable, len(rs))
	for name, r := range rs {
		t := runtimeTable{
			RuntimeType:                  r.Type,
			PrivilegedWithoutHostDevices: r.PrivilegedWithoutHostDevices,
			RuntimeRoot:                  r.RuntimeRoot,
			RuntimeEngine:                r.RuntimeEngine,
		}
		if r.BinaryName != "" || r.SystemdCgroup != nil {
			t.Options = &runtimeOptions{BinaryName: r.BinaryName, SystemdCgroup: r.SystemdCgroup}
		}
		out[name] = t
	}
	return out
}

func (c *CRI) toV2() *v2CRI {
	w := &v2CRI{SandboxImage: c.SandboxImage, EnableCDI: c.EnableCDI, CDISpecDirs: slicePtr(c.CDISpecDirs)}
	if c.DefaultRuntimeName != "" || c.DiscardUnpackedLayers != nil || len(c.Runtimes) > 0 {
		w.Containerd = &containerdTable{
			DefaultRuntimeName:    c.DefaultRuntimeName,
			DiscardUnpackedLayers: c.DiscardUnpackedLayers,
			Runtimes:              runtimesTo(c.Runtimes),
		}
	}
	if c.RegistryConfigPath != "" {
		w.Registry = &registryTable{ConfigPath: c.RegistryConfigPath}
	}
	if len(c.CNIBinDirs) > 0 || c.CNIConfDir != "" {
		w.CNI = &cniTable{ConfDir: c.CNIConfDir}
		if len(c.CNIBinDirs) == 1 {
			w.CNI.BinDir = c.CNIBinDirs[0]
		}
	}
	return w
}

func (c *CRI) toV3() *v3Plugins {
	p := &v3Plugins{}
	if c.SandboxImage != "" || c.RegistryConfigPath != "" || c.DiscardUnpackedLayers != nil {
		p.Images = &v3Images{DiscardUnpackedLayers: c.DiscardUnpackedLayers}
		if c.SandboxImage != "" {
			p.Images.PinnedImages = &pinnedImages{Sandbox: c.SandboxImage}
		}
		if c.RegistryConfigPath != "" {
			p.Images.Registry = &registryTable{ConfigPath: c.RegistryConfigPath}
		}
	}
	p.Runtime = &v3Runtime{CDISpecDirs: slicePtr(c.CDISpecDirs)}
	if c.DefaultRuntimeName != "" || len(c.Runtimes) > 0 {
		p.Runtime.Containerd = &containerdTable{
			DefaultRuntimeName: c.DefaultRuntimeName,
			Runtimes:           runtimesTo(c.Runtimes),
		}
	}
	if len(c.CNIBinDirs) > 0 || c.CNIConfDir != "" {
		p.Runtime.CNI = &v3CNITable{BinDirs: c.CNIBinDirs, ConfDir: c.CNIConfDir}
	}
	return p
}

// slicePtr keeps "absent" (nil: containerd's default) apart from "empty"
// (an explicit []), which mean different things to containerd.
func slicePtr(s []string) *[]string {
	if s == nil {
		return nil
	}
	return &s
}
