"""Assembled returns (issue 14): qualitative tallies as data, and where each value came from.

Revision ID: 0005_assembly
Revises: 0004_concurrency
"""

revision = "0005_assembly"
down_revision = "0004_concurrency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
