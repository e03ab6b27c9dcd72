package change

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
)

// The package's tests share one -update flag, whichever file defines it:
// package variables are set before init functions run.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// hostile are values a directory can hold (or an edited plan can hand the
// writer) that would break out of a naive script: every kind of quote,
// subexpressions, backticks, statement separators, line ends of every kind,
// comment and here-string delimiters, NUL, bidirectional overrides and
// characters beyond the BMP.
var hostile = []string{
	"O’Brien’; Remove-ADUser krbtgt; ’",
	"‘left’ ‚low‛ 'ascii' ''",
	"$(Remove-ADUser krbtgt)",
	"`$(Remove-ADUser krbtgt)`n",
	"a; Remove-ADUser krbtgt & calc | more",
	"line1\nRemove-ADUser krbtgt\r\nline3\rline4",
	"#> Remove-ADUser krbtgt <#",
	"@'\nRemove-ADUser krbtgt\n'@",
	"@\"\nRemove-ADUser $x\n\"@",
	"nul\x00after",
	"ls\u2028Remove-ADUser krbtgt\u2029ps\u0085nel",
	"\u202eRemove-ADUser krbtgt\u202c \u2066x\u2069",
	"emoji 😀 math 𝔘 tag \U000E0041 private \U000F0000",
	"\"double $env:USERNAME\"",
	"tab\tvt\vff\fbom\ufeffzwj\u200dnbsp\u00a0",
	"-Confirm:$false -WhatIf:$false",
	"\\",
	"'",
	"’",
}

// quoteChars are the characters PowerShell's tokenizer takes as a single
// quote, kept apart from the writer's own list so that a test of one is no
// test of the other.
const quoteChars = "'\u2018\u2019\u201A\u201B"

func isQuote(r rune) bool { return strings.ContainsRune(quoteChars, r) }

// evalLiteral evaluates an expression psLiteral writes, by PowerShell's
// rules for single-quoted strings: any of ' ‘ ’ ‚ ‛ opens and closes one,
// and inside it any of them followed by another stands for the second.
// [char]0xXXXX is one UTF-16 code unit; pieces join with +.
func evalLiteral(expr string) (string, error) {
	in := []rune(expr)
	if len(in) > 1 && in[0] == '(' && in[len(in)-1] == ')' {
		in = in[1 : len(in)-1]
	}
	var units []uint16
	i := 0
	for first := true; i < len(in); first = false {
		if !first {
			if !strings.HasPrefix(string(in[i:]), " + ") {
				return "", fmt.Errorf("at %d: want \" + \" between pieces, have %q", i, string(in[i:]))
			}
			i += 3
		}
		switch {
		case isQuote(in[i]):
			i++
			var b strings.Builder
			for {
				if i >= len(in) {
					return "", errors.New("unterminated string")
				}
				r := in[i]
				i++
				if isQuote(r) {
					if i < len(in) && isQuote(in[i]) {
						b.WriteRune(in[i])
						i++
						continue
					}
					break
				}
				b.WriteRune(r)
			}
			for _, r := range b.String() {
				if r > 0xFFFF {
					r1, r2 := utf16Pair(r)
					units = append(units, r1, r2)
				} else {
					units = append(units, uint16(r))
				}
			}
		case strings.HasPrefix(string(in[i:]), "[char]0x"):
			i += len("[char]0x")
			if i+4 > len(in) {
				return "", errors.New("short [char] code")
			}
			n, err := strconv.ParseUint(string(in[i:i+4]), 16, 16)
			if err != nil {
				return "", err
			}
			units = append(units, uint16(n))
			i += 4
		default:
			return "", fmt.Errorf("at %d: not a literal: %q", i, string(in[i:]))
		}
	}
	return decodeUTF16(units), nil
}

func utf16Pair(r rune) (uint16, uint16) {
	r -= 0x10000
	return uint16(0xD800 + (r >> 10)), uint16(0xDC00 + (r & 0x3FF))
}

func decodeUTF16(u []uint16) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if c >= 0xD800 && c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] < 0xE000 {
			c = 0x10000 + (c-0xD800)<<10 + rune(u[i+1]-0xDC00)
			i++
		}
		b.WriteRune(c)
	}
	return b.String()
}

func TestPSLiteralDoublesEveryQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "''"},
		{"plain", "'plain'"},
		{"'", "''''"},
		{"\u2018", "'\u2018\u2018'"},
		{"\u2019", "'\u2019\u2019'"},
		{"\u201A", "'\u201A\u201A'"},
		{"\u201B", "'\u201B\u201B'"},
		{"O’Brien’; Remove-ADUser krbtgt; ’", "'O’’Brien’’; Remove-ADUser krbtgt; ’’'"},
		{"a'‘’‚‛b", "'a''‘‘’’‚‚‛‛b'"},
		{"\"$x`n\"", "'\"$x`n\"'"}, // nothing else is special in single quotes
		{"a\nb", "('a' + [char]0x000A + 'b')"},
		{"\nb", "('' + [char]0x000A + 'b')"},
		{"a\x00", "('a' + [char]0x0000)"},
		{"\u2028\u2029", "('' + [char]0x2028 + [char]0x2029)"},
		{"\U000E0041", "('' + [char]0xDB40 + [char]0xDC41)"},
		{"😀", "'😀'"},
		{"a\u00a0b", "('a' + [char]0x00A0 + 'b')"},
		{"bad\xffbyte", "('bad' + [char]0xFFFD + 'byte')"},
	} {
		if got := psLiteral(tc.in); got != tc.want {
			t.Errorf("psLiteral(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestPSLiteralEvaluatesToTheValue(t *testing.T) {
	values := append([]string{"", "CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com", strings.Repeat("x’", 5000)}, hostile...)
	for _, v := range values {
		checkLiteral(t, v)
	}
	// The evaluator catches a literal that does not double a typographic
	// quote, which the grammar cannot see.
	if got, err := evalLiteral("'O’Brien'"); err == nil {
		t.Errorf("evalLiteral accepted an undoubled ’ as %q", got)
	}
}

func FuzzPSLiteral(f *testing.F) {
	for _, v := range hostile {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if !utf8.ValidString(v) {
			return // the writers refuse such values; comments show U+FFFD
		}
		checkLiteral(t, v)
	})
}

func checkLiteral(t *testing.T, v string) {
	t.Helper()
	lit := psLiteral(v)
	got, err := evalLiteral(lit)
	if err != nil {
		t.Fatalf("psLiteral(%q) = %s: %v", v, lit, err)
	}
	if got != v {
		t.Fatalf("psLiteral(%q) = %s, which PowerShell reads as %q", v, lit, got)
	}
	for _, r := range lit {
		if needsCharCode(r) {
			t.Fatalf("psLiteral(%q) = %s holds %U", v, lit, r)
		}
	}
}

func TestDomainOf(t *testing.T) {
	for _, tc := range []struct{ dn, want string }{
		{"CN=Ann Smith,OU=Staff,DC=contoso,DC=com", "contoso.com"},
		{"cn=a,dc=Sub, dc=Contoso ,DC=com", "Sub.Contoso.com"},
		{"CN=Smith\\, John,DC=x,DC=org", "x.org"},
		{"CN=a,OU=b", ""},
		{"CN=a,DC=x y,DC=com", ""},
		{"CN=a,DC=contoso\\,DC=evil,DC=com", ""},
		{"CN=a,DC='; Remove-ADUser krbtgt,DC=com", ""},
		{"", ""},
	} {
		if got := domainOf(tc.dn); got != tc.want {
			t.Errorf("domainOf(%q) = %q, want %q", tc.dn, got, tc.want)
		}
	}
}

func b64(b ...byte) string { return base64.StdEncoding.EncodeToString(b) }

const (
	guidAnn  = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	guidZoe  = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	guidEvil = "0f8fad5b-d9cb-469f-a165-70867728950e"
	cloudAnn = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
	cloudZoe = "6ba7b811-9dad-11d1-80b4-00c04fd430c8"
	cloudGrp = "6ba7b812-9dad-11d1-80b4-00c04fd430c8"
)

// testPlan covers every attribute the scripts change, every operation,
// both sides, rows left out, rows the scripts refuse, and hostile values
// in every place a value can go.
func testPlan() *Plan {
	const (
		ann  = "CN=Ann Smith,OU=Staff,DC=contoso,DC=com"
		zoe  = "CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com"
		evil = "CN=O’Brien’; Remove-ADUser krbtgt; ’ #> <#\n$(calc),OU=Staff,DC=eu,DC=contoso,DC=com"
	)
	on := func(action Action, object, name, guid string, kind scanner.Kind, attr string, op Op, from, to, note string) Row {
		id := RowID(scanner.OnPremSide, guid+object, attr, op, from, to)
		return Row{ID: id, Action: action, Side: scanner.OnPremSide, Object: object, Name: name, Attribute: attr,
			Operation: op, From: from, To: to, Rule: "test", Note: note, GUID: guid, Kind: kind}
	}
	cl := func(action Action, object, name string, kind scanner.Kind, attr string, op Op, from, to, note string) Row {
		id := RowID(scanner.CloudSide, object, attr, op, from, to)
		return Row{ID: id, Action: action, Side: scanner.CloudSide, Object: object, Name: name, Attribute: attr,
			Operation: op, From: from, To: to, Rule: "test", Note: note, Kind: kind}
	}
	user, group, contact := scanner.KindUser, scanner.KindGroup, scanner.KindContact
	anchor := b64(0xe0, 0x04, 0x25, 0x3f, 0x89, 0x4f, 0xd3, 0x11, 0x9a, 0x0c, 0x03, 0x05, 0xe8, 0x2c, 0x33, 0x01)
	other := b64(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10)
	longName := strings.Repeat("Zoë’s very long name ", 400)
	hostileID := on(Apply, ann, "Ann Smith", guidAnn, user, "displayName", Replace, "Ann Smith", "Ann Smith-Jones", "")
	hostileID.ID = "c'; Remove-ADUser krbtgt; '\n#>"
	rows := []Row{
		on(Apply, ann, "Ann Smith", guidAnn, user, "proxyAddresses", Replace, "smtp:ann@contoso.com", "SMTP:ann@contoso.com", "make it the primary address"),
		on(Apply, ann, "Ann Smith", guidAnn, user, "proxyAddresses", Remove, "SMTP:old@contoso.com", "", "a second primary address"),
		on(Apply, ann, "Ann Smith", guidAnn, user, "proxyAddresses", Add, "", "smtp:ann.smith@contoso.com", ""),
		on(Apply, ann, "Ann Smith", guidAnn, user, "userPrincipalName", Replace, "ann@contoso.local", "ann@contoso.com", "a routable suffix"),
		on(Apply, zoe, "Zoë Ångström", guidZoe, user, "mail", Add, "", "zoe@contoso.com", ""),
		on(Apply, zoe, "Zoë Ångström", guidZoe, user, "mailNickname", Remove, "zoë", "", "an alias with a non-ASCII letter"),
		on(Apply, zoe, "Zoë Ångström", guidZoe, user, "givenName", Replace, "Zoe", "Zoë", ""),
		on(Apply, zoe, "Zoë Ångström", guidZoe, user, "sn", Replace, "angstrom", "Ångström", ""),
		on(Apply, zoe, "Zoë Ångström", guidZoe, user, "targetAddress", Remove, "SMTP:zoe@contoso.mail.onmicrosoft.com", "", ""),
		on(Apply, zoe, "Zoë Ångström", guidZoe, user, "sAMAccountName", Replace, "zoe ", "zoe", "a trailing space"),
		on(Apply, zoe, "Zoë Ångström", guidZoe, user, "mS-DS-ConsistencyGuid", Add, "", anchor, ""),
		on(Apply, ann, "Ann Smith", guidAnn, user, "mS-DS-ConsistencyGuid", Replace, other, anchor, ""),
		on(Apply, evil, hostile[0], guidEvil, group, "displayName", Replace, hostile[0], "O'Brien", hostile[6]),
		on(Apply, evil, hostile[0], guidEvil, group, "proxyAddresses", Replace, "smtp:"+hostile[5], "smtp:"+hostile[7], ""),
		on(Apply, evil, hostile[0], guidEvil, group, "proxyAddresses", Add, "", "smtp:"+strings.Join(hostile, "|"), ""),
		on(Apply, zoe, longName, guidZoe, user, "displayName", Replace, longName, "Zoë", ""),
		on(Apply, "CN=No Guid,OU=Staff,DC=contoso,DC=com", "No Guid", "", contact, "displayName", Replace, "No  Guid", "No Guid", "the scan read no objectGUID"),
		on(Apply, evil, "not a GUID", "'; Remove-ADUser krbtgt", user, "mail", Add, "", "x@contoso.com", ""),
		hostileID,
		on(Decide, ann, "Ann Smith", guidAnn, user, "proxyAddresses", Remove, "SMTP:shared@contoso.com", "", "Which of 2 objects keeps SMTP:shared@contoso.com? Apply all but one.\n#> Remove-ADUser krbtgt"),
		on(Skip, evil, hostile[0], guidEvil, group, "info", Replace, hostile[3], hostile[9], hostile[10]),
		cl(Apply, cloudAnn, "ann@contoso.com", user, "onPremisesImmutableId", Add, "", anchor, "hard match: the pair the admin named"),
		cl(Apply, cloudZoe, "zoe@contoso.com", user, "onPremisesImmutableId", Replace, other, anchor, ""),
		cl(Apply, cloudZoe, "zoe@contoso.com", user, "onPremisesImmutableId", Remove, anchor, "", ""),
		cl(Apply, cloudZoe, "zoe@contoso.com", user, "userPrincipalName", Replace, "zoe@contoso.onmicrosoft.com", "zoe.cloud@contoso.com", ""),
		cl(Apply, cloudAnn, "ann@contoso.com", user, "proxyAddresses", Remove, "smtp:ann@contoso.com", "", "the on-premises Ann keeps it"),
		cl(Apply, cloudGrp, "Sales", group, "proxyAddresses", Add, "", "smtp:sales@contoso.com", ""),
		cl(Apply, cloudGrp, hostile[1], group, "proxyAddresses", Replace, "smtp:"+hostile[0], "smtp:"+hostile[11], ""),
		cl(Apply, cloudAnn, "ann@contoso.com", contact, "proxyAddresses", Replace, "smtp:ann@contoso.com", "SMTP:ann@contoso.com", ""),
		cl(Apply, "ann@contoso.com; Remove-MgUser", "not an id", user, "userPrincipalName", Replace, "a@contoso.com", "b@contoso.com", ""),
		cl(Decide, cloudAnn, "ann@contoso.com", user, "proxyAddresses", Remove, "SMTP:shared@contoso.com", "", "Which holder keeps it?\u2028#> $(Remove-MgUser)"),
		cl(Skip, cloudGrp, hostile[2], group, "mail", Replace, hostile[4], hostile[8], ""),
	}
	return &Plan{Rows: rows}
}

// scripts writes the four scripts of a plan, by file name.
func scripts(t *testing.T, p *Plan) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, s := range []struct {
		name  string
		write func(*bytes.Buffer, *Plan, bool) error
		undo  bool
	}{
		{"plan.ps1", func(b *bytes.Buffer, p *Plan, u bool) error { return WriteOnPremScript(b, p, u) }, false},
		{"plan.undo.ps1", func(b *bytes.Buffer, p *Plan, u bool) error { return WriteOnPremScript(b, p, u) }, true},
		{"plan.cloud.ps1", func(b *bytes.Buffer, p *Plan, u bool) error { return WriteCloudScript(b, p, u) }, false},
		{"plan.cloud.undo.ps1", func(b *bytes.Buffer, p *Plan, u bool) error { return WriteCloudScript(b, p, u) }, true},
	} {
		var b bytes.Buffer
		if err := s.write(&b, p, s.undo); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		out[s.name] = b.Bytes()
	}
	return out
}

