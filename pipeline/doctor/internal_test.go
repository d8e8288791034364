package doctor

import "testing"

func TestNum(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {12861, "12,861"}, {1234567, "1,234,567"}, {-4096, "-4,096"}}
	for _, tt := range tests {
		if got := num(tt.n); got != tt.want {
			t.Errorf("num(%d): got %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"http://localhost:11434/v1", true},
		{"http://127.0.0.1:8080/v1", true},
		{"http://[::1]:8000/v1", true},
		{"http://192.168.1.5:11434/v1", false},
		{"https://api.openai.com/v1", false},
		{"https://localhost.example.com/v1", false},
	}
	for _, tt := range tests {
		if got := isLoopback(tt.url); got != tt.want {
			t.Errorf("isLoopback(%s): got %v, want %v", tt.url, got, tt.want)
		}
	}
}
