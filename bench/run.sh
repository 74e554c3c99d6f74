#!/usr/bin/env bash
# bench/run.sh — the benchmark behind docs/performance.md (run by `make bench`).
#
# For each size (10k, 100k, 1M cases) it generates a province with `tiaojie gen`,
# starts a real `tiaojie serve` on it, signs in as a township user (and a county
# user for the dashboard figure) and loads each endpoint with wrk over loopback;
# nginx returning a fixed ~200-byte JSON with the same wrk settings gives the
# machine's ceiling. It records requests/s, p50 and p99 latency, failures, the
# server's RSS, the database size and the start-up time, and writes
# docs/performance.md (tables, the targets, EXPLAIN QUERY PLAN of the heavy queries,
# then bench/notes.md).
#
# Environment: BENCH_SIZES ("10000 100000 1000000"), BENCH_DURATION (10s),
# BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_SEED (1), BENCH_DIR (var/bench),
# BENCH_OUT (docs/performance.md), BENCH_PORT (18480), BENCH_KEEP=1 keeps the
# databases, TIAOJIE_BIN (build/release/tiaojie).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${TIAOJIE_BIN:-$ROOT/build/release/tiaojie}
SIZES=${BENCH_SIZES:-10000 100000 1000000}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
TIMEOUT=${BENCH_TIMEOUT:-30s} # wrk's own default (2 s) would hide slow endpoints behind "0 req/s"
SEED=${BENCH_SEED:-1}
WORK=${BENCH_DIR:-$ROOT/var/bench}
OUT=${BENCH_OUT:-$ROOT/docs/performance.md}
PORT=${BENCH_PORT:-18480}
NGINX_PORT=$((PORT + 1))
PASSWORD='Tiaojie@2026'
URL=http://127.0.0.1:$PORT

say() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# ---- tools: wrk and nginx from Debian, installed when missing ----
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
need() { # command package
    command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] && return 0
    say "installing $2 (apt-get)"
    $SUDO apt-get install -y --no-install-recommends "$2" >/dev/null ||
        { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "$2" >/dev/null; } ||
        die "cannot install $2"
}
need wrk wrk
need nginx nginx
need sqlite3 sqlite3
need curl curl
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$BIN" ] || die "$BIN not found: run make build (or set TIAOJIE_BIN)"

mkdir -p "$WORK"
RES=$WORK/results.tsv   # size  name  rps  p50_ms  p99_ms  non2xx  errors
META=$WORK/meta.tsv     # size  key  value
if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
    : >"$RES"
    : >"$META"
fi
SERVER_PID=
NGINX_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    true
}
trap cleanup EXIT

meta() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$META"; }
getmeta() { awk -F'\t' -v s="$1" -v k="$2" '$1 == s && $2 == k { v = $3 } END { print v }' "$META"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# After a run the server may still be working through requests wrk gave up on:
# wait until /api/health answers within 50 ms again (at most 120 s) so one
# endpoint's backlog does not land on the next.
drain() {
    local t
    for _ in $(seq 240); do
        t=$(curl -s -o /dev/null -m 5 -w '%{time_total}' "$URL/api/health" || echo 9)
        awk -v t="$t" 'BEGIN { exit !(t < 0.05) }' && return 0
        sleep 0.5
    done
    say "server still busy after 120 s"
}

# wrk latency figures ("812.00us", "1.23ms", "2.01s") in milliseconds
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}

