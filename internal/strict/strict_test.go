package strict_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/strict"
)

type leaf struct {
	Name  string `json:"name,omitempty"`
	Flag  *bool  `json:"flag,omitempty"`
	Items []item `json:"items,omitempty"`
}

type item struct {
	A string `json:"a"`
}

type doc struct {
	metav1.TypeMeta `json:",inline"`
	Spec            leaf              `json:"spec"`
	Free            map[string]string `json:"free,omitempty"`
	Raw             []byte            `json:"raw,omitempty"`
	Ignored         string            `json:"-"`
}

func TestDecodeYAMLUnknownFields(t *testing.T) {
	in := `
apiVersion: v1
kind: Doc
extra: 1
spec:
  name: x
  Name: y
  bogus: {a: 1}
  items:
  - a: ok
  - b: no
free:
  anything: goes
Ignored: nope
`
	var d doc
	errs, err := strict.DecodeYAML([]byte(in), &d, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range errs {
		if e.Type != field.ErrorTypeForbidden {
			t.Errorf("%s: type %s, want Forbidden", e.Field, e.Type)
		}
		got = append(got, e.Field)
	}
	// Document order, each with its line.
	want := "extra spec.Name spec.bogus spec.items[1].b Ignored"
	if strings.Join(got, " ") != want {
		t.Errorf("unknown fields = %q, want %q", strings.Join(got, " "), want)
	}
	if d.Spec.Name != "" {
		t.Errorf("target was written despite errors: %+v", d)
	}
}

func TestDecodeYAMLTypeError(t *testing.T) {
	var d doc
	errs, err := strict.DecodeYAML([]byte("spec:\n  flag: maybe\n"), &d, field.NewPath("root"))
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 || errs[0].Field != "root.spec.flag" || errs[0].Type != field.ErrorTypeTypeInvalid {
		t.Fatalf("errs = %v", errs)
	}
}

func TestDecodeYAMLDuplicateKeys(t *testing.T) {
	var d doc
	errs, err := strict.DecodeYAML([]byte("kind: a\nkind: b\nfree:\n  x: 1\n  x: 2\n"), &d, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range errs {
		if e.Type != field.ErrorTypeDuplicate {
			t.Errorf("%s: %s, want Duplicate", e.Field, e.Type)
		}
		got = append(got, e.Field+" "+e.Detail)
	}
	want := []string{"kind the key is given twice (also line 1) (line 2, column 1)", "free[x] the key is given twice (also line 4) (line 5, column 3)"}
	if !slices.Equal(got, want) {
		t.Errorf("duplicates = %q, want %q", got, want)
	}
}

func TestDecodeYAMLSyntax(t *testing.T) {
	for name, in := range map[string]string{
		"syntax": "spec: [unclosed\n",
	} {
		t.Run(name, func(t *testing.T) {
			var d doc
			if _, err := strict.DecodeYAML([]byte(in), &d, nil); err == nil {
				t.Errorf("DecodeYAML(%q) succeeded, want error", in)
			}
		})
	}
}

func TestDecodeYAMLOK(t *testing.T) {
	var d doc
	errs, err := strict.DecodeYAML([]byte("kind: K\nspec: {name: nm, items: [{a: b}]}\nraw: aGk=\n"), &d, nil)
	if err != nil || len(errs) != 0 {
		t.Fatalf("errs=%v err=%v", errs, err)
	}
	if d.Kind != "K" || d.Spec.Name != "nm" || len(d.Spec.Items) != 1 || string(d.Raw) != "hi" {
		t.Errorf("decoded %+v", d)
	}
	if _, err := strict.DecodeYAML([]byte("a: 1"), d, nil); err == nil {
		t.Errorf("non-pointer accepted")
	}
}

// TestDecodeEmptySequenceIsNil: "[]", "null" and an absent key all leave
// a slice nil, so a model parsed, encoded and parsed again is equal (the
// dnsplan round-trip fuzz found "rules: []" coming back nil after an
// omitempty encode); one item still makes a slice of one.
func TestDecodeEmptySequenceIsNil(t *testing.T) {
	for _, in := range []string{"spec: {items: []}", "spec: {items: null}", "spec: {}", `{"spec":{"items":[]}}`} {
		var d doc
		if errs, err := strict.DecodeYAML([]byte(in), &d, nil); err != nil || len(errs) != 0 {
			t.Fatalf("%s: errs=%v err=%v", in, errs, err)
		}
		if d.Spec.Items != nil {
			t.Errorf("%s: items = %#v, want nil", in, d.Spec.Items)
		}
	}
	var d doc
	if errs, err := strict.DecodeYAML([]byte("spec: {items: [{}]}"), &d, nil); err != nil || len(errs) != 0 || d.Spec.Items == nil || len(d.Spec.Items) != 1 {
		t.Errorf("one empty item: %#v errs=%v err=%v", d.Spec.Items, errs, err)
	}
}

func TestInvalidTextsAllWithPaths(t *testing.T) {
	type net struct {
		Prefix netip.Prefix `json:"prefix"`
	}
	type doc struct {
		Addr netip.Addr            `json:"addr"`
		Nets []net                 `json:"nets"`
		ByID map[string]netip.Addr `json:"byId"`
	}
	var d doc
	errs, err := strict.DecodeYAML([]byte("addr: 10.0.0.x\nnets:\n- prefix: 10.0.0.0/8\n- prefix: '10.0.0.0/33'\nbyId:\n  a: nope\n"), &d, field.NewPath("spec"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Field)
	}
	want := []string{"spec.addr", "spec.nets[1].prefix", "spec.byId[a]"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fields = %v, want %v (%v)", got, want, errs)
	}
	if d.Addr.IsValid() {
		t.Error("v was written despite errors")
	}
}

func TestDecodeOneDocumentOnly(t *testing.T) {
	for name, in := range map[string]string{
		"second document":      "kind: a\n---\nkind: b\n",
		"text after the end":   "kind: a\n...\ngarbage: here\n",
		"empty second":         "kind: a\n---\n",
		"scalar after the end": "kind: a\n...\nx\n",
	} {
		t.Run(name, func(t *testing.T) {
			var d doc
			_, err := strict.DecodeYAML([]byte(in), &d, nil)
			if err == nil || !strings.Contains(err.Error(), "document") {
				t.Errorf("err = %v, want a second-document error", err)
			}
			if d.Kind != "" {
				t.Error("target written")
			}
		})
	}
	var d doc
	if _, err := strict.DecodeYAML([]byte("---\nkind: a\n...\n"), &d, nil); err != nil || d.Kind != "a" {
		t.Errorf("one marked document: %v %+v", err, d)
	}
}

func TestDecodeBoundsTheInput(t *testing.T) {
	var d doc
	big := append([]byte("kind: "), bytes.Repeat([]byte("a"), strict.MaxDocumentBytes)...)
	if _, err := strict.DecodeYAML(big, &d, nil); err == nil || !strings.Contains(err.Error(), "3 MiB") {
		t.Errorf("a document over 3 MiB: %v", err)
	}
	// Nine levels of ten aliases: 10^9 nodes once expanded.
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	var v map[string]any
	_, err := strict.DecodeYAML([]byte(b.String()), &v, nil)
	if err == nil || !strings.Contains(err.Error(), "aliases expand") {
		t.Errorf("alias bomb: %v", err)
	}
	// A few aliases are fine.
	if errs, err := strict.DecodeYAML([]byte("a: &x [1, 2]\nb: *x\nc: *x\n"), &v, nil); err != nil || len(errs) > 0 {
		t.Errorf("small aliases: %v %v", err, errs)
	}
}

type secretString string

func (s secretString) Reveal() string { return string(s) }

type withSecret struct {
	Name string       `json:"name"`
	Code secretString `json:"code"`
	Port int32        `json:"port"`
}

func TestDecodeNeverPrintsASecret(t *testing.T) {
	const code = "EXAMPLE+activation+code+0123456789"
	for name, in := range map[string]string{
		"tag":                   "code: !!int " + code + "\n",
		"anchor on the secret":  "code: &c " + code + "\nname: *c\nport: *c\n",
		"alias into the secret": "name: &c " + code + "\ncode: *c\nport: *c\n",
		"mapping":               "code: {x: " + code + "}\n",
		"type error elsewhere":  "code: " + code + "\nport: " + code + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			var v withSecret
			errs, err := strict.DecodeYAML([]byte(in), &v, field.NewPath("spec"))
			if err != nil {
				if strings.Contains(err.Error(), code) {
					t.Errorf("error leaks the secret: %v", err)
				}
				return
			}
			if len(errs) == 0 {
				t.Fatal("accepted")
			}
			if s := errs.ToAggregate().Error(); strings.Contains(s, code) {
				t.Errorf("errors leak the secret: %s", s)
			}
		})
	}
}

