package dnsplan

import (
	"bytes"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// Corefile is a parsed CoreDNS configuration: server blocks, each with its
// keys (zones, with optional scheme and port) and directives.
type Corefile struct {
	Blocks []ServerBlock
	// Imports are the file patterns of "import" lines that name no
	// snippet. CoreDNS splices those files in; ParseCorefile reads no
	// files, so their content is not in Blocks.
	Imports []string
}

// ServerBlock is `key [key…] { directives }`.
type ServerBlock struct {
	Keys       []string
	Directives []Directive
}

// Directive is one plugin line: its name, arguments and optional block.
// Line is where ParseCorefile found it (0 for a directive built in Go).
type Directive struct {
	Name  string
	Args  []string
	Block []Directive
	Line  int
}

// corefileToken reports whether s can be written as a bare Corefile token:
// no whitespace, braces, quotes, '#' or control characters.
func corefileToken(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == '{' || r == '}' || r == '"' || r == '#' || r == '`' || r == '\\'
	})
}

// Bytes writes the blocks in CoreDNS's usual layout: four-space indents,
// one directive per line (Imports are not written: where they stood is
// not kept). Every key, name and argument must be a bare token
// (Corefile.Check reports the ones that are not), no directive may be
// named import and no block's keys may read as an import or a snippet;
// Bytes returns an error rather than write one.
func (c Corefile) Bytes() ([]byte, error) {
	var b bytes.Buffer
	for i, sb := range c.Blocks {
		if i > 0 {
			b.WriteByte('\n')
		}
		if len(sb.Keys) == 0 {
			return nil, fmt.Errorf("dnsplan: corefile block %d has no keys", i)
		}
		for _, k := range sb.Keys {
			if !corefileToken(k) || strings.HasSuffix(k, ",") {
				return nil, fmt.Errorf("dnsplan: corefile key %q is not a bare token without a trailing comma", k)
			}
		}
		// Written at the start of a line, these would be read back as an
		// import or a snippet definition.
		if sb.Keys[0] == "import" || len(sb.Keys) == 1 && strings.HasPrefix(sb.Keys[0], "(") && strings.HasSuffix(sb.Keys[0], ")") {
			return nil, fmt.Errorf("dnsplan: corefile block keys %q would be read back as an import or a snippet", sb.Keys)
		}
		b.WriteString(strings.Join(sb.Keys, " "))
		b.WriteString(" {\n")
		if err := writeDirectives(&b, sb.Directives, 1); err != nil {
			return nil, err
		}
		b.WriteString("}\n")
	}
	return b.Bytes(), nil
}

func writeDirectives(b *bytes.Buffer, ds []Directive, depth int) error {
	for _, d := range ds {
		if d.Name == "import" {
			return fmt.Errorf("dnsplan: a directive named import would be read back as an import")
		}
		for _, t := range append([]string{d.Name}, d.Args...) {
			if !corefileToken(t) {
				return fmt.Errorf("dnsplan: corefile token %q in %s is not a bare token", t, d.Name)
			}
		}
		b.WriteString(strings.Repeat("    ", depth))
		b.WriteString(strings.Join(append([]string{d.Name}, d.Args...), " "))
		if d.Block != nil {
			b.WriteString(" {\n")
			if err := writeDirectives(b, d.Block, depth+1); err != nil {
				return err
			}
			b.WriteString(strings.Repeat("    ", depth))
			b.WriteString("}")
		}
		b.WriteByte('\n')
	}
	return nil
}

// corednsPlugins are the directives of CoreDNS v1.15.0's plugin.cfg, the
// in-tree plugins compiled into the official image
// (https://github.com/coredns/coredns/blob/v1.15.0/plugin.cfg).
func corednsPlugins() []string {
	return []string{
		"root", "metadata", "geoip", "cancel", "proxyproto", "quic", "grpc_server", "https", "https3", "timeouts",
		"multisocket", "reload", "nsid", "bufsize", "bind", "debug", "trace", "ready", "health", "pprof", "shed",
		"prometheus", "errors", "log", "dnstap", "local", "dns64", "siit", "any", "chaos", "loadbalance", "tsig",
		"rewrite", "autopath", "acl", "cache", "header", "dnssec", "tls", "minimal", "template", "transfer",
		"dynupdate", "hosts", "route53", "azure", "clouddns", "k8s_external", "kubernetes", "file", "auto",
		"secondary", "etcd", "loop", "forward", "grpc", "erratic", "whoami", "on", "sign", "view", "nomad",
	}
}

