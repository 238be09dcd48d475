#!/usr/bin/env bash
# Extra test "hosts": network namespaces mtl-h1, mtl-h2 (MTL_NETNS_COUNT) on a
# bridge mtl-br0. The root namespace is 10.77.0.1, host i is 10.77.0.(i+1);
# each runs an sshd on its address, port 22, with its own hostname (UTS
# namespace), reachable as ssh -F "$STATE/ssh/ssh_config" mtl-h1.
# No default route, no forwarding, no NAT: the hosts reach 10.77.0.0/24 only.
# Usage: netns.sh start|stop|status|check
set -Eeuo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COUNT="${MTL_NETNS_COUNT:-2}"
NET="${MTL_NETNS_PREFIX:-10.77.0}" # a /24
BR=mtl-br0
HOST_ADDR="$NET.1"
NDIR="$STATE/netns"
JSON="$STATE/netns.json"
SSHC=(ssh -F "$SSHDIR/ssh_config")

ns_name() { echo "mtl-h$1"; }
ns_addr() { echo "$NET.$(($1 + 1))"; }
sshd_pid() { pid_of "$NDIR/sshd-$(ns_name "$1").pid" sshd; }

# Undo everything, then report (a half-made network is of no use to tests).
fail() {
  cleanup >/dev/null 2>&1 || true
  die "$@"
}

# Run a step; on failure say which one and what it printed.
step() {
  local what=$1
  shift
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >>"$LOGDIR/netns.log"
    fail "step failed: $what ($*): $(printf '%s' "$out" | tail -3 | tr '\n' ' ')"
  fi
  [ -z "$out" ] || printf '%s\n' "$out" >>"$LOGDIR/netns.log"
}

start() {
  local t0 i n a
  t0=$(now_ms)
  FAIL_JSON="$JSON"
  ensure_pkgs iproute2 openssh-server openssh-client util-linux
  if json_ok "$JSON" && ip link show "$BR" >/dev/null 2>&1 && sshd_pid "$COUNT" >/dev/null; then
    log "already running"
    FAIL_JSON=""
    return 0
  fi
  log "starting"
  mkdir -p "$NDIR"
  ensure_ssh_keys

  if ! ip link show "$BR" >/dev/null 2>&1; then
    step "create bridge $BR" ip link add "$BR" type bridge
  fi
  step "address $HOST_ADDR on $BR" ip addr replace "$HOST_ADDR/24" dev "$BR"
  step "bridge up" ip link set "$BR" up
  for i in $(seq 1 "$COUNT"); do
    n=$(ns_name "$i")
    a=$(ns_addr "$i")
    [ -e "/run/netns/$n" ] || step "create netns $n" ip netns add "$n"
    step "loopback up in $n" ip -n "$n" link set lo up
    if ! ip -n "$n" link show eth0 >/dev/null 2>&1; then
      ip link del "$n-br" >/dev/null 2>&1 || true
      step "veth pair for $n" ip link add "$n-br" type veth peer name "$n-eth0"
      step "veth into $n" ip link set "$n-eth0" netns "$n"
      step "rename veth in $n" ip -n "$n" link set "$n-eth0" name eth0
    fi
    step "attach $n-br to $BR" ip link set "$n-br" master "$BR"
    step "$n-br up" ip link set "$n-br" up
    step "address $a in $n" ip -n "$n" addr replace "$a/24" dev eth0
    step "eth0 up in $n" ip -n "$n" link set eth0 up
    # An empty HOME: bash started by sshd reads ~/.bashrc, which on this machine (pyenv) adds about
    # 0.4 s to each login, so to every worker the ssh suite starts. The loopback sshd keeps the real one.
    mkdir -p "$NDIR/home"
    write_sshd_config "$NDIR/sshd-$n.conf" "$a" 22 "$NDIR/sshd-$n.pid" "HOME=$NDIR/home"
    if ! sshd_pid "$i" >/dev/null; then
      # unshare --uts: the host's own hostname, so os.hostname() tells hosts apart.
      step "sshd in $n" ip netns exec "$n" unshare --uts sh -c \
        "hostname $n && exec /usr/sbin/sshd -f '$NDIR/sshd-$n.conf' -E '$NDIR/sshd-$n.log'"
    fi
  done
  for i in $(seq 1 "$COUNT"); do
    wait_for 10 sshd_pid "$i" || step "sshd in $(ns_name "$i") running" false
  done
  {
    echo "# network-namespace hosts from netns.sh"
    for i in $(seq 1 "$COUNT"); do
      printf 'Host %s\n  HostName %s\n  Port 22\n' "$(ns_name "$i")" "$(ns_addr "$i")"
    done
  } >"$SSHDIR/ssh_config.d/netns.conf"

  # Checks: ssh lands in the namespace; a process there reaches a server on
  # the root side's address (as a worker connects back to its caller).
  local out
  # shellcheck disable=SC2016 # expanded on the remote side
  out=$(timeout 60 "${SSHC[@]}" "$(ns_name 1)" 'echo $(hostname) $(hostname -I)' 2>>"$LOGDIR/netns.log") ||
    fail "ssh $(ns_name 1) failed (see $LOGDIR/netns.log, $NDIR/sshd-$(ns_name 1).log)"
  [ "$out" = "$(ns_name 1) $(ns_addr 1)" ] || fail "ssh $(ns_name 1) 'echo \$(hostname) \$(hostname -I)' printed '$out'"
  connect_back "$(ns_name "$COUNT")" || fail "a process in $(ns_name "$COUNT") could not connect to $HOST_ADDR"

  local hosts="" sep=""
  for i in $(seq 1 "$COUNT"); do
    hosts+="$sep{ \"name\": \"$(ns_name "$i")\", \"ssh\": \"$(ns_name "$i")\", \"address\": \"$(ns_addr "$i")\", \"netns\": \"$(ns_name "$i")\" }"
    sep=", "
  done
  json_out "$JSON" "{ \"ok\": true, \"hostAddress\": \"$HOST_ADDR\", \"bridge\": \"$BR\", \"config\": $(jstr "$SSHDIR/ssh_config"),
  \"hosts\": [$hosts], \"startMs\": $(($(now_ms) - t0)) }"
  FAIL_JSON=""
  log "started in $(($(now_ms) - t0)) ms"
}

