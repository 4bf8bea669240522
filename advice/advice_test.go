package advice_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hybridkit/hybridkit/advice"
)

func TestLevelOrder(t *testing.T) {
	if !(advice.Info < advice.Warning && advice.Warning < advice.Error) {
		t.Fatalf("levels are not ordered Info < Warning < Error")
	}
	var zero advice.Level
	if zero != advice.Info {
		t.Fatalf("zero Level = %v, want info", zero)
	}
}

func TestLevelText(t *testing.T) {
	for _, l := range []advice.Level{advice.Info, advice.Warning, advice.Error} {
		b, err := l.MarshalText()
		if err != nil {
			t.Fatalf("%v.MarshalText() error: %v", l, err)
		}
		var got advice.Level = 99
		if err := got.UnmarshalText(b); err != nil || got != l {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, got, err, l)
		}
	}
	if _, err := advice.Level(7).MarshalText(); err == nil {
		t.Errorf("Level(7).MarshalText() succeeded, want error")
	}
	l := advice.Warning
	if err := l.UnmarshalText([]byte("fatal")); err == nil || l != advice.Warning {
		t.Errorf("UnmarshalText(fatal) = %v, level %v; want error and unchanged level", err, l)
	}
	if got := advice.Level(9).String(); got != "level(9)" {
		t.Errorf("Level(9).String() = %q", got)
	}
}

