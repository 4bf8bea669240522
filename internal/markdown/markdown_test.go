package markdown_test

import (
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
