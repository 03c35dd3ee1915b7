"""Indicators for the core tests, built through the real catalogue validation."""

from __future__ import annotations

from typing import Any

import pytest

from tianbao.domain.catalogue import Indicator, plan_from_dict

_RATE = {
    "code": "X1",
    "domain": "health",
    "name": "测试率",
    "name_en": "Test rate",
    "unit": "%",
    "kind": "rate",
    "scale": 100,
    "numerator": "达标人数",
    "denominator": "应查人数",
    "sources": [{"line": 1, "quote": "原文"}],
}


def build(**row: Any) -> Indicator:
    """An indicator: a % rate unless overridden; a key given as None is left out."""
    data = {**_RATE, **row}
    if data["kind"] not in ("rate", "ratio"):
        for key in ("scale", "numerator", "denominator"):
            if key not in row:
                del data[key]
    data = {k: v for k, v in data.items() if v is not None}
    plan = plan_from_dict(
        {
            "id": "test-plan",
            "title": "测试规划",
            "kind": "children",
            "period": [2021, 2030],
            "base_year": 2020,
            "domains": [{"code": "health", "name": "儿童与健康"}],
            "indicators": [data],
        },
        origin="test",
    )
    return plan.indicators[0]


@pytest.fixture
def make():
    """``make(kind="count", unit="个", targets=[...])`` → an Indicator."""
    return build
