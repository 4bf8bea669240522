package blueprint_test

import (
	"encoding"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
)

// schemaSegment is one step of a field path: a JSON name, an index or a
// map key.
type schemaSegment struct {
	name  string
	index bool // [n] or [key]
}

// parseFieldPath splits "nodePools[0].labels[a.b/c].x" into its steps.
// Map keys may hold dots, so brackets are matched.
func parseFieldPath(p string) []schemaSegment {
	var out []schemaSegment
	for p != "" {
		switch {
		case p[0] == '.':
			p = p[1:]
		case p[0] == '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return append(out, schemaSegment{name: p})
			}
			out = append(out, schemaSegment{name: p[1:end], index: true})
			p = p[end+1:]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			out = append(out, schemaSegment{name: p[:end]})
			p = p[end:]
		}
	}
	return out
}

var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

// isLeaf reports whether values of t are written as one YAML scalar.
func isLeaf(t reflect.Type) bool {
	if t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) || t == reflect.TypeFor[time.Duration]() {
		return true
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Map, reflect.Pointer:
		return false
	}
	return true
}

// jsonField finds the field of struct t named name in JSON.
func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name && f.IsExported() {
			return f.Type, true
		}
	}
	return nil, false
}

// inSchema reports whether path names a field of the blueprint's YAML
// schema (an empty path is the whole blueprint).
func inSchema(path string) bool {
	t := reflect.TypeFor[blueprint.Blueprint]()
	for _, s := range parseFieldPath(path) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case s.index && t.Kind() == reflect.Slice:
			if _, err := strconv.Atoi(s.name); err != nil {
				return false
			}
			t = t.Elem()
		case s.index && t.Kind() == reflect.Map:
			t = t.Elem()
		case !s.index && t.Kind() == reflect.Struct && !isLeaf(t):
			ft, ok := jsonField(t, s.name)
			if !ok {
				return false
			}
			t = ft
		default:
			return false
		}
	}
	return true
}

// schemaLeaves lists every scalar field of the schema, slices and maps at
// [0] and [key].
func schemaLeaves(t reflect.Type, prefix string, out *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case isLeaf(t):
		*out = append(*out, prefix)
	case t.Kind() == reflect.Slice:
		schemaLeaves(t.Elem(), prefix+"[0]", out)
	case t.Kind() == reflect.Map:
		schemaLeaves(t.Elem(), prefix+"[key]", out)
	case t.Kind() == reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" || name == "" {
				continue
			}
			p := name
			if prefix != "" {
				p = prefix + "." + name
			}
			schemaLeaves(f.Type, p, out)
		}
	}
}

// withVPN switches b to a Site-to-Site VPN.
func withVPN(b *blueprint.Blueprint) {
	b.Connectivity.Connection, b.Connectivity.DirectConnect = netplan.ConnectionVPN, nil
	b.Connectivity.VPN = &netplan.VPN{CustomerGatewayIP: netip.MustParseAddr("203.0.113.10"), CustomerASN: 65010}
}

