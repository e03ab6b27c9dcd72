<#
.SYNOPSIS
  Exports the Microsoft Graph data syncready reads into a directory for
  `syncready scan --graph-dir DIR`.

.DESCRIPTION
  One file per Graph v1.0 request, each the body Graph returns with every page
  merged into one "value" array (the @odata.nextLink pages are followed here).
  Needs the Microsoft.Graph.Authentication module (Install-Module Microsoft.Graph.Authentication)
  and read-only permissions; see the README for what is lost without each.
  Optional requests that are refused are reported and skipped: syncready records
  the missing file in the report's coverage.

.EXAMPLE
  ./export-graph.ps1 -Directory graph
  syncready scan --ldif contoso.ldif --graph-dir graph --out report.json
#>
param(
    [Parameter(Mandatory = $true)][string]$Directory
)
$ErrorActionPreference = 'Stop'

Connect-MgGraph -NoWelcome -Scopes 'User.Read.All', 'Group.Read.All', 'OrgContact.Read.All', 'RoleManagement.Read.Directory', 'Domain.Read.All', 'OnPremDirectorySynchronization.Read.All'

New-Item -ItemType Directory -Force -Path $Directory | Out-Null
New-Item -ItemType Directory -Force -Path (Join-Path $Directory 'roleGroupMembers') | Out-Null

function Export-Collection([string]$Uri, [string]$File, [switch]$Optional) {
    $items = New-Object System.Collections.Generic.List[object]
    $next = $Uri
    try {
        while ($next) {
            $page = Invoke-MgGraphRequest -Method GET -Uri $next -OutputType Hashtable
            if ($page.ContainsKey('value')) { foreach ($v in $page['value']) { $items.Add($v) } } else { $items.Add($page) }
            $next = $page['@odata.nextLink']
        }
    } catch {
        if ($Optional) { Write-Warning "$File not exported: $($_.Exception.Message)"; return $null }
        throw
    }
    $path = Join-Path $Directory $File
    # Wrapped in {"value": [...]} as Graph returns it; an array property stays an array even with one item.
    # Windows PowerShell 5.1 writes UTF-8 with a byte-order mark here, which syncready accepts.
    @{ value = $items.ToArray() } | ConvertTo-Json -Depth 10 | Out-File -Encoding utf8 -FilePath $path
    Write-Host "$File`t$($items.Count) items"
    return $items
}

$v = 'https://graph.microsoft.com/v1.0'
Export-Collection "$v/users?`$top=999&`$select=id,displayName,userPrincipalName,mail,mailNickname,proxyAddresses,onPremisesImmutableId,onPremisesSyncEnabled,onPremisesDistinguishedName,onPremisesSecurityIdentifier,userType,creationType,accountEnabled" 'users.json' | Out-Null
$groups = Export-Collection "$v/groups?`$top=999&`$select=id,displayName,mail,mailEnabled,securityEnabled,mailNickname,groupTypes,proxyAddresses,onPremisesSyncEnabled,isAssignableToRole" 'groups.json' -Optional
Export-Collection "$v/contacts?`$top=999&`$select=id,displayName,mail,mailNickname,proxyAddresses,onPremisesSyncEnabled" 'contacts.json' -Optional | Out-Null
$assignments = Export-Collection "$v/roleManagement/directory/roleAssignments?`$expand=roleDefinition" 'roleAssignments.json' -Optional
$eligible = Export-Collection "$v/roleManagement/directory/roleEligibilitySchedules?`$expand=roleDefinition" 'roleEligibilitySchedules.json' -Optional
Export-Collection "$v/domains" 'domains.json' -Optional | Out-Null
Export-Collection "$v/organization?`$select=id,displayName,verifiedDomains" 'organization.json' -Optional | Out-Null
Export-Collection "$v/directory/onPremisesSynchronization" 'onPremisesSynchronization.json' -Optional | Out-Null
Export-Collection "$v/directory/deletedItems/microsoft.graph.user?`$select=id,userPrincipalName,mail,proxyAddresses,onPremisesImmutableId" 'deletedUsers.json' -Optional | Out-Null

# Members of every group that holds a role, so roles held through role-assignable groups are seen.
$groupIds = @{}
if ($groups) { foreach ($g in $groups) { $groupIds[$g['id']] = $true } }
$principals = @()
if ($assignments) { $principals += $assignments | ForEach-Object { $_['principalId'] } }
if ($eligible) { $principals += $eligible | ForEach-Object { $_['principalId'] } }
foreach ($id in ($principals | Sort-Object -Unique)) {
    if ($groupIds.ContainsKey($id)) {
        Export-Collection "$v/groups/$id/transitiveMembers?`$select=id" "roleGroupMembers/$id.json" -Optional | Out-Null
    }
}
