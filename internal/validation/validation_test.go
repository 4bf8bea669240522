package validation_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/validation"
)

type inner struct {
	Name   string            `json:"name" validate:"required,max=5"`
	Addr   netip.Addr        `json:"addr" validate:"required"`
	Prefix netip.Prefix      `json:"prefix" validate:"omitempty,ipv4"`
	Labels map[string]string `json:"labels,omitempty" validate:"omitempty,dive,max=3"`
}

type outer struct {
	Kind  string  `json:"kind" validate:"oneof=a b"`
	Items []inner `json:"items" validate:"dive"`
	Count int     `json:"count" validate:"gte=1"`
	Skip  string  `json:"-"`
}

func TestStructPaths(t *testing.T) {
	v := outer{
		Kind: "c",
		Items: []inner{
			{Name: "ok", Addr: netip.MustParseAddr("10.0.0.1")},
			{Name: "toolong", Prefix: netip.MustParsePrefix("fd00::/64"), Labels: map[string]string{"a.b/c": "long"}},
		},
	}
	got := validation.Struct(field.NewPath("spec"), &v)
	want := []struct {
		path string
		typ  field.ErrorType
	}{
		{"spec.kind", field.ErrorTypeNotSupported},
		{"spec.items[1].name", field.ErrorTypeTooLong},
		{"spec.items[1].addr", field.ErrorTypeRequired},
		{"spec.items[1].prefix", field.ErrorTypeInvalid},
		{"spec.items[1].labels[a.b/c]", field.ErrorTypeTooLong},
		{"spec.count", field.ErrorTypeInvalid},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Field != w.path || got[i].Type != w.typ {
			t.Errorf("error %d = %s %s, want %s %s", i, got[i].Field, got[i].Type, w.path, w.typ)
		}
	}
}

func TestStructNilAndRoot(t *testing.T) {
	if errs := validation.Struct(nil, (*outer)(nil)); errs != nil {
		t.Errorf("nil pointer: %v", errs)
	}
	errs := validation.Struct(nil, outer{Kind: "a", Count: 1})
	if len(errs) != 0 {
		t.Errorf("valid value: %v", errs)
	}
	errs = validation.Struct(nil, outer{Kind: "a"})
	if len(errs) != 1 || errs[0].Field != "count" {
		t.Errorf("root path: %v", errs)
	}
}

func TestToError(t *testing.T) {
	if err := validation.ToError("x", nil); err != nil {
		t.Fatalf("ToError(nil) = %v", err)
	}
	errs := field.ErrorList{
		field.Required(field.NewPath("spec", "a"), ""),
		field.Invalid(field.NewPath("spec", "b"), "v", "must be w"),
	}
	err := validation.ToError("nodeconfig", errs)
	if !strings.HasPrefix(err.Error(), "nodeconfig: 2 invalid fields: spec.a: Required value; spec.b: Invalid value: \"v\": must be w") {
		t.Errorf("Error() = %q", err)
	}
	var agg utilerrors.Aggregate
	if !errors.As(err, &agg) || len(agg.Errors()) != 2 {
		t.Fatalf("errors.As aggregate failed: %v", err)
	}
	fes := validation.FieldErrors(err)
	if len(fes) != 2 || fes[1].Field != "spec.b" {
		t.Errorf("FieldErrors = %v", fes)
	}
	one := validation.ToError("gpu", errs[:1])
	if one.Error() != "gpu: invalid field: spec.a: Required value" {
		t.Errorf("single Error() = %q", one)
	}
	if validation.FieldErrors(errors.New("plain")) != nil {
		t.Errorf("FieldErrors(plain) != nil")
	}
}

func TestAbsPath(t *testing.T) {
	tests := []struct {
		in   string
		glob bool
		typ  field.ErrorType // "" means valid
	}{
		{"/usr/bin/nvidia-container-runtime", false, ""},
		{"/etc/containerd/config.d/*.toml", true, ""},
		{"/etc/containerd/config.d/*.toml", false, field.ErrorTypeInvalid},
		{"", false, field.ErrorTypeRequired},
		{"usr/bin/x", false, field.ErrorTypeInvalid},
		{"/usr/bin/../x", false, field.ErrorTypeInvalid},
		{"/usr/bin/x/", false, field.ErrorTypeInvalid},
		{"/usr/bin/a b", false, field.ErrorTypeInvalid},
		{"/usr/bin/a\"b", false, field.ErrorTypeInvalid},
		{"/usr/bin/a\nb", false, field.ErrorTypeInvalid},
		{"/usr/$(id)", false, field.ErrorTypeInvalid},
	}
	for _, tt := range tests {
		errs := validation.AbsPath(field.NewPath("p"), tt.in, tt.glob)
		switch {
		case tt.typ == "" && len(errs) != 0:
			t.Errorf("AbsPath(%q) = %v, want valid", tt.in, errs)
		case tt.typ != "" && (len(errs) != 1 || errs[0].Type != tt.typ || errs[0].Field != "p"):
			t.Errorf("AbsPath(%q) = %v, want one %s at p", tt.in, errs, tt.typ)
		}
	}
	if errs := validation.PlainText(field.NewPath("d"), "ok text, with: punctuation"); errs != nil {
		t.Errorf("PlainText rejected plain text: %v", errs)
	}
	if errs := validation.PlainText(field.NewPath("d"), "bad\"quote"); len(errs) != 1 {
		t.Errorf("PlainText accepted a quote")
	}
}