func TestDecodeReportsEveryTypeError(t *testing.T) {
	type target struct {
		A int8              `json:"a"`
		B uint16            `json:"b"`
		C bool              `json:"c"`
		D []string          `json:"d"`
		E map[string]int    `json:"e"`
		F float64           `json:"f"`
		G string            `json:"g"`
		H struct{ X int }   `json:"h"`
		I []byte            `json:"i"`
		J time.Time         `json:"j"`
		K map[string]string `json:"k"`
	}
	in := "a: 300\nb: -1\nc: maybe\nd: text\ne: {x: y}\nf: .inf\ng: {nested: 1}\nh: [1]\ni: '%%%'\nj: 2026-12-04\nunknown: 1\nk: {ok: v}\n"
	var v target
	errs, err := strict.DecodeYAML([]byte(in), &v, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Field)
		if !strings.Contains(e.Detail, "(line ") {
			t.Errorf("%s: no position in %q", e.Field, e.Detail)
		}
	}
	want := []string{"a", "b", "c", "d", "e[x]", "f", "g", "h", "i", "j", "unknown"}
	if !slices.Equal(got, want) {
		t.Errorf("errors at %v, want %v\n%v", got, want, errs)
	}
}

func TestDecodeScalarsForTheirTarget(t *testing.T) {
	type target struct {
		Version string   `json:"version"`
		On      bool     `json:"on"`
		Off     bool     `json:"off"`
		Hex     int      `json:"hex"`
		Big     uint64   `json:"big"`
		Rate    float64  `json:"rate"`
		Any     any      `json:"any"`
		List    []string `json:"list"`
		When    time.Time
	}
	in := "version: 1.30\non: yes\noff: off\nhex: 0x1F\nbig: 18446744073709551615\nrate: 2\nany: {a: [1, true, null, 1.5]}\nlist: [1, x]\nWhen: 2026-12-04T00:00:00Z\n"
	var v target
	errs, err := strict.DecodeYAML([]byte(in), &v, nil)
	if err != nil || len(errs) > 0 {
		t.Fatalf("%v %v", err, errs)
	}
	if v.Version != "1.30" || !v.On || v.Off || v.Hex != 31 || v.Big != math.MaxUint64 || v.Rate != 2 || !slices.Equal(v.List, []string{"1", "x"}) || v.When.Day() != 4 {
		t.Errorf("decoded %+v", v)
	}
	if _, ok := v.Any.(map[string]any); !ok {
		t.Errorf("any = %#v", v.Any)
	}
	// A quoted "yes" is a string, not a boolean.
	if errs, _ := strict.DecodeYAML([]byte("on: 'yes'\n"), &v, nil); len(errs) != 1 || errs[0].Field != "on" {
		t.Errorf("quoted yes: %v", errs)
	}
}

