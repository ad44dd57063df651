#!/usr/bin/env bash
# Backup and restore, proven: seed a fresh PostgreSQL database and media folder with the demo chain,
# back both up, restore them into a second database and folder, and compare what the restore holds
# with the original (`manage.py data_fingerprint`: every table's row count, the audit scores, the
# photos). Different, or any step failing: exit 1. Run by .ci/run.
#
# The backup and restore lines are the ones docs/deploy.md gives, word for word (a test,
# tests/trust/test_f14_newcomer.py, checks that they stay the same).
#
# PG_URL: a PostgreSQL server whose user may create databases (default: the local one, as postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
SRC=cx_audit_backup_src
DST=cx_audit_backup_dst
WORK="$(mktemp -d)"
BACKUP="$WORK/backup"
PY=.venv/bin/python
fresh_db() { PGOPTIONS=--client-min-messages=warning psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }
cleanup() {
  rm -rf "$WORK"
  psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" -c "DROP DATABASE IF EXISTS $DST WITH (FORCE)" || true
}
trap cleanup EXIT
started=$SECONDS
mkdir -p "$BACKUP"
# The demo chain needs development mode (its logins share a published password).
export DJANGO_DEBUG=1

echo "== the original: $SRC, migrated and seeded with the demo chain"
fresh_db "$SRC"
export DATABASE_URL="$PG_URL/$SRC" DJANGO_MEDIA_ROOT="$WORK/media-src"
$PY manage.py migrate --noinput -v 0; echo "   migrated ($((SECONDS - started)) s)"
$PY manage.py seed_demo >/dev/null; echo "   seeded ($((SECONDS - started)) s)"
$PY manage.py data_fingerprint >"$WORK/before.txt"

echo "== backup (docs/deploy.md)"
pg_dump --format=custom --file="$BACKUP/cx_audit.dump" "$DATABASE_URL"
tar --create --gzip --file="$BACKUP/media.tar.gz" --directory="$DJANGO_MEDIA_ROOT" .

echo "== restore into $DST and a fresh media folder (docs/deploy.md)"
fresh_db "$DST"
export DATABASE_URL="$PG_URL/$DST" DJANGO_MEDIA_ROOT="$WORK/media-dst"
pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" "$BACKUP/cx_audit.dump"
mkdir -p "$DJANGO_MEDIA_ROOT"
tar --extract --gzip --file="$BACKUP/media.tar.gz" --directory="$DJANGO_MEDIA_ROOT"
$PY manage.py data_fingerprint >"$WORK/after.txt"

echo "== what the restore holds"
grep -v '^table .* 0$' "$WORK/after.txt"
if ! diff -u "$WORK/before.txt" "$WORK/after.txt"; then
  echo "backup round trip: the restore differs from the original (diff above)" >&2
  exit 1
fi
# Identical and empty would prove nothing: the demo has audits and photos.
if grep -q -E '^(audit-scores|media) 0 ' "$WORK/after.txt"; then
  echo "backup round trip: no audits or no photos to compare — the seed did not run?" >&2
  exit 1
fi
tables=$(grep -c '^table ' "$WORK/after.txt")
echo "backup round trip: identical — $tables tables, scores and photos ($((SECONDS - started)) s)"
