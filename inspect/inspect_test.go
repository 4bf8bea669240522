package inspect_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/inspect"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/placement"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// want is one expected finding: its code, exact field path and line.
type want struct {
	code  advice.Code
	level advice.Level
	field string
	line  int
}

// check compares findings with wants exactly: every want present with
// its field and line, and no other finding.
func check(t *testing.T, got []advice.Finding, wants ...want) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range wants {
		found := false
		for i, f := range got {
			if !used[i] && f.Code == w.code && f.Level == w.level && f.Field == w.field && (w.line == 0 || f.Line == w.line) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing %s %s at %q line %d", w.level, w.code, w.field, w.line)
		}
	}
	for i, f := range got {
		if !used[i] {
			t.Errorf("unexpected finding: %s", f)
		}
	}
}

// The adoption guide's own snippets, each with the finding of its mistake
// (the item of the guide's corrections it repeats is named).
func TestGuideSnippets(t *testing.T) {
	for _, tc := range []struct {
		file  string
		kind  inspect.Kind
		wants []want
	}{
		// 7: a drop-in with only the nvidia runtime deletes runc, the
		// sandbox image and SystemdCgroup on containerd 1.x; the
		// placeholders are not an activation.
		{"nodeconfig-gpu.yaml", inspect.KindNodeConfig, []want{
			{inspect.CodeInvalid, advice.Error, "spec.hybrid.ssm.activationCode", 11},
			{inspect.CodeInvalid, advice.Error, "spec.hybrid.ssm.activationId", 12},
			{nodeconfig.CodeContainerdDropIn, advice.Error, "spec.containerd.config", 23},
			{nodeconfig.CodeContainerdDropIn, advice.Error, "spec.containerd.config", 23},
		}},
		// 16: the forwarder covers all of eks.amazonaws.com.
		{"named.conf", inspect.KindBIND, []want{{dnsplan.CodeBroadForward, advice.Info, "zone[eks.amazonaws.com]", 2}}},
		// 8: device plugin v0.14.5.
		{"nvidia-device-plugin.yml", inspect.KindManifests, []want{{gpu.CodeOutdatedDevicePlugin, advice.Warning, "spec.template.spec.containers[0].image", 26}}},
		// 9: compute-type ec2 matches no node; the GPU pod lacks the
		// toleration; nginx:latest floats.
		{"workloads.yaml", inspect.KindManifests, []want{
			{placement.CodeSelectorEC2, advice.Error, "[1].spec.nodeSelector", 24},
			{placement.CodeGPUWithoutToleration, advice.Warning, "[0].spec.tolerations", 6},
			{placement.CodeLatestImage, advice.Info, "[1].spec.containers[0].image", 28},
		}},
		// 10: the ec2 preference never matches; the Deployment has no
		// selector, so the API server refuses it.
		{"critical-app.yaml", inspect.KindManifests, []want{
			{placement.CodeSelectorEC2, advice.Warning, "spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0]", 22},
			{inspect.CodeInvalid, advice.Error, "spec.selector", 6},
		}},
		// 11: the autoscaler is for an unsupported minor and adopts every
		// tagged group; no selector either.
		{"cluster-autoscaler.yaml", inspect.KindManifests, []want{
			{placement.CodeAutoscalerVersion, advice.Warning, "spec.template.spec.containers[0].image", 11},
			{placement.CodeAutoscalerDiscovery, advice.Warning, "spec.template.spec.containers[0].command[4]", 17},
			{inspect.CodeInvalid, advice.Error, "spec.selector", 6},
		}},
		// 6 and 4: a security group for the hybrid nodes, and Istio's
		// in-pod port 15001 opened across the network.
		{"describe-security-groups.json", inspect.KindAWSSGs, []want{
			{firewall.CodeOnPremSecurityGroup, advice.Error, "SecurityGroups[0]", 3},
			{firewall.CodeIstioInPod, advice.Info, "SecurityGroups[0].IpPermissions[0].UserIdGroupPairs[0]", 29},
		}},
		// The guide's test pod and PV are right as they stand.
		{"gpu-test-pod.yaml", inspect.KindManifests, nil},
		{"onprem-storage-pv.yaml", inspect.KindManifests, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			kind, fs, err := inspect.File(tc.file, read(t, filepath.Join("guide", tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			if kind != tc.kind {
				t.Errorf("kind %s, want %s", kind, tc.kind)
			}
			for _, f := range fs {
				if f.File != tc.file {
					t.Errorf("finding names file %q, want %q", f.File, tc.file)
				}
			}
			check(t, fs, tc.wants...)
		})
	}
}

// 13 and 14: the guide's Resolver rule, created and never associated,
// for a .local domain.
func TestGuideResolverRule(t *testing.T) {
	rules := inspect.Input{Name: "rules.json", Data: read(t, "guide/list-resolver-rules.json")}
	assocs := inspect.Input{Name: "assocs.json", Data: read(t, "guide/list-resolver-rule-associations.json")}
	rs, err := inspect.Files(inspect.Context{}, rules, assocs)
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs[0].Findings,
		want{dnsplan.CodeRuleNotAssociated, advice.Error, "ResolverRules[1].Id", 16},
		want{dnsplan.CodeLocalDomain, advice.Warning, "ResolverRules[1].DomainName", 19})
	check(t, rs[1].Findings)

	// Without the associations, whether a rule is associated is not
	// known: inspect says what to give it, and does not guess.
	rs, err = inspect.Files(inspect.Context{}, rules)
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs[0].Findings,
		want{inspect.CodeIncomplete, advice.Info, "ResolverRules", 0},
		want{dnsplan.CodeLocalDomain, advice.Warning, "ResolverRules[1].DomainName", 19})
}

