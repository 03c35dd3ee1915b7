"""Division of reporting duties (填报分工).

Revision ID: 0003_duties
Revises: 0002
"""

revision = "0003_duties"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
