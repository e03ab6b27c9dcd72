package graphdir

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/syncready/syncready/scanner"
)

// decodeBoth reads data as users.json with the fast reader and with
// encoding/json, each into a Builder (which refuses what the export cannot
// mean, such as one id twice).
func decodeBoth(t *testing.T, data []byte) (fast, slow []User, ferr, serr error) {
	p := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	fb, sb := NewBuilder(&scanner.Snapshot{}), NewBuilder(&scanner.Snapshot{})
	if ferr = fastCollection(p, Options{}, userFields, func(_ int, u *User) error { fast = append(fast, *u); return fb.User(u) }); ferr == nil {
		ferr = fb.checkIDs()
	}
	if serr = readCollection(p, Options{}, func(_ int, u *User) error { slow = append(slow, *u); return sb.User(u) }); serr == nil {
		serr = sb.checkIDs()
	}
	return
}

var fastSeeds = []string{
	`{"@odata.context":"x","value":[{"id":"a","userPrincipalName":"a@b.c","proxyAddresses":["SMTP:a@b.c","smtp:\u00e9@b.c"],"onPremisesSyncEnabled":true,"mail":null,"extra":{"x":[1,2,{"y":"]"}]}}]}`,
	`[{"Id":"a","UserPrincipalName":"A@B.C","ProxyAddresses":null,"AccountEnabled":false,"AdditionalProperties":{}}]`,
	`{"value":[{"id":"a","displayName":"Zo\u00eb \"Z\" \ud834\udd1e tab\t","proxyAddresses":["x",null]}],"@odata.nextLink":"https://next"}`,
	`{"Id":"single","UserPrincipalName":"s@b.c"}`,
	`{"value":[{"id":"a","onPremisesSyncEnabled":"yes"}]}`,
	`{"value":[{"id":1}]}`,
	`{"value":[{"id":"a"},{"id":"b","mail":"bad\xffutf8"}]}`,
	`{"value":[{"id":"a"} {"id":"b"}]}`,
	`{"value":[{"id":"a","displayName":"lone \udc00 surrogate"}]}`,
	"\ufeff" + `[{"id":"bom"}]`,
	`{"value":[`,
	`{"value":[{"id":"a","n":12.5e3,"b":true,"z":null}, {"id":"c"}]}`,
	// Two documents, garbage after one, no collection at all.
	"{\"value\":[{\"id\":\"a\"}]}\n{\"value\":[{\"id\":\"b\"}]}",
	"[{\"id\":\"a\"}]\n[{\"id\":\"b\"}]",
	"{\"value\":[{\"id\":\"a\"}]}\ngarbage",
	"[{\"id\":\"a\"}] \x00",
	"[] ,",
	`{}`,
	`{"@odata.context":"x"}`,
	`{"error":{"code":"Forbidden","message":"no"}}`,
	`{"value":[{"id":"a"}],"value":[{"id":"b"}]}`,
	// nextLink null is no next page; literals that close the object.
	`{"value":[{"id":"a"}],"@odata.nextLink":null}`,
	`{"@odata.nextLink":null,"value":[{"id":"a"}]}`,
	`{"value":[{"id":"a"}],"@odata.count":1}`,
	`{"value":[1]}`,
	// UTF-16 with and without a byte-order mark.
	utf16File(`{"value":[{"id":"a","displayName":"Zoë 𝄞"}]}`, false, true),
	utf16File(`[{"Id":"a"},{"Id":"b"}]`, true, true),
	utf16File(`[{"Id":"a"}]`, false, false),
	utf16File(`[{"Id":"a"}]`, true, false),
	"\xff\xfe[\x00",
	// One object twice.
	`{"value":[{"id":"a"},{"id":"b"},{"id":"A"}]}`,
	"[\n{\"id\":\"a\"},\n{\"Id\":\"a\"}]",
}

func TestFastMatchesEncodingJSON(t *testing.T) {
	for _, s := range fastSeeds {
		fast, slow, ferr, serr := decodeBoth(t, []byte(s))
		if (ferr == nil) != (serr == nil) || ferr == nil && !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s:\nfast %v %+v\nslow %v %+v", s, ferr, fast, serr, slow)
		}
		if ferr != nil && serr != nil && ferr.Error() != serr.Error() {
			t.Errorf("%s: errors differ:\nfast %v\nslow %v", s, ferr, serr)
		}
	}
}

func FuzzFastMatchesEncodingJSON(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, slow, ferr, serr := decodeBoth(t, data)
		if (ferr == nil) != (serr == nil) {
			t.Fatalf("fast err %v, slow err %v", ferr, serr)
		}
		if ferr == nil && !reflect.DeepEqual(fast, slow) {
			t.Fatalf("fast %+v\nslow %+v", fast, slow)
		}
	})
}
