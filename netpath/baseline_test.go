package netpath_test

import (
	"testing"

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
