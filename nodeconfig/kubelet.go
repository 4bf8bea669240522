package nodeconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// KubeletConfig is a KubeletConfiguration (kubelet.config.k8s.io/v1beta1)
// fragment: typed fields for the keys platform teams set on GPU nodes, and
// Extra for every other key, passed through unchanged. nodeadm writes it to
// the kubelet's config drop-in (kubelet ≥ 1.29) where the kubelet merges it
// over nodeadm's generated configuration.
//
// The zero KubeletConfig sets nothing. JSON names are the kubelet's.
type KubeletConfig struct {
	// MaxPods caps pods on the node (kubelet default 110; nodeadm does not
	// set it for hybrid nodes).
	MaxPods *int32
	// ShutdownGracePeriod and ShutdownGracePeriodCriticalPods configure
	// graceful node shutdown. Each is zero or at least one second, and the
	// critical-pod share must not exceed the total (kubelet validation).
	ShutdownGracePeriod             *metav1.Duration
	ShutdownGracePeriodCriticalPods *metav1.Duration
	// SystemReserved and KubeReserved map resource names (cpu, memory,
	// ephemeral-storage, pid) to quantities. nodeadm computes KubeReserved
	// from the machine size; setting it here replaces that.
	SystemReserved map[string]string
	KubeReserved   map[string]string
	// EvictionHard maps eviction signals (memory.available, …) to a
	// quantity or a percentage.
	EvictionHard map[string]string
	// CPUManagerPolicy, TopologyManagerPolicy and MemoryManagerPolicy pick
	// the kubelet's resource managers; empty leaves the kubelet default.
	CPUManagerPolicy      CPUManagerPolicy
	TopologyManagerPolicy TopologyManagerPolicy
	MemoryManagerPolicy   MemoryManagerPolicy
	// ReservedSystemCPUs is a cpuset ("0-3,64-67") kept for the system.
	ReservedSystemCPUs string
	// ClusterDNS overrides the DNS servers pods use; nodeadm derives it
	// from the service CIDR (.10) when empty.
	ClusterDNS []netip.Addr
	// Extra holds every other key with its JSON value. Parse returns values
	// in compact form with object keys sorted.
	Extra map[string]json.RawMessage
}

// CPUManagerPolicy is the kubelet's cpuManagerPolicy.
type CPUManagerPolicy string

// CPU manager policies (kubelet config v1beta1).
const (
	CPUManagerNone   CPUManagerPolicy = "none"
	CPUManagerStatic CPUManagerPolicy = "static"
)

// TopologyManagerPolicy is the kubelet's topologyManagerPolicy.
type TopologyManagerPolicy string

// Topology manager policies (kubelet config v1beta1).
const (
	TopologyManagerNone           TopologyManagerPolicy = "none"
	TopologyManagerBestEffort     TopologyManagerPolicy = "best-effort"
	TopologyManagerRestricted     TopologyManagerPolicy = "restricted"
	TopologyManagerSingleNUMANode TopologyManagerPolicy = "single-numa-node"
)

// MemoryManagerPolicy is the kubelet's memoryManagerPolicy.
type MemoryManagerPolicy string

// Memory manager policies (kubelet config v1beta1).
const (
	MemoryManagerNone   MemoryManagerPolicy = "None"
	MemoryManagerStatic MemoryManagerPolicy = "Static"
)

// The JSON names of the typed keys.
const (
	keyMaxPods            = "maxPods"
	keyShutdown           = "shutdownGracePeriod"
	keyShutdownCritical   = "shutdownGracePeriodCriticalPods"
	keySystemReserved     = "systemReserved"
	keyKubeReserved       = "kubeReserved"
	keyEvictionHard       = "evictionHard"
	keyCPUManager         = "cpuManagerPolicy"
	keyTopologyManager    = "topologyManagerPolicy"
	keyMemoryManager      = "memoryManagerPolicy"
	keyReservedSystemCPUs = "reservedSystemCPUs"
	keyClusterDNS         = "clusterDNS"
)

