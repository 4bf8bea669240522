package lab_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// guideDropIn is the adoption guide's spec.containerd.config, verbatim.
const guideDropIn = `version = 2
[plugins."io.containerd.grpc.v1.cri".containerd]
  default_runtime_name = "nvidia"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia]
    privileged_without_host_devices = false
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia.options]
      BinaryName = "/usr/bin/nvidia-container-runtime"
`

const (
	// nodeadmPause is the sandbox image nodeadm configures (aws/eks-hybrid
	// internal/aws/ecr), which the drop-in keeps; the standalone files
	// name pause:3.8.
	nodeadmPause    = "602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.5"
	standalonePause = "602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8"
	registryPath    = "/etc/containerd/certs.d:/etc/docker/certs.d"
	nvidiaBinary    = "/usr/bin/nvidia-container-runtime"
)

// criRuntime is one runtime as the CRI plugin runs it.
type criRuntime struct {
	Type                         string
	BinaryName                   string
	SystemdCgroup                bool
	PrivilegedWithoutHostDevices bool
}

// criState is what containerd's CRI plugin runs with.
type criState struct {
	DefaultRuntime string
	Runtimes       map[string]criRuntime
	SandboxImage   string
	ConfigPath     string
	// CNIBinDirs and CNIConfDir are where it looks for CNI plugins and
	// their configuration.
	CNIBinDirs []string
	CNIConfDir string
	// Ignored are the keys containerd says it ignores ("Ignoring unknown
	// key in TOML"): a setting that silently does nothing.
	Ignored []string
}

// startContainerd runs bin with a root config (its root, state and socket
// moved into a temporary directory) and drop-ins in config.d, and returns
// the CRI plugin's state as `crictl info` (and, for containerd 2.x, where
// crictl no longer shows the image settings, `containerd config dump`)
// report it.
func startContainerd(t *testing.T, bin string, root func(dropInDir string) containerdconf.Config, dropIns map[string][]byte) criState {
	t.Helper()
	dir := t.TempDir()
	dropInDir := filepath.Join(dir, "config.d")
	for name, b := range dropIns {
		testkit.WriteFileIn(t, dropInDir, name, b)
	}
	c := root(dropInDir)
	c.Root, c.State = filepath.Join(dir, "root"), filepath.Join(dir, "state")
	text, err := containerdconf.Render(c)
	if err != nil {
		t.Fatal(err)
	}
	return runContainerd(t, bin, dir, text)
}

// runContainerd runs bin with the config text (which must keep root and
// state inside dir) and a socket in dir, and reads the CRI state.
func runContainerd(t *testing.T, bin, dir string, text []byte) criState {
	t.Helper()
	crictl := goTool(t, "crictl", "sigs.k8s.io/cri-tools/cmd/crictl@v1.37.0")
	sock := filepath.Join(dir, "containerd.sock")
	text = append(text, []byte(fmt.Sprintf("\n[grpc]\naddress = %q\n", sock))...)
	cfg := testkit.WriteFileIn(t, dir, "config.toml", text)
	log := daemon(t, "", "containerd", bin, "--config", cfg)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("config:\n%s", text)
		}
	})
	var info []byte
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := exec.Command(crictl, "--runtime-endpoint", "unix://"+sock, "info").Output()
		if err == nil {
			info = out
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("crictl info: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var raw struct {
		Config struct {
			Containerd struct {
				DefaultRuntimeName string `json:"defaultRuntimeName"`
				Runtimes           map[string]struct {
					RuntimeType                  string         `json:"runtimeType"`
					Options                      map[string]any `json:"options"`
					PrivilegedWithoutHostDevices bool           `json:"privileged_without_host_devices"`
				} `json:"runtimes"`
			} `json:"containerd"`
			SandboxImage string `json:"sandboxImage"`
			Registry     struct {
				ConfigPath string `json:"configPath"`
			} `json:"registry"`
			CNI struct {
				BinDir  string   `json:"binDir"`  // containerd 1.x
				BinDirs []string `json:"binDirs"` // containerd 2.x
				ConfDir string   `json:"confDir"`
			} `json:"cni"`
		} `json:"config"`
	}
	if err := json.Unmarshal(info, &raw); err != nil {
		t.Fatalf("crictl info: %v\n%s", err, info)
	}

	st := criState{DefaultRuntime: raw.Config.Containerd.DefaultRuntimeName, SandboxImage: raw.Config.SandboxImage, ConfigPath: raw.Config.Registry.ConfigPath,
		CNIBinDirs: raw.Config.CNI.BinDirs, CNIConfDir: raw.Config.CNI.ConfDir, Runtimes: map[string]criRuntime{}}
	if raw.Config.CNI.BinDir != "" {
		st.CNIBinDirs = append(st.CNIBinDirs, raw.Config.CNI.BinDir)
	}
	for name, r := range raw.Config.Containerd.Runtimes {
		bn, _ := r.Options["BinaryName"].(string)
		sc, _ := r.Options["SystemdCgroup"].(bool)
		st.Runtimes[name] = criRuntime{r.RuntimeType, bn, sc, r.PrivilegedWithoutHostDevices}
	}
	logged, err := os.ReadFile(log.Name())
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(logged), "\n") {
		if strings.Contains(line, "Ignoring unknown key") {
			st.Ignored = append(st.Ignored, line)
		}
	}
	if st.SandboxImage == "" && st.ConfigPath == "" {
		// containerd 2.x: the image settings live in the images plugin.
		dump, err := exec.Command(bin, "--config", cfg, "config", "dump").Output()
		if err != nil {
			t.Fatalf("config dump: %v", err)
		}
		d, err := containerdconf.Parse(dump)
		if err != nil {
			t.Fatalf("parsing config dump: %v", err)
		}
		if d.CRI != nil {
			st.SandboxImage, st.ConfigPath = d.CRI.SandboxImage, d.CRI.RegistryConfigPath
		}
	}
	return st
}

