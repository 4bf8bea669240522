// Package imageref parses container image references (registry/repository:tag@digest)
// with the grammar of github.com/distribution/reference, so renderers can
// refuse anything that is not an image before it reaches a config file, and
// linters can compare tags.
package imageref

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The grammar, from distribution/reference's reference.go:
//
//	domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//	path-component   := /[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*/
//	tag              := /[\w][\w.-]{0,127}/
//	digest           := /[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}/
var (
	domainRE = regexp.MustCompile(`^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$`)
	pathRE   = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$`)
	tagRE    = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)
	digestRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$`)
)

// Ref is a parsed image reference. The zero Ref is not valid.
type Ref struct {
	// Registry is the host[:port], or empty for Docker Hub short names.
	Registry string
	// Repository is the path within the registry ("eks/pause").
	Repository string
	// Tag is the tag, or empty.
	Tag string
	// Digest is "algorithm:hex", or empty.
	Digest string
}

// Parse parses s. It returns an error naming the part that is wrong; a
// reference needs a tag or a digest to be pinned, but neither is required
// here.
func Parse(s string) (Ref, error) {
	if s == "" {
		return Ref{}, fmt.Errorf("empty image reference")
	}
	if len(s) > 255 {
		return Ref{}, fmt.Errorf("image reference is longer than 255 characters")
	}
	var r Ref
	rest := s
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		r.Digest = rest[i+1:]
		rest = rest[:i]
		if !digestRE.MatchString(r.Digest) {
			return Ref{}, fmt.Errorf("invalid digest %q in image reference %q", r.Digest, s)
		}
	}
	// A tag follows the last ':' that comes after the last '/'.
	if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, '/') {
		r.Tag = rest[i+1:]
		rest = rest[:i]
		if !tagRE.MatchString(r.Tag) {
			return Ref{}, fmt.Errorf("invalid tag %q in image reference %q", r.Tag, s)
		}
	}
	if first, after, ok := strings.Cut(rest, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost" || first != strings.ToLower(first)) {
		if !domainRE.MatchString(first) {
			return Ref{}, fmt.Errorf("invalid registry %q in image reference %q", first, s)
		}
		r.Registry = first
		rest = after
	}
	if rest == "" {
		return Ref{}, fmt.Errorf("image reference %q has no repository", s)
	}
	for _, c := range strings.Split(rest, "/") {
		if !pathRE.MatchString(c) {
			return Ref{}, fmt.Errorf("invalid repository component %q in image reference %q (lower-case letters, digits and . _ - only)", c, s)
		}
	}
	r.Repository = rest
	return r, nil
}

// String reassembles the reference.
func (r Ref) String() string {
	var b strings.Builder
	if r.Registry != "" {
		b.WriteString(r.Registry)
		b.WriteByte('/')
	}
	b.WriteString(r.Repository)
	if r.Tag != "" {
		b.WriteByte(':')
		b.WriteString(r.Tag)
	}
	if r.Digest != "" {
		b.WriteByte('@')
		b.WriteString(r.Digest)
	}
	return b.String()
}

// Version is a tag read as dotted numbers ("v0.20.0" → [0 20 0], "3.8" →
// [3 8]). ok is false when the tag is not of that form.
func (r Ref) Version() (v []int, ok bool) {
	return ParseVersion(r.Tag)
}

// ParseVersion reads "v1.2.3", "1.2", "580.159.04" or "3" (with an
// optional suffix after '-', '+' or '~', which is ignored) into its numbers.
func ParseVersion(s string) ([]int, bool) {
	s = strings.TrimPrefix(s, "v")
	if i := strings.IndexAny(s, "-+~"); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return nil, false
	}
	parts := strings.Split(s, ".")
	out := make([]int, len(parts))
	for i, p := range parts {
		// Digits only (no sign); leading zeros occur in driver versions
		// such as 580.159.04.
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return nil, false
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// CompareVersions compares two parsed versions, treating missing trailing
// numbers as zero: -1 if a < b, 0 if equal, +1 if a > b.
func CompareVersions(a, b []int) int {
	for i := range max(len(a), len(b)) {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
