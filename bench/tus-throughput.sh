#!/usr/bin/env bash
# bench/tus-throughput.sh - issue 7 benchmark: one tus PATCH of a whole file on loopback against the
# plain form upload of bench/run.sh, in the same run, on the same server. In one command:
#
#     bench/tus-throughput.sh
#
# For each size (1 GiB; 4 GiB too with TUS_BENCH_4G=1), TUS_BENCH_REPS times (default 3), alternating:
#   form: curl -s -L -F csrf=... -F what=bench -F files=@FILE http://127.0.0.1:PORT/o/demo/submit
#         (exactly bench/run.sh's command: the report, its receipt and the file in one POST; the
#         time includes the report's creation, one Argon2id, ~0.3 s here);
#   files: the no-JS report page's file form after the receipt (receipt first, issue 7): a report
#         started and a session opened (not timed), then timed
#           curl -s -F csrf=... -F batch=... -F files=@FILE http://127.0.0.1:PORT/conversation/files
#         up to its 303 (the file is then committed);
#   tus:  a report started with the form and a session opened with its receipt (not timed), then
#         timed: the creation POST and one
#           curl -X PATCH -T FILE -H 'Content-Type: application/offset+octet-stream' -H 'Upload-Offset: 0'
#         up to its 204 (the server has then turned the upload into evidence).
# `sync` before each timed upload and inside the timing after it, as bench/run.sh does. Between
# uploads the stored blobs are deleted (the server never reads them again here) to bound the disk.
# Records the median and every run in MB/s (10^6 bytes), and the ratios tus / form and tus / files
# (median MB/s; target >= 0.9).
#
# Environment: BENCH_DIR (default /var/tmp/postern-bench; the 1 GiB and 4 GiB inputs of
#   bench/run.sh are reused when there), BENCH_MAX_SECONDS (default 1800), TUS_BENCH_REPS (3),
#   TUS_BENCH_4G (0), TUS_BENCH_JAVA_OPTS (default: none, a GC log is added), TUS_BENCH_SIZES
#   ("BYTES:LABEL ...", default "1073741824:1g"; the input is BENCH_DIR/input-LABEL.bin).
# Output: bench/out/<stamp>-tus-throughput/; bench/out/latest-tus-throughput points at it.
BENCH_NAME=tus-throughput
# shellcheck source=tus-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/tus-lib.sh"

REPS="${TUS_BENCH_REPS:-3}"
machine_info
snapshot_app
# shellcheck disable=SC2206  # words: "BYTES:LABEL ..."
SIZES=(${TUS_BENCH_SIZES:-$GIB:1g})
if [ "${TUS_BENCH_4G:-0}" = 1 ]; then SIZES+=("$((4 * GIB)):4g"); fi

start_server main "${TUS_BENCH_JAVA_OPTS:-} -Xlog:gc:file=$OUT/gc-main.log"

drop_blobs() {
    rm -rf "$SERVER_DATA"/blobs/*
    sync
}

form_upload() { # FILE SIZE -> sets SECONDS_TAKEN
    local file=$1 size=$2 jar="$RUN/form-jar" token t0 t1 code
    rm -f "$jar"
    token=$(curl -s -c "$jar" -b "$jar" "$(SITE)/o/demo" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
    sync
    t0=$(now)
    code=$(curl -s -L -c "$jar" -b "$jar" --max-time 1200 -F "csrf=$token" -F what=bench -F "files=@$file" \
        "$(SITE)/o/demo/submit" -o "$RUN/form.html" -w '%{http_code}' || true)
    sync
    t1=$(now)
    if [ "$code" != 200 ] || ! grep -q 'id="receipt"' "$RUN/form.html"; then
        log "form upload FAILED: HTTP $code"
        cp "$RUN/form.html" "$OUT/form-failed.html" 2>/dev/null || true
        exit 1
    fi
    SECONDS_TAKEN=$(elapsed "$t0" "$t1")
}

files_upload() { # FILE SIZE -> sets SECONDS_TAKEN
    local file=$1 size=$2 page token batch t0 t1 code
    open_report "files throughput"
    page=$(curl -s -c "$JAR" -b "$JAR" "$(SITE)/conversation")
    token=$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
    batch=$(printf '%s' "$page" | sed -n 's/.*name="batch" value="\([^"]*\)".*/\1/p' | head -n 1)
    sync
    t0=$(now)
    code=$(curl -s -c "$JAR" -b "$JAR" --max-time 1200 -F "csrf=$token" -F "batch=$batch" -F "files=@$file" \
        "$(SITE)/conversation/files" -o "$RUN/files.html" -w '%{http_code}' || true)
    sync
    t1=$(now)
    if [ "$code" != 303 ]; then
        log "file form upload FAILED: HTTP $code"
        cp "$RUN/files.html" "$OUT/files-failed.html" 2>/dev/null || true
        exit 1
    fi
    SECONDS_TAKEN=$(elapsed "$t0" "$t1")
}