// typedKeys lists the keys with typed fields, in the order errors report them.
func typedKeys() []string {
	return []string{keyMaxPods, keyShutdown, keyShutdownCritical, keySystemReserved, keyKubeReserved,
		keyEvictionHard, keyCPUManager, keyTopologyManager, keyMemoryManager, keyReservedSystemCPUs, keyClusterDNS}
}

// IsZero reports whether k sets nothing.
func (k KubeletConfig) IsZero() bool {
	return k.MaxPods == nil && k.ShutdownGracePeriod == nil && k.ShutdownGracePeriodCriticalPods == nil &&
		len(k.SystemReserved) == 0 && len(k.KubeReserved) == 0 && len(k.EvictionHard) == 0 &&
		k.CPUManagerPolicy == "" && k.TopologyManagerPolicy == "" && k.MemoryManagerPolicy == "" &&
		k.ReservedSystemCPUs == "" && len(k.ClusterDNS) == 0 && len(k.Extra) == 0
}

// toMap merges the typed fields over Extra. A typed field wins over an
// Extra entry of the same name (Validate reports such an entry).
func (k KubeletConfig) toMap() (map[string]json.RawMessage, error) {
	m := make(map[string]json.RawMessage, len(k.Extra)+4)
	maps.Copy(m, k.Extra)
	put := func(key string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encoding kubelet %s: %w", key, err)
		}
		m[key] = b
		return nil
	}
	var err error
	set := func(cond bool, key string, v any) {
		if cond && err == nil {
			err = put(key, v)
		}
	}
	set(k.MaxPods != nil, keyMaxPods, k.MaxPods)
	set(k.ShutdownGracePeriod != nil, keyShutdown, k.ShutdownGracePeriod)
	set(k.ShutdownGracePeriodCriticalPods != nil, keyShutdownCritical, k.ShutdownGracePeriodCriticalPods)
	set(len(k.SystemReserved) > 0, keySystemReserved, k.SystemReserved)
	set(len(k.KubeReserved) > 0, keyKubeReserved, k.KubeReserved)
	set(len(k.EvictionHard) > 0, keyEvictionHard, k.EvictionHard)
	set(k.CPUManagerPolicy != "", keyCPUManager, k.CPUManagerPolicy)
	set(k.TopologyManagerPolicy != "", keyTopologyManager, k.TopologyManagerPolicy)
	set(k.MemoryManagerPolicy != "", keyMemoryManager, k.MemoryManagerPolicy)
	set(k.ReservedSystemCPUs != "", keyReservedSystemCPUs, k.ReservedSystemCPUs)
	if len(k.ClusterDNS) > 0 && err == nil {
		ips := make([]string, len(k.ClusterDNS))
		for i, a := range k.ClusterDNS {
			ips[i] = a.String()
		}
		err = put(keyClusterDNS, ips)
	}
	return m, err
}

// MarshalJSON encodes the fragment as one JSON object with sorted keys.
func (k KubeletConfig) MarshalJSON() ([]byte, error) {
	m, err := k.toMap()
	if err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

// UnmarshalJSON decodes a JSON object, filling the typed fields from their
// keys and Extra from the rest. A typed key whose value has the wrong type
// is an error naming the key.
func (k *KubeletConfig) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("kubelet config must be an object: %w", err)
	}
	out, bad := kubeletFromMap(m)
	if len(bad) > 0 {
		return fmt.Errorf("kubelet config: %s", strings.Join(bad, "; "))
	}
	*k = out
	return nil
}

