package markdown_test

import (
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/internal/markdown"
)

func TestTable(t *testing.T) {
	got := string(markdown.Table{
		Header: []string{"Name", "Amount"},
		Align:  []markdown.Align{markdown.Left, markdown.Right},
		Rows:   [][]string{{"a | b\nc", "$1.00"}, {`back\slash`}},
	}.Bytes())
	want := "| Name | Amount |\n| --- | ---: |\n| a \\| b c | $1.00 |\n| back\\\\slash |  |\n"
	if got != want {
		t.Errorf("Table =\n%q\nwant\n%q", got, want)
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"# heading":          `\# heading`,
		"[x](http://e)":      `\[x\](http://e)`,
		"plain words\nagain": "plain words again",
		"*bold* 1.5":         `\*bold\* 1.5`,
		"1. item":            `1\. item`,
		"12) item":           `12\) item`,
		"- item":             `\- item`,
		"2026-09-13 (x)":     "2026-09-13 (x)",
	} {
		if got := markdown.Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMermaidLabel(t *testing.T) {
	if got := markdown.MermaidLabel("VPC \"main\" #1\n<10.0.0.0/16>"); got != `"VPC #quot;main#quot; #35;1 #lt;10.0.0.0/16#gt;"` {
		t.Errorf("MermaidLabel = %s", got)
	}
}

// FuzzTable: no cell text adds a row, a column or a line to a table.
func FuzzTable(f *testing.F) {
	for _, s := range []string{"plain", "a | b", "line\nbreak", `back\slash|`, "\r\n|", "\\|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := string(markdown.Table{Header: []string{"A", "B"}, Rows: [][]string{{s, "x"}}}.Bytes())
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("%q made %d lines:\n%s", s, len(lines), out)
		}
		// Unescaped pipes: a backslash escapes the next character.
		pipes, esc := 0, false
		for _, r := range lines[2] {
			switch {
			case esc:
				esc = false
			case r == '\\':
				esc = true
			case r == '|':
				pipes++
			}
		}
		if pipes != 3 {
			t.Fatalf("%q made a row with %d cell borders: %q", s, pipes, lines[2])
		}
	})
}

// FuzzText: escaped text stays on one line and cannot start a block.
func FuzzText(f *testing.F) {
	for _, s := range []string{"# h", "1. x", "- y", "> q", "a\nb", "[l](u)", "=", "12)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := markdown.Text(s)
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("Text(%q) = %q has a line break", s, out)
		}
		if out != "" && strings.ContainsRune("#-+=>", rune(out[0])) {
			t.Fatalf("Text(%q) = %q starts a block", s, out)
		}
	})
}

// FuzzMermaidLabel: a label is one quoted string without a quote inside.
func FuzzMermaidLabel(f *testing.F) {
	f.Add(`VPC "main" #1`)
	f.Add("a\nb;c")
	f.Fuzz(func(t *testing.T, s string) {
		out := markdown.MermaidLabel(s)
		if !strings.HasPrefix(out, `"`) || !strings.HasSuffix(out, `"`) || strings.Count(out, `"`) != 2 || strings.ContainsAny(out, "\n\r") {
			t.Fatalf("MermaidLabel(%q) = %q", s, out)
		}
	})
}

func TestLink(t *testing.T) {
	for _, tc := range [][3]string{
		{"source", "https://example.com/a_(b)", "[source](https://example.com/a_%28b%29)"},
		{"source", "https://docs.aws.amazon.com/x.html (on-premises networking)", "[source](https://docs.aws.amazon.com/x.html)"},
		{"[x]", "https://e.com/|", `[\[x\]](https://e.com/%7C)`},
		{"source", "RFC 7530", "RFC 7530"},
		{"source", "", ""},
	} {
		if got := markdown.Link(tc[0], tc[1]); got != tc[2] {
			t.Errorf("Link(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}
