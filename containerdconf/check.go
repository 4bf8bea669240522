package containerdconf

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// Sources of the facts behind the findings.
const (
	refRuntimeType   = "https://github.com/NVIDIA/nvidia-container-toolkit/issues/1956"
	refSystemdCgroup = "https://github.com/containerd/containerd/blob/v2.4.2/docs/cri/config.md#cgroup-driver"
	refDefaultRT     = "https://github.com/containerd/containerd/blob/v1.7.27/pkg/cri/config/config.go (ValidatePluginConfig: no corresponding runtime configured in containerd.runtimes for default_runtime_name)"
	refPlugins       = "https://github.com/containerd/containerd/blob/v2.4.2/docs/PLUGINS.md"
	refReleases      = "https://github.com/containerd/containerd/blob/v2.4.2/RELEASES.md#deprecated-config-properties"
	refDropInVersion = "https://github.com/containerd/containerd/blob/v1.7.27/services/server/config/config.go (LoadConfig: imports are merged by plugin ID; no version 3 IDs exist)"
	refReplace       = "https://github.com/containerd/containerd/issues/5837"
	refCRIConfig     = "https://github.com/containerd/containerd/blob/v2.4.2/internal/cri/config/config.go (CniConfig.NetworkPluginBinDirs is bin_dirs) and plugins/cri/runtime/plugin.go (configMigration: CDI is always enabled)"
)

// Finding codes reported by Check and CheckDropIn.
const (
	CodeRuntimeTypeMissing   advice.Code = "containerdconf/runtime-type-missing"
	CodeSystemdCgroupMissing advice.Code = "containerdconf/systemd-cgroup-missing"
	CodeDefaultRuntimeUndef  advice.Code = "containerdconf/default-runtime-undefined"
	CodeWrongVersionKeys     advice.Code = "containerdconf/keys-of-other-version"
	CodeRemovedKeys          advice.Code = "containerdconf/removed-runtime-keys"
	CodeVersionMissing       advice.Code = "containerdconf/version-missing"
	CodeDropInNewerThanRoot  advice.Code = "containerdconf/dropin-newer-than-root"
	CodeDropInReplacesCRI    advice.Code = "containerdconf/dropin-replaces-cri"
	CodeDropInVersionDiffers advice.Code = "containerdconf/dropin-version-differs"
	CodeIgnoredKey           advice.Code = "containerdconf/ignored-key"
)

// criTablePath is the TOML table of the CRI runtime settings for a
// version, as a path of TOML keys (quoted where TOML needs it), so a
// finding's Field reads as the key in the file.
func criTablePath(version int) *field.Path {
	switch {
	case version <= 1:
		return field.NewPath("plugins", "cri")
	case version == 2:
		return field.NewPath("plugins", tomlKey(PluginCRIv2))
	}
	return field.NewPath("plugins", tomlKey(PluginCRIRuntime))
}

func runtimePath(version int, name string) *field.Path {
	return criTablePath(version).Child("containerd", "runtimes", tomlKey(name))
}

// tomlKey quotes a key when it is not a bare TOML key.
func tomlKey(k string) string {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Sprintf("%q", k)
		}
	}
	return k
}

// Check reports what is legal TOML but wrong for a GPU hybrid node in one
// file read on its own: runtimes without runtime_type, runc-based runtimes
// without SystemdCgroup = true, a default runtime that the file does not
// define, keys of another config version, and keys containerd 2.0 removed.
// Findings' Field is the TOML key path.
func Check(c Config) []advice.Finding {
	fs := checkFile(c)
	if c.CRI != nil && c.CRI.DefaultRuntimeName != "" {
		if _, ok := c.CRI.Runtimes[c.CRI.DefaultRuntimeName]; !ok {
			fs = append(fs, undefinedDefault(c))
		}
	}
	return advice.Sort(fs)
}

