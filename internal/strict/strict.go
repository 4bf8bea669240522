// Package strict decodes YAML and JSON documents into Go types the way the
// strictest consumer would, but reports every problem instead of the first,
// each with its JSON path and its line and column.
//
// encoding/json's DisallowUnknownFields (and so sigs.k8s.io/yaml's
// UnmarshalStrict) stops at the first unknown key or wrong type, and
// sigs.k8s.io/yaml reads only the first document of a stream. A user who
// pasted a config from an outdated guide deserves the whole list, so Decode
// parses the document into a node tree (go.yaml.in/yaml/v3, which keeps
// positions and leaves aliases unexpanded), walks it against the target
// type, and only decodes when the walk found nothing wrong.
//
// The input is bounded before any work proportional to it is done: at most
// MaxDocumentBytes, exactly one document, and at most MaxAliasExpansion
// nodes added by aliases.
package strict

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// MaxDocumentBytes is the largest document Decode reads: 3 MiB, the limit
// kube-apiserver puts on a request body (k8s.io/apiserver
// pkg/server/config.go, MaxRequestBodyBytes = 3 * 1024 * 1024), so a
// document hybridkit accepts is one the API server would accept too.
const MaxDocumentBytes = 3 << 20

// MaxAliasExpansion is how many nodes aliases may add to a document once
// expanded. An alias copies the node it names, so a few lines of anchors and
// aliases can stand for billions of nodes (the "billion laughs" document);
// Decode counts the expansion on the unexpanded tree and refuses a document
// over the bound before it builds anything from it.
const MaxAliasExpansion = 100_000

// redacted replaces secret values in every message.
const redacted = "[redacted]"

// Options change how Decode matches keys.
type Options struct {
	// FoldCase matches a key that names no field exactly to a field whose
	// name differs only in case, as encoding/json does (and so every
	// program that decodes YAML through sigs.k8s.io/yaml). Each such key
	// is listed in Result.Folded. Without FoldCase it is an unknown field.
	FoldCase bool
}

// FoldedKey is a key that matched its field only when case was ignored.
type FoldedKey struct {
	// Path is the key's path as written; Field the field's JSON name.
	Path  string
	Field string
	Line  int
}

// Result is what Decode found in a well-formed document.
type Result struct {
	// Errors are every unknown key, duplicate key and value the target type
	// refuses, in document order; the target is written only when empty.
	Errors field.ErrorList
	// Folded are keys matched ignoring case (Options.FoldCase).
	Folded []FoldedKey
}

// Secret values: a target type with a Reveal method holds a secret (as
// nodeconfig.Secret does). Its value is never put into an error message;
// it must be written as a plain scalar — no anchor, alias or tag — so it
// cannot be copied into another field whose errors would print it.
type revealer interface{ Reveal() string }

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	secretType      = reflect.TypeFor[revealer]()
)

// DecodeYAML is Decode without options: it returns Result.Errors.
func DecodeYAML(data []byte, v any, base *field.Path) (field.ErrorList, error) {
	r, err := Decode(data, v, base, Options{})
	return r.Errors, err
}

// Decode decodes the YAML (or JSON) document data into v, a non-nil
// pointer, with paths under base.
//
// It returns an error when data is not one well-formed document: larger
// than MaxDocumentBytes, a syntax error, a second document (or anything
// after a "..." end marker), or aliases that expand past
// MaxAliasExpansion. Otherwise it returns the field errors of the decode:
// every key that has no field in v's type (Forbidden, "unknown field"),
// every duplicate key, and every value of the wrong type or that its text
// type refuses (a bad netip.Prefix, a bad domain name), each with
// "(line L, column C)" in its detail. v is only written when there are
// none. An empty document decodes to the zero value.
//
// Keys match field names case-sensitively unless o.FoldCase is set.
// Scalars are read for the target's type: any scalar is a string's text,
// so "1.30" stays "1.30" (sigs.k8s.io/yaml would make it "1.3"); a bool
// accepts YAML 1.1's yes/no/on/off as sigs.k8s.io/yaml does. An empty
// sequence leaves a slice nil, as an absent or null one does.
func Decode(data []byte, v any, base *field.Path, o Options) (Result, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return Result{}, errors.New("strict: Decode needs a non-nil pointer")
	}
	root, err := parseOne(data)
	if err != nil {
		return Result{}, err
	}
	t := rv.Type().Elem()
	if root == nil {
		rv.Elem().Set(reflect.Zero(t))
		return Result{}, nil
	}
	d := &decoder{opts: o}
	tree := d.value(root, t, base, false)
	r := Result{Errors: d.result(), Folded: d.folded}
	if len(r.Errors) > 0 {
		return r, nil
	}
	js, err := json.Marshal(tree)
	if err != nil {
		return Result{}, fmt.Errorf("strict: %w", err)
	}
	// A fresh value is decoded first so that v is not half-written when the
	// decoder refuses something the walk let through.
	tmp := reflect.New(t)
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(tmp.Interface()); err != nil {
		r.Errors = d.scrub(field.ErrorList{field.Invalid(base, "", strings.TrimPrefix(err.Error(), "json: "))})
		return r, nil
	}
	rv.Elem().Set(tmp.Elem())
	return r, nil
}

