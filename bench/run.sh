#!/usr/bin/env bash
# bench/run.sh - Postern's benchmarks (issue #2, "Benchmarks"), in one command:
#
#     bench/run.sh
#
# What it measures, all against 127.0.0.1 only:
#   1. Ingest: a 1 GiB and a 4 GiB random file, each posted with
#        curl -s -F csrf=... -F what=bench -F files=@FILE http://127.0.0.1:PORT/o/demo/submit
#      (then `sync`), alternating with `cp FILE dest && sync` on the same disk, BENCH_REPS times each;
#      best and median MB/s (MB = 10^6 bytes) and the ratio Postern/cp. Then, as reference,
#      `gpg --encrypt` (default compression and --compress-algo none) and `gzip -c | gpg --encrypt`
#      (SecureDrop's path) to a throwaway key; on the 4 GiB file each gpg variant runs only when the
#      1 GiB time x4 stays within BENCH_GPG_4G_MAX seconds (default 180).
#   2. Memory: one 4 GiB upload to a fresh server started with
#        POSTERN_JAVA_OPTS="-Xmx256m -Xlog:gc:file=..."
#      It must succeed; the peak heap used comes from the GC log (heap before each collection) and
#      from `jcmd PID GC.heap_info` polled every second.
#   3. Slow clients: 200 concurrent uploads of a 2 MiB file, each `curl --limit-rate 64K`, all with
#      each with its own form token (tokens are single use); meanwhile
#        wrk -t2 -c20 -d30s --latency http://127.0.0.1:PORT/o/demo
#      Counts uploads that returned 200 with id="receipt"; reports wrk's p99 (target < 200 ms).
#      Also: a 10 s wrk baseline on the warmed server before the uploads, a second 30 s wrk window
#      while the uploads wait for their receipts, and a probe (one GET of the page about once a
#      second, probe-timeline.txt) for the whole test.
#
# Takes about 8 minutes on a 2-core machine (30 at most, see BENCH_MAX_SECONDS).
#
# Output: raw logs and results in bench/out/<UTC stamp>/ (bench/out/latest points at the last run;
# bench/out/ is gitignored): run.log (everything printed), results.tsv (key<TAB>value),
# summary.txt (the table), server-*.log, gc-xmx256m.log, heap-poll.txt, wrk-*.txt.
#
# Environment (all optional):
#   BENCH_DIR          where the input files are kept for reuse and the per-run scratch dir
#                      (server data dirs, cp destination, gpg output) is made; it must be on the
#                      disk being measured. Default /var/tmp/postern-bench.
#   BENCH_KEEP_INPUTS  1 (default) keeps the 1 GiB / 4 GiB random inputs in BENCH_DIR for the next
#                      run; 0 deletes them at exit too. The scratch dir is always deleted.
#   BENCH_REPS         cp/curl repetitions per file size (default 3, minimum 2).
#   BENCH_MAX_SECONDS  hard limit for the whole run (default 1800); past it the run is stopped
#                      and cleaned up.
#   BENCH_SKIP         space-separated parts to skip: ingest gpg memory slow.
#   BENCH_PROFILE      1: record the ingest/slow-client server with JFR (settings=profile) and
#                      write hot-methods.txt; a diagnostic, it slows the server a little.
#   BENCH_MAIN_JAVA_OPTS  extra JVM options for the ingest / slow-client server (default none;
#                      a GC log is always added), e.g. to try a scheduler setting.
#
# Needs: a JDK >= 21 (found by bin/find-jdk.sh), curl, gnupg, gzip, wrk (installed with apt-get
# when missing, as root: one apt-get update first), about 15 GiB free in BENCH_DIR (inputs 5 GiB,
# plus at most one 4 GiB cp copy, blob or gpg output at a time and the slow clients' blobs).
#
# The server runs from a copy of target/postern.jar and target/lib/ taken at start (after
# bin/postern has rebuilt it when sources changed), with the same java command line as
# bin/postern: a rebuild in the checkout during the run cannot change or break the server under
# test. Every process the script starts is stopped on exit (trap EXIT); nothing listens on
# anything but 127.0.0.1. The machine may be shared: the load average is recorded at the start.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/var/tmp/postern-bench}"
BENCH_KEEP_INPUTS="${BENCH_KEEP_INPUTS:-1}"
BENCH_REPS="${BENCH_REPS:-3}"
BENCH_MAX_SECONDS="${BENCH_MAX_SECONDS:-1800}"
BENCH_GPG_4G_MAX="${BENCH_GPG_4G_MAX:-180}"
BENCH_SKIP="${BENCH_SKIP:-}"
[ "$BENCH_REPS" -ge 2 ] || BENCH_REPS=2

