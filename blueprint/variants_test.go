package blueprint_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/storage"
)

// rolesAnywhere gives b IAM Roles Anywhere credentials (no node limit).
func rolesAnywhere(b *blueprint.Blueprint) {
	region := b.Cluster.Region
	b.Credentials = blueprint.Credentials{Provider: nodeconfig.ProviderIAMRolesAnywhere, IAMRolesAnywhere: &blueprint.RolesAnywhereCredentials{
		TrustAnchorARN: "arn:aws:rolesanywhere:" + region + ":111122223333:trust-anchor/1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
		ProfileARN:     "arn:aws:rolesanywhere:" + region + ":111122223333:profile/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
	}}
}

// variants are deployments other than the reference, one of each kind a
// new user tries: their YAML is kept in testdata/variants.
func variants() map[string]blueprint.Blueprint {
	d := dnsplan.MustParseDomain
	a := netip.MustParseAddr
	p := netip.MustParsePrefix
	out := map[string]blueprint.Blueprint{}

	vpn := blueprint.Reference()
	vpn.CNI = netplan.CNICalico
	vpn.Connectivity = blueprint.Connectivity{Connection: netplan.ConnectionVPN, BandwidthGbps: 1,
		VPN: &netplan.VPN{CustomerGatewayIP: a("203.0.113.10"), CustomerASN: 65010}}
	vpn.Site.NodeMTU = 1500
	rolesAnywhere(&vpn)
	out["vpn-calico-iam-roles-anywhere"] = vpn

	mixed := blueprint.Reference()
	mixed.NodePools = []blueprint.NodePool{
		{Name: "h100", Count: 4, HostnamePattern: "h100-%02d", FirstAddress: a("192.168.10.11"), GPU: &blueprint.GPU{Model: "h100", Count: 8},
			CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, OS: "ubuntu-22.04", DriverVersion: "550.127.05", ContainerdVersion: "1.7.27"},
		{Name: "h200", Count: 3, HostnamePattern: "h200-%02d", FirstAddress: a("192.168.10.41"), GPU: &blueprint.GPU{Model: "h200", Count: 8},
			CPU: cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2}, OS: "ubuntu-24.04", DriverVersion: "570.86.15", ContainerdVersion: "1.7.27"},
		{Name: "cpu", Count: 5, HostnamePattern: "cpu-%02d", FirstAddress: a("192.168.10.71"),
			CPU: cost.Processors{Model: "EPYC 9654", Sockets: 1}, OS: "rhel-9", ContainerdVersion: "1.7.27", Labels: map[string]string{"workload": "batch"}},
	}
	out["mixed-h100-h200-cpu"] = mixed

	east := blueprint.Reference()
	east.Cluster.Region, east.Cluster.EndpointHost = "us-east-1", dnsplan.MustParseDomain("0123456789abcdef0123456789abcdef.gr7.us-east-1.eks.amazonaws.com")
	east.VPC.Subnets = []blueprint.Subnet{
		{Name: "private-a", ID: "subnet-0aaaaaaaaaaaaaaa1", CIDR: p("10.0.1.0/24"), AZ: "us-east-1a", RouteTableID: "rtb-0aaaaaaaaaaaaaaa1"},
		{Name: "private-b", ID: "subnet-0bbbbbbbbbbbbbbb2", CIDR: p("10.0.2.0/24"), AZ: "us-east-1b", RouteTableID: "rtb-0bbbbbbbbbbbbbbb2"},
		{Name: "private-c", ID: "subnet-0ccccccccccccccc3", CIDR: p("10.0.3.0/24"), AZ: "us-east-1c", RouteTableID: "rtb-0ccccccccccccccc3"},
		{Name: "endpoints-a", ID: "subnet-0ddddddddddddddd4", CIDR: p("10.0.4.0/24"), AZ: "us-east-1a", RouteTableID: "rtb-0aaaaaaaaaaaaaaa1"},
	}
	east.DNS.Inbound.IPs = []blueprint.EndpointIP{{IP: a("10.0.1.100"), Subnet: "private-a"}, {IP: a("10.0.2.100"), Subnet: "private-b"}}
	east.DNS.Outbound.IPs = []blueprint.EndpointIP{{IP: a("10.0.4.101"), Subnet: "endpoints-a"}, {IP: a("10.0.3.101"), Subnet: "private-c"}}
	east.Site.Networks = []netip.Prefix{p("192.168.0.0/16"), p("172.20.0.0/16"), p("10.50.0.0/16")}
	east.Storage[0].Server = a("172.20.5.10")
	east.Pricing.Currency, east.Pricing.CurrencyRate = "", ""
	out["us-east-1-three-azs"] = east

	public := blueprint.Reference()
	public.Cluster.EndpointAccess = dnsplan.AccessPublicAndPrivate
	public.NodePools[0].ContainerdVersion = "2.1.3"
	public.Site.NodeMTU = 9000
	out["public-and-private-containerd2"] = public

	zones := blueprint.Reference()
	zones.DNS.Zones = []dnsplan.Domain{d("company.local"), d("corp.internal"), d("lab.example.net")}
	zones.DNS.Servers = []netip.Addr{a("192.168.1.53"), a("192.168.1.54"), a("192.168.2.53")}
	out["three-zones-three-servers"] = zones

	big := blueprint.Reference()
	rolesAnywhere(&big)
	big.Site.RemoteNodeNetwork, big.Site.RemotePodNetwork = p("192.168.16.0/22"), p("10.128.0.0/12")
	big.NodePools[0].Count, big.NodePools[0].FirstAddress = 200, a("192.168.16.10")
	big.Storage = []blueprint.Export{
		{Name: "datasets", Server: a("192.168.1.100"), Path: "/export/datasets", Capacity: "100Ti", Namespace: "ml", Placement: storage.Anywhere, NFSVersion: 4},
		{Name: "scratch", Server: a("192.168.1.101"), Path: "/export/scratch", Capacity: "10Ti", Namespace: "ml", Placement: storage.HybridOnly, NFSVersion: 3},
		{Name: "results", Server: a("192.168.1.102"), Path: "/export/results", Capacity: "5Ti", Namespace: "ml", Placement: storage.CloudOnly, CSI: true},
	}
	out["200-nodes-nfs4-nfs3-csi"] = big
	return out
}

