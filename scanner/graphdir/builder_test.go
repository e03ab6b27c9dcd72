package graphdir

import (
	"fmt"
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
