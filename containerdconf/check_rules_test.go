package containerdconf_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
)

// finding is what a rule test pins of a finding: its code and the TOML
// key path it names.
type finding struct {
	code  advice.Code
	field string
}

func (f finding) String() string { return fmt.Sprintf("%s at %s", f.code, f.field) }

func findingsOf(fs []advice.Finding) []finding {
	out := []finding{}
	for _, f := range fs {
		out = append(out, finding{f.Code, f.Field})
	}
	return out
}

const (
	v2Runtimes = `plugins."io.containerd.grpc.v1.cri".containerd.runtimes.`
	v3Runtimes = `plugins."io.containerd.cri.v1.runtime".containerd.runtimes.`
)

// TestCheckRules gives each rule of Check an input where it is the only
// fault and asserts the complete list of findings, so that deleting the
// rule, inverting it or moving its bound fails here.
func TestCheckRules(t *testing.T) {
	tests := []struct {
		name string
		cfg  func() containerdconf.Config
		want []finding
	}{
		{"clean version 2", func() containerdconf.Config { return gpuConfig(2) }, nil},
		{"clean version 3", func() containerdconf.Config { return gpuConfig(3) }, nil},
		{"clean version 2 without CRI", func() containerdconf.Config { return containerdconf.Config{Version: 2} }, nil},
		{"version 1 is a warning", func() containerdconf.Config {
			return containerdconf.Config{Version: 1}
		}, []finding{{containerdconf.CodeVersionMissing, "version"}}},
		{"version 0 is read as 1", func() containerdconf.Config {
			return containerdconf.Config{}
		}, []finding{{containerdconf.CodeVersionMissing, "version"}}},
		{"version 3 images plugin in version 2", func() containerdconf.Config {
			c := gpuConfig(2)
			c.PluginIDs = []string{containerdconf.PluginCRIv2, containerdconf.PluginCRIImages}
			return c
		}, []finding{{containerdconf.CodeWrongVersionKeys, "plugins"}}},
		{"version 3 plugins in version 3 are right", func() containerdconf.Config {
			c := gpuConfig(3)
			c.PluginIDs = []string{containerdconf.PluginCRIImages, containerdconf.PluginCRIRuntime}
			return c
		}, nil},
		{"version 2 plugin beside a version 3 CRI is tolerated", func() containerdconf.Config {
			c := gpuConfig(3)
			c.PluginIDs = []string{containerdconf.PluginCRIv2, containerdconf.PluginCRIRuntime}
			return c
		}, nil},
		{"version 2 plugin alone in version 3", func() containerdconf.Config {
			return containerdconf.Config{Version: 3, PluginIDs: []string{containerdconf.PluginCRIv2}}
		}, []finding{{containerdconf.CodeWrongVersionKeys, `plugins."io.containerd.grpc.v1.cri"`}}},
		{"version 2 plugin alone in version 2 is right", func() containerdconf.Config {
			return containerdconf.Config{Version: 2, PluginIDs: []string{containerdconf.PluginCRIv2}}
		}, nil},
		{"ignored key", func() containerdconf.Config {
			c := gpuConfig(3)
			c.IgnoredKeys = []string{`plugins."io.containerd.cri.v1.runtime".enable_cdi`}
			return c
		}, []finding{{containerdconf.CodeIgnoredKey, `plugins."io.containerd.cri.v1.runtime".enable_cdi`}}},
		{"runtime without type", func() containerdconf.Config {
			c := gpuConfig(3)
			c.CRI.Runtimes["kata"] = containerdconf.Runtime{SystemdCgroup: ptr(true)}
			return c
		}, []finding{{containerdconf.CodeRuntimeTypeMissing, v3Runtimes + "kata.runtime_type"}}},
		{"runtime name that needs quoting", func() containerdconf.Config {
			c := gpuConfig(3)
			c.CRI.Runtimes["nvidia.cdi"] = containerdconf.Runtime{Type: containerdconf.RuntimeTypeRuncV2}
			return c
		}, []finding{{containerdconf.CodeSystemdCgroupMissing, v3Runtimes + `"nvidia.cdi".options.SystemdCgroup`}}},
		{"runc without SystemdCgroup", func() containerdconf.Config {
			c := gpuConfig(2)
			c.CRI.Runtimes["runc"] = containerdconf.Runtime{Type: containerdconf.RuntimeTypeRuncV2}
			return c
		}, []finding{{containerdconf.CodeSystemdCgroupMissing, v2Runtimes + "runc.options.SystemdCgroup"}}},
		{"runc with SystemdCgroup false", func() containerdconf.Config {
			c := gpuConfig(2)
			c.CRI.Runtimes["runc"] = containerdconf.Runtime{Type: containerdconf.RuntimeTypeRuncV2, SystemdCgroup: ptr(false)}
			return c
		}, []finding{{containerdconf.CodeSystemdCgroupMissing, v2Runtimes + "runc.options.SystemdCgroup"}}},
		{"runc v1 without SystemdCgroup", func() containerdconf.Config {
			c := gpuConfig(2)
			c.CRI.Runtimes["old"] = containerdconf.Runtime{Type: "io.containerd.runc.v1"}
			return c
		}, []finding{{containerdconf.CodeSystemdCgroupMissing, v2Runtimes + "old.options.SystemdCgroup"}}},
		{"a runtime that is not runc needs no SystemdCgroup", func() containerdconf.Config {
			c := gpuConfig(2)
			c.CRI.Runtimes["kata"] = containerdconf.Runtime{Type: "io.containerd.kata.v2"}
			return c
		}, nil},
		{"runtime_root in version 3", func() containerdconf.Config {
			c := gpuConfig(3)
			r := c.CRI.Runtimes["runc"]
			r.RuntimeRoot = ptr("/run/runc")
			c.CRI.Runtimes["runc"] = r
			return c
		}, []finding{{containerdconf.CodeRemovedKeys, v3Runtimes + "runc"}}},
		{"runtime_engine in version 3", func() containerdconf.Config {
			c := gpuConfig(3)
			r := c.CRI.Runtimes["runc"]
			r.RuntimeEngine = ptr("")
			c.CRI.Runtimes["runc"] = r
			return c
		}, []finding{{containerdconf.CodeRemovedKeys, v3Runtimes + "runc"}}},
		{"runtime_root in version 2 is still read", func() containerdconf.Config {
			c := gpuConfig(2)
			r := c.CRI.Runtimes["runc"]
			r.RuntimeRoot = ptr("/run/runc")
			c.CRI.Runtimes["runc"] = r
			return c
		}, nil},
		{"default runtime undefined", func() containerdconf.Config {
			c := gpuConfig(2)
			c.CRI.DefaultRuntimeName = "gpu"
			return c
		}, []finding{{containerdconf.CodeDefaultRuntimeUndef, `plugins."io.containerd.grpc.v1.cri".containerd.default_runtime_name`}}},
		{"default runtime undefined in version 1", func() containerdconf.Config {
			c := gpuConfig(2)
			c.Version = 1
			c.CRI.DefaultRuntimeName = "gpu"
			return c
		}, []finding{
			{containerdconf.CodeDefaultRuntimeUndef, "plugins.cri.containerd.default_runtime_name"},
			{containerdconf.CodeVersionMissing, "version"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findingsOf(containerdconf.Check(tt.cfg()))
			want := tt.want
			if want == nil {
				want = []finding{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("Check findings:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// TestCheckMessages pins what the messages add beyond the code: which
// ignored key, whether other runtimes set SystemdCgroup, what is defined.
func TestCheckMessages(t *testing.T) {
	msg := func(c containerdconf.Config, code advice.Code) string {
		for _, f := range containerdconf.Check(c) {
			if f.Code == code {
				return f.Message
			}
		}
		t.Fatalf("no %s in %v", code, containerdconf.Check(c))
		return ""
	}
	c := gpuConfig(3)
	c.IgnoredKeys = []string{`plugins."io.containerd.cri.v1.runtime".cni.bin_dir`}
	if m := msg(c, containerdconf.CodeIgnoredKey); !strings.Contains(m, "bin_dirs") {
		t.Errorf("bin_dir message does not name bin_dirs: %s", m)
	}
	c.IgnoredKeys = []string{`plugins."io.containerd.cri.v1.runtime".enable_cdi`}
	if m := msg(c, containerdconf.CodeIgnoredKey); !strings.Contains(m, "always enables CDI") {
		t.Errorf("enable_cdi message: %s", m)
	}
	c.IgnoredKeys = []string{`plugins."io.containerd.cri.v1.runtime".other`}
	if m := msg(c, containerdconf.CodeIgnoredKey); !strings.Contains(m, "does not read it") || strings.Contains(m, "CDI") {
		t.Errorf("other key message: %s", m)
	}

	mixed := gpuConfig(2)
	mixed.CRI.Runtimes["plain"] = containerdconf.Runtime{Type: containerdconf.RuntimeTypeRuncV2}
	if m := msg(mixed, containerdconf.CodeSystemdCgroupMissing); !strings.Contains(m, "other runtimes in this file do set it") {
		t.Errorf("mixed message: %s", m)
	}
	alone := containerdconf.Config{Version: 2, CRI: &containerdconf.CRI{Runtimes: map[string]containerdconf.Runtime{
		"plain": {Type: containerdconf.RuntimeTypeRuncV2, SystemdCgroup: ptr(false)},
	}}}
	if m := msg(alone, containerdconf.CodeSystemdCgroupMissing); strings.Contains(m, "other runtimes") {
		t.Errorf("lone runtime message mentions others: %s", m)
	}

	undefined := containerdconf.Config{Version: 2, CRI: &containerdconf.CRI{DefaultRuntimeName: "gpu"}}
	if m := msg(undefined, containerdconf.CodeDefaultRuntimeUndef); !strings.Contains(m, "(defined: none)") {
		t.Errorf("undefined default with no runtimes: %s", m)
	}
	some := gpuConfig(2)
	some.CRI.DefaultRuntimeName = "gpu"
	if m := msg(some, containerdconf.CodeDefaultRuntimeUndef); !strings.Contains(m, "(defined: nvidia, runc)") {
		t.Errorf("undefined default: %s", m)
	}
}

// TestCheckDropInRules gives each rule of CheckDropIn an input where it is
// the only fault, against nodeadm's version 2 root unless said otherwise.
func TestCheckDropInRules(t *testing.T) {
	root2 := containerdconf.NodeadmRoot(pause)
	root3 := gpuConfig(3)
	withCRI := func(f func(*containerdconf.CRI)) containerdconf.Config {
		c := gpuConfig(2)
		f(c.CRI)
		return c
	}
	replaces := finding{containerdconf.CodeDropInReplacesCRI, `plugins."io.containerd.grpc.v1.cri"`}
	tests := []struct {
		name     string
		dropIn   containerdconf.Config
		root     containerdconf.Config
		want     []finding
		wantLost string
	}{
		{"complete version 2 drop-in", gpuConfig(2), root2, nil, ""},
		{"version 3 drop-in under a version 3 root", gpuConfig(3), root3, nil, ""},
		{"drop-in without CRI", containerdconf.Config{Version: 2}, root2, nil, ""},
		{"drop-in newer than root", gpuConfig(3), root2, []finding{{containerdconf.CodeDropInNewerThanRoot, "version"}}, ""},
		{"drop-in older than root", gpuConfig(2), root3, []finding{{containerdconf.CodeDropInVersionDiffers, "version"}}, ""},
		{"version 1 drop-in under a version 3 root", containerdconf.Config{Version: 1}, root3,
			[]finding{{containerdconf.CodeVersionMissing, "version"}}, ""},
		{"drop-in default runtime undefined", withCRI(func(c *containerdconf.CRI) { c.DefaultRuntimeName = "gpu" }), root2,
			[]finding{{containerdconf.CodeDefaultRuntimeUndef, `plugins."io.containerd.grpc.v1.cri".containerd.default_runtime_name`}}, ""},
		{"loses the sandbox image", withCRI(func(c *containerdconf.CRI) { c.SandboxImage = "" }), root2,
			[]finding{replaces}, "root config's sandbox image are lost"},
		{"loses the registry path", withCRI(func(c *containerdconf.CRI) { c.RegistryConfigPath = "" }), root2,
			[]finding{replaces}, "root config's registry config_path are lost"},
		{"loses the CNI bin dirs", withCRI(func(c *containerdconf.CRI) { c.CNIBinDirs = nil }), root2,
			[]finding{replaces}, "root config's CNI directories are lost"},
		{"loses the CNI conf dir", withCRI(func(c *containerdconf.CRI) { c.CNIConfDir = "" }), root2,
			[]finding{replaces}, "root config's CNI directories are lost"},
		{"loses discard_unpacked_layers", withCRI(func(c *containerdconf.CRI) { c.DiscardUnpackedLayers = nil }), root2,
			[]finding{replaces}, "root config's discard_unpacked_layers are lost"},
		{"loses runc", withCRI(func(c *containerdconf.CRI) {
			delete(c.Runtimes, "runc")
		}), root2, []finding{replaces}, `root config's runtime "runc" are lost`},
		{"loses runc's SystemdCgroup", withCRI(func(c *containerdconf.CRI) {
			c.Runtimes["runc"] = containerdconf.Runtime{Type: "io.containerd.kata.v2"}
		}), root2, []finding{replaces}, `root config's SystemdCgroup of runtime "runc" are lost`},
		{"a root without CRI loses nothing", withCRI(func(c *containerdconf.CRI) { c.SandboxImage = "" }),
			containerdconf.Config{Version: 2}, nil, ""},
		{"version 3 drop-ins are merged, not replaced", func() containerdconf.Config {
			c := gpuConfig(3)
			c.CRI.SandboxImage = ""
			return c
		}(), root3, nil, ""},
		{"a version 3 root is merged, not replaced", withCRI(func(c *containerdconf.CRI) { c.SandboxImage = "" }), func() containerdconf.Config {
			c := gpuConfig(3)
			c.Version = 4
			return c
		}(), []finding{{containerdconf.CodeDropInVersionDiffers, "version"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := containerdconf.CheckDropIn(tt.dropIn, tt.root)
			got := findingsOf(fs)
			want := tt.want
			if want == nil {
				want = []finding{}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("CheckDropIn findings:\n got %v\nwant %v", got, want)
			}
			if tt.wantLost != "" && !strings.Contains(fs[0].Message, tt.wantLost) {
				t.Errorf("message %q lacks %q", fs[0].Message, tt.wantLost)
			}
		})
	}
}

// TestCheckFieldQuotesRuntimeNames: a finding's Field is the key as TOML
// writes it, bare for letters, digits, '-' and '_', quoted for anything
// else — the characters either side of each range included.
func TestCheckFieldQuotesRuntimeNames(t *testing.T) {
	for name, want := range map[string]string{
		"aAzZ09-_": "aAzZ09-_",
		"`":        "\"`\"",
		"{":        `"{"`,
		"@":        `"@"`,
		"[":        `"["`,
		"/":        `"/"`,
		":":        `":"`,
		"nvidia.x": `"nvidia.x"`,
	} {
		// A runtime without a type is runc-based too, so both findings
		// name it.
		c := containerdconf.Config{Version: 2, CRI: &containerdconf.CRI{Runtimes: map[string]containerdconf.Runtime{
			name: {},
		}}}
		got := findingsOf(containerdconf.Check(c))
		wantF := []finding{
			{containerdconf.CodeSystemdCgroupMissing, v2Runtimes + want + ".options.SystemdCgroup"},
			{containerdconf.CodeRuntimeTypeMissing, v2Runtimes + want + ".runtime_type"},
		}
		if !slices.Equal(got, wantF) {
			t.Errorf("runtime %q:\n got %v\nwant %v", name, got, wantF)
		}
	}
}

// TestCheckDropInWithoutCNIBinDirs: a root that names no CNI bin dirs has
// none to lose.
func TestCheckDropInWithoutCNIBinDirs(t *testing.T) {
	root := containerdconf.NodeadmRoot(pause)
	root.CRI.CNIBinDirs = nil
	dropIn := gpuConfig(2)
	dropIn.CRI.CNIBinDirs = nil
	if fs := containerdconf.CheckDropIn(dropIn, root); len(fs) != 0 {
		t.Errorf("CheckDropIn = %v, want none", fs)
	}
}
