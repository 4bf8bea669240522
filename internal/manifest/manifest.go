// Package manifest renders Kubernetes objects (k8s.io/api types) as a
// multi-document YAML stream, the form `kubectl apply -f` takes. Every
// object must carry its apiVersion and kind; output is deterministic.
package manifest

import (
	"bytes"
	"fmt"
	"reflect"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/hybridkit/hybridkit/internal/yamlenc"
)

// Render writes objs as YAML documents separated by "---". Fields the API
// server sets itself are left out — status, and metadata.creationTimestamp
// when it is null — so the files hold only what a user applies. A nil
// object, or one without apiVersion or kind, is an error naming its
// position.
func Render(objs ...runtime.Object) ([]byte, error) {
	var buf bytes.Buffer
	for i, o := range objs {
		if o == nil || reflect.ValueOf(o).IsNil() {
			return nil, fmt.Errorf("manifest: object %d is nil", i)
		}
		gvk := o.GetObjectKind().GroupVersionKind()
		if gvk.Kind == "" || gvk.Version == "" {
			return nil, fmt.Errorf("manifest: object %d (%T) has no apiVersion/kind", i, o)
		}
		tree, err := yamlenc.Tree(o)
		if err != nil {
			return nil, fmt.Errorf("manifest: object %d (%s): %w", i, gvk.Kind, err)
		}
		if m, ok := tree.(map[string]any); ok {
			delete(m, "status")
		}
		dropNullTimestamps(tree)
		b, err := yamlenc.MarshalTree(tree)
		if err != nil {
			return nil, fmt.Errorf("manifest: object %d (%s): %w", i, gvk.Kind, err)
		}
		if i > 0 {
			buf.WriteString("---\n")
		}
		buf.Write(b)
	}
	return buf.Bytes(), nil
}

// dropNullTimestamps removes "creationTimestamp: null" from every metadata
// object in the tree (objects and the pod templates inside them).
func dropNullTimestamps(v any) {
	switch x := v.(type) {
	case map[string]any:
		if meta, ok := x["metadata"].(map[string]any); ok {
			if ts, has := meta["creationTimestamp"]; has && ts == nil {
				delete(meta, "creationTimestamp")
			}
		}
		for _, e := range x {
			dropNullTimestamps(e)
		}
	case []any:
		for _, e := range x {
			dropNullTimestamps(e)
		}
	}
}