func TestScriptsGolden(t *testing.T) {
	for name, got := range scripts(t, testPlan()) {
		path := filepath.Join("testdata", name)
		if updating() {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
			for i := 0; i < len(gl) || i < len(wl); i++ {
				var g, w string
				if i < len(gl) {
					g = gl[i]
				}
				if i < len(wl) {
					w = wl[i]
				}
				if g != w {
					t.Fatalf("%s differs at line %d:\n got %s\nwant %s\n(run go test -update if the change is intended)", path, i+1, g, w)
				}
			}
		}
	}
}

// tame replaces every visible character of a value but ASCII letters,
// digits and @.: with x and keeps the rest, so that psLiteral writes the
// same pieces for it (the same [char] codes at the same places) and the
// rows compare as they did (a change of letter case stays one).
func tame(v string) string {
	var b strings.Builder
	for _, r := range v {
		switch {
		case needsCharCode(r), r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("@.:", r):
			b.WriteRune(r)
		default:
			b.WriteByte('x')
		}
	}
	return b.String()
}

func tamePlan(p *Plan) *Plan {
	q := &Plan{Rows: slices.Clone(p.Rows)}
	for i := range q.Rows {
		r := &q.Rows[i]
		binary := r.Attribute == "mS-DS-ConsistencyGuid" || r.Attribute == "onPremisesImmutableId"
		for _, f := range []*string{&r.ID, &r.Object, &r.Name, &r.Attribute, &r.From, &r.To, &r.Note} {
			switch {
			case f == &r.Attribute && r.Action == Apply: // the scripts change only the attributes they know
			case f == &r.Object && r.Side == scanner.CloudSide && guidPattern.MatchString(*f): // a Graph id
			case (f == &r.From || f == &r.To) && binary: // base64
			default:
				*f = tame(*f)
			}
		}
	}
	return q
}

