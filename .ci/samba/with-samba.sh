#!/usr/bin/env bash
# with-samba.sh — run one command against a throw-away Samba AD domain controller.
#
# Usage:
#   bash .ci/samba/with-samba.sh CMD [ARGS...]   run CMD with a fresh, seeded domain
#   bash .ci/samba/with-samba.sh --install-only  only install the Debian packages
#
# What it does, in order (each step is timed on stderr, prefixed "with-samba:"):
#   1. fails fast when one of the fixed AD ports 389, 636, 3268, 3269 is already taken;
#   2. installs the Debian packages if any is missing (apt-get, --no-install-recommends,
#      with a /usr/sbin/policy-rc.d that keeps package scripts from starting daemons);
#   3. creates a fresh temp dir and writes into it: its own CA and server certificate,
#      its own smb.conf (loopback only, LDAP service only, every path inside the dir);
#   4. provisions the domain SAMDOM.TEST (base DN DC=samdom,DC=test, DC "dc1");
#   5. while samba is stopped: extends the schema with mailNickname and targetAddress,
#      creates the bind account "syncready-bind" and gives it and Administrator random
#      passwords (fed through stdin, never through argv, never printed);
#   6. starts samba, waits until LDAPS 636 answers with our certificate;
#   7. seeds the test data (seed.sh, see SEED.md);
#   8. runs CMD with the SYNCREADY_TEST_* variables below exported, and exits with its code.
# On exit (success, failure, Ctrl-C, TERM) it stops samba — TERM to the pid in the pid
# file, then KILL to its process group if anything is left — and removes the temp dir
# unless SYNCREADY_KEEP_SAMBA=1.
#
# Exported to CMD:
#   SYNCREADY_TEST_LDAP_HOST=127.0.0.1
#   SYNCREADY_TEST_LDAPS_URL=ldaps://127.0.0.1:636
#   SYNCREADY_TEST_LDAP_URL=ldap://127.0.0.1:389      (plain simple binds are allowed)
#   SYNCREADY_TEST_GC_URL=ldap://127.0.0.1:3268
#   SYNCREADY_TEST_LDAP_CA_FILE        PEM of this run's CA (verifies the server cert)
#   SYNCREADY_TEST_LDAP_BIND_DN        CN=syncready-bind,CN=Users,DC=samdom,DC=test (ordinary user)
#   SYNCREADY_TEST_LDAP_PASSWORD       its password (random per run)
#   SYNCREADY_TEST_LDAP_BASE_DN        defaultNamingContext as read from the rootDSE
#   SYNCREADY_TEST_LDAP_ADMIN_DN       CN=Administrator,CN=Users,DC=samdom,DC=test (writes)
#   SYNCREADY_TEST_LDAP_ADMIN_PASSWORD its password (random per run)
#   SYNCREADY_TEST_SAMBA_DIR           the temp dir (smb.conf, log/, tls/, private/)
#
# Tunables (environment): SYNCREADY_KEEP_SAMBA=1 keeps the temp dir;
# SYNCREADY_SAMBA_START_TIMEOUT (seconds, default 30) bounds the wait for LDAPS;
# SYNCREADY_SAMBA_CMD_GRACE (seconds, default 10) is how long an interrupted CMD gets
# before it is killed; TMPDIR chooses where the temp dir goes.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR

# --- the domain (fixed, documented in SEED.md) ------------------------------------------
readonly REALM=SAMDOM.TEST
readonly NETBIOS_DOMAIN=SAMDOM
readonly DNS_DOMAIN=samdom.test
readonly DC_NAME=dc1
readonly EXPECTED_BASE_DN=DC=samdom,DC=test
readonly BIND_USER=syncready-bind
readonly LDAP_HOST=127.0.0.1
readonly PORTS=(389 636 3268 3269)

# samba-ad-provision is only a Recommends of samba-ad-dc but provisioning needs it.
readonly PACKAGES=(samba samba-ad-dc samba-ad-provision samba-dsdb-modules
  samba-vfs-modules winbind ldb-tools ldap-utils openssl)
