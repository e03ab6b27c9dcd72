package ldap

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"

	"github.com/syncready/syncready/scanner"
)

// resultOp is an LDAPResult protocolOp (bind, extended) with a code.
func resultOp(tag ber.Tag, code int64) *ber.Packet {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, tag, nil, "result")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, code, "resultCode"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "matchedDN"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "diagnosticMessage"))
	return op
}

// silentDC is a domain controller that answers until a stage and then falls
// silent, its connection open: no reset, no more bytes, as a hung or
// stopped (SIGSTOP) DC or a network that drops packets behaves.
//   - "bind": it never answers the bind;
//   - "root DSE": it answers the bind, not the root DSE;
//   - "page": it answers the root DSE, then sends three entries of the
//     first page and no end;
//   - "starttls": it accepts StartTLS, then never starts the handshake.
func silentDC(t *testing.T, stage string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); l.Close() })
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		for {
			p, err := ber.ReadPacket(c)
			if err != nil || len(p.Children) < 2 {
				return
			}
			id, _ := p.Children[0].Value.(int64)
			op := p.Children[1]
			var reply []byte
			switch {
			case op.Tag == goldap.ApplicationExtendedRequest && stage == "starttls":
				reply = message(id, resultOp(goldap.ApplicationExtendedResponse, 0))
			case op.Tag == goldap.ApplicationBindRequest && stage != "bind":
				reply = message(id, resultOp(goldap.ApplicationBindResponse, 0))
			case op.Tag == goldap.ApplicationSearchRequest && stage != "root DSE" && len(op.Children) > 1 && op.Children[1].Value == int64(goldap.ScopeBaseObject):
				reply = append(entryMsg(id, "", 0), doneMsg(id, 0, "", false)...)
			case op.Tag == goldap.ApplicationSearchRequest && stage == "page":
				for i := range 3 {
					reply = append(reply, entryMsg(id, "CN=u"+string(rune('0'+i))+",DC=x", 10)...)
				}
			}
			if reply != nil {
				if _, err := c.Write(reply); err != nil {
					return
				}
			}
			if reply == nil || stage == "starttls" {
				<-done // silent, the connection open
				return
			}
		}
	}()
	return "ldap://" + l.Addr().String()
}

// TestSilentDCEndsTheRead: a domain controller that falls silent at any
// point of a read ends it with an error once a request has waited
// RequestTimeout (or, for a TLS handshake, DialTimeout), with no objects
// delivered: an unattended scan neither hangs nor reports on part of a
// directory.
func TestSilentDCEndsTheRead(t *testing.T) {
	cases := []struct {
		stage, want string
	}{
		{"bind", "connection timed out"},
		{"root DSE", "read the root DSE of"},
		{"page", "stopped after 0 objects: LDAP Result Code 200 \"Network Error\": ldap: connection timed out; the scan is abandoned"},
		{"starttls", "StartTLS with"},
	}
	for _, c := range cases {
		t.Run(c.stage, func(t *testing.T) {
			src := &Source{URL: silentDC(t, c.stage), BindDN: "CN=reader,DC=x", AllowPlaintext: true, StartTLS: c.stage == "starttls", InsecureSkipVerify: true}
			opt := Options{Password: "pw", DialTimeout: 300 * time.Millisecond, RequestTimeout: 300 * time.Millisecond}
			type outcome struct {
				objs int
				res  []Result
				err  error
			}
			done := make(chan outcome, 1)
			start := time.Now()
			go func() {
				n := 0
				res, err := Read(context.Background(), []*Source{src}, opt, 0, func(*scanner.OnPrem) { n++ })
				done <- outcome{n, res, err}
			}()
			select {
			case o := <-done:
				t.Logf("err: %v", o.err)
				if o.err == nil || !strings.Contains(o.err.Error(), c.want) {
					t.Errorf("err %v, want it to contain %q", o.err, c.want)
				}
				if o.objs != 0 || o.res != nil {
					t.Errorf("%d objects and results %v delivered from a read that failed", o.objs, o.res)
				}
				if d := time.Since(start); d > 3*time.Second {
					t.Errorf("the read took %v to fail; the timeouts are 300 ms", d)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the read still waits for a silent domain controller after 10 s")
			}
		})
	}
}
