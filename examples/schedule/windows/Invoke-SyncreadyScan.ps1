<#
.SYNOPSIS
  Runs one syncready scan and turns its exit code into an event-log alert.

.DESCRIPTION
  Exit 0: ready or only warnings (information event 1000).
  Exit 3: an error finding remains that is not suppressed (warning event 1003) — the alert.
  Exit 4: the scan is Incomplete: part of AD or the tenant was not read, e.g. an expired
  secret or a refused permission (warning event 1004) — an alert too.
  Exit 1 or 2: the scan could not run or the config is wrong (error event 1001/1002).
  Point your monitoring (or a task triggered on event 1003) at the "syncready" source of the
  Application log. The first run registers the source, which needs administrator rights once:
    New-EventLog -LogName Application -Source syncready
#>
param(
    [Parameter(Mandatory = $true)][string]$Exe,
    [Parameter(Mandatory = $true)][string]$Config
)

& $Exe scan --config $Config 2>&1 | Out-File -FilePath (Join-Path $env:TEMP 'syncready-last-run.txt') -Encoding utf8
$code = $LASTEXITCODE
$summary = Get-Content (Join-Path $env:TEMP 'syncready-last-run.txt') -Raw

switch ($code) {
    0 { Write-EventLog -LogName Application -Source syncready -EventId 1000 -EntryType Information -Message $summary }
    3 { Write-EventLog -LogName Application -Source syncready -EventId 1003 -EntryType Warning -Message "Errors remain that would fail or misdirect sync:`n$summary" }
    4 { Write-EventLog -LogName Application -Source syncready -EventId 1004 -EntryType Warning -Message "The scan is incomplete (part of AD or the tenant was not read):`n$summary" }
    default { Write-EventLog -LogName Application -Source syncready -EventId (1000 + $code) -EntryType Error -Message "The scan did not complete (exit $code):`n$summary" }
}
exit $code
