// Command poc grades the results folder of a bundle's verify/poc.sh
// against the blueprint it was rendered from, and prints the PoC report.
//
//	verify/poc.sh -o poc-results                      # where kubectl reaches the cluster
//	go run ./examples/poc -blueprint my-blueprint.yaml poc-results
//	go run ./examples/poc -json poc-results > report.json
//
// Without -blueprint the reference blueprint's plan is used. Exit status:
// 0 when every PoC item passes, 1 when one fails, 2 on a usage error, an
// invalid blueprint or an unreadable folder.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/poc"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// maxFile bounds what is read of one results file.
const maxFile = 8 << 20

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("poc", flag.ContinueOnError)
	flags.SetOutput(stderr)
	bpFile := flags.String("blueprint", "", "blueprint YAML `file` the bundle was rendered from (default: the reference)")
	asJSON := flags.Bool("json", false, "print the report as JSON instead of Markdown")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: poc [-blueprint FILE] [-json] RESULTS_DIR")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return 2
	}
	bp := blueprint.Reference()
	if *bpFile != "" {
		data, err := os.ReadFile(*bpFile)
		if err == nil {
			bp, err = blueprint.Parse(data)
		}
		if err != nil {
			fmt.Fprintf(stderr, "poc: -blueprint %s: %s\n", advice.Printable(*bpFile, 200), advice.Printable(err.Error(), 4000))
			return 2
		}
	}
	plan, err := bp.PoCPlan()
	if err != nil {
		fmt.Fprintln(stderr, "poc:", advice.Printable(err.Error(), 4000))
		return 2
	}
	results, err := readResults(flags.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "poc:", advice.Printable(err.Error(), 1000))
		return 2
	}
	report := poc.Grade(plan, results)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintln(stderr, "poc:", err)
			return 2
		}
	} else if _, err := stdout.Write(report.Markdown()); err != nil {
		fmt.Fprintln(stderr, "poc:", err)
		return 2
	}
	if !report.Pass {
		return 1
	}
	return 0
}

// readResults reads the regular files of dir (not its subfolders), each
// up to maxFile bytes.
func readResults(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		p := filepath.Join(dir, e.Name())
		if info.Size() > maxFile {
			return nil, fmt.Errorf("%s: %d bytes is more than a check writes", p, info.Size())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out[e.Name()] = b
	}
	return out, nil
}