// parseOne parses data as exactly one YAML document and returns its root
// node (nil for an empty document).
func parseOne(data []byte) (*yaml.Node, error) {
	if len(data) > MaxDocumentBytes {
		return nil, fmt.Errorf("document is %d bytes, more than the %d (3 MiB) accepted", len(data), MaxDocumentBytes)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("malformed YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, fmt.Errorf("malformed YAML after the first document: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	default:
		return nil, fmt.Errorf("malformed YAML: a second document starts at line %d; give exactly one document", extra.Line)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, nil
		}
		root = root.Content[0]
	}
	written, expanded := countNodes(root)
	if expanded-written > MaxAliasExpansion {
		return nil, fmt.Errorf("malformed YAML: aliases expand the document by %d nodes, more than the %d accepted", expanded-written, MaxAliasExpansion)
	}
	return root, nil
}

// countNodes returns how many nodes the tree holds as written and once
// every alias is expanded, without expanding anything: each node's
// expanded size is computed once. The total saturates instead of
// overflowing.
func countNodes(root *yaml.Node) (written, expanded int) {
	memo := map[*yaml.Node]int{}
	seen := map[*yaml.Node]bool{}
	var size func(n *yaml.Node) int
	size = func(n *yaml.Node) int {
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return 1
			}
			return size(n.Alias)
		}
		if s, ok := memo[n]; ok {
			return s
		}
		if !seen[n] {
			seen[n] = true
			written++
		}
		memo[n] = 1 // a node that contains itself counts once
		s := 1
		for _, c := range n.Content {
			s = min(s+size(c), math.MaxInt32)
		}
		memo[n] = s
		return s
	}
	expanded = size(root)
	return written, expanded
}

// decoder walks a node tree against a type, collecting errors.
type decoder struct {
	opts    Options
	errs    []posError
	folded  []FoldedKey
	secrets []string
}

type posError struct {
	line, col int
	err       *field.Error
}

func (d *decoder) fail(n *yaml.Node, e *field.Error) {
	e.Detail = strings.TrimSpace(e.Detail + fmt.Sprintf(" (line %d, column %d)", n.Line, n.Column))
	d.errs = append(d.errs, posError{n.Line, n.Column, e})
}

// result returns the errors in document order with every secret value
// taken out.
func (d *decoder) result() field.ErrorList {
	slices.SortStableFunc(d.errs, func(a, b posError) int {
		if a.line != b.line {
			return a.line - b.line
		}
		return a.col - b.col
	})
	out := make(field.ErrorList, len(d.errs))
	for i, e := range d.errs {
		out[i] = e.err
	}
	return d.scrub(out)
}

// scrub replaces every secret value met during the walk in the errors'
// details and values.
func (d *decoder) scrub(errs field.ErrorList) field.ErrorList {
	for _, s := range d.secrets {
		if len(s) < 4 {
			continue
		}
		for _, e := range errs {
			e.Detail = strings.ReplaceAll(e.Detail, s, redacted)
			if bv, ok := e.BadValue.(string); ok {
				e.BadValue = strings.ReplaceAll(bv, s, redacted)
			}
		}
	}
	return errs
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		}
		return "a string"
	}
	return "an alias"
}