GIB=1073741824
SIZE_1G=$GIB
SIZE_4G=$((4 * GIB))            # exactly the default per-file limit (inclusive)
SLOW_CLIENTS=200
SLOW_FILE_BYTES=$((2 * 1024 * 1024))

# shellcheck source=common.sh
. "$ROOT/bench/common.sh"
# The run's own leftovers: gpg's agent (its home is in the scratch dir) and, when asked, the inputs.
bench_cleanup_hook() {
    if [ -d "$RUN/gnupg" ]; then GNUPGHOME="$RUN/gnupg" gpgconf --kill all 2>/dev/null || true; fi
    if [ "$BENCH_KEEP_INPUTS" = 0 ]; then
        rm -f "$BENCH_DIR/input-1g.bin" "$BENCH_DIR/input-4g.bin"
    fi
}
bench_start

# ---------------------------------------------------------------- helpers
skipped() { case " $BENCH_SKIP " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# best (smallest) of seconds given as arguments (median_of is in common.sh)
best_of() { printf '%s\n' "$@" | sort -g | head -n 1; }

need_tools() {
    local missing=() pkg
    command -v curl >/dev/null || missing+=(curl)
    command -v gpg >/dev/null || missing+=(gnupg)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v gzip >/dev/null || missing+=(gzip)
    command -v ss >/dev/null || missing+=(iproute2)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]} with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
    for pkg in curl gpg wrk gzip ss; do command -v "$pkg" >/dev/null || { echo "missing $pkg" >&2; exit 1; }; done
}

# ---------------------------------------------------------------- the server
stop_server() {
    log "stopping server pid $SERVER_PID"
    stop_pid "$SERVER_PID"
    SERVER_PIDS=()   # one server at a time; a dead pid is never signalled again
}
csrf_token() {
    curl -s --max-time 30 "http://127.0.0.1:$SERVER_PORT/o/demo" \
        | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1
}

# One upload with the exact curl command of the brief; prints "SECONDS" on success.
# Sets UPLOAD_STATUS, and checks the receipt and the encrypted blob's size.
upload() { # FILE SIZE LABEL
    local file=$1 size=$2 label=$3 token t0 t1 code blob blob_bytes
    token="$(csrf_token)"
    [ -n "$token" ] || { log "no csrf token from /o/demo"; UPLOAD_STATUS="no-token"; return 1; }
    sync
    t0=$(now)
    # -L with a cookie jar: the receipt comes by POST-redirect-GET (303, then the receipt page).
    code=$(curl -s -L -c "$RUN/cookies" -b "$RUN/cookies" --max-time 1200 -F "csrf=$token" -F what=bench -F "files=@$file" \
        "http://127.0.0.1:$SERVER_PORT/o/demo/submit" -o "$RUN/out.html" -w '%{http_code}' || true)
    sync
    t1=$(now)
    UPLOAD_STATUS="$code"
    cp "$RUN/out.html" "$OUT/response-$label.html" 2>/dev/null || true
    if [ "$code" != 200 ] || ! grep -q 'id="receipt"' "$RUN/out.html"; then
        log "upload $label FAILED: HTTP $code after $(elapsed "$t0" "$t1") s"
        return 1
    fi
    # Earlier uploads' blobs are deleted below, so the new one is the only file under blobs/.
    blob=$(find "$SERVER_DATA/blobs" -mindepth 2 -type f | head -n 1)
    [ -n "$blob" ] || { log "upload $label: no blob under $SERVER_DATA/blobs"; return 1; }
    blob_bytes=$(stat -c %s "$blob")
    log "upload $label: HTTP 200, receipt, blob $blob_bytes bytes (+$((blob_bytes - size)) over plaintext)"
    [ "$blob_bytes" -gt "$size" ] || { log "blob smaller than the file"; return 1; }
    # Keep the disk bounded: drop the stored blob (the server never reads it again here).
    rm -rf "$(dirname "$blob")"
    sync
    UPLOAD_SECONDS=$(elapsed "$t0" "$t1")
}

