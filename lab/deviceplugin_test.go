package lab_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// devicePluginBinary is the NVIDIA device plugin v0.20.0 built from its
// tag. github.com/NVIDIA/k8s-device-plugin is not served by the Go module
// proxy (it answers 403), so go install cannot fetch it; build it from a
// checkout and name it in HYBRIDKIT_DEVICE_PLUGIN:
//
//	git clone --branch v0.20.0 https://github.com/NVIDIA/k8s-device-plugin
//	cd k8s-device-plugin && go build -o /tmp/nvidia-device-plugin ./cmd/nvidia-device-plugin
//	HYBRIDKIT_DEVICE_PLUGIN=/tmp/nvidia-device-plugin go test -run DevicePlugin ./...
//
// Without it the test skips, also under HYBRIDKIT_REQUIRE_TOOLS: CI has
// no way to build it.
func devicePluginBinary(t *testing.T) string {
	t.Helper()
	p := os.Getenv("HYBRIDKIT_DEVICE_PLUGIN")
	if p == "" {
		t.Skip("HYBRIDKIT_DEVICE_PLUGIN is not set: build the NVIDIA device plugin v0.20.0 from its tag (the module proxy does not serve it) and name the binary there")
	}
	return p
}

// runDevicePlugin runs the plugin with the rendered config file and the
// rendered container's environment (paths moved into a temporary
// directory), without a GPU, and returns what it logged. It stops it after
// three seconds if it is still running.
func runDevicePlugin(t *testing.T, bin string, objs gpu.DevicePluginObjects, drop string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := testkit.WriteFileIn(t, dir, "config.yaml", []byte(objs.ConfigMap.Data["config.yaml"]))
	env := []string{"PATH=" + os.Getenv("PATH"), "CONFIG_FILE=" + cfg, "KUBELET_SOCKET=" + filepath.Join(dir, "kubelet.sock"), "FAIL_ON_INIT_ERROR=true"}
	ctr := pluginContainer(t, objs.DaemonSet)
	for _, e := range ctr.Env {
		if e.Name == drop || e.Name == "CONFIG_FILE" || e.Name == "FAIL_ON_INIT_ERROR" || e.ValueFrom != nil {
			continue
		}
		env = append(env, e.Name+"="+e.Value)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
	return out.String()
}

func pluginContainer(t *testing.T, ds *appsv1.DaemonSet) corev1.Container {
	t.Helper()
	for _, c := range ds.Spec.Template.Spec.Containers {
		if strings.Contains(c.Image, "k8s-device-plugin") {
			return c
		}
	}
	t.Fatal("no device plugin container")
	return corev1.Container{}
}

// TestDevicePluginAcceptsTheRenderedMPSConfig runs the device plugin
// v0.20.0 on the rendered MPS configuration: its flag validation passes
// (it goes on to look for GPUs, which this machine has none of). The twin
// without MPS_ROOT — what hybridkit rendered before — stops with "using
// MPS requires --mps-root to be specified", on every GPU node.
func TestDevicePluginAcceptsTheRenderedMPSConfig(t *testing.T) {
	bin := devicePluginBinary(t)
	objs, err := gpu.DevicePlugin(gpu.DevicePluginOptions{Sharing: gpu.SharingMPS, Replicas: 4})
	if err != nil {
		t.Fatal(err)
	}
	const refused = "using MPS requires --mps-root to be specified"
	if out := runDevicePlugin(t, bin, objs, ""); strings.Contains(out, refused) || !strings.Contains(out, "Updating config with default resource matching patterns") {
		t.Errorf("the device plugin did not get past its flag validation with the rendered config:\n%s", out)
	}
	if out := runDevicePlugin(t, bin, objs, "MPS_ROOT"); !strings.Contains(out, refused) {
		t.Errorf("without MPS_ROOT the device plugin should refuse to start; it logged:\n%s", out)
	}
}
