package dnsplan

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/coredns/caddy/caddyfile"
)

// MaxCorefileBytes bounds the Corefile ParseCorefile reads: a ConfigMap
// holds at most 1 MiB.
const MaxCorefileBytes = 1 << 20

// maxSnippetImports bounds snippet expansion, so a snippet imported by
// many lines cannot blow the input up (CoreDNS's parser caps it at
// 10,000 too: coredns/caddy v1.1.4 caddyfile/parse.go).
const maxSnippetImports = 10_000

// corefileLexeme is one token as CoreDNS's Caddyfile lexer produces it.
// A snippet's tokens keep the lines they were written on, as in CoreDNS.
type corefileLexeme struct {
	text string
	line int
}

// lexCorefileTokens splits a Corefile with CoreDNS's own lexer
// (github.com/coredns/caddy/caddyfile), so quoting, comments and braces
// are read exactly as CoreDNS reads them.
func lexCorefileTokens(data []byte) []corefileLexeme {
	d := caddyfile.NewDispenser("Corefile", bytes.NewReader(data))
	var toks []corefileLexeme
	for d.Next() {
		toks = append(toks, corefileLexeme{text: d.Val(), line: d.Line()})
	}
	return toks
}

// corefileParser is CoreDNS's Caddyfile grammar over the lexed tokens:
// server blocks of keys and directives, snippets "(name) { … }" and
// "import name" of them. A file import is recorded, not read: a pure
// library reads no files.
type corefileParser struct {
	toks     []corefileLexeme
	i        int // the current token; -1 before the first
	snippets map[string][]corefileLexeme
	imported int
	imports  []string
}

func (p *corefileParser) next() bool {
	if p.i < len(p.toks)-1 {
		p.i++
		return true
	}
	return false
}

func (p *corefileParser) val() string {
	if p.i < 0 || p.i >= len(p.toks) {
		return ""
	}
	return p.toks[p.i].text
}

// newLine reports whether the current token starts a line: the first
// token, or one on a later line than the previous token's end.
func (p *corefileParser) newLine() bool {
	if p.i < 1 {
		return true
	}
	if p.i >= len(p.toks) {
		return false
	}
	prev, cur := p.toks[p.i-1], p.toks[p.i]
	return prev.line+strings.Count(prev.text, "\n") < cur.line
}

func (p *corefileParser) errf(format string, args ...any) error {
	line := 0
	if p.i >= 0 && p.i < len(p.toks) {
		line = p.toks[p.i].line
	}
	return fmt.Errorf("dnsplan: corefile line %d: %s", line, fmt.Sprintf(format, args...))
}

// ParseCorefile parses a Corefile as CoreDNS does before any plugin runs:
// CoreDNS's own lexer, then its grammar — keys separated by spaces or
// commas, a block in braces (or, for a single server, no braces at all),
// one directive per line with optional nested blocks, snippets defined
// as "(name) { … }" and spliced in by "import name". A file import
// ("import custom/*.server") is listed in Corefile.Imports and not read.
// Environment placeholders ({$NAME}) are kept as written. Plugin names
// and arguments are Check's job. Input over MaxCorefileBytes is refused.
func ParseCorefile(data []byte) (Corefile, error) {
	if len(data) > MaxCorefileBytes {
		return Corefile{}, fmt.Errorf("dnsplan: corefile of %d bytes is over the %d a ConfigMap holds", len(data), MaxCorefileBytes)
	}
	p := &corefileParser{toks: lexCorefileTokens(data), i: -1}
	var cf Corefile
	for p.next() {
		sb, ok, err := p.serverBlock()
		if err != nil {
			return Corefile{}, err
		}
		if ok {
			cf.Blocks = append(cf.Blocks, sb)
		}
	}
	cf.Imports = p.imports
	return cf, nil
}

// serverBlock reads keys, then a snippet or a block; ok is false for a
// snippet definition.
func (p *corefileParser) serverBlock() (ServerBlock, bool, error) {
	var sb ServerBlock
	eof, err := p.keys(&sb)
	if err != nil || eof {
		return sb, len(sb.Keys) > 0, err
	}
	if len(sb.Keys) == 1 && strings.HasPrefix(sb.Keys[0], "(") && strings.HasSuffix(sb.Keys[0], ")") {
		return sb, false, p.snippet(strings.TrimSuffix(sb.Keys[0][1:], ")"))
	}
	braces := p.val() == "{"
	if !braces {
		p.i-- // a single server's directives may stand without braces
	}
	if sb.Directives, err = p.directives(); err != nil {
		return sb, false, err
	}
	if braces && p.val() != "}" {
		return sb, false, p.errf("expected '}', found %q", p.val())
	}
	return sb, len(sb.Keys) > 0, nil
}

// keys reads a block's keys up to its '{' or the end of their line; a
// trailing comma continues the list on the next line. eof is true when
// the input ends after the keys.
func (p *corefileParser) keys(sb *ServerBlock) (eof bool, err error) {
	more := false
	for {
		t := p.val()
		if t == "import" && p.newLine() {
			if err := p.doImport(); err != nil {
				return false, err
			}
			continue
		}
		if t == "{" {
			if more {
				return false, p.errf("expected another key after the comma, found '{'")
			}
			return false, nil
		}
		if t != "" {
			more = strings.HasSuffix(t, ",")
			sb.Keys = append(sb.Keys, strings.TrimSuffix(t, ","))
		}
		has := p.next()
		switch {
		case more && !has:
			return false, p.errf("unexpected end after a comma")
		case !has:
			return true, nil
		case !more && p.newLine():
			return false, nil
		}
	}
}

