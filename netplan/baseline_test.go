package netplan_test

import (
	"testing"

	"github.com/hybridkit/hybridkit/netplan"
)

// TestLinkThresholds: a 1 Gbps VPN measured at 0.95 Gbps grades warning,
// not critical, and at 1 Gbps good; a link of unknown capacity keeps the
// guide's 10 Gbps.
func TestLinkThresholds(t *testing.T) {
	grade := func(th netplan.Thresholds, bps int64) netplan.Grade {
		for _, g := range th.Grade(netplan.Measurement{Bandwidth: bps, Measured: []string{"bandwidth"}}) {
			if g.Metric == "bandwidth" {
				return g.Grade
			}
		}
		t.Fatal("bandwidth not graded")
		return 0
	}
	vpn := netplan.LinkThresholds(1_000_000_000)
	for _, tc := range []struct {
		bps  int64
		want netplan.Grade
	}{{1_000_000_001, netplan.GradeGood}, {950_000_000, netplan.GradeWarning}, {400_000_000, netplan.GradeCritical}} {
		if g := grade(vpn, tc.bps); g != tc.want {
			t.Errorf("1 Gbps link at %d bps: %v, want %v", tc.bps, g, tc.want)
		}
	}
	if netplan.LinkThresholds(0) != netplan.GuideThresholds() || netplan.LinkThresholds(-5) != netplan.GuideThresholds() {
		t.Error("an unknown capacity does not keep the guide's thresholds")
	}
}
