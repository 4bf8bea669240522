package gpu_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

func TestParseOSRelease(t *testing.T) {
	id, ver, err := gpu.ParseOSRelease(testkit.ReadTestdata(t, "host-os.txt"))
	if err != nil || id != "ubuntu" || ver != "24.04" {
		t.Errorf("ParseOSRelease = %q %q %v", id, ver, err)
	}
	if _, _, err := gpu.ParseOSRelease([]byte("NAME=x\n")); err == nil {
		t.Errorf("accepted os-release without ID")
	}
}

func TestCheckHost(t *testing.T) {
	good := gpu.HostFacts{OSID: "ubuntu", OSVersion: "22.04", Kernel: "5.15.0-91-generic", DriverVersion: "580.159.04",
		ContainerdVersion: "2.1.5", ToolkitVersion: "1.20.0", GPUs: []string{"h200"}, KubernetesVersion: "1.35", CNI: "cilium"}
	tests := []struct {
		name  string
		mut   func(*gpu.HostFacts)
		codes []advice.Code // besides the containerd-config-version info
	}{
		{"good", func(*gpu.HostFacts) {}, nil},
		{"ubuntu 18.04", func(h *gpu.HostFacts) { h.OSVersion = "18.04" }, []advice.Code{gpu.CodeOSUnsupported}},
		{"rhel 9.4", func(h *gpu.HostFacts) { h.OSID, h.OSVersion = "rhel", "9.4" }, nil},
		{"rhel 7", func(h *gpu.HostFacts) { h.OSID, h.OSVersion = "rhel", "7.9" }, []advice.Code{gpu.CodeOSUnsupported}},
		{"al2023", func(h *gpu.HostFacts) { h.OSID, h.OSVersion = "amzn", "2023" }, []advice.Code{gpu.CodeOSLimitedSupport}},
		{"debian", func(h *gpu.HostFacts) { h.OSID = "debian" }, []advice.Code{gpu.CodeOSUnsupported}},
		{"bottlerocket", func(h *gpu.HostFacts) { h.OSID = "bottlerocket" }, []advice.Code{gpu.CodeOSUnsupported}},
		{"ubuntu 20.04 kernel with cilium", func(h *gpu.HostFacts) { h.OSVersion, h.Kernel = "20.04", "5.4.0-200-generic" }, []advice.Code{gpu.CodeKernelForCilium}},
		{"old kernel with calico", func(h *gpu.HostFacts) { h.Kernel, h.CNI = "4.18.0-553.el8", "calico" }, nil},
		{"h200 on 535", func(h *gpu.HostFacts) { h.DriverVersion = "535.183.01" }, []advice.Code{gpu.CodeDriverTooOld}},
		{"h100 on 525", func(h *gpu.HostFacts) { h.DriverVersion, h.GPUs = "525.85.12", []string{"NVIDIA H100 80GB HBM3"} }, nil},
		{"h100 on 520", func(h *gpu.HostFacts) { h.DriverVersion, h.GPUs = "520.61.05", []string{"h100"} }, []advice.Code{gpu.CodeDriverTooOld}},
		{"unknown gpu", func(h *gpu.HostFacts) { h.GPUs = []string{"b200"} }, []advice.Code{gpu.CodeUnknownGPU}},
		{"containerd 1.5", func(h *gpu.HostFacts) { h.ContainerdVersion, h.KubernetesVersion = "1.5.13", "" }, []advice.Code{gpu.CodeContainerdTooOld}},
		{"containerd 1.6 on k8s 1.35", func(h *gpu.HostFacts) { h.ContainerdVersion = "1.6.36" }, []advice.Code{gpu.CodeContainerdK8sSkew}},
		{"containerd 2.1.4 on k8s 1.35", func(h *gpu.HostFacts) { h.ContainerdVersion = "2.1.4" }, []advice.Code{gpu.CodeContainerdK8sSkew}},
		{"old toolkit on containerd 2", func(h *gpu.HostFacts) { h.ToolkitVersion = "1.17.3" }, []advice.Code{gpu.CodeToolkitV3}},
		{"toolkit 1.18.0", func(h *gpu.HostFacts) { h.ToolkitVersion = "1.18.0" }, []advice.Code{gpu.CodeToolkitDropInPath, gpu.CodeToolkitRuntimeType}},
		{"toolkit 1.19.0", func(h *gpu.HostFacts) { h.ToolkitVersion = "1.19.0" }, []advice.Code{gpu.CodeToolkitRuntimeType}},
		{"garbage versions", func(h *gpu.HostFacts) { h.DriverVersion, h.Kernel = "latest", "vmlinuz" }, []advice.Code{gpu.CodeUnparsableVersion, gpu.CodeUnparsableVersion}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := good
			tt.mut(&h)
			var codes []advice.Code
			for _, f := range gpu.CheckHost(h) {
				if f.Code != gpu.CodeContainerdConfig {
					codes = append(codes, f.Code)
				}
			}
			slices.Sort(codes)
			want := slices.Clone(tt.codes)
			slices.Sort(want)
			if !slices.Equal(codes, want) {
				t.Errorf("codes = %v, want %v", codes, want)
			}
		})
	}
}

func ExampleCheckHost() {
	fs := gpu.CheckHost(gpu.HostFacts{
		OSID: "ubuntu", OSVersion: "20.04", Kernel: "5.4.0-200-generic", CNI: "cilium",
		DriverVersion: "535.183.01", GPUs: []string{"h200"},
		ContainerdVersion: "1.7.28", KubernetesVersion: "1.34",
	})
	for _, f := range fs {
		fmt.Println(f.Level, f.Code)
	}
	// Output:
	// error gpu/driver-too-old
	// error gpu/kernel-too-old-for-cilium
	// info gpu/containerd-config-version
}

// FuzzParseOSRelease: any bytes give an error or an ID; a parsed ID and
// version written back as os-release lines parse to themselves.
func FuzzParseOSRelease(f *testing.F) {
	f.Add([]byte("PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nID=ubuntu\nVERSION_ID=\"22.04\"\n"))
	f.Add([]byte("ID='rhel'\nVERSION_ID=9.4\n"))
	f.Add([]byte("ID=\"a\\\"b\"\n"))
	f.Add([]byte("no equals sign\nID=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		id, version, err := gpu.ParseOSRelease(data)
		if err != nil {
			return
		}
		if id == "" {
			t.Fatal("no error and no ID")
		}
		if strings.ContainsAny(id+version, "\n\r") {
			return // a quoted value may hold an escaped line break
		}
		again, againVersion, err := gpu.ParseOSRelease([]byte("ID=" + strconv.Quote(id) + "\nVERSION_ID=" + strconv.Quote(version) + "\n"))
		if err != nil || again != id || againVersion != version {
			t.Fatalf("%q %q read back as %q %q (%v)", id, version, again, againVersion, err)
		}
	})
}
