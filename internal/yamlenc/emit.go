package yamlenc

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The fast writer. go.yaml.in/yaml/v2's emitter (libyaml's, in Go) turns
// every node into events, analyses every scalar for every style and
// allocates as it goes; for the documents hybridkit writes, nearly every
// scalar is a name, a path or a number it writes as is. writeFast writes
// the tree directly, byte for byte as that emitter would, and gives up
// (returning false) on the first value whose styling it does not
// reproduce for certain — a string the emitter would quote or fold, a
// nested sequence, a long key — so MarshalTree hands the whole tree to
// the emitter instead. The rules below are the emitter's
// (https://github.com/yaml/go-yaml/blob/v2.4.4/emitterc.go,
// yaml_emitter_analyze_scalar and yaml_emitter_select_scalar_style, and
// encode.go, stringv); a differential test and a fuzz target hold the two
// outputs equal.

// maxSimpleKey is the longest key the emitter writes as "key:"; a longer
// one becomes a "? key" complex key.
const maxSimpleKey = 128

// writeFast writes tree as the emitter would, or returns false.
func writeFast(tree any) ([]byte, bool) {
	w := fastWriter{buf: make([]byte, 0, 2048)}
	switch t := tree.(type) {
	case map[string]any:
		if len(t) == 0 {
			w.buf = append(w.buf, "{}\n"...)
			break
		}
		w.mapping(t, 0, false)
	case []any:
		if len(t) == 0 {
			w.buf = append(w.buf, "[]\n"...)
			break
		}
		w.sequence(t, 0)
	default:
		w.scalarLine(t, 2) // a root block scalar is indented by two
	}
	return w.buf, w.ok()
}

type fastWriter struct {
	buf    []byte
	failed bool
}

func (w *fastWriter) ok() bool { return !w.failed }

func (w *fastWriter) indent(n int) {
	for range n {
		w.buf = append(w.buf, ' ')
	}
}

// mapping writes m's keys in the emitter's order at column indent; with
// inline the first key continues the current line (after "- ").
func (w *fastWriter) mapping(m map[string]any, indent int, inline bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	if !consistent(keys) {
		w.failed = true
		return
	}
	for i, k := range keys {
		if w.failed {
			return
		}
		if len(k) > maxSimpleKey || k == "" {
			w.failed = true
			return
		}
		if i > 0 || !inline {
			w.indent(indent)
		}
		if !w.oneLine(k) {
			return
		}
		w.buf = append(w.buf, ':')
		w.value(m[k], indent)
	}
}

// value writes what follows "key:" for a key at column indent.
func (w *fastWriter) value(v any, indent int) {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			w.buf = append(w.buf, " {}\n"...)
			return
		}
		w.buf = append(w.buf, '\n')
		w.mapping(t, indent+2, false)
	case []any:
		if len(t) == 0 {
			w.buf = append(w.buf, " []\n"...)
			return
		}
		// A sequence in a mapping is not indented.
		w.buf = append(w.buf, '\n')
		w.sequence(t, indent)
	default:
		w.buf = append(w.buf, ' ')
		w.scalarLine(v, indent+2)
	}
}

// sequence writes the items at column indent, each after "- ".
func (w *fastWriter) sequence(items []any, indent int) {
	for _, it := range items {
		if w.failed {
			return
		}
		w.indent(indent)
		w.buf = append(w.buf, '-')
		switch t := it.(type) {
		case map[string]any:
			if len(t) == 0 {
				w.buf = append(w.buf, " {}\n"...)
				continue
			}
			w.buf = append(w.buf, ' ')
			w.mapping(t, indent+2, true)
		case []any:
			if len(t) == 0 {
				w.buf = append(w.buf, " []\n"...)
				continue
			}
			w.failed = true // "- - …": left to the emitter
			return
		default:
			w.buf = append(w.buf, ' ')
			w.scalarLine(it, indent+2)
		}
	}
}