// shortValue is the bad value an error shows: a scalar's text, or the
// kind of a collection.
func shortValue(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return "<" + strings.TrimPrefix(kindName(n), "a ") + ">"
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// value checks node n against type t at path p and returns its JSON value
// (nil, bool, int64, uint64, float64, string, []any, map[string]any).
// viaAlias says the node was reached through an alias.
func (d *decoder) value(n *yaml.Node, t reflect.Type, p *field.Path, viaAlias bool) any {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.fail(n, field.Invalid(p, "*", "alias to an unknown anchor"))
			return nil
		}
		return d.value(n.Alias, t, p, true)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(secretType) {
		return d.secret(n, p, viaAlias)
	}
	if isNull(n) {
		return nil
	}
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(textUnmarshaler) && (n.Kind == yaml.ScalarNode || !pt.Implements(jsonUnmarshaler)):
		// A text type reads a scalar's text (time.Time, netip.Prefix, a
		// Domain); encoding/json calls its UnmarshalJSON or UnmarshalText
		// on the same text.
		if n.Kind != yaml.ScalarNode {
			d.fail(n, field.TypeInvalid(p, shortValue(n), "must be a string, not "+kindName(n)))
			return nil
		}
		if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			d.fail(n, field.Invalid(p, n.Value, textError(t, err)))
		}
		return n.Value
	case pt.Implements(jsonUnmarshaler):
		v := d.generic(n, p)
		if js, err := json.Marshal(v); err == nil {
			if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(js); err != nil {
				d.fail(n, field.Invalid(p, shortValue(n), strings.TrimPrefix(err.Error(), "json: ")))
			}
		}
		return v
	}
	switch t.Kind() {
	case reflect.Interface:
		return d.generic(n, p)
	case reflect.Struct:
		return d.object(n, t, p)
	case reflect.Map:
		return d.mapping(n, t, p)
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			if n.Kind != yaml.ScalarNode {
				d.fail(n, field.TypeInvalid(p, shortValue(n), "must be base64 text, not "+kindName(n)))
				return nil
			}
			if _, err := base64.StdEncoding.DecodeString(n.Value); err != nil {
				d.fail(n, field.Invalid(p, n.Value, "must be base64 (RFC 4648 with padding)"))
			}
			return n.Value
		}
		if n.Kind != yaml.SequenceNode {
			d.fail(n, field.TypeInvalid(p, shortValue(n), "must be a sequence, not "+kindName(n)))
			return nil
		}
		if len(n.Content) == 0 && t.Kind() == reflect.Slice {
			// An empty sequence reads as a nil slice, as an absent or
			// null one does: no model gives "[]" a meaning of its own,
			// and one reading keeps a parse, encode, parse round trip
			// equal (encoders omit or null an empty list).
			return nil
		}
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			out[i] = d.value(c, t.Elem(), p.Index(i), viaAlias)
		}
		return out
	}
	if n.Kind != yaml.ScalarNode {
		d.fail(n, field.TypeInvalid(p, shortValue(n), "must be "+goKind(t)+", not "+kindName(n)))
		return nil
	}
	return d.scalar(n, t, p)
}

// secret reads a secret string: a plain scalar, never through an alias,
// an anchor or a tag.
func (d *decoder) secret(n *yaml.Node, p *field.Path, viaAlias bool) any {
	if n.Kind == yaml.ScalarNode && n.Value != "" {
		d.secrets = append(d.secrets, n.Value)
	}
	switch {
	case n.Kind != yaml.ScalarNode:
		d.fail(n, field.TypeInvalid(p, redacted, "must be a string, not "+kindName(n)))
		return nil
	case viaAlias || n.Anchor != "":
		d.fail(n, field.Invalid(p, redacted, "a secret must be written out where it is used: anchors and aliases are not allowed on it"))
		return nil
	case n.Style&yaml.TaggedStyle != 0:
		d.fail(n, field.Invalid(p, redacted, "a secret must be a plain string: a tag is not allowed on it"))
		return nil
	case isNull(n):
		return nil
	}
	return n.Value
}

