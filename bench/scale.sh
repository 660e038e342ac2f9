#!/usr/bin/env bash
# Scale benchmark of moviedb (issue 11), recorded in docs/BENCHMARKS.md.
#
#   bench/scale.sh ENGINE SIZE
#
# ENGINE is sqlite or postgres. SIZE is 10k, 100k, 1m or a number of
# movies (an IMDb-shaped catalog made by bench/imdbgen, cached under the
# data directory by size and seed), or wikipedia (the Wikipedia movie file
# of the shared data sets).
#
# It builds moviedb, imports the catalog into a fresh database with
# `moviedb import` (wall time, rows/s, peak RSS, database size), starts
# `moviedb serve` with its default settings (no ANALYZE or other manual
# step), then for every endpoint kind of the table below runs (a) one
# client issuing sequential requests with random parameters (bench/seqload:
# p50, p99) and (b) wrk, 2 threads and 64 connections (bench/template.lua:
# req/s, p99), beside the net/http baseline (bench/baseline) measured in
# the same run. Both accept gzip, as browsers and Go's HTTP client do
# (seqload through Go's client, wrk by a header). Any response that is not 2xx fails the run. The results
# table goes to stdout and to a file in the results directory.
#
# Environment (defaults in brackets):
#   DURATION               each run [15s]
#   SEED                   generator seed [1]
#   MOVIEDB_BENCH_DATA     generated catalogs [bench/data]
#   MOVIEDB_BENCH_RESULTS  results files [bench/results]
#   MOVIEDB_BENCH_POSTGRES server for ENGINE postgres; the script creates
#                          and drops a database there [postgres://postgres@127.0.0.1:5432]
#   MOVIEDB_DATASETS       where wikipedia-movies.json.gz is [../shared/datasets]
#   MOVIEDB_BENCH_WORK     where the run's scratch directory (SQLite file, binaries)
#                          is made and removed [$TMPDIR or /tmp]
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { echo "usage: $0 sqlite|postgres 10k|100k|1m|N|wikipedia" >&2; exit 2; }
engine=${1:-}
size=${2:-}
[[ $# -eq 2 ]] || usage
duration=${DURATION:-15s}
seed=${SEED:-1}
data=${MOVIEDB_BENCH_DATA:-bench/data}
results=${MOVIEDB_BENCH_RESULTS:-bench/results}
pgbase=${MOVIEDB_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
datasets=${MOVIEDB_DATASETS:-../shared/datasets}

# The endpoint kinds: "kind|path[|admin]". A {name} in a path is replaced, for each
# request, by a random value of parameter name (see the parameter file
# written below: ids and busy people from bench/scaleparams, the rest
# here). "admin" sends the admin's token. Adding an endpoint is adding a line.
endpoints='
movie detail|/api/v1/movies/{movie}
person detail, random|/api/v1/persons/{person}
person detail, ten busiest|/api/v1/persons/{busy_person}
movies: classic query|/api/v1/movies?{country_filter}released_from={year}-01-01&min_duration=135&genre=Action&genre=Drama&sort=-release_date
movies: genre + decade, by date|/api/v1/movies?genre={genre}&{decade}&sort=-release_date
movies: common word|/api/v1/movies?q={common_word}
movies: rare word|/api/v1/movies?q={rare_word}
movies: busy actor|/api/v1/movies?actor={busy_actor}
movies: sort=-popularity|/api/v1/movies?sort=-popularity
movies: page 1000|/api/v1/movies?page=1000
persons: by name|/api/v1/persons?q={person_name}
reports/actor-budgets|/api/v1/reports/actor-budgets
reports/actor-budgets, deep page|/api/v1/reports/actor-budgets?page={deep_actor_budgets}
reports/recent-movies|/api/v1/reports/recent-movies
reports/recent-movies, deep page|/api/v1/reports/recent-movies?page={deep_recent_movies}
reports/director-budgets|/api/v1/reports/director-budgets
reports/director-budgets, deep page|/api/v1/reports/director-budgets?page={deep_director_budgets}
reports/user-favorites|/api/v1/reports/user-favorites|admin
reports/user-favorites, deep page|/api/v1/reports/user-favorites?page={deep_user_favorites}|admin
web: home page|/
web: movie page|/movies/{movie}
'
# The reports whose deep page is looked up: the 500th page (offset 9,980)
# or the last one if there are fewer.
deep_reports='actor-budgets recent-movies director-budgets user-favorites'

case $engine in sqlite|postgres) ;; *) usage ;; esac
case $size in
  wikipedia) format=wikipedia; files=("$datasets/wikipedia-movies.json.gz") ;;
  *[kK]) movies=$(( ${size%[kK]} * 1000 )) ;;
  *[mM]) movies=$(( ${size%[mM]} * 1000000 )) ;;
  *[!0-9]*|'') usage ;;
  *) movies=$size ;;
