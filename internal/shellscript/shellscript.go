// Package shellscript writes bash scripts whose every argument is quoted by
// one function, so that no user value (a domain name, a description, a tag)
// can end a word, start a command or expand a variable.
//
// A script is a list of commands made of Words. A Word is literal text,
// a reference to a shell variable set earlier in the script, or a
// concatenation of both:
//
//	s := shellscript.New("create the transit gateway")
//	s.Capture("TGW_ID", shellscript.Lit("aws"), shellscript.Lit("ec2"), …)
//	s.Run(shellscript.Lit("echo"), shellscript.Ref("TGW_ID"))
//	b, err := s.Bytes()
//
// The output starts with "set -euo pipefail" so a failed AWS call stops the
// script instead of feeding an empty ID to the next one.
package shellscript

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// maxLine is where a command is wrapped before its next "--option".
const maxLine = 80

type part struct {
	text string
	ref  bool // text is a variable name
}

// Word is one shell word. The zero Word is the empty string (”).
type Word []part

// Lit returns a literal word: s reaches the command unchanged, whatever it
// contains.
func Lit(s string) Word { return Word{{text: s}} }

// Ref returns a word that expands to the value of the shell variable name
// (quoted, so the value is never split or globbed). Name must be set earlier
// with Set or Capture; Bytes reports an invalid name.
func Ref(name string) Word { return Word{{text: name, ref: true}} }

// Join concatenates words into one, for arguments such as
// SubnetId=${SUBNET},Ip=10.0.1.100.
func Join(ws ...Word) Word {
	var out Word
	for _, w := range ws {
		out = append(out, w...)
	}
	return out
}

// Lits returns one literal word per string.
func Lits(ss ...string) []Word {
	out := make([]Word, len(ss))
	for i, s := range ss {
		out[i] = Lit(s)
	}
	return out
}

// Script accumulates a bash script. The zero value is not usable; call New.
type Script struct {
	buf    bytes.Buffer
	vars   map[string]bool
	errs   []string
	onExit []string
}

// New starts a script with a shebang, the title as a comment and strict
// error handling.
func New(title string) *Script {
	s := &Script{vars: map[string]bool{}}
	s.buf.WriteString("#!/usr/bin/env bash\n")
	s.Comment(title)
	s.buf.WriteString("set -euo pipefail\n")
	return s
}

// Comment writes text as comment lines. Newlines start new comment lines;
// other control characters become spaces, so a comment can never end early.
func (s *Script) Comment(text string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f {
				return ' '
			}
			return r
		}, line)
		line = strings.TrimRight(line, " ")
		if line == "" {
			s.buf.WriteString("#\n")
			continue
		}
		s.buf.WriteString("# ")
		s.buf.WriteString(line)
		s.buf.WriteByte('\n')
	}
}

// Blank writes an empty line.
func (s *Script) Blank() { s.buf.WriteByte('\n') }

// Set assigns a value to a shell variable: NAME=value.
func (s *Script) Set(name string, value Word) {
	if !s.declare(name) {
		return
	}
	s.buf.WriteString(name)
	s.buf.WriteByte('=')
	s.buf.WriteString(s.word(value, false))
	s.buf.WriteByte('\n')
}

// Run writes one command. The first word is the program.
func (s *Script) Run(args ...Word) {
	s.buf.WriteString(s.command("", args))
	s.buf.WriteByte('\n')
}

// Capture runs a command and stores its standard output in a variable:
// NAME="$(command …)".
func (s *Script) Capture(name string, args ...Word) {
	if !s.declare(name) {
		return
	}
	s.buf.WriteString(name)
	s.buf.WriteString(`="$(`)
	s.buf.WriteString(s.command("  ", args))
	s.buf.WriteString(")\"\n")
}

// WaitFor polls a command every interval seconds until its standard
// output is want, and fails the script after attempts tries. It stands in
// for `aws … wait` where the CLI has no waiter (EC2 has none for transit
// gateways or their attachments):
//
//	attempt=0
//	until [ "$(command …)" = want ]; do
//	  attempt=$((attempt + 1))
//	  if [ "$attempt" -ge 90 ]; then echo 'timed out: …' >&2; exit 1; fi
//	  sleep 10
//	done
//
// A non-positive attempts or interval is recorded as an error for Bytes.
func (s *Script) WaitFor(want string, attempts, interval int, args ...Word) {
	if attempts <= 0 || interval <= 0 {
		s.errs = append(s.errs, fmt.Sprintf("WaitFor needs positive attempts and interval, got %d and %d", attempts, interval))
		return
	}
	s.buf.WriteString("attempt=0\nuntil [ \"$(")
	s.buf.WriteString(s.command("    ", args))
	s.buf.WriteString(")\" = ")
	s.buf.WriteString(quote(want, false))
	s.buf.WriteString(" ]; do\n  attempt=$((attempt + 1))\n  if [ \"$attempt\" -ge ")
	s.buf.WriteString(strconv.Itoa(attempts))
	s.buf.WriteString(" ]; then echo ")
	s.buf.WriteString(quote("timed out waiting for "+want, false))
	s.buf.WriteString(" >&2; exit 1; fi\n  sleep ")
	s.buf.WriteString(strconv.Itoa(interval))
	s.buf.WriteString("\ndone\n")
}

