// Package validation is the glue between go-playground/validator/v10 and the
// k8s.io/apimachinery field errors every hybridkit package returns.
//
// It holds the one configured validator instance: JSON names in paths,
// netip.Addr and netip.Prefix validated through their text form, and the
// required-struct behaviour validator recommends. Struct translates its errors
// into a field.ErrorList rooted at the caller's path; ToError turns a list into
// the error a package's Validate method returns.
//
// Tags carry the rules of one field on its own: validator's (required,
// oneof, min, max, ip, …) and hybridkit's formats of AWS and Kubernetes
// names (eks_cluster_name, aws_region, aws_account_id, aws_id=<prefix>,
// kubernetes_minor, dns1123_label, dns1123_subdomain, qualified_name,
// label_value, plain_text, image_ref, quantity, positive_decimal). Everything that needs
// context — overlap, containment, cross-field rules —
// is hand-written in the domain packages.
package validation

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"github.com/hybridkit/hybridkit/advice"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// instance is the single validator. validator/v10 documents its Validate as
// "designed to be thread-safe and used as a singleton instance" because it
// caches parsed tags per type; building one per call would re-parse every tag.
// It is built on first use and never changed afterwards.
var instance = sync.OnceValue(newValidator)

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(jsonName)
	// netip values are validated through their text form, so "required"
	// means "valid" and string tags such as "ipv4" apply to them. An invalid
	// (zero) value becomes "".
	v.RegisterCustomTypeFunc(func(rv reflect.Value) any {
		switch x := rv.Interface().(type) {
		case netip.Addr:
			if !x.IsValid() {
				return ""
			}
			return x.String()
		case netip.Prefix:
			if !x.IsValid() {
				return ""
			}
			return x.String()
		}
		return nil
	}, netip.Addr{}, netip.Prefix{})
	for tag, r := range rules() {
		// Registration fails only for an empty tag or a nil function.
		_ = v.RegisterValidation(tag, func(fl validator.FieldLevel) bool {
			return len(r(nil, fl.Field().String(), fl.Param())) == 0
		})
	}
	return v
}

// jsonName reports the JSON name of a struct field, so error paths read like
// the documents users write ("spec.cluster.name", not "Spec.Cluster.Name").
func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	switch name {
	case "-":
		return "-"
	case "":
		return f.Name
	}
	return name
}

// Struct validates the `validate` tags of v (a struct or a pointer to one) and
// returns every failure as a field error under base. A nil pointer yields no
// errors. A malformed tag makes validator panic; the module's model test runs
// every exported model type through Struct so that such a panic fails a test
// rather than a caller.
func Struct(base *field.Path, v any) field.ErrorList {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || (rv.Kind() == reflect.Pointer && rv.IsNil()) {
		return nil
	}
	err := instance().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return field.ErrorList{field.InternalError(base, err)}
	}
	out := make(field.ErrorList, 0, len(verrs))
	for _, fe := range verrs {
		out = append(out, translate(base, fe))
	}
	return out
}

func translate(base *field.Path, fe validator.FieldError) *field.Error {
	p := pathFromNamespace(base, fe.Namespace())
	val := fe.Value()
	if s, ok := val.(fmt.Stringer); ok {
		val = s.String()
	}
	if r, ok := rules()[fe.Tag()]; ok {
		if errs := r(p, fmt.Sprint(val), fe.Param()); len(errs) > 0 {
			return errs[0]
		}
	}
	switch fe.Tag() {
	case "required", "required_with", "required_without", "required_if", "required_unless":
		return field.Required(p, "")
	case "oneof":
		return field.NotSupported(p, val, strings.Fields(fe.Param()))
	case "max", "lte":
		if fe.Kind() == reflect.String {
			n, _ := strconv.Atoi(fe.Param())
			return field.TooLong(p, val, n)
		}
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map {
			n, _ := strconv.Atoi(fe.Param())
			return field.TooMany(p, reflect.ValueOf(fe.Value()).Len(), n)
		}
		return field.Invalid(p, val, "must be at most "+fe.Param())
	case "min", "gte":
		if fe.Kind() == reflect.String {
			return field.Invalid(p, val, "must be at least "+fe.Param()+" characters")
		}
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map {
			return field.Invalid(p, reflect.ValueOf(fe.Value()).Len(), "must have at least "+fe.Param()+" items")
		}
		return field.Invalid(p, val, "must be at least "+fe.Param())
	case "gt":
		return field.Invalid(p, val, "must be greater than "+fe.Param())
	case "lt":
		return field.Invalid(p, val, "must be less than "+fe.Param())
	case "ipv4":
		return field.Invalid(p, val, "must be an IPv4 address or prefix")
	case "hostname_rfc1123":
		return field.Invalid(p, val, "must be a host name (RFC 1123)")
	case "startswith":
		return field.Invalid(p, val, fmt.Sprintf("must start with %q", fe.Param()))
	case "eq":
		return field.Invalid(p, val, "must be "+fe.Param())
	case "ne":
		return field.Invalid(p, val, "must not be "+fe.Param())
	case "excludes":
		return field.Invalid(p, val, fmt.Sprintf("must not contain %q", fe.Param()))
	case "len":
		return field.Invalid(p, val, "must be exactly "+fe.Param()+" characters")
	case "uppercase":
		return field.Invalid(p, val, "must be upper case")
	case "alpha":
		return field.Invalid(p, val, "must be letters only")
	case "unique":
		return field.Duplicate(p, val)
	}
	detail := "must satisfy " + fe.Tag()
	if fe.Param() != "" {
		detail += "=" + fe.Param()
	}
	return field.Invalid(p, val, detail)
}

