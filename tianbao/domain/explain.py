"""What a statistical form explains about itself: 填报说明 and 指标解释, from the catalogue.

Real statistical forms carry, beside the table, a page of instructions (who fills the form, the
period, the deadline, how to send it, how to mark a figure not available) and an explanation of
every indicator (definition, numerator and denominator, unit, scale, the department the figure
comes from).  Both are generated here from the plan so that the blank form, the template and the
return explain themselves the same way to a colleague who has never seen the program.
"""

from __future__ import annotations

from dataclasses import dataclass

from tianbao.domain.catalogue import Indicator, Plan

SCALE_TEXT = {
    100.0: "×100（百分比，%）",
    1000.0: "×1000（千分比，‰）",
    10000.0: "×10000（每万）",
    100000.0: "×100000（每10万）",
}
NO_DATA_MARK = "无此项数据"
DEFAULT_DEPARTMENT = "按本级妇儿工委办公室的填报分工确定"


@dataclass(frozen=True)
class Explanation:
    code: str
    name: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    scale: str
    department: str
    source: str  # the plan's own words


def explain(ind: Indicator) -> Explanation:
    """The 指标解释 of one indicator."""
    stated = getattr(ind, "definition", "") or ""
    if stated:
        definition = stated
    elif ind.is_rate:
        definition = f"{ind.numerator}与{ind.denominator}之比。"
    elif ind.kind == "yesno":
        definition = "定性目标，按“是 / 部分 / 否”评价：是＝已实现，部分＝部分实现，否＝尚未实现。"
    elif ind.kind == "text":
        definition = "文字说明，如实填写。"
    elif ind.kind == "count":
        definition = f"报告期末{ind.name}，填写整数。"
    else:
        definition = f"报告期{ind.name}。"
    scale = ""
    if ind.is_rate and ind.scale:
        scale = SCALE_TEXT.get(float(ind.scale), f"×{ind.scale:g}")
    return Explanation(
        code=ind.code,
        name=ind.name,
        definition=definition,
        numerator=ind.numerator or "" if ind.is_rate else "",
        denominator=ind.denominator or "" if ind.is_rate else "",
        unit=ind.unit or "—",
        scale=scale,
        department="、".join(ind.departments) or DEFAULT_DEPARTMENT,
        source=ind.sources[0].quote if ind.sources else "",
    )


def formula(e: Explanation) -> str:
    """分子 ÷ 分母 × scale, as printed; "" where the indicator has none."""
    if not e.numerator:
        return ""
    return f"{e.numerator} ÷ {e.denominator} {e.scale.split('（')[0]}".strip()


def instructions(plan: Plan, year: int, *, unit_name: str = "", blank: bool = False) -> list[str]:
    """The 填报说明 of a plan's form for a year, one paragraph per item."""
    who = f"本表由{unit_name}填报。" if unit_name and not blank else ""
    items = [
        f"填报范围：{who}本表由承担{plan.title}监测任务的单位填报，包括各乡镇（街道）和"
        "有关部门；综合机关（上级妇儿工委办公室）汇总下级单位的报表。填报单位名称写全称，"
        "并加盖单位公章。",
        f"报告期：{year}年1月1日至12月31日；时点指标填{year}年末数，比率指标按报告期内的"
        "分子、分母计算。",
        f"报送时间：{year + 1}年1月31日前（以本级妇儿工委办公室的通知为准）。",
        "报送方式：用Tianbao程序填报的，导出Excel报表报送电子文件，打印PDF报表经单位负责人、"
        "统计负责人和填表人签字、加盖公章后报送纸质文件；没有程序的，填写程序导出的Excel空白表"
        "（只能在浅黄色单元格填写）或纸质空白表后报送。",
        "填写方法：数值指标填写数字，不带单位；比率指标请填写分子和分母（程序计算比率），"
        "也可只填比率；定性目标在“是 / 部分 / 否”中选一项（纸质表在方框内打“√”）。"
        "有“其中”分组的，分组数据之和应与合计相符。",
        f"无此项数据：确实无法取得数据的，数值栏留空（不要填0），并在“说明”栏注明"
        f"“{NO_DATA_MARK}”及原因；数据为0的填“0”。",
        "情况说明：未达标、落后于进度、较上年变化较大或与基期相比变差的指标，请在“说明”栏"
        "或情况说明中逐项说明原因和措施。",
    ]
    if not blank:
        items.append(
            "校验码：Excel报表和PDF报表的每页印有校验码，两者一致即数据相同；"
            "修改数据后校验码随之改变，请重新打印。"
        )
    items.append("各项指标的定义、计算方法和数据来源见“指标解释”。")
    return [f"{_CN[k]}、{t}" for k, t in enumerate(items)]


_CN = "一二三四五六七八九十"


__all__ = ["Explanation", "NO_DATA_MARK", "explain", "formula", "instructions"]