esac

sudo_() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v curl >/dev/null || missing+=(curl)
if [[ ${#missing[@]} -gt 0 ]]; then
  sudo_ apt-get update -qq && sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d "${MOVIEDB_BENCH_WORK:-${TMPDIR:-/tmp}}/moviedb-scale.XXXXXX")
pgname=""
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  if [[ -n $pgname ]]; then
    psql "$pgbase/postgres" -qc "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
log() { echo "== $*" >&2; }

log "building"
# The commit measured is the one built now, whatever happens to the
# checkout during the run.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
[[ -z $(git status --porcelain --untracked-files=no 2>/dev/null) ]] || commit+=" plus uncommitted changes"
for cmd in ./cmd/moviedb ./bench/baseline ./bench/seqload ./bench/scaleparams ./bench/imdbgen; do
  go build -o "$work/$(basename $cmd)" $cmd
done

if [[ -z ${format:-} ]]; then
  format=imdb
  dir=$data/imdb-$size
  [[ $seed == 1 ]] || dir=$dir-seed$seed
  want="imdbgen -movies $movies -seed $seed"
  if [[ ! -f $dir/DONE || $(cat "$dir/DONE") != "$want" ]]; then
    log "generating $movies movies (seed $seed) into $dir"
    "$work/imdbgen" -movies "$movies" -seed "$seed" -out "$dir" >&2
  fi
  files=("$dir"/title.basics.tsv.gz "$dir"/title.crew.tsv.gz "$dir"/title.principals.tsv.gz "$dir"/name.basics.tsv.gz)
fi

case $engine in
  sqlite) db="sqlite:$work/scale.db" ;;
  postgres)
    pgname="moviedb_scale_$$"
    psql "$pgbase/postgres" -qc "CREATE DATABASE $pgname" >/dev/null
    db="$pgbase/$pgname?sslmode=disable" ;;
esac

log "importing ($format into $engine)"
start=$(date +%s%N)
/usr/bin/time -v -o "$work/import.time" "$work/moviedb" import "$format" "${files[@]}" --db "$db" >"$work/import.log" 2>&1 ||
  { cat "$work/import.log" "$work/import.time" >&2; exit 1; }
import_ms=$(( ($(date +%s%N) - start) / 1000000 ))
import_rss=$(awk -F': ' '/Maximum resident set size/ {printf "%d MB", $2/1024}' "$work/import.time")
tail -n 12 "$work/import.log" >&2
"$work/scaleparams" -db "$db" -counts >"$work/counts"
rows=$(awk '$1 == "total" {print $2}' "$work/counts")
count() { awk -v t="$1" '$1 == t {print $2}' "$work/counts"; }
case $engine in
  sqlite) db_bytes=$(cat "$work"/scale.db* | wc -c) ;;
  postgres) db_bytes=$(psql "$pgbase/postgres" -tAc "SELECT pg_database_size('$pgname')") ;;
esac

free_port() { # a port nothing listens on
  local p
  while :; do
    p=$(( 20000 + RANDOM % 20000 ))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }
  done
}
port=$(free_port)
base_port=$(free_port)
url=http://127.0.0.1:$port
base_url=http://127.0.0.1:$base_port
"$work/baseline" -addr 127.0.0.1:$base_port &
"$work/moviedb" serve --addr 127.0.0.1:$port --db "$db" --storage "file:$work/files" --log-level warn &
server=$!
for _ in $(seq 300); do
  curl -sf -o /dev/null $url/readyz && curl -sf -o /dev/null $base_url/ && break
  sleep 0.1
done
curl -sf -o /dev/null $url/readyz || { echo "moviedb did not start" >&2; exit 1; }

# An admin for the admin-only report.
password="scale-bench-$RANDOM$RANDOM$RANDOM"
echo "$password" | "$work/moviedb" users create --admin --username scalebench --email scalebench@example.com --db "$db" >/dev/null
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"login\":\"scalebench\",\"password\":\"$password\"}" $url/api/v1/auth/login |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[[ -n $token ]] || { echo "admin login failed" >&2; exit 1; }
auth="Authorization: Bearer $token"