// invalidFields has, for every field of the schema that has an invalid
// value, a blueprint holding one and the path Render must name.
var invalidFields = []struct {
	field  string // the schema leaf, slices at [0]
	path   string // the error path wanted
	mutate func(*blueprint.Blueprint)
}{
	{"cluster.name", "cluster.name", func(b *blueprint.Blueprint) { b.Cluster.Name = "-x" }},
	{"cluster.region", "cluster.region", func(b *blueprint.Blueprint) { b.Cluster.Region = "korea" }},
	{"cluster.accountId", "cluster.accountId", func(b *blueprint.Blueprint) { b.Cluster.AccountID = "1234" }},
	{"cluster.kubernetesVersion", "cluster.kubernetesVersion", func(b *blueprint.Blueprint) { b.Cluster.KubernetesVersion = "1.20" }},
	{"cluster.endpointAccess", "cluster.endpointAccess", func(b *blueprint.Blueprint) { b.Cluster.EndpointAccess = "internal" }},
	{"cluster.endpointHost", "cluster.endpointHost", func(b *blueprint.Blueprint) {
		b.Cluster.EndpointHost = dnsplan.MustParseDomain("my-service.eks.amazonaws.com")
	}},
	{"cluster.serviceCidr", "cluster.serviceCidr", func(b *blueprint.Blueprint) { b.Cluster.ServiceCIDR = netip.MustParsePrefix("100.96.0.0/16") }},
	{"vpc.id", "vpc.id", func(b *blueprint.Blueprint) { b.VPC.ID = "vpc-x" }},
	{"vpc.cidr", "vpc.cidr", func(b *blueprint.Blueprint) { b.VPC.CIDR = netip.MustParsePrefix("10.0.0.0/8") }},
	{"vpc.subnets[0].name", "vpc.subnets[1].name", func(b *blueprint.Blueprint) { b.VPC.Subnets[1].Name = "private-a" }},
	{"vpc.subnets[0].id", "vpc.subnets[0].id", func(b *blueprint.Blueprint) { b.VPC.Subnets[0].ID = "sg-0aaaaaaaaaaaaaaa1" }},
	{"vpc.subnets[0].cidr", "vpc.subnets[1].cidr", func(b *blueprint.Blueprint) { b.VPC.Subnets[1].CIDR = netip.MustParsePrefix("10.1.2.0/24") }},
	{"vpc.subnets[0].az", "vpc.subnets[1].az", func(b *blueprint.Blueprint) { b.VPC.Subnets[1].AZ = "us-east-1a" }},
	{"vpc.subnets[0].routeTableId", "vpc.subnets[0].routeTableId", func(b *blueprint.Blueprint) { b.VPC.Subnets[0].RouteTableID = "rtb-1" }},
	{"site.zone", "site.zone", func(b *blueprint.Blueprint) { b.Site.Zone = "on prem" }},
	{"site.networks[0]", "site.networks[1]", func(b *blueprint.Blueprint) {
		b.Site.Networks = append(b.Site.Networks, netip.MustParsePrefix("10.0.0.0/24"))
	}},
	{"site.remoteNodeNetwork", "site.remoteNodeNetwork", func(b *blueprint.Blueprint) { b.Site.RemoteNodeNetwork = netip.MustParsePrefix("8.8.8.0/24") }},
	{"site.remotePodNetwork", "site.remotePodNetwork", func(b *blueprint.Blueprint) { b.Site.RemotePodNetwork = netip.MustParsePrefix("10.0.128.0/17") }},
	{"site.nodeMtu", "site.nodeMtu", func(b *blueprint.Blueprint) { b.Site.NodeMTU = 1200 }},
	{"connectivity.connection", "connectivity.connection", func(b *blueprint.Blueprint) { b.Connectivity.Connection = "internet" }},
	{"connectivity.transitGatewayAsn", "connectivity.transitGatewayAsn", func(b *blueprint.Blueprint) { b.Connectivity.TransitGatewayASN = 100 }},
	{"connectivity.directConnect.gatewayName", "connectivity.directConnect.gatewayName", func(b *blueprint.Blueprint) { b.Connectivity.DirectConnect.GatewayName = "dx/gw" }},
	{"connectivity.directConnect.asn", "connectivity.directConnect.asn", func(b *blueprint.Blueprint) { b.Connectivity.DirectConnect.ASN = 64512 }},
	{"connectivity.directConnect.vif", "connectivity.directConnect.vif", func(b *blueprint.Blueprint) { b.Connectivity.DirectConnect.VIF = "public" }},
	{"connectivity.directConnect.vifMtu", "connectivity.directConnect.vifMtu", func(b *blueprint.Blueprint) { b.Connectivity.DirectConnect.VIFMTU = 9001 }},
	{"connectivity.vpn.customerGatewayIp", "connectivity.vpn.customerGatewayIp", func(b *blueprint.Blueprint) {
		withVPN(b)
		b.Connectivity.VPN.CustomerGatewayIP = netip.MustParseAddr("192.168.0.1")
	}},
	{"connectivity.vpn.customerAsn", "connectivity.vpn.customerAsn", func(b *blueprint.Blueprint) { withVPN(b); b.Connectivity.VPN.CustomerASN = 64512 }},
	{"connectivity.vpn.tunnelInsideCidrs[0]", "connectivity.vpn.tunnelInsideCidrs[0]", func(b *blueprint.Blueprint) {
		withVPN(b)
		b.Connectivity.VPN.TunnelInsideCIDRs = []netip.Prefix{netip.MustParsePrefix("169.254.0.0/30"), netip.MustParsePrefix("169.254.10.0/30")}
	}},
	{"connectivity.bandwidthGbps", "connectivity.bandwidthGbps", func(b *blueprint.Blueprint) { b.Connectivity.BandwidthGbps = 1000 }},
	{"connectivity.measurement.latency", "connectivity.measurement.latency", func(b *blueprint.Blueprint) {
		b.Connectivity.Measurement = &netpath.Measurement{Latency: -time.Millisecond}
	}},
	{"connectivity.measurement.jitter", "connectivity.measurement.jitter", func(b *blueprint.Blueprint) {
		b.Connectivity.Measurement = &netpath.Measurement{Jitter: -time.Millisecond}
	}},
	{"connectivity.measurement.lossPpm", "connectivity.measurement.lossPpm", func(b *blueprint.Blueprint) {
		b.Connectivity.Measurement = &netpath.Measurement{LossPPM: 2_000_000}
	}},
	{"connectivity.measurement.bandwidthBps", "connectivity.measurement.bandwidthBps", func(b *blueprint.Blueprint) {
		b.Connectivity.Measurement = &netpath.Measurement{Bandwidth: -1}
	}},
	{"connectivity.measurement.retransmits", "connectivity.measurement.retransmits", func(b *blueprint.Blueprint) {
		b.Connectivity.Measurement = &netpath.Measurement{Retransmits: -1}
	}},
	{"connectivity.measurement.measured[0]", "connectivity.measurement.measured[0]", func(b *blueprint.Blueprint) {
		b.Connectivity.Measurement = &netpath.Measurement{Measured: []string{"throughput"}}
	}},
	{"connectivity.mtuProbe", "connectivity.mtuProbe", func(b *blueprint.Blueprint) { b.Connectivity.MTUProbe = netip.MustParseAddr("192.168.1.1") }},
	{"cni", "cni", func(b *blueprint.Blueprint) { b.CNI = "flannel" }},
	{"dns.zones[0]", "dns.zones[0]", func(b *blueprint.Blueprint) { b.DNS.Zones[0] = dnsplan.MustParseDomain("local") }},
	{"dns.servers[0]", "dns.servers[0]", func(b *blueprint.Blueprint) { b.DNS.Servers[0] = netip.MustParseAddr("127.0.0.1") }},
	{"dns.inbound.securityGroupId", "dns.inbound.securityGroupId", func(b *blueprint.Blueprint) { b.DNS.Inbound.SecurityGroupID = "sg-1" }},
	{"dns.inbound.ips[0].ip", "dns.inbound.ips[1].ip", func(b *blueprint.Blueprint) { b.DNS.Inbound.IPs[1].IP = netip.MustParseAddr("10.0.9.100") }},
	{"dns.inbound.ips[0].subnet", "dns.inbound.ips[0].subnet", func(b *blueprint.Blueprint) { b.DNS.Inbound.IPs[0].Subnet = "public-a" }},
	{"dns.outbound.securityGroupId", "dns.outbound.securityGroupId", func(b *blueprint.Blueprint) { b.DNS.Outbound.SecurityGroupID = "" }},
	{"dns.outbound.ips[0].ip", "dns.outbound.ips[0].ip", func(b *blueprint.Blueprint) { b.DNS.Outbound.IPs[0].IP = netip.MustParseAddr("10.0.1.1") }},
	{"dns.outbound.ips[0].subnet", "dns.outbound.ips[0].subnet", func(b *blueprint.Blueprint) { b.DNS.Outbound.IPs[0].Subnet = "" }},
	{"dns.forwardToAws[0]", "dns.zones[0]", func(b *blueprint.Blueprint) {
		b.DNS.ForwardToAWS = []dnsplan.Domain{dnsplan.MustParseDomain("company.local")}
	}},
	{"credentials.provider", "credentials.provider", func(b *blueprint.Blueprint) { b.Credentials.Provider = "password" }},
	{"credentials.ssm.activationId", "credentials.ssm.activationId", func(b *blueprint.Blueprint) { b.Credentials.SSM.ActivationID = "not-a-uuid" }},
	{"credentials.ssm.activationCode", "credentials.ssm.activationCode", func(b *blueprint.Blueprint) { b.Credentials.SSM.ActivationCode = "short" }},
	{"credentials.iamRolesAnywhere.trustAnchorArn", "credentials.iamRolesAnywhere.trustAnchorArn", func(b *blueprint.Blueprint) {
		rolesAnywhere(b)
		b.Credentials.IAMRolesAnywhere.TrustAnchorARN = "arn:aws:iam::111122223333:role/x"
	}},
	{"credentials.iamRolesAnywhere.profileArn", "credentials.iamRolesAnywhere.profileArn", func(b *blueprint.Blueprint) {
		rolesAnywhere(b)
		b.Credentials.IAMRolesAnywhere.ProfileARN = "profile"
	}},
	{"nodePools[0].name", "nodePools[0].name", func(b *blueprint.Blueprint) { b.NodePools[0].Name = "GPU pool" }},
	{"nodePools[0].count", "nodePools[0].count", func(b *blueprint.Blueprint) { b.NodePools[0].Count = 0 }},
	{"nodePools[0].hostnamePattern", "nodePools[0].hostnamePattern", func(b *blueprint.Blueprint) { b.NodePools[0].HostnamePattern = "../gpu-%d" }},
	{"nodePools[0].firstAddress", "nodePools[0].firstAddress", func(b *blueprint.Blueprint) { b.NodePools[0].FirstAddress = netip.MustParseAddr("192.168.10.250") }},
	{"nodePools[0].gpu.model", "nodePools[0].gpu.model", func(b *blueprint.Blueprint) { b.NodePools[0].GPU.Model = "a100" }},
	{"nodePools[0].gpu.count", "nodePools[0].gpu.count", func(b *blueprint.Blueprint) { b.NodePools[0].GPU.Count = 32 }},
	{"nodePools[0].cpu.model", "nodePools[0].cpu.model", func(b *blueprint.Blueprint) { b.NodePools[0].CPU.Model = "Pentium II" }},
	{"nodePools[0].cpu.sockets", "nodePools[0].cpu.sockets", func(b *blueprint.Blueprint) { b.NodePools[0].CPU.Sockets = 0 }},
	{"nodePools[0].cpu.coresPerSocket", "nodePools[0].cpu.coresPerSocket", func(b *blueprint.Blueprint) { b.NodePools[0].CPU.CoresPerSocket = -1 }},
	{"nodePools[0].cpu.threadsPerCore", "nodePools[0].cpu.threadsPerCore", func(b *blueprint.Blueprint) { b.NodePools[0].CPU.ThreadsPerCore = 4 }},
	{"nodePools[0].cpu.declaredVcpus", "nodePools[0].cpu.declaredVcpus", func(b *blueprint.Blueprint) { b.NodePools[0].CPU.DeclaredVCPUs = -1 }},
	{"nodePools[0].os", "nodePools[0].os", func(b *blueprint.Blueprint) { b.NodePools[0].OS = "windows-2022" }},
	{"nodePools[0].driverVersion", "nodePools[0].driverVersion", func(b *blueprint.Blueprint) { b.NodePools[0].DriverVersion = "470.82.01" }},
	{"nodePools[0].containerdVersion", "nodePools[0].containerdVersion", func(b *blueprint.Blueprint) { b.NodePools[0].ContainerdVersion = "1.5.9" }},
	{"nodePools[0].hoursPerMonth", "nodePools[0].hoursPerMonth", func(b *blueprint.Blueprint) { b.NodePools[0].HoursPerMonth = 800 }},
	{"nodePools[0].labels[key]", "nodePools[0].labels[node-role.kubernetes.io/gpu]", func(b *blueprint.Blueprint) {
		b.NodePools[0].Labels = map[string]string{"node-role.kubernetes.io/gpu": ""}
	}},
	{"gpuSharing.strategy", "gpuSharing.strategy", func(b *blueprint.Blueprint) { b.GPUSharing = &blueprint.GPUSharing{Strategy: "mig", Replicas: 4} }},
	{"gpuSharing.replicas", "gpuSharing.replicas", func(b *blueprint.Blueprint) { b.GPUSharing = &blueprint.GPUSharing{Strategy: "mps", Replicas: 1} }},
	{"storage[0].name", "storage[0].name", func(b *blueprint.Blueprint) { b.Storage[0].Name = "Data" }},
	{"storage[0].server", "storage[0].server", func(b *blueprint.Blueprint) { b.Storage[0].Server = netip.MustParseAddr("172.31.5.5") }},
	{"storage[0].path", "storage[0].path", func(b *blueprint.Blueprint) { b.Storage[0].Path = "export/data" }},
	{"storage[0].capacity", "storage[0].capacity", func(b *blueprint.Blueprint) { b.Storage[0].Capacity = "lots" }},
	{"storage[0].namespace", "storage[0].namespace", func(b *blueprint.Blueprint) { b.Storage[0].Namespace = "ML" }},
	{"storage[0].nfsVersion", "storage[0].nfsVersion", func(b *blueprint.Blueprint) { b.Storage[0].NFSVersion = 2 }},
	{"storage[0].placement", "storage[0].placement", func(b *blueprint.Blueprint) { b.Storage[0].Placement = "everywhere" }},
	{"storage[0].measurement.latency", "storage[0].measurement.latency", func(b *blueprint.Blueprint) {
		b.Storage[0].Measurement = &netpath.Measurement{Latency: -time.Second}
	}},
	{"storage[0].measurement.jitter", "storage[0].measurement.jitter", func(b *blueprint.Blueprint) {
		b.Storage[0].Measurement = &netpath.Measurement{Jitter: -time.Second}
	}},
	{"storage[0].measurement.lossPpm", "storage[0].measurement.lossPpm", func(b *blueprint.Blueprint) {
		b.Storage[0].Measurement = &netpath.Measurement{LossPPM: -1}
	}},
	{"storage[0].measurement.bandwidthBps", "storage[0].measurement.bandwidthBps", func(b *blueprint.Blueprint) {
		b.Storage[0].Measurement = &netpath.Measurement{Bandwidth: -1}
	}},
	{"storage[0].measurement.retransmits", "storage[0].measurement.retransmits", func(b *blueprint.Blueprint) {
		b.Storage[0].Measurement = &netpath.Measurement{Retransmits: -1}
	}},
	{"storage[0].measurement.measured[0]", "storage[0].measurement.measured[0]", func(b *blueprint.Blueprint) {
		b.Storage[0].Measurement = &netpath.Measurement{Measured: []string{"iops"}}
	}},
	{"workloads.trainingImage", "workloads.trainingImage", func(b *blueprint.Blueprint) { b.Workloads.TrainingImage = "pytorch:" }},
	{"workloads.webImage", "workloads.webImage", func(b *blueprint.Blueprint) { b.Workloads.WebImage = "nginx@sha256:1" }},
	{"workloads.criticalReplicas", "workloads.criticalReplicas", func(b *blueprint.Blueprint) { b.Workloads.CriticalReplicas = 20_000 }},
	{"pricing.table", "pricing.table", func(b *blueprint.Blueprint) { b.Pricing.Table = "spot" }},
	{"pricing.monthHours", "pricing.monthHours", func(b *blueprint.Blueprint) { b.Pricing.MonthHours = 745 }},
	{"pricing.currency", "pricing.currency", func(b *blueprint.Blueprint) { b.Pricing.Currency = "won" }},
	{"pricing.currencyRate", "pricing.currencyRate", func(b *blueprint.Blueprint) { b.Pricing.CurrencyRate = "1,380" }},
	{"pricing.cloud[0].name", "pricing.cloud[0].name", func(b *blueprint.Blueprint) { b.Pricing.Cloud[0].Name = "" }},
	{"pricing.cloud[0].hourly", "pricing.cloud[0].hourly", func(b *blueprint.Blueprint) { b.Pricing.Cloud[0].Hourly = 0 }},
	{"pricing.cloud[0].gpus", "pricing.cloud[0].gpus", func(b *blueprint.Blueprint) { b.Pricing.Cloud[0].GPUs = 0 }},
	{"pricing.cloud[0].gpuModel", "pricing.cloud[0].gpuModel", func(b *blueprint.Blueprint) { b.Pricing.Cloud[0].GPUModel = "h100\"" }},
	{"pricing.cloud[0].region", "pricing.cloud[0].region", func(b *blueprint.Blueprint) { b.Pricing.Cloud[0].Region = "us\neast" }},
	{"pricing.cloud[0].checked", "pricing.cloud[0].checked", func(b *blueprint.Blueprint) { b.Pricing.Cloud[0].Checked = "" }},
	{"pricing.cloud[0].source", "pricing.cloud[0].source", func(b *blueprint.Blueprint) { b.Pricing.Cloud[0].Source = "a\\b" }},
	{"pricing.owned.capex", "pricing.owned.capex", func(b *blueprint.Blueprint) { b.Pricing.Owned = &cost.OwnedCosts{Capex: -1} }},
	{"pricing.owned.amortisationMonths", "pricing.owned.amortisationMonths", func(b *blueprint.Blueprint) {
		b.Pricing.Owned = &cost.OwnedCosts{Capex: cost.MustParseMoney("1000")}
	}},
	{"pricing.owned.powerWatts", "pricing.owned.powerWatts", func(b *blueprint.Blueprint) { b.Pricing.Owned = &cost.OwnedCosts{PowerWatts: -1} }},
	{"pricing.owned.pueMilli", "pricing.owned.pueMilli", func(b *blueprint.Blueprint) { b.Pricing.Owned = &cost.OwnedCosts{PUEMilli: 500} }},
	{"pricing.owned.energyPerKwh", "pricing.owned.energyPerKwh", func(b *blueprint.Blueprint) { b.Pricing.Owned = &cost.OwnedCosts{EnergyPerKWh: -1} }},
	{"pricing.owned.otherMonthly", "pricing.owned.otherMonthly", func(b *blueprint.Blueprint) { b.Pricing.Owned = &cost.OwnedCosts{OtherMonthly: -1} }},
}