// A rule associated with the VPC that holds the inbound endpoint, for a
// domain the site forwards to that endpoint, sends queries round.
func TestResolverRuleLoop(t *testing.T) {
	zone := []byte("zone \"corp.internal\" {\n\ttype forward;\n\tforward only;\n\tforwarders { 10.0.1.100; };\n};\n")
	ctx := inspect.Context{VPCID: "vpc-0a1b2c3d4e5f67890"}
	rs, err := inspect.Files(ctx,
		inspect.Input{Name: "rules.json", Data: read(t, "real/list-resolver-rules.json")},
		inspect.Input{Name: "assocs.json", Data: read(t, "real/list-resolver-rule-associations.json")},
		inspect.Input{Name: "named.conf", Data: zone})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs[0].Findings, want{dnsplan.CodeRuleLoop, advice.Error, "ResolverRules[1].Id", 16})
	// The same rule in another VPC forwards without a loop.
	ctx.VPCID = "vpc-0fffffffffffffff0"
	rs, err = inspect.Files(ctx,
		inspect.Input{Name: "rules.json", Data: read(t, "real/list-resolver-rules.json")},
		inspect.Input{Name: "assocs.json", Data: read(t, "real/list-resolver-rule-associations.json")},
		inspect.Input{Name: "named.conf", Data: zone})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs[0].Findings)
}

// referenceContext is the plan of the real fixtures' site (the reference
// blueprint's values): examples/inspect derives it from the blueprint.
func referenceContext() inspect.Context {
	p := netip.MustParsePrefix
	return inspect.Context{
		ClusterName: "gpu-hybrid-cluster", Region: "ap-northeast-2", KubernetesVersion: "1.33",
		VPCID: "vpc-0a1b2c3d4e5f67890", VPCCIDRs: []netip.Prefix{p("10.0.0.0/16")},
		RemoteNodeNetworks: []netip.Prefix{p("192.168.10.0/24")}, RemotePodNetworks: []netip.Prefix{p("10.244.0.0/16")},
		ServiceCIDR: p("10.96.0.0/16"), SiteNetworks: []netip.Prefix{p("192.168.0.0/16")},
	}
}

// realInputs reads the real-format fixtures of the reference site.
func realInputs(t *testing.T, replace map[string][2]string) []inspect.Input {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("testdata", "real"))
	if err != nil {
		t.Fatal(err)
	}
	var in []inspect.Input
	for _, e := range entries {
		data := read(t, filepath.Join("real", e.Name()))
		if r, ok := replace[e.Name()]; ok {
			if !bytes.Contains(data, []byte(r[0])) {
				t.Fatalf("%s does not contain %q", e.Name(), r[0])
			}
			data = bytes.Replace(data, []byte(r[0]), []byte(r[1]), 1)
		}
		in = append(in, inspect.Input{Name: e.Name(), Data: data})
	}
	return in
}

func findingsOf(t *testing.T, rs []inspect.Result, name string) []advice.Finding {
	t.Helper()
	for _, r := range rs {
		if r.Name == name {
			return r.Findings
		}
	}
	t.Fatalf("no result for %s", name)
	return nil
}

