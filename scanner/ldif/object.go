package ldif

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// Options control how records become objects.
type Options struct {
	// UPNAttr is the attribute read as the user's sign-in name
	// (--upn-source); "" means userPrincipalName.
	UPNAttr string
	// Source is the index of this input in Snapshot.Sources.Forests.
	Source int32
	// SizeHint is the input's size in bytes, 0 when unknown; with Reserve,
	// the reader estimates early how many objects are coming, so the
	// caller can size its slice once instead of growing it many times.
	SizeHint int64
	Reserve  func(objects int)
}

// Stats says what one input held.
type Stats struct {
	Records int // content records read (entries of every class; not the root DSE)
	Objects int // users, groups and contacts emitted
	// Notes are facts about the input worth a line in the report's coverage
	// (a skipped root DSE, a referral to a partition that holds no objects
	// of sync), each naming the file and line.
	Notes []string
	// Partial lists what the export left out of the directory it read:
	// values cut short by a ranged retrieval that was not followed,
	// references to objects other servers hold, what the writer of the file
	// said it left out. Each names the file and line and what it costs; any
	// of them makes a verdict on this input incomplete.
	Partial []string
	// MemberCounts lists what the input leaves unknown of group sizes: a
	// group of which only a first range of member values was exported
	// (its count is unknown, not the length of the range), or an input
	// none of whose groups has a member value (the export did not ask for
	// member).
	MemberCounts []string
	// Empty says, when Objects is 0, what the input held instead, as a
	// clause: "the file is empty", "it holds only comments", "it holds only
	// a version line", "none of its 12 records is a user, group or contact
	// (…)".
	Empty string
}

// ReadFile reads the LDIF file at path and calls emit for each user, group
// and contact in it (computers and other classes are not objects of sync).
func ReadFile(ctx context.Context, path string, opt Options, emit func(*scanner.OnPrem)) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, fmt.Errorf("open LDIF input: %w", err)
	}
	defer f.Close()
	return Read(ctx, f, path, opt, emit)
}

// Read reads LDIF from r (named file in errors) and calls emit for each
// user, group and contact. The object passed to emit is reused once emit
// returns: copy it to keep it.
func Read(ctx context.Context, r io.Reader, file string, opt Options, emit func(*scanner.OnPrem)) (Stats, error) {
	var st Stats
	lr := NewReader(r, file)
	attrs := scanner.NewAttrs(opt.UPNAttr)
	var o scanner.OnPrem // one for all records: emit copies it
	groups := 0
	for {
		if st.Records%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		rec, err := lr.Next()
		if err == io.EOF {
			st.Notes, st.Partial = lr.Notes(), lr.Partial()
			if st.Objects == 0 {
				st.Empty = lr.held(st.Records)
			}
			if groups > 0 && !attrs.MembersRead() {
				st.MemberCounts = append(st.MemberCounts, fmt.Sprintf("%s: none of its %d groups has a member value: the export did not ask for member (see the README's export commands), so group sizes are unknown and the Cloud Sync limit of 50,000 members a group is not checked", file, groups))
			}
			return st, nil
		}
		if err != nil {
			st.Notes, st.Partial = lr.Notes(), lr.Partial()
			return st, err
		}
		st.Records++
		o = scanner.OnPrem{DN: rec.DN, Source: opt.Source, Line: int32(rec.Line)}
		var ranged map[string]bool // attribute -> complete
		for i := 0; i < rec.Len(); i++ {
			name := rec.Name(i)
			base, options, _ := bytes.Cut(name, []byte(";"))
			if len(options) > 0 {
				if lo := bytes.ToLower(options); bytes.HasPrefix(lo, []byte("range=")) {
					if ranged == nil {
						ranged = map[string]bool{}
					}
					ranged[string(base)] = ranged[string(base)] || bytes.HasSuffix(lo, []byte("-*"))
				}
			}
			if err := attrs.Set(&o, name, rec.Value(i)); err != nil {
				return st, &Error{File: file, Line: rec.AttrLine(i), Msg: fmt.Sprintf("%s: attribute %s: %v", rec.DN, name, err)}
			}
		}
		if ranged != nil {
			if rangedMembers(ranged, &o) {
				st.MemberCounts = append(st.MemberCounts, fmt.Sprintf("%s:%d: member of %s holds only a first range of values (%d; ranged retrieval was not followed when the file was exported): the group's size is unknown, so the Cloud Sync limit of 50,000 members a group is not checked for it (export with ldifde, or read the directory live)", file, rec.Line, rec.DN, o.Members))
			}
			lr.partial = rangedPartial(lr.partial, ranged, file, rec)
		}
		if !attrs.Done(&o) {
			continue
		}
		if o.Kind == scanner.KindGroup {
			groups++
		}
		st.Objects++
		if st.Objects == 4096 && opt.Reserve != nil && opt.SizeHint > 0 && lr.InputBytes() > 0 {
			opt.Reserve(int(float64(opt.SizeHint) / float64(lr.InputBytes()) * float64(st.Objects) * 1.02))
		}
		emit(&o)
	}
}

// rangedMembers takes member out of the ranged attributes: it is counted,
// not checked value by value, so a first range only leaves the count
// unknown (FlagMembersUnknown), which it reports.
func rangedMembers(ranged map[string]bool, o *scanner.OnPrem) (unknown bool) {
	for a, complete := range ranged {
		if !strings.EqualFold(a, "member") {
			continue
		}
		delete(ranged, a)
		if !complete {
			o.Flags |= scanner.FlagMembersUnknown
			unknown = true
		}
	}
	return unknown
}

// rangedPartial names the attributes of rec that hold only a first range of
// values, in a stable order.
func rangedPartial(partial []string, ranged map[string]bool, file string, rec *Record) []string {
	for _, a := range slices.Sorted(maps.Keys(ranged)) {
		if !ranged[a] {
			partial = append(partial, fmt.Sprintf("%s:%d: %s of %s holds only a first range of values (ranged retrieval was not followed when the file was exported); checks of that attribute may miss values", file, rec.Line, a, rec.DN))
		}
	}
	return partial
}
