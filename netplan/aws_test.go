package netplan_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netplan"
)

const (
	refCluster = "gpu-hybrid-cluster"
	refRegion  = "ap-northeast-2"
)

// referenceDirectConnect is the reference scenario's path: a Transit
// Gateway reached over Direct Connect, routed from both private route
// tables of the VPC.
func referenceDirectConnect() netplan.Connectivity {
	return netplan.Connectivity{
		Connection:    netplan.ConnectionDirectConnect,
		Region:        refRegion,
		VPCID:         "vpc-0a1b2c3d4e5f67890",
		SubnetIDs:     []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0ccccccccccccccc3"},
		RouteTableIDs: []string{"rtb-0aaaaaaaaaaaaaaa1", "rtb-0ccccccccccccccc3"},
		DirectConnect: &netplan.DirectConnect{GatewayName: "gpu-hybrid-dxgw", ASN: 64513},
	}
}

// referenceVPN is the variant: Site-to-Site VPN with chosen tunnel CIDRs.
func referenceVPN() netplan.Connectivity {
	c := referenceDirectConnect()
	c.Connection = netplan.ConnectionVPN
	c.DirectConnect = nil
	c.VPN = &netplan.VPN{
		CustomerGatewayIP: addr("203.0.113.10"),
		CustomerASN:       65000,
		TunnelInsideCIDRs: []netip.Prefix{pfx("169.254.10.0/30"), pfx("169.254.10.4/30")},
	}
	return c
}

func TestRemoteNetworkConfigGolden(t *testing.T) {
	rnc, err := referencePlan().RemoteNetworkConfig()
	if err != nil {
		t.Fatal(err)
	}
	js, err := rnc.JSON()
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "remote-network-config.golden.json", append(js, '\n'))

	script, err := netplan.ClusterNetworkScript(referencePlan(), refCluster, refRegion)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "cluster-remote-networks.golden.sh", script)
	calls := testkit.RecordCommands(t, script, "aws", nil)
	if len(calls) != 1 {
		t.Fatalf("calls = %q", calls)
	}
	arg := testkit.FlagValue(t, calls[0], "--remote-network-config")
	var back netplan.RemoteNetworkConfig
	if err := json.Unmarshal([]byte(arg), &back); err != nil {
		t.Fatalf("the CLI received unparseable JSON %q: %v", arg, err)
	}
	if errs := back.ValidateAt(nil); len(errs) > 0 || back.RemoteNodeNetworks[0].CIDRs[0] != "192.168.10.0/24" || back.RemotePodNetworks[0].CIDRs[0] != "10.244.0.0/16" {
		t.Errorf("the CLI received %+v (%v)", back, errs)
	}
}