// parsed is what .ci/powershell/parse.mjs reports for a script.
type parsed struct {
	File   string `json:"file"`
	BOM    bool   `json:"bom"`
	Errors []struct {
		Type        string `json:"type"`
		Row, Column int
		Text        string `json:"text"`
	} `json:"errors"`
	Commands []string `json:"commands"`
	Strings  []string `json:"strings"`
	Tokens   []string `json:"tokens"`
}

// parseScripts parses scripts with the real PowerShell grammar. Without the
// grammar it skips, or fails when SYNCREADY_TEST_PS_REQUIRED is set (make
// test sets it after installing the grammar).
func parseScripts(t *testing.T, files map[string][]byte) map[string]parsed {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, ".ci", "powershell")
	missing := ""
	if _, err := exec.LookPath("node"); err != nil {
		missing = "node is not on PATH"
	} else if _, err := os.Stat(filepath.Join(dir, "node_modules", "tree-sitter-powershell")); err != nil {
		missing = "the grammar is not installed"
	}
	if missing != "" {
		msg := missing + ": install it with `npm ci --prefix .ci/powershell` (make test does)"
		if os.Getenv("SYNCREADY_TEST_PS_REQUIRED") != "" {
			t.Fatal("SYNCREADY_TEST_PS_REQUIRED is set but " + msg)
		}
		t.Skip(msg)
	}
	tmp := t.TempDir()
	var paths []string
	byPath := map[string]string{}
	for name, b := range files {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		byPath[p] = name
	}
	slices.Sort(paths)
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "parse.mjs")}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node parse.mjs: %v\n%s", err, stderr.Bytes())
	}
	var res []parsed
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("parse.mjs output: %v", err)
	}
	m := map[string]parsed{}
	for _, r := range res {
		m[byPath[r.File]] = r
	}
	return m
}