// pathFromNamespace converts validator's namespace ("Type.spec.flags[0]",
// "Type.labels[a.b/c]") into a field.Path under base, dropping the leading
// type name. Map keys may contain dots, so brackets are matched rather than
// the string split on ".".
func pathFromNamespace(base *field.Path, ns string) *field.Path {
	_, rest, ok := strings.Cut(ns, ".")
	if !ok {
		return base
	}
	p := base
	for rest != "" {
		switch {
		case rest[0] == '.':
			rest = rest[1:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return p.Child(rest)
			}
			key := rest[1:end]
			if i, err := strconv.Atoi(key); err == nil {
				p = p.Index(i)
			} else {
				p = p.Key(key)
			}
			rest = rest[end+1:]
		default:
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			if p == nil {
				p = field.NewPath(rest[:end])
			} else {
				p = p.Child(rest[:end])
			}
			rest = rest[end:]
		}
	}
	return p
}

// Limits of the text a field error carries (see Safe).
const (
	maxDetail = 500
	maxPath   = 300
)

// Safe returns copies of errs whose text is safe to print: a string value
// is cut to advice.MaxQuoted runes with "…" (field.Error quotes and escapes
// it when it prints), and the path and detail have every control
// character escaped and are cut to a few hundred runes. A hostile
// megabyte-long value or a map key holding a line break gives a short,
// one-line error.
func Safe(errs field.ErrorList) field.ErrorList {
	if errs == nil {
		return nil
	}
	out := make(field.ErrorList, len(errs))
	for i, e := range errs {
		c := *e
		c.Field = advice.Printable(c.Field, maxPath)
		c.Detail = advice.Printable(c.Detail, maxDetail)
		if rv := reflect.ValueOf(c.BadValue); rv.IsValid() && rv.Kind() == reflect.String {
			if _, isStringer := c.BadValue.(fmt.Stringer); !isStringer {
				s := rv.String()
				if cut := []rune(s); len(cut) > advice.MaxQuoted {
					s = string(cut[:advice.MaxQuoted]) + "…"
				}
				c.BadValue = s
			}
		}
		out[i] = &c
	}
	return out
}

// Error is what a package's Validate method returns: every field error of one
// value, with the package name in front of the message. It unwraps to a
// k8s.io/apimachinery utilerrors.Aggregate whose Errors are *field.Error, so
// callers use errors.As to reach each path.
type Error struct {
	pkg string
	agg utilerrors.Aggregate
}

// ToError returns nil when errs is empty, and otherwise an *Error for pkg
// ("nodeconfig", "netplan", …) holding Safe copies of the errors. The
// caller's list is not modified.
func ToError(pkg string, errs field.ErrorList) error {
	agg := Safe(errs).ToAggregate()
	if agg == nil {
		return nil
	}
	return &Error{pkg: pkg, agg: agg}
}

// Error lists every problem on one line:
//
//	nodeconfig: 2 invalid fields: spec.cluster.name: Required value; …
func (e *Error) Error() string {
	errs := e.agg.Errors()
	var b strings.Builder
	b.WriteString(e.pkg)
	b.WriteString(": ")
	if len(errs) == 1 {
		b.WriteString("invalid field: ")
	} else {
		fmt.Fprintf(&b, "%d invalid fields: ", len(errs))
	}
	for i, err := range errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap returns the aggregate of field errors.
func (e *Error) Unwrap() error { return e.agg }

// FieldErrors returns the *field.Error values inside err (an *Error, an
// Aggregate, or anything wrapping one), in order. Other errors yield nil.
func FieldErrors(err error) field.ErrorList {
	var agg utilerrors.Aggregate
	if !errors.As(err, &agg) {
		var fe *field.Error
		if errors.As(err, &fe) {
			return field.ErrorList{fe}
		}
		return nil
	}
	var out field.ErrorList
	for _, e := range agg.Errors() {
		var fe *field.Error
		if errors.As(e, &fe) {
			out = append(out, fe)
		}
	}
	return out
}

// FieldErrorsAt is FieldErrors that drops nothing: an error holding no
// field errors (an overflow, a render failure) becomes one
// field.InternalError at p, so a caller that collects field errors never
// loses one. A nil err gives nil.
func FieldErrorsAt(p *field.Path, err error) field.ErrorList {
	if err == nil {
		return nil
	}
	if errs := FieldErrors(err); len(errs) > 0 {
		return errs
	}
	return field.ErrorList{field.InternalError(p, err)}
}
