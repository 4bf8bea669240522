package netpath_test

import (
	"bytes"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/netpath"
)

func TestParsePingSizeBound(t *testing.T) {
	_, err := netpath.ParsePing(bytes.Repeat([]byte("x"), 1<<20))
	if err == nil || strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("1 MiB: %v, want the missing-statistics error", err)
	}
	_, err = netpath.ParsePing(bytes.Repeat([]byte("x"), 1<<20+1))
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("1 MiB + 1: %v", err)
	}
}

func TestParseIperf3Exact(t *testing.T) {
	udp := []byte(`{"end":{"sum":{"bits_per_second":1000000000,"lost_percent":0.05,"jitter_ms":0.25}}}`)
	m, err := netpath.ParseIperf3(udp)
	if err != nil || m.Bandwidth != 1_000_000_000 || m.LossPPM != 500 || m.Jitter != 250*time.Microsecond {
		t.Errorf("UDP = %+v, %v", m, err)
	}
	idle := []byte(`{"end":{"sum_sent":{"bits_per_second":0,"retransmits":0},"sum_received":{"bits_per_second":0}}}`)
	if m, err := netpath.ParseIperf3(idle); err != nil || m.Bandwidth != 0 {
		t.Errorf("zero bandwidth = %+v, %v", m, err)
	}
	for _, neg := range []string{
		`{"end":{"sum_sent":{"bits_per_second":1,"retransmits":-1},"sum_received":{"bits_per_second":1}}}`,
		`{"end":{"sum_received":{"bits_per_second":-1}}}`,
	} {
		if _, err := netpath.ParseIperf3([]byte(neg)); err == nil {
			t.Errorf("negative totals accepted: %s", neg)
		}
	}
}

func TestPodCommandOptions(t *testing.T) {
	args, err := netpath.MeasureOptions{}.PodCommand("p", "true")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(args, "--image=networkstatic/iperf3") || slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--overrides") }) {
		t.Errorf("default pod command %q", args)
	}
	args, err = netpath.MeasureOptions{Image: "example/iperf3:1", HostNetwork: true}.PodCommand("p", "true")
	if err != nil || !slices.Contains(args, "--image=example/iperf3:1") || !slices.Contains(args, `--overrides={"spec":{"hostNetwork":true}}`) {
		t.Errorf("pod command %q, %v", args, err)
	}
}

func TestMeasureCommandsBounds(t *testing.T) {
	target := netip.MustParseAddr("192.168.10.10")
	for _, tc := range []struct {
		o     netpath.MeasureOptions
		cmds  int // 0: refused
		check string
	}{
		{netpath.MeasureOptions{Target: target}, 2, "-t 30 -P 4"},
		{netpath.MeasureOptions{Target: target, Seconds: 1, Streams: 1}, 2, "-t 1 -P 1"},
		{netpath.MeasureOptions{Target: target, Streams: 128}, 2, "-P 128"},
		{netpath.MeasureOptions{Target: target, Streams: 129}, 0, ""},
		{netpath.MeasureOptions{Target: target, Seconds: -1}, 0, ""},
		{netpath.MeasureOptions{Target: target, Streams: -1}, 0, ""},
		{netpath.MeasureOptions{Target: target, PingPayload: 1}, 3, "-M do -s 1 -c 3"},
		{netpath.MeasureOptions{}, 0, ""},
	} {
		cmds, err := netpath.MeasureCommands(tc.o)
		if tc.cmds == 0 {
			if err == nil {
				t.Errorf("%+v accepted", tc.o)
			}
			continue
		}
		all := ""
		for _, c := range cmds {
			all += strings.Join(c, " ") + "\n"
		}
		if err != nil || len(cmds) != tc.cmds || !strings.Contains(all, tc.check) || !strings.Contains(all, "--image=networkstatic/iperf3") {
			t.Errorf("%+v: %d commands, %v\n%s", tc.o, len(cmds), err, all)
		}
	}
}

func TestPathBoundsAndLint(t *testing.T) {
	onPrem := func(mtu int) netpath.Path {
		return netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem, Name: "site", MTU: mtu}}}
	}
	for mtu, ok := range map[int]bool{576: true, 575: false, 9216: true, 9217: false, 0: true} {
		if err := onPrem(mtu).Validate(); (err == nil) != ok {
			t.Errorf("on-prem MTU %d: %v", mtu, err)
		}
	}
	// Equal MTUs: the first hop limits.
	p := netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopDXTransitVIF, Name: "vif", MTU: 8500}, {Kind: netpath.HopTransitGateway, Name: "tgw"}}, NodeMTU: 9001}
	if mtu, hop := p.MTU(); mtu != 8500 || hop != 0 {
		t.Errorf("MTU = %d at hop %d, want 8500 at hop 0", mtu, hop)
	}
	// The jumbo claim through each hop kind that caps the path, even as
	// the first hop; the message names the payload for the path.
	for _, tc := range []struct {
		hop     netpath.Hop
		payload string
	}{
		{netpath.Hop{Kind: netpath.HopTransitGateway, Name: "tgw"}, "-s 8472"},
		{netpath.Hop{Kind: netpath.HopDXTransitVIF, Name: "vif", MTU: 8500}, "-s 8472"},
		{netpath.Hop{Kind: netpath.HopSiteToSiteVPN, Name: "vpn"}, "-s 1418"},
	} {
		p := netpath.Path{Hops: []netpath.Hop{tc.hop, {Kind: netpath.HopVPC, Name: "vpc"}}, NodeMTU: 9000}
		fs := p.Lint()
		var jumbo string
		for _, f := range fs {
			if f.Code == netpath.CodeJumboClaim && f.Field == "hops[0]" {
				jumbo = f.Message
			}
		}
		if !strings.Contains(jumbo, tc.payload) {
			t.Errorf("%s: findings %v, want a jumbo claim with %s", tc.hop.Kind, fs, tc.payload)
		}
	}
	// A node MTU of 8999 makes no jumbo claim; a private VIF does not cap.
	for _, p := range []netpath.Path{
		{Hops: []netpath.Hop{{Kind: netpath.HopTransitGateway, Name: "tgw"}}, NodeMTU: 8999},
		{Hops: []netpath.Hop{{Kind: netpath.HopDXPrivateVIF, Name: "vif", MTU: 8500}}, NodeMTU: 9000},
	} {
		for _, f := range p.Lint() {
			if f.Code == netpath.CodeJumboClaim {
				t.Errorf("%+v: %v", p, f)
			}
		}
	}
}