// TestVariantsRenderPlansThatWork renders every variant (kept as YAML in
// testdata/variants and parsed back from there), passes every file to its
// consumer, and checks the plan holds together: each destination the VPC
// sends traffic to is routed from every route table and announced by the
// site; every pool's nodes carry their labels, taints and firewall rules;
// every zone reaches every renderer that should carry it; the pools' costs
// add up to the bill.
func TestVariantsRenderPlansThatWork(t *testing.T) {
	for name, v := range variants() {
		t.Run(name, func(t *testing.T) {
			y, err := blueprint.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, "variants/"+name+".yaml", y)
			b, err := blueprint.Parse(testkit.ReadTestdata(t, "variants/"+name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			bundle, findings, err := blueprint.Render(b)
			if err != nil {
				t.Fatal(err)
			}
			// Every flow the plan's configs make has its firewall rule, and
			// nothing else breaks the deployment either.
			for _, f := range findings {
				if f.Level == advice.Error {
					t.Errorf("error finding: %s", f)
				}
			}
			checkConsumers(t, bundle)
			var plan blueprint.Plan
			f, _ := bundle.File("plan.json")
			if err := json.Unmarshal(f.Content, &plan); err != nil {
				t.Fatal(err)
			}
			b.Default()
			checkRouted(t, b, plan)
			checkPools(t, b, bundle, plan)
			checkZones(t, b, bundle)
			checkCostsAddUp(t, plan.Cost)
			checkCNIMTU(t, b, bundle, plan)
		})
	}
}

// checkRouted: the remote networks, the site DNS servers (when there are
// zones to forward) and every NFS server cloud nodes mount have a route in
// every route table of the VPC, and the site announces them.
func checkRouted(t *testing.T, b blueprint.Blueprint, plan blueprint.Plan) {
	t.Helper()
	type dest struct {
		addr netip.Addr
		why  string
	}
	dests := []dest{{b.Site.RemoteNodeNetwork.Addr(), "the remote node network"}, {b.Site.RemotePodNetwork.Addr(), "the remote pod network"}}
	if len(b.DNS.Zones) > 0 {
		for _, s := range b.DNS.Servers {
			dests = append(dests, dest{s, "the site DNS server " + s.String()})
		}
	}
	for i, e := range b.Storage {
		if e.Placement != storage.HybridOnly {
			dests = append(dests, dest{e.Server, fmt.Sprintf("the NFS server of storage[%d]", i)})
		}
	}
	var tables []string
	for _, s := range b.VPC.Subnets {
		if !slices.Contains(tables, s.RouteTableID) {
			tables = append(tables, s.RouteTableID)
		}
	}
	for _, d := range dests {
		for _, rtb := range tables {
			if !slices.ContainsFunc(plan.Routing.VPCRoutes, func(r netplan.VPCRoute) bool {
				return r.RouteTableID == rtb && r.Destination.Contains(d.addr) && r.Target == "transit-gateway"
			}) {
				t.Errorf("%s is not routed to the Transit Gateway from %s", d.why, rtb)
			}
		}
		if !slices.ContainsFunc(plan.Routing.SiteMustAdvertise, func(p netip.Prefix) bool { return p.Contains(d.addr) }) {
			t.Errorf("the site is not told to announce %s", d.why)
		}
	}
}

// checkPools: every node of every pool has a NodeConfig with the pool's
// labels and the site zone, GPU pools the GPU taint; the firewall lets the
// control plane reach every node's kubelet.
func checkPools(t *testing.T, b blueprint.Blueprint, bundle blueprint.Bundle, plan blueprint.Plan) {
	t.Helper()
	byName := map[string]blueprint.PlannedNode{}
	for _, n := range plan.Nodes {
		byName[n.Name] = n
	}
	total := 0
	for _, p := range b.NodePools {
		total += p.Count
	}
	if len(plan.Nodes) != total {
		t.Errorf("%d planned nodes, the pools have %d", len(plan.Nodes), total)
	}
	for _, n := range plan.Nodes {
		f, ok := bundle.File("nodeconfigs/" + n.Name + ".yaml")
		if !ok {
			t.Errorf("%s has no NodeConfig", n.Name)
			continue
		}
		c, err := nodeconfig.Parse(f.Content)
		if err != nil {
			t.Fatal(err)
		}
		pool := b.NodePools[slices.IndexFunc(b.NodePools, func(p blueprint.NodePool) bool { return p.Name == n.Pool })]
		l := c.Spec.Kubelet.NodeLabels
		if l["topology.kubernetes.io/zone"] != b.Site.Zone {
			t.Errorf("%s: zone label %q", n.Name, l["topology.kubernetes.io/zone"])
		}
		for k, v := range pool.Labels {
			if l[k] != v {
				t.Errorf("%s: label %s=%q, the pool says %q", n.Name, k, l[k], v)
			}
		}
		gpuTaint := slices.ContainsFunc(c.Spec.Kubelet.Taints, func(tn corev1.Taint) bool { return tn.Key == "nvidia.com/gpu" })
		if gpuTaint != (pool.GPU != nil) {
			t.Errorf("%s: GPU taint %v, pool has GPUs %v", n.Name, gpuTaint, pool.GPU != nil)
		}
		// The rules name the remote node network; the node must be in it.
		if !b.Site.RemoteNodeNetwork.Contains(n.Address) || !plan.Firewall.Allows(firewall.ProtoTCP, firewall.Port(10250), firewall.PeerClusterENIs(), firewall.PeerRole(netplan.RoleRemoteNode)) {
			t.Errorf("%s (%s): no rule lets the control plane reach its kubelet", n.Name, n.Address)
		}
	}
}

// checkZones: every on-premises zone is a Resolver rule, a CoreDNS stub
// domain and a routing domain of the nodes' resolver.
func checkZones(t *testing.T, b blueprint.Blueprint, bundle blueprint.Bundle) {
	t.Helper()
	rules, _ := bundle.File("aws/route53-resolver.json")
	corefile, _ := bundle.File("dns/Corefile")
	cf, err := dnsplan.ParseCorefile(corefile.Content)
	if err != nil {
		t.Fatal(err)
	}
	resolved, _ := bundle.File("dns/resolved-hybridkit.conf")
	for _, z := range b.DNS.Zones {
		if !strings.Contains(string(rules.Content), `"`+z.String()+`"`) && !strings.Contains(string(rules.Content), `"`+z.FQDN()+`"`) {
			t.Errorf("zone %s has no Resolver rule", z)
		}
		if !slices.ContainsFunc(cf.Blocks, func(sb dnsplan.ServerBlock) bool {
			return slices.ContainsFunc(sb.Keys, func(k string) bool { return strings.TrimSuffix(strings.TrimSuffix(k, ":53"), ".") == z.String() })
		}) {
			t.Errorf("zone %s has no CoreDNS stub domain", z)
		}
		if !strings.Contains(string(resolved.Content), "~"+z.String()) {
			t.Errorf("zone %s is not a routing domain of the nodes' resolver", z)
		}
	}
}

// checkCostsAddUp: the pools' shares add up to the hybrid-nodes bill.
func checkCostsAddUp(t *testing.T, e cost.Estimate) {
	t.Helper()
	var sum cost.Money
	for _, g := range e.Groups {
		sum += g.HybridNodes
	}
	if sum != e.HybridNodes || len(e.Groups) == 0 {
		t.Errorf("the pools' costs add up to %s; the bill is %s", sum, e.HybridNodes)
	}
}

// checkCNIMTU: when the nodes' MTU is above the path's, the CNI's values
// carry the MTU, so pods do not send what the path drops: Cilium the
// underlying network's (the path MTU), Calico the pods' (the pod MTU).
func checkCNIMTU(t *testing.T, b blueprint.Blueprint, bundle blueprint.Bundle, plan blueprint.Plan) {
	t.Helper()
	var values map[string]any
	path, key := "kubernetes/cilium-values.yaml", "MTU"
	want := plan.Path.MTU
	if b.CNI == netplan.CNICalico {
		path, want = "kubernetes/calico-values.yaml", plan.Path.PodMTU
	}
	f, ok := bundle.File(path)
	if !ok {
		t.Fatalf("no %s", path)
	}
	if err := yaml.UnmarshalStrict(f.Content, &values); err != nil {
		t.Fatal(err)
	}
	got := values[key]
	if b.CNI == netplan.CNICalico {
		got = values["installation"].(map[string]any)["calicoNetwork"].(map[string]any)["mtu"]
	}
	if b.Site.NodeMTU > plan.Path.MTU {
		if n, ok := got.(float64); !ok || int(n) != want {
			t.Errorf("node MTU %d over the path's %d: %s sets %v, want %d", b.Site.NodeMTU, plan.Path.MTU, path, got, want)
		}
	} else if got != nil {
		t.Errorf("%s sets an MTU (%v) the nodes' own already fits", path, got)
	}
}
