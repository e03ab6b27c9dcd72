package scanner

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf16"
)

func utf16Units(s string, bigEndian bool) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

type oneByteReader struct{ b []byte }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	p[0] = r.b[0]
	r.b = r.b[1:]
	return 1, nil
}

func TestUTF16Reader(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		be   bool
		want string
	}{
		{"little-endian", utf16Units("a𝄞b€c", false), false, "a𝄞b€c"},
		{"big-endian", utf16Units("a𝄞b€c", true), true, "a𝄞b€c"},
		{"lone high surrogate at the end", append(utf16Units("a", false), 0x34, 0xD8), false, "a\uFFFD"},
		{"lone low surrogate", append(utf16Units("a", false), 0x1E, 0xDD, 'b', 0), false, "a\uFFFDb"},
		{"odd trailing byte", append(utf16Units("ab", false), 'c'), false, "ab\uFFFD"},
	}
	for _, c := range cases {
		// Surrogate pairs and odd bytes split across reads.
		r := NewUTF16Reader(&oneByteReader{c.in}, c.be)
		var out bytes.Buffer
		buf := make([]byte, 1)
		for {
			n, err := r.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				break
			}
		}
		if out.String() != c.want {
			t.Errorf("%s: got %q, want %q", c.name, out.String(), c.want)
		}
	}
}

func TestIsUTF32(t *testing.T) {
	for in, want := range map[string]bool{
		"\xff\xfe\x00\x00{\x00\x00\x00": true, "\x00\x00\xfe\xff": true, "{\x00\x00\x00": true, "\x00\x00\x00{": true,
		"\xff\xfe{\x00": false, "{\"va": false, "d\x00n\x00": false, "": false,
	} {
		if IsUTF32([]byte(in)) != want {
			t.Errorf("%q: %v", in, !want)
		}
	}
}