# run_wrk SIZE NAME URL [LUA]: one wrk run, one line in results.tsv. NAME ending in
# "-1c" runs one connection for 5 s instead: the latency of a single user.
run_wrk() {
    local size=$1 name=$2 url=$3 lua=${4:-} out t=$THREADS c=$CONNS d=$DURATION
    case $name in *-1c) t=1 c=1 d=5s ;; esac
    out=$WORK/wrk-$size-$name.txt
    say "$size: $name"
    wrk -t"$t" -c"$c" -d"$d" --timeout "$TIMEOUT" --latency ${lua:+-s "$lua"} "$url" >"$out" 2>&1 || true
    [ "$size" = nginx ] || drain
    local rps p50 p99 non2xx errors
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    p50=$(awk '$1 == "50%" { print $2 }' "$out")
    p99=$(awk '$1 == "99%" { print $2 }' "$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    errors=$(awk '/Socket errors:/ { s = 0; for (i = 3; i <= NF; i += 2) s += $(i + 1); print s }' "$out" | tr -d ',')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$name" "${rps:-0}" "$(to_ms "${p50:-0}")" \
        "$(to_ms "${p99:-0}")" "${non2xx:-0}" "${errors:-0}" >>"$RES"
}

# ---- the machine ----
CPU=$(awk -F: '/^model name/ { sub(/^ +/, "", $2); print $2; exit }' /proc/cpuinfo)
CORES=$(nproc)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
OS=$(. /etc/os-release && echo "$PRETTY_NAME")
KERNEL=$(uname -r)
DISK=$(df -h "$WORK" | awk 'NR == 2 { print $1 " (" $2 ", " $5 " used)" }')
VIRT=$(LC_ALL=C lscpu 2>/dev/null | awk -F: '/Hypervisor vendor/ { sub(/^ +/, "", $2); print "virtual machine, " $2 }' || true)
WRK_V=$({ wrk -v 2>&1 || true; } | head -1 | cut -d' ' -f1-2)
NGINX_V=$({ "$NGINX" -v 2>&1 || true; } | sed 's/.*version: //')
TJ_V=$("$BIN" version)

# BENCH_REPORT_ONLY=1 rewrites the report from the last run's results (and its
# largest database, if kept with BENCH_KEEP=1) without measuring again.
if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
# ---- the ceiling: nginx with a fixed JSON body ----
meta run started "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta run binary "$BIN"
NDIR=$WORK/nginx
rm -rf "$NDIR"
mkdir -p "$NDIR/tmp"
sed -e "s#@DIR@#$NDIR#g" -e "s#@PORT@#$NGINX_PORT#g" bench/nginx.conf.in >"$NDIR/nginx.conf"
"$NGINX" -p "$NDIR" -c "$NDIR/nginx.conf" -e "$NDIR/error.log" 2>"$NDIR/stderr.log" &
NGINX_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$NGINX_PORT/" >/dev/null && break; sleep 0.05; done
meta nginx load "$(loadavg)"
run_wrk nginx fixed-json "http://127.0.0.1:$NGINX_PORT/"
kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=
NGINX_RPS=$(awk -F'\t' '$1 == "nginx" { print $3 }' "$RES")

# ---- login: sets COOKIE, CSRF, ORG for a user ----
login() {
    local body
    body=$(curl -sf -c "$WORK/jar" -H 'content-type: application/json' \
        -d "{\"login\":\"$1\",\"password\":\"$PASSWORD\"}" "$URL/api/auth/login") || die "login $1 failed"
    CSRF=$(printf '%s' "$body" | grep -o '"csrf_token":"[^"]*"' | cut -d'"' -f4)
    ORG=$(printf '%s' "$body" | grep -o '"org_id":[0-9]*' | head -1 | cut -d: -f2)
    COOKIE="tj_session=$(awk '$6 == "tj_session" { print $7 }' "$WORK/jar")"
}

