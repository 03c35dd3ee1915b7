"""Plan workbooks: export a plan to .xlsx, edit it as Excel or WPS users do, import it back."""

import copy
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tianbao.domain.catalogue import (
    CatalogueError,
    builtin_plan_paths,
    load_plan_file,
    plan_from_dict,
)
from tianbao.excel.planbook import (
    SHEET_DOMAINS,
    SHEET_INDICATORS,
    SHEET_PLAN,
    SHEET_README,
    SHEET_TARGETS,
    PlanbookError,
    read_plan_workbook,
    write_plan_workbook,
)

PLAN = {
    "format": 1,
    "id": "test-county-children",
    "version": 3,
    "title": "测试县儿童发展规划（2021—2030年）",
    "title_en": "Test County Children's Development Plan (2021–2030)",
    "kind": "children",
    "region": "测试县",
    "period": [2021, 2030],
    "base_year": 2020,
    "source": "999_test.txt",
    "note": "=这是一条以等号开头的备注\n第二行 ",
    "form": {
        "table_no": "妇儿统 1 表",
        "made_by": "测试县统计局",
        "approved_by": "测试县统计局",
        "approval_no": "测统字〔2022〕3号",
        "valid_until": "2026年12月",
    },
    "domains": [
        {"code": "health", "name": "儿童与健康", "name_en": "Children and Health"},
        {"code": "welfare", "name": "儿童与福利", "name_en": ""},
        {"code": "law", "name": "儿童与法律保护", "name_en": "Children and Law"},
    ],
    "indicators": [
        {
            "code": "H03",
            "domain": "health",
            "name": "婴儿死亡率",
            "name_en": "Infant mortality rate",
            "unit": "‰",
            "kind": "rate",
            "scale": 1000,
            "numerator": "未满1岁婴儿死亡数",
            "denominator": "活产数",
            "better": "lower",
            "bounds": [0, 1000],
            "plausible": [0, 30],
            "change_threshold": 2,
            "disaggregation": ["sex", "urban_rural"],
            "departments": ["县（市、区）卫健局", "妇幼保健院"],
            "note": "2030 年目标宽于 2025 年目标，照录原文。",
            "sources": [
                {"line": 94, "quote": "婴儿死亡率 2025 年下降到 4.2‰"},
                {"line": 180, "quote": "-降低婴儿死亡率：重点工程"},
            ],
            "targets": [
                {"year": 2025, "op": "<=", "value": 4.2, "line": 94, "quote": "下降到 4.2‰"},
                {
                    "year": 2030,
                    "op": "<=",
                    "value": 5,
                    "line": 94,
                    "quote": "+2030 年 5‰",
                    "note": "looser than 2025",
                },
            ],
        },
        {
            "code": "H10",
            "domain": "health",
            "name": "6岁儿童近视率",
            "unit": "%",
            "kind": "rate",
            "scale": 100,
            "numerator": "近视儿童数",
            "denominator": "检查儿童数",
            "better": "lower",
            "sources": [{"line": 101, "quote": "近视率控制在 3.5% 左右"}],
            "targets": [
                {
                    "year": 2030,
                    "op": "approx",
                    "value": 3.5,
                    "tolerance": 0.5,
                    "note": "原文未给容差",
                },
                {
                    "op": "change",
                    "value": [-1, -0.5],
                    "change_unit": "points",
                    "basis": "previous_year",
                    "quote": "每年下降 0.5—1 个百分点",
                },
                {"op": "range", "year": 2025, "value": [3, 4], "note": "-3 到 4 之间"},
            ],
        },
        {
            "code": "H11",
            "domain": "health",
            "name": "免疫规划疫苗接种率",
            "unit": "%",
            "kind": "rate",
            "scale": 100,
            "numerator": "接种人数",
            "denominator": "应种人数",
            "better": "higher",
            "sources": [{"line": 110, "quote": "@以乡镇（街道）为单位保持在 90% 以上"}],
            "targets": [
                {"op": ">=", "value": 90, "each": "乡镇（街道）", "quote": "@以乡镇为单位"}
            ],
        },
        {
            "code": "E02",
            "domain": "health",
            "name": "学前教育毛入园率",
            "unit": "%",
            "kind": "rate",
            "scale": 100,
            "numerator": "在园幼儿数",
            "denominator": "3—5岁人口数",
            "gross": True,
            "better": "higher",
            "sources": [{"line": 120, "quote": "毛入园率达到 96% 以上"}],
            "targets": [{"op": ">=", "value": 96, "year": 2030}],
        },
        {
            "code": "W01",
            "domain": "welfare",
            "name": "每千常住人口拥有托位数",
            "unit": "个",
            "kind": "ratio",
            "scale": 1000,
            "numerator": "托位数",
            "denominator": "常住人口数",
            "better": "higher",
            "sources": [{"line": 130, "quote": "每千常住人口拥有托位数 5.5 个以上"}],
            "targets": [{"op": ">=", "value": 5.5, "year": 2030}],
        },
        {
            "code": "W02",
            "domain": "welfare",
            "name": "孤儿基本生活养育标准",
            "unit": "元",
            "kind": "amount",
            "better": "higher",
            "sources": [{"line": 131, "quote": "年均增幅不低于 6%"}],
            "targets": [{"op": "growth", "value": 6}],
        },
        {
            "code": "W03",
            "domain": "welfare",
            "name": "儿童伤害死亡率",
            "unit": "1/10万",
            "kind": "rate",
            "scale": 100000,
            "numerator": "伤害死亡数",
            "denominator": "儿童人口数",
            "better": "lower",
            "sources": [{"line": 132, "quote": "以2020年数据为基数下降20%"}],
            "targets": [
                {
                    "op": "change",
                    "value": -20,
                    "change_unit": "percent",
                    "basis": "base_year",
                    "base_year": 2020,
                    "baseline": 12.5,
                    "year": 2030,
                },
                {"op": "direction", "direction": "not_up", "quote": "上升趋势得到有效控制"},
            ],
        },
        {
            "code": "W04",
            "domain": "welfare",
            "name": "儿童之家数",
            "unit": "",
            "kind": "count",
            "sources": [{"line": 133, "quote": "每个县建有 1 所"}],
            "targets": [],
        },
        {
            "code": "L01",
            "domain": "law",
            "name": "基层儿童保护机制有效运行",
            "unit": "",
            "kind": "yesno",
            "sources": [{"line": 140, "quote": "=基层儿童保护机制有效运行"}],
            "targets": [{"op": "qualitative", "line": 140}],
        },
    ],
}


