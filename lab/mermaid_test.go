package lab_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// mermaidCLI finds the Mermaid CLI the lab installs in lab/mermaid
// (PUPPETEER_SKIP_DOWNLOAD=1 npm ci there) and Debian's chromium it
// drives.
func mermaidCLI(t *testing.T) (mmdc, chromium string) {
	t.Helper()
	mmdc, _ = filepath.Abs(filepath.Join("mermaid", "node_modules", ".bin", "mmdc"))
	if _, err := os.Stat(mmdc); err != nil {
		msg := "the Mermaid CLI is not installed: cd lab/mermaid && PUPPETEER_SKIP_DOWNLOAD=1 npm ci"
		if testkit.RequireTools() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return mmdc, testkit.Tool(t, "chromium", "chromium")
}

// reports are the README.md of the reference and of each variant the
// blueprint package keeps.
func reports(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	bps := map[string]blueprint.Blueprint{"reference": blueprint.Reference(), "iam-ra-calico": iraCalico()}
	files, _ := filepath.Glob(filepath.Join("..", "blueprint", "testdata", "variants", "*.yaml"))
	for _, f := range files {
		y, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := blueprint.Parse(y)
		if err != nil {
			t.Fatal(err)
		}
		bps[strings.TrimSuffix(filepath.Base(f), ".yaml")] = b
	}
	if len(bps) < 5 {
		t.Fatalf("only %d blueprints: the variants are missing", len(bps))
	}
	for name, b := range bps {
		bundle, _, err := blueprint.Render(b)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := bundle.File("README.md")
		out[name] = f.Content
	}
	return out
}

// TestReportDiagramsRender renders every Mermaid block of the reference and
// variant reports with the real Mermaid CLI: a syntax error fails the
// test. The SVGs stay in lab/artifacts/mermaid as artifacts.
func TestReportDiagramsRender(t *testing.T) {
	mmdc, chromium := mermaidCLI(t)
	conf := filepath.Join(t.TempDir(), "puppeteer.json")
	js, _ := json.Marshal(map[string]any{"executablePath": chromium,
		"args": []string{"--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"}})
	if err := os.WriteFile(conf, js, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, report := range reports(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := bytes.Count(report, []byte("```mermaid"))
			if want < 3 {
				t.Fatalf("the report has %d diagrams, want the topology, DNS and cost", want)
			}
			dir, err := filepath.Abs(filepath.Join("artifacts", "mermaid", name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			in := filepath.Join(dir, "README.md")
			if err := os.WriteFile(in, report, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, mmdc, "-p", conf, "-i", in, "-o", filepath.Join(dir, "rendered.md"), "-a", dir)
			cmd.Env = append(os.Environ(), "PUPPETEER_SKIP_DOWNLOAD=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("mmdc: %v\n%s", err, out)
			}
			svgs, _ := filepath.Glob(filepath.Join(dir, "rendered-*.svg"))
			if len(svgs) != want {
				t.Fatalf("%d SVGs for %d diagrams:\n%s", len(svgs), want, out)
			}
			for _, s := range svgs {
				b, err := os.ReadFile(s)
				if err != nil || !bytes.Contains(b, []byte("<svg")) || bytes.Contains(b, []byte("Syntax error")) {
					t.Errorf("%s is not a diagram (%v)", s, err)
				}
			}
		})
	}
}
