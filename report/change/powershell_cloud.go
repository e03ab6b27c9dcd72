package change

import "strings"

const cloudParams = `[CmdletBinding(SupportsShouldProcess)]
param(
    # The transcript; by default a .log file named after this script and the time.
    [string]$LogPath
)
`

const cloudHelpers = `
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
`

const checkGraph = `    if ($null -eq (Get-MgContext)) {
        throw 'not connected to Microsoft Graph: run Connect-MgGraph -Scopes ''User.ReadWrite.All'', ''Domain.Read.All'' first'
    }
`

const checkExchange = `    if (-not (Get-ConnectionInformation)) {
        throw 'not connected to Exchange Online: run Connect-ExchangeOnline first'
    }
`

// cloudRow writes one cloud change: re-read the user (Graph) or recipient
// (Exchange Online) by its Graph id, then change it.
func (s *psWriter) cloudRow(r psRow, undo bool) {
	s.rowComment(r, undo)
	name := r.Object
	if r.Name != "" && r.Name != r.Object {
		name = r.Name + " (" + r.Object + ")"
	}
	target := psLiteral(name)
	if !guidPattern.MatchString(r.Object) {
		s.printf("    Write-Refusal %s %s\n", target, psLiteral("the object is not a Graph id, and this script finds users and recipients by Graph id only"))
		return
	}
	a := r.attr
	if a.exchange && r.Operation == Replace && r.From != r.To && strings.EqualFold(r.From, r.To) {
		// Exchange Online compares addresses without case: adding one
		// spelling of an address and removing another in one command does
		// not say which it keeps.
		s.printf("    Write-Refusal %s %s\n", target, psLiteral("a change of letter case only, which Exchange Online does not tell apart: make it by hand (for the primary address, Set-Mailbox -WindowsEmailAddress)"))
		return
	}
	id := psLiteral(r.Object)
	attr := psLiteral(a.name)
	from, to := psLiteral(r.From), psLiteral(r.To)
	op := psLiteral(string(r.Operation))
	multi := "$false"
	if a.multi {
		multi = "$true"
	}
	s.printf("    $Target = %s\n", target)
	switch {
	case a.exchange:
		s.printf("    $Recipient = Get-EXORecipient -ExternalDirectoryObjectId %s -Properties 'EmailAddresses', 'Guid'\n", id)
		s.printf("    $Why = Test-Stale @(Get-Values $Recipient.EmailAddresses) %s %s %s %s\n", op, from, to, multi)
		s.raw("    $Cmdlet = Get-AddressCmdlet $Recipient.RecipientTypeDetails\n")
	case a.name == "onPremisesImmutableId":
		s.printf("    $User = Get-MgUser -UserId %s -Property 'id', 'userPrincipalName', 'onPremisesImmutableId'\n", id)
		s.printf("    $Why = Test-Stale @(Get-Values $User.OnPremisesImmutableId) %s %s %s %s\n", op, from, to, multi)
		s.raw("    $Upn = $User.UserPrincipalName\n")
		s.raw("    $Temporary = Get-TemporaryUpn $Upn\n")
	default: // userPrincipalName
		s.printf("    $User = Get-MgUser -UserId %s -Property 'id', 'userPrincipalName'\n", id)
		s.printf("    $Why = Test-Stale @(Get-Values $User.UserPrincipalName) %s %s %s %s\n", op, from, to, multi)
	}
	s.printf("    $Change = Format-Change %s %s %s %s\n", attr, op, from, to)
	s.raw("    if ($Why) {\n")
	s.raw("        Write-Skip $Target $Why\n")
	switch {
	case a.exchange:
		s.raw("    } elseif (-not $Cmdlet) {\n")
		s.raw("        Write-Refusal $Target ('Exchange Online recipient type ' + $Recipient.RecipientTypeDetails + ' is not one this script changes')\n")
	case a.name == "onPremisesImmutableId" && r.Operation == Remove:
		s.raw("    } elseif ($Temporary) {\n")
		s.printf("        Write-Refusal $Target %s\n", psLiteral("its UPN is in a federated domain, where a user needs an onPremisesImmutableId: clear it by hand after moving the user to a managed domain"))
	}
	s.raw("    } elseif ($PSCmdlet.ShouldProcess($Target, $Change)) {\n")
	switch {
	case a.exchange:
		var change string
		switch r.Operation {
		case Add:
			change = "Add = " + to
		case Remove:
			change = "Remove = " + from
		default:
			change = "Add = " + to + "; Remove = " + from
		}
		s.printf("        Set-RecipientAddresses $Cmdlet ([string]$Recipient.Guid) @{%s}\n", change)
	case a.name == "onPremisesImmutableId" && r.Operation == Remove:
		// Update-MgUser sends "" for $null, which Graph refuses
		// (msgraph-sdk-powershell issue 2514): a PATCH with null clears it.
		s.printf("        Invoke-MgGraphRequest -Method PATCH -Uri %s -Body '{\"onPremisesImmutableId\":null}' -ContentType 'application/json'\n", psLiteral("v1.0/users/"+r.Object))
	case a.name == "onPremisesImmutableId":
		s.raw("        if ($Temporary) {\n")
		s.raw("            Write-Host ('moving ' + $Upn + ' to ' + $Temporary + ' while its onPremisesImmutableId changes: its domain is federated')\n")
		s.printf("            Update-MgUser -UserId %s -UserPrincipalName $Temporary -Confirm:$false\n", id)
		s.raw("            try {\n")
		s.printf("                Update-MgUser -UserId %s -OnPremisesImmutableId %s -Confirm:$false\n", id, to)
		s.raw("            } finally {\n")
		s.raw("                try {\n")
		s.printf("                    Update-MgUser -UserId %s -UserPrincipalName $Upn -Confirm:$false\n", id)
		s.raw("                    Write-Host ('moved ' + $Temporary + ' back to ' + $Upn)\n")
		s.raw("                } catch {\n")
		s.raw("                    Write-Warning ('the UPN is still ' + $Temporary + ': set it back to ' + $Upn + ' by hand')\n")
		s.raw("                    throw\n")
		s.raw("                }\n")
		s.raw("            }\n")
		s.raw("        } else {\n")
		s.printf("            Update-MgUser -UserId %s -OnPremisesImmutableId %s -Confirm:$false\n", id, to)
		s.raw("        }\n")
	default:
		s.printf("        Update-MgUser -UserId %s -UserPrincipalName %s -Confirm:$false\n", id, to)
	}
	s.rowEnd()
}
