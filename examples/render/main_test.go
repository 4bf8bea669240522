package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
)

func TestRenderReference(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"Rendered the reference scenario", "Monthly cost: $24,489.00", "Findings: 0 error"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout.String())
		}
	}
	var idx struct{ Files []blueprint.IndexEntry }
	data, err := os.ReadFile(filepath.Join(out, "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &idx); err != nil {
		t.Fatal(err)
	}
	for _, e := range idx.Files {
		fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(e.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if e.Secret && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want 0600", e.Path, fi.Mode().Perm())
		}
		if int64(e.Bytes) != fi.Size() {
			t.Errorf("%s: index says %d bytes, file has %d", e.Path, e.Bytes, fi.Size())
		}
	}
	// Rendering again replaces the earlier bundle.
	if code := run([]string{"-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("second render: exit %d: %s", code, stderr.String())
	}
}

func TestInvalidBlueprintWritesNothing(t *testing.T) {
	dir := t.TempDir()
	y, err := blueprint.Marshal(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(y), "cidr: 10.0.0.0/16", "cidr: 192.168.0.0/16", 1)
	bad = strings.Replace(bad, "cluster:\n", "cluster:\n  color: blue\n", 1)
	file := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-blueprint", file, "-out", out}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "cluster.color: Forbidden: unknown field") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	// Without the unknown key the overlap is reported with its path.
	bad = strings.Replace(bad, "  color: blue\n", "", 1)
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run([]string{"-blueprint", file, "-out", out}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "site.remoteNodeNetwork: Invalid value: \"192.168.10.0/24\": overlaps vpc.cidr (192.168.0.0/16)") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("an invalid blueprint left %s behind", out)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("leftovers in %s: %v", dir, entries)
	}
}

func TestRefusesToReplaceAForeignFolder(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "precious.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", out}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if _, err := os.Stat(filepath.Join(out, "precious.txt")); err != nil {
		t.Error("the folder was replaced")
	}
}

func TestUsageAndModes(t *testing.T) {
	var stdout, stderr bytes.Buffer
	for _, args := range [][]string{{"-nope"}, {"extra"}} {
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	stdout.Reset()
	if code := run([]string{"-print-default"}, &stdout, &stderr); code != 0 {
		t.Fatal(code)
	}
	if _, err := blueprint.Parse(stdout.Bytes()); err != nil {
		t.Errorf("-print-default does not parse back: %v", err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "bp.yaml")
	if err := os.WriteFile(file, stdout.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	out := filepath.Join(dir, "out")
	if code := run([]string{"-blueprint", file, "-check", "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("-check: exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("-check wrote the bundle")
	}
	if !strings.Contains(stdout.String(), "is valid") {
		t.Errorf("-check output: %s", stdout.String())
	}
}

// referenceYAML returns the reference blueprint as YAML with replacements.
func referenceYAML(t *testing.T, replace ...string) string {
	t.Helper()
	y, err := blueprint.Marshal(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	doc := string(y)
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(doc, replace[i]) {
			t.Fatalf("the reference YAML has no %q", replace[i])
		}
		doc = strings.Replace(doc, replace[i], replace[i+1], 1)
	}
	return doc
}

// runBlueprint writes doc to a file and renders it into dir/out.
func runBlueprint(t *testing.T, dir, doc string, extra ...string) (code int, stdout, stderr string) {
	t.Helper()
	file := filepath.Join(dir, "bp.yaml")
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	var o, e bytes.Buffer
	code = run(append([]string{"-blueprint", file, "-out", filepath.Join(dir, "out")}, extra...), &o, &e)
	return code, o.String(), e.String()
}

// snapshot lists every path under dir with its mode and size, to show
// that a refused run changed nothing.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d\n", p, fi.Mode(), fi.Size())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHostileBlueprintsAreRefused(t *testing.T) {
	const activationCode = "EXAMPLE+activation+code+0123456789"
	for _, tc := range []struct {
		name    string
		replace []string
		want    string // in stderr
	}{
		{"pattern escapes the folder", []string{"hostnamePattern: gpu-node-%02d", "hostnamePattern: ../../escaped-%02d"}, "nodePools[0].hostnamePattern"},
		{"absolute pattern", []string{"hostnamePattern: gpu-node-%02d", "hostnamePattern: /tmp/escaped-%02d"}, "nodePools[0].hostnamePattern"},
		{"pattern with a second verb", []string{"hostnamePattern: gpu-node-%02d", "hostnamePattern: gpu-%s-%d"}, "nodePools[0].hostnamePattern"},
		{"huge count", []string{"count: 10", "count: 1000000000000"}, "nodePools[0].count"},
		{"count beyond int64", []string{"count: 10", "count: 99999999999999999999999"}, "nodePools[0].count"},
		{"negative replicas", []string{"autoscaler: true", "autoscaler: true\n  criticalReplicas: -3"}, "workloads.criticalReplicas"},
		{"image with a newline", []string{"autoscaler: true", "autoscaler: true\n  webImage: \"nginx\\n- name: evil\""}, "workloads.webImage"},
		{"tag on the activation code", []string{"activationCode: " + activationCode, "activationCode: !!int " + activationCode}, "credentials.ssm.activationCode"},
		{"second document", []string{"cluster:\n", "cluster:\n"}, "second document"},
		{"power that would overflow", []string{"table: tiered", "table: tiered\n  owned: {powerWatts: 9223372036854775807, pueMilli: 9223372036854775807, energyPerKwh: '1000000.00'}"}, "pricing.owned.powerWatts"},
		{"reverse zone of the pod network", []string{"  - company.local\n", "  - company.local\n  - 244.10.in-addr.arpa\n"}, "dns.zones[1]"},
		{"expiration that is not RFC 3339", []string{"expiration: \"2026-12-04T00:00:00Z\"", "expiration: 2026-12-04"}, "RFC 3339"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			doc := referenceYAML(t, tc.replace...)
			if tc.name == "second document" {
				doc += "---\ncluster: {}\n"
			}
			before := snapshot(t, dir)
			code, stdout, stderr := runBlueprint(t, dir, doc)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, stderr)
			}
			if strings.Contains(stdout+stderr, activationCode) {
				t.Errorf("the activation code was printed:\n%s", stderr)
			}
			// Only the blueprint file itself is new.
			if after := snapshot(t, dir); strings.Count(after, "\n") != strings.Count(before, "\n")+1 {
				t.Errorf("a refused blueprint changed the folder:\n%s", after)
			}
			if _, err := os.Stat(filepath.Join(dir, "..", "escaped-01.yaml")); err == nil {
				t.Error("a NodeConfig was written outside the output folder")
			}
		})
	}
}

