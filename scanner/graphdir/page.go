package graphdir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// A page of a Graph collection, as the live reader receives it:
// {"@odata.context": …, "value": [...], "@odata.nextLink": …}. The big
// collections are decoded with the same fast field tables as export files.
//
// A page is read whole or refused: every page must be one JSON object with
// a "value" array (possibly empty) and nothing after it. An empty body, JSON
// null, {}, an array, a "value" that is not an array, two "value" arrays or
// two next links are errors, never an empty page: a body that says nothing
// must not end a collection as if it were complete. "@odata.nextLink": null
// is the last page, as an absent link is. Items already passed to fn when
// a page turns out to be malformed belong to a failed read; the caller drops
// them with the rest of the collection.

// Page is what a decoded page says besides its items.
type Page struct {
	// Next is @odata.nextLink, "" on the last page.
	Next string
	// Items is the number of items in "value".
	Items int
}

// DecodeUsers decodes a page of users.
func DecodeUsers(body []byte, fn func(*User) error) (Page, error) {
	return decodePage(body, userFields, fn)
}

// DecodeGroups decodes a page of groups.
func DecodeGroups(body []byte, fn func(*Group) error) (Page, error) {
	return decodePage(body, groupFields, fn)
}

// DecodeContacts decodes a page of organizational contacts.
func DecodeContacts(body []byte, fn func(*Contact) error) (Page, error) {
	return decodePage(body, contactFields, fn)
}

// DecodePage decodes a page of any collection, its items with encoding/json
// (the small ones: roles, domains, organization, sync settings, members).
func DecodePage[T any](body []byte, fn func(*T) error) (Page, error) {
	return decodePage[T](body, nil, fn)
}

// decodePage cuts the page with the element reader and decodes each item
// with table (encoding/json when table is nil or the item is unusual).
// When the element reader meets something it does not expect before any
// item was emitted, the strict encoding/json walk decides.
func decodePage[T any](body []byte, table fieldTable[T], fn func(*T) error) (Page, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return Page{}, errors.New(`the body is empty, not a page {"value": [...]}`)
	}
	er := &elemReader{r: bytes.NewReader(body), buf: make([]byte, 0, 256<<10)}
	var page Page
	slow := func() (Page, error) {
		if page.Items > 0 {
			return Page{}, errors.New("the page is not valid JSON after its first items")
		}
		return slowPage(body, table, fn)
	}
	if c, err := er.nonSpace(); err != nil || c != '{' {
		return slow()
	}
	er.pos++
	seenValue, seenNext := false, false
	p := &itemParser{}
	for first := true; ; first = false {
		c, err := er.nonSpace()
		if err != nil {
			return slow()
		}
		if c == '}' {
			er.pos++
			if _, err := er.nonSpace(); err == nil {
				return slow() // something after the object
			}
			if !seenValue {
				return Page{}, errNoValue
			}
			return page, nil
		}
		if !first {
			if c != ',' {
				return slow()
			}
			er.pos++
		}
		raw, _, err := er.value()
		if err != nil || len(raw) == 0 || raw[0] != '"' {
			return slow()
		}
		var key string
		if err := json.Unmarshal(raw, &key); err != nil {
			return slow()
		}
		if c, err := er.nonSpace(); err != nil || c != ':' {
			return slow()
		}
		er.pos++
		switch key {
		case "value":
			if seenValue {
				return Page{}, errTwoValues
			}
			seenValue = true
			if c, err := er.nonSpace(); err != nil || c != '[' {
				return slow()
			}
			er.pos++
			for i := 0; ; i++ {
				c, err := er.nonSpace()
				if err != nil {
					return slow()
				}
				if c == ']' {
					er.pos++
					break
				}
				if i > 0 {
					if c != ',' {
						return slow()
					}
					er.pos++
				}
				raw, err := pageValue(er)
				if err != nil {
					return slow()
				}
				if raw[0] != '{' {
					return Page{}, fmt.Errorf("value[%d] is %s, not an object", i, jsonKind(raw))
				}
				var item T
				if table == nil || decodeItem(p, raw, &item, table) != nil {
					item = *new(T)
					if jerr := json.Unmarshal(raw, &item); jerr != nil {
						return Page{}, fmt.Errorf("value[%d]: %w", i, jerr)
					}
				}
				page.Items++
				if err := fn(&item); err != nil {
					return Page{}, err // the Builder names the collection and the item's place in it
				}
			}
		case "@odata.nextLink":
			if seenNext {
				return Page{}, errTwoLinks
			}
			seenNext = true
			v, err := pageValue(er)
			if err != nil {
				return slow()
			}
			if page.Next, err = nextLink(v); err != nil {
				return Page{}, err
			}
		default:
			if v, err := pageValue(er); err != nil || !json.Valid(v) {
				return slow()
			}
		}
	}
}

