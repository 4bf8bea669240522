package shellscript_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/internal/shellscript"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// hostile are values that would break or hijack a naively built script.
var hostile = []string{
	"",
	"plain",
	"with space",
	"it's",
	`"double"`,
	"$(touch /tmp/pwned)",
	"`id`",
	"${HOME}",
	"a;b",
	"a|b&c",
	"new\nline",
	"tab\tch",
	"*",
	"~root",
	"-n",
	"{a,b}",
	"back\\slash",
	"'",
	"''''",
	"é unicode ✓",
	"Key=Name,Value=x y",
	"do",
	"done",
}

// TestQuoteReservedWords: bash's reserved words are quoted although they
// are literal as arguments, so shellcheck (SC1010) and readers never take
// "ping -M do" for a loop; other bare words stay bare.
func TestQuoteReservedWords(t *testing.T) {
	for in, want := range map[string]string{"do": "'do'", "done": "'done'", "in": "'in'", "then": "'then'", "dont": "dont", "doing": "doing", "-M": "-M"} {
		if got := shellscript.Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestQuoteThroughBash(t *testing.T) {
	bash := testkit.Tool(t, "bash", "bash")
	s := shellscript.New("quoting test")
	for _, v := range hostile {
		s.Run(shellscript.Lit("printf"), shellscript.Lit("%s\\0"), shellscript.Lit(v))
	}
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := testkit.WriteFile(t, "q.sh", b)
	res := testkit.Run(t, t.TempDir(), bash, path)
	if res.Err != nil {
		t.Fatalf("bash: %v\n%s\n%s", res.Err, res.Stderr, b)
	}
	got := strings.Split(strings.TrimSuffix(string(res.Stdout), "\x00"), "\x00")
	if len(got) != len(hostile) {
		t.Fatalf("got %d words, want %d: %q", len(got), len(hostile), got)
	}
	for i := range hostile {
		if got[i] != hostile[i] {
			t.Errorf("word %d = %q, want %q", i, got[i], hostile[i])
		}
	}
}

func TestScriptShape(t *testing.T) {
	s := shellscript.New("title line\nsecond\x1bline")
	s.Set("VPC_ID", shellscript.Lit("vpc-0123"))
	s.Capture("RULE_ID",
		shellscript.Lit("aws"), shellscript.Lit("route53resolver"), shellscript.Lit("create-resolver-rule"),
		shellscript.Lit("--name"), shellscript.Lit("on-prem company.local"),
		shellscript.Lit("--domain-name"), shellscript.Lit("company.local"),
		shellscript.Lit("--query"), shellscript.Lit("ResolverRule.Id"),
		shellscript.Lit("--output"), shellscript.Lit("text"))
	s.Run(shellscript.Lit("aws"), shellscript.Lit("route53resolver"), shellscript.Lit("associate-resolver-rule"),
		shellscript.Lit("--resolver-rule-id"), shellscript.Ref("RULE_ID"),
		shellscript.Lit("--vpc-id"), shellscript.Join(shellscript.Ref("VPC_ID")))
	s.Run(shellscript.Lit("A=B"), shellscript.Lit("x=y"))
	got, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := `#!/usr/bin/env bash
# title line
# second line
set -euo pipefail
VPC_ID=vpc-0123
RULE_ID="$(aws route53resolver create-resolver-rule \
    --name 'on-prem company.local' \
    --domain-name company.local \
    --query ResolverRule.Id \
    --output text)"
aws route53resolver associate-resolver-rule \
  --resolver-rule-id "${RULE_ID}" \
  --vpc-id "${VPC_ID}"
'A=B' x=y
`
	if string(got) != want {
		t.Errorf("script =\n%s\nwant\n%s", got, want)
	}
	if bash := testkit.Tool(t, "bash", "bash"); bash != "" {
		res := testkit.Run(t, "", bash, "-n", testkit.WriteFile(t, "s.sh", got))
		if res.Err != nil {
			t.Errorf("bash -n: %v %s", res.Err, res.Stderr)
		}
	}
}

func TestScriptErrors(t *testing.T) {
	s := shellscript.New("x")
	s.Set("1BAD", shellscript.Lit("v"))
	s.Run(shellscript.Lit("echo"), shellscript.Ref("UNSET"))
	s.Run()
	_, err := s.Bytes()
	if err == nil {
		t.Fatal("Bytes succeeded, want error")
	}
	for _, want := range []string{`invalid variable name "1BAD"`, `unset variable "UNSET"`, "empty command"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// unquote is a reference reader for the words Quote produces: bare words,
// and single-quoted runs with '\” for a quote. It returns false for
// anything else, so the fuzz target fails if Quote emits a form that a
// shell would read differently.
func unquote(w string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(w); {
		switch {
		case w[i] == '\'':
			end := strings.IndexByte(w[i+1:], '\'')
			if end < 0 {
				return "", false
			}
			b.WriteString(w[i+1 : i+1+end])
			i += end + 2
		case w[i] == '\\' && i+1 < len(w) && w[i+1] == '\'':
			b.WriteByte('\'')
			i += 2
		case strings.IndexByte(" \t\n;&|<>()$`\"\\*?[]#~{}!", w[i]) >= 0:
			return "", false
		default:
			b.WriteByte(w[i])
			i++
		}
	}
	return b.String(), true
}

func FuzzQuote(f *testing.F) {
	for _, h := range hostile {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := shellscript.Quote(s)
		got, ok := unquote(q)
		if !ok || got != s {
			t.Fatalf("Quote(%q) = %s reads back as %q (ok=%v)", s, q, got, ok)
		}
		// A comment built from any text stays one comment per line.
		sc := shellscript.New(s)
		b, err := sc.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))[1:] {
			if !bytes.HasPrefix(line, []byte("#")) && string(line) != "set -euo pipefail" {
				t.Fatalf("comment escaped into code: %q", line)
			}
		}
	})
}

func TestWaitFor(t *testing.T) {
	bash := testkit.Tool(t, "bash", "bash")
	dir := t.TempDir()
	// state prints "pending" twice, then "available".
	state := testkit.WriteFileIn(t, dir, "state", []byte("#!/bin/sh\nn=$(cat count 2>/dev/null || echo 0)\necho $((n + 1)) > count\nif [ \"$n\" -ge 2 ]; then echo available; else echo pending; fi\n"))
	if err := os.Chmod(state, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		attempts int
		ok       bool
	}{
		{"becomes available", 5, true},
		{"times out", 2, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_ = os.Remove(dir + "/count")
			s := shellscript.New("wait")
			s.WaitFor("available", tt.attempts, 1, shellscript.Lit(state), shellscript.Lit("it's quoted"))
			b, err := s.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			res := testkit.Run(t, dir, bash, testkit.WriteFile(t, "w.sh", b))
			switch {
			case tt.ok && res.Err != nil:
				t.Fatalf("script failed: %v %s\n%s", res.Err, res.Stderr, b)
			case !tt.ok && (res.Err == nil || !strings.Contains(string(res.Stderr), "timed out waiting for available")):
				t.Fatalf("script = %v %q, want a timeout\n%s", res.Err, res.Stderr, b)
			}
		})
	}
	s := shellscript.New("x")
	s.WaitFor("available", 0, 1, shellscript.Lit("true"))
	if _, err := s.Bytes(); err == nil {
		t.Error("WaitFor accepted zero attempts")
	}
}

