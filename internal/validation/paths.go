package validation

import (
	"path"
	"strings"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// AbsPath checks that s is an absolute, clean file-system path made of
// printable characters other than quotes and backslashes, so it can be
// written into any config format without escaping. Glob characters are
// refused unless allowGlob is set (containerd imports take globs).
func AbsPath(p *field.Path, s string, allowGlob bool) field.ErrorList {
	switch {
	case s == "":
		return field.ErrorList{field.Required(p, "must be an absolute path")}
	case !strings.HasPrefix(s, "/"):
		return field.ErrorList{field.Invalid(p, s, "must be an absolute path")}
	case !utf8.ValidString(s):
		return field.ErrorList{field.Invalid(p, s, "must be valid UTF-8")}
	case strings.ContainsFunc(s, unsafeInConfig):
		return field.ErrorList{field.Invalid(p, s, "must not contain quotes, backslashes, whitespace or control characters")}
	case !allowGlob && strings.ContainsAny(s, "*?[]{}"):
		return field.ErrorList{field.Invalid(p, s, "must not contain glob characters")}
	case path.Clean(s) != s:
		return field.ErrorList{field.Invalid(p, s, "must be a clean path ("+path.Clean(s)+")")}
	}
	return nil
}

// PlainText checks that s holds no quotes, backslashes, control characters
// or newlines: the characters that end a value in one format or another.
// Used for free-form values (descriptions, image names) that end up inside
// TOML, YAML, shell or DNS config files.
func PlainText(p *field.Path, s string) field.ErrorList {
	if !utf8.ValidString(s) {
		return field.ErrorList{field.Invalid(p, s, "must be valid UTF-8")}
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r == '"' || r == '\'' || r == '\\' || r < 0x20 || r == 0x7f }) {
		return field.ErrorList{field.Invalid(p, s, "must not contain quotes, backslashes, newlines or control characters")}
	}
	return nil
}

func unsafeInConfig(r rune) bool {
	return r <= ' ' || r == 0x7f || r == '"' || r == '\'' || r == '\\' || r == '`' || r == '$'
}