// textError words a TextUnmarshaler's refusal; time.Time's is about
// layouts, so it gets the format the field expects.
func textError(t reflect.Type, err error) string {
	if t.PkgPath() == "time" && t.Name() == "Time" {
		return "must be an RFC 3339 time such as 2026-12-04T00:00:00Z"
	}
	return err.Error()
}

func goKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "an integer"
	}
	return "a " + t.Kind().String()
}

// yaml11Bools are the plain scalars YAML 1.1 (and so sigs.k8s.io/yaml,
// which uses go.yaml.in/yaml/v2) reads as booleans.
func yaml11Bool(s string) (bool, bool) {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE":
		return true, true
	case "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

func plain(n *yaml.Node) bool {
	return n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

// scalar reads a scalar for a string, boolean or numeric type.
func (d *decoder) scalar(n *yaml.Node, t reflect.Type, p *field.Path) any {
	s := n.Value
	switch t.Kind() {
	case reflect.String:
		return s
	case reflect.Bool:
		if b, ok := yaml11Bool(s); ok && (n.Tag == "!!bool" || plain(n)) {
			return b
		}
		d.fail(n, field.TypeInvalid(p, s, "must be a boolean (true or false), not "+kindName(n)))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n.Tag != "!!int" {
			d.fail(n, field.TypeInvalid(p, s, "must be an integer, not "+kindName(n)))
			return nil
		}
		v, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, t.Bits())
		if err != nil {
			d.fail(n, field.Invalid(p, s, fmt.Sprintf("is out of range for a %d-bit integer", t.Bits())))
			return nil
		}
		return v
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if n.Tag != "!!int" {
			d.fail(n, field.TypeInvalid(p, s, "must be an integer, not "+kindName(n)))
			return nil
		}
		v, err := strconv.ParseUint(strings.ReplaceAll(strings.TrimPrefix(s, "+"), "_", ""), 0, t.Bits())
		if err != nil {
			d.fail(n, field.Invalid(p, s, fmt.Sprintf("is out of range for an unsigned %d-bit integer", t.Bits())))
			return nil
		}
		return v
	case reflect.Float32, reflect.Float64:
		f, ok := finite(n)
		if !ok {
			d.fail(n, field.TypeInvalid(p, s, "must be a finite number, not "+kindName(n)))
			return nil
		}
		return f
	default:
		d.fail(n, field.TypeInvalid(p, s, "cannot be decoded into "+t.String()))
	}
	return nil
}

// finite reads an !!int or !!float scalar as a finite float64.
func finite(n *yaml.Node) (float64, bool) {
	if n.Tag != "!!int" && n.Tag != "!!float" {
		return 0, false
	}
	if n.Tag == "!!int" {
		if v, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return float64(v), true
		}
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}

// generic converts a node without a target type, as encoding/json would
// see it after sigs.k8s.io/yaml's conversion.
func (d *decoder) generic(n *yaml.Node, p *field.Path) any {
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		return d.generic(n.Alias, p)
	case yaml.MappingNode:
		out := map[string]any{}
		for _, kv := range d.pairs(n, p, p.Key) {
			out[kv.key] = d.generic(kv.value, p.Key(kv.key))
		}
		return out
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			out[i] = d.generic(c, p.Index(i))
		}
		return out
	}
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		b, _ := yaml11Bool(n.Value)
		return b
	case "!!int":
		if v, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return v
		}
		if v, err := strconv.ParseUint(strings.TrimPrefix(n.Value, "+"), 0, 64); err == nil {
			return v
		}
		fallthrough
	case "!!float":
		f, ok := finite(n)
		if !ok {
			d.fail(n, field.Invalid(p, n.Value, "must be a finite number"))
			return nil
		}
		return f
	}
	return n.Value
}

// pair is one key and value of a mapping, merges resolved.
type pair struct {
	key   string
	keyN  *yaml.Node
	value *yaml.Node
}

