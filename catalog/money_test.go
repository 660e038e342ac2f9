package catalog

import "testing"

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]Money{
		"0": 0, "1": 100, "12.5": 1250, "12.50": 1250, "0.29": 29, "0.01": 1,
		"999999999999.99": MaxMoney, "007.10": 710,
	} {
		got, err := ParseMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1.234", "1.", ".5", "1e3", "1,000", " 1", "abc", "1000000000000", "NaN"} {
		if got, err := ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) = %d, nil; want an error", in, got)
		}
	}
}

func TestParseStoredMoney(t *testing.T) {
	for in, want := range map[string]Money{
		"150000000": 15_000_000_000, "1.5e+08": 15_000_000_000, "12.5": 1250, "12.50": 1250,
		"0.29": 29, "0.28999999999999998": 29, "1.6666666666666667": 167, "12.5000000000000000": 1250,
		"999999999999.99": MaxMoney, "0.005": 1,
	} {
		got, err := ParseStoredMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseStoredMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParseStoredMoney("x"); err == nil {
		t.Error("ParseStoredMoney(x) = nil error")
	}
}

func TestMoneyString(t *testing.T) {
	for m, want := range map[Money]string{0: "0.00", 1: "0.01", 1250: "12.50", MaxMoney: "999999999999.99", -5: "-0.05"} {
		if got := m.String(); got != want {
			t.Errorf("Money(%d).String() = %q; want %q", int64(m), got, want)
		}
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2024-02-29")
	if err != nil || d.String() != "2024-02-29" {
		t.Errorf("ParseDate(2024-02-29) = %v, %v", d, err)
	}
	for _, bad := range []string{"2023-02-29", "2024-13-01", "24-01-01", "2024-1-1", "", "2024-01-01T00:00:00Z"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = nil error", bad)
		}
	}
}
