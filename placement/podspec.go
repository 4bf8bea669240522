package placement

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Values of nodeconfig.LabelComputeType on the nodes placement keeps
// hybrid work away from: EKS Auto Mode and Fargate nodes (hybrid nodes
// carry nodeconfig.ComputeTypeHybrid). The other names placement relies
// on are their owners': the label nodeadm sets (nodeconfig), the zone and
// host labels (Kubernetes, corev1), and the NVIDIA device plugin's
// resource and the GPU nodes' taint (gpu).
const (
	ComputeAuto    = "auto"
	ComputeFargate = "fargate"
)

// PodTemplateOf returns the pod template inside a workload object, so the
// placement functions work on a Pod, a PodTemplate, a Deployment,
// StatefulSet, DaemonSet, ReplicaSet, Job or CronJob alike. For a Pod the
// returned template aliases its metadata and spec. Other kinds are an
// error.
func PodTemplateOf(obj runtime.Object) (*corev1.PodTemplateSpec, func(), error) {
	switch o := obj.(type) {
	case *corev1.Pod:
		t := &corev1.PodTemplateSpec{ObjectMeta: o.ObjectMeta, Spec: o.Spec}
		return t, func() { o.ObjectMeta, o.Spec = t.ObjectMeta, t.Spec }, nil
	case *corev1.PodTemplate:
		return &o.Template, func() {}, nil
	case *appsv1.Deployment:
		return &o.Spec.Template, func() {}, nil
	case *appsv1.StatefulSet:
		return &o.Spec.Template, func() {}, nil
	case *appsv1.DaemonSet:
		return &o.Spec.Template, func() {}, nil
	case *appsv1.ReplicaSet:
		return &o.Spec.Template, func() {}, nil
	case *batchv1.Job:
		return &o.Spec.Template, func() {}, nil
	case *batchv1.CronJob:
		return &o.Spec.JobTemplate.Spec.Template, func() {}, nil
	case nil:
		return nil, nil, fmt.Errorf("placement: nil object")
	}
	return nil, nil, fmt.Errorf("placement: %T has no pod template", obj)
}

// Apply runs place on obj's pod template (see PodTemplateOf) and writes
// the result back. A Placer error leaves obj unchanged.
func Apply(obj runtime.Object, place Placer) error {
	t, commit, err := PodTemplateOf(obj)
	if err != nil {
		return err
	}
	work := t.DeepCopy()
	if err := place.Place(work); err != nil {
		return err
	}
	*t = *work
	commit()
	return nil
}

// Placer changes a pod template: GPU, Cloud and HA implement it.
type Placer interface {
	Place(*corev1.PodTemplateSpec) error
}

// addRequiredExpression ANDs req into every required node-affinity term
// (terms are ORed, so each must carry it), creating one term if there are
// none.
func addRequiredExpression(spec *corev1.PodSpec, req corev1.NodeSelectorRequirement) {
	if spec.Affinity == nil {
		spec.Affinity = &corev1.Affinity{}
	}
	if spec.Affinity.NodeAffinity == nil {
		spec.Affinity.NodeAffinity = &corev1.NodeAffinity{}
	}
	na := spec.Affinity.NodeAffinity
	if na.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		na.RequiredDuringSchedulingIgnoredDuringExecution = &corev1.NodeSelector{}
	}
	ns := na.RequiredDuringSchedulingIgnoredDuringExecution
	if len(ns.NodeSelectorTerms) == 0 {
		ns.NodeSelectorTerms = []corev1.NodeSelectorTerm{{}}
	}
	for i := range ns.NodeSelectorTerms {
		ns.NodeSelectorTerms[i].MatchExpressions = append(ns.NodeSelectorTerms[i].MatchExpressions, req)
	}
}
