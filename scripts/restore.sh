#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty MEDIA_ROOT.
# Usage: scripts/restore.sh BACKUP_DIR
# Target: DATABASE_URL (or the embedded server) and MEDIA_ROOT as the settings see them. Refuses a database that
# already has tables or a media directory that already has files, and checks the SHA-256 sums first. See docs/backup.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
SRC=${1:?usage: scripts/restore.sh BACKUP_DIR}
PG_RESTORE=${PG_RESTORE:-pg_restore}
PSQL=${PSQL:-psql}

(cd "$SRC" && sha256sum --check --quiet SHA256SUMS)

read -r PGHOST PGPORT PGUSER PGDATABASE MEDIA <<<"$("$PY" - <<'PYEOF'
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")
import django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432, db.get("USER") or "postgres", db["NAME"], settings.MEDIA_ROOT)
PYEOF
)"
export PGHOST PGPORT PGUSER PGDATABASE
if [ -n "${DATABASE_URL:-}" ]; then
  export PGPASSWORD
  PGPASSWORD=$("$PY" -c 'import os, urllib.parse as u; print(u.urlparse(os.environ["DATABASE_URL"]).password or "")')
fi

tables=$("$PSQL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "database $PGDATABASE is not empty ($tables tables): restore only into an empty database" >&2
  exit 1
fi
if [ -d "$MEDIA" ] && [ -n "$(find "$MEDIA" -type f -print -quit)" ]; then
  echo "media directory $MEDIA is not empty: restore only into an empty directory" >&2
  exit 1
fi

"$PG_RESTORE" --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$PGDATABASE" "$SRC/database.dump"
mkdir -p "$MEDIA"
tar -C "$MEDIA" -xzf "$SRC/media.tar.gz"
echo "restored $SRC into database $PGDATABASE and $MEDIA"
