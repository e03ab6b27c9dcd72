package graphdir

import (
	"encoding/binary"
	"hash/maphash"
)

// idSet is a set of ids held as their 64-bit hashes in an open-addressing
// table (linear probing, between three eighths and three quarters full):
// 11 to 21 bytes an id and no allocation per id, where a map[string] would
// cost several times that and hash the string again on every growth. A hash that is present already may be
// another id's: the caller confirms on the strings.
type idSet struct {
	seed  maphash.Seed
	slots []uint64 // 0: empty
	n     int
}

func newIDSet() idSet { return idSet{seed: maphash.MakeSeed()} }

// hash returns the hash of id with ASCII letters folded to lower case
// (never 0, which marks an empty slot). It folds eight bytes at a time: a
// Graph id has 36.
func (s *idSet) hash(id string) uint64 {
	var buf [64]byte
	b := buf[:]
	if len(id) > len(buf) {
		b = make([]byte, len(id))
	}
	i := 0
	for ; i+8 <= len(id); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], foldASCII8(uint64(id[i])|uint64(id[i+1])<<8|uint64(id[i+2])<<16|uint64(id[i+3])<<24|
			uint64(id[i+4])<<32|uint64(id[i+5])<<40|uint64(id[i+6])<<48|uint64(id[i+7])<<56))
	}
	for ; i < len(id); i++ {
		c := id[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	h := maphash.Bytes(s.seed, b[:len(id)])
	if h == 0 {
		h = 1
	}
	return h
}

// foldASCII8 lower-cases the ASCII capital letters among eight bytes.
func foldASCII8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	low7 := x &^ highs               // each byte below 0x80: no carry between bytes
	geA := low7 + ones*(0x80-'A')    // high bit set where the byte is 'A' or above
	gtZ := low7 + ones*(0x80-'Z'-1)  // high bit set where it is above 'Z'
	upper := geA &^ gtZ &^ x & highs // 'A'..'Z', and not a byte of 0x80 or more
	return x | upper>>2              // 0x80>>2 is 0x20, the case bit
}

// insert adds hash h; false when it was present already.
func (s *idSet) insert(h uint64) bool {
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow(2 * (s.n + 1))
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = h
			s.n++
			return true
		case h:
			return false
		}
	}
}

// grow makes room for n hashes in all.
func (s *idSet) grow(n int) {
	size := 1024
	for 4*n > 3*size {
		size *= 2
	}
	if size <= len(s.slots) {
		return
	}
	old := s.slots
	s.slots = make([]uint64, size)
	mask := uint64(size - 1)
	for _, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = h
	}
}
