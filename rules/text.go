package rules

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"

	"github.com/syncready/syncready/scanner"
)

// badRune is one character that a check refuses, with its 1-based position.
type badRune struct {
	r   rune
	pos int
}

// describe names a character for a message: "space at position 6",
// "'ö' at position 3".
func (b badRune) describe() string {
	var name string
	switch {
	case b.r == utf8.RuneError:
		name = "an invalid UTF-8 byte"
	case b.r == ' ':
		name = "space"
	case b.r == '\t':
		name = "tab"
	case b.r == '\u00a0':
		name = "non-breaking space"
	case unicode.IsSpace(b.r):
		name = fmt.Sprintf("whitespace U+%04X", b.r)
	case unicode.IsControl(b.r):
		name = fmt.Sprintf("control character U+%04X", b.r)
	case b.r > unicode.MaxASCII:
		name = fmt.Sprintf("'%c' (U+%04X)", b.r, b.r)
	default:
		name = fmt.Sprintf("'%c'", b.r)
	}
	return fmt.Sprintf("%s at position %d", name, b.pos)
}

// describeAll lists at most five refused characters.
func describeAll(bad []badRune) string {
	var parts []string
	for i, b := range bad {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(bad)-5))
			break
		}
		parts = append(parts, b.describe())
	}
	return strings.Join(parts, ", ")
}

// check is a per-character test: a table for ASCII (true = refused) and a
// function for the rest.
type check struct {
	ascii asciiSet
	other func(r rune) bool
}

// newCheck builds a check from refuse, tabulating it for ASCII.
func newCheck(refuse func(r rune) bool) *check {
	c := &check{other: refuse}
	for r := rune(0); r < 128; r++ {
		c.ascii[r] = refuse(r)
	}
	return c
}

func (c *check) refuses(r rune) bool {
	if r >= 0 && r < 128 {
		return c.ascii[r]
	}
	return c.other(r)
}

// The checks of invalid-character ('@' is the format rule's business).
var (
	upnLocalCheck  = newCheck(func(r rune) bool { return r != '@' && !upnLocalOK(r) })
	upnDomainCheck = newCheck(func(r rune) bool { return r != '@' && smtpRefused(r) })
	smtpCheck      = newCheck(smtpRefused)
	controlCheck   = newCheck(unicode.IsControl)
	nicknameCheck  = newCheck(nicknameRefused)
	samCheck       = newCheck(func(r rune) bool { return strings.ContainsRune(samBad, r) || unicode.IsControl(r) })
)

// scan returns the characters of s (positions counted from 1) that chk
// refuses, and invalid UTF-8.
func scan(s string, chk *check) []badRune {
	// Most values are clean ASCII: a table lookup per byte.
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || chk.ascii[c] {
			clean = false
			break
		}
	}
	if clean {
		return nil
	}
	refuse := chk.refuses
	var bad []badRune
	pos := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		pos++
		if r == utf8.RuneError && size <= 1 || refuse(r) {
			bad = append(bad, badRune{r, pos})
		}
		i += size
	}
	return bad
}

// asciiSet is a set of ASCII characters for the per-character checks.
type asciiSet [128]bool

func setOf(chars string) (s asciiSet) {
	for i := 0; i < len(chars); i++ {
		s[chars[i]] = true
	}
	return s
}

func (s *asciiSet) has(r rune) bool { return r >= 0 && r < 128 && s[r] }

var (
	upnOK      = setOf("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.-_!#^~")
	smtpSet    = setOf(smtpBad)
	nickSet    = setOf(nicknameReplaced)
	asciiSpace = setOf(" \t\n\v\f\r")
)

// upnLocalOK reports whether r may stand in a UPN prefix: A–Z a–z 0–9
// ' . - _ ! # ^ ~ (Entra ID's UPN character set).
func upnLocalOK(r rune) bool { return upnOK.has(r) }

// smtpBad are the characters never valid in an SMTP address, besides
// whitespace.
const smtpBad = `<>();,[]"`

// isSpace is unicode.IsSpace with a table for ASCII.
func isSpace(r rune) bool {
	if r < 128 {
		return asciiSpace.has(r)
	}
	return unicode.IsSpace(r)
}

func smtpRefused(r rune) bool { return isSpace(r) || smtpSet.has(r) }

// nicknameReplaced are the characters the sync service replaces with "_" in
// mailNickname, besides whitespace.
const nicknameReplaced = `\",:;<>@[]()`

func nicknameRefused(r rune) bool { return isSpace(r) || nickSet.has(r) }

// samBad are the characters not valid in sAMAccountName.
const samBad = `"[]:;|=+*?<>/\,`

// transliteration of common Latin letters with diacritics, for suggested
// UPN prefixes.
var translit = map[rune]string{}

