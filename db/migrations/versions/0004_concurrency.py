"""Concurrency: a change counter per return, who last wrote each cell, times in UTC with their zone.

- ``return.changes`` is bumped by every write to a return or its cells; open windows poll it.
- ``value.updated_by``, ``explanation.updated_by``, ``baseline.updated_by/updated_at`` say who wrote
  what another user is shown when a save conflicts.
- Times (audit, returns, values, explanations, plan versions, imported files) become UTC with their
  zone: ``timestamptz`` on PostgreSQL; ISO 8601 text with ``+00:00`` on SQLite.  The local clock
  times stored before are converted with this PC's time zone.

Revision ID: 0004_concurrency
Revises: 0003_duties
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_concurrency"
down_revision = "0003_duties"
branch_labels = None
depends_on = None

TIMES = (
    ("plan_version", "created_at"),
    ("return", "submitted_at"),
    ("return", "updated_at"),
    ("value", "updated_at"),
    ("explanation", "updated_at"),
    ("audit", "at"),
    ("imported_file", "imported_at"),
)


def upgrade() -> None:
    with op.batch_alter_table("return") as b:
        b.add_column(sa.Column("changes", sa.Integer, nullable=False, server_default="0"))
    for table in ("value", "explanation"):
        with op.batch_alter_table(table) as b:
            b.add_column(sa.Column("updated_by", sa.String(50), nullable=False, server_default=""))
    with op.batch_alter_table("baseline") as b:
        b.add_column(sa.Column("updated_at", sa.DateTime(timezone=True)))
        b.add_column(sa.Column("updated_by", sa.String(50), nullable=False, server_default=""))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table, col in TIMES:
            op.execute(
                f'UPDATE "{table}" SET "{col}" = '
                f"strftime('%Y-%m-%dT%H:%M:%f', \"{col}\", 'utc') || '000+00:00' "
                f'WHERE "{col}" IS NOT NULL AND "{col}" NOT LIKE \'%+00:00\''
            )
    else:
        for table, col in TIMES:
            op.alter_column(
                table,
                col,
                type_=sa.DateTime(timezone=True),
                postgresql_using=f'"{col}" AT TIME ZONE current_setting(\'TimeZone\')',
            )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table, col in TIMES:
            op.execute(
                f'UPDATE "{table}" SET "{col}" = datetime("{col}", \'localtime\') '
                f'WHERE "{col}" IS NOT NULL'
            )
    else:
        for table, col in TIMES:
            op.alter_column(table, col, type_=sa.DateTime(timezone=False))
    with op.batch_alter_table("baseline") as b:
        b.drop_column("updated_by")
        b.drop_column("updated_at")
    for table in ("value", "explanation"):
        with op.batch_alter_table(table) as b:
            b.drop_column("updated_by")
    with op.batch_alter_table("return") as b:
        b.drop_column("changes")
