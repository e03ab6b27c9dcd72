package change

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
)

// The PowerShell scripts of a plan. WriteOnPremScript and WriteCloudScript
// write the plan's apply rows of one side as a script an admin runs (first
// with -WhatIf): UTF-8 with a byte-order mark, [CmdletBinding(SupportsShouldProcess)],
// one $PSCmdlet.ShouldProcess per change, each attribute re-read right
// before it changes and the change skipped with a warning when the
// attribute no longer holds the value the scan read, a transcript, and a
// count of what was changed, skipped and not changed at the end. Rows to
// decide or skip are listed in the header and never run.
//
// Every value from the plan (DNs, names, attribute values, row ids, notes)
// is written as psLiteral writes it — single-quoted literals, nothing else —
// in the code and in the comments alike, so no value can end a string or a
// comment, name a command or a variable, or be expanded.

// WriteOnPremScript writes the plan's apply rows on premises as a script for
// the ActiveDirectory module, in the plan's order. With undo it writes the
// script that sets every value back to the one the scan read: the inverse of
// each change, last first. A row whose attribute or values the script
// cannot write exactly is an error, and nothing is written.
func WriteOnPremScript(w io.Writer, p *Plan, undo bool) error {
	return writeScript(w, p, scanner.OnPremSide, undo)
}

// WriteCloudScript writes the plan's apply rows in the cloud as a script for
// Microsoft Graph PowerShell (onPremisesImmutableId, userPrincipalName) and
// Exchange Online PowerShell (proxyAddresses, which Graph cannot change),
// in the plan's order; with undo, the inverse of each change, last first.
func WriteCloudScript(w io.Writer, p *Plan, undo bool) error {
	return writeScript(w, p, scanner.CloudSide, undo)
}

// psAttribute is an attribute a script can change.
type psAttribute struct {
	name   string // as the cmdlets spell it
	multi  bool   // multi-valued: values are added and removed one by one
	binary bool   // values are base64 of the bytes
	// cloud: who changes it
	exchange bool
}

// onPremAttributes are the attributes the on-premises script changes, by
// lower-case name.
var onPremAttributes = attributeTable(
	psAttribute{name: "userPrincipalName"},
	psAttribute{name: "mail"},
	psAttribute{name: "displayName"},
	psAttribute{name: "givenName"},
	psAttribute{name: "sn"},
	psAttribute{name: "mailNickname"},
	psAttribute{name: "targetAddress"},
	psAttribute{name: "sAMAccountName"},
	psAttribute{name: "proxyAddresses", multi: true},
	psAttribute{name: "mS-DS-ConsistencyGuid", binary: true},
)

// cloudAttributes are the properties the cloud script changes.
var cloudAttributes = attributeTable(
	psAttribute{name: "onPremisesImmutableId"},
	psAttribute{name: "userPrincipalName"},
	psAttribute{name: "proxyAddresses", multi: true, exchange: true},
)

func attributeTable(as ...psAttribute) map[string]psAttribute {
	m := make(map[string]psAttribute, len(as))
	for _, a := range as {
		m[strings.ToLower(a.name)] = a
	}
	return m
}

