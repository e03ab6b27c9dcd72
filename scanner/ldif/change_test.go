package ldif

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestChangeRecordsRoundTrip: what ChangeWriter writes, ReadChanges reads
// back value for value, base64 where a value needs it.
func TestChangeRecordsRoundTrip(t *testing.T) {
	type rec struct {
		dn   string
		mods []Mod
	}
	in := []rec{
		{"CN=Zoë Müller,OU=Staff,DC=contoso,DC=com", []Mod{
			{Op: "delete", Attr: "proxyAddresses", Values: [][]byte{[]byte("smtp:zoe@contoso.com")}},
			{Op: "add", Attr: "proxyAddresses", Values: [][]byte{[]byte("SMTP:zoe@contoso.com")}},
		}},
		{"CN=Trailing,DC=contoso,DC=com", []Mod{
			{Op: "delete", Attr: "sn", Values: [][]byte{[]byte("Space ")}},
			{Op: "add", Attr: "sn", Values: [][]byte{[]byte("Space")}},
			{Op: "delete", Attr: "displayName", Values: [][]byte{[]byte(":colon\nnewline")}},
		}},
	}
	var b bytes.Buffer
	w := NewChangeWriter(&b, "syncready fix\nplan p.csv")
	for _, r := range in {
		w.Modify(r.dn, "row c1", r.mods)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{"version: 1\n# syncready fix plan p.csv\n", "dn:: ", "changetype: modify\ndelete: proxyAddresses\nproxyAddresses: smtp:zoe@contoso.com\n-\nadd: proxyAddresses\nproxyAddresses: SMTP:zoe@contoso.com\n-\n", "sn:: U3BhY2Ug\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	var got []rec
	err := ReadChanges(context.Background(), strings.NewReader(text), "c.ldif", func(dn string, _ int, mods []Mod) error {
		got = append(got, rec{dn, mods})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, in)
	}
}
