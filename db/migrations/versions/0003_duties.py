"""Division of reporting duties (填报分工): who reports each indicator for a parent unit.

Revision ID: 0003_duties
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_duties"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "parent_id",
            sa.Integer,
            sa.ForeignKey("unit.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("plan_version", sa.Integer, nullable=False),
        sa.Column("indicator", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id", ondelete="CASCADE")),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("parent_id", "plan_id", "plan_version", "indicator"),
    )
    op.create_index("ix_duty_parent_id", "duty", ["parent_id"])


def downgrade() -> None:
    op.drop_index("ix_duty_parent_id", table_name="duty")
    op.drop_table("duty")