func attributeNames(m map[string]psAttribute) string {
	var names []string
	for _, a := range m {
		names = append(names, a.name)
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return strings.Join(names, ", ")
}

// psRow is a row of a script with its number in the plan as the
// spreadsheet numbers it (the header is row 1).
type psRow struct {
	Row
	n    int
	attr psAttribute
}

func writeScript(w io.Writer, p *Plan, side scanner.Side, undo bool) error {
	cloud := side == scanner.CloudSide
	attrs := onPremAttributes
	if cloud {
		attrs = cloudAttributes
	}
	var rows, left []psRow
	for i := range p.Rows {
		r := p.Rows[i]
		if (r.Side == scanner.CloudSide) != cloud {
			continue
		}
		pr := psRow{Row: r, n: i + 2}
		if r.Action != Apply {
			left = append(left, pr)
			continue
		}
		a, err := checkRow(&r, attrs, cloud)
		if err != nil {
			return err
		}
		pr.attr = a
		rows = append(rows, pr)
	}
	if undo {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
		for i := range rows {
			rows[i].Row = inverse(rows[i].Row)
		}
	}
	s := &psWriter{w: bufio.NewWriter(w)}
	s.header(p, rows, left, cloud, undo)
	s.preamble(rows, cloud)
	for _, r := range rows {
		s.raw("\n")
		if cloud {
			s.cloudRow(r, undo)
		} else {
			s.onPremRow(r, undo)
		}
	}
	s.epilogue()
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

// checkRow says why the script cannot make an apply row exactly.
func checkRow(r *Row, attrs map[string]psAttribute, cloud bool) (psAttribute, error) {
	side := "on-premises"
	if cloud {
		side = "cloud"
	}
	a, ok := attrs[strings.ToLower(r.Attribute)]
	if !ok {
		return a, fmt.Errorf("row %s: the %s script cannot change %s (it changes %s)", idText(r.ID), side, psLiteral(r.Attribute), attributeNames(attrs))
	}
	switch r.Operation {
	case Add, Remove, Replace:
	default:
		return a, fmt.Errorf("row %s: operation %s: want add, remove or replace", idText(r.ID), psLiteral(string(r.Operation)))
	}
	for _, v := range [...]struct{ name, v string }{{"from", r.From}, {"to", r.To}} {
		want := v.name == "from" && r.Operation != Add || v.name == "to" && r.Operation != Remove
		switch {
		case want && v.v == "":
			return a, fmt.Errorf("row %s: %s %s needs a %s value", idText(r.ID), a.name, r.Operation, v.name)
		case !want && v.v != "":
			return a, fmt.Errorf("row %s: %s %s has a %s value, %s, which the operation takes none of", idText(r.ID), a.name, r.Operation, v.name, psLiteral(v.v))
		case !utf8.ValidString(v.v):
			return a, fmt.Errorf("row %s: the %s value of %s is not valid UTF-8", idText(r.ID), v.name, a.name)
		case a.binary && v.v != "" && !canonicalBase64(v.v):
			return a, fmt.Errorf("row %s: the %s value of %s is not base64 of the bytes: %s", idText(r.ID), v.name, a.name, psLiteral(v.v))
		}
	}
	if cloud && a.name == "userPrincipalName" && r.Operation != Replace {
		return a, fmt.Errorf("row %s: a user's userPrincipalName can only be replaced, not %s", idText(r.ID), r.Operation)
	}
	return a, nil
}

func canonicalBase64(s string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	return err == nil && base64.StdEncoding.EncodeToString(b) == s
}

// inverse is the change that undoes r.
func inverse(r Row) Row {
	r.From, r.To = r.To, r.From
	switch r.Operation {
	case Add:
		r.Operation = Remove
	case Remove:
		r.Operation = Add
	}
	return r
}

var (
	guidPattern  = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)
	rowIDPattern = regexp.MustCompile(`^c[0-9a-f]{10}$`)
)

// idText is a row id for a comment or a message: as it is when it is one
// RowID makes, else as a literal.
func idText(id string) string {
	if rowIDPattern.MatchString(id) {
		return id
	}
	return psLiteral(id)
}

// isSingleQuote reports the characters PowerShell takes as a single quote.
func isSingleQuote(r rune) bool {
	switch r {
	case '\'', '\u2018', '\u2019', '\u201A', '\u201B':
		return true
	}
	return false
}

// needsCharCode reports the characters psLiteral writes as [char] codes:
// all but visible text and the ASCII space — controls (line ends among
// them), the Unicode line and paragraph separators, format characters
// (bidirectional overrides that make code read differently than it runs,
// the byte-order mark), other spaces, private-use, unassigned and invalid.
func needsCharCode(r rune) bool {
	if r == ' ' {
		return false
	}
	return r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.Is(unicode.Zs, r)
}

// psLiteral writes s as a PowerShell expression that evaluates to s
// exactly: a single-quoted literal in which every character PowerShell
// takes as a single quote is doubled — or, when s holds characters that
// needsCharCode reports, single-quoted literals and [char] codes joined
// with + in parentheses, so that the file holds no such character (a line
// end in a value would also change when a tool converts the file's line
// ends). A string that is not valid UTF-8 has U+FFFD for each bad byte.
func psLiteral(s string) string {
	var b strings.Builder
	pieces := 0
	open := false
	for _, r := range s {
		if needsCharCode(r) {
			if open {
				b.WriteByte('\'')
				open = false
			}
			if pieces == 0 {
				b.WriteString("''") // a string first, so + joins strings
				pieces++
			}
			var units []uint16
			if r > 0xFFFF {
				r1, r2 := utf16.EncodeRune(r)
				units = []uint16{uint16(r1), uint16(r2)}
			} else {
				units = []uint16{uint16(r)}
			}
			for _, u := range units {
				fmt.Fprintf(&b, " + [char]0x%04X", u)
				pieces++
			}
			continue
		}
		if !open {
			if pieces > 0 {
				b.WriteString(" + ")
			}
			b.WriteByte('\'')
			open = true
			pieces++
		}
		b.WriteRune(r)
		if isSingleQuote(r) {
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteByte('\'')
	}
	switch {
	case pieces == 0:
		return "''"
	case pieces == 1:
		return b.String()
	}
	return "(" + b.String() + ")"
}

// psWriter writes a script; the first error sticks.
type psWriter struct {
	w   *bufio.Writer
	err error
}

func (s *psWriter) raw(text string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(text)
	}
}

func (s *psWriter) printf(format string, args ...any) {
	if s.err == nil {
		_, s.err = fmt.Fprintf(s.w, format, args...)
	}
}

// word is a plan enum value for a comment: itself when it is one of the
// known values, else a literal.
func word[T ~string](v T, known ...T) string {
	for _, k := range known {
		if v == k {
			return string(v)
		}
	}
	return psLiteral(string(v))
}

func (s *psWriter) header(p *Plan, rows, left []psRow, cloud, undo bool) {
	s.raw("\ufeff")
	what, script := "on-premises", "the on-premises script"
	if cloud {
		what, script = "cloud", "the cloud script"
	}
	objects := map[string]bool{}
	for _, r := range rows {
		objects[r.Object] = true
	}
	if undo {
		s.printf("# syncready fix: undo of %s (%s).\n", script, tools(cloud))
		s.printf("# Undoes the changes of the plan's %d apply %s %s, last first: each\n", len(rows), plural(len(rows), "row", "rows"), onSide(cloud))
		s.raw("# value goes back to the one the scan read. Run it only after that script:\n")
		s.raw("# each change re-reads the attribute and is skipped when it does not hold\n")
		s.raw("# what that script wrote.\n")
	} else {
		s.printf("# syncready fix: %s changes (%s).\n", what, tools(cloud))
		s.printf("# Makes the plan's %d apply %s %s, on %d %s, in the plan's order.\n", len(rows), plural(len(rows), "row", "rows"), onSide(cloud), len(objects), plural(len(objects), "object", "objects"))
		s.raw("# Each change re-reads the attribute right before it and is skipped, with a\n")
		s.raw("# warning, when the attribute no longer holds the value the scan read.\n")
	}
	if cloud {
		s.raw("# Users are found by their Graph id. Connect first: Connect-MgGraph -Scopes\n")
		s.raw("# 'User.ReadWrite.All', 'Domain.Read.All' (setting onPremisesImmutableId may\n")
		s.raw("# also need Directory.AccessAsUser.All), and Connect-ExchangeOnline when the\n")
		s.raw("# script changes proxyAddresses.\n")
	} else {
		s.raw("# Objects are found by objectGUID; a row without one is not changed. Each\n")
		s.raw("# read and the change after it go to one domain controller of the object's\n")
		s.raw("# domain (or -Server).\n")
	}
	s.raw("# Run it with -WhatIf first; -Confirm asks before each change. It stops at the\n")
	s.raw("# first error, naming the row, and ends with how many changes it made, skipped\n")
	s.raw("# (stale) and could not make. The transcript goes to -LogPath, by default a\n")
	s.raw("# .log file next to this script.\n")
	s.raw("# Values are PowerShell literals: text in single quotes, with [char] codes for\n")
	s.raw("# characters that are invisible or end lines.\n")
	s.raw("#\n")
	if len(left) == 0 {
		s.printf("# Left out: none of the plan's rows %s is to decide or skip.\n", onSide(cloud))
	} else {
		s.printf("# Left out, never run: %d %s of the plan %s to decide or skip.\n", len(left), plural(len(left), "row", "rows"), onSide(cloud))
		if undo {
			s.raw("# The script did not make them, so there is nothing to undo.\n")
		} else {
			s.raw("# Set a row's action to apply in the plan, and write the scripts again, to make it.\n")
		}
		for _, r := range left {
			s.printf("#   plan row %d, %s, %s: %s %s", r.n, idText(r.ID), word(r.Action, Apply, Decide, Skip), psLiteral(r.Attribute), word(r.Operation, Add, Remove, Replace))
			if r.From != "" {
				s.printf(" %s", psLiteral(r.From))
			}
			if r.To != "" {
				if r.From != "" {
					s.raw(" with")
				}
				s.printf(" %s", psLiteral(r.To))
			}
			s.printf(" on %s", psLiteral(r.Object))
			if r.Name != "" && r.Name != r.Object {
				s.printf(" (%s)", psLiteral(r.Name))
			}
			s.raw("\n")
			if r.Note != "" {
				label := "why"
				if r.Action == Decide {
					label = "to decide"
				}
				s.printf("#     %s: %s\n", label, psLiteral(r.Note))
			}
		}
	}
	s.raw("\n")
}

func tools(cloud bool) string {
	if cloud {
		return "Microsoft Graph PowerShell and Exchange Online PowerShell"
	}
	return "the ActiveDirectory module"
}

func onSide(cloud bool) string {
	if cloud {
		return "in the cloud"
	}
	return "on premises"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// preamble writes #Requires, the parameters and the helper functions.
func (s *psWriter) preamble(rows []psRow, cloud bool) {
	s.raw("#Requires -Version 5.1\n")
	if cloud {
		graph, exchange := false, false
		for _, r := range rows {
			if r.attr.exchange {
				exchange = true
			} else {
				graph = true
			}
		}
		if graph {
			s.raw("#Requires -Modules Microsoft.Graph.Authentication, Microsoft.Graph.Users, Microsoft.Graph.Identity.DirectoryManagement\n")
		}
		if exchange {
			s.raw("#Requires -Modules ExchangeOnlineManagement\n")
		}
		s.raw(cloudParams)
	} else {
		s.raw("#Requires -Modules ActiveDirectory\n")
		s.raw(onPremParams)
	}
	s.raw(commonHelpers)
	if cloud {
		s.raw(cloudHelpers)
	} else {
		s.raw(onPremHelpers)
	}
	s.raw(startRun)
	if cloud {
		graph, exchange := false, false
		for _, r := range rows {
			if r.attr.exchange {
				exchange = true
			} else {
				graph = true
			}
		}
		if graph {
			s.raw(checkGraph)
		}
		if exchange {
			s.raw(checkExchange)
		}
	}
}

func (s *psWriter) epilogue() {
	s.raw(endRun)
}

// comment writes the comment line that starts a row's code.
func (s *psWriter) rowComment(r psRow, undo bool) {
	s.printf("    # plan row %d, %s: %s %s", r.n, idText(r.ID), r.attr.name, r.Operation)
	if undo {
		s.raw(" (undoing the row)")
	}
	s.raw("\n")
	s.printf("    $Row = %s\n", psLiteral(r.ID))
}

// rowEnd closes a row's code: the change is made, or -WhatIf or a "no" at
// -Confirm kept it from being made.
func (s *psWriter) rowEnd() {
	s.raw("        Write-Made $Target $Change\n")
	s.raw("    } else {\n")
	s.raw("        $Unconfirmed++\n")
	s.raw("    }\n")
}

// The text every script shares. None of it holds a value from the plan.

const commonHelpers = `
$ErrorActionPreference = 'Stop'
$Made = 0
$Skipped = 0
$Failed = 0
$Unconfirmed = 0
$Row = ''

# Get-Values returns an attribute's values as strings, a binary value as
# base64 of its bytes, and nothing for an attribute without a value.
function Get-Values($Value) {
    if ($null -eq $Value) { return }
    if ($Value -is [byte[]]) { return [Convert]::ToBase64String($Value) }
    foreach ($v in $Value) {
        if ($v -is [byte[]]) { [Convert]::ToBase64String($v) }
        elseif (-not [string]::IsNullOrEmpty([string]$v)) { [string]$v }
    }
}

# Test-Stale says why a change must not be made, or returns '' when the
# attribute is as the scan read it. Values are compared exactly, character
# by character (ordinal): a change of letter case only (smtp: to SMTP:)
# is a change, and a value that differs from the scan's only in case is
# stale. The directory compares proxyAddresses without case, so a value
# to add that it already holds in any case is not added again.
function Test-Stale([string[]]$Now, [string]$Operation, [string]$From, [string]$To, [bool]$Multi) {
    $hasFrom = $false
    $hasTo = $false
    $hasToOtherCase = $false
    $count = 0
    foreach ($v in $Now) {
        $count++
        if ([string]::Equals($v, $From, [System.StringComparison]::Ordinal)) { $hasFrom = $true }
        if ([string]::Equals($v, $To, [System.StringComparison]::Ordinal)) { $hasTo = $true }
        elseif ([string]::Equals($v, $To, [System.StringComparison]::OrdinalIgnoreCase) -and -not [string]::Equals($v, $From, [System.StringComparison]::Ordinal)) { $hasToOtherCase = $true }
    }
    if ($Operation -eq 'add') {
        if ($hasTo) { return 'it already holds the value to add (made before?)' }
        if ($Multi -and $hasToOtherCase) { return 'it already holds the value to add, in other letter case' }
        if (-not $Multi -and $count -gt 0) { return 'it has a value, and the scan read none' }
        return ''
    }
    if (-not $hasFrom) {
        if ($hasTo) { return 'it already holds the new value (made before?)' }
        return 'it no longer holds the value the scan read'
    }
    if ($Operation -eq 'replace' -and $Multi -and ($hasTo -or $hasToOtherCase)) { return 'it already holds the new value besides the old one' }
    return ''
}

# Format-Change describes a change for -WhatIf, -Confirm and the transcript.
function Format-Change([string]$Attribute, [string]$Operation, [string]$From, [string]$To) {
    if ($Operation -eq 'add') { return ($Attribute + ': add ''' + $To + '''') }
    if ($Operation -eq 'remove') { return ($Attribute + ': remove ''' + $From + '''') }
    return ($Attribute + ': replace ''' + $From + ''' with ''' + $To + '''')
}

function Write-Made([string]$Target, [string]$Change) {
    $script:Made++
    Write-Host ('changed ' + $Row + ', ' + $Target + ': ' + $Change)
}

function Write-Skip([string]$Target, [string]$Why) {
    $script:Skipped++
    Write-Warning ('skipped ' + $Row + ', ' + $Target + ': ' + $Why)
}

function Write-Refusal([string]$Target, [string]$Why) {
    $script:Failed++
    Write-Warning ('not changed ' + $Row + ', ' + $Target + ': ' + $Why)
}
`

const startRun = `
$Transcribing = $false
try {
    if (-not $LogPath) {
        $stamp = Get-Date -Format 'yyyyMMdd-HHmmss'
        if ($PSCommandPath) {
            $LogPath = [System.IO.Path]::ChangeExtension($PSCommandPath, ('.' + $stamp + '.log'))
        } else {
            $LogPath = Join-Path (Get-Location) ('syncready-fix.' + $stamp + '.log')
        }
    }
    Start-Transcript -Path $LogPath -Append -WhatIf:$false -Confirm:$false | Out-Null
    $Transcribing = $true
    Write-Host ('transcript: ' + $LogPath)
`

const endRun = `
} catch {
    $Failed++
    if ($Row) {
        Write-Warning ('stopped at row ' + $Row + ': ' + $_.Exception.Message)
    } else {
        Write-Warning ('stopped before the first row: ' + $_.Exception.Message)
    }
} finally {
    Write-Host ('syncready: ' + $Made + ' changed, ' + $Skipped + ' skipped (stale), ' + $Failed + ' not changed (failed), ' + $Unconfirmed + ' not confirmed (-WhatIf or -Confirm)')
    if ($Transcribing) { Stop-Transcript | Out-Null }
}
if ($Failed -gt 0) { exit 1 }
`
