#!/bin/bash
# bench/instructions.sh — instructions per computed request, counted by callgrind (the
# figures of bench/notes.md that are not from bench/run.sh). Instruction counts do not
# depend on what else the machine is doing, so two builds can be compared on a busy one.
#   bench/instructions.sh DB [N] [BIN]
# Starts `tiaojie serve --threads 1` under valgrind on DB (port BENCH_PORT, default
# 18482), signs in as `office` (a township user), sends N (default 200) requests of each
# kind with a new nc= argument each (so the answer cache never hits) and prints the
# inclusive instruction count of the request callback (on_request) divided by N:
#   list    GET /api/cases?org_id=<office's org>&status=archived&dispute_type=neighbour&limit=20
#   todo    GET /api/todo?scope=org
#   search  GET /api/cases?q=宅基&limit=20
#   detail  GET /api/cases/:id for the township's first N cases
# One server per kind, so sign-in and start-up are not in the figure. DB is only read. Use
# a database as `tiaojie gen` left it: after bench/run.sh its township holds the ~30,000
# cases the registration load added, and its to-do list and search are then much larger.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?usage: bench/instructions.sh DB [N] [BIN]}
N=${2:-200}
BIN=${3:-build/release/tiaojie}
PORT=${BENCH_PORT:-18482}
URL=http://127.0.0.1:$PORT
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; [ -n "${P:-}" ] && kill "$P" 2>/dev/null || true' EXIT
ORG=$(sqlite3 "$DB" "SELECT org_id FROM users WHERE login = 'office'")
OPATH=$(sqlite3 "$DB" "SELECT path FROM orgs WHERE id = $ORG")
sqlite3 "$DB" "SELECT id FROM cases WHERE org_path >= '$OPATH' AND org_path < '${OPATH%/}0'
    ORDER BY id LIMIT $N" >"$WORK/ids"
for kind in list todo search detail; do
    valgrind --tool=callgrind --callgrind-out-file="$WORK/$kind.out" \
        "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads 1 >"$WORK/serve.log" 2>&1 &
    P=$!
    for _ in $(seq 300); do curl -sf "$URL/api/health" >/dev/null && break; sleep 0.2; done
    curl -sf -c "$WORK/jar" -H 'content-type: application/json' \
        -d '{"login":"office","password":"Tiaojie@2026"}' "$URL/api/auth/login" >/dev/null
    for i in $(seq "$N"); do
        case $kind in
        list) echo "url = \"$URL/api/cases?org_id=$ORG&status=archived&dispute_type=neighbour&limit=20&nc=$i\"" ;;
        todo) echo "url = \"$URL/api/todo?scope=org&nc=$i\"" ;;
        search) echo "url = \"$URL/api/cases?q=%E5%AE%85%E5%9F%BA&limit=20&nc=$i\"" ;;
        detail) echo "url = \"$URL/api/cases/$(sed -n "$(( (i - 1) % $(wc -l <"$WORK/ids") + 1 ))p" "$WORK/ids")?nc=$i\"" ;;
        esac
        echo 'output = "/dev/null"'
    done >"$WORK/urls"
    curl -s -K "$WORK/urls" -b "$WORK/jar"
    kill -INT "$P"
    wait "$P" || true
    P=
    callgrind_annotate --inclusive=yes "$WORK/$kind.out" 2>/dev/null |
        awk -v k="$kind" -v n="$N" '/server\.c:on_request \[/ { gsub(",", "", $1); printf "%-7s %9.0f instructions per request\n", k, $1 / n }' | head -1
done
