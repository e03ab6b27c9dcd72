package graphdir

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
)

// utf16File encodes s as UTF-16 with a byte-order mark (bom false: none).
func utf16File(s string, bigEndian, bom bool) string {
	var b []byte
	if bom {
		if bigEndian {
			b = append(b, 0xFE, 0xFF)
		} else {
			b = append(b, 0xFF, 0xFE)
		}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

// TestRefused: exports that would read as a smaller or different tenant
// than they hold are errors naming the file, the line, the JSON path and
// what was expected.
func TestRefused(t *testing.T) {
	const users = `{"value":[{"id":"u1"}]}`
	roleGroup := map[string]string{
		"groups.json":          `{"value":[{"id":"g1","isAssignableToRole":true}]}`,
		"roleAssignments.json": `{"value":[{"principalId":"g1","roleDefinition":{"displayName":"Global Administrator"}}]}`,
	}
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		// Item 1: anything after the document.
		{"two documents", map[string]string{"users.json": "{\"value\":[{\"id\":\"u1\"}]}\n{\"value\":[{\"id\":\"u2\"}]}\n"},
			"users.json:2: expected the end of the file after the JSON document, found a second JSON document: pages saved one after another?"},
		{"two arrays", map[string]string{"users.json": "[{\"id\":\"u1\"}]\n\n[{\"id\":\"u2\"}]"},
			"users.json:3: expected the end of the file after the JSON document, found a second JSON document"},
		{"garbage after the document", map[string]string{"users.json": "{\"value\":[{\"id\":\"u1\"}]}\n  xyz\nmore"},
			`users.json:2: expected the end of the file after the JSON document, found "xyz"`},
		{"NUL padding", map[string]string{"users.json": "[{\"id\":\"u1\"}]\n\x00\x00\x00"},
			`users.json:2: expected the end of the file after the JSON document, found "\x00\x00\x00"`},
		{"two documents in a small file", map[string]string{"users.json": users, "domains.json": "{\"value\":[]}\n{\"value\":[{\"id\":\"x.com\"}]}"},
			"domains.json:2: expected the end of the file after the JSON document, found a second JSON document"},
		{"garbage after a single object", map[string]string{"users.json": users, "organization.json": "{\"id\":\"t\"}\n}"},
			`organization.json:2: expected the end of the file after the JSON document, found "}"`},
		{"two value arrays", map[string]string{"users.json": `{"value":[{"id":"u1"}],"value":[{"id":"u2"}]}`},
			`users.json:1: value: a second "value" array`},
		// Item 2: an object that is no collection.
		{"empty object", map[string]string{"users.json": `{}`},
			`users.json:1: expected {"value": [...]}, a JSON array or a single object, found an empty object`},
		{"only @odata.context", map[string]string{"users.json": `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users"}`},
			`users.json:1: expected {"value": [...]}, found an object without "value" (only "@odata.context")`},
		{"only @odata keys in groups.json", map[string]string{"users.json": users, "groups.json": `{"@odata.context":"x","@odata.nextLink":null}`},
			`groups.json:1: expected {"value": [...]}, found an object without "value" (only "@odata.context", "@odata.nextLink")`},
		{"a Graph error saved as the collection", map[string]string{"users.json": users, "onPremisesSynchronization.json": `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`},
			"onPremisesSynchronization.json:1: the file holds a Graph error response, not the collection (Authorization_RequestDenied: Insufficient privileges to complete the operation.)"},
		{"two organizations", map[string]string{"users.json": users, "organization.json": `{"value":[{"id":"t1"},{"id":"t2"}]}`},
			"organization.json:1: value[1].id: a second organization, t2, beside t1: a tenant has one organization"},
		// Item 3: one object twice.
		{"duplicate id", map[string]string{"users.json": "{\"value\":[\n{\"id\":\"8c5e3f1a-0000-4000-8000-000000000001\"},\n{\"id\":\"u2\"},\n{\"id\":\"8C5E3F1A-0000-4000-8000-000000000001\"}]}"},
			`users.json:4: value[2].id: duplicate id "8C5E3F1A-0000-4000-8000-000000000001": value[0] has it too, so the export holds the same object twice`},
		{"duplicate id, PowerShell array", map[string]string{"users.json": "[\n {\n  \"Id\": \"a\"\n },\n {\n  \"Id\": \"a\"\n }\n]"},
			`users.json:5: value[1].id: duplicate id "a": value[0] has it too`},
		{"duplicate id across collections", map[string]string{"users.json": users, "groups.json": `[{"id":"g1"},{"id":"U1"}]`},
			`groups.json:1: value[1].id: duplicate id "U1": users value[0] has it too, but a Graph id names one object`},
		{"duplicate contact", map[string]string{"users.json": users, "contacts.json": `{"value":[{"id":"c1"},{"id":"c1"}]}`},
			`contacts.json:1: value[1].id: duplicate id "c1": value[0] has it too`},
		{"duplicate deleted user", map[string]string{"users.json": users, "deletedUsers.json": `{"value":[{"id":"d1"},{"id":"d2"},{"id":"D1"}]}`},
			`deletedUsers.json:1: value[2].id: duplicate id "D1": value[0] has it too`},
		{"duplicate role assignment", map[string]string{"users.json": users, "roleAssignments.json": `{"value":[{"id":"ra-1","principalId":"u1"},{"id":"ra-1","principalId":"u1"}]}`},
			`roleAssignments.json:1: value[1].id: duplicate id "ra-1": value[0] has it too`},
		{"duplicate member", merge(roleGroup, map[string]string{"users.json": users, "roleGroupMembers/g1.json": "{\"value\":[\n{\"id\":\"u1\"},\n{\"id\":\"U1\"}]}"}),
			`roleGroupMembers/g1.json:3: value[1].id: duplicate id "U1": value[0] has it too`},
		// Item 4: UTF-16 without a byte-order mark.
		{"UTF-16 LE without BOM", map[string]string{"users.json": utf16File(users, false, false)},
			"users.json: looks like UTF-16 without a byte-order mark; save it as UTF-8 or UTF-16 with BOM"},
		{"UTF-16 BE without BOM", map[string]string{"users.json": users, "domains.json": utf16File("\r\n"+`{"value":[]}`, true, false)},
			"domains.json: looks like UTF-16 without a byte-order mark"},
		// Item 5: what was found, in words; every error names the file.
		{"a string", map[string]string{"users.json": `"hello"`}, `users.json:1: expected {"value": [...]} or a JSON array, found the string "hello"`},
		{"null", map[string]string{"users.json": `null`}, `users.json:1: expected {"value": [...]} or a JSON array, found null`},
		{"a number", map[string]string{"users.json": users, "domains.json": `42`}, `domains.json:1: expected {"value": [...]} or a JSON array, found the number 42`},
		{"value is an object", map[string]string{"users.json": `{"value":{"id":"a"}}`}, "users.json:1: value: expected an array, found an object"},
		{"value is null", map[string]string{"users.json": `{"value":null}`}, "users.json:1: value: expected an array, found null"},
		{"member without id", merge(roleGroup, map[string]string{"users.json": users, "roleGroupMembers/g1.json": "{\"value\":[\n{\"id\":\"u1\"},\n{\"@odata.type\":\"#microsoft.graph.user\"}]}"}),
			`roleGroupMembers/g1.json:3: value[1].id: missing "id"`},
		{"single user without id", map[string]string{"users.json": `{"UserPrincipalName":"a@contoso.com"}`}, `users.json: id: missing "id"`},
		{"organization without id", map[string]string{"users.json": users, "organization.json": `{"DisplayName":"Contoso"}`}, `organization.json: id: missing "id"`},
		{"single object of the wrong type", map[string]string{"users.json": `{"Id":"u1","AccountEnabled":"yes"}`}, "users.json: accountEnabled: expected true, false or null, found a string"},
		{"principalId that is no id", map[string]string{"users.json": users, "roleAssignments.json": `{"value":[{"principalId":"../../etc/passwd"}]}`},
			`roleAssignments.json:1: value[0].principalId: expected a Graph object id, found "../../etc/passwd"`},
		{"wrong type on a later line, small file", map[string]string{"users.json": users, "roleAssignments.json": "{\"value\":[\n{\"principalId\":\"u1\"},\n{\"principalId\":\n5}]}"},
			"roleAssignments.json:4: value[1].principalId: expected a string, found a number"},
		{"missing id, line of the item's start", map[string]string{"users.json": users, "domains.json": "{\"value\":[\n{\"id\":\"a.com\"},\n  {\n\"isVerified\":true\n}]}"},
			`domains.json:3: value[1].id: missing "id"`},
		{"lines after a UTF-8 BOM", map[string]string{"users.json": users, "roleAssignments.json": "\ufeff{\"value\":[\n{\"principalId\":\"u1\"},\n{\"principalId\":5}]}"},
			"roleAssignments.json:3: value[1].principalId: expected a string, found a number"},
		{"lines in UTF-16", map[string]string{"users.json": utf16File("[\r\n{\"id\":\"é\"},\r\n{\"id\":\"É\"},\r\n{\"id\":\"u\",\r\n\"mail\":5}]", false, true)},
			"users.json:5: value[2].mail: expected a string, found a number"},
		{"lines in UTF-16, small file", map[string]string{"users.json": users, "roleAssignments.json": utf16File("{\"value\":[\r\n{\"principalId\":\"é\"},\r\n{\"principalId\":\"u\",\r\n\"roleDefinition\":5}]}", true, true)},
			"roleAssignments.json:4: value[1].roleDefinition: expected an object, found a number"},
		// A non-null nextLink stays refused.
		{"one page", map[string]string{"users.json": `{"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x","value":[{"id":"a"}]}`}, "users.json:1: @odata.nextLink: the export holds only one page"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := load(t, c.files)
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Errorf("%T is not *graphdir.Error: %v", err, err)
			}
			if !strings.Contains(err.Error(), "/"+c.want) {
				t.Errorf("error\n%s\nwant\n%s", err, c.want)
			}
		})
	}
}