func TestFindingString(t *testing.T) {
	tests := []struct {
		name string
		f    advice.Finding
		want string
	}{
		{"full", advice.Finding{Level: advice.Warning, Field: "spec.x", Message: "bad", Ref: "RFC 1"}, "warning: spec.x: bad (see RFC 1)"},
		{"no field", advice.Finding{Level: advice.Error, Message: "bad"}, "error: bad"},
		{"no ref", advice.Finding{Level: advice.Info, Field: "a[0]", Message: "note"}, "info: a[0]: note"},
		{"file and line", advice.Finding{Level: advice.Error, File: "nodeconfig.yaml", Line: 19, Field: "spec.x", Message: "bad"}, "error: nodeconfig.yaml:19: spec.x: bad"},
		{"file without line", advice.Finding{Level: advice.Warning, File: "named.conf", Message: "bad"}, "warning: named.conf: bad"},
		{"line without file", advice.Finding{Level: advice.Info, Line: 3, Message: "note"}, "info: note"},
		{"file is printable", advice.Finding{Level: advice.Info, File: "a\nerror: forged", Message: "m"}, "info: a\\nerror: forged: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFindingJSON(t *testing.T) {
	f := advice.Finding{Level: advice.Error, Code: "x/y", Field: "a", Message: "m", Ref: "r"}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"level":"error","code":"x/y","field":"a","message":"m","ref":"r"}`
	if string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
	var back advice.Finding
	if err := json.Unmarshal(b, &back); err != nil || back != f {
		t.Errorf("round trip = %+v, %v; want %+v", back, err, f)
	}
}

func TestSortMaxCount(t *testing.T) {
	fs := []advice.Finding{
		{Level: advice.Info, Field: "b", Code: "c"},
		{Level: advice.Error, Field: "z", Code: "c"},
		{Level: advice.Warning, Field: "a", Code: "c"},
		{Level: advice.Error, Field: "a", Code: "c"},
	}
	advice.Sort(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Level.String()+":"+f.Field)
	}
	want := []string{"error:a", "error:z", "warning:a", "info:b"}
	if !slices.Equal(got, want) {
		t.Errorf("Sort = %v, want %v", got, want)
	}
	if m, ok := advice.Max(fs); !ok || m != advice.Error {
		t.Errorf("Max = %v, %v", m, ok)
	}
	if _, ok := advice.Max(nil); ok {
		t.Errorf("Max(nil) ok = true")
	}
	if n := advice.Count(fs, advice.Error); n != 2 {
		t.Errorf("Count(error) = %d, want 2", n)
	}
}

// TestSortByFileAndLine: within a level, findings about files go by file
// name, then line, before field.
func TestSortByFileAndLine(t *testing.T) {
	fs := []advice.Finding{
		{Level: advice.Warning, File: "b.conf", Line: 1, Field: "a"},
		{Level: advice.Warning, File: "a.conf", Line: 10, Field: "a"},
		{Level: advice.Warning, File: "a.conf", Line: 2, Field: "z"},
		{Level: advice.Error, File: "z.conf", Line: 9},
	}
	advice.Sort(fs)
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s:%s:%d", f.Level, f.File, f.Line))
	}
	want := []string{"error:z.conf:9", "warning:a.conf:2", "warning:a.conf:10", "warning:b.conf:1"}
	if !slices.Equal(got, want) {
		t.Errorf("Sort = %v, want %v", got, want)
	}
}

func TestWithPrefix(t *testing.T) {
	fs := []advice.Finding{{Field: ""}, {Field: "spec.x"}, {Field: "[2]"}}
	got := advice.WithPrefix("nodePools[0]", fs)
	want := []string{"nodePools[0]", "nodePools[0].spec.x", "nodePools[0][2]"}
	for i := range got {
		if got[i].Field != want[i] {
			t.Errorf("WithPrefix[%d] = %q, want %q", i, got[i].Field, want[i])
		}
	}
	if fs[1].Field != "spec.x" {
		t.Errorf("WithPrefix modified its input")
	}
}

func ExampleFinding() {
	f := advice.Finding{
		Level:   advice.Warning,
		Code:    "dnsplan/mdns-domain",
		Field:   "onPremZones[0]",
		Message: `"company.local" is reserved for mDNS; prefer a name under .internal`,
		Ref:     "RFC 6762 §3",
	}
	fmt.Println(f)
	fmt.Println(f.Level >= advice.Warning)
	// Output:
	// warning: onPremZones[0]: "company.local" is reserved for mDNS; prefer a name under .internal (see RFC 6762 §3)
	// true
}

func TestQuoteAndPrintable(t *testing.T) {
	long := strings.Repeat("é", 100)
	for _, tc := range []struct{ name, got, want string }{
		{"plain", advice.Quote("company.local"), `"company.local"`},
		{"controls", advice.Quote("a\nb\x1b[31m\"c\""), `"a\nb\x1b[31m\"c\""`},
		{"invalid UTF-8", advice.Quote("a\xffb"), `"a\xffb"`},
		{"long", advice.Quote(long), `"` + strings.Repeat("é", 80) + `"…`},
		{"80 is kept whole", advice.Quote(strings.Repeat("a", 80)), `"` + strings.Repeat("a", 80) + `"`},
		{"printable keeps quotes", advice.Printable(`say "hi"\n`, 0), `say "hi"\n`},
		{"printable escapes", advice.Printable("line\nforged: error\t\u2028", 0), `line\nforged: error\t\u2028`},
		{"printable bad byte", advice.Printable("x\xc3", 0), `x\xc3`},
		{"printable cut", advice.Printable("abcdef", 3), "abc…"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got, tc.want)
		}
	}
}

func TestFindingStringIsOneSafeLine(t *testing.T) {
	f := advice.Finding{Level: advice.Error, Field: "labels[a\nb]", Message: strings.Repeat("x", 1<<20) + "\n" + "error: forged", Ref: "\x1b]0;title\x07"}
	s := f.String()
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		t.Errorf("control character in %q", s[:100])
	}
	if len(s) > 4*advice.MaxMessage {
		t.Errorf("String is %d bytes", len(s))
	}
}

// FuzzLevelText: UnmarshalText accepts exactly what MarshalText writes.
func FuzzLevelText(f *testing.F) {
	for _, s := range []string{"info", "warning", "error", "Error", "fatal", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var l advice.Level
		if l.UnmarshalText([]byte(s)) != nil {
			return
		}
		out, err := l.MarshalText()
		if err != nil || string(out) != s {
			t.Fatalf("%q → %v → %q, %v", s, l, out, err)
		}
	})
}

// FuzzPrintable: the result never holds a control character and is never
// longer than the cut allows.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"plain", "line\nbreak", "\x1b[31mred", "\xff\xfe", "é", "\u2028"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n % 200
		for _, out := range []string{advice.Printable(s, n), advice.Quote(s)} {
			if strings.ContainsFunc(out, func(r rune) bool { return r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 }) {
				t.Fatalf("%q gave %q", s, out)
			}
		}
		if n > 0 && utf8.RuneCountInString(advice.Printable(s, n)) > 10*n+1 {
			t.Fatalf("Printable(%q, %d) is too long", s, n)
		}
	})
}
