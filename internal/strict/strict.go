// Package strict decodes YAML and JSON documents into Go types the way the
// strictest consumer would, but reports every problem instead of the first.
//
// encoding/json's DisallowUnknownFields (and so sigs.k8s.io/yaml's
// UnmarshalStrict) stops at the first unknown key. A user who pasted a config
// from an outdated guide deserves the whole list, each with its JSON path, so
// DecodeYAML walks the document against the target type first and only then
// decodes it.
package strict

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

// DecodeYAML decodes the YAML (or JSON) document data into v, a non-nil
// pointer. It returns a non-nil error when data is not a well-formed document
// (syntax, duplicate keys); otherwise it returns the field errors of the
// decode: every key that has no field in v's type (as ErrorTypeForbidden with
// detail "unknown field"), then every string its text type refuses (a bad
// netip.Prefix, a bad domain name: see InvalidTexts), then any value of the
// wrong type. v is only
// written when both are empty.
//
// Keys are matched case-sensitively, unlike encoding/json: "Name" for "name"
// is reported as unknown rather than silently accepted.
func DecodeYAML(data []byte, v any, base *field.Path) (field.ErrorList, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, errors.New("strict: DecodeYAML needs a non-nil pointer")
	}
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return nil, fmt.Errorf("malformed YAML: %w", err)
	}
	var doc any
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, fmt.Errorf("malformed document: %w", err)
	}
	if errs := UnknownFields(doc, rv.Type().Elem(), base); len(errs) > 0 {
		return errs, nil
	}
	if errs := InvalidTexts(doc, rv.Type().Elem(), base); len(errs) > 0 {
		return errs, nil
	}
	// A fresh value is decoded first so that v is not half-written when a
	// type error stops the decoder.
	tmp := reflect.New(rv.Type().Elem())
	if err := yaml.UnmarshalStrict(data, tmp.Interface()); err != nil {
		return field.ErrorList{typeError(base, err)}, nil
	}
	rv.Elem().Set(tmp.Elem())
	return nil, nil
}

// typeError converts a decode error into a field error at the path
// encoding/json reports.
func typeError(base *field.Path, err error) *field.Error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p := base
		if te.Field != "" {
			for _, part := range strings.Split(te.Field, ".") {
				p = child(p, part)
			}
		}
		return field.TypeInvalid(p, te.Value, fmt.Sprintf("must be of type %s", te.Type))
	}
	var fe *field.Error
	if errors.As(err, &fe) {
		return fe
	}
	return field.Invalid(base, "", strings.TrimPrefix(err.Error(), "error unmarshaling JSON: while decoding JSON: "))
}

func child(p *field.Path, name string) *field.Path {
	if p == nil {
		return field.NewPath(name)
	}
	return p.Child(name)
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// UnknownFields walks doc (a value produced by json.Unmarshal into any)
// against type t and returns one error per key that t has no field for, in
// document order with map keys sorted. Types that decode themselves
// (json.Unmarshaler, encoding.TextUnmarshaler), interfaces and maps accept
// any key. Values of the wrong shape (a string where a struct is expected)
// are left for the decoder to report.
func UnknownFields(doc any, t reflect.Type, path *field.Path) field.ErrorList {
	return walk(doc, t, path, func(_ any, t reflect.Type, _ *field.Path) (field.ErrorList, bool) {
		return nil, !decodesItself(t)
	}, func(p *field.Path) field.ErrorList {
		return field.ErrorList{field.Forbidden(p, "unknown field")}
	})
}

// decodesItself reports whether t (or *t) is a json.Unmarshaler or an
// encoding.TextUnmarshaler: its keys are its own business.
func decodesItself(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)
}

// walk visits doc against t, following structs, maps and slices. At every
// value visit may report errors and says whether to descend. Inside a
// struct, a key t has no field for goes to unknown.
func walk(doc any, t reflect.Type, path *field.Path, visit func(doc any, t reflect.Type, path *field.Path) (field.ErrorList, bool), unknown func(*field.Path) field.ErrorList) field.ErrorList {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if doc == nil {
		return nil
	}
	errs, descend := visit(doc, t, path)
	if !descend {
		return errs
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := doc.(map[string]any)
		if !ok {
			return errs
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(obj) {
			ft, ok := fields[k]
			if !ok {
				errs = append(errs, unknown(child(path, k))...)
				continue
			}
			errs = append(errs, walk(obj[k], ft, child(path, k), visit, unknown)...)
		}
	case reflect.Map:
		if obj, ok := doc.(map[string]any); ok {
			for _, k := range sortedKeys(obj) {
				errs = append(errs, walk(obj[k], t.Elem(), path.Key(k), visit, unknown)...)
			}
		}
	case reflect.Slice, reflect.Array:
		if arr, ok := doc.([]any); ok {
			for i, el := range arr {
				errs = append(errs, walk(el, t.Elem(), path.Index(i), visit, unknown)...)
			}
		}
	}
	return errs
}

// jsonFields returns the JSON names of t's fields and their types, with
// anonymous struct fields that have no JSON name inlined, as encoding/json does.
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

// InvalidTexts walks doc against type t like UnknownFields and returns, in
// document order, a field.Invalid for every string value whose Go type
// decodes itself from text (encoding.TextUnmarshaler, such as netip.Addr)
// and refuses it — every one with its path, where encoding/json would stop
// at the first without saying where.
func InvalidTexts(doc any, t reflect.Type, path *field.Path) field.ErrorList {
	return walk(doc, t, path, func(doc any, t reflect.Type, path *field.Path) (field.ErrorList, bool) {
		if !reflect.PointerTo(t).Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
			// Descend, even into a json.Unmarshaler: its fields are still
			// decoded by encoding/json and can hold text types.
			return nil, !reflect.PointerTo(t).Implements(textUnmarshaler)
		}
		str, ok := doc.(string)
		if !ok {
			return nil, false
		}
		if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(str)); err != nil {
			return field.ErrorList{field.Invalid(path, str, err.Error())}, false
		}
		return nil, false
	}, func(*field.Path) field.ErrorList { return nil })
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
