#!/usr/bin/env bash
# selftest.sh — check that the domain started by with-samba.sh is what SEED.md promises,
# using only the exported SYNCREADY_TEST_* variables and the OpenLDAP command-line tools.
#
# Usage: bash .ci/samba/with-samba.sh bash .ci/samba/selftest.sh
# Exit 0 when every check passes, 1 otherwise; one line per check on stdout.
set -euo pipefail

: "${SYNCREADY_TEST_LDAPS_URL:?run this through .ci/samba/with-samba.sh}"
export LDAPTLS_CACERT=$SYNCREADY_TEST_LDAP_CA_FILE LDAPTLS_REQCERT=demand

readonly BASE=$SYNCREADY_TEST_LDAP_BASE_DN
readonly ROOT="OU=SyncReady,$BASE"
readonly USERS="OU=Users,$ROOT"
readonly BIND=$SYNCREADY_TEST_LDAP_BIND_DN

# The password goes to ldap tools as a file (-y), not in argv where ps would show it.
PWFILE=$(mktemp "$SYNCREADY_TEST_SAMBA_DIR/private/selftest.XXXXXX")
trap 'rm -f "$PWFILE"' EXIT
printf '%s' "$SYNCREADY_TEST_LDAP_PASSWORD" >"$PWFILE"

passed=0
failed=0
# check NAME WANT GOT
check() {
  if [[ $2 == "$3" ]]; then
    passed=$((passed + 1))
    printf 'ok    %s\n' "$1"
  else
    failed=$((failed + 1))
    printf 'FAIL  %s: want %q, got %q\n' "$1" "$2" "$3"
  fi
}

# q URL ARGS... — search as the bind account, LDIF without comments or wrapping.
q() {
  local url=$1
  shift
  ldapsearch -x -LLL -o ldif-wrap=no -H "$url" -D "$BIND" -y "$PWFILE" "$@" 2>&1
}
count() { grep -c "$1" || true; }
# entry DN ATTR... — read attributes of one entry over LDAPS (the filter must be given:
# ldapsearch takes its first free argument as the filter, not as an attribute).
entry() {
  local dn=$1
  shift
  q "$SYNCREADY_TEST_LDAPS_URL" -b "$dn" -s base '(objectClass=*)' "$@"
}

# 1. Paged search over LDAPS: every user object in the domain (pages of 1,000).
check "LDAPS paged: (objectClass=user) under the base DN" 3020 \
  "$(q "$SYNCREADY_TEST_LDAPS_URL" -b "$BASE" -E pr=1000/noprompt '(objectClass=user)' 1.1 | count '^dn:')"
check "OU=Bulk holds 3000 users" 3000 \
  "$(q "$SYNCREADY_TEST_LDAPS_URL" -b "OU=Bulk,$ROOT" -s one -E pr=1000/noprompt '(objectClass=user)' 1.1 | count '^dn:')"

# 2. Ranged retrieval of range.user's 1,601 proxyAddresses values.
RANGE_DN="CN=range.user,$USERS"
check "proxyAddresses;range=0-1499 returns 1500 values" 1500 \
  "$(entry "$RANGE_DN" 'proxyAddresses;range=0-1499' | count '^proxyAddresses;range=0-1499: ')"
check "proxyAddresses;range=1500-* returns the last 101 values" 101 \
  "$(entry "$RANGE_DN" 'proxyAddresses;range=1500-*' | count '^proxyAddresses;range=1500-\*: ')"

# 2b. Ranged retrieval of SG Bulk 1600's 1,600 members.
BIG_DN="CN=SG Bulk 1600,OU=Groups,$ROOT"
check "member;range=0-1499 of SG Bulk 1600 returns 1500 values" 1500 \
  "$(entry "$BIG_DN" 'member;range=0-1499' | count '^member;range=0-1499: ')"
check "member;range=1500-* of SG Bulk 1600 returns the last 100 values" 100 \
  "$(entry "$BIG_DN" 'member;range=1500-*' | count '^member;range=1500-\*: ')"

# 3. Binds: plaintext simple bind on 389, StartTLS, global catalog, wrong password.
# (Samba has no WhoAmI extended operation: bind, then read the account's own entry.)
check "plaintext simple bind on 389" 'sAMAccountName: syncready-bind' \
  "$(q "$SYNCREADY_TEST_LDAP_URL" -b "$BIND" -s base '(objectClass=*)' sAMAccountName | grep '^sAMAccountName:')"
