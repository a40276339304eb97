#!/usr/bin/env bash
# Back up 质监通: the database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT) into one directory,
# with SHA-256 sums. Usage: scripts/backup.sh [DEST_DIR]   (default backups/YYYYmmdd-HHMMSS)
# The database comes from DATABASE_URL (or the embedded server when it is unset), the files from MEDIA_ROOT as the
# settings see them. Safe while the platform runs: pg_dump reads one consistent snapshot. See docs/backup.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DEST=${1:-backups/$(date +%Y%m%d-%H%M%S)}
PG_DUMP=${PG_DUMP:-pg_dump}

# Connection and media directory as Django sees them (works for DATABASE_URL and for the embedded server).
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
  # The password, when there is one, travels in the URL rather than on the command line.
  export PGPASSWORD
  PGPASSWORD=$("$PY" -c 'import os, urllib.parse as u; print(u.urlparse(os.environ["DATABASE_URL"]).password or "")')
fi

mkdir -p "$DEST"
"$PG_DUMP" --format=custom --no-owner --no-privileges --file="$DEST/database.dump"
mkdir -p "$MEDIA"
tar -C "$MEDIA" -czf "$DEST/media.tar.gz" .
(cd "$DEST" && sha256sum database.dump media.tar.gz > SHA256SUMS)
{
  echo "created: $(date -Iseconds)"
  echo "database: $PGDATABASE on $PGHOST:$PGPORT"
  echo "media: $MEDIA ($(find "$MEDIA" -type f | wc -l) files)"
  echo "pg_dump: $("$PG_DUMP" --version)"
} > "$DEST/README.txt"
echo "backup written to $DEST"
