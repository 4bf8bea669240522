package inspect

import (
	"fmt"
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/dnsplan"
)

// refBIND is the reference of named.conf's grammar and statements.
const refBIND = "https://bind9.readthedocs.io/en/latest/reference.html"

// bindStatement is one statement of a named.conf: its words up to a block
// or the closing ';', the statements of its block, and its line.
type bindStatement struct {
	words    []string
	block    []bindStatement
	hasBlock bool
	line     int
}

// bindToken is a word, a quoted string (unquoted) or one of { } ;.
type bindToken struct {
	text   string
	quoted bool
	line   int
}

// maxBINDDepth bounds block nesting; named.conf needs four (view, zone,
// forwarders, an address match list).
const maxBINDDepth = 16

// lexBIND splits named.conf text into tokens, dropping //, # and /* */
// comments as named does.
func lexBIND(data []byte) ([]bindToken, error) {
	var out []bindToken
	line := 1
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#' || c == '/' && i+1 < len(data) && data[i+1] == '/':
			for i < len(data) && data[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(data) && data[i+1] == '*':
			start := line
			i += 2
			for ; i+1 < len(data) && !(data[i] == '*' && data[i+1] == '/'); i++ {
				if data[i] == '\n' {
					line++
				}
			}
			if i+1 >= len(data) {
				return nil, fmt.Errorf("line %d: comment not closed", start)
			}
			i += 2
		case c == '{' || c == '}' || c == ';':
			out = append(out, bindToken{text: string(c), line: line})
			i++
		case c == '"':
			start := line
			var b strings.Builder
			i++
			for ; i < len(data) && data[i] != '"'; i++ {
				switch data[i] {
				case '\\':
					if i+1 < len(data) {
						i++
					}
				case '\n':
					line++
				}
				b.WriteByte(data[i])
			}
			if i >= len(data) {
				return nil, fmt.Errorf("line %d: string not closed", start)
			}
			i++
			out = append(out, bindToken{text: b.String(), quoted: true, line: start})
		default:
			j := i
			for j < len(data) && !strings.ContainsRune(" \t\r\n{};\"", rune(data[j])) && !(data[j] == '/' && j+1 < len(data) && (data[j+1] == '/' || data[j+1] == '*')) && data[j] != '#' {
				j++
			}
			out = append(out, bindToken{text: string(data[i:j]), line: line})
			i = j
		}
	}
	return out, nil
}

// parseBIND reads named.conf text (a whole file or a fragment of options)
// into statements. Like named, it requires the ';' after every statement
// and block.
func parseBIND(data []byte) ([]bindStatement, error) {
	toks, err := lexBIND(data)
	if err != nil {
		return nil, err
	}
	p := bindParser{toks: toks}
	sts, err := p.statements(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, fmt.Errorf("line %d: unexpected '}'", p.toks[p.i].line)
	}
	return sts, nil
}

type bindParser struct {
	toks []bindToken
	i    int
}

// statements reads statements until a '}' (not consumed) or the end.
func (p *bindParser) statements(depth int) ([]bindStatement, error) {
	if depth > maxBINDDepth {
		// The opening brace just read is the one too deep; p.i may be past
		// the last token.
		return nil, fmt.Errorf("line %d: blocks nested deeper than %d", p.toks[p.i-1].line, maxBINDDepth)
	}
	var out []bindStatement
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		if !t.quoted && t.text == "}" {
			return out, nil
		}
		st := bindStatement{line: t.line}
		for p.i < len(p.toks) {
			t = p.toks[p.i]
			if t.quoted || t.text != "{" && t.text != "}" && t.text != ";" {
				st.words = append(st.words, t.text)
				p.i++
				continue
			}
			break
		}
		if p.i >= len(p.toks) {
			return nil, fmt.Errorf("line %d: missing ';' at the end", t.line)
		}
		switch p.toks[p.i].text {
		case "{":
			p.i++
			block, err := p.statements(depth + 1)
			if err != nil {
				return nil, err
			}
			if p.i >= len(p.toks) {
				return nil, fmt.Errorf("line %d: block not closed", st.line)
			}
			p.i++ // '}'
			st.block, st.hasBlock = block, true
			// Words may follow a block ("... } port 53;" does not occur in
			// the statements read here, but named allows some).
			for p.i < len(p.toks) && (p.toks[p.i].quoted || p.toks[p.i].text != ";" && p.toks[p.i].text != "{" && p.toks[p.i].text != "}") {
				st.words = append(st.words, p.toks[p.i].text)
				p.i++
			}
			if p.i >= len(p.toks) || p.toks[p.i].text != ";" {
				return nil, fmt.Errorf("line %d: missing ';' after the block that starts here", st.line)
			}
			p.i++
		case ";":
			p.i++
			if len(st.words) == 0 {
				continue // an empty statement
			}
		case "}":
			return nil, fmt.Errorf("line %d: missing ';' before '}'", p.toks[p.i].line)
		}
		out = append(out, st)
	}
	return out, nil
}