func TestRemoteNetworkConfigValidate(t *testing.T) {
	one := func(cidrs ...string) []netplan.RemoteNetwork { return []netplan.RemoteNetwork{{CIDRs: cidrs}} }
	tests := []struct {
		name string
		in   netplan.RemoteNetworkConfig
		path string
		typ  field.ErrorType
	}{
		{"two node items", netplan.RemoteNetworkConfig{RemoteNodeNetworks: []netplan.RemoteNetwork{{CIDRs: []string{"10.1.0.0/16"}}, {CIDRs: []string{"10.2.0.0/16"}}}}, "remoteNodeNetworks", field.ErrorTypeTooMany},
		{"empty cidrs", netplan.RemoteNetworkConfig{RemotePodNetworks: one()}, "remotePodNetworks[0].cidrs", field.ErrorTypeRequired},
		{"public", netplan.RemoteNetworkConfig{RemoteNodeNetworks: one("8.8.8.0/24")}, "remoteNodeNetworks[0].cidrs[0]", field.ErrorTypeInvalid},
		{"too wide", netplan.RemoteNetworkConfig{RemoteNodeNetworks: one("10.0.0.0/7")}, "remoteNodeNetworks[0].cidrs[0]", field.ErrorTypeInvalid},
		{"host bits", netplan.RemoteNetworkConfig{RemoteNodeNetworks: one("10.0.0.1/16")}, "remoteNodeNetworks[0].cidrs[0]", field.ErrorTypeInvalid},
		{"ipv6", netplan.RemoteNetworkConfig{RemoteNodeNetworks: one("fd00::/64")}, "remoteNodeNetworks[0].cidrs[0]", field.ErrorTypeInvalid},
		{"garbage", netplan.RemoteNetworkConfig{RemoteNodeNetworks: one("ten/8")}, "remoteNodeNetworks[0].cidrs[0]", field.ErrorTypeInvalid},
		{"node overlaps pod", netplan.RemoteNetworkConfig{RemoteNodeNetworks: one("10.0.0.0/16"), RemotePodNetworks: one("10.0.128.0/17")}, "remotePodNetworks[0].cidrs[0]", field.ErrorTypeInvalid},
		{"overlap within a list", netplan.RemoteNetworkConfig{RemoteNodeNetworks: one("192.168.0.0/16", "192.168.10.0/24")}, "remoteNodeNetworks[0].cidrs[1]", field.ErrorTypeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := tt.in.ValidateAt(nil)
			if len(errs) != 1 || errs[0].Field != tt.path || errs[0].Type != tt.typ {
				t.Fatalf("ValidateAt = %v\nwant one %s at %s", errs, tt.typ, tt.path)
			}
			if _, err := tt.in.JSON(); err == nil {
				t.Error("JSON rendered an invalid config")
			}
		})
	}
	valid := netplan.RemoteNetworkConfig{RemoteNodeNetworks: one("192.168.10.0/24", "100.64.0.0/16"), RemotePodNetworks: one("10.244.0.0/16")}
	if errs := valid.ValidateAt(nil); errs != nil {
		t.Errorf("valid config: %v", errs)
	}
}

func TestConnectivityValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*netplan.Connectivity)
		path   string
		typ    field.ErrorType
	}{
		{"region", func(c *netplan.Connectivity) { c.Region = "Seoul" }, "region", field.ErrorTypeInvalid},
		{"vpc id", func(c *netplan.Connectivity) { c.VPCID = "vpc-xyz" }, "vpcId", field.ErrorTypeInvalid},
		{"no subnets", func(c *netplan.Connectivity) { c.SubnetIDs = nil }, "subnetIds", field.ErrorTypeRequired},
		{"bad subnet", func(c *netplan.Connectivity) { c.SubnetIDs[1] = "subnet-1; reboot" }, "subnetIds[1]", field.ErrorTypeInvalid},
		{"two subnets in one zone", func(c *netplan.Connectivity) { c.SubnetAZs = []string{"ap-northeast-2a", "ap-northeast-2a"} }, "subnetIds[1]", field.ErrorTypeInvalid},
		{"zones of too few subnets", func(c *netplan.Connectivity) { c.SubnetAZs = []string{"ap-northeast-2a"} }, "subnetAzs", field.ErrorTypeInvalid},
		{"site destination without prefix", func(c *netplan.Connectivity) {
			c.SiteDestinations = []netplan.SiteDestination{{Purpose: "x"}}
		}, "siteDestinations[0].prefix", field.ErrorTypeRequired},
		{"no route tables", func(c *netplan.Connectivity) { c.RouteTableIDs = nil }, "routeTableIds", field.ErrorTypeRequired},
		{"bad route table", func(c *netplan.Connectivity) { c.RouteTableIDs[0] = "rtb-" }, "routeTableIds[0]", field.ErrorTypeInvalid},
		{"public tgw asn", func(c *netplan.Connectivity) { c.TransitGatewayASN = 16509 }, "transitGatewayAsn", field.ErrorTypeInvalid},
		{"tgw asn 65535", func(c *netplan.Connectivity) { c.TransitGatewayASN = 65535 }, "transitGatewayAsn", field.ErrorTypeInvalid},
		{"unknown connection", func(c *netplan.Connectivity) { c.Connection = "peering" }, "connection", field.ErrorTypeNotSupported},
		{"dx missing", func(c *netplan.Connectivity) { c.DirectConnect = nil }, "directConnect", field.ErrorTypeRequired},
		{"dx name", func(c *netplan.Connectivity) { c.DirectConnect.GatewayName = "gw/1" }, "directConnect.gatewayName", field.ErrorTypeInvalid},
		{"dx public asn", func(c *netplan.Connectivity) { c.DirectConnect.ASN = 7224 }, "directConnect.asn", field.ErrorTypeInvalid},
		{"dx asn equals tgw default", func(c *netplan.Connectivity) { c.DirectConnect.ASN = 64512 }, "directConnect.asn", field.ErrorTypeInvalid},
		{"dx asn equals tgw", func(c *netplan.Connectivity) { c.TransitGatewayASN = 4200000001; c.DirectConnect.ASN = 4200000001 }, "directConnect.asn", field.ErrorTypeInvalid},
		{"vpn given with dx", func(c *netplan.Connectivity) { c.VPN = referenceVPN().VPN }, "vpn", field.ErrorTypeForbidden},
		{"existing route table", func(c *netplan.Connectivity) {
			c.ExistingRoutes = []netplan.VPCRoute{{RouteTableID: "rtb-x", Destination: pfx("0.0.0.0/0"), Target: "igw-0123abcd"}}
		}, "existingRoutes[0].routeTableId", field.ErrorTypeInvalid},
		{"existing route target", func(c *netplan.Connectivity) {
			c.ExistingRoutes = []netplan.VPCRoute{{RouteTableID: "rtb-0aaaaaaaaaaaaaaa1", Destination: pfx("0.0.0.0/0"), Target: "local"}}
		}, "existingRoutes[0].target", field.ErrorTypeInvalid},
		{"existing route host bits", func(c *netplan.Connectivity) {
			c.ExistingRoutes = []netplan.VPCRoute{{RouteTableID: "rtb-0aaaaaaaaaaaaaaa1", Destination: netip.PrefixFrom(addr("10.1.2.3"), 16), Target: "igw-0123abcd"}}
		}, "existingRoutes[0].destination", field.ErrorTypeInvalid},
	}
	vpnTests := []struct {
		name   string
		mutate func(*netplan.VPN)
		path   string
		typ    field.ErrorType
	}{
		{"private customer gateway", func(v *netplan.VPN) { v.CustomerGatewayIP = addr("192.168.1.1") }, "vpn.customerGatewayIp", field.ErrorTypeInvalid},
		{"ipv6 customer gateway", func(v *netplan.VPN) { v.CustomerGatewayIP = addr("2001:db8::1") }, "vpn.customerGatewayIp", field.ErrorTypeInvalid},
		{"no customer gateway", func(v *netplan.VPN) { v.CustomerGatewayIP = netip.Addr{} }, "vpn.customerGatewayIp", field.ErrorTypeInvalid},
		{"customer asn 0", func(v *netplan.VPN) { v.CustomerASN = 0 }, "vpn.customerAsn", field.ErrorTypeInvalid},
		{"customer asn equals tgw", func(v *netplan.VPN) { v.CustomerASN = 64512 }, "vpn.customerAsn", field.ErrorTypeInvalid},
		{"one tunnel", func(v *netplan.VPN) { v.TunnelInsideCIDRs = v.TunnelInsideCIDRs[:1] }, "vpn.tunnelInsideCidrs", field.ErrorTypeInvalid},
		{"tunnel /29", func(v *netplan.VPN) { v.TunnelInsideCIDRs[0] = pfx("169.254.10.8/29") }, "vpn.tunnelInsideCidrs[0]", field.ErrorTypeInvalid},
		{"tunnel outside link-local", func(v *netplan.VPN) { v.TunnelInsideCIDRs[1] = pfx("10.0.0.0/30") }, "vpn.tunnelInsideCidrs[1]", field.ErrorTypeInvalid},
		{"tunnel reserved", func(v *netplan.VPN) { v.TunnelInsideCIDRs[0] = pfx("169.254.2.0/30") }, "vpn.tunnelInsideCidrs[0]", field.ErrorTypeInvalid},
		{"tunnel reserved metadata", func(v *netplan.VPN) { v.TunnelInsideCIDRs[1] = pfx("169.254.169.252/30") }, "vpn.tunnelInsideCidrs[1]", field.ErrorTypeInvalid},
		{"tunnel host bits", func(v *netplan.VPN) { v.TunnelInsideCIDRs[1] = netip.PrefixFrom(addr("169.254.10.5"), 30) }, "vpn.tunnelInsideCidrs[1]", field.ErrorTypeInvalid},
		{"tunnels overlap", func(v *netplan.VPN) { v.TunnelInsideCIDRs[1] = v.TunnelInsideCIDRs[0] }, "vpn.tunnelInsideCidrs[1]", field.ErrorTypeInvalid},
	}
	for _, vt := range vpnTests {
		tests = append(tests, struct {
			name   string
			mutate func(*netplan.Connectivity)
			path   string
			typ    field.ErrorType
		}{"vpn " + vt.name, func(c *netplan.Connectivity) {
			*c = referenceVPN()
			vt.mutate(c.VPN)
		}, vt.path, vt.typ})
	}
	tests = append(tests, struct {
		name   string
		mutate func(*netplan.Connectivity)
		path   string
		typ    field.ErrorType
	}{"vpn missing", func(c *netplan.Connectivity) { *c = referenceVPN(); c.VPN = nil }, "vpn", field.ErrorTypeRequired})

	for _, c := range []netplan.Connectivity{referenceDirectConnect(), referenceVPN()} {
		if errs := c.ValidateAt(nil); errs != nil {
			t.Fatalf("reference %s: %v", c.Connection, errs)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := referenceDirectConnect()
			tt.mutate(&c)
			errs := c.ValidateAt(field.NewPath("connectivity"))
			want := "connectivity." + tt.path
			if len(errs) != 1 || errs[0].Field != want || errs[0].Type != tt.typ {
				t.Fatalf("ValidateAt = %v\nwant one %s at %s", errs, tt.typ, want)
			}
			if _, err := netplan.PlanRouting(referencePlan(), c); err == nil || !hasField(err, want) {
				t.Errorf("PlanRouting = %v, want an error at %s", err, want)
			}
		})
	}
}

