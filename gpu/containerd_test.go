package gpu_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

const region = "ap-northeast-2"

func TestRenderContainerdGolden(t *testing.T) {
	withExtras := gpu.DefaultContainerdOptions(gpu.TargetContainerd2, region)
	withExtras.EnableCDI = true
	withExtras.ExtraRuntimes = true
	for _, tc := range []struct {
		name   string
		target gpu.Target
		opts   gpu.ContainerdOptions
	}{
		{"containerd1.golden.toml", gpu.TargetContainerd1, gpu.DefaultContainerdOptions(gpu.TargetContainerd1, region)},
		{"containerd2.golden.toml", gpu.TargetContainerd2, gpu.DefaultContainerdOptions(gpu.TargetContainerd2, region)},
		{"nodeadm-dropin.golden.toml", gpu.TargetNodeadmDropIn, gpu.DefaultContainerdOptions(gpu.TargetNodeadmDropIn, region)},
		{"containerd2-cdi-extra.golden.toml", gpu.TargetContainerd2, withExtras},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := gpu.RenderContainerd(tc.target, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, tc.name, b)
			c, err := containerdconf.Parse(b)
			if err != nil {
				t.Fatalf("rendered TOML does not parse: %v", err)
			}
			if fs := containerdconf.Check(c); len(fs) != 0 {
				t.Errorf("rendered config has findings: %v", fs)
			}
			fs, err := gpu.CheckContainerd(b)
			if err != nil || len(fs) != 0 {
				t.Errorf("CheckContainerd = %v, %v", fs, err)
			}
		})
	}
}

// assertNvidiaRuntime checks what containerd itself reports.
func assertNvidiaRuntime(t *testing.T, dump []byte, sandbox string) {
	t.Helper()
	got, err := containerdconf.Parse(dump)
	if err != nil {
		t.Fatalf("parsing containerd's dump: %v", err)
	}
	cri := got.CRI
	nv := cri.Runtimes["nvidia"]
	if cri.DefaultRuntimeName != "nvidia" {
		t.Errorf("default runtime = %q, want nvidia", cri.DefaultRuntimeName)
	}
	if nv.BinaryName != gpu.DefaultBinaryPath || nv.Type != containerdconf.RuntimeTypeRuncV2 {
		t.Errorf("nvidia runtime = %+v", nv)
	}
	for _, name := range []string{"runc", "nvidia"} {
		if r := cri.Runtimes[name]; r.SystemdCgroup == nil || !*r.SystemdCgroup {
			t.Errorf("runtime %s runs without SystemdCgroup = true", name)
		}
	}
	if cri.SandboxImage != sandbox || cri.RegistryConfigPath != containerdconf.DefaultRegistryConfigPath || !slices.Equal(cri.CNIBinDirs, []string{"/opt/cni/bin"}) {
		t.Errorf("sandbox %q registry %q cni %q", cri.SandboxImage, cri.RegistryConfigPath, cri.CNIBinDirs)
	}
}

// TestContainerd1Standalone runs the version 2 standalone file through
// Debian's containerd (1.6) and reads back what it will run with.
func TestContainerd1Standalone(t *testing.T) {
	o := gpu.DefaultContainerdOptions(gpu.TargetContainerd1, region)
	b, err := gpu.RenderContainerd(gpu.TargetContainerd1, o)
	if err != nil {
		t.Fatal(err)
	}
	assertNvidiaRuntime(t, testkit.ContainerdDump(t, func(string) []byte { return b }, nil), o.SandboxImage)
}

