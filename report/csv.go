package report

import (
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// CSV writes the findings table (FindingColumns) as RFC 4180 CSV in UTF-8
// with a byte-order mark, so Excel opens non-ASCII names correctly. Findings
// are spooled and written sorted like the workbook's. A cell that starts
// with = + - @ (or a tab or carriage return) gets a leading apostrophe, so a
// spreadsheet never runs a directory value as a formula (CSV injection).
// Bytes that are not UTF-8 (an LDIF value can hold any) are written as
// U+FFFD, as the JSON report writes them, so the file is valid UTF-8.
type CSV struct {
	out      *atomicFile
	spool    *spool
	baseline bool
	err      error
}

func newCSV(out *atomicFile) (*CSV, error) {
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	return &CSV{out: out, spool: sp}, nil
}

// Start notes whether there is a baseline (a New column).
func (c *CSV) Start(h *Header) error { c.baseline = h.Baseline != nil; return nil }

// Finding spools a finding; suppressed ones are not in the table.
func (c *CSV) Finding(f *Finding) error {
	if c.err == nil && f.Suppressed == nil {
		c.err = c.spool.add(f)
	}
	return c.err
}

// Match does nothing: the CSV holds the findings table only.
func (c *CSV) Match(*Match) error { return nil }

// Resolved does nothing: the CSV holds the findings table only.
func (c *CSV) Resolved(*rules.Finding) error { return nil }

// End writes the table.
func (c *CSV) End(*Summary, *scanner.Coverage) error {
	if c.err != nil {
		return c.err
	}
	if _, err := c.out.WriteString("\ufeff"); err != nil {
		c.err = err
		return err
	}
	w := csv.NewWriter(c.out)
	w.UseCRLF = true
	if err := w.Write(findingColumns(c.baseline)); err != nil {
		c.err = err
		return err
	}
	c.err = c.spool.sorted(func(f *Finding) error {
		row := findingRow(f)
		for i := range row {
			row[i] = defuse(validUTF8(row[i]))
		}
		return w.Write(row)
	})
	c.spool.close()
	if c.err == nil {
		w.Flush()
		c.err = w.Error()
	}
	if c.err != nil {
		c.err = fmt.Errorf("write CSV report %s: %w", c.out.path, c.err)
	}
	return c.err
}

// Commit renames the finished file into place.
func (c *CSV) Commit() error {
	if c.err != nil {
		c.out.abort()
		return c.err
	}
	return c.out.commit()
}

// Abort discards the file.
func (c *CSV) Abort() {
	c.spool.close()
	c.out.abort()
}

// validUTF8 returns s with each byte that is not part of a UTF-8 sequence
// replaced by U+FFFD, byte for byte as the JSON report's encoder does.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// defuse prefixes a value a spreadsheet would take for a formula with an
// apostrophe (OWASP's advice for CSV injection).
func defuse(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