func hasField(err error, path string) bool {
	return slices.ContainsFunc(ivalidation.FieldErrors(err), func(e *field.Error) bool { return e.Field == path })
}

func TestPlanRouting(t *testing.T) {
	r, err := netplan.PlanRouting(referencePlan(), referenceDirectConnect())
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, vr := range r.VPCRoutes {
		routes = append(routes, vr.RouteTableID+" "+vr.Destination.String()+" "+vr.Target)
	}
	want := []string{
		"rtb-0aaaaaaaaaaaaaaa1 192.168.10.0/24 transit-gateway",
		"rtb-0aaaaaaaaaaaaaaa1 10.244.0.0/16 transit-gateway",
		"rtb-0ccccccccccccccc3 192.168.10.0/24 transit-gateway",
		"rtb-0ccccccccccccccc3 10.244.0.0/16 transit-gateway",
	}
	if !slices.Equal(routes, want) {
		t.Errorf("VPC routes = %q\nwant %q", routes, want)
	}
	if fmt.Sprint(r.AdvertiseToSite) != "[10.0.0.0/16]" || fmt.Sprint(r.SiteMustAdvertise) != "[192.168.10.0/24 10.244.0.0/16]" {
		t.Errorf("announcements: to site %v, from site %v", r.AdvertiseToSite, r.SiteMustAdvertise)
	}
	if r.TransitGatewayASN != 64512 || r.DirectConnectASN != 64513 || r.CustomerASN != 0 {
		t.Errorf("ASNs = %d/%d/%d", r.TransitGatewayASN, r.DirectConnectASN, r.CustomerASN)
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "routing-dx.golden.json", append(js, '\n'))

	var codes []advice.Code
	for _, f := range r.Lint() {
		codes = append(codes, f.Code)
	}
	if !slices.Equal(codes, []advice.Code{netplan.CodeDXAllowedPrefixes}) {
		t.Errorf("Lint = %v", codes)
	}
	rv, err := netplan.PlanRouting(referencePlan(), referenceVPN())
	if err != nil {
		t.Fatal(err)
	}
	if fs := rv.Lint(); len(fs) != 1 || fs[0].Code != netplan.CodeStaticRoutesForVPN || !strings.Contains(fs[0].Message, "AS 65000") {
		t.Errorf("VPN Lint = %v", fs)
	}
}

