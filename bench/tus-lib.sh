# bench/tus-lib.sh - shared by bench/tus-cut.sh and bench/tus-throughput.sh (sourced, not run).
#
# Through bench/common.sh, sets up bench/out/<UTC stamp>-<NAME>/ (run.log, results.tsv,
# machine.txt, server logs) and a scratch dir under BENCH_DIR and stops every process it started on
# exit. Itself, it knows the source flow as a tus client sees it (issue 7, "Test hooks"): start a
# report with the form (curl), open a session with the receipt on /return, read data-tus-endpoint
# and data-tus-token from /conversation, then create/HEAD/PATCH with curl. Everything listens on
# 127.0.0.1 only.
#
# The caller sets BENCH_NAME before sourcing, and may set BENCH_DIR (default /var/tmp/postern-bench;
# inputs are kept there for reuse) and BENCH_MAX_SECONDS (default 1800).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/var/tmp/postern-bench}"
BENCH_MAX_SECONDS="${BENCH_MAX_SECONDS:-1800}"
GIB=1073741824

# shellcheck source=common.sh
. "$ROOT/bench/common.sh"
bench_start "$BENCH_NAME"

# shellcheck source=../bin/find-jdk.sh
. "$ROOT/bin/find-jdk.sh"
for tool in curl python3 ss sha256sum; do
    command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }
done

# The SHA-256 of an input made by make_input, kept next to it so a reused input is hashed once.
input_sha256() { # PATH
    local path=$1
    if [ ! -f "$path.sha256" ]; then
        sha256sum "$path" | cut -d' ' -f1 > "$path.sha256"
    fi
    cat "$path.sha256"
}

# Peak resident set size of the server process so far (kernel's high-water mark), in MiB.
peak_rss_mib() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
# Largest heap occupancy before a collection in a -Xlog:gc log, in MiB ("123M->45M(256M)").
gc_peak_mib() {
    grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$1" 2>/dev/null | sed 's/M->.*//' | sort -n | tail -n 1
}

SITE() { echo "http://127.0.0.1:$SERVER_PORT"; }

# Starts a report with the form (a short text, no files), opens a session with its receipt and
# reads the tus hooks. Sets JAR (curl cookie jar), RECEIPT, TUS_ENDPOINT, TUS_TOKEN, TUS_COOKIE.
open_report() { # TEXT
    local text=$1 token page
    JAR="$RUN/jar.$RANDOM$RANDOM"
    token=$(curl -s -c "$JAR" -b "$JAR" "$(SITE)/o/demo" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
    page=$(curl -s -L -c "$JAR" -b "$JAR" -F "csrf=$token" -F "what=$text" "$(SITE)/o/demo/submit")
    RECEIPT=$(printf '%s' "$page" | sed -n 's/.*id="receipt">\([0-9 ]*\)<.*/\1/p' | head -n 1)
    [ -n "$RECEIPT" ] || { log "no receipt from the start form"; printf '%s\n' "$page" > "$OUT/no-receipt.html"; exit 1; }
    token=$(curl -s -c "$JAR" -b "$JAR" "$(SITE)/return" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
    curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "csrf=$token" --data-urlencode "receipt=$RECEIPT" "$(SITE)/return"
    page=$(curl -s -c "$JAR" -b "$JAR" "$(SITE)/conversation")
    TUS_ENDPOINT=$(printf '%s' "$page" | sed -n 's/.*data-tus-endpoint="\([^"]*\)".*/\1/p' | head -n 1)
    TUS_TOKEN=$(printf '%s' "$page" | sed -n 's/.*data-tus-token="\([^"]*\)".*/\1/p' | head -n 1)
    # Before the report page carries the hooks: the contract's endpoint and the session's form token.
    [ -n "$TUS_ENDPOINT" ] || TUS_ENDPOINT=/conversation/uploads
    [ -n "$TUS_TOKEN" ] || TUS_TOKEN=$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
    TUS_COOKIE="postern_source=$(awk '$6 == "postern_source" { v = $7 } END { print v }' "$JAR")"
    [ "$TUS_COOKIE" != "postern_source=" ] || { log "no source session"; exit 1; }
}

tus_headers() { # the headers of every tus request of the session, as curl arguments
    printf '%s\n' -H "Tus-Resumable: 1.0.0" -H "Cookie: $TUS_COOKIE" -H "Postern-Upload-Token: $TUS_TOKEN"
}

# Creates an upload; prints its absolute URL at BASE (the server or a relay in front of it).
tus_create() { # BASE SIZE NAME
    local base=$1 size=$2 name=$3 headers location
    mapfile -t h < <(tus_headers)
    headers=$(curl -s -D - -o /dev/null -X POST "${h[@]}" -H "Upload-Length: $size" \
        -H "Upload-Metadata: filename $(printf '%s' "$name" | base64 -w0)" "$base$TUS_ENDPOINT")
    location=$(printf '%s' "$headers" | tr -d '\r' | sed -n 's/^[Ll]ocation: *//p' | head -n 1)
    if [ -z "$location" ]; then
        log "creation failed: $(printf '%s' "$headers" | head -n 1)"
        return 1
    fi
    # Postern answers a path-absolute Location; an absolute one is reduced to its path, so the
    # upload is reached through BASE (a relay) too.
    echo "$base$(printf '%s' "$location" | sed -E 's#^https?://[^/]+##')"
}

# The server's offset (empty when HEAD did not answer 200).
tus_offset() { # URL
    local headers
    mapfile -t h < <(tus_headers)
    headers=$(curl -s -I --max-time 60 "${h[@]}" "$1" || true)
    printf '%s' "$headers" | head -n 1 | grep -q ' 200' || return 0
    printf '%s' "$headers" | tr -d '\r' | sed -n 's/^[Uu]pload-[Oo]ffset: *//p' | head -n 1
}

# Logs in to the desk once (the TOTP code of this 30-second step) and prints the SHA-256 of the
# file NAME of the only report that has it.
desk_sha256() { # NAME
    local name=$1 djar="$RUN/desk-jar" creds password secret code token list id page link
    creds="$SERVER_DATA/DEMO-CREDENTIALS"
    password=$(sed -n 's/^Password: //p' "$creds")
    secret=$(sed -n 's/^TOTP secret: //p' "$creds")
    code=$(python3 -c 'import base64,hmac,hashlib,struct,time,sys
k = base64.b32decode(sys.argv[1]); c = int(time.time()) // 30
h = hmac.new(k, struct.pack(">Q", c), hashlib.sha1).digest(); o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$secret")
    local desk="http://127.0.0.1:$DESK_PORT"
    token=$(curl -s -c "$djar" -b "$djar" "$desk/desk/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
    curl -s -o /dev/null -c "$djar" -b "$djar" --data-urlencode "csrf=$token" --data-urlencode "username=editor" \
        --data-urlencode "password=$password" --data-urlencode "totp=$code" "$desk/desk/login"
    list=$(curl -s -c "$djar" -b "$djar" "$desk/desk")
    for id in $(printf '%s' "$list" | grep -o '/desk/reports/[0-9a-f]\{32\}' | sort -u | sed 's#.*/##'); do
        page=$(curl -s -c "$djar" -b "$djar" "$desk/desk/reports/$id")
        link=$(printf '%s' "$page" | grep -o "href=\"/desk/reports/$id/files/[0-9a-f]\{32\}\" class=\"download\">$name<" \
            | head -n 1 | sed 's/^href="\([^"]*\)".*/\1/')
        if [ -n "$link" ]; then
            curl -s -b "$djar" "$desk$link" | sha256sum | cut -d' ' -f1
            return 0
        fi
    done
    echo "not-found"
}
