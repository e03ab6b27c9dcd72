package ldif

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// What ldapsearch (OpenLDAP) writes besides entries, and what it means for
// an export. Without -L it writes "extended LDIF": a header of comments
// ("# extended LDIF", "# LDAPv3", base, filter), each entry after a
// "# name, parent" comment, each search reference as a record without a DN
// ("# search reference", "ref: ldap://host/DN"), and each search's end as a
// record ("# search result", "search: N", "result: CODE TEXT", optional
// "matchedDN:", "text:", "ref:", "control:" and, with paging,
// "pagedresults: estimate=N cookie=C", one result per page), then
// "# numResponses: N" and "# numEntries: M". With -L the references become
// comments ("# refldap://host/DN") and only the "# search result" comment of
// the result is left (its code goes to the terminal); -LL and -LLL drop the
// other comments too but keep "# refldap://…" and, with paging,
// "# pagedresults: cookie=C" after each page, an empty cookie after the last.
//
// An export is whole only if every search in it ended: a file that stops
// after entries with no result, after a page whose cookie asks for more, or
// with a result code that says the server stopped early, holds part of the
// directory, and is refused rather than read as a smaller one. A reference
// names objects another server holds: they were not read, and Partial says
// so.

// searchOutput is what the Reader has seen of ldapsearch's own lines.
type searchOutput struct {
	header    bool // "# extended LDIF" or "# LDAPv3": ldapsearch with comments (no -L, or -L)
	paged     bool // a pagedresults line
	codes     bool // a "result:" line: ldapsearch without -L
	results   int  // search results (result records, "# search result", pagedresults)
	open      int  // line of the first entry or reference after the last result, 0: none
	more      bool // the last pagedresults carried a cookie: more pages were to come
	pagedLine int  // line of the last pagedresults
	refs      int  // references and referrals

	// "# numResponses" and "# numEntries" close one ldapsearch run.
	count     int  // entries since the last "# numResponses"
	counted   int  // entries before the last "# numResponses"
	wantCount bool // a "# numResponses" not yet followed by "# numEntries"
	countLine int
}

// resultAt records the end of a search (or of a page).
func (o *searchOutput) resultAt() {
	o.results++
	o.open = 0
}

// opened records an entry or a reference at line n.
func (o *searchOutput) opened(n int) {
	if o.open == 0 {
		o.open = n
	}
}

// entry counts a dn: record at line n.
func (r *Reader) entry(n int) error {
	if err := r.checkNoEntries(); err != nil {
		return err
	}
	r.entries++
	r.out.count++
	r.out.opened(n)
	return nil
}

// checkNoEntries: ldapsearch leaves out "# numEntries" when a run returned
// no entries; entries before that "# numResponses" were then added by hand.
func (r *Reader) checkNoEntries() error {
	o := &r.out
	if o.wantCount {
		o.wantCount = false
		if o.counted != 0 {
			return r.errorf(o.countLine, "ldapsearch reports no entries (no \"# numEntries\" after this \"# numResponses\"), but the %d entries before it were not written by that run: entries were added or files joined by hand; export again", o.counted)
		}
	}
	return nil
}

// comment takes in what a comment line says about the export.
func (r *Reader) comment(line []byte, n int) error {
	r.comments++
	c := line[1:]
	if len(c) < 2 || c[0] != ' ' {
		return nil
	}
	c = c[1:]
	o := &r.out
	switch c[0] {
	case 'e', 'L':
		if bytes.Equal(c, []byte("extended LDIF")) || bytes.Equal(c, []byte("LDAPv3")) {
			o.header = true
		}
	case 's':
		switch {
		case bytes.Equal(c, []byte("search result")):
			o.resultAt()
		case bytes.HasPrefix(c, []byte(partialMark)):
			r.partial = append(r.partial, fmt.Sprintf("%s:%d: %s", r.file, n, bytes.TrimSpace(c[len(partialMark):])))
		case bytes.HasPrefix(c, []byte(noteMark)):
			r.notes = append(r.notes, fmt.Sprintf("%s:%d: %s", r.file, n, bytes.TrimSpace(c[len(noteMark):])))
		case bytes.HasPrefix(c, []byte(exportMark)):
			r.paged = true
		}
	case 'r':
		if bytes.HasPrefix(c, []byte("refldap://")) || bytes.HasPrefix(c, []byte("refldaps://")) {
			// ldapsearch -L, -LL, -LLL: the reference as a comment, "# ref"
			// and the URL with nothing between.
			o.opened(n)
			r.referral(string(c[len("ref"):]), n, "a search reference")
		}
	case 'p':
		if bytes.HasPrefix(c, []byte("pagedresults:")) {
			r.pagedResults(c[len("pagedresults:"):], n)
		}
	case 'n':
		switch {
		case bytes.HasPrefix(c, []byte("numResponses:")):
			if err := r.checkNoEntries(); err != nil {
				return err
			}
			o.counted, o.count, o.wantCount, o.countLine = o.count, 0, true, n
		case bytes.HasPrefix(c, []byte("numEntries:")):
			if !o.wantCount {
				return nil
			}
			o.wantCount = false
			v := bytes.TrimSpace(c[len("numEntries:"):])
			m, err := strconv.Atoi(string(v))
			if err != nil {
				return r.errorf(n, "expected \"# numEntries: N\" (ldapsearch's count of the entries it wrote), found %q", clip(line))
			}
			if m != o.counted {
				return r.errorf(n, "ldapsearch reports %d entries, but the file holds %d in that run: entries were lost or removed after the export (or files joined by hand); export again", m, o.counted)
			}
		}
	}
	return nil
}

