package blueprint_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/netip"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/dnsplan"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// reach says how a finding code of some package shows up through a
// blueprint: a mutation of the reference that yields it as a finding, a
// mutation whose condition the blueprint refuses as an error at errPath
// (the blueprint's validation covers the package's error-level finding),
// or why no blueprint can yield it.
type reach struct {
	mutate  func(*blueprint.Blueprint)
	errPath string
	never   string
}

// Reasons for codes no blueprint yields.
const (
	neverOwnContainerd = "the blueprint renders its containerd files itself (gpu.DefaultContainerdOptions, no blueprint field changes them) and checks them: this code grades files from elsewhere"
	neverOwnNodeConfig = "the blueprint builds each NodeConfig itself (labels, one --node-ip flag, its drop-in) and no blueprint field reaches this NodeConfig setting"
	neverOwnPodSpec    = "the blueprint's example workloads are placed by placement.Apply, which always sets what this code checks"
	neverOwnRules      = "the blueprint's firewall comes from firewall.Profiles, which never writes what this code flags"
	neverOwnCorefile   = "the blueprint renders its Corefile itself and checks it (Corefile.Check): this code grades Corefiles from elsewhere"
	neverOwnMounts     = "the blueprint's exports use storage.PresetOptions with nfsvers pinned: no blueprint field sets raw mount options"
)

func setOS(os string) func(*blueprint.Blueprint) {
	return func(b *blueprint.Blueprint) { b.NodePools[0].OS = os }
}

// neverInspect: inspect's own codes grade files and command output from
// elsewhere; the reference bundle inspects clean (examples/inspect's
// round-trip test).
const neverInspect = "inspect reads files from elsewhere; a rendered bundle inspects clean (examples/inspect TestReferenceBundleInspectsClean)"

