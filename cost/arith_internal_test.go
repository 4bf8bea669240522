package cost

import (
	"errors"
	"math"
	"testing"
)

// The arithmetic helpers on both sides of each bound: the largest result
// that fits, and one more.
func TestCheckedArithmeticBounds(t *testing.T) {
	for _, tc := range []struct {
		name    string
		f       func(a, b int64) (int64, error)
		a, b    int64
		want    int64
		wantErr bool
	}{
		{"mul fits", checkedMul, 2, math.MaxInt64 / 2, math.MaxInt64 - 1, false},
		{"mul one over", checkedMul, 2, math.MaxInt64/2 + 1, 0, true},
		{"mul by zero", checkedMul, 0, math.MaxInt64, 0, false},
		{"mul zero by", checkedMul, math.MaxInt64, 0, 0, false},
		{"add fits", checkedAdd, 1, math.MaxInt64 - 1, math.MaxInt64, false},
		{"add one over", checkedAdd, 1, math.MaxInt64, 0, true},
	} {
		got, err := tc.f(tc.a, tc.b)
		if got != tc.want || (err != nil) != tc.wantErr || err != nil && !errors.Is(err, ErrOverflow) {
			t.Errorf("%s: (%d, %d) = %d, %v", tc.name, tc.a, tc.b, got, err)
		}
	}
}

func TestMulDivHalfUp(t *testing.T) {
	for _, tc := range []struct {
		a, b, den uint64
		want      int64
		wantErr   bool
	}{
		{1, 1, 2, 1, false}, // exactly half rounds up
		{1, 1, 3, 0, false}, // a third rounds down
		{2, 1, 3, 1, false}, // two thirds round up
		{math.MaxInt64, 1, 1, math.MaxInt64, false},
		{math.MaxInt64, 2, 2, math.MaxInt64, false}, // 128-bit intermediate
		{1 << 32, 1 << 32, 2, 0, true},              // 2^63 does not fit in int64
		{1 << 32, 1 << 32, 1, 0, true},              // the high word equals den: quotient ≥ 2^64
		{1 << 32, 1 << 32, 4, 1 << 62, false},
		{5, 5, 0, 0, true}, // no divisor
	} {
		got, err := mulDivHalfUp(tc.a, tc.b, tc.den)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("mulDivHalfUp(%d, %d, %d) = %d, %v", tc.a, tc.b, tc.den, got, err)
		}
	}
}

func TestDivHalfUp(t *testing.T) {
	for _, tc := range []struct{ num, den, want int64 }{
		{0, 10, 0}, {4, 10, 0}, {5, 10, 1}, {15, 10, 2}, {-4, 10, 0}, {-5, 10, -1}, {-15, 10, -2}, {20, 10, 2}, {-20, 10, -2},
	} {
		if got := divHalfUp(tc.num, tc.den); got != tc.want {
			t.Errorf("divHalfUp(%d, %d) = %d, want %d", tc.num, tc.den, got, tc.want)
		}
	}
}

func TestAbs64(t *testing.T) {
	for v, want := range map[int64]uint64{0: 0, 5: 5, -1: 1, -5: 5, math.MaxInt64: math.MaxInt64, math.MinInt64: 1 << 63} {
		if got := abs64(v); got != want {
			t.Errorf("abs64(%d) = %d, want %d", v, got, want)
		}
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "1": "1", "12": "12", "123": "123", "1234": "1,234", "12345": "12,345",
		"123456": "123,456", "1234567": "1,234,567",
	} {
		if got := group(in); got != want {
			t.Errorf("group(%q) = %q, want %q", in, got, want)
		}
	}
}
