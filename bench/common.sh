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

# What the numbers ran on, printed and kept as machine.txt; extra lines (e.g. other tools'
# versions) are given as arguments. Needs JAVA_HOME (bin/find-jdk.sh).
machine_info() { # [LINE...]
    local dev
    {
        echo "date_utc: $(date -u +%FT%TZ)"
        echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (+uncommitted changes in src/pom.xml)')"
        echo "nproc: $(nproc)"
        echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
        echo "memory: $(free -h | awk '/^Mem:/ { print $2 " total, " $7 " available" }')"
        echo "load_at_start: $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "other_java_processes_at_start: $(pgrep -c java 2>/dev/null || echo 0)"
        echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1) ($JAVA_HOME)"
        echo "disk: $(df -h "$BENCH_DIR" | awk 'NR == 2 { print $1 " " $2 " size, " $4 " free, mounted on " $6 }'), fs $(findmnt -no FSTYPE -T "$BENCH_DIR" 2>/dev/null || stat -f -c %T "$BENCH_DIR")"
        dev=$(basename "$(df "$BENCH_DIR" | awk 'NR == 2 { print $1 }')")
        echo "disk_rotational: $(cat "/sys/block/$dev/queue/rotational" 2>/dev/null || echo '?')"
        echo "curl: $(curl --version | head -n 1)"
        if [ "$#" -gt 0 ]; then printf '%s\n' "$@"; fi
    } | tee "$OUT/machine.txt"
}

# Starts `postern demo` from the snapshot on free loopback ports and waits for its credentials, the
# last lines it prints at start. Sets SERVER_PID, SERVER_PORT, DESK_PORT, SERVER_DATA, SERVER_LOG.
SERVER_PID="" SERVER_PORT="" DESK_PORT="" SERVER_DATA="" SERVER_LOG=""
start_server() { # NAME JAVA_OPTS
    local name=$1 opts=$2 i
    SERVER_DATA="$RUN/data-$name"
    SERVER_PORT="$(free_port)"
    DESK_PORT="$(free_port)"
    SERVER_LOG="$OUT/server-$name.log"
    log "starting server '$name' on 127.0.0.1:$SERVER_PORT (java options '$opts')"
    # shellcheck disable=SC2086  # options are words, as in bin/postern
    "$JAVA_HOME/bin/java" $opts -cp "$SNAP/postern.jar:$SNAP/lib/*" dev.postern.Main \
        demo --port "$SERVER_PORT" --desk-port "$DESK_PORT" --data "$SERVER_DATA" > "$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    SERVER_PIDS+=("$SERVER_PID")
    for i in $(seq 1 240); do
        if grep -q '^TOTP secret:' "$SERVER_LOG" 2>/dev/null; then
            # Nothing may listen beyond loopback: the demo's "Source page:" line names its address.
            grep -q "127.0.0.1:$SERVER_PORT" "$SERVER_LOG" || { echo "server not on 127.0.0.1" >&2; exit 1; }
            log "server '$name' up (pid $SERVER_PID) after $((i / 2)) s"
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "server '$name' died at start:" >&2; cat "$SERVER_LOG" >&2; exit 1; }
        sleep 0.5
    done
    echo "server '$name' did not start within 120 s" >&2
    exit 1
}

# A random (incompressible) input file, kept in BENCH_DIR for the next run and reused when its size
# is right. A new one drops the old one's input_sha256 record, since the benchmarks share inputs.
make_input() { # PATH SIZE
    local path=$1 size=$2
    if [ -f "$path" ] && [ "$(stat -c %s "$path")" = "$size" ]; then
        log "reusing $path"
        return
    fi
    log "creating $path ($size random bytes)"
    head -c "$size" /dev/urandom > "$path.part"
    mv "$path.part" "$path"
    rm -f "$path.sha256"
}
