# syncready fix: cloud changes (Microsoft Graph PowerShell and Exchange Online PowerShell).
# Makes the plan's 0 apply rows in the cloud, on 0 objects, in the plan's order.
# Each change re-reads the attribute right before it and is skipped, with a
# warning, when the attribute no longer holds the value the scan read.
# Users are found by their Graph id. Connect first: Connect-MgGraph -Scopes
# 'User.ReadWrite.All', 'Domain.Read.All' (setting onPremisesImmutableId may
# also need Directory.AccessAsUser.All), and Connect-ExchangeOnline when the
# script changes proxyAddresses.
# Run it with -WhatIf first; -Confirm asks before each change. It stops at the
# first error, naming the row, and ends with how many changes it made, skipped
# (stale) and could not make. The transcript goes to -LogPath, by default a
# .log file next to this script.
# Values are PowerShell literals: text in single quotes, with [char] codes for
# characters that are invisible or end lines.
#
# Left out, never run: 2 rows of the plan in the cloud to decide or skip.
# Set a row's action to apply in the plan, and write the scripts again, to make it.
#   plan row 16, c9b95abf1e7, decide: 'memberOf' remove '6dd5bb49-c241-47db-acb1-3ad1d9246589' on 'b3c01fc1-b14e-47d1-ba5c-c3afbda57814' ('asm.admin@contoso.onmicrosoft.com')
#     to decide: 'the sync service does not join a cloud account that holds a directory role: remove its membership of group Tier 0 Admins (6dd5bb49-c241-47db-acb1-3ad1d9246589), through which it holds Privileged Role Administrator for the first sync, and give it back once CN=Admin Soft Match,OU=Staff,OU=Contoso,DC=contoso,DC=com has joined; if a sync already ran and created a duplicate object, hard-delete that duplicate first'
#   plan row 17, ca9151cdcde, decide: 'roleAssignments' remove 'Exchange Administrator' on 'd4cdda77-7b5a-47e6-ad72-9831a0acb3e7' ('ahm.admin@contoso.onmicrosoft.com')
#     to decide: 'the sync service does not join a cloud account that holds a directory role: remove the role Exchange Administrator for the first sync, and give it back once CN=Admin Hard Match,OU=Staff,OU=Contoso,DC=contoso,DC=com has joined; if a sync already ran and created a duplicate object, hard-delete that duplicate first'

#Requires -Version 5.1
[CmdletBinding(SupportsShouldProcess)]
param(
    # The transcript; by default a .log file named after this script and the time.
    [string]$LogPath
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

$InitialDomain = ''
$Federated = @{}

# Get-TemporaryUpn returns '' when a UPN is in a managed domain; for one in a
# federated domain, the same name in the tenant's initial onmicrosoft.com
# domain. Graph refuses to change onPremisesImmutableId while the user's UPN
# is in a federated domain. The documented procedure (Microsoft Learn,
# "Configure federated sign-in for Windows devices", section "Identity
# matching in Microsoft Entra ID": https://learn.microsoft.com/education/windows/federated-sign-in)
# moves the UPN to a non-federated domain, changes the ImmutableId and moves
# the UPN back, each with Update-MgUser.
function Get-TemporaryUpn([string]$Upn) {
    $at = $Upn.LastIndexOf('@')
    $suffix = $Upn.Substring($at + 1)
    if (-not $script:Federated.ContainsKey($suffix)) {
        $script:Federated[$suffix] = (Get-MgDomain -DomainId $suffix).AuthenticationType -eq 'Federated'
    }
    if (-not $script:Federated[$suffix]) { return '' }
    if (-not $script:InitialDomain) {
        $script:InitialDomain = [string](Get-MgDomain -All | Where-Object { $_.IsInitial } | Select-Object -First 1).Id
        if (-not $script:InitialDomain) { throw 'the tenant has no initial onmicrosoft.com domain' }
    }
    return ($Upn.Substring(0, $at) + '@' + $script:InitialDomain)
}

# Get-AddressCmdlet names the Exchange Online cmdlet that changes the email
# addresses (proxyAddresses) of a recipient of a type, or returns ''.
function Get-AddressCmdlet([string]$Type) {
    if ($Type -in 'UserMailbox', 'SharedMailbox', 'RoomMailbox', 'EquipmentMailbox', 'SchedulingMailbox') { return 'Set-Mailbox' }
    if ($Type -in 'MailUser', 'GuestMailUser') { return 'Set-MailUser' }
    if ($Type -eq 'MailContact') { return 'Set-MailContact' }
    if ($Type -in 'MailUniversalDistributionGroup', 'MailUniversalSecurityGroup', 'MailNonUniversalGroup', 'RoomList') { return 'Set-DistributionGroup' }
    if ($Type -eq 'GroupMailbox') { return 'Set-UnifiedGroup' }
    return ''
}

# Set-RecipientAddresses adds and removes email addresses with the cmdlet
# Get-AddressCmdlet named: -EmailAddresses @{Add=...; Remove=...} changes
# only the addresses it names. Identity is the recipient's Exchange GUID.
function Set-RecipientAddresses([string]$Cmdlet, [string]$Identity, [hashtable]$Change) {
    if ($Cmdlet -eq 'Set-Mailbox') {
        Set-Mailbox -Identity $Identity -EmailAddresses $Change -Confirm:$false
    } elseif ($Cmdlet -eq 'Set-MailUser') {
        Set-MailUser -Identity $Identity -EmailAddresses $Change -Confirm:$false
    } elseif ($Cmdlet -eq 'Set-MailContact') {
        Set-MailContact -Identity $Identity -EmailAddresses $Change -Confirm:$false
    } elseif ($Cmdlet -eq 'Set-DistributionGroup') {
        Set-DistributionGroup -Identity $Identity -EmailAddresses $Change -Confirm:$false
    } elseif ($Cmdlet -eq 'Set-UnifiedGroup') {
        Set-UnifiedGroup -Identity $Identity -EmailAddresses $Change -Confirm:$false
    } else {
        throw ('no cmdlet for email addresses: ' + $Cmdlet)
    }
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
