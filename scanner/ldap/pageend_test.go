package ldap

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
)

// message encodes an LDAPMessage the way a server does.
func message(id int64, op *ber.Packet, controls ...goldap.Control) []byte {
	p := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAPMessage")
	p.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, "MessageID"))
	p.AppendChild(op)
	if len(controls) > 0 {
		c := ber.Encode(ber.ClassContext, ber.TypeConstructed, 0, nil, "Controls")
		for _, ctrl := range controls {
			c.AppendChild(ctrl.Encode())
		}
		p.AppendChild(c)
	}
	return p.Bytes()
}

func entryMsg(id int64, dn string, valueLen int) []byte {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationSearchResultEntry, nil, "SearchResultEntry")
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, dn, "DN"))
	attrs := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "attributes")
	a := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "attribute")
	a.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "thumbnailPhoto", "type"))
	vals := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSet, nil, "values")
	vals.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, strings.Repeat("\x30", valueLen), "value"))
	a.AppendChild(vals)
	attrs.AppendChild(a)
	op.AppendChild(attrs)
	return message(id, op)
}

func doneMsg(id int64, code int64, cookie string, withPaging bool) []byte {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationSearchResultDone, nil, "SearchResultDone")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, code, "resultCode"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "matchedDN"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "diagnosticMessage"))
	if !withPaging {
		return message(id, op)
	}
	pg := goldap.NewControlPaging(1000)
	pg.SetCookie([]byte(cookie))
	return message(id, op, pg)
}

// stream is a server's side of a paged search: entries of every size (short
// and long BER lengths, a 70 kB value, message IDs of 1 to 4 bytes), page
// ends with cookies, and ends that must not be passed on.
func stream() ([]byte, []string) {
	var b bytes.Buffer
	var want []string
	ids := []int64{2, 300, 70000, 1 << 30}
	for page := range 4 {
		id := ids[page]
		for i := range 5 {
			b.Write(entryMsg(id, fmt.Sprintf("CN=u%d-%d,DC=x", page, i), []int{0, 100, 200, 70000, 3}[i]))
		}
		cookie := fmt.Sprintf("cookie-%d", page)
		b.Write(doneMsg(id, 0, cookie, true))
		want = append(want, cookie)
		b.Write(doneMsg(id+1, 0, "", false))                     // a base search's end: no paging control
		b.Write(doneMsg(id+2, 0, "", true))                      // the last page: empty cookie
		b.Write(doneMsg(id+3, goldap.LDAPResultBusy, "x", true)) // a failed page: no next page
	}
	return b.Bytes(), want
}

func TestPageEndsFoundInAnyChunking(t *testing.T) {
	data, want := stream()
	for _, size := range []int{1, 2, 3, 7, 13, 100, 4096, len(data)} {
		c := &pageEndConn{ends: make(chan []byte, len(want)+1)}
		for b := data; len(b) > 0; {
			n := min(size, len(b))
			c.feed(b[:n])
			b = b[n:]
		}
		if c.off {
			t.Errorf("chunks of %d: switched off on a valid stream", size)
		}
		close(c.ends)
		var got []string
		for ck := range c.ends {
			got = append(got, string(ck))
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("chunks of %d: page ends %q, want %q", size, got, want)
		}
	}
}

func TestPageEndsSwitchOffOnGarbage(t *testing.T) {
	for _, data := range [][]byte{
		[]byte("\x17\x03\x03\x00\x19not LDAP at all"), // a TLS record
		{0x30, 0x85, 1, 2, 3, 4, 5},                   // 5 length bytes
		{0x30, 0x05, 0x04, 0x01, 0x01},                // messageID not an INTEGER
	} {
		c := &pageEndConn{ends: make(chan []byte, 4)}
		c.feed(append(data, doneMsg(2, 0, "c", true)...))
		if !c.off || len(c.ends) != 0 {
			t.Errorf("% x: off %v, %d ends passed on; want off and none", data, c.off, len(c.ends))
		}
	}
}

