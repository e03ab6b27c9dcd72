# syncready fix: undo of the cloud script (Microsoft Graph PowerShell and Exchange Online PowerShell).
# Undoes the changes of the plan's 9 apply rows in the cloud, last first: each
# value goes back to the one the scan read. Run it only after that script:
# each change re-reads the attribute and is skipped when it does not hold
# what that script wrote.
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
# The script did not make them, so there is nothing to undo.
#   plan row 32, ce3f455d877, decide: 'proxyAddresses' remove 'SMTP:shared@contoso.com' on '6ba7b810-9dad-11d1-80b4-00c04fd430c8' ('ann@contoso.com')
#     to decide: ('Which holder keeps it?' + [char]0x2028 + '#> $(Remove-MgUser)')
#   plan row 33, c3b0ebe214b, skip: 'mail' replace 'a; Remove-ADUser krbtgt & calc | more' with ('@"' + [char]0x000A + 'Remove-ADUser $x' + [char]0x000A + '"@') on '6ba7b812-9dad-11d1-80b4-00c04fd430c8' ('$(Remove-ADUser krbtgt)')

#Requires -Version 5.1
#Requires -Modules Microsoft.Graph.Authentication, Microsoft.Graph.Users, Microsoft.Graph.Identity.DirectoryManagement
#Requires -Modules ExchangeOnlineManagement
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
    if ($null -eq (Get-MgContext)) {
        throw 'not connected to Microsoft Graph: run Connect-MgGraph -Scopes ''User.ReadWrite.All'', ''Domain.Read.All'' first'
    }
    if (-not (Get-ConnectionInformation)) {
        throw 'not connected to Exchange Online: run Connect-ExchangeOnline first'
    }

    # plan row 31, c349d4f93ef: userPrincipalName replace (undoing the row)
    $Row = 'c349d4f93ef'
    Write-Refusal 'not an id (ann@contoso.com; Remove-MgUser)' 'the object is not a Graph id, and this script finds users and recipients by Graph id only'

    # plan row 30, ccef40ca32b: proxyAddresses replace (undoing the row)
    $Row = 'ccef40ca32b'
    Write-Refusal 'ann@contoso.com (6ba7b810-9dad-11d1-80b4-00c04fd430c8)' 'a change of letter case only, which Exchange Online does not tell apart: make it by hand (for the primary address, Set-Mailbox -WindowsEmailAddress)'

    # plan row 29, c142a9ba9c0: proxyAddresses replace (undoing the row)
    $Row = 'c142a9ba9c0'
    $Target = '‘‘left’’ ‚‚low‛‛ ''ascii'' '''' (6ba7b812-9dad-11d1-80b4-00c04fd430c8)'
    $Recipient = Get-EXORecipient -ExternalDirectoryObjectId '6ba7b812-9dad-11d1-80b4-00c04fd430c8' -Properties 'EmailAddresses', 'Guid'
    $Why = Test-Stale @(Get-Values $Recipient.EmailAddresses) 'replace' ('smtp:' + [char]0x202E + 'Remove-ADUser krbtgt' + [char]0x202C + ' ' + [char]0x2066 + 'x' + [char]0x2069) 'smtp:O’’Brien’’; Remove-ADUser krbtgt; ’’' $true
    $Cmdlet = Get-AddressCmdlet $Recipient.RecipientTypeDetails
    $Change = Format-Change 'proxyAddresses' 'replace' ('smtp:' + [char]0x202E + 'Remove-ADUser krbtgt' + [char]0x202C + ' ' + [char]0x2066 + 'x' + [char]0x2069) 'smtp:O’’Brien’’; Remove-ADUser krbtgt; ’’'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif (-not $Cmdlet) {
        Write-Refusal $Target ('Exchange Online recipient type ' + $Recipient.RecipientTypeDetails + ' is not one this script changes')
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-RecipientAddresses $Cmdlet ([string]$Recipient.Guid) @{Add = 'smtp:O’’Brien’’; Remove-ADUser krbtgt; ’’'; Remove = ('smtp:' + [char]0x202E + 'Remove-ADUser krbtgt' + [char]0x202C + ' ' + [char]0x2066 + 'x' + [char]0x2069)}
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 28, c165b653f5c: proxyAddresses remove (undoing the row)
    $Row = 'c165b653f5c'
    $Target = 'Sales (6ba7b812-9dad-11d1-80b4-00c04fd430c8)'
    $Recipient = Get-EXORecipient -ExternalDirectoryObjectId '6ba7b812-9dad-11d1-80b4-00c04fd430c8' -Properties 'EmailAddresses', 'Guid'
    $Why = Test-Stale @(Get-Values $Recipient.EmailAddresses) 'remove' 'smtp:sales@contoso.com' '' $true
    $Cmdlet = Get-AddressCmdlet $Recipient.RecipientTypeDetails
    $Change = Format-Change 'proxyAddresses' 'remove' 'smtp:sales@contoso.com' ''
    if ($Why) {
        Write-Skip $Target $Why
    } elseif (-not $Cmdlet) {
        Write-Refusal $Target ('Exchange Online recipient type ' + $Recipient.RecipientTypeDetails + ' is not one this script changes')
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-RecipientAddresses $Cmdlet ([string]$Recipient.Guid) @{Remove = 'smtp:sales@contoso.com'}
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 27, c77c2662bce: proxyAddresses add (undoing the row)
    $Row = 'c77c2662bce'
    $Target = 'ann@contoso.com (6ba7b810-9dad-11d1-80b4-00c04fd430c8)'
    $Recipient = Get-EXORecipient -ExternalDirectoryObjectId '6ba7b810-9dad-11d1-80b4-00c04fd430c8' -Properties 'EmailAddresses', 'Guid'
    $Why = Test-Stale @(Get-Values $Recipient.EmailAddresses) 'add' '' 'smtp:ann@contoso.com' $true
    $Cmdlet = Get-AddressCmdlet $Recipient.RecipientTypeDetails
    $Change = Format-Change 'proxyAddresses' 'add' '' 'smtp:ann@contoso.com'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif (-not $Cmdlet) {
        Write-Refusal $Target ('Exchange Online recipient type ' + $Recipient.RecipientTypeDetails + ' is not one this script changes')
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-RecipientAddresses $Cmdlet ([string]$Recipient.Guid) @{Add = 'smtp:ann@contoso.com'}
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 26, cc13d37189c: userPrincipalName replace (undoing the row)
    $Row = 'cc13d37189c'
    $Target = 'zoe@contoso.com (6ba7b811-9dad-11d1-80b4-00c04fd430c8)'
    $User = Get-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -Property 'id', 'userPrincipalName'
    $Why = Test-Stale @(Get-Values $User.UserPrincipalName) 'replace' 'zoe.cloud@contoso.com' 'zoe@contoso.onmicrosoft.com' $false
    $Change = Format-Change 'userPrincipalName' 'replace' 'zoe.cloud@contoso.com' 'zoe@contoso.onmicrosoft.com'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Update-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -UserPrincipalName 'zoe@contoso.onmicrosoft.com' -Confirm:$false
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 25, c41ee6ec717: onPremisesImmutableId add (undoing the row)
    $Row = 'c41ee6ec717'
    $Target = 'zoe@contoso.com (6ba7b811-9dad-11d1-80b4-00c04fd430c8)'
    $User = Get-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -Property 'id', 'userPrincipalName', 'onPremisesImmutableId'
    $Why = Test-Stale @(Get-Values $User.OnPremisesImmutableId) 'add' '' '4AQlP4lP0xGaDAMF6CwzAQ==' $false
    $Upn = $User.UserPrincipalName
    $Temporary = Get-TemporaryUpn $Upn
    $Change = Format-Change 'onPremisesImmutableId' 'add' '' '4AQlP4lP0xGaDAMF6CwzAQ=='
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        if ($Temporary) {
            Write-Host ('moving ' + $Upn + ' to ' + $Temporary + ' while its onPremisesImmutableId changes: its domain is federated')
            Update-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -UserPrincipalName $Temporary -Confirm:$false
            try {
                Update-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -OnPremisesImmutableId '4AQlP4lP0xGaDAMF6CwzAQ==' -Confirm:$false
            } finally {
                try {
                    Update-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -UserPrincipalName $Upn -Confirm:$false
                    Write-Host ('moved ' + $Temporary + ' back to ' + $Upn)
                } catch {
                    Write-Warning ('the UPN is still ' + $Temporary + ': set it back to ' + $Upn + ' by hand')
                    throw
                }
            }
        } else {
            Update-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -OnPremisesImmutableId '4AQlP4lP0xGaDAMF6CwzAQ==' -Confirm:$false
        }
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 24, ce812b9a0c6: onPremisesImmutableId replace (undoing the row)
    $Row = 'ce812b9a0c6'
    $Target = 'zoe@contoso.com (6ba7b811-9dad-11d1-80b4-00c04fd430c8)'
    $User = Get-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -Property 'id', 'userPrincipalName', 'onPremisesImmutableId'
    $Why = Test-Stale @(Get-Values $User.OnPremisesImmutableId) 'replace' '4AQlP4lP0xGaDAMF6CwzAQ==' 'AQIDBAUGBwgJCgsMDQ4PEA==' $false
    $Upn = $User.UserPrincipalName
    $Temporary = Get-TemporaryUpn $Upn
    $Change = Format-Change 'onPremisesImmutableId' 'replace' '4AQlP4lP0xGaDAMF6CwzAQ==' 'AQIDBAUGBwgJCgsMDQ4PEA=='
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        if ($Temporary) {
            Write-Host ('moving ' + $Upn + ' to ' + $Temporary + ' while its onPremisesImmutableId changes: its domain is federated')
            Update-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -UserPrincipalName $Temporary -Confirm:$false
            try {
                Update-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -OnPremisesImmutableId 'AQIDBAUGBwgJCgsMDQ4PEA==' -Confirm:$false
            } finally {
                try {
                    Update-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -UserPrincipalName $Upn -Confirm:$false
                    Write-Host ('moved ' + $Temporary + ' back to ' + $Upn)
                } catch {
                    Write-Warning ('the UPN is still ' + $Temporary + ': set it back to ' + $Upn + ' by hand')
                    throw
                }
            }
        } else {
            Update-MgUser -UserId '6ba7b811-9dad-11d1-80b4-00c04fd430c8' -OnPremisesImmutableId 'AQIDBAUGBwgJCgsMDQ4PEA==' -Confirm:$false
        }
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 23, cc114f30b6c: onPremisesImmutableId remove (undoing the row)
    $Row = 'cc114f30b6c'
    $Target = 'ann@contoso.com (6ba7b810-9dad-11d1-80b4-00c04fd430c8)'
    $User = Get-MgUser -UserId '6ba7b810-9dad-11d1-80b4-00c04fd430c8' -Property 'id', 'userPrincipalName', 'onPremisesImmutableId'
    $Why = Test-Stale @(Get-Values $User.OnPremisesImmutableId) 'remove' '4AQlP4lP0xGaDAMF6CwzAQ==' '' $false
    $Upn = $User.UserPrincipalName
    $Temporary = Get-TemporaryUpn $Upn
    $Change = Format-Change 'onPremisesImmutableId' 'remove' '4AQlP4lP0xGaDAMF6CwzAQ==' ''
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($Temporary) {
        Write-Refusal $Target 'its UPN is in a federated domain, where a user needs an onPremisesImmutableId: clear it by hand after moving the user to a managed domain'
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Invoke-MgGraphRequest -Method PATCH -Uri 'v1.0/users/6ba7b810-9dad-11d1-80b4-00c04fd430c8' -Body '{"onPremisesImmutableId":null}' -ContentType 'application/json'
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
