#!/usr/bin/env bash
# seed.sh — load syncready's deterministic test data into the throw-away Samba AD.
#
# Called by with-samba.sh once samba answers; SEED.md lists every object and its defect.
# The content is deterministic: same DNs and attribute values on every run (only
# server-made values such as objectGUID, objectSid and timestamps differ).
#
# Usage:
#   seed.sh                           load; reads the SEED_* variables below
#   seed.sh --ldif-only DIR [BASE_DN] only write the LDIF files into DIR (no server needed;
#                                     BASE_DN defaults to DC=samdom,DC=test)
# Environment for loading:
#   SEED_LDAP_URL       e.g. ldap://127.0.0.1:389 (plain simple bind must be allowed)
#   SEED_BIND_DN        an account that may create objects (with-samba.sh: Administrator)
#   SEED_PASSWORD_FILE  file holding that account's password, no trailing newline
#   SEED_BASE_DN        the domain's defaultNamingContext
#   SEED_WORK_DIR       where the LDIF files and ldapadd logs go
set -euo pipefail

# --- fixed content ----------------------------------------------------------------------
readonly MAIL_DOMAIN=example.com        # routable (ICANN .com) mail and UPN domain
readonly ALIAS_DOMAIN=alias.example.com # secondary smtp: addresses of the bulk users
readonly CLOUD_ROUTING=samdomtest.mail.onmicrosoft.com
readonly BULK_USERS=${SYNCREADY_SEED_BULK:-3000} # OU=Bulk: bulkuser0001 …; make bench seeds more
readonly RANGE_VALUES=1600              # smtp: values of range.user (plus one SMTP:)
readonly BIG_GROUP_MEMBERS=1600         # members of SG Bulk 1600: bulkuser0001 …
# mS-DS-ConsistencyGuid of guid.user: the 16 bytes 00 11 22 … ff, i.e. the GUID string
# 33221100-5544-7766-8899-aabbccddeeff in Microsoft's mixed-endian text form.
readonly CONSISTENCY_GUID_B64=ABEiM0RVZneImaq7zN3u/w==