// codeReach classifies every finding code a library package declares.
var codeReach = map[string]reach{
	// inspect
	"inspect/bundle-file-changed":          {never: neverInspect},
	"inspect/bundle-file-missing":          {never: neverInspect},
	"inspect/context-mismatch":             {never: neverInspect},
	"inspect/incomplete":                   {never: neverInspect},
	"inspect/invalid":                      {never: neverInspect},
	"inspect/network-overlap":              {never: neverInspect},
	"inspect/no-route-to-remote-network":   {never: neverInspect},
	"inspect/node-outside-remote-networks": {never: neverInspect},
	"inspect/parse-error":                  {never: neverInspect},
	"inspect/unchecked-object":             {never: neverInspect},
	"inspect/unknown-kind":                 {never: neverInspect},

	// blueprint
	"blueprint/no-activation": {mutate: func(b *blueprint.Blueprint) { b.Credentials.SSM = nil }},
	"blueprint/no-cost-explorer": {mutate: func(b *blueprint.Blueprint) {
		b.Cluster.Region, b.Cluster.EndpointHost = "us-gov-west-1", dnsplan.Domain{}
		b.VPC.Subnets[0].AZ, b.VPC.Subnets[1].AZ = "us-gov-west-1a", "us-gov-west-1b"
	}},
	"blueprint/eksctl-needs-ca-bundle": {mutate: func(b *blueprint.Blueprint) {
		b.Credentials.Provider, b.Credentials.SSM = nodeconfig.ProviderIAMRolesAnywhere, nil
		b.Credentials.IAMRolesAnywhere = &blueprint.RolesAnywhereCredentials{TrustAnchorARN: "arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/0123abcd-0123-4567-89ab-0123456789ab"}
	}},
	"blueprint/no-mtu-probe": {mutate: func(*blueprint.Blueprint) {}},
	"blueprint/no-profile": {mutate: func(b *blueprint.Blueprint) {
		b.Credentials.Provider, b.Credentials.SSM = nodeconfig.ProviderIAMRolesAnywhere, nil
		b.Credentials.IAMRolesAnywhere = &blueprint.RolesAnywhereCredentials{TrustAnchorARN: "arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/0123abcd-0123-4567-89ab-0123456789ab"}
	}},

	// containerdconf
	"containerdconf/default-runtime-undefined": {never: neverOwnContainerd},
	"containerdconf/dropin-newer-than-root":    {never: neverOwnContainerd},
	"containerdconf/dropin-replaces-cri":       {never: neverOwnContainerd},
	"containerdconf/dropin-version-differs":    {never: neverOwnContainerd},
	"containerdconf/ignored-key":               {never: neverOwnContainerd},
	"containerdconf/removed-runtime-keys":      {never: neverOwnContainerd},
	"containerdconf/runtime-type-missing":      {never: neverOwnContainerd},
	"containerdconf/systemd-cgroup-missing":    {never: neverOwnContainerd},
	"containerdconf/version-missing":           {never: neverOwnContainerd},
	"containerdconf/keys-of-other-version":     {never: neverOwnContainerd},

	// cost
	"cost/guide-flat-price": {mutate: func(b *blueprint.Blueprint) { b.Pricing.Table = blueprint.PricingGuideFlat }},
	"cost/vcpu-mismatch":    {mutate: func(b *blueprint.Blueprint) { b.NodePools[0].CPU.DeclaredVCPUs = 100 }},

	// dnsplan
	"dnsplan/broad-forward": {mutate: func(b *blueprint.Blueprint) {
		b.DNS.ForwardToAWS = []dnsplan.Domain{dnsplan.MustParseDomain("eks.amazonaws.com")}
	}},
	"dnsplan/corefile-bad-key":           {never: neverOwnCorefile},
	"dnsplan/corefile-duplicate-key":     {never: neverOwnCorefile},
	"dnsplan/corefile-no-ready":          {never: neverOwnCorefile},
	"dnsplan/corefile-forward-upstreams": {never: neverOwnCorefile},
	"dnsplan/corefile-unknown-plugin":    {never: neverOwnCorefile},
	"dnsplan/corefile-duplicate-plugin":  {never: neverOwnCorefile},
	"dnsplan/corefile-forward-args":      {never: neverOwnCorefile},
	"dnsplan/corefile-forward-policy":    {never: neverOwnCorefile},
	"dnsplan/corefile-hostname-upstream": {never: neverOwnCorefile},
	"dnsplan/corefile-file-import":       {never: neverOwnCorefile},
	"dnsplan/dnssec-exceptions":          {mutate: func(*blueprint.Blueprint) {}},
	"dnsplan/endpoint-ip-quota": {mutate: func(b *blueprint.Blueprint) {
		for i := range 5 {
			b.DNS.Inbound.IPs = append(b.DNS.Inbound.IPs, blueprint.EndpointIP{IP: netip.MustParseAddr("10.0.1." + strconv.Itoa(110+i)), Subnet: "private-a"})
		}
	}},
	"dnsplan/forward-first":                      {never: "the blueprint's site resolvers always forward only (forward only; policy is no blueprint field)"},
	"dnsplan/ipv6-endpoint-names":                {never: "the blueprint plans IPv4 clusters only"},
	"dnsplan/local-domain":                       {mutate: func(*blueprint.Blueprint) {}},
	"dnsplan/mixed-cluster-coredns":              {never: "the same advice reaches the report as placement/mixed-cluster (placement.MixedCluster covers CoreDNS placement); the blueprint does not repeat it"},
	"dnsplan/private-endpoint-resolves-publicly": {mutate: func(*blueprint.Blueprint) {}},
	"dnsplan/public-and-private-endpoint": {mutate: func(b *blueprint.Blueprint) {
		b.Cluster.EndpointAccess, b.Cluster.EndpointHost = dnsplan.AccessPublicAndPrivate, dnsplan.Domain{}
	}},
	"dnsplan/rule-loop": {errPath: "dns.zones[0]", mutate: func(b *blueprint.Blueprint) {
		b.DNS.ForwardToAWS = []dnsplan.Domain{dnsplan.MustParseDomain("company.local")}
	}},
	"dnsplan/rule-not-associated": {never: "the blueprint associates every Resolver rule with its VPC"},
	"dnsplan/single-availability-zone": {mutate: func(b *blueprint.Blueprint) {
		b.DNS.Inbound.IPs[1] = blueprint.EndpointIP{IP: netip.MustParseAddr("10.0.1.102"), Subnet: "private-a"}
	}},
	"dnsplan/system-rule-outside-forward": {never: "the blueprint writes FORWARD rules only"},

	// gpu
	"gpu/containerd-config-version":  {mutate: func(*blueprint.Blueprint) {}},
	"gpu/containerd-kubernetes-skew": {mutate: func(b *blueprint.Blueprint) { b.NodePools[0].ContainerdVersion = "1.6.20" }},
	"gpu/containerd-too-old":         {errPath: "nodePools[0].containerdVersion", mutate: func(b *blueprint.Blueprint) { b.NodePools[0].ContainerdVersion = "1.5.9" }},
	"gpu/driver-too-old":             {errPath: "nodePools[0].driverVersion", mutate: func(b *blueprint.Blueprint) { b.NodePools[0].DriverVersion = "470.82.01" }},
	"gpu/kernel-too-old-for-cilium":  {never: "the blueprint has no kernel version field; gpu.CheckHost sees the OS only"},
	"gpu/mps-control-daemon":         {mutate: func(b *blueprint.Blueprint) { b.GPUSharing = &blueprint.GPUSharing{Strategy: "mps", Replicas: 2} }},
	"gpu/nvidia-not-default":         {never: neverOwnContainerd},
	"gpu/no-nvidia-runtime":          {never: neverOwnContainerd},
	"gpu/os-limited-support":         {mutate: setOS("al2023")},
	"gpu/os-unsupported":             {errPath: "nodePools[0].os", mutate: setOS("ubuntu-18.04")},
	"gpu/outdated-device-plugin":     {never: "the blueprint renders the device plugin at gpu.DevicePluginVersion; no field sets its image"},
	"gpu/runtime-class-needed":       {never: neverOwnContainerd},
	"gpu/shared-multi-request": {mutate: func(b *blueprint.Blueprint) {
		b.GPUSharing = &blueprint.GPUSharing{Strategy: "time-slicing", Replicas: 2}
	}},
	"gpu/toolkit-dropin-path":     {never: "the blueprint has no NVIDIA Container Toolkit version field"},
	"gpu/toolkit-runtime-type":    {never: "the blueprint has no NVIDIA Container Toolkit version field"},
	"gpu/toolkit-cannot-write-v3": {never: "the blueprint has no NVIDIA Container Toolkit version field"},
	"gpu/unknown-model":           {errPath: "nodePools[0].gpu.model", mutate: func(b *blueprint.Blueprint) { b.NodePools[0].GPU.Model = "a100" }},
	"gpu/unparsable-version":      {errPath: "nodePools[0].driverVersion", mutate: func(b *blueprint.Blueprint) { b.NodePools[0].DriverVersion = "five-fifty" }},

	// netplan
	"firewall/api-port-6443": {never: neverOwnRules},
	"netplan/cgnat-remote-network": {mutate: func(b *blueprint.Blueprint) {
		b.Site.RemoteNodeNetwork, b.NodePools[0].FirstAddress = netip.MustParsePrefix("100.64.10.0/24"), netip.MustParseAddr("100.64.10.11")
	}},
	"netplan/cni-default-pool":    {mutate: func(b *blueprint.Blueprint) { b.CNI = netplan.CNICalico }},
	"firewall/calico-9099":        {never: neverOwnRules},
	"netplan/dx-allowed-prefixes": {mutate: func(*blueprint.Blueprint) {}},
	"netplan/docker-bridge-range": {mutate: func(b *blueprint.Blueprint) {
		b.Site.RemotePodNetwork = netip.MustParsePrefix("172.17.0.0/16")
	}},
	"firewall/istio-15004":       {never: neverOwnRules},
	"firewall/istio-in-pod-port": {never: neverOwnRules},
	"firewall/flow-not-allowed":  {never: "the blueprint writes a rule for every flow it derives; TestEveryFlowHasItsRule removes each rule in turn and sees the check report its flow"},
	"netpath/below-baseline": {mutate: func(b *blueprint.Blueprint) {
		b.Connectivity.Measurement = &netpath.Measurement{Latency: 20 * time.Millisecond, Measured: []string{"latency"}}
	}},
	"netpath/jumbo-frames-claim":      {mutate: func(b *blueprint.Blueprint) { b.Site.NodeMTU = 9000 }},
	"firewall/kubelet-port-direction": {never: neverOwnRules},
	"netplan/no-remote-pod-network":   {errPath: "site.remotePodNetwork", mutate: func(b *blueprint.Blueprint) { b.Site.RemotePodNetwork = netip.Prefix{} }},
	"netpath/node-mtu-above-path":     {mutate: func(b *blueprint.Blueprint) { b.Site.NodeMTU = 9000 }},
	"firewall/on-prem-security-group": {never: "the blueprint's security group names the remote networks by CIDR; the renderer refuses an on-premises peer"},
	"netplan/pod-capacity":            {errPath: "site.remotePodNetwork", mutate: func(b *blueprint.Blueprint) { b.Site.RemotePodNetwork = netip.MustParsePrefix("10.244.0.0/21") }},
	"netplan/pod-network-over-on-prem": {mutate: func(b *blueprint.Blueprint) {
		b.Site.RemotePodNetwork = netip.MustParsePrefix("192.168.128.0/17")
	}},
	"netplan/small-cluster-subnets": {mutate: func(b *blueprint.Blueprint) {
		b.VPC.Subnets[1].CIDR = netip.MustParsePrefix("10.0.2.0/28")
		b.DNS.Inbound.IPs[1].IP, b.DNS.Outbound.IPs[1].IP = netip.MustParseAddr("10.0.2.10"), netip.MustParseAddr("10.0.2.11")
	}},
	"netplan/vpn-needs-bgp": {mutate: func(b *blueprint.Blueprint) {
		b.Connectivity.Connection, b.Connectivity.DirectConnect = netplan.ConnectionVPN, nil
		b.Connectivity.VPN = &netplan.VPN{CustomerGatewayIP: netip.MustParseAddr("203.0.113.10"), CustomerASN: 65010}
		b.Site.NodeMTU = 1500
	}},

	// nodeconfig
	"nodeconfig/cgroup-driver":            {never: neverOwnNodeConfig},
	"nodeconfig/cluster-dns-outside-cidr": {never: neverOwnNodeConfig},
	"nodeconfig/containerd-dropin":        {never: neverOwnNodeConfig},
	"nodeconfig/iam-ra-default-paths":     {never: neverOwnNodeConfig},
	"nodeconfig/key-spelling":             {never: "only nodeconfig.Parse reports it, on YAML keys nodeadm folds by case; the blueprint's NodeConfigs are built, not parsed"},
	"nodeconfig/label-set-by-nodeadm": {mutate: func(b *blueprint.Blueprint) {
		b.NodePools[0].Labels = map[string]string{"eks.amazonaws.com/compute-type": "hybrid"}
	}},
	"nodeconfig/local-storage-ignored":        {never: neverOwnNodeConfig},
	"nodeconfig/memory-manager-static":        {never: neverOwnNodeConfig},
	"nodeconfig/outdated-image":               {never: neverOwnNodeConfig},
	"nodeconfig/enable-outpost-false":         {never: neverOwnNodeConfig},
	"nodeconfig/reserved-cpus-with-cgroups":   {never: neverOwnNodeConfig},
	"nodeconfig/topology-without-cpu-manager": {never: neverOwnNodeConfig},

	// placement
	"placement/autoscaler-version":       {never: "the blueprint's Cluster Autoscaler takes its image from the table of the cluster's minor"},
	"placement/autoscaler-discovery":     {never: "the blueprint's Cluster Autoscaler discovers its groups by the cluster's own tag"},
	"placement/autoscaler-hybrid-nodes":  {never: "the blueprint's Cluster Autoscaler scales cloud node groups only (placement.Autoscaler.ScaleHybridNodes is no blueprint field)"},
	"placement/extended-resource-limits": {never: neverOwnPodSpec},
	"placement/gpu-without-toleration":   {never: neverOwnPodSpec},
	"placement/unpinned-image":           {mutate: func(b *blueprint.Blueprint) { b.Workloads.WebImage = "nginx" }},
	"placement/mixed-cluster":            {mutate: func(*blueprint.Blueprint) {}},
	"placement/compute-type-ec2":         {never: neverOwnPodSpec},
	"placement/selector-matches-no-node": {never: neverOwnPodSpec},

	// storage
	"storage/firewall-missing":  {never: "the blueprint adds firewall.NFSProfile for every export and refuses a plan whose rules lack an NFS flow, before storage.CheckPath runs"},
	"storage/intr-ignored":      {never: neverOwnMounts},
	"storage/nfsv3-over-wan":    {mutate: func(b *blueprint.Blueprint) { b.Storage[0].NFSVersion = 3 }},
	"storage/nconnect-kernel":   {never: neverOwnMounts},
	"storage/no-nfs-version":    {never: neverOwnMounts},
	"storage/path-mtu":          {mutate: func(b *blueprint.Blueprint) { b.Storage[0].Server = netip.MustParseAddr("10.0.1.200") }},
	"storage/path-not-measured": {mutate: func(*blueprint.Blueprint) {}},
	"storage/path-below-baseline": {mutate: func(b *blueprint.Blueprint) {
		b.Storage[0].Measurement = &netpath.Measurement{Latency: 30_000_000, Bandwidth: 1_000_000_000, Measured: []string{"latency", "bandwidth"}}
	}},
	"storage/reclaim-delete":    {never: "the blueprint's volumes keep the Retain reclaim policy"},
	"storage/small-rsize-wsize": {never: neverOwnMounts},
	"storage/soft-mount-write":  {never: neverOwnMounts},
	"storage/udp-transport":     {never: neverOwnMounts},
}

