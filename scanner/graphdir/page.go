package graphdir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// A page of a Graph collection, as the live reader receives it:
// {"@odata.context": …, "value": [...], "@odata.nextLink": …}. The big
// collections are decoded with the same fast field tables as export files.

// DecodeUsers decodes a page of users; it returns the next page's link.
func DecodeUsers(body []byte, fn func(*User) error) (string, error) {
	return decodePage(body, userFields, fn)
}

// DecodeGroups decodes a page of groups.
func DecodeGroups(body []byte, fn func(*Group) error) (string, error) {
	return decodePage(body, groupFields, fn)
}

// DecodeContacts decodes a page of organizational contacts.
func DecodeContacts(body []byte, fn func(*Contact) error) (string, error) {
	return decodePage(body, contactFields, fn)
}

// DecodePage decodes a page of any collection with encoding/json (the small
// ones: roles, domains, organization, sync settings, members).
func DecodePage[T any](body []byte, fn func(*T) error) (string, error) {
	var page struct {
		Value []json.RawMessage `json:"value"`
		Next  string            `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return "", fmt.Errorf("a page that is not Graph's JSON: %w", err)
	}
	for i, raw := range page.Value {
		var item T
		if err := json.Unmarshal(raw, &item); err != nil {
			return "", fmt.Errorf("value[%d]: %w", i, err)
		}
		if err := fn(&item); err != nil {
			return "", fmt.Errorf("value[%d]: %w", i, err)
		}
	}
	return page.Next, nil
}

func decodePage[T any](body []byte, table fieldTable[T], fn func(*T) error) (string, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return "", nil // 204: nothing
	}
	er := &elemReader{r: bytes.NewReader(body), buf: make([]byte, 0, 256<<10)}
	emitted := false
	slow := func() (string, error) {
		if emitted {
			return "", errors.New("the page is not valid JSON after its first items")
		}
		return DecodePage(body, fn)
	}
	if c, err := er.nonSpace(); err != nil || c != '{' {
		return slow()
	}
	er.pos++
	next := ""
	p := &itemParser{}
	for first := true; ; first = false {
		c, err := er.nonSpace()
		if err != nil {
			return slow()
		}
		if c == '}' {
			return next, nil
		}
		if !first {
			if c != ',' {
				return slow()
			}
			er.pos++
		}
		raw, _, err := er.value()
		if err != nil {
			return slow()
		}
		key, err := strconv.Unquote(string(raw))
		if err != nil {
			return slow()
		}
		if c, err := er.nonSpace(); err != nil || c != ':' {
			return slow()
		}
		er.pos++
		switch {
		case key == "value":
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
				raw, _, err := er.value()
				if err != nil {
					return slow()
				}
				var item T
				if err := decodeItem(p, raw, &item, table); err != nil {
					item = *new(T)
					if jerr := json.Unmarshal(raw, &item); jerr != nil {
						return "", fmt.Errorf("value[%d]: %w", i, jerr)
					}
				}
				emitted = true
				if err := fn(&item); err != nil {
					return "", fmt.Errorf("value[%d]: %w", i, err)
				}
			}
		case key == "@odata.nextLink":
			v, _, err := er.value()
			if err != nil {
				return slow()
			}
			if err := json.Unmarshal(v, &next); err != nil {
				return "", fmt.Errorf("@odata.nextLink: %w", err)
			}
		default:
			if v, _, err := er.value(); err != nil || !json.Valid(v) {
				return slow()
			}
		}
	}
}