func init() {
	for _, pair := range []struct{ from, to string }{
		{"àáâãäåāăą", "a"}, {"ÀÁÂÃÄÅĀĂĄ", "A"}, {"æ", "ae"}, {"Æ", "AE"}, {"çćĉċč", "c"}, {"ÇĆĈĊČ", "C"},
		{"ďđð", "d"}, {"ĎĐÐ", "D"}, {"èéêëēĕėęě", "e"}, {"ÈÉÊËĒĔĖĘĚ", "E"}, {"ĝğġģ", "g"}, {"ĜĞĠĢ", "G"},
		{"ĥħ", "h"}, {"ĤĦ", "H"}, {"ìíîïĩīĭįı", "i"}, {"ÌÍÎÏĨĪĬĮİ", "I"}, {"ĵ", "j"}, {"Ĵ", "J"}, {"ķ", "k"}, {"Ķ", "K"},
		{"ĺļľŀł", "l"}, {"ĹĻĽĿŁ", "L"}, {"ñńņň", "n"}, {"ÑŃŅŇ", "N"}, {"òóôõöøōŏő", "o"}, {"ÒÓÔÕÖØŌŎŐ", "O"},
		{"œ", "oe"}, {"Œ", "OE"}, {"ŕŗř", "r"}, {"ŔŖŘ", "R"}, {"śŝşš", "s"}, {"ŚŜŞŠ", "S"}, {"ß", "ss"},
		{"ţťŧ", "t"}, {"ŢŤŦ", "T"}, {"þ", "th"}, {"Þ", "TH"}, {"ùúûüũūŭůűų", "u"}, {"ÙÚÛÜŨŪŬŮŰŲ", "U"},
		{"ŵ", "w"}, {"Ŵ", "W"}, {"ýÿŷ", "y"}, {"ÝŸŶ", "Y"}, {"źżž", "z"}, {"ŹŻŽ", "Z"},
	} {
		for _, r := range pair.from {
			translit[r] = pair.to
		}
	}
}

// cleanUPNLocal returns the UPN prefix with letters with diacritics
// transliterated, every other refused character removed and trailing dots
// trimmed.
func cleanUPNLocal(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case upnLocalOK(r):
			b.WriteRune(r)
		case translit[r] != "":
			b.WriteString(translit[r])
		}
	}
	return strings.TrimRight(b.String(), ".")
}

// parseAddress splits an address into local part and domain at its last
// '@'.
func parseAddress(a string) (local, domain string, ok bool) {
	at := strings.LastIndexByte(a, '@')
	if at < 0 {
		return a, "", false
	}
	return a[:at], a[at+1:], true
}

// formatProblem says why an address is not local@domain with exactly one
// '@' and a dotted domain, or "" when it is.
func formatProblem(a string) string {
	switch n := strings.Count(a, "@"); {
	case a == "":
		return "the address is empty"
	case n == 0:
		return "there is no @"
	case n > 1:
		return fmt.Sprintf("there are %d @ signs; an address has exactly one", n)
	}
	local, domain, _ := parseAddress(a)
	switch {
	case local == "":
		return "nothing comes before the @"
	case domain == "":
		return "nothing comes after the @"
	case !strings.Contains(domain, "."):
		return fmt.Sprintf("the domain %q has no dot", domain)
	}
	if domain[0] == '.' || domain[len(domain)-1] == '.' || strings.Contains(domain, "..") {
		return fmt.Sprintf("the domain %q has an empty label (a dot at its start or end, or two dots in a row)", domain)
	}
	return ""
}

// proxyProblem checks a proxyAddresses or targetAddress value: a type
// prefix, a value after it, no second ':' and, for SMTP, an address.
func proxyProblem(v string) string {
	if strings.TrimSpace(v) == "" {
		return "the value is empty"
	}
	typ, rest, ok := strings.Cut(v, ":")
	switch {
	case !ok || typ == "":
		return "there is no type prefix such as SMTP:"
	case rest == "":
		return fmt.Sprintf("nothing follows the %s: prefix", typ)
	case strings.Contains(rest, ":") && strings.EqualFold(typ, "smtp"):
		return fmt.Sprintf("there is a second ':' after the %s: prefix", typ)
	}
	if strings.EqualFold(typ, "smtp") {
		return formatProblem(rest)
	}
	return ""
}

// tldRoutable reports whether the last label of domain is an ICANN
// top-level domain in the public suffix list.
func tldRoutable(domain string) (tld string, ok bool) {
	domain = strings.TrimSuffix(strings.TrimSpace(domain), ".")
	tld = strings.ToLower(domain[strings.LastIndexByte(domain, '.')+1:])
	if tld == "" {
		return "", true // the format rule reports it
	}
	if ok, seen := tldCache.Load(tld); seen {
		return tld, ok.(bool)
	}
	suffix, icann := publicsuffix.PublicSuffix(tld)
	ok = icann && suffix == tld
	tldCache.Store(tld, ok)
	return tld, ok
}

// tldCache remembers the answer for each top-level domain: a directory has
// few, and millions of addresses.
var tldCache sync.Map

// smtpTarget returns the SMTP address of a targetAddress ("SMTP:a@b" or a
// bare address), ok false for other address types.
func smtpTarget(t string) (string, bool) {
	typ, rest, ok := strings.Cut(t, ":")
	if !ok {
		return t, true
	}
	if strings.EqualFold(typ, "smtp") {
		return rest, true
	}
	return "", false
}

// upnIsMail reports whether --upn-source is mail, in which case the mail
// checks are the UPN checks and run once.
func (p *Pass) upnIsMail(o *scanner.OnPrem) bool {
	return o.Kind == scanner.KindUser && strings.EqualFold(p.UPNAttr, "mail")
}

// runes counts characters as the directory does.
func runes(s string) int { return utf8.RuneCountInString(s) }

// cut returns the first n characters of s.
func cut(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// rdnValue returns the value of a DN's first RDN (the CN), unescaped
// enough for display.
func rdnValue(o *scanner.OnPrem) string {
	if o.CN != "" {
		return o.CN
	}
	first := o.DN
	for i := 0; i < len(first); i++ {
		if first[i] == '\\' {
			i++
			continue
		}
		if first[i] == ',' {
			first = first[:i]
			break
		}
	}
	_, v, _ := strings.Cut(first, "=")
	return strings.ReplaceAll(strings.TrimSpace(v), `\,`, ",")
}
