package nodeconfig_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Example values; not real credentials.
const (
	exampleCode = "EXAMPLE+activation+code+0123456789"
	exampleID   = "6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f"
	exampleRole = "arn:aws:iam::111122223333:role/EKSHybridNodesRole"
	exampleTA   = "arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
	examplePr   = "arn:aws:rolesanywhere:ap-northeast-2:111122223333:profile/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
)

func ptr[T any](v T) *T { return &v }

// gpuDropIn is the complete nodeadm drop-in for the NVIDIA runtime, as the
// gpu package renders it.
func gpuDropIn(t testing.TB) string {
	t.Helper()
	b, err := gpu.RenderContainerd(gpu.TargetNodeadmDropIn, gpu.DefaultContainerdOptions(gpu.TargetNodeadmDropIn, "ap-northeast-2"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// guideGPUNode is the guide's nodeconfig-gpu.yaml, corrected: a valid
// activation, a complete containerd drop-in, labels that exist, and a
// topology zone so workloads can spread across on-prem and cloud.
func guideGPUNode(t testing.TB) nodeconfig.NodeConfig {
	c := nodeconfig.NewSSM("gpu-hybrid-cluster", "ap-northeast-2", exampleCode, exampleID)
	c.Spec.Kubelet.Config.MaxPods = ptr(int32(110))
	c.Spec.Kubelet.Config.ShutdownGracePeriod = &metav1.Duration{Duration: 30 * time.Second}
	c.Spec.Kubelet.NodeLabels = map[string]string{
		"gpu":                         "h100",
		"gpu-count":                   "8",
		"topology.kubernetes.io/zone": "onprem-dc1",
	}
	c.Spec.Kubelet.Taints = []corev1.Taint{{Key: "nvidia.com/gpu", Value: "present", Effect: corev1.TaintEffectNoSchedule}}
	c.Spec.Containerd.Config = gpuDropIn(t)
	c.Default()
	return c
}

func iamRANode() nodeconfig.NodeConfig {
	c := nodeconfig.NewIAMRolesAnywhere("gpu-hybrid-cluster", "ap-northeast-2", nodeconfig.IAMRolesAnywhere{
		NodeName: "gpu-node-01", RoleARN: exampleRole, TrustAnchorARN: exampleTA, ProfileARN: examplePr,
	})
	c.Spec.Cluster.CIDR = "10.96.0.0/16"
	c.Spec.Kubelet.NodeLabels = map[string]string{"topology.kubernetes.io/zone": "onprem-dc1"}
	c.Default()
	return c
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  nodeconfig.NodeConfig
	}{
		{"nodeconfig-gpu.yaml", guideGPUNode(t)},
		{"nodeconfig-iam-ra.yaml", iamRANode()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := nodeconfig.Marshal(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, tc.name, b)
			if fs := tc.cfg.Lint(); len(fs) != 0 {
				t.Errorf("reference config has findings: %v", fs)
			}
			back, err := nodeconfig.Parse(b)
			if err != nil {
				t.Fatalf("Parse(Marshal(x)): %v", err)
			}
			if !reflect.DeepEqual(back, tc.cfg) {
				t.Errorf("Parse(Marshal(x)) != x\n got %#v\nwant %#v", back.Spec, tc.cfg.Spec)
			}
		})
	}
}

func TestFleetGolden(t *testing.T) {
	tmpl := guideGPUNode(t)
	nodes, err := nodeconfig.NodesNamed("gpu-node-%02d", 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i := range nodes {
		nodes[i].Labels = map[string]string{"example.com/rack": fmt.Sprintf("r%d", i/5+1)}
	}
	cfgs, err := nodeconfig.Fleet{Template: tmpl, Nodes: nodes}.Build()
	if err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	for i, c := range cfgs {
		b, err := nodeconfig.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&all, "---\n# %s\n", nodes[i].Name)
		all.Write(b)
	}
	testkit.Golden(t, "fleet-10.yaml", all.Bytes())
	if len(tmpl.Spec.Kubelet.NodeLabels) != 3 {
		t.Errorf("Build modified the template's labels: %v", tmpl.Spec.Kubelet.NodeLabels)
	}
}

func TestFleetIAMRolesAnywhere(t *testing.T) {
	nodes := []nodeconfig.FleetNode{{Name: "gpu-a"}, {Name: "gpu-b", CertificatePath: "/etc/iam/pki/gpu-b.pem", PrivateKeyPath: "/etc/iam/pki/gpu-b.key"}}
	cfgs, err := nodeconfig.Fleet{Template: iamRANode(), Nodes: nodes}.Build()
	if err != nil {
		t.Fatal(err)
	}
	a, b := cfgs[0].Spec.Hybrid.IAMRolesAnywhere, cfgs[1].Spec.Hybrid.IAMRolesAnywhere
	if a.NodeName != "gpu-a" || b.NodeName != "gpu-b" || a == b {
		t.Errorf("node names %q %q (shared pointer: %v)", a.NodeName, b.NodeName, a == b)
	}
	if a.CertificatePath != nodeconfig.DefaultCertificatePath || b.CertificatePath != "/etc/iam/pki/gpu-b.pem" || b.PrivateKeyPath != "/etc/iam/pki/gpu-b.key" {
		t.Errorf("paths: %+v / %+v", a, b)
	}
}

func TestFleetErrors(t *testing.T) {
	nodes := []nodeconfig.FleetNode{{Name: "gpu-a"}, {Name: "gpu-a"}, {Name: "Bad_Name"}, {Name: ""}, {Name: "x", Labels: map[string]string{"node-role.kubernetes.io/gpu": ""}}}
	_, err := nodeconfig.Fleet{Template: guideGPUNode(t), Nodes: nodes}.Build()
	got := fieldsOf(err)
	for _, want := range []string{"nodes[1].name", "nodes[2].name", "nodes[3].name", "nodes[4].spec.kubelet.nodeLabels[node-role.kubernetes.io/gpu]"} {
		if !slices.Contains(got, want) {
			t.Errorf("Build errors %v lack %s", got, want)
		}
	}
	ip := netip.MustParseAddr("192.168.10.11")
	cfgs, err := nodeconfig.Fleet{Template: guideGPUNode(t), Nodes: []nodeconfig.FleetNode{{Name: "gpu-a", NodeIP: ip}, {Name: "gpu-b"}}}.Build()
	if err != nil || !slices.Contains(cfgs[0].Spec.Kubelet.Flags, "--node-ip=192.168.10.11") || slices.ContainsFunc(cfgs[1].Spec.Kubelet.Flags, func(f string) bool { return strings.HasPrefix(f, "--node-ip") }) {
		t.Errorf("NodeIP: %v %v", cfgs, err)
	}
	if _, err := (nodeconfig.Fleet{Template: guideGPUNode(t), Nodes: []nodeconfig.FleetNode{{Name: "gpu-a", NodeIP: ip}, {Name: "gpu-b", NodeIP: ip}}}).Build(); !slices.Contains(fieldsOf(err), "nodes[1].nodeIP") {
		t.Errorf("a shared node IP: %v", err)
	}
	if _, err := (nodeconfig.Fleet{Template: guideGPUNode(t)}).Build(); !slices.Contains(fieldsOf(err), "nodes") {
		t.Errorf("empty fleet: %v", err)
	}
	for _, pat := range []string{"gpu", "gpu-%s", "%d-%d", "gpu-%x", "../%d", "/etc/%d", "gpu %d", "gpu-%2d", "GPU-%d", "gpu.%d", "gpu-%-3d", "gpu\n%d", "gpu-%00d"} {
		if _, err := nodeconfig.NodesNamed(pat, 1, 2); err == nil {
			t.Errorf("NodesNamed(%q) accepted", pat)
		}
	}
	if _, err := nodeconfig.NodesNamed("g%d", 1, 0); err == nil {
		t.Errorf("NodesNamed count 0 accepted")
	}
	if _, err := nodeconfig.NodesNamed("g%d", 1, nodeconfig.MaxNodes+1); err == nil {
		t.Errorf("NodesNamed over MaxNodes accepted")
	}
	if nodes, err := nodeconfig.NodesNamed("%03d-gpu", 1, 2); err != nil || nodes[1].Name != "002-gpu" {
		t.Errorf("verb first: %v %v", nodes, err)
	}
	// Only the last name is too long: 61 letters and 100 is 64 characters.
	if _, err := nodeconfig.NodesNamed(strings.Repeat("a", 61)+"%d", 1, 99); err != nil {
		t.Errorf("63-character names refused: %v", err)
	}
	if _, err := nodeconfig.NodesNamed(strings.Repeat("a", 61)+"%d", 1, 100); err == nil {
		t.Error("a 64-character last name accepted")
	}
	// The names must be node names: no leading hyphen, at most 63 characters.
	for _, pat := range []string{"-gpu%d", "gpu%d-", strings.Repeat("a", 62) + "%02d"} {
		if _, err := nodeconfig.NodesNamed(pat, 1, 2); err == nil {
			t.Errorf("NodesNamed(%q) accepted", pat)
		}
	}
}

func fieldsOf(err error) []string {
	var out []string
	for _, e := range ivalidation.FieldErrors(err) {
		out = append(out, e.Field)
	}
	return out
}

// TestGuideYAML: the guide's own file parses (the hybrid nodeadm would read
// it), fails validation on its placeholder credentials, and its findings
// include the drop-in that containerd 1.x turns into a config without
// SystemdCgroup.
func TestGuideYAML(t *testing.T) {
	c, err := nodeconfig.Parse(testkit.ReadTestdata(t, "guide-nodeconfig-gpu.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Spec.Kubelet.NodeLabels; got["gpu"] != "h100" || got["gpu-count"] != "8" || got["node-type"] != "hybrid" {
		t.Errorf("labels = %v", got)
	}
	if len(c.Spec.Kubelet.Taints) != 1 || c.Spec.Kubelet.Taints[0].Key != "nvidia.com/gpu" || len(c.Spec.Kubelet.Flags) != 0 {
		t.Errorf("taints %v flags %v", c.Spec.Kubelet.Taints, c.Spec.Kubelet.Flags)
	}
	if *c.Spec.Kubelet.Config.MaxPods != 110 || c.Spec.Kubelet.Config.ShutdownGracePeriod.Duration != 30*time.Second {
		t.Errorf("kubelet config = %+v", c.Spec.Kubelet.Config)
	}
	got := fieldsOf(c.Validate())
	want := []string{"spec.hybrid.ssm.activationCode", "spec.hybrid.ssm.activationId"}
	if !slices.Equal(got, want) {
		t.Errorf("Validate fields = %v, want %v", got, want)
	}
	var msgs []string
	for _, f := range c.Lint() {
		if f.Code == nodeconfig.CodeContainerdDropIn {
			msgs = append(msgs, f.Message)
		}
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []advice.Code{containerdconf.CodeDropInReplacesCRI, containerdconf.CodeSystemdCgroupMissing} {
		if !strings.Contains(joined, string(want)) {
			t.Errorf("drop-in findings lack %s:\n%s", want, joined)
		}
	}
}

func TestParseRejectsEC2Fields(t *testing.T) {
	_, err := nodeconfig.Parse(testkit.ReadTestdata(t, "ec2-nodeadm-fields.yaml"))
	got := fieldsOf(err)
	// In document order, each with its position.
	want := []string{"spec.featureGates", "spec.containerd.baseRuntimeSpec", "spec.hybrid.region"}
	if !slices.Equal(got, want) {
		t.Fatalf("Parse errors at %v, want %v (err: %v)", got, want, err)
	}
	for _, e := range ivalidation.FieldErrors(err) {
		if e.Type != field.ErrorTypeForbidden || !strings.HasPrefix(e.Detail, "unknown field (line ") {
			t.Errorf("%s: %s %q", e.Field, e.Type, e.Detail)
		}
	}
}

// TestParseFoldsCaseAsNodeadm: nodeadm decodes with encoding/json, which
// matches keys ignoring case, so activationID and trustAnchorARN work;
// Parse accepts them too, and Lint names the canonical spelling.
func TestParseFoldsCaseAsNodeadm(t *testing.T) {
	doc := `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  cluster: {name: gpu-hybrid-cluster, region: ap-northeast-2}
  hybrid:
    ssm:
      activationCode: EXAMPLE+activation+code+0123456789
      activationID: 6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f
`
	c, err := nodeconfig.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if c.Spec.Hybrid.SSM.ActivationID != "6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f" {
		t.Errorf("activation ID %q", c.Spec.Hybrid.SSM.ActivationID)
	}
	var got []string
	for _, f := range c.Lint() {
		if f.Code == nodeconfig.CodeKeySpelling {
			got = append(got, f.Field+" "+f.Message)
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "spec.hybrid.ssm.activationID line 8:") || !strings.Contains(got[0], `"activationId"`) {
		t.Errorf("spelling findings %q", got)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("a valid config with a folded key: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, path string
	}{
		{"bad labels flag", "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    flags: [--node-labels=novalue]\n", "spec.kubelet.flags[0]"},
		{"bad taints flag", "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    flags: [--x, --register-with-taints=k=v]\n", "spec.kubelet.flags[1]"},
		{"typed kubelet key", "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    config: {maxPods: many}\n", "spec.kubelet.config.maxPods"},
		{"wrong type", "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n    enableOutpost: maybe\n", "spec.cluster.enableOutpost"},
		{"no apiVersion", "kind: NodeConfig\nspec: {}\n", "apiVersion"},
		{"wrong kind", "apiVersion: node.eks.aws/v1alpha1\nkind: Config\nspec: {}\n", "kind"},
		{"a key twice, once ignoring case", "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n    Name: x\n    name: y\n", "spec.cluster.name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := nodeconfig.Parse([]byte(tt.in))
			if got := fieldsOf(err); len(got) != 1 || got[0] != tt.path {
				t.Errorf("Parse error paths %v, want [%s] (%v)", got, tt.path, err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "nodeconfig: ") {
				t.Errorf("error lacks prefix: %v", err)
			}
		})
	}
	if _, err := nodeconfig.Parse([]byte("spec: [")); err == nil || !strings.HasPrefix(err.Error(), "nodeconfig: ") {
		t.Errorf("syntax error = %v", err)
	}
	// nodeadm's internal type has a status field, so a file may carry one.
	if _, err := nodeconfig.Parse([]byte("apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nstatus: {}\n")); err != nil {
		t.Errorf("status rejected: %v", err)
	}
}

func TestExtraKubeletKeysPassThrough(t *testing.T) {
	in := "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster: {name: c, region: us-west-2}\n  hybrid:\n    ssm: {activationCode: " + exampleCode + ", activationId: " + exampleID + "}\n  kubelet:\n    config:\n      imageGCHighThresholdPercent: 80\n      featureGates: {B: true, A: false}\n      maxPods: 64\n"
	c, err := nodeconfig.Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Spec.Kubelet.Config.Extra["featureGates"]) != `{"A":false,"B":true}` || *c.Spec.Kubelet.Config.MaxPods != 64 {
		t.Errorf("config = %+v extra %s", c.Spec.Kubelet.Config, c.Spec.Kubelet.Config.Extra["featureGates"])
	}
	b, err := nodeconfig.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("imageGCHighThresholdPercent: 80")) {
		t.Errorf("unknown key lost:\n%s", b)
	}
}

// TestFleetValidatesEachMemberOnce: Build validates the template once and
// each member for what it adds, and finds exactly what validating every
// member in full finds.
func TestFleetValidatesEachMemberOnce(t *testing.T) {
	labels := []map[string]string{nil, {"pool": "a"}, {"bad key!": "x"}, {"ok": "bad value!"}, {"node-role.kubernetes.io/gpu": ""}}
	for _, tmpl := range []nodeconfig.NodeConfig{guideGPUNode(t), iamRANode()} {
		var nodes []nodeconfig.FleetNode
		for i := range 20 {
			n := nodeconfig.FleetNode{Name: fmt.Sprintf("gpu-%02d", i), Labels: labels[i%len(labels)]}
			if i%3 == 0 {
				n.NodeIP = netip.AddrFrom4([4]byte{192, 168, 10, byte(10 + i)})
			}
			if i%7 == 6 {
				n.CertificatePath = "relative/cert.pem"
			}
			nodes = append(nodes, n)
		}
		f := nodeconfig.Fleet{Template: tmpl, Nodes: nodes}
		_, err := f.Build()
		got := fieldsOf(err)
		var want []string
		for i, n := range nodes {
			one := nodeconfig.Fleet{Template: tmpl, Nodes: []nodeconfig.FleetNode{n}}
			_, err := one.Build()
			for _, p := range fieldsOf(err) {
				want = append(want, strings.Replace(p, "nodes[0]", fmt.Sprintf("nodes[%d]", i), 1))
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Build found %v\nfull validation finds %v", got, want)
		}
	}
}
