package containerdconf_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

const pause = "602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8"

func ptr[T any](v T) *T { return &v }

func gpuConfig(version int) containerdconf.Config {
	c := containerdconf.NodeadmRoot(pause)
	c.Version = version
	c.Imports = nil
	c.CRI.DefaultRuntimeName = "nvidia"
	if version == 2 {
		// containerd 2.x always enables CDI; version 3 has no key for it.
		c.CRI.EnableCDI = ptr(true)
	}
	c.CRI.CDISpecDirs = []string{"/etc/cdi", "/var/run/cdi"}
	c.CRI.Runtimes["nvidia"] = containerdconf.Runtime{
		Type: containerdconf.RuntimeTypeRuncV2, BinaryName: "/usr/bin/nvidia-container-runtime",
		SystemdCgroup: ptr(true), PrivilegedWithoutHostDevices: ptr(false),
	}
	return c
}

func TestRenderGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  containerdconf.Config
	}{
		{"nodeadm-root.toml", containerdconf.NodeadmRoot(pause)},
		{"gpu-v2.toml", gpuConfig(2)},
		{"gpu-v3.toml", gpuConfig(3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := containerdconf.Render(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, tc.name, b)
			back, err := containerdconf.Parse(b)
			if err != nil {
				t.Fatalf("Parse(Render(x)): %v", err)
			}
			back.PluginIDs = nil
			if !reflect.DeepEqual(back, tc.cfg) {
				t.Errorf("Parse(Render(x)) = %+v\nwant %+v", back, tc.cfg)
			}
		})
	}
}

