// Package yamlenc renders Go values as YAML with the exact output of
// sigs.k8s.io/yaml.Marshal — JSON field names and omitempty rules, keys
// sorted, the same scalar styles — at a fraction of its cost.
//
// sigs.k8s.io/yaml.Marshal encodes to JSON, parses the JSON again with the
// YAML parser, and encodes the result; for a NodeConfig that re-parse is
// half the render time. Here the value is walked once by reflection,
// following encoding/json's rules, into a plain tree of maps, slices and
// scalars that go.yaml.in/yaml/v2 (the encoder sigs.k8s.io/yaml uses)
// writes directly. A differential test and a fuzz target hold the two
// outputs byte-equal wherever sigs.k8s.io/yaml's output reads back as the
// value it was given. Where it does not, yamlenc is the one that is right:
// sigs.k8s.io/yaml's re-parse refuses raw control characters and folds
// U+0085 (NEL, a line break in YAML 1.1) into a space, while yamlenc
// escapes them, so its output always reads back unchanged.
package yamlenc

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v2"
)

// Marshal renders v as YAML. Types that implement json.Marshaler or
// encoding.TextMarshaler are rendered through those methods, as
// encoding/json would.
func Marshal(v any) ([]byte, error) {
	tree, err := Tree(v)
	if err != nil {
		return nil, err
	}
	return MarshalTree(tree)
}

// Tree converts v into the plain tree Marshal renders: nil, bool, int64,
// uint64, float64, string, []any and map[string]any, following
// encoding/json's rules. Callers may edit the tree (drop a field) before
// MarshalTree.
func Tree(v any) (any, error) {
	tree, err := toTree(reflect.ValueOf(v))
	if err != nil {
		return nil, fmt.Errorf("yamlenc: %w", err)
	}
	return tree, nil
}

// MarshalTree renders a tree made by Tree.
func MarshalTree(tree any) ([]byte, error) {
	if b, ok := writeFast(tree); ok {
		return b, nil
	}
	b, err := yaml.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("yamlenc: %w", err)
	}
	return b, nil
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// mergeKey is the YAML merge key. go.yaml.in/yaml/v2 (and so
// sigs.k8s.io/yaml) writes a "<<" map key without quotes, and every YAML
// reader then takes it for a merge key, not a key named "<<".
const mergeKey = "<<"

// ErrMergeKey is returned for a map key "<<": written as the encoder
// writes it, it would read back as a YAML merge key, not as the data.
var ErrMergeKey = errors.New("yamlenc: a map key \"<<\" would read back as a YAML merge key")

// toTree converts v into nil, bool, int64, uint64, float64, string,
// []any or map[string]any.
func toTree(v reflect.Value) (any, error) {
	if !v.IsValid() {
		return nil, nil
	}
	t := v.Type()
	if t.Implements(jsonMarshaler) && !(v.Kind() == reflect.Pointer && v.IsNil()) {
		return viaJSON(v.Interface().(json.Marshaler))
	}
	if v.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(jsonMarshaler) && v.CanAddr() {
		return viaJSON(v.Addr().Interface().(json.Marshaler))
	}
	if t.Implements(textMarshaler) && !(v.Kind() == reflect.Pointer && v.IsNil()) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return toTree(v.Elem())
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint(), nil
	case reflect.Float32, reflect.Float64:
		return floatValue(v.Float(), t.Bits())
	case reflect.String:
		return v.String(), nil
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(jsonMarshaler) && !reflect.PointerTo(t.Elem()).Implements(textMarshaler) {
			return base64.StdEncoding.EncodeToString(v.Bytes()), nil
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			e, err := toTree(v.Index(i))
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, nil
		}
		out := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			k, err := mapKey(it.Key())
			if err != nil {
				return nil, err
			}
			if k == mergeKey {
				return nil, ErrMergeKey
			}
			e, err := toTree(it.Value())
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return out, nil
	case reflect.Struct:
		out := map[string]any{}
		if err := structFields(v, out); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported type %s", t)
}

// floatValue reproduces what the JSON text of f reads back as: an integer
// when it has no fraction (sigs.k8s.io/yaml reads "110" as an int).
func floatValue(f float64, bits int) (any, error) {
	var b []byte
	var err error
	if bits == 32 {
		b, err = json.Marshal(float32(f))
	} else {
		b, err = json.Marshal(f)
	}
	if err != nil {
		return nil, err
	}
	return number(json.Number(b)), nil
}

func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		b, err := tm.MarshalText()
		return string(b), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", fmt.Errorf("unsupported map key type %s", k.Type())
}

type fieldInfo struct {
	index     []int
	name      string
	omitEmpty bool
	omitZero  bool
	quoted    bool
}

// fieldCache holds the JSON field list of each struct type; it only grows,
// and every entry is immutable once stored.
var fieldCache sync.Map // reflect.Type → []fieldInfo

func fieldsOf(t reflect.Type) []fieldInfo {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]fieldInfo)
	}
	var out []fieldInfo
	seen := map[string]bool{}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			ft := f.Type
			if f.Anonymous && name == "" {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft, idx)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if seen[name] {
				continue
			}
			seen[name] = true
			fi := fieldInfo{index: idx, name: name}
			for _, o := range strings.Split(opts, ",") {
				switch o {
				case "omitempty":
					fi.omitEmpty = true
				case "omitzero":
					fi.omitZero = true
				case "string":
					fi.quoted = true
				}
			}
			out = append(out, fi)
		}
	}
	walk(t, nil)
	fieldCache.Store(t, out)
	return out
}

func structFields(v reflect.Value, out map[string]any) error {
	for _, f := range fieldsOf(v.Type()) {
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			continue
		}
		if f.omitEmpty && isEmpty(fv) || f.omitZero && isZero(fv) {
			continue
		}
		e, err := toTree(fv)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if f.quoted {
			switch x := e.(type) {
			case string:
				b, _ := json.Marshal(x)
				e = string(b)
			case nil:
			default:
				e = fmt.Sprint(x)
			}
		}
		out[f.name] = e
	}
	return nil
}

// fieldByIndex is v.FieldByIndex that reports false instead of panicking on
// a nil embedded pointer (encoding/json skips those fields).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

func isZero(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return z.IsZero()
	}
	return v.IsZero()
}

// viaJSON renders a json.Marshaler and reads its output back as a tree.
func viaJSON(m json.Marshaler) (any, error) {
	b, err := m.MarshalJSON()
	if err != nil {
		return nil, err
	}
	// Most marshalers (durations, times, quantities) produce a string or a
	// number; those need no decoder.
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("reading MarshalJSON output: %w", err)
		}
		return s, nil
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9') && json.Valid(b):
		return number(json.Number(b)), nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("reading MarshalJSON output: %w", err)
	}
	return normalize(v), nil
}

// normalize turns json.Number into the int64, uint64 or float64 that the
// YAML parser would read from the same text.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
	case json.Number:
		return number(x)
	}
	return v
}

func number(n json.Number) any {
	s := string(n)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		return u
	}
	f, _ := strconv.ParseFloat(s, 64)
	return f
}
