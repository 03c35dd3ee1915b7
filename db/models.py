"""The schema of Tianbao's local database.

- ``plan_version``: every catalogue version the database has seen (built-in or imported from a plan
  workbook), stored whole as JSON, so a return can always be re-checked against the version it
  was filled under even after the program ships a newer catalogue.
- ``plan_form``: the statistical form marks (表号, 制定机关 …) per plan, settable by the office.
- ``unit``: the reporting units in a hierarchy (city → county/district → township/street →
  community/village) and member departments (卫健局, 教育局 …) attached to a level.
- ``return``: one unit's return for one plan and year, with its status and sign-off fields.
- ``value``: one input cell of a return (indicator × disaggregation cell).
- ``explanation``: the written explanation of an indicator's warnings in a return.
- ``baseline``: base-year values of a unit for relative targets.
- ``audit``: every change to values, explanations and returns: old, new, who, when, from where.
- ``imported_file``: the hashes of imported workbooks, so importing a file again changes nothing.
- ``duty``: 填报分工 — per parent unit, plan version and indicator, who reports it: a member
  department (``unit_id``), the geographic sub-units, or the parent itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from tianbao.domain.vocab import ReturnStatus

UNIT_LEVELS = ("province", "city", "county", "township", "village", "department")
UNIT_LEVEL_LABELS = {
    "province": "省",
    "city": "市",
    "county": "县（区）",
    "township": "乡镇（街道）",
    "village": "村（社区）",
    "department": "成员单位",
}
RETURN_STATUSES = tuple(ReturnStatus)


class UTCDateTime(TypeDecorator):
    """A moment stored in UTC with its zone (migration 0004): ``timestamptz`` on PostgreSQL, ISO 8601
    text with ``+00:00`` on SQLite.  A naive datetime written by older code is taken as local time;
    reading gives an aware UTC datetime (``.astimezone()`` shows it in local time)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        value = value.astimezone(UTC)  # naive: local time
        return value.isoformat(timespec="microseconds") if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:  # a row written before migration 0004 converted it
            return value.astimezone(UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class PlanVersion(Base):
    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    catalogue_json: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlanForm(Base):
    __tablename__ = "plan_form"

    plan_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    table_no: Mapped[str] = mapped_column(String(100), default="")
    made_by: Mapped[str] = mapped_column(String(100), default="")
    approved_by: Mapped[str] = mapped_column(String(100), default="")
    approval_no: Mapped[str] = mapped_column(String(100), default="")
    valid_until: Mapped[str] = mapped_column(String(100), default="")


class Unit(Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    sort: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id")


class Return(Base):
    __tablename__ = "return"
    __table_args__ = (UniqueConstraint("unit_id", "plan_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    plan_id: Mapped[str] = mapped_column(String(64))
    plan_version: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    aggregated: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_head: Mapped[str] = mapped_column(String(50), default="")  # 单位负责人
    stats_head: Mapped[str] = mapped_column(String(50), default="")  # 统计负责人
    filled_by: Mapped[str] = mapped_column(String(50), default="")  # 填表人
    phone: Mapped[str] = mapped_column(String(50), default="")  # 联系电话
    report_date: Mapped[date | None] = mapped_column(Date)  # 报出日期
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Bumped by every write to the return or its cells: open windows poll it to see others' changes.
    changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    unit: Mapped[Unit] = relationship()


class Value(Base):
    __tablename__ = "value"
    __table_args__ = (UniqueConstraint("return_id", "indicator", "cell"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(32))
    cell: Mapped[str] = mapped_column(String(40), default="")
    number: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    choice: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str | None] = mapped_column(Text)
    # A parent's tally of a qualitative goal: how many sub-units said 是 / 部分 / 否 (0005).
    tally_yes: Mapped[int | None] = mapped_column(Integer)
    tally_partly: Mapped[int | None] = mapped_column(Integer)
    tally_no: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(50), default="", server_default="")


class ValueSource(Base):
    """Where an indicator's value in an assembled return came from (migration 0005_assembly)."""

    __tablename__ = "value_source"
    __table_args__ = (UniqueConstraint("return_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(20))  # department | subunits | self
    unit_code: Mapped[str] = mapped_column(String(40), default="")
    unit_name: Mapped[str] = mapped_column(String(100), default="")
    rule: Mapped[str] = mapped_column(String(20), default="")
    reported: Mapped[int] = mapped_column(Integer, default=0)
    expected: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    units: Mapped[str] = mapped_column(Text, default="")  # sub-units concerned, 、-separated
    computed: Mapped[str] = mapped_column(Text, default="")  # the total as assembled (JSON)
    at: Mapped[datetime] = mapped_column(DateTime)


class Explanation(Base):
    __tablename__ = "explanation"
    __table_args__ = (UniqueConstraint("return_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(50), default="", server_default="")


class Baseline(Base):
    __tablename__ = "baseline"
    __table_args__ = (UniqueConstraint("unit_id", "plan_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    plan_id: Mapped[str] = mapped_column(String(64))
    indicator: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(50), default="", server_default="")


class Audit(Base):
    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user: Mapped[str] = mapped_column(String(50), default="")
    return_id: Mapped[int | None] = mapped_column(
        ForeignKey("return.id", ondelete="SET NULL"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(32), default="")
    cell: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(30))  # value, explanation, submit, unlock, …
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(
        String(20), default="typed"
    )  # typed | imported | aggregated | system
    source_file: Mapped[str] = mapped_column(String(400), default="")
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class ImportedFile(Base):
    __tablename__ = "imported_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("return.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    values_changed: Mapped[int] = mapped_column(Integer, default=0)


DUTY_KINDS = ("department", "subunits", "self")


class Duty(Base):
    __tablename__ = "duty"
    __table_args__ = (UniqueConstraint("parent_id", "plan_id", "plan_version", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[str] = mapped_column(String(64))
    plan_version: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(20))  # department | subunits | self
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