// pageValue consumes one JSON value of the page. The element reader ends a
// number or literal only at a comma or a space, so those that end at a '}'
// or ']' (a last "@odata.nextLink": null) are cut here.
func pageValue(er *elemReader) ([]byte, error) {
	c, err := er.nonSpace()
	if err != nil {
		return nil, err
	}
	if c == '{' || c == '[' || c == '"' {
		v, _, err := er.value()
		return v, err
	}
	start, i := er.pos, er.pos
	for {
		for ; i < len(er.buf); i++ {
			switch er.buf[i] {
			case ',', '}', ']', ':', ' ', '\t', '\n', '\r':
				if i == start {
					return nil, errSlowPath
				}
				er.pos = i
				return er.buf[start:i], nil
			}
		}
		// Need more input: keep the value's start in the window.
		shift := start
		er.pos = start
		if !er.fill() {
			if i == shift {
				return nil, io.ErrUnexpectedEOF
			}
			er.pos = i - shift
			return er.buf[:i-shift], nil
		}
		i -= shift
		start = 0
	}
}

var (
	errNoValue   = errors.New(`the page has no "value" array`)
	errTwoValues = errors.New(`the page has two "value" arrays`)
	errTwoLinks  = errors.New("the page has two @odata.nextLink")
)

// nextLink decodes the link's JSON: a string, or null for none.
func nextLink(raw []byte) (string, error) {
	var next *string
	if err := json.Unmarshal(raw, &next); err != nil {
		return "", fmt.Errorf("@odata.nextLink is %s, not a string", jsonKind(raw))
	}
	if next == nil {
		return "", nil
	}
	return *next, nil
}

// slowPage is the strict encoding/json walk of a page, for what the element
// reader does not handle; it also names what a body that is not a page is.
func slowPage[T any](body []byte, table fieldTable[T], fn func(*T) error) (Page, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	tok, err := d.Token()
	if err != nil {
		return Page{}, notJSON(err)
	}
	if tok != json.Delim('{') {
		return Page{}, fmt.Errorf(`the body is %s, not a page {"value": [...]}`, tokenKind(tok))
	}
	var page Page
	seenValue, seenNext := false, false
	p := &itemParser{}
	for d.More() {
		kt, err := d.Token()
		if err != nil {
			return Page{}, notJSON(err)
		}
		key, _ := kt.(string)
		switch key {
		case "value":
			if seenValue {
				return Page{}, errTwoValues
			}
			seenValue = true
			t, err := d.Token()
			if err != nil {
				return Page{}, notJSON(err)
			}
			if t != json.Delim('[') {
				if t == json.Delim('{') {
					return Page{}, errors.New(`"value" is a JSON object, not an array`)
				}
				return Page{}, fmt.Errorf(`"value" is %s, not an array`, tokenKind(t))
			}
			for i := 0; d.More(); i++ {
				var raw json.RawMessage
				if err := d.Decode(&raw); err != nil {
					return Page{}, fmt.Errorf("value[%d]: %w", i, notJSON(err))
				}
				if raw[0] != '{' {
					return Page{}, fmt.Errorf("value[%d] is %s, not an object", i, jsonKind(raw))
				}
				var item T
				if table == nil || decodeItem(p, raw, &item, table) != nil {
					item = *new(T)
					if err := json.Unmarshal(raw, &item); err != nil {
						return Page{}, fmt.Errorf("value[%d]: %w", i, err)
					}
				}
				page.Items++
				if err := fn(&item); err != nil {
					return Page{}, err // the Builder names the collection and the item's place in it
				}
			}
			if _, err := d.Token(); err != nil { // ']'
				return Page{}, notJSON(err)
			}
		case "@odata.nextLink":
			if seenNext {
				return Page{}, errTwoLinks
			}
			seenNext = true
			var raw json.RawMessage
			if err := d.Decode(&raw); err != nil {
				return Page{}, notJSON(err)
			}
			if page.Next, err = nextLink(raw); err != nil {
				return Page{}, err
			}
		default:
			var raw json.RawMessage
			if err := d.Decode(&raw); err != nil {
				return Page{}, notJSON(err)
			}
		}
	}
	if _, err := d.Token(); err != nil { // '}'
		return Page{}, notJSON(err)
	}
	if _, err := d.Token(); err != io.EOF {
		return Page{}, errors.New("the body goes on after the page's JSON object")
	}
	if !seenValue {
		return Page{}, errNoValue
	}
	return page, nil
}

func notJSON(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the body is cut short: not valid JSON")
	}
	return fmt.Errorf("the body is not valid JSON: %w", err)
}

// tokenKind names a JSON token for an error message.
func tokenKind(t json.Token) string {
	switch v := t.(type) {
	case nil:
		return "JSON null"
	case json.Delim:
		if v == '[' {
			return "a JSON array"
		}
		return "a JSON object"
	case string:
		return "a JSON string"
	case bool:
		return "a JSON boolean"
	}
	return "a JSON number"
}

// jsonKind names a raw JSON value for an error message.
func jsonKind(raw []byte) string {
	d := json.NewDecoder(bytes.NewReader(raw))
	t, err := d.Token()
	if err != nil {
		return "invalid JSON"
	}
	return tokenKind(t)
}
