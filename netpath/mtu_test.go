package netpath_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netpath"
)

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestPathMTU(t *testing.T) {
	tests := []struct {
		name    string
		path    netpath.Path
		mtu     int
		limit   int
		pod     int
		payload int
	}{
		{"guide: jumbo on-prem, DX transit VIF, TGW", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem, MTU: 9000}, {Kind: netpath.HopDXTransitVIF, MTU: 8500}, {Kind: netpath.HopTransitGateway}, {Kind: netpath.HopVPC}}, Encapsulation: netpath.EncapVXLAN}, 8500, 1, 8450, 8472},
		// The API's supported values for a private VIF are 1500 and 8500.
		{"DX private VIF without TGW", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem, MTU: 9000}, {Kind: netpath.HopDXPrivateVIF, MTU: 8500}, {Kind: netpath.HopVPC}}}, 8500, 1, 8500, 8472},
		{"DX private VIF at 1500", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem}, {Kind: netpath.HopDXPrivateVIF, MTU: 1500}}, Encapsulation: netpath.EncapVXLAN}, 1500, 1, 1450, 1472},
		{"site-to-site VPN", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem, MTU: 1500}, {Kind: netpath.HopSiteToSiteVPN}, {Kind: netpath.HopTransitGateway}}, Encapsulation: netpath.EncapGeneve}, 1446, 1, 1396, 1418},
		{"wireguard", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem, MTU: 9000}}, Encapsulation: netpath.EncapWireGuard}, 9000, 0, 8920, 8972},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.path.Validate(); err != nil {
				t.Fatal(err)
			}
			mtu, limit := tt.path.MTU()
			if mtu != tt.mtu || limit != tt.limit || tt.path.PodMTU() != tt.pod || tt.path.PingPayload() != tt.payload {
				t.Errorf("MTU %d (hop %d), pod %d, payload %d; want %d (hop %d), %d, %d", mtu, limit, tt.path.PodMTU(), tt.path.PingPayload(), tt.mtu, tt.limit, tt.pod, tt.payload)
			}
		})
	}
	got := netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopTransitGateway}}}.PingCommand(addr("10.0.1.10"))
	if strings.Join(got, " ") != "ping -M do -s 8472 -c 3 10.0.1.10" {
		t.Errorf("PingCommand = %v", got)
	}
}

func TestPathValidate(t *testing.T) {
	tests := []struct {
		name string
		path netpath.Path
		fld  string
		typ  field.ErrorType
	}{
		{"no hops", netpath.Path{}, "hops", field.ErrorTypeRequired},
		{"tgw 9001", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopTransitGateway, MTU: 9001}}}, "hops[0].mtu", field.ErrorTypeNotSupported},
		{"private vif 9000", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopDXPrivateVIF, MTU: 9000}}}, "hops[0].mtu", field.ErrorTypeNotSupported},
		{"private vif 9001 (the older user guide's)", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopDXPrivateVIF, MTU: 9001}}}, "hops[0].mtu", field.ErrorTypeNotSupported},
		{"transit vif 9001", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopDXTransitVIF, MTU: 9001}}}, "hops[0].mtu", field.ErrorTypeNotSupported},
		{"on-prem 10000", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem, MTU: 10000}}}, "hops[0].mtu", field.ErrorTypeInvalid},
		{"kind", netpath.Path{Hops: []netpath.Hop{{Kind: "mpls"}}}, "hops[0].kind", field.ErrorTypeNotSupported},
		{"encap", netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopVPC}}, Encapsulation: "gre"}, "encapsulation", field.ErrorTypeNotSupported},
	}
	for _, tt := range tests {
		errs := ivalidation.FieldErrors(tt.path.Validate())
		if len(errs) != 1 || errs[0].Field != tt.fld || errs[0].Type != tt.typ {
			t.Errorf("%s: %v", tt.name, errs)
		}
	}
}

func TestPathLint(t *testing.T) {
	p := netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem, MTU: 9000}, {Kind: netpath.HopDXTransitVIF, MTU: 8500}, {Kind: netpath.HopTransitGateway, Name: "tgw"}}}
	var codes []advice.Code
	p.NodeMTU = 9000
	var fields []string
	for _, f := range p.Lint() {
		codes, fields = append(codes, f.Code), append(fields, f.Field)
	}
	if !slices.Equal(codes, []advice.Code{netpath.CodeNodeMTUHigh, netpath.CodeJumboClaim}) || !slices.Equal(fields, []string{"nodeMtu", "hops[1]"}) {
		t.Errorf("Lint at 9000 = %v at %v", codes, fields)
	}
	p.NodeMTU = 8500
	if fs := p.Lint(); len(fs) != 0 {
		t.Errorf("Lint at 8500 = %v", fs)
	}
	p.NodeMTU = 0
	if fs := p.Lint(); len(fs) != 0 {
		t.Errorf("Lint without a node MTU = %v", fs)
	}
}