LASTDB=
for N in $SIZES; do
    DIR=$WORK/db-$N
    rm -rf "$DIR"
    mkdir -p "$DIR"
    DB=$DIR/tiaojie.db
    say "$N: generating (seed $SEED)"
    meta "$N" load_gen "$(loadavg)"
    t0=$(date +%s%N)
    "$BIN" gen --cases "$N" --seed "$SEED" --db "$DB" >"$DIR/gen.txt" 2>"$DIR/gen.err" || die "gen failed: $(cat "$DIR/gen.err")"
    t1=$(date +%s%N)
    GEN_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
    meta "$N" gen_s "$GEN_S"
    meta "$N" gen_rate "$(awk -v n="$N" -v s="$GEN_S" 'BEGIN { printf "%.0f", n / s }')"
    meta "$N" gen_line "$(cat "$DIR/gen.txt")"
    meta "$N" db_bytes "$(stat -c %s "$DB")"
    sync

    # start-up: from exec to the first 200 from /api/health
    t0=$(date +%s%N)
    "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$DIR/serve.log" 2>&1 &
    SERVER_PID=$!
    ok=
    for _ in $(seq 2000); do
        if curl -sf "$URL/api/health" >/dev/null 2>&1; then ok=1; break; fi
        sleep 0.005
    done
    t1=$(date +%s%N)
    [ -n "$ok" ] || die "server did not start: $(tail -5 "$DIR/serve.log")"
    meta "$N" startup_ms "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')"
    meta "$N" rss_start_kb "$(awk '/^VmRSS/ { print $2 }' /proc/$SERVER_PID/status)"
    meta "$N" load_bench "$(loadavg)"

    login bureau
    BUREAU_COOKIE=$COOKIE
    login office
    OFFICE_ORG=$ORG
    OPATH=$(sqlite3 "$DB" "SELECT path FROM orgs WHERE id = $OFFICE_ORG")
    OHI="${OPATH%/}0"
    sqlite3 "$DB" "SELECT id FROM cases WHERE (org_path >= '$OPATH' AND org_path < '$OHI')
        OR (registered_org_path >= '$OPATH' AND registered_org_path < '$OHI') ORDER BY random() LIMIT 5000" >"$DIR/ids.txt"
    meta "$N" township_cases "$(sqlite3 "$DB" "SELECT COUNT(*) FROM cases WHERE (org_path >= '$OPATH' AND org_path < '$OHI')
        OR (registered_org_path >= '$OPATH' AND registered_org_path < '$OHI')")"
    YEAR=$(( $(date +%Y) - 1 ))
    export BENCH_COOKIE=$COOKIE BENCH_CSRF=$CSRF BENCH_IDS=$DIR/ids.txt

    COUNTY_ORG=$(sqlite3 "$DB" "SELECT org_id FROM users WHERE login = 'bureau'")
    LISTQ="org_id=$OFFICE_ORG&status=archived&dispute_type=neighbour&limit=20"
    DASHQ="org_id=$COUNTY_ORG&from=$YEAR-01-01&to=$YEAR-12-31"
    # "-nc": every request computed (nocache.lua), the rest as served (answer cache on)
    run_wrk "$N" health "$URL/api/health"
    run_wrk "$N" case-by-id "$URL" bench/case_by_id.lua
    BENCH_NOCACHE=1 run_wrk "$N" case-by-id-nc "$URL" bench/case_by_id.lua
    run_wrk "$N" list "$URL/api/cases?$LISTQ" bench/auth.lua
    run_wrk "$N" list-nc "$URL/api/cases?$LISTQ" bench/nocache.lua
    run_wrk "$N" todo "$URL/api/todo?scope=org" bench/auth.lua
    run_wrk "$N" todo-nc "$URL/api/todo?scope=org" bench/nocache.lua
    run_wrk "$N" search-caili "$URL/api/cases?q=%E5%BD%A9%E7%A4%BC&limit=20" bench/auth.lua
    run_wrk "$N" search-caili-nc "$URL/api/cases?q=%E5%BD%A9%E7%A4%BC&limit=20" bench/nocache.lua
    run_wrk "$N" search-zhaiji-nc "$URL/api/cases?q=%E5%AE%85%E5%9F%BA&limit=20" bench/nocache.lua
    BENCH_COOKIE=$BUREAU_COOKIE run_wrk "$N" dashboard "$URL/api/stats/cases?$DASHQ" bench/auth.lua
    BENCH_COOKIE=$BUREAU_COOKIE run_wrk "$N" dashboard-nc "$URL/api/stats/cases?$DASHQ" bench/nocache.lua
    run_wrk "$N" list-nc-1c "$URL/api/cases?$LISTQ" bench/nocache.lua
    run_wrk "$N" todo-nc-1c "$URL/api/todo?scope=org" bench/nocache.lua
    run_wrk "$N" search-caili-nc-1c "$URL/api/cases?q=%E5%BD%A9%E7%A4%BC&limit=20" bench/nocache.lua
    BENCH_COOKIE=$BUREAU_COOKIE run_wrk "$N" dashboard-nc-1c "$URL/api/stats/cases?$DASHQ" bench/nocache.lua
    run_wrk "$N" register "$URL/api/cases" bench/register.lua

    meta "$N" rss_kb "$(awk '/^VmRSS/ { print $2 }' /proc/$SERVER_PID/status)"
    meta "$N" rss_anon_kb "$(awk '/^RssAnon/ { print $2 }' /proc/$SERVER_PID/status)"
    meta "$N" rss_file_kb "$(awk '/^RssFile/ { print $2 }' /proc/$SERVER_PID/status)"
    meta "$N" hwm_kb "$(awk '/^VmHWM/ { print $2 }' /proc/$SERVER_PID/status)"
    meta "$N" registered "$(sqlite3 "$DB" "SELECT COUNT(*) FROM cases WHERE title LIKE '压测%'")"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
    meta "$N" db_bytes_after "$(du -cb "$DB" "$DB-wal" 2>/dev/null | awk 'END { print $1 }')"
    meta "$N" office_org "$OFFICE_ORG"
    meta "$N" opath "$OPATH"
    meta "$N" year "$YEAR"
    meta "$N" county_org "$COUNTY_ORG"
    LASTDB=$DB