// problems lists how a CRI state falls short of what a GPU node needs.
func (st criState) problems(pause string) []string {
	var p []string
	if st.DefaultRuntime != "nvidia" {
		p = append(p, "default runtime is "+st.DefaultRuntime+", not nvidia")
	}
	switch r, ok := st.Runtimes["nvidia"]; {
	case !ok || r.BinaryName != nvidiaBinary:
		p = append(p, "no nvidia runtime running "+nvidiaBinary)
	case r.Type != "io.containerd.runc.v2":
		p = append(p, "the nvidia runtime's type is "+r.Type)
	case r.PrivilegedWithoutHostDevices:
		p = append(p, "the nvidia runtime hides host devices from privileged pods")
	}
	if _, ok := st.Runtimes["runc"]; !ok {
		p = append(p, "the runc runtime is gone")
	}
	for _, name := range slices.Sorted(maps.Keys(st.Runtimes)) {
		if !st.Runtimes[name].SystemdCgroup {
			p = append(p, "runtime "+name+" lost SystemdCgroup")
		}
	}
	if !slices.Contains(st.CNIBinDirs, "/opt/cni/bin") || st.CNIConfDir != "/etc/cni/net.d" {
		p = append(p, fmt.Sprintf("CNI plugins in %q, their configuration in %q", st.CNIBinDirs, st.CNIConfDir))
	}
	if st.SandboxImage != pause {
		p = append(p, "sandbox image is "+st.SandboxImage)
	}
	if st.ConfigPath != registryPath {
		p = append(p, "registry config_path is "+fmt.Sprintf("%q", st.ConfigPath))
	}
	for _, l := range st.Ignored {
		p = append(p, "containerd ignores a key: "+l)
	}
	return p
}

func nodeadmRoot(dir string) containerdconf.Config {
	c := containerdconf.NodeadmRoot(nodeadmPause)
	c.Imports = []string{dir + "/*.toml"}
	return c
}

// TestContainerdRunsTheNVIDIARuntimeAsNodeadmSetsItUp starts containerd
// 1.6 (Debian) and 2.4 with nodeadm's root config and the rendered
// drop-in, and 2.4 with the standalone version 3 file, and reads the CRI
// plugin's state: nvidia is the default runtime, every runc runtime keeps
// SystemdCgroup, and the sandbox image and registry path survive.
func TestContainerdRunsTheNVIDIARuntimeAsNodeadmSetsItUp(t *testing.T) {
	requireRoot(t)
	bundle := render(t, blueprint.Reference())
	dropIn := file(t, bundle, "containerd/nodeadm-dropin.toml")
	cases := []struct {
		name  string
		bin   func(*testing.T) string
		root  func(string) containerdconf.Config
		drop  map[string][]byte
		pause string
	}{
		{"containerd-1.6/nodeadm-root+dropin", containerd1, nodeadmRoot, map[string][]byte{"00-nodeadm.toml": dropIn}, nodeadmPause},
		{"containerd-2.4/nodeadm-root+dropin", containerd2, nodeadmRoot, map[string][]byte{"00-nodeadm.toml": dropIn}, nodeadmPause},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := startContainerd(t, tc.bin(t), tc.root, tc.drop)
			if p := st.problems(tc.pause); len(p) > 0 {
				t.Errorf("%s: %v", tc.name, p)
			}
		})
	}
	// The standalone files, as rendered: only root and state move.
	for _, tc := range []struct {
		name, path string
		bin        func(*testing.T) string
	}{
		{"containerd-1.6/standalone-v2", "containerd/config-containerd1.toml", containerd1},
		{"containerd-2.4/standalone-v3", "containerd/config-containerd2.toml", containerd2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			st := runContainerd(t, tc.bin(t), dir, moved(t, file(t, bundle, tc.path), dir))
			if p := st.problems(standalonePause); len(p) > 0 {
				t.Errorf("%s: %v", tc.name, p)
			}
		})
	}
}