func TestErrorOutputIsSafeToPrint(t *testing.T) {
	dir := t.TempDir()
	// A cluster name with a line break and an escape sequence, and a label
	// key a megabyte long.
	doc := referenceYAML(t, "name: gpu-hybrid-cluster", `name: "gpu\nerror: forged line\u001b[2J"`)
	doc = strings.Replace(doc, "  hostnamePattern:", "  labels: {"+strings.Repeat("k", 1<<20)+": v}\n  hostnamePattern:", 1)
	code, stdout, stderr := runBlueprint(t, dir, doc)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if !strings.HasPrefix(line, "render: ") && !strings.HasPrefix(line, "  ") {
			t.Errorf("a line that render did not start: %q", line)
		}
		if strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Errorf("control character in %q", line)
		}
		if len(line) > 4000 {
			t.Errorf("a %d-byte line", len(line))
		}
	}
}

func TestOutNeverDestroys(t *testing.T) {
	cases := outCases(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := tc.setup(t, dir)
			before := snapshot(t, dir)
			var stdout, stderr bytes.Buffer
			code := run([]string{"-out", out}, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, stderr.String())
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("the folder changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

type outCase struct {
	name  string
	code  int
	setup func(t *testing.T, dir string) string
}

func outCases(t *testing.T) []outCase {
	return []outCase{
		{"an existing file", 1, func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "notes.txt")
			writeFile(t, p, "keep me")
			return p
		}},
		{"a foreign folder", 1, func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "home")
			writeFile(t, filepath.Join(p, "thesis.tex"), "keep me")
			return p
		}},
		{"a folder with a stray bundle.json", 1, func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "home")
			writeFile(t, filepath.Join(p, "bundle.json"), `{"files":[]}`)
			writeFile(t, filepath.Join(p, "thesis.tex"), "keep me")
			return p
		}},
		{"a symbolic link to a bundle", 1, func(t *testing.T, dir string) string {
			target := filepath.Join(dir, "real")
			if err := os.Mkdir(target, 0o755); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "link")
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			return p
		}},
		{"an empty name", 2, func(t *testing.T, dir string) string { return "" }},
	}
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOutReplacesOnlyAnEarlierBundle(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	// A file the bundle does not list makes it someone's folder again.
	writeFile(t, filepath.Join(out, "kubernetes", "my-notes.yaml"), "keep me")
	if code := run([]string{"-out", out}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if _, err := os.Stat(filepath.Join(out, "kubernetes", "my-notes.yaml")); err != nil {
		t.Error("the added file is gone")
	}
}

// TestOutAsAnUnprivilegedUser runs the program as nobody against folders
// it may not read or write: each is refused and left as it was.
func TestOutAsAnUnprivilegedUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("dropping privileges needs root; as this user, TestOutNeverDestroys already runs unprivileged")
	}
	// t.TempDir's parent is private to root: these folders are not.
	shared := func(t *testing.T) string {
		d, err := os.MkdirTemp("", "render-nobody-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(d) })
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	bin := filepath.Join(shared(t), "render")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cases := append(outCases(t)[:4], outCase{"a folder it cannot read", 1, func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "private")
		writeFile(t, filepath.Join(p, "secret.txt"), "keep me")
		if err := os.Chmod(p, 0o700); err != nil {
			t.Fatal(err)
		}
		return p
	}}, outCase{"a folder in a parent it cannot write", 1, func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "locked")
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(p, "out")
	}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := shared(t)
			out := tc.setup(t, dir)
			before := snapshot(t, dir)
			cmd := exec.Command(bin, "-out", out)
			cmd.Dir = "/"
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			output, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("exit %v, want %d\n%s", err, tc.code, output)
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("the folder changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}
