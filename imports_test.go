package hybridkit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/hybridkit/hybridkit"

// forbidden are imports no library package may have: the library does no
// I/O, has no global logger, and never renders text through templates.
var forbidden = map[string]string{
	"os":            "no I/O in library packages: take []byte, return []byte",
	"os/exec":       "no running programs in library packages",
	"os/signal":     "no process control in library packages",
	"net/http":      "no network access in library packages",
	"net":           "no network access in library packages (use net/netip for addresses)",
	"log":           "no global logging in library packages: return findings",
	"log/slog":      "no global logging in library packages: return findings",
	"io/ioutil":     "deprecated, and I/O",
	"syscall":       "no system calls in library packages",
	"text/template": "never template config text: use an encoder or the format's writer",
	"html/template": "never template config text: use an encoder or the format's writer",
	"unsafe":        "no unsafe code",
}

// testOnly packages may do I/O because only tests import them.
var testOnly = map[string]bool{
	module + "/internal/testkit": true,
}

type goFile struct {
	path    string // relative to the module root
	pkg     string // import path of its package
	test    bool
	ast     *ast.File
	imports []string
}

func moduleFiles(t *testing.T) []goFile {
	t.Helper()
	var out []goFile
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "out") {
				return filepath.SkipDir
			}
			// lab/ is its own module.
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil && p != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		gf := goFile{path: filepath.ToSlash(p), test: strings.HasSuffix(p, "_test.go"), ast: f}
		gf.pkg = module
		if dir := filepath.ToSlash(filepath.Dir(p)); dir != "." {
			gf.pkg = module + "/" + dir
		}
		for _, imp := range f.Imports {
			s, _ := strconv.Unquote(imp.Path.Value)
			gf.imports = append(gf.imports, s)
		}
		out = append(out, gf)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func isLibrary(f goFile) bool {
	return !f.test && !strings.HasPrefix(f.pkg, module+"/examples") && !testOnly[f.pkg]
}

// TestLibraryDoesNoIO enforces the pure-library rule: no library package
// imports an I/O, logging or template package, declares init(), or exports
// a package-level variable other than an Err sentinel (well-known values are
// functions).
func TestLibraryDoesNoIO(t *testing.T) {
	for _, f := range moduleFiles(t) {
		if !isLibrary(f) {
			continue
		}
		for _, imp := range f.imports {
			if why, bad := forbidden[imp]; bad {
				t.Errorf("%s imports %q: %s", f.path, imp, why)
			}
		}
		for _, decl := range f.ast.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" {
					t.Errorf("%s declares init(): library packages have no start-up side effects", f.path)
				}
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					for _, name := range spec.(*ast.ValueSpec).Names {
						// Error sentinels (ErrX = errors.New(…)) are the one
						// exception: callers compare them with errors.Is.
						if name.IsExported() && !strings.HasPrefix(name.Name, "Err") {
							t.Errorf("%s exports package-level variable %s: expose well-known values as functions", f.path, name.Name)
						}
					}
				}
			}
		}
	}
}

// TestTestOnlyPackagesStayInTests makes sure the I/O helpers for tests are
// never linked into a library package or an example.
func TestTestOnlyPackagesStayInTests(t *testing.T) {
	for _, f := range moduleFiles(t) {
		if f.test {
			continue
		}
		for _, imp := range f.imports {
			if testOnly[imp] {
				t.Errorf("%s (not a test) imports test-only package %s", f.path, imp)
			}
		}
	}
}

// TestDependencyDirection enforces the layering of ARCHITECTURE.md:
// blueprint → domain packages → {advice, containerdconf, internal}. advice is
// a leaf; no library package imports blueprint except examples; nothing
// imports examples.
func TestDependencyDirection(t *testing.T) {
	for _, f := range moduleFiles(t) {
		if f.test {
			continue
		}
		for _, imp := range f.imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			switch {
			case strings.HasPrefix(imp, module+"/examples"):
				t.Errorf("%s imports %s: examples are programs, not libraries", f.path, imp)
			case imp == module+"/blueprint" && !strings.HasPrefix(f.pkg, module+"/examples") && f.pkg != module:
				t.Errorf("%s imports blueprint: only examples and callers sit above it", f.path)
			case f.pkg == module+"/advice":
				t.Errorf("advice imports %s: it must stay a leaf", imp)
			case f.pkg == module+"/internal/testkit":
				// Test helpers, imported by tests only (the next case):
				// they may build the domain models tests share.
			case imp == module+"/internal/testkit":
				t.Errorf("%s imports testkit: it is for tests only", f.path)
			case strings.HasPrefix(f.pkg, module+"/internal/") && !strings.HasPrefix(imp, module+"/internal/") && imp != module+"/advice":
				t.Errorf("%s imports %s: internal helpers must not depend on domain packages", f.path, imp)
			case f.pkg == module+"/containerdconf" && !strings.HasPrefix(imp, module+"/internal/") && imp != module+"/advice":
				t.Errorf("%s imports %s: containerdconf is a leaf shared by gpu and nodeconfig", f.path, imp)
			}
		}
	}
}

// allowedModules are the only direct dependencies (ARCHITECTURE.md,
// "Dependencies"); adding one needs a reason in the README.
var allowedModules = []string{
	"k8s.io/api",
	"k8s.io/apimachinery",
	"sigs.k8s.io/yaml",
	"github.com/pelletier/go-toml/v2",
	"github.com/go-playground/validator/v10",
	"go4.org/netipx",
	// The YAML encoder inside sigs.k8s.io/yaml, used directly by
	// internal/yamlenc to skip sigs.k8s.io/yaml's JSON→YAML re-parse
	// (README, "Dependencies").
	"go.yaml.in/yaml/v2",
	// The YAML parser internal/strict reads documents with: it keeps line
	// and column of every node and leaves aliases unexpanded, so strict
	// decoding can report positions and bound alias expansion (README,
	// "Dependencies").
	"go.yaml.in/yaml/v3",
	// CoreDNS's Caddyfile lexer: dnsplan.ParseCorefile splits a Corefile
	// with it, so quoting and comments read as CoreDNS reads them
	// (README, "Dependencies").
	"github.com/coredns/caddy",
}

func TestDirectDependencies(t *testing.T) {
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range directRequires(string(b)) {
		if !slices.Contains(allowedModules, path) {
			t.Errorf("go.mod requires %s directly; the allowed list is %v", path, allowedModules)
		}
	}
}

// directRequires lists the module paths go.mod requires without an
// "// indirect" comment, in both the block and the single-line form.
func directRequires(gomod string) []string {
	var out []string
	inBlock := false
	for _, line := range strings.Split(gomod, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			inBlock = true
			continue
		case inBlock && line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inBlock:
			continue
		}
		if line == "" || strings.HasSuffix(line, "// indirect") {
			continue
		}
		out = append(out, strings.Fields(line)[0])
	}
	return out
}

// TestNoAWSSDKInTheCoreModule keeps the AWS SDK and eksctl in the modules
// that need them (awssdk/, lab/): a library user who imports hybridkit
// downloads neither, directly or indirectly.
func TestNoAWSSDKInTheCoreModule(t *testing.T) {
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, heavy := range []string{"github.com/aws/", "github.com/weaveworks/eksctl"} {
				if strings.Contains(line, heavy) {
					t.Errorf("%s:%d: %s; the AWS SDK and eksctl belong in awssdk/ or lab/", name, i+1, strings.TrimSpace(line))
				}
			}
		}
	}
	if _, err := os.Stat(filepath.Join("awssdk", "go.mod")); err != nil {
		t.Errorf("awssdk/ is not a module of its own: %v", err)
	}
}