// TestRequireAndMustFail runs each guard through bash on both sides: an
// empty answer and a command that succeeds stop the script with the
// message; a non-empty answer and a failing command let it go on.
func TestRequireAndMustFail(t *testing.T) {
	bash := testkit.Tool(t, "bash", "bash")
	for _, tt := range []struct {
		name  string
		build func(s *shellscript.Script)
		ok    bool
		msg   string
	}{
		{"answer present", func(s *shellscript.Script) {
			s.Capture("OUT", shellscript.Lits("echo", "10.0.1.5")...)
			s.Require("OUT", "no answer")
		}, true, ""},
		{"answer empty", func(s *shellscript.Script) {
			s.Capture("OUT", shellscript.Lits("printf", "")...)
			s.Require("OUT", "no answer, it's empty")
		}, false, "no answer, it's empty"},
		{"command fails as it must", func(s *shellscript.Script) {
			s.MustFail("one byte more passed", shellscript.Lit("false"))
		}, true, ""},
		{"command succeeds where it must not", func(s *shellscript.Script) {
			s.MustFail("one byte more passed", shellscript.Lit("true"))
		}, false, "one byte more passed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := shellscript.New("guards")
			tt.build(s)
			s.Run(shellscript.Lits("echo", "reached the end")...)
			b, err := s.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			res := testkit.Run(t, "", bash, testkit.WriteFile(t, "g.sh", b))
			if (res.Err == nil) != tt.ok || !tt.ok && !strings.Contains(string(res.Stderr), tt.msg) || tt.ok && !strings.Contains(string(res.Stdout), "reached the end") {
				t.Errorf("script = %v stdout %q stderr %q\n%s", res.Err, res.Stdout, res.Stderr, b)
			}
		})
	}
	s := shellscript.New("x")
	s.Require("NEVER_SET", "x")
	if _, err := s.Bytes(); err == nil {
		t.Error("Require of an unset variable was accepted")
	}
}
