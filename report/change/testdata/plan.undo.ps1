# syncready fix: undo of the on-premises script (the ActiveDirectory module).
# Undoes the changes of the plan's 19 apply rows on premises, last first: each
# value goes back to the one the scan read. Run it only after that script:
# each change re-reads the attribute and is skipped when it does not hold
# what that script wrote.
# Objects are found by objectGUID; a row without one is not changed. Each
# read and the change after it go to one domain controller of the object's
# domain (or -Server).
# Run it with -WhatIf first; -Confirm asks before each change. It stops at the
# first error, naming the row, and ends with how many changes it made, skipped
# (stale) and could not make. The transcript goes to -LogPath, by default a
# .log file next to this script.
# Values are PowerShell literals: text in single quotes, with [char] codes for
# characters that are invisible or end lines.
#
# Left out, never run: 2 rows of the plan on premises to decide or skip.
# The script did not make them, so there is nothing to undo.
#   plan row 21, c9e9f16800c, decide: 'proxyAddresses' remove 'SMTP:shared@contoso.com' on 'CN=Ann Smith,OU=Staff,DC=contoso,DC=com' ('Ann Smith')
#     to decide: ('Which of 2 objects keeps SMTP:shared@contoso.com? Apply all but one.' + [char]0x000A + '#> Remove-ADUser krbtgt')
#   plan row 22, cc1e86797d0, skip: 'info' replace '`$(Remove-ADUser krbtgt)`n' with ('nul' + [char]0x0000 + 'after') on ('CN=O’’Brien’’; Remove-ADUser krbtgt; ’’ #> <#' + [char]0x000A + '$(calc),OU=Staff,DC=eu,DC=contoso,DC=com') ('O’’Brien’’; Remove-ADUser krbtgt; ’’')
#     why: ('ls' + [char]0x2028 + 'Remove-ADUser krbtgt' + [char]0x2029 + 'ps' + [char]0x0085 + 'nel')