// scriptCommands are the commands the scripts run: cmdlets and the scripts'
// own functions, never a name made from a value.
var scriptCommands = map[string]bool{
	"Get-Date": true, "Join-Path": true, "Get-Location": true, "Start-Transcript": true, "Stop-Transcript": true,
	"Out-Null": true, "Write-Host": true, "Write-Warning": true,
	"Get-Values": true, "Test-Stale": true, "Format-Change": true, "Write-Made": true, "Write-Skip": true, "Write-Refusal": true,
	"Get-Connection": true, "Get-ADDomainController": true, "Get-ADObject": true, "Set-ADObject": true,
	"Get-MgContext": true, "Get-ConnectionInformation": true, "Get-MgUser": true, "Update-MgUser": true, "Get-MgDomain": true,
	"Invoke-MgGraphRequest": true, "Where-Object": true, "Select-Object": true, "Get-TemporaryUpn": true,
	"Get-EXORecipient": true, "Get-AddressCmdlet": true, "Set-RecipientAddresses": true,
	"Set-Mailbox": true, "Set-MailUser": true, "Set-MailContact": true, "Set-DistributionGroup": true, "Set-UnifiedGroup": true,
}

func checkParsed(name string, p parsed) []string {
	var problems []string
	if !p.BOM {
		problems = append(problems, "no byte-order mark")
	}
	for _, e := range p.Errors {
		problems = append(problems, fmt.Sprintf("%s at %d:%d: %q", e.Type, e.Row, e.Column, e.Text))
	}
	for _, c := range p.Commands {
		if !scriptCommands[c] {
			problems = append(problems, fmt.Sprintf("runs command %q", c))
		}
	}
	for _, s := range p.Strings {
		if s != "verbatim_string_characters" && s != "(empty)" {
			problems = append(problems, "a string that is not single-quoted: "+s)
		}
	}
	for i, p := range problems {
		problems[i] = name + ": " + p
	}
	return problems
}

// TestScriptsParse parses the scripts of the test plan with the PowerShell
// grammar: no syntax error, only the scripts' own commands, only
// single-quoted strings — and the same structure as the scripts of a plan
// whose values are tame, so no value changes what a script does.
func TestScriptsParse(t *testing.T) {
	hostileScripts := scripts(t, testPlan())
	files := map[string][]byte{}
	for name, b := range hostileScripts {
		files[name] = b
	}
	for name, b := range scripts(t, tamePlan(testPlan())) {
		files["tame."+name] = b
	}
	// The checks must catch what they look for.
	files["broken.ps1"] = []byte("\ufeffif ($x) {\n")
	files["breakout.ps1"] = []byte("\ufeffWrite-Host 'O'; Remove-ADUser krbtgt; ''\nWrite-Host \"$(x)\"\n")
	res := parseScripts(t, files)

	if got := checkParsed("broken.ps1", res["broken.ps1"]); len(got) == 0 {
		t.Error("the checks find nothing wrong with a script with a syntax error")
	}
	got := strings.Join(checkParsed("breakout.ps1", res["breakout.ps1"]), "\n")
	if !strings.Contains(got, `runs command "Remove-ADUser"`) || !strings.Contains(got, "not single-quoted") {
		t.Errorf("the checks miss a command and a double-quoted string in a script that breaks out:\n%s", got)
	}

	for name := range hostileScripts {
		p, ok := res[name]
		if !ok {
			t.Fatalf("parse.mjs did not report %s", name)
		}
		for _, problem := range checkParsed(name, p) {
			t.Error(problem)
		}
		tameTokens := res["tame."+name].Tokens
		if len(p.Tokens) == 0 {
			t.Errorf("%s: no tokens", name)
		}
		if !slices.Equal(p.Tokens, tameTokens) {
			for i := range p.Tokens {
				if i >= len(tameTokens) || p.Tokens[i] != tameTokens[i] {
					want := "(end)"
					if i < len(tameTokens) {
						want = tameTokens[i]
					}
					t.Errorf("%s: a value changes the script's structure at token %d: %q, with tame values %q", name, i, p.Tokens[i], want)
					break
				}
			}
		}
	}
}

// section returns the code of one row: from its "# plan row N," comment to
// the next row's.
func section(script string, n int) string {
	start := strings.Index(script, fmt.Sprintf("    # plan row %d,", n))
	if start < 0 {
		return ""
	}
	rest := script[start+1:]
	if end := strings.Index(rest, "    # plan row "); end >= 0 {
		return rest[:end]
	}
	return rest
}