// forwardZone is a domain a resolver forwards, in any of the formats:
// where the file says it, its targets and policy, and whether the
// resolver validates DNSSEC for it.
type forwardZone struct {
	domain  string
	policy  dnsplan.ForwardPolicy
	targets []forwardTarget
	// at is the zone's path in the file's own terms, policyAt where its
	// policy is; line is where the zone starts, policyLine the line of a
	// policy the zone states itself (0 when it takes the default).
	at, policyAt     *field.Path
	line, policyLine int
	validated        bool
}

// forwardTarget is one address a zone is forwarded to, and where.
type forwardTarget struct {
	addr netip.Addr
	at   *field.Path
	line int
}

// bindZones reads the forward zones of named.conf statements: zone
// statements of type forward (in views too), and the global forwarders
// of options (the root zone). A zone without its own forward statement
// takes the global one, whose default is first.
func bindZones(sts []bindStatement) []forwardZone {
	opts := bindOptions{policy: dnsplan.ForwardFirst}
	// Options may come as a block or, in a fragment, at the top level.
	opts.read(sts)
	for _, st := range sts {
		if st.hasBlock && len(st.words) == 1 && st.words[0] == "options" {
			opts.seen = true
			opts.read(st.block)
		}
	}
	var out []forwardZone
	if len(opts.forwarders) > 0 {
		out = append(out, forwardZone{domain: ".", policy: opts.policy, targets: opts.forwarders,
			at: field.NewPath("options", "forwarders"), policyAt: field.NewPath("options", "forward"), line: opts.forwardersLine})
	}
	var walk func([]bindStatement, *field.Path)
	walk = func(sts []bindStatement, base *field.Path) {
		for _, st := range sts {
			if !st.hasBlock || len(st.words) < 2 {
				continue
			}
			switch st.words[0] {
			case "view":
				walk(st.block, base.Child("view").Key(st.words[1]))
			case "zone":
				name := strings.TrimSuffix(st.words[1], ".")
				if name == "" {
					name = "."
				}
				zp := base.Child("zone").Key(name)
				z := forwardZone{domain: name, policy: opts.policy, at: zp, policyAt: zp.Child("forward"), line: st.line}
				forward := false
				for _, s := range st.block {
					switch {
					case len(s.words) == 2 && s.words[0] == "type":
						forward = s.words[1] == "forward"
					case len(s.words) == 2 && s.words[0] == "forward":
						z.policy, z.policyLine = dnsplan.ForwardPolicy(s.words[1]), s.line
					case s.hasBlock && len(s.words) == 1 && s.words[0] == "forwarders":
						z.targets = bindAddresses(s.block, zp.Child("forwarders"))
					}
				}
				if len(z.targets) == 0 {
					z.targets = opts.forwarders
				}
				z.validated = opts.validating() && !opts.excepts(name)
				if forward && len(z.targets) > 0 {
					out = append(out, z)
				}
			}
		}
	}
	walk(sts, nil)
	return out
}

// bindOptions are the options statements the forwarding checks need.
type bindOptions struct {
	seen           bool // an options block is present
	policy         dnsplan.ForwardPolicy
	forwarders     []forwardTarget
	forwardersLine int
	dnssec         string // dnssec-validation as written, "" when absent
	validateExcept []string
}

func (o *bindOptions) read(sts []bindStatement) {
	for _, s := range sts {
		switch {
		case len(s.words) == 2 && s.words[0] == "forward":
			o.policy = dnsplan.ForwardPolicy(s.words[1])
		case s.hasBlock && len(s.words) == 1 && s.words[0] == "forwarders":
			o.forwarders, o.forwardersLine = bindAddresses(s.block, field.NewPath("options", "forwarders")), s.line
		case len(s.words) == 2 && s.words[0] == "dnssec-validation":
			o.dnssec = s.words[1]
		case s.hasBlock && len(s.words) == 1 && s.words[0] == "validate-except":
			for _, e := range s.block {
				if len(e.words) == 1 {
					o.validateExcept = append(o.validateExcept, strings.TrimSuffix(e.words[0], "."))
				}
			}
		}
	}
}

// validating reports whether the options make named validate DNSSEC: an
// options block without dnssec-validation does (the default is auto);
// a fragment that says nothing is not known to.
func (o bindOptions) validating() bool {
	switch o.dnssec {
	case "yes", "auto", "true":
		return true
	case "":
		return o.seen
	}
	return false
}

// excepts reports whether validate-except covers name.
func (o bindOptions) excepts(name string) bool {
	for _, e := range o.validateExcept {
		if strings.EqualFold(e, name) || strings.HasSuffix(strings.ToLower(name), "."+strings.ToLower(e)) {
			return true
		}
	}
	return false
}

// bindAddresses reads a forwarders list: "addr [port N] [tls name];".
func bindAddresses(sts []bindStatement, at *field.Path) []forwardTarget {
	var out []forwardTarget
	for i, s := range sts {
		if len(s.words) == 0 {
			continue
		}
		if a, err := netip.ParseAddr(s.words[0]); err == nil {
			out = append(out, forwardTarget{addr: a, at: at.Index(i), line: s.line})
		}
	}
	return out
}
