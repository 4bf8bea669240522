package manifest_test

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/hybridkit/hybridkit/internal/manifest"
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
