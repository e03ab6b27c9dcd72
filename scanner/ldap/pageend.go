package ldap

import (
	"net"
	"sync"
	"sync/atomic"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
)

// Why the page ends are watched on the wire: a domain controller prepares a
// page of 1,000 entries and then sends it in one burst; it does nothing until
// the client asks for the next page. go-ldap hands over the page's end (the
// SearchResultDone with the paging cookie) only after it has decoded every
// entry before it, about 25 ms per page of 1,000 on these machines, and all
// that time the server waits. pageEnds watches the raw LDAP stream under
// go-ldap, sees the SearchResultDone as it arrives, and passes its cookie on
// at once, so pagedSearch asks for the next page while go-ldap still decodes
// the last (measured against Samba: the idle gap between pages went from
// 25–28 ms to 3–4 ms, what ldapsearch achieves).
//
// It reads, never changes, the bytes go-ldap gets. Anything it does not
// understand switches it off for the connection; the search then simply
// waits for go-ldap, as before.

// pageEndConn is the connection go-ldap reads from. Its own goroutine reads
// the socket as fast as the server sends, watches the messages go by and
// queues the bytes (at most maxQueued) for go-ldap's reader, which takes
// them through Read at its own pace. Reading ahead is what makes the page
// end visible early: read only when go-ldap asks, it would be seen no
// sooner than go-ldap sees it.
type pageEndConn struct {
	net.Conn
	ends chan []byte  // cookies of pages that ended, in order; capacity 1
	seen atomic.Int64 // cookies passed on (tests read it)

	mu      sync.Mutex
	cond    sync.Cond
	queue   []byte // queue[head:] was read from the socket, not yet by go-ldap
	head    int
	readErr error // the socket's error, returned once the queue is empty
	closed  bool

	// Owned by the read-ahead goroutine.
	off     bool   // the stream was not understood: stop watching
	hdr     []byte // the start of the current message, up to its protocolOp tag
	skip    int    // bytes of the current message still to pass over
	collect int    // bytes of the current SearchResultDone still to gather
	msg     []byte // the SearchResultDone gathered so far
}

// maxQueued bounds the bytes read ahead: a few pages of AD's.
const maxQueued = 16 << 20

func newPageEndConn(c net.Conn) *pageEndConn {
	p := &pageEndConn{Conn: c, ends: make(chan []byte, 1), hdr: make([]byte, 0, maxHeader)}
	p.cond.L = &p.mu
	go p.readAhead()
	return p
}

// maxHeader bounds the bytes before the protocolOp tag: the SEQUENCE tag, a
// length of up to 4 bytes, the messageID (an INTEGER of up to 4 bytes).
const maxHeader = 1 + 5 + 2 + 4 + 1

// maxDone bounds a SearchResultDone worth decoding; AD's are tens of bytes.
const maxDone = 64 << 10

func (c *pageEndConn) readAhead() {
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Conn.Read(buf)
		if n > 0 && !c.off {
			c.feed(buf[:n])
		}
		c.mu.Lock()
		for len(c.queue)-c.head >= maxQueued && !c.closed {
			c.cond.Wait()
		}
		if c.head > 0 && len(c.queue)+n > cap(c.queue) {
			c.queue = c.queue[:copy(c.queue, c.queue[c.head:])]
			c.head = 0
		}
		c.queue = append(c.queue, buf[:n]...)
		if err != nil {
			c.readErr = err
		}
		done := err != nil || c.closed
		c.cond.Broadcast()
		c.mu.Unlock()
		if done {
			return
		}
	}
}

// Read hands go-ldap the bytes read ahead, in order, then the socket's error.
func (c *pageEndConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.head == len(c.queue) && c.readErr == nil && !c.closed {
		c.cond.Wait()
	}
	if c.head == len(c.queue) {
		if c.readErr == nil {
			return 0, net.ErrClosed
		}
		return 0, c.readErr
	}
	n := copy(p, c.queue[c.head:])
	c.head += n
	if c.head == len(c.queue) {
		c.queue, c.head = c.queue[:0], 0
	}
	c.cond.Broadcast()
	return n, nil
}

