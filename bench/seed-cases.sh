#!/usr/bin/env bash
# Issue 8 triage bench: seeds N reports (default 10,000) with real report keys wrapped to 3
# recipients and synthetic en/ru/uk text on PostgreSQL (127.0.0.1:5432, database test, a fresh
# schema), then measures through the desk over HTTP: the first list after login, the time until
# search works, a search, the warm list's p50/p95 over 200 random sorts/filters/pages, and the
# heap the session's index takes. Prints the "BENCH ..." lines; see docs/benchmarks.md.
# Usage: bench/seed-cases.sh [REPORTS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
REPORTS="${1:-10000}"
mvn -B -o -Dstyle.color=never test -Dtest=CaseBenchTest -Dbench.cases="$REPORTS" | grep '^BENCH'
