// Command render turns a blueprint into the deployment bundle: NodeConfigs,
// containerd configs, Kubernetes manifests, DNS and firewall configs, AWS
// CLI scripts, verification commands and the plan report.
//
//	go run ./examples/render                      # the reference scenario into ./out
//	go run ./examples/render -blueprint my.yaml -out bundle
//	go run ./examples/render -print-default > my.yaml
//	go run ./examples/render -blueprint my.yaml -check
//
// It renders in memory and writes the folder only when everything
// rendered: into a temporary folder next to -out, which then replaces it.
// Exit status: 0 on success, 1 on an invalid blueprint (every error is
// printed with its path) or a failed write, 2 on a usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/blueprint"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bpFile := fs.String("blueprint", "", "blueprint YAML `file` (default: the embedded reference scenario)")
	out := fs.String("out", "out", "output `folder`; replaced as a whole when rendering succeeds")
	printDefault := fs.Bool("print-default", false, "write the reference blueprint as YAML to standard output and exit")
	check := fs.Bool("check", false, "validate and lint only; write nothing")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "render: unexpected arguments:", strings.Join(fs.Args(), " "))
		fs.Usage()
		return 2
	}
	if *printDefault {
		y, err := blueprint.Marshal(blueprint.Reference())
		if err != nil {
			fmt.Fprintln(stderr, "render:", err)
			return 1
		}
		_, err = stdout.Write(y)
		if err != nil {
			fmt.Fprintln(stderr, "render:", err)
			return 1
		}
		return 0
	}
	bp := blueprint.Reference()
	source := "the reference scenario"
	if *bpFile != "" {
		data, err := os.ReadFile(*bpFile)
		if err != nil {
			fmt.Fprintln(stderr, "render:", err)
			return 1
		}
		if bp, err = blueprint.Parse(data); err != nil {
			printErrors(stderr, *bpFile, err)
			return 1
		}
		source = *bpFile
	}
	bundle, findings, err := blueprint.Render(bp)
	if err != nil {
		printErrors(stderr, source, err)
		return 1
	}
	if *check {
		fmt.Fprintf(stdout, "%s is valid: %d files would be rendered.\n", source, len(bundle.Files))
		printFindings(stdout, findings)
		return 0
	}
	if err := writeBundle(*out, bundle); err != nil {
		fmt.Fprintln(stderr, "render:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Rendered %s into %s: %d files and bundle.json.\n", source, *out, len(bundle.Files))
	if readme, ok := bundle.File("README.md"); ok {
		for _, line := range strings.Split(string(readme.Content), "\n") {
			if strings.HasPrefix(line, "| Monthly cost |") {
				fmt.Fprintln(stdout, "Monthly cost:", strings.TrimSuffix(strings.TrimPrefix(line, "| Monthly cost | "), " |"))
			}
		}
	}
	printFindings(stdout, findings)
	fmt.Fprintf(stdout, "Start with %s.\n", filepath.Join(*out, "README.md"))
	return 0
}

// printErrors prints every field error on its own line, with its path.
func printErrors(w io.Writer, source string, err error) {
	var agg utilerrors.Aggregate
	if !errors.As(err, &agg) {
		fmt.Fprintf(w, "render: %s: %v\n", source, err)
		return
	}
	fmt.Fprintf(w, "render: %s is invalid (%d errors):\n", source, len(agg.Errors()))
	for _, e := range agg.Errors() {
		var fe *field.Error
		if errors.As(e, &fe) {
			fmt.Fprintf(w, "  %s\n", fe.Error())
		} else {
			fmt.Fprintf(w, "  %v\n", e)
		}
	}
}

func printFindings(w io.Writer, fs []advice.Finding) {
	fmt.Fprintf(w, "Findings: %d error, %d warning, %d info.\n", advice.Count(fs, advice.Error), advice.Count(fs, advice.Warning), advice.Count(fs, advice.Info))
	for _, f := range fs {
		if f.Level >= advice.Warning {
			fmt.Fprintln(w, " ", f)
		}
	}
}

// writeBundle writes the bundle into a fresh temporary folder next to out,
// then swaps it in. A folder that exists and is not an earlier bundle (no
// bundle.json) is not replaced. On any failure nothing changes at out.
func writeBundle(out string, b blueprint.Bundle) (err error) {
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(out, "bundle.json")); err != nil {
			return fmt.Errorf("%s exists and is not a bundle written by render (no bundle.json): not replacing it", out)
		}
	}
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, ".render-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for _, f := range b.Files {
		path := filepath.Join(tmp, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if f.Secret {
			// NodeConfigs with an SSM activation code: owner only.
			mode = 0o600
		} else if f.Kind == blueprint.KindShell {
			mode = 0o755
		}
		if err := os.WriteFile(path, f.Content, mode); err != nil {
			return err
		}
	}
	idx, err := b.IndexJSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "bundle.json"), idx, 0o644); err != nil {
		return err
	}
	var old string
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