// TestPlanRoutingSiteDestinations: a site address outside the remote
// networks (the DNS servers, an NFS server) gets a route in every table
// and joins what the site must announce; one inside a remote network adds
// nothing; one in the VPC is an error at its path.
func TestPlanRoutingSiteDestinations(t *testing.T) {
	c := referenceDirectConnect()
	c.SiteDestinations = []netplan.SiteDestination{
		{Prefix: pfx("192.168.1.53/32"), Purpose: "DNS from the outbound endpoint"},
		{Prefix: pfx("192.168.1.53/32"), Purpose: "DNS from CoreDNS in the VPC"},
		{Prefix: pfx("192.168.10.20/32"), Purpose: "an NFS server in the remote node network"},
	}
	r, err := netplan.PlanRouting(referencePlan(), c)
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, vr := range r.VPCRoutes {
		if vr.Destination == pfx("192.168.1.53/32") {
			routes = append(routes, vr.RouteTableID+" "+vr.Purpose)
		}
		if vr.Destination == pfx("192.168.10.20/32") {
			t.Errorf("a destination inside the remote node network got its own route: %v", vr)
		}
	}
	want := []string{
		"rtb-0aaaaaaaaaaaaaaa1 DNS from the outbound endpoint; DNS from CoreDNS in the VPC",
		"rtb-0ccccccccccccccc3 DNS from the outbound endpoint; DNS from CoreDNS in the VPC",
	}
	if !slices.Equal(routes, want) {
		t.Errorf("routes to 192.168.1.53 = %q, want %q", routes, want)
	}
	if fmt.Sprint(r.SiteMustAdvertise) != "[192.168.10.0/24 10.244.0.0/16 192.168.1.53/32]" {
		t.Errorf("the site must announce %v", r.SiteMustAdvertise)
	}
	c.SiteDestinations = []netplan.SiteDestination{{Prefix: pfx("10.0.1.9/32"), Purpose: "x"}}
	if _, err := netplan.PlanRouting(referencePlan(), c); !hasField(err, "connectivity.siteDestinations[0].prefix") {
		t.Errorf("a VPC address as a site destination: %v", err)
	}
}