// pairs returns a mapping's keys and values in document order, with the
// entries of merge keys ("<<: *base") added where the mapping does not set
// them, and reports keys that are not scalars and keys given twice.
func (d *decoder) pairs(n *yaml.Node, p *field.Path, keyPath func(string) *field.Path) []pair {
	var out []pair
	seen := map[string]*yaml.Node{}
	var merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merged = append(merged, d.mergeSources(v, p, keyPath)...)
			continue
		}
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k, field.Invalid(p, shortValue(k), "a key must be a string, not "+kindName(k)))
			continue
		}
		if prev, dup := seen[k.Value]; dup {
			e := field.Duplicate(keyPath(k.Value), k.Value)
			e.Detail = fmt.Sprintf("the key is given twice (also line %d)", prev.Line)
			d.fail(k, e)
			continue
		}
		seen[k.Value] = k
		out = append(out, pair{key: k.Value, keyN: k, value: v})
	}
	for _, m := range merged {
		if _, set := seen[m.key]; !set {
			seen[m.key] = m.keyN
			out = append(out, m)
		}
	}
	return out
}

// mergeSources returns the entries a merge key brings in: one mapping or
// a sequence of mappings, earlier ones winning.
func (d *decoder) mergeSources(v *yaml.Node, p *field.Path, keyPath func(string) *field.Path) []pair {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	switch v.Kind {
	case yaml.MappingNode:
		return d.pairs(v, p, keyPath)
	case yaml.SequenceNode:
		var out []pair
		seen := map[string]bool{}
		for _, c := range v.Content {
			for _, kv := range d.mergeSources(c, p, keyPath) {
				if !seen[kv.key] {
					seen[kv.key] = true
					out = append(out, kv)
				}
			}
		}
		return out
	}
	d.fail(v, field.Invalid(p, shortValue(v), "a merge key (<<) takes a mapping or a list of mappings"))
	return nil
}

// object checks a mapping against a struct's JSON fields.
func (d *decoder) object(n *yaml.Node, t reflect.Type, p *field.Path) any {
	if n.Kind != yaml.MappingNode {
		d.fail(n, field.TypeInvalid(p, shortValue(n), "must be a mapping, not "+kindName(n)))
		return nil
	}
	fields := jsonFields(t)
	out := map[string]any{}
	for _, kv := range d.pairs(n, p, func(k string) *field.Path { return child(p, k) }) {
		name := kv.key
		ft, ok := fields[name]
		if !ok && d.opts.FoldCase {
			for f := range fields {
				if strings.EqualFold(f, name) {
					ft, ok = fields[f], true
					d.folded = append(d.folded, FoldedKey{Path: child(p, name).String(), Field: f, Line: kv.keyN.Line})
					name = f
					break
				}
			}
		}
		if !ok {
			d.fail(kv.keyN, field.Forbidden(child(p, kv.key), "unknown field"))
			continue
		}
		if _, dup := out[name]; dup {
			e := field.Duplicate(child(p, kv.key), kv.key)
			e.Detail = "names the same field as another key, ignoring case"
			d.fail(kv.keyN, e)
			continue
		}
		out[name] = d.value(kv.value, ft, child(p, name), false)
	}
	return out
}

// mapping checks a mapping against a map type.
func (d *decoder) mapping(n *yaml.Node, t reflect.Type, p *field.Path) any {
	if n.Kind != yaml.MappingNode {
		d.fail(n, field.TypeInvalid(p, shortValue(n), "must be a mapping, not "+kindName(n)))
		return nil
	}
	kt := t.Key()
	out := map[string]any{}
	for _, kv := range d.pairs(n, p, p.Key) {
		switch {
		case reflect.PointerTo(kt).Implements(textUnmarshaler):
			if err := reflect.New(kt).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(kv.key)); err != nil {
				d.fail(kv.keyN, field.Invalid(p.Key(kv.key), kv.key, err.Error()))
				continue
			}
		case kt.Kind() == reflect.String:
		default:
			if _, err := strconv.ParseInt(kv.key, 10, 64); err != nil {
				d.fail(kv.keyN, field.Invalid(p.Key(kv.key), kv.key, "the key must be an integer"))
				continue
			}
		}
		out[kv.key] = d.value(kv.value, t.Elem(), p.Key(kv.key), false)
	}
	return out
}

func child(p *field.Path, name string) *field.Path {
	if p == nil {
		return field.NewPath(name)
	}
	return p.Child(name)
}

// jsonFields returns the JSON names of t's fields and their types, with
// anonymous struct fields that have no JSON name inlined, as encoding/json
// does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" && tag == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					if _, dup := out[k]; !dup {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