tus_upload() { # FILE SIZE -> sets SECONDS_TAKEN
    local file=$1 size=$2 url t0 t1 code offset
    open_report "tus throughput"
    mapfile -t H < <(tus_headers)
    sync
    t0=$(now)
    url=$(tus_create "$(SITE)" "$size" "throughput.bin")
    code=$(curl -s -D "$RUN/patch-headers" -o "$RUN/patch-body" -w '%{http_code}' --max-time 1200 -X PATCH \
        -T "$file" "${H[@]}" -H 'Expect:' -H 'Content-Type: application/offset+octet-stream' -H 'Upload-Offset: 0' \
        "$url" || true)
    sync
    t1=$(now)
    offset=$(tr -d '\r' < "$RUN/patch-headers" | sed -n 's/^[Uu]pload-[Oo]ffset: *//p' | head -n 1)
    if [ "$code" != 204 ] || [ "$offset" != "$size" ]; then
        log "tus upload FAILED: HTTP $code, offset '$offset': $(cat "$RUN/patch-body")"
        exit 1
    fi
    SECONDS_TAKEN=$(elapsed "$t0" "$t1")
}

for entry in "${SIZES[@]}"; do
    size=${entry%%:*}
    label=${entry##*:}
    input="$BENCH_DIR/input-$label.bin"
    make_input "$input" "$size"
    cat "$input" > /dev/null
    forms=() files=() tuses=()
    for i in $(seq 1 "$REPS"); do
        drop_blobs
        form_upload "$input" "$size"
        forms+=("$SECONDS_TAKEN")
        log "$label form #$i: $SECONDS_TAKEN s = $(mbps "$size" "$SECONDS_TAKEN") MB/s"
        result "tus_throughput_${label}_form_run${i}_mbps" "$(mbps "$size" "$SECONDS_TAKEN")"
        drop_blobs
        files_upload "$input" "$size"
        files+=("$SECONDS_TAKEN")
        log "$label files #$i: $SECONDS_TAKEN s = $(mbps "$size" "$SECONDS_TAKEN") MB/s"
        result "tus_throughput_${label}_files_run${i}_mbps" "$(mbps "$size" "$SECONDS_TAKEN")"
        drop_blobs
        tus_upload "$input" "$size"
        tuses+=("$SECONDS_TAKEN")
        log "$label tus #$i: $SECONDS_TAKEN s = $(mbps "$size" "$SECONDS_TAKEN") MB/s"
        result "tus_throughput_${label}_tus_run${i}_mbps" "$(mbps "$size" "$SECONDS_TAKEN")"
    done
    drop_blobs
    fm=$(median_of "${forms[@]}")
    tm=$(median_of "${tuses[@]}")
    xm=$(median_of "${files[@]}")
    result "tus_throughput_${label}_form_median_mbps" "$(mbps "$size" "$fm")"
    result "tus_throughput_${label}_files_median_mbps" "$(mbps "$size" "$xm")"
    result "tus_throughput_${label}_tus_median_mbps" "$(mbps "$size" "$tm")"
    result "tus_throughput_${label}_ratio_tus_over_form" "$(awk -v f="$fm" -v t="$tm" 'BEGIN { printf "%.2f", f / t }')"
    result "tus_throughput_${label}_ratio_tus_over_files" "$(awk -v f="$xm" -v t="$tm" 'BEGIN { printf "%.2f", f / t }')"
done
result tus_throughput_server_peak_rss_mib "$(peak_rss_mib)"
result load_at_end "$(cut -d' ' -f1-3 /proc/loadavg)"