func TestPlanRoutingConflicts(t *testing.T) {
	tests := []struct {
		name     string
		existing []netplan.VPCRoute
		conflict bool
	}{
		{"default route is less specific", []netplan.VPCRoute{{RouteTableID: "rtb-0aaaaaaaaaaaaaaa1", Destination: pfx("0.0.0.0/0"), Target: "nat-0123abcd"}}, false},
		{"site summary via old vgw is less specific", []netplan.VPCRoute{{RouteTableID: "rtb-0aaaaaaaaaaaaaaa1", Destination: pfx("192.168.0.0/16"), Target: "vgw-0123abcd"}}, false},
		{"more specific peering route", []netplan.VPCRoute{{RouteTableID: "rtb-0ccccccccccccccc3", Destination: pfx("10.244.8.0/21"), Target: "pcx-0123abcd"}}, true},
		{"equal route elsewhere", []netplan.VPCRoute{{RouteTableID: "rtb-0aaaaaaaaaaaaaaa1", Destination: pfx("192.168.10.0/24"), Target: "vgw-0123abcd"}}, true},
		{"other table", []netplan.VPCRoute{{RouteTableID: "rtb-0bbbbbbbbbbbbbbb2", Destination: pfx("192.168.10.0/24"), Target: "vgw-0123abcd"}}, false},
		{"unrelated", []netplan.VPCRoute{{RouteTableID: "rtb-0aaaaaaaaaaaaaaa1", Destination: pfx("172.16.0.0/12"), Target: "pcx-0123abcd"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := referenceDirectConnect()
			c.ExistingRoutes = tt.existing
			_, err := netplan.PlanRouting(referencePlan(), c)
			switch {
			case tt.conflict && !hasField(err, "connectivity.existingRoutes[0]"):
				t.Errorf("PlanRouting = %v, want a conflict at connectivity.existingRoutes[0]", err)
			case !tt.conflict && err != nil:
				t.Errorf("PlanRouting = %v, want no conflict", err)
			}
		})
	}
}

func TestPlanRoutingNeedsRemoteNetworks(t *testing.T) {
	p := referencePlan()
	p.Networks = slices.DeleteFunc(p.Networks, func(n netplan.Network) bool { return n.Role == netplan.RoleRemoteNode })
	if _, err := p.RemoteNetworkConfig(); err == nil {
		t.Error("RemoteNetworkConfig accepted a plan without remote node networks")
	}
}

func TestConnectivityScripts(t *testing.T) {
	for _, tt := range []struct {
		golden string
		c      netplan.Connectivity
		want   []string // the subcommands, in order
	}{
		{"connectivity-dx.golden.sh", referenceDirectConnect(), []string{
			"ec2 create-transit-gateway", "ec2 describe-transit-gateways", "ec2 create-transit-gateway-vpc-attachment",
			"directconnect create-direct-connect-gateway", "directconnect create-direct-connect-gateway-association",
			"ec2 describe-transit-gateway-vpc-attachments", "ec2 create-route", "ec2 create-route", "ec2 create-route", "ec2 create-route",
		}},
		{"connectivity-vpn.golden.sh", referenceVPN(), []string{
			"ec2 create-transit-gateway", "ec2 describe-transit-gateways", "ec2 create-transit-gateway-vpc-attachment",
			"ec2 create-customer-gateway", "ec2 create-vpn-connection", "ec2 describe-vpn-connections",
			"ec2 describe-transit-gateway-vpc-attachments", "ec2 create-route", "ec2 create-route", "ec2 create-route", "ec2 create-route",
		}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			r, err := netplan.PlanRouting(referencePlan(), tt.c)
			if err != nil {
				t.Fatal(err)
			}
			script, err := netplan.ConnectivityScript(tt.c, r, refCluster)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, tt.golden, script)
			const fakeID = "tgw-0123456789abcdef0"
			calls := testkit.RecordCommands(t, script, "aws", map[string]string{
				"create-transit-gateway": fakeID, "create-transit-gateway-vpc-attachment": "tgw-attach-0123456789abcdef0",
				"create-direct-connect-gateway": "5f294f92-bafb-4011-916d-9b0bec0c6a40", "create-customer-gateway": "cgw-0123456789abcdef0",
				"create-vpn-connection":     "vpn-0123456789abcdef0",
				"describe-transit-gateways": "available", "describe-transit-gateway-vpc-attachments": "available",
				"describe-vpn-connections": "available",
			})
			var got []string
			for _, c := range calls {
				got = append(got, c[0]+" "+c[1])
				if testkit.FlagValue(t, c, "--region") != refRegion {
					t.Errorf("%q: wrong region", c)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("calls = %q\nwant %q", got, tt.want)
			}
			for _, c := range calls {
				switch c[1] {
				case "create-route":
					if testkit.FlagValue(t, c, "--transit-gateway-id") != fakeID {
						t.Errorf("create-route did not use the captured Transit Gateway ID: %q", c)
					}
				case "create-direct-connect-gateway":
					if testkit.FlagValue(t, c, "--amazon-side-asn") != "64513" {
						t.Errorf("DX gateway ASN: %q", c)
					}
				case "create-direct-connect-gateway-association":
					i := slices.Index(c, "--add-allowed-prefixes-to-direct-connect-gateway")
					if i < 0 || c[i+1] != "cidr=10.0.0.0/16" {
						t.Errorf("allowed prefixes: %q", c)
					}
				case "create-vpn-connection":
					var opts struct {
						TunnelOptions []struct{ TunnelInsideCidr string }
					}
					if err := json.Unmarshal([]byte(testkit.FlagValue(t, c, "--options")), &opts); err != nil {
						t.Fatalf("--options is not JSON: %v", err)
					}
					if len(opts.TunnelOptions) != 2 || opts.TunnelOptions[0].TunnelInsideCidr != "169.254.10.0/30" || opts.TunnelOptions[1].TunnelInsideCidr != "169.254.10.4/30" {
						t.Errorf("tunnel options = %+v", opts)
					}
				case "create-customer-gateway":
					if testkit.FlagValue(t, c, "--ip-address") != "203.0.113.10" || testkit.FlagValue(t, c, "--bgp-asn") != "65000" {
						t.Errorf("customer gateway: %q", c)
					}
				}
			}
		})
	}
}

