#!/usr/bin/env bash
# bench/tus-cut.sh - issue 7 benchmark: a 2 GiB tus upload through a relay that cuts the connection
# every 200,000,000 bytes, against a server with -Xmx256m. In one command:
#
#     bench/tus-cut.sh
#
# What it does, all on 127.0.0.1:
#   1. a 2 GiB random file in BENCH_DIR (kept for the next run, with its SHA-256);
#   2. `postern demo` with "-Xmx256m -Xlog:gc:file=..." from a snapshot of target/;
#   3. bench/cutting-relay.py in front of the source listener, --cut-every 200000000, the server's
#      side of a cut reset too (TUS_CUT_SERVER_CLOSE=rst, the default: what was in the server's
#      socket buffer is lost, the worst case) or ended in order after what was forwarded
#      (TUS_CUT_SERVER_CLOSE=fin: what a service-side tor daemon does when a circuit dies);
#   4. a report started with the form, a session opened with its receipt, the tus hooks read from
#      /conversation (issue 7, "Test hooks"), and the upload created through the relay;
#   5. the client, a curl loop through the relay until the offset equals the size:
#          off=$(curl -I ... | Upload-Offset)                                  # HEAD
#          tail -c +$((off + 1)) FILE | curl -X PATCH -T - -H "Upload-Offset: $off" ...   # streams, chunked
#      (with "Expect: 100-continue" unless TUS_CUT_EXPECT= is empty, so a PATCH refused at once
#      costs no body bytes); a HEAD that fails (the relay cut it, or the server still holds the cut PATCH) is retried
#      after 0.2 s; every PATCH is logged with its curl exit code and HTTP status;
#   6. the desk downloads the file (logged in with the demo's credentials) and its SHA-256 is
#      compared with the file's.
# Records (results.tsv): wall time from the first PATCH to the final 204 (includes the server
# turning the pieces into one file), MB/s, cuts, PATCH requests, HEAD retries, bytes sent upstream
# through the relay, resent fraction = (upstream - size) / size (HTTP headers and chunk framing
# included, so it slightly overstates; target <= 1 %), SHA-256 equal, peak RSS of the server
# (VmHWM) and the largest heap before a collection from the GC log.
#
# Environment: BENCH_DIR (default /var/tmp/postern-bench), BENCH_MAX_SECONDS (default 1800),
#   TUS_CUT_SIZE (bytes, default 2 GiB), TUS_CUT_EVERY (bytes, default 200000000),
#   TUS_CUT_HEAP (default -Xmx256m), TUS_CUT_SERVER_CLOSE (rst or fin, default rst),
#   RELAY_SNDBUF (bytes the relay may queue towards the server, SO_SNDBUF; default: the kernel's
#   autotuning, several MiB on loopback; 131072 models a Tor stream, which has at most 500 cells,
#   about 250 KB, in flight).
# Output: bench/out/<stamp>-tus-cut/ (run.log, results.tsv, machine.txt, server log, gc log,
#   relay stats, patches.tsv); bench/out/latest-tus-cut points at it.
BENCH_NAME=tus-cut
# shellcheck source=tus-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/tus-lib.sh"

SIZE="${TUS_CUT_SIZE:-$((2 * GIB))}"
CUT_EVERY="${TUS_CUT_EVERY:-200000000}"
HEAP="${TUS_CUT_HEAP:--Xmx256m}"
SERVER_CLOSE="${TUS_CUT_SERVER_CLOSE:-rst}"
# "100-continue" (default): the body is sent only once the server reads it, so a PATCH refused at
# once (409 while the server still winds up the cut one) costs no body bytes; empty: no Expect.
EXPECT="${TUS_CUT_EXPECT-100-continue}"
NAME="tus-cut-bench.bin"

machine_info
snapshot_app
INPUT="$BENCH_DIR/input-tus-$SIZE.bin"
make_input "$INPUT" "$SIZE"
EXPECTED=$(input_sha256 "$INPUT")
cat "$INPUT" > /dev/null   # into the page cache: the client side then costs little

start_server cut "$HEAP -Xlog:gc:file=$OUT/gc-cut.log"
open_report "tus cut benchmark"

python3 "$ROOT/bench/cutting-relay.py" --target "127.0.0.1:$SERVER_PORT" --cut-every "$CUT_EVERY" \
    --server-close "$SERVER_CLOSE" --port-file "$RUN/relay-port" --stats "$OUT/relay-stats.json" > "$OUT/relay.log" 2>&1 &