// moved returns a rendered config with its root and state directories
// (and nothing else) moved into dir.
func moved(t *testing.T, config []byte, dir string) []byte {
	t.Helper()
	out := regexp.MustCompile(`(?m)^root = '/var/lib/containerd'$`).ReplaceAll(config, []byte("root = '"+filepath.Join(dir, "root")+"'"))
	out = regexp.MustCompile(`(?m)^state = '/run/containerd'$`).ReplaceAll(out, []byte("state = '"+filepath.Join(dir, "state")+"'"))
	if strings.Count(string(out), dir) != 2 {
		t.Fatalf("the config's root and state lines were not found:\n%s", config)
	}
	return out
}

func containerd1(t *testing.T) string { return testkit.Containerd1(t) }

func containerd2(t *testing.T) string {
	return goTool(t, "containerd", "github.com/containerd/containerd/v2/cmd/containerd@v2.4.2")
}

// TestContainerdNegative shows what the library's drop-in prevents, each
// twin with the exact problems it causes on containerd 1.6 (which replaces
// a drop-in's plugin tables wholesale) and 2.4 (which merges them): the
// guide's drop-in loses runc, SystemdCgroup, the sandbox image and the
// registry path on 1.6
// and keeps them on 2.4 but for its own runtime; a drop-in without
// SystemdCgroup loses it for both runtimes on 1.6 and for nvidia on 2.4;
// a runtime type other than runc.v2 is reported as such.
func TestContainerdNegative(t *testing.T) {
	requireRoot(t)
	bundle := render(t, blueprint.Reference())
	dropIn := string(file(t, bundle, "containerd/nodeadm-dropin.toml"))
	noSystemd := strings.ReplaceAll(dropIn, "SystemdCgroup = true", "")
	wrongType := strings.Replace(dropIn, "runtime_type = 'io.containerd.runc.v2'", "runtime_type = 'io.containerd.runc.v1'", 1)
	for _, tc := range []struct {
		name   string
		bin    func(*testing.T) string
		dropIn string
		want   []string
	}{
		{"1.6/guide's drop-in", containerd1, guideDropIn, []string{"the runc runtime is gone", "runtime nvidia lost SystemdCgroup", "sandbox image is registry.k8s.io/pause:3.6", "registry config_path is \"\""}},
		{"2.4/guide's drop-in", containerd2, guideDropIn, []string{"runtime nvidia lost SystemdCgroup"}},
		{"1.6/drop-in without SystemdCgroup", containerd1, noSystemd, []string{"runtime nvidia lost SystemdCgroup", "runtime runc lost SystemdCgroup"}},
		{"2.4/drop-in without SystemdCgroup", containerd2, noSystemd, []string{"runtime nvidia lost SystemdCgroup"}},
		{"2.4/drop-in with another runtime type", containerd2, wrongType, []string{"the nvidia runtime's type is io.containerd.runc.v1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := startContainerd(t, tc.bin(t), nodeadmRoot, map[string][]byte{"00-nodeadm.toml": []byte(tc.dropIn)})
			got := st.problems(nodeadmPause)
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems %q, want exactly %q", got, tc.want)
			}
		})
	}
}

// TestContainerdIgnoredKeysNegative shows the lab catches a key containerd
// 2.x ignores: the standalone version 3 file as hybridkit wrote it before
// (enable_cdi, which 2.x no longer reads, and cni.bin_dir, which became
// bin_dirs) makes containerd 2.4 log "Ignoring unknown key".
func TestContainerdIgnoredKeysNegative(t *testing.T) {
	requireRoot(t)
	bundle := render(t, blueprint.Reference())
	dir := t.TempDir()
	old := strings.NewReplacer(
		"root = '/var/lib/containerd'", "root = '"+filepath.Join(dir, "root")+"'",
		"state = '/run/containerd'", "state = '"+filepath.Join(dir, "state")+"'",
		"[plugins.'io.containerd.cri.v1.runtime']\n", "[plugins.'io.containerd.cri.v1.runtime']\nenable_cdi = true\n",
		"bin_dirs = ['/opt/cni/bin']", "bin_dir = '/opt/cni/bin'",
	).Replace(string(file(t, bundle, "containerd/config-containerd2.toml")))
	st := runContainerd(t, containerd2(t), dir, []byte(old))
	got := strings.Join(st.Ignored, "\n")
	for _, key := range []string{"enable_cdi", "bin_dir"} {
		if !strings.Contains(got, key) {
			t.Errorf("containerd 2.4 did not report %s as ignored; it logged:\n%s", key, got)
		}
	}
}
