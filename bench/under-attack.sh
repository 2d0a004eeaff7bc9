#!/usr/bin/env bash
# bench/under-attack.sh - issue 6's "under attack" benchmark, in one command:
#
#     bench/under-attack.sh
#
# Starts a demo instance (-Xmx512m, its own ports and data directory), measures a real source
# (bench/real-source.py: submit a report with a 256 KiB file, read the receipt, come back with it)
# on the quiet server, then runs at once, from this machine:
#   - 5,000 stalled uploads (bench/attack.py stalled-uploads: valid token, ~400 bytes, a declared
#     100 MB body, then silence; reopened when the server cuts them),
#   - 300 dropped desk logins (random usernames, socket closed right after sending),
#   - 20 well-formed fake receipts per second,
# while the real source submits and returns every ~10 s. Every 2 s it samples the server's heap
# in use (jcmd GC.heap_info), open descriptors, threads and RSS. Then it stops the attack and
# measures how long until the source page answers in under a second, and a last real source.
#
# Output: bench/out/attack-<UTC stamp>/ with samples.tsv, real-source.txt, attack-*.txt,
# server.log and summary.txt. Environment: ATTACK_SECONDS (default 90), STALLED (default 5000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/find-jdk.sh"
cd "$root"
ATTACK_SECONDS=${ATTACK_SECONDS:-90}
STALLED=${STALLED:-5000}
OUT="$root/bench/out/attack-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
ln -sfn "$OUT" "$root/bench/out/latest-attack"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SRC_PORT=$(free_port); DESK_PORT=$(free_port)
SRC="http://127.0.0.1:$SRC_PORT"; DESK="http://127.0.0.1:$DESK_PORT"
DATA="$(mktemp -d /var/tmp/postern-attack.XXXXXX)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$DATA"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

bin/postern --help > /dev/null 2>&1 || true   # builds when needed, outside the measurement
POSTERN_JAVA_OPTS="-Xmx512m" bin/postern demo --port "$SRC_PORT" --desk-port "$DESK_PORT" --data "$DATA/d" \
    > "$OUT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do grep -q "TOTP secret:" "$OUT/server.log" 2>/dev/null && break; sleep 1; done
grep -q "TOTP secret:" "$OUT/server.log" || { echo "server did not start"; cat "$OUT/server.log"; exit 1; }
# bin/postern runs the JVM as its child (it removes the JVM's scratch directory on exit).
JPID=$(pgrep -P "$SERVER" java || pgrep -P "$SERVER" || true)
[ -n "$JPID" ] || JPID=$SERVER
echo "server pid $JPID on $SRC (desk $DESK); output in $OUT"

sample() { # t heap_used_kib fds threads rss_kib
    local heap
    heap=$("$JAVA_HOME/bin/jcmd" "$JPID" GC.heap_info 2>/dev/null | sed -n 's/.*[ ,]used \([0-9]*\)K.*/\1/p' | head -n 1)
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "${heap:-?}" "$(ls /proc/$JPID/fd 2>/dev/null | wc -l)" \
        "$(ls /proc/$JPID/task 2>/dev/null | wc -l)" "$(ps -o rss= -p "$JPID" | tr -d ' ')"
}
T0=$(date +%s.%N)
t() { awk -v a="$(date +%s.%N)" -v b="$T0" "BEGIN {printf \"%.1f\", a - b}"; }
printf 't_s\theap_used_kib\tfds\tthreads\trss_kib\n' > "$OUT/samples.tsv"
( while :; do sample "$(t)" >> "$OUT/samples.tsv"; sleep 2; done ) &
PIDS+=($!)

real_source() { # label
    printf '%s\t%s\t%s\n' "$1" "$(t)" "$(python3 bench/real-source.py --source "$SRC" --timeout 120 || true)" \
        | tee -a "$OUT/real-source.txt"
}
echo "== quiet"
for i in 1 2 3; do real_source quiet; done

echo "== attack: $STALLED stalled uploads, 300 dropped logins, 20 fake receipts/s for ${ATTACK_SECONDS}s"
python3 bench/attack.py --source "$SRC" --desk "$DESK" --duration "$((ATTACK_SECONDS + 30))" stalled-uploads "$STALLED" \
    > "$OUT/attack-stalled.txt" 2>&1 &
PIDS+=($!); STALL_PID=$!
sleep 20
python3 bench/attack.py --source "$SRC" --desk "$DESK" --duration 10 dropped-logins 300 > "$OUT/attack-logins.txt" 2>&1 &
PIDS+=($!); LOGIN_PID=$!
python3 bench/attack.py --source "$SRC" --desk "$DESK" --duration "$ATTACK_SECONDS" fake-receipts 20 \
    > "$OUT/attack-receipts.txt" 2>&1 &
PIDS+=($!); RECEIPT_PID=$!
sleep 2
end=$(( $(date +%s) + ATTACK_SECONDS - 5 ))
while [ "$(date +%s)" -lt "$end" ]; do real_source attack; sleep 5; done
echo "== attack stops"
kill "$STALL_PID" "$LOGIN_PID" "$RECEIPT_PID" 2>/dev/null || true
wait "$STALL_PID" "$LOGIN_PID" "$RECEIPT_PID" 2>/dev/null || true
STOP=$(date +%s.%N)
while :; do
    r=$(curl -s -o /dev/null --max-time 2 -w '%{http_code} %{time_total}' "$SRC/" || true)
    code=${r%% *}; secs=${r##* }
    if [ "$code" = 200 ] && python3 -c "import sys; sys.exit(0 if float('$secs') < 1 else 1)"; then break; fi
    sleep 0.2
done
RECOVER=$(python3 -c "print(f'{$(date +%s.%N) - $STOP:.1f}')")
echo "source page answered in under 1 s ${RECOVER} s after the attack stopped" | tee "$OUT/recovery.txt"
real_source after
sleep 4
{
    echo "Under attack: $STALLED stalled uploads, 300 dropped logins, 20 fake receipts/s, ${ATTACK_SECONDS}s; server -Xmx512m"
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "Real source (label, t, result):"
    cat "$OUT/real-source.txt"
    echo
    echo "Server samples: max heap used $(awk -F'\t' 'NR>1 && $2!="?" {if ($2>m) m=$2} END {print m/1024}' "$OUT/samples.tsv") MiB," \
        "max fds $(awk -F'\t' 'NR>1 {if ($3>m) m=$3} END {print m}' "$OUT/samples.tsv")," \
        "max threads $(awk -F'\t' 'NR>1 {if ($4>m) m=$4} END {print m}' "$OUT/samples.tsv")," \
        "max RSS $(awk -F'\t' 'NR>1 {if ($5>m) m=$5} END {print m/1024}' "$OUT/samples.tsv") MiB"
    echo "Recovery: $RECOVER s until the source page answered in under a second"
    echo
    echo "Attack tools' last lines:"
    for f in stalled logins receipts; do echo "-- $f"; tail -n 3 "$OUT/attack-$f.txt"; done
} > "$OUT/summary.txt"
cat "$OUT/summary.txt"