@pytest.fixture
def plan():
    return plan_from_dict(copy.deepcopy(PLAN), origin="test")


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


def _find_row(ws, code: str, nth: int = 0) -> int:
    rows = [c.row for c in ws["A"][1:] if c.value == code]
    return rows[nth]


def _edit(path: Path, fn) -> None:
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)


def _error(path: Path, **kw) -> PlanbookError:
    with pytest.raises(PlanbookError) as info:
        read_plan_workbook(path, **kw)
    return info.value


# ---------------------------------------------------------------------------------------
# Round trips


def test_round_trip(book, plan):
    back = read_plan_workbook(book)
    assert back.to_dict() == plan.to_dict()
    assert back.fingerprint == plan.fingerprint
    assert back.builtin is False


def test_sheets_and_layout(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [
        SHEET_README,
        SHEET_PLAN,
        SHEET_DOMAINS,
        SHEET_INDICATORS,
        SHEET_TARGETS,
    ]
    ind, tgt = wb[SHEET_INDICATORS], wb[SHEET_TARGETS]
    for ws in (ind, tgt, wb[SHEET_DOMAINS]):
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")
        assert all(c.font.bold for c in ws[1] if c.value)
    headers = [c.value for c in ind[1]]
    for h in (
        "指标代码",
        "领域代码",
        "指标名称",
        "英文名称",
        "计量单位",
        "值类型",
        "倍数",
        "分子",
        "分母",
        "毛比率",
        "优劣方向",
        "下限",
        "上限",
        "合理下限",
        "合理上限",
        "变动阈值",
        "分组",
        "责任部门",
        "备注",
        "原文出处",
    ):
        assert h in headers, h
    headers = [c.value for c in tgt[1]]
    for h in (
        "指标代码",
        "年份",
        "比较方式",
        "目标值",
        "目标值上限",
        "容差",
        "基期年",
        "基数",
        "变动单位",
        "基期值",
        "趋势方向",
        "每个下级单位须达标",
        "原文行号",
        "原文",
        "备注",
    ):
        assert h in headers, h
    plan_labels = [c.value for c in wb[SHEET_PLAN]["A"]]
    for label in (
        "计划编号",
        "版本",
        "标题",
        "英文标题",
        "类型",
        "地区",
        "规划起始年",
        "规划终止年",
        "基期年",
        "表号",
        "制定机关",
        "批准机关",
        "批准文号",
        "有效期至",
        "备注",
    ):
        assert label in plan_labels, label

    # enumerations are written in Chinese, and the lists are offered as drop-downs
    h03 = _find_row(ind, "H03")
    assert ind.cell(h03, _col(ind, "优劣方向")).value == "越小越好"
    assert ind.cell(h03, _col(ind, "值类型")).value == "率"
    assert ind.cell(h03, _col(ind, "分组")).value == "性别，城乡"
    change = _find_row(tgt, "H10", 1)
    assert tgt.cell(change, _col(tgt, "基数")).value == "上年"
    assert tgt.cell(change, _col(tgt, "变动单位")).value == "百分点"

    def lists(ws):
        out = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                out[ws.cell(1, rng.min_col).value] = dv.formula1
        return out

    tl = lists(tgt)
    assert tl["比较方式"] == '"<=,<,>=,>,approx,range,change,growth,direction,qualitative"'
    assert {"基数", "变动单位", "趋势方向"} <= set(tl)
    il = lists(ind)
    assert "‰" in il["计量单位"] and "1/10万" in il["计量单位"]
    assert {"值类型", "毛比率", "优劣方向"} <= set(il)

    readme = "\n".join(str(c.value) for row in wb[SHEET_README].iter_rows() for c in row if c.value)
    for words in (
        "approx",
        "容差",
        "range",
        "change",
        "百分点",
        "growth",
        "每个下级单位须达标",
        "direction",
        "qualitative",
        "指标代码",
        "导入",
    ):
        assert words in readme, words


def test_formula_like_text_is_stored_as_text(book, plan):
    with zipfile.ZipFile(book) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(z.read(n).decode("utf-8") for n in sheets)
    assert "<f>" not in xml and "<f " not in xml
    wb = openpyxl.load_workbook(book)
    texts = {
        c.value: c.data_type
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }
    for start in ("=", "+", "-", "@"):
        found = [v for v in texts if v.startswith(start)]
        assert found, start
        assert all(texts[v] == "s" for v in found)
    # and they come back unchanged
    back = read_plan_workbook(book)
    assert back.note == plan.note
    assert back.indicator("L01").sources[0].quote == "=基层儿童保护机制有效运行"


def test_second_reader_opens_the_workbook(book):
    calamine = pytest.importorskip("python_calamine")
    wb = calamine.CalamineWorkbook.from_path(str(book))
    rows = wb.get_sheet_by_name(SHEET_TARGETS).to_python()
    assert rows[0][0] == "指标代码"
    assert any(r[0] == "H11" and r[3] == ">=" for r in rows[1:])


BUILTIN = builtin_plan_paths()


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_builtin_plans_round_trip(path, tmp_path):
    try:
        plan = load_plan_file(path, builtin=True)
    except CatalogueError as e:  # being written; tests/catalogue reports it
        pytest.skip(f"built-in plan does not load yet: {e}")
    out = tmp_path / f"{path.stem}.xlsx"
    write_plan_workbook(plan, out)
    back = read_plan_workbook(out)
    assert back.to_dict() == plan.to_dict()
    assert back.builtin is False


# ---------------------------------------------------------------------------------------
# Edits users make


def test_edit_target_value(book):
    def edit(wb):
        ws = wb[SHEET_TARGETS]
        ws.cell(_find_row(ws, "H03"), _col(ws, "目标值")).value = 3.8

    _edit(book, edit)
    back = read_plan_workbook(book)
    assert back.indicator("H03").targets[0].value == 3.8
    assert back.indicator("H03").targets[1].value == 5


def test_add_indicator_and_target(book):
    def edit(wb):
        ind, tgt = wb[SHEET_INDICATORS], wb[SHEET_TARGETS]
        r = ind.max_row + 1
        for h, v in (
            ("指标代码", "H20"),
            ("领域代码", "health"),
            ("指标名称", "孕产妇死亡率"),
            ("计量单位", "1/10万"),
            ("值类型", "率"),
            ("倍数", 100000),
            ("分子", "孕产妇死亡数"),
            ("分母", "活产数"),
            ("优劣方向", "越小越好"),
            ("责任部门", "卫健局、妇幼保健院"),
            ("原文出处", "12：孕产妇死亡率控制在 10/10万以下"),
        ):
            ind.cell(r, _col(ind, h)).value = v
        r = tgt.max_row + 1
        for h, v in (("指标代码", "H20"), ("年份", 2030), ("比较方式", "≤"), ("目标值", 10)):
            tgt.cell(r, _col(tgt, h)).value = v

    _edit(book, edit)
    back = read_plan_workbook(book)
    h20 = back.indicator("H20")
    assert h20.departments == ("卫健局", "妇幼保健院")
    assert h20.sources[0].line == 12 and h20.sources[0].quote == "孕产妇死亡率控制在 10/10万以下"
    assert h20.targets[0].op == "<=" and h20.targets[0].value == 10
    assert [i.code for i in back.domains[0].indicators][-1] == "H20"


def test_edited_sources_win_over_the_hidden_copy(book):
    def edit(wb):
        ws = wb[SHEET_INDICATORS]
        r = _find_row(ws, "H03")
        ws.cell(r, _col(ws, "原文出处")).value = "第９４行：婴儿死亡率下降\n\n 181 : 新增的一处 "
        ws.cell(r, _col(ws, "责任部门")).value = "卫健局；县（市、区）妇联、 教育局"

    _edit(book, edit)
    h03 = read_plan_workbook(book).indicator("H03")
    assert [(s.line, s.quote) for s in h03.sources] == [(94, "婴儿死亡率下降"), (181, "新增的一处")]
    assert h03.departments == ("卫健局", "县（市、区）妇联", "教育局")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_saved_again_by_libreoffice(book, plan, tmp_path):
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert read_plan_workbook(out / book.name).to_dict() == plan.to_dict()


def _rewrite_rows(ws, order):
    """Put the data rows of ``ws`` in the given order (list of old row numbers)."""
    rows = [[(c.value, c.data_type) for c in ws[r]] for r in order]
    for new, cells in enumerate(rows, start=2):
        for col, (value, dtype) in enumerate(cells, start=1):
            cell = ws.cell(new, col)
            cell.value = value
            if value is not None:
                cell.data_type = dtype


def test_reordered_rows_and_columns(book, plan):
    def edit(wb):
        ind, tgt = wb[SHEET_INDICATORS], wb[SHEET_TARGETS]
        _rewrite_rows(ind, list(range(ind.max_row, 1, -1)))
        _rewrite_rows(tgt, list(range(tgt.max_row, 1, -1)))
        tgt.move_range("C1:D40", cols=20)  # 年份 and 比较方式 moved to the far right
        dom = wb[SHEET_DOMAINS]
        _rewrite_rows(dom, [3, 4, 2])

    _edit(book, edit)
    back = read_plan_workbook(book).to_dict()
    expected = plan.to_dict()
    expected["domains"] = [expected["domains"][i] for i in (1, 2, 0)]
    by_domain = {d["code"]: [] for d in expected["domains"]}
    for ind in reversed(expected["indicators"]):
        ind["targets"].reverse()
        by_domain[ind["domain"]].append(ind)
    expected["indicators"] = [i for d in by_domain.values() for i in d]
    assert back == expected


def test_numbers_as_text_full_width_and_chinese_labels(book):
    def edit(wb):
        p = wb[SHEET_PLAN]
        for row in p.iter_rows(min_row=2):
            label, cell = row[0].value, row[1]
            if label == "类型":
                cell.value = " 儿童 "
            elif label == "规划起始年":
                cell.value = "２０２１"
            elif label == "版本":
                cell.value = "4"
            elif label == "计划编号":
                cell.value = " test-county-children "
        ind, tgt = wb[SHEET_INDICATORS], wb[SHEET_TARGETS]
        r = _find_row(ind, "H03")
        ind.cell(r, _col(ind, "指标代码")).value = " Ｈ０３ "
        ind.cell(r, _col(ind, "倍数")).value = " 1,000 "
        ind.cell(r, _col(ind, "值类型")).value = "rate"
        ind.cell(r, _col(ind, "计量单位")).value = "‰ "
        ind.cell(r, _col(ind, "上限")).value = "１０００"
        ind.cell(r, _col(ind, "优劣方向")).value = "越低越好"
        ind.cell(r, _col(ind, "分组")).value = "性别、 城乡"
        r = _find_row(ind, "E02")
        ind.cell(r, _col(ind, "毛比率")).value = "是 "
        ind.cell(r, _col(ind, "计量单位")).value = "％"
        r = _find_row(tgt, "H03")
        tgt.cell(r, _col(tgt, "指标代码")).value = "H03　"
        tgt.cell(r, _col(tgt, "目标值")).value = "４．２"
        tgt.cell(r, _col(tgt, "年份")).value = "2025年"
        tgt.cell(r, _col(tgt, "比较方式")).value = "＜＝"
        r = _find_row(tgt, "H10", 1)
        tgt.cell(r, _col(tgt, "目标值")).value = "－1"
        tgt.cell(r, _col(tgt, "目标值上限")).value = "−0.5"
        tgt.cell(r, _col(tgt, "比较方式")).value = "变动"
        tgt.cell(r, _col(tgt, "变动单位")).value = "个百分点"
        tgt.cell(r, _col(tgt, "基数")).value = "较上年"
        r = _find_row(tgt, "E02")
        cell = tgt.cell(r, _col(tgt, "目标值"))
        cell.value, cell.number_format = 0.96, "0%"  # the user typed 96% in Excel
        tgt.cell(r, _col(tgt, "比较方式")).value = "以上"
        r = _find_row(tgt, "W03", 1)
        tgt.cell(r, _col(tgt, "趋势方向")).value = "不上升"
        tgt.cell(r, _col(tgt, "比较方式")).value = "趋势"

    _edit(book, edit)
    back = read_plan_workbook(book)
    assert back.version == 4
    h03 = back.indicator("H03")
    assert (h03.scale, h03.unit, h03.kind, h03.better) == (1000, "‰", "rate", "lower")
    assert h03.bounds == (0, 1000)
    assert h03.disaggregation == ("sex", "urban_rural")
    assert (h03.targets[0].year, h03.targets[0].op, h03.targets[0].value) == (2025, "<=", 4.2)
    e02 = back.indicator("E02")
    assert e02.gross and e02.unit == "%"
    assert e02.targets[0].op == ">=" and e02.targets[0].value == 96
    change = back.indicator("H10").targets[1]
    assert change.value == (-1, -0.5)
    assert (change.change_unit, change.basis) == ("points", "previous_year")
    assert back.indicator("W03").targets[1].direction == "not_up"


def test_new_id_makes_a_new_plan(book):
    back = read_plan_workbook(book, new_id="my-county-children")
    assert back.id == "my-county-children" and back.version == 1
    with pytest.raises(PlanbookError, match="新计划编号"):
        read_plan_workbook(book, new_id="My County")


# ---------------------------------------------------------------------------------------
# Broken workbooks are refused with the place of every problem


def test_unknown_comparator(book):
    row = {}

    def edit(wb):
        ws = wb[SHEET_TARGETS]
        row["r"] = _find_row(ws, "H11")
        ws.cell(row["r"], _col(ws, "比较方式")).value = "约等于"

    _edit(book, edit)
    e = _error(book)
    assert (
        f"“目标”表第 {row['r']} 行“比较方式”列：未知的比较方式“约等于”，"
        "可用：<= < >= > approx range change growth direction qualitative"
    ) in str(e)
    assert len(e.problems) == 1


def test_duplicate_indicator_code(book):
    rows = {}

    def edit(wb):
        ws = wb[SHEET_INDICATORS]
        rows["first"], rows["second"] = _find_row(ws, "H03"), _find_row(ws, "H10")
        ws.cell(rows["second"], 1).value = "H03"

    _edit(book, edit)
    msg = str(_error(book))
    assert (
        f"“指标”表第 {rows['second']} 行“指标代码”列：指标代码“H03”重复"
        f"（与第 {rows['first']} 行相同）"
    ) in msg


def test_target_year_outside_period(book):
    row = {}

    def edit(wb):
        ws = wb[SHEET_TARGETS]
        row["r"] = _find_row(ws, "H03", 1)
        ws.cell(row["r"], _col(ws, "年份")).value = 2035

    _edit(book, edit)
    msg = str(_error(book))
    assert f"“目标”表第 {row['r']} 行“年份”列：目标年份 2035 不在规划期 2021–2030 内" in msg


def test_rate_without_scale(book):
    row = {}

    def edit(wb):
        ws = wb[SHEET_INDICATORS]
        row["r"] = _find_row(ws, "H11")
        ws.cell(row["r"], _col(ws, "倍数")).value = None

    _edit(book, edit)
    msg = str(_error(book))
    assert re.search(rf"“指标”表第 {row['r']} 行“倍数”列：比率类指标缺少 scale", msg), msg


def test_every_problem_is_listed(book):
    rows = {}

    def edit(wb):
        ind, tgt, p = wb[SHEET_INDICATORS], wb[SHEET_TARGETS], wb[SHEET_PLAN]
        rows["kind"] = _find_row(ind, "W02")
        ind.cell(rows["kind"], _col(ind, "值类型")).value = "金钱"
        rows["unit"] = _find_row(ind, "W01")
        ind.cell(rows["unit"], _col(ind, "计量单位")).value = "米"
        rows["tol"] = _find_row(tgt, "H10")
        tgt.cell(rows["tol"], _col(tgt, "容差")).value = None
        rows["num"] = _find_row(tgt, "W01")
        tgt.cell(rows["num"], _col(tgt, "目标值")).value = "五点五"
        rows["yesno"] = _find_row(tgt, "L01")
        tgt.cell(rows["yesno"], _col(tgt, "比较方式")).value = ">="
        tgt.cell(rows["yesno"], _col(tgt, "目标值")).value = 1
        rows["nocode"] = tgt.max_row + 1
        tgt.cell(rows["nocode"], 1).value = "X99"
        tgt.cell(rows["nocode"], _col(tgt, "比较方式")).value = ">="
        for row in p.iter_rows(min_row=2):
            if row[0].value == "类型":
                rows["plan"] = row[0].row
                row[1].value = "老人"

    _edit(book, edit)
    e = _error(book)
    msg = str(e)
    assert f"“计划”表第 {rows['plan']} 行“内容”列：“类型”应为 妇女 或 儿童，而不是“老人”" in msg
    assert f"“指标”表第 {rows['kind']} 行“值类型”列：未知的值类型“金钱”" in msg
    assert f"“指标”表第 {rows['unit']} 行“计量单位”列：未知的计量单位“米”" in msg
    assert f"“目标”表第 {rows['tol']} 行“容差”列：approx（左右）需要正的 tolerance" in msg
    assert f"“目标”表第 {rows['num']} 行“目标值”列：应为数字，而不是“五点五”" in msg
    assert f"“目标”表第 {rows['yesno']} 行“比较方式”列：值类型 yesno 不能有数值目标 >=" in msg
    assert f"“目标”表第 {rows['nocode']} 行“指标代码”列：指标代码“X99”不在“指标”表中" in msg
    assert len(e.problems) >= 7
    # listed sheet by sheet, row by row
    sheets = [p.sheet for p in e.problems]
    assert sheets == sorted(
        sheets, key=[SHEET_PLAN, SHEET_DOMAINS, SHEET_INDICATORS, SHEET_TARGETS].index
    )


def test_bad_sources_and_half_bounds(book):
    rows = {}

    def edit(wb):
        ind = wb[SHEET_INDICATORS]
        rows["src"] = _find_row(ind, "W04")
        ind.cell(rows["src"], _col(ind, "原文出处")).value = "没有行号的原文"
        rows["none"] = _find_row(ind, "W02")
        ind.cell(rows["none"], _col(ind, "原文出处")).value = None
        rows["bounds"] = _find_row(ind, "H03")
        ind.cell(rows["bounds"], _col(ind, "上限")).value = None
        dom = wb[SHEET_DOMAINS]
        dom.cell(2, 1).value = "welfare"
        rows["dom"] = 2

    _edit(book, edit)
    msg = str(_error(book))
    assert f"“指标”表第 {rows['src']} 行“原文出处”列：“没有行号的原文”应写成“行号：原文”" in msg
    # A county's own plan may have indicators with no source text to cite.
    assert f"第 {rows['none']} 行“原文出处”" not in msg
    assert f"“指标”表第 {rows['bounds']} 行“上限”列：“下限”和“上限”要同时填写或同时留空" in msg
    assert "“领域”表第 3 行“代码”列：领域代码“welfare”重复（与第 2 行相同）" in msg


def test_missing_sheet(book):
    _edit(book, lambda wb: wb.remove(wb[SHEET_TARGETS]))
    msg = str(_error(book))
    assert "缺少“目标”表" in msg


def test_missing_column(book):
    _edit(book, lambda wb: wb[SHEET_TARGETS].delete_cols(_col(wb[SHEET_TARGETS], "比较方式")))
    msg = str(_error(book))
    assert "“目标”表“比较方式”列：缺少这一列" in msg


def test_unreadable_indicator_sheet_is_one_problem(book):
    _edit(book, lambda wb: wb[SHEET_INDICATORS].delete_cols(_col(wb[SHEET_INDICATORS], "值类型")))
    e = _error(book)
    assert [str(p) for p in e.problems] == ["“指标”表“值类型”列：缺少这一列（不要删除或改名）"]


def test_not_a_workbook(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip file" * 10)
    assert "不是 Excel 工作簿" in str(_error(path))
    path.write_bytes("指标代码,年份\nH03,2025\n".encode())
    assert "不是 Excel 工作簿" in str(_error(path))
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert ".xls" in str(_error(path))
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "a zip, but not a workbook")
    assert "无法打开工作簿" in str(_error(path))


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "文件是空的" in str(_error(path))
    assert "找不到" in str(_error(tmp_path / "nothing.xlsx"))
