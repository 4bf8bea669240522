package yamlenc_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/hybridkit/hybridkit/internal/yamlenc"
)

type inner struct {
	A string `json:"a,omitempty"`
	B *int   `json:"b,omitempty"`
}

type Embedded struct {
	E string `json:"e"`
}

type sample struct {
	metav1.TypeMeta `json:",inline"`
	*Embedded
	Name     string             `json:"name"`
	Zero     inner              `json:"zero,omitzero"`
	Empty    inner              `json:"empty,omitempty"`
	Bytes    []byte             `json:"bytes,omitempty"`
	Raw      json.RawMessage    `json:"raw,omitempty"`
	Map      map[string]any     `json:"map,omitempty"`
	IntKeys  map[int]string     `json:"intKeys,omitempty"`
	List     []any              `json:"list"`
	Quoted   int                `json:"quoted,string"`
	Float    float64            `json:"float"`
	Float32  float32            `json:"float32"`
	Big      uint64             `json:"big"`
	Time     metav1.Time        `json:"time"`
	Dur      metav1.Duration    `json:"dur"`
	Q        resource.Quantity  `json:"q"`
	IOS      intstr.IntOrString `json:"ios"`
	Ptr      *inner             `json:"ptr"`
	Tricky   []string           `json:"tricky"`
	unexport string             //lint:ignore U1000 present to show that unexported fields are skipped
	Skip     string             `json:"-"`
	NoTag    bool
}

func samples() []any {
	one := 1
	return []any{
		sample{
			TypeMeta: metav1.TypeMeta{Kind: "K", APIVersion: "v1"},
			Embedded: &Embedded{E: "e"},
			Name:     "n", Empty: inner{B: &one}, Bytes: []byte("hi"), Raw: json.RawMessage(`{"z":1,"a":[1.5,"x",null,true]}`),
			Map:     map[string]any{"b": 2, "a": "yes", "c": []string{"no", "on", "1.0", "0x1F", "~", ""}},
			IntKeys: map[int]string{10: "a", 9: "b"},
			List:    []any{1, "two", 3.25, map[string]int{"x": 1}},
			Quoted:  42, Float: 2, Float32: 0.1, Big: math.MaxUint64,
			Time: metav1.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), Dur: metav1.Duration{Duration: 90 * time.Second},
			Q: resource.MustParse("1500m"), IOS: intstr.FromString("http"),
			Tricky: []string{"multi\nline\n", "trailing ", ": colon", "- dash", "#hash", "'quote", "\"dq", "null", "true", "010", "1e3", "é", "\t"},
		},
		sample{},
		&appsv1.Deployment{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
			ObjectMeta: metav1.ObjectMeta{Name: "d", Labels: map[string]string{"app": "x"}},
			Spec: appsv1.DeploymentSpec{
				Replicas: func() *int32 { r := int32(3); return &r }(),
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "x"}},
				Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "c", Image: "nginx:1.27",
					Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{"nvidia.com/gpu": resource.MustParse("8")}},
					Ports:     []corev1.ContainerPort{{ContainerPort: 8080}},
				}}}},
			},
		},
		map[string]any{"k": nil, "n": []any{}, "m": map[string]any{}},
		[]string{"a"},
		"scalar",
		nil,
	}
}

// TestMatchesSigsYAML holds the output byte-equal to sigs.k8s.io/yaml.Marshal.
func TestMatchesSigsYAML(t *testing.T) {
	for i, v := range samples() {
		want, err := yaml.Marshal(v)
		if err != nil {
			t.Fatalf("sample %d: sigs yaml: %v", i, err)
		}
		got, err := yamlenc.Marshal(v)
		if err != nil {
			t.Fatalf("sample %d: %v", i, err)
		}
		if string(got) != string(want) {
			t.Errorf("sample %d differs\n got:\n%s\nwant:\n%s", i, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	if _, err := yamlenc.Marshal(map[string]float64{"x": math.NaN()}); err == nil {
		t.Errorf("NaN accepted")
	}
	if _, err := yamlenc.Marshal(func() {}); err == nil {
		t.Errorf("func accepted")
	}
}

// readsBack reports whether YAML text y decodes to v.
func readsBack(y []byte, v any) bool {
	js, err := yaml.YAMLToJSON(y)
	if err != nil {
		return false
	}
	var back any
	return json.Unmarshal(js, &back) == nil && reflect.DeepEqual(back, v)
}

// FuzzMatchesSigsYAML: for any JSON document, yamlenc writes YAML that
// reads back as the same value, and it is byte-for-byte what
// sigs.k8s.io/yaml writes whenever sigs.k8s.io/yaml's own output reads
// back as the value. Where it does not — its JSON→YAML re-parse rejects
// raw control characters, and folds U+0085 (NEL, a YAML 1.1 line break)
// into a space — yamlenc is right and sigs.k8s.io/yaml is not.
func FuzzMatchesSigsYAML(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1,"x",{"b":[true,null]}]`, `"multi\nline"`, `{"k":"yes","n":"1e3","e":""}`, `1.5`, `{"x":{"y":{"z":"- a"}}}`, `"\u0085"`, `{"k":"a\u0085b"}`, `{"<<":{"a":1}}`, `{"a":"<<"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		got, err := yamlenc.Marshal(v)
		if errors.Is(err, yamlenc.ErrMergeKey) && strings.Contains(doc, `"<<"`) {
			return // refused rather than written as a merge key
		}
		if err != nil {
			t.Fatalf("yamlenc failed on a JSON value: %v", err)
		}
		if !readsBack(got, v) {
			t.Fatalf("yamlenc's output does not read back as %#v:\n%s", v, got)
		}
		want, err := yaml.Marshal(v)
		if err != nil || !readsBack(want, v) {
			return // sigs.k8s.io/yaml loses this value; yamlenc does not
		}
		if string(got) != string(want) {
			t.Fatalf("outputs differ for %s\n got:\n%s\nwant:\n%s", doc, got, want)
		}
	})
}

// TestNextLineSurvives pins the one known divergence: sigs.k8s.io/yaml
// turns U+0085 into a space, yamlenc keeps it.
func TestNextLineSurvives(t *testing.T) {
	v := map[string]any{"k": "a\u0085b"}
	got, err := yamlenc.Marshal(v)
	if err != nil || !readsBack(got, v) {
		t.Fatalf("yamlenc: %v\n%s", err, got)
	}
	if sigs, err := yaml.Marshal(v); err == nil && readsBack(sigs, v) {
		t.Log("sigs.k8s.io/yaml now keeps U+0085: the divergence note in the package doc can go")
	}
}

func BenchmarkDeployment(b *testing.B) {
	v := samples()[2]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := yamlenc.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMergeKeyRefused(t *testing.T) {
	if _, err := yamlenc.Marshal(map[string]string{"<<": "x"}); !errors.Is(err, yamlenc.ErrMergeKey) {
		t.Errorf("a \"<<\" key: %v, want ErrMergeKey", err)
	}
	// As a value it is only text, and reads back as such.
	v := map[string]any{"a": "<<"}
	if got, err := yamlenc.Marshal(v); err != nil || !readsBack(got, v) {
		t.Errorf("a \"<<\" value: %v\n%s", err, got)
	}
}
