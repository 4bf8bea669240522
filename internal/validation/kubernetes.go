package validation

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// KubernetesMinors are the Kubernetes minor versions Amazon EKS supports
// on 2026-12-01, in standard or extended support, each with the newest
// Cluster Autoscaler release for it. 1.30 and 1.31 left extended support
// on 2026-07-23 and 2026-11-26; 1.36 is the newest
// (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html,
// release calendar). The autoscaler supports only the minor it was
// released with; its newest tags are cluster-autoscaler-1.32.7 …
// cluster-autoscaler-1.36.1 in https://github.com/kubernetes/autoscaler
// (tags as of 2026-08-22). Update both columns together.
func KubernetesMinors() []KubernetesMinor {
	return []KubernetesMinor{
		{"1.32", "v1.32.7"},
		{"1.33", "v1.33.6"},
		{"1.34", "v1.34.5"},
		{"1.35", "v1.35.2"},
		{"1.36", "v1.36.1"},
	}
}

// KubernetesMinor is one supported minor version and the Cluster
// Autoscaler image tag for it.
type KubernetesMinor struct {
	Version       string
	AutoscalerTag string
}

// LookupKubernetesMinor returns the table entry of v ("1.33").
func LookupKubernetesMinor(v string) (KubernetesMinor, bool) {
	for _, m := range KubernetesMinors() {
		if m.Version == v {
			return m, true
		}
	}
	return KubernetesMinor{}, false
}

// KubernetesVersion checks that v is a minor version EKS supports
// (KubernetesMinors); empty is an error.
func KubernetesVersion(p *field.Path, v string) field.ErrorList {
	if _, ok := LookupKubernetesMinor(v); ok {
		return nil
	}
	ms := KubernetesMinors()
	return field.ErrorList{field.Invalid(p, v, "must be a Kubernetes minor version EKS supports: "+ms[0].Version+" to "+ms[len(ms)-1].Version)}
}
