package scanner

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestKeyIndexProbing(t *testing.T) {
	ix := newKeyIndex(5) // 8 slots
	if len(ix.slots) != 8 {
		t.Fatalf("%d slots for 5 keys, want 8", len(ix.slots))
	}
	// Every hash below has the home slot 7 (the top three bits), so the
	// probe sequence wraps around; tags tell keys apart.
	const home = uint64(7) << 61
	a, b := home|1, home|2
	for _, add := range []struct {
		h   uint64
		obj int32
	}{{a, 4}, {b, 9}, {a, 2}, {a, 4}, {a, 0}} {
		ix.add(add.h, add.obj)
	}
	collect := func(h uint64) []int32 {
		var got []int32
		it := ix.find(h)
		for c := it.next(); c >= 0; c = it.next() {
			got = append(got, c)
		}
		return got
	}
	if got := collect(a); !slices.Equal(slices.Sorted(slices.Values(got)), []int32{0, 2, 4}) {
		t.Errorf("holders of a: %v, want 0, 2 and 4 (object 4 once)", got)
	}
	if got := collect(b); !slices.Equal(got, []int32{9}) {
		t.Errorf("holders of b: %v, want [9]", got)
	}
	if got := collect(home | 3); len(got) != 0 {
		t.Errorf("holders of an absent key: %v", got)
	}
	if got := collect(uint64(4)<<61 | 1); len(got) != 0 {
		t.Errorf("a key whose home slot is empty: %v", got)
	}
}

func TestHashFoldIsToLower(t *testing.T) {
	seed := maphash.MakeSeed()
	for _, c := range []struct{ a, b string }{
		{"Alice@Contoso.COM", "alice@contoso.com"},
		{"\u212Aim@x.com", "KIM@X.COM"}, // Kelvin sign lowers to k
		{"ÉLODIE@x.fr", "élodie@X.FR"},
		{strings.Repeat("A", 200) + "@x.com", strings.Repeat("a", 200) + "@X.com"},
	} {
		if HashFold(seed, c.a) != HashFold(seed, c.b) || !sameFold(c.a, c.b) {
			t.Errorf("%q and %q must be one key", c.a, c.b)
		}
	}
	if sameFold("a@x.com", "b@x.com") || sameFold("a@x.com", "a@x.co") {
		t.Error("different keys are the same")
	}
}

// TestCloudIndexAgainstMaps pairs random objects whose keys collide often,
// in mixed case and with non-ASCII letters, and compares every candidate
// with the same lookups done through maps of strings.ToLower keys.
func TestCloudIndexAgainstMaps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"ann", "Ann", "BOB", "bob", "élodie", "ÉLODIE", "\u212Aim", "kim", "zoë"}
	key := func() string {
		return fmt.Sprintf("%s%d@%s", names[r.IntN(len(names))], r.IntN(300), []string{"x.com", "X.COM", "y.org"}[r.IntN(3)])
	}
	kinds := []Kind{KindUser, KindUser, KindGroup, KindContact}
	var cloud []Cloud
	for i := range 3000 {
		c := Cloud{ID: fmt.Sprint(i), Kind: kinds[r.IntN(len(kinds))], UPN: key()}
		if r.IntN(3) == 0 {
			c.ImmutableID = fmt.Sprint("imm", r.IntN(500))
		}
		for range r.IntN(4) {
			p := "smtp:"
			if r.IntN(2) == 0 {
				p = "SMTP:"
			}
			c.ProxyAddresses = append(c.ProxyAddresses, p+key())
		}
		if r.IntN(10) == 0 {
			c.ProxyAddresses = append(c.ProxyAddresses, "X500:"+key()) // not an SMTP key
		}
		cloud = append(cloud, c)
	}
	// The reference: first holder of each key, every holder of an address.
	imm, upn, smtp := map[string]int32{}, map[string]int32{}, map[string][]int32{}
	for i, c := range cloud {
		if c.Kind == KindUser {
			if _, ok := imm[c.ImmutableID]; !ok && c.ImmutableID != "" {
				imm[c.ImmutableID] = int32(i)
			}
			if _, ok := upn[strings.ToLower(c.UPN)]; !ok {
				upn[strings.ToLower(c.UPN)] = int32(i)
			}
		}
		for _, pa := range c.ProxyAddresses {
			if k := strings.ToLower(pa[5:]); IsSMTPProxy(pa) && !slices.Contains(smtp[k], int32(i)) {
				smtp[k] = append(smtp[k], int32(i))
			}
		}
	}
	want := func(o *OnPrem) (int32, Outcome) {
		if a, ok := o.PrimarySMTP(); ok {
			if l := smtp[strings.ToLower(a)]; len(l) > 0 {
				for _, c := range l {
					if cloud[c].Kind == o.Kind {
						return c, OutcomeSoftMatchSMTP
					}
				}
				return l[0], OutcomeSoftMatchSMTP
			}
		}
		if c, ok := upn[strings.ToLower(o.UPN)]; ok && o.Kind == KindUser {
			return c, OutcomeSoftMatchUPN
		}
		return -1, OutcomeProvision
	}
	idx := IndexCloud(cloud)
	found := map[Outcome]int{}
	for i := range 20000 {
		o := &OnPrem{Kind: kinds[i%len(kinds)], UPN: key(), ProxyAddresses: []string{"SMTP:" + key()}}
		c, how := idx.softCandidate(o, true)
		wc, whow := want(o)
		if c != wc || how != whow {
			t.Fatalf("%+v: got %d %s, want %d %s", o, c, how, wc, whow)
		}
		found[how]++
		a := fmt.Sprint("imm", r.IntN(1000))
		wi, ok := imm[a]
		if !ok {
			wi = -1
		}
		if got := idx.hardTarget([]byte(a)); got != wi {
			t.Fatalf("hard target of %s: %d, want %d", a, got, wi)
		}
	}
	if found[OutcomeSoftMatchSMTP] == 0 || found[OutcomeSoftMatchUPN] == 0 || found[OutcomeProvision] == 0 {
		t.Fatalf("the random objects must reach every outcome: %v", found)
	}
}

// TestGroupByHash: the groups are a permutation of the pairs, each of one top
// byte, in ascending order.
func TestGroupByHash(t *testing.T) {
	for _, n := range []int{0, 1, 2, 1000, 100000} {
		r := rand.New(rand.NewPCG(1, uint64(n)))
		pairs := make([]KeyHash, n)
		for i := range pairs {
			k := r.Uint64()
			if i%3 == 0 {
				k &= 0x0fffffffffffffff // crowd some bytes
			}
			pairs[i] = KeyHash{k, int32(i)}
		}
		want := slices.Clone(pairs)
		var got []KeyHash
		last := -1
		for _, g := range GroupByHash(pairs) {
			b := int(g[0].Hash >> 56)
			if b <= last {
				t.Fatalf("n=%d: group %d after %d", n, b, last)
			}
			last = b
			for _, p := range g {
				if int(p.Hash>>56) != b {
					t.Fatalf("n=%d: key %x in group %d", n, p.Hash, b)
				}
			}
			got = append(got, g...)
		}
		cmp := func(a, b KeyHash) int { return int(a.Obj) - int(b.Obj) }
		slices.SortFunc(got, cmp)
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: groups are not a permutation of the pairs", n)
		}
	}
}
