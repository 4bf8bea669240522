package cost_test

import (
	"errors"
	"math"
	"testing"

	"github.com/hybridkit/hybridkit/cost"
)

func TestMoneyString(t *testing.T) {
	for m, want := range map[cost.Money]string{
		0:                     "$0.00",
		24_416 * cost.Dollar:  "$24,416.00",
		109_900:               "$0.1099",
		20_000:                "$0.02",
		1:                     "$0.000001",
		-5_250_000:            "-$5.25",
		179_708_480_000:       "$179,708.48",
		1_234_567_890_123_456: "$1,234,567,890.123456",
		math.MinInt64:         "-$9,223,372,036,854.775808",
	} {
		if got := m.String(); got != want {
			t.Errorf("Money(%d).String() = %q, want %q", int64(m), got, want)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]cost.Money{
		"0.0200": 20_000, "$0.1099": 109_900, "24416": 24_416_000_000, "$1,234.56": 1_234_560_000,
		"-5.25": -5_250_000, ".5": 500_000, "0.000001": 1, "9223372036854.775807": math.MaxInt64,
	} {
		got, err := cost.ParseMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "$", "0.0000001", "1.", "1,23", "12,3456", "1e3", "0x10", "1.2.3", " 1", "--1", "9223372036854.775808", "99999999999999999999", "１"} {
		if m, err := cost.ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) = %s, want an error", bad, m)
		}
	}
	if _, err := cost.ParseMoney("9223372036855"); !errors.Is(err, cost.ErrOverflow) {
		t.Errorf("overflow error = %v", err)
	}
}

func TestRounding(t *testing.T) {
	for in, want := range map[cost.Money]cost.Money{
		5_000: 10_000, 4_999: 0, 15_000: 20_000, -5_000: -10_000, -4_999: 0, 80_227_000: 80_230_000, 1_234_565_000: 1_234_570_000,
	} {
		if got := cost.RoundCents(in); got != want {
			t.Errorf("RoundCents(%s) = %s, want %s", in, got, want)
		}
	}
	if got := cost.DivRoundCents(100*cost.Dollar, 3); got != 33_330_000 {
		t.Errorf("DivRoundCents($100, 3) = %s", got)
	}
	if got := cost.DivRoundCents(200*cost.Dollar, 3); got != 66_670_000 {
		t.Errorf("DivRoundCents($200, 3) = %s", got)
	}
	if got := cost.DivRoundMicro(24_416*cost.Dollar, 1_635_200); got != 14_932 {
		t.Errorf("DivRoundMicro = %d", got)
	}
}

func TestArithmeticOverflow(t *testing.T) {
	if _, err := cost.Money(math.MaxInt64).Add(1); !errors.Is(err, cost.ErrOverflow) {
		t.Error("Add overflow not reported")
	}
	if _, err := cost.Money(math.MinInt64 + 1).Add(-2); !errors.Is(err, cost.ErrOverflow) {
		t.Error("negative Add overflow not reported")
	}
	if _, err := cost.Money(109_900).Mul(math.MaxInt64 / 100_000); !errors.Is(err, cost.ErrOverflow) {
		t.Error("Mul overflow not reported")
	}
	if got, err := cost.Money(-20_000).Mul(3); err != nil || got != -60_000 {
		t.Errorf("Mul = %s %v", got, err)
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0.0200", "$1,234.56", "-5.25", "0.0000001", "9223372036854.775807", "1,23", ".5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := cost.ParseMoney(s)
		if err != nil {
			return
		}
		// Both printed forms parse back to the same amount.
		for _, out := range []string{m.String(), m.Decimal()} {
			back, err := cost.ParseMoney(out)
			if err != nil || back != m {
				t.Fatalf("ParseMoney(%q) = %d; %q parses to %d, %v", s, m, out, back, err)
			}
		}
	})
}

// FuzzParseExchangeRate: a parsed rate writes back as the same rate, and
// converting any amount either succeeds with the sign of the amount or
// reports an overflow — never a wrong number or a panic.
func FuzzParseExchangeRate(f *testing.F) {
	f.Add("KRW", 0, "1380.25", int64(24_489_000_000))
	f.Add("EUR", 2, "0.92", int64(-5))
	f.Add("JPY", 0, "99999999999999", int64(math.MaxInt64))
	f.Add("usd", 2, "1", int64(0))
	f.Fuzz(func(t *testing.T, currency string, decimals int, rate string, micro int64) {
		r, err := cost.ParseExchangeRate(currency, decimals, rate)
		if err != nil {
			return
		}
		back, err := cost.ParseExchangeRate(r.Currency, r.Decimals, cost.Money(r.PerDollar).Decimal())
		if err != nil || back != r {
			t.Fatalf("%+v reads back as %+v (%v)", r, back, err)
		}
		a, err := r.Convert(cost.Money(micro))
		if err != nil {
			if !errors.Is(err, cost.ErrOverflow) {
				t.Fatalf("Convert: %v", err)
			}
			return
		}
		if (micro < 0 && a.Minor > 0) || (micro > 0 && a.Minor < 0) {
			t.Fatalf("%d micro-dollars became %v", micro, a)
		}
	})
}

// FuzzPercentText: what UnmarshalText accepts, MarshalText writes back.
func FuzzPercentText(f *testing.F) {
	for _, s := range []string{"61.23%", "-0.50%", "100%", "1.234%", "%", "x%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var p cost.Percent
		if p.UnmarshalText([]byte(s)) != nil {
			return
		}
		out, _ := p.MarshalText()
		var back cost.Percent
		if err := back.UnmarshalText(out); err != nil || back != p {
			t.Fatalf("%q → %d → %q → %d (%v)", s, p, out, back, err)
		}
	})
}
