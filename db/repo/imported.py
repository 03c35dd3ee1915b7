"""Imported files, remembered by their SHA-256 so the same file is not applied twice."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import (
    ImportedFile,
)
from db.repo.concurrency import now_utc

# --- imported files ----------------------------------------------------------------------------


def imported_file(s: Session, sha256: str) -> ImportedFile | None:
    return s.get(ImportedFile, sha256)


def record_import(s: Session, sha256: str, name: str, return_id: int | None, changed: int) -> None:
    s.add(
        ImportedFile(
            sha256=sha256,
            name=name,
            return_id=return_id,
            imported_at=now_utc(),
            values_changed=changed,
        )
    )