// scalarLine writes a scalar and its line break; a literal block's lines
// are indented to content.
func (w *fastWriter) scalarLine(v any, content int) {
	switch t := v.(type) {
	case nil:
		w.buf = append(w.buf, "null"...)
	case bool:
		w.buf = strconv.AppendBool(w.buf, t)
	case int64:
		w.buf = strconv.AppendInt(w.buf, t, 10)
	case uint64:
		w.buf = strconv.AppendUint(w.buf, t, 10)
	case float64:
		w.buf = appendFloat(w.buf, t)
	case string:
		if literal(t) {
			w.literal(t, content)
			return
		}
		if !w.oneLine(t) {
			return
		}
	default:
		w.failed = true
		return
	}
	w.buf = append(w.buf, '\n')
}

// oneLine writes s in the emitter's style for it, or fails.
func (w *fastWriter) oneLine(s string) bool {
	switch style(s) {
	case stylePlain:
		w.buf = append(w.buf, s...)
	case styleSingle:
		w.buf = append(w.buf, '\'')
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '\'')
	case styleDouble:
		w.buf = append(w.buf, '"')
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '"')
	default:
		w.failed = true
		return false
	}
	return true
}

// appendFloat writes f as the emitter's encoder formats a float64.
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(b, ".inf"...)
	case math.IsInf(f, -1):
		return append(b, "-.inf"...)
	case math.IsNaN(f):
		return append(b, ".nan"...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// literal writes s as a literal block, "|" or "|-", its lines at column
// content and empty lines empty.
func (w *fastWriter) literal(s string, content int) {
	w.buf = append(w.buf, '|')
	if !strings.HasSuffix(s, "\n") {
		w.buf = append(w.buf, '-')
	}
	w.buf = append(w.buf, '\n')
	for line := range strings.Lines(s) {
		text := strings.TrimSuffix(line, "\n")
		if text != "" {
			w.indent(content)
			w.buf = append(w.buf, text...)
		}
		w.buf = append(w.buf, '\n')
	}
}

// scalarStyle is how the emitter writes a one-line string.
type scalarStyle int8

const (
	styleUnknown scalarStyle = iota // left to the emitter
	stylePlain
	styleSingle // 'text'
	styleDouble // "text"
)

// style says how the emitter writes s, a string of printable ASCII
// without spaces (so never folded across lines), or styleUnknown. A
// string that would read back as something else (a number, a boolean,
// null, a timestamp) is double-quoted; one that reads back as itself is
// plain unless its first character is an indicator or it ends in ':', and
// then single-quoted.
func style(s string) scalarStyle {
	if s == "" {
		return styleDouble
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return styleUnknown
		}
	}
	str, known := readsAsString(s)
	switch {
	case !known:
		return styleUnknown
	case !str || base60Float.MatchString(s):
		if strings.ContainsAny(s, `"\`) {
			return styleUnknown
		}
		return styleDouble
	case plainAllowed(s):
		return stylePlain
	case strings.Contains(s, "'"):
		return styleUnknown
	}
	return styleSingle
}

// plainAllowed reports whether the emitter's analysis of s (printable, no
// spaces) allows the plain style in a block.
func plainAllowed(s string) bool {
	if s[len(s)-1] == ':' || strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return false
	}
	switch s[0] {
	case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	case '?', ':', '-':
		return len(s) > 1 // followed by the end, they are indicators
	}
	return true
}

// readsAsString reports whether YAML 1.1, as the emitter's resolver reads
// it, takes plain s for a string, and whether that is known here: a
// string that may be a timestamp is left unknown.
func readsAsString(s string) (str, known bool) {
	switch c := s[0]; {
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		return !resolvedWord(s), true
	case c == '.':
		if resolvedWord(s) {
			return false, true
		}
		_, err := strconv.ParseFloat(s, 64)
		return err != nil, true
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		if resolvedWord(s) {
			return false, true
		}
		if len(s) > 4 && s[4] == '-' && strings.Trim(s[:4], "0123456789") == "" {
			return false, false // a possible timestamp
		}
		return !resolvesNumber(strings.ReplaceAll(s, "_", "")), true
	}
	return true, true
}

// resolvedWord reports whether s is one of the words the resolver maps to
// a boolean, null or special float.
func resolvedWord(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL",
		".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return true
	}
	return false
}

// resolvesNumber reports whether the resolver reads s (underscores removed) as an
// integer (any base Go's strconv reads with base 0, or 0b/-0b binary) or a
// float.
func resolvesNumber(s string) bool {
	if _, err := strconv.ParseInt(s, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(s, 0, 64); err == nil {
		return true
	}
	if yamlFloat.MatchString(s) {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(s, "0b"); ok {
		if _, err := strconv.ParseUint(rest, 2, 64); err == nil {
			return true
		}
	} else if rest, ok := strings.CutPrefix(s, "-0b"); ok {
		if _, err := strconv.ParseInt("-"+rest, 2, 64); err == nil {
			return true
		}
	}
	return false
}

// The resolver's float syntax and the encoder's base 60 floats, which it
// quotes (resolve.go and encode.go of go.yaml.in/yaml/v2 v2.4.4).
var (
	yamlFloat   = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	base60Float = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`)
)

// literal reports whether the emitter writes s as a literal block with no
// indentation indicator and a "|" or "|-" header: s has a line break,
// only printable ASCII besides, does not start with a space or a break,
// has no space before a break or at the end, and ends with at most one
// break.
func literal(s string) bool {
	if !strings.Contains(s, "\n") || s[0] == ' ' || s[0] == '\n' || s[len(s)-1] == ' ' ||
		strings.HasSuffix(s, "\n\n") || strings.Contains(s, " \n") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\n' && (c < ' ' || c > '~') {
			return false
		}
	}
	return true
}