// kubeletFromMap splits a raw object into typed fields and Extra. It
// returns one message per typed key that does not decode.
func kubeletFromMap(m map[string]json.RawMessage) (KubeletConfig, []string) {
	var k KubeletConfig
	var bad []string
	take := func(key string, dst any) {
		raw, ok := m[key]
		if !ok {
			return
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %s", key, typeMismatch(err)))
		}
	}
	take(keyMaxPods, &k.MaxPods)
	take(keyShutdown, &k.ShutdownGracePeriod)
	take(keyShutdownCritical, &k.ShutdownGracePeriodCriticalPods)
	take(keySystemReserved, &k.SystemReserved)
	take(keyKubeReserved, &k.KubeReserved)
	take(keyEvictionHard, &k.EvictionHard)
	take(keyCPUManager, &k.CPUManagerPolicy)
	take(keyTopologyManager, &k.TopologyManagerPolicy)
	take(keyMemoryManager, &k.MemoryManagerPolicy)
	take(keyReservedSystemCPUs, &k.ReservedSystemCPUs)
	if raw, ok := m[keyClusterDNS]; ok {
		var ips []string
		if err := json.Unmarshal(raw, &ips); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %s", keyClusterDNS, typeMismatch(err)))
		} else {
			for _, s := range ips {
				a, err := netip.ParseAddr(s)
				if err != nil {
					bad = append(bad, fmt.Sprintf("%s: %q is not an IP address", keyClusterDNS, s))
					continue
				}
				k.ClusterDNS = append(k.ClusterDNS, a)
			}
		}
	}
	for key, raw := range m {
		if slices.Contains(typedKeys(), key) {
			continue
		}
		if k.Extra == nil {
			k.Extra = map[string]json.RawMessage{}
		}
		k.Extra[key] = canonicalJSON(raw)
	}
	return k, bad
}

func typeMismatch(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("must be %s, not a JSON %s", goTypeName(te.Type.String()), te.Value)
	}
	return err.Error()
}

func goTypeName(t string) string {
	switch t {
	case "int32":
		return "an integer"
	case "string", "v1.Duration", "nodeconfig.CPUManagerPolicy", "nodeconfig.TopologyManagerPolicy", "nodeconfig.MemoryManagerPolicy":
		return "a string"
	}
	if strings.HasPrefix(t, "map[") {
		return "an object of strings"
	}
	return t
}

// canonicalJSON compacts raw and sorts object keys, so values that went
// through YAML compare equal to values built in Go with json.Marshal.
func canonicalJSON(raw json.RawMessage) json.RawMessage {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return b
}

// flagNodeLabels and flagTaints are the kubelet flags NodeLabels and Taints
// render to. nodeadm passes its own --node-labels first; the kubelet merges
// repeated --node-labels, and the last --register-with-taints wins.
const (
	flagNodeLabels       = "--node-labels="
	flagRegisterTaints   = "--register-with-taints="
	flagHostnameOverride = "--hostname-override="
)

// renderFlags returns the flags nodeadm receives: --node-labels (sorted by
// key), --register-with-taints (in order), then Flags.
func (o KubeletOptions) renderFlags() []string {
	var out []string
	if len(o.NodeLabels) > 0 {
		keys := slices.Sorted(maps.Keys(o.NodeLabels))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + o.NodeLabels[k]
		}
		out = append(out, flagNodeLabels+strings.Join(parts, ","))
	}
	if len(o.Taints) > 0 {
		parts := make([]string, len(o.Taints))
		for i, t := range o.Taints {
			parts[i] = taintString(t)
		}
		out = append(out, flagRegisterTaints+strings.Join(parts, ","))
	}
	return append(out, o.Flags...)
}

// taintString is the kubelet flag form: key=value:Effect, or key:Effect.
func taintString(t corev1.Taint) string {
	if t.Value == "" {
		return t.Key + ":" + string(t.Effect)
	}
	return t.Key + "=" + t.Value + ":" + string(t.Effect)
}

// parseLabels reads the value of --node-labels: k=v pairs separated by
// commas. An empty value is an empty set.
func parseLabels(s string) (map[string]string, error) {
	out := map[string]string{}
	if s == "" {
		return out, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not key=value", kv)
		}
		out[k] = v
	}
	return out, nil
}

// parseTaints reads the value of --register-with-taints:
// key[=value]:Effect entries separated by commas.
func parseTaints(s string) ([]corev1.Taint, error) {
	if s == "" {
		return nil, nil
	}
	var out []corev1.Taint
	for _, spec := range strings.Split(s, ",") {
		kv, effect, ok := strings.Cut(spec, ":")
		if !ok || effect == "" {
			return nil, fmt.Errorf("%q is not key[=value]:Effect", spec)
		}
		k, v, _ := strings.Cut(kv, "=")
		if k == "" {
			return nil, fmt.Errorf("%q has no key", spec)
		}
		out = append(out, corev1.Taint{Key: k, Value: v, Effect: corev1.TaintEffect(effect)})
	}
	return out, nil
}
