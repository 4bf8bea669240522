package cost

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Money is an amount of US dollars as an integer count of micro-dollars
// (millionths of a dollar), in the manner of time.Duration: exact for every
// AWS rate (quoted to at most four decimals) times any whole number of
// hours, with no float64 anywhere. The zero Money is $0.00. It holds
// ±$9.2 trillion; arithmetic that would overflow returns ErrOverflow.
type Money int64

// Units of Money.
const (
	Microdollar Money = 1
	Cent        Money = 10_000
	Dollar      Money = 1_000_000
)

// ErrOverflow reports a result outside the range of Money (or of a count
// of hours): the input is refused rather than wrapped into a wrong number.
var ErrOverflow = errors.New("cost: amount overflows int64 micro-dollars")

// String returns the amount with thousands separators and at least two
// decimals, more only when the amount has them: "$24,416.00", "$0.1099",
// "-$5.25", "$0.000001". It never rounds.
func (m Money) String() string { return m.format(true) }

func (m Money) format(symbol bool) string {
	neg := m < 0
	u := uint64(m)
	if neg {
		u = -u
	}
	whole, frac := u/1_000_000, u%1_000_000
	fs := fmt.Sprintf("%06d", frac)
	fs = strings.TrimRight(fs, "0")
	for len(fs) < 2 {
		fs += "0"
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if symbol {
		b.WriteByte('$')
		b.WriteString(group(strconv.FormatUint(whole, 10)))
	} else {
		b.WriteString(strconv.FormatUint(whole, 10))
	}
	b.WriteByte('.')
	b.WriteString(fs)
	return b.String()
}

// group inserts commas every three digits, counted from the right.
func group(digits string) string {
	var b strings.Builder
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// Decimal returns the amount as a plain decimal string without symbol or
// separators ("24416.00", "0.1099"): the JSON form.
func (m Money) Decimal() string { return m.format(false) }

// MarshalText returns Decimal, so JSON carries money as a decimal string.
func (m Money) MarshalText() ([]byte, error) { return []byte(m.Decimal()), nil }

// UnmarshalText parses with ParseMoney.
func (m *Money) UnmarshalText(b []byte) error {
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseMoney parses a decimal amount of dollars without floating point:
// "0.0200", "$1,234.56", "24416", "-5.25". At most six decimals are
// accepted (a seventh is below a micro-dollar and refused, not rounded);
// commas must group thousands; the result must fit in Money.
func ParseMoney(s string) (Money, error) {
	in := s
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	s = strings.TrimPrefix(s, "$")
	intPart, fracPart, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || fracPart == "") {
		return 0, fmt.Errorf("cost: %q is not an amount", in)
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, fmt.Errorf("cost: %q: commas must group thousands", in)
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, fmt.Errorf("cost: %q: commas must group thousands", in)
			}
		}
		intPart = strings.Join(groups, "")
	}
	if hasDot && fracPart == "" {
		return 0, fmt.Errorf("cost: %q: no digits after the decimal point", in)
	}
	if len(fracPart) > 6 {
		return 0, fmt.Errorf("cost: %q has %d decimals: at most 6 (a micro-dollar)", in, len(fracPart))
	}
	for _, part := range []string{intPart, fracPart} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("cost: %q is not an amount", in)
			}
		}
	}
	var whole uint64
	if intPart != "" {
		var err error
		whole, err = strconv.ParseUint(intPart, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %q", ErrOverflow, in)
		}
	}
	frac := uint64(0)
	if fracPart != "" {
		f, _ := strconv.ParseUint(fracPart+strings.Repeat("0", 6-len(fracPart)), 10, 64)
		frac = f
	}
	hi, lo := bits.Mul64(whole, 1_000_000)
	lo, carry := bits.Add64(lo, frac, 0)
	if hi != 0 || carry != 0 || lo > math.MaxInt64 {
		return 0, fmt.Errorf("%w: %q", ErrOverflow, in)
	}
	if neg {
		return -Money(lo), nil
	}
	return Money(lo), nil
}

// MustParseMoney is ParseMoney for constants in tests and examples; it
// panics on error.
func MustParseMoney(s string) Money {
	m, err := ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// Add returns m + o, or ErrOverflow.
func (m Money) Add(o Money) (Money, error) {
	s := m + o
	// Without overflow the sum moves the way o points (not at all for 0);
	// a wrapped sum moves the other way.
	if (s > m) != (o > 0) {
		return 0, ErrOverflow
	}
	return s, nil
}

// Mul returns m × n exactly, or ErrOverflow.
func (m Money) Mul(n int64) (Money, error) {
	p := int64(m) * n
	// A wrapped product does not divide back to n, except −1 × MinInt64,
	// which wraps to MinInt64 and divides back to it.
	if m != 0 && (p/int64(m) != n || m == -1 && n == math.MinInt64) {
		return 0, ErrOverflow
	}
	return Money(p), nil
}

// abs64 returns |v| without a branch (v>>63 is all ones for a negative v,
// so the XOR and subtraction negate it); |MinInt64| fits in a uint64.
func abs64(v int64) uint64 {
	sign := v >> 63
	return uint64((v ^ sign) - sign)
}

// divHalfUp returns num/den rounded half away from zero, for den > 0: the
// one rounding rule of this package.
//
// Equivalent mutants (scripts/mutation.sh): "r <= 0" for "r < 0" and
// "num <= 0" for "num < 0" — at r = 0 negation changes nothing and the
// rounding step is not taken, and num = 0 leaves r = 0.
func divHalfUp(num int64, den int64) int64 {
	q, r := num/den, num%den
	if r < 0 {
		r = -r
	}
	if 2*uint64(r) >= uint64(den) {
		if num < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

// RoundCents rounds m to whole cents, half away from zero ($0.005 →
// $0.01, -$0.005 → -$0.01). It is the only rounding to cents in this
// package: per-node, per-GPU and amortised amounts all go through it.
func RoundCents(m Money) Money { return Money(divHalfUp(int64(m), int64(Cent))) * Cent }

// DivRoundCents returns m / n rounded to cents with RoundCents's rule, for
// n > 0 (per-node and per-GPU shares).
func DivRoundCents(m Money, n int64) Money {
	if n <= 0 {
		return 0
	}
	return Money(divHalfUp(int64(m), n*int64(Cent))) * Cent
}

// DivRoundMicro returns m / n rounded half away from zero to the
// micro-dollar, for n > 0: average rates, which cents would flatten.
func DivRoundMicro(m Money, n int64) Money {
	if n <= 0 {
		return 0
	}
	return Money(divHalfUp(int64(m), n))
}

// mulDivHalfUp returns a×b/den rounded half away from zero with a 128-bit
// intermediate, for a, b ≥ 0 and den > 0, or ErrOverflow.
func mulDivHalfUp(a, b uint64, den uint64) (int64, error) {
	hi, lo := bits.Mul64(a, b)
	if hi >= den {
		return 0, ErrOverflow
	}
	q, r := bits.Div64(hi, lo, den)
	if r >= den-r {
		q++
	}
	if q > math.MaxInt64 {
		return 0, ErrOverflow
	}
	return int64(q), nil
}
