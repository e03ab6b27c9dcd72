package graphdir

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
)

// TestBuilderKeepsOrderPastChunks: objects added after snap.Cloud is full
// (live reads) go to chunks; after Finish they follow in the order added,
// also when the slice had room reserved for some of them (export files).
func TestBuilderKeepsOrderPastChunks(t *testing.T) {
	for _, reserved := range []int{0, 5000, 3*chunkSize + 17} {
		snap := &scanner.Snapshot{}
		snap.ReserveCloud(reserved)
		b := NewBuilder(snap)
		const n = 3*chunkSize + 17
		for i := range n {
			var err error
			switch id := fmt.Sprint(i); i % 3 {
			case 0:
				err = b.User(&User{ID: id})
			case 1:
				err = b.Group(&Group{ID: id})
			default:
				err = b.Contact(&Contact{ID: id})
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		b.Finish()
		if len(snap.Cloud) != n {
			t.Fatalf("reserved %d: %d cloud objects, want %d", reserved, len(snap.Cloud), n)
		}
		for i, c := range snap.Cloud {
			if c.ID != fmt.Sprint(i) || c.Kind != []scanner.Kind{scanner.KindUser, scanner.KindGroup, scanner.KindContact}[i%3] {
				t.Fatalf("reserved %d: object %d is %s (%v)", reserved, i, c.ID, c.Kind)
			}
		}
	}
}

// TestBuilderLive: the live reader feeds the Builder directly; its errors
// name the collection and the item's position across pages.
func TestBuilderLive(t *testing.T) {
	snap := &scanner.Snapshot{}
	b := NewBuilder(snap)
	// Past the chunk size, with kinds interleaved, so positions are counted
	// per collection across snap.Cloud and the chunks.
	var users, groups int
	for i := range 2*chunkSize + 5 {
		var err error
		switch id := fmt.Sprintf("%08x-0000-4000-8000-00000000000%d", i, i%3); i % 3 {
		case 0:
			err = b.User(&User{ID: id})
			users++
		case 1:
			err = b.Group(&Group{ID: id})
			groups++
		default:
			err = b.Contact(&Contact{ID: id})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// Object 15000 is user 5000, in a chunk.
	want := fmt.Sprintf(`groups value[%d].id: duplicate id "00003A98-0000-4000-8000-000000000000": users value[5000] has it too`, groups)
	if err := b.Group(&Group{ID: "00003A98-0000-4000-8000-000000000000"}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("duplicate group: %v, want %q", err, want)
	}
	if err := b.User(&User{}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf(`users value[%d].id: missing "id"`, users)) {
		t.Errorf("missing id: %v", err)
	}
	if err := b.Members("g1", []Member{{ID: "u1"}, {}}); err == nil || err.Error() != `roleGroupMembers/g1 value[1].id: missing "id": every member needs its Graph id (include id in $select)` {
		t.Errorf("member without id: %v", err)
	}
	if err := b.Grant(&RoleGrant{}, true); err == nil || !strings.Contains(err.Error(), `roleAssignments value[0].principalId: missing "principalId"`) {
		t.Errorf("grant without principal: %v", err)
	}
	// A hash that is there without its id (another id's, as a collision
	// would leave it) is confirmed on the strings, not refused.
	b.ids.insert(b.ids.hash("collides"))
	if err := b.User(&User{ID: "collides"}); err != nil {
		t.Errorf("a hash collision refused a new id: %v", err)
	}
}
