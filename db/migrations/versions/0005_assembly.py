"""Assembled returns (issue 14): qualitative tallies as data, and where each value came from.

- ``value.tally_yes / tally_partly / tally_no``: how many sub-units answered 是 / 部分 / 否 to a
  qualitative goal (the parent's tally; empty on a unit's own answer).
- ``value_source``: for each indicator of an assembled return, where its value came from — a
  member department, n of m sub-units by the indicator's rule, or the office — and, when it
  could not be aggregated (数据不全), why and which sub-units.

Revision ID: 0005_assembly
Revises: 0004_concurrency
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_assembly"
down_revision = "0004_concurrency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("value") as batch:
        batch.add_column(sa.Column("tally_yes", sa.Integer))
        batch.add_column(sa.Column("tally_partly", sa.Integer))
        batch.add_column(sa.Column("tally_no", sa.Integer))
    op.create_table(
        "value_source",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "return_id",
            sa.Integer,
            sa.ForeignKey("return.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("indicator", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=False, server_default=""),
        sa.Column("unit_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("rule", sa.String(20), nullable=False, server_default=""),
        sa.Column("reported", sa.Integer, nullable=False, server_default="0"),
        sa.Column("expected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("complete", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("units", sa.Text, nullable=False, server_default=""),
        sa.Column("computed", sa.Text, nullable=False, server_default=""),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("return_id", "indicator"),
    )
    op.create_index("ix_value_source_return_id", "value_source", ["return_id"])


def downgrade() -> None:
    op.drop_index("ix_value_source_return_id", table_name="value_source")
    op.drop_table("value_source")
    with op.batch_alter_table("value") as batch:
        batch.drop_column("tally_no")
        batch.drop_column("tally_partly")
        batch.drop_column("tally_yes")
