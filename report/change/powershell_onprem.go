package change

import (
	"strings"

	"github.com/syncready/syncready/scanner"
)

const onPremParams = `[CmdletBinding(SupportsShouldProcess)]
param(
    # The transcript; by default a .log file named after this script and the time.
    [string]$LogPath,
    # One domain controller for every read and change; by default one writable
    # domain controller of each object's domain, found once per domain.
    [string]$Server,
    # The account that reads and changes the objects; by default the current user.
    [System.Management.Automation.PSCredential]$Credential
)
`

const onPremHelpers = `
$DomainControllers = @{}

# Get-Connection returns the -Server and -Credential parameters for the read
# of an object and the change after it, so that both go to one domain
# controller: a change checked on one and made on another could meet a
# value the first had not replicated yet.
function Get-Connection([string]$Domain) {
    $p = @{}
    if ($Credential) { $p['Credential'] = $Credential }
    if ($Server) {
        $p['Server'] = $Server
    } elseif ($Domain) {
        if (-not $script:DomainControllers.ContainsKey($Domain)) {
            $dc = Get-ADDomainController -Discover -DomainName $Domain -Writable
            $script:DomainControllers[$Domain] = [string]@($dc.HostName)[0]
        }
        $p['Server'] = $script:DomainControllers[$Domain]
    }
    return $p
}
`

// onPremRow writes one change: find the object by objectGUID, re-read the
// attribute, and change it with Set-ADObject (-Remove and -Add for a
// multi-valued attribute, -Replace and -Clear for a single-valued one).
func (s *psWriter) onPremRow(r psRow, undo bool) {
	a := r.attr
	s.rowComment(r, undo)
	target := psLiteral(r.Object)
	if !guidPattern.MatchString(r.GUID) {
		// A DN names whatever object holds it when the script runs: after a
		// rename or a move it can be another object — with duplicates to fix,
		// one that holds the same value. The objectGUID never changes and is
		// never reused.
		s.printf("    Write-Refusal %s %s\n", target, psLiteral("the scan read no objectGUID for it, and this script finds objects by objectGUID only (a DN can name another object by now): scan again with objectGUID readable, or make the change by hand"))
		return
	}
	guid := psLiteral(r.GUID)
	attr := psLiteral(a.name)
	from, to := psLiteral(r.From), psLiteral(r.To)
	op := psLiteral(string(r.Operation))
	multi := "$false"
	if a.multi {
		multi = "$true"
	}
	s.printf("    $Target = %s\n", target)
	s.printf("    $AD = Get-Connection %s\n", psLiteral(domainOf(r.Object)))
	// An object deleted since the scan is stale like a changed value.
	s.raw("    $Object = $null\n")
	s.printf("    try { $Object = Get-ADObject -Identity %s -Properties %s @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }\n", guid, attr)
	s.printf("    $Why = Test-Stale @(Get-Values $Object.%s) %s %s %s %s\n", attr, op, from, to, multi)
	s.raw("    if ($null -eq $Object) { $Why = 'the object no longer exists' }\n")
	s.printf("    $Change = Format-Change %s %s %s %s\n", attr, op, from, to)
	s.raw("    if ($Why) {\n")
	s.raw("        Write-Skip $Target $Why\n")
	s.raw("    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {\n")
	s.printf("        Set-ADObject -Identity %s", guid)
	value := func(v string) string {
		if a.binary {
			return "[Convert]::FromBase64String(" + psLiteral(v) + ")"
		}
		return psLiteral(v)
	}
	switch {
	case a.multi && r.Operation == Add:
		s.printf(" -Add @{%s = %s}", attr, value(r.To))
	case a.multi && r.Operation == Remove:
		s.printf(" -Remove @{%s = %s}", attr, value(r.From))
	case a.multi:
		// One modify request: Set-ADObject removes before it adds, and the
		// directory refuses the request whole when it no longer holds From.
		s.printf(" -Remove @{%s = %s} -Add @{%s = %s}", attr, value(r.From), attr, value(r.To))
	case r.Operation == Remove:
		s.printf(" -Clear %s", attr)
	default:
		s.printf(" -Replace @{%s = %s}", attr, value(r.To))
	}
	s.raw(" -Confirm:$false @AD\n")
	s.rowEnd()
}

// domainOf is the DNS name of the domain a DN is in, from its trailing DC=
// components, or "" when they do not make a plain host name.
func domainOf(dn string) string {
	var labels []string
	parts := scanner.SplitDN(dn)
	for i := len(parts) - 1; i >= 0; i-- {
		k, v, ok := strings.Cut(parts[i], "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "dc") {
			break
		}
		v = strings.TrimSpace(v)
		if v == "" || strings.IndexFunc(v, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
		}) >= 0 {
			return ""
		}
		labels = append(labels, v)
	}
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	return strings.Join(labels, ".")
}
