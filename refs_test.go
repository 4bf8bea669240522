package hybridkit_test

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// TestFindingSourcesArePublicURLs checks, in the source of every library
// package, each place a finding's source is written: the Ref field of an
// advice.Finding literal, the last argument of the package's finding
// helpers (add, finding, …), and constants named ref… . Each must be a
// string that starts with https:// — or a constant that does — so every
// finding links to where its fact comes from, and none points at notes a
// user does not have.
func TestFindingSourcesArePublicURLs(t *testing.T) {
	for _, f := range moduleFiles(t) {
		if !isLibrary(f) {
			continue
		}
		consts := map[string]string{}
		// refArg is, for each local finding helper (add := func(…)), the
		// position of its parameter named ref.
		refArg := map[string]int{}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
				id, ok1 := as.Lhs[0].(*ast.Ident)
				fl, ok2 := as.Rhs[0].(*ast.FuncLit)
				if ok1 && ok2 {
					i := 0
					for _, fld := range fl.Type.Params.List {
						for _, name := range fld.Names {
							if name.Name == "ref" {
								refArg[id.Name] = i
							}
							i++
						}
					}
				}
			}
			if fd, ok := n.(*ast.FuncDecl); ok && fd.Recv == nil {
				i := 0
				for _, fld := range fd.Type.Params.List {
					for _, name := range fld.Names {
						if name.Name == "ref" {
							refArg[fd.Name.Name] = i
						}
						i++
					}
				}
			}
			if vs, ok := n.(*ast.ValueSpec); ok {
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := stringLit(vs.Values[i]); ok {
							consts[name.Name] = s
						}
					}
				}
			}
			return true
		})
		check := func(e ast.Expr, where string) {
			// A sum starts with its leftmost operand.
			for {
				be, ok := e.(*ast.BinaryExpr)
				if !ok || be.Op != token.ADD {
					break
				}
				e = be.X
			}
			var s string
			switch x := e.(type) {
			case *ast.BasicLit:
				s, _ = stringLit(x)
			case *ast.Ident:
				v, ok := consts[x.Name]
				if !ok {
					return // a parameter or a package-level constant of another file
				}
				s = v
			case *ast.SelectorExpr:
				return // a constant of another package, checked there
			default:
				return
			}
			if !strings.HasPrefix(s, "https://") {
				t.Errorf("%s: %s: a finding's source %q is not a public https URL", f.path, where, s)
			}
		}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Ref" {
					check(x.Value, "Ref")
				}
			case *ast.ValueSpec:
				for i, name := range x.Names {
					if strings.HasPrefix(name.Name, "ref") && i < len(x.Values) {
						check(x.Values[i], "const "+name.Name)
					}
				}
			case *ast.CallExpr:
				if id, ok := x.Fun.(*ast.Ident); ok {
					if i, helper := refArg[id.Name]; helper && i < len(x.Args) {
						check(x.Args[i], id.Name+"(…)")
					}
				}
			}
			return true
		})
	}
}

func stringLit(e ast.Expr) (string, bool) {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(bl.Value)
	return s, err == nil
}