done

else
    NGINX_RPS=$(awk -F'\t' '$1 == "nginx" { print $3 }' "$RES")
    BIGN=$(echo "$SIZES" | tr ' ' '\n' | sort -n | tail -1)
    LASTDB=$WORK/db-$BIGN/tiaojie.db
fi

# ---- the report ----
fmt_int() { awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }; print s r }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1048576 }'; }
LABEL() {
    case $1 in
    health) echo 'health `GET /api/health`' ;;
    case-by-id) echo 'case by id `GET /api/cases/:id`' ;;
    list) echo 'filtered list `GET /api/cases?org_id=…&status=archived&dispute_type=neighbour`' ;;
    todo) echo 'to-do `GET /api/todo?scope=org`' ;;
    search-caili) echo 'search 彩礼 `GET /api/cases?q=彩礼`' ;;
    search-zhaiji) echo 'search 宅基 `GET /api/cases?q=宅基`' ;;
    dashboard) echo 'county-year counts by type and status `GET /api/stats/cases?org_id=…&from=…&to=…` (county user)' ;;
    register) echo 'registration `POST /api/cases`' ;;
    *-1c) echo "$(LABEL "${1%-1c}"), **one client**" ;;
    *-nc) echo "$(LABEL "${1%-nc}"), *every request computed*" ;;
    *) echo "$1" ;;
    esac
}
row() { awk -F'\t' -v s="$1" -v n="$2" '$1 == s && $2 == n' "$RES"; }