// TestEveryFindingCodeReachesTheBlueprint checks that each finding code a
// library package declares is classified in codeReach, and that each
// classification holds: the mutation yields the code among Render's
// findings, or Render refuses it at errPath, and the "never" reasons stay
// few enough to read.
func TestEveryFindingCodeReachesTheBlueprint(t *testing.T) {
	declared := declaredCodes(t)
	for _, c := range declared {
		if _, ok := codeReach[c]; !ok {
			t.Errorf("finding code %q is not classified in codeReach: show how a blueprint yields it, or why none can", c)
		}
	}
	for c, r := range codeReach {
		if !slices.Contains(declared, c) {
			t.Errorf("codeReach classifies %q, which no package declares", c)
			continue
		}
		t.Run(c, func(t *testing.T) {
			if r.never != "" {
				if r.mutate != nil || r.errPath != "" {
					t.Fatal("a code is either reachable or never")
				}
				return
			}
			b := blueprint.Reference()
			r.mutate(&b)
			_, findings, err := blueprint.Render(b)
			if r.errPath != "" {
				var paths []string
				for _, e := range ivalidation.FieldErrors(err) {
					paths = append(paths, e.Field)
				}
				if !slices.Contains(paths, r.errPath) {
					t.Errorf("want an error at %s, got %v", r.errPath, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(findings, func(f advice.Finding) bool { return string(f.Code) == c })
			if i < 0 {
				var codes []advice.Code
				for _, f := range findings {
					codes = append(codes, f.Code)
				}
				t.Fatalf("no %s finding among %v", c, codes)
			}
			f := findings[i]
			if !strings.HasPrefix(f.Ref, "https://") {
				t.Errorf("%s: source %q is not a public URL", c, f.Ref)
			}
		})
	}
}

// codePattern is the shape of a finding code: package/kebab-case.
var codePattern = regexp.MustCompile(`^[a-z]+/[a-z0-9-]+$`)

// declaredCodes returns the finding codes the module's library packages
// declare: constants named Code… and Code fields of advice.Finding
// literals, in the source outside tests, examples and the lab.
func declaredCodes(t *testing.T) []string {
	t.Helper()
	var codes []string
	add := func(e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && codePattern.MatchString(s) && !slices.Contains(codes, s) {
				codes = append(codes, s)
			}
		}
	}
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "lab" || rel == "examples" || rel == "testdata" || strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if strings.HasPrefix(name.Name, "Code") && i < len(n.Values) {
						add(n.Values[i])
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Code" {
					add(n.Value)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(codes)
	if len(codes) < 50 {
		t.Fatalf("found only %d codes: the walk is broken", len(codes))
	}
	return codes
}