// TestCustomerGatewayASNOption: a 4-byte ASN above 2147483647 goes in
// --bgp-asn-extended, which AWS requires for it and refuses below it.
func TestCustomerGatewayASNOption(t *testing.T) {
	for _, tc := range []struct {
		asn  int64
		flag string
	}{
		{1, "--bgp-asn"}, {65000, "--bgp-asn"}, {netplan.MaxBgpAsn, "--bgp-asn"},
		{netplan.MaxBgpAsn + 1, "--bgp-asn-extended"}, {4200000000, "--bgp-asn-extended"}, {4294967294, "--bgp-asn-extended"},
	} {
		t.Run(strconv.FormatInt(tc.asn, 10), func(t *testing.T) {
			c := referenceVPN()
			c.VPN.CustomerASN = tc.asn
			r, err := netplan.PlanRouting(referencePlan(), c)
			if err != nil {
				t.Fatal(err)
			}
			script, err := netplan.ConnectivityScript(c, r, refCluster)
			if err != nil {
				t.Fatal(err)
			}
			calls := testkit.RecordCommands(t, script, "aws", map[string]string{
				"create-transit-gateway": "tgw-0123456789abcdef0", "create-transit-gateway-vpc-attachment": "tgw-attach-0123456789abcdef0",
				"create-customer-gateway": "cgw-0123456789abcdef0", "create-vpn-connection": "vpn-0123456789abcdef0",
				"describe-transit-gateways": "available", "describe-transit-gateway-vpc-attachments": "available", "describe-vpn-connections": "available",
			})
			for _, call := range calls {
				if call[1] != "create-customer-gateway" {
					continue
				}
				if got := testkit.FlagValue(t, call, tc.flag); got != strconv.FormatInt(tc.asn, 10) {
					t.Errorf("%s = %q in %q", tc.flag, got, call)
				}
				other := map[string]string{"--bgp-asn": "--bgp-asn-extended", "--bgp-asn-extended": "--bgp-asn"}[tc.flag]
				if slices.Contains(call, other) {
					t.Errorf("%q carries %s too", call, other)
				}
			}
		})
	}
}

func TestScriptsRefuseBadInput(t *testing.T) {
	r, err := netplan.PlanRouting(referencePlan(), referenceDirectConnect())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := netplan.ConnectivityScript(referenceDirectConnect(), r, "x; rm -rf /"); !hasField(err, "clusterName") {
		t.Errorf("ConnectivityScript accepted a hostile cluster name: %v", err)
	}
	if _, err := netplan.ConnectivityScript(referenceDirectConnect(), netplan.RoutingPlan{}, refCluster); !hasField(err, "routing.vpcRoutes") {
		t.Errorf("ConnectivityScript accepted an empty routing plan: %v", err)
	}
	bad := referenceVPN()
	bad.VPN.CustomerASN = 0
	if out, err := netplan.ConnectivityScript(bad, r, refCluster); err == nil || out != nil {
		t.Errorf("ConnectivityScript rendered invalid connectivity")
	}
	if _, err := netplan.ClusterNetworkScript(referencePlan(), refCluster, "$(id)"); !hasField(err, "region") {
		t.Errorf("ClusterNetworkScript accepted a hostile region: %v", err)
	}
}

