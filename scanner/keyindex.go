package scanner

import (
	"hash/maphash"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// keyIndex finds the objects that hold a key (an SMTP address, a UPN, an
// immutable id). It is an open-addressing table of 8-byte slots, a tag of
// the key's hash and the object's index; the keys themselves are not
// stored. Against Go maps of strings the cloud index of a million objects
// takes 65 MB instead of 107 MB, and a lookup is one cache miss into the
// table, which is what pairing a million objects spends its time on. The tag only narrows the search: callers
// confirm each candidate against the object's own key, so two keys whose
// hashes agree never pair.
//
// Holders of one key come back in no particular order (keys are added
// grouped by hash, see GroupByHash); callers that want the first holder
// take the lowest index.
type keyIndex struct {
	slots []keySlot
	shift uint // 64 - log2(len(slots)): the hash's top bits pick the home slot
}

type keySlot struct {
	tag uint32
	obj int32 // object index + 1; 0 marks an empty slot
}

// newKeyIndex makes a table for up to n keys, at most three quarters full.
func newKeyIndex(n int) *keyIndex {
	size := max(8, 1<<bits.Len(uint(n+n/3)))
	return &keyIndex{slots: make([]keySlot, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

// add records that obj holds the key with hash h, once per object.
func (t *keyIndex) add(h uint64, obj int32) {
	tag, mask := uint32(h), uint64(len(t.slots)-1)
	for i := h >> t.shift; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.obj == 0 {
			*s = keySlot{tag: tag, obj: obj + 1}
			return
		}
		if s.tag == tag && s.obj == obj+1 {
			return
		}
	}
}

// addAll adds keys, grouped by GroupByHash first so that each group
// writes to one small stretch of the table while it is in the caches
// (added one by one in object order, a million objects' keys missed the
// caches on almost every write).
func (t *keyIndex) addAll(keys []KeyHash) {
	for _, g := range GroupByHash(keys) {
		for _, k := range g {
			t.add(k.Hash, k.Obj)
		}
	}
}

// holders iterates the candidate holders of the key with hash h: the
// objects of every slot whose tag matches.
type holders struct {
	t   *keyIndex
	i   uint64
	tag uint32
}

func (t *keyIndex) find(h uint64) holders { return holders{t, h >> t.shift, uint32(h)} }

// next returns the next candidate, or -1 when there is none.
func (it *holders) next() int32 {
	mask := uint64(len(it.t.slots) - 1)
	for {
		s := it.t.slots[it.i]
		if s.obj == 0 {
			return -1
		}
		it.i = (it.i + 1) & mask
		if s.tag == it.tag {
			return s.obj - 1
		}
	}
}

// HashFold hashes a key that matches without regard to case, as
// strings.ToLower on both sides would, without a lower-case copy: ASCII
// keys are lowered on the stack, others (rare) through strings.ToLower.
func HashFold(seed maphash.Seed, s string) uint64 {
	var buf [128]byte
	if len(s) > len(buf) || !isASCII(s) {
		return maphash.String(seed, strings.ToLower(s))
	}
	b := buf[:len(s)]
	copy(b, s)
	lowerASCII(b)
	return maphash.Bytes(seed, b)
}

// sameFold reports whether two keys are equal after strings.ToLower.
func sameFold(a, b string) bool {
	if isASCII(a) && isASCII(b) {
		return len(a) == len(b) && strings.EqualFold(a, b)
	}
	return strings.ToLower(a) == strings.ToLower(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// KeyHash is a key's 64-bit hash and the object that holds it.
type KeyHash struct {
	Hash uint64
	Obj  int32
}

// GroupByHash reorders keys in place into groups by the top byte of the
// hash (one pass of an American flag sort) and returns the groups. A hash
// table or map fed one group at a time works on a 256th of itself at a
// time, which stays in the CPU caches where the whole would not.
func GroupByHash(keys []KeyHash) [][]KeyHash {
	var count [256]int
	for _, k := range keys {
		count[k.Hash>>56]++
	}
	var start, next [257]int
	for b := range 256 {
		start[b+1] = start[b] + count[b]
		next[b] = start[b]
	}
	for b := range 256 {
		for next[b] < start[b+1] {
			v := keys[next[b]]
			for t := int(v.Hash >> 56); t != b; t = int(v.Hash >> 56) {
				v, keys[next[t]] = keys[next[t]], v
				next[t]++
			}
			keys[next[b]] = v
			next[b]++
		}
	}
	groups := make([][]KeyHash, 0, 256)
	for b := range 256 {
		if start[b] < start[b+1] {
			groups = append(groups, keys[start[b]:start[b+1]])
		}
	}
	return groups
}
