package graphdir

import (
	"fmt"
	"strings"
	"testing"
)

func guids(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(i*2654435761), i&0xffff, i&0xfff, (i>>12)&0xfff, uint64(i)*0x9e3779b97f4a7c15&0xffffffffffff)
	}
	return ids
}

func TestIDHashes(t *testing.T) {
	ids := guids(100_000)
	s := newIDHashes()
	for _, id := range ids {
		s.add(id)
	}
	same := func(i, j int) bool { return strings.EqualFold(ids[i], ids[j]) }
	if i, j, ok := s.dup(same); ok {
		t.Fatalf("distinct ids: %d and %d", i, j)
	}
	// Ids that differ in case only are one id; the first repeat is named.
	ids = append(ids, strings.ToUpper(ids[700]), ids[500], ids[500])
	for _, id := range ids[100_000:] {
		s.add(id)
	}
	if i, j, ok := s.dup(same); !ok || i != 700 || j != 100_000 {
		t.Errorf("dup %d %d %v, want 700 100000", i, j, ok)
	}
	// Equal hashes of different ids (a collision) are not a duplicate.
	c := idHashes{h: []uint64{5, 7, 5, 9, 7, 5}}
	if i, j, ok := c.dup(func(i, j int) bool { return i == 1 && j == 4 || i == 2 && j == 5 }); !ok || i != 1 || j != 4 {
		t.Errorf("collision: dup %d %d %v, want 1 4", i, j, ok)
	}
	long := strings.Repeat("Ab-", 40) // longer than the stack buffer
	if s.hash(long) != s.hash(strings.ToLower(long)) || s.hash(long) == s.hash(long[1:]) || s.hash("a@") == s.hash("a`") {
		t.Error("hash folds more than ASCII case, or not all of it")
	}
}

func TestRepeatedHashes(t *testing.T) {
	for _, n := range []int{0, 1, 2, 255, 256, 100_000} {
		h := make([]uint64, n)
		for i := range h {
			h[i] = uint64(i)*0x9e3779b97f4a7c15 | 1
		}
		if r := repeatedHashes(h); len(r) != 0 {
			t.Errorf("%d distinct: %d repeated", n, len(r))
		}
		if n > 0 {
			h = append(h, h[n/2], h[0])
			want := 2
			if n/2 == 0 {
				want = 1
			}
			if r := repeatedHashes(h); len(r) != want {
				t.Errorf("%d: %d repeated, want %d", n, len(r), want)
			}
		}
	}
}

func TestFoldASCII8(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			x := uint64(0x4142435A5B40617A) // ABCZ[@az
			x = x&^(0xFF<<(8*pos)) | uint64(c)<<(8*pos)
			want := uint64(0)
			for k := 0; k < 8; k++ {
				b := byte(x >> (8 * k))
				if 'A' <= b && b <= 'Z' {
					b += 'a' - 'A'
				}
				want |= uint64(b) << (8 * k)
			}
			if got := foldASCII8(x); got != want {
				t.Fatalf("%#x: %#x, want %#x", x, got, want)
			}
		}
	}
}

// BenchmarkIDHashes: what the duplicate check costs a million-user read,
// per id: the hash as it is added, and the search once all are in.
func BenchmarkIDHashes(b *testing.B) {
	ids := guids(1_000_000)
	for b.Loop() {
		s := newIDHashes()
		s.reserve(len(ids))
		for _, id := range ids {
			s.add(id)
		}
		if _, _, ok := s.dup(func(i, j int) bool { return true }); ok {
			b.Fatal("a duplicate")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ids)), "ns/id")
}
