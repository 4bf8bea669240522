package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/inspect"
)

// writeReference renders the reference blueprint into a new folder with
// its bundle.json, as examples/render does, and returns the folder and
// the bundle.
func writeReference(t *testing.T) (string, blueprint.Bundle) {
	t.Helper()
	b, _, err := blueprint.Render(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range b.Files() {
		write(f.Path, f.Content)
	}
	idx, err := b.IndexJSON()
	if err != nil {
		t.Fatal(err)
	}
	write(blueprint.IndexPath, idx)
	return dir, b
}

// referenceContext writes the reference blueprint as YAML for -context.
func referenceContext(t *testing.T) string {
	t.Helper()
	y, err := blueprint.Marshal(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "blueprint.yaml")
	if err := os.WriteFile(p, y, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runJSON runs the command with -json and decodes its findings.
func runJSON(t *testing.T, args ...string) (int, []jsonFinding, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append([]string{"-json"}, args...), &out, &errOut)
	var fs []jsonFinding
	if out.Len() > 0 {
		if err := json.Unmarshal(out.Bytes(), &fs); err != nil {
			t.Fatalf("-json output is not a JSON array of findings: %v\n%s", err, out.String())
		}
	}
	return code, fs, errOut.String()
}

// TestReferenceBundleInspectsClean: what hybridkit renders, inspect reads
// back without a finding, with and without the blueprint as context, and
// names every file by the kind the bundle gives it.
func TestReferenceBundleInspectsClean(t *testing.T) {
	dir, b := writeReference(t)
	ctx := referenceContext(t)
	for _, args := range [][]string{{dir}, {"-context", ctx, dir}} {
		code, fs, stderr := runJSON(t, args...)
		if code != 0 || len(fs) != 0 || stderr != "" {
			t.Errorf("inspect %v = exit %d, %d findings, stderr %q; want a clean exit:\n%+v", args, code, len(fs), stderr, fs)
		}
	}
	var inputs []inspect.Input
	for _, f := range b.Files() {
		inputs = append(inputs, inspect.Input{Name: f.Path, Data: f.Content})
	}
	idx, _ := b.IndexJSON()
	inputs = append(inputs, inspect.Input{Name: blueprint.IndexPath, Data: idx})
	results, err := inspect.Files(inspect.Context{}, inputs...)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range b.Files() {
		if got := results[i].Kind; string(got) != string(f.Kind) {
			t.Errorf("%s: inspected as %s, rendered as %s", f.Path, got, f.Kind)
		}
	}
	if got := results[len(results)-1].Kind; got != inspect.KindBundle {
		t.Errorf("%s: inspected as %s", blueprint.IndexPath, got)
	}
}

// TestEveryKindRoundTrips: the reference bundle and captures of the
// reference site's real command output (AWS CLI, ip route, nvidia-smi,
// os-release, ping, iperf3) cover every kind inspect reads, and all of
// them inspect clean against the reference blueprint.
func TestEveryKindRoundTrips(t *testing.T) {
	dir, _ := writeReference(t)
	real := filepath.Join("..", "..", "inspect", "testdata", "real")
	var out, errOut bytes.Buffer
	if code := run([]string{"-context", referenceContext(t), dir, real}, &out, &errOut); code != 0 || errOut.Len() != 0 {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errOut.String(), out.String())
	}
	seen := map[inspect.Kind]bool{}
	for _, line := range strings.Split(out.String(), "\n") {
		name, rest, ok := strings.Cut(line, " (")
		if !ok || name == "" {
			continue
		}
		kind, verdict, _ := strings.Cut(rest, "): ")
		if verdict != "no findings" {
			t.Errorf("%s", line)
		}
		seen[inspect.Kind(kind)] = true
	}
	for _, k := range inspect.Kinds() {
		if !seen[k] {
			t.Errorf("no file of kind %s was inspected", k)
		}
	}
	if !strings.HasSuffix(out.String(), ": 0 error, 0 warning, 0 info.\n") {
		t.Errorf("summary line: %q", out.String()[max(0, out.Len()-80):])
	}
}

// TestGuideSnippetsFail: the adoption guide's files exit 1 with error
// findings, each with the file, kind, code and a line where the parser
// knows it.
func TestGuideSnippetsFail(t *testing.T) {
	code, fs, _ := runJSON(t, filepath.Join("..", "..", "inspect", "testdata", "guide"))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	errs, lines := 0, 0
	for _, f := range fs {
		if f.File == "" || f.Kind == "" || f.Code == "" || f.Message == "" {
			t.Errorf("incomplete finding %+v", f)
		}
		if f.Level == advice.Error {
			errs++
		}
		if f.Line > 0 {
			lines++
		}
	}
	if errs == 0 || lines == 0 {
		t.Errorf("%d findings, %d errors, %d with a line; want errors with lines", len(fs), errs, lines)
	}
	// The same run as text names each file once with its findings.
	var out, errOut bytes.Buffer
	if code := run([]string{filepath.Join("..", "..", "inspect", "testdata", "guide", "nodeconfig-gpu.yaml")}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "nodeconfig-gpu.yaml (nodeconfig): 4 finding(s)\n  error inspect/invalid: line 11: spec.hybrid.ssm.activationCode: ") {
		t.Errorf("text run: exit %d\n%s", code, out.String())
	}
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("cluster: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		text string
	}{
		{"no files", nil, 2, "usage: inspect"},
		{"unknown flag", []string{"-x", dir}, 2, "flag provided but not defined"},
		{"context unreadable", []string{"-context", filepath.Join(dir, "none.yaml"), dir}, 2, "-context"},
		{"context invalid", []string{"-context", bad, dir}, 2, "-context"},
		{"missing file", []string{filepath.Join(dir, "none")}, 1, "no such file"},
		{"empty folder", []string{dir + "/empty"}, 1, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tt.args, &out, &errOut); code != tt.code || !strings.Contains(errOut.String(), tt.text) {
				t.Errorf("exit %d, stderr %q; want %d containing %q", code, errOut.String(), tt.code, tt.text)
			}
		})
	}
}

// TestSkipsDotFilesAndLinks: a folder's dot-files and symbolic links are
// not read, so inspecting a checkout does not wander into .git or out of
// the folder.
func TestSkipsDotFilesAndLinks(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "named.conf")
	guide, err := os.ReadFile(filepath.Join("..", "..", "inspect", "testdata", "guide", "named.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{outside, filepath.Join(dir, ".git", "named.conf"), filepath.Join(dir, ".named.conf")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, guide, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.conf")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{dir}, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "0 file(s)") {
		t.Errorf("exit %d:\n%s%s", code, out.String(), errOut.String())
	}
	if slices.Contains(strings.Fields(out.String()), "named.conf") {
		t.Errorf("read a skipped file:\n%s", out.String())
	}
}
