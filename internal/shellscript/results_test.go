package shellscript_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/internal/shellscript"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// TestResultsScript runs a script with -o, Record and OnExit through bash:
// each command's output and exit status land in the folder, a failing
// command does not stop the script, and the exit command runs last.
func TestResultsScript(t *testing.T) {
	bash := testkit.Tool(t, "bash", "bash")
	s := shellscript.New("results")
	s.ResultsDir("OUT", "results default")
	s.OnExit(shellscript.Lits("echo", "cleaned up")...)
	s.OnExit(shellscript.Lits("sh", "-c", "echo then this; exit 1")...)
	s.ScriptDir("HERE")
	s.Run(shellscript.Lit("test"), shellscript.Lit("-f"), shellscript.Join(shellscript.Ref("HERE"), shellscript.Lit("/r.sh")))
	s.Record("OUT", "ok.txt", shellscript.Lits("echo", "it's fine")...)
	s.Record("OUT", "bad.txt", shellscript.Lits("sh", "-c", "echo broken >&2; exit 3")...)
	s.Run(shellscript.Lits("echo", "reached the end")...)
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	script := testkit.WriteFile(t, "r.sh", b)
	dir := filepath.Join(t.TempDir(), "a b")
	res := testkit.Run(t, "", bash, script, "-o", dir)
	if res.Err != nil || string(res.Stdout) != "reached the end\ncleaned up\nthen this\n" {
		t.Fatalf("script = %v stdout %q stderr %q\n%s", res.Err, res.Stdout, res.Stderr, b)
	}
	for name, want := range map[string]string{"ok.txt": "it's fine\n", "ok.txt.exit": "0\n", "bad.txt": "broken\n", "bad.txt.exit": "3\n"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	// The default folder, in the working directory.
	wd := t.TempDir()
	if res := testkit.Run(t, wd, bash, script); res.Err != nil {
		t.Fatal(res.Err)
	}
	if _, err := os.Stat(filepath.Join(wd, "results default", "ok.txt")); err != nil {
		t.Error(err)
	}
	// A wrong option is a usage error.
	if res := testkit.Run(t, wd, bash, script, "-x"); res.Err == nil || !strings.Contains(string(res.Stderr), "usage:") {
		t.Errorf("-x: %v %q", res.Err, res.Stderr)
	}
}

func TestResultsErrors(t *testing.T) {
	for name, build := range map[string]func(*shellscript.Script){
		"record into unset": func(s *shellscript.Script) { s.Record("OUT", "x", shellscript.Lit("true")) },
		"file with a slash": func(s *shellscript.Script) {
			s.ResultsDir("OUT", "r")
			s.Record("OUT", "../x", shellscript.Lit("true"))
		},
		"file with a space":  func(s *shellscript.Script) { s.ResultsDir("OUT", "r"); s.Record("OUT", "a b", shellscript.Lit("true")) },
		"dot dot":            func(s *shellscript.Script) { s.ResultsDir("OUT", "r"); s.Record("OUT", "..", shellscript.Lit("true")) },
		"invalid dir name":   func(s *shellscript.Script) { s.ResultsDir("1OUT", "r") },
		"empty exit command": func(s *shellscript.Script) { s.OnExit() },
	} {
		s := shellscript.New("x")
		build(s)
		if _, err := s.Bytes(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
