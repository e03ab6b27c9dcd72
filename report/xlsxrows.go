package report

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
	"github.com/xuri/excelize/v2"
)

// The large tables (a million-row Match plan) are not written cell by cell
// through excelize's StreamWriter, which spends about a microsecond per cell
// on cell names, escapes and value checks: most of the time of a large
// workbook. Each sheet of a table is encoded here instead, as sheet XML
// compressed as it is written into a temporary file, with its CRC counted
// on the way. excelize still makes the sheet (and its table part, rels and
// content type); when the workbook is zipped, the sheet's entry is replaced
// by the file made here, keeping only the end excelize wrote after
// </sheetData> (the reference to the table part). So a table written in a
// goroutine of its own is compressed there too, beside the rules.

// tablePart is one sheet of a table as a compressed zip entry in the making.
type tablePart struct {
	f    *os.File
	bw   *bufio.Writer
	fw   *flate.Writer
	crc  hash.Hash32
	size int64 // bytes before compression
	rows int   // data rows, the header not counted
	buf  []byte
	// style is the style of the data cells that name none of their own.
	style int
	// room is, per column, the width of its text in cellText units.
	room []int
	done bool // put into the zip
	err  error
}

// newTablePart starts a sheet's XML: root, page setup properties, frozen
// header pane, column widths and the header row. Data cells that name no
// style of their own get cellStyle.
func newTablePart(columns []string, widths []float64, headerStyle, cellStyle int) (*tablePart, error) {
	f, err := scanner.CreateTemp("", "syncready-sheet-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create workbook sheet file: %w", err)
	}
	p := &tablePart{f: f, bw: bufio.NewWriterSize(f, 256<<10), crc: crc32.NewIEEE(), style: cellStyle}
	for _, w := range widths {
		p.room = append(p.room, textRoom(columnPixels(w)))
	}
	p.fw, _ = flate.NewWriter(p.bw, flate.BestSpeed) // the level is valid
	b := append([]byte(nil), xml.Header...)
	b = append(b, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`...)
	// sheetPr comes first in a worksheet. fitToPage makes the pageSetup's
	// fitToWidth and fitToHeight apply; excelize writes the pageSetup
	// itself after the rows (see sheetZip).
	b = append(b, `<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`...)
	b = append(b, `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`...)
	if len(widths) > 0 {
		b = append(b, `<cols>`...)
		for i, w := range widths {
			b = fmt.Appendf(b, `<col min="%d" max="%d" width="%s" customWidth="1"/>`, i+1, i+1, strconv.FormatFloat(w, 'f', -1, 64))
		}
		b = append(b, `</cols>`...)
	}
	b = append(b, `<sheetData>`...)
	p.write(b)
	head := make([]any, len(columns))
	for i, c := range columns {
		head[i] = excelize.Cell{Value: c, StyleID: headerStyle}
	}
	if err := p.row(1, head); err != nil {
		p.remove()
		return nil, err
	}
	return p, p.err
}

func (p *tablePart) write(b []byte) {
	if p.err != nil {
		return
	}
	p.crc.Write(b)
	p.size += int64(len(b))
	if _, err := p.fw.Write(b); err != nil {
		p.err = fmt.Errorf("write workbook sheet file: %w", err)
	}
}

// add encodes one data row. Cells are nil (no cell), string (text),
// excelize.Cell with a string or int value (styled), or int (number); a
// cell without a style of its own gets the part's.
func (p *tablePart) add(cells []any) error {
	p.rows++
	return p.row(p.rows+1, cells) // below the header
}

func (p *tablePart) row(row int, cells []any) error {
	lines := 1
	for i, c := range cells {
		if v, ok := c.(excelize.Cell); ok {
			c = v.Value
		}
		if v, ok := c.(string); ok && i < len(p.room) {
			lines = max(lines, textLines(v, p.room[i]))
		}
	}
	b := appendRowStart(p.buf[:0], row, lines)
	for i, c := range cells {
		style := p.style
		if v, ok := c.(excelize.Cell); ok && v.StyleID != 0 {
			style, c = v.StyleID, v.Value
		} else if ok {
			c = v.Value
		}
		switch v := c.(type) {
		case nil:
			continue
		case string:
			b = appendTextCell(b, i, row, style, v)
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
	p.write(b)
	return p.err
}

// addText encodes one data row of text cells in the part's style; "" is
// no cell. Values are cut to Excel's cell limit as text() cuts them.
func (p *tablePart) addText(cells []string) error { return p.addTextStyles(cells, nil) }

// addTextStyles is addText with styles[i], when there is one and it is not
// 0, the style of cells[i].
func (p *tablePart) addTextStyles(cells []string, styles []int) error {
	p.rows++
	row := p.rows + 1
	lines := 1
	for i, v := range cells {
		if i < len(p.room) {
			lines = max(lines, textLines(v, p.room[i]))
		}
	}
	b := appendRowStart(p.buf[:0], row, lines)
	for i, v := range cells {
		if v != "" {
			style := p.style
			if i < len(styles) && styles[i] != 0 {
				style = styles[i]
			}
			b = appendTextCell(b, i, row, style, cut(v))
		}
	}
	b = append(b, `</row>`...)
	p.buf = b
	p.write(b)
	return p.err
}

// appendRowStart starts row, as tall as lines lines of text when more
// than one: neither Excel nor LibreOffice fits a row to wrapped text when
// it opens a workbook.
func appendRowStart(b []byte, row, lines int) []byte {
	b = append(b, `<row r="`...)
	b = strconv.AppendInt(b, int64(row), 10)
	if lines > 1 {
		b = append(b, `" ht="`...)
		b = strconv.AppendInt(b, int64(min(lines, maxLines)*lineHeight), 10)
		b = append(b, `" customHeight="1`...)
	}
	return append(b, `">`...)
}