// TestVersion3KeysContainerd2Reads: a version 3 file lists the CNI
// plugin directories in bin_dirs and has no enable_cdi; a hand-written one
// with the version 2 keys gets a finding for each, as containerd 2.x logs
// "Ignoring unknown key" for them.
func TestVersion3KeysContainerd2Reads(t *testing.T) {
	c := gpuConfig(3)
	c.CRI.CNIBinDirs = []string{"/opt/cni/bin", "/usr/libexec/cni"}
	b, err := containerdconf.Render(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "bin_dirs = ['/opt/cni/bin', '/usr/libexec/cni']") || strings.Contains(string(b), "enable_cdi") || strings.Contains(string(b), "bin_dir =") {
		t.Errorf("version 3 file:\n%s", b)
	}
	old := `version = 3
[plugins.'io.containerd.cri.v1.runtime']
enable_cdi = true
[plugins.'io.containerd.cri.v1.runtime'.cni]
bin_dir = '/opt/custom/cni'
`
	parsed, err := containerdconf.Parse([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, f := range containerdconf.Check(parsed) {
		codes = append(codes, string(f.Code)+" "+f.Field)
	}
	want := []string{
		string(containerdconf.CodeIgnoredKey) + ` plugins."io.containerd.cri.v1.runtime".cni.bin_dir`,
		string(containerdconf.CodeIgnoredKey) + ` plugins."io.containerd.cri.v1.runtime".enable_cdi`,
	}
	if !slices.Equal(codes, want) {
		t.Errorf("findings %q, want %q", codes, want)
	}
	off := gpuConfig(3)
	off.CRI.EnableCDI = ptr(false)
	if _, err := containerdconf.Render(off); err == nil {
		t.Error("a version 3 file turned CDI off")
	}
	two := gpuConfig(2)
	two.CRI.CNIBinDirs = []string{"/a", "/b"}
	if _, err := containerdconf.Render(two); err == nil {
		t.Error("a version 2 file held two CNI bin dirs")
	}
}

// TestRenderedV2RunsInContainerd feeds the rendered version 2 file to
// Debian's containerd (1.6) and reads back what it will run with.
func TestRenderedV2RunsInContainerd(t *testing.T) {
	b, err := containerdconf.Render(gpuConfig(2))
	if err != nil {
		t.Fatal(err)
	}
	dump := testkit.ContainerdDump(t, func(string) []byte { return b }, nil)
	got, err := containerdconf.Parse(dump)
	if err != nil {
		t.Fatalf("parsing containerd's dump: %v", err)
	}
	nv := got.CRI.Runtimes["nvidia"]
	if got.CRI.DefaultRuntimeName != "nvidia" || nv.BinaryName != "/usr/bin/nvidia-container-runtime" || nv.SystemdCgroup == nil || !*nv.SystemdCgroup {
		t.Errorf("containerd runs with default %q, nvidia %+v", got.CRI.DefaultRuntimeName, nv)
	}
	if got.CRI.SandboxImage != pause || got.CRI.RegistryConfigPath != containerdconf.DefaultRegistryConfigPath {
		t.Errorf("sandbox %q, registry %q", got.CRI.SandboxImage, got.CRI.RegistryConfigPath)
	}
}

// TestGuideDropInOnContainerd1 shows, with containerd 1.6 itself, what the
// adoption guide's drop-in does to nodeadm's root config: the CRI table is
// replaced, so runc loses SystemdCgroup and the registry path and sandbox
// image fall back to containerd's defaults. It is why CheckDropIn exists.
func TestGuideDropInOnContainerd1(t *testing.T) {
	guide := testkit.ReadTestdata(t, "guide-dropin.toml")
	dump := testkit.ContainerdDump(t, func(dir string) []byte {
		root := containerdconf.NodeadmRoot(pause)
		root.Imports = []string{dir + "/*.toml"}
		b, err := containerdconf.Render(root)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}, map[string][]byte{"00-nodeadm.toml": guide})
	got, err := containerdconf.Parse(dump)
	if err != nil {
		t.Fatal(err)
	}
	runc := got.CRI.Runtimes["runc"]
	if runc.SystemdCgroup != nil && *runc.SystemdCgroup {
		t.Errorf("runc kept SystemdCgroup = true; containerd 1.6 was expected to replace the CRI table")
	}
	if got.CRI.RegistryConfigPath == containerdconf.DefaultRegistryConfigPath || got.CRI.SandboxImage == pause {
		t.Errorf("registry %q / sandbox %q survived the replacement", got.CRI.RegistryConfigPath, got.CRI.SandboxImage)
	}

	// The library predicts exactly this.
	dropIn, err := containerdconf.Parse(guide)
	if err != nil {
		t.Fatal(err)
	}
	fs := containerdconf.CheckDropIn(dropIn, containerdconf.NodeadmRoot(pause))
	codes := codesOf(fs)
	for _, want := range []advice.Code{containerdconf.CodeDropInReplacesCRI, containerdconf.CodeSystemdCgroupMissing} {
		if !slices.Contains(codes, want) {
			t.Errorf("CheckDropIn(guide) codes = %v, missing %s", codes, want)
		}
	}
	for _, f := range fs {
		if f.Code == containerdconf.CodeDropInReplacesCRI {
			for _, lost := range []string{"sandbox image", "registry config_path", "CNI directories", `runtime "runc"`} {
				if !strings.Contains(f.Message, lost) {
					t.Errorf("replacement finding does not name %q: %s", lost, f.Message)
				}
			}
		}
	}

	// A complete drop-in (the one gpu renders) loses nothing.
	complete := gpuConfig(2)
	if fs := containerdconf.CheckDropIn(complete, containerdconf.NodeadmRoot(pause)); len(fs) != 0 {
		t.Errorf("complete drop-in has findings: %v", fs)
	}
}

func codesOf(fs []advice.Finding) []advice.Code {
	var out []advice.Code
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name      string
		toml      string
		wantCode  advice.Code
		wantField string
	}{
		{"runtime type missing", "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.nvidia.options]\nSystemdCgroup = true\n",
			containerdconf.CodeRuntimeTypeMissing, `plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia.runtime_type`},
		{"no SystemdCgroup", "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\nruntime_type = \"io.containerd.runc.v2\"\n",
			containerdconf.CodeSystemdCgroupMissing, `plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options.SystemdCgroup`},
		{"default undefined", "version = 3\n[plugins.\"io.containerd.cri.v1.runtime\".containerd]\ndefault_runtime_name = \"nvidia\"\n",
			containerdconf.CodeDefaultRuntimeUndef, `plugins."io.containerd.cri.v1.runtime".containerd.default_runtime_name`},
		{"v3 keys in v2", "version = 2\n[plugins.\"io.containerd.cri.v1.runtime\".containerd]\ndefault_runtime_name = \"runc\"\n",
			containerdconf.CodeWrongVersionKeys, "plugins"},
		{"v2 keys in v3", "version = 3\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\ndefault_runtime_name = \"runc\"\n",
			containerdconf.CodeWrongVersionKeys, `plugins."io.containerd.grpc.v1.cri"`},
		{"removed keys", "version = 3\n[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.runc]\nruntime_type = \"io.containerd.runc.v2\"\nruntime_root = \"\"\n[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.runc.options]\nSystemdCgroup = true\n",
			containerdconf.CodeRemovedKeys, `plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc`},
		{"no version", "[plugins.cri.containerd]\ndefault_runtime_name = \"runc\"\n[plugins.cri.containerd.runtimes.runc]\nruntime_type = \"io.containerd.runc.v2\"\n[plugins.cri.containerd.runtimes.runc.options]\nSystemdCgroup = true\n",
			containerdconf.CodeVersionMissing, "version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := containerdconf.Parse([]byte(tt.toml))
			if err != nil {
				t.Fatal(err)
			}
			fs := containerdconf.Check(c)
			if len(fs) != 1 || fs[0].Code != tt.wantCode || fs[0].Field != tt.wantField {
				t.Fatalf("Check = %v\nwant one %s at %s", fs, tt.wantCode, tt.wantField)
			}
		})
	}
}

