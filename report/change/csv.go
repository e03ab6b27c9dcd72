package change

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
)

// Columns is the plan's header row, exactly.
var Columns = []string{"id", "action", "side", "object", "name", "attribute", "operation", "from", "to", "findings", "rule", "note"}

// WriteCSV writes the plan as UTF-8 with a byte-order mark (so that Excel
// shows non-ASCII names correctly), RFC 4180 with CRLF line ends. A value
// that a spreadsheet would take for a formula, or that starts with an
// apostrophe, gets one leading apostrophe, which ReadCSV takes off again:
// the values survive Excel exactly.
func WriteCSV(w io.Writer, p *Plan) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for i := range p.Rows {
		r := &p.Rows[i]
		rec := []string{r.ID, string(r.Action), r.Side.String(), r.Object, r.Name, r.Attribute, string(r.Operation), r.From, r.To,
			strings.Join(r.Findings, " "), r.Rule, r.Note}
		for j := range rec {
			rec[j] = defuse(rec[j])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// defuse prefixes a value a spreadsheet would run as a formula (or one that
// starts with the apostrophe this prefix is) with an apostrophe.
func defuse(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r'", rune(v[0])) {
		return "'" + v
	}
	return v
}

func undefuse(v string) string { return strings.TrimPrefix(v, "'") }

// Error is a mistake in a plan file, naming the file, the spreadsheet row
// (the header is row 1) and the column.
type Error struct {
	File   string
	Row    int
	Column string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Row > 0 {
		fmt.Fprintf(&b, ": row %d", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ", column %s", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// ReadCSV reads a plan written by WriteCSV and edited by the admin. The
// header must be exactly Columns; every row needs a known action, side and
// operation. Only the rows are checked here: whether they still match the
// scan is the caller's to check. file names the input in errors.
func ReadCSV(r io.Reader, file string) (*Plan, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if !utf8.Valid(b) {
		return nil, &Error{File: file, Msg: "the file is not UTF-8: in Excel, save it as \"CSV UTF-8 (Comma delimited)\""}
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{File: file, Msg: "the file is empty; want the header " + strings.Join(Columns, ",")}
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	if len(header) == 1 && strings.Count(header[0], ";") >= len(Columns)-1 {
		return nil, &Error{File: file, Row: 1, Msg: "the columns are separated by semicolons (Excel does this in some regions): save it as \"CSV UTF-8 (Comma delimited)\", or set the list separator to a comma"}
	}
	if !slices.Equal(header, Columns) {
		for i, c := range header {
			if i >= len(Columns) || c != Columns[i] {
				want := "nothing"
				if i < len(Columns) {
					want = fmt.Sprintf("%q", Columns[i])
				}
				return nil, &Error{File: file, Row: 1, Msg: fmt.Sprintf("the header is not the plan's: column %d is %q, want %s (the header must be exactly %s)", i+1, c, want, strings.Join(Columns, ","))}
			}
		}
		return nil, &Error{File: file, Row: 1, Msg: fmt.Sprintf("the header lacks %q (it must be exactly %s)", Columns[len(header)], strings.Join(Columns, ","))}
	}
	p := &Plan{}
	seen := map[string]int{}
	row := 1 // the spreadsheet's row: one per record
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return p, nil
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		row++
		if isBlank(rec) {
			continue
		}
		if len(rec) != len(Columns) {
			return nil, &Error{File: file, Row: row, Msg: fmt.Sprintf("%d cells, want %d (line %d)", len(rec), len(Columns), line)}
		}
		for i := range rec {
			rec[i] = undefuse(rec[i])
		}
		r := Row{ID: strings.TrimSpace(rec[0]), Object: rec[3], Name: rec[4], Attribute: strings.TrimSpace(rec[5]),
			From: rec[7], To: rec[8], Rule: strings.TrimSpace(rec[10]), Note: rec[11]}
		bad := func(col, msg string) error { return &Error{File: file, Row: row, Column: col, Msg: msg} }
		if r.ID == "" {
			return nil, bad("id", "empty: every row keeps the id it was written with")
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, bad("id", fmt.Sprintf("%s is also the id of row %d: a row was copied; delete the copy", r.ID, prev))
		}
		seen[r.ID] = row
		switch a := Action(strings.ToLower(strings.TrimSpace(rec[1]))); a {
		case Apply, Decide, Skip:
			r.Action = a
		default:
			return nil, bad("action", fmt.Sprintf("%q: want apply, decide or skip", rec[1]))
		}
		switch strings.ToLower(strings.TrimSpace(rec[2])) {
		case "onprem":
			r.Side = scanner.OnPremSide
		case "cloud":
			r.Side = scanner.CloudSide
		default:
			return nil, bad("side", fmt.Sprintf("%q: want onprem or cloud", rec[2]))
		}
		switch o := Op(strings.ToLower(strings.TrimSpace(rec[6]))); o {
		case Add, Remove, Replace:
			r.Operation = o
		default:
			return nil, bad("operation", fmt.Sprintf("%q: want add, remove or replace", rec[6]))
		}
		if r.Object == "" {
			return nil, bad("object", "empty: want the DN (on premises) or Graph id (cloud) the row was written with")
		}
		if r.Attribute == "" {
			return nil, bad("attribute", "empty")
		}
		if r.Action == Apply {
			switch {
			case r.Operation != Add && r.From == "":
				return nil, bad("from", fmt.Sprintf("empty, but a %s needs the value it changes", r.Operation))
			case r.Operation != Remove && r.To == "":
				return nil, bad("to", "empty: fill in the new value, or set the action to decide or skip")
			}
		}
		r.Findings = strings.Fields(rec[9])
		p.Rows = append(p.Rows, r)
	}
}

func isBlank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Msg: fmt.Sprintf("line %d: %v", pe.Line, pe.Err)}
	}
	return &Error{File: file, Msg: err.Error()}
}
