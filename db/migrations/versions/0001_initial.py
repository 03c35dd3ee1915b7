"""First schema: plans, units, returns, values, explanations, baselines, audit.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.String(64), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("builtin", sa.Boolean, nullable=False),
        sa.Column("catalogue_json", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(400), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("plan_id", "version"),
    )
    op.create_table(
        "plan_form",
        sa.Column("plan_id", sa.String(64), primary_key=True),
        sa.Column("table_no", sa.String(100), nullable=False),
        sa.Column("made_by", sa.String(100), nullable=False),
        sa.Column("approved_by", sa.String(100), nullable=False),
        sa.Column("approval_no", sa.String(100), nullable=False),
        sa.Column("valid_until", sa.String(100), nullable=False),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("unit.id", ondelete="RESTRICT")),
    )
    op.create_table(
        "return",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id", ondelete="RESTRICT"), nullable=False, index=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("plan_version", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("aggregated", sa.Boolean, nullable=False),
        sa.Column("unit_head", sa.String(50), nullable=False),
        sa.Column("stats_head", sa.String(50), nullable=False),
        sa.Column("filled_by", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(50), nullable=False),
        sa.Column("report_date", sa.Date),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("unit_id", "plan_id", "year"),
    )
    op.create_table(
        "value",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("return_id", sa.Integer, sa.ForeignKey("return.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("indicator", sa.String(32), nullable=False),
        sa.Column("cell", sa.String(40), nullable=False),
        sa.Column("number", sa.Float),
        sa.Column("numerator", sa.Float),
        sa.Column("denominator", sa.Float),
        sa.Column("choice", sa.String(10)),
        sa.Column("text", sa.Text),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("return_id", "indicator", "cell"),
    )
    op.create_table(
        "explanation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("return_id", sa.Integer, sa.ForeignKey("return.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("indicator", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("return_id", "indicator"),
    )
    op.create_table(
        "baseline",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.UniqueConstraint("unit_id", "plan_id", "indicator"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("user", sa.String(50), nullable=False),
        sa.Column("return_id", sa.Integer, sa.ForeignKey("return.id", ondelete="SET NULL"), index=True),
        sa.Column("indicator", sa.String(32), nullable=False),
        sa.Column("cell", sa.String(40), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("source_file", sa.String(400), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for name in ("audit", "baseline", "explanation", "value", "return", "unit", "plan_form", "plan_version"):
        op.drop_table(name)