readonly POLICY_RC=/usr/sbin/policy-rc.d

START_TIMEOUT=${SYNCREADY_SAMBA_START_TIMEOUT:-30}
CMD_GRACE=${SYNCREADY_SAMBA_CMD_GRACE:-10}

# --- state read by the exit trap --------------------------------------------------------
WORK_DIR=""          # the temp dir, once created
CREATED_POLICY_RC=0  # 1 when this run wrote /usr/sbin/policy-rc.d (and must remove it)
APT_LOG=""           # apt-get's output while it runs
SAMBA_LAUNCHED=0     # 1 once `samba -D` has been run
SAMBA_PID=""         # pid from samba's pid file (also its process-group id)
STEP_PID=""          # pid (= process group) of a long step (provision, seed) while it runs
CMD_PID=""           # pid of CMD while it runs
CMD_SIGNAL=""        # signal to forward to CMD when we are interrupted

log() { printf 'with-samba: %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# Microseconds since the epoch (EPOCHREALTIME's decimal separator depends on the locale).
now_us() { printf '%s' "${EPOCHREALTIME//[!0-9]/}"; }
# Seconds elapsed since a now_us value, as "1.234 s".
since() {
  local ms=$((($(now_us) - $1) / 1000))
  printf '%d.%03d s' $((ms / 1000)) $((ms % 1000))
}

# Print the last lines of a log file to stderr, framed, if it exists.
show_tail() {
  local file=$1 lines=${2:-40}
  [[ -s $file ]] || return 0
  log "---- last $lines lines of $file ----"
  tail -n "$lines" "$file" >&2 || true
  log "---- end of $file ----"
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

# Run a long step (provisioning, seeding) so that a signal to this script interrupts it
# at once instead of after the step: in the background (bash's `wait` is interruptible,
# a foreground child is not) and in its own process group, which the exit trap kills
# whole (ldapadd under seed.sh included). With --log FILE its output goes to FILE (not
# redirected around the call: our trap's messages must still reach stderr).
run_step() {
  if [[ $1 == --log ]]; then
    setsid "${@:3}" >"$2" 2>&1 &
  else
    setsid "$@" &
  fi
  STEP_PID=$!
  local status=0
  wait "$STEP_PID" || status=$?
  STEP_PID=""
  return "$status"
}

# --- packages ---------------------------------------------------------------------------
missing_packages() {
  local pkg
  for pkg in "${PACKAGES[@]}"; do
    if [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) != installed ]]; then
      printf '%s\n' "$pkg"
    fi
  done
}

install_packages() {
  local t0 missing
  t0=$(now_us)
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    log "packages already installed"
    return 0
  fi
  if ((EUID != 0)); then
    die "missing Debian packages: ${missing[*]}; run this script as root once, or install them:" \
      "apt-get install --no-install-recommends ${PACKAGES[*]}"
  fi
  log "installing ${missing[*]} (apt-get, no recommends)"
  # Keep the packages' maintainer scripts from starting smbd/nmbd/samba-ad-dc.
  if [[ ! -e $POLICY_RC ]]; then
    printf '#!/bin/sh\n# written by syncready .ci/samba/with-samba.sh during apt-get install\nexit 101\n' >"$POLICY_RC"
    chmod 0755 "$POLICY_RC"
    CREATED_POLICY_RC=1
  fi
  APT_LOG=$(mktemp "${TMPDIR:-/tmp}/syncready-apt.XXXXXX")
  export DEBIAN_FRONTEND=noninteractive
  # (apt-get runs in the foreground: a signal takes effect once it is done, so dpkg is
  # never left half-way.)
  if ! apt-get -o DPkg::Lock::Timeout=300 -q update >"$APT_LOG" 2>&1 ||
    ! apt-get -o DPkg::Lock::Timeout=300 -q -y install --no-install-recommends \
      "${missing[@]}" >>"$APT_LOG" 2>&1; then
    show_tail "$APT_LOG" 30
    die "apt-get could not install: ${missing[*]}"
  fi
  rm -f "$APT_LOG"
  APT_LOG=""
  if ((CREATED_POLICY_RC)); then
    rm -f "$POLICY_RC"
    CREATED_POLICY_RC=0
  fi
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]} == 0)) || die "still missing after apt-get: ${missing[*]}"
  log "installed packages in $(since "$t0")"
}