// TestPageEndConnPassesEveryByte: go-ldap must read exactly what the server
// sent, then its error, however the reads are cut.
func TestPageEndConnPassesEveryByte(t *testing.T) {
	data, want := stream()
	server, client := net.Pipe()
	go func() {
		for b := data; len(b) > 0; {
			n := min(997, len(b))
			server.Write(b[:n])
			b = b[n:]
		}
		server.Close()
	}()
	c := newPageEndConn(client)
	var got bytes.Buffer
	buf := make([]byte, 333)
	var err error
	for {
		var n int
		n, err = c.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if err != io.EOF || !bytes.Equal(got.Bytes(), data) {
		t.Fatalf("read %d of %d bytes, then %v; want all, then EOF", got.Len(), len(data), err)
	}
	if int(c.seen.Load()) != len(want) {
		t.Errorf("%d page ends seen, want %d", c.seen.Load(), len(want))
	}
	c.Close()
}

func TestPageEndConnCloseWakesTheReader(t *testing.T) {
	_, client := net.Pipe()
	c := newPageEndConn(client)
	errc := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 10))
		errc <- err
	}()
	time.Sleep(10 * time.Millisecond)
	c.Close()
	select {
	case err := <-errc:
		if err == nil {
			t.Error("Read after Close returned no error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Read still blocked after Close")
	}
}

// watchedDir is a fakeDir that sees its page ends before Search returns,
// as a pageEndConn does, and logs the order of events.
type watchedDir struct {
	fakeDir
	ends    chan []byte
	mu      sync.Mutex
	log     []string
	corrupt bool // pass on a wrong cookie
}

func (w *watchedDir) pageEnds() <-chan []byte { return w.ends }

func (w *watchedDir) Search(req *goldap.SearchRequest) (*goldap.SearchResult, error) {
	ctrl := goldap.FindControl(req.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging)
	w.event("ask " + string(ctrl.Cookie))
	time.Sleep(40 * time.Millisecond) // the server prepares the page
	w.mu.Lock()
	res, err := w.fakeDir.Search(req)
	w.mu.Unlock()
	if err == nil {
		if c := goldap.FindControl(res.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging); len(c.Cookie) > 0 {
			cookie := c.Cookie
			if w.corrupt {
				cookie = []byte("0")
			}
			select {
			case w.ends <- cookie: // the page's end is on the wire
			default: // (a pagedSearch that does not watch)
			}
		}
	}
	time.Sleep(20 * time.Millisecond) // go-ldap decodes the page
	w.event("got " + string(ctrl.Cookie))
	return res, err
}

func (w *watchedDir) event(s string) {
	w.mu.Lock()
	w.log = append(w.log, s)
	w.mu.Unlock()
}

func TestPagedSearchAsksForTheNextPageAtThePageEnd(t *testing.T) {
	dir := &watchedDir{fakeDir: fakeDir{entries: entries(2500)}, ends: make(chan []byte, 1)}
	var got int
	_, err := pagedSearch(context.Background(), dir, goldap.NewSearchRequest("DC=x", goldap.ScopeWholeSubtree, 0, 0, 0, false, Filter, nil, nil), func(e *goldap.Entry) error {
		got++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each page is asked for as soon as the one before ended on the wire,
	// before go-ldap returned that one.
	want := "ask |ask 1000|got |ask 2000|got 1000|got 2000"
	if got != 2500 || strings.Join(dir.log, "|") != want {
		t.Errorf("read %d entries, events\n%s\nwant 2500 and\n%s", got, strings.Join(dir.log, "|"), want)
	}
}

func TestPagedSearchRefusesACookieThatDiffers(t *testing.T) {
	dir := &watchedDir{fakeDir: fakeDir{entries: entries(2500)}, ends: make(chan []byte, 1), corrupt: true}
	_, err := pagedSearch(context.Background(), dir, goldap.NewSearchRequest("DC=x", goldap.ScopeWholeSubtree, 0, 0, 0, false, Filter, nil, nil), func(e *goldap.Entry) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "paging cookie") {
		t.Errorf("err %v, want the cookie mismatch", err)
	}
}