// pagedResults takes in ldapsearch's report of a page's end, "estimate=N
// cookie=C"; an empty cookie ends the search.
func (r *Reader) pagedResults(v []byte, n int) {
	o := &r.out
	o.paged = true
	o.resultAt()
	o.pagedLine = n
	o.more = false
	if i := bytes.Index(v, []byte("cookie=")); i >= 0 {
		cookie := bytes.TrimSpace(v[i+len("cookie="):])
		o.more = len(cookie) > 0
	}
}

// reference reads a search reference record of ldapsearch without -L: "ref:"
// lines (the first one's value is rest) and perhaps "control:" lines.
func (r *Reader) reference(rest []byte, n int) error {
	r.out.opened(n)
	v, err := r.value(rest, n, "ref")
	if err != nil {
		return err
	}
	r.referral(string(v), n, "a search reference")
	for {
		line, m, err := r.logicalLine()
		if err == io.EOF || (err == nil && len(line) == 0) {
			return nil
		}
		if err != nil {
			return err
		}
		if line[0] == '#' {
			if err := r.comment(line, m); err != nil {
				return err
			}
			continue
		}
		name, rest, ok := bytes.Cut(line, []byte(":"))
		switch {
		case ok && bytes.EqualFold(name, []byte("ref")):
			v, err := r.value(rest, m, "ref")
			if err != nil {
				return err
			}
			r.referral(string(v), m, "a search reference")
		case ok && bytes.EqualFold(name, []byte("control")):
		default:
			return r.errorf(m, "expected \"ref:\" lines in ldapsearch's search reference of line %d, found %q", n, clip(line))
		}
	}
}

