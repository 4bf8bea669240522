package inspect

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// Codes of the bundle check.
const (
	// CodeBundleChanged: a file's content is not what the bundle rendered.
	CodeBundleChanged advice.Code = "inspect/bundle-file-changed"
	// CodeBundleMissing: a file the bundle lists was not given.
	CodeBundleMissing advice.Code = "inspect/bundle-file-missing"
)

// bundleIndex is bundle.json as hybridkit's examples/render writes it.
type bundleIndex struct {
	Files []struct {
		Path   string `json:"path"`
		Kind   string `json:"kind"`
		SHA256 string `json:"sha256"`
		Bytes  int    `json:"bytes"`
	} `json:"files"`
}

const refBundle = "https://pkg.go.dev/github.com/hybridkit/hybridkit/blueprint#Bundle"

func (d *document) checkBundle() {
	var b bundleIndex
	if !d.decodeAWS(&b, refBundle) {
		return
	}
	for i, f := range b.Files {
		if !localPath(f.Path) {
			d.add(findingAt(advice.Error, CodeInvalid, field.NewPath("files").Index(i).Child("path"), refBundle, "%s is not a local, slash-separated path", printableLine(f.Path)))
		}
	}
	d.parsed = b
}

// localPath reports a relative, clean, slash-separated path that stays
// inside its folder.
func localPath(p string) bool {
	return p != "" && !strings.HasPrefix(p, "/") && !strings.Contains(p, "\\") && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../")
}

// checkBundles verifies each bundle.json against the files given with
// it (those under its folder): every listed file present with the hash
// the bundle recorded. A listed file whose kind inspect does not read
// (scripts, Markdown, CSV) is then known: it loses its unknown-kind
// finding.
func checkBundles(docs []*document) {
	byName := map[string]*document{}
	for _, d := range docs {
		byName[slashPath(d.name)] = d
	}
	for _, bd := range docs {
		b, ok := bd.parsed.(bundleIndex)
		if !ok || bd.kind != KindBundle {
			continue
		}
		dir := path.Dir(slashPath(bd.name))
		for i, f := range b.Files {
			if !localPath(f.Path) {
				continue
			}
			fp := field.NewPath("files").Index(i)
			d, ok := byName[path.Join(dir, f.Path)]
			if !ok {
				bd.add(findingAt(advice.Warning, CodeBundleMissing, fp.Child("path"), refBundle, "%s is listed but was not given: inspect the whole folder", printableLine(f.Path)))
				continue
			}
			sum := sha256.Sum256(d.data)
			if hex.EncodeToString(sum[:]) != strings.ToLower(f.SHA256) {
				bd.add(findingAt(advice.Warning, CodeBundleChanged, fp.Child("sha256"), refBundle, "%s has changed since the bundle was rendered: its SHA-256 is not the one recorded; render again, or review the change", printableLine(f.Path)))
				continue
			}
			if d.kind == KindUnknown {
				// Known now: the bundle says what it is and the hash that
				// it is unchanged.
				d.kind = Kind(f.Kind)
				d.findings = slices.DeleteFunc(d.findings, func(f advice.Finding) bool { return f.Code == CodeUnknownKind })
			}
		}
	}
}

// slashPath cleans a file name into slash form for matching.
func slashPath(name string) string {
	return path.Clean(strings.ReplaceAll(name, "\\", "/"))
}