// Require stops the script with message unless the variable name, set
// earlier with Capture, is non-empty — for a command that succeeds with no
// answer, such as dig on a name that does not exist:
//
//	if [ -z "${NAME}" ]; then echo 'message' >&2; exit 1; fi
func (s *Script) Require(name, message string) {
	if !validName(name) || !s.vars[name] {
		s.errs = append(s.errs, fmt.Sprintf("Require of unset variable %q", name))
		return
	}
	s.buf.WriteString(`if [ -z "${` + name + `}" ]; then echo ` + quote(message, false) + " >&2; exit 1; fi\n")
}

// MustFail runs a command that must fail, and stops the script with
// message if it succeeds — the other half of a bound, such as a ping one
// byte over the path MTU:
//
//	if command …; then echo 'message' >&2; exit 1; fi
func (s *Script) MustFail(message string, args ...Word) {
	s.buf.WriteString("if ")
	s.buf.WriteString(s.command("  ", args))
	s.buf.WriteString("; then echo " + quote(message, false) + " >&2; exit 1; fi\n")
}

// Bytes returns the script, or an error naming every invalid variable name
// or reference to an unset variable.
func (s *Script) Bytes() ([]byte, error) {
	if len(s.errs) > 0 {
		return nil, fmt.Errorf("shellscript: %s", strings.Join(s.errs, "; "))
	}
	return bytes.Clone(s.buf.Bytes()), nil
}

func (s *Script) declare(name string) bool {
	if !validName(name) {
		s.errs = append(s.errs, fmt.Sprintf("invalid variable name %q", name))
		return false
	}
	s.vars[name] = true
	return true
}

// command renders args, wrapping before "--options" once the line is long.
func (s *Script) command(indent string, args []Word) string {
	if len(args) == 0 {
		s.errs = append(s.errs, "empty command")
		return ""
	}
	words := make([]string, len(args))
	total := 0
	for i, a := range args {
		words[i] = s.word(a, i == 0)
		total += len(words[i]) + 1
	}
	var b strings.Builder
	b.WriteString(words[0])
	wrap := total > maxLine
	for i := 1; i < len(words); i++ {
		if wrap && isOption(args[i]) {
			b.WriteString(" \\\n  ")
			b.WriteString(indent)
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(words[i])
	}
	return b.String()
}

func isOption(w Word) bool {
	return len(w) == 1 && !w[0].ref && strings.HasPrefix(w[0].text, "--")
}

func (s *Script) word(w Word, first bool) string {
	if len(w) == 0 {
		return "''"
	}
	var b strings.Builder
	for _, p := range w {
		if p.ref {
			if !validName(p.text) || !s.vars[p.text] {
				s.errs = append(s.errs, fmt.Sprintf("reference to unset variable %q", p.text))
			}
			b.WriteString(`"${`)
			b.WriteString(p.text)
			b.WriteString(`}"`)
			continue
		}
		b.WriteString(quote(p.text, first))
	}
	return b.String()
}

// Quote returns s as one shell word that expands to exactly s: unchanged
// when it holds only characters the shell gives no meaning to, otherwise
// in single quotes (with ' written as '\”).
func Quote(s string) string { return quote(s, false) }

func quote(s string, first bool) string {
	if s == "" {
		return "''"
	}
	safe := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_' || c == '-' || c == '.' || c == '/' || c == ':' || c == ',' || c == '@' || c == '%' || c == '+':
		case c == '=' && !first:
			// In the command position NAME=value is an assignment, not a word.
		default:
			safe = false
		}
	}
	if safe && !reserved(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// reserved reports bash's reserved words: literal as an argument, but
// quoted anyway so that no reader (or shellcheck, SC1010 on "ping -M do")
// takes one for syntax
// (https://www.gnu.org/software/bash/manual/html_node/Reserved-Words.html).
func reserved(s string) bool {
	switch s {
	case "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in", "select", "then", "time", "until", "while":
		return true
	}
	return false
}

func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
