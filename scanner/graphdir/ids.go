package graphdir

import (
	"math/bits"
	"math/rand/v2"
)

// idHashes collects the 64-bit hashes of ids in the order they were added,
// and finds the ids added twice after the fact. Checking each id as it
// comes would need a table of a million hashes probed at random, one cache
// miss an id while the reader streams hundreds of megabytes past it: a
// tenth of a million-user read. Appending costs a hash and 8 bytes an id;
// the search (dup) reads the hashes a few times in order.
type idHashes struct {
	seed    uint64
	h       []uint64
	checked int // len(h) at the last search that found nothing
}

func newIDHashes() idHashes { return idHashes{seed: rand.Uint64()} }

// add records the hash of the next id.
func (s *idHashes) add(id string) { s.h = append(s.h, s.hash(id)) }

// reserve makes room for n more ids.
func (s *idHashes) reserve(n int) {
	if n > cap(s.h)-len(s.h) {
		h := make([]uint64, len(s.h), len(s.h)+n)
		copy(h, s.h)
		s.h = h
	}
}

// hash returns a 64-bit hash of id with ASCII letters folded to lower
// case, never 0. It takes eight bytes at a time, folds them at once and
// mixes them with 128-bit multiplications (as wyhash does): a Graph id of
// 36 bytes costs three.
func (s *idHashes) hash(id string) uint64 {
	const k1, k2, k3 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x8ebc6af09c88c6e3
	h := s.seed ^ uint64(len(id))*k1
	i := 0
	for ; i+16 <= len(id); i += 16 {
		h = mix(foldASCII8(le64(id, i))^h^k2, foldASCII8(le64(id, i+8))^k3)
	}
	if i+8 <= len(id) {
		h = mix(foldASCII8(le64(id, i))^h^k2, k3)
		i += 8
	}
	if i < len(id) {
		var t uint64
		for k := len(id) - 1; k >= i; k-- {
			t = t<<8 | uint64(id[k])
		}
		h = mix(foldASCII8(t)^h^k2, k3^uint64(len(id)-i))
	}
	h = mix(h^k1, k2)
	if h == 0 {
		h = 1
	}
	return h
}

// le64 reads eight bytes of s at i, little-endian.
func le64(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// foldASCII8 lower-cases the ASCII capital letters among eight bytes.
func foldASCII8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	low7 := x &^ highs              // each byte below 0x80: no carry between bytes
	geA := low7 + ones*(0x80-'A')   // high bit set where the byte is 'A' or above
	gtZ := low7 + ones*(0x80-'Z'-1) // high bit set where it is above 'Z'
	upper := geA &^ gtZ &^ x & highs
	return x | upper>>2 // 0x80>>2 is 0x20, the case bit
}

// dup returns the first id (by position j) that an earlier one (i) has:
// equal hashes are confirmed by same(i, j), which compares the ids. ok is
// false when every id is distinct.
func (s *idHashes) dup(same func(i, j int) bool) (i, j int, ok bool) {
	if len(s.h) == s.checked {
		return 0, 0, false
	}
	twice := repeatedHashes(s.h)
	if len(twice) == 0 {
		s.checked = len(s.h)
		return 0, 0, false
	}
	// The positions of each repeated hash, in order: the first that repeats
	// an earlier id's names the duplicate.
	at := map[uint64][]int{}
	for k, h := range s.h {
		if _, rep := twice[h]; !rep {
			continue
		}
		for _, e := range at[h] {
			if same(e, k) {
				return e, k, true
			}
		}
		at[h] = append(at[h], k)
	}
	s.checked = len(s.h) // only hash collisions of different ids
	return 0, 0, false
}

// repeatedHashes returns the hashes that occur more than once in h. It
// spreads the hashes over buckets of a few hundred by their top bits, in
// two passes in order, and looks for repeats bucket by bucket in a table
// that stays in the processor's cache.
func repeatedHashes(h []uint64) map[uint64]struct{} {
	var twice map[uint64]struct{}
	note := func(v uint64) {
		if twice == nil {
			twice = map[uint64]struct{}{}
		}
		twice[v] = struct{}{}
	}
	shift := uint(64)
	if b := bits.Len(uint(len(h))) - 8; b > 0 { // buckets of 128 to 256 hashes
		shift = 64 - uint(min(b, 16))
	}
	start := make([]int, 1<<(64-shift)+1)
	for _, v := range h {
		start[v>>shift&(1<<(64-shift)-1)+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	sorted := make([]uint64, len(h))
	next := append([]int(nil), start[:len(start)-1]...)
	for _, v := range h {
		b := v >> shift & (1<<(64-shift) - 1)
		sorted[next[b]] = v
		next[b]++
	}
	var table []uint64
	for k := 0; k+1 < len(start); k++ {
		bucket := sorted[start[k]:start[k+1]]
		size := 8
		for size < 2*len(bucket) {
			size *= 2
		}
		if size > len(table) {
			table = make([]uint64, size)
		} else {
			clear(table[:size])
		}
		mask := uint64(size - 1)
		for _, v := range bucket {
			for p := v & mask; ; p = (p + 1) & mask {
				if table[p] == 0 {
					table[p] = v
					break
				}
				if table[p] == v {
					note(v)
					break
				}
			}
		}
	}
	return twice
}
