package nodeconfig_test

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// TestValidateBounds puts each rule's bound between two cases: the last
// accepted value and the first refused one, each the only change to a
// valid NodeConfig.
func TestValidateBounds(t *testing.T) {
	name := func(n string) func(*nodeconfig.NodeConfig) {
		return func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.NodeName = n }
	}
	endpoint := func(u string) func(*nodeconfig.NodeConfig) {
		return func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.APIServerEndpoint = u }
	}
	flags := func(f ...string) func(*nodeconfig.NodeConfig) {
		return func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Flags = f }
	}
	kc := func(f func(*nodeconfig.KubeletConfig)) func(*nodeconfig.NodeConfig) {
		return func(c *nodeconfig.NodeConfig) { f(&c.Spec.Kubelet.Config) }
	}
	const (
		pNodeName = "spec.hybrid.iamRolesAnywhere.nodeName"
		pEndpoint = "spec.cluster.apiServerEndpoint"
		pFlag0    = "spec.kubelet.flags[0]"
		pConfig   = "spec.kubelet.config."
	)
	tests := []struct {
		name string
		cfg  nodeconfig.NodeConfig
		path string // "" when valid
		typ  field.ErrorType
	}{
		{"node name of 64", withIRA(name(strings.Repeat("n", 64))), "", ""},
		{"node name of 65", withIRA(name(strings.Repeat("n", 65))), pNodeName, field.ErrorTypeInvalid},
		{"node name of 2", withIRA(name("n1")), "", ""},
		{"node name of 1", withIRA(name("n")), pNodeName, field.ErrorTypeInvalid},
		{"cluster name of 100", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.Name = strings.Repeat("a", 100) }), "", ""},
		{"endpoint with a slash", withSSM(t, endpoint("https://x.eks.amazonaws.com/")), "", ""},
		{"endpoint unparsable", withSSM(t, endpoint("https://x.eks.amazonaws.com/%zz")), pEndpoint, field.ErrorTypeInvalid},
		{"endpoint without scheme", withSSM(t, endpoint("://x")), pEndpoint, field.ErrorTypeInvalid},
		{"endpoint without host", withSSM(t, endpoint("https:///")), pEndpoint, field.ErrorTypeInvalid},
		{"endpoint with a user", withSSM(t, endpoint("https://u@x.eks.amazonaws.com")), pEndpoint, field.ErrorTypeInvalid},
		{"endpoint with a query", withSSM(t, endpoint("https://x.eks.amazonaws.com?a=b")), pEndpoint, field.ErrorTypeInvalid},
		{"endpoint with a fragment", withSSM(t, endpoint("https://x.eks.amazonaws.com#f")), pEndpoint, field.ErrorTypeInvalid},
		{"flag of three characters", withSSM(t, flags("--v")), "", ""},
		{"flag of two dashes", withSSM(t, flags("--")), pFlag0, field.ErrorTypeInvalid},
		{"two flags split by a tab", withSSM(t, flags("--v=2\t--cgroup-driver=systemd")), "", ""},
		{"flag with a control character", withSSM(t, flags("--v=2\x01")), pFlag0, field.ErrorTypeInvalid},
		{"flag with a newline", withSSM(t, flags("--v=2\n--x")), pFlag0, field.ErrorTypeInvalid},
		{"flag with DEL", withSSM(t, flags("--v=2\x7f")), pFlag0, field.ErrorTypeInvalid},
		{"flag with a single quote", withSSM(t, flags("--v='2'")), pFlag0, field.ErrorTypeInvalid},
		{"flag with a backslash", withSSM(t, flags(`--v=2\`)), pFlag0, field.ErrorTypeInvalid},
		{"flag with a tilde", withSSM(t, flags("--root-dir=~x")), "", ""},
		{"bare hostname override", withSSM(t, flags("--hostname-override")), pFlag0, field.ErrorTypeForbidden},
		{"bare node labels", withSSM(t, flags("--node-labels")), pFlag0, field.ErrorTypeInvalid},
		{"bare taints", withSSM(t, flags("--register-with-taints")), pFlag0, field.ErrorTypeInvalid},
		{"taints as a flag", withSSM(t, flags("--register-with-taints=a=b:NoSchedule")), pFlag0, field.ErrorTypeInvalid},
		{"maxPods 1", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.MaxPods = ptr(int32(1)) })), "", ""},
		{"grace 1s", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.ShutdownGracePeriod = dur(time.Second) })), "", ""},
		{"grace 0", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.ShutdownGracePeriod = dur(0) })), "", ""},
		{"grace 999ms", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.ShutdownGracePeriod = dur(999 * time.Millisecond) })),
			pConfig + "shutdownGracePeriod", field.ErrorTypeInvalid},
		{"grace negative", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) {
			k.ShutdownGracePeriod = dur(-time.Second)
		})), pConfig + "shutdownGracePeriod", field.ErrorTypeInvalid},
		{"critical equal to total", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.ShutdownGracePeriodCriticalPods = dur(30 * time.Second) })), "", ""},
		{"critical a second over", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.ShutdownGracePeriodCriticalPods = dur(31 * time.Second) })),
			pConfig + "shutdownGracePeriodCriticalPods", field.ErrorTypeInvalid},
		{"pid 0", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.SystemReserved = map[string]string{"pid": "0"} })), "", ""},
		{"pid -1", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.SystemReserved = map[string]string{"pid": "-1"} })),
			pConfig + "systemReserved[pid]", field.ErrorTypeInvalid},
		{"memory 0", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.KubeReserved = map[string]string{"memory": "0"} })), "", ""},
		{"memory -1Mi", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.KubeReserved = map[string]string{"memory": "-1Mi"} })),
			pConfig + "kubeReserved[memory]", field.ErrorTypeInvalid},
		{"hugepages", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.KubeReserved = map[string]string{"hugepages-2Mi": "1Gi"} })), "", ""},
		{"eviction 100%", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.EvictionHard = map[string]string{"nodefs.available": "100%"} })), "", ""},
		{"eviction 100.5%", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.EvictionHard = map[string]string{"nodefs.available": "100.5%"} })),
			pConfig + "evictionHard[nodefs.available]", field.ErrorTypeInvalid},
		{"eviction 0", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.EvictionHard = map[string]string{"memory.available": "0"} })), "", ""},
		{"eviction negative", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.EvictionHard = map[string]string{"memory.available": "-1Mi"} })),
			pConfig + "evictionHard[memory.available]", field.ErrorTypeInvalid},
		{"eviction neither quantity nor percentage", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) {
			k.EvictionHard = map[string]string{"memory.available": "lots"}
		})), pConfig + "evictionHard[memory.available]", field.ErrorTypeInvalid},
		{"cpuset up", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.ReservedSystemCPUs = "0-3,8" })), "", ""},
		{"cpuset single", withSSM(t, kc(func(k *nodeconfig.KubeletConfig) { k.ReservedSystemCPUs = "3-3" })), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			errs := ivalidation.FieldErrors(err)
			switch {
			case tt.path == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.path != "" && (len(errs) != 1 || errs[0].Field != tt.path || errs[0].Type != tt.typ):
				t.Fatalf("Validate() = %v\nwant exactly one %s at %s", err, tt.typ, tt.path)
			}
		})
	}
}

// TestFlagMessagesNameTheWord: an element holding several flags names the
// word at fault; a single flag's message does not number it.
func TestFlagMessagesNameTheWord(t *testing.T) {
	c := guideGPUNode(t)
	c.Spec.Kubelet.Flags = []string{"--v=2 --hostname-override=x"}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), `word 2 of the flag ("--hostname-override=x"; systemd splits it at whitespace)`) {
		t.Errorf("two words: %v", err)
	}
	c.Spec.Kubelet.Flags = []string{"--hostname-override=x"}
	if err := c.Validate(); err == nil || strings.Contains(err.Error(), "word 1") {
		t.Errorf("one word: %v", err)
	}
	// A C1 control character (U+0085, NEL) is refused like a C0 one.
	c.Spec.Kubelet.Flags = []string{"--v=2\u0085"}
	if errs := ivalidation.FieldErrors(c.Validate()); len(errs) != 1 || errs[0].Field != "spec.kubelet.flags[0]" {
		t.Errorf("NEL: %v", errs)
	}
}

// TestForbiddenLabelAdvice: each forbidden label namespace gets its own
// advice, and only its own.
func TestForbiddenLabelAdvice(t *testing.T) {
	const restriction, role = "only administrators can set them", "apply node roles with kubectl label"
	for _, tc := range []struct {
		key  string
		want string
	}{
		{"node-restriction.kubernetes.io/pool", restriction},
		{"node-role.kubernetes.io/gpu", role},
		{"example.k8s.io/x", ""},
	} {
		c := guideGPUNode(t)
		c.Spec.Kubelet.NodeLabels[tc.key] = "a"
		err := c.Validate()
		if err == nil {
			t.Fatalf("%s accepted", tc.key)
		}
		for _, advice := range []string{restriction, role} {
			if got := strings.Contains(err.Error(), advice); got != (advice == tc.want) {
				t.Errorf("%s: %q in %v: %t", tc.key, advice, err, got)
			}
		}
	}
}

// TestActivationCodeLength: nodeadm's ^.{20,250}$ counts characters, not
// bytes.
func TestActivationCodeLength(t *testing.T) {
	for _, tc := range []struct {
		code string
		ok   bool
	}{
		{strings.Repeat("a", 20), true},
		{strings.Repeat("a", 19), false},
		{strings.Repeat("a", 250), true},
		{strings.Repeat("a", 251), false},
		{strings.Repeat("é", 20), true}, // 40 bytes, 20 characters
		{strings.Repeat("é", 251), false},
	} {
		c := guideGPUNode(t)
		c.Spec.Hybrid.SSM.ActivationCode = nodeconfig.Secret(tc.code)
		errs := ivalidation.FieldErrors(c.Validate())
		switch {
		case tc.ok && len(errs) != 0:
			t.Errorf("%d characters refused: %v", len([]rune(tc.code)), errs)
		case !tc.ok && (len(errs) != 1 || errs[0].Field != "spec.hybrid.ssm.activationCode"):
			t.Errorf("%d characters: %v", len([]rune(tc.code)), errs)
		}
	}
}