// TestNodeadmDropInOnContainerd1 places the drop-in under a root file shaped
// like nodeadm's, as nodeadm does, and checks with containerd 1.6 that
// nothing of the root is lost and the NVIDIA runtime is the default.
func TestNodeadmDropInOnContainerd1(t *testing.T) {
	o := gpu.DefaultContainerdOptions(gpu.TargetNodeadmDropIn, region)
	if want, _ := containerdconf.EKSPauseImage(region, containerdconf.NodeadmPauseTag); o.SandboxImage != want {
		t.Errorf("the drop-in's sandbox image %s is not nodeadm's %s", o.SandboxImage, want)
	}
	dropIn, err := gpu.RenderContainerd(gpu.TargetNodeadmDropIn, o)
	if err != nil {
		t.Fatal(err)
	}
	dump := testkit.ContainerdDump(t, func(dir string) []byte {
		root := containerdconf.NodeadmRoot(o.SandboxImage)
		root.Imports = []string{dir + "/*.toml"}
		b, err := containerdconf.Render(root)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}, map[string][]byte{"00-nodeadm.toml": dropIn})
	assertNvidiaRuntime(t, dump, o.SandboxImage)
	parsed, _ := containerdconf.Parse(dropIn)
	if fs := containerdconf.CheckDropIn(parsed, containerdconf.NodeadmRoot(o.SandboxImage)); len(fs) != 0 {
		t.Errorf("CheckDropIn = %v", fs)
	}
}

func TestContainerdOptionsValidate(t *testing.T) {
	mut := func(f func(*gpu.ContainerdOptions)) gpu.ContainerdOptions {
		o := gpu.DefaultContainerdOptions(gpu.TargetContainerd1, region)
		f(&o)
		return o
	}
	tests := []struct {
		name string
		opts gpu.ContainerdOptions
		path string
		typ  field.ErrorType
	}{
		{"runtime name with space", mut(func(o *gpu.ContainerdOptions) { o.RuntimeName = "nvidia gpu" }), "runtimeName", field.ErrorTypeInvalid},
		{"runtime name with quote", mut(func(o *gpu.ContainerdOptions) { o.RuntimeName = `nv"idia` }), "runtimeName", field.ErrorTypeInvalid},
		{"runtime name runc", mut(func(o *gpu.ContainerdOptions) { o.RuntimeName = "runc" }), "runtimeName", field.ErrorTypeInvalid},
		{"binary relative", mut(func(o *gpu.ContainerdOptions) { o.BinaryPath = "nvidia-container-runtime" }), "binaryPath", field.ErrorTypeInvalid},
		{"binary newline", mut(func(o *gpu.ContainerdOptions) { o.BinaryPath = "/usr/bin/x\n[plugins]" }), "binaryPath", field.ErrorTypeInvalid},
		{"sandbox missing", mut(func(o *gpu.ContainerdOptions) { o.SandboxImage = "" }), "sandboxImage", field.ErrorTypeRequired},
		{"sandbox with quote", mut(func(o *gpu.ContainerdOptions) { o.SandboxImage = `pause:3.8"` }), "sandboxImage", field.ErrorTypeInvalid},
		{"cdi dirs without cdi", mut(func(o *gpu.ContainerdOptions) { o.CDISpecDirs = []string{"/etc/cdi"} }), "cdiSpecDirs", field.ErrorTypeForbidden},
		{"registry path", mut(func(o *gpu.ContainerdOptions) { o.RegistryConfigPath = "certs.d" }), "registryConfigPath", field.ErrorTypeInvalid},
		{"cni dir", mut(func(o *gpu.ContainerdOptions) { o.CNIConfDir = "/etc/cni/../net.d" }), "cniConfDir", field.ErrorTypeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			errs := ivalidation.FieldErrors(err)
			if len(errs) != 1 || errs[0].Field != tt.path || errs[0].Type != tt.typ {
				t.Fatalf("Validate() = %v, want one %s at %s", err, tt.typ, tt.path)
			}
			for _, target := range []gpu.Target{gpu.TargetContainerd1, gpu.TargetContainerd2, gpu.TargetNodeadmDropIn} {
				if b, err := gpu.RenderContainerd(target, tt.opts); err == nil || b != nil {
					t.Errorf("RenderContainerd(%s) rendered invalid options", target)
				}
			}
		})
	}
	if _, err := gpu.RenderContainerd(gpu.Target(9), gpu.DefaultContainerdOptions(gpu.TargetContainerd1, region)); err == nil {
		t.Errorf("unknown target accepted")
	}
}