# A one-shot TCP server on $HOST_ADDR in the root namespace; a node client run
# over ssh in namespace $1 connects and sends its hostname. Bounded: 20 s.
connect_back() {
  local port_file
  port_file=$(mktemp "$NDIR/port.XXXX")
  timeout 30 node -e '
    const net = require("net"), fs = require("fs");
    const srv = net.createServer((s) => { let d = ""; s.on("data", (c) => (d += c)); s.on("end", () => { console.log(d); process.exit(d ? 0 : 1); }); });
    srv.listen(0, process.argv[1], () => fs.writeFileSync(process.argv[2], String(srv.address().port)));
    setTimeout(() => process.exit(2), 20000);
  ' "$HOST_ADDR" "$port_file" >"$port_file.out" 2>>"$LOGDIR/netns.log" &
  local srv=$!
  wait_for 10 test -s "$port_file" || { kill "$srv" 2>/dev/null; return 1; }
  timeout 30 "${SSHC[@]}" "$1" node -e "'const s = require(\"net\").connect($(cat "$port_file"), \"$HOST_ADDR\", () => s.end(require(\"os\").hostname()))'" \
    >>"$LOGDIR/netns.log" 2>&1 || true
  local rc=0
  wait "$srv" || rc=$?
  log "connect back from $1: server got '$(cat "$port_file.out")' (rc $rc)"
  rm -f "$port_file" "$port_file.out"
  return $rc
}

cleanup() {
  local n pids
  # mtl-cut<n>: a namespace remote.test.ts makes for itself, should a run end before it removes it.
  for n in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^mtl-(h|cut)[0-9]+$' || true); do
    # Every process in the namespace: its sshd, sessions, commands they run.
    pids=$(ip netns pids "$n" 2>/dev/null | tr '\n' ' ')
    # shellcheck disable=SC2086
    [ -z "${pids// /}" ] || KILL_WAIT=3 kill_pids $pids || true
    ip netns del "$n"
    ip link del "$n-br" >/dev/null 2>&1 || true
  done
  if ip link show "$BR" >/dev/null 2>&1; then ip link del "$BR"; fi
  rm -f "$NDIR"/sshd-*.pid "$SSHDIR/ssh_config.d/netns.conf" "$JSON"
}

stop() {
  log "stopping"
  command -v ip >/dev/null || return 0
  cleanup
  log "stopped"
}

status() {
  local i rc=0 p
  if ip link show "$BR" >/dev/null 2>&1; then echo "bridge $BR: $HOST_ADDR"; else
    echo "bridge $BR: absent"
    rc=1
  fi
  for i in $(seq 1 "$COUNT"); do
    if p=$(sshd_pid "$i"); then echo "$(ns_name "$i"): $(ns_addr "$i"), sshd pid $p"; else
      echo "$(ns_name "$i"): stopped"
      rc=1
    fi
  done
  return $rc
}

check() {
  status >/dev/null || die "not running; run: $0 start"
  local i t0
  for i in $(seq 1 "$COUNT"); do
    t0=$(now_ms)
    # shellcheck disable=SC2016 # expanded on the remote side
    echo "ssh $(ns_name "$i") 'echo \$(hostname) \$(hostname -I)': $("${SSHC[@]}" "$(ns_name "$i")" 'echo $(hostname) $(hostname -I)') ($(($(now_ms) - t0)) ms)"
    connect_back "$(ns_name "$i")" && echo "  $(ns_name "$i") -> $HOST_ADDR: connected" || echo "  $(ns_name "$i") -> $HOST_ADDR: FAILED"
  done
  [ "$COUNT" -lt 2 ] || echo "$(ns_name 1) -> $(ns_addr 2):22 (TCP): $(ip netns exec "$(ns_name 1)" timeout 5 bash -c "exec 3<>/dev/tcp/$(ns_addr 2)/22" 2>/dev/null && echo connected || echo failed)"
  echo "default route in $(ns_name 1): $(ip -n "$(ns_name 1)" route show default | grep . || echo none)"
}

run_command "${1:-}"
