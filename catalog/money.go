package catalog

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Money is an exact amount of money in cents, such as a movie's budget.
// It never passes through a float, so 0.10 + 0.20 is 0.30.
type Money int64

// MaxMoney is the largest amount a budget column (numeric(14,2)) holds.
const MaxMoney Money = 99_999_999_999_999

// ParseMoney parses a decimal amount such as "1500000", "12.5" or "12.50".
// It accepts at most two decimal places and no sign, exponent or separators
// other than the decimal point.
func ParseMoney(s string) (Money, error) {
	bad := fmt.Errorf("catalog: %q is not an amount with at most 2 decimal places", s)
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (hasPoint && frac == "") || !allDigits(whole) || !allDigits(frac) {
		return 0, bad
	}
	frac += strings.Repeat("0", 2-len(frac))
	if len(strings.TrimLeft(whole, "0")) > 12 {
		return 0, fmt.Errorf("catalog: amount %q is too large", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, bad
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return Money(w*100 + f), nil
}

// ParseStoredMoney parses an amount as a database returns it: a decimal,
// possibly with more zeros after the point or in exponent form (SQLite
// returns large REAL values as e.g. "1.5e+08"). It rounds to whole cents.
func ParseStoredMoney(s string) (Money, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, fmt.Errorf("catalog: stored amount %q is not a number", s)
	}
	r.Mul(r, big.NewRat(100, 1))
	// Round half away from zero to whole cents.
	n := new(big.Int).Quo(r.Num(), r.Denom())
	rem := new(big.Rat).Sub(r, new(big.Rat).SetInt(n))
	if rem.Abs(rem).Cmp(big.NewRat(1, 2)) >= 0 {
		if r.Sign() >= 0 {
			n.Add(n, big.NewInt(1))
		} else {
			n.Sub(n, big.NewInt(1))
		}
	}
	if !n.IsInt64() {
		return 0, fmt.Errorf("catalog: stored amount %q is out of range", s)
	}
	return Money(n.Int64()), nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// String formats m with two decimal places, e.g. "1500000.00".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// MarshalText formats m as a decimal string, for JSON: amounts travel as
// strings so that no client parses them into a float.
func (m Money) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText parses a decimal amount.
func (m *Money) UnmarshalText(b []byte) error {
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