func TestSetAsDefaultFalse(t *testing.T) {
	o := gpu.DefaultContainerdOptions(gpu.TargetContainerd2, region)
	no := false
	o.SetAsDefault = &no
	b, err := gpu.RenderContainerd(gpu.TargetContainerd2, o)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := containerdconf.Parse(b)
	if c.CRI.DefaultRuntimeName != "runc" {
		t.Errorf("default = %q", c.CRI.DefaultRuntimeName)
	}
	fs, _ := gpu.CheckContainerd(b)
	if len(fs) != 1 || fs[0].Code != gpu.CodeNVIDIANotDefault {
		t.Errorf("CheckContainerd = %v", fs)
	}
	if l := gpu.CheckContainerdOptions(gpu.TargetContainerd2, o); len(l) != 1 || l[0].Code != gpu.CodeRuntimeClassMissing {
		t.Errorf("Lint = %v", l)
	}
}

func TestCheckContainerd(t *testing.T) {
	tests := []struct {
		name  string
		toml  string
		codes []advice.Code
	}{
		{"no nvidia runtime", "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\nruntime_type = \"io.containerd.runc.v2\"\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\nSystemdCgroup = true\n",
			[]advice.Code{gpu.CodeNoNVIDIARuntime}},
		{"guide drop-in alone", string(testkit.ReadTestdata(t, "guide-dropin.toml")),
			[]advice.Code{containerdconf.CodeSystemdCgroupMissing}},
		{"nvidia not default, no systemd", "version = 3\n[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.nvidia]\nruntime_type = \"io.containerd.runc.v2\"\n[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.nvidia.options]\nBinaryName = \"/usr/bin/nvidia-container-runtime\"\n",
			[]advice.Code{containerdconf.CodeSystemdCgroupMissing, gpu.CodeNVIDIANotDefault}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := gpu.CheckContainerd([]byte(tt.toml))
			if err != nil {
				t.Fatal(err)
			}
			var codes []advice.Code
			for _, f := range fs {
				codes = append(codes, f.Code)
			}
			slices.Sort(codes)
			want := slices.Clone(tt.codes)
			slices.Sort(want)
			if !slices.Equal(codes, want) {
				t.Errorf("codes = %v, want %v", codes, want)
			}
		})
	}
	if _, err := gpu.CheckContainerd([]byte("version = \"2\"")); err == nil || !strings.HasPrefix(err.Error(), "gpu: ") {
		t.Errorf("bad TOML: %v", err)
	}
}

func TestTargetText(t *testing.T) {
	for _, tg := range []gpu.Target{gpu.TargetContainerd1, gpu.TargetContainerd2, gpu.TargetNodeadmDropIn} {
		b, err := tg.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back gpu.Target
		if err := back.UnmarshalText(b); err != nil || back != tg {
			t.Errorf("%s round trip = %v %v", tg, back, err)
		}
	}
	var tg gpu.Target
	if err := tg.UnmarshalText([]byte("containerd3")); err == nil {
		t.Errorf("unknown target parsed")
	}
	if _, err := gpu.Target(0).MarshalText(); err == nil {
		t.Errorf("zero target marshalled")
	}
}

