package dnsplan

import (
	"bytes"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridkit/hybridkit/advice"
)

// Corefile is a parsed CoreDNS configuration: server blocks, each with its
// keys (zones, with optional scheme and port) and directives.
type Corefile struct {
	Blocks []ServerBlock
}

// ServerBlock is `key [key…] { directives }`.
type ServerBlock struct {
	Keys       []string
	Directives []Directive
}

// Directive is one plugin line: its name, arguments and optional block.
type Directive struct {
	Name  string
	Args  []string
	Block []Directive
}

// corefileToken reports whether s can be written as a bare Corefile token:
// no whitespace, braces, quotes, '#' or control characters.
func corefileToken(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == '{' || r == '}' || r == '"' || r == '#' || r == '`' || r == '\\'
	})
}

// Bytes writes the Corefile in CoreDNS's usual layout: four-space indents,
// one directive per line. Every key, name and argument must be a bare
// token (Corefile.Check reports the ones that are not); Bytes returns an
// error rather than write one.
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
			if !corefileToken(k) {
				return nil, fmt.Errorf("dnsplan: corefile key %q is not a bare token", k)
			}
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

// corefileTok is a lexed token and the line it started on.
type corefileTok struct {
	text   string
	line   int
	quoted bool
	eol    bool // last token on its line
}

// lexCorefile splits a Corefile into tokens the way CoreDNS's Caddyfile
// lexer does: whitespace separates, '#' starts a comment to the end of the
// line, double quotes group (with \" inside), and { and } are tokens only
// when they stand alone or end or start a word.
func lexCorefile(data []byte) ([]corefileTok, error) {
	var toks []corefileTok
	line := 1
	s := string(data)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			if len(toks) > 0 {
				toks[len(toks)-1].eol = true
			}
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '"':
			var b strings.Builder
			start := line
			i++
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("dnsplan: corefile line %d: unterminated quote", start)
				}
				if s[i] == '\\' && i+1 < len(s) && s[i+1] == '"' {
					b.WriteByte('"')
					i += 2
					continue
				}
				if s[i] == '"' {
					i++
					break
				}
				if s[i] == '\n' {
					line++
				}
				b.WriteByte(s[i])
				i++
			}
			toks = append(toks, corefileTok{text: b.String(), line: start, quoted: true})
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n", rune(s[j])) {
				j++
			}
			toks = append(toks, corefileTok{text: s[i:j], line: line})
			i = j
		}
	}
	if len(toks) > 0 {
		toks[len(toks)-1].eol = true
	}
	return toks, nil
}

// ParseCorefile parses a Corefile into server blocks and directives. It
// checks the structure CoreDNS's parser checks before any plugin runs:
// balanced braces, every server block opened with '{' after its keys, no
// directive outside a block. Plugin names and arguments are Check's job.
func ParseCorefile(data []byte) (Corefile, error) {
	toks, err := lexCorefile(data)
	if err != nil {
		return Corefile{}, err
	}
	var cf Corefile
	i := 0
	for i < len(toks) {
		var sb ServerBlock
		for i < len(toks) && (toks[i].quoted || toks[i].text != "{") {
			if !toks[i].quoted && toks[i].text == "}" {
				return Corefile{}, fmt.Errorf("dnsplan: corefile line %d: unexpected '}'", toks[i].line)
			}
			for _, k := range strings.Split(toks[i].text, ",") {
				if k != "" {
					sb.Keys = append(sb.Keys, k)
				}
			}
			i++
		}
		if i >= len(toks) {
			return Corefile{}, fmt.Errorf("dnsplan: corefile: server block %q has no '{'", strings.Join(sb.Keys, " "))
		}
		if len(sb.Keys) == 0 {
			return Corefile{}, fmt.Errorf("dnsplan: corefile line %d: '{' without server block keys", toks[i].line)
		}
		i++ // '{'
		sb.Directives, i, err = parseDirectives(toks, i)
		if err != nil {
			return Corefile{}, err
		}
		cf.Blocks = append(cf.Blocks, sb)
	}
	return cf, nil
}

