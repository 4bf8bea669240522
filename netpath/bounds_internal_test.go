package netpath

import "testing"

func TestMSDurationBounds(t *testing.T) {
	for s, ok := range map[string]bool{"0": true, "0.001": true, "1000000000": true, "1000000000.001": false, "-0.001": false, "+Inf": false, "x": false} {
		if _, err := msDuration(s); (err == nil) != ok {
			t.Errorf("msDuration(%q) error = %v", s, err)
		}
	}
}

func TestParseDecimalPPM(t *testing.T) {
	for s, want := range map[string]int64{"0": 0, "0.01": 100, "0.0001": 1, "0.00019": 1, "100": 1_000_000, "12.3456": 123456} {
		if got, err := parseDecimalPPM(s); err != nil || got != want {
			t.Errorf("parseDecimalPPM(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, bad := range []string{"101", "x", "1.x"} {
		if _, err := parseDecimalPPM(bad); err == nil {
			t.Errorf("parseDecimalPPM(%q) accepted", bad)
		}
	}
}