// checkFile holds the checks that apply to a root file and a drop-in alike.
func checkFile(c Config) []advice.Finding {
	var fs []advice.Finding
	if c.Version <= 1 {
		fs = append(fs, advice.Finding{
			Level: advice.Warning, Code: CodeVersionMissing, Field: field.NewPath("version").String(),
			Message: "the file has no version key, so containerd reads it as version 1, whose CRI plugin is \"cri\"; write version = 2 (containerd 1.x, and the root file nodeadm writes) or 3 (containerd 2.x)",
			Ref:     refPlugins,
		})
	}
	if c.Version <= 2 && hasAny(c.PluginIDs, PluginCRIRuntime, PluginCRIImages) {
		fs = append(fs, advice.Finding{
			Level: advice.Error, Code: CodeWrongVersionKeys, Field: field.NewPath("plugins").String(),
			Message: fmt.Sprintf("version %d file sets %s/%s, which exist only in config version 3: containerd 1.x ignores them, so the runtime settings do not apply", c.Version, PluginCRIRuntime, PluginCRIImages),
			Ref:     refPlugins,
		})
	}
	if c.Version >= 3 && hasAny(c.PluginIDs, PluginCRIv2) && c.CRI == nil {
		fs = append(fs, advice.Finding{
			Level: advice.Warning, Code: CodeWrongVersionKeys, Field: field.NewPath("plugins", tomlKey(PluginCRIv2)).String(),
			Message: fmt.Sprintf("version %d file configures runtimes under %s, the version 2 plugin; in version 3 they belong under %s", c.Version, PluginCRIv2, PluginCRIRuntime),
			Ref:     refPlugins,
		})
	}
	for _, k := range c.IgnoredKeys {
		why := "containerd 2.x does not read it in a version 3 file"
		switch {
		case strings.HasSuffix(k, ".enable_cdi"):
			why = "containerd 2.x always enables CDI and has no enable_cdi in version 3; delete it"
		case strings.HasSuffix(k, ".cni.bin_dir"):
			why = "version 3 names the CNI plugin directories in the list bin_dirs; containerd 2.x ignores bin_dir here, and the plugins are looked for in /opt/cni/bin only"
		}
		fs = append(fs, advice.Finding{
			Level: advice.Error, Code: CodeIgnoredKey, Field: k,
			Message: "containerd logs \"Ignoring unknown key\" for " + k + ": " + why,
			Ref:     refCRIConfig,
		})
	}
	if c.CRI == nil {
		return fs
	}
	anySystemd := false
	for _, r := range c.CRI.Runtimes {
		if r.SystemdCgroup != nil && *r.SystemdCgroup {
			anySystemd = true
		}
	}
	for _, name := range c.CRI.RuntimeNames() {
		r := c.CRI.Runtimes[name]
		p := runtimePath(c.Version, name)
		if r.Type == "" {
			fs = append(fs, advice.Finding{
				Level: advice.Error, Code: CodeRuntimeTypeMissing, Field: p.Child("runtime_type").String(),
				Message: fmt.Sprintf("runtime %q has no runtime_type: containerd fails with \"container.Runtime.Name must be set\"; set runtime_type = %q", name, RuntimeTypeRuncV2),
				Ref:     refRuntimeType,
			})
		}
		if r.IsRuncBased() && (r.SystemdCgroup == nil || !*r.SystemdCgroup) {
			msg := fmt.Sprintf("runc-based runtime %q does not set options.SystemdCgroup = true: hybrid nodes run the kubelet with the systemd cgroup driver, and every runc-based runtime must match it or its pods fail", name)
			if anySystemd {
				msg += " (other runtimes in this file do set it)"
			}
			fs = append(fs, advice.Finding{
				Level: advice.Error, Code: CodeSystemdCgroupMissing, Field: p.Child("options", "SystemdCgroup").String(),
				Message: msg, Ref: refSystemdCgroup,
			})
		}
		if c.Version >= 3 && (r.RuntimeRoot != nil || r.RuntimeEngine != nil) {
			fs = append(fs, advice.Finding{
				Level: advice.Warning, Code: CodeRemovedKeys, Field: p.String(),
				Message: fmt.Sprintf("runtime %q sets runtime_root or runtime_engine, removed in containerd 2.0; delete them (use options.Root)", name),
				Ref:     refReleases,
			})
		}
	}
	return fs
}

func undefinedDefault(c Config) advice.Finding {
	return advice.Finding{
		Level: advice.Error, Code: CodeDefaultRuntimeUndef, Field: criTablePath(c.Version).Child("containerd", "default_runtime_name").String(),
		Message: fmt.Sprintf("default_runtime_name %q names a runtime this file does not define (defined: %s); the CRI plugin fails to load", c.CRI.DefaultRuntimeName, listOrNone(c.CRI.RuntimeNames())),
		Ref:     refDefaultRT,
	}
}