func ExamplePlan_RemoteNetworkConfig() {
	plan := netplan.Plan{Networks: []netplan.Network{
		{Name: "vpc", Role: netplan.RoleVPC, Prefix: netip.MustParsePrefix("10.0.0.0/16")},
		{Name: "nodes", Role: netplan.RoleRemoteNode, Prefix: netip.MustParsePrefix("192.168.10.0/24")},
		{Name: "pods", Role: netplan.RoleRemotePod, Prefix: netip.MustParsePrefix("10.244.0.0/16")},
	}}
	rnc, err := plan.RemoteNetworkConfig()
	if err != nil {
		panic(err)
	}
	js, _ := rnc.JSON()
	fmt.Println(string(js))
	// Output:
	// {"remoteNodeNetworks":[{"cidrs":["192.168.10.0/24"]}],"remotePodNetworks":[{"cidrs":["10.244.0.0/16"]}]}
}

func ExamplePlanRouting() {
	plan := netplan.Plan{Networks: []netplan.Network{
		{Name: "vpc", Role: netplan.RoleVPC, Prefix: netip.MustParsePrefix("10.0.0.0/16")},
		{Name: "nodes", Role: netplan.RoleRemoteNode, Prefix: netip.MustParsePrefix("192.168.10.0/24")},
		{Name: "pods", Role: netplan.RoleRemotePod, Prefix: netip.MustParsePrefix("10.244.0.0/16")},
	}}
	r, err := netplan.PlanRouting(plan, netplan.Connectivity{
		Connection:    netplan.ConnectionDirectConnect,
		Region:        "ap-northeast-2",
		VPCID:         "vpc-0a1b2c3d",
		SubnetIDs:     []string{"subnet-0a1b2c3d"},
		RouteTableIDs: []string{"rtb-0a1b2c3d"},
		DirectConnect: &netplan.DirectConnect{GatewayName: "dxgw", ASN: 64513},
	})
	if err != nil {
		panic(err)
	}
	for _, rt := range r.VPCRoutes {
		fmt.Println(rt.RouteTableID, rt.Destination, "->", rt.Target)
	}
	fmt.Println("AWS announces", r.AdvertiseToSite, "; the site announces", r.SiteMustAdvertise)
	fmt.Println("ASNs: transit gateway", r.TransitGatewayASN, "direct connect gateway", r.DirectConnectASN)
	// Output:
	// rtb-0a1b2c3d 192.168.10.0/24 -> transit-gateway
	// rtb-0a1b2c3d 10.244.0.0/16 -> transit-gateway
	// AWS announces [10.0.0.0/16] ; the site announces [192.168.10.0/24 10.244.0.0/16]
	// ASNs: transit gateway 64512 direct connect gateway 64513
}

// FuzzAWSScripts puts fuzzed names into the connectivity script. Whatever a builder accepts, bash runs the
// script and the AWS CLI receives every value exactly as given: no value
// can end a word, start a command or expand a variable.
func FuzzAWSScripts(f *testing.F) {
	f.Add("gpu-hybrid-dxgw")
	f.Add("gw $(id) `x`")
	f.Add("a'b")
	f.Fuzz(func(t *testing.T, gateway string) {
		c := referenceDirectConnect()
		c.DirectConnect.GatewayName = gateway
		r, err := netplan.PlanRouting(referencePlan(), c)
		if err == nil {
			script, err := netplan.ConnectivityScript(c, r, refCluster)
			if err != nil {
				t.Fatal(err)
			}
			calls := testkit.RecordCommands(t, script, "aws", map[string]string{
				"create-transit-gateway": "tgw-0123456789abcdef0", "create-transit-gateway-vpc-attachment": "tgw-attach-0123456789abcdef0",
				"create-direct-connect-gateway": "5f294f92-bafb-4011-916d-9b0bec0c6a40",
				"describe-transit-gateways":     "available", "describe-transit-gateway-vpc-attachments": "available",
			})
			got := ""
			for _, call := range calls {
				if call[1] == "create-direct-connect-gateway" {
					got = testkit.FlagValue(t, call, "--direct-connect-gateway-name")
				}
			}
			if got != gateway {
				t.Fatalf("the gateway name %q reached the CLI as %q", gateway, got)
			}
		}
	})
}
