"""Transaction-level locks for what several PCs may do at the same moment on one database."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

LOCK_MIGRATE = 7_201_501  # PostgreSQL advisory lock keys: schema migration, built-in plan sync
LOCK_PLANS = 7_201_502
LOCK_UNITS = 7_201_503


def lock(s: Session, key: int) -> None:
    """A transaction-level advisory lock on PostgreSQL (released at commit or rollback).  On SQLite
    a write unit of work (``Database.write``: BEGIN IMMEDIATE) already excludes other writers, and a
    plain one takes the write lock at its first write."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def key_of(name: str, base: int = 7_201_600) -> int:
    """A stable advisory lock key for a name (a plan id …)."""
    import hashlib

    return base + int(hashlib.sha256(name.encode()).hexdigest()[:6], 16)
