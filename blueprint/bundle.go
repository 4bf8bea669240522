package blueprint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridkit/hybridkit/advice"
)

// Kind says which program consumes a file of the bundle.
type Kind string

// Kinds, one per consumer.
const (
	KindNodeConfig     Kind = "nodeconfig"
	KindContainerdTOML Kind = "containerd-toml"
	KindK8sManifest    Kind = "k8s-manifest"
	KindHelmValues     Kind = "helm-values"
	KindBINDConf       Kind = "bind-conf"
	KindUnboundConf    Kind = "unbound-conf"
	KindCorefile       Kind = "corefile"
	KindDnsmasqConf    Kind = "dnsmasq-conf"
	KindResolvedConf   Kind = "resolved-conf"
	KindNFTables       Kind = "nftables"
	KindIPTables       Kind = "iptables-restore"
	KindShell          Kind = "shell"
	KindMarkdown       Kind = "markdown"
	KindJSON           Kind = "json"
	KindCSV            Kind = "csv"
	// KindEksctlConfig is an eksctl ClusterConfig (eksctl.io/v1alpha5):
	// eksctl create cluster -f.
	KindEksctlConfig Kind = "eksctl-config"
)

// File is one file of a Bundle. Secret files (NodeConfigs holding an SSM
// activation code) should be written readable by their owner only;
// String and %v never show Content.
type File struct {
	// Path is slash-separated and relative ("nodeconfigs/gpu-node-01.yaml").
	Path        string
	Kind        Kind
	Description string
	Content     []byte
	Secret      bool
}

// String describes the file without its content.
func (f File) String() string {
	s := f.Path + " (" + string(f.Kind) + ", " + strconv.Itoa(len(f.Content)) + " bytes"
	if f.Secret {
		s += ", secret"
	}
	return s + ")"
}

// GoString is String, so %#v does not print a secret either.
func (f File) GoString() string { return "blueprint.File{" + f.String() + "}" }

// Bundle is the ordered list of files a blueprint renders to: README.md
// (the plan report) and plan.json first, then every other file by path.
// Every path is a clean, relative, local path (see ValidPath): a Bundle
// refuses to hold any other, so writing it under a folder never writes
// outside that folder. The zero Bundle is empty.
type Bundle struct {
	files []File
}

// NewBundle returns a Bundle of files in the given order. It refuses a
// file whose path ValidPath rejects, two files at one path, and a file at
// IndexPath, which a writer of the bundle writes itself.
func NewBundle(files ...File) (Bundle, error) {
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		if err := ValidPath(f.Path); err != nil {
			return Bundle{}, err
		}
		switch {
		case f.Path == IndexPath:
			return Bundle{}, fmt.Errorf("blueprint: bundle path %s is the index every writer adds", advice.Quote(f.Path))
		case seen[f.Path]:
			return Bundle{}, fmt.Errorf("blueprint: two files at %s", advice.Quote(f.Path))
		}
		seen[f.Path] = true
	}
	return Bundle{files: slices.Clone(files)}, nil
}

// IndexPath is where a writer of a bundle puts IndexJSON.
const IndexPath = "bundle.json"

// maxPathBytes bounds a bundle path: PATH_MAX on Linux is 4096, and the
// path is joined under an output folder.
const maxPathBytes = 1024

// ValidPath reports whether p can name a file of a bundle: non-empty,
// slash-separated, relative and clean (no "." or ".." element, no empty
// element, no leading or trailing slash), local to the folder it is
// written under (filepath.IsLocal on every platform), made of ASCII
// letters, digits and "._-" only — no spaces, control characters, colons
// or backslashes — and at most 1024 bytes. It returns nil or an error
// naming the problem.
func ValidPath(p string) error {
	why := ""
	switch {
	case p == "":
		why = "is empty"
	case len(p) > maxPathBytes:
		why = fmt.Sprintf("is longer than %d bytes", maxPathBytes)
	case strings.ContainsFunc(p, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' || r == '/')
	}):
		why = "holds a character other than letters, digits, '.', '_', '-' and '/'"
	case path.Clean(p) != p || strings.HasPrefix(p, "/") || slices.ContainsFunc(strings.Split(p, "/"), func(e string) bool { return e == "." || e == ".." }):
		why = "is not a clean relative path"
	case !filepath.IsLocal(filepath.FromSlash(p)):
		why = "is not local to the folder it is written under"
	}
	if why != "" {
		return fmt.Errorf("blueprint: bundle path %s %s", advice.Quote(p), why)
	}
	return nil
}

// Files returns the files in bundle order. The slice is a copy; the
// files' contents are shared.
func (b Bundle) Files() []File { return slices.Clone(b.files) }

// Len returns the number of files.
func (b Bundle) Len() int { return len(b.files) }

// File returns the file at path.
func (b Bundle) File(path string) (File, bool) {
	for _, f := range b.files {
		if f.Path == path {
			return f, true
		}
	}
	return File{}, false
}

// IndexEntry describes one file in bundle.json.
type IndexEntry struct {
	Path        string `json:"path"`
	Kind        Kind   `json:"kind"`
	SHA256      string `json:"sha256"`
	Bytes       int    `json:"bytes"`
	Description string `json:"description"`
	Secret      bool   `json:"secret,omitempty"`
}

// Index lists the files with their SHA-256, in bundle order.
func (b Bundle) Index() []IndexEntry {
	out := make([]IndexEntry, len(b.files))
	for i, f := range b.files {
		sum := sha256.Sum256(f.Content)
		out[i] = IndexEntry{Path: f.Path, Kind: f.Kind, SHA256: hex.EncodeToString(sum[:]), Bytes: len(f.Content), Description: f.Description, Secret: f.Secret}
	}
	return out
}

// IndexJSON is bundle.json: {"files": Index()}, indented.
func (b Bundle) IndexJSON() ([]byte, error) {
	return jsonFile(struct {
		Files []IndexEntry `json:"files"`
	}{b.Index()})
}
