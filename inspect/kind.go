package inspect

import (
	"bytes"
	"encoding/json"
	"path"
	"slices"
	"strings"

	"github.com/hybridkit/hybridkit/internal/eksctl"
)

// Kind is what a file was recognised as. The kinds a hybridkit bundle
// also writes have the bundle's names (bundle.json's "kind"), so a
// bundle's files inspect as the kind the bundle says they are.
type Kind string

// The kinds inspect reads.
const (
	KindUnknown    Kind = "unknown"
	KindNodeConfig Kind = "nodeconfig"      // nodeadm's NodeConfig, YAML or JSON
	KindContainerd Kind = "containerd-toml" // config.toml, a drop-in, or `containerd config dump`
	KindCorefile   Kind = "corefile"        // a Corefile (the coredns ConfigMap is a manifest)
	KindBIND       Kind = "bind-conf"       // named.conf zones, forwarders, options
	KindUnbound    Kind = "unbound-conf"    // unbound.conf forward-zones
	KindDnsmasq    Kind = "dnsmasq-conf"    // dnsmasq server= lines
	KindManifests  Kind = "k8s-manifest"    // Kubernetes objects: YAML streams, List, kubectl get output
	KindAWSSGs     Kind = "aws-security-groups"
	KindAWSRules   Kind = "aws-resolver-rules"
	KindAWSAssocs  Kind = "aws-resolver-rule-associations"
	KindAWSCluster Kind = "aws-eks-cluster"
	KindAWSVPCs    Kind = "aws-vpcs"
	KindAWSRoutes  Kind = "aws-route-tables"
	KindIPRoute    Kind = "ip-route"   // `ip -j route` or `ip route show`
	KindNvidiaSMI  Kind = "nvidia-smi" // `nvidia-smi -q -x` or the --query-gpu CSV
	KindOSRelease  Kind = "os-release"
	KindPing       Kind = "ping"
	KindIperf3     Kind = "iperf3" // iperf3 -J
	KindBundle     Kind = "hybridkit-bundle"
	// KindEksctl is an eksctl ClusterConfig (eksctl.io/v1alpha5).
	KindEksctl Kind = "eksctl-config"
)

// Kinds returns every kind inspect reads, KindUnknown excluded.
func Kinds() []Kind {
	return []Kind{KindNodeConfig, KindContainerd, KindCorefile, KindBIND, KindUnbound, KindDnsmasq, KindManifests,
		KindAWSSGs, KindAWSRules, KindAWSAssocs, KindAWSCluster, KindAWSVPCs, KindAWSRoutes,
		KindIPRoute, KindNvidiaSMI, KindOSRelease, KindPing, KindIperf3, KindBundle, KindEksctl}
}

// detect names the kind of data. The content decides; the name only
// breaks ties between formats that look alike.
func detect(name string, data []byte) Kind {
	s := bytes.TrimSpace(data)
	if len(s) == 0 {
		return KindUnknown
	}
	if s[0] == '{' || s[0] == '[' {
		if k := detectJSON(s); k != KindUnknown {
			return k
		}
	}
	if bytes.HasPrefix(s, []byte("<?xml")) && bytes.Contains(s, []byte("<nvidia_smi_log")) || bytes.HasPrefix(s, []byte("<nvidia_smi_log")) {
		return KindNvidiaSMI
	}
	text := string(s)
	lines := strings.Split(text, "\n")
	first := strings.TrimSpace(lines[0])
	switch {
	case yamlKey(lines, "kind") == "NodeConfig":
		return KindNodeConfig
	case yamlKey(lines, "kind") == eksctl.Kind && strings.HasPrefix(yamlKey(lines, "apiVersion"), "eksctl.io/"):
		return KindEksctl
	case yamlKey(lines, "apiVersion") != "" && yamlKey(lines, "kind") != "", yamlKey(lines, "items") != "" && yamlKey(lines, "apiVersion") != "":
		return KindManifests
	case strings.HasPrefix(first, "PING ") || strings.Contains(text, " packets transmitted, "):
		return KindPing
	case yamlKey(lines, "ID") != "" && (yamlKey(lines, "VERSION_ID") != "" || yamlKey(lines, "PRETTY_NAME") != ""):
		return KindOSRelease
	case strings.Contains(first, "driver_version") || strings.Contains(first, "pci.device_id") || strings.HasPrefix(first, "name, "):
		return KindNvidiaSMI
	case anyLine(lines, isTOMLContainerdLine):
		return KindContainerd
	case anyLine(lines, func(l string) bool { return l == "forward-zone:" }):
		return KindUnbound
	case anyLine(lines, isBINDStatement):
		return KindBIND
	case anyLine(lines, func(l string) bool { return strings.HasPrefix(l, "server=") || strings.HasPrefix(l, "server =") }):
		return KindDnsmasq
	case anyLine(lines, isRouteLine):
		return KindIPRoute
	case path.Base(name) == "Corefile" || anyLine(lines, isCorefileBlockStart):
		return KindCorefile
	}
	return KindUnknown
}

