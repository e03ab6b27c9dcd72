# syncready fix: on-premises changes (the ActiveDirectory module).
# Makes the plan's 10 apply rows on premises, on 10 objects, in the plan's order.
# Each change re-reads the attribute right before it and is skipped, with a
# warning, when the attribute no longer holds the value the scan read.
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
# Left out, never run: 14 rows of the plan on premises to decide or skip.
# Set a row's action to apply in the plan, and write the scripts again, to make it.
#   plan row 12, c4e9e167e0c, decide: 'proxyAddresses' remove 'smtp:frontdesk@contoso.com' on 'CN=Dup Proxy A,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Dup Proxy A')
#     to decide: 'frontdesk@contoso.com is held by CN=Dup Proxy B,OU=Staff,OU=Contoso,DC=contoso,DC=com too: keep it on the one that should receive its mail; apply the rows that remove it from all the others'
#   plan row 13, cf923b57300, decide: 'proxyAddresses' remove 'smtp:frontdesk@contoso.com' on 'CN=Dup Proxy B,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Dup Proxy B')
#     to decide: 'frontdesk@contoso.com is held by CN=Dup Proxy A,OU=Staff,OU=Contoso,DC=contoso,DC=com too: keep it on the one that should receive its mail; apply the rows that remove it from all the others'
#   plan row 14, c1830b17e98, decide: 'userPrincipalName' replace 'dup.upn@contoso.com' on 'CN=Dup UPN A,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Dup UPN A')
#     to decide: 'dup.upn@contoso.com is held by CN=Dup UPN B,OU=Resource Accounts,DC=res,DC=contoso,DC=net too: keep it on one holder, and fill in another value for the others (then set their rows to apply)'
#   plan row 15, cb8665b06e0, decide: 'userPrincipalName' replace 'dup.upn@contoso.com' on 'CN=Dup UPN B,OU=Resource Accounts,DC=res,DC=contoso,DC=net' ('Dup UPN B')
#     to decide: 'dup.upn@contoso.com is held by CN=Dup UPN A,OU=Staff,OU=Contoso,DC=contoso,DC=com too: keep it on one holder, and fill in another value for the others (then set their rows to apply)'
#   plan row 18, ccc41892087, decide: 'mail' remove 'type.mismatch@contoso.com' on 'CN=Type Mismatch Contact,OU=Contacts,OU=Contoso,DC=contoso,DC=com' ('Type Mismatch Contact')
#     to decide: 'no join: Decide which object should own the address: delete or change the cloud user type.mismatch@contoso.com (ef1fb1cb-b18f-4b83-9ef0-9e7c87ef7e04), or convert one of the objects so both are contacts, before sync. Or remove the colliding value from this object, so that it provisions as a new object beside the cloud one.'
#   plan row 19, cb66f33be3b, decide: 'proxyAddresses' remove 'SMTP:soft.match.anchored@contoso.com' on 'CN=Soft Match Anchored,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Soft Match Anchored')
#     to decide: 'no join: If cloud 184e2b6f-ee03-48e9-a6b7-30e153453172 is this object, once the other source no longer syncs it, clear its onPremisesImmutableId, so that this object soft matches it, or set its onPremisesImmutableId to this object''s source anchor Rzw2krdFW9vw2t51Un3mTA==, so that this object hard matches it; otherwise remove the shared value from one of them. Or remove the colliding value from this object, so that it provisions as a new object beside the cloud one.'
#   plan row 20, c08ff003ed7, decide: 'userPrincipalName' replace 'upn.suffix.unverified@fabrikam.com' on 'CN=UPN Suffix Unverified,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('UPN Suffix Unverified')
#     to decide: 'Give the user a UPN on a verified domain (verified: contoso.com), adding the UPN suffix in Active Directory Domains and Trusts if needed, or add and verify fabrikam.com in the tenant. Fill in the new value, then set the row to apply.'
#   plan row 21, c480f1ab6d3, decide: 'userPrincipalName' replace 'local.suffix@contoso.local' on 'CN=Local Suffix,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Local Suffix')
#     to decide: 'Give the user a UPN on a verified domain (verified: contoso.com), adding the UPN suffix in Active Directory Domains and Trusts if needed: a suffix on .local can be verified in no tenant. Fill in the new value, then set the row to apply.'
#   plan row 22, ca5519e8848, decide: 'proxyAddresses' remove 'smtp:proxy.domain.unverified@fabrikam.com' on 'CN=Proxy Domain Unverified,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Proxy Domain Unverified')
#     to decide: 'Add and verify fabrikam.com in the tenant before sync, or remove the address if it is no longer used.'
#   plan row 23, c7811f81910, decide: 'userPrincipalName' add on 'CN=Missing UPN,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Missing UPN')
#     to decide: 'Set userPrincipalName to the address the user signs in with, on a verified domain. Fill in the new value, then set the row to apply.'
#   plan row 24, ccbb8baa87f, decide: 'userPrincipalName' replace 'too.long.upn.sixty.five.characters.before.the.at.sign.is.one.over@contoso.com' on 'CN=Too Long UPN,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Too Long UPN')
#     to decide: 'Shorten the UPN: at most 64 characters before the @, 48 after, 113 in all. Fill in the new value, then set the row to apply.'
#   plan row 25, c54a403c382, decide: 'proxyAddresses' replace 'smtp:smtp:double.prefix@contoso.com' on 'CN=Double Prefix,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Double Prefix')
#     to decide: 'Correct the value to local@domain.tld (proxy addresses with their type prefix, e.g. SMTP:user@contoso.com), or remove it. Fill in the new value, then set the row to apply.'
#   plan row 26, cdc4b696c67, decide: 'mailNickname' replace 'dupnick' on 'CN=Dup Nickname A,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Dup Nickname A')
#     to decide: 'dupnick is held by CN=Dup Nickname B,OU=Staff,OU=Contoso,DC=contoso,DC=com too: keep it on one holder, and fill in another value for the others (then set their rows to apply)'
#   plan row 27, cbb8fb5da4b, decide: 'mailNickname' replace 'dupnick' on 'CN=Dup Nickname B,OU=Staff,OU=Contoso,DC=contoso,DC=com' ('Dup Nickname B')
#     to decide: 'dupnick is held by CN=Dup Nickname A,OU=Staff,OU=Contoso,DC=contoso,DC=com too: keep it on one holder, and fill in another value for the others (then set their rows to apply)'

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

    # plan row 2, c2517680c26: proxyAddresses remove
    $Row = 'c2517680c26'
    $Target = 'CN=Dup Cloud Proxy,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '22483ba1-f836-4987-c962-90868d907d7c' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'remove' 'smtp:info@contoso.com' '' $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'remove' 'smtp:info@contoso.com' ''
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '22483ba1-f836-4987-c962-90868d907d7c' -Remove @{'proxyAddresses' = 'smtp:info@contoso.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 3, ccbdeb8df81: proxyAddresses remove
    $Row = 'ccbdeb8df81'
    $Target = 'CN=Onmicrosoft Proxy,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '947f7a00-a5df-9a81-9af5-6636f88f4c43' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'remove' 'smtp:onmicrosoft.proxy@fabrikam.onmicrosoft.com' '' $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'remove' 'smtp:onmicrosoft.proxy@fabrikam.onmicrosoft.com' ''
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '947f7a00-a5df-9a81-9af5-6636f88f4c43' -Remove @{'proxyAddresses' = 'smtp:onmicrosoft.proxy@fabrikam.onmicrosoft.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 4, cb3324b93cd: proxyAddresses replace
    $Row = 'cb3324b93cd'
    $Target = 'CN=Lowercase Primary NoMail,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity 'e082312e-55ae-9e37-c874-1f9a92a4d983' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'replace' 'smtp:lowercase.primary.nomail@contoso.com' 'SMTP:lowercase.primary.nomail@contoso.com' $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'replace' 'smtp:lowercase.primary.nomail@contoso.com' 'SMTP:lowercase.primary.nomail@contoso.com'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity 'e082312e-55ae-9e37-c874-1f9a92a4d983' -Remove @{'proxyAddresses' = 'smtp:lowercase.primary.nomail@contoso.com'} -Add @{'proxyAddresses' = 'SMTP:lowercase.primary.nomail@contoso.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 5, c5adf407196: proxyAddresses replace
    $Row = 'c5adf407196'
    $Target = 'CN=Lowercase Primary Mail,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '9f80baf9-1e63-8196-b404-a2ef227668ba' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'replace' 'smtp:lowercase.primary.mail@contoso.com' 'SMTP:lowercase.primary.mail@contoso.com' $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'replace' 'smtp:lowercase.primary.mail@contoso.com' 'SMTP:lowercase.primary.mail@contoso.com'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '9f80baf9-1e63-8196-b404-a2ef227668ba' -Remove @{'proxyAddresses' = 'smtp:lowercase.primary.mail@contoso.com'} -Add @{'proxyAddresses' = 'SMTP:lowercase.primary.mail@contoso.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 6, c0c7609c22f: proxyAddresses replace
    $Row = 'c0c7609c22f'
    $Target = 'CN=Multiple Primary,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity 'ec5e9fa8-8f40-55fa-59b0-bf5b3e5d56ff' -Properties 'proxyAddresses' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'proxyAddresses') 'replace' 'SMTP:mprimary@contoso.com' 'smtp:mprimary@contoso.com' $true
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'proxyAddresses' 'replace' 'SMTP:mprimary@contoso.com' 'smtp:mprimary@contoso.com'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity 'ec5e9fa8-8f40-55fa-59b0-bf5b3e5d56ff' -Remove @{'proxyAddresses' = 'SMTP:mprimary@contoso.com'} -Add @{'proxyAddresses' = 'smtp:mprimary@contoso.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 7, c4310c4d62d: userPrincipalName replace
    $Row = 'c4310c4d62d'
    $Target = 'CN=Björn Lindqvist,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '988ce07e-eea9-00ff-b6f0-533ec6be56cd' -Properties 'userPrincipalName' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'userPrincipalName') 'replace' 'björn.lindqvist@contoso.com' 'bjorn.lindqvist@contoso.com' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'userPrincipalName' 'replace' 'björn.lindqvist@contoso.com' 'bjorn.lindqvist@contoso.com'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '988ce07e-eea9-00ff-b6f0-533ec6be56cd' -Replace @{'userPrincipalName' = 'bjorn.lindqvist@contoso.com'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 8, cd136720b74: mailNickname replace
    $Row = 'cd136720b74'
    $Target = 'CN=Invalid Char Nickname,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '50692b6c-f1e0-9768-91d0-73768710da04' -Properties 'mailNickname' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'mailNickname') 'replace' 'invalid nickname' 'invalid_nickname' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'mailNickname' 'replace' 'invalid nickname' 'invalid_nickname'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '50692b6c-f1e0-9768-91d0-73768710da04' -Replace @{'mailNickname' = 'invalid_nickname'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 9, cae81bd6e9d: displayName replace
    $Row = 'cae81bd6e9d'
    $Target = 'CN=Blank Display Name,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '3c193d11-d490-bccb-ffb0-561135888f61' -Properties 'displayName' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'displayName') 'replace' ' ' 'Blank Display Name' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'displayName' 'replace' ' ' 'Blank Display Name'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '3c193d11-d490-bccb-ffb0-561135888f61' -Replace @{'displayName' = 'Blank Display Name'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 10, c72b2fdc50c: displayName add
    $Row = 'c72b2fdc50c'
    $Target = 'CN=No Display Name,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '83507add-2950-6f82-5979-59f4cf1589a3' -Properties 'displayName' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'displayName') 'add' '' 'No Display Name' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'displayName' 'add' '' 'No Display Name'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '83507add-2950-6f82-5979-59f4cf1589a3' -Replace @{'displayName' = 'No Display Name'} -Confirm:$false @AD
        Write-Made $Target $Change
    } else {
        $Unconfirmed++
    }

    # plan row 11, c68a6d8bb4c: sn replace
    $Row = 'c68a6d8bb4c'
    $Target = 'CN=Trailing Space,OU=Staff,OU=Contoso,DC=contoso,DC=com'
    $AD = Get-Connection 'contoso.com'
    $Object = $null
    try { $Object = Get-ADObject -Identity '3d77c0f6-d883-2cc4-abb4-c8453f5a4978' -Properties 'sn' @AD } catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] { }
    $Why = Test-Stale @(Get-Values $Object.'sn') 'replace' 'Space ' 'Space' $false
    if ($null -eq $Object) { $Why = 'the object no longer exists' }
    $Change = Format-Change 'sn' 'replace' 'Space ' 'Space'
    if ($Why) {
        Write-Skip $Target $Why
    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {
        Set-ADObject -Identity '3d77c0f6-d883-2cc4-abb4-c8453f5a4978' -Replace @{'sn' = 'Space'} -Confirm:$false @AD
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
