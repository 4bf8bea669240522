package netpath_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/netpath"
)

// TestLinkThresholds: a 1 Gbps VPN measured at 0.95 Gbps grades warning,
// not critical, and at 1 Gbps good; a link of unknown capacity keeps the
// guide's 10 Gbps.
func TestLinkThresholds(t *testing.T) {
	grade := func(th netpath.Thresholds, bps int64) netpath.Grade {
		for _, g := range th.Grade(netpath.Measurement{Bandwidth: bps, Measured: []string{"bandwidth"}}) {
			if g.Metric == "bandwidth" {
				return g.Grade
			}
		}
		t.Fatal("bandwidth not graded")
		return 0
	}
	vpn := netpath.LinkThresholds(1_000_000_000)
	for _, tc := range []struct {
		bps  int64
		want netpath.Grade
	}{{1_000_000_001, netpath.GradeGood}, {950_000_000, netpath.GradeWarning}, {400_000_000, netpath.GradeCritical}} {
		if g := grade(vpn, tc.bps); g != tc.want {
			t.Errorf("1 Gbps link at %d bps: %v, want %v", tc.bps, g, tc.want)
		}
	}
	if netpath.LinkThresholds(0) != netpath.GuideThresholds() || netpath.LinkThresholds(-5) != netpath.GuideThresholds() {
		t.Error("an unknown capacity does not keep the guide's thresholds")
	}
}

// TestThresholdsCheck: each metric gives no finding in its good band, a
// warning in the warning band and an error beyond it, at its JSON field.
func TestThresholdsCheck(t *testing.T) {
	th := netpath.GuideThresholds()
	tests := []struct {
		name  string
		m     netpath.Measurement
		level advice.Level // 0 with ok false: no finding
		ok    bool
		field string
		text  string
	}{
		{"latency good", netpath.Measurement{Latency: 4999 * time.Microsecond, Measured: []string{"latency"}}, 0, false, "", ""},
		{"latency warning", netpath.Measurement{Latency: 5 * time.Millisecond, Measured: []string{"latency"}}, advice.Warning, true, "latency", "latency 5ms is warning: the baseline is good below 5ms, critical above 10ms"},
		{"latency critical", netpath.Measurement{Latency: 10*time.Millisecond + 1, Measured: []string{"latency"}}, advice.Error, true, "latency", "critical"},
		{"jitter warning", netpath.Measurement{Jitter: 2 * time.Millisecond, Measured: []string{"jitter"}}, advice.Warning, true, "jitter", "jitter 2ms"},
		{"loss good", netpath.Measurement{LossPPM: 99, Measured: []string{"loss"}}, 0, false, "", ""},
		{"loss critical", netpath.Measurement{LossPPM: 1001, Measured: []string{"loss"}}, advice.Error, true, "lossPpm", "good below 0.01%, critical above 0.1%"},
		{"bandwidth good", netpath.Measurement{Bandwidth: 10_000_000_001, Measured: []string{"bandwidth"}}, 0, false, "", ""},
		{"bandwidth warning", netpath.Measurement{Bandwidth: 10_000_000_000, Measured: []string{"bandwidth"}}, advice.Warning, true, "bandwidthBps", "good above 10.00 Gbps, critical below 5.00 Gbps"},
		{"bandwidth critical", netpath.Measurement{Bandwidth: 4_999_999_999, Measured: []string{"bandwidth"}}, advice.Error, true, "bandwidthBps", "critical"},
		{"nothing measured", netpath.Measurement{Latency: time.Second}, 0, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := th.Check(tt.m)
			if !tt.ok {
				if len(fs) != 0 {
					t.Errorf("Check = %v, want none", fs)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("Check = %v, want one finding", fs)
			}
			f := fs[0]
			if f.Level != tt.level || f.Code != netpath.CodeBelowBaseline || f.Field != tt.field || !strings.Contains(f.Message, tt.text) || !strings.HasPrefix(f.Ref, "https://") {
				t.Errorf("Check = %+v, want %v at %q containing %q", f, tt.level, tt.field, tt.text)
			}
		})
	}
}
