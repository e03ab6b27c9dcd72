package ldif

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
)

func readAll(t *testing.T, input []byte, opt Options) ([]scanner.OnPrem, Stats, error) {
	t.Helper()
	var objs []scanner.OnPrem
	st, err := Read(context.Background(), bytes.NewReader(input), "in.ldif", opt, func(o *scanner.OnPrem) { objs = append(objs, *o) })
	return objs, st, err
}

const ldifdeSample = "dn: CN=John Smith,OU=Users,DC=contoso,DC=com\r\n" +
	"changetype: add\r\n" +
	"objectClass: top\r\n" +
	"objectClass: person\r\n" +
	"objectClass: organizationalPerson\r\n" +
	"objectClass: user\r\n" +
	"cn: John Smith\r\n" +
	"displayName: John Smith\r\n" +
	"objectGUID:: AAECAwQFBgcICQoLDA0ODw==\r\n" +
	"sAMAccountName: jsmith\r\n" +
	"userPrincipalName: john@contoso.com\r\n" +
	"proxyAddresses: SMTP:john@contoso.com\r\n" +
	"proxyAddresses: smtp:john.smith@contoso.com\r\n" +
	"proxyAddresses: X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOH\r\n" +
	" F23SPDLT)/cn=Recipients/cn=john\r\n" +
	"\r\n"