func TestDecodeMergeKeys(t *testing.T) {
	type item struct {
		A string `json:"a"`
		B string `json:"b"`
	}
	var v struct {
		Base  item `json:"base"`
		Child item `json:"child"`
	}
	errs, err := strict.DecodeYAML([]byte("base: &b {a: one, b: two}\nchild:\n  <<: *b\n  b: mine\n"), &v, nil)
	if err != nil || len(errs) > 0 {
		t.Fatalf("%v %v", err, errs)
	}
	if v.Child.A != "one" || v.Child.B != "mine" {
		t.Errorf("merged %+v", v.Child)
	}
}

func TestDecodeFoldCase(t *testing.T) {
	type ssm struct {
		ActivationID string `json:"activationId"`
	}
	var v struct {
		SSM ssm `json:"ssm"`
	}
	in := []byte("ssm:\n  activationID: x\n")
	if errs, _ := strict.DecodeYAML(in, &v, nil); len(errs) != 1 || errs[0].Type != field.ErrorTypeForbidden {
		t.Errorf("without FoldCase: %v", errs)
	}
	r, err := strict.Decode(in, &v, nil, strict.Options{FoldCase: true})
	if err != nil || len(r.Errors) > 0 {
		t.Fatalf("%v %v", err, r.Errors)
	}
	if v.SSM.ActivationID != "x" || len(r.Folded) != 1 || r.Folded[0].Path != "ssm.activationID" || r.Folded[0].Field != "activationId" || r.Folded[0].Line != 2 {
		t.Errorf("decoded %+v, folded %+v", v, r.Folded)
	}
	r, _ = strict.Decode([]byte("ssm:\n  activationID: x\n  activationId: y\n"), &v, nil, strict.Options{FoldCase: true})
	if len(r.Errors) != 1 || r.Errors[0].Type != field.ErrorTypeDuplicate {
		t.Errorf("two spellings of one field: %v", r.Errors)
	}
}

