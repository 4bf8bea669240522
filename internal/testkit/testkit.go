// Package testkit is shared by hybridkit's tests and imported only from
// _test.go files (the module's import test enforces this). It is the one
// place outside examples/ that touches the file system and runs programs:
// golden files under testdata/, and the real consumers (named-checkconf,
// containerd, nft, …) that every rendered format is checked with.
//
// Tools that are missing make a test skip with a clear message; with
// HYBRIDKIT_REQUIRE_TOOLS=1 (CI) they make it fail instead.
package testkit

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	nodev1 "k8s.io/api/node/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// update is the go/printer-style flag that rewrites golden files:
//
//	go test ./nodeconfig -update
var update = flag.Bool("update", false, "rewrite golden files under testdata/ with the current output")

// Updating reports whether the test run rewrites golden files (-update).
func Updating() bool { return *update }

// Golden compares got with testdata/name and fails the test on a difference.
// With -update it writes got to the file instead.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update to accept):\n%s", path, diff(want, got))
	}
}

// ReadTestdata returns the content of testdata/name.
func ReadTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// diff shows the first differing line with a little context; enough to find
// the change, without a diff library.
func diff(want, got []byte) string {
	wl := bytes.Split(want, []byte("\n"))
	gl := bytes.Split(got, []byte("\n"))
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g)
		}
	}
	return "(same lines, different bytes)"
}

// RequireTools reports whether a missing consumer must fail the test rather
// than skip it.
func RequireTools() bool { return os.Getenv("HYBRIDKIT_REQUIRE_TOOLS") == "1" }

// Tool returns the path of program name. When it is missing the test is
// skipped, or failed under HYBRIDKIT_REQUIRE_TOOLS=1; the message names the
// Debian package that provides it.
func Tool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin"} {
		if c := filepath.Join(dir, name); isExecutable(c) {
			return c
		}
	}
	msg := name + " not found (apt-get install -y " + debianPackage + "); the rendered output was not checked by its real consumer"
	if RequireTools() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// Result is what a consumer printed.
type Result struct {
	Stdout, Stderr []byte
	Err            error
}

// Run runs a program with a one-minute limit and returns what it printed.
func Run(t testing.TB, dir string, prog string, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return Result{Stdout: out.Bytes(), Stderr: errb.Bytes(), Err: err}
}

// WriteFile writes content to name inside a fresh temporary directory owned
// by the test and returns the file's path.
func WriteFile(t testing.TB, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// WriteFileIn writes content to dir/name, creating parent directories.
func WriteFileIn(t testing.TB, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ContainerdDump writes the drop-ins to a config.d directory and the root
// config that rootFor returns for that directory (its imports should point
// there) to a temporary directory, and returns what
// `containerd --config <root> config dump` prints: the configuration
// containerd will really run with, after its defaults and the imports are
// merged.
func ContainerdDump(t testing.TB, rootFor func(dropInDir string) []byte, dropIns map[string][]byte) []byte {
	t.Helper()
	bin := Containerd1(t)
	dir := t.TempDir()
	dropInDir := filepath.Join(dir, "config.d")
	if err := os.MkdirAll(dropInDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range dropIns {
		WriteFileIn(t, dropInDir, name, b)
	}
	root := rootFor(dropInDir)
	rootPath := WriteFileIn(t, dir, "config.toml", root)
	res := Run(t, dir, bin, "--config", rootPath, "config", "dump")
	if res.Err != nil {
		t.Fatalf("containerd config dump: %v\n%s\nconfig:\n%s", res.Err, res.Stderr, root)
	}
	return res.Stdout
}

// Containerd1 returns a containerd 1.x binary (Debian's package): the
// version whose whole-table import semantics the version 2 configs are
// written for. A containerd 2.x earlier on PATH (the lab installs one with
// go install) is passed over.
func Containerd1(t testing.TB) string {
	t.Helper()
	candidates := []string{"/usr/bin/containerd", "/usr/sbin/containerd", "/usr/local/bin/containerd"}
	if p, err := exec.LookPath("containerd"); err == nil {
		candidates = append(candidates, p)
	}
	for _, c := range candidates {
		if !isExecutable(c) {
			continue
		}
		// "containerd github.com/containerd/containerd 1.6.20~ds1 …" (Debian)
		// or "… v1.7.27 …" (upstream builds).
		out, err := exec.Command(c, "--version").Output()
		if f := strings.Fields(string(out)); err == nil && len(f) >= 3 && strings.HasPrefix(strings.TrimPrefix(f[2], "v"), "1.") {
			return c
		}
	}
	msg := "containerd 1.x not found (apt-get install -y containerd); the rendered output was not checked by its real consumer"
	if RequireTools() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// DecodeManifests splits a multi-document YAML stream and strictly decodes
// each document into its k8s.io/api type, chosen by apiVersion and kind:
// an unknown field, a wrong type or an unknown kind fails the test. It
// returns the objects in order.
func DecodeManifests(t testing.TB, data []byte) []runtime.Object {
	t.Helper()
	var out []runtime.Object
	for i, doc := range bytes.Split(data, []byte("\n---\n")) {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal(doc, &tm); err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		obj, ok := newObject(tm)
		if !ok {
			t.Fatalf("document %d: no k8s.io/api type for %s %s", i, tm.APIVersion, tm.Kind)
		}
		if err := yaml.UnmarshalStrict(doc, obj); err != nil {
			t.Fatalf("document %d (%s): strict decoding failed: %v\n%s", i, tm.Kind, err, doc)
		}
		out = append(out, obj)
	}
	return out
}

func newObject(tm metav1.TypeMeta) (runtime.Object, bool) {
	switch tm.APIVersion + "/" + tm.Kind {
	case "v1/Pod":
		return &corev1.Pod{}, true
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}, true
	case "v1/Service":
		return &corev1.Service{}, true
	case "v1/ServiceAccount":
		return &corev1.ServiceAccount{}, true
	case "v1/PersistentVolume":
		return &corev1.PersistentVolume{}, true
	case "v1/PersistentVolumeClaim":
		return &corev1.PersistentVolumeClaim{}, true
	case "v1/Namespace":
		return &corev1.Namespace{}, true
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}, true
	case "apps/v1/DaemonSet":
		return &appsv1.DaemonSet{}, true
	case "batch/v1/Job":
		return &batchv1.Job{}, true
	case "node.k8s.io/v1/RuntimeClass":
		return &nodev1.RuntimeClass{}, true
	case "storage.k8s.io/v1/StorageClass":
		return &storagev1.StorageClass{}, true
	case "rbac.authorization.k8s.io/v1/ClusterRole":
		return &rbacv1.ClusterRole{}, true
	case "rbac.authorization.k8s.io/v1/ClusterRoleBinding":
		return &rbacv1.ClusterRoleBinding{}, true
	case "rbac.authorization.k8s.io/v1/Role":
		return &rbacv1.Role{}, true
	case "rbac.authorization.k8s.io/v1/RoleBinding":
		return &rbacv1.RoleBinding{}, true
	case "policy/v1/PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}, true
	}
	return nil, false
}
