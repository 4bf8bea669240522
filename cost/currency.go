package cost

import (
	"fmt"
	"strconv"
	"strings"
)

// ExchangeRate converts dollars into another currency at a rate the
// caller supplies (this package never fetches one): PerDollar units of the
// currency per US dollar, to six decimals, and the currency's minor-unit
// decimals (0 for KRW and JPY, 2 for EUR).
type ExchangeRate struct {
	Currency string `json:"currency"`
	Decimals int    `json:"decimals"`
	// PerDollar is in millionths of the currency's major unit.
	PerDollar int64 `json:"perDollarMicro"`
}

// ParseExchangeRate parses a rate such as "1380.25" (KRW per USD) without
// floating point, for a currency code of three upper-case letters with 0
// to 6 minor-unit decimals.
func ParseExchangeRate(currency string, decimals int, perDollar string) (ExchangeRate, error) {
	if len(currency) != 3 || strings.ToUpper(currency) != currency || strings.ContainsFunc(currency, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		return ExchangeRate{}, fmt.Errorf("cost: currency %q is not an ISO 4217 code", currency)
	}
	if decimals < 0 || decimals > 6 {
		return ExchangeRate{}, fmt.Errorf("cost: %d decimals: must be 0 to 6", decimals)
	}
	// The rate has the syntax of an amount: reuse the exact parser.
	m, err := ParseMoney(perDollar)
	if err != nil {
		return ExchangeRate{}, fmt.Errorf("cost: exchange rate %q: %w", perDollar, err)
	}
	if m <= 0 {
		return ExchangeRate{}, fmt.Errorf("cost: exchange rate %q must be positive", perDollar)
	}
	return ExchangeRate{Currency: currency, Decimals: decimals, PerDollar: int64(m)}, nil
}

// Amount is money in another currency, in its minor units.
type Amount struct {
	Currency string `json:"currency"`
	Decimals int    `json:"decimals"`
	Minor    int64  `json:"minor"`
}

// String writes "KRW 33,694,080" or "EUR 1,234.56".
func (a Amount) String() string {
	neg := a.Minor < 0
	u := abs64(a.Minor)
	scale := uint64(1)
	for range a.Decimals {
		scale *= 10
	}
	s := a.Currency + " "
	if neg {
		s += "-"
	}
	s += group(strconv.FormatUint(u/scale, 10))
	if a.Decimals > 0 {
		s += "." + fmt.Sprintf("%0*d", a.Decimals, u%scale)
	}
	return s
}

// Convert returns m in the rate's currency, rounded half away from zero to
// its minor unit: exact 128-bit arithmetic, one rounding.
func (r ExchangeRate) Convert(m Money) (Amount, error) {
	if r.PerDollar <= 0 || r.Decimals < 0 || r.Decimals > 6 {
		return Amount{}, fmt.Errorf("cost: invalid exchange rate %+v", r)
	}
	// micro-dollars × micro-units per dollar = 1e-12 units; minor units
	// are 10^-Decimals units.
	den := uint64(1_000_000_000_000)
	for range r.Decimals {
		den /= 10
	}
	q, err := mulDivHalfUp(abs64(int64(m)), uint64(r.PerDollar), den)
	if err != nil {
		return Amount{}, err
	}
	if m < 0 {
		q = -q
	}
	return Amount{Currency: r.Currency, Decimals: r.Decimals, Minor: q}, nil
}
