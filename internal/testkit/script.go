package testkit

import (
	"bytes"
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/internal/shellscript"
)

// RecordCommands runs script with bash, with a stub named cmd first on PATH
// (usually "aws"), and returns the argument vector of every call to the
// stub, in order. The stub succeeds and prints outputs[second argument]
// (for aws, the operation: a fake resource ID for
// `VAR=$(aws ec2 create-… --output text)`, "available" for a polled
// describe-…), or nothing. It checks what bash
// really passes to the program after quoting and expansion, which a text
// comparison of the script cannot. bash -n runs first so a syntax error is
// reported as such.
func RecordCommands(t testing.TB, script []byte, cmd string, outputs map[string]string) [][]string {
	t.Helper()
	bash := Tool(t, "bash", "bash")
	dir := t.TempDir()
	scriptPath := WriteFileIn(t, dir, "script.sh", script)
	if res := Run(t, dir, bash, "-n", scriptPath); res.Err != nil {
		t.Fatalf("bash -n: %v\n%s", res.Err, res.Stderr)
	}
	bin := filepath.Join(dir, "bin")
	log := filepath.Join(dir, "calls")
	// Each argument is written followed by NUL, each call followed by an
	// extra NUL-terminated "\x1e" record marker.
	var stub strings.Builder
	stub.WriteString("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> " + shellscript.Quote(log) + "; done\nprintf '\\036\\0' >> " + shellscript.Quote(log) + "\ncase \"$2\" in\n")
	for _, k := range slices.Sorted(maps.Keys(outputs)) {
		stub.WriteString(shellscript.Quote(k) + ") printf '%s\\n' " + shellscript.Quote(outputs[k]) + ";;\n")
	}
	stub.WriteString("esac\n")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, cmd), []byte(stub.String()), 0o755); err != nil {
		t.Fatal(err)
	}
	// A wait loop whose stub never answers as expected would sleep for the
	// script's whole budget: a minute is far more than any stubbed run needs.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, bash, scriptPath)
	c.Dir = dir
	c.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Run(); err != nil {
		t.Fatalf("running the script with a stub %s: %v (a wait loop the stub does not satisfy runs until the timeout)\n%s", cmd, err, stderr.Bytes())
	}
	data, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var calls [][]string
	var cur []string
	for _, a := range strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00") {
		if a == "\x1e" {
			calls = append(calls, cur)
			cur = nil
			continue
		}
		cur = append(cur, a)
	}
	return calls
}

// FlagValue returns the argument after flag in one call recorded by
// RecordCommands, failing the test when the flag or its value is missing.
func FlagValue(t testing.TB, call []string, flag string) string {
	t.Helper()
	i := slices.Index(call, flag)
	if i < 0 || i+1 >= len(call) {
		t.Fatalf("%s missing from %q", flag, call)
	}
	return call[i+1]
}
