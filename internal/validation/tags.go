package validation

import (
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	k8svalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/imageref"
)

// positiveDecimalRE is a plain decimal: digits, then at most six
// decimals (the precision of cost.Money).
var positiveDecimalRE = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,6})?$`)

// rule checks a string field for one of hybridkit's own tags, reporting
// at fp with the rule's own message; param is the tag's parameter
// (aws_id=vpc passes "vpc").
type rule func(fp *field.Path, value, param string) field.ErrorList

// rules are the tags hybridkit adds to validator's: the formats of AWS
// and Kubernetes names that the models' fields hold. Each tag checks the
// field on its own; a rule that needs another field is hand-written in
// its package.
func rules() map[string]rule {
	return map[string]rule{
		"eks_cluster_name":  func(fp *field.Path, v, _ string) field.ErrorList { return ClusterName(fp, v) },
		"aws_region":        func(fp *field.Path, v, _ string) field.ErrorList { return Region(fp, v) },
		"aws_account_id":    func(fp *field.Path, v, _ string) field.ErrorList { return AccountID(fp, v) },
		"aws_id":            ResourceID,
		"kubernetes_minor":  func(fp *field.Path, v, _ string) field.ErrorList { return KubernetesVersion(fp, v) },
		"dns1123_label":     kubernetesRule(k8svalidation.IsDNS1123Label),
		"dns1123_subdomain": kubernetesRule(k8svalidation.IsDNS1123Subdomain),
		"qualified_name":    kubernetesRule(k8svalidation.IsQualifiedName),
		"label_value":       kubernetesRule(k8svalidation.IsValidLabelValue),
		"plain_text":        func(fp *field.Path, v, _ string) field.ErrorList { return PlainText(fp, v) },
		"image_ref": func(fp *field.Path, v, _ string) field.ErrorList {
			if _, err := imageref.Parse(v); err != nil {
				return field.ErrorList{field.Invalid(fp, v, err.Error())}
			}
			return nil
		},
		"positive_decimal": func(fp *field.Path, v, _ string) field.ErrorList {
			if !positiveDecimalRE.MatchString(v) || strings.Trim(v, "0.") == "" {
				return field.ErrorList{field.Invalid(fp, v, "must be a positive decimal number with at most 6 decimals, such as 1380.25")}
			}
			return nil
		},
		"quantity": func(fp *field.Path, v, _ string) field.ErrorList {
			q, err := resource.ParseQuantity(v)
			switch {
			case err != nil:
				return field.ErrorList{field.Invalid(fp, v, "must be a quantity such as 10Ti")}
			case q.Sign() <= 0:
				return field.ErrorList{field.Invalid(fp, v, "must be positive")}
			}
			return nil
		},
	}
}

// kubernetesRule adapts one of apimachinery's Is… checks, which return
// the reasons a value fails.
func kubernetesRule(is func(string) []string) rule {
	return func(fp *field.Path, v, _ string) field.ErrorList {
		if msgs := is(v); len(msgs) > 0 {
			return field.ErrorList{field.Invalid(fp, v, strings.Join(msgs, "; "))}
		}
		return nil
	}
}
