package placement

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// GPU puts a pod on hybrid GPU nodes: a node selector on
// eks.amazonaws.com/compute-type=hybrid and NodeLabels, the toleration of
// the GPU taint, nvidia.com/gpu requests equal to limits, and optionally
// the NVIDIA RuntimeClass.
type GPU struct {
	// Count is the GPUs per pod, 1 or more.
	Count int64 `json:"count"`
	// Container names the container that gets the GPUs; empty means the
	// first.
	Container string `json:"container,omitempty"`
	// NodeLabels are further labels to select, such as the GPU model
	// labels the NodeConfig sets (gpu.ModelLabels).
	NodeLabels map[string]string `json:"nodeLabels,omitempty"`
	// RuntimeClass is the RuntimeClass name ("nvidia") when the NVIDIA
	// runtime is not containerd's default.
	RuntimeClass string `json:"runtimeClass,omitempty"`
}

// Place implements Placer.
func (g GPU) Place(t *corev1.PodTemplateSpec) error {
	if g.Count < 1 {
		return fmt.Errorf("placement: GPU count %d: must be at least 1", g.Count)
	}
	for k, v := range g.NodeLabels {
		if errs := k8svalidation.IsQualifiedName(k); len(errs) > 0 {
			return fmt.Errorf("placement: node label key %q: %s", k, errs[0])
		}
		if errs := k8svalidation.IsValidLabelValue(v); len(errs) > 0 {
			return fmt.Errorf("placement: node label %s value %q: %s", k, v, errs[0])
		}
	}
	if g.RuntimeClass != "" {
		if errs := k8svalidation.IsDNS1123Subdomain(g.RuntimeClass); len(errs) > 0 {
			return fmt.Errorf("placement: runtime class %q: %s", g.RuntimeClass, errs[0])
		}
	}
	spec := &t.Spec
	i := 0
	if g.Container != "" {
		i = slices.IndexFunc(spec.Containers, func(c corev1.Container) bool { return c.Name == g.Container })
	}
	if i < 0 || i >= len(spec.Containers) {
		return fmt.Errorf("placement: no container %q in the pod", g.Container)
	}
	if spec.NodeSelector == nil {
		spec.NodeSelector = map[string]string{}
	}
	spec.NodeSelector[nodeconfig.LabelComputeType] = nodeconfig.ComputeTypeHybrid
	for k, v := range g.NodeLabels {
		spec.NodeSelector[k] = v
	}
	if !tolerates(spec.Tolerations, gpu.TaintKey) {
		spec.Tolerations = append(spec.Tolerations, GPUToleration())
	}
	c := &spec.Containers[i]
	q := *resource.NewQuantity(g.Count, resource.DecimalSI)
	if c.Resources.Limits == nil {
		c.Resources.Limits = corev1.ResourceList{}
	}
	if c.Resources.Requests == nil {
		c.Resources.Requests = corev1.ResourceList{}
	}
	c.Resources.Limits[gpu.ResourceGPU] = q
	c.Resources.Requests[gpu.ResourceGPU] = q
	if g.RuntimeClass != "" {
		rc := g.RuntimeClass
		spec.RuntimeClassName = &rc
	}
	return nil
}

// GPUToleration tolerates the GPU nodes' nvidia.com/gpu:NoSchedule taint.
func GPUToleration() corev1.Toleration {
	return corev1.Toleration{Key: gpu.TaintKey, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}
}

func tolerates(ts []corev1.Toleration, key string) bool {
	return slices.ContainsFunc(ts, func(t corev1.Toleration) bool {
		return (t.Key == key || t.Key == "" && t.Operator == corev1.TolerationOpExists) && (t.Effect == "" || t.Effect == corev1.TaintEffectNoSchedule)
	})
}

// Cloud keeps a pod on EC2 nodes: a required node affinity
// eks.amazonaws.com/compute-type NotIn [hybrid] (plus auto and fargate when
// excluded). EC2 nodes carry no compute-type=ec2 label — a selector on it
// matches nothing, which is why Cloud removes one if present.
type Cloud struct {
	ExcludeAuto    bool `json:"excludeAuto,omitempty"`
	ExcludeFargate bool `json:"excludeFargate,omitempty"`
}