// Close closes the socket and wakes both sides.
func (c *pageEndConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.cond.Broadcast()
	c.mu.Unlock()
	return c.Conn.Close()
}

// feed follows the message boundaries through b.
func (c *pageEndConn) feed(b []byte) {
	for len(b) > 0 {
		switch {
		case c.skip > 0:
			n := min(c.skip, len(b))
			c.skip -= n
			b = b[n:]
		case c.collect > 0:
			n := min(c.collect, len(b))
			c.msg = append(c.msg, b[:n]...)
			c.collect -= n
			b = b[n:]
			if c.collect == 0 {
				c.done(c.msg)
				c.msg = c.msg[:0]
			}
		default:
			// A message starts (or its header continues): take one byte at
			// a time so that no byte of the next message is swallowed.
			c.hdr = append(c.hdr, b[0])
			b = b[1:]
			total, op, state := parseHeader(c.hdr)
			switch state {
			case headerShort:
				continue
			case headerBad:
				c.off = true
				return
			}
			have := len(c.hdr)
			if op == goldap.ApplicationSearchResultDone && total <= maxDone {
				c.msg = append(c.msg[:0], c.hdr...)
				c.collect = total - have
				if c.collect == 0 {
					c.done(c.msg)
					c.msg = c.msg[:0]
				}
			} else {
				c.skip = total - have
			}
			c.hdr = c.hdr[:0]
		}
	}
}

type headerState int

const (
	headerShort headerState = iota // more bytes needed
	headerOK
	headerBad
)

// parseHeader reads an LDAPMessage's start: SEQUENCE, length, messageID,
// protocolOp tag. It returns the message's total length and the
// protocolOp's application tag number.
func parseHeader(h []byte) (total int, op uint8, state headerState) {
	if h[0] != 0x30 {
		return 0, 0, headerBad
	}
	if len(h) < 2 {
		return 0, 0, headerShort
	}
	l, i := int(h[1]), 2 // i: past the SEQUENCE's tag and length octets
	if l&0x80 != 0 {
		n := l & 0x7f
		if n == 0 || n > 4 {
			return 0, 0, headerBad
		}
		if len(h) < 2+n {
			return 0, 0, headerShort
		}
		l = 0
		for _, x := range h[2 : 2+n] {
			l = l<<8 | int(x)
		}
		i = 2 + n
	}
	total = i + l
	// messageID: INTEGER, short length of 1..4.
	if len(h) < i+2 {
		return 0, 0, headerShort
	}
	if h[i] != 0x02 || h[i+1] == 0 || h[i+1] > 4 {
		return 0, 0, headerBad
	}
	i += 2 + int(h[i+1])
	if len(h) < i+1 {
		return 0, 0, headerShort
	}
	// protocolOp: [APPLICATION n], constructed for the responses we follow.
	if h[i]&0xc0 != 0x40 || h[i]&0x1f == 0x1f {
		return 0, 0, headerBad
	}
	if total < i+1 {
		return 0, 0, headerBad
	}
	return total, h[i] & 0x1f, headerOK
}

// done decodes a whole SearchResultDone and passes on a successful page's
// non-empty paging cookie.
func (c *pageEndConn) done(msg []byte) {
	p, err := ber.DecodePacketErr(msg)
	if err != nil || len(p.Children) < 2 {
		c.off = true
		return
	}
	op := p.Children[1]
	if len(op.Children) < 1 || len(p.Children) < 3 {
		return // no controls: not a page of a paged search
	}
	if code, ok := op.Children[0].Value.(int64); !ok || code != goldap.LDAPResultSuccess {
		return
	}
	for _, child := range p.Children[2].Children {
		ctrl, err := goldap.DecodeControl(child)
		if err != nil {
			continue
		}
		if pg, ok := ctrl.(*goldap.ControlPaging); ok && len(pg.Cookie) > 0 {
			cookie := append([]byte(nil), pg.Cookie...)
			c.seen.Add(1)
			select {
			case c.ends <- cookie:
			default:
				// An end nobody took (cannot happen: pagedSearch takes each
				// one); keep the newest.
				select {
				case <-c.ends:
				default:
				}
				c.ends <- cookie
			}
		}
	}
}
