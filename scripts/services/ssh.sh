#!/usr/bin/env bash
# Test sshd on loopback (127.0.0.1:${MTL_SSH_PORT:-2222}), root login with a
# throw-away key only, plus an ssh_config with host aliases mtl-a and mtl-b.
# Usage: ssh.sh start|stop|status|check
# Then: ssh -F "$STATE/ssh/ssh_config" mtl-a node -e 'console.log(1)'
set -Eeuo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${MTL_SSH_PORT:-2222}"
ADDR=127.0.0.1
HOSTS=(mtl-a mtl-b)
CFG="$SSHDIR/sshd_config"
PIDFILE="$SSHDIR/sshd.pid"
JSON="$STATE/ssh.json"
SSHC=(ssh -F "$SSHDIR/ssh_config")

sshd_pid() { pid_of "$PIDFILE" sshd; }

start() {
  local t0
  t0=$(now_ms)
  FAIL_JSON="$JSON"
  ensure_pkgs openssh-server openssh-client
  if sshd_pid >/dev/null && json_ok "$JSON" && [ -f "$SSHDIR/ssh_config.d/loopback.conf" ]; then
    log "already running"
    FAIL_JSON=""
    return 0
  fi
  log "starting"
  ensure_ssh_keys
  write_sshd_config "$CFG" "$ADDR" "$PORT" "$PIDFILE"
  /usr/sbin/sshd -t -f "$CFG" 2>>"$LOGDIR/ssh.log" || die "sshd -t rejected $CFG (see $LOGDIR/ssh.log)"
  if ! sshd_pid >/dev/null; then
    if ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q "$ADDR:$PORT"; then
      die "$ADDR:$PORT is in use by another process; set MTL_SSH_PORT"
    fi
    /usr/sbin/sshd -f "$CFG" -E "$SSHDIR/sshd.log" || die "sshd did not start (see $SSHDIR/sshd.log)"
  fi
  wait_for 10 sshd_pid || die "sshd did not start (see $SSHDIR/sshd.log)"
  {
    echo "# loopback sshd from ssh.sh"
    echo "Host ${HOSTS[*]}"
    echo "  HostName $ADDR"
    echo "  Port $PORT"
  } >"$SSHDIR/ssh_config.d/loopback.conf"

  local out t1 node_path
  t1=$(now_ms)
  out=$(timeout 30 "${SSHC[@]}" "${HOSTS[0]}" node -e "'console.log(1)'" 2>>"$LOGDIR/ssh.log") ||
    die "ssh ${HOSTS[0]} node -e ... failed (see $LOGDIR/ssh.log, $SSHDIR/sshd.log)"
  [ "$out" = 1 ] || die "ssh ${HOSTS[0]} node -e 'console.log(1)' printed '$out'"
  local conn_ms=$(($(now_ms) - t1))
  node_path=$(timeout 30 "${SSHC[@]}" "${HOSTS[1]}" 'command -v node' 2>>"$LOGDIR/ssh.log" || true)
  json_out "$JSON" "{ \"ok\": true, \"config\": $(jstr "$SSHDIR/ssh_config"), \"hosts\": [\"${HOSTS[0]}\", \"${HOSTS[1]}\"],
  \"address\": \"$ADDR\", \"port\": $PORT, \"user\": \"root\", \"identity\": $(jstr "$SSHDIR/id_ed25519"),
  \"remoteNode\": $(jstr "$node_path"), \"firstCommandMs\": $conn_ms, \"startMs\": $(($(now_ms) - t0)) }"
  FAIL_JSON=""
  log "started in $(($(now_ms) - t0)) ms"
}

stop() {
  log "stopping"
  local pid kids
  if pid=$(sshd_pid); then
    # The listener, then what is left of its sessions (and the commands they run).
    kids=$(descendants "$pid" | tr '\n' ' ')
    kill_pids "$pid"
    # shellcheck disable=SC2086
    [ -z "${kids// /}" ] || KILL_WAIT=2 kill_pids $kids || true
  fi
  # Commands whose ssh session already ended (see tagged_pids), but only those
  # in this (the root) network namespace: netns.sh owns the others.
  local p left=() me
  me=$(readlink /proc/self/ns/net)
  for p in $(tagged_pids); do
    [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$me" ] && left+=("$p")
  done
  [ ${#left[@]} = 0 ] || KILL_WAIT=2 kill_pids "${left[@]}" || true
  rm -f "$PIDFILE" "$SSHDIR/ssh_config.d/loopback.conf" "$JSON"
  log "stopped"
}

status() {
  local pid
  if pid=$(sshd_pid); then
    echo "sshd: running (pid $pid) on $ADDR:$PORT; ssh -F $SSHDIR/ssh_config ${HOSTS[*]}"
  else
    echo "sshd: stopped"
    return 1
  fi
}

# Measurements: connection latency, PATH of a remote command, and what happens
# to the remote command when the local ssh client is killed.
check() {
  status >/dev/null || die "not running; run: $0 start"
  local t0
  for _ in 1 2 3; do
    t0=$(now_ms)
    "${SSHC[@]}" mtl-a true
    echo "ssh mtl-a true: $(($(now_ms) - t0)) ms"
  done
  # shellcheck disable=SC2016 # expanded on the remote side
  echo "remote PATH (non-login, non-interactive bash -c): $("${SSHC[@]}" mtl-a 'echo $PATH')"
  echo "remote 'command -v node': $("${SSHC[@]}" mtl-a 'command -v node' || echo 'not found')"
  echo "kill behaviour (remote = node started by 'ssh mtl-a exec node ...'):"
  local label sig args mark=8000 script
  exec 3>&2 2>/dev/null # hide bash's "Killed" job notices
  while IFS='|' read -r label sig args script; do
    mark=$((mark + 1))
    # stdin is a pipe that stays open (as a launcher's would), not /dev/null.
    # shellcheck disable=SC2086
    sleep 60 | "${SSHC[@]}" $args mtl-a "exec node -e '$script' mark=$mark" >/dev/null &
    local p=$! r="" feeder
    feeder=$(jobs -p %%) # the pipeline's first process: sleep
    if ! wait_for 60 pgrep -f "^node .*mark=$mark\$"; then
      echo "  $label: remote did not start" >&3
      kill "$p" "$feeder" || true
      continue
    fi
    r=$(pgrep -f "^node .*mark=$mark\$" | head -1)
    local ms
    kill "-$sig" "$p"
    if ms=$(wait_gone "$r" 5000); then
      echo "  $label: remote gone after $ms ms" >&3
    else
      echo "  $label: remote still running 5 s later" >&3
      kill -KILL "$r"
    fi
    kill "$feeder" || true
    wait "$p" || true
  done <<EOF
SIGKILL ssh, idle node|KILL||setInterval(()=>{},1000)
SIGTERM ssh, idle node|TERM||setInterval(()=>{},1000)
SIGKILL ssh, node with an idle TCP connection|KILL||require("net").connect($PORT,"127.0.0.1");setInterval(()=>{},1000)
SIGKILL ssh, node writing to stdout every 100 ms|KILL||setInterval(()=>console.log(1),100)
SIGKILL ssh, node that exits on stdin end|KILL||process.stdin.on("end",()=>process.exit()).resume()
SIGKILL ssh -tt (pty), idle node|KILL|-tt|setInterval(()=>{},1000)
EOF
  exec 2>&3 3>&-
}

run_command "${1:-}"
