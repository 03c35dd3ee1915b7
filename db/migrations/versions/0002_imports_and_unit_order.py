"""Record imported files by hash; keep sub-units in a chosen order.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_file",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("return_id", sa.Integer, sa.ForeignKey("return.id", ondelete="SET NULL")),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("values_changed", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("unit") as batch:
        batch.add_column(sa.Column("sort", sa.Integer, nullable=False, server_default="0"))
    # Existing units keep the order they were created in.
    op.execute("UPDATE unit SET sort = id")


def downgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("sort")
    op.drop_table("imported_file")
