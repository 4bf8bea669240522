package lab_test

import (
	"encoding/json"
	"errors"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netplan"
)

// routingWorld is the VPC (one subnet: the Resolver outbound endpoint and
// a cloud node), a Transit Gateway and the site (its DNS and NFS servers,
// the remote node network), joined by veths. The VPC's route table is the
// bundle's routes for the subnet; the Transit Gateway learns from the
// site what the bundle says the site must announce, and the site routes
// what AWS announces.
type routingWorld struct{ vpc, tgw, site string }

const (
	outboundEndpoint = "10.0.1.101"
	cloudNode        = "10.0.1.20"
	siteDNS          = "192.168.1.53"
	siteNFS          = "192.168.1.100"
)

func newRoutingWorld(t *testing.T, routes []netplan.VPCRoute, routeTable string, plan netplan.RoutingPlan) routingWorld {
	t.Helper()
	requireRoot(t)
	ip := testkit.Tool(t, "ip", "iproute2")
	w := routingWorld{vpc: netns(t, "vpc"), tgw: netns(t, "tgw"), site: netns(t, "site")}
	veth(t, w.vpc, "hkv0", outboundEndpoint+"/24", w.tgw, "hkt0", "10.0.1.1/24", 1500)
	mustRun(t, ip, "-n", w.vpc, "addr", "add", cloudNode+"/24", "dev", "hkv0")
	veth(t, w.tgw, "hkt1", "100.64.0.1/30", w.site, "hks0", "100.64.0.2/30", 1500)
	for _, a := range []string{siteDNS, siteNFS, "192.168.10.1"} {
		mustRun(t, ip, "-n", w.site, "addr", "add", a+"/32", "dev", "lo")
	}
	for _, ns := range []string{w.tgw, w.site} {
		mustRun(t, ip, "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1")
	}
	// The VPC route table: only the bundle's routes (no default route).
	for _, r := range routes {
		if r.RouteTableID == routeTable && r.Target == "transit-gateway" {
			mustRun(t, ip, "-n", w.vpc, "route", "add", r.Destination.String(), "via", "10.0.1.1")
		}
	}
	// BGP as the plan says: the site announces SiteMustAdvertise to the
	// Transit Gateway, which announces the VPC CIDRs back.
	for _, p := range plan.SiteMustAdvertise {
		mustRun(t, ip, "-n", w.tgw, "route", "add", p.String(), "via", "100.64.0.2")
	}
	for _, p := range plan.AdvertiseToSite {
		mustRun(t, ip, "-n", w.site, "route", "add", p.String(), "via", "100.64.0.1")
	}
	return w
}

// reachable reports whether a TCP connection from src in ns reaches dst
// (a listener at dst in the site accepts it), and the dial error if not.
func reachable(t *testing.T, w routingWorld, src, dst string) (bool, error) {
	t.Helper()
	var ln net.Listener
	inNamespace(t, w.site, func() {
		var err error
		if ln, err = net.Listen("tcp", dst); err != nil {
			t.Fatal(err)
		}
	})
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	var err error
	inNamespace(t, w.vpc, func() {
		d := net.Dialer{Timeout: time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
		var c net.Conn
		if c, err = d.Dial("tcp", dst); err == nil {
			c.Close()
		}
	})
	return err == nil, err
}

// TestRoutingReachesTheSiteServers builds the VPC route table, the
// Transit Gateway and the site from the bundle's routing plan: the
// Resolver outbound endpoint reaches the site's DNS server on 53 and a
// cloud node the NFS server on 2049. The twin — the routing the bundle
// rendered before, the remote networks alone — fails on both, for want of
// the routes to the site servers.
func TestRoutingReachesTheSiteServers(t *testing.T) {
	t.Parallel()
	b := blueprint.Reference()
	var plan blueprint.Plan
	if err := json.Unmarshal(file(t, render(t, b), "plan.json"), &plan); err != nil {
		t.Fatal(err)
	}
	rtb := b.VPC.Subnets[0].RouteTableID
	remoteOnly := func(r netplan.RoutingPlan) netplan.RoutingPlan {
		remote := []netip.Prefix{b.Site.RemoteNodeNetwork, b.Site.RemotePodNetwork}
		var out netplan.RoutingPlan
		out.AdvertiseToSite, out.SiteMustAdvertise = r.AdvertiseToSite, remote
		for _, vr := range r.VPCRoutes {
			if vr.Destination == remote[0] || vr.Destination == remote[1] {
				out.VPCRoutes = append(out.VPCRoutes, vr)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		plan  netplan.RoutingPlan
		works bool
	}{
		{"the bundle's routing", plan.Routing, true},
		{"remote networks only", remoteOnly(plan.Routing), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newRoutingWorld(t, tc.plan.VPCRoutes, rtb, tc.plan)
			for _, c := range []struct{ what, src, dst string }{
				{"outbound endpoint to the site DNS server", outboundEndpoint, siteDNS + ":53"},
				{"cloud node to the NFS server", cloudNode, siteNFS + ":2049"},
			} {
				got, err := reachable(t, w, c.src, c.dst)
				if got != tc.works {
					t.Errorf("%s: reached %v, want %v (%v)", c.what, got, tc.works, err)
				}
				// Why the twin fails: the VPC has no route there.
				if !tc.works && !errors.Is(err, syscall.ENETUNREACH) {
					t.Errorf("%s failed, but not for want of a route: %v", c.what, err)
				}
			}
			// The remote node network is routed either way.
			if ok, err := reachable(t, w, cloudNode, "192.168.10.1:10250"); !ok {
				t.Errorf("the remote node network is not reachable: %v", err)
			}
		})
	}
}