// CheckDropIn reports what goes wrong when dropIn is imported by root, on
// every containerd version the node may run:
//
//   - a drop-in version higher than the root's (containerd 1.x reads a
//     version 3 drop-in without a word and ignores every setting in it,
//     since its plugin IDs do not exist in 1.x; 2.x migrates both);
//   - a CRI section that is not complete: containerd 1.x replaces the whole
//     CRI plugin table with the drop-in's, so every setting the root makes
//     and the drop-in omits is lost (the sandbox image, the registry hosts,
//     runc with SystemdCgroup = true, the CNI directories);
//   - a default_runtime_name the drop-in does not define (after the 1.x
//     replacement it names nothing);
//   - everything Check reports for a single file.
func CheckDropIn(dropIn, root Config) []advice.Finding {
	fs := checkFile(dropIn)
	if dropIn.Version > root.Version {
		fs = append(fs, advice.Finding{
			Level: advice.Error, Code: CodeDropInNewerThanRoot, Field: field.NewPath("version").String(),
			Message: fmt.Sprintf("drop-in is version %d but the root config is version %d: containerd 1.x reads it without a word and ignores every setting in it (its version 3 plugin IDs do not exist in 1.x), so a node on 1.x runs without them; write version = %d, which every containerd reads", dropIn.Version, root.Version, root.Version),
			Ref:     refDropInVersion,
		})
	} else if dropIn.Version > 1 && dropIn.Version < root.Version {
		fs = append(fs, advice.Finding{
			Level: advice.Warning, Code: CodeDropInVersionDiffers, Field: field.NewPath("version").String(),
			Message: fmt.Sprintf("drop-in is version %d but the root config is version %d; write the drop-in in the root's version so its plugin IDs match", dropIn.Version, root.Version),
			Ref:     refPlugins,
		})
	}
	if dropIn.CRI == nil {
		return advice.Sort(fs)
	}
	if dropIn.CRI.DefaultRuntimeName != "" {
		if _, ok := dropIn.CRI.Runtimes[dropIn.CRI.DefaultRuntimeName]; !ok {
			fs = append(fs, undefinedDefault(dropIn))
		}
	}
	// Only containerd 1.x replaces tables, and it reads only versions 1 and
	// 2; version 3 files are read by 2.x, which merges sub-tables.
	if root.CRI != nil && dropIn.Version <= 2 && root.Version <= 2 {
		if lost := lostSettings(dropIn.CRI, root.CRI); len(lost) > 0 {
			fs = append(fs, advice.Finding{
				Level: advice.Error, Code: CodeDropInReplacesCRI, Field: criTablePath(dropIn.Version).String(),
				Message: "containerd 1.x replaces the whole CRI plugin table with this drop-in's, so the root config's " +
					strings.Join(lost, ", ") + " are lost; carry the complete CRI section in the drop-in",
				Ref: refReplace,
			})
		}
	}
	return advice.Sort(fs)
}

// lostSettings lists what root's CRI table sets and the drop-in's does not.
func lostSettings(d, r *CRI) []string {
	var lost []string
	if r.SandboxImage != "" && d.SandboxImage == "" {
		lost = append(lost, "sandbox image")
	}
	if r.RegistryConfigPath != "" && d.RegistryConfigPath == "" {
		lost = append(lost, "registry config_path")
	}
	if len(r.CNIBinDirs) > 0 && len(d.CNIBinDirs) == 0 || r.CNIConfDir != "" && d.CNIConfDir == "" {
		lost = append(lost, "CNI directories")
	}
	if r.DiscardUnpackedLayers != nil && d.DiscardUnpackedLayers == nil {
		lost = append(lost, "discard_unpacked_layers")
	}
	for _, name := range r.RuntimeNames() {
		rr := r.Runtimes[name]
		dr, ok := d.Runtimes[name]
		switch {
		case !ok:
			lost = append(lost, fmt.Sprintf("runtime %q", name))
		case rr.SystemdCgroup != nil && *rr.SystemdCgroup && (dr.SystemdCgroup == nil || !*dr.SystemdCgroup):
			lost = append(lost, fmt.Sprintf("SystemdCgroup of runtime %q", name))
		}
	}
	return lost
}

func hasAny(ids []string, want ...string) bool {
	for _, id := range ids {
		for _, w := range want {
			if id == w {
				return true
			}
		}
	}
	return false
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