func TestScriptRows(t *testing.T) {
	p := testPlan()
	s := scripts(t, p)
	on, undo, cloud, cloudUndo := string(s["plan.ps1"]), string(s["plan.undo.ps1"]), string(s["plan.cloud.ps1"]), string(s["plan.cloud.undo.ps1"])
	for _, tc := range []struct {
		name, script string
		row          int // plan row, as the spreadsheet numbers it
		want, not    []string
	}{
		{"multi-valued replace removes and adds in one change", on, 2,
			[]string{"Get-ADObject -Identity '" + guidAnn + "' -Properties 'proxyAddresses' @AD",
				"Test-Stale @(Get-Values $Object.'proxyAddresses') 'replace' 'smtp:ann@contoso.com' 'SMTP:ann@contoso.com' $true",
				"$PSCmdlet.ShouldProcess($Target, $Change)",
				"Set-ADObject -Identity '" + guidAnn + "' -Remove @{'proxyAddresses' = 'smtp:ann@contoso.com'} -Add @{'proxyAddresses' = 'SMTP:ann@contoso.com'} -Confirm:$false @AD"},
			[]string{"-Replace"}},
		{"multi-valued remove", on, 3, []string{"-Remove @{'proxyAddresses' = 'SMTP:old@contoso.com'} -Confirm"}, []string{"-Add", "-Replace"}},
		{"multi-valued add", on, 4, []string{"-Add @{'proxyAddresses' = 'smtp:ann.smith@contoso.com'} -Confirm"}, []string{"-Remove", "-Replace"}},
		{"single-valued replace", on, 5, []string{"Test-Stale @(Get-Values $Object.'userPrincipalName') 'replace' 'ann@contoso.local' 'ann@contoso.com' $false",
			"-Replace @{'userPrincipalName' = 'ann@contoso.com'}"}, []string{"-Remove", "-Add"}},
		{"single-valued add replaces", on, 6, []string{"'add' '' 'zoe@contoso.com' $false", "-Replace @{'mail' = 'zoe@contoso.com'}"}, nil},
		{"single-valued remove clears", on, 7, []string{"'remove' 'zoë' '' $false", "-Clear 'mailNickname' -Confirm:$false @AD"}, []string{"-Replace"}},
		{"an object deleted since the scan is stale", on, 3, []string{"$Object = $null\n",
			"try { $Object = Get-ADObject -Identity '" + guidAnn + "' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }",
			"if ($null -eq $Object) { $Why = 'the object no longer exists' }"}, nil},
		{"-WhatIf and a no at -Confirm are counted", on, 3, []string{"    } else {\n        $Unconfirmed++\n    }"}, nil},
		{"binary values are bytes", on, 13, []string{"-Replace @{'mS-DS-ConsistencyGuid' = [Convert]::FromBase64String('4AQlP4lP0xGaDAMF6CwzAQ==')}"}, nil},
		{"the object's domain picks the domain controller", on, 14, []string{"$AD = Get-Connection 'eu.contoso.com'"}, nil},
		{"a value with a line end is literals and char codes", on, 15, []string{"('smtp:line1' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000D + [char]0x000A"}, nil},
		{"no objectGUID: refused, not found by DN", on, 18, []string{"Write-Refusal 'CN=No Guid,OU=Staff,DC=contoso,DC=com' 'the scan read no objectGUID"},
			[]string{"Get-ADObject", "Set-ADObject", "ShouldProcess"}},
		{"an objectGUID that is not one: refused", on, 19, []string{"Write-Refusal"}, []string{"Get-ADObject", "Set-ADObject"}},
		{"a hostile row id stays a literal", on, 20, []string{"$Row = ('c''; Remove-ADUser krbtgt; ''' + [char]0x000A + '#>')"}, nil},
		{"undo: a replace goes back", undo, 2, []string{"(undoing the row)", "'replace' 'SMTP:ann@contoso.com' 'smtp:ann@contoso.com' $true",
			"-Remove @{'proxyAddresses' = 'SMTP:ann@contoso.com'} -Add @{'proxyAddresses' = 'smtp:ann@contoso.com'}"}, nil},
		{"undo: a removed value is added back", undo, 3, []string{"'add' '' 'SMTP:old@contoso.com' $true", "-Add @{'proxyAddresses' = 'SMTP:old@contoso.com'}"}, []string{"-Remove"}},
		{"undo: a set value is cleared", undo, 6, []string{"'remove' 'zoe@contoso.com' '' $false", "-Clear 'mail'"}, nil},
		{"undo: a cleared value is set back", undo, 7, []string{"'add' '' 'zoë' $false", "-Replace @{'mailNickname' = 'zoë'}"}, nil},

		{"immutable id: re-read, federated check, Update-MgUser", cloud, 23,
			[]string{"Get-MgUser -UserId '" + cloudAnn + "' -Property 'id', 'userPrincipalName', 'onPremisesImmutableId'",
				"Test-Stale @(Get-Values $User.OnPremisesImmutableId) 'add' '' '4AQlP4lP0xGaDAMF6CwzAQ==' $false",
				"$Temporary = Get-TemporaryUpn $Upn",
				"Update-MgUser -UserId '" + cloudAnn + "' -UserPrincipalName $Temporary -Confirm:$false",
				"Update-MgUser -UserId '" + cloudAnn + "' -OnPremisesImmutableId '4AQlP4lP0xGaDAMF6CwzAQ==' -Confirm:$false",
				"Update-MgUser -UserId '" + cloudAnn + "' -UserPrincipalName $Upn -Confirm:$false"}, nil},
		{"immutable id cleared with a PATCH of null", cloud, 25,
			[]string{"} elseif ($Temporary) {", "Invoke-MgGraphRequest -Method PATCH -Uri 'v1.0/users/" + cloudZoe + "' -Body '{\"onPremisesImmutableId\":null}'"},
			[]string{"-OnPremisesImmutableId"}},
		{"cloud UPN", cloud, 26, []string{"Update-MgUser -UserId '" + cloudZoe + "' -UserPrincipalName 'zoe.cloud@contoso.com' -Confirm:$false"}, []string{"Get-TemporaryUpn"}},
		{"Exchange removes an address", cloud, 27, []string{"Get-EXORecipient -ExternalDirectoryObjectId '" + cloudAnn + "' -Properties 'EmailAddresses', 'Guid'",
			"Test-Stale @(Get-Values $Recipient.EmailAddresses) 'remove' 'smtp:ann@contoso.com' '' $true",
			"Set-RecipientAddresses $Cmdlet ([string]$Recipient.Guid) @{Remove = 'smtp:ann@contoso.com'}"}, []string{"Update-MgUser"}},
		{"Exchange adds an address", cloud, 28, []string{"@{Add = 'smtp:sales@contoso.com'}"}, nil},
		{"Exchange replaces an address", cloud, 29, []string{"@{Add = ('smtp:' + [char]0x202E + 'Remove-ADUser krbtgt'", "; Remove = 'smtp:O’’Brien’’; Remove-ADUser krbtgt; ’’'}"}, nil},
		{"Exchange cannot change letter case only", cloud, 30, []string{"Write-Refusal 'ann@contoso.com (" + cloudAnn + ")' 'a change of letter case only"}, []string{"Get-EXORecipient", "ShouldProcess"}},
		{"a cloud object that is not a Graph id: refused", cloud, 31, []string{"Write-Refusal"}, []string{"Get-MgUser", "Update-MgUser"}},
		{"cloud undo: a set immutable id is cleared", cloudUndo, 23, []string{"'remove' '4AQlP4lP0xGaDAMF6CwzAQ==' '' $false", "Invoke-MgGraphRequest -Method PATCH"}, nil},
		{"cloud undo: a cleared immutable id is set back", cloudUndo, 25, []string{"'add' '' '4AQlP4lP0xGaDAMF6CwzAQ==' $false", "-OnPremisesImmutableId '4AQlP4lP0xGaDAMF6CwzAQ=='"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := section(tc.script, tc.row)
			if code == "" {
				t.Fatalf("no code for plan row %d", tc.row)
			}
			for _, w := range tc.want {
				if !strings.Contains(code, w) {
					t.Errorf("plan row %d lacks %s in:\n%s", tc.row, w, code)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(code, n) {
					t.Errorf("plan row %d has %s in:\n%s", tc.row, n, code)
				}
			}
		})
	}

	// Every script: a change only after ShouldProcess; the undo script runs
	// the rows last first; the left-out rows are in the header only.
	changes := regexp.MustCompile(`(?m)^\s+(Set-ADObject|Update-MgUser|Invoke-MgGraphRequest|Set-RecipientAddresses) `)
	for name, b := range s {
		text := string(b)
		for _, loc := range changes.FindAllStringIndex(text, -1) {
			block := text[:loc[0]]
			block = block[strings.LastIndex(block, "    # plan row "):]
			if !strings.Contains(block, "$PSCmdlet.ShouldProcess($Target, $Change)") {
				t.Errorf("%s: a change without ShouldProcess:\n%s", name, block)
			}
		}
		if !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Errorf("%s has no byte-order mark", name)
		}
		if !utf8.Valid(b) {
			t.Errorf("%s is not UTF-8", name)
		}
		for _, must := range []string{"[CmdletBinding(SupportsShouldProcess)]\nparam(", "$ErrorActionPreference = 'Stop'",
			"Start-Transcript -Path $LogPath", "Stop-Transcript", "skipped (stale)"} {
			if !strings.Contains(text, must) {
				t.Errorf("%s lacks %q", name, must)
			}
		}
	}
	order := func(script string) []int {
		var ns []int
		for _, m := range regexp.MustCompile(`(?m)^    # plan row (\d+),`).FindAllStringSubmatch(script, -1) {
			n, _ := strconv.Atoi(m[1])
			ns = append(ns, n)
		}
		return ns
	}
	if fwd, back := order(on), order(undo); len(fwd) == 0 || !slices.Equal(fwd, reversed(back)) {
		t.Errorf("undo order %v is not the reverse of %v", back, fwd)
	}
	if fwd, back := order(cloud), order(cloudUndo); len(fwd) == 0 || !slices.Equal(fwd, reversed(back)) {
		t.Errorf("cloud undo order %v is not the reverse of %v", back, fwd)
	}
	for i, r := range p.Rows {
		script, other := on, cloud
		if r.Side == scanner.CloudSide {
			script, other = cloud, on
		}
		listed := fmt.Sprintf("#   plan row %d,", i+2)
		code := fmt.Sprintf("    # plan row %d,", i+2)
		switch {
		case r.Action != Apply && (!strings.Contains(script, listed) || strings.Contains(script, code)):
			t.Errorf("plan row %d (%s) is not listed as left out, or has code", i+2, r.Action)
		case r.Action == Apply && !strings.Contains(script, code):
			t.Errorf("plan row %d (apply) has no code", i+2)
		case strings.Contains(other, listed) || strings.Contains(other, code):
			t.Errorf("plan row %d is in the other side's script", i+2)
		}
	}
	if want := "#     to decide: ('Which of 2 objects keeps SMTP:shared@contoso.com? Apply all but one.' + [char]0x000A + '#> Remove-ADUser krbtgt')"; !strings.Contains(on, want) {
		t.Errorf("the on-premises header lacks %s", want)
	}
}

