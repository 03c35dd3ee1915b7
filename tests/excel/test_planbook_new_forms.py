"""Plan workbooks carry the target forms of issue 16 both ways: a target compared with a
reference figure (参照值名称), one above the value reached in a milestone year (实际值年份), a
rule phased in from a year (起始年份), and whether a 左右 tolerance is the text's own
(容差出自原文).  Each is written, read back with openpyxl, edited as a user would, and refused
with its sheet, row and column when it is wrong."""

from pathlib import Path

import openpyxl
import pytest

from tianbao.domain.catalogue import plan_from_dict
from tianbao.excel.planbook import (
    SHEET_README,
    SHEET_TARGETS,
    PlanbookError,
    read_plan_workbook,
    write_plan_workbook,
)

RATE = {
    "domain": "decision",
    "unit": "%",
    "kind": "rate",
    "scale": 100,
    "numerator": "女性人数",
    "denominator": "总人数",
}
PLAN = {
    "format": 1,
    "id": "test-county-women",
    "title": "测试县妇女发展规划（2021—2030年）",
    "kind": "women",
    "period": [2021, 2030],
    "base_year": 2020,
    "domains": [{"code": "decision", "name": "妇女与参与决策和管理"}],
    "indicators": [
        {
            **RATE,
            "code": "D02",
            "name": "党代会中女党员代表比例",
            "targets": [
                {
                    "op": ">=",
                    "reference": "本地区党员总数中女性比例",
                    "line": 5,
                    "quote": "不低于本地区党员总数中女性比例",
                },
            ],
        },
        {
            **RATE,
            "code": "D05",
            "name": "村委会成员中女性比例",
            "targets": [
                {"year": 2025, "op": ">=", "value": 30},
                {"year": 2030, "op": ">", "reached_in": 2025, "note": "在此基础上继续提高"},
            ],
        },
        {
            **RATE,
            "code": "D07",
            "name": "居委会成员中女性比例",
            "targets": [
                {"op": "approx", "value": 50, "tolerance": 5, "tolerance_stated": True},
                {"op": ">=", "value": 30, "each": "街道", "from_year": 2024},
            ],
        },
    ],
}


@pytest.fixture
def plan():
    return plan_from_dict(PLAN, origin="test")


@pytest.fixture
def book(tmp_path, plan) -> Path:
    path = tmp_path / "计划.xlsx"
    write_plan_workbook(plan, path)
    return path


def _col(ws, header: str) -> int:
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def _rows(ws, code: str) -> list[int]:
    return [c.row for c in ws["A"][1:] if c.value == code]


def _edit(path: Path, fn) -> None:
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)


def test_new_forms_round_trip(book, plan):
    back = read_plan_workbook(book)
    assert back.to_dict() == plan.to_dict()
    (d02,) = back.indicator("D02").targets
    assert (d02.op, d02.value, d02.reference) == (">=", None, "本地区党员总数中女性比例")
    assert back.indicator("D05").targets[1].reached_in == 2025
    approx, each = back.indicator("D07").targets
    assert approx.tolerance_stated and each.from_year == 2024


def test_new_columns_are_written_where_a_user_reads_them(book):
    ws = openpyxl.load_workbook(book)[SHEET_TARGETS]
    (r02,) = _rows(ws, "D02")
    assert ws.cell(r02, _col(ws, "参照值名称")).value == "本地区党员总数中女性比例"
    assert ws.cell(r02, _col(ws, "目标值")).value is None
    r05 = _rows(ws, "D05")[1]
    assert ws.cell(r05, _col(ws, "实际值年份")).value == 2025
    r07a, r07b = _rows(ws, "D07")
    assert ws.cell(r07a, _col(ws, "容差出自原文")).value == "是"
    assert ws.cell(r07b, _col(ws, "起始年份")).value == 2024
    readme = "".join(
        str(c.value or "")
        for row in openpyxl.load_workbook(book)[SHEET_README].iter_rows()
        for c in row
    )
    for words in ("参照值名称", "实际值年份", "起始年份", "容差出自原文", "容差为目录取值"):
        assert words in readme, words


def test_a_user_turns_a_number_into_a_comparison_with_a_reference(book):
    def edit(wb):
        ws = wb[SHEET_TARGETS]
        r = _rows(ws, "D07")[1]
        ws.cell(r, _col(ws, "目标值")).value = None
        ws.cell(r, _col(ws, "每个下级单位须达标")).value = None
        ws.cell(r, _col(ws, "起始年份")).value = None
        ws.cell(r, _col(ws, "参照值名称")).value = " 社区居民中女性比例 "

    _edit(book, edit)
    back = read_plan_workbook(book)
    t = back.indicator("D07").targets[1]
    assert (t.op, t.value, t.reference, t.each, t.from_year) == (
        ">=",
        None,
        "社区居民中女性比例",
        None,
        None,
    )


def test_an_older_workbook_without_the_new_columns_still_reads(book, plan):
    def edit(wb):
        ws = wb[SHEET_TARGETS]
        for header in ("实际值年份", "参照值名称", "起始年份", "容差出自原文"):
            ws.delete_cols(_col(ws, header))

    _edit(book, edit)
    with pytest.raises(PlanbookError) as e:  # D02 and D05 now lack what they compare with
        read_plan_workbook(book)
    assert "比较方式 >= 需要一个数值 value" in str(e.value)


@pytest.mark.parametrize(
    ("code", "nth", "column", "value", "words"),
    [
        ("D02", 0, "目标值", 40, "“目标值”列：与参照值或实际值比较的目标不应有 value"),
        ("D05", 1, "实际值年份", 2030, "“实际值年份”列：reached_in（2030）需要一个更晚的目标年份"),
        ("D07", 1, "起始年份", 2035, "“起始年份”列：from_year 起始年份 2035 不在规划期"),
        ("D07", 1, "参照值名称", "某比例", "与参照值或实际值比较的目标不应有 value"),
    ],
)
def test_wrong_new_columns_are_refused_in_place(book, code, nth, column, value, words):
    row = {}

    def edit(wb):
        ws = wb[SHEET_TARGETS]
        row["r"] = _rows(ws, code)[nth]
        ws.cell(row["r"], _col(ws, column)).value = value

    _edit(book, edit)
    with pytest.raises(PlanbookError) as e:
        read_plan_workbook(book)
    text = str(e.value)
    assert f"“目标”表第 {row['r']} 行" in text and words in text, text
