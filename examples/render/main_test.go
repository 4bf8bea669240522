package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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
	if !strings.Contains(stderr.String(), "site.remoteNodeNetwork: Invalid value: \"192.168.10.0/24\": overlaps vpc network \"vpc\" (192.168.0.0/16, vpc.cidr)") {
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