// corednsOncePlugins refuse a second use in one server block with
// plugin.ErrOnce, "this plugin can only be used once per Server Block"
// (their setup.go in coredns/coredns v1.12.4, the EKS add-on's release for
// Kubernetes 1.33 and 1.34, and v1.15.0, which adds dynupdate and shed).
func corednsOncePlugins() []string {
	return []string{"cache", "dnssec", "dynupdate", "errors", "grpc", "hosts", "kubernetes", "loop", "nsid", "pprof", "prometheus", "ready", "shed", "tsig", "view"}
}

// forwardPolicies are the forward plugin's policy values
// (plugin/forward/setup.go, v1.12.4 to v1.15.0).
func forwardPolicies() []string { return []string{"random", "round_robin", "sequential"} }

// MaxForwardUpstreams is the forward plugin's limit: "The number of
// upstreams is limited to 15" (coredns plugin/forward README).
const MaxForwardUpstreams = 15

// Finding codes of Corefile.Check.
const (
	CodeCorefileUnknownPlugin   advice.Code = "dnsplan/corefile-unknown-plugin"
	CodeCorefileDuplicateKey    advice.Code = "dnsplan/corefile-duplicate-key"
	CodeCorefileTooManyUpstream advice.Code = "dnsplan/corefile-forward-upstreams"
	CodeCorefileNoReady         advice.Code = "dnsplan/corefile-no-ready"
	CodeCorefileBadKey          advice.Code = "dnsplan/corefile-bad-key"
	CodeCorefileDuplicatePlugin advice.Code = "dnsplan/corefile-duplicate-plugin"
	CodeCorefileForwardArgs     advice.Code = "dnsplan/corefile-forward-args"
	CodeCorefileForwardPolicy   advice.Code = "dnsplan/corefile-forward-policy"
	CodeCorefileHostUpstream    advice.Code = "dnsplan/corefile-hostname-upstream"
	CodeCorefileImport          advice.Code = "dnsplan/corefile-file-import"
)

// Sources of Check's findings, pinned to the CoreDNS releases they hold for.
const (
	refCorefilePlugins = "https://github.com/coredns/coredns/blob/v1.15.0/plugin.cfg"
	refCorefileOnce    = "https://github.com/coredns/coredns/blob/v1.12.4/plugin/plugin.go"
	refCorefileForward = "https://github.com/coredns/coredns/blob/v1.12.4/plugin/forward/setup.go"
	refCorefileHost    = "https://github.com/coredns/coredns/blob/v1.12.4/plugin/pkg/parse/host.go"
	refCorefileImport  = "https://coredns.io/plugins/import/"
)

// Check reports, as Error findings, what CoreDNS refuses at start-up
// without running: unknown plugin names, a zone and port served by two
// blocks, invalid zone keys, a second use of a plugin that allows one per
// block (cache, errors, ready, …), and forward without an upstream, with
// an unknown policy, with more than 15 upstreams or with a host name as an
// upstream (CoreDNS before v1.15.0 refuses it); as a Warning a root block
// without `ready`, which EKS's CoreDNS readiness probe needs; as Info each
// file import, whose content Check cannot see.
func (c Corefile) Check() []advice.Finding {
	var fs []advice.Finding
	add := func(l advice.Level, code advice.Code, at *field.Path, ref, format string, args ...any) {
		fs = append(fs, advice.Finding{Level: l, Code: code, Field: at.String(), Message: fmt.Sprintf(format, args...), Ref: ref})
	}
	known, once := corednsPlugins(), corednsOncePlugins()
	seen := map[string]int{}
	for bi, sb := range c.Blocks {
		bf := field.NewPath("blocks").Index(bi)
		root := false
		for _, k := range sb.Keys {
			zone, port, ok := splitCorefileKey(k)
			if !ok {
				add(advice.Error, CodeCorefileBadKey, bf, "https://coredns.io/manual/toc/#server-blocks", "server block key %s is not zone[:port]", advice.Quote(k))
				continue
			}
			if zone == "." {
				root = true
			}
			id := zone + ":" + port
			if prev, dup := seen[id]; dup {
				add(advice.Error, CodeCorefileDuplicateKey, bf, "https://coredns.io/manual/toc/#server-blocks", "%s is also served by blocks[%d]: CoreDNS refuses to start", advice.Quote(id), prev)
			}
			seen[id] = bi
		}
		hasReady := false
		used := map[string]int{}
		for di, d := range sb.Directives {
			df := bf.Child("directives").Index(di)
			if !slices.Contains(known, d.Name) {
				add(advice.Error, CodeCorefileUnknownPlugin, df, refCorefilePlugins, "%s is not a CoreDNS plugin", advice.Quote(d.Name))
			}
			if first, dup := used[d.Name]; dup && slices.Contains(once, d.Name) {
				add(advice.Error, CodeCorefileDuplicatePlugin, df, refCorefileOnce,
					"%s appears again (first at directives[%d]): CoreDNS refuses it, \"this plugin can only be used once per Server Block\"", d.Name, first)
			} else if !dup {
				used[d.Name] = di
			}
			if d.Name == "ready" {
				hasReady = true
			}
			if d.Name == "forward" {
				fs = append(fs, checkForward(df, d)...)
			}
		}
		if root && !hasReady {
			add(advice.Warning, CodeCorefileNoReady, bf, "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html", "the root block has no ready plugin: EKS's CoreDNS readiness probe uses /ready, so the pods never become ready")
		}
	}
	for i, imp := range c.Imports {
		add(advice.Info, CodeCorefileImport, field.NewPath("imports").Index(i), refCorefileImport,
			"import %s: CoreDNS splices in the files it names, which this check does not read", advice.Quote(imp))
	}
	return fs
}

