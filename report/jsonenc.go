package report

import (
	"unicode/utf8"
)

// Hand-written JSON for the two items a report has millions of (findings
// and matches): json.Marshal reflects over the struct for every one, which
// was a fifth of the report's time. The output decodes to exactly what
// json.Marshal of jsonFinding and jsonMatch decodes to (a test checks it).

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json does:
// quotes, backslashes, control characters, <, >, &, U+2028 and U+2029, and
// invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendKey(b []byte, key string) []byte {
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// appendFinding appends a finding in the report's shape.
func appendFinding(b []byte, f *Finding) []byte {
	b = append(b, '{')
	if f.New != nil {
		b = appendKey(b, "new")
		if *f.New {
			b = append(b, "true,"...)
		} else {
			b = append(b, "false,"...)
		}
	}
	r := f.Finding
	for _, kv := range [...]struct{ k, v string }{
		{"rule", r.Rule}, {"severity", r.Severity.String()}, {"side", r.Side.String()}, {"kind", r.Kind.String()},
		{"object", r.Object}, {"name", r.Name}, {"attribute", r.Attribute}, {"value", r.Value}, {"message", r.Message},
	} {
		b = appendKey(b, kv.k)
		b = appendString(b, kv.v)
		b = append(b, ',')
	}
	b = append(b, `"fix":{"text":`...)
	b = appendString(b, r.Fix.Text)
	if r.Fix.Attribute != "" {
		b = append(b, `,"attribute":`...)
		b = appendString(b, r.Fix.Attribute)
		b = append(b, `,"from":`...)
		b = appendString(b, r.Fix.From)
		b = append(b, `,"to":`...)
		b = appendString(b, r.Fix.To)
	}
	b = append(b, `},"related":[`...)
	for i, x := range r.Related {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, x)
	}
	b = append(b, `],"relatedNames":[`...)
	for i := range r.Related {
		if i > 0 {
			b = append(b, ',')
		}
		name := ""
		if i < len(r.RelatedNames) {
			name = r.RelatedNames[i]
		}
		b = appendString(b, name)
	}
	b = append(b, `],"fingerprint":`...)
	b = appendString(b, r.Fingerprint)
	if r.Cause != "" { // absent, not null, when no finding causes this one
		b = append(b, `,"cause":`...)
		b = appendString(b, r.Cause)
	}
	return append(b, '}')
}

// appendMatch appends a match-plan entry in the report's shape.
func appendMatch(b []byte, m *Match) []byte {
	b = append(b, `{"onprem":`...)
	b = appendString(b, m.OnPrem)
	b = append(b, `,"cloud":`...)
	if m.Cloud != nil {
		b = appendString(b, *m.Cloud)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"cloudName":`...)
	if m.Cloud != nil {
		b = appendString(b, m.CloudName)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"outcome":`...)
	b = appendString(b, m.Outcome)
	b = append(b, `,"reason":`...)
	if m.Reason != "" {
		b = appendString(b, m.Reason)
	} else {
		b = append(b, "null"...)
	}
	return append(b, '}')
}
