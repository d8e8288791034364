// Package memo remembers what a costly function of a text returned, for
// texts asked about again soon: a reply judged by three checks in turn, a
// prompt's parts counted for every batch they are in.
package memo

import "sync"

// Func remembers the values of a function of a string for at most size
// strings, and forgets them all when it is full: a run's texts pass
// through it, and the ones asked about again are asked soon. It is safe
// for concurrent use. The function must give the same value for the same
// string.
type Func[V any] struct {
	f    func(string) V
	size int

	mu   sync.Mutex
	seen map[string]V
}

// New returns a Func remembering f's values for at most size strings.
func New[V any](f func(string) V, size int) *Func[V] {
	return &Func[V]{f: f, size: max(size, 1), seen: make(map[string]V)}
}

// Get returns f(s), computed once while s is remembered. Two goroutines
// asking about a new s at once may both compute it.
func (m *Func[V]) Get(s string) V {
	m.mu.Lock()
	v, ok := m.seen[s]
	m.mu.Unlock()
	if ok {
		return v
	}
	v = m.f(s)
	m.mu.Lock()
	if _, stored := m.seen[s]; !stored && len(m.seen) >= m.size {
		clear(m.seen)
	}
	m.seen[s] = v
	m.mu.Unlock()
	return v
}

// Len returns how many strings are remembered.
func (m *Func[V]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.seen)
}
