package rules

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestByTopByte: the groups are a permutation of the pairs, each of one top
// byte, in ascending order.
func TestByTopByte(t *testing.T) {
	for _, n := range []int{0, 1, 2, 1000, 100000} {
		r := rand.New(rand.NewPCG(1, uint64(n)))
		pairs := make([]keyHolder, n)
		for i := range pairs {
			k := r.Uint64()
			if i%3 == 0 {
				k &= 0x0fffffffffffffff // crowd some bytes
			}
			pairs[i] = keyHolder{k, holder(i)}
		}
		want := slices.Clone(pairs)
		var got []keyHolder
		last := -1
		for _, g := range byTopByte(pairs) {
			b := int(g[0].key >> 56)
			if b <= last {
				t.Fatalf("n=%d: group %d after %d", n, b, last)
			}
			last = b
			for _, p := range g {
				if int(p.key>>56) != b {
					t.Fatalf("n=%d: key %x in group %d", n, p.key, b)
				}
			}
			got = append(got, g...)
		}
		cmp := func(a, b keyHolder) int { return int(a.h) - int(b.h) }
		slices.SortFunc(got, cmp)
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: groups are not a permutation of the pairs", n)
		}
	}
}