check "StartTLS on 389" 'sAMAccountName: syncready-bind' \
  "$(q "$SYNCREADY_TEST_LDAP_URL" -ZZ -b "$BIND" -s base '(objectClass=*)' sAMAccountName | grep '^sAMAccountName:')"
check "global catalog 3268 finds guid.user" "dn: CN=guid.user,$USERS" \
  "$(q "$SYNCREADY_TEST_GC_URL" -b "" '(sAMAccountName=guid.user)' 1.1)"
check "global catalog over LDAPS 3269 finds guid.user" "dn: CN=guid.user,$USERS" \
  "$(q "ldaps://$SYNCREADY_TEST_LDAP_HOST:3269" -b "" '(sAMAccountName=guid.user)' 1.1)"
check "wrong password gives AD's data 52e" 1 \
  "$(printf 'wrong' | ldapsearch -x -H "$SYNCREADY_TEST_LDAPS_URL" -D "$BIND" -y /dev/stdin \
    -b "$BASE" -s base '(objectClass=*)' 1.1 2>&1 | count 'data 52e')"

# 4. The seeded defects, read as the (unprivileged) bind account.
check "two holders of smtp:shared@example.com" 2 \
  "$(q "$SYNCREADY_TEST_LDAPS_URL" -b "$ROOT" '(proxyAddresses=smtp:shared@example.com)' 1.1 | count '^dn:')"
check "guid.user mS-DS-ConsistencyGuid" 'mS-DS-ConsistencyGuid:: ABEiM0RVZneImaq7zN3u/w==' \
  "$(entry "CN=guid.user,$USERS" mS-DS-ConsistencyGuid | grep '^mS-DS')"
check "remote.mailbox mailNickname and targetAddress" \
  'mailNickname: remote.mailbox|targetAddress: SMTP:remote.mailbox@samdomtest.mail.onmicrosoft.com' \
  "$(entry "CN=remote.mailbox,$USERS" mailNickname targetAddress | grep -E '^(mailNickname|targetAddress):' | sort | paste -sd'|')"
check "two holders of mailNickname shared.nick" 2 \
  "$(q "$SYNCREADY_TEST_LDAPS_URL" -b "$ROOT" '(mailNickname=shared.nick)' 1.1 | count '^dn:')"
check "two.primary has two SMTP: values" 2 \
  "$(entry "CN=two.primary,$USERS" proxyAddresses | count '^proxyAddresses: SMTP:')"
check "lower.only has no mail and no SMTP: value" 'smtp:2 SMTP:0 mail:0' \
  "$(out=$(entry "CN=lower.only,$USERS" proxyAddresses mail)
    printf 'smtp:%s SMTP:%s mail:%s' "$(count '^proxyAddresses: smtp:' <<<"$out")" \
      "$(count '^proxyAddresses: SMTP:' <<<"$out")" "$(count '^mail:' <<<"$out")")"
check "no.upn has no userPrincipalName" 0 \
  "$(entry "CN=no.upn,$USERS" userPrincipalName | count '^userPrincipalName:')"
check "upn.local's UPN" 'userPrincipalName: upn.local@samdom.local' \
  "$(entry "CN=upn.local,$USERS" userPrincipalName | grep '^userPrincipalName:')"
check "contact with mail" 'mail: ext.contact@partner.example.org' \
  "$(q "$SYNCREADY_TEST_LDAPS_URL" -b "OU=Contacts,$ROOT" '(objectClass=contact)' mail | grep '^mail:')"
check "mail-enabled universal distribution group" 'groupType: 8|mail: dl-all-staff@example.com|mailNickname: dl-all-staff' \
  "$(entry "CN=DL All Staff,OU=Groups,$ROOT" groupType mail mailNickname | grep -v '^dn:' | grep . | sort | paste -sd'|')"
check "security group" 'groupType: -2147483646' \
  "$(entry "CN=SG App Access,OU=Groups,$ROOT" groupType | grep '^groupType:')"
check "non-ASCII DN comes back base64 (dn::)" 1 \
  "$(q "$SYNCREADY_TEST_LDAPS_URL" -b "$USERS" '(sAMAccountName=juergen.mueller)' 1.1 | count '^dn:: ')"
check "excluded.user sits in OU=Excluded" "dn: CN=excluded.user,OU=Excluded,$ROOT" \
  "$(q "$SYNCREADY_TEST_LDAPS_URL" -b "OU=Excluded,$ROOT" '(objectClass=user)' 1.1)"

total=$((passed + failed))
if ((failed)); then
  echo "selftest: $failed of $total checks FAILED"
  exit 1
fi
echo "selftest: all $total checks ok"
