package blueprint

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// redacted stands for the activation code wherever text would show it.
const redacted = "[redacted]"

// secret returns the SSM activation code, or "".
func (b Blueprint) secret() string {
	if s := b.Credentials.SSM; s != nil {
		return s.ActivationCode.Reveal()
	}
	return ""
}

// redact replaces the secret in s. Values shorter than four characters
// are not secrets worth garbling every message for (and nodeadm refuses
// codes under 20).
func redact(s, secret string) string {
	if len(secret) < 4 {
		return s
	}
	return strings.ReplaceAll(s, secret, redacted)
}

// redactErrors returns copies of errs without the secret in their values
// and details: a user can put the activation code into any field (a
// cluster name, a label), and the error about that field would print it.
func redactErrors(errs field.ErrorList, secret string) field.ErrorList {
	out := make(field.ErrorList, len(errs))
	for i, e := range errs {
		c := *e
		c.Field = redact(c.Field, secret)
		c.Detail = redact(c.Detail, secret)
		if s, ok := c.BadValue.(string); ok {
			c.BadValue = redact(s, secret)
		}
		out[i] = &c
	}
	return out
}

// redactFindings returns the findings without the secret and with every
// part safe to print (advice.Printable).
func redactFindings(fs []advice.Finding, secret string) []advice.Finding {
	out := slices.Clone(fs)
	for i := range out {
		f := &out[i]
		f.Field = advice.Printable(redact(f.Field, secret), advice.MaxMessage)
		f.Message = advice.Printable(redact(f.Message, secret), advice.MaxMessage)
		f.Ref = advice.Printable(redact(f.Ref, secret), advice.MaxMessage)
	}
	return out
}
