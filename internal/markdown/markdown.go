// Package markdown writes GitHub-flavoured Markdown tables and text with
// one escaping rule, so that no value (a rule purpose, a scenario name)
// can end a cell, start a heading or inject a link.
package markdown

import (
	"bytes"
	"fmt"
	"strings"
)

// Align is a column's alignment.
type Align int8

// Alignments.
const (
	Left Align = iota
	Right
)

// Table is a Markdown table. Rows shorter than Header are padded with
// empty cells; longer rows are cut to the header's width.
type Table struct {
	Header []string
	// Align gives each column's alignment; missing entries are Left.
	Align []Align
	Rows  [][]string
}

// Cell escapes s for a table cell: backslashes and pipes are escaped and
// every run of whitespace, line breaks included, becomes one space.
func Cell(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// Text escapes s for running text: the characters that start emphasis,
// code, links, HTML or tables are backslash-escaped anywhere, a leading
// character that would start a heading, list or quote is escaped, and line
// breaks become spaces — user text cannot change the document's structure.
func Text(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	lead := leadEscape(s)
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~", r) || i == lead {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// leadEscape returns the index of the character that would make s start a
// block construct — a heading, list item, quote or setext underline at 0,
// the '.' or ')' of an ordered list ("1. ") — or -1.
func leadEscape(s string) int {
	if s == "" {
		return -1
	}
	if strings.ContainsRune("#-+=>", rune(s[0])) {
		return 0
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return i
	}
	return -1
}

// Bytes renders the table.
func (t Table) Bytes() []byte {
	var b bytes.Buffer
	size := 0 // the cells' text and four bytes of bars and spaces each: escapes are rare
	for _, r := range append([][]string{t.Header}, t.Rows...) {
		for _, c := range r {
			size += len(c) + 4
		}
		size += 2
	}
	b.Grow(size + 8*len(t.Header))
	row := func(cols []string) {
		b.WriteString("|")
		for i := range t.Header {
			c := ""
			if i < len(cols) {
				c = cols[i]
			}
			b.WriteByte(' ')
			b.WriteString(Cell(c))
			b.WriteString(" |")
		}
		b.WriteByte('\n')
	}
	row(t.Header)
	b.WriteString("|")
	for i := range t.Header {
		if i < len(t.Align) && t.Align[i] == Right {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteByte('\n')
	for _, r := range t.Rows {
		row(r)
	}
	return b.Bytes()
}

// MermaidLabel returns s as a quoted Mermaid node or edge label: quotes,
// '#', angle brackets and line breaks are written as Mermaid entity codes
// or spaces, so a label cannot close the node or start a new statement.
func MermaidLabel(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.Join(strings.Fields(s), " ") {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Link returns a Markdown link with text (escaped as Text) to the first
// word of ref when it is an http(s) URL — sources often follow their URL
// with a note, which the link leaves out — and ref as plain text
// otherwise. Parentheses, angle brackets and spaces in the URL are
// percent-encoded, so the URL cannot end the link early.
func Link(text, ref string) string {
	url, _, _ := strings.Cut(strings.TrimSpace(ref), " ")
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return Text(ref)
	}
	var b strings.Builder
	b.Grow(len(text) + len(url) + 8)
	b.WriteByte('[')
	b.WriteString(Text(text))
	b.WriteString("](")
	for i := 0; i < len(url); i++ {
		switch c := url[i]; c {
		case '(', ')', '<', '>', '|':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}
