package memo

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// TestFunc: a value is computed once while remembered, from many
// goroutines too; a full memo forgets and starts again, never holding
// more than its size.
func TestFunc(t *testing.T) {
	var calls atomic.Int64
	m := New(func(s string) int { calls.Add(1); return len(s) }, 3)

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range []string{"a", "bb", "ccc"} {
				if got := m.Get(s); got != len(s) {
					t.Errorf("Get(%q) = %d, want %d", s, got, len(s))
				}
			}
		}()
	}
	wg.Wait()
	before := calls.Load()
	for _, s := range []string{"a", "bb", "ccc"} {
		m.Get(s)
	}
	if calls.Load() != before {
		t.Errorf("remembered strings computed again: %d calls, then %d", before, calls.Load())
	}

	for i := range 10 {
		m.Get(fmt.Sprint("new", i))
		if n := m.Len(); n > 3 {
			t.Fatalf("the memo holds %d strings, want at most 3", n)
		}
	}
}