// The real-format outputs of a site built to the plan inspect clean, with
// and without the plan; each defect put into one of them is found, at its
// field, alone.
func TestRealFormats(t *testing.T) {
	for _, ctx := range []inspect.Context{{}, referenceContext()} {
		rs, err := inspect.Files(ctx, realInputs(t, nil)...)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Kind == inspect.KindUnknown {
				t.Errorf("%s: not recognised", r.Name)
			}
			for _, f := range r.Findings {
				t.Errorf("%s: %s", r.Name, f)
			}
		}
	}
	for _, tc := range []struct {
		name    string
		file    string
		replace [2]string
		wants   map[string][]want // by file; every other file inspects clean
	}{
		{"route table without the pod network", "describe-route-tables.json",
			[2]string{`"DestinationCidrBlock": "10.244.0.0/16"`, `"DestinationCidrBlock": "10.245.0.0/16"`},
			map[string][]want{"describe-route-tables.json": {{inspect.CodeNoRoute, advice.Error, "RouteTables[0].Routes", 17}}}},
		{"route to a remote network is a blackhole", "describe-route-tables.json",
			[2]string{`"Origin": "CreateRoute",
                    "State": "active"`, `"Origin": "CreateRoute",
                    "State": "blackhole"`},
			map[string][]want{"describe-route-tables.json": {{inspect.CodeNoRoute, advice.Error, "RouteTables[0].Routes[1]", 24}}}},
		{"cluster security group without the pods' 443", "describe-security-groups.json",
			[2]string{`"CidrIp": "10.244.0.0/16"`, `"CidrIp": "10.245.0.0/16"`},
			map[string][]want{"describe-security-groups.json": {{firewall.CodeFlowNotAllowed, advice.Error, "SecurityGroups[0]", 3}}}},
		{"public and private endpoint access", "describe-cluster.json",
			[2]string{`"endpointPublicAccess": false`, `"endpointPublicAccess": true`},
			map[string][]want{"describe-cluster.json": {{dnsplan.CodePublicAndPrivate, advice.Warning, "cluster.resourcesVpcConfig.endpointPrivateAccess", 18}}}},
		{"remote node network overlaps the VPC", "describe-cluster.json",
			[2]string{`"cidrs": ["192.168.10.0/24"]`, `"cidrs": ["10.0.200.0/24"]`},
			map[string][]want{
				"describe-cluster.json": {
					{inspect.CodeOverlap, advice.Error, "cluster.remoteNetworkConfig.remoteNodeNetworks[0].cidrs[0]", 56},
					{inspect.CodeContextMismatch, advice.Error, "cluster.remoteNetworkConfig.remoteNodeNetworks", 54},
				},
				"describe-vpcs.json": {{inspect.CodeOverlap, advice.Error, "Vpcs[0].CidrBlockAssociationSet[0].CidrBlock", 9}},
				"describe-route-tables.json": {
					{inspect.CodeNoRoute, advice.Error, "RouteTables[0].Routes", 17},
					{inspect.CodeNoRoute, advice.Error, "RouteTables[1].Routes", 55},
				},
				"describe-security-groups.json": {{firewall.CodeFlowNotAllowed, advice.Error, "SecurityGroups[0]", 3}},
			}},
		{"no remote pod network", "describe-cluster.json",
			[2]string{`"cidrs": ["10.244.0.0/16"]`, `"cidrs": []`},
			map[string][]want{"describe-cluster.json": {{netplan.CodeNoRemotePodNet, advice.Info, "cluster.remoteNetworkConfig.remotePodNetworks", 59}}}},
		{"public remote pod network", "describe-cluster.json",
			[2]string{`"cidrs": ["10.244.0.0/16"]`, `"cidrs": ["100.200.0.0/16"]`},
			map[string][]want{
				"describe-cluster.json": {{inspect.CodeInvalid, advice.Error, "cluster.remoteNetworkConfig.remotePodNetworks[0].cidrs[0]", 61}},
				"describe-route-tables.json": {
					{inspect.CodeNoRoute, advice.Error, "RouteTables[0].Routes", 17},
					{inspect.CodeNoRoute, advice.Error, "RouteTables[1].Routes", 55},
				},
				"describe-security-groups.json": {{firewall.CodeFlowNotAllowed, advice.Error, "SecurityGroups[0]", 3}},
			}},
		{"host outside the remote node networks", "ip-route.txt",
			[2]string{"192.168.10.0/24 dev eno1 proto kernel scope link src 192.168.10.21", "192.168.20.0/24 dev eno1 proto kernel scope link src 192.168.20.21"},
			map[string][]want{"ip-route.txt": {{inspect.CodeNodeOutsideRemote, advice.Warning, "", 0}}}},
		{"old driver", "nvidia-smi-query.csv",
			[2]string{"580.159.04", "525.60.13"},
			map[string][]want{"nvidia-smi-query.csv": {{gpu.CodeDriverTooOld, advice.Error, "driverVersion", 0}}}},
		{"unsupported OS", "os-release",
			[2]string{`VERSION_ID="24.04"`, `VERSION_ID="18.04"`},
			map[string][]want{"os-release": {{gpu.CodeOSUnsupported, advice.Error, "osVersion", 0}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := inspect.Files(referenceContext(), realInputs(t, map[string][2]string{tc.file: tc.replace})...)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				t.Run(r.Name, func(t *testing.T) { check(t, r.Findings, tc.wants[r.Name]...) })
			}
		})
	}
}