// anyLine reports whether some line, trimmed and without a trailing
// comment-only remainder, satisfies f.
func anyLine(lines []string, f func(string) bool) bool {
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" && l[0] != '#' && f(l) {
			return true
		}
	}
	return false
}

// yamlKey returns the value of a top-level "key: value" (YAML) or
// "KEY=value" (os-release) line, unquoted, or "" when there is none. A key
// with a block value returns "-".
func yamlKey(lines []string, key string) string {
	for _, l := range lines {
		rest, ok := strings.CutPrefix(l, key)
		if !ok || rest == "" || (rest[0] != ':' && rest[0] != '=') {
			continue
		}
		v := strings.Trim(strings.TrimSpace(rest[1:]), `"'`)
		if v == "" {
			return "-"
		}
		return v
	}
	return ""
}

func isTOMLContainerdLine(l string) bool {
	switch {
	case strings.HasPrefix(l, "[plugins") || strings.HasPrefix(l, "[[plugins"):
		return true
	case strings.HasPrefix(l, "version") && strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(l, "version")), "="):
		return true
	case strings.HasPrefix(l, "imports") && strings.Contains(l, "="):
		return true
	}
	return false
}

// isBINDNameRune is a rune of a statement's name or quoted argument.
func isBINDNameRune(r rune) bool {
	return r == ' ' || r == '\t' || r == '"' || r == '.' || r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// isBINDStatement matches the named.conf statements inspect reads, as a
// whole file or an options fragment writes them.
func isBINDStatement(l string) bool {
	for _, kw := range []string{"zone", "options", "forwarders", "validate-except", "view"} {
		if rest, ok := strings.CutPrefix(l, kw); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '{') && strings.HasPrefix(strings.TrimLeftFunc(rest, isBINDNameRune), "{") {
			return true
		}
	}
	switch strings.Join(strings.Fields(l), " ") {
	case "forward only;", "forward first;", "dnssec-validation auto;", "dnssec-validation yes;", "dnssec-validation no;":
		return true
	}
	return false
}

func isRouteLine(l string) bool {
	f := strings.Fields(l)
	if len(f) < 3 {
		return false
	}
	dst := f[0]
	if dst == "default" || dst == "unreachable" || dst == "blackhole" || dst == "local" || dst == "broadcast" {
		return hasAnyWord(f[1:], "via", "dev", "proto", "scope")
	}
	if strings.IndexFunc(dst, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r == '.' || r == ':' || r == '/' || r >= 'a' && r <= 'f')
	}) >= 0 {
		return false
	}
	return hasAnyWord(f[1:], "via", "dev")
}

// hasAnyWord reports whether f holds one of words.
func hasAnyWord(f []string, words ...string) bool {
	return slices.ContainsFunc(f, func(x string) bool { return slices.Contains(words, x) })
}

// isCorefileBlockStart matches the line that opens a server block:
// "company.local:53 {", ".:53 {".
func isCorefileBlockStart(l string) bool {
	if !strings.HasSuffix(l, "{") || strings.ContainsAny(l[:len(l)-1], "{}=;\"") {
		return false
	}
	keys := strings.Fields(strings.TrimSuffix(l, "{"))
	if len(keys) == 0 {
		return false
	}
	for _, k := range keys {
		if !strings.Contains(k, ".") && !strings.Contains(k, ":") {
			return false
		}
	}
	return true
}

// detectJSON names JSON documents by their top-level members: the AWS
// CLI's output shapes (the API actions' response elements), kubectl's,
// ip's, iperf3's, a bundle's index.
func detectJSON(s []byte) Kind {
	if s[0] == '[' {
		var routes []map[string]json.RawMessage
		if json.Unmarshal(s, &routes) == nil && len(routes) > 0 && routes[0]["dst"] != nil {
			return KindIPRoute
		}
		return KindUnknown
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(s, &top) != nil {
		return KindUnknown
	}
	has := func(k string) bool { _, ok := top[k]; return ok }
	switch {
	case has("SecurityGroups"):
		return KindAWSSGs
	case has("ResolverRules"):
		return KindAWSRules
	case has("ResolverRuleAssociations"):
		return KindAWSAssocs
	case has("cluster") && bytes.Contains(top["cluster"], []byte(`"resourcesVpcConfig"`)):
		return KindAWSCluster
	case has("Vpcs"):
		return KindAWSVPCs
	case has("RouteTables"):
		return KindAWSRoutes
	case has("start") && has("end") && has("intervals"):
		return KindIperf3
	case has("files") && bytes.Contains(top["files"], []byte(`"sha256"`)):
		return KindBundle
	case string(top["kind"]) == `"NodeConfig"`:
		return KindNodeConfig
	case has("apiVersion") && (has("kind") || has("items")):
		return KindManifests
	}
	return KindUnknown
}
