"""A malformed catalogue is refused whole, naming the file, the indicator and what is wrong."""

import pytest

from tianbao.domain.catalogue import CatalogueError, load_plan_file, target_in_force
from tianbao.resources import resource_path

GOOD = """
format = 1
id = "test-plan"
title = "测试计划（2021—2030年）"
kind = "children"
period = [2021, 2030]
source = "x.txt"

[[domains]]
code = "health"
name = "儿童与健康"

[[indicators]]
code = "H01"
domain = "health"
name = "婴儿死亡率"
name_en = "Infant mortality rate"
unit = "‰"
kind = "rate"
scale = 1000
numerator = "未满1岁婴儿死亡数"
denominator = "活产数"
better = "lower"
sources = [{ line = 3, quote = "婴儿死亡率" }]
targets = [
  { year = 2025, op = "<=", value = 4.2, line = 3, quote = "4.2" },
  { year = 2030, op = "<=", value = 3.4, line = 3, quote = "3.4" },
]

[[indicators]]
code = "H02"
domain = "health"
name = "机制有效运行"
unit = ""
kind = "yesno"
sources = [{ line = 4, quote = "机制" }]
targets = [{ op = "qualitative", line = 4, quote = "机制" }]
"""


def write(tmp_path, text):
    path = tmp_path / "test-plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path, text) -> CatalogueError:
    with pytest.raises(CatalogueError) as e:
        load_plan_file(write(tmp_path, text))
    assert "test-plan.toml" in str(e.value) and "未载入" in str(e.value)
    return e.value


def test_good_catalogue_loads(tmp_path):
    plan = load_plan_file(write(tmp_path, GOOD))
    assert [i.code for i in plan.indicators] == ["H01", "H02"]
    assert plan.quantified_target_count == 2
    h01 = plan.indicator("H01")
    # The target in force for a year is the first milestone at or after it.
    assert [t.value for t in target_in_force(h01.targets, 2023)] == [4.2]
    assert [t.value for t in target_in_force(h01.targets, 2027)] == [3.4]
    assert target_in_force(h01.targets, 2031) == []


@pytest.mark.parametrize(
    "change, code, words",
    [
        (('name = "婴儿死亡率"\n', ""), "H01", "缺少字段 name"),
        (('op = "<=", value = 4.2', 'op = "=<", value = 4.2'), "H01", "未知的比较方式"),
        (('code = "H02"', 'code = "H01"'), "H01", "指标代码重复"),
        (("year = 2030, op", "year = 2035, op"), "H01", "不在规划期"),
        (("scale = 1000\n", ""), "H01", "缺少 scale"),
        (('unit = "‰"', 'unit = "米"'), "H01", "未知的计量单位"),
        (('kind = "yesno"', 'kind = "boolean"'), "H02", "未知的值类型"),
        (('domain = "health"\nname = "机制', 'domain = "safety"\nname = "机制'), "H02", "未定义"),
    ],
)
def test_each_kind_of_mistake_is_named(tmp_path, change, code, words):
    old, new = change
    assert old in GOOD
    err = refused(tmp_path, GOOD.replace(old, new, 1))
    assert any(c == code and words in m for c, m in err.problems), err.problems


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace("scale = 1000\n", "").replace('op = "qualitative"', 'op = "maybe"')
    err = refused(tmp_path, text)
    assert {c for c, _m in err.problems} == {"H01", "H02"}


def test_syntax_error_and_bad_encoding(tmp_path):
    err = refused(tmp_path, GOOD + "\n[[indicators\n")
    assert "TOML" in str(err)
    path = tmp_path / "test-plan.toml"
    path.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(CatalogueError, match="UTF-8"):
        load_plan_file(path)


def test_builtin_files_are_named_after_their_plan():
    for path in resource_path("plans").glob("*.toml"):
        assert load_plan_file(path).id == path.stem
