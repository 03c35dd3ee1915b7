"""The closed vocabularies of monitoring, each in one place: the answers to a qualitative goal, the states
of a return, where a change came from.

They are ``StrEnum`` members, so they compare equal to the strings stored in the database and written in
files ("yes", "submitted", "typed"), and the words people use for them live beside them.
"""

from __future__ import annotations

from enum import StrEnum


class Choice(StrEnum):
    """The answer to a qualitative goal (定性目标): 是 / 部分 / 否."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


CHOICES = tuple(Choice)
CHOICE_LABELS = {Choice.YES: "是", Choice.PARTLY: "部分", Choice.NO: "否"}
CHOICE_LABELS_EN = {Choice.YES: "yes", Choice.PARTLY: "partly", Choice.NO: "no"}

# Every way people write an answer, typed in the grid or found in a colleague's sheet (lower case, NFKC).
CHOICE_WORDS: dict[str, Choice | None] = {
    "": None,
    "是": Choice.YES,
    "y": Choice.YES,
    "yes": Choice.YES,
    "1": Choice.YES,
    "部分": Choice.PARTLY,
    "部份": Choice.PARTLY,
    "部分是": Choice.PARTLY,
    "基本": Choice.PARTLY,
    "基本是": Choice.PARTLY,
    "p": Choice.PARTLY,
    "partly": Choice.PARTLY,
    "否": Choice.NO,
    "n": Choice.NO,
    "no": Choice.NO,
    "0": Choice.NO,
}


class ReturnStatus(StrEnum):
    """A return is a draft until submitted; a submitted return is locked until unlocked with a reason."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


RETURN_STATUS_LABELS = {ReturnStatus.DRAFT: "草稿", ReturnStatus.SUBMITTED: "已报送"}


class ChangeSource(StrEnum):
    """Where a change in the history came from."""

    TYPED = "typed"
    IMPORTED = "imported"
    AGGREGATED = "aggregated"
    SYSTEM = "system"  # migrations, plan sync