func TestLdifdeExport(t *testing.T) {
	objs, st, err := readAll(t, []byte(ldifdeSample), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 1 || len(objs) != 1 {
		t.Fatalf("records %d objects %d", st.Records, len(objs))
	}
	o := objs[0]
	if o.Kind != scanner.KindUser || o.UPN != "john@contoso.com" || o.SAMAccountName != "jsmith" || o.DisplayName != "John Smith" || o.CN != "John Smith" {
		t.Errorf("object %+v", o)
	}
	if len(o.ProxyAddresses) != 3 || o.ProxyAddresses[2] != "X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=john" {
		t.Errorf("proxyAddresses (folded line) %q", o.ProxyAddresses)
	}
	if o.ObjectGUID != "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f" {
		t.Errorf("objectGUID %x", o.ObjectGUID)
	}
	if got := scanner.FormatGUID(o.ObjectGUID); got != "03020100-0504-0706-0809-0a0b0c0d0e0f" {
		t.Errorf("FormatGUID %s", got)
	}
	if o.Line != 1 {
		t.Errorf("line %d", o.Line)
	}
}

func utf16Bytes(s string, bigEndian bool) []byte {
	units := utf16.Encode([]rune(s))
	var b bytes.Buffer
	if bigEndian {
		b.Write([]byte{0xFE, 0xFF})
	} else {
		b.Write([]byte{0xFF, 0xFE})
	}
	for _, u := range units {
		if bigEndian {
			b.Write([]byte{byte(u >> 8), byte(u)})
		} else {
			b.Write([]byte{byte(u), byte(u >> 8)})
		}
	}
	return b.Bytes()
}

func TestUTF16(t *testing.T) {
	// ldifde -u writes UTF-16LE with a BOM; non-BMP characters use surrogate pairs.
	text := strings.Replace(ldifdeSample, "displayName: John Smith", "displayName: Jöhn Smïth 𝄞", 1)
	for _, be := range []bool{false, true} {
		objs, _, err := readAll(t, utf16Bytes(text, be), Options{})
		if err != nil {
			t.Fatalf("bigEndian=%v: %v", be, err)
		}
		if len(objs) != 1 || objs[0].DisplayName != "Jöhn Smïth 𝄞" || len(objs[0].ProxyAddresses) != 3 {
			t.Errorf("bigEndian=%v: %+v", be, objs)
		}
	}
	// A UTF-8 byte-order mark is skipped.
	objs, _, err := readAll(t, append([]byte{0xEF, 0xBB, 0xBF}, ldifdeSample...), Options{})
	if err != nil || len(objs) != 1 {
		t.Errorf("UTF-8 BOM: %v %d", err, len(objs))
	}
}

func TestRecords(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	cases := []struct {
		name  string
		in    string
		opt   Options
		check func(t *testing.T, objs []scanner.OnPrem)
	}{
		{"version line, comments and base64 DN", "version: 1\n# exported\ndn:: " + b64("CN=Zoë Müller,OU=Users,DC=contoso,DC=com") + "\nobjectClass: user\nsAMAccountName: zoe\n",
			Options{}, func(t *testing.T, objs []scanner.OnPrem) {
				if objs[0].DN != "CN=Zoë Müller,OU=Users,DC=contoso,DC=com" {
					t.Errorf("DN %q", objs[0].DN)
				}
			}},
		{"attribute names are case-insensitive; options stripped", "dn: CN=a,DC=x\nOBJECTCLASS: User\nproxyAddresses;range=0-*: SMTP:a@x.com\nuserCertificate;binary:: AAEC\nUSERCERTIFICATE:: AAEC\n",
			Options{}, func(t *testing.T, objs []scanner.OnPrem) {
				o := objs[0]
				if o.Kind != scanner.KindUser || len(o.ProxyAddresses) != 1 || o.UserCertificates != 2 {
					t.Errorf("%+v", o)
				}
			}},
		{"base64 text value keeps its spaces", "dn: CN=a,DC=x\nobjectClass: user\ndisplayName:: " + b64(" Padded ") + "\n",
			Options{}, func(t *testing.T, objs []scanner.OnPrem) {
				if objs[0].DisplayName != " Padded " || !objs[0].Flags.Has(scanner.FlagHasDisplayName) {
					t.Errorf("%q", objs[0].DisplayName)
				}
			}},
		{"kinds", "dn: CN=c,DC=x\nobjectClass: contact\n\ndn: CN=g,DC=x\nobjectClass: group\n\ndn: CN=pc,DC=x\nobjectClass: user\nobjectClass: computer\n\ndn: OU=o,DC=x\nobjectClass: organizationalUnit\n\ndn: CN=i,DC=x\nobjectClass: inetOrgPerson\n",
			Options{}, func(t *testing.T, objs []scanner.OnPrem) {
				var kinds []string
				for _, o := range objs {
					kinds = append(kinds, o.Kind.String())
				}
				if strings.Join(kinds, ",") != "contact,group,user" {
					t.Errorf("kinds %v", kinds)
				}
			}},
		{"upn source", "dn: CN=a,DC=x\nobjectClass: user\nuserPrincipalName: a@x.local\nmail: a@x.com\n",
			Options{UPNAttr: "Mail"}, func(t *testing.T, objs []scanner.OnPrem) {
				if objs[0].UPN != "a@x.com" || objs[0].Mail != "a@x.com" {
					t.Errorf("%+v", objs[0])
				}
			}},
		{"GUID text form and integers", "dn: CN=a,DC=x\nobjectClass: group\nobjectGUID: {03020100-0504-0706-0809-0a0b0c0d0e0f}\ngroupType: -2147483646\nmsExchRecipientTypeDetails: 536870912\nisCriticalSystemObject: TRUE\nthumbnailPhoto:: AAECAwQ=\n",
			Options{}, func(t *testing.T, objs []scanner.OnPrem) {
				o := objs[0]
				if o.ObjectGUID != "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f" || !o.SecurityEnabled() || o.RecipientTypeDetails != 536870912 || !o.Flags.Has(scanner.FlagCriticalSystem) || o.ThumbnailPhotoBytes != 5 {
					t.Errorf("%+v", o)
				}
			}},
		{"version: 1 repeated between records (ldapsearch -L, -LL paged)", "version: 1\n\ndn: CN=a,DC=x\nobjectClass: user\n\nversion: 1\n\ndn: CN=b,DC=x\nobjectClass: user\n",
			Options{}, func(t *testing.T, objs []scanner.OnPrem) {
				if len(objs) != 2 || objs[1].DN != "CN=b,DC=x" {
					t.Errorf("%+v", objs)
				}
			}},
		{"no trailing newline, several blank lines", "\n\n\ndn: CN=a,DC=x\nobjectClass: user\n\n\n\ndn: CN=b,DC=x\nobjectClass: user",
			Options{}, func(t *testing.T, objs []scanner.OnPrem) {
				if len(objs) != 2 || objs[1].DN != "CN=b,DC=x" {
					t.Errorf("%+v", objs)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			objs, _, err := readAll(t, []byte(c.in), c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) == 0 {
				t.Fatal("no objects")
			}
			c.check(t, objs)
		})
	}
}

// TestRangedRetrievalPartial: values cut short by a ranged retrieval that
// was not followed are something the export left out, not a note.
func TestRangedRetrievalPartial(t *testing.T) {
	_, st, err := readAll(t, []byte("dn: CN=a,DC=x\nobjectClass: user\nproxyAddresses;range=0-1499: smtp:a@x.com\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Partial) != 1 || !strings.Contains(st.Partial[0], "ranged retrieval") || !strings.HasPrefix(st.Partial[0], "in.ldif:1: proxyAddresses of CN=a,DC=x") {
		t.Errorf("partial %q", st.Partial)
	}
	if len(st.Notes) != 0 {
		t.Errorf("notes %q", st.Notes)
	}
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"bad base64", "dn: CN=a,DC=x\nobjectClass: user\nobjectGUID:: %%%notbase64\n", "in.ldif:3: attribute objectGUID: invalid base64"},
		{"continuation with no entry", "dn: CN=a,DC=x\nobjectClass: user\n\n continued\n", "in.ldif:4: continuation line"},
		{"continuation at start", " continued\ndn: CN=a,DC=x\n", "in.ldif:1: continuation line"},
		{"missing dn", "objectClass: user\nmail: a@x.com\n", "in.ldif:1: expected a record to start with \"dn:\""},
		{"URL value", "dn: CN=a,DC=x\njpegPhoto:< file:///etc/passwd\n", "in.ldif:2: attribute jpegPhoto: value given by URL"},
		{"modify record", "dn: CN=a,DC=x\nchangetype: modify\nreplace: mail\n", "in.ldif:2: changetype \"modify\""},
		{"no colon", "dn: CN=a,DC=x\nthis is not ldif\n", "in.ldif:2: expected \"attribute: value\""},
		{"short GUID", "dn: CN=a,DC=x\nobjectClass: user\nobjectGUID:: AAEC\n", "in.ldif:3: CN=a,DC=x: attribute objectGUID: expected a 16-byte GUID"},
		{"bad integer", "dn: CN=a,DC=x\nobjectClass: group\ngroupType: many\n", "in.ldif:3: CN=a,DC=x: attribute groupType: expected an integer"},
		{"version 2", "version: 2\ndn: CN=a,DC=x\nobjectClass: user\n", `in.ldif:1: version "2": only LDIF version 1 (RFC 2849) can be read`},
		{"version 2 between records", "version: 1\n\ndn: CN=a,DC=x\nobjectClass: user\n\nversion: 2\n\ndn: CN=b,DC=x\nobjectClass: user\n", `in.ldif:6: version "2"`},
		{"version without a number", "version:\ndn: CN=a,DC=x\n", `in.ldif:1: version ""`},
		{"base64 DN not UTF-8", "dn:: " + base64.StdEncoding.EncodeToString([]byte("CN=J\xfcrgen,DC=x")) + "\nobjectClass: user\n", `in.ldif:1: dn:: decodes to bytes that are not UTF-8 ("CN=J\xfcrgen,DC=x")`},
		{"Latin-1 DN", "dn: CN=J\xfcrgen,DC=x\nobjectClass: user\n", `in.ldif:1: dn: holds bytes that are not UTF-8 ("CN=J\xfcrgen,DC=x"): the file is in another encoding`},
		{"UTF-16LE without BOM", string(utf16Bytes(ldifdeSample, false)[2:]), "in.ldif:1: looks like UTF-16 (little-endian) without a byte-order mark; export with ldifde -u (which writes a BOM) or convert to UTF-8"},
		{"UTF-16BE without BOM", string(utf16Bytes(ldifdeSample, true)[2:]), "in.ldif:1: looks like UTF-16 (big-endian) without a byte-order mark"},
		{"UTF-16LE comment first, without BOM", string(utf16Bytes("# export\r\n"+ldifdeSample, false)[2:]), "in.ldif:1: looks like UTF-16 (little-endian) without a byte-order mark"},
		{"modify after ldapsearch header", "# extended LDIF\ndn: CN=a,DC=x\nchangetype: delete\n", `in.ldif:3: changetype "delete"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := readAll(t, []byte(c.in), Options{})
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			var le *Error
			if !errors.As(err, &le) {
				t.Errorf("error %T is not *ldif.Error", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Read(ctx, strings.NewReader(ldifdeSample), "in.ldif", Options{}, func(*scanner.OnPrem) {})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
}

func TestLongLine(t *testing.T) {
	// A value longer than the reader's buffer (a large thumbnailPhoto).
	photo := bytes.Repeat([]byte{0xAB}, 3<<20)
	in := "dn: CN=a,DC=x\nobjectClass: user\nthumbnailPhoto:: " + base64.StdEncoding.EncodeToString(photo) + "\nmail: a@x.com\n"
	objs, _, err := readAll(t, []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if objs[0].ThumbnailPhotoBytes != 3<<20 || objs[0].Mail != "a@x.com" {
		t.Errorf("%d %q", objs[0].ThumbnailPhotoBytes, objs[0].Mail)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(ldifdeSample))
	f.Add(utf16Bytes(ldifdeSample, false))
	f.Add(utf16Bytes(ldifdeSample, false)[2:]) // UTF-16 without a byte-order mark
	f.Add([]byte("#\x00 \x00e\x00"))
	f.Add([]byte("dn:: Q049YQ==\n objectClass: user\n"))
	f.Add([]byte("version: 2\ndn: CN=a,DC=x\nobjectClass: user\n"))
	f.Add([]byte("dn:\nobjectClass: user\n\ndn: \nobjectClass: user\n\ndn::\nobjectClass: user\n"))
	f.Add([]byte("dn:: " + base64.StdEncoding.EncodeToString([]byte("CN=\xff\xfe,DC=x")) + "\nobjectClass: user\n"))
	f.Add([]byte("ref: ldap://a/DC=b\n\nsearch: 2\nresult: 10 Referral\nref: ldap://c/DC=d\n\n# numResponses: 2\n# numEntries: 0\n"))
	f.Add([]byte("dn: CN=a,DC=x\nobjectClass: user\n\n# refldap://x/DC=y\n\n# pagedresults: estimate=1 cookie=AA==\n"))
	f.Add([]byte("# extended LDIF\n\ndn: CN=a,DC=x\nobjectClass: user\n\n# extended result response\nextended: 1.3.6.1.4.1.1466.20036\nresult: 52 Server is unavailable\n"))
	for _, name := range []string{"ldapsearch.ldif", "ldapsearch-paged.ldif", "ldapsearch-L-paged.ldif", "ldapsearch-LL-paged.ldif", "ldapsearch-LLL-paged.ldif", "ldapsearch-rootdse.ldif", "ldapsearch-nosuchobject.ldif", "ldapsearch-referral-only.ldif"} {
		in := sample(f, name)
		f.Add([]byte(in))
		f.Add([]byte(strings.Replace(in, "result: 0 Success", "result: 4 Size limit exceeded", 1)))
		f.Add([]byte(in[:len(in)/2]))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		st, err := Read(context.Background(), bytes.NewReader(in), "fuzz.ldif", Options{}, func(o *scanner.OnPrem) {
			if o.DN == "" {
				t.Fatalf("an object with an empty DN")
			}
			if !utf8.ValidString(o.DN) {
				t.Fatalf("a DN that is not UTF-8: %q", o.DN)
			}
		})
		if err == nil && st.Objects == 0 && st.Empty == "" {
			t.Fatalf("no objects and no word why")
		}
	})
}

func TestWriteRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.Comment("export")
	vals := func(s ...string) [][]byte {
		var out [][]byte
		for _, v := range s {
			out = append(out, []byte(v))
		}
		return out
	}
	_ = w.Write("CN=Zoë Müller,OU=Users,DC=x", []Attr{
		{"objectClass", vals("top", "user")},
		{"objectGUID", vals("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f")},
		{"displayName", vals(" lead", "trail ", ":colon", "<angle", "two\nlines", "ö")},
		{"proxyAddresses", vals("SMTP:a@x.com", "X500:/o=A (B)/cn=c")},
		{"sAMAccountName", vals("zoe")},
	})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var got []Attr
	r := NewReader(&buf, "w.ldif")
	rec, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.DN != "CN=Zoë Müller,OU=Users,DC=x" {
		t.Errorf("dn %q", rec.DN)
	}
	for i := 0; i < rec.Len(); i++ {
		got = append(got, Attr{string(rec.Name(i)), [][]byte{append([]byte(nil), rec.Value(i)...)}})
	}
	want := []string{"top", "user", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", " lead", "trail ", ":colon", "<angle", "two\nlines", "ö", "SMTP:a@x.com", "X500:/o=A (B)/cn=c", "zoe"}
	if len(got) != len(want) {
		t.Fatalf("got %d values", len(got))
	}
	for i, a := range got {
		if string(a.Values[0]) != want[i] {
			t.Errorf("value %d: %q, want %q", i, a.Values[0], want[i])
		}
	}
}