// snippet stores the tokens of "(name) { … }" for later imports.
func (p *corefileParser) snippet(name string) error {
	if p.val() != "{" {
		return p.errf("snippet %q needs '{', found %q", name, p.val())
	}
	if _, dup := p.snippets[name]; dup {
		return p.errf("snippet %q is declared twice", name)
	}
	depth := 1
	var body []corefileLexeme
	for p.next() {
		switch p.val() {
		case "}":
			depth--
		case "{":
			depth++
		}
		if depth == 0 {
			break
		}
		body = append(body, p.toks[p.i])
	}
	if depth != 0 {
		return p.errf("snippet %q is missing '}'", name)
	}
	for i := 0; i+1 < len(body); i++ {
		lineStart := i == 0 || body[i-1].line != body[i].line
		if body[i].text == "import" && lineStart && body[i+1].text == name {
			return p.errf("snippet %q imports itself", name)
		}
	}
	if p.snippets == nil {
		p.snippets = map[string][]corefileLexeme{}
	}
	p.snippets[name] = body
	return nil
}

// doImport replaces "import X" (the current token and the next) with the
// snippet's tokens, or with nothing for a file import, which it records;
// the current token is then the first spliced one (or what followed).
func (p *corefileParser) doImport() error {
	at := p.i
	if at+1 >= len(p.toks) || !p.sameLine(at, at+1) {
		return p.errf("import needs one argument, a snippet or a file pattern")
	}
	arg := p.toks[at+1].text
	if arg == "" {
		return p.errf("import needs a non-empty argument")
	}
	if at+2 < len(p.toks) && p.sameLine(at+1, at+2) {
		return p.errf("import takes one argument")
	}
	var spliced []corefileLexeme
	if body, ok := p.snippets[arg]; ok {
		if p.imported >= maxSnippetImports {
			return p.errf("more than %d snippet imports", maxSnippetImports)
		}
		p.imported++
		spliced = body
	} else {
		p.imports = append(p.imports, arg)
	}
	rest := append(append([]corefileLexeme{}, spliced...), p.toks[at+2:]...)
	p.toks = append(p.toks[:at], rest...)
	p.i = at
	return nil
}

func (p *corefileParser) sameLine(a, b int) bool {
	ta, tb := p.toks[a], p.toks[b]
	return ta.line+strings.Count(ta.text, "\n") == tb.line
}

// directives reads directives until '}' or the end.
func (p *corefileParser) directives() ([]Directive, error) {
	var ds []Directive
	for p.next() {
		if p.val() == "}" {
			break
		}
		if p.val() == "import" {
			if err := p.doImport(); err != nil {
				return nil, err
			}
			p.i--
			continue
		}
		d, err := p.directive()
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// nextLineBrace is the error for a block opened on the line after its
// directive. CoreDNS's parser files the block under the directive, but
// the plugins read a block only when '{' ends the directive's own line
// (Dispenser.NextBlock), so the '{' reads as a new stanza and CoreDNS
// stops: "Unexpected token '{', expecting argument".
const nextLineBrace = "'{' on the line after %s: CoreDNS reads a block only when '{' ends the directive's line"

// directive reads one directive: its name, the arguments on its line and
// an optional nested block, whose lines are directives too.
func (p *corefileParser) directive() (Directive, error) {
	if p.val() == "" {
		return Directive{}, p.errf("an empty directive name (\"\")")
	}
	d := Directive{Name: p.val(), Line: p.toks[p.i].line}
	for p.next() {
		// A '{' opens the directive's block even at the start of the
		// next line, as in CoreDNS's parser.
		switch {
		case p.val() == "{":
			if d.Block != nil {
				return d, p.errf("a second block after the block of %s", d.Name)
			}
			if p.newLine() {
				return d, p.errf(nextLineBrace, d.Name)
			}
			block, err := p.nested()
			if err != nil {
				return d, err
			}
			d.Block = append([]Directive{}, block...)
		case p.newLine():
			p.i--
			return d, nil
		case d.Block != nil:
			return d, p.errf("%q after the block of %s on the same line", p.val(), d.Name)
		case p.val() == "}":
			return d, p.errf("unexpected '}' without a matching '{'")
		default:
			d.Args = append(d.Args, p.val())
		}
	}
	return d, nil
}

// nested reads the lines of a block opened by the current '{' up to its
// '}'.
func (p *corefileParser) nested() ([]Directive, error) {
	var ds []Directive
	for p.next() {
		switch t := p.val(); {
		case t == "}":
			return ds, nil
		case t == "{":
			// A block without a name: CoreDNS passes its tokens on.
			block, err := p.nested()
			if err != nil {
				return nil, err
			}
			ds = append(ds, Directive{Block: append([]Directive{}, block...), Line: p.toks[p.i].line})
			continue
		case t == "import" && p.newLine():
			if err := p.doImport(); err != nil {
				return nil, err
			}
			p.i--
			continue
		}
		if p.val() == "" {
			return nil, p.errf("an empty directive name (\"\")")
		}
		d := Directive{Name: p.val(), Line: p.toks[p.i].line}
		for p.next() {
			if p.val() == "{" {
				if d.Block != nil {
					return nil, p.errf("a second block after the block of %s", d.Name)
				}
				if p.newLine() {
					return nil, p.errf(nextLineBrace, d.Name)
				}
				block, err := p.nested()
				if err != nil {
					return nil, err
				}
				d.Block = append([]Directive{}, block...)
				continue
			}
			if p.newLine() || p.val() == "}" {
				p.i--
				break
			}
			if d.Block != nil {
				return nil, p.errf("%q after the block of %s on the same line", p.val(), d.Name)
			}
			d.Args = append(d.Args, p.val())
		}
		ds = append(ds, d)
	}
	return nil, p.errf("missing '}'")
}
