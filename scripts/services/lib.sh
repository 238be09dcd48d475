# Shared helpers for scripts/services/*.sh. Sourced, not run.
# shellcheck shell=bash

umask 022
STATE="${MTL_SERVICES_DIR:-/tmp/mtl-services}"
LOGDIR="$STATE/log"
# shellcheck disable=SC2034 # used by services.sh
SERVICES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

mkdir -p "$STATE" "$LOGDIR"
# munged insists that every directory above its socket is searchable by all.
chmod 755 "$STATE" "$LOGDIR"

# Name of the calling script without .sh, for messages.
SVC="$(basename "$0" .sh)"

# When set (by a `start`), a failure writes {"ok": false, "error": ...} there,
# so services.json tells what is not available and why.
FAIL_JSON=""
ERR_WHERE=""
trap 'ERR_WHERE="line $LINENO: $BASH_COMMAND"' ERR

write_fail_json() {
  [ -n "$FAIL_JSON" ] || return 0
  printf '{ "ok": false, "error": %s, "log": %s }\n' "$(jstr "$1")" "$(jstr "$LOGDIR/$SVC.log")" >"$FAIL_JSON"
  FAIL_JSON=""
}

die() {
  echo "$SVC: $*" >&2
  echo "[$(date +%T)] FAILED: $*" >>"$LOGDIR/$SVC.log"
  write_fail_json "$*"
  exit 1
}

on_exit() {
  local rc=$?
  if [ $rc != 0 ] && [ -n "$FAIL_JSON" ]; then
    echo "$SVC: unexpected failure ($ERR_WHERE); log: $LOGDIR/$SVC.log" >&2
    echo "[$(date +%T)] FAILED: unexpected ($ERR_WHERE)" >>"$LOGDIR/$SVC.log"
    write_fail_json "unexpected failure ($ERR_WHERE)"
  fi
}
trap on_exit EXIT