# ---------------------------------------------------------------- start
need_tools
# shellcheck source=../bin/find-jdk.sh
. "$ROOT/bin/find-jdk.sh"

log "Postern benchmarks, output in $OUT, scratch in $RUN"
machine_info "gpg: $(gpg --version | head -n 1)" "wrk: $(wrk -v 2>&1 | head -n 1)"

snapshot_app

# Inputs: random (incompressible) files, kept for the next run.
IN_1G="$BENCH_DIR/input-1g.bin"
IN_4G="$BENCH_DIR/input-4g.bin"
make_input "$IN_1G" "$SIZE_1G"
make_input "$IN_4G" "$SIZE_4G"
sync
# Both cp and curl then read the input from the page cache (23 GiB machine): what differs is
# the write side, which is what the comparison is about.
cat "$IN_1G" "$IN_4G" > /dev/null

# ---------------------------------------------------------------- 1. ingest: cp vs Postern
time_cp() { # FILE -> seconds
    local t0 t1
    rm -f "$RUN/cp-dest"; sync
    t0=$(now)
    cp "$1" "$RUN/cp-dest" && sync
    t1=$(now)
    rm -f "$RUN/cp-dest"; sync
    elapsed "$t0" "$t1"
}

ingest_size() { # FILE SIZE LABEL
    local file=$1 size=$2 label=$3 i s cps=() posts=() b m
    for i in $(seq 1 "$BENCH_REPS"); do
        s=$(time_cp "$file")
        cps+=("$s")
        log "$label cp #$i: $s s = $(mbps "$size" "$s") MB/s"
        if upload "$file" "$size" "$label-$i"; then
            posts+=("$UPLOAD_SECONDS")
            log "$label postern #$i: $UPLOAD_SECONDS s = $(mbps "$size" "$UPLOAD_SECONDS") MB/s"
            result "ingest_${label}_postern_run${i}_mbps" "$(mbps "$size" "$UPLOAD_SECONDS")"
        else
            result "ingest_${label}_postern_run${i}" "FAILED HTTP $UPLOAD_STATUS"
        fi
        result "ingest_${label}_cp_run${i}_mbps" "$(mbps "$size" "$s")"
    done
    b=$(best_of "${cps[@]}"); m=$(median_of "${cps[@]}")
    result "ingest_${label}_cp_best_mbps" "$(mbps "$size" "$b")"
    result "ingest_${label}_cp_median_mbps" "$(mbps "$size" "$m")"
    if [ "${#posts[@]}" -gt 0 ]; then
        local pb pm
        pb=$(best_of "${posts[@]}"); pm=$(median_of "${posts[@]}")
        result "ingest_${label}_postern_best_mbps" "$(mbps "$size" "$pb")"
        result "ingest_${label}_postern_median_mbps" "$(mbps "$size" "$pm")"
        result "ingest_${label}_ratio_best" "$(ratio "$b" "$pb")"
        result "ingest_${label}_ratio_median" "$(ratio "$m" "$pm")"
        result "ingest_${label}_postern_ok" "${#posts[@]}/$BENCH_REPS"
    fi
}

