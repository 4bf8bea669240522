package nodeconfig_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/netip"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

func testCAPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kubernetes"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func dur(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }

// withSSM returns the guide's SSM GPU node changed by f.
func withSSM(t testing.TB, f func(*nodeconfig.NodeConfig)) nodeconfig.NodeConfig {
	c := guideGPUNode(t)
	f(&c)
	return c
}

// withIRA returns the IAM Roles Anywhere node changed by f.
func withIRA(f func(*nodeconfig.NodeConfig)) nodeconfig.NodeConfig {
	c := iamRANode()
	f(&c)
	return c
}

// TestValidateRules has one case per rule, each asserting the exact path
// and error type of the single error it causes.
func TestValidateRules(t *testing.T) {
	tests := []struct {
		name string
		cfg  nodeconfig.NodeConfig
		path string
		typ  field.ErrorType
	}{
		{"apiVersion wrong", withSSM(t, func(c *nodeconfig.NodeConfig) { c.APIVersion = "node.eks.aws/v1beta1" }), "apiVersion", field.ErrorTypeNotSupported},
		{"kind wrong", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Kind = "Node" }), "kind", field.ErrorTypeNotSupported},
		{"cluster name required", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.Name = "" }), "spec.cluster.name", field.ErrorTypeRequired},
		{"cluster name chars", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.Name = "-gpu.cluster" }), "spec.cluster.name", field.ErrorTypeInvalid},
		{"cluster name length", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.Name = strings.Repeat("a", 101) }), "spec.cluster.name", field.ErrorTypeTooLong},
		{"region required", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.Region = "" }), "spec.cluster.region", field.ErrorTypeRequired},
		{"region format", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.Region = "Seoul" }), "spec.cluster.region", field.ErrorTypeInvalid},
		{"endpoint http", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.APIServerEndpoint = "http://x.eks.amazonaws.com" }), "spec.cluster.apiServerEndpoint", field.ErrorTypeInvalid},
		{"endpoint path", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.APIServerEndpoint = "https://x.eks.amazonaws.com/api" }), "spec.cluster.apiServerEndpoint", field.ErrorTypeInvalid},
		{"ca not pem", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.CertificateAuthority = []byte("not a certificate") }), "spec.cluster.certificateAuthority", field.ErrorTypeInvalid},
		{"ca wrong block", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Cluster.CertificateAuthority = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})
		}), "spec.cluster.certificateAuthority", field.ErrorTypeInvalid},
		{"cidr host bits", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.CIDR = "10.96.0.1/16" }), "spec.cluster.cidr", field.ErrorTypeInvalid},
		{"cidr ipv6", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.CIDR = "fd00::/108" }), "spec.cluster.cidr", field.ErrorTypeInvalid},
		{"outpost flag", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.EnableOutpost = ptr(true) }), "spec.cluster.enableOutpost", field.ErrorTypeForbidden},
		{"flag carrying a second flag", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Flags = []string{"--v=2 --hostname-override=x"} }), "spec.kubelet.flags[0]", field.ErrorTypeForbidden},
		{"flag carrying labels", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Flags = []string{"--v=2 --node-labels=node-role.kubernetes.io/master=true"}
		}), "spec.kubelet.flags[0]", field.ErrorTypeInvalid},
		{"flag with a quote", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Flags = []string{`--v="2"`} }), "spec.kubelet.flags[0]", field.ErrorTypeInvalid},
		{"flag with a second word that is not a flag", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Flags = []string{"--v=2 2"} }), "spec.kubelet.flags[0]", field.ErrorTypeInvalid},
		{"blank flag", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Flags = []string{"  "} }), "spec.kubelet.flags[0]", field.ErrorTypeInvalid},
		{"outpost id", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Cluster.ID = "abc" }), "spec.cluster.id", field.ErrorTypeForbidden},
		{"containerd toml", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Containerd.Config = "version = \n" }), "spec.containerd.config", field.ErrorTypeInvalid},
		{"local storage", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Instance.LocalStorage.Strategy = "RAID10" }), "spec.instance.localStorage.strategy", field.ErrorTypeNotSupported},
		{"hybrid missing", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid = nil }), "spec.hybrid", field.ErrorTypeRequired},
		{"neither provider", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid = &nodeconfig.HybridOptions{} }), "spec.hybrid", field.ErrorTypeRequired},
		{"both providers", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Hybrid.IAMRolesAnywhere = iamRANode().Spec.Hybrid.IAMRolesAnywhere
		}), "spec.hybrid.iamRolesAnywhere", field.ErrorTypeForbidden},
		{"activation code missing", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.SSM.ActivationCode = "" }), "spec.hybrid.ssm.activationCode", field.ErrorTypeRequired},
		{"activation code short", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.SSM.ActivationCode = "short" }), "spec.hybrid.ssm.activationCode", field.ErrorTypeInvalid},
		{"activation code newline", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.SSM.ActivationCode = "abcdefghij\nabcdefghij" }), "spec.hybrid.ssm.activationCode", field.ErrorTypeInvalid},
		{"activation id missing", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.SSM.ActivationID = "" }), "spec.hybrid.ssm.activationId", field.ErrorTypeRequired},
		{"activation id upper", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.SSM.ActivationID = strings.ToUpper(exampleID) }), "spec.hybrid.ssm.activationId", field.ErrorTypeInvalid},
		{"node name missing", withIRA(func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.NodeName = "" }), "spec.hybrid.iamRolesAnywhere.nodeName", field.ErrorTypeRequired},
		{"node name long", withIRA(func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.NodeName = strings.Repeat("n", 65) }), "spec.hybrid.iamRolesAnywhere.nodeName", field.ErrorTypeInvalid},
		{"node name not dns", withIRA(func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.NodeName = "GPU_01" }), "spec.hybrid.iamRolesAnywhere.nodeName", field.ErrorTypeInvalid},
		{"role arn missing", withIRA(func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.RoleARN = "" }), "spec.hybrid.iamRolesAnywhere.roleArn", field.ErrorTypeRequired},
		{"role arn service", withIRA(func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.RoleARN = examplePr }), "spec.hybrid.iamRolesAnywhere.roleArn", field.ErrorTypeInvalid},
		{"trust anchor is profile", withIRA(func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.TrustAnchorARN = examplePr }), "spec.hybrid.iamRolesAnywhere.trustAnchorArn", field.ErrorTypeInvalid},
		{"profile missing", withIRA(func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.ProfileARN = "" }), "spec.hybrid.iamRolesAnywhere.profileArn", field.ErrorTypeRequired},
		{"profile is role", withIRA(func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.ProfileARN = exampleRole }), "spec.hybrid.iamRolesAnywhere.profileArn", field.ErrorTypeInvalid},
		{"cert path relative", withIRA(func(c *nodeconfig.NodeConfig) { c.Spec.Hybrid.IAMRolesAnywhere.CertificatePath = "pki/server.pem" }), "spec.hybrid.iamRolesAnywhere.certificatePath", field.ErrorTypeInvalid},
		{"hostname override", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Flags = []string{"--v=2", "--hostname-override=gpu-01"} }), "spec.kubelet.flags[1]", field.ErrorTypeForbidden},
		{"flag not long", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Flags = []string{"-v=2"} }), "spec.kubelet.flags[0]", field.ErrorTypeInvalid},
		{"labels as flag", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Flags = []string{"--node-labels=a=b"} }), "spec.kubelet.flags[0]", field.ErrorTypeInvalid},
		{"label key", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.NodeLabels["bad key"] = "x" }), "spec.kubelet.nodeLabels", field.ErrorTypeInvalid},
		{"label value", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.NodeLabels["gpu"] = "h100,h200" }), "spec.kubelet.nodeLabels", field.ErrorTypeInvalid},
		{"kubelet may not set role", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.NodeLabels["node-role.kubernetes.io/gpu"] = "" }), "spec.kubelet.nodeLabels[node-role.kubernetes.io/gpu]", field.ErrorTypeForbidden},
		{"kubelet may not set node-restriction", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.NodeLabels["node-restriction.kubernetes.io/pool"] = "a" }), "spec.kubelet.nodeLabels[node-restriction.kubernetes.io/pool]", field.ErrorTypeForbidden},
		{"kubelet may not set k8s.io", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.NodeLabels["example.k8s.io/x"] = "a" }), "spec.kubelet.nodeLabels[example.k8s.io/x]", field.ErrorTypeForbidden},
		{"taint key", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Taints[0].Key = "nvidia.com/" }), "spec.kubelet.taints[0].key", field.ErrorTypeInvalid},
		{"taint value", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Taints[0].Value = "a:b" }), "spec.kubelet.taints[0].value", field.ErrorTypeInvalid},
		{"taint effect", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Taints[0].Effect = "NoRun" }), "spec.kubelet.taints[0].effect", field.ErrorTypeNotSupported},
		{"taint time", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Taints[0].TimeAdded = &metav1.Time{} }), "spec.kubelet.taints[0].timeAdded", field.ErrorTypeForbidden},
		{"taint duplicate", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Taints = append(c.Spec.Kubelet.Taints, corev1.Taint{Key: "nvidia.com/gpu", Value: "other", Effect: corev1.TaintEffectNoSchedule})
		}), "spec.kubelet.taints[1]", field.ErrorTypeDuplicate},
		{"max pods", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Config.MaxPods = ptr(int32(0)) }), "spec.kubelet.config.maxPods", field.ErrorTypeInvalid},
		{"grace sub-second", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.ShutdownGracePeriod = dur(500 * time.Millisecond)
		}), "spec.kubelet.config.shutdownGracePeriod", field.ErrorTypeInvalid},
		{"critical exceeds total", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.ShutdownGracePeriodCriticalPods = dur(time.Minute)
		}), "spec.kubelet.config.shutdownGracePeriodCriticalPods", field.ErrorTypeInvalid},
		{"reserved resource", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Config.KubeReserved = map[string]string{"gpu": "1"} }), "spec.kubelet.config.kubeReserved[gpu]", field.ErrorTypeNotSupported},
		{"reserved quantity", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.SystemReserved = map[string]string{"memory": "lots"}
		}), "spec.kubelet.config.systemReserved[memory]", field.ErrorTypeInvalid},
		{"reserved pid", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Config.SystemReserved = map[string]string{"pid": "1k"} }), "spec.kubelet.config.systemReserved[pid]", field.ErrorTypeInvalid},
		{"eviction signal", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.EvictionHard = map[string]string{"gpu.available": "1"}
		}), "spec.kubelet.config.evictionHard[gpu.available]", field.ErrorTypeInvalid},
		{"eviction percent", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.EvictionHard = map[string]string{"nodefs.available": "110%"}
		}), "spec.kubelet.config.evictionHard[nodefs.available]", field.ErrorTypeInvalid},
		{"cpu manager", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Config.CPUManagerPolicy = "Static" }), "spec.kubelet.config.cpuManagerPolicy", field.ErrorTypeNotSupported},
		{"topology manager", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Config.TopologyManagerPolicy = "numa" }), "spec.kubelet.config.topologyManagerPolicy", field.ErrorTypeNotSupported},
		{"memory manager", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Config.MemoryManagerPolicy = "static" }), "spec.kubelet.config.memoryManagerPolicy", field.ErrorTypeNotSupported},
		{"cpuset syntax", withSSM(t, func(c *nodeconfig.NodeConfig) { c.Spec.Kubelet.Config.ReservedSystemCPUs = "3-1" }), "spec.kubelet.config.reservedSystemCPUs", field.ErrorTypeInvalid},
		{"cluster dns ipv6", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.ClusterDNS = []netip.Addr{netip.MustParseAddr("fd00::a")}
		}), "spec.kubelet.config.clusterDNS[0]", field.ErrorTypeInvalid},
		{"extra shadows typed", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.Extra = map[string]json.RawMessage{"maxPods": json.RawMessage("8")}
		}), "spec.kubelet.config.maxPods", field.ErrorTypeInvalid},
		{"extra not json", withSSM(t, func(c *nodeconfig.NodeConfig) {
			c.Spec.Kubelet.Config.Extra = map[string]json.RawMessage{"x": json.RawMessage("{")}
		}), "spec.kubelet.config.x", field.ErrorTypeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			errs := ivalidation.FieldErrors(err)
			if len(errs) != 1 || errs[0].Field != tt.path || errs[0].Type != tt.typ {
				t.Fatalf("Validate() = %v\nwant exactly one %s at %s", err, tt.typ, tt.path)
			}
			if b, merr := nodeconfig.Marshal(tt.cfg); merr == nil || b != nil {
				t.Errorf("Marshal accepted an invalid NodeConfig")
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	c := guideGPUNode(t)
	c.Spec.Cluster.APIServerEndpoint = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-2.eks.amazonaws.com"
	c.Spec.Cluster.CertificateAuthority = testCAPEM(t)
	c.Spec.Cluster.CIDR = "10.96.0.0/16"
	c.Spec.Kubelet.NodeLabels["node.kubernetes.io/pool"] = "gpu"
	c.Spec.Kubelet.NodeLabels["kubelet.kubernetes.io/x"] = "y"
	c.Spec.Kubelet.Config.ShutdownGracePeriodCriticalPods = dur(10 * time.Second)
	c.Spec.Kubelet.Config.KubeReserved = map[string]string{"cpu": "630m", "memory": "48Gi", "ephemeral-storage": "1Gi", "pid": "1000"}
	c.Spec.Kubelet.Config.EvictionHard = map[string]string{"memory.available": "100Mi", "nodefs.available": "10%"}
	c.Spec.Kubelet.Config.CPUManagerPolicy = nodeconfig.CPUManagerStatic
	c.Spec.Kubelet.Config.TopologyManagerPolicy = nodeconfig.TopologyManagerSingleNUMANode
	c.Spec.Kubelet.Config.ClusterDNS = []netip.Addr{netip.MustParseAddr("10.96.0.10")}
	c.Spec.Kubelet.Flags = []string{"--v=2"}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	b, err := nodeconfig.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := nodeconfig.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(back.Spec.Cluster.CertificateAuthority) != string(c.Spec.Cluster.CertificateAuthority) {
		t.Errorf("certificate authority did not round-trip")
	}
}

// TestValidateEveryProblemAtOnce: Validate does not stop at the first error.
func TestValidateEveryProblemAtOnce(t *testing.T) {
	var c nodeconfig.NodeConfig
	got := fieldsOf(c.Validate())
	for _, want := range []string{"spec.cluster.name", "spec.cluster.region", "spec.hybrid"} {
		found := false
		for _, g := range got {
			found = found || g == want
		}
		if !found {
			t.Errorf("zero NodeConfig errors %v lack %s", got, want)
		}
	}
}

// TestWhatNodeadmAccepts: two flags in one element are two flags to the
// kubelet and fine when both are; enableOutpost: false changes nothing.
func TestWhatNodeadmAccepts(t *testing.T) {
	c := guideGPUNode(t)
	c.Spec.Kubelet.Flags = []string{"--v=2 --max-pods=120"}
	c.Spec.Cluster.EnableOutpost = ptr(false)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range c.Lint() {
		found = found || f.Code == nodeconfig.CodeOutpostFlag
	}
	if !found {
		t.Error("enableOutpost: false has no finding")
	}
	c.Spec.Cluster.Region = "eusc-de-east-1"
	if err := c.Validate(); err != nil {
		t.Errorf("a European Sovereign Cloud region: %v", err)
	}
}