func TestGradeBoundaries(t *testing.T) {
	th := netpath.GuideThresholds()
	grade := func(m netpath.Measurement) []string {
		var out []string
		for _, g := range th.Grade(m) {
			out = append(out, g.Metric+"="+g.Grade.String())
		}
		return out
	}
	lat := func(d time.Duration) netpath.Measurement {
		return netpath.Measurement{Latency: d, Measured: []string{"latency"}}
	}
	for _, tc := range []struct {
		m    netpath.Measurement
		want string
	}{
		{lat(4999 * time.Microsecond), "latency=good"},
		{lat(5 * time.Millisecond), "latency=warning"},
		{lat(10 * time.Millisecond), "latency=warning"},
		{lat(10*time.Millisecond + 1), "latency=critical"},
		{netpath.Measurement{Jitter: 2 * time.Millisecond, Measured: []string{"jitter"}}, "jitter=warning"},
		{netpath.Measurement{Jitter: 6 * time.Millisecond, Measured: []string{"jitter"}}, "jitter=critical"},
		{netpath.Measurement{LossPPM: 99, Measured: []string{"loss"}}, "loss=good"},
		{netpath.Measurement{LossPPM: 100, Measured: []string{"loss"}}, "loss=warning"},
		{netpath.Measurement{LossPPM: 1001, Measured: []string{"loss"}}, "loss=critical"},
		{netpath.Measurement{Bandwidth: 10_000_000_001, Measured: []string{"bandwidth"}}, "bandwidth=good"},
		{netpath.Measurement{Bandwidth: 10_000_000_000, Measured: []string{"bandwidth"}}, "bandwidth=warning"},
		{netpath.Measurement{Bandwidth: 5_000_000_000, Measured: []string{"bandwidth"}}, "bandwidth=warning"},
		{netpath.Measurement{Bandwidth: 4_999_999_999, Measured: []string{"bandwidth"}}, "bandwidth=critical"},
	} {
		if got := strings.Join(grade(tc.m), ","); got != tc.want {
			t.Errorf("Grade(%+v) = %s, want %s", tc.m, got, tc.want)
		}
	}
}