// alwaysValid are the schema's fields with no invalid value: switches,
// and the activation's expiration (AWS checks it against the clock the
// day the activation is created; rendering has no clock).
var alwaysValid = []string{"istio", "dns.dnssecValidation", "credentials.ssm.expiration", "credentials.podIdentity",
	"gpuSharing.failRequestsGreaterThanOne", "storage[0].csi", "workloads.autoscaler"}

// TestErrorPathsAreSchemaFields renders a blueprint with each invalid
// field and checks that every error names a field of the blueprint's
// YAML schema — the one wanted among them — and that no problem is
// reported twice.
func TestErrorPathsAreSchemaFields(t *testing.T) {
	var leaves []string
	schemaLeaves(reflect.TypeFor[blueprint.Blueprint](), "", &leaves)
	covered := map[string]bool{}
	for _, f := range alwaysValid {
		covered[f] = true
	}
	for _, tc := range invalidFields {
		covered[tc.field] = true
		t.Run(tc.field, func(t *testing.T) {
			b := blueprint.Reference()
			tc.mutate(&b)
			errs := b.ValidateAt(nil)
			seen := map[string]bool{}
			var paths []string
			for _, e := range errs {
				if !inSchema(e.Field) {
					t.Errorf("error at %q, which is not a field of the blueprint: %v", e.Field, e)
				}
				if key := e.Field + "\x00" + e.Detail; seen[key] {
					t.Errorf("reported twice: %v", e)
				}
				seen[e.Field+"\x00"+e.Detail] = true
				paths = append(paths, e.Field)
			}
			if !slices.Contains(paths, tc.path) {
				t.Errorf("errors at %v, want one at %s\n%v", paths, tc.path, errs.ToAggregate())
			}
			if err := b.Validate(); err == nil {
				t.Error("Validate accepted it")
			}
		})
	}
	for _, l := range leaves {
		if !covered[l] {
			t.Errorf("no invalid blueprint for %s: add one to invalidFields, or to alwaysValid if it has no invalid value", l)
		}
	}
}