// lineHeight is the height of a line of the default font (Calibri 11),
// in points; maxLines is how many fit in Excel's tallest row, 409 points.
const (
	lineHeight = 15
	maxLines   = 409 / lineHeight
)

// charWidths are the widths of characters in the default font (Calibri
// 11, and Carlito, which LibreOffice uses for it), in hundredths of a
// digit's, by byte: each byte of UTF-8 that starts a character other than
// ASCII counts as a digit, a continuation byte as nothing.
var charWidths = func() (w [256]uint8) {
	for i := range w {
		w[i] = 100
	}
	for i := 0x80; i < 0xC0; i++ {
		w[i] = 0
	}
	for _, g := range []struct {
		chars string
		width uint8
	}{
		{" ',.:;!iljI", 50}, {"frtJ()[]{}-", 64}, {"/\"*szcLxvykF", 86}, {"aegTZEYP?+<>~", 98},
		{"ABCKRXV", 112}, {"DGHNUOQ&", 128}, {"wm%", 152}, {"MW@", 176},
	} {
		for i := 0; i < len(g.chars); i++ {
			w[g.chars[i]] = g.width
		}
	}
	return w
}()

// columnPixels is the width in pixels of a column width characters wide,
// as Excel draws it at 100%.
func columnPixels(width float64) int { return int(width*7 + 5) }

// textRoom is the width of the text in a cell px pixels wide (less the
// cell's padding) in charWidths units: a digit is 7.43 pixels.
func textRoom(px int) int { return max((px-4)*10000/743, 100) }