RELAY_PID=$!
BG_PIDS+=("$RELAY_PID")
for _ in $(seq 1 50); do [ -s "$RUN/relay-port" ] && break; sleep 0.1; done
RELAY="http://127.0.0.1:$(cat "$RUN/relay-port")"
log "relay $RELAY -> $(SITE), cut every $CUT_EVERY bytes"

URL=$(tus_create "$RELAY" "$SIZE" "$NAME")
log "upload $URL"
mapfile -t H < <(tus_headers)
printf 'patch\toffset\tcurl_exit\thttp\tseconds\n' > "$OUT/patches.tsv"
patches=0 head_retries=0 conflicts=0 done=0
T0=$(now)
while [ "$done" = 0 ]; do
    off=$(tus_offset "$URL")
    if [ -z "$off" ]; then
        head_retries=$((head_retries + 1))
        [ "$head_retries" -lt 300 ] || { log "HEAD keeps failing"; exit 1; }
        sleep 0.2
        continue
    fi
    if [ "$off" = "$SIZE" ]; then
        done=1
        break
    fi
    patches=$((patches + 1))
    [ "$patches" -lt 200 ] || { log "too many PATCH requests"; exit 1; }
    p0=$(now)
    set +e
    code=$(tail -c +"$((off + 1))" "$INPUT" | curl -s -o "$RUN/patch-body" -w '%{http_code}' --max-time 1200 \
        -X PATCH -T - "${H[@]}" -H "Expect: $EXPECT" -H 'Content-Type: application/offset+octet-stream' \
        -H "Upload-Offset: $off" "$URL")
    rc=$?
    set -e
    p1=$(now)
    printf '%s\t%s\t%s\t%s\t%s\n' "$patches" "$off" "$rc" "$code" "$(elapsed "$p0" "$p1")" >> "$OUT/patches.tsv"
    log "PATCH #$patches from $off: curl exit $rc, HTTP $code, $(elapsed "$p0" "$p1") s"
    case "$code" in
        204) ;;
        409) conflicts=$((conflicts + 1)); sleep 0.2 ;;   # the server still winds up the cut PATCH
        000|100) ;;                                        # cut by the relay (100: after "Continue")
        *) log "unexpected answer: $(cat "$RUN/patch-body" 2>/dev/null)"; exit 1 ;;
    esac
done
T1=$(now)
WALL=$(elapsed "$T0" "$T1")
RSS=$(peak_rss_mib)
kill -TERM "$RELAY_PID"
wait "$RELAY_PID" 2>/dev/null || true
read -r UPSTREAM CUTS < <(python3 -c 'import json,sys; s = json.load(open(sys.argv[1])); print(s["upstream"], s["cuts"])' "$OUT/relay-stats.json")

result tus_cut_size_bytes "$SIZE"
result tus_cut_every_bytes "$CUT_EVERY"
result tus_cut_heap "$HEAP"
result tus_cut_server_close "$SERVER_CLOSE"
result tus_cut_relay_sndbuf "${RELAY_SNDBUF:-0 (kernel autotuning)}"
result tus_cut_expect "${EXPECT:-none}"
result tus_cut_wall_seconds "$WALL"
result tus_cut_mbps "$(mbps "$SIZE" "$WALL")"
result tus_cut_cuts "$CUTS"
result tus_cut_patch_requests "$patches"
result tus_cut_patch_409 "$conflicts"
result tus_cut_head_retries "$head_retries"
result tus_cut_upstream_bytes "$UPSTREAM"
result tus_cut_resent_percent "$(awk -v u="$UPSTREAM" -v s="$SIZE" 'BEGIN { printf "%.3f", (u - s) * 100 / s }')"
result tus_cut_server_peak_rss_mib "$RSS"
result tus_cut_heap_peak_before_gc_mib "$(gc_peak_mib "$OUT/gc-cut.log")"
result tus_cut_pieces_dir_files_after "$(find "$SERVER_DATA/pieces" -type f 2>/dev/null | wc -l)"
GOT=$(desk_sha256 "$NAME")
result tus_cut_sha256_file "$EXPECTED"
result tus_cut_sha256_desk "$GOT"
if [ "$GOT" = "$EXPECTED" ]; then result tus_cut_sha256_equal yes; else result tus_cut_sha256_equal NO; exit 1; fi
result load_at_end "$(cut -d' ' -f1-3 /proc/loadavg)"