// about joins the coverage entries that start with prefix.
func about(l []string, prefix string) string {
	var out []string
	for _, s := range l {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n")
}

func merge(a, b map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

// TestAccepted: shapes that are valid exports, in every file.
func TestAccepted(t *testing.T) {
	const name = "Zoë 𝄞"
	cases := []struct {
		name, users string
		n           int
	}{
		{"nextLink null after value", `{"value":[{"id":"u1"},{"id":"u2"}],"@odata.nextLink":null}`, 2},
		{"nextLink null before value", `{"@odata.context":"x","@odata.nextLink":null,"value":[{"id":"u1"}]}`, 1},
		{"@odata.count after value", `{"value":[{"id":"u1"}],"@odata.count":1}`, 1},
		{"empty value", `{"value":[]}`, 0},
		{"empty array", "[]\n", 0},
		{"whitespace after", "{\"value\":[{\"id\":\"u1\"}]}\r\n\r\n\t \n", 1},
		{"one user, ConvertTo-Json", `{"Id":"u1","DisplayName":"` + name + `"}`, 1},
		{"UTF-16 LE with BOM", utf16File("[\r\n {\r\n  \"Id\": \"u1\",\r\n  \"DisplayName\": \""+name+"\"\r\n },\r\n {\"Id\": \"u2\"}\r\n]\r\n", false, true), 2},
		{"UTF-16 BE with BOM", utf16File(`{"value":[{"id":"u1","displayName":"`+name+`"},{"id":"u2"}]}`, true, true), 2},
		{"UTF-16 LE, one user", utf16File(`{"Id":"u1","DisplayName":"`+name+`"}`, false, true), 1},
		{"UTF-8 BOM", "\ufeff" + `{"value":[{"id":"u1","displayName":"` + name + `"}]}`, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snap, err := load(t, map[string]string{
				"users.json":   c.users,
				"domains.json": utf16File(`{"value":[{"id":"contoso.com","isVerified":true}],"@odata.nextLink":null}`, false, true),
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Cloud) != c.n {
				t.Fatalf("%d users, want %d", len(snap.Cloud), c.n)
			}
			if c.n > 0 && (snap.Cloud[0].ID != "u1" || strings.Contains(c.name, "with BOM") && snap.Cloud[0].DisplayName != name) {
				t.Errorf("%+v", snap.Cloud[0])
			}
			if !snap.Tenant.DomainVerified("contoso.com") {
				t.Errorf("domains %+v", snap.Tenant.Domains)
			}
		})
	}
}
