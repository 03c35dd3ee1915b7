"""Concurrency: row versions, UTC times, users (claimed by the concurrency engineer).

Revision ID: 0004_concurrency
Revises: 0003_duties
"""

revision = "0004_concurrency"
down_revision = "0003_duties"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