func TestCheckDropInVersion(t *testing.T) {
	root := containerdconf.NodeadmRoot(pause)
	for _, tc := range []struct {
		version int
		code    advice.Code
	}{{3, containerdconf.CodeDropInNewerThanRoot}, {4, containerdconf.CodeDropInNewerThanRoot}} {
		d := gpuConfig(3)
		d.Version = tc.version
		fs := containerdconf.CheckDropIn(d, root)
		if !slices.Contains(codesOf(fs), tc.code) {
			t.Errorf("version %d: codes %v, want %s", tc.version, codesOf(fs), tc.code)
		}
	}
	newRoot := gpuConfig(3)
	if fs := containerdconf.CheckDropIn(gpuConfig(2), newRoot); !slices.Contains(codesOf(fs), containerdconf.CodeDropInVersionDiffers) {
		t.Errorf("v2 drop-in under v3 root: %v", fs)
	}
	// A drop-in without a CRI table replaces nothing.
	if fs := containerdconf.CheckDropIn(containerdconf.Config{Version: 2}, root); len(fs) != 0 {
		t.Errorf("empty drop-in: %v", fs)
	}
}

func TestValidate(t *testing.T) {
	mutate := func(f func(*containerdconf.Config)) containerdconf.Config {
		c := gpuConfig(2)
		f(&c)
		return c
	}
	tests := []struct {
		name string
		cfg  containerdconf.Config
		path string
		typ  field.ErrorType
	}{
		{"version", mutate(func(c *containerdconf.Config) { c.Version = 1 }), "version", field.ErrorTypeNotSupported},
		{"default undefined", mutate(func(c *containerdconf.Config) { c.CRI.DefaultRuntimeName = "gpu" }), "cri.defaultRuntimeName", field.ErrorTypeInvalid},
		{"runtime name", mutate(func(c *containerdconf.Config) {
			c.CRI.Runtimes["Bad_Name"] = containerdconf.Runtime{Type: containerdconf.RuntimeTypeRuncV2}
		}), "cri.runtimes[Bad_Name]", field.ErrorTypeInvalid},
		{"runtime type", mutate(func(c *containerdconf.Config) {
			c.CRI.Runtimes["x"] = containerdconf.Runtime{}
		}), "cri.runtimes[x].type", field.ErrorTypeRequired},
		{"binary relative", mutate(func(c *containerdconf.Config) {
			r := c.CRI.Runtimes["nvidia"]
			r.BinaryName = "nvidia-container-runtime"
			c.CRI.Runtimes["nvidia"] = r
		}), "cri.runtimes[nvidia].binaryName", field.ErrorTypeInvalid},
		{"binary with quote", mutate(func(c *containerdconf.Config) {
			r := c.CRI.Runtimes["nvidia"]
			r.BinaryName = "/usr/bin/x\"\ny = 1"
			c.CRI.Runtimes["nvidia"] = r
		}), "cri.runtimes[nvidia].binaryName", field.ErrorTypeInvalid},
		{"sandbox with newline", mutate(func(c *containerdconf.Config) { c.CRI.SandboxImage = "pause\n[x]" }), "cri.sandboxImage", field.ErrorTypeInvalid},
		{"registry entry", mutate(func(c *containerdconf.Config) { c.CRI.RegistryConfigPath = "/etc/a:certs.d" }), "cri.registryConfigPath", field.ErrorTypeInvalid},
		{"cdi dir", mutate(func(c *containerdconf.Config) { c.CRI.CDISpecDirs = []string{"cdi"} }), "cri.cdiSpecDirs[0]", field.ErrorTypeInvalid},
		{"legacy keys in v3", mutate(func(c *containerdconf.Config) {
			c.Version = 3
			r := c.CRI.Runtimes["nvidia"]
			r.RuntimeRoot = ptr("")
			c.CRI.Runtimes["nvidia"] = r
		}), "cri.runtimes[nvidia].runtimeRoot", field.ErrorTypeForbidden},
		{"import relative", mutate(func(c *containerdconf.Config) { c.Imports = []string{"conf.d/*.toml"} }), "imports[0]", field.ErrorTypeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			errs := ivalidation.FieldErrors(err)
			if len(errs) != 1 || errs[0].Field != tt.path || errs[0].Type != tt.typ {
				t.Fatalf("Validate() = %v\nwant one %s at %s", err, tt.typ, tt.path)
			}
			if b, rerr := containerdconf.Render(tt.cfg); rerr == nil || b != nil {
				t.Errorf("Render accepted an invalid config")
			}
			if !strings.HasPrefix(err.Error(), "containerdconf: ") {
				t.Errorf("error lacks package prefix: %v", err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for name, in := range map[string]string{
		"syntax":       "version = \n",
		"wrong type":   "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\nSystemdCgroup = \"true\"\n",
		"version type": "version = \"2\"\n",
		"version 9":    "version = 9\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := containerdconf.Parse([]byte(in)); err == nil || !strings.HasPrefix(err.Error(), "containerdconf: ") {
				t.Errorf("Parse(%q) error = %v", in, err)
			}
		})
	}
	// Unknown plugins are tolerated.
	c, err := containerdconf.Parse([]byte("version = 2\n[plugins.\"io.containerd.snapshotter.v1.overlayfs\"]\nroot_path = \"/x\"\n[plugins.\"io.containerd.grpc.v1.cri\"]\nsandbox_image = \"p:1\"\n"))
	if err != nil || c.CRI.SandboxImage != "p:1" || len(c.PluginIDs) != 2 {
		t.Errorf("Parse with other plugin = %+v, %v", c, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, v := range []int{2, 3} {
		b, err := containerdconf.Render(gpuConfig(v))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\nsandbox_image = \"x\"\n"))
	f.Add([]byte("[plugins.cri.containerd.runtimes.runc]\nruntime_type = \"io.containerd.runc.v2\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := containerdconf.Parse(data)
		if err != nil {
			return
		}
		_ = containerdconf.Check(c)
		_ = containerdconf.CheckDropIn(c, containerdconf.NodeadmRoot(pause))
		if c.Validate() != nil {
			return
		}
		out, err := containerdconf.Render(c)
		if err != nil {
			t.Fatalf("Render of a valid parsed config failed: %v", err)
		}
		back, err := containerdconf.Parse(out)
		if err != nil {
			t.Fatalf("rendered output does not re-parse: %v\n%s", err, out)
		}
		if len(back.IgnoredKeys) != 0 {
			t.Fatalf("rendered output has keys containerd ignores: %q\n%s", back.IgnoredKeys, out)
		}
		// Render writes only what containerd reads, so the keys it would
		// ignore do not come back.
		back.PluginIDs, c.PluginIDs = nil, nil
		c.IgnoredKeys = nil
		if !reflect.DeepEqual(back, normalise(c)) {
			t.Fatalf("round trip changed the config:\n%+v\n%+v", back, c)
		}
	})
}

// normalise drops what Render cannot distinguish: empty tables.
func normalise(c containerdconf.Config) containerdconf.Config {
	if c.CRI != nil && reflect.DeepEqual(*c.CRI, containerdconf.CRI{}) && c.Version == 2 {
		c.CRI = &containerdconf.CRI{}
	}
	return c
}

func ExampleCheckDropIn() {
	guide := []byte(`version = 2
[plugins."io.containerd.grpc.v1.cri".containerd]
  default_runtime_name = "nvidia"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia.options]
      BinaryName = "/usr/bin/nvidia-container-runtime"
`)
	dropIn, err := containerdconf.Parse(guide)
	if err != nil {
		panic(err)
	}
	for _, f := range containerdconf.CheckDropIn(dropIn, containerdconf.NodeadmRoot("602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8")) {
		fmt.Println(f.Level, f.Code)
	}
	// Output:
	// error containerdconf/dropin-replaces-cri
	// error containerdconf/systemd-cgroup-missing
}

func ExampleRender() {
	t := true
	b, err := containerdconf.Render(containerdconf.Config{
		Version: 3,
		CRI: &containerdconf.CRI{
			DefaultRuntimeName: "nvidia",
			Runtimes: map[string]containerdconf.Runtime{
				"nvidia": {Type: containerdconf.RuntimeTypeRuncV2, BinaryName: "/usr/bin/nvidia-container-runtime", SystemdCgroup: &t},
			},
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Print(string(b))
	// Output:
	// version = 3
	//
	// [plugins]
	// [plugins.'io.containerd.cri.v1.runtime']
	// [plugins.'io.containerd.cri.v1.runtime'.containerd]
	// default_runtime_name = 'nvidia'
	//
	// [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes]
	// [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.nvidia]
	// runtime_type = 'io.containerd.runc.v2'
	//
	// [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.nvidia.options]
	// BinaryName = '/usr/bin/nvidia-container-runtime'
	// SystemdCgroup = true
}