// parseDirectives reads directives up to the closing '}' and returns the
// index after it.
func parseDirectives(toks []corefileTok, i int) ([]Directive, int, error) {
	var ds []Directive
	for i < len(toks) {
		t := toks[i]
		if !t.quoted && t.text == "}" {
			return ds, i + 1, nil
		}
		if !t.quoted && t.text == "{" {
			return nil, 0, fmt.Errorf("dnsplan: corefile line %d: '{' without a directive", t.line)
		}
		d := Directive{Name: t.text}
		i++
		for !t.eol && i < len(toks) {
			t = toks[i]
			if !t.quoted && t.text == "{" {
				i++
				var err error
				d.Block, i, err = parseDirectives(toks, i)
				if err != nil {
					return nil, 0, err
				}
				if d.Block == nil {
					d.Block = []Directive{}
				}
				break
			}
			if !t.quoted && t.text == "}" {
				break
			}
			d.Args = append(d.Args, t.text)
			i++
		}
		ds = append(ds, d)
	}
	return nil, 0, fmt.Errorf("dnsplan: corefile: missing '}'")
}

// corednsPlugins are the directives of CoreDNS's plugin.cfg (coredns/coredns
// at the v1.12–v1.15 releases: the in-tree plugins compiled into the
// official image).
func corednsPlugins() []string {
	return []string{
		"root", "metadata", "geoip", "cancel", "tls", "proxyproto", "quic", "grpc_server", "https", "https3",
		"timeouts", "multisocket", "reload", "nsid", "bufsize", "bind", "debug", "trace", "ready", "health",
		"pprof", "prometheus", "errors", "log", "dnstap", "local", "dns64", "any", "chaos", "loadbalance",
		"tsig", "cache", "rewrite", "acl", "header", "dnssec", "autopath", "minimal", "template", "transfer",
		"hosts", "route53", "azure", "clouddns", "k8s_external", "kubernetes", "file", "auto", "secondary",
		"etcd", "loop", "forward", "grpc", "erratic", "whoami", "on", "sign", "view", "nomad",
	}
}

// MaxForwardUpstreams is the forward plugin's limit: "The number of
// upstreams is limited to 15" (coredns plugin/forward README).
const MaxForwardUpstreams = 15

// Finding codes of Corefile.Check.
const (
	CodeCorefileUnknownPlugin   = "dnsplan/corefile-unknown-plugin"
	CodeCorefileDuplicateKey    = "dnsplan/corefile-duplicate-key"
	CodeCorefileTooManyUpstream = "dnsplan/corefile-forward-upstreams"
	CodeCorefileNoReady         = "dnsplan/corefile-no-ready"
	CodeCorefileBadKey          = "dnsplan/corefile-bad-key"
)

// Check reports, as Error findings, what CoreDNS would refuse at start-up
// without running: unknown plugin names, a zone and port served by two
// blocks, a forward with more than 15 upstreams, invalid zone keys; and as
// a Warning a root block without `ready`, which EKS's CoreDNS readiness
// probe needs.
func (c Corefile) Check() []advice.Finding {
	var fs []advice.Finding
	known := corednsPlugins()
	seen := map[string]int{}
	for bi, sb := range c.Blocks {
		bf := "blocks[" + strconv.Itoa(bi) + "]"
		root := false
		for _, k := range sb.Keys {
			zone, port, ok := splitCorefileKey(k)
			if !ok {
				fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeCorefileBadKey, Field: bf, Message: fmt.Sprintf("server block key %q is not zone[:port]", k)})
				continue
			}
			if zone == "." {
				root = true
			}
			id := zone + ":" + port
			if prev, dup := seen[id]; dup {
				fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeCorefileDuplicateKey, Field: bf, Message: fmt.Sprintf("%s is also served by blocks[%d]: CoreDNS refuses to start", id, prev),
					Ref: "https://coredns.io/manual/toc/#server-blocks"})
			}
			seen[id] = bi
		}
		hasReady := false
		for di, d := range sb.Directives {
			df := bf + ".directives[" + strconv.Itoa(di) + "]"
			if !slices.Contains(known, d.Name) {
				fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeCorefileUnknownPlugin, Field: df, Message: fmt.Sprintf("%q is not a CoreDNS plugin", d.Name), Ref: "https://github.com/coredns/coredns/blob/master/plugin.cfg"})
			}
			if d.Name == "ready" {
				hasReady = true
			}
			if d.Name == "forward" && len(d.Args) > 1+MaxForwardUpstreams {
				fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeCorefileTooManyUpstream, Field: df, Message: fmt.Sprintf("forward lists %d upstreams; the limit is %d", len(d.Args)-1, MaxForwardUpstreams), Ref: "https://coredns.io/plugins/forward/"})
			}
		}
		if root && !hasReady {
			fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeCorefileNoReady, Field: bf, Message: "the root block has no ready plugin: EKS's CoreDNS readiness probe uses /ready, so the pods never become ready", Ref: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html"})
		}
	}
	return fs
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