params=$work/params.txt
{
  "$work/scaleparams" -db "$db"
  for y in $(seq 1960 5 2020); do echo "year=$y"; done
  for d in $(seq 1950 10 2020); do echo "decade=released_from=$d-01-01&released_to=$((d + 9))-12-31"; done
  printf 'common_word=%s\n' the love
  "$work/imdbgen" -rare-words | sed 's/^/rare_word=/'
  printf 'person_name=%s\n' john mary david anna smith garcia michael maria
  for r in $deep_reports; do
    total=$(curl -sf -H "$auth" "$url/api/v1/reports/$r?per_page=20" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
    pages=$(( (${total:-0} + 19) / 20 ))
    echo "deep_${r//-/_}=$(( pages > 500 ? 500 : (pages < 1 ? 1 : pages) ))"
  done
} >"$params"

# one_client URL PATH HEADER: p50 and p99 of sequential requests.
one_client() {
  "$work/seqload" -base "$1" -params "$params" -path "$2" -d "$duration" -H "$3" ||
    { echo "FAILED: one client on $2" >&2; exit 1; }
}
# under_wrk URL PATH HEADER: req/s and p99 under wrk; a non-2xx answer fails.
under_wrk() {
  local out
  out=$(wrk -t2 -c64 -d"$duration" --timeout 10s --latency -H "Accept-Encoding: gzip" ${3:+-H "$3"} -s bench/template.lua "$1" -- "$params" "$2")
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "FAILED: wrk on $1:" >&2; echo "$out" >&2; exit 1
  fi
  local rps p99 timeouts
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  timeouts=$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' <<<"$out")
  if ! grep -q 'requests in' <<<"$out" || grep -q ' 0 requests in' <<<"$out"; then
    rps="0 (none answered within $duration)" p99="–"
  fi
  echo "$rps | $p99${timeouts:+ ($timeouts timed out after 10s)}"
  settle
}
# settle waits, up to two minutes, until requests that wrk left in flight
# have finished, so that they do not slow the next measurement: the
# server's CPU time stands still and, on PostgreSQL, no query of the
# benchmark database is active.
settle() {
  local before after active
  for _ in $(seq 240); do
    before=$(awk '{print $14 + $15}' /proc/$server/stat)
    sleep 0.5
    after=$(awk '{print $14 + $15}' /proc/$server/stat)
    active=0
    if [[ -n $pgname ]]; then
      active=$(psql "$pgbase/postgres" -tAc "SELECT count(*) FROM pg_stat_activity WHERE datname = '$pgname' AND state = 'active'")
    fi
    (( after - before <= 2 && active == 0 )) && return
  done
  log "the server did not settle within two minutes"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }

table="| endpoint kind | one-client p50 | one-client p99 | wrk req/s | wrk p99 |
|---|---:|---:|---:|---:|"
row() { # kind url path [admin]
  local header="" one
  [[ ${4:-} == admin ]] && header=$auth
  log "$1: one client"
  one=$(one_client "$2" "$3" "$header")
  log "$1: wrk"
  table+="
| $1 | $(field p50 "$one") | $(field p99 "$one") | $(under_wrk "$2" "$3" "$header") |"
}
row "baseline: net/http, fixed 1 KB JSON" "$base_url" /
while IFS='|' read -r kind path who; do
  [[ -n $kind ]] && row "$kind" "$url" "$path" "$who"
done <<<"$endpoints"
server_mem=$(awk '/VmHWM|RssAnon/ {printf "%s %d MB  ", $1, $2/1024}' /proc/$server/status)

mkdir -p "$results"
out=$results/scale-$engine-$size-$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "## moviedb scale benchmark: $engine, $size ($(date -u +%Y-%m-%d), $(nproc) cores, commit $commit)"
  echo
  echo "\`DURATION=$duration SEED=$seed bench/scale.sh $engine $size\`"
  echo
  echo "Import ($format): $(count movies) movies, $(count persons) persons, $(count movie_characters) cast rows, $rows rows" \
    "in $(awk -v ms=$import_ms 'BEGIN {printf "%.1f", ms / 1000}') s ($(( rows * 1000 / import_ms )) rows/s)," \
    "peak RSS $import_rss, database $(( db_bytes / 1048576 )) MB."
  echo
  echo "Server under load: $server_mem"
  echo
  echo "$table"
} | tee "$out"
log "results written to $out"