// checkForward checks a forward directive as its setup does: FROM and at
// least one TO, at most 15 upstreams, IP addresses or files as upstreams,
// and a known policy.
func checkForward(df *field.Path, d Directive) []advice.Finding {
	var fs []advice.Finding
	if len(d.Args) < 2 {
		return append(fs, advice.Finding{Level: advice.Error, Code: CodeCorefileForwardArgs, Field: df.String(), Ref: refCorefileForward,
			Message: fmt.Sprintf("forward needs the zone it forwards and at least one upstream (forward FROM TO…); it has %d argument(s)", len(d.Args))})
	}
	if n := len(d.Args) - 1; n > MaxForwardUpstreams {
		fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeCorefileTooManyUpstream, Field: df.String(), Ref: "https://coredns.io/plugins/forward/",
			Message: fmt.Sprintf("forward lists %d upstreams; the limit is %d", n, MaxForwardUpstreams)})
	}
	for _, to := range d.Args[1:] {
		if forwardHostName(to) {
			fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeCorefileHostUpstream, Field: df.String(), Ref: refCorefileHost,
				Message: fmt.Sprintf("upstream %s is a host name: CoreDNS v1.14 and earlier, including v1.12.4 (the EKS add-on for Kubernetes 1.33 and 1.34), refuse it (\"not an IP address or file\"), and v1.15.0 resolves it only once, at start-up; use the server's IP address", advice.Quote(to))})
		}
	}
	for _, o := range d.Block {
		if o.Name != "policy" {
			continue
		}
		if len(o.Args) != 1 || !slices.Contains(forwardPolicies(), o.Args[0]) {
			fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeCorefileForwardPolicy, Field: df.String(), Ref: refCorefileForward,
				Message: fmt.Sprintf("forward policy %s: CoreDNS knows %s (fastest is another server's option)", advice.Quote(strings.Join(o.Args, " ")), strings.Join(forwardPolicies(), ", "))})
		}
	}
	return fs
}

// forwardHostName reports whether a forward upstream names a host rather
// than an IP address (with optional transport, port and zone) or a file.
func forwardHostName(to string) bool {
	host := to
	if scheme, rest, ok := strings.Cut(to, "://"); ok {
		if scheme == "unix" {
			return false
		}
		host = rest
	}
	// Drop a port: "[v6]:53" or "v4-or-name:53" (a bare IPv6 address has
	// more than one colon and no port).
	if strings.HasPrefix(host, "[") {
		if end := strings.IndexByte(host, ']'); end > 0 {
			host = host[1:end]
		}
	} else if strings.Count(host, ":") == 1 {
		host, _, _ = strings.Cut(host, ":")
	}
	host, _, _ = strings.Cut(host, "%")
	if _, err := netip.ParseAddr(host); err == nil {
		return false
	}
	return !strings.Contains(host, "/") && host != ""
}

// splitCorefileKey splits [dns://]zone[:port] and checks the zone is "."
// or a Domain and the port a number.
func splitCorefileKey(k string) (zone, port string, ok bool) {
	k = strings.TrimPrefix(k, "dns://")
	zone, port = k, "53"
	if i := strings.LastIndexByte(k, ':'); i >= 0 {
		zone, port = k[:i], k[i+1:]
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", "", false
		}
	}
	if zone == "." {
		return zone, port, true
	}
	if pfx, err := netip.ParsePrefix(zone); err == nil {
		// CoreDNS turns a CIDR key into its reverse zone.
		return pfx.Masked().String(), port, true
	}
	d, err := ParseDomain(zone)
	if err != nil {
		return "", "", false
	}
	return d.FQDN(), port, true
}