log() { echo "[$(date +%T)] $*" >>"$LOGDIR/$SVC.log"; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# True if the process exists and is not a zombie (pid 1 here reaps orphans late,
# so a dead daemon can linger as a zombie for a while).
alive() {
  local s
  { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
  s=${s##*) } # the state follows "(comm) "
  [ -n "$s" ] && [ "${s%% *}" != Z ]
}

# Wait until pid $1 is gone, up to $2 ms; prints how long it took, or fails.
wait_gone() {
  local t0 deadline
  t0=$(now_ms)
  deadline=$((t0 + $2))
  while alive "$1"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.02
  done
  echo $(($(now_ms) - t0))
}

# pid from a pid file, if that process is alive and its comm is $2.
pid_of() {
  local file=$1 comm=$2 pid
  [ -f "$file" ] || return 1
  pid=$(tr -dc 0-9 <"$file")
  [ -n "$pid" ] && alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] || return 1
  echo "$pid"
}

# Send TERM to the given pids, wait up to $KILL_WAIT s, then KILL the rest.
kill_pids() {
  local p deadline
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$(($(now_ms) + ${KILL_WAIT:-5} * 1000))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    local any=0
    for p in "$@"; do alive "$p" && any=1; done
    [ $any = 0 ] && return 0
    sleep 0.1
  done
  for p in "$@"; do alive "$p" && kill -KILL "$p" 2>/dev/null; done
  sleep 0.2
  for p in "$@"; do alive "$p" && { echo "$SVC: pid $p survived SIGKILL" >&2; return 1; }; done
  return 0
}

kill_pidfile() {
  local pid
  if pid=$(pid_of "$1" "$2"); then kill_pids "$pid"; fi
  rm -f "$1"
}

# All descendants of the given pids (not the pids themselves).
descendants() {
  [ $# -gt 0 ] || return 0
  ps -eo pid=,ppid= | awk -v roots="$*" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      n = split(roots, r, " "); for (i = 1; i <= n; i++) mark[r[i]] = 1
      changed = 1
      while (changed) {
        changed = 0
        for (i in pids) { p = pids[i]; if (!(p in mark) && (parent[p] in mark)) { mark[p] = 2; changed = 1 } }
      }
      for (p in mark) if (mark[p] == 2) print p
    }'
}

# Wait until "$@" succeeds, up to $1 seconds. Usage: wait_for SECONDS cmd args...
wait_for() {
  local secs=$1 deadline
  shift
  deadline=$(($(now_ms) + secs * 1000))
  until "$@" >/dev/null 2>&1; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Install the Debian packages that are missing. Quiet; output in $LOGDIR/apt.log.
ensure_pkgs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  command -v apt-get >/dev/null || die "apt-get not found; install ${missing[*]} by hand"
  log "installing ${missing[*]}"
  # No init system here, but a package's postinst may still try to start its
  # daemon through invoke-rc.d: forbid that while we install.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e $policy ]; then
    printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy && own_policy=1
  fi
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
      { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; }
  } >>"$LOGDIR/apt.log" 2>&1 || rc=$?
  [ $own_policy = 1 ] && rm -f $policy
  [ $rc = 0 ] || die "apt-get install ${missing[*]} failed (see $LOGDIR/apt.log)"
}

# Throw-away ssh keys shared by ssh.sh and netns.sh.
SSHDIR="$STATE/ssh"
ensure_ssh_keys() {
  mkdir -p "$SSHDIR" "$SSHDIR/ssh_config.d"
  chmod 700 "$SSHDIR"
  [ -f "$SSHDIR/host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C mtl-test-host -f "$SSHDIR/host_ed25519_key"
  [ -f "$SSHDIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C mtl-test-client -f "$SSHDIR/id_ed25519"
  cp "$SSHDIR/id_ed25519.pub" "$SSHDIR/authorized_keys"
  chmod 600 "$SSHDIR/authorized_keys"
  mkdir -p /run/sshd # sshd's privilege separation directory
  chmod 755 /run/sshd
  # Host blocks come from ssh_config.d/*.conf (loopback.conf from ssh.sh,
  # netns.conf from netns.sh); the defaults below apply to all of them.
  cat >"$SSHDIR/ssh_config" <<EOF
# Generated by scripts/services; use with ssh -F $SSHDIR/ssh_config HOST
Include $SSHDIR/ssh_config.d/*.conf
Host *
  User root
  IdentityFile $SSHDIR/id_ed25519
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
  BatchMode yes
  ConnectTimeout 10
EOF
}

# Commands run through our sshds carry MTL_TEST_SSHD=<tag> in their environment
# (sshd SetEnv), so stop can find the ones whose session is gone (killing the
# local ssh client leaves the remote command running, reparented to pid 1).
SSHD_TAG="$STATE"
tagged_pids() {
  grep -lzxF "MTL_TEST_SSHD=$SSHD_TAG" /proc/[0-9]*/environ 2>/dev/null |
    cut -d/ -f3 | grep -vx "$$" || true
}

# sshd_config for one listen address. Usage: write_sshd_config FILE ADDR PORT PIDFILE [VAR=VALUE...]
# (the variables are set in every session, after sshd's own).
write_sshd_config() {
  cat >"$1" <<EOF
# Generated by scripts/services: test sshd, key-only root login.
ListenAddress $2:$3
HostKey $SSHDIR/host_ed25519_key
PidFile $4
AuthorizedKeysFile $SSHDIR/authorized_keys
# The state dir may sit under /tmp (world-writable), which StrictModes rejects.
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
AllowAgentForwarding no
# Remote forwards only: docs/scale-out.md's tunnel (ssh -R) is tested through them.
AllowTcpForwarding remote
PermitTunnel no
PrintMotd no
PrintLastLog no
MaxStartups 100:30:200
MaxSessions 100
LogLevel INFO
SetEnv MTL_TEST_SSHD=$SSHD_TAG ${*:5}
EOF
}

json_ok() { [ -f "$1" ] && grep -q '"ok": true' "$1"; }

# Write a JSON fragment for this service: json_out FILE 'JSON'
json_out() { printf '%s\n' "$2" >"$1"; }

# JSON string escape of $1.
jstr() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# The command line of every service script: one of start, stop, status, check (functions it defines).
run_command() {
  case "$1" in
  start | stop | status | check) "$1" ;;
  *)
    echo "usage: $0 start|stop|status|check${USAGE_TAIL:-}" >&2
    exit 2
    ;;
  esac
}
