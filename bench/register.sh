#!/bin/bash
# bench/register.sh — registration alone, on an existing database, with the server CPU
# it cost (the figures of bench/notes.md §5 that are not from bench/run.sh).
#   bench/register.sh DB [SECONDS] [BIN]
# Starts `tiaojie serve` on DB (port BENCH_PORT, default 18481), signs in as `office`,
# runs wrk -t2 -c64 with bench/register.lua, prints wrk's rate and latencies, the
# registrations that landed and the server's user+system CPU per registration, then
# stops the server and prints how long the stop took. DB is changed: use a copy.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?usage: bench/register.sh DB [SECONDS] [BIN]}
SECS=${2:-10}
BIN=${3:-build/release/tiaojie}
PORT=${BENCH_PORT:-18481}
URL=http://127.0.0.1:$PORT
JAR=$(mktemp)
trap 'rm -f "$JAR"; [ -n "${P:-}" ] && kill "$P" 2>/dev/null || true' EXIT
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$DB.serve.log" 2>&1 &
P=$!
for _ in $(seq 200); do curl -sf "$URL/api/health" >/dev/null && break; sleep 0.05; done
before=$(sqlite3 "$DB" "SELECT COUNT(*) FROM cases")
body=$(curl -sf -c "$JAR" -H 'content-type: application/json' \
    -d '{"login":"office","password":"Tiaojie@2026"}' "$URL/api/auth/login")
export BENCH_CSRF=$(printf '%s' "$body" | grep -o '"csrf_token":"[^"]*"' | cut -d'"' -f4)
export BENCH_COOKIE="tj_session=$(awk '$6 == "tj_session" { print $7 }' "$JAR")"
cpu0=$(awk '{ print $14 + $15 }' "/proc/$P/stat")
wrk -t2 -c64 -d"${SECS}s" --latency -s bench/register.lua "$URL/api/cases" |
    grep -E 'Requests/sec|50%|99%|Non-2xx|Socket'
cpu1=$(awk '{ print $14 + $15 }' "/proc/$P/stat")
t0=$(date +%s%N)
kill "$P"; wait "$P" || true; P=
t1=$(date +%s%N)
n=$(( $(sqlite3 "$DB" "SELECT COUNT(*) FROM cases") - before ))
hz=$(getconf CLK_TCK)
awk -v n="$n" -v c=$((cpu1 - cpu0)) -v hz="$hz" -v s=$(( (t1 - t0) / 1000000 )) 'BEGIN {
    printf "registered %d; server CPU %.2f s, %.0f us per registration; stop took %d ms\n",
        n, c / hz, n ? c / hz * 1e6 / n : 0, s }'
