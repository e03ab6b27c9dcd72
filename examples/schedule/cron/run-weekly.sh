#!/bin/sh
# run-weekly.sh — one weekly scan from cron; alerts on exit code 3 (errors remain)
# and 4 (the scan is Incomplete: a side, a rule or a part of a source was not read —
# say, the Graph secret expired and the tenant was not read).
# Secrets: /etc/syncready/env (mode 0600) holds SYNCREADY_LDAP_PASSWORD=...
set -u
set -a
. /etc/syncready/env
set +a
/usr/local/bin/syncready scan --config /etc/syncready/config.yaml >/var/log/syncready/last-run.txt 2>&1
code=$?
to="${SYNCREADY_ALERT_TO:-identity-team@contoso.com}"
case $code in
  0) ;;
  3) logger -t syncready -p user.warning "error findings remain; see /var/lib/syncready/reports"
     command -v mail >/dev/null 2>&1 && mail -s "syncready: errors remain that would fail or misdirect sync" "$to" </var/log/syncready/last-run.txt ;;
  4) logger -t syncready -p user.warning "the scan is incomplete: part of the directory or tenant was not read"
     command -v mail >/dev/null 2>&1 && mail -s "syncready: the weekly scan is incomplete (part of AD or the tenant was not read)" "$to" </var/log/syncready/last-run.txt ;;
  *) logger -t syncready -p user.err "the weekly scan did not complete (exit $code)"
     command -v mail >/dev/null 2>&1 && mail -s "syncready: the weekly scan did not complete (exit $code)" "$to" </var/log/syncready/last-run.txt ;;
esac
exit $code
