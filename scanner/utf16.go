package scanner

import (
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Reader decodes a UTF-16 stream into UTF-8. Unpaired surrogates
// become U+FFFD, as in encoding/json.
type utf16Reader struct {
	src       io.Reader
	bigEndian bool
	in        []byte // undecoded input, at most one odd byte or a high surrogate carried over
	buf       []byte // reused decode buffer
	out       []byte // decoded output not yet returned, a tail of buf
	err       error
}

// NewUTF16Reader returns a reader of src, UTF-16 text without its
// byte-order mark (ldifde -u, Windows PowerShell 5.1's Out-File and '>'),
// that yields the text as UTF-8. Unpaired surrogates and a trailing odd byte
// become U+FFFD, as in encoding/json.
func NewUTF16Reader(src io.Reader, bigEndian bool) io.Reader {
	return &utf16Reader{src: src, bigEndian: bigEndian, in: make([]byte, 0, 64<<10)}
}

func (u *utf16Reader) unit(b []byte) uint16 {
	if u.bigEndian {
		return uint16(b[0])<<8 | uint16(b[1])
	}
	return uint16(b[1])<<8 | uint16(b[0])
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			if len(u.in) > 0 { // a trailing odd byte or lone high surrogate
				u.in = u.in[:0]
				u.buf = utf8.AppendRune(u.buf[:0], utf8.RuneError)
				u.out = u.buf
				break
			}
			return 0, u.err
		}
		n, err := u.src.Read(u.in[len(u.in):cap(u.in)])
		u.in = u.in[:len(u.in)+n]
		u.err = err
		u.decode()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// decode turns as many complete code units of u.in as possible into UTF-8,
// keeping an odd byte or a high surrogate that may pair with the next read.
func (u *utf16Reader) decode() {
	b := u.in
	i := 0
	out := u.buf[:0]
	for ; i+1 < len(b); i += 2 {
		c := u.unit(b[i:])
		switch {
		case utf16.IsSurrogate(rune(c)) && c < 0xDC00: // high surrogate
			if i+3 >= len(b) {
				goto done // wait for the low half
			}
			lo := u.unit(b[i+2:])
			if r := utf16.DecodeRune(rune(c), rune(lo)); r != utf8.RuneError {
				out = utf8.AppendRune(out, r)
				i += 2
			} else {
				out = utf8.AppendRune(out, utf8.RuneError)
			}
		case utf16.IsSurrogate(rune(c)):
			out = utf8.AppendRune(out, utf8.RuneError)
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
done:
	u.buf, u.out = out, out
	u.in = u.in[:copy(u.in, b[i:])]
}

// IsUTF32 reports whether text starting with head is UTF-32 (with or without
// a byte-order mark), which no export tool the readers take writes and
// which they do not read: its first character comes with three NUL bytes.
func IsUTF32(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	switch {
	case head[0] == 0xFF && head[1] == 0xFE && head[2] == 0 && head[3] == 0,
		head[0] == 0 && head[1] == 0 && head[2] == 0xFE && head[3] == 0xFF:
		return true
	}
	return head[0] != 0 && head[1] == 0 && head[2] == 0 && head[3] == 0 ||
		head[0] == 0 && head[1] == 0 && head[2] == 0 && head[3] != 0
}
