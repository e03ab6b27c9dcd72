package synth

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLongName: the too-long display name of every name the generator
// makes is 300 characters, over the limit of 256 however many of them take
// two bytes, and does not end in white space (which would be a second
// defect on the same value).
func TestLongName(t *testing.T) {
	for _, first := range firstNames {
		for _, last := range lastNames {
			n := longName(first + " " + last)
			if c := utf8.RuneCountInString(n); c != 300 || !utf8.ValidString(n) {
				t.Errorf("%s %s: %d characters (valid UTF-8: %v), want 300", first, last, c, utf8.ValidString(n))
			}
			if strings.TrimSpace(n) != n {
				t.Errorf("%s %s: %q ends in white space", first, last, n[len(n)-10:])
			}
		}
	}
}