server_main_started=0
# Default heap and collector; only a GC log is added (cheap) to explain pauses afterwards.
MAIN_OPTS="${BENCH_MAIN_JAVA_OPTS:-} -Xlog:gc:file=$OUT/gc-main.log"
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
    MAIN_OPTS="$MAIN_OPTS -XX:StartFlightRecording=filename=$OUT/main.jfr,settings=profile,dumponexit=true"
fi
if ! skipped ingest; then
    start_server main "$MAIN_OPTS"
    server_main_started=1
    log "== ingest 1 GiB (first upload hits a cold JVM)"
    ingest_size "$IN_1G" "$SIZE_1G" 1g
    log "== ingest 4 GiB"
    ingest_size "$IN_4G" "$SIZE_4G" 4g
fi

# ---------------------------------------------------------------- 3. slow clients (warm server)
if ! skipped slow; then
    [ "$server_main_started" = 1 ] || { start_server main "$MAIN_OPTS"; server_main_started=1; }
    log "== slow clients: $SLOW_CLIENTS uploads of 2 MiB at 64 KiB/s + wrk on /o/demo"
    head -c "$SLOW_FILE_BYTES" /dev/urandom > "$RUN/slow.bin"
    mkdir -p "$RUN/slow"
    # Baseline on the same server, without uploads: 5 s to warm the page's code, then 10 s measured.
    wrk -t2 -c20 -d5s --timeout 10s "http://127.0.0.1:$SERVER_PORT/o/demo" > /dev/null 2>&1 || true
    wrk -t2 -c20 -d10s --latency --timeout 10s "http://127.0.0.1:$SERVER_PORT/o/demo" > "$OUT/wrk-idle.txt" 2>&1 || true
    result slow_load_before "$(cut -d' ' -f1-3 /proc/loadavg)"
    # Probe: one GET /o/demo at a time, about once a second, for the whole test: a timeline of
    # what a source opening the page would wait (seconds since the uploads started).
    (
        start=$(date +%s.%N)
        while :; do
            printf '%s %s\n' "$(elapsed "$start" "$(date +%s.%N)")" \
                "$(curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}' "http://127.0.0.1:$SERVER_PORT/o/demo" || true)"
            sleep 1
        done
    ) > "$OUT/probe-timeline.txt" 2>&1 &
    probe_pid=$!
    slow_pids=()
    t0=$(now)
    for i in $(seq 1 "$SLOW_CLIENTS"); do
        # Form tokens are single use: one per upload, as every browser fetches its own form.
        token="$(csrf_token)"
        curl -s -L -c "$RUN/slow/$i.jar" -b "$RUN/slow/$i.jar" --limit-rate 64K --max-time 600 \
            -F "csrf=$token" -F what=bench-slow -F "files=@$RUN/slow.bin" \
            "http://127.0.0.1:$SERVER_PORT/o/demo/submit" -o "$RUN/slow/$i.html" \
            -w '%{http_code} %{time_total}\n' > "$RUN/slow/$i.code" 2> "$RUN/slow/$i.err" &
        slow_pids+=($!)
        BG_PIDS+=($!)
    done
    BG_PIDS+=("$probe_pid")
    log "launched $SLOW_CLIENTS uploads in $(elapsed "$t0" "$(now)") s; wrk for 30 s"
    sleep 2
    wrk -t2 -c20 -d30s --latency --timeout 10s "http://127.0.0.1:$SERVER_PORT/o/demo" > "$OUT/wrk-under-load.txt" 2>&1 || true
    # Diagnostic: the transfers (32 s at 64 KiB/s) end near the end of that window; the receipts
    # (one Argon2id each) follow. A second window shows the page's latency during that phase.
    still=0
    for pid in "${slow_pids[@]}"; do kill -0 "$pid" 2>/dev/null && still=$((still + 1)); done
    if [ "$still" -gt 0 ]; then
        log "$still uploads still open after the wrk window; second wrk window (receipt phase)"
        wrk -t2 -c20 -d30s --latency --timeout 10s "http://127.0.0.1:$SERVER_PORT/o/demo" > "$OUT/wrk-receipt-phase.txt" 2>&1 || true
    fi
    result slow_load_during "$(cut -d' ' -f1-3 /proc/loadavg)"
    for pid in "${slow_pids[@]}"; do wait "$pid" || true; done
    kill "$probe_pid" 2>/dev/null || true
    wait "$probe_pid" 2>/dev/null || true
    BG_PIDS=()
    t1=$(now)
    ok=0
    for i in $(seq 1 "$SLOW_CLIENTS"); do
        if [ "$(cut -d' ' -f1 "$RUN/slow/$i.code" 2>/dev/null)" = 200 ] && grep -q 'id="receipt"' "$RUN/slow/$i.html" 2>/dev/null; then
            ok=$((ok + 1))
        fi
    done
    cat "$RUN"/slow/*.code | sort | uniq -c | sort -rn | head -n 5 > "$OUT/slow-status.txt" || true
    cat "$RUN"/slow/*.code | awk '{ print $2 }' | sort -g > "$OUT/slow-times.txt" || true
    cat "$RUN"/slow/*.code | awk '{ print $1 }' | sort | uniq -c > "$OUT/slow-codes.txt" || true
    p99() { awk '$1 == "99%" { print $2 }' "$1"; }
    result slow_completed_with_receipt "$ok/$SLOW_CLIENTS"
    result slow_codes "$(awk '{ printf "%s%s x HTTP %s", (NR > 1 ? ", " : ""), $1, $2 }' "$OUT/slow-codes.txt")"
    result slow_upload_seconds_min_max "$(head -n 1 "$OUT/slow-times.txt") / $(tail -n 1 "$OUT/slow-times.txt")"
    result slow_wall_seconds "$(elapsed "$t0" "$t1")"
    result slow_probe_max_seconds "$(awk '{ print $3 }' "$OUT/probe-timeline.txt" | sort -g | tail -n 1) (of $(wc -l < "$OUT/probe-timeline.txt") probes; $(awk '$3 > 0.2' "$OUT/probe-timeline.txt" | wc -l) over 0.2 s; $(awk '$2 != 200' "$OUT/probe-timeline.txt" | wc -l) not 200, 000 = timed out at 60 s)"
    result slow_wrk_idle_p99 "$(p99 "$OUT/wrk-idle.txt")"
    result slow_wrk_load_p50 "$(awk '$1 == "50%" { print $2 }' "$OUT/wrk-under-load.txt")"
    result slow_wrk_load_p99 "$(p99 "$OUT/wrk-under-load.txt")"
    result slow_wrk_load_requests "$(awk '/requests in/ { print $1 }' "$OUT/wrk-under-load.txt")"
    result slow_wrk_load_errors "$(grep -E 'Socket errors|Non-2xx' "$OUT/wrk-under-load.txt" | tr '\n' ';' || true)"
    if [ -f "$OUT/wrk-receipt-phase.txt" ]; then
        result slow_wrk_receipt_phase_requests "$(awk '/requests in/ { print $1 " in " $4 }' "$OUT/wrk-receipt-phase.txt")"
        result slow_wrk_receipt_phase_p50 "$(awk '$1 == "50%" { print $2 }' "$OUT/wrk-receipt-phase.txt")"
        result slow_wrk_receipt_phase_p99 "$(p99 "$OUT/wrk-receipt-phase.txt")"
    fi
    grep -q -E 'OutOfMemoryError|request failed' "$OUT/server-main.log" && log "server log has errors, see server-main.log" || true
fi
if [ "$server_main_started" = 1 ]; then
    result main_gc_pauses_max_ms "$(grep 'Pause' "$OUT/gc-main.log" | grep -o '[0-9.]*ms$' | tr -d 'ms' | sort -g | tail -n 1) (of $(grep -c Pause "$OUT/gc-main.log" || true) pauses)"
    stop_server
    if [ -f "$OUT/main.jfr" ]; then
        "$JAVA_HOME/bin/jfr" view --width 200 hot-methods "$OUT/main.jfr" > "$OUT/hot-methods.txt" 2>&1 || true
        "$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 12 "$OUT/main.jfr" > "$OUT/execution-samples.txt" 2>&1 || true
        log "profile: $OUT/hot-methods.txt"
    fi
fi

# ---------------------------------------------------------------- 2. memory: 4 GiB with -Xmx256m
if ! skipped memory; then
    log "== memory: 4 GiB upload, -Xmx256m, fresh (cold) server"
    start_server xmx256m "-Xmx256m -Xlog:gc:file=$OUT/gc-xmx256m.log"
    mem_pid=$SERVER_PID
    (
        while kill -0 "$mem_pid" 2>/dev/null; do
            "$JAVA_HOME/bin/jcmd" "$mem_pid" GC.heap_info 2>/dev/null \
                | sed -n 's/.* \([0-9]*\)K, used \([0-9]*\)K.*/\2 \1/p' | head -n 1 \
                | while read -r used total; do echo "$(date +%s) used_kib=$used total_kib=$total"; done
            sleep 1
        done
    ) > "$OUT/heap-poll.txt" 2>&1 &
    poll_pid=$!
    BG_PIDS+=("$poll_pid")
    # The demo's start-up (recipient password and key, Argon2id 64 MiB) is in the GC log too:
    # note where the upload begins, to tell the two apart.
    gc_lines_before=$(wc -l < "$OUT/gc-xmx256m.log")
    if upload "$IN_4G" "$SIZE_4G" 4g-xmx256m; then
        result memory_4g_xmx256m_upload "OK (HTTP 200 + receipt)"
        result memory_4g_xmx256m_cold_mbps "$(mbps "$SIZE_4G" "$UPLOAD_SECONDS")"
    else
        result memory_4g_xmx256m_upload "FAILED HTTP $UPLOAD_STATUS"
    fi
    sleep 2
    kill "$poll_pid" 2>/dev/null || true
    wait "$poll_pid" 2>/dev/null || true
    BG_PIDS=()
    # GC lines: "... Pause Young (Normal) (G1 Evacuation Pause) 140M->12M(256M) 3.2ms"
    gc_peak=$(grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$OUT/gc-xmx256m.log" | sed 's/M->.*//' | sort -n | tail -n 1)
    gc_upload=$(tail -n +"$((gc_lines_before + 1))" "$OUT/gc-xmx256m.log" | grep -o '[0-9]*M->[0-9]*M([0-9]*M)' || true)
    if [ -n "$gc_upload" ]; then
        result memory_upload_heap_before_gc_max_mib "$(echo "$gc_upload" | sed 's/M->.*//' | sort -n | tail -n 1)"
        result memory_upload_heap_after_gc_max_mib "$(echo "$gc_upload" | sed 's/.*M->\([0-9]*\)M.*/\1/' | sort -n | tail -n 1)"
        result memory_upload_heap_committed_max_mib "$(echo "$gc_upload" | sed 's/.*(\([0-9]*\)M)/\1/' | sort -n | tail -n 1)"
    fi
    gc_count=$(grep -c 'Pause' "$OUT/gc-xmx256m.log" || true)
    full_count=$(grep -c 'Pause Full' "$OUT/gc-xmx256m.log" || true)
    poll_peak=$(sed -n 's/.*used_kib=\([0-9]*\).*/\1/p' "$OUT/heap-poll.txt" | sort -n | tail -n 1)
    result memory_peak_heap_gc_log_mib "${gc_peak:-?} (whole run, start-up included)"
    result memory_peak_heap_jcmd_mib "$(awk -v k="${poll_peak:-0}" 'BEGIN { printf "%.0f", k / 1024 }')"
    result memory_gc_pauses "$gc_count (full: $full_count)"
    grep -q 'OutOfMemoryError' "$OUT/server-xmx256m.log" && result memory_oom "YES, see server-xmx256m.log" || result memory_oom no
    rss=$(ps -o rss= -p "$mem_pid" 2>/dev/null | tr -d ' ' || true)
    [ -n "$rss" ] && result memory_process_rss_after_mib "$((rss / 1024))"
    stop_server
fi

# ---------------------------------------------------------------- 1b. gpg and gzip|gpg reference
if ! skipped gpg; then
    log "== gpg reference (throwaway key)"
    export GNUPGHOME="$RUN/gnupg"
    mkdir -m 700 "$GNUPGHOME"
    gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
        --quick-gen-key 'Postern bench <bench@postern.invalid>' default default never
    GPG=(gpg --batch --yes --quiet --trust-model always -r bench@postern.invalid)
    gpg_run() { # VARIANT FILE -> seconds
        local variant=$1 file=$2 t0 t1 rc=0
        rm -f "$RUN/gpg.out"; sync
        t0=$(now)
        case "$variant" in
            gpg) timeout 900 "${GPG[@]}" -o "$RUN/gpg.out" --encrypt "$file" || rc=$? ;;
            gpg_nocompress) timeout 900 "${GPG[@]}" --compress-algo none -o "$RUN/gpg.out" --encrypt "$file" || rc=$? ;;
            gzip_gpg) timeout 900 bash -o pipefail -c 'gzip -c "$1" | "${@:2}" -o "$0" --encrypt' \
                "$RUN/gpg.out" "$file" "${GPG[@]}" || rc=$? ;;
        esac
        sync
        t1=$(now)
        log "gpg $variant $(basename "$file"): exit $rc, output $(stat -c %s "$RUN/gpg.out" 2>/dev/null || echo 0) bytes" >&2
        rm -f "$RUN/gpg.out"; sync
        if [ "$rc" != 0 ]; then echo FAILED; else elapsed "$t0" "$t1"; fi
    }
    declare -A gpg_1g_seconds
    for v in gpg_nocompress gpg gzip_gpg; do
        s=$(gpg_run "$v" "$IN_1G")
        gpg_1g_seconds[$v]=$s
        if [ "$s" = FAILED ]; then result "gpg_1g_${v}_mbps" FAILED; continue; fi
        result "gpg_1g_${v}_mbps" "$(mbps "$SIZE_1G" "$s") ($s s)"
        cp_mbps=$(awk -F'\t' '$1 == "ingest_1g_cp_best_mbps" { print $2 }' "$RESULTS")
        [ -n "$cp_mbps" ] && result "gpg_1g_${v}_ratio_vs_cp_best" "$(ratio "$(mbps "$SIZE_1G" "$s")" "$cp_mbps")"
    done
    for v in gpg_nocompress gpg gzip_gpg; do
        [ "${gpg_1g_seconds[$v]}" = FAILED ] && continue
        projected=$(awk -v s="${gpg_1g_seconds[$v]}" 'BEGIN { printf "%.0f", s * 4 }')
        if [ "$projected" -le "$BENCH_GPG_4G_MAX" ]; then
            s=$(gpg_run "$v" "$IN_4G")
            if [ "$s" = FAILED ]; then result "gpg_4g_${v}_mbps" FAILED; continue; fi
            result "gpg_4g_${v}_mbps" "$(mbps "$SIZE_4G" "$s") ($s s)"
        else
            result "gpg_4g_${v}_mbps" "skipped (projected ${projected} s > ${BENCH_GPG_4G_MAX} s)"
        fi
    done
fi

# ---------------------------------------------------------------- summary
result load_at_end "$(cut -d' ' -f1-3 /proc/loadavg)"
{
    echo "Postern benchmarks $STAMP"
    cat "$OUT/machine.txt"
    echo
    column -t -s $'\t' "$RESULTS" 2>/dev/null || cat "$RESULTS"
} > "$OUT/summary.txt"
log "== summary"
cat "$OUT/summary.txt"
