#!/usr/bin/env bash
# Start/stop all test services (Slurm, loopback sshd, network-namespace hosts)
# and describe them in $STATE/services.json for tests to read.
# Usage: services.sh start|stop|status|check [slurm ssh netns]
# One service failing does not stop the others; the JSON says what is there.
set -Eeuo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd="${1:-}"
shift || true
ALL=(slurm ssh netns)
if [ $# -gt 0 ]; then SEL=("$@"); else SEL=("${ALL[@]}"); fi
for s in "${SEL[@]}"; do
  case " ${ALL[*]} " in *" $s "*) ;; *) die "unknown service '$s' (known: ${ALL[*]})" ;; esac
done

write_json() {
  STATE="$STATE" node -e '
    const fs = require("fs"), path = require("path"), dir = process.env.STATE;
    const read = (n) => { try { return JSON.parse(fs.readFileSync(path.join(dir, n + ".json"), "utf8")); } catch { return { ok: false, error: "not started" }; } };
    const out = { stateDir: dir, updatedAt: new Date().toISOString(), slurm: read("slurm"), ssh: read("ssh"), netns: read("netns") };
    fs.writeFileSync(path.join(dir, "services.json.tmp"), JSON.stringify(out, null, 2) + "\n");
    fs.renameSync(path.join(dir, "services.json.tmp"), path.join(dir, "services.json"));
  '
}

start() {
  local s rc=0 t0
  t0=$(now_ms)
  # One apt-get for everything missing is quicker than three.
  local pkgs=()
  for s in "${SEL[@]}"; do
    case $s in
    slurm) pkgs+=(munge slurmctld slurmd slurm-client) ;;
    ssh) pkgs+=(openssh-server openssh-client) ;;
    netns) pkgs+=(iproute2 openssh-server openssh-client util-linux) ;;
    esac
  done
  mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
  (ensure_pkgs "${pkgs[@]}") || true # each script retries and reports its own failure
  log "packages ready after $(($(now_ms) - t0)) ms"
  for s in "${SEL[@]}"; do
    "$SERVICES_DIR/$s.sh" start || rc=1
  done
  write_json
  log "start done in $(($(now_ms) - t0)) ms (rc $rc)"

  # Fail only when nothing at all is available.
  node -e 'const j = require(process.argv[1]); process.exit(["slurm", "ssh", "netns"].some((k) => j[k].ok) ? 0 : 1)' "$STATE/services.json"
}

stop() {
  local s rc=0 i
  # netns first (its sshds), slurm last.
  for ((i = ${#SEL[@]} - 1; i >= 0; i--)); do
    s=${SEL[i]}
    "$SERVICES_DIR/$s.sh" stop || rc=1
  done
  if [ ${#SEL[@]} = ${#ALL[@]} ]; then rm -f "$STATE/services.json"; else write_json; fi
  return $rc
}

# status or check of each selected service, in order.
each() {
  local s rc=0
  for s in "${SEL[@]}"; do
    echo "== $s"
    "$SERVICES_DIR/$s.sh" "$1" || rc=1
  done
  return $rc
}
status() { each status; }
check() { each check; }

USAGE_TAIL=" [slurm ssh netns]"
run_command "$cmd"
