package hybridkit_test

import (
	"go/ast"
	"go/token"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// models lists a value of every exported type that carries validate tags.
// validator/v10 panics on a malformed tag the first time it meets a type,
// so each one is run through the module's validator here rather than in a
// caller's program. TestEveryTaggedTypeIsListed keeps the list complete.
func models() []any {
	return []any{
		nodeconfig.NodeConfig{},
		nodeconfig.ClusterDetails{},
		nodeconfig.IAMRolesAnywhere{},
		netpath.Measurement{},
		nodeconfig.PolicyDocument{},
		nodeconfig.PolicyStatement{},
		nodeconfig.ServicePrincipal{},
		blueprint.Blueprint{},
		blueprint.Cluster{},
		blueprint.VPC{},
		blueprint.Subnet{},
		blueprint.Site{},
		blueprint.Connectivity{},
		blueprint.DirectConnect{},
		blueprint.Endpoint{},
		blueprint.Credentials{},
		blueprint.RolesAnywhereCredentials{},
		blueprint.NodePool{},
		blueprint.GPU{},
		blueprint.GPUSharing{},
		blueprint.Export{},
		blueprint.Workloads{},
		blueprint.Pricing{},
	}
}

func TestModelsRunThroughValidator(t *testing.T) {
	for _, m := range models() {
		name := reflect.TypeOf(m).String()
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("validator panicked on %s (a malformed validate tag?): %v", name, r)
				}
			}()
			_ = validation.Struct(field.NewPath("x"), m)
			_ = validation.Struct(field.NewPath("x"), &m)
		})
	}
}

// TestEveryTaggedTypeIsListed scans the library's source for exported
// struct types with `validate:` tags and fails for any not in models().
func TestEveryTaggedTypeIsListed(t *testing.T) {
	listed := map[string]bool{}
	for _, m := range models() {
		rt := reflect.TypeOf(m)
		listed[rt.PkgPath()+"."+rt.Name()] = true
	}
	for _, f := range moduleFiles(t) {
		if f.test {
			continue
		}
		for _, decl := range f.ast.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || !ts.Name.IsExported() || !hasValidateTag(st) {
					continue
				}
				if name := f.pkg + "." + ts.Name.Name; !listed[name] {
					t.Errorf("%s has validate tags but is not in models(): add it so a bad tag fails here, not in a caller", name)
				}
			}
		}
	}
}

func hasValidateTag(st *ast.StructType) bool {
	for _, fld := range st.Fields.List {
		if fld.Tag != nil && strings.Contains(fld.Tag.Value, `validate:"`) {
			return true
		}
	}
	return false
}
