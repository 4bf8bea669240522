// Package advice holds Finding, the advisory every hybridkit package returns
// from Lint and Check: something legal but wrong in practice, with the field it
// concerns, why it matters and where the fact comes from.
//
// Findings are separate from validation errors. An error means the consumer
// (nodeadm, containerd, named, the AWS API) will refuse the input; a finding
// means it will accept it and the deployment will misbehave, cost more, or
// surprise someone later.
//
//	for _, f := range cfg.Lint() {
//		fmt.Println(f) // warning: spec.containerd.config: … (see …)
//	}
//
// The package is a leaf: it imports only the standard library.
package advice

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Level is the severity of a Finding. Levels are ordered: Info < Warning < Error,
// so callers can filter with a plain comparison (f.Level >= advice.Warning).
//
// The zero Level is Info.
type Level int8

const (
	// Info is worth knowing; nothing needs to change.
	Info Level = iota
	// Warning should be fixed: the deployment works, but not as intended
	// (a wrong price, a port open the wrong way, a query leaking to the internet).
	Warning
	// Error will break the deployment even though every consumer accepts the
	// input (a pod that can never be scheduled, a drop-in that deletes runc).
	Error
)

// String returns "info", "warning" or "error"; any other value prints as
// "level(N)".
func (l Level) String() string {
	switch l {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("level(%d)", int8(l))
}

// MarshalText encodes the level as its String form, so Findings serialise to
// JSON and YAML with readable levels.
func (l Level) MarshalText() ([]byte, error) {
	if l < Info || l > Error {
		return nil, fmt.Errorf("advice: invalid level %d", int8(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText parses "info", "warning" or "error". On error l is unchanged.
func (l *Level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "info":
		*l = Info
	case "warning":
		*l = Warning
	case "error":
		*l = Error
	default:
		return fmt.Errorf("advice: unknown level %q (want info, warning or error)", b)
	}
	return nil
}

// Code identifies a kind of finding: "<package>/<what>", such as
// "nodeconfig/containerd-dropin-incomplete". Every code is a constant of
// the package that reports it, so callers filter and suppress findings by
// name; the message wording may change between releases.
type Code string

// Finding is one advisory.
//
// The zero Finding is an Info with no text; producers always fill Code and
// Message.
type Finding struct {
	// Level is how much it matters.
	Level Level `json:"level"`
	// Code is a stable, machine-readable identifier such as
	// "nodeconfig/containerd-dropin-incomplete". Callers filter or suppress
	// findings by Code; the Message wording may change between releases.
	Code Code `json:"code"`
	// Field is the JSON field path of the input the finding is about
	// ("spec.kubelet.flags[0]"), or empty when it concerns the whole input.
	Field string `json:"field,omitempty"`
	// Message says what is wrong, why, and what to do instead. It never
	// contains secrets.
	Message string `json:"message"`
	// Ref names the source of the fact behind the finding: a URL, an RFC, or a
	// file in an upstream repository.
	Ref string `json:"ref,omitempty"`
	// File names the file the finding is about when it comes from reading
	// files (package inspect); empty for findings about a value.
	File string `json:"file,omitempty"`
	// Line is the 1-based line in File where Field starts, when the parser
	// knows it; 0 otherwise.
	Line int `json:"line,omitempty"`
}

// MaxMessage is how many runes of a Message, Field or Ref String prints.
const MaxMessage = 1000

// String formats the finding on one line:
//
//	warning: spec.kubelet.flags[0]: message (see ref)
//	error: nodeconfig.yaml:19: spec.containerd.config: message (see ref)
//
// Empty File, Line, Field and Ref are left out. Every part goes through Printable, so
// a finding that carries user text is safe to print on a terminal: no
// control character, line break or megabyte-long value gets through.
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Level.String())
	b.WriteString(": ")
	if f.File != "" {
		b.WriteString(Printable(f.File, MaxMessage))
		if f.Line > 0 {
			b.WriteString(":")
			b.WriteString(strconv.Itoa(f.Line))
		}
		b.WriteString(": ")
	}
	if f.Field != "" {
		b.WriteString(Printable(f.Field, MaxMessage))
		b.WriteString(": ")
	}
	b.WriteString(Printable(f.Message, MaxMessage))
	if f.Ref != "" {
		b.WriteString(" (see ")
		b.WriteString(Printable(f.Ref, MaxMessage))
		b.WriteString(")")
	}
	return b.String()
}

// Sort orders findings by descending level, then by file, line, field,
// code and message, so that reports list the worst first and are
// deterministic. It sorts in place and returns its argument.
func Sort(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Level, a.Level),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return fs
}

// Max returns the highest level among fs and false when fs is empty.
func Max(fs []Finding) (Level, bool) {
	if len(fs) == 0 {
		return Info, false
	}
	m := fs[0].Level
	for _, f := range fs[1:] {
		m = max(m, f.Level)
	}
	return m, true
}

// Count returns how many findings have exactly level l.
func Count(fs []Finding, l Level) int {
	n := 0
	for _, f := range fs {
		if f.Level == l {
			n++
		}
	}
	return n
}

// WithPrefix returns copies of fs whose Field is prefixed by prefix, joined
// with a dot (or directly when Field starts with "["). Packages that embed
// another package's value use it to report findings at the full path, for
// example "nodePools[0]" + "spec.kubelet.flags[1]".
func WithPrefix(prefix string, fs []Finding) []Finding {
	if prefix == "" || len(fs) == 0 {
		return fs
	}
	out := make([]Finding, len(fs))
	for i, f := range fs {
		switch {
		case f.Field == "":
			f.Field = prefix
		case strings.HasPrefix(f.Field, "["):
			f.Field = prefix + f.Field
		default:
			f.Field = prefix + "." + f.Field
		}
		out[i] = f
	}
	return out
}