// result reads a search result record of ldapsearch without -L, from its
// first line (search: or result:) to the blank line after it.
//
// Which result codes (RFC 4511) an export can end with:
//   - 0 success: the search returned every entry.
//   - 10 referral: the server holds nothing of the base and names the
//     server that does (ref: lines); nothing there was read. Like a search
//     reference it goes to Partial, with its URLs (none: refused).
//   - 3 timeLimitExceeded, 4 sizeLimitExceeded, 11 adminLimitExceeded: the
//     server stopped partway (AD stops an unpaged search at MaxPageSize,
//     1000 entries, with 4): the entries before the result are only the
//     first part of the directory. Refused.
//   - Anything else (1 operationsError, 32 noSuchObject, 50
//     insufficientAccessRights, 51 busy, 52 unavailable, 53
//     unwillingToPerform, 80 other, and the client's own negative codes):
//     the search failed, and the entries before it, if any, cannot be
//     taken as the directory. Refused.
func (r *Reader) result(first []byte, colon, n int) error {
	code, codeLine := 0, 0
	var text, codeText string
	type ref struct {
		url  string
		line int
	}
	var refs []ref
	take := func(line []byte, colon, m int) error {
		name := line[:colon]
		switch {
		case bytes.EqualFold(name, []byte("result")):
			v, err := r.value(line[colon+1:], m, "result")
			if err != nil {
				return err
			}
			num, desc, _ := bytes.Cut(bytes.TrimSpace(v), []byte(" "))
			c, err := strconv.Atoi(string(num))
			if err != nil {
				return r.errorf(m, "expected ldapsearch's \"result: CODE TEXT\", found %q", clip(line))
			}
			code, codeLine, codeText = c, m, string(bytes.TrimSpace(desc))
			r.out.codes = true
		case bytes.EqualFold(name, []byte("text")):
			v, err := r.value(line[colon+1:], m, "text")
			if err != nil {
				return err
			}
			text = clip(bytes.TrimSpace(v))
		case bytes.EqualFold(name, []byte("ref")):
			v, err := r.value(line[colon+1:], m, "ref")
			if err != nil {
				return err
			}
			refs = append(refs, ref{string(v), m})
		case bytes.EqualFold(name, []byte("pagedresults")):
			v, err := r.value(line[colon+1:], m, "pagedresults")
			if err != nil {
				return err
			}
			r.pagedResults(v, m)
		}
		// search:, matchedDN:, control: and the lines other response
		// controls print say nothing about completeness.
		return nil
	}
	if err := take(first, colon, n); err != nil {
		return err
	}
	for {
		line, m, err := r.logicalLine()
		if err == io.EOF || (err == nil && len(line) == 0) {
			break
		}
		if err != nil {
			return err
		}
		if line[0] == '#' {
			if err := r.comment(line, m); err != nil {
				return err
			}
			continue
		}
		if hint := promptHint(line); hint != "" {
			return r.errorf(m, "found %q%s", clip(line), hint)
		}
		c := bytes.IndexByte(line, ':')
		if c <= 0 {
			return r.errorf(m, "expected \"name: value\" in ldapsearch's search result of line %d, found %q", n, clip(line))
		}
		if err := take(line, c, m); err != nil {
			return err
		}
	}
	r.out.resultAt()
	if codeLine == 0 {
		return r.errorf(n, "ldapsearch's search result has no \"result: CODE TEXT\" line: whether the search ended cannot be told; export again")
	}
	what := fmt.Sprintf("%d %s", code, codeText)
	if text != "" {
		what += fmt.Sprintf(" (%s)", text)
	}
	switch code {
	case 0:
		return nil
	case 10:
		if len(refs) == 0 {
			return r.errorf(codeLine, "ldapsearch's search result is %q but names no server (no \"ref:\" line): what was not read cannot be told; export from a domain controller of that domain", what)
		}
		for _, x := range refs {
			r.referral(x.url, x.line, "a referral")
		}
		return nil
	case 3, 4, 11:
		return r.errorf(codeLine, "ldapsearch's search result is %q: the server stopped before it returned every entry, so this file holds only part of the directory; export again with paging (ldapsearch -E pr=1000/noprompt) and no size or time limit", what)
	}
	return r.errorf(codeLine, "ldapsearch's search result is %q: the search failed, so this file is not an export of the directory; fix the search and export again", what)
}

// response refuses the other responses ldapsearch prints: an extended
// response ("extended: OID") in a search's output is unsolicited, the
// server's notice that it drops the connection (1.3.6.1.4.1.1466.20036), and
// ldapsearch stops there; an intermediate response ("partial: OID") comes
// from a sync or persistent search, which is not an export.
func (r *Reader) response(name, rest []byte, n int) error {
	v, err := r.value(rest, n, string(name))
	if err != nil {
		return err
	}
	oid := clip(bytes.TrimSpace(v))
	if bytes.EqualFold(name, []byte("partial")) {
		return r.errorf(n, "ldapsearch's intermediate response %s: the output of a sync or persistent search (-E sync, -E ps) is not an export of the directory; export with a plain search", oid)
	}
	return r.errorf(n, "ldapsearch's extended response %s: the server sent it instead of the rest of the search (1.3.6.1.4.1.1466.20036 is its notice that it drops the connection), so the export was cut short; export again", oid)
}

// referral names, once per URL, a reference or referral that was not
// followed: in Partial, unless it names a partition that holds no users,
// groups or contacts (then a note).
func (r *Reader) referral(u string, n int, what string) {
	r.out.refs++
	if r.refs == nil {
		r.refs = map[string]bool{}
	}
	if r.refs[u] {
		return
	}
	r.refs[u] = true
	dn, none := ReferralTarget(u)
	if none != "" {
		r.notes = append(r.notes, fmt.Sprintf("%s:%d: %s to %s was not followed; it names the %s, which holds no users, groups or contacts", r.file, n, what, u, none))
		return
	}
	if dn == "" {
		dn = "it"
	}
	r.partial = append(r.partial, fmt.Sprintf("%s:%d: %s to %s was not followed: the objects under %s are held by another domain controller and were not read (export that domain too, one --ldif per domain)", r.file, n, what, u, dn))
}

