#!/usr/bin/env bash
# The cafe's benchmark, start to finish, with nothing to do by hand:
#   1. tools (siege, wrk, pgbench, psql, pidstat, jq) from Debian when missing;
#   2. a clean local cafe: the jars built, ./cafe reset, then ./cafe up in the background with the auto barista
#      and rider at 1 ms, stock for a million drinks and rate limits raised out of the way;
#   3. warm-up (wrk), then siege -c100 -t60S of POST /orders (availability, transactions/s, as the
#      seeds measured), then wrk -c50 -d60s of POST /orders with a JWT (orders/s, p50/p99);
#   4. after the wrk run: how many orders reached DELIVERED and how long the saga took to catch up,
#      the consumer lag until it is 0, the outbox rows left unsent, each process's RSS and CPU;
#   5. the machine's own limits: pgbench of one order write on the cafe's PostgreSQL, and wrk on a
#      bare Vert.x route (the HTTP ceiling), each with the machine otherwise idle.
# Everything lands in loadtest/out/<time>-<label>/ (summary.md is the table for docs/benchmarks.md).
#
# Usage: loadtest/bench.sh [label]    (label "flow": the flow-control benchmark instead, see flow_main)
# Settings (environment): BENCH_SECONDS (60) length of the siege and wrk runs, BENCH_CONNECTIONS (50),
#   BENCH_SIEGE_USERS (100), BENCH_WARM_SECONDS (20), BENCH_CATCH_UP_SECONDS (60), BENCH_LIMIT_SECONDS (30)
#   length of the pgbench and bare-HTTP runs, BENCH_LIGHT_CONNECTIONS (4; 0 skips) and BENCH_LIGHT_SECONDS
#   (20) of the latency run without queueing, BENCH_SKIP_SIEGE=1, BENCH_SKIP_LIMITS=1, BENCH_KEEP_UP=1
#   (leave the cafe running afterwards). Any CAFE_*, RATE_LIMIT_*, PG_POOL_SIZE, HTTP_INSTANCES,
#   EVENT_LOOPS, CAFE_JAVA_OPTS, CAFE_<SERVICE>_JAVA_OPTS ... set here reaches the services.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

LABEL="${1:-run}"
LOAD_SECONDS="${BENCH_SECONDS:-60}"
CONNECTIONS="${BENCH_CONNECTIONS:-50}"
SIEGE_USERS="${BENCH_SIEGE_USERS:-100}"
WARM_SECONDS="${BENCH_WARM_SECONDS:-20}"
CATCH_UP_SECONDS="${BENCH_CATCH_UP_SECONDS:-60}"
LIMIT_SECONDS="${BENCH_LIMIT_SECONDS:-30}"
LIGHT_CONNECTIONS="${BENCH_LIGHT_CONNECTIONS:-4}"
LIGHT_SECONDS="${BENCH_LIGHT_SECONDS:-20}"
GATEWAY="http://127.0.0.1:${CAFE_GATEWAY_PORT:-8080}"
PG="postgresql://postgres@127.0.0.1:15432"
KAFKA="127.0.0.1:19092"
BARE_PORT=18090

OUT="$ROOT/loadtest/out/$(date +%Y%m%d-%H%M%S)-$LABEL"
mkdir -p "$OUT"
export BENCH_OUT="$OUT"
SUMMARY="$OUT/summary.md"

say() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/bench.log" >&2; }
die() { say "FAILED: $*"; exit 1; }

# --- 1. tools -----------------------------------------------------------------------------------
tools() {
  local missing=()
  command -v siege >/dev/null || missing+=(siege)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v pgbench >/dev/null || missing+=(postgresql-client)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v pidstat >/dev/null || missing+=(sysstat)
  command -v jq >/dev/null || missing+=(jq)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y "${missing[@]}" >"$OUT/apt.log" 2>&1 \
      || { $sudo apt-get update >>"$OUT/apt.log" 2>&1 && $sudo apt-get install -y "${missing[@]}" >>"$OUT/apt.log" 2>&1; } \
      || die "apt-get install ${missing[*]} failed; see $OUT/apt.log"
  fi
}

# --- 2. the cafe --------------------------------------------------------------------------------
CAFE_PID=""
BARE_PID=""

stop_cafe() {
  if [ -n "$CAFE_PID" ] && kill -0 "$CAFE_PID" 2>/dev/null; then
    say "stopping the cafe (pid $CAFE_PID)"
    kill -TERM "$CAFE_PID" 2>/dev/null || true
    for _ in $(seq 1 120); do
      kill -0 "$CAFE_PID" 2>/dev/null || break
      sleep 0.5
    done
  fi
  CAFE_PID=""
}

