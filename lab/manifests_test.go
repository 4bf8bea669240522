package lab_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"bufio"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/apis/apps"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	appsvalidation "k8s.io/kubernetes/pkg/apis/apps/validation"
	"k8s.io/kubernetes/pkg/apis/core"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
	"k8s.io/kubernetes/pkg/apis/node"
	_ "k8s.io/kubernetes/pkg/apis/node/install"
	nodevalidation "k8s.io/kubernetes/pkg/apis/node/validation"
	"k8s.io/kubernetes/pkg/apis/rbac"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"
	rbacvalidation "k8s.io/kubernetes/pkg/apis/rbac/validation"

	"github.com/hybridkit/hybridkit/blueprint"
)

// validateObject runs kube-apiserver's validation for the object's kind;
// known reports whether the lab knows the kind.
func validateObject(obj runtime.Object) (errs field.ErrorList, known bool) {
	switch o := obj.(type) {
	case *core.PersistentVolume:
		return corevalidation.ValidatePersistentVolume(o, corevalidation.ValidationOptionsForPersistentVolume(o, nil)), true
	case *core.PersistentVolumeClaim:
		return corevalidation.ValidatePersistentVolumeClaim(o, corevalidation.ValidationOptionsForPersistentVolumeClaim(o, nil)), true
	case *core.Pod:
		return corevalidation.ValidatePodCreate(o, corevalidation.PodValidationOptions{}), true
	case *core.ConfigMap:
		return corevalidation.ValidateConfigMap(o), true
	case *core.ServiceAccount:
		return corevalidation.ValidateServiceAccount(o), true
	case *apps.Deployment:
		return appsvalidation.ValidateDeployment(o, corevalidation.PodValidationOptions{}), true
	case *apps.DaemonSet:
		return appsvalidation.ValidateDaemonSet(o, corevalidation.PodValidationOptions{}), true
	case *node.RuntimeClass:
		return nodevalidation.ValidateRuntimeClass(o), true
	case *rbac.ClusterRole:
		return rbacvalidation.ValidateClusterRole(o, rbacvalidation.ClusterRoleValidationOptions{}), true
	case *rbac.Role:
		return rbacvalidation.ValidateRole(o), true
	case *rbac.ClusterRoleBinding:
		return rbacvalidation.ValidateClusterRoleBinding(o), true
	case *rbac.RoleBinding:
		return rbacvalidation.ValidateRoleBinding(o), true
	}
	return nil, false
}

// apiserverValidate strictly decodes every document of a manifest into
// the internal API types and validates it as kube-apiserver would on
// create (with the namespace kubectl apply would fill in). It returns the
// problems, one line each.
func apiserverValidate(t *testing.T, data []byte) (problems []string, objects int) {
	t.Helper()
	codecs := serializer.NewCodecFactory(legacyscheme.Scheme, serializer.EnableStrict)
	dec := codecs.UniversalDecoder()
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return append(problems, "yaml: "+err.Error()), objects
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		js, err := utilyaml.ToJSON(doc)
		if err != nil {
			return append(problems, "yaml: "+err.Error()), objects
		}
		obj, gvk, err := dec.Decode(js, nil, nil)
		if err != nil {
			problems = append(problems, "decode: "+err.Error())
			continue
		}
		objects++
		if acc, ok := obj.(interface {
			GetNamespace() string
			SetNamespace(string)
		}); ok && acc.GetNamespace() == "" {
			switch obj.(type) {
			case *core.PersistentVolume, *node.RuntimeClass, *rbac.ClusterRole, *rbac.ClusterRoleBinding:
			default:
				acc.SetNamespace("default")
			}
		}
		errs, known := validateObject(obj)
		if !known {
			problems = append(problems, "no validation for "+gvk.String())
		}
		for _, e := range errs {
			problems = append(problems, gvk.Kind+": "+e.Error())
		}
	}
	return problems, objects
}

// TestManifestsPassAPIServerValidation runs every Kubernetes manifest of
// both bundles through kube-apiserver's own validation code.
func TestManifestsPassAPIServerValidation(t *testing.T) {
	for _, bp := range []struct {
		name string
		b    blueprint.Blueprint
	}{{"reference", blueprint.Reference()}, {"iam-ra-calico", iraCalico()}} {
		bundle := render(t, bp.b)
		n := 0
		for _, f := range bundle.Files() {
			if f.Kind != blueprint.KindK8sManifest {
				continue
			}
			t.Run(bp.name+"/"+f.Path, func(t *testing.T) {
				problems, objects := apiserverValidate(t, f.Content)
				n += objects
				for _, p := range problems {
					t.Error(p)
				}
			})
		}
		if n < 15 {
			t.Errorf("%s: only %d objects validated", bp.name, n)
		}
	}
}

// TestManifestsNegative proves the validation bites: a GPU request that
// differs from its limit, and a Deployment whose selector does not match
// its template, are refused.
func TestManifestsNegative(t *testing.T) {
	bundle := render(t, blueprint.Reference())
	workloads := string(file(t, bundle, "kubernetes/workloads.yaml"))
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"GPU request differs from limit", "      requests:\n        nvidia.com/gpu: \"8\"", "      requests:\n        nvidia.com/gpu: \"4\"", "must be equal to"},
		{"selector does not match labels", "    matchLabels:\n      app: web-api", "    matchLabels:\n      app: other", "does not match template"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(workloads, tc.from) {
				t.Fatalf("workloads.yaml has no %q", tc.from)
			}
			problems, _ := apiserverValidate(t, []byte(strings.Replace(workloads, tc.from, tc.to, 1)))
			if !strings.Contains(strings.Join(problems, "\n"), tc.want) {
				t.Errorf("validation = %v, want a problem mentioning %q", problems, tc.want)
			}
		})
	}
}
