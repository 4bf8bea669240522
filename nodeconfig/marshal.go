package nodeconfig

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/hybridkit/hybridkit/internal/yamlenc"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/strict"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// wireNodeConfig is the document exactly as eks-hybrid's v1alpha1 types
// decode it: kubelet config is a free-form object and kubelet flags are
// strings. Parse decodes into it strictly, so the set of accepted keys is
// the hybrid nodeadm's.
type wireNodeConfig struct {
	metav1.TypeMeta `json:",inline"`
	Metadata        *metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec            wireSpec           `json:"spec,omitzero"`
	// Status exists on nodeadm's internal type, so nodeadm accepts it in a
	// file; it is read and dropped, never written.
	Status json.RawMessage `json:"status,omitempty"`
}

type wireSpec struct {
	Cluster    ClusterDetails    `json:"cluster,omitzero"`
	Containerd ContainerdOptions `json:"containerd,omitzero"`
	Instance   InstanceOptions   `json:"instance,omitzero"`
	Kubelet    wireKubelet       `json:"kubelet,omitzero"`
	Hybrid     *HybridOptions    `json:"hybrid,omitempty"`
}

type wireKubelet struct {
	Config map[string]json.RawMessage `json:"config,omitempty"`
	Flags  []string                   `json:"flags,omitempty"`
}

func (c NodeConfig) toWire() (wireNodeConfig, error) {
	cfg, err := c.Spec.Kubelet.Config.toMap()
	if err != nil {
		return wireNodeConfig{}, err
	}
	if len(cfg) == 0 {
		cfg = nil
	}
	return wireNodeConfig{
		TypeMeta: c.TypeMeta,
		Metadata: c.Metadata,
		Spec: wireSpec{
			Cluster:    c.Spec.Cluster,
			Containerd: c.Spec.Containerd,
			Instance:   c.Spec.Instance,
			Kubelet:    wireKubelet{Config: cfg, Flags: c.Spec.Kubelet.renderFlags()},
			Hybrid:     c.Spec.Hybrid,
		},
	}, nil
}

// fromWire converts a decoded document into the typed model, lifting the
// label and taint flags and the typed kubelet keys out of their raw form.
// Problems carry their path in the document.
func fromWire(w wireNodeConfig) (NodeConfig, field.ErrorList) {
	kp := field.NewPath("spec", "kubelet")
	kcfg, bad := kubeletFromMap(w.Spec.Kubelet.Config)
	var errs field.ErrorList
	for _, b := range bad {
		key, msg, _ := strings.Cut(b, ": ")
		errs = append(errs, field.Invalid(kp.Child("config", key), string(w.Spec.Kubelet.Config[key]), msg))
	}
	k := KubeletOptions{Config: kcfg}
	for i, f := range w.Spec.Kubelet.Flags {
		switch {
		case strings.HasPrefix(f, flagNodeLabels):
			labels, err := parseLabels(strings.TrimPrefix(f, flagNodeLabels))
			if err != nil {
				errs = append(errs, field.Invalid(kp.Child("flags").Index(i), f, "--node-labels: "+err.Error()))
				continue
			}
			if k.NodeLabels == nil {
				k.NodeLabels = map[string]string{}
			}
			// The kubelet merges repeated --node-labels; later values win.
			maps.Copy(k.NodeLabels, labels)
		case strings.HasPrefix(f, flagRegisterTaints):
			taints, err := parseTaints(strings.TrimPrefix(f, flagRegisterTaints))
			if err != nil {
				errs = append(errs, field.Invalid(kp.Child("flags").Index(i), f, "--register-with-taints: "+err.Error()))
				continue
			}
			// The last --register-with-taints replaces earlier ones.
			k.Taints = taints
		default:
			k.Flags = append(k.Flags, f)
		}
	}
	return NodeConfig{
		TypeMeta: w.TypeMeta,
		Metadata: w.Metadata,
		Spec: NodeConfigSpec{
			Cluster:    w.Spec.Cluster,
			Containerd: w.Spec.Containerd,
			Instance:   w.Spec.Instance,
			Kubelet:    k,
			Hybrid:     w.Spec.Hybrid,
		},
	}, errs
}

// Marshal renders c as the YAML nodeadm reads. It refuses a NodeConfig that
// Validate rejects, returning that error and no bytes. Keys are sorted and
// labels are rendered in key order, so equal inputs give equal bytes.
//
// The output contains the SSM activation code when c has one: write it
// where only the node can read it.
func Marshal(c NodeConfig) ([]byte, error) {
	c.Default()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return encode(c)
}

// encode writes a valid, defaulted c as YAML.
func encode(c NodeConfig) ([]byte, error) {
	w, err := c.toWire()
	if err != nil {
		return nil, fmt.Errorf("nodeconfig: %w", err)
	}
	b, err := yamlenc.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("nodeconfig: encoding YAML: %w", err)
	}
	return b, nil
}

// Parse decodes a NodeConfig document (YAML or JSON) the way the hybrid
// nodeadm decodes a file:// config — strictly, with sigs.k8s.io/yaml's
// UnmarshalStrict into its API types (aws/eks-hybrid
// internal/api/bridge/decode.go DecodeStrictNodeConfig) — but reports
// every unknown field with its path and line instead of the first:
// featureGates, containerd.baseRuntimeSpec and hybrid.region (from the EC2
// nodeadm or outdated examples) all fail here as they fail in nodeadm.
// Like nodeadm's encoding/json, a key that differs from its field only in
// case (activationID, trustAnchorARN) is accepted; Lint names the
// canonical spelling. The --node-labels and --register-with-taints flags
// become NodeLabels and Taints. Parse takes one document of at most
// 3 MiB.
//
// Parse checks the shape of the document, not its values: call Validate on
// the result. For a valid x, Parse(Marshal(x)) equals x.
func Parse(data []byte) (NodeConfig, error) {
	var w wireNodeConfig
	r, err := strict.Decode(data, &w, nil, strict.Options{FoldCase: true})
	if err != nil {
		return NodeConfig{}, fmt.Errorf("nodeconfig: %w", err)
	}
	if len(r.Errors) > 0 {
		return NodeConfig{}, ivalidation.ToError("nodeconfig", r.Errors)
	}
	// nodeadm's decoder finds the type by apiVersion and kind
	// (aws/eks-hybrid internal/api/bridge/decode.go): a document without
	// them is refused.
	var errs field.ErrorList
	if w.APIVersion != APIVersion {
		errs = append(errs, field.NotSupported(field.NewPath("apiVersion"), w.APIVersion, []string{APIVersion}))
	}
	if w.Kind != Kind {
		errs = append(errs, field.NotSupported(field.NewPath("kind"), w.Kind, []string{Kind}))
	}
	c, werrs := fromWire(w)
	errs = append(errs, werrs...)
	if len(errs) > 0 {
		return NodeConfig{}, ivalidation.ToError("nodeconfig", errs)
	}
	c.folded = r.Folded
	return c, nil
}

// MarshalJSON encodes c in nodeadm's JSON form without validating it (use
// Marshal for files): labels and taints become kubelet flags.
func (c NodeConfig) MarshalJSON() ([]byte, error) {
	c.Default()
	w, err := c.toWire()
	if err != nil {
		return nil, err
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes nodeadm's JSON form leniently (unknown keys are
// ignored, as encoding/json does); use Parse for strict decoding.
func (c *NodeConfig) UnmarshalJSON(b []byte) error {
	var w wireNodeConfig
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	out, errs := fromWire(w)
	if len(errs) > 0 {
		return errs.ToAggregate()
	}
	*c = out
	return nil
}
