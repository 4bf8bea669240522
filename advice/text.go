package advice

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuoted is how many runes of a user-supplied value Quote keeps: enough
// to recognise any name, address or path, short enough that a hostile
// megabyte-long value still gives a one-line message.
const MaxQuoted = 80

// Quote returns s as a double-quoted Go string literal — every quote,
// backslash, control character and invalid byte escaped, as
// strconv.Quote does — cut to MaxQuoted runes with "…" after the cut.
// Messages of findings and errors put every value a user supplied through
// it, so no value can end a line, forge another message or drive the
// terminal.
func Quote(s string) string {
	cut, more := cutRunes(s, MaxQuoted)
	q := strconv.Quote(cut)
	if more {
		q += "…"
	}
	return q
}

// Printable returns s with every control character, invalid byte and
// other non-printable rune escaped as strconv.Quote would escape it (but
// without surrounding quotes, and leaving quotes and backslashes as they
// are), cut to max runes with "…" after the cut; max ≤ 0 keeps it whole.
// Finding.String applies it to every part, and error messages apply it to
// their details, so text assembled from user values is safe to print.
func Printable(s string, max int) string {
	more := false
	if max > 0 {
		s, more = cutRunes(s, max)
	}
	if !strings.ContainsFunc(s, needsEscape) && utf8.ValidString(s) {
		if more {
			return s + "…"
		}
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !validAt(s, i):
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case needsEscape(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	if more {
		b.WriteString("…")
	}
	return b.String()
}

// needsEscape reports runes that must not reach a terminal as they are.
func needsEscape(r rune) bool { return r != ' ' && !unicode.IsPrint(r) }

func validAt(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	return !(r == utf8.RuneError && size <= 1)
}

// cutRunes returns the first n runes of s and whether anything was cut.
func cutRunes(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j], true
		}
		i++
	}
	return s, false
}
