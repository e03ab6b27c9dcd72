<#
.SYNOPSIS
  Registers a weekly scheduled task that runs syncready as a group managed
  service account (gMSA): no password is stored anywhere.

.DESCRIPTION
  Prerequisites, once, as a domain admin:
    New-ADServiceAccount -Name gmsa-syncready -DNSHostName gmsa-syncready.contoso.com `
        -PrincipalsAllowedToRetrieveManagedPassword "SYNCREADY-HOST$"
    Install-ADServiceAccount gmsa-syncready        # on this host
  The gMSA binds to AD through SSPI (leave bindDN out of config.yaml) and signs
  in to Graph with the certificate in clientCert; give it read access to that
  file and write access to the reports and log folders.

.EXAMPLE
  .\Register-SyncreadyTask.ps1 -Account 'CONTOSO\gmsa-syncready$' -Config 'C:\ProgramData\syncready\config.yaml'
#>
param(
    [Parameter(Mandatory = $true)][string]$Account,
    [string]$Config = 'C:\ProgramData\syncready\config.yaml',
    [string]$Exe = 'C:\Program Files\syncready\syncready.exe',
    [string]$Folder = '\syncready\',
    [DayOfWeek]$Day = 'Monday',
    [string]$At = '06:00'
)
$ErrorActionPreference = 'Stop'

$script = Join-Path $PSScriptRoot 'Invoke-SyncreadyScan.ps1'
$action = New-ScheduledTaskAction -Execute 'powershell.exe' `
    -Argument "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$script`" -Exe `"$Exe`" -Config `"$Config`""
$trigger = New-ScheduledTaskTrigger -Weekly -DaysOfWeek $Day -At $At
# LogonType Password with a gMSA: Windows fetches the managed password itself.
$principal = New-ScheduledTaskPrincipal -UserId $Account -LogonType Password -RunLevel Limited
$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -ExecutionTimeLimit (New-TimeSpan -Hours 4) -MultipleInstances IgnoreNew

Register-ScheduledTask -TaskName 'syncready weekly scan' -TaskPath $Folder -Action $action -Trigger $trigger `
    -Principal $principal -Settings $settings -Description 'Entra Connect readiness scan (syncready); alerts on exit codes 3 and 4.' -Force
