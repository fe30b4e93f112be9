#!/usr/bin/env bash
# Stop the server scripts/pg-start.sh started in DIR and remove it.
set -u
dir=${1:?data folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
run=()
if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
[ -d "$dir/data" ] && "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
rm -rf "$dir"