// TestSharedValuesReportedOnce gives shared values of a 10-node pool an
// invalid value: each is one error, at its own field.
func TestSharedValuesReportedOnce(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		mutate     func(*blueprint.Blueprint)
	}{
		{"site zone", "site.zone", func(b *blueprint.Blueprint) { b.Site.Zone = "dc 1" }},
		{"pool label", "nodePools[0].labels[kubernetes.io/role]", func(b *blueprint.Blueprint) {
			b.NodePools[0].Labels = map[string]string{"kubernetes.io/role": "gpu"}
		}},
		{"activation code", "credentials.ssm.activationCode", func(b *blueprint.Blueprint) { b.Credentials.SSM.ActivationCode = "line\nbreak-in-the-activation-code" }},
		{"cluster name", "cluster.name", func(b *blueprint.Blueprint) { b.Cluster.Name = "a.b" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := blueprint.Reference()
			tc.mutate(&b)
			errs := b.ValidateAt(nil)
			if len(errs) != 1 || errs[0].Field != tc.path {
				t.Errorf("want one error at %s, got %d: %v", tc.path, len(errs), errs.ToAggregate())
			}
		})
	}
}

// TestFindingFieldsAreSchemaFields renders the reference, the variants and
// every blueprint the finding-code test builds: each finding names a field
// of the schema, or none.
func TestFindingFieldsAreSchemaFields(t *testing.T) {
	bs := map[string]blueprint.Blueprint{"reference": blueprint.Reference()}
	maps.Copy(bs, variants())
	for code, r := range codeReach {
		if r.mutate != nil {
			b := blueprint.Reference()
			r.mutate(&b)
			bs["reach "+code] = b
		}
	}
	for name, b := range bs {
		for _, f := range b.Lint() {
			if f.Field != "" && !inSchema(f.Field) {
				t.Errorf("%s: %s at %q, which is not a field of the blueprint", name, f.Code, f.Field)
			}
		}
	}
}
