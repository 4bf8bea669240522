package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/poc"
)

// h200Blueprint is the reference with the GPU of the recorded results.
func h200Blueprint(t *testing.T) string {
	t.Helper()
	b := blueprint.Reference()
	b.NodePools[0].GPU.Model = "h200"
	y, err := blueprint.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bp.yaml")
	if err := os.WriteFile(p, y, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGradesAFolder(t *testing.T) {
	bp := h200Blueprint(t)
	recorded := filepath.Join("..", "..", "poc", "testdata")
	for _, tc := range []struct {
		dir  string
		code int
		head string
	}{{"pass", 0, "# PoC report\n\n**pass**"}, {"fail", 1, "# PoC report\n\n**fail**: gpu, storage, link, routing, dns."}} {
		var out, errOut bytes.Buffer
		if code := run([]string{"-blueprint", bp, filepath.Join(recorded, tc.dir)}, &out, &errOut); code != tc.code || !strings.HasPrefix(out.String(), tc.head) {
			t.Errorf("%s: exit %d, stderr %q:\n%s", tc.dir, code, errOut.String(), out.String())
		}
		out.Reset()
		if code := run([]string{"-json", "-blueprint", bp, filepath.Join(recorded, tc.dir)}, &out, &errOut); code != tc.code {
			t.Errorf("%s -json: exit %d", tc.dir, code)
		}
		var r poc.Report
		if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.Pass != (tc.code == 0) || len(r.Items) != 5 {
			t.Errorf("%s -json: %v %+v", tc.dir, err, r)
		}
	}
	// The reference plans H100s: the recorded H200 fails the GPU item.
	var out, errOut bytes.Buffer
	if code := run([]string{filepath.Join(recorded, "pass")}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "the plan's GPU is NVIDIA H100 80GB HBM3") {
		t.Errorf("reference plan: exit %d\n%s", code, out.String())
	}
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("nodePools: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		text string
	}{
		{"no folder", nil, "usage: poc"},
		{"two folders", []string{dir, dir}, "usage: poc"},
		{"missing folder", []string{filepath.Join(dir, "none")}, "no such file"},
		{"bad blueprint", []string{"-blueprint", bad, dir}, "-blueprint"},
	} {
		var out, errOut bytes.Buffer
		if code := run(tc.args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tc.text) {
			t.Errorf("%s: exit %d, stderr %q", tc.name, code, errOut.String())
		}
	}
}
