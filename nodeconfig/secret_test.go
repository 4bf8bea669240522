package nodeconfig_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/nodeconfig"
)

// TestSecretNeverPrinted: the activation code appears in Marshal's output
// and nowhere else.
func TestSecretNeverPrinted(t *testing.T) {
	c := guideGPUNode(t)
	ssm := *c.Spec.Hybrid.SSM
	printed := []string{
		fmt.Sprint(c), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c),
		fmt.Sprint(ssm), fmt.Sprintf("%+v", ssm), fmt.Sprintf("%#v", ssm), fmt.Sprintf("%s", ssm.ActivationCode),
		fmt.Sprintf("%q", ssm.ActivationCode), fmt.Sprintf("%x", ssm.ActivationCode), fmt.Sprintf("%#v", ssm.ActivationCode),
		ssm.String(), ssm.GoString(), ssm.ActivationCode.String(), ssm.ActivationCode.GoString(),
		fmt.Sprintf("%v", c.Spec.Hybrid), fmt.Sprintf("%+v", *c.Spec.Hybrid),
	}
	for i, s := range printed {
		if strings.Contains(s, exampleCode) {
			t.Errorf("printed form %d leaks the activation code: %s", i, s)
		}
	}
	if !strings.Contains(ssm.String(), "[redacted]") {
		t.Errorf("SSM.String() = %q", ssm.String())
	}

	// Errors and findings about the code do not contain it either.
	bad := c
	bad.Spec.Hybrid = &nodeconfig.HybridOptions{SSM: &nodeconfig.SSM{ActivationCode: "SECRET\nSECRETSECRETSECRET", ActivationID: exampleID}}
	err := bad.Validate()
	if err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("Validate error leaks or is nil: %v", err)
	}
	for _, f := range bad.Lint() {
		if strings.Contains(f.String(), "SECRET") {
			t.Errorf("finding leaks: %v", f)
		}
	}
	_, merr := nodeconfig.Marshal(bad)
	if merr == nil || strings.Contains(merr.Error(), "SECRET") || strings.Contains(fmt.Sprintf("%+v", errors.Unwrap(merr)), "SECRET") {
		t.Errorf("Marshal error leaks or is nil: %v", merr)
	}

	b, err := nodeconfig.Marshal(c)
	if err != nil || !strings.Contains(string(b), exampleCode) {
		t.Errorf("Marshal must write the real code (err %v)", err)
	}
	if got := nodeconfig.Secret("").String(); got != "" {
		t.Errorf("empty Secret prints %q", got)
	}
}
