package manifest_test

import (
	"bytes"
	"errors"
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"sigs.k8s.io/yaml"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/hybridkit/hybridkit/internal/manifest"
	"github.com/hybridkit/hybridkit/internal/yamlenc"
)

func TestRender(t *testing.T) {
	cm := &corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: metav1.ObjectMeta{Name: "a"}, Data: map[string]string{"k": "v"}}
	ds := &appsv1.DaemonSet{TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"}, ObjectMeta: metav1.ObjectMeta{Name: "d"}}
	b, err := manifest.Render(cm, ds)
	if err != nil {
		t.Fatal(err)
	}
	want := `apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: a
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: d
spec:
  selector: null
  template:
    metadata: {}
    spec:
      containers: null
  updateStrategy: {}
`
	if string(b) != want {
		t.Errorf("Render =\n%s\nwant\n%s", b, want)
	}
	if strings.Contains(string(b), "status") || strings.Contains(string(b), "creationTimestamp") {
		t.Errorf("server-set fields rendered")
	}
	if _, err := manifest.Render(&corev1.Pod{}); err == nil {
		t.Errorf("object without kind accepted")
	}
	var nilPod *corev1.Pod
	if _, err := manifest.Render(nilPod); err == nil {
		t.Errorf("nil object accepted")
	}
}

// FuzzRender: whatever a ConfigMap holds, its manifest decodes back to the
// same data, labels and name.
func FuzzRender(f *testing.F) {
	f.Add("cfg", "k", "v", "app", "x")
	f.Add("cfg", "Corefile", ".:53 {\n    errors\n}\n", "a", "yes")
	f.Add("cfg", "key", "- not a list\n---\nkind: Secret", "l", "1e3")
	f.Add("cfg", "\u0085", "\"quoted\" 'single' \t tab", "", "")
	f.Fuzz(func(t *testing.T, name, key, value, labelKey, labelValue string) {
		valid := true
		for _, s := range []string{name, key, value, labelKey, labelValue} {
			valid = valid && utf8.ValidString(s)
		}
		cm := &corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
			ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{labelKey: labelValue}},
			Data:       map[string]string{key: value}}
		b, err := manifest.Render(cm)
		if errors.Is(err, yamlenc.ErrMergeKey) && (key == "<<" || labelKey == "<<") {
			return
		}
		if err != nil {
			if valid {
				t.Fatalf("valid UTF-8 refused: %v", err)
			}
			return
		}
		if bytes.Contains(b, []byte("\n---\n")) {
			t.Fatalf("one object rendered as two documents:\n%s", b)
		}
		var back corev1.ConfigMap
		if err := yaml.UnmarshalStrict(b, &back); err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		if back.Name != cm.Name || !maps.Equal(back.Data, cm.Data) || !maps.Equal(back.Labels, cm.Labels) {
			if !valid {
				return // invalid UTF-8 is written as !!binary
			}
			t.Fatalf("round trip changed the ConfigMap:\n%s\n%+v", b, back)
		}
	})
}