# --- ports ------------------------------------------------------------------------------
# True when something accepts TCP connections on 127.0.0.1 or ::1 at this port
# (a wildcard listener answers there too and would make samba's bind fail).
port_busy() {
  local port=$1 addr
  for addr in 127.0.0.1 ::1; do
    if (exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null; then
      return 0
    fi
  done
  return 1
}

check_ports() {
  local port busy=()
  for port in "${PORTS[@]}"; do
    if port_busy "$port"; then busy+=("$port"); fi
  done
  ((${#busy[@]} == 0)) && return 0
  if command -v ss >/dev/null; then
    ss -ltnp 2>/dev/null | awk -v ports=" ${busy[*]} " \
      'NR == 1 { print; next } { n = split($4, a, ":"); if (index(ports, " " a[n] " ")) print }' >&2 || true
  fi
  die "port(s) ${busy[*]} already in use on loopback; samba needs 389, 636, 3268 and 3269" \
    "(another with-samba.sh still running, or a system slapd/samba? see the listeners above)"
}

# --- temp dir, certificates, smb.conf ---------------------------------------------------
make_work_dir() {
  WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/syncready-samba.XXXXXX")
  mkdir -p "$WORK_DIR"/{etc,tls,log,private,lock,state,cache,run,bind-dns,seed}
  chmod 0700 "$WORK_DIR" "$WORK_DIR/private" "$WORK_DIR/tls"
}

# ssl ARGS... — openssl, output to log/openssl.log; shows it and stops on failure.
ssl() {
  local log=$WORK_DIR/log/openssl.log
  openssl "$@" >>"$log" 2>&1 || {
    show_tail "$log"
    die "openssl $1 failed while creating the test certificates"
  }
}

# A fresh CA and a server certificate signed by it (ECDSA P-256, positive random
# serials: Go's crypto/x509 rejects the negative serials samba's own certificates
# can carry). SANs cover every name a test may dial.
make_certificates() {
  local tls=$WORK_DIR/tls host
  host=$(uname -n)
  cat >"$tls/server.ext" <<EOF
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1,IP:::1,DNS:localhost,DNS:$host,DNS:$DC_NAME.$DNS_DOMAIN,DNS:$DNS_DOMAIN
EOF
  ssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" -days 2 \
    -set_serial "0x1$(openssl rand -hex 15)" \
    -subj "/O=syncready tests/CN=syncready throw-away test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
  ssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$tls/server.key" -out "$tls/server.csr" \
    -subj "/O=syncready tests/CN=$DC_NAME.$DNS_DOMAIN"
  ssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
    -set_serial "0x1$(openssl rand -hex 15)" -days 2 \
    -extfile "$tls/server.ext" -out "$tls/server.pem"
  # samba refuses a key file readable by others.
  chmod 0600 "$tls/ca.key" "$tls/server.key"
  chmod 0644 "$tls/ca.pem" "$tls/server.pem"
  rm -f "$tls/server.csr"
}

write_smb_conf() {
  local w=$WORK_DIR
  cat >"$w/etc/smb.conf" <<EOF
# Written by syncready .ci/samba/with-samba.sh: a throw-away AD DC for tests.
[global]
	netbios name = ${DC_NAME^^}
	realm = $REALM
	workgroup = $NETBIOS_DOMAIN
	server role = active directory domain controller

	# Loopback only, and only the LDAP service (LDAP 389, LDAPS 636, GC 3268/3269):
	# no DNS, no KDC, no SMB, no RPC.
	interfaces = 127.0.0.1 ::1
	bind interfaces only = yes
	server services = ldap
	disable netbios = yes
	prefork children = 2

	# Throw-away database: no fsync (8-10x faster writes).
	ldb:nosync = true

	# Allow plaintext simple binds on 389, so tests can exercise them.
	ldap server require strong auth = no

	# Our own certificate (samba's self-signed one can carry a negative serial).
	tls enabled = yes
	tls certfile = $w/tls/server.pem
	tls keyfile = $w/tls/server.key
	tls cafile = $w/tls/ca.pem

	# Every path under the temp dir: nothing in /var/lib/samba, /run/samba, /var/log.
	private dir = $w/private
	binddns dir = $w/bind-dns
	lock directory = $w/lock
	state directory = $w/state
	cache directory = $w/cache
	pid directory = $w/run
	ncalrpc dir = $w/run/ncalrpc
	ntp signd socket directory = $w/run/ntp_signd
	winbindd socket directory = $w/run/winbindd
	log file = $w/log/samba.log
	max log size = 0
	log level = 1

	idmap_ldb:use rfc2307 = yes

[sysvol]
	path = $w/state/sysvol
	read only = no

[netlogon]
	path = $w/state/sysvol/$DNS_DOMAIN/scripts
	read only = no
EOF
}

# --- provision --------------------------------------------------------------------------
provision() {
  local t0
  t0=$(now_us)
  # No --adminpass: provisioning picks a random one (logged to provision.log only,
  # inside the 0700 temp dir); create_bind_account_and_passwords replaces it.
  if ! run_step --log "$WORK_DIR/log/provision.log" samba-tool domain provision \
    --targetdir="$WORK_DIR" \
    --realm="$REALM" --domain="$NETBIOS_DOMAIN" --host-name="$DC_NAME" \
    --server-role=dc --dns-backend=NONE --use-rfc2307 \
    --backend-store=mdb --backend-store-size=2Gb; then
    show_tail "$WORK_DIR/log/provision.log"
    die "samba-tool domain provision failed (log: $WORK_DIR/log/provision.log)"
  fi
  log "provisioned $REALM in $(since "$t0")"
}

# Run ldbmodify on the (stopped) domain's sam.ldb, LDIF on stdin.
ldbmodify_offline() {
  ldbmodify -H "$WORK_DIR/private/sam.ldb" --configfile="$WORK_DIR/etc/smb.conf" \
    --option="dsdb:schema update allowed=true" --nosync \
    >>"$WORK_DIR/log/ldbmodify.log" 2>&1 || {
    show_tail "$WORK_DIR/log/ldbmodify.log"
    die "ldbmodify on sam.ldb failed"
  }
}

# --- schema, bind account, passwords (samba stopped) ------------------------------------
# The base schema lacks the Exchange attributes mailNickname and targetAddress. Add them
# (OIDs and syntax as in AD with the Exchange schema: Unicode string, single-valued), then
# — in a second modify, once the schema has reloaded with them — allow them on the
# auxiliary class Mail-Recipient, which users, contacts and groups all carry.
extend_schema() {
  local schema="CN=Schema,CN=Configuration,$EXPECTED_BASE_DN"
  ldbmodify_offline <<EOF
dn: CN=ms-Exch-Mail-Nickname,$schema
changetype: add
objectClass: top
objectClass: attributeSchema
cn: ms-Exch-Mail-Nickname
lDAPDisplayName: mailNickname
adminDisplayName: ms-Exch-Mail-Nickname
attributeID: 1.2.840.113556.1.2.447
attributeSyntax: 2.5.5.12
oMSyntax: 64
isSingleValued: TRUE
searchFlags: 1
isMemberOfPartialAttributeSet: TRUE

dn: CN=ms-Exch-Target-Address,$schema
changetype: add
objectClass: top
objectClass: attributeSchema
cn: ms-Exch-Target-Address
lDAPDisplayName: targetAddress
adminDisplayName: ms-Exch-Target-Address
attributeID: 1.2.840.113556.1.2.352
attributeSyntax: 2.5.5.12
oMSyntax: 64
isSingleValued: TRUE
searchFlags: 0
isMemberOfPartialAttributeSet: TRUE
EOF
  ldbmodify_offline <<EOF
dn: CN=Mail-Recipient,$schema
changetype: modify
add: mayContain
mayContain: mailNickname
mayContain: targetAddress
EOF
}

# A random password meeting AD complexity (upper, lower, digit, symbol). Never printed.
new_password() {
  printf 'Sr-%s-%s-9x' "$(openssl rand -hex 12)" "$(openssl rand -hex 4 | tr 'a-f' 'A-F')"
}

# unicodePwd value: the password in double quotes, UTF-16LE, base64.
unicode_pwd() {
  printf '"%s"' "$1" | iconv -f UTF-8 -t UTF-16LE | base64 -w0
}

# The bind account: an ordinary, enabled domain user (no admin rights), as syncready
# will use in production. samba-tool would want a password in argv; create it with a
# random unknown one, then set ours (and Administrator's) through ldbmodify's stdin.
create_bind_account_and_passwords() {
  samba-tool user create "$BIND_USER" --random-password --use-username-as-cn \
    --description="syncready integration tests: read-only bind account" \
    -H "$WORK_DIR/private/sam.ldb" -s "$WORK_DIR/etc/smb.conf" \
    >"$WORK_DIR/log/user-create.log" 2>&1 || {
    show_tail "$WORK_DIR/log/user-create.log"
    die "samba-tool user create $BIND_USER failed"
  }
  BIND_DN="CN=$BIND_USER,CN=Users,$EXPECTED_BASE_DN"
  ADMIN_DN="CN=Administrator,CN=Users,$EXPECTED_BASE_DN"
  BIND_PASSWORD=$(new_password)
  ADMIN_PASSWORD=$(new_password)
  ldbmodify_offline <<EOF
dn: $BIND_DN
changetype: modify
replace: unicodePwd
unicodePwd:: $(unicode_pwd "$BIND_PASSWORD")

dn: $ADMIN_DN
changetype: modify
replace: unicodePwd
unicodePwd:: $(unicode_pwd "$ADMIN_PASSWORD")
EOF
  # For seed.sh: the Administrator password as a file (ldapadd -y), no newline.
  printf '%s' "$ADMIN_PASSWORD" >"$WORK_DIR/private/admin.pw"
  chmod 0600 "$WORK_DIR/private/admin.pw"
}

# --- start and wait ---------------------------------------------------------------------
# The rootDSE over LDAPS, verified against our CA: prints defaultNamingContext.
probe_ldaps() {
  LDAPTLS_CACERT="$WORK_DIR/tls/ca.pem" LDAPTLS_REQCERT=demand \
    timeout 5 ldapsearch -x -LLL -o nettimeout=2 -o ldif-wrap=no \
    -H "ldaps://$LDAP_HOST:636" -s base -b "" defaultNamingContext 2>/dev/null |
    sed -n 's/^defaultNamingContext: //p'
}

start_samba() {
  local t0 deadline pidfile=$WORK_DIR/run/samba.pid base=""
  t0=$(now_us)
  SAMBA_LAUNCHED=1
  if ! samba -D -s "$WORK_DIR/etc/smb.conf" >"$WORK_DIR/log/samba.stdout" 2>&1; then
    show_tail "$WORK_DIR/log/samba.stdout"
    show_tail "$WORK_DIR/log/samba.log"
    die "samba could not be started"
  fi
  deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if [[ -z $SAMBA_PID && -s $pidfile ]]; then
      SAMBA_PID=$(tr -dc '0-9' <"$pidfile")
    fi
    if [[ -n $SAMBA_PID ]]; then
      base=$(probe_ldaps || true)
      [[ -n $base ]] && break
      if ! kill -0 "$SAMBA_PID" 2>/dev/null; then
        show_tail "$WORK_DIR/log/samba.log"
        die "samba (pid $SAMBA_PID) exited during startup"
      fi
    fi
    if ((SECONDS >= deadline)); then
      show_tail "$WORK_DIR/log/samba.stdout"
      show_tail "$WORK_DIR/log/samba.log"
      die "LDAPS on $LDAP_HOST:636 did not answer within ${START_TIMEOUT}s (SYNCREADY_SAMBA_START_TIMEOUT)"
    fi
    sleep 0.2
  done
  [[ $base == "$EXPECTED_BASE_DN" ]] || die "unexpected defaultNamingContext '$base'"
  BASE_DN=$base
  log "samba (pid $SAMBA_PID) answers on ldaps://$LDAP_HOST:636 after $(since "$t0")"
}

# --- stop and clean up ------------------------------------------------------------------
# Pids of processes other than this shell that hold a file or their cwd under WORK_DIR:
# samba's workers rewrite their command line, but they keep its log and database open.
pids_using_work_dir() {
  find /proc/[0-9]*/cwd /proc/[0-9]*/fd -maxdepth 1 -lname "$WORK_DIR/*" 2>/dev/null |
    cut -d/ -f3 | sort -u | grep -vx -e "$$" -e "$BASHPID" || true
}

stop_samba() {
  local t0 i pid left
  t0=$(now_us)
  # Interrupted right after the launch, samba may not have written its pid file yet.
  for ((i = 0; i < 30; i++)); do
    [[ -n $SAMBA_PID ]] || ((SAMBA_LAUNCHED == 0)) && break
    if [[ -s $WORK_DIR/run/samba.pid ]]; then
      SAMBA_PID=$(tr -dc '0-9' <"$WORK_DIR/run/samba.pid")
    else
      sleep 0.1
    fi
  done
  if [[ -n $SAMBA_PID ]] && kill -0 "$SAMBA_PID" 2>/dev/null; then
    kill -TERM "$SAMBA_PID" 2>/dev/null || true
    # Wait (up to 10 s) for the whole process group to go.
    for ((i = 0; i < 100; i++)); do
      kill -0 -- "-$SAMBA_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 -- "-$SAMBA_PID" 2>/dev/null; then
      log "samba did not stop on TERM; killing process group $SAMBA_PID"
      kill -KILL -- "-$SAMBA_PID" 2>/dev/null || true
    fi
  fi
  # Anything else still holding our files (e.g. samba died before writing its pid file).
  mapfile -t left < <(pids_using_work_dir)
  if ((${#left[@]})); then
    log "killing leftover process(es) ${left[*]}"
    for pid in "${left[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  [[ -n $SAMBA_PID ]] && log "samba stopped in $(since "$t0")"
}

# True while process PID exists and is not a zombie (our dead but unreaped child).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# Stop an interrupted CMD: forward the signal, give it a grace period, then KILL.
stop_cmd() {
  local i
  alive "$CMD_PID" || return 0
  log "stopping CMD (pid $CMD_PID) with SIG${CMD_SIGNAL:-TERM}"
  kill "-${CMD_SIGNAL:-TERM}" "$CMD_PID" 2>/dev/null || true
  for ((i = 0; i < CMD_GRACE * 10; i++)); do
    alive "$CMD_PID" || break
    sleep 0.1
  done
  if alive "$CMD_PID"; then
    log "CMD still running after ${CMD_GRACE}s; sending SIGKILL"
    kill -KILL "$CMD_PID" 2>/dev/null || true
  fi
  wait "$CMD_PID" 2>/dev/null || true
}

# Stop an interrupted step: TERM to its process group; KILL what is left once its
# leader is gone (or after 5 s).
stop_step() {
  local i
  kill -TERM -- "-$STEP_PID" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    alive "$STEP_PID" || break
    sleep 0.1
  done
  kill -KILL -- "-$STEP_PID" 2>/dev/null || true # whatever is left of the group
  wait "$STEP_PID" 2>/dev/null || true
}

cleanup() {
  local status=$?
  # Finish the cleanup even if Ctrl-C is pressed again.
  trap '' INT TERM HUP
  trap - EXIT
  set +e
  [[ -n $CMD_PID ]] && stop_cmd
  [[ -n $STEP_PID ]] && stop_step
  if ((CREATED_POLICY_RC)); then rm -f "$POLICY_RC"; fi
  [[ -n $APT_LOG ]] && rm -f "$APT_LOG"
  if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
    stop_samba
    if [[ ${SYNCREADY_KEEP_SAMBA:-0} == 1 ]]; then
      log "kept $WORK_DIR (SYNCREADY_KEEP_SAMBA=1)"
    else
      rm -rf "$WORK_DIR"
    fi
  fi
  exit "$status"
}

on_signal() {
  log "caught SIG$1; stopping"
  CMD_SIGNAL=$1
  exit "$2"
}

# --- main -------------------------------------------------------------------------------
main() {
  (($# > 0)) || usage
  if [[ $1 == -h || $1 == --help ]]; then usage; fi

  trap cleanup EXIT
  trap 'on_signal INT 130' INT
  trap 'on_signal TERM 143' TERM
  trap 'on_signal HUP 129' HUP

  if [[ $1 == --install-only ]]; then
    install_packages
    return 0
  fi
  check_ports
  install_packages
  local cmd
  for cmd in samba samba-tool ldbmodify ldapsearch ldapadd openssl iconv; do
    command -v "$cmd" >/dev/null || die "'$cmd' not found although the packages are installed"
  done
  if ((EUID != 0)); then
    die "must run as root: samba-tool provision chowns the sysvol share and samba" \
      "binds ports below 1024"
  fi

  local t_all
  t_all=$(now_us)
  local caller_umask
  caller_umask=$(umask)
  umask 077
  make_work_dir
  make_certificates
  write_smb_conf
  provision
  local t0
  t0=$(now_us)
  extend_schema
  create_bind_account_and_passwords
  log "schema extended, bind account created in $(since "$t0")"
  start_samba

  t0=$(now_us)
  if ! SEED_LDAP_URL="ldap://$LDAP_HOST:389" SEED_BIND_DN="$ADMIN_DN" \
    SEED_PASSWORD_FILE="$WORK_DIR/private/admin.pw" SEED_BASE_DN="$BASE_DN" \
    SEED_WORK_DIR="$WORK_DIR/seed" run_step bash "$SCRIPT_DIR/seed.sh"; then
    show_tail "$WORK_DIR/log/samba.log" 20
    die "seeding failed (logs in $WORK_DIR/seed; set SYNCREADY_KEEP_SAMBA=1 to keep them)"
  fi
  log "seeded in $(since "$t0"); ready after $(since "$t_all") in total"
  umask "$caller_umask"

  export SYNCREADY_TEST_LDAP_HOST=$LDAP_HOST
  export SYNCREADY_TEST_LDAPS_URL="ldaps://$LDAP_HOST:636"
  export SYNCREADY_TEST_LDAP_URL="ldap://$LDAP_HOST:389"
  export SYNCREADY_TEST_GC_URL="ldap://$LDAP_HOST:3268"
  export SYNCREADY_TEST_LDAP_CA_FILE="$WORK_DIR/tls/ca.pem"
  export SYNCREADY_TEST_LDAP_BIND_DN=$BIND_DN
  export SYNCREADY_TEST_LDAP_PASSWORD=$BIND_PASSWORD
  export SYNCREADY_TEST_LDAP_BASE_DN=$BASE_DN
  export SYNCREADY_TEST_LDAP_ADMIN_DN=$ADMIN_DN
  export SYNCREADY_TEST_LDAP_ADMIN_PASSWORD=$ADMIN_PASSWORD
  export SYNCREADY_TEST_SAMBA_DIR=$WORK_DIR

  # CMD runs in the background so that `wait` can be interrupted by our signal traps;
  # env --default-signal undoes bash's "ignore SIGINT in background jobs" so Ctrl-C
  # still reaches it, and <&0 keeps its stdin (bash would give it /dev/null).
  log "running: $*"
  # (CI may start us with stdin closed: then CMD gets /dev/null.)
  if { true <&0; } 2>/dev/null; then
    env --default-signal=INT,QUIT -- "$@" <&0 &
  else
    env --default-signal=INT,QUIT -- "$@" </dev/null &
  fi
  CMD_PID=$!
  local status=0
  wait "$CMD_PID" || status=$?
  CMD_PID=""
  log "command exited with status $status"
  return "$status"
}

main "$@"
