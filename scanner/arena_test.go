package scanner

import (
	"fmt"
	"strings"
	"testing"
)

// TestArenaKeepsEveryValue fills several blocks from one reused buffer, as
// the readers do, and checks that no value changed after it was taken.
func TestArenaKeepsEveryValue(t *testing.T) {
	var a Arena
	var got []string
	var lists [][]string
	buf := make([]byte, 0, 64)
	for i := range 50000 {
		buf = fmt.Appendf(buf[:0], "value-%d", i)
		if i%1000 == 0 {
			buf = append(buf, strings.Repeat("x", arenaMaxCopy)...) // own allocation
		}
		got = append(got, a.String(buf))
		lists = append(lists, a.Strings([]string{got[i], "b"}))
	}
	for i, s := range got {
		want := fmt.Sprintf("value-%d", i)
		if i%1000 == 0 {
			want += strings.Repeat("x", arenaMaxCopy)
		}
		if s != want {
			t.Fatalf("value %d is %q, want %q", i, s, want)
		}
		l := lists[i]
		if len(l) != 2 || cap(l) != 2 || l[0] != want || l[1] != "b" {
			t.Fatalf("list %d is %q (cap %d)", i, l, cap(l))
		}
		// An append must not write over the next list.
		_ = append(l, "c")
		if i+1 < len(lists) && lists[i+1][0] != fmt.Sprintf("value-%d", i+1) && (i+1)%1000 != 0 {
			t.Fatalf("append to list %d changed list %d: %q", i, i+1, lists[i+1])
		}
	}
	if a.String(nil) != "" || a.Strings(nil) != nil {
		t.Error("empty values")
	}
}
