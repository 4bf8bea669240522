package nodeconfig

import (
	"fmt"
	"io"
)

// redacted is what every printed form of a Secret shows.
const redacted = "[redacted]"

// Secret is a credential, such as an SSM activation code, that must appear
// in the rendered NodeConfig and nowhere else. String, GoString and every
// fmt verb print "[redacted]" (or "" for the empty Secret), so a Secret in a
// log line, an error or a %+v dump leaks nothing. JSON and YAML encode the
// real value: the consumer needs it.
type Secret string

// String returns "[redacted]", or "" when s is empty.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString returns the redacted form for %#v.
func (s Secret) GoString() string {
	if s == "" {
		return `""`
	}
	return `"` + redacted + `"`
}

// Format implements fmt.Formatter so that no verb (%s, %v, %q, %x, …)
// prints the value.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", s.String())
	case 'v':
		if f.Flag('#') {
			_, _ = io.WriteString(f, s.GoString())
			return
		}
		_, _ = io.WriteString(f, s.String())
	default:
		_, _ = io.WriteString(f, s.String())
	}
}

// Reveal returns the secret value. Only renderers call it.
func (s Secret) Reveal() string { return string(s) }

// String describes the activation without its code.
func (s SSM) String() string {
	return fmt.Sprintf("SSM{ActivationCode:%s ActivationID:%s}", s.ActivationCode, s.ActivationID)
}

// GoString is String, for %#v.
func (s SSM) GoString() string { return "nodeconfig." + s.String() }
