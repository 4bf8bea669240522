package placement

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Finding codes of Lint.
const (
	CodeSelectorEC2          advice.Code = "placement/compute-type-ec2"
	CodeSelectorUnmatched    advice.Code = "placement/selector-matches-no-node"
	CodeGPUWithoutToleration advice.Code = "placement/gpu-without-toleration"
	CodeExtendedLimits       advice.Code = "placement/extended-resource-limits"
	CodeLatestImage          advice.Code = "placement/unpinned-image"
)

// refComputeType: nodeadm labels hybrid nodes
// eks.amazonaws.com/compute-type=hybrid; EC2 nodes carry no such label,
// which EKS uses as a Pod annotation only (EKS User Guide,
// hybrid-nodes-webhooks, "Configure add-ons for mixed mode clusters").
const refComputeType = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-webhooks.html"

// Lint checks a user-supplied PodSpec against the cluster's nodes: a
// selector or required affinity on eks.amazonaws.com/compute-type=ec2 (a
// label no node has), selectors no node in nodes can satisfy (nodes are
// the label sets of the cluster's node kinds; nil skips that check), GPU
// requests without the GPU taint's toleration, extended-resource requests
// that differ from their limits (the API refuses them), and images
// without a pinned tag.
func Lint(spec corev1.PodSpec, nodes []map[string]string) []advice.Finding {
	var fs []advice.Finding
	add := func(l advice.Level, code advice.Code, at *field.Path, msg, ref string) {
		fs = append(fs, advice.Finding{Level: l, Code: code, Field: at.String(), Message: msg, Ref: ref})
	}
	const ec2Msg = "EC2 nodes carry no eks.amazonaws.com/compute-type label (hybrid nodes are labelled hybrid, Auto Mode auto, Fargate fargate): a selector for ec2 matches no node and the pod stays Pending; use node affinity compute-type NotIn [hybrid]"
	if spec.NodeSelector[nodeconfig.LabelComputeType] == "ec2" {
		add(advice.Error, CodeSelectorEC2, field.NewPath("nodeSelector"), ec2Msg, "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-concepts-kubernetes.html")
	}
	if a := spec.Affinity; a != nil && a.NodeAffinity != nil {
		if req := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution; req != nil {
			for i, t := range req.NodeSelectorTerms {
				for j, e := range t.MatchExpressions {
					if e.Key == nodeconfig.LabelComputeType && e.Operator == corev1.NodeSelectorOpIn && len(e.Values) == 1 && e.Values[0] == "ec2" {
						add(advice.Error, CodeSelectorEC2, field.NewPath("affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms").Index(i).Child("matchExpressions").Index(j), ec2Msg, refComputeType)
					}
				}
			}
		}
		for i, p := range a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
			for j, e := range p.Preference.MatchExpressions {
				if e.Key == nodeconfig.LabelComputeType && e.Operator == corev1.NodeSelectorOpIn && containsOnly(e.Values, "ec2") {
					add(advice.Warning, CodeSelectorEC2, field.NewPath("affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution").Index(i).Child("preference").Child("matchExpressions").Index(j),
						"a preference for compute-type ec2 can never match, so its weight is wasted; spread across sides with a topology spread constraint on topology.kubernetes.io/zone instead", refComputeType)
				}
			}
		}
	}
	if nodes != nil && len(spec.NodeSelector) > 0 && !anyMatches(spec, nodes) {
		add(advice.Error, CodeSelectorUnmatched, field.NewPath("nodeSelector"), fmt.Sprintf("no node of the cluster has all of %s: the pod stays Pending (labels nodeadm does not set, such as gpu or node-type, must be set in the NodeConfig)", advice.Quote(labels.Set(spec.NodeSelector).String())), "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodeselector")
	}
	for ci, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		cp := field.NewPath("containers").Index(ci - len(spec.InitContainers))
		if ci < len(spec.InitContainers) {
			cp = field.NewPath("initContainers").Index(ci)
		}
		for _, rn := range extendedNames(c.Resources) {
			req, hasReq := c.Resources.Requests[rn]
			lim, hasLim := c.Resources.Limits[rn]
			switch {
			case hasReq && !hasLim:
				add(advice.Error, CodeExtendedLimits, cp.Child("resources", "limits"), fmt.Sprintf("%s is requested without a limit: extended resources cannot be overcommitted, the API server refuses it", rn), "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#extended-resources")
			case hasReq && req.Cmp(lim) != 0:
				add(advice.Error, CodeExtendedLimits, cp.Child("resources", "requests"), fmt.Sprintf("%s request %s differs from its limit %s: extended resources need request = limit", rn, req.String(), lim.String()), "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#extended-resources")
			}
		}
		if _, asks := c.Resources.Limits[gpu.ResourceGPU]; asks && !tolerates(spec.Tolerations, gpu.TaintKey) {
			add(advice.Warning, CodeGPUWithoutToleration, field.NewPath("tolerations"), "the pod asks for nvidia.com/gpu but does not tolerate the GPU nodes' nvidia.com/gpu:NoSchedule taint, so it cannot be scheduled on them", "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/")
		}
		if img := c.Image; img != "" && !strings.Contains(img, "@") {
			if i := strings.LastIndex(img, ":"); i < 0 || strings.Contains(img[i:], "/") || img[i+1:] == "latest" {
				add(advice.Info, CodeLatestImage, cp.Child("image"), fmt.Sprintf("%s is not pinned to a version: nodes on two sides of a WAN may run different images", advice.Quote(img)), "https://kubernetes.io/docs/concepts/containers/images/#image-names")
			}
		}
	}
	return advice.Sort(fs)
}

func containsOnly(vs []string, v string) bool {
	for _, x := range vs {
		if x != v {
			return false
		}
	}
	return len(vs) > 0
}

func extendedNames(r corev1.ResourceRequirements) []corev1.ResourceName {
	var out []corev1.ResourceName
	seen := map[corev1.ResourceName]bool{}
	for _, l := range []corev1.ResourceList{r.Requests, r.Limits} {
		for n := range l {
			if strings.Contains(string(n), "/") && !strings.HasPrefix(string(n), "kubernetes.io/") && !strings.HasPrefix(string(n), "requests.") && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}

// anyMatches reports whether some node satisfies the node selector and the
// required node affinity.
func anyMatches(spec corev1.PodSpec, nodes []map[string]string) bool {
	sel := labels.SelectorFromSet(spec.NodeSelector)
	for _, n := range nodes {
		if sel.Matches(labels.Set(n)) && requiredAffinityMatches(spec, n) {
			return true
		}
	}
	return false
}

func requiredAffinityMatches(spec corev1.PodSpec, node map[string]string) bool {
	a := spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return true
	}
	for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		ok := true
		for _, e := range t.MatchExpressions {
			var op selection.Operator
			switch e.Operator {
			case corev1.NodeSelectorOpIn:
				op = selection.In
			case corev1.NodeSelectorOpNotIn:
				op = selection.NotIn
			case corev1.NodeSelectorOpExists:
				op = selection.Exists
			case corev1.NodeSelectorOpDoesNotExist:
				op = selection.DoesNotExist
			default:
				continue // Gt/Lt: not judged here
			}
			r, err := labels.NewRequirement(e.Key, op, e.Values)
			if err != nil || !r.Matches(labels.Set(node)) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