log() { printf 'seed: %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
now_us() { printf '%s' "${EPOCHREALTIME//[!0-9]/}"; }
since() {
  local ms=$((($(now_us) - $1) / 1000))
  printf '%d.%03d s' $((ms / 1000)) $((ms % 1000))
}
b64() { printf '%s' "$1" | base64 -w0; }

# --- LDIF generation --------------------------------------------------------------------
# ou DN — an organizationalUnit entry.
ou() {
  printf 'dn: %s\nobjectClass: top\nobjectClass: organizationalUnit\nou: %s\n\n' \
    "$1" "$(sed -e 's/^OU=//' -e 's/,.*//' <<<"$1")"
}

# user PARENT_DN SAM GIVEN SN [LDIF LINE...] — a user whose CN is its sAMAccountName,
# with givenName, sn and displayName "GIVEN SN"; extra attribute lines follow verbatim.
user() {
  local parent=$1 sam=$2 given=$3 sn=$4
  shift 4
  printf 'dn: CN=%s,%s\n' "$sam" "$parent"
  printf 'objectClass: %s\n' top person organizationalPerson user
  printf 'cn: %s\nsAMAccountName: %s\ngivenName: %s\nsn: %s\ndisplayName: %s %s\n' \
    "$sam" "$sam" "$given" "$sn" "$given" "$sn"
  (($# == 0)) || printf '%s\n' "$@"
  printf '\n'
}

# The named objects: each one carries one defect (or none, as a reference).
named_ldif() {
  local root="OU=SyncReady,$1"
  local users="OU=Users,$root" groups="OU=Groups,$root" contacts="OU=Contacts,$root"
  local m=$MAIL_DOMAIN i

  ou "$root"
  for i in Users Groups Contacts Bulk Excluded; do ou "OU=$i,$root"; done

  # clean.user — reference: no defect at all.
  user "$users" clean.user Clean User \
    "userPrincipalName: clean.user@$m" "mail: clean.user@$m" \
    "proxyAddresses: SMTP:clean.user@$m" "proxyAddresses: smtp:clean.user@$ALIAS_DOMAIN" \
    "mailNickname: clean.user"

  # dup.proxy1 + dup.proxy2 — both hold smtp:shared@example.com (duplicate-proxy-address).
  user "$users" dup.proxy1 Dup Proxy1 \
    "userPrincipalName: dup.proxy1@$m" "mail: dup.proxy1@$m" \
    "proxyAddresses: SMTP:dup.proxy1@$m" "proxyAddresses: smtp:shared@$m"
  user "$users" dup.proxy2 Dup Proxy2 \
    "userPrincipalName: dup.proxy2@$m" "mail: dup.proxy2@$m" \
    "proxyAddresses: SMTP:dup.proxy2@$m" "proxyAddresses: smtp:shared@$m"

  # lower.only — only lowercase smtp: values and no mail (lowercase-primary-smtp, error).
  user "$users" lower.only Lower Only \
    "userPrincipalName: lower.only@$m" \
    "proxyAddresses: smtp:lower.only@$m" "proxyAddresses: smtp:lower.only.alias@$m"

  # two.primary — two SMTP: values (multiple-primary-smtp).
  user "$users" two.primary Two Primary \
    "userPrincipalName: two.primary@$m" "mail: two.primary@$m" \
    "proxyAddresses: SMTP:two.primary@$m" "proxyAddresses: SMTP:two.primary.second@$m"

  # guid.user — mS-DS-ConsistencyGuid set to a known value (hard-match anchor).
  user "$users" guid.user Guid User \
    "userPrincipalName: guid.user@$m" "mail: guid.user@$m" \
    "proxyAddresses: SMTP:guid.user@$m" \
    "mS-DS-ConsistencyGuid:: $CONSISTENCY_GUID_B64"

  # remote.mailbox — mailNickname + targetAddress, as Exchange writes a remote mailbox;
  # no defect.
  user "$users" remote.mailbox Remote Mailbox \
    "userPrincipalName: remote.mailbox@$m" "mail: remote.mailbox@$m" \
    "proxyAddresses: SMTP:remote.mailbox@$m" \
    "proxyAddresses: smtp:remote.mailbox@$CLOUD_ROUTING" \
    "mailNickname: remote.mailbox" \
    "targetAddress: SMTP:remote.mailbox@$CLOUD_ROUTING"

  # nick.dup1 + nick.dup2 — both have mailNickname shared.nick (duplicate-mailnickname),
  # each with its own targetAddress.
  for i in 1 2; do
    user "$users" "nick.dup$i" Nick "Dup$i" \
      "userPrincipalName: nick.dup$i@$m" "mail: nick.dup$i@$m" \
      "proxyAddresses: SMTP:nick.dup$i@$m" \
      "mailNickname: shared.nick" \
      "targetAddress: SMTP:nick.dup$i@$CLOUD_ROUTING"
  done

  # upn.local — UPN on the unroutable suffix samdom.local (unroutable-domain,
  # upn-suffix-unverified).
  user "$users" upn.local Upn Local \
    "userPrincipalName: upn.local@samdom.local" "mail: upn.local@$m" \
    "proxyAddresses: SMTP:upn.local@$m"

  # no.upn — no userPrincipalName at all (missing-upn).
  user "$users" no.upn No Upn \
    "mail: no.upn@$m" "proxyAddresses: SMTP:no.upn@$m"

  # range.user — 1,601 proxyAddresses values: more than AD's MaxValRange of 1,500, so a
  # reader must use ranged retrieval (proxyAddresses;range=0-1499 …); also large-object.
  local range=() value
  for ((i = 1; i <= RANGE_VALUES; i++)); do
    printf -v value 'proxyAddresses: smtp:bulk%04d@%s' "$i" "$m"
    range+=("$value")
  done
  user "$users" range.user Range User \
    "userPrincipalName: range.user@$m" "mail: range.user@$m" \
    "proxyAddresses: SMTP:range.user@$m" "${range[@]}"

  # Jürgen Müller — no defect; a non-ASCII CN, so its DN travels base64 (dn::) in LDIF.
  local jdn="CN=Jürgen Müller,$users"
  printf 'dn:: %s\n' "$(b64 "$jdn")"
  printf 'objectClass: %s\n' top person organizationalPerson user
  printf 'cn:: %s\ngivenName:: %s\nsn:: %s\ndisplayName:: %s\n' \
    "$(b64 'Jürgen Müller')" "$(b64 'Jürgen')" "$(b64 'Müller')" "$(b64 'Jürgen Müller')"
  printf 'sAMAccountName: juergen.mueller\nuserPrincipalName: juergen.mueller@%s\n' "$m"
  printf 'mail: juergen.mueller@%s\nproxyAddresses: SMTP:juergen.mueller@%s\n\n' "$m" "$m"

  # External Contact — a mail-enabled contact (mail, proxyAddresses, targetAddress).
  printf 'dn: CN=External Contact,%s\n' "$contacts"
  printf 'objectClass: %s\n' top person organizationalPerson contact
  printf '%s\n' "cn: External Contact" "givenName: External" "sn: Contact" \
    "displayName: External Contact" "mail: ext.contact@partner.example.org" \
    "proxyAddresses: SMTP:ext.contact@partner.example.org" \
    "targetAddress: SMTP:ext.contact@partner.example.org" "mailNickname: ext.contact"
  printf '\n'

  # DL All Staff — mail-enabled universal distribution group (groupType 8).
  printf 'dn: CN=DL All Staff,%s\n' "$groups"
  printf '%s\n' "objectClass: top" "objectClass: group" "cn: DL All Staff" \
    "sAMAccountName: dl-all-staff" "groupType: 8" "displayName: DL All Staff" \
    "mail: dl-all-staff@$m" "proxyAddresses: SMTP:dl-all-staff@$m" \
    "proxyAddresses: smtp:allstaff@$m" "mailNickname: dl-all-staff" \
    "member: CN=clean.user,$users" "member: CN=guid.user,$users" \
    "member: CN=External Contact,$contacts"
  printf '\n'

  # SG App Access — global security group (groupType -2147483646), not mail-enabled.
  printf 'dn: CN=SG App Access,%s\n' "$groups"
  printf '%s\n' "objectClass: top" "objectClass: group" "cn: SG App Access" \
    "sAMAccountName: sg-app-access" "groupType: -2147483646" \
    "description: security group, not mail-enabled" \
    "member: CN=clean.user,$users" "member: CN=dup.proxy1,$users"
  printf '\n'

  # excluded.user — in OU=Excluded, for OU filtering (--exclude-ou); otherwise clean.
  user "OU=Excluded,$root" excluded.user Excluded User \
    "userPrincipalName: excluded.user@$m" "mail: excluded.user@$m" \
    "proxyAddresses: SMTP:excluded.user@$m"
}

# OU=Bulk: BULK_USERS users, each with UPN, mail, SMTP: primary, one smtp: alias,
# givenName, sn and displayName. awk: 3,000 records in a few milliseconds.
bulk_ldif() {
  awk -v parent="OU=Bulk,OU=SyncReady,$1" -v n="$BULK_USERS" \
    -v m="$MAIL_DOMAIN" -v alias="$ALIAS_DOMAIN" 'BEGIN {
    for (i = 1; i <= n; i++) {
      num = sprintf("%04d", i); sam = "bulkuser" num
      printf "dn: CN=%s,%s\n", sam, parent
      printf "objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\n"
      printf "cn: %s\nsAMAccountName: %s\nuserPrincipalName: %s@%s\n", sam, sam, sam, m
      printf "givenName: Bulk\nsn: User%s\ndisplayName: Bulk User %s\nmail: %s@%s\n", num, num, sam, m
      printf "proxyAddresses: SMTP:%s@%s\nproxyAddresses: smtp:%s@%s\n\n", sam, m, sam, alias
    }
  }'
}

# SG Bulk 1600 — a global security group of the first BIG_GROUP_MEMBERS bulk users: more
# members than AD's MaxValRange of 1,500, so a reader counts them through ranged retrieval
# (member;range=0-1499, then member;range=1500-*). Loaded after the bulk users it names.
big_group_ldif() {
  awk -v dn="CN=SG Bulk 1600,OU=Groups,OU=SyncReady,$1" -v bulk="OU=Bulk,OU=SyncReady,$1" \
    -v n="$BIG_GROUP_MEMBERS" 'BEGIN {
    printf "dn: %s\nobjectClass: top\nobjectClass: group\ncn: SG Bulk 1600\n", dn
    printf "sAMAccountName: sg-bulk-1600\ngroupType: -2147483646\ndisplayName: SG Bulk 1600\n"
    for (i = 1; i <= n; i++) printf "member: CN=bulkuser%04d,%s\n", i, bulk
    printf "\n"
  }'
}

# --- loading ----------------------------------------------------------------------------
# ldap_add NAME FILE — one ldapadd (stops at the first error), output to NAME.log.
ldap_add() {
  local name=$1 file=$2
  if ! ldapadd -x -H "$SEED_LDAP_URL" -D "$SEED_BIND_DN" -y "$SEED_PASSWORD_FILE" \
    -f "$file" >"$SEED_WORK_DIR/$name.log" 2>&1; then
    tail -n 15 "$SEED_WORK_DIR/$name.log" >&2
    die "ldapadd of $file failed (see $SEED_WORK_DIR/$name.log)"
  fi
}

# Count the entries directly under DN matching FILTER (paged, as the seeding account).
count_entries() {
  ldapsearch -x -LLL -H "$SEED_LDAP_URL" -D "$SEED_BIND_DN" -y "$SEED_PASSWORD_FILE" \
    -E pr=1000/noprompt -s one -b "$1" "$2" 1.1 | grep -c '^dn:' || true
}

main() {
  if [[ ${1:-} == --ldif-only ]]; then
    [[ -n ${2:-} ]] || die "usage: seed.sh --ldif-only DIR [BASE_DN]"
    mkdir -p "$2"
    named_ldif "${3:-DC=samdom,DC=test}" >"$2/named.ldif"
    bulk_ldif "${3:-DC=samdom,DC=test}" >"$2/bulk.ldif"
    big_group_ldif "${3:-DC=samdom,DC=test}" >"$2/big-group.ldif"
    log "wrote $2/named.ldif, $2/bulk.ldif and $2/big-group.ldif"
    return 0
  fi
  local v
  for v in SEED_LDAP_URL SEED_BIND_DN SEED_PASSWORD_FILE SEED_BASE_DN SEED_WORK_DIR; do
    [[ -n ${!v:-} ]] || die "$v is not set (seed.sh is normally run by with-samba.sh)"
  done
  mkdir -p "$SEED_WORK_DIR"

  ((BULK_USERS >= BIG_GROUP_MEMBERS)) || die "SYNCREADY_SEED_BULK=$BULK_USERS: SG Bulk 1600 needs $BIG_GROUP_MEMBERS bulk users"
  local t0 count
  t0=$(now_us)
  named_ldif "$SEED_BASE_DN" >"$SEED_WORK_DIR/named.ldif"
  bulk_ldif "$SEED_BASE_DN" >"$SEED_WORK_DIR/bulk.ldif"
  big_group_ldif "$SEED_BASE_DN" >"$SEED_WORK_DIR/big-group.ldif"
  log "generated LDIF in $(since "$t0")"

  t0=$(now_us)
  ldap_add named "$SEED_WORK_DIR/named.ldif"
  log "loaded OUs and named objects in $(since "$t0")"

  t0=$(now_us)
  ldap_add bulk "$SEED_WORK_DIR/bulk.ldif"
  log "loaded $BULK_USERS bulk users in $(since "$t0")"

  count=$(count_entries "OU=Bulk,OU=SyncReady,$SEED_BASE_DN" "(objectClass=user)")
  [[ $count == "$BULK_USERS" ]] || die "OU=Bulk holds $count users, expected $BULK_USERS"

  t0=$(now_us)
  ldap_add big-group "$SEED_WORK_DIR/big-group.ldif"
  log "loaded SG Bulk 1600 ($BIG_GROUP_MEMBERS members) in $(since "$t0")"
}

main "$@"