cleanup() {
  if [ -n "$BARE_PID" ]; then
    kill -TERM "$BARE_PID" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP_UP:-0}" != "1" ]; then
    stop_cafe
  fi
}
trap cleanup EXIT

start_cafe() {
  export CAFE_AUTO_BREW_MS="${CAFE_AUTO_BREW_MS:-1}"
  export CAFE_AUTO_DELIVER_MS="${CAFE_AUTO_DELIVER_MS:-1}"
  export CAFE_SEED_STOCK="${CAFE_SEED_STOCK:-1000000}"
  export RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-100000000}"
  export RATE_LIMIT_ANON_PER_MINUTE="${RATE_LIMIT_ANON_PER_MINUTE:-100000000}"
  say "building and resetting (./cafe reset)"
  # Only what runs (main code, not the tests), so a test being edited elsewhere cannot stop the run.
  ./mvnw -q -B -pl launcher,gateway-verticle,order-verticle,payment-verticle,barista-verticle,delivery-verticle,mypage-verticle \
    -am package -Dmaven.test.skip=true >"$OUT/build.log" 2>&1 || die "the build failed; see $OUT/build.log"
  ./cafe reset >>"$OUT/bench.log" 2>&1 || die "./cafe reset failed (is the cafe up elsewhere?)"
  # Another run (or a test) may still be letting go of the ports.
  local port
  for port in 8080 8081 8082 8083 8084 8085 15432 16379 17017 19092; do
    for _ in $(seq 1 60); do
      ss -ltn "sport = :$port" 2>/dev/null | grep -q LISTEN || break
      sleep 1
    done
    ss -ltn "sport = :$port" 2>/dev/null | grep -q LISTEN && die "port $port is still in use after 60 s"
  done
  say "starting the cafe (./cafe up, without its build step; log in $OUT/cafe.log)"
  # What ./cafe up runs once the jars are built.
  java -Xmx256m -XX:+UseSerialGC -Dcafe.root="$ROOT" -jar launcher/target/launcher.jar up >"$OUT/cafe.log" 2>&1 &
  CAFE_PID=$!
  local deadline=$((SECONDS + 300))
  until grep -q "cafe is up" "$OUT/cafe.log"; do
    kill -0 "$CAFE_PID" 2>/dev/null || { cat "$OUT/cafe.log" >&2; die "./cafe up exited"; }
    [ $SECONDS -lt $deadline ] || die "the cafe was not up within 300 s; see $OUT/cafe.log"
    sleep 1
  done
  say "$(grep "cafe is up" "$OUT/cafe.log")"
}

# pid -> name for every process of the cafe: the six services, the Kafka broker, the launcher
# (which also runs the MongoDB stand-in), PostgreSQL, Redis.
process_names() {
  local pids="$ROOT/.cafe/run/services.pids"
  while read -r pid jar; do
    local name
    name="$(basename "$jar" .jar)"
    echo "$pid ${name%-verticle}"
  done <"$pids"
  echo "$CAFE_PID launcher+mongo"
  pgrep -f 'cafe.infra.KafkaMain' | sed 's/$/ kafka/' || true
}

service_pids() {
  awk '{print $1}' "$ROOT/.cafe/run/services.pids" | paste -sd, -
}

# Each service's RSS and PSS in MB. RSS counts the pages the six JVMs share (libjvm, the JDK's class
# archive) once in every process; PSS splits each shared page between the processes mapping it, so the
# PSS total is the memory the six take together.
rss() {
  local file="$1"
  ps -o pid=,rss=,args= -p "$(service_pids)" | while read -r pid kb args; do
    local name pss
    name="$(grep "^$pid " <(process_names) | awk '{print $2}')"
    pss="$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)"
    printf '%s %d %d\n' "$name" "$((kb / 1024))" "$((${pss:-0} / 1024))"
  done | tee "$file"
  awk '{rss += $2; pss += $3} END {print "total", rss, pss}' "$file" | tee -a "$file"
}

psql_at() {
  psql -X -A -t -q "$PG/$1" -c "$2"
}

# Average CPU per process over a pidstat capture, in % of one core; java pids named by process_names.
cpu_table() {
  local capture="$1" names="$2"
  awk -v names="$names" '
    BEGIN { while ((getline line < names) > 0) { split(line, p, " "); who[p[1]] = p[2] } }
    /^#/ || NF < 10 { next }
    { t[$1] = 1; pid = $3; cmd = $NF; cpu = $8
      name = (pid in who) ? who[pid] : cmd
      if (name ~ /^postgres/) name = "postgresql"
      total[name] += cpu; all += cpu }
    END { n = length(t); if (n == 0) n = 1
          for (k in total) if (total[k] / n >= 0.5) printf "%-16s %6.1f\n", k, total[k] / n
          printf "%-16s %6.1f\n", "ALL", all / n }' "$capture" | sort -k2 -nr
}

