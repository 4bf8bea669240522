package nodeconfig_test

import (
	"reflect"
	"testing"

	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// FuzzParse: Parse never panics, and a document that parses and validates
// survives Marshal → Parse unchanged.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"guide-nodeconfig-gpu.yaml", "ec2-nodeadm-fields.yaml", "nodeconfig-gpu.yaml", "nodeconfig-iam-ra.yaml"} {
		f.Add(testkit.ReadTestdata(f, name))
	}
	f.Add([]byte("kind: NodeConfig\nspec:\n  kubelet:\n    flags: [--node-labels=a=b,c=d, --register-with-taints=k:NoSchedule]\n"))
	f.Add([]byte(`{"apiVersion":"node.eks.aws/v1alpha1","kind":"NodeConfig","spec":{"kubelet":{"config":{"maxPods":1,"x":[1,{"b":2,"a":1}]}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := nodeconfig.Parse(data)
		if err != nil {
			return
		}
		_ = c.Lint()
		if c.Validate() != nil {
			return
		}
		b, err := nodeconfig.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal of a valid parsed config: %v", err)
		}
		back, err := nodeconfig.Parse(b)
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, b)
		}
		// The config is its exported fields; which keys of the input were
		// matched ignoring case ("clusteR") is about that text, and Marshal
		// writes every key as nodeadm spells it.
		if !reflect.DeepEqual(back.TypeMeta, c.TypeMeta) || !reflect.DeepEqual(back.Metadata, c.Metadata) || !reflect.DeepEqual(back.Spec, c.Spec) {
			t.Fatalf("round trip changed the config\n got %#v\nwant %#v", back, c)
		}
		if len(back.Lint()) > len(c.Lint()) {
			t.Fatalf("Marshal output has findings its input did not: %v", back.Lint())
		}
	})
}