{
    echo '# Performance'
    echo
    echo "Generated by \`make bench\` (bench/run.sh), run started $(getmeta run started). Do not edit by hand:"
    echo 'the analysis at the end comes from bench/notes.md.'
    echo
    echo '## Machine and settings'
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| CPU | $CPU, $CORES cores${VIRT:+ ($VIRT)} |"
    echo "| memory | $MEM |"
    echo "| system | $OS, Linux $KERNEL |"
    echo "| disk | $DISK |"
    echo "| software | $TJ_V ($(getmeta run binary | sed "s#^$ROOT/##"), -O2; the SQLite named is the one built in), $WRK_V, $NGINX_V |"
    echo "| load | wrk -t$THREADS -c$CONNS -d$DURATION --timeout $TIMEOUT --latency over loopback, one endpoint at a time (the server drained between runs), server and wrk on the same $CORES cores |"
    echo "| server | \`tiaojie serve\` with its defaults (2 HTTP threads = cores, answer cache 32 MB, access log at info level to a file, buffered) |"
    echo "| data | \`tiaojie gen --cases N --seed $SEED\` (3 years up to yesterday); township user \`office\`, county user \`bureau\` |"
    echo
    echo "Load average (1/5/15 min) before nginx: $(getmeta nginx load). The machine may be shared: a load above"
    echo "$CORES means other work competed with the benchmark; see the per-size load figures below."
    echo
    echo "**Ceiling:** nginx returning a fixed JSON body of 201 bytes over keep-alive: **$(fmt_int "$NGINX_RPS") req/s**" \
        "(p50 $(row nginx fixed-json | cut -f4) ms, p99 $(row nginx fixed-json | cut -f5) ms). Every \"× nginx\" below is req/s divided by this."
    echo
    echo '## Generator'
    echo
    echo '| cases | time | cases/s | database | summary |'
    echo '|---:|---:|---:|---:|---|'
    for N in $SIZES; do
        echo "| $(fmt_int "$N") | $(getmeta "$N" gen_s) s | $(fmt_int "$(getmeta "$N" gen_rate)") | $(mb "$(getmeta "$N" db_bytes)") | $(getmeta "$N" gen_line | sed "s/已生成 [^：]*：//") |"
    done
    echo
    echo "Load average before each generation: $(for N in $SIZES; do printf '%s: %s; ' "$(fmt_int "$N")" "$(getmeta "$N" load_gen)"; done)"
    for N in $SIZES; do
        echo
        echo "## $(fmt_int "$N") cases"
        echo
        echo "Start-up $(getmeta "$N" startup_ms) ms; RSS $(awk -v k="$(getmeta "$N" rss_start_kb)" 'BEGIN { printf "%.0f", k / 1024 }') MB after start," \
            "$(awk -v k="$(getmeta "$N" rss_kb)" 'BEGIN { printf "%.0f", k / 1024 }') MB after the load (peak $(awk -v k="$(getmeta "$N" hwm_kb)" 'BEGIN { printf "%.0f", k / 1024 }') MB;" \
            "$(awk -v a="$(getmeta "$N" rss_anon_kb)" -v f="$(getmeta "$N" rss_file_kb)" 'BEGIN { printf "%.0f MB anonymous, %.0f MB mapped database pages", a / 1024, f / 1024 }'));" \
            "database $(mb "$(getmeta "$N" db_bytes)") ($(mb "$(getmeta "$N" db_bytes_after)") with the registrations and WAL);" \
            "the township sees $(fmt_int "$(getmeta "$N" township_cases)") cases; load average $(getmeta "$N" load_bench)."
        echo
        echo '| endpoint | req/s | × nginx | p50 ms | p99 ms | non-2xx | socket errors |'
        echo '|---|---:|---:|---:|---:|---:|---:|'
        awk -F'\t' -v s="$N" '$1 == s' "$RES" | while IFS=$'\t' read -r _ name rps p50 p99 non errs; do
            echo "| $(LABEL "$name") | $(fmt_int "$rps") | $(awk -v a="$rps" -v b="$NGINX_RPS" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }') | $p50 | $p99 | $non | $errs |"
        done
    done

    BIG=$(echo "$SIZES" | tr ' ' '\n' | sort -n | tail -1)
    echo
    echo "## Targets at $(fmt_int "$BIG") cases"
    echo
    echo 'Each target is judged twice: as served (the answer cache of src/http/cache.h on, as in'
    echo 'production) and with every request computed (a new query argument each time defeats the'
    echo 'cache, so the handler and its queries run for every request).'
    echo
    echo '| target | as served | every request computed | |'
    echo '|---|---|---|---|'
    verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "met" : "**missed**") }'; }
    verdict2() { awk -v a="$1" -v b="$2" 'BEGIN { print (a && b ? "met" : a ? "met as served; **missed** computed" : "**missed**") }'; }
    r() { row "$BIG" "$1" | cut -f"$2"; }
    ratio() { awk -v a="$1" -v b="$NGINX_RPS" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
    cid=$(r case-by-id 3)
    cidn=$(r case-by-id-nc 3)
    echo "| case by id ≥ 50% of nginx | $(ratio "$cid") ($(fmt_int "$cid") req/s) | $(ratio "$cidn") ($(fmt_int "$cidn") req/s) | $(verdict2 "$(awk -v a="$cid" -v b="$NGINX_RPS" 'BEGIN { print (a >= b / 2) }')" "$(awk -v a="$cidn" -v b="$NGINX_RPS" 'BEGIN { print (a >= b / 2) }')") |"
    for e in list todo; do
        ok() { awk -v a="$(r "$1" 3)" -v p="$(r "$1" 5)" 'BEGIN { print (a >= 20000 && p < 20) }'; }
        echo "| $e ≥ 20,000 req/s, p99 < 20 ms | $(fmt_int "$(r $e 3)") req/s, p99 $(r $e 5) ms | $(fmt_int "$(r $e-nc 3)") req/s, p99 $(r $e-nc 5) ms; one client: p50 $(r $e-nc-1c 4) ms | $(verdict2 "$(ok $e)" "$(ok $e-nc)") |"
    done
    okp() { awk -v p="$(r "$1" 5)" -v lim="$2" 'BEGIN { print (p != "" && p < lim) }'; }
    echo "| search 彩礼 p99 < 50 ms at $CONNS clients | p99 $(r search-caili 5) ms ($(fmt_int "$(r search-caili 3)") req/s) | p99 $(r search-caili-nc 5) ms ($(fmt_int "$(r search-caili-nc 3)") req/s); one client: p50 $(r search-caili-nc-1c 4) ms | $(verdict2 "$(okp search-caili 50)" "$(okp search-caili-nc 50)") |"
    echo "| search 宅基 p99 < 50 ms at $CONNS clients | | p99 $(r search-zhaiji-nc 5) ms ($(fmt_int "$(r search-zhaiji-nc 3)") req/s) | $(verdict "$(okp search-zhaiji-nc 50)") |"
    echo "| dashboard (county-year counts) < 100 ms | p99 $(r dashboard 5) ms at $CONNS clients | one client: p50 $(r dashboard-nc-1c 4) ms, p99 $(r dashboard-nc-1c 5) ms; $CONNS clients: p99 $(r dashboard-nc 5) ms | $(verdict2 "$(okp dashboard 100)" "$(okp dashboard-nc-1c 100)") |"
    echo "| registration ≥ 2,000/s, zero failures at $CONNS clients | | $(fmt_int "$(r register 3)")/s, $(r register 6) non-2xx, $(r register 7) socket errors | $(verdict "$(awk -v a="$(r register 3)" -v f="$(r register 6)" -v e="$(r register 7)" 'BEGIN { print (a >= 2000 && f == 0 && e == 0) }')") |"
    echo "| RSS < 200 MB | | $(awk -v k="$(getmeta "$BIG" hwm_kb)" 'BEGIN { printf "%.0f", k / 1024 }') MB peak ($(awk -v a="$(getmeta "$BIG" rss_anon_kb)" -v f="$(getmeta "$BIG" rss_file_kb)" 'BEGIN { printf "%.0f MB anonymous + %.0f MB mapped file", a / 1024, f / 1024 }') at the end) | $(verdict "$(awk -v k="$(getmeta "$BIG" hwm_kb)" 'BEGIN { print (k < 200 * 1024) }')") |"
    echo "| start-up < 1 s | | $(getmeta "$BIG" startup_ms) ms | $(verdict "$(awk -v m="$(getmeta "$BIG" startup_ms)" 'BEGIN { print (m < 1000) }')") |"
    echo "| generator ≥ 50,000 cases/s | | $(fmt_int "$(getmeta "$BIG" gen_rate)") cases/s ($(getmeta "$BIG" gen_s) s) | $(verdict "$(awk -v a="$(getmeta "$BIG" gen_rate)" 'BEGIN { print (a >= 50000) }')") |"

    if [ -n "$LASTDB" ] && [ -f "$LASTDB" ]; then
        OPATH=$(getmeta "$BIG" opath)
        OHI="${OPATH%/}0"
        ORGID=$(getmeta "$BIG" office_org)
        YEAR=$(getmeta "$BIG" year)
        BPATH=$(sqlite3 "$LASTDB" "SELECT o.path FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.login = 'bureau'")
        BHI="${BPATH%/}0"
        TODAY=$(TZ=Asia/Shanghai date +%F)
        SOON=$(TZ=Asia/Shanghai date -d '+3 days' +%F)
        echo
        echo "## Query plans at $(fmt_int "$BIG") cases"
        echo
        echo 'The statements of src/store/case_store.c (copied into bench/run.sh: keep them in step) with the'
        echo 'values of the runs above, planned and'
        echo 'timed by the sqlite3 shell on the benchmark database (the third of three runs: warm OS cache).'
        plan() { # title sql
            echo
            echo "### $1"
            echo
            echo '```sql'
            echo "$2" | fold -s -w 100
            echo '```'
            echo '```'
            sqlite3 "$LASTDB" "EXPLAIN QUERY PLAN $2" 2>&1
            printf '.timer on\n%s;\n%s;\n%s;\n' "$2" "$2" "$2" | sqlite3 "$LASTDB" 2>&1 | { grep -E '^Run Time' || true; } | sed 's/^/-- third run: /' | tail -1
            echo '```'
        }
        # the statements of case_list / case_todo / stats_cases (src/store/)
        COUNTY_ORG=$(getmeta "$BIG" county_org)
        FTS="tokens : (\"彩礼\") AND scope : o$ORGID"
        PAGE="SELECT c.id, c.case_no, c.title, c.party_names, c.status, c.source, c.dispute_type, c.org_id, o.name AS org_name, c.registered_on, c.accepted_on, c.due_on, c.amount, p.name AS lead_mediator_name, IFNULL(c.next_due_on < '$TODAY', 0) AS overdue FROM"
        LISTW="c.org_path >= '$OPATH' AND c.org_path < '$OHI' AND c.status = 'archived' AND c.dispute_type = 'neighbour'"
        LISTIDS=$(sqlite3 "$LASTDB" "SELECT json_group_array(id) FROM (SELECT c.id FROM cases c WHERE $LISTW ORDER BY c.id DESC LIMIT 20)")
        plan "filtered list: the matching ids, read once (their number is the total; sorted in C, they give the page)" \
            "SELECT c.id FROM cases c WHERE 1 = 1 AND $LISTW LIMIT 2001"
        plan "filtered list: the page's rows by id" \
            "$PAGE cases c CROSS JOIN orgs o ON o.id = c.org_id LEFT JOIN persons p ON p.id = c.lead_mediator_id WHERE c.id IN (SELECT value FROM json_each('$LISTIDS')) ORDER BY c.id DESC"
        plan "to-do: open deadlines of the cases the township handles" \
            "SELECT c.id, c.case_no, c.title, c.party_names, c.status, dl.kind, dl.due_on, o.name AS org_name FROM cases c INDEXED BY cases_next_due CROSS JOIN case_deadlines dl ON dl.case_id = c.id AND c.org_path >= '$OPATH' AND c.org_path < '$OHI' AND c.status <> 'archived' AND c.next_due_on <= '$SOON' CROSS JOIN orgs o ON o.id = c.org_id WHERE dl.stopped_on IS NULL AND dl.due_on <= '$SOON' AND dl.kind <> 'judicial_confirmation' AND (0 = 0 OR EXISTS (SELECT 1 FROM case_mediators m JOIN persons p ON p.id = m.person_id WHERE m.case_id = c.id AND p.user_id = 0)) ORDER BY dl.due_on, c.id LIMIT 500"
        plan "to-do: awaiting acceptance" \
            "SELECT c.id, c.case_no, c.title, c.party_names, c.registered_on, o.name AS org_name FROM cases c INDEXED BY cases_registered CROSS JOIN orgs o ON o.id = c.org_id WHERE c.org_path >= '$OPATH' AND c.org_path < '$OHI' AND c.status = 'registered' AND (0 = 0 OR c.created_by = 0) ORDER BY c.id LIMIT 200"
        plan "to-do: referral letters that can be a task of the township (committee side)" \
            "SELECT r.id, r.letter_no, r.title, r.status, r.partner_org_id, po.name AS partner_org_name, r.target_org_id, tg.name AS target_org_name, r.target_org_path, r.partner_org_path, r.accept_due_on, c.org_path AS case_org_path, c.status AS case_status, c.agreed_on IS NOT NULL AS agreed, c.terminated_on IS NOT NULL AS terminated, dl.due_on AS feedback_due_on FROM (SELECT id FROM referrals INDEXED BY referrals_todo_target WHERE status IN ('sent','received','disputed','accepted') AND target_org_path >= '$OPATH' AND target_org_path < '$OHI' UNION SELECT id FROM referrals INDEXED BY referrals_todo_referrer WHERE status IN ('sent','received','disputed','accepted') AND partner_org_path >= '$OPATH' AND partner_org_path < '$OHI') v CROSS JOIN referrals r ON r.id = v.id CROSS JOIN orgs po ON po.id = r.partner_org_id CROSS JOIN orgs tg ON tg.id = r.target_org_id LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN case_deadlines dl ON dl.case_id = r.case_id AND dl.kind = 'feedback' AND dl.stopped_on IS NULL WHERE (r.status <> 'accepted' OR c.agreed_on IS NOT NULL OR c.terminated_on IS NOT NULL OR c.status IN ('withdrawn','archived')) AND r.sent_on IS NOT NULL ORDER BY r.id LIMIT 1000"
        plan "search 彩礼: the matches (scope words inside the full-text index), read once" \
            "SELECT rowid FROM case_fts WHERE case_fts MATCH '$FTS'"
        FTSIDS=$(sqlite3 "$LASTDB" "SELECT json_group_array(rowid) FROM case_fts WHERE case_fts MATCH '$FTS'")
        plan "search 彩礼: the matching ids (the total; the page sorted in C)" \
            "SELECT c.id FROM cases c WHERE 1 = 1 AND c.id IN (SELECT value FROM json_each('$FTSIDS')) LIMIT 2001"
        plan "dashboard: a county-year by type and status" \
            "SELECT c.dispute_type, c.status, COUNT(*) FROM orgs o CROSS JOIN cases c INDEXED BY cases_org_day ON c.org_id = o.id AND c.registered_on >= '$YEAR-01-01' AND c.registered_on <= '$YEAR-12-31' WHERE o.path >= '$BPATH' AND o.path < '$BHI' GROUP BY 1, 2"
    fi
    echo
    cat bench/notes.md
} >"$OUT"
say "wrote $OUT"
if [ -z "${BENCH_KEEP:-}" ] && [ -z "${BENCH_REPORT_ONLY:-}" ]; then
    for N in $SIZES; do rm -rf "$WORK/db-$N"; done
fi