// FuzzRenderContainerd: whatever the options, Render either refuses them or
// writes TOML that parses back to the same runtime name, binary and image.
func FuzzRenderContainerd(f *testing.F) {
	f.Add("nvidia", "/usr/bin/nvidia-container-runtime", "602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8", 0)
	f.Add("gpu\"x", "/usr/bin/a b", "pause\n", 1)
	f.Add("nv-2", "/opt/nvidia/bin/runtime", "registry.k8s.io/pause:3.10", 2)
	f.Fuzz(func(t *testing.T, name, binary, image string, target int) {
		o := gpu.ContainerdOptions{RuntimeName: name, BinaryPath: binary, SandboxImage: image}
		tg := gpu.Target(target%3 + 1)
		if target < 0 {
			tg = gpu.Target((-target)%3 + 1)
		}
		b, err := gpu.RenderContainerd(tg, o)
		if err != nil {
			return
		}
		c, err := containerdconf.Parse(b)
		if err != nil {
			t.Fatalf("rendered TOML does not parse: %v\n%s", err, b)
		}
		o.Default()
		rt, ok := c.CRI.Runtimes[o.RuntimeName]
		if !ok || rt.BinaryName != o.BinaryPath || c.CRI.SandboxImage != image {
			t.Fatalf("values changed in the round trip: %+v\n%s", c.CRI, b)
		}
	})
}

func ExampleRenderContainerd() {
	o := gpu.DefaultContainerdOptions(gpu.TargetNodeadmDropIn, "ap-northeast-2")
	b, err := gpu.RenderContainerd(gpu.TargetNodeadmDropIn, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, _ := containerdconf.Parse(b)
	fmt.Println("version", c.Version, "default", c.CRI.DefaultRuntimeName)
	for _, name := range c.CRI.RuntimeNames() {
		r := c.CRI.Runtimes[name]
		fmt.Println(name, r.Type, *r.SystemdCgroup, r.BinaryName)
	}
	// Output:
	// version 2 default nvidia
	// nvidia io.containerd.runc.v2 true /usr/bin/nvidia-container-runtime
	// runc io.containerd.runc.v2 true
}

func ExampleCheckContainerd() {
	hostConfig := []byte(`version = 2
[plugins."io.containerd.grpc.v1.cri".containerd]
  default_runtime_name = "nvidia"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia]
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia.options]
      BinaryName = "/usr/bin/nvidia-container-runtime"
`)
	fs, err := gpu.CheckContainerd(hostConfig)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fs {
		fmt.Println(f.Level, f.Code)
	}
	// Output:
	// error containerdconf/systemd-cgroup-missing
	// error containerdconf/runtime-type-missing
}

func TestCheckContainerdDropIn(t *testing.T) {
	root, err := containerdconf.Render(containerdconf.NodeadmRoot("602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8"))
	if err != nil {
		t.Fatal(err)
	}
	v3, err := gpu.RenderContainerd(gpu.TargetContainerd2, gpu.DefaultContainerdOptions(gpu.TargetContainerd2, region))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := gpu.CheckContainerdDropIn(v3, root)
	if err != nil || len(fs) != 1 || fs[0].Code != containerdconf.CodeDropInNewerThanRoot {
		t.Errorf("v3 drop-in under nodeadm's root: %v %v", fs, err)
	}
	fs, err = gpu.CheckContainerdDropIn(testkit.ReadTestdata(t, "guide-dropin.toml"), root)
	if err != nil || len(fs) != 2 {
		t.Errorf("guide drop-in: %v %v", fs, err)
	}
	if _, err := gpu.CheckContainerdDropIn([]byte("x ="), root); err == nil {
		t.Errorf("bad drop-in accepted")
	}
	if _, err := gpu.CheckContainerdDropIn(v3, []byte("x =")); err == nil {
		t.Errorf("bad root accepted")
	}
}

// FuzzTargetText: UnmarshalText accepts exactly what MarshalText writes.
func FuzzTargetText(f *testing.F) {
	for _, s := range []string{"containerd1", "containerd2", "nodeadm-dropin", "containerd3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var tg gpu.Target
		if tg.UnmarshalText([]byte(s)) != nil {
			return
		}
		out, err := tg.MarshalText()
		if err != nil || string(out) != s {
			t.Fatalf("%q → %v → %q, %v", s, tg, out, err)
		}
	})
}
