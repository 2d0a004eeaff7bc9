#!/usr/bin/env bash
# bench/nojs-cut.sh - issue 7 benchmark: a no-JS upload cut mid-file keeps every file completed
# before the cut. In one command:
#
#     bench/nojs-cut.sh
#
# On 127.0.0.1: `postern demo`; a report started with the form and a session opened with its
# receipt; the report page's file form (csrf and batch read from /conversation) posted by curl with
# three random files (NOJS_SIZES, default 50, 50 and 100 MB) through bench/cutting-relay.py, which
# cuts once, when the upstream bytes pass the first two files plus half of the third (reset both
# ways); then /conversation is read (directly) for the files listed; then the same form (same
# batch) is sent again, as a browser's "retry" does, directly, and the page read again: the first
# two must be there once each, the third once; the desk's SHA-256 of the third equals its file's.
# Records: listed after the cut, listed after the resend, bytes through the relay, seconds of both
# posts.
#
# Environment: BENCH_DIR (default /var/tmp/postern-bench), BENCH_MAX_SECONDS (default 1800),
#   NOJS_SIZES (three byte counts, default "50000000 50000000 100000000").
# Output: bench/out/<stamp>-nojs-cut/; bench/out/latest-nojs-cut points at it.
BENCH_NAME=nojs-cut
# shellcheck source=tus-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/tus-lib.sh"

read -r -a SIZES <<< "${NOJS_SIZES:-50000000 50000000 100000000}"
[ "${#SIZES[@]}" = 3 ] || { echo "NOJS_SIZES needs three sizes" >&2; exit 1; }
machine_info
snapshot_app
NAMES=(nojs-first.bin nojs-second.bin nojs-third.bin)
for i in 0 1 2; do
    head -c "${SIZES[$i]}" /dev/urandom > "$RUN/${NAMES[$i]}"
done
THIRD_SHA=$(sha256sum "$RUN/${NAMES[2]}" | cut -d' ' -f1)

start_server nojs "-Xlog:gc:file=$OUT/gc-nojs.log"
open_report "no-JS cut benchmark"
PAGE=$(curl -s -c "$JAR" -b "$JAR" "$(SITE)/conversation")
TOKEN=$(printf '%s' "$PAGE" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
BATCH=$(printf '%s' "$PAGE" | sed -n 's/.*name="batch" value="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$BATCH" ] || { log "no batch field on the report page"; exit 1; }

CUT_AT=$((SIZES[0] + SIZES[1] + SIZES[2] / 2))
python3 "$ROOT/bench/cutting-relay.py" --target "127.0.0.1:$SERVER_PORT" --cut-every "$CUT_AT" \
    --port-file "$RUN/relay-port" --stats "$OUT/relay-stats.json" > "$OUT/relay.log" 2>&1 &
RELAY_PID=$!
BG_PIDS+=("$RELAY_PID")
for _ in $(seq 1 50); do [ -s "$RUN/relay-port" ] && break; sleep 0.1; done
RELAY="http://127.0.0.1:$(cat "$RUN/relay-port")"
log "relay $RELAY -> $(SITE), cuts once after $CUT_AT bytes"

post_files() { # BASE -> prints "curl_exit http_code seconds"
    local t0 t1 code rc
    t0=$(now)
    set +e
    code=$(curl -s -o "$RUN/post.html" -w '%{http_code}' --max-time 1200 -b "$JAR" -F "csrf=$TOKEN" -F "batch=$BATCH" \
        -F "files=@$RUN/${NAMES[0]}" -F "files=@$RUN/${NAMES[1]}" -F "files=@$RUN/${NAMES[2]}" "$1/conversation/files")
    rc=$?
    set -e
    t1=$(now)
    echo "$rc $code $(elapsed "$t0" "$t1")"
}
listed() { # the report page's file names, one per line
    curl -s -b "$JAR" "$(SITE)/conversation" | sed -n '/id="files"/,/id="upload"/p' | grep -o 'nojs-[a-z]*\.bin' || true
}

read -r rc code secs < <(post_files "$RELAY")
log "post through the relay: curl exit $rc, HTTP $code, $secs s"
result nojs_cut_first_post "curl exit $rc, HTTP $code, $secs s"
kill -TERM "$RELAY_PID"; wait "$RELAY_PID" 2>/dev/null || true
result nojs_cut_relay_upstream_bytes "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["upstream"])' "$OUT/relay-stats.json")"
AFTER_CUT=$(listed | tr '\n' ' ')
result nojs_cut_listed_after_cut "$AFTER_CUT"

read -r rc code secs < <(post_files "$(SITE)")
log "resend of the same form: curl exit $rc, HTTP $code, $secs s"
result nojs_cut_resend "curl exit $rc, HTTP $code, $secs s"
AFTER_RESEND=$(listed | tr '\n' ' ')
result nojs_cut_listed_after_resend "$AFTER_RESEND"
result nojs_cut_blobs_after_resend "$(find "$SERVER_DATA/blobs" -type f | wc -l)"
GOT=$(desk_sha256 "${NAMES[2]}")
result nojs_cut_third_sha256_equal "$([ "$GOT" = "$THIRD_SHA" ] && echo yes || echo "NO ($GOT)")"

ok=yes
[ "$AFTER_CUT" = "nojs-first.bin nojs-second.bin " ] || ok=no
[ "$AFTER_RESEND" = "nojs-first.bin nojs-second.bin nojs-third.bin " ] || ok=no
[ "$GOT" = "$THIRD_SHA" ] || ok=no
result nojs_cut_as_expected "$ok"
[ "$ok" = yes ]
