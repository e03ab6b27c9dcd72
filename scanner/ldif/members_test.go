package ldif

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
)

// TestMemberCounts: a group's member values are counted (its size), a
// count written by the live reader is taken as it is, and an input whose
// groups have no member value at all says group sizes were not exported.
func TestMemberCounts(t *testing.T) {
	members := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "member: CN=u%d,OU=Staff,DC=x\n", i)
		}
		return b.String()
	}
	for _, c := range []struct {
		name, in   string
		want       []int32 // Members of each object
		unknown    []bool  // FlagMembersUnknown of each object
		noteWanted string  // in MemberCounts, "" for none
	}{
		{"values are counted", "dn: CN=g,DC=x\nobjectClass: group\n" + members(3) + "\ndn: CN=e,DC=x\nobjectClass: group\n",
			[]int32{3, 0}, []bool{false, false}, ""},
		{"a complete range is counted", "dn: CN=g,DC=x\nobjectClass: group\n" + strings.ReplaceAll(members(2), "member:", "member;range=0-*:"),
			[]int32{2}, []bool{false}, ""},
		{"the live reader's count", "dn: CN=g,DC=x\nobjectClass: group\nx-syncready-memberCount: 60000\n", []int32{60000}, []bool{false}, ""},
		{"a first range only", "dn: CN=g,DC=x\nobjectClass: group\n" + strings.ReplaceAll(members(4), "member:", "member;range=0-1499:"),
			[]int32{4}, []bool{true}, "member of CN=g,DC=x holds only a first range of values (4;"},
		{"no group has a member", "dn: CN=g,DC=x\nobjectClass: group\n\ndn: CN=h,DC=x\nobjectClass: group\n\ndn: CN=u,DC=x\nobjectClass: user\nsAMAccountName: u\n",
			[]int32{0, 0, 0}, []bool{false, false, false}, "t.ldif: none of its 2 groups has a member value"},
		{"no group at all", "dn: CN=u,DC=x\nobjectClass: user\nsAMAccountName: u\n", []int32{0}, []bool{false}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			objs, st, err := readNamed(t, "t.ldif", c.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != len(c.want) {
				t.Fatalf("%d objects, want %d", len(objs), len(c.want))
			}
			for i, o := range objs {
				if o.Members != c.want[i] || o.Flags.Has(scanner.FlagMembersUnknown) != c.unknown[i] {
					t.Errorf("%s: %d members (unknown %v), want %d (unknown %v)", o.DN, o.Members, o.Flags.Has(scanner.FlagMembersUnknown), c.want[i], c.unknown[i])
				}
			}
			switch {
			case c.noteWanted == "" && len(st.MemberCounts) > 0:
				t.Errorf("member counts %q, want none", st.MemberCounts)
			case c.noteWanted != "" && (len(st.MemberCounts) != 1 || !strings.Contains(st.MemberCounts[0], c.noteWanted)):
				t.Errorf("member counts %q, want one with %q", st.MemberCounts, c.noteWanted)
			}
			if len(st.Partial) > 0 {
				t.Errorf("partial %q: member counts are no part of a Connect Sync prediction", st.Partial)
			}
		})
	}
}

// TestMemberCountingAllocates: counting a group's member values costs no
// allocation per value (a group of 50,000 members is 50,000 values).
func TestMemberCountingAllocates(t *testing.T) {
	attrs := scanner.NewAttrs("")
	var o scanner.OnPrem
	name, v := []byte("member"), []byte("CN=Someone,OU=Staff,DC=contoso,DC=com")
	if err := attrs.Set(&o, name, v); err != nil { // the name is cached on first sight
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(1000, func() { _ = attrs.Set(&o, name, v) }); n != 0 {
		t.Errorf("%v allocations per member value, want 0", n)
	}
	if o.Members != 1002 {
		t.Errorf("%d members counted, want 1002", o.Members)
	}
}

// BenchmarkReadMembers reads groups of 2,000 members each.
func BenchmarkReadMembers(b *testing.B) {
	var sb strings.Builder
	const groups, size = 50, 2000
	for g := range groups {
		fmt.Fprintf(&sb, "dn: CN=Group %d,OU=Groups,DC=contoso,DC=com\nobjectClass: group\nsAMAccountName: g%d\n", g, g)
		for m := range size {
			fmt.Fprintf(&sb, "member: CN=User %d,OU=Staff,DC=contoso,DC=com\n", m)
		}
		sb.WriteString("\n")
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		n := int32(0)
		if _, err := Read(context.Background(), strings.NewReader(in), "members.ldif", Options{}, func(o *scanner.OnPrem) { n += o.Members }); err != nil {
			b.Fatal(err)
		}
		if n != groups*size {
			b.Fatalf("%d members, want %d", n, groups*size)
		}
	}
}
