package scanner

import "unsafe"

// Arena copies attribute values into large shared blocks: one allocation
// per 64 KiB of values instead of one per value. A million objects hold
// some fifteen million short strings; allocated one by one they are most
// of a reader's time and of the collector's work, which has to mark and
// sweep each. A block's bytes are only ever appended to, so the strings
// that point into it never change. Blocks hold no pointers and are not
// scanned. An Arena is not safe for concurrent use.
type Arena struct {
	block []byte
	strs  []string
}

const (
	arenaBlock   = 64 << 10
	arenaMaxCopy = arenaBlock / 16 // longer values get their own allocation
	arenaStrs    = 4096
)

// String returns v as a string backed by the arena.
func (a *Arena) String(v []byte) string {
	switch {
	case len(v) == 0:
		return ""
	case len(v) > arenaMaxCopy:
		return string(v)
	case cap(a.block)-len(a.block) < len(v):
		a.block = make([]byte, 0, arenaBlock)
	}
	start := len(a.block)
	a.block = append(a.block, v...)
	return unsafe.String(&a.block[start], len(v))
}

// Strings returns a copy of l backed by the arena, its capacity its length:
// an append to it copies instead of writing over a neighbour.
func (a *Arena) Strings(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	if len(l) > arenaStrs/16 {
		return append([]string(nil), l...)
	}
	if cap(a.strs)-len(a.strs) < len(l) {
		a.strs = make([]string, 0, arenaStrs)
	}
	start := len(a.strs)
	a.strs = append(a.strs, l...)
	return a.strs[start:len(a.strs):len(a.strs)]
}
