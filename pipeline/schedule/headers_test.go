package schedule

import (
	"net/http"
	"testing"
	"time"
)

var testNow = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)

func TestParseReset(t *testing.T) {
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"1s", time.Second, true},
		{"6m0s", 6 * time.Minute, true},
		{"20ms", 20 * time.Millisecond, true},
		{"0.5s", 500 * time.Millisecond, true},
		{"2m59.56s", 2*time.Minute + 59560*time.Millisecond, true},
		{"1h2m3.5s", time.Hour + 2*time.Minute + 3500*time.Millisecond, true},
		{"0s", 0, true},
		{" 7s ", 7 * time.Second, true},
		{"1d2h", 26 * time.Hour, true},
		{"1d", 24 * time.Hour, true},
		{"12", 12 * time.Second, true},
		{"0.25", 250 * time.Millisecond, true},
		{"1709258430", 30 * time.Second, true}, // a Unix time 30s on
		{"1709258390", 0, true},                // a Unix time past
		{"2024-03-01T02:01:30Z", 90 * time.Second, true},
		{"2024-03-01T03:00:00+01:00", 0, true}, // the same instant as now
		{"", 0, false},
		{"soon", 0, false},
		{"-1s", 0, false},
		{"-3", 0, false},
		{"NaN", 0, false},
		{"d", 0, false},
		{"xd1h", 0, false},
		{"1s2", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseReset(tt.in, testNow)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseReset(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func FuzzParseReset(f *testing.F) {
	for _, s := range []string{"1s", "6m0s", "20ms", "0.5s", "1d2h", "12", "1709258430", "2024-03-01T02:01:30Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := parseReset(s, testNow); ok && d < 0 {
			t.Errorf("parseReset(%q) = %s, a negative wait", s, d)
		}
	})
}

func TestReadLimit(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		want   limitHeaders
	}{
		{
			name: "openai",
			header: header("x-ratelimit-limit-tokens", "150000", "x-ratelimit-remaining-tokens", "149984",
				"x-ratelimit-reset-tokens", "6ms"),
			want: limitHeaders{limit: 150000, remaining: 149984, reset: 6 * time.Millisecond, ok: true},
		},
		{
			name:   "no limit",
			header: header("x-ratelimit-remaining-tokens", "10", "x-ratelimit-reset-tokens", "1s"),
			want:   limitHeaders{remaining: 10, reset: time.Second, ok: true},
		},
		{
			name:   "remaining without reset",
			header: header("x-ratelimit-limit-tokens", "100", "x-ratelimit-remaining-tokens", "10"),
			want:   limitHeaders{limit: 100},
		},
		{
			name:   "bad remaining",
			header: header("x-ratelimit-remaining-tokens", "-1", "x-ratelimit-reset-tokens", "1s"),
		},
		{name: "none", header: http.Header{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readLimit(tt.header, "tokens", testNow); got != tt.want {
				t.Errorf("readLimit = %+v, want %+v", got, tt.want)
			}
		})
	}
}