// The cluster's endpoint with public and private access is fine when the
// site forwards its name to the inbound endpoint.
func TestEndpointForwarded(t *testing.T) {
	in := realInputs(t, map[string][2]string{"describe-cluster.json": {`"endpointPublicAccess": false`, `"endpointPublicAccess": true`}})
	in = append(in, inspect.Input{Name: "named.conf", Data: []byte(`zone "0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com" { type forward; forward only; forwarders { 10.0.1.100; }; };`)})
	rs, err := inspect.Files(referenceContext(), in...)
	if err != nil {
		t.Fatal(err)
	}
	check(t, findingsOf(t, rs, "describe-cluster.json"))
}

// A host whose networks overlap the plan's service and pod networks.
func TestHostRoutes(t *testing.T) {
	data := read(t, "conflict/ip-route-conflict.txt")
	_, fs, err := inspect.File("ip-route-conflict.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	check(t, fs, want{inspect.CodeIncomplete, advice.Info, "", 0})
	rs, err := inspect.Files(referenceContext(), inspect.Input{Name: "routes", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	// The leftover cni0 bridge holds the pod network: netplan's finding
	// is on the pod network, which the context holds, so the host gets
	// the service overlap only.
	check(t, rs[0].Findings, want{inspect.CodeOverlap, advice.Error, "routes[2]", 3})
	rs, err = inspect.Files(inspect.Context{}, inspect.Input{Name: "routes", Data: data}, inspect.Input{Name: "cluster.json", Data: read(t, "real/describe-cluster.json")})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs[0].Findings, want{inspect.CodeOverlap, advice.Error, "routes[2]", 3})
	check(t, rs[1].Findings,
		want{inspect.CodeOverlap, advice.Error, "cluster.kubernetesNetworkConfig.serviceIpv4Cidr", 22},
		want{netplan.CodePodOverOnPrem, advice.Warning, "cluster.remoteNetworkConfig.remotePodNetworks[0].cidrs[0]", 61})
}

func TestLinkBaseline(t *testing.T) {
	_, fs, err := inspect.File("ping.txt", read(t, "conflict/ping-lossy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, fs, want{netpath.CodeBelowBaseline, advice.Error, "lossPpm", 0})
	// Thresholds from the context replace the guide's.
	loose := netpath.GuideThresholds()
	loose.LossPPM = [2]int64{300_000, 500_000}
	rs, err := inspect.Files(inspect.Context{Thresholds: &loose}, inspect.Input{Name: "ping.txt", Data: read(t, "conflict/ping-lossy.txt")})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs[0].Findings)
}

// Each file kind is recognised by content; the name only breaks ties.
func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       inspect.Kind
	}{
		{"x", "", inspect.KindUnknown},
		{"x", "hello world\n", inspect.KindUnknown},
		{"x", "#!/bin/sh\nset -eu\n", inspect.KindUnknown},
		{"x", "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\n", inspect.KindNodeConfig},
		{"x", `{"apiVersion":"node.eks.aws/v1alpha1","kind":"NodeConfig"}`, inspect.KindNodeConfig},
		{"x", "apiVersion: v1\nkind: Pod\n", inspect.KindManifests},
		{"x", "apiVersion: v1\nitems: []\nkind: List\n", inspect.KindManifests},
		{"x", `{"apiVersion":"v1","items":[],"kind":"List"}`, inspect.KindManifests},
		{"x", "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n", inspect.KindContainerd},
		{"x", "imports = [\"/etc/containerd/config.d/*.toml\"]\n", inspect.KindContainerd},
		{"x", "server:\n  do-ip4: yes\nforward-zone:\n  name: \"a.\"\n", inspect.KindUnbound},
		{"x", "zone \"a\" {\n type forward;\n};\n", inspect.KindBIND},
		{"x", "options {\n forward only;\n};\n", inspect.KindBIND},
		{"x", "\tvalidate-except { \"a\"; };\n", inspect.KindBIND},
		{"x", "server=/a/10.0.0.1\n", inspect.KindDnsmasq},
		{"x", ".:53 {\n    forward . /etc/resolv.conf\n}\n", inspect.KindCorefile},
		{"Corefile", "import custom/*.server\n", inspect.KindCorefile},
		{"x", "default via 192.168.1.1 dev eno1 proto static\n", inspect.KindIPRoute},
		{"x", `[{"dst":"default","gateway":"192.168.1.1","dev":"eno1"}]`, inspect.KindIPRoute},
		{"x", "PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.\n", inspect.KindPing},
		{"x", "ID=ubuntu\nVERSION_ID=\"22.04\"\n", inspect.KindOSRelease},
		{"x", "<?xml version=\"1.0\" ?>\n<nvidia_smi_log>\n</nvidia_smi_log>\n", inspect.KindNvidiaSMI},
		{"x", "index, name, driver_version\n", inspect.KindNvidiaSMI},
		{"x", `{"SecurityGroups":[]}`, inspect.KindAWSSGs},
		{"x", `{"ResolverRules":[]}`, inspect.KindAWSRules},
		{"x", `{"ResolverRuleAssociations":[]}`, inspect.KindAWSAssocs},
		{"x", `{"cluster":{"resourcesVpcConfig":{}}}`, inspect.KindAWSCluster},
		{"x", `{"Vpcs":[]}`, inspect.KindAWSVPCs},
		{"x", `{"RouteTables":[]}`, inspect.KindAWSRoutes},
		{"x", `{"start":{},"intervals":[],"end":{}}`, inspect.KindIperf3},
		{"x", `{"files":[{"path":"a","sha256":"00"}]}`, inspect.KindBundle},
		{"x", `{"something":"else"}`, inspect.KindUnknown},
		{"x", "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n", inspect.KindEksctl},
		{"x", "apiVersion: example.com/v1\nkind: ClusterConfig\n", inspect.KindManifests},
	} {
		t.Run(fmt.Sprintf("%.30q", tc.data), func(t *testing.T) {
			kind, _, err := inspect.File(tc.name, []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if kind != tc.want {
				t.Errorf("kind %s, want %s", kind, tc.want)
			}
		})
	}
}

// Input that is not of a kind inspect reads, or does not parse, is a
// finding with the position the parser knows, never skipped.
func TestUnreadableInput(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       want
	}{
		{"notes.txt", "hello\n", want{inspect.CodeUnknownKind, advice.Warning, "", 0}},
		{"named.conf", "zone \"a\" {\n type forward;\n forwarders { 10.0.0.1; }\n};\n", want{inspect.CodeParseError, advice.Error, "", 3}},
		{"unbound.conf", "forward-zone:\n  name: \"a.\"\n  forward-addr 10.0.0.1\n", want{inspect.CodeParseError, advice.Error, "", 3}},
		{"dnsmasq.conf", "server=/a/not-an-address\n", want{inspect.CodeParseError, advice.Error, "", 1}},
		{"route.txt", "default via 10.0.0.1 dev eth0\nnot/route dev eth0 scope link\n", want{inspect.CodeParseError, advice.Error, "", 2}},
		{"pods.yaml", "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers: [\n", want{inspect.CodeParseError, advice.Error, "", 7}},
		{"pod.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  nodeSelectr: {}\n", want{inspect.CodeInvalid, advice.Error, "spec.nodeSelectr", 4}},
		{"sgs.json", "{\"SecurityGroups\": [\n  {\"GroupId\": 5}\n]}\n", want{inspect.CodeParseError, advice.Error, "", 2}},
		{"crd.yaml", "apiVersion: cilium.io/v2\nkind: CiliumNodeConfig\n", want{inspect.CodeUncheckedObject, advice.Info, "", 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, fs, err := inspect.File(tc.name, []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			check(t, fs, tc.want)
		})
	}
	if _, _, err := inspect.File("big", make([]byte, inspect.MaxFileBytes+1)); !errors.Is(err, inspect.ErrTooLarge) {
		t.Errorf("a file over MaxFileBytes: %v", err)
	}
}

// A forwarder that is the VPC's own resolver cannot be reached from the
// site; first leaks; DNSSEC validation needs an exception.
func TestForwarders(t *testing.T) {
	ctx := referenceContext()
	for _, tc := range []struct {
		name, data string
		wants      []want
	}{
		{"bind-vpc-resolver", "zone \"x.internal\" {\n type forward;\n forward only;\n forwarders { 10.0.0.2; };\n};\n",
			[]want{{inspect.CodeInvalid, advice.Error, "zone[x.internal].forwarders[0]", 4}}},
		{"bind-first-by-default", "zone \"x.internal\" {\n type forward;\n forwarders { 10.0.1.100; };\n};\n",
			[]want{{dnsplan.CodeForwardFirst, advice.Warning, "zone[x.internal].forward", 1}}},
		{"bind-first-stated", "zone \"x.internal\" {\n type forward;\n forwarders { 10.0.1.100; };\n forward first;\n};\n",
			[]want{{dnsplan.CodeForwardFirst, advice.Warning, "zone[x.internal].forward", 4}}},
		{"bind-global-only", "options {\n forward only;\n dnssec-validation no;\n};\nzone \"x.internal\" {\n type forward;\n forwarders { 10.0.1.100; };\n};\n", nil},
		{"bind-validating", "options {\n forward only;\n};\nzone \"x.internal\" {\n type forward;\n forwarders { 10.0.1.100; };\n};\n",
			[]want{{dnsplan.CodeDNSSECExceptions, advice.Info, "zone[x.internal]", 4}}},
		{"bind-excepted", "options {\n forward only;\n validate-except { \"x.internal\"; };\n};\nzone \"x.internal\" {\n type forward;\n forwarders { 10.0.1.100; };\n};\n", nil},
		{"bind-local-in-view", "view \"inside\" {\n zone \"company.local\" {\n  type forward;\n  forward only;\n  forwarders { 10.0.1.100; };\n };\n};\n",
			[]want{{dnsplan.CodeLocalDomain, advice.Warning, "view[inside].zone[company.local]", 2}}},
		{"bind-not-forward", "zone \"x.internal\" {\n type primary;\n file \"x.db\";\n};\n", nil},
		{"unbound-first", "forward-zone:\n  name: \"x.internal.\"\n  forward-addr: 10.0.1.100@53\n  forward-first: yes\n",
			[]want{{dnsplan.CodeForwardFirst, advice.Warning, "forward-zone[0].forward-first", 4}}},
		{"unbound-vpc-resolver", "forward-zone:\n  name: \"x.internal.\"\n  forward-addr: 10.0.1.100\n  forward-addr: 169.254.169.253#dns\n",
			[]want{{inspect.CodeInvalid, advice.Error, "forward-zone[0].forward-addr[1]", 4}}},
		{"unbound-validating", "server:\n  auto-trust-anchor-file: \"/var/lib/unbound/root.key\"\nforward-zone:\n  name: \"x.internal.\"\n  forward-addr: 10.0.1.100\n",
			[]want{{dnsplan.CodeDNSSECExceptions, advice.Info, "forward-zone[0].name", 4}}},
		{"unbound-insecure", "server:\n  auto-trust-anchor-file: \"/var/lib/unbound/root.key\"\n  domain-insecure: \"x.internal.\"\nforward-zone:\n  name: \"x.internal.\"\n  forward-addr: 10.0.1.100\n", nil},
		{"dnsmasq-vpc-resolver", "# comment\nserver=/x.internal/10.0.1.100\nserver=/x.internal/10.0.0.2#53\n",
			[]want{{inspect.CodeInvalid, advice.Error, "server[1]", 3}}},
		{"dnsmasq-local", "server=/company.local/10.0.1.100\n",
			[]want{{dnsplan.CodeLocalDomain, advice.Warning, "server[0]", 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := inspect.Files(ctx, inspect.Input{Name: tc.name, Data: []byte(tc.data)})
			if err != nil {
				t.Fatal(err)
			}
			check(t, rs[0].Findings, tc.wants...)
		})
	}
}

// A containerd root config, its drop-in and `containerd config dump`
// output are told apart and checked as what they are.
func TestContainerd(t *testing.T) {
	root, err := gpu.RenderContainerd(gpu.TargetContainerd2, gpu.DefaultContainerdOptions(gpu.TargetContainerd2, "ap-northeast-2"))
	if err != nil {
		t.Fatal(err)
	}
	_, fs, err := inspect.File("config.toml", root)
	if err != nil {
		t.Fatal(err)
	}
	check(t, fs)
	guide := read(t, "../../gpu/testdata/guide-dropin.toml")
	for _, name := range []string{"/etc/containerd/config.d/00-nodeadm.toml", "nvidia-dropin.toml", "anything.toml"} {
		_, fs, err = inspect.File(name, guide)
		if err != nil {
			t.Fatal(err)
		}
		codes := map[advice.Code]bool{}
		for _, f := range fs {
			codes[f.Code] = true
		}
		if !codes[containerdconf.CodeDropInReplacesCRI] {
			t.Errorf("%s: the guide's drop-in is not checked against nodeadm's root: %v", name, fs)
		}
	}
	// A root config without the NVIDIA runtime is a GPU node that gives
	// containers no GPU.
	noNVIDIA := bytes.ReplaceAll(root, []byte("nvidia-container-runtime"), []byte("runc-wrapper"))
	_, fs, err = inspect.File("config.toml", noNVIDIA)
	if err != nil {
		t.Fatal(err)
	}
	check(t, fs, want{gpu.CodeNoNVIDIARuntime, advice.Error, "plugins", 0})

	// What containerd 1.x prints for `config dump` of the rendered
	// containerd 1.x config (every default filled in) is a root config
	// and inspects as clean as the file.
	root1, err := gpu.RenderContainerd(gpu.TargetContainerd1, gpu.DefaultContainerdOptions(gpu.TargetContainerd1, "ap-northeast-2"))
	if err != nil {
		t.Fatal(err)
	}
	dump := testkit.ContainerdDump(t, func(string) []byte { return root1 }, nil)
	kind, fs, err := inspect.File("dump.toml", dump)
	if err != nil || kind != inspect.KindContainerd {
		t.Fatalf("config dump: kind %s, %v", kind, err)
	}
	check(t, fs)
}

// A bundle.json is checked against the files given with it.
func TestBundle(t *testing.T) {
	script := []byte("#!/bin/sh\nset -eu\n")
	zone := []byte(`zone "x.internal" { type forward; forward only; forwarders { 10.0.1.100; }; };` + "\n")
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	index := fmt.Sprintf(`{"files":[{"path":"aws/run.sh","kind":"shell","sha256":%q,"bytes":%d},{"path":"dns/zones.conf","kind":"bind-conf","sha256":%q,"bytes":%d},{"path":"missing.md","kind":"markdown","sha256":"00","bytes":1}]}`,
		sum(script), len(script), sum(zone), len(zone))
	rs, err := inspect.Files(inspect.Context{},
		inspect.Input{Name: "out/bundle.json", Data: []byte(index)},
		inspect.Input{Name: "out/aws/run.sh", Data: script},
		inspect.Input{Name: "out/dns/zones.conf", Data: append(zone, "# edited\n"...)})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs[0].Findings,
		want{inspect.CodeBundleChanged, advice.Warning, "files[1].sha256", 0},
		want{inspect.CodeBundleMissing, advice.Warning, "files[2].path", 0})
	// The script's kind comes from the bundle, its content is verified:
	// no unknown-kind finding.
	if rs[1].Kind != "shell" || len(rs[1].Findings) > 0 {
		t.Errorf("script: kind %s, findings %v", rs[1].Kind, rs[1].Findings)
	}
	// Alone, the script is unknown.
	check(t, findingsOf(t, mustFiles(t, inspect.Input{Name: "run.sh", Data: script}), "run.sh"), want{inspect.CodeUnknownKind, advice.Warning, "", 0})

	_, fs, err := inspect.File("bundle.json", []byte(`{"files":[{"path":"../etc/passwd","kind":"shell","sha256":"00","bytes":1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	check(t, fs, want{inspect.CodeInvalid, advice.Error, "files[0].path", 0})
}

func mustFiles(t *testing.T, in ...inspect.Input) []inspect.Result {
	t.Helper()
	rs, err := inspect.Files(inspect.Context{}, in...)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// NodeConfigs name the Context's cluster and region; their labels are
// the hybrid nodes pods are placed on.
func TestNodeConfigAgainstContext(t *testing.T) {
	nc := read(t, "guide/nodeconfig-gpu.yaml")
	ctx := referenceContext()
	ctx.Region = "us-west-2"
	// The guide's pods select gpu=h100 and node-type=hybrid, which the
	// guide's NodeConfig sets: with it, they match a node; without it,
	// no node of the context has those labels.
	ctx.Nodes = []map[string]string{{"topology.kubernetes.io/zone": "ap-northeast-2a"}}
	pods := read(t, "guide/gpu-test-pod.yaml")
	rs, err := inspect.Files(ctx, inspect.Input{Name: "nc.yaml", Data: nc}, inspect.Input{Name: "pod.yaml", Data: pods})
	if err != nil {
		t.Fatal(err)
	}
	got := rs[0].Findings
	if !slices.ContainsFunc(got, func(f advice.Finding) bool {
		return f.Code == inspect.CodeContextMismatch && f.Field == "spec.cluster.region" && f.Line == 7
	}) {
		t.Errorf("no region mismatch: %v", got)
	}
	check(t, rs[1].Findings)
	rs, err = inspect.Files(ctx, inspect.Input{Name: "pod.yaml", Data: pods})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs[0].Findings, want{placement.CodeSelectorUnmatched, advice.Error, "spec.nodeSelector", 14})
}

// Findings never carry the SSM activation code, whatever is wrong.
func TestSecretsStayOut(t *testing.T) {
	const code = "AbCdEfGhIjKlMnOpQrStUvWx+/0123456789=="
	nc := bytes.Replace(read(t, "guide/nodeconfig-gpu.yaml"), []byte("ACTIVATION-CODE"), []byte(code), 1)
	nc = bytes.Replace(nc, []byte("maxPods: 110"), []byte("maxPods: many"), 1)
	for _, data := range [][]byte{nc, read(t, "guide/nodeconfig-gpu.yaml")} {
		_, fs, err := inspect.File("nc.yaml", bytes.Replace(data, []byte("ACTIVATION-CODE"), []byte(code), 1))
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 0 {
			t.Fatal("no findings to look at")
		}
		for _, f := range fs {
			if strings.Contains(f.String(), code) || strings.Contains(f.String(), code[:20]) {
				t.Errorf("finding shows the activation code: %s", f)
			}
		}
	}
}

// A finding of inspect prints its file and line.
func TestFindingString(t *testing.T) {
	_, fs, err := inspect.File("conf/named.conf", read(t, "guide/named.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if s := fs[0].String(); !strings.HasPrefix(s, "info: conf/named.conf:2: zone[eks.amazonaws.com]: forwarding all of eks.amazonaws.com") {
		t.Errorf("String() = %s", s)
	}
}

// `kubectl get -o json` prints a List: its items are checked with the
// line of the field in the JSON.
func TestKubectlJSONList(t *testing.T) {
	list := []byte(`{
  "apiVersion": "v1",
  "kind": "List",
  "items": [
    {
      "apiVersion": "v1",
      "kind": "Pod",
      "metadata": {"name": "gpu"},
      "spec": {"containers": [{"name": "c", "image": "nvidia/cuda:12.4.1-base-ubuntu22.04", "resources": {"limits": {"nvidia.com/gpu": "1"}}}]}
    }
  ]
}
`)
	kind, fs, err := inspect.File("pods.json", list)
	if err != nil || kind != inspect.KindManifests {
		t.Fatalf("kind %s, %v", kind, err)
	}
	check(t, fs, want{placement.CodeGPUWithoutToleration, advice.Warning, "items[0].spec.tolerations", 9})
}

// eksctlFile is an eksctl ClusterConfig on an existing VPC with the given
// remote node network and remoteNetworkConfig.iam lines.
func eksctlFile(nodeNet, iam string) []byte {
	return []byte("apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\n  region: ap-northeast-2\n" +
		"nodeGroups: []\n" + // a field of eksctl's that hybridkit does not read
		"vpc:\n  id: vpc-0a1b2c3d\n  cidr: 10.0.0.0/16\n" +
		"remoteNetworkConfig:\n" + iam + "  remoteNodeNetworks:\n  - cidrs:\n    - " + nodeNet + "\n")
}

// TestEksctlConfig: eksctl's remoteNetworkConfig rules hold, and its
// networks meet the others: a remote node network inside the VPC is an
// overlap at its own line (eksctl's validation lets it through; EKS
// refuses the cluster).
func TestEksctlConfig(t *testing.T) {
	for _, tc := range []struct {
		name, nodeNet, iam string
		wants              []want
	}{
		{"valid", "192.168.10.0/24", "  iam:\n    provider: SSM\n", nil},
		{"overlaps the VPC", "10.0.8.0/24", "  iam:\n    provider: SSM\n",
			[]want{{inspect.CodeOverlap, advice.Error, "remoteNetworkConfig.remoteNodeNetworks[0].cidrs[0]", 15}, {inspect.CodeOverlap, advice.Error, "vpc.cidr", 9}}},
		{"IRA without a CA bundle", "192.168.10.0/24", "  iam:\n    provider: IRA\n",
			[]want{{inspect.CodeInvalid, advice.Error, "remoteNetworkConfig.iam.caBundleCert", 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := inspect.Files(inspect.Context{}, inspect.Input{Name: "eksctl.yaml", Data: eksctlFile(tc.nodeNet, tc.iam)})
			if err != nil {
				t.Fatal(err)
			}
			if rs[0].Kind != inspect.KindEksctl {
				t.Fatalf("kind %s", rs[0].Kind)
			}
			check(t, rs[0].Findings, tc.wants...)
		})
	}
}