// fuzzDoc has a field of every kind the walk treats apart.
type fuzzDoc struct {
	Name   string            `json:"name,omitempty"`
	Count  int32             `json:"count,omitempty"`
	Size   uint8             `json:"size,omitempty"`
	Ratio  float64           `json:"ratio,omitempty"`
	On     *bool             `json:"on,omitempty"`
	Addr   netip.Addr        `json:"addr,omitzero"`
	When   time.Time         `json:"when,omitzero"`
	Raw    []byte            `json:"raw,omitempty"`
	Tags   map[string]string `json:"tags,omitempty"`
	Items  []item            `json:"items,omitempty"`
	Any    any               `json:"any,omitempty"`
	Code   secretString      `json:"code,omitempty"`
	Nested *fuzzDoc          `json:"nested,omitempty"`
}

// FuzzDecode: any bytes give an error, field errors, or a value that
// encodes back to a document decoding to the same value — never a panic,
// and never the secret in a message.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"name: x\ncount: 3\non: yes\naddr: 10.0.0.1\nwhen: 2026-12-04T00:00:00Z\nraw: aGk=\ntags: {a: b}\nitems: [{a: c}]\nany: [1, {x: y}]\n",
		"nested: {nested: {name: deep}}\n",
		"a: &x [1, 2]\nb: *x\n",
		"<<: {name: merged}\ncount: 1\n",
		"code: !!str secret-value\n",
		"count: 0x7fffffff\nsize: 256\n",
		"---\nname: x\n...\n",
		"{\"name\": \"json\", \"count\": 1}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v fuzzDoc
		errs, err := strict.DecodeYAML(data, &v, nil)
		if err != nil || len(errs) > 0 {
			if s := string(v.Code); len(s) >= 4 && strings.Contains(errs.ToAggregate().Error(), s) {
				t.Fatalf("the secret is in the errors")
			}
			return
		}
		js, err := json.Marshal(v)
		if err != nil {
			return // a float the JSON encoder refuses cannot have come from the walk
		}
		var back fuzzDoc
		errs, err = strict.DecodeYAML(js, &back, nil)
		if err != nil || len(errs) > 0 {
			t.Fatalf("%s does not decode back: %v %v", js, err, errs)
		}
		js2, _ := json.Marshal(back)
		if !bytes.Equal(js, js2) {
			t.Fatalf("round trip changed the value:\n%s\n%s", js, js2)
		}
	})
}