# CPU time so far (clock ticks) per part of the cafe: the services, Kafka, the launcher with the MongoDB
# stand-in, PostgreSQL (all its processes), Redis.
cpu_ticks() {
  { cat "$OUT/pids.txt"; pgrep -x postgres | sed 's/$/ postgresql/'; pgrep -f 'redis-server' | sed 's/$/ redis/'; } |
    while read -r pid name; do
      [ -r "/proc/$pid/stat" ] || continue
      sed 's/^.*) //' "/proc/$pid/stat" | awk -v n="$name" '{print n, $12 + $13}'
    done | awk '{t[$1] += $2} END {for (k in t) print k, t[k]}' | sort
}

# "name ms-of-CPU-per-order" from two cpu_ticks snapshots and the orders placed in between.
cpu_per_order() {
  local before="$1" after="$2" orders="$3" hz
  hz="$(getconf CLK_TCK)"
  join "$before" "$after" | awk -v o="$orders" -v hz="$hz" '
    { ms = ($3 - $2) * 1000 / hz; total += ms; printf "%-16s %8.0f ms CPU  %6.2f ms/order\n", $1, ms, (o > 0 ? ms / o : 0) }
    END { printf "%-16s %8.0f ms CPU  %6.2f ms/order\n", "ALL", total, (o > 0 ? total / o : 0) }' | sort -k5 -nr
}

orders_snapshot() {
  psql_at order "SELECT count(*), count(*) FILTER (WHERE status = 'DELIVERED'),
    count(*) FILTER (WHERE status NOT IN ('DELIVERED', 'REJECTED', 'CANCELLED')) FROM orders" | tr '|' ' '
}

commits() {
  psql_at postgres "SELECT sum(xact_commit) FROM pg_stat_database"
}

java_lag() {
  java -cp "launcher/target/lib/*" loadtest/Lag.java "$KAFKA" "$@" 2>>"$OUT/lag.err"
}

# --- 3. load --------------------------------------------------------------------------------------
wrk_orders() {
  local seconds="$1" file="$2" connections="${3:-$CONNECTIONS}"
  BENCH_TOKEN="$(cat "$OUT/token")" BENCH_ORDER="$(cat "$OUT/order.json")" \
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -s loadtest/post-order.lua "$GATEWAY/orders" >"$file" 2>&1 || true
  grep '^WRK_JSON ' "$file" | sed 's/^WRK_JSON //'
}

# Polls until no order is between PAID and DELIVERED, up to CATCH_UP_SECONDS after the load's end;
# prints "<seconds> <total> <delivered> <in flight>".
catch_up() {
  local ended="$1" total delivered open now
  while true; do
    read -r total delivered open < <(orders_snapshot)
    now=$(date +%s.%N)
    if [ "$open" -eq 0 ] || awk -v n="$now" -v e="$ended" -v m="$CATCH_UP_SECONDS" 'BEGIN { exit !(n - e > m) }'; then
      awk -v n="$now" -v e="$ended" -v t="$total" -v d="$delivered" -v o="$open" 'BEGIN { printf "%.1f %d %d %d\n", n - e, t, d, o }'
      return
    fi
    sleep 0.5
  done
}

