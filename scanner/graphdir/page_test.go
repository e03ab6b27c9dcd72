package graphdir

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// decoders are the live reader's page decoders: the fast field tables and
// the encoding/json one, which must agree on what a page is.
var decoders = []struct {
	name   string
	decode func(body []byte) (Page, int, error)
}{
	{"users", func(b []byte) (Page, int, error) {
		n := 0
		p, err := DecodeUsers(b, func(*User) error { n++; return nil })
		return p, n, err
	}},
	{"groups", func(b []byte) (Page, int, error) {
		n := 0
		p, err := DecodeGroups(b, func(*Group) error { n++; return nil })
		return p, n, err
	}},
	{"members", func(b []byte) (Page, int, error) {
		n := 0
		p, err := DecodePage(b, func(*Member) error { n++; return nil })
		return p, n, err
	}},
}

func TestDecodePage(t *testing.T) {
	const link = "https://graph.microsoft.com/v1.0/users?$skiptoken=X"
	for _, tc := range []struct {
		name, body string
		items      int
		next       string
		err        string // "" when the page is accepted
	}{
		{name: "a page and a link", body: `{"@odata.context":"x","value":[{"id":"a"},{"id":"b"}],"@odata.nextLink":"` + link + `"}`, items: 2, next: link},
		{name: "link before value", body: `{"@odata.nextLink":"` + link + `","value":[{"id":"a"}]}`, items: 1, next: link},
		{name: "the last page", body: `{"value":[{"id":"a"}]}`, items: 1},
		{name: "nextLink null", body: `{"value":[{"id":"a"}],"@odata.nextLink":null}`, items: 1},
		{name: "an empty collection", body: ` {"value":[]} `},
		{name: "unusual item goes to encoding/json", body: `{"value":[{"id":"a","x":1e3,"mail":"\u0041"}]}`, items: 1},
		{name: "other keys ignored", body: `{"@odata.count":3,"extra":{"a":[1,2]},"value":[]}`},

		{name: "empty body (200 or 204)", body: ``, err: "the body is empty"},
		{name: "blank body", body: " \r\n\t", err: "the body is empty"},
		{name: "null", body: `null`, err: "JSON null"},
		{name: "{}", body: `{}`, err: `no "value" array`},
		{name: "only a link", body: `{"@odata.nextLink":"` + link + `"}`, err: `no "value" array`},
		{name: "a bare array", body: `[{"id":"a"}]`, err: "a JSON array"},
		{name: "a string", body: `"value"`, err: "a JSON string"},
		{name: "a number", body: `204`, err: "a JSON number"},
		{name: "value null", body: `{"value":null}`, err: `"value" is JSON null, not an array`},
		{name: "value an object", body: `{"value":{"id":"a"}}`, err: `"value" is a JSON object`},
		{name: "value a string", body: `{"value":"a"}`, err: `"value" is a JSON string`},
		{name: "null item", body: `{"value":[null]}`, err: "value[0] is JSON null, not an object"},
		{name: "number item", body: `{"value":[{"id":"a"},7]}`, err: "value[1] is a JSON number"},
		{name: "two value arrays", body: `{"value":[{"id":"a"}],"value":[{"id":"b"}]}`, err: `two "value" arrays`},
		{name: "two links", body: `{"value":[],"@odata.nextLink":"a","@odata.nextLink":"b"}`, err: "two @odata.nextLink"},
		{name: "link not a string", body: `{"value":[],"@odata.nextLink":7}`, err: "@odata.nextLink is a JSON number"},
		{name: "cut short", body: `{"value":[{"id":"a"}`, err: "not valid JSON"},
		{name: "cut short in an item", body: `{"value":[{"id":"a"},{"id":`, err: "not valid JSON"},
		{name: "garbage after the object", body: `{"value":[]} {"value":[]}`, err: "goes on after"},
		{name: "garbage after items", body: `{"value":[{"id":"a"}]}x`, err: "not valid JSON"},
		{name: "not JSON", body: `<html>503</html>`, err: "not valid JSON"},
		{name: "trailing comma", body: `{"value":[{"id":"a"},]}`, err: "not valid JSON"},
	} {
		for _, d := range decoders {
			t.Run(tc.name+"/"+d.name, func(t *testing.T) {
				p, n, err := d.decode([]byte(tc.body))
				if tc.err != "" {
					if err == nil || !strings.Contains(err.Error(), tc.err) {
						t.Fatalf("err %v, want one saying %q", err, tc.err)
					}
					if p != (Page{}) {
						t.Errorf("a refused page returned %+v", p)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if p.Items != tc.items || n != tc.items || p.Next != tc.next {
					t.Errorf("got %+v (%d items passed on), want %d items, next %q", p, n, tc.items, tc.next)
				}
			})
		}
	}
}

// FuzzDecodePage: arbitrary bytes give an error or a page, never a panic,
// and a page accepted is one JSON object whose "value" is an array of that
// many objects, with the next link it holds.
func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{
		`{"value":[{"id":"a","proxyAddresses":["SMTP:a@x"]}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=1"}`,
		`{"value":[],"@odata.nextLink":null}`,
		`{"@odata.context":"c","value":[{"id":"a","onPremisesSyncEnabled":true,"x":[1,{"y":null}]}]}`,
		`{}`, `null`, ``, `[]`, `{"value":null}`, `{"value":[null]}`, `{"value":[]}x`,
		`{"value":[{"id":"\u00e9\ud83d\ude00"}]}`, `{"value":[{"id":"a"}],"value":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, d := range decoders {
			p, n, err := d.decode(body)
			if err != nil {
				if p != (Page{}) {
					t.Fatalf("%s: a refused page returned %+v", d.name, p)
				}
				continue
			}
			if !json.Valid(body) {
				t.Fatalf("%s: accepted a body that is not valid JSON: %q", d.name, body)
			}
			var top map[string]json.RawMessage
			if err := json.Unmarshal(body, &top); err != nil {
				t.Fatalf("%s: accepted a body that is not a JSON object: %q", d.name, body)
			}
			raw, ok := top["value"]
			if !ok {
				t.Fatalf("%s: accepted a page without value: %q", d.name, body)
			}
			var items []json.RawMessage
			if err := json.Unmarshal(raw, &items); err != nil || items == nil {
				t.Fatalf("%s: accepted a value that is not an array: %q", d.name, body)
			}
			for _, it := range items {
				if !bytes.HasPrefix(bytes.TrimSpace(it), []byte("{")) {
					t.Fatalf("%s: accepted an item that is not an object: %q", d.name, body)
				}
			}
			if len(items) != p.Items || n != p.Items {
				t.Fatalf("%s: %d items in value, %d counted, %d passed on: %q", d.name, len(items), p.Items, n, body)
			}
			var next *string
			if raw, ok := top["@odata.nextLink"]; ok {
				_ = json.Unmarshal(raw, &next)
			}
			if want := ""; next != nil && *next != p.Next || next == nil && p.Next != want {
				t.Fatalf("%s: next %q, the body holds %v: %q", d.name, p.Next, next, body)
			}
		}
	})
}