// ReferralTarget returns the DN an LDAP URL (a referral) names and, when that
// is a partition of AD that holds no users, groups or contacts (the
// configuration partition or its schema, the DomainDnsZones and
// ForestDnsZones application partitions, to which AD refers every subtree
// search from a domain's root), what it is; "" otherwise.
func ReferralTarget(ref string) (dn, holdsNone string) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", ""
	}
	dn = strings.TrimPrefix(u.Path, "/")
	l := strings.ToLower(dn)
	onlyDC := func(s string) bool {
		for _, rdn := range strings.Split(s, ",") {
			if !strings.HasPrefix(strings.TrimSpace(rdn), "dc=") {
				return false
			}
		}
		return s != ""
	}
	switch {
	case strings.HasPrefix(l, "cn=configuration,") && onlyDC(l[len("cn=configuration,"):]),
		strings.HasPrefix(l, "cn=schema,cn=configuration,") && onlyDC(l[len("cn=schema,cn=configuration,"):]):
		return dn, "configuration partition"
	case strings.HasPrefix(l, "dc=domaindnszones,") && onlyDC(l[len("dc=domaindnszones,"):]),
		strings.HasPrefix(l, "dc=forestdnszones,") && onlyDC(l[len("dc=forestdnszones,"):]):
		return dn, "DNS application partition"
	}
	return dn, ""
}

// atEOF checks, at the end of the input, that every search in it ended.
func (r *Reader) atEOF() error {
	if err := r.checkNoEntries(); err != nil {
		return err
	}
	o := &r.out
	if o.header || o.paged {
		switch {
		case o.open != 0:
			return r.errorf(o.open, "the entries from this line on are not followed by the end of their search (ldapsearch's search result or pagedresults line): the export was cut short (ldapsearch was stopped or lost its connection, which it reports only on the terminal); export again")
		case o.header && o.results == 0:
			return r.errorf(r.line, "the file ends without ldapsearch's \"# search result\": the export was cut short before the search ended (ldapsearch was stopped or lost its connection, which it reports only on the terminal); export again")
		case o.more:
			return r.errorf(o.pagedLine, "the last page's pagedresults carries a cookie, so more pages were to come, but the file ends here: ldapsearch stopped before them (without noprompt it asks before each page); export again with -E pr=1000/noprompt")
		}
	}
	if r.entries == 1000 && !o.paged && !o.codes && !r.changetype && !r.paged {
		r.partial = append(r.partial, fmt.Sprintf("%s holds exactly 1000 entries, the most AD returns to a search without paging (MaxPageSize) before it stops it with \"Size limit exceeded\", which ldapsearch -L, -LL and -LLL report only on the terminal: the export may be cut short (export with paging, ldapsearch -E pr=1000/noprompt, whose output shows where the search ended)", r.file))
	}
	return nil
}

// held says what an input with no objects held instead; records is the
// number of records read.
func (r *Reader) held(records int) string {
	switch {
	case records > 0:
		return fmt.Sprintf("none of its %d %s is a user, group or contact (computers, organizational units and other classes are not objects of sync)", records, plural(records, "record", "records"))
	case r.rootDSEs > 0:
		return "it holds only the root DSE (the entry with an empty DN that ldapsearch -s base -b \"\" writes), no directory object"
	case r.out.refs > 0:
		return "it holds only references to other servers (ldapsearch did not follow them), no entry"
	case r.out.results > 0:
		return "the search it holds found no entries"
	case r.versions > 0:
		return "it holds only a version line" + andComments(r.comments)
	case r.comments > 0:
		return "it holds only comments"
	case r.consumed > 0:
		return "it holds only blank lines"
	}
	return "the file is empty"
}

func andComments(n int) string {
	if n > 0 {
		return " and comments"
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// promptHint explains the lines ldapsearch's paged search writes when it
// asks before each page (-E pr=N without noprompt).
func promptHint(line []byte) string {
	if bytes.HasPrefix(line, []byte("Press [size] Enter")) || bytes.HasPrefix(line, []byte("Estimate entries:")) {
		return " (ldapsearch's prompt before the next page: export with -E pr=1000/noprompt)"
	}
	return ""
}
