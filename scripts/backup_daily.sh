#!/usr/bin/env bash
# The daily backup with its retention (README "Backup and restore"), for cron:
#   scripts/backup_daily.sh [ROOT]        ROOT defaults to $ZI_BACKUP_ROOT, else /srv/backups
# Writes ROOT/daily/YYYY-MM-DD hard-linked to the newest complete daily backup, copies it as a
# weekly (Sundays) and a monthly (the 1st) backup with hard links, and keeps 7 daily, 4 weekly
# and 12 monthly complete backups. Exits with manage.py backup's status (0, 1 failed, 3 objects
# missing from the store): cron mails or the monitoring must act on anything but 0.
set -uo pipefail
cd "$(dirname "$0")/.."
root=${1:-${ZI_BACKUP_ROOT:-/srv/backups}}
python=${PYTHON:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python)}
umask 077  # a backup holds every unit's evidence and personal data
mkdir -p "$root/daily" "$root/weekly" "$root/monthly"

complete() {  # the complete backups (with manifest.json) in $1, oldest first
  for dir in "$1"/*/; do [ -f "$dir/manifest.json" ] && echo "${dir%/}"; done
}

today="$root/daily/$(date +%F)"
# A run that died half-way left a directory without manifest.json: never a backup, and it
# would block today's retry ("not empty").
for dir in "$root"/*/*/; do
  [ -f "$dir/manifest.json" ] || rm -rf -- "${dir%/}"
done
previous=$(complete "$root/daily" | grep -vx "$today" | tail -n 1)
"$python" manage.py backup --to "$today" ${previous:+--link-from "$previous"}
status=$?
[ "$status" = 0 ] || [ "$status" = 3 ] || exit "$status"

[ "$(date +%u)" = 7 ] && cp -al "$today" "$root/weekly/$(date +%G-W%V)"
[ "$(date +%d)" = 01 ] && cp -al "$today" "$root/monthly/$(date +%Y-%m)"
for keep in daily:7 weekly:4 monthly:12; do
  complete "$root/${keep%%:*}" | head -n -"${keep##*:}" | xargs -r -d '\n' rm -rf --
done
exit "$status"
