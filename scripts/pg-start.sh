#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the test suite (no systemd needed) and print
# its superuser URL. Usage: export VANBAN_TEST_PG_URL=$(bash scripts/pg-start.sh DIR [PORT])
set -euo pipefail
dir=${1:?data folder}
port=${2:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg-start: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
run=()
if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
rm -rf "$dir" && mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
export LC_ALL=C.UTF-8 LANG=C.UTF-8
"${run[@]}" "$bin/initdb" -D "$dir/data" -E UTF8 --locale=C.UTF-8 -A trust -U postgres >/dev/null
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off" start >/dev/null
echo "postgresql://postgres@127.0.0.1:$port/postgres"