main() {
  tools
  {
    echo "# Benchmark run $LABEL ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
    echo
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"\
      "$(free -m | awk '/^Mem:/ {printf "%.1f GiB", $2 / 1024}') memory, $(java -version 2>&1 | head -1)"
    echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- git: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' + local changes')"
    echo "- settings: CAFE_AUTO_BREW_MS=${CAFE_AUTO_BREW_MS:-1} CAFE_AUTO_DELIVER_MS=${CAFE_AUTO_DELIVER_MS:-1}"\
      "CAFE_JAVA_OPTS=${CAFE_JAVA_OPTS:-default} PG_POOL_SIZE=${PG_POOL_SIZE:-default}"\
      "HTTP_INSTANCES=${HTTP_INSTANCES:-default} EVENT_LOOPS=${EVENT_LOOPS:-default}"
    echo
  } >"$SUMMARY"
  say "load average $(cut -d' ' -f1-3 /proc/loadavg); output in $OUT"

  start_cafe
  process_names >"$OUT/pids.txt"
  loadtest/login.sh >>"$OUT/bench.log" 2>&1 || die "login failed; see $OUT/bench.log"
  rss "$OUT/rss-idle.txt" >/dev/null

  say "warming up: wrk -c$CONNECTIONS -d${WARM_SECONDS}s POST /orders"
  wrk_orders "$WARM_SECONDS" "$OUT/wrk-warm.txt" >/dev/null
  read -r warm_wait _ < <(catch_up "$(date +%s.%N)")
  say "warm-up orders caught up in ${warm_wait} s"

  local siege_json="{}" siege_catch="-"
  if [ "${BENCH_SKIP_SIEGE:-0}" != "1" ]; then
    say "siege -c$SIEGE_USERS -t${LOAD_SECONDS}S POST /orders (load average $(cut -d' ' -f1 /proc/loadavg))"
    loadtest/siege-orders.sh "$SIEGE_USERS" "${LOAD_SECONDS}S" >"$OUT/siege.json" 2>"$OUT/siege.err" || true
    # A first siege run on a machine also prints where it wrote its configuration: only the JSON is read.
    siege_json="$(sed -n "/^{/,/^}/p" "$OUT/siege.json" | jq -c . 2>/dev/null || echo "{}")"
    read -r siege_catch _ < <(catch_up "$(date +%s.%N)")
    say "siege: $siege_json; caught up in ${siege_catch} s"
  fi

  # The measured run: counters before, pidstat during, counters after.
  read -r orders_before _ < <(orders_snapshot)
  local commits_before load_before
  commits_before="$(commits)"
  load_before="$(cut -d' ' -f1 /proc/loadavg)"
  say "wrk -t2 -c$CONNECTIONS -d${LOAD_SECONDS}s POST /orders (load average $load_before)"
  cpu_ticks >"$OUT/cpu-before.txt"
  pidstat -u -h 5 "$((LOAD_SECONDS / 5))" >"$OUT/pidstat-wrk.txt" 2>&1 &
  local pidstat_pid=$!
  local wrk_json
  wrk_json="$(wrk_orders "$LOAD_SECONDS" "$OUT/wrk.txt")"
  local ended
  ended="$(date +%s.%N)"
  cpu_ticks >"$OUT/cpu-after.txt"
  local commits_after
  commits_after="$(commits)"
  read -r orders_after _ < <(orders_snapshot)
  wait "$pidstat_pid" 2>/dev/null || true
  say "wrk: $wrk_json"

  say "waiting for the saga to catch up (up to ${CATCH_UP_SECONDS} s)"
  local catch total delivered open
  read -r catch total delivered open < <(catch_up "$ended")
  local lag_line lag_total lag_seconds
  local left_ms
  left_ms="$(awk -v n="$(date +%s.%N)" -v e="$ended" -v m="$CATCH_UP_SECONDS" 'BEGIN { l = (m - (n - e)) * 1000; print (l < 1000 ? 1000 : int(l)) }')"
  lag_line="$(java_lag --until-zero "$left_ms" | tee "$OUT/lag.txt" | tail -1)"
  lag_total="$(awk '{print $2}' <<<"$lag_line")"
  lag_seconds="$(awk -v n="$(date +%s.%N)" -v e="$ended" 'BEGIN { printf "%.1f", n - e }')"
  local unsent
  unsent="$(( $(psql_at order "SELECT count(*) FROM outbox WHERE sent_at IS NULL") + $(psql_at payment "SELECT count(*) FROM outbox WHERE sent_at IS NULL") ))"
  say "saga: $delivered of $total DELIVERED, $open in flight, after ${catch} s; lag $lag_total at ${lag_seconds} s; unsent outbox rows $unsent"
  rss "$OUT/rss-after.txt" >/dev/null

  # The same orders at a few connections, on the caught-up cafe: the latency of an order when it does
  # not wait behind others for the CPU.
  local light_json="{}"
  if [ "$LIGHT_CONNECTIONS" -gt 0 ]; then
    say "wrk -t2 -c$LIGHT_CONNECTIONS -d${LIGHT_SECONDS}s POST /orders (latency without queueing)"
    light_json="$(wrk_orders "$LIGHT_SECONDS" "$OUT/wrk-light.txt" "$LIGHT_CONNECTIONS")"
    say "wrk light: $light_json"
  fi
  cpu_table "$OUT/pidstat-wrk.txt" "$OUT/pids.txt" >"$OUT/cpu-wrk.txt"
  local orders_run=$((orders_after - orders_before))
  local commit_rate commits_per_order
  commit_rate="$(awk -v a="$commits_after" -v b="$commits_before" -v s="$LOAD_SECONDS" 'BEGIN { printf "%.0f", (a - b) / s }')"
  commits_per_order="$(awk -v a="$commits_after" -v b="$commits_before" -v o="$orders_run" 'BEGIN { printf "%.1f", (o > 0 ? (a - b) / o : 0) }')"

  local pg_ref="-" pg_cafe="-" bare_json="{}"
  if [ "${BENCH_KEEP_UP:-0}" != "1" ]; then
    stop_cafe
  fi

  if [ "${BENCH_SKIP_LIMITS:-0}" != "1" ] && [ "${BENCH_KEEP_UP:-0}" != "1" ]; then
    # The cafe's PostgreSQL alone (same binaries, data and settings, from the command line it ran
    # with), so pgbench has the machine to itself.
    say "pgbench: one order write (reference and the cafe's three commits), c50, ${LIMIT_SECONDS} s each"
    local opts postgres_bin
    opts="$ROOT/.cafe/postgres/postmaster.opts"
    [ -f "$opts" ] || die "$opts is missing: cannot start the cafe's PostgreSQL alone"
    postgres_bin="$(sed 's/^\([^ ]*\) .*/\1/' "$opts")"
    eval "set -- $(cut -d' ' -f2- "$opts")"
    # As root PostgreSQL refuses to start; in a user namespace it no longer sees uid 0 (as the launcher does it).
    local as_user=""
    [ "$(id -u)" -ne 0 ] || as_user="unshare -U"
    $as_user "$postgres_bin" "$@" >"$OUT/postgres-alone.log" 2>&1 &
    local pg_pid=$!
    for _ in $(seq 1 60); do
      psql_at postgres "SELECT 1" >/dev/null 2>&1 && break
      sleep 0.5
    done
    psql -X -q "$PG/postgres" -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" >/dev/null 2>&1
    for schema in common/src/main/resources/db/common/V1__outbox_inbox.sql \
      order-verticle/src/main/resources/db/order/V1__orders.sql payment-verticle/src/main/resources/db/payment/V1__payments.sql \
      loadtest/pgbench-schema.sql; do
      psql -X -q -v ON_ERROR_STOP=1 "$PG/bench" -f "$schema" >/dev/null 2>&1 || say "could not apply $schema to bench"
    done
    pgbench -n -c50 -j2 -T"$LIMIT_SECONDS" -f loadtest/pgbench-order.sql "$PG/bench" >"$OUT/pgbench-order.txt" 2>&1 || true
    pgbench -n -c50 -j2 -T"$LIMIT_SECONDS" -f loadtest/pgbench-cafe-order.sql "$PG/bench" >"$OUT/pgbench-cafe-order.txt" 2>&1 || true
    kill -INT "$pg_pid" 2>/dev/null || true
    wait "$pg_pid" 2>/dev/null || true
    pg_ref="$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$OUT/pgbench-order.txt" | head -1)"
    pg_cafe="$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$OUT/pgbench-cafe-order.txt" | head -1)"
    say "pgbench: reference order write $pg_ref tx/s; the cafe's order write up to PAID $pg_cafe orders/s (3 commits each)"
  fi

  if [ "${BENCH_SKIP_LIMITS:-0}" != "1" ]; then
    say "bare Vert.x (2 instances): wrk -t2 -c50 POST, ${LIMIT_SECONDS} s after a 10 s warm-up"
    java -cp "order-verticle/target/lib/*" loadtest/BareHttp.java "$BARE_PORT" >"$OUT/bare.log" 2>&1 &
    BARE_PID=$!
    for _ in $(seq 1 120); do
      grep -q listening "$OUT/bare.log" && break
      sleep 0.5
    done
    wrk -t2 -c50 -d10s -s loadtest/post-bare.lua "http://127.0.0.1:$BARE_PORT/orders" >/dev/null 2>&1 || true
    wrk -t2 -c50 -d"${LIMIT_SECONDS}s" --latency -s loadtest/post-bare.lua "http://127.0.0.1:$BARE_PORT/orders" \
      >"$OUT/wrk-bare.txt" 2>&1 || true
    kill -TERM "$BARE_PID" 2>/dev/null || true
    BARE_PID=""
    bare_json="$(grep '^WRK_JSON ' "$OUT/wrk-bare.txt" | sed 's/^WRK_JSON //' || echo '{}')"
    say "bare Vert.x: $bare_json"
  fi

  local rss_total pss_total
  rss_total="$(awk '/^total/ {print $2}' "$OUT/rss-after.txt")"
  pss_total="$(awk '/^total/ {print $3}' "$OUT/rss-after.txt")"
  {
    echo "## Result"
    echo
    echo "| measure | value | target |"
    echo "|---|---|---|"
    echo "| orders/s, wrk -c$CONNECTIONS ${LOAD_SECONDS}s, POST /orders via gateway with JWT | $(jq -r '.rps' <<<"$wrk_json") | ≥ 1,500 |"
    echo "| answers other than 201 / socket errors | $(jq -r '"\(.non201) \(.statuses|tostring) / \(.connect_errors + .read_errors + .write_errors + .timeouts)"' <<<"$wrk_json") | 0 |"
    echo "| p50 / p99 / max (ms) | $(jq -r '"\(.p50_ms) / \(.p99_ms) / \(.max_ms)"' <<<"$wrk_json") | p99 ≤ 40 |"
    echo "| at -c$LIGHT_CONNECTIONS ${LIGHT_SECONDS}s after the catch-up: orders/s, p50 / p99 (ms), answers ≠ 201 | $(jq -r '"\(.rps // "-"), \(.p50_ms // "-") / \(.p99_ms // "-"), \(.non201 // "-")"' <<<"$light_json") | |"
    echo "| siege -c$SIEGE_USERS -t${LOAD_SECONDS}S: transactions/s, availability, failed | $(jq -r '"\(.transaction_rate // "-") , \(.availability // "-") %, \(.failed_transactions // "-")"' <<<"$siege_json") | 100 % |"
    echo "| orders DELIVERED after the wrk run / all orders / in flight | $delivered / $total / $open | all |"
    echo "| saga caught up after the load (s) | $catch | ≤ 60 |"
    echo "| consumer lag, and when it was read (s after the load) | $lag_total at $lag_seconds | 0 within 60 |"
    echo "| outbox rows unsent | $unsent | 0 |"
    echo "| RSS of the six services after the load (MB) | $rss_total ($(awk '!/^total/ {printf "%s %s, ", $1, $2}' "$OUT/rss-after.txt" | sed 's/, $//')) | ≤ 600 |"
    echo "| PSS of the six services after the load (MB): shared pages split between them | $pss_total ($(awk '!/^total/ {printf "%s %s, ", $1, $3}' "$OUT/rss-after.txt" | sed 's/, $//')) | |"
    echo "| PostgreSQL commits/s during wrk, commits per order | $commit_rate, $commits_per_order | |"
    echo "| load average at the start of the wrk run | $load_before | |"
    echo "| limit: pgbench c50, one order write (order + 2 items + outbox), tx/s | $pg_ref | |"
    echo "| limit: pgbench c50, the cafe's three commits up to PAID, orders/s | $pg_cafe | |"
    echo "| limit: bare Vert.x POST 201, wrk -c50: req/s, p99 (ms) | $(jq -r '"\(.rps // "-"), \(.p99_ms // "-")"' <<<"$bare_json") | |"
    echo
    echo "CPU during the wrk run (% of one core, average over the run; 200 = both cores; pidstat):"
    echo
    echo '```'
    cat "$OUT/cpu-wrk.txt"
    echo '```'
    echo
    echo "CPU time of each part of the cafe during the wrk run, per order placed in it (/proc; the saga's"
    echo "work on earlier orders counts too):"
    echo
    echo '```'
    cpu_per_order "$OUT/cpu-before.txt" "$OUT/cpu-after.txt" "$orders_run"
    echo '```'
  } >>"$SUMMARY"
  say "done: $SUMMARY"
  cat "$SUMMARY"
}

# --- flow: what the cafe admits, finishes and refuses, from a cold start and at steady state ---------
# loadtest/bench.sh flow: siege -c100 -t60S right after ./cafe up reports ready (answers per status, share of
# 201, p99 from the gateway's histogram), the catch-up after it; FLOW_STEADY_SECONDS (300) of wrk -c50 with the
# admitted and completed (DELIVERED) orders per second over its last FLOW_STEADY_SECONDS - 60 s and the CPU per
# completed order; FLOW_OVERLOAD_SECONDS (60) of wrk -c400 with its refusals; and how soon after each load every
# order is DELIVERED and a new order is answered 201 within a second.
metrics_snap() {
  python3 loadtest/orders_metrics.py snap "$GATEWAY" "$1"
}

metrics_diff() {
  python3 loadtest/orders_metrics.py diff "$1" "$2"
}

# Every 5 s: "<epoch> <orders> <delivered> <in flight>", until killed.
sample_orders() {
  while true; do
    echo "$(date +%s.%N) $(orders_snapshot)"
    sleep 5
  done
}

# Orders per second between the sample nearest to <from> s after <start> and the last sample: "<admitted> <delivered>".
rates_from_samples() {
  local file="$1" start="$2" from="$3"
  awk -v s="$start" -v f="$from" '
    { t = $1 - s; if (t >= f && !base) { bt = $1; bo = $2; bd = $3; base = 1 } lt = $1; lo = $2; ld = $3 }
    END { d = lt - bt; if (!base || d <= 0) { print "- -"; exit }
          printf "%.1f %.1f\n", (lo - bo) / d, (ld - bd) / d }' "$file"
}

# Seconds after <ended> until one order is answered 201 within a second (tried every 0.5 s, up to 60 s).
normal_again() {
  local ended="$1" code took now
  while true; do
    read -r code took < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST "$GATEWAY/orders" \
      -H "Authorization: Bearer $(cat "$OUT/token")" -H 'Content-Type: application/json' -d "$(cat "$OUT/order.json")")
    now=$(date +%s.%N)
    if [ "$code" = "201" ] && awk -v t="$took" 'BEGIN { exit !(t < 1) }'; then
      awk -v n="$now" -v e="$ended" 'BEGIN { printf "%.1f\n", n - e }'
      return
    fi
    if awk -v n="$now" -v e="$ended" 'BEGIN { exit !(n - e > 60) }'; then
      echo "over 60"
      return
    fi
    sleep 0.5
  done
}

lag_now() {
  java_lag --until-zero 30000 | tail -1 | awk '{print $2}'
}

flow_main() {
  local steady="${FLOW_STEADY_SECONDS:-300}" overload="${FLOW_OVERLOAD_SECONDS:-60}"
  CATCH_UP_SECONDS="${BENCH_CATCH_UP_SECONDS:-120}"
  tools
  {
    echo "# Flow benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
    echo
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"\
      "$(free -m | awk '/^Mem:/ {printf "%.1f GiB", $2 / 1024}') memory, $(java -version 2>&1 | head -1)"
    echo "- git: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' + local changes')"
    echo "- settings: CAFE_AUTO_BREW_MS=${CAFE_AUTO_BREW_MS:-1} CAFE_AUTO_DELIVER_MS=${CAFE_AUTO_DELIVER_MS:-1}"\
      "CAFE_JAVA_OPTS=${CAFE_JAVA_OPTS:-default}"
    echo
  } >"$SUMMARY"
  start_cafe
  process_names >"$OUT/pids.txt"
  loadtest/login.sh >>"$OUT/bench.log" 2>&1 || die "login failed; see $OUT/bench.log"
  rss "$OUT/rss-idle.txt" >/dev/null

  # 1. The seeds' test from a cold start.
  say "cold: siege -c$SIEGE_USERS -t${LOAD_SECONDS}S POST /orders right after the cafe reported ready"
  metrics_snap "$OUT/m-cold-before.json"
  # siege 4 has been seen to hang at the end of its time with every socket in CLOSE-WAIT: it gets SIGINT 30 s
  # after its time is up (its statistics are then printed, or lost), and the gateway's counts stand in.
  timeout -s INT -k 10 "$((LOAD_SECONDS + 30))" loadtest/siege-orders.sh "$SIEGE_USERS" "${LOAD_SECONDS}S" \
    >"$OUT/siege.json" 2>"$OUT/siege.err" || true
  local ended
  ended="$(date +%s.%N)"
  metrics_snap "$OUT/m-cold-after.json"
  local siege_json cold_json cold_catch cold_total cold_delivered cold_open cold_lag
  siege_json="$(sed -n "/^{/,/^}/p" "$OUT/siege.json" | jq -c . 2>/dev/null || echo "{}")"
  cold_json="$(metrics_diff "$OUT/m-cold-before.json" "$OUT/m-cold-after.json")"
  read -r cold_catch cold_total cold_delivered cold_open < <(catch_up "$ended")
  cold_lag="$(lag_now)"
  say "cold: siege $siege_json; gateway $cold_json; $cold_delivered of $cold_total DELIVERED, $cold_open in flight after ${cold_catch} s, lag $cold_lag"

  # 2. Steady state.
  say "steady: wrk -t2 -c$CONNECTIONS -d${steady}s POST /orders"
  metrics_snap "$OUT/m-steady-before.json"
  cpu_ticks >"$OUT/cpu-steady-before.txt"
  local start
  start="$(date +%s.%N)"
  sample_orders >"$OUT/samples-steady.txt" &
  local sampler=$!
  local steady_wrk
  steady_wrk="$(wrk_orders "$steady" "$OUT/wrk-steady.txt" "$CONNECTIONS")"
  ended="$(date +%s.%N)"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  echo "$ended $(orders_snapshot)" >>"$OUT/samples-steady.txt"
  cpu_ticks >"$OUT/cpu-steady-after.txt"
  metrics_snap "$OUT/m-steady-after.json"
  local steady_json steady_rates admitted_rate delivered_rate
  steady_json="$(metrics_diff "$OUT/m-steady-before.json" "$OUT/m-steady-after.json")"
  steady_rates="$(rates_from_samples "$OUT/samples-steady.txt" "$start" 60)"
  read -r admitted_rate delivered_rate <<<"$steady_rates"
  local first_total first_delivered last_delivered
  first_delivered="$(head -1 "$OUT/samples-steady.txt" | awk '{print $3}')"
  last_delivered="$(tail -1 "$OUT/samples-steady.txt" | awk '{print $3}')"
  cpu_per_order "$OUT/cpu-steady-before.txt" "$OUT/cpu-steady-after.txt" "$((last_delivered - first_delivered))" \
    >"$OUT/cpu-steady.txt"
  local steady_catch steady_total steady_delivered steady_open steady_lag steady_normal
  steady_normal="$(normal_again "$ended")"
  read -r steady_catch steady_total steady_delivered steady_open < <(catch_up "$ended")
  steady_lag="$(lag_now)"
  say "steady: wrk $steady_wrk; gateway $steady_json; admitted $admitted_rate/s, delivered $delivered_rate/s;"\
    "caught up after ${steady_catch} s ($steady_open in flight), lag $steady_lag; a 201 within 1 s after ${steady_normal} s"

  # 3. Overload.
  say "overload: wrk -t2 -c400 -d${overload}s POST /orders"
  metrics_snap "$OUT/m-over-before.json"
  start="$(date +%s.%N)"
  sample_orders >"$OUT/samples-over.txt" &
  sampler=$!
  local over_wrk
  over_wrk="$(wrk_orders "$overload" "$OUT/wrk-over.txt" 400)"
  ended="$(date +%s.%N)"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  echo "$ended $(orders_snapshot)" >>"$OUT/samples-over.txt"
  metrics_snap "$OUT/m-over-after.json"
  local over_json over_rates over_admitted over_delivered over_normal over_catch over_total over_delivered_all over_open
  over_json="$(metrics_diff "$OUT/m-over-before.json" "$OUT/m-over-after.json")"
  over_rates="$(rates_from_samples "$OUT/samples-over.txt" "$start" 10)"
  read -r over_admitted over_delivered <<<"$over_rates"
  over_normal="$(normal_again "$ended")"
  read -r over_catch over_total over_delivered_all over_open < <(catch_up "$ended")
  say "overload: wrk $over_wrk; gateway $over_json; admitted $over_admitted/s, delivered $over_delivered/s;"\
    "a 201 within 1 s after ${over_normal} s; caught up after ${over_catch} s ($over_open in flight)"
  rss "$OUT/rss-after.txt" >/dev/null

  {
    echo "## Result"
    echo
    echo "| measure | value | promise |"
    echo "|---|---|---|"
    echo "| cold start, siege -c$SIEGE_USERS -t${LOAD_SECONDS}S: transactions/s, availability, failed | $(jq -r '"\(.transaction_rate // "-"), \(.availability // "-") %, \(.failed_transactions // "-")"' <<<"$siege_json") | 100 % |"
    echo "| cold start: answers per status (gateway), share 201 | $(jq -r '"\(.statuses|tostring), \(.share_201) %"' <<<"$cold_json") | ≥ 99 % 201 |"
    echo "| cold start: p50 / p99 (ms, gateway histogram) | $(jq -r '"\(.p50_ms) / \(.p99_ms)"' <<<"$cold_json") | p99 ≤ 1000 |"
    echo "| cold start: all DELIVERED after the load (s); in flight then; lag | $cold_catch; $cold_open; $cold_lag | ≤ 30; 0; 0 |"
    echo "| steady, wrk -c$CONNECTIONS ${steady}s: admitted / completed (DELIVERED) orders/s over its last $((steady - 60)) s | $admitted_rate / $delivered_rate | completed ≥ 400 (Xeon), ≥ 200 (EPYC) |"
    echo "| steady: answers per status, p50 / p99 (ms) | $(jq -r '"\(.statuses|tostring), \(.p50_ms) / \(.p99_ms)"' <<<"$steady_json") | |"
    echo "| steady: CPU per completed order (ms, all processes) | $(awk '/^ALL/ {print $5}' "$OUT/cpu-steady.txt") | |"
    echo "| steady: all DELIVERED after the load (s); in flight then; lag; a 201 within 1 s after (s) | $steady_catch; $steady_open; $steady_lag; $steady_normal | ≤ 30 |"
    echo "| overload, wrk -c400 ${overload}s: admitted / completed orders/s | $over_admitted / $over_delivered | completed ≥ 90 % of steady |"
    echo "| overload: answers per status, p99 of a 503 (ms) | $(jq -r '"\(.statuses|tostring), \(.refused_p99_ms)"' <<<"$over_json") | 503 + Retry-After, p99 ≤ 50 |"
    echo "| overload: a 201 within 1 s after (s); all DELIVERED after (s), in flight then | $over_normal; $over_catch, $over_open | ≤ 10 |"
    echo "| RSS / PSS of the six services after the runs (MB) | $(awk '/^total/ {print $2 " / " $3}' "$OUT/rss-after.txt") | |"
    echo
    echo "CPU per completed order during the steady run:"
    echo
    echo '```'
    cat "$OUT/cpu-steady.txt"
    echo '```'
  } >>"$SUMMARY"
  say "done: $SUMMARY"
  cat "$SUMMARY"
}

if [ "$LABEL" = "flow" ]; then
  flow_main
else
  main "$@"
fi
