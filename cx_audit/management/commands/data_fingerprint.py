"""``manage.py data_fingerprint``: what a backup must bring back, as text two runs can be diffed by.

One line per database table with its row count, one checksum of every audit's status and scores (the
record the chain is ranked on), and one of the uploaded files (their names and contents) when they
are on the local disk. Run it before a backup and after the restore: identical output means the
restore brought back every row, every score and every photo (docs/deploy.md, "Backup and restore";
scripts/backup_roundtrip.sh does exactly that in CI).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand
from django.db import connection

from cx_audit.audits.models import Audit


class Command(BaseCommand):
    help = "Print every table's row count and checksums of the audit scores and uploaded files."

    def handle(self, *args: Any, **options: Any) -> None:
        for line in fingerprint_lines():
            self.stdout.write(line)


def fingerprint_lines() -> Iterator[str]:
    """The table counts (sorted by name), then the scores' checksum, then the files' checksum."""
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            # The table names come from the database's own catalogue, quoted: no outside input.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            yield f"table {table} {cursor.fetchone()[0]}"
    yield f"audit-scores {scores_checksum()}"
    yield media_line()


def scores_checksum() -> str:
    """SHA-256 over every audit's id, status, score and raw score, in id order."""
    digest = hashlib.sha256()
    rows = Audit.objects.order_by("pk").values_list("pk", "status", "score", "raw_score")
    for row in rows.iterator(chunk_size=2000):
        digest.update(("|".join("" if value is None else str(value) for value in row) + "\n").encode())
    return f"{rows.count()} {digest.hexdigest()}"


def media_line() -> str:
    """Uploaded files on the local disk: how many, and a SHA-256 over their paths and contents."""
    if not isinstance(default_storage, FileSystemStorage):
        return "media object-storage (not checked here: compare the bucket's listing)"
    root = Path(settings.MEDIA_ROOT)
    files = sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return f"media {len(files)} {digest.hexdigest()}"
