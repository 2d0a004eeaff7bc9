# bench/common.sh - the harness every benchmark shares (sourced, not run): output and scratch
# directories, stopping every process started on exit, a time limit, and the log/result/timing
# helpers. Sourced by bench/run.sh and bench/tus-lib.sh, so a fix to the cleanup or the watchdog is
# made once.
#
# The caller sets ROOT (the checkout), BENCH_DIR (where the scratch dir is made) and
# BENCH_MAX_SECONDS, then calls bench_start. It may define bench_cleanup_hook, which the exit trap
# runs after the processes are stopped and before the scratch dir is deleted.

# Makes bench/out/<UTC stamp>[-NAME]/ (linked as bench/out/latest[-NAME]) with results.tsv, a
# scratch dir RUN under BENCH_DIR, copies everything printed to run.log, and sets the exit trap and
# the watchdog. Sets STAMP, OUT, RUN, RESULTS and SNAP (where snapshot_app copies the server).
bench_start() { # [NAME]
    local suffix=${1:+-$1}
    STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
    OUT="$ROOT/bench/out/$STAMP$suffix"
    mkdir -p "$OUT" "$BENCH_DIR"
    ln -sfn "$STAMP$suffix" "$ROOT/bench/out/latest$suffix"
    RUN="$(mktemp -d "$BENCH_DIR/run.XXXXXX")"
    SNAP="$RUN/app"
    RESULTS="$OUT/results.tsv"
    : > "$RESULTS"
    exec > >(tee -a "$OUT/run.log") 2>&1

    trap cleanup EXIT
    trap 'echo "interrupted"; exit 130' INT TERM
    (
        trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
        sleep "$BENCH_MAX_SECONDS" & sleeper=$!
        wait "$sleeper"
        echo "bench: time limit of $BENCH_MAX_SECONDS s reached, stopping"
        kill -TERM $$
    ) &
    WATCHDOG_PID=$!
}

SERVER_PIDS=()
BG_PIDS=()
WATCHDOG_PID=""
cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM
    for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${SERVER_PIDS[@]}"; do stop_pid "$pid"; done
    [ -n "$WATCHDOG_PID" ] && kill "$WATCHDOG_PID" 2>/dev/null || true
    if declare -F bench_cleanup_hook > /dev/null; then bench_cleanup_hook; fi
    rm -rf "$RUN"
    echo "exit status $rc; raw output in $OUT"
    exit "$rc"
}
stop_pid() { # TERM, wait up to 30 s, then KILL
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
}

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
result() { printf '%s\t%s\n' "$1" "$2" >> "$RESULTS"; log "RESULT $1 = $2"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mbps() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / 1e6 / s }'; }
median_of() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 30000))
        ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
    done
}

# A copy of the jar and its libraries: a rebuild in the checkout during the run cannot change the
# server under test. Call it after bench_start.
snapshot_app() {
    # bin/postern rebuilds when sources are newer than the jar; --help makes it do only that.
    "$ROOT/bin/postern" --help > /dev/null
    mkdir -p "$SNAP"
    cp "$ROOT/target/postern.jar" "$SNAP/"
    cp -r "$ROOT/target/lib" "$SNAP/lib"
}