func reversed(s []int) []int {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

func TestScriptErrors(t *testing.T) {
	row := func(side scanner.Side, attr string, op Op, from, to string) Row {
		return Row{ID: "c0123456789", Action: Apply, Side: side, Object: cloudAnn, GUID: guidAnn, Attribute: attr, Operation: op, From: from, To: to}
	}
	on, cl := scanner.OnPremSide, scanner.CloudSide
	for _, tc := range []struct {
		name string
		row  Row
		want string // in the error; "" for none
	}{
		{"an attribute the script does not know", row(on, "info", Replace, "a", "b"), "cannot change 'info'"},
		{"a cloud property the script does not know", row(cl, "mail", Replace, "a", "b"), "cannot change 'mail'"},
		{"an on-premises attribute in the cloud", row(cl, "sAMAccountName", Replace, "a", "b"), "cannot change"},
		{"attribute names match without case", row(on, "PROXYADDRESSES", Add, "", "smtp:a@x.com"), ""},
		{"an unknown operation", row(on, "mail", Op("set"), "a", "b"), "operation 'set'"},
		{"an add with a from value", row(on, "mail", Add, "a", "b"), "has a from value"},
		{"a remove with a to value", row(on, "mail", Remove, "a", "b"), "has a to value"},
		{"a replace without to", row(on, "mail", Replace, "a", ""), "needs a to value"},
		{"a remove without from", row(on, "proxyAddresses", Remove, "", ""), "needs a from value"},
		{"a value that is not UTF-8", row(on, "displayName", Replace, "a\xff", "b"), "not valid UTF-8"},
		{"binary that is not base64", row(on, "mS-DS-ConsistencyGuid", Add, "", "not base64!"), "not base64"},
		{"binary base64 that is not canonical", row(on, "mS-DS-ConsistencyGuid", Add, "", "AQI"), "not base64"},
		{"a cloud UPN is only replaced", row(cl, "userPrincipalName", Remove, "a@x.com", ""), "can only be replaced"},
		{"a cloud immutable id can be cleared", row(cl, "onPremisesImmutableId", Remove, "AQI=", ""), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Plan{Rows: []Row{tc.row}}
			var b bytes.Buffer
			write := WriteOnPremScript
			if tc.row.Side == scanner.CloudSide {
				write = WriteCloudScript
			}
			for _, undo := range []bool{false, true} {
				b.Reset()
				err := write(&b, p, undo)
				switch {
				case tc.want == "" && err != nil:
					t.Errorf("undo %v: %v", undo, err)
				case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
					t.Errorf("undo %v: error %v, want one with %q", undo, err, tc.want)
				case tc.want != "" && b.Len() > 0:
					t.Errorf("undo %v: wrote %d bytes with the error", undo, b.Len())
				}
			}
			// A row left out is never checked: it is only listed.
			tc.row.Action = Decide
			b.Reset()
			if err := write(&b, &Plan{Rows: []Row{tc.row}}, false); err != nil {
				t.Errorf("as a decide row: %v", err)
			}
		})
	}
}

// TestExampleScriptsParse parses the scripts of the example environment's
// fix (the root package's golden files) with the PowerShell grammar.
func TestExampleScriptsParse(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "fix", "*.ps1"))
	if err != nil || len(paths) != 4 {
		t.Fatalf("the example's scripts: %v %v", paths, err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	res := parseScripts(t, files)
	for name := range files {
		p, ok := res[name]
		if !ok {
			t.Fatalf("parse.mjs did not report %s", name)
		}
		for _, problem := range checkParsed(name, p) {
			t.Error(problem)
		}
	}
}
