package blueprint_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// TestMTUProbe: with an address in the VPC that answers ping, the bundle
// proves the path MTU from a hybrid node from both sides; the field
// survives Marshal and Parse.
func TestMTUProbe(t *testing.T) {
	b := blueprint.Reference()
	b.Connectivity.MTUProbe = mustAddr("10.0.1.50")
	bundle, findings, err := blueprint.Render(b)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := bundle.File("verify/from-hybrid-node.sh")
	if !ok {
		t.Fatal("no verify/from-hybrid-node.sh")
	}
	testkit.CheckBash(t, f.Content)
	for _, want := range []string{"ping -M 'do' -s 8472 -c 3 -W 2 10.0.1.50", "if ping -M 'do' -s 8473 -c 1 -W 2 10.0.1.50; then"} {
		if !strings.Contains(string(f.Content), want) {
			t.Errorf("from-hybrid-node.sh lacks %q:\n%s", want, f.Content)
		}
	}
	if slices.ContainsFunc(findings, func(f advice.Finding) bool { return f.Code == blueprint.CodeNoMTUProbe }) {
		t.Error("a plan with a probe still reports none")
	}
	y, err := blueprint.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	back, err := blueprint.Parse(y)
	if err != nil || back.Connectivity.MTUProbe != b.Connectivity.MTUProbe {
		t.Errorf("mtuProbe after Marshal and Parse = %v, %v", back.Connectivity.MTUProbe, err)
	}
}
