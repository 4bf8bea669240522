// Command inspect checks what a hybrid deployment already runs: NodeConfigs,
// containerd configs, named.conf, Unbound and dnsmasq forwarders,
// Corefiles, Kubernetes manifests, AWS CLI output (security groups,
// Resolver rules and associations, describe-cluster, VPCs, route tables),
// `ip route`, nvidia-smi, /etc/os-release, ping and iperf3 runs, and
// rendered hybridkit bundles. It prints the findings hybridkit's
// generation would report, grouped by file.
//
//	go run ./examples/inspect /etc/eks/nodeconfig.yaml
//	go run ./examples/inspect -context blueprint.yaml ./site-configs
//	go run ./examples/inspect -json out
//
// A folder is read recursively (files and folders whose names start with
// a dot are skipped; symbolic links are not followed). Exit status: 0 when
// no finding is an error, 1 when one is (or a file cannot be read), 2 on a
// usage error or an invalid -context blueprint.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/inspect"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// jsonFinding is one line of -json output.
type jsonFinding struct {
	File    string       `json:"file"`
	Kind    inspect.Kind `json:"kind"`
	Level   advice.Level `json:"level"`
	Code    advice.Code  `json:"code"`
	Field   string       `json:"field"`
	Line    int          `json:"line"`
	Message string       `json:"message"`
	Ref     string       `json:"ref"`
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("inspect", flag.ContinueOnError)
	flags.SetOutput(stderr)
	asJSON := flags.Bool("json", false, "print one JSON array of findings")
	contextFile := flags.String("context", "", "blueprint YAML `file` describing the planned cluster, VPC and site, for the checks that compare files with the plan")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: inspect [-json] [-context blueprint.yaml] FILE|DIR...")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return 2
	}
	var ctx inspect.Context
	if *contextFile != "" {
		data, err := os.ReadFile(*contextFile)
		if err == nil {
			var bp blueprint.Blueprint
			if bp, err = blueprint.Parse(data); err == nil {
				ctx, err = bp.InspectContext()
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "inspect: -context %s: %s\n", advice.Printable(*contextFile, 200), advice.Printable(err.Error(), 4000))
			return 2
		}
	}
	inputs, readErrs := readInputs(flags.Args())
	for _, err := range readErrs {
		fmt.Fprintln(stderr, "inspect:", advice.Printable(err.Error(), 1000))
	}
	results, err := inspect.Files(ctx, inputs...)
	if err != nil {
		fmt.Fprintln(stderr, "inspect:", advice.Printable(err.Error(), 1000))
		return 1
	}
	failed := len(readErrs) > 0
	all := []jsonFinding{}
	for _, r := range results {
		for _, f := range r.Findings {
			failed = failed || f.Level == advice.Error
			all = append(all, jsonFinding{File: r.Name, Kind: r.Kind, Level: f.Level, Code: f.Code, Field: f.Field, Line: f.Line, Message: f.Message, Ref: f.Ref})
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			fmt.Fprintln(stderr, "inspect:", err)
			return 1
		}
	} else {
		printText(stdout, results)
	}
	if failed {
		return 1
	}
	return 0
}

// printText lists the findings grouped by file, worst first, and a
// summary line.
func printText(w io.Writer, results []inspect.Result) {
	var counts [3]int
	for _, r := range results {
		fmt.Fprintf(w, "%s (%s): ", advice.Printable(r.Name, 500), r.Kind)
		if len(r.Findings) == 0 {
			fmt.Fprintln(w, "no findings")
			continue
		}
		fmt.Fprintf(w, "%d finding(s)\n", len(r.Findings))
		for _, f := range r.Findings {
			counts[f.Level]++
			at := ""
			if f.Line > 0 {
				at = fmt.Sprintf("line %d: ", f.Line)
			}
			if f.Field != "" {
				at += advice.Printable(f.Field, 300) + ": "
			}
			fmt.Fprintf(w, "  %s %s: %s%s\n", f.Level, f.Code, at, advice.Printable(f.Message, advice.MaxMessage))
			if f.Ref != "" {
				fmt.Fprintf(w, "    see %s\n", advice.Printable(f.Ref, 500))
			}
		}
	}
	fmt.Fprintf(w, "%d file(s): %d error, %d warning, %d info.\n", len(results), counts[advice.Error], counts[advice.Warning], counts[advice.Info])
}

// readInputs reads every file named, and every regular file under the
// folders named, in lexical order. Files over inspect.MaxFileBytes and
// files that cannot be read are errors; the rest are still inspected.
func readInputs(args []string) ([]inspect.Input, []error) {
	var inputs []inspect.Input
	var errs []error
	read := func(p string, info fs.FileInfo) {
		if info.Size() > inspect.MaxFileBytes {
			errs = append(errs, fmt.Errorf("%s: %d bytes is over the %d inspect reads", p, info.Size(), inspect.MaxFileBytes))
			return
		}
		data, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, err)
			return
		}
		inputs = append(inputs, inspect.Input{Name: filepath.ToSlash(p), Data: data})
	}
	for _, arg := range args {
		info, err := os.Lstat(arg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				errs = append(errs, fmt.Errorf("%s: not a regular file", arg))
				continue
			}
			read(arg, info)
			continue
		}
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if p != arg && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			read(p, info)
			return nil
		})
		if err != nil {
			errs = append(errs, errors.Unwrap(err))
		}
	}
	return inputs, errs
}
