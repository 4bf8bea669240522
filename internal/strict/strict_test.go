package strict_test

import (
	"net/netip"
	"strings"
	"testing"

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
	want := "Ignored extra spec.Name spec.bogus spec.items[1].b"
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

func TestDecodeYAMLSyntaxAndDuplicates(t *testing.T) {
	for name, in := range map[string]string{
		"syntax":    "spec: [unclosed\n",
		"duplicate": "kind: a\nkind: b\n",
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
	want := []string{"spec.addr", "spec.byId[a]", "spec.nets[1].prefix"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fields = %v, want %v (%v)", got, want, errs)
	}
	if d.Addr.IsValid() {
		t.Error("v was written despite errors")
	}
}
