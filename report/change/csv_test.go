package change

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
)

func samplePlan() *Plan {
	return &Plan{Rows: []Row{
		{ID: "c1", Action: Apply, Side: scanner.OnPremSide, Object: "CN=Zoë, \"Z\",DC=x", Name: "Zoë", Attribute: "proxyAddresses", Operation: Replace,
			From: "smtp:zoe@x.com", To: "SMTP:zoe@x.com", Findings: []string{"f1", "f2"}, Rule: "lowercase-primary-smtp", Note: "line1\nline2"},
		{ID: "c2", Action: Decide, Side: scanner.CloudSide, Object: "id-1", Name: "=HYPERLINK(\"x\")", Attribute: "mail", Operation: Remove,
			From: "'quoted@x.com", Rule: "duplicate-proxy-address", Note: "+1 -1 @x"},
		{ID: "c3", Action: Skip, Side: scanner.OnPremSide, Object: "CN=a,DC=x", Attribute: "displayName", Operation: Add, To: "-dash"},
	}}
}

// TestPlanCSVRoundTrip: the plan reads back exactly, formula-looking and
// apostrophe values included, and starts with a BOM and the header.
func TestPlanCSVRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, samplePlan()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\ufeffid,action,side,object,name,attribute,operation,from,to,findings,rule,note\r\n") {
		t.Errorf("head %q", b.String()[:80])
	}
	if strings.Contains(b.String(), ",=HYPERLINK") || strings.Contains(b.String(), ",-dash") {
		t.Error("a formula-looking value is not defused")
	}
	got, err := ReadCSV(&b, "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := samplePlan()
	for i := range want.Rows {
		if want.Rows[i].Findings == nil {
			want.Rows[i].Findings = []string{}
		}
		if got.Rows[i].Findings == nil {
			got.Rows[i].Findings = []string{}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, want)
	}
}

// TestPlanCSVErrors: every mistake names the row and column.
func TestPlanCSVErrors(t *testing.T) {
	head := strings.Join(Columns, ",") + "\n"
	for _, c := range []struct{ in, want string }{
		{"", "p.csv: the file is empty"},
		{"id,action\n", "p.csv: row 1: the header lacks \"side\""},
		{"id,action,side,object,name,attribute,operation,from,to,findings,rule,note,extra\n", "row 1: the header is not the plan's: column 13 is \"extra\""},
		{"id;action;side;object;name;attribute;operation;from;to;findings;rule;note\n", "separated by semicolons"},
		{head + "c1,maybe,onprem,CN=x,,mail,remove,a@b.c,,,,\n", "p.csv: row 2, column action: \"maybe\": want apply, decide or skip"},
		{head + "c1,apply,both,CN=x,,mail,remove,a@b.c,,,,\n", "row 2, column side"},
		{head + "c1,apply,onprem,CN=x,,mail,swap,a@b.c,,,,\n", "row 2, column operation"},
		{head + "c1,apply,onprem,CN=x,,mail,replace,a@b.c,,,,\n", "row 2, column to: empty: fill in the new value"},
		{head + "c1,apply,onprem,CN=x,,mail,remove,a@b.c,,,,\nc1,skip,onprem,CN=y,,mail,remove,a@b.c,,,,\n", "row 3, column id: c1 is also the id of row 2"},
		{head + "c1,apply,onprem,,,mail,remove,a@b.c,,,,\n", "row 2, column object: empty"},
		{head + "c1,apply,onprem,CN=x,,mail,remove,a@b.c\n", "row 2: 8 cells, want 12"},
		{"\xff\xfei\x00d\x00", "not UTF-8"},
	} {
		_, err := ReadCSV(strings.NewReader(c.in), "p.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}

// FuzzReadCSV: any bytes give a plan or an error, never a panic; a plan
// read is written and read back the same.
func FuzzReadCSV(f *testing.F) {
	var b bytes.Buffer
	WriteCSV(&b, samplePlan())
	f.Add(b.Bytes())
	f.Add([]byte(strings.Join(Columns, ",") + "\nc1,apply,onprem,CN=x,,mail,remove,a@b.c,,,,\n"))
	f.Add([]byte(strings.Join(Columns, ",") + "\n\"c1\nx\",decide,cloud,id,,mail,add,,,a b,,'=x\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := ReadCSV(bytes.NewReader(in), "f.csv")
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("%T %v", err, err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteCSV(&out, p); err != nil {
			t.Fatal(err)
		}
		q, err := ReadCSV(&out, "f2.csv")
		if err != nil {
			t.Fatalf("a plan read does not read back: %v", err)
		}
		if len(p.Rows) != len(q.Rows) {
			t.Fatalf("%d rows, then %d", len(p.Rows), len(q.Rows))
		}
		for i := range p.Rows {
			a, b := p.Rows[i], q.Rows[i]
			if a.ID != b.ID || a.From != b.From || a.To != b.To || a.Object != b.Object || a.Note != b.Note || a.Action != b.Action {
				t.Fatalf("row %d: %+v, then %+v", i, a, b)
			}
		}
	})
}