func TestFieldErrorsAtDropsNothing(t *testing.T) {
	if errs := validation.FieldErrorsAt(field.NewPath("x"), nil); errs != nil {
		t.Errorf("nil error gave %v", errs)
	}
	errs := validation.FieldErrorsAt(field.NewPath("pricing"), errors.New("cost: amount overflows"))
	if len(errs) != 1 || errs[0].Type != field.ErrorTypeInternal || errs[0].Field != "pricing" {
		t.Errorf("plain error gave %v", errs)
	}
	fe := validation.ToError("x", field.ErrorList{field.Required(field.NewPath("a"), "")})
	if errs := validation.FieldErrorsAt(field.NewPath("b"), fe); len(errs) != 1 || errs[0].Field != "a" {
		t.Errorf("field errors gave %v", errs)
	}
}

func TestSafeErrors(t *testing.T) {
	huge := strings.Repeat("v", 1<<20)
	errs := validation.Safe(field.ErrorList{
		field.Invalid(field.NewPath("labels").Key("evil\nkey"), huge, "detail with\nforged: line and "+huge),
		field.NotSupported(field.NewPath("role"), testRole("x\x1b[2J"), []string{"a"}),
	})
	for _, e := range errs {
		s := e.Error()
		if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 }) {
			t.Errorf("control character in %q", s)
		}
		if len(s) > 2000 {
			t.Errorf("error is %d bytes long", len(s))
		}
	}
	if !strings.Contains(errs[0].Error(), `labels[evil\nkey]`) {
		t.Errorf("path not escaped: %s", errs[0].Field)
	}
}

type testRole string

// TestKubernetesVersion checks both ends of the supported range and that
// every supported minor has an autoscaler tag of its own minor.
func TestKubernetesVersion(t *testing.T) {
	for v, ok := range map[string]bool{"1.31": false, "1.32": true, "1.36": true, "1.37": false, "1.99": false, "": false, "1.33.0": false} {
		if got := len(validation.KubernetesVersion(field.NewPath("v"), v)) == 0; got != ok {
			t.Errorf("KubernetesVersion(%q) ok = %v, want %v", v, got, ok)
		}
	}
	for _, m := range validation.KubernetesMinors() {
		if !strings.HasPrefix(m.AutoscalerTag, "v"+m.Version+".") {
			t.Errorf("%s: autoscaler tag %s is for another minor", m.Version, m.AutoscalerTag)
		}
	}
}

// tagged holds one field per hybridkit tag.
type tagged struct {
	Cluster  string            `json:"cluster" validate:"eks_cluster_name"`
	Region   string            `json:"region" validate:"aws_region"`
	Account  string            `json:"account" validate:"aws_account_id"`
	VPC      string            `json:"vpc" validate:"aws_id=vpc"`
	Minor    string            `json:"minor" validate:"kubernetes_minor"`
	Label    string            `json:"label" validate:"dns1123_label"`
	Sub      string            `json:"sub" validate:"dns1123_subdomain"`
	Labels   map[string]string `json:"labels" validate:"dive,keys,qualified_name,endkeys,label_value"`
	Text     string            `json:"text" validate:"plain_text"`
	Image    string            `json:"image" validate:"image_ref"`
	Capacity string            `json:"capacity" validate:"quantity"`
}

func TestHybridkitTags(t *testing.T) {
	good := tagged{Cluster: "hybrid-prod", Region: "ap-northeast-2", Account: "123456789012", VPC: "vpc-0a1b2c3d", Minor: "1.33",
		Label: "gpu", Sub: "a.b", Labels: map[string]string{"example.com/pool": "h200"}, Text: "plain", Image: "nginx:1.27", Capacity: "10Ti"}
	if errs := validation.Struct(nil, &good); len(errs) > 0 {
		t.Fatalf("valid values refused: %v", errs)
	}
	for _, tc := range []struct {
		name, path string
		mutate     func(*tagged)
	}{
		{"cluster name", "cluster", func(v *tagged) { v.Cluster = "-bad" }},
		{"region", "region", func(v *tagged) { v.Region = "korea" }},
		{"account", "account", func(v *tagged) { v.Account = "12345" }},
		{"resource id prefix", "vpc", func(v *tagged) { v.VPC = "subnet-0a1b2c3d" }},
		{"kubernetes minor", "minor", func(v *tagged) { v.Minor = "1.20" }},
		{"dns label", "label", func(v *tagged) { v.Label = "a.b" }},
		{"dns subdomain", "sub", func(v *tagged) { v.Sub = "A_B" }},
		{"label key", "labels[bad key]", func(v *tagged) { v.Labels = map[string]string{"bad key": "x"} }},
		{"label value", "labels[k]", func(v *tagged) { v.Labels = map[string]string{"k": "a b"} }},
		{"plain text", "text", func(v *tagged) { v.Text = "a\"b" }},
		{"image", "image", func(v *tagged) { v.Image = "nginx:" }},
		{"quantity", "capacity", func(v *tagged) { v.Capacity = "ten" }},
		{"zero quantity", "capacity", func(v *tagged) { v.Capacity = "0" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := good
			tc.mutate(&v)
			errs := validation.Struct(nil, &v)
			if len(errs) != 1 || errs[0].Field != tc.path || strings.Contains(errs[0].Detail, "must satisfy") {
				t.Errorf("errors = %v, want one at %s with the rule's own message", errs, tc.path)
			}
		})
	}
}
