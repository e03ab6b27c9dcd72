package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The large tables (a million-row Match plan) are not written cell by cell
// through excelize's StreamWriter, which spends about a microsecond per cell
// on cell names, reflection-free but allocating escapes and value checks:
// most of the time of a large workbook. Their data rows are encoded here as
// sheet XML into a temporary file, and excelize still builds everything
// else: the sheet with its header row, column widths, frozen pane and table
// part. When the workbook is zipped, the rows are spliced into that sheet's
// XML just before its </sheetData>.

// tablePart is one sheet of a table: its data rows as sheet XML.
type tablePart struct {
	f    *os.File
	w    *bufio.Writer
	rows int // data rows, the header not counted
	buf  []byte
}

func newTablePart() (*tablePart, error) {
	f, err := os.CreateTemp("", "syncready-rows-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create workbook rows file: %w", err)
	}
	return &tablePart{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// add encodes one data row. Cells are nil (no cell), string (text),
// excelize.Cell with a string or int value (styled), or int (number).
func (p *tablePart) add(cells []any) error {
	p.rows++
	row := p.rows + 1 // below the header
	b := append(p.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, `">`...)
	for i, c := range cells {
		style := 0
		if v, ok := c.(excelize.Cell); ok {
			style, c = v.StyleID, v.Value
		}
		switch v := c.(type) {
		case nil:
			continue
		case string:
			b = appendCellStart(b, i, row, style)
			b = append(b, ` t="inlineStr"><is><t`...)
			if n := len(v); n > 0 && (isXMLSpace(v[0]) || isXMLSpace(v[n-1])) {
				b = append(b, ` xml:space="preserve"`...)
			}
			b = append(b, '>')
			b = appendCellText(b, v)
			b = append(b, `</t></is></c>`...)
		case int:
			b = appendCellStart(b, i, row, style)
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, int64(v), 10)
			b = append(b, `</v></c>`...)
		default:
			return fmt.Errorf("workbook cell of type %T", c)
		}
	}
	b = append(b, `</row>`...)
	p.buf = b
	_, err := p.w.Write(b)
	return err
}

func appendCellStart(b []byte, col, row, style int) []byte {
	b = append(b, `<c r="`...)
	b = appendColumnName(b, col)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, '"')
	if style != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	return b
}

// appendColumnName appends the letters of zero-based column col.
func appendColumnName(b []byte, col int) []byte {
	var tmp [4]byte
	i := len(tmp)
	for col++; col > 0; col = (col - 1) / 26 {
		i--
		tmp[i] = byte('A' + (col-1)%26)
	}
	return append(b, tmp[i:]...)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendCellText appends s as the text of a cell so that Excel (and
// excelize) read back exactly s: markup characters escaped, a carriage
// return as a character reference, characters XML 1.0 cannot carry
// (controls, U+FFFE, U+FFFF) as Excel's _xHHHH_ escapes, and a literal
// _xHHHH_ in the text protected by escaping its underscore. Bytes that are
// not UTF-8 become U+FFFD, as encoding/xml would write them.
func appendCellText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '_' {
			start := i
			for i++; i < len(s); i++ {
				c = s[i]
				if c < 0x20 || c >= utf8.RuneSelf || c == '&' || c == '<' || c == '>' || c == '_' {
					break
				}
			}
			b = append(b, s[start:i]...)
			continue
		}
		switch c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '\t', '\n':
			b = append(b, c)
		case '\r':
			b = append(b, "&#xD;"...)
		case '_':
			if isBSTREscape(s[i:]) {
				b = append(b, "_x005F"...)
			}
			b = append(b, '_')
		default:
			if c < 0x20 {
				b = appendBSTR(b, rune(c))
				break
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				b = utf8.AppendRune(b, utf8.RuneError)
			case r == 0xFFFE || r == 0xFFFF:
				b = appendBSTR(b, r)
			default:
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		i++
	}
	return b
}

// isBSTREscape reports whether s starts with _xHHHH_, which Excel would
// read as one escaped character.
func isBSTREscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func appendBSTR(b []byte, r rune) []byte {
	const hex = "0123456789ABCDEF"
	return append(b, '_', 'x', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15], '_')
}

// finish flushes the rows to the file.
func (p *tablePart) finish() error {
	if err := p.w.Flush(); err != nil {
		return fmt.Errorf("write workbook rows: %w", err)
	}
	return nil
}

func (p *tablePart) remove() {
	if p.f != nil {
		p.f.Close()
		os.Remove(p.f.Name())
		p.f = nil
	}
}

var sheetDataEnd = []byte("</sheetData>")

// spliceZip hands excelize's zip entries through, putting the spooled rows
// of a sheet in front of the sheet's </sheetData>.
type spliceZip struct {
	zw      excelize.ZipWriter
	splices map[string]*splice // by zip path of the sheet
}

type splice struct {
	rows *tablePart
	done bool
}

func (z *spliceZip) Create(name string) (io.Writer, error) {
	w, err := z.zw.Create(name)
	if err != nil {
		return nil, err
	}
	if s := z.splices[name]; s != nil {
		return &splicer{w: w, s: s}, nil
	}
	return w, nil
}

func (z *spliceZip) AddFS(fsys fs.FS) error { return z.zw.AddFS(fsys) }
func (z *spliceZip) Close() error           { return z.zw.Close() }

// splicer writes through to w, holding back only what could be the start
// of </sheetData>, and writes the rows in front of it. Cell text is escaped,
// so the first </sheetData> is the element's end.
type splicer struct {
	w    io.Writer
	s    *splice
	tail []byte
}

func (sp *splicer) Write(p []byte) (int, error) {
	if sp.s.done {
		return sp.w.Write(p)
	}
	data := p
	if len(sp.tail) > 0 {
		data = append(sp.tail, p...)
	}
	if i := bytes.Index(data, sheetDataEnd); i >= 0 {
		if _, err := sp.w.Write(data[:i]); err != nil {
			return 0, err
		}
		f := sp.s.rows.f
		size, err := f.Seek(0, io.SeekEnd)
		if err != nil {
			return 0, fmt.Errorf("read workbook rows: %w", err)
		}
		if _, err := io.Copy(sp.w, io.NewSectionReader(f, 0, size)); err != nil {
			return 0, fmt.Errorf("copy workbook rows: %w", err)
		}
		sp.s.done = true
		if _, err := sp.w.Write(data[i:]); err != nil {
			return 0, err
		}
		sp.tail = nil
		return len(p), nil
	}
	keep := min(len(sheetDataEnd)-1, len(data))
	if _, err := sp.w.Write(data[:len(data)-keep]); err != nil {
		return 0, err
	}
	sp.tail = append(sp.tail[:0:0], data[len(data)-keep:]...)
	return len(p), nil
}
