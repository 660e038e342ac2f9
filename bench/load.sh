#!/usr/bin/env bash
# Load run of moviedb over HTTP, recorded in docs/BENCHMARKS.md.
#
#   bench/load.sh [sqlite|postgres] [duration]
#
# Builds moviedb and the baseline server, generates the benchmark catalog
# (10,000 movies, 30,000 persons, 100,000 cast rows) into a fresh database,
# then runs wrk (2 threads, 64 connections) against: the baseline (a fixed
# 1 KB JSON body over net/http), the full movie detail for random ids, and
# the classic multi-filter search with its exact total. It prints wrk's
# figures and moviedb's peak resident memory. The load generator shares
# the machine's cores with the server, as in production-like tests here.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
duration=${2:-20s}

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/moviedb" ./cmd/moviedb
go build -o "$work/baseline" ./bench/baseline

case $engine in
  sqlite) db="sqlite:$work/bench.db" ;;
  postgres)
    name="moviedb_bench_$$"
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $name" >/dev/null
    trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null' EXIT
    db="postgres://postgres@127.0.0.1:5432/$name?sslmode=disable" ;;
  *) echo "usage: $0 [sqlite|postgres] [duration]" >&2; exit 2 ;;
esac

echo "== generating the benchmark catalog ($engine)"
MOVIEDB_BENCH_CATALOG="$db" go test ./sqlstore -run '^TestWriteBenchCatalog$' -count=1 >/dev/null

"$work/baseline" -addr 127.0.0.1:8099 &
"$work/moviedb" serve --addr 127.0.0.1:8098 --db "$db" --log-level warn &
server=$!
for _ in $(seq 100); do curl -sf -o /dev/null 127.0.0.1:8098/readyz && curl -sf -o /dev/null 127.0.0.1:8099/ && break; sleep 0.1; done

run() { # name url [script]
  echo "== $1"
  if [[ -n ${3:-} ]]; then
    wrk -t2 -c64 -d"$duration" --latency -s "bench/$3" "$2" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors'
  else
    wrk -t2 -c64 -d"$duration" --latency "$2" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors'
  fi
}
run "baseline: fixed 1 KB JSON over net/http" http://127.0.0.1:8099/
run "movie detail, random ids" http://127.0.0.1:8098 detail.lua
run "multi-filter search with total" http://127.0.0.1:8098 search.lua
# RssFile counts the SQLite file's pages mapped by each read connection
# (mmap), once per connection although they are one copy in the page cache;
# RssAnon is the process's own memory.
echo "== moviedb memory: $(grep -E 'VmHWM|VmRSS|RssAnon|RssFile' /proc/$server/status | tr -s ' \t' ' ' | tr '\n' ' ')"
