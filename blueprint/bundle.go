package blueprint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
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
type Bundle struct {
	Files []File
}

// File returns the file at path.
func (b Bundle) File(path string) (File, bool) {
	for _, f := range b.Files {
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
	out := make([]IndexEntry, len(b.Files))
	for i, f := range b.Files {
		sum := sha256.Sum256(f.Content)
		out[i] = IndexEntry{Path: f.Path, Kind: f.Kind, SHA256: hex.EncodeToString(sum[:]), Bytes: len(f.Content), Description: f.Description, Secret: f.Secret}
	}
	return out
}

// IndexJSON is bundle.json: {"files": Index()}, indented.
func (b Bundle) IndexJSON() ([]byte, error) {
	js, err := json.MarshalIndent(struct {
		Files []IndexEntry `json:"files"`
	}{b.Index()}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(js, '\n'), nil
}