// Place implements Placer.
func (c Cloud) Place(t *corev1.PodTemplateSpec) error {
	spec := &t.Spec
	if spec.NodeSelector[nodeconfig.LabelComputeType] == "ec2" {
		delete(spec.NodeSelector, nodeconfig.LabelComputeType)
		if len(spec.NodeSelector) == 0 {
			spec.NodeSelector = nil
		}
	}
	values := []string{nodeconfig.ComputeTypeHybrid}
	if c.ExcludeAuto {
		values = append(values, ComputeAuto)
	}
	if c.ExcludeFargate {
		values = append(values, ComputeFargate)
	}
	addRequiredExpression(spec, corev1.NodeSelectorRequirement{Key: nodeconfig.LabelComputeType, Operator: corev1.NodeSelectorOpNotIn, Values: values})
	return nil
}

// HA spreads replicas across both sides and across hosts: a topology
// spread constraint on topology.kubernetes.io/zone (a key every node has:
// EC2 nodes get it from AWS, hybrid nodes from their NodeConfig, see
// HybridZoneLabels) with maxSkew 1, and a preferred anti-affinity on
// kubernetes.io/hostname. The selector is the template's own labels.
type HA struct {
	// MaxSkew defaults to 1.
	MaxSkew int32 `json:"maxSkew,omitempty"`
	// Strict uses DoNotSchedule for the zone spread (the default is
	// ScheduleAnyway, so one side being full does not stop a rollout).
	Strict bool `json:"strict,omitempty"`
}

// Place implements Placer. The template must have labels.
func (h HA) Place(t *corev1.PodTemplateSpec) error {
	if len(t.Labels) == 0 {
		return fmt.Errorf("placement: HA needs the pod template's labels to select its replicas")
	}
	skew := h.MaxSkew
	if skew == 0 {
		skew = 1
	}
	if skew < 0 {
		return fmt.Errorf("placement: maxSkew %d must be positive", skew)
	}
	when := corev1.ScheduleAnyway
	if h.Strict {
		when = corev1.DoNotSchedule
	}
	sel := &metav1.LabelSelector{MatchLabels: maps(t.Labels)}
	spec := &t.Spec
	spec.TopologySpreadConstraints = append(spec.TopologySpreadConstraints, corev1.TopologySpreadConstraint{
		MaxSkew: skew, TopologyKey: corev1.LabelTopologyZone, WhenUnsatisfiable: when, LabelSelector: sel,
	})
	if spec.Affinity == nil {
		spec.Affinity = &corev1.Affinity{}
	}
	if spec.Affinity.PodAntiAffinity == nil {
		spec.Affinity.PodAntiAffinity = &corev1.PodAntiAffinity{}
	}
	pa := spec.Affinity.PodAntiAffinity
	pa.PreferredDuringSchedulingIgnoredDuringExecution = append(pa.PreferredDuringSchedulingIgnoredDuringExecution, corev1.WeightedPodAffinityTerm{
		Weight: 100, PodAffinityTerm: corev1.PodAffinityTerm{LabelSelector: sel.DeepCopy(), TopologyKey: corev1.LabelHostname},
	})
	return nil
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// HybridZoneLabels returns the label the hybrid nodes' NodeConfig must set
// so zone spreading sees them as a side of their own: zone is the site's
// name ("onprem-dc1"), a valid label value.
func HybridZoneLabels(zone string) (map[string]string, error) {
	if zone == "" {
		return nil, fmt.Errorf("placement: empty zone")
	}
	if errs := k8svalidation.IsValidLabelValue(zone); len(errs) > 0 {
		return nil, fmt.Errorf("placement: zone %q: %s", zone, errs[0])
	}
	return map[string]string{corev1.LabelTopologyZone: zone}, nil
}