// maxCheckedKeys bounds the mappings whose key order is checked pair by
// pair; larger ones are left to the emitter.
const maxCheckedKeys = 256

// consistent reports whether sorted keys are in an order every sort
// agrees on. The natural order is not transitive ("101" < "1e3" < "30" <
// "101"): for such keys the emitter's order depends on Go's map iteration
// order, and no writer can promise its bytes.
func consistent(keys []string) bool {
	if len(keys) > maxCheckedKeys {
		return false
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keyLess(keys[j], keys[i]) {
				return false
			}
		}
	}
	return true
}

// compareKeys orders mapping keys as the emitter's encoder does: a
// natural order in which letters come before other characters and runs
// of digits compare by value, then by length.
func compareKeys(a, b string) int {
	switch {
	case keyLess(a, b):
		return -1
	case keyLess(b, a):
		return 1
	}
	return 0
}

func keyLess(a, b string) bool {
	ar, br := []rune(a), []rune(b)
	for i := 0; i < len(ar) && i < len(br); i++ {
		if ar[i] == br[i] {
			continue
		}
		al, bl := unicode.IsLetter(ar[i]), unicode.IsLetter(br[i])
		if al && bl {
			return ar[i] < br[i]
		}
		if al || bl {
			return bl
		}
		// Digits: compare the runs that start here by value. A run after
		// a non-zero digit continues a number, so its leading zeros count.
		var an, bn int64
		if ar[i] == '0' || br[i] == '0' {
			for j := i - 1; j >= 0 && unicode.IsDigit(ar[j]); j-- {
				if ar[j] != '0' {
					an, bn = 1, 1
					break
				}
			}
		}
		ai, bi := i, i
		for ; ai < len(ar) && unicode.IsDigit(ar[ai]); ai++ {
			an = an*10 + int64(ar[ai]-'0')
		}
		for ; bi < len(br) && unicode.IsDigit(br[bi]); bi++ {
			bn = bn*10 + int64(br[bi]-'0')
		}
		if an != bn {
			return an < bn
		}
		if ai != bi {
			return ai < bi
		}
		return ar[i] < br[i]
	}
	return len(ar) < len(br)
}