func TestParsePingCaptures(t *testing.T) {
	m, err := netpath.ParsePing(testkit.ReadTestdata(t, "ping-loopback.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Latency != 49*time.Microsecond || m.Jitter != 19*time.Microsecond || m.LossPPM != 0 || !slices.Equal(m.Measured, []string{"latency", "jitter", "loss"}) {
		t.Errorf("loopback = %+v", m)
	}
	m, err = netpath.ParsePing(testkit.ReadTestdata(t, "ping-lossy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if m.LossPPM != 250000 {
		t.Errorf("lossy capture loss = %d ppm, want 250000 (25%%)", m.LossPPM)
	}
	all := "PING 10.9.9.9 (10.9.9.9) 56(84) bytes of data.\n\n--- 10.9.9.9 ping statistics ---\n5 packets transmitted, 0 received, 100% packet loss, time 4093ms\n"
	m, err = netpath.ParsePing([]byte(all))
	if err != nil || m.LossPPM != 1_000_000 || slices.Contains(m.Measured, "latency") {
		t.Errorf("all lost = %+v, %v", m, err)
	}
	errs := "3 packets transmitted, 2 received, +1 errors, 33.3333% packet loss, time 2003ms\nrtt min/avg/max/mdev = 1.1/2.2/3.3/0.5 ms\n"
	if m, err := netpath.ParsePing([]byte(errs)); err != nil || m.LossPPM != 333333 || m.Latency != 2200*time.Microsecond {
		t.Errorf("with errors = %+v, %v", m, err)
	}
	if _, err := netpath.ParsePing([]byte("ping: connect: Network is unreachable\n")); err == nil {
		t.Errorf("accepted output without statistics")
	}
}

func TestParseIperf3Capture(t *testing.T) {
	m, err := netpath.ParseIperf3(testkit.ReadTestdata(t, "iperf3-loopback.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The capture: 2 streams on loopback, receiver 27.14 Gbit/s, 5 retransmits.
	if m.Bandwidth != 27141295147 || m.Retransmits != 5 {
		t.Errorf("iperf3 = %+v", m)
	}
	g := netpath.GuideThresholds().Grade(m)
	if len(g) != 1 || g[0].Grade != netpath.GradeGood || g[0].Value != "27.14 Gbps" {
		t.Errorf("grade = %+v", g)
	}
	for name, in := range map[string]string{
		"error report": `{"start":{},"error":"unable to connect to server: Connection refused"}`,
		"not json":     "Connecting to host 10.0.0.1, port 5201",
		"no end":       `{"start":{}}`,
		"empty end":    `{"end":{}}`,
	} {
		if _, err := netpath.ParseIperf3([]byte(in)); err == nil || !strings.HasPrefix(err.Error(), "netpath: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestMeasureCommands(t *testing.T) {
	cmds, err := netpath.MeasureCommands(netpath.MeasureOptions{Target: addr("10.0.1.10"), NodeSelector: map[string]string{"eks.amazonaws.com/compute-type": "hybrid"}, PingPayload: 8472})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`kubectl run hybridkit-ping --image=networkstatic/iperf3 --restart=Never --rm -i --quiet --overrides={"spec":{"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}} -- ping -c 100 -i 0.2 10.0.1.10`,
		`kubectl run hybridkit-iperf3 --image=networkstatic/iperf3 --restart=Never --rm -i --quiet --overrides={"spec":{"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}} -- iperf3 -c 10.0.1.10 -t 30 -P 4 -J`,
		`kubectl run hybridkit-mtu --image=networkstatic/iperf3 --restart=Never --rm -i --quiet --overrides={"spec":{"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}} -- ping -M do -s 8472 -c 3 10.0.1.10`,
	}
	for i, c := range cmds {
		if strings.Join(c, " ") != want[i] {
			t.Errorf("command %d = %s", i, strings.Join(c, " "))
		}
	}
	if _, err := netpath.MeasureCommands(netpath.MeasureOptions{}); err == nil {
		t.Errorf("no target accepted")
	}
	host, err := netpath.MeasureOptions{HostNetwork: true}.PodCommand("x", "true")
	if err != nil || !strings.Contains(strings.Join(host, " "), `--overrides={"spec":{"hostNetwork":true}}`) {
		t.Errorf("PodCommand with host networking = %q, %v", host, err)
	}
}

func FuzzParsePing(f *testing.F) {
	f.Add(testkit.ReadTestdata(f, "ping-loopback.txt"))
	f.Add(testkit.ReadTestdata(f, "ping-lossy.txt"))
	f.Add([]byte("1 packets transmitted, 1 received, 0% packet loss\nrtt min/avg/max/mdev = 1/1/1/1 ms"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := netpath.ParsePing(data)
		if err != nil {
			return
		}
		if m.LossPPM < 0 || m.LossPPM > 1_009_999 || m.Latency < 0 || m.Jitter < 0 {
			t.Fatalf("implausible measurement %+v", m)
		}
		_ = netpath.GuideThresholds().Grade(m)
	})
}

func FuzzParseIperf3(f *testing.F) {
	f.Add(testkit.ReadTestdata(f, "iperf3-loopback.json"))
	f.Add([]byte(`{"end":{"sum":{"bits_per_second":1e9,"lost_percent":0.5,"jitter_ms":0.2}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := netpath.ParseIperf3(data)
		if err != nil {
			return
		}
		if m.Bandwidth < 0 || m.Retransmits < 0 || len(m.Measured) == 0 {
			t.Fatalf("implausible measurement %+v", m)
		}
	})
}

func ExamplePath() {
	p := netpath.Path{
		Hops: []netpath.Hop{
			{Kind: netpath.HopOnPrem, Name: "dc-core", MTU: 9000},
			{Kind: netpath.HopDXTransitVIF, Name: "dx-transit", MTU: 8500},
			{Kind: netpath.HopTransitGateway, Name: "tgw"},
			{Kind: netpath.HopVPC},
		},
		Encapsulation: netpath.EncapVXLAN,
	}
	mtu, hop := p.MTU()
	fmt.Println("path MTU", mtu, "limited by", p.Hops[hop].Name)
	fmt.Println("pod MTU", p.PodMTU())
	fmt.Println(strings.Join(p.PingCommand(netip.MustParseAddr("10.0.1.10")), " "))
	// Output:
	// path MTU 8500 limited by dx-transit
	// pod MTU 8450
	// ping -M do -s 8472 -c 3 10.0.1.10
}

func ExampleParsePing() {
	out := []byte(`--- 10.0.1.10 ping statistics ---
100 packets transmitted, 100 received, 0% packet loss, time 19804ms
rtt min/avg/max/mdev = 2.910/3.412/6.127/0.488 ms
`)
	m, err := netpath.ParsePing(out)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range netpath.GuideThresholds().Grade(m) {
		fmt.Println(g.Metric, g.Value, g.Grade)
	}
	// Output:
	// latency 3.412ms good
	// jitter 488µs good
	// loss 0% good
}

// TestPathLimits: every hop at the path MTU, with its effective MTU.
func TestPathLimits(t *testing.T) {
	p := netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem, MTU: 9000}, {Kind: netpath.HopDXTransitVIF}, {Kind: netpath.HopTransitGateway}, {Kind: netpath.HopVPC}}}
	var got []string
	for _, h := range p.Limits() {
		got = append(got, fmt.Sprintf("%s:%d", h.Kind, h.MTU))
	}
	if want := []string{"dx-transit-vif:8500", "transit-gateway:8500"}; !slices.Equal(got, want) {
		t.Errorf("Limits = %v, want %v", got, want)
	}
	if l := (netpath.Path{}).Limits(); l != nil {
		t.Errorf("no hops: Limits = %v", l)
	}
}
