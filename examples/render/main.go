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
// -out must be missing, empty or an earlier bundle (every file listed in
// its bundle.json): a file, a symbolic link, a folder it cannot read or
// any other folder is refused before anything is written.
// Exit status: 0 on success, 1 on an invalid blueprint (every error is
// printed with its path), a refused -out or a failed write, 2 on a usage
// error.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
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
	out := fs.String("out", "out", "output `folder`; replaced as a whole when rendering succeeds, and only if it is empty or an earlier bundle")
	printDefault := fs.Bool("print-default", false, "write the reference blueprint as YAML to standard output and exit")
	check := fs.Bool("check", false, "validate and lint only; write nothing")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "render: unexpected arguments:", advice.Printable(strings.Join(fs.Args(), " "), 200))
		fs.Usage()
		return 2
	}
	if *out == "" {
		fmt.Fprintln(stderr, "render: -out must name a folder")
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
	// The output folder is checked before anything is rendered or written:
	// a refusal leaves the file system exactly as it was.
	if !*check {
		if err := checkOut(*out); err != nil {
			fmt.Fprintln(stderr, "render:", advice.Printable(err.Error(), 1000))
			return 1
		}
	}
	bp := blueprint.Reference()
	source := "the reference scenario"
	if *bpFile != "" {
		source = advice.Printable(*bpFile, 200)
		data, err := readBlueprint(*bpFile)
		if err != nil {
			fmt.Fprintln(stderr, "render:", advice.Printable(err.Error(), 1000))
			return 1
		}
		if bp, err = blueprint.Parse(data); err != nil {
			printErrors(stderr, source, err)
			return 1
		}
	}
	bundle, findings, err := blueprint.Render(bp)
	if err != nil {
		printErrors(stderr, source, err)
		return 1
	}
	if *check {
		fmt.Fprintf(stdout, "%s is valid: %d files would be rendered.\n", source, bundle.Len())
		printFindings(stdout, findings)
		return 0
	}
	if err := writeBundle(*out, bundle); err != nil {
		fmt.Fprintln(stderr, "render:", advice.Printable(err.Error(), 1000))
		return 1
	}
	shownOut := advice.Printable(*out, 200)
	fmt.Fprintf(stdout, "Rendered %s into %s: %d files and %s.\n", source, shownOut, bundle.Len(), blueprint.IndexPath)
	if readme, ok := bundle.File("README.md"); ok {
		for _, line := range strings.Split(string(readme.Content), "\n") {
			if strings.HasPrefix(line, "| Monthly cost |") {
				fmt.Fprintln(stdout, "Monthly cost:", strings.TrimSuffix(strings.TrimPrefix(line, "| Monthly cost | "), " |"))
			}
		}
	}
	printFindings(stdout, findings)
	fmt.Fprintf(stdout, "Start with %s.\n", advice.Printable(filepath.Join(*out, "README.md"), 200))
	return 0
}

// readBlueprint reads at most one byte more than blueprint.Parse accepts,
// so a huge or endless file (a device, a pipe) is refused without reading
// it whole.
func readBlueprint(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, blueprint.MaxBlueprintBytes+1))
}

// printErrors prints every field error on its own line, with its path.
// The errors' text is already safe to print (quoted, escaped, cut); any
// other error is made so here.
func printErrors(w io.Writer, source string, err error) {
	var agg utilerrors.Aggregate
	if !errors.As(err, &agg) {
		fmt.Fprintf(w, "render: %s: %s\n", source, advice.Printable(err.Error(), 1000))
		return
	}
	fmt.Fprintf(w, "render: %s is invalid (%d errors):\n", source, len(agg.Errors()))
	for _, e := range agg.Errors() {
		var fe *field.Error
		if errors.As(e, &fe) {
			fmt.Fprintf(w, "  %s\n", advice.Printable(fe.Error(), 2000))
		} else {
			fmt.Fprintf(w, "  %s\n", advice.Printable(e.Error(), 2000))
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

// checkOut refuses an output folder that writeBundle must not replace:
// anything that is not a folder (a file, a symbolic link, a device), a
// folder it cannot read, and a folder that holds anything but an earlier
// bundle — every file listed in its bundle.json. A missing or empty folder
// is fine. It only looks: nothing is created, renamed or removed.
func checkOut(out string) error {
	fi, err := os.Lstat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("cannot look at %s: %w; not writing there", out, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link: not replacing it (name the folder itself)", out)
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a folder: not replacing it", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("cannot read the folder %s: %w; not replacing it", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	foreign := func(why string) error {
		return fmt.Errorf("%s is not a bundle written by render (%s): not replacing it", out, why)
	}
	data, err := os.ReadFile(filepath.Join(out, blueprint.IndexPath))
	if err != nil {
		return foreign("no readable " + blueprint.IndexPath)
	}
	var idx struct {
		Files []blueprint.IndexEntry `json:"files"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&idx); err != nil {
		return foreign(blueprint.IndexPath + " is not a bundle index")
	}
	listed := make(map[string]bool, len(idx.Files))
	for _, e := range idx.Files {
		listed[e.Path] = true
	}
	return filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("cannot read %s: %w; not replacing %s", p, err, out)
		}
		rel, err := filepath.Rel(out, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case rel == "." || d.IsDir():
			return nil
		case !d.Type().IsRegular():
			return foreign(rel + " is not a regular file")
		case rel != blueprint.IndexPath && !listed[rel]:
			return foreign("it holds " + rel + ", which its " + blueprint.IndexPath + " does not list")
		}
		return nil
	})
}

// writeBundle writes the bundle into a fresh temporary folder next to out,
// then swaps it in; checkOut must have accepted out. Every path is checked
// again before it is written, and must stay inside the folder. On any
// failure nothing changes at out.
func writeBundle(out string, b blueprint.Bundle) (err error) {
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
	root, err := os.OpenRoot(tmp)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, f := range b.Files() {
		if err := blueprint.ValidPath(f.Path); err != nil {
			return err
		}
		name := filepath.FromSlash(f.Path)
		if dir := filepath.Dir(name); dir != "." {
			if err := root.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		}
		mode := os.FileMode(0o644)
		if f.Secret {
			// NodeConfigs with an SSM activation code: owner only.
			mode = 0o600
		} else if f.Kind == blueprint.KindShell {
			mode = 0o755
		}
		if err := root.WriteFile(name, f.Content, mode); err != nil {
			return err
		}
	}
	idx, err := b.IndexJSON()
	if err != nil {
		return err
	}
	if err := root.WriteFile(blueprint.IndexPath, idx, 0o644); err != nil {
		return err
	}
	var old string
	if _, err := os.Lstat(out); err == nil {
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
