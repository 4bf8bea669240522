package blueprint_test

import (
	"bytes"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/blueprint"
)

// FuzzParseRender parses arbitrary bytes as a blueprint and renders what
// validates. Whatever the input: no panic; every error and finding names
// a field of the blueprint (and none is an internal error: a blueprint
// whose fields pass builds models their packages accept); every path of the bundle is a
// valid local path; the activation code is in the NodeConfigs and nowhere
// else — no other file, no error, no finding; and a second render gives
// the same bytes.
func FuzzParseRender(f *testing.F) {
	ref, err := blueprint.Marshal(blueprint.Reference())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ref)
	for _, r := range [][2]string{
		{"count: 10", "count: 2"},
		{"hostnamePattern: gpu-node-%02d", "hostnamePattern: ../x-%d"},
		{"name: gpu-hybrid-cluster", "name: EXAMPLE+activation+code+0123456789"},
		{"connection: direct-connect", "connection: vpn"},
		{"cni: cilium", "cni: calico"},
		{"  - company.local\n", "  - 10.in-addr.arpa\n"},
		{"provider: ssm", "provider: iam-roles-anywhere"},
	} {
		f.Add(bytes.Replace(ref, []byte(r[0]), []byte(r[1]), 1))
	}
	f.Add([]byte("cluster: &a {name: x}\nvpc: *a\n"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := blueprint.Parse(data)
		if err != nil {
			return
		}
		code := ""
		if s := b.Credentials.SSM; s != nil {
			code = s.ActivationCode.Reveal()
		}
		leaks := func(s string) bool { return len(code) >= 4 && strings.Contains(s, code) }
		// Keep each run small: the fuzzer explores the shape, not the size.
		for i := range b.NodePools {
			b.NodePools[i].Count = min(b.NodePools[i].Count, 4)
		}
		for _, e := range b.ValidateAt(nil) {
			if !inSchema(e.Field) || e.Type == field.ErrorTypeInternal {
				t.Fatalf("an error outside the blueprint's fields, or a bug: %v", e)
			}
		}
		bundle, findings, err := blueprint.Render(b)
		if err != nil {
			if leaks(err.Error()) {
				t.Fatalf("the error shows the activation code: %v", err)
			}
			return
		}
		for _, fl := range findings {
			if leaks(fl.String()) {
				t.Fatalf("a finding shows the activation code: %s", fl)
			}
			if fl.Field != "" && !inSchema(fl.Field) {
				t.Fatalf("a finding outside the blueprint's fields: %s", fl)
			}
		}
		again, _, err := blueprint.Render(b)
		if err != nil || again.Len() != bundle.Len() {
			t.Fatalf("the second render differs: %v", err)
		}
		for i, fl := range bundle.Files() {
			if err := blueprint.ValidPath(fl.Path); err != nil {
				t.Fatal(err)
			}
			if leaks(string(fl.Content)) && !strings.HasPrefix(fl.Path, "nodeconfigs/") {
				t.Fatalf("%s holds the activation code", fl.Path)
			}
			if leaks(fl.Description) {
				t.Fatalf("%s's description holds the activation code", fl.Path)
			}
			if o := again.Files()[i]; o.Path != fl.Path || !bytes.Equal(o.Content, fl.Content) {
				t.Fatalf("%s differs between two renders", fl.Path)
			}
		}
	})
}
