package scanner

import (
	"bufio"
	"bytes"
)

// CountLines reads the next off bytes of br and returns the 1-based line
// the byte after them is on: the line of an offset that a decoder
// reported, for an error message. br is left just after those bytes.
func CountLines(br *bufio.Reader, off int64) (int, error) {
	line := 1
	for off > 0 {
		b, err := br.Peek(int(min(off, int64(br.Size()))))
		line += bytes.Count(b, []byte{'\n'})
		off -= int64(len(b))
		_, _ = br.Discard(len(b))
		if err != nil {
			return line, err
		}
	}
	return line, nil
}
