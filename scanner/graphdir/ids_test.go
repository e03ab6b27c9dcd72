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

func BenchmarkIDSetHash(b *testing.B) {
	ids := guids(1 << 20)
	s := newIDSet()
	var x uint64
	for i := 0; b.Loop(); i++ {
		x += s.hash(ids[i&(1<<20-1)])
	}
	_ = x
}

func BenchmarkIDSetInsert1M(b *testing.B) {
	ids := guids(1_000_000)
	hs := make([]uint64, len(ids))
	s := newIDSet()
	for i, id := range ids {
		hs[i] = s.hash(id)
	}
	for b.Loop() {
		s := newIDSet()
		s.grow(len(ids))
		for _, h := range hs {
			s.insert(h)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ids)), "ns/id")
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

func TestIDSet(t *testing.T) {
	s := newIDSet()
	ids := guids(100_000) // grows from 1024 slots several times
	for _, id := range ids {
		if !s.insert(s.hash(id)) {
			t.Fatalf("%s: present before it was added", id)
		}
	}
	for _, id := range ids {
		if s.insert(s.hash(strings.ToUpper(id))) {
			t.Fatalf("%s: absent after it was added (or its case counted)", id)
		}
	}
	if s.n != len(ids) || 4*s.n > 3*len(s.slots) {
		t.Errorf("%d ids in %d slots", s.n, len(s.slots))
	}
	long := strings.Repeat("Ab-", 40) // longer than the stack buffer
	if s.hash(long) != s.hash(strings.ToLower(long)) || s.hash(long) == s.hash(long[1:]) || s.hash("a@") == s.hash("a`") {
		t.Error("hash folds more than ASCII case, or not all of it")
	}
}