// textLines estimates how many lines v takes wrapped in a cell whose text
// is room wide (textRoom): words go on a line while they fit, a line may
// break after a space or a hyphen, a word wider than a line is broken, and
// a line feed starts a line.
func textLines(v string, room int) int {
	if len(v)*176 <= room && strings.IndexByte(v, '\n') < 0 {
		return 1 // even at the widest characters
	}
	lines, col, word := 1, 0, 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c > '-' { // neither a space, a line feed nor a hyphen
			word += int(charWidths[c])
			continue
		}
		switch c {
		case ' ':
			lines, col = placeWord(lines, col, word, room)
			word = 0
			col += int(charWidths[' '])
		case '\n':
			lines, col = placeWord(lines, col, word, room)
			word = 0
			lines++
			col = 0
		case '-':
			lines, col = placeWord(lines, col, word+int(charWidths['-']), room)
			word = 0
		default:
			word += int(charWidths[c])
		}
	}
	lines, _ = placeWord(lines, col, word, room)
	return lines
}

// placeWord puts a word word wide on the line that has col of room used,
// or on the next, broken when it is wider than a line; it returns the
// lines and the room used on the last.
func placeWord(lines, col, word, room int) (int, int) {
	if word == 0 {
		return lines, col
	}
	if col > 0 && col+word > room {
		lines++
		col = 0
	}
	if word > room {
		n := (word - 1) / room
		lines += n
		word -= n * room
	}
	return lines, col + word
}

func appendTextCell(b []byte, col, row, style int, v string) []byte {
	b = appendCellStart(b, col, row, style)
	b = append(b, ` t="inlineStr"><is><t`...)
	if n := len(v); n > 0 && (isXMLSpace(v[0]) || isXMLSpace(v[n-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	b = appendCellText(b, v)
	return append(b, `</t></is></c>`...)
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

// finish ends the sheet with end, what follows </sheetData>, and puts it
// into zw as name.
func (p *tablePart) finish(zw *zip.Writer, name string, end []byte) error {
	p.write(end)
	if p.err != nil {
		return p.err
	}
	if err := p.fw.Close(); err != nil {
		return fmt.Errorf("write workbook sheet file: %w", err)
	}
	if err := p.bw.Flush(); err != nil {
		return fmt.Errorf("write workbook sheet file: %w", err)
	}
	n, err := p.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return fmt.Errorf("read workbook sheet file: %w", err)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: p.crc.Sum32(), CompressedSize64: uint64(n), UncompressedSize64: uint64(p.size)})
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, io.NewSectionReader(p.f, 0, n)); err != nil {
		return fmt.Errorf("copy workbook sheet: %w", err)
	}
	p.done = true
	return nil
}

func (p *tablePart) remove() {
	if p.f != nil {
		p.f.Close()
		scanner.RemoveTemp(p.f.Name())
		p.f = nil
	}
}

var sheetDataEnd = []byte("</sheetData>")

// sheetZip hands excelize's zip entries through to zw, except the sheets
// made here: what excelize writes for one of those is held until its entry
// ends (at the next entry or the end), and only its end after </sheetData>
// is kept, after the rows made here.
type sheetZip struct {
	zw      *zip.Writer
	parts   map[string]*tablePart // by zip path of the sheet
	pending string
	held    bytes.Buffer
}

func (z *sheetZip) Create(name string) (io.Writer, error) {
	if err := z.flush(); err != nil {
		return nil, err
	}
	if z.parts[name] != nil {
		z.pending = name
		z.held.Reset()
		return &z.held, nil
	}
	return z.zw.Create(name)
}

func (z *sheetZip) flush() error {
	if z.pending == "" {
		return nil
	}
	name := z.pending
	z.pending = ""
	data := z.held.Bytes()
	i := bytes.Index(data, sheetDataEnd)
	if i < 0 {
		return fmt.Errorf("sheet %s as excelize wrote it has no </sheetData>", name)
	}
	return z.parts[name].finish(z.zw, name, data[i:])
}

func (z *sheetZip) AddFS(fsys fs.FS) error {
	if err := z.flush(); err != nil {
		return err
	}
	return z.zw.AddFS(fsys)
}

func (z *sheetZip) Close() error {
	if err := z.flush(); err != nil {
		return err
	}
	return z.zw.Close()
}