#Requires -Version 5.1
#Requires -Modules ActiveDirectory
[CmdletBinding(SupportsShouldProcess)]
param(
    # The transcript; by default a .log file named after this script and the time.
    [string]$LogPath,
    # One domain controller for every read and change; by default one writable
    # domain controller of each object's domain, found once per domain.
    [string]$Server,
    # The account that reads and changes the objects; by default the current user.
    [System.Management.Automation.PSCredential]$Credential
)

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

    # plan row 20, ('c''; Remove-ADUser krbtgt; ''' + [char]0x000A + '#>'): displayName replace (undoing the row)
    $Row = ('c''; Remove-ADUser krbtgt; ''' + [char]0x000A + '#>')
    $Target = 'CN=Ann Smith,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Properties 'displayName' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'displayName') 'replace' 'Ann Smith-Jones' 'Ann Smith' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'displayName' 'replace' 'Ann Smith-Jones' 'Ann Smith'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Replace @{'displayName' = 'Ann Smith'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 19, c4dd7a21419: mail remove (undoing the row)
    $Row = 'c4dd7a21419'
    Write-Refusal ('CN=O’’Brien’’; Remove-ADUser krbtgt; ’’ #> <#' + [char]0x000A + '$(calc),OU=Staff,DC=eu,DC=contoso,DC=com') 'the scan read no objectGUID for it, and this script finds objects by objectGUID only (a DN can name another object by now): scan again with objectGUID readable, or make the change by hand'

    # plan row 18, c116443660c: displayName replace (undoing the row)
    $Row = 'c116443660c'
    Write-Refusal 'CN=No Guid,OU=Staff,DC=contoso,DC=com' 'the scan read no objectGUID for it, and this script finds objects by objectGUID only (a DN can name another object by now): scan again with objectGUID readable, or make the change by hand'

    # plan row 17, c3a9c6cba34: displayName replace (undoing the row)
    $Row = 'c3a9c6cba34'
    $Target = 'CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Properties 'displayName' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'displayName') 'replace' 'Zoë' 'Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name ' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'displayName' 'replace' 'Zoë' 'Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name '
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Replace @{'displayName' = 'Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name Zoë’’s very long name '} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 16, c3bd3368984: proxyAddresses remove (undoing the row)
    $Row = 'c3bd3368984'
    $Target = ('CN=O’’Brien’’; Remove-ADUser krbtgt; ’’ #> <#' + [char]0x000A + '$(calc),OU=Staff,DC=eu,DC=contoso,DC=com')
    $AD = Get-Connection 'eu.contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '0f8fad5b-d9cb-469f-a165-70867728950e' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'remove' ('smtp:O’’Brien’’; Remove-ADUser krbtgt; ’’|‘‘left’’ ‚‚low‛‛ ''ascii'' ''''|$(Remove-ADUser krbtgt)|`$(Remove-ADUser krbtgt)`n|a; Remove-ADUser krbtgt & calc | more|line1' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000D + [char]0x000A + 'line3' + [char]0x000D + 'line4|#> Remove-ADUser krbtgt <#|@''' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000A + '''@|@"' + [char]0x000A + 'Remove-ADUser $x' + [char]0x000A + '"@|nul' + [char]0x0000 + 'after|ls' + [char]0x2028 + 'Remove-ADUser krbtgt' + [char]0x2029 + 'ps' + [char]0x0085 + 'nel|' + [char]0x202E + 'Remove-ADUser krbtgt' + [char]0x202C + ' ' + [char]0x2066 + 'x' + [char]0x2069 + '|emoji 😀 math 𝔘 tag ' + [char]0xDB40 + [char]0xDC41 + ' private ' + [char]0xDB80 + [char]0xDC00 + '|"double $env:USERNAME"|tab' + [char]0x0009 + 'vt' + [char]0x000B + 'ff' + [char]0x000C + 'bom' + [char]0xFEFF + 'zwj' + [char]0x200D + 'nbsp' + [char]0x00A0 + '|-Confirm:$false -WhatIf:$false|\|''|’’') '' $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'remove' ('smtp:O’’Brien’’; Remove-ADUser krbtgt; ’’|‘‘left’’ ‚‚low‛‛ ''ascii'' ''''|$(Remove-ADUser krbtgt)|`$(Remove-ADUser krbtgt)`n|a; Remove-ADUser krbtgt & calc | more|line1' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000D + [char]0x000A + 'line3' + [char]0x000D + 'line4|#> Remove-ADUser krbtgt <#|@''' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000A + '''@|@"' + [char]0x000A + 'Remove-ADUser $x' + [char]0x000A + '"@|nul' + [char]0x0000 + 'after|ls' + [char]0x2028 + 'Remove-ADUser krbtgt' + [char]0x2029 + 'ps' + [char]0x0085 + 'nel|' + [char]0x202E + 'Remove-ADUser krbtgt' + [char]0x202C + ' ' + [char]0x2066 + 'x' + [char]0x2069 + '|emoji 😀 math 𝔘 tag ' + [char]0xDB40 + [char]0xDC41 + ' private ' + [char]0xDB80 + [char]0xDC00 + '|"double $env:USERNAME"|tab' + [char]0x0009 + 'vt' + [char]0x000B + 'ff' + [char]0x000C + 'bom' + [char]0xFEFF + 'zwj' + [char]0x200D + 'nbsp' + [char]0x00A0 + '|-Confirm:$false -WhatIf:$false|\|''|’’') ''
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '0f8fad5b-d9cb-469f-a165-70867728950e' -Remove @{'proxyAddresses' = ('smtp:O’’Brien’’; Remove-ADUser krbtgt; ’’|‘‘left’’ ‚‚low‛‛ ''ascii'' ''''|$(Remove-ADUser krbtgt)|`$(Remove-ADUser krbtgt)`n|a; Remove-ADUser krbtgt & calc | more|line1' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000D + [char]0x000A + 'line3' + [char]0x000D + 'line4|#> Remove-ADUser krbtgt <#|@''' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000A + '''@|@"' + [char]0x000A + 'Remove-ADUser $x' + [char]0x000A + '"@|nul' + [char]0x0000 + 'after|ls' + [char]0x2028 + 'Remove-ADUser krbtgt' + [char]0x2029 + 'ps' + [char]0x0085 + 'nel|' + [char]0x202E + 'Remove-ADUser krbtgt' + [char]0x202C + ' ' + [char]0x2066 + 'x' + [char]0x2069 + '|emoji 😀 math 𝔘 tag ' + [char]0xDB40 + [char]0xDC41 + ' private ' + [char]0xDB80 + [char]0xDC00 + '|"double $env:USERNAME"|tab' + [char]0x0009 + 'vt' + [char]0x000B + 'ff' + [char]0x000C + 'bom' + [char]0xFEFF + 'zwj' + [char]0x200D + 'nbsp' + [char]0x00A0 + '|-Confirm:$false -WhatIf:$false|\|''|’’')} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 15, c3381f93b6b: proxyAddresses replace (undoing the row)
    $Row = 'c3381f93b6b'
    $Target = ('CN=O’’Brien’’; Remove-ADUser krbtgt; ’’ #> <#' + [char]0x000A + '$(calc),OU=Staff,DC=eu,DC=contoso,DC=com')
    $AD = Get-Connection 'eu.contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '0f8fad5b-d9cb-469f-a165-70867728950e' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'replace' ('smtp:@''' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000A + '''@') ('smtp:line1' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000D + [char]0x000A + 'line3' + [char]0x000D + 'line4') $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'replace' ('smtp:@''' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000A + '''@') ('smtp:line1' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000D + [char]0x000A + 'line3' + [char]0x000D + 'line4')
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '0f8fad5b-d9cb-469f-a165-70867728950e' -Remove @{'proxyAddresses' = ('smtp:@''' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000A + '''@')} -Add @{'proxyAddresses' = ('smtp:line1' + [char]0x000A + 'Remove-ADUser krbtgt' + [char]0x000D + [char]0x000A + 'line3' + [char]0x000D + 'line4')} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 14, cb1c1b5a141: displayName replace (undoing the row)
    $Row = 'cb1c1b5a141'
    $Target = ('CN=O’’Brien’’; Remove-ADUser krbtgt; ’’ #> <#' + [char]0x000A + '$(calc),OU=Staff,DC=eu,DC=contoso,DC=com')
    $AD = Get-Connection 'eu.contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '0f8fad5b-d9cb-469f-a165-70867728950e' -Properties 'displayName' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'displayName') 'replace' 'O''Brien' 'O’’Brien’’; Remove-ADUser krbtgt; ’’' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'displayName' 'replace' 'O''Brien' 'O’’Brien’’; Remove-ADUser krbtgt; ’’'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '0f8fad5b-d9cb-469f-a165-70867728950e' -Replace @{'displayName' = 'O’’Brien’’; Remove-ADUser krbtgt; ’’'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 13, cf8c6778ae4: mS-DS-ConsistencyGuid replace (undoing the row)
    $Row = 'cf8c6778ae4'
    $Target = 'CN=Ann Smith,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Properties 'mS-DS-ConsistencyGuid' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'mS-DS-ConsistencyGuid') 'replace' '4AQlP4lP0xGaDAMF6CwzAQ==' 'AQIDBAUGBwgJCgsMDQ4PEA==' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'mS-DS-ConsistencyGuid' 'replace' '4AQlP4lP0xGaDAMF6CwzAQ==' 'AQIDBAUGBwgJCgsMDQ4PEA=='
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Replace @{'mS-DS-ConsistencyGuid' = [Convert]::FromBase64String('AQIDBAUGBwgJCgsMDQ4PEA==')} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 12, cc2cd6f8a6c: mS-DS-ConsistencyGuid remove (undoing the row)
    $Row = 'cc2cd6f8a6c'
    $Target = 'CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Properties 'mS-DS-ConsistencyGuid' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'mS-DS-ConsistencyGuid') 'remove' '4AQlP4lP0xGaDAMF6CwzAQ==' '' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'mS-DS-ConsistencyGuid' 'remove' '4AQlP4lP0xGaDAMF6CwzAQ==' ''
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Clear 'mS-DS-ConsistencyGuid' -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 11, cf8bfce79b5: sAMAccountName replace (undoing the row)
    $Row = 'cf8bfce79b5'
    $Target = 'CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Properties 'sAMAccountName' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'sAMAccountName') 'replace' 'zoe' 'zoe ' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'sAMAccountName' 'replace' 'zoe' 'zoe '
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Replace @{'sAMAccountName' = 'zoe '} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 10, c732864b7bf: targetAddress add (undoing the row)
    $Row = 'c732864b7bf'
    $Target = 'CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Properties 'targetAddress' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'targetAddress') 'add' '' 'SMTP:zoe@contoso.mail.onmicrosoft.com' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'targetAddress' 'add' '' 'SMTP:zoe@contoso.mail.onmicrosoft.com'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Replace @{'targetAddress' = 'SMTP:zoe@contoso.mail.onmicrosoft.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 9, cc9a2468705: sn replace (undoing the row)
    $Row = 'cc9a2468705'
    $Target = 'CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Properties 'sn' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'sn') 'replace' 'Ångström' 'angstrom' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'sn' 'replace' 'Ångström' 'angstrom'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Replace @{'sn' = 'angstrom'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 8, c959dacb54e: givenName replace (undoing the row)
    $Row = 'c959dacb54e'
    $Target = 'CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Properties 'givenName' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'givenName') 'replace' 'Zoë' 'Zoe' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'givenName' 'replace' 'Zoë' 'Zoe'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Replace @{'givenName' = 'Zoe'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 7, c5f4e6751bf: mailNickname add (undoing the row)
    $Row = 'c5f4e6751bf'
    $Target = 'CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Properties 'mailNickname' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'mailNickname') 'add' '' 'zoë' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'mailNickname' 'add' '' 'zoë'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Replace @{'mailNickname' = 'zoë'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 6, cf0946c3eb0: mail remove (undoing the row)
    $Row = 'cf0946c3eb0'
    $Target = 'CN=Zoë Ångström,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Properties 'mail' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'mail') 'remove' 'zoe@contoso.com' '' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'mail' 'remove' 'zoe@contoso.com' ''
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '7c9e6679-7425-40de-944b-e07fc1f90ae7' -Clear 'mail' -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 5, c1b999c9c8a: userPrincipalName replace (undoing the row)
    $Row = 'c1b999c9c8a'
    $Target = 'CN=Ann Smith,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Properties 'userPrincipalName' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'userPrincipalName') 'replace' 'ann@contoso.com' 'ann@contoso.local' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'userPrincipalName' 'replace' 'ann@contoso.com' 'ann@contoso.local'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Replace @{'userPrincipalName' = 'ann@contoso.local'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 4, c817539272a: proxyAddresses remove (undoing the row)
    $Row = 'c817539272a'
    $Target = 'CN=Ann Smith,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'remove' 'smtp:ann.smith@contoso.com' '' $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'remove' 'smtp:ann.smith@contoso.com' ''
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Remove @{'proxyAddresses' = 'smtp:ann.smith@contoso.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 3, c8431a0a8a0: proxyAddresses add (undoing the row)
    $Row = 'c8431a0a8a0'
    $Target = 'CN=Ann Smith,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'add' '' 'SMTP:old@contoso.com' $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'add' '' 'SMTP:old@contoso.com'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Add @{'proxyAddresses' = 'SMTP:old@contoso.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 2, c8435239b84: proxyAddresses replace (undoing the row)
    $Row = 'c8435239b84'
    $Target = 'CN=Ann Smith,OU=Staff,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'replace' 'SMTP:ann@contoso.com' 'smtp:ann@contoso.com' $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'replace' 'SMTP:ann@contoso.com' 'smtp:ann@contoso.com'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '3f2504e0-4f89-11d3-9a0c-0305e82c3301' -Remove @{'proxyAddresses' = 'SMTP:ann@contoso.com'} -Add @{'proxyAddresses' = 'smtp:ann@contoso.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

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
