"""The printed form explains itself: 填报说明 and 指标解释 from the catalogue, a 代码 column,
□是 □部分 □否 boxes on the blank paper form, fixed decimals."""

from __future__ import annotations

from tests.support.pdf import YEAR, page_texts, squash
from tianbao.domain.explain import explain
from tianbao.domain.status import fmt_fixed
from tianbao.pdf.returns import write_blank_form_pdf, write_return_pdf


def _has_explanations(text: str, indicators) -> None:
    assert "指标解释" in text and "定义及计算方法" in text
    for ind in indicators:
        e = explain(ind)
        assert squash(e.definition)[:30] in text, ind.code
        if ind.is_rate:
            assert squash(f"分子：{e.numerator}；分母：{e.denominator}") in text


def test_blank_form_explains_itself(filled, tmp_path):
    out = tmp_path / "blank.pdf"
    write_blank_form_pdf(filled["db"], "T1", filled["plan"].id, YEAR + 1, out)
    pages = page_texts(out)
    text = "".join(pages)
    assert "填报说明" in text
    for words in (
        "填报范围",
        f"报告期：{YEAR + 1}年1月1日至12月31日",
        f"{YEAR + 2}年1月31日前",
        "报送方式",
        "无此项数据",
        "不要填0",
    ):
        assert squash(words) in text, words
    _has_explanations(text, [filled["rate"], filled["number"], filled["yesno"]])
    assert "序号代码指标名称" in text and filled["rate"].code in text
    assert "是部分否" in text  # the boxes to tick beside a qualitative goal
    assert "校验码" not in text


def test_return_carries_instructions_explanations_and_fixed_decimals(filled, tmp_path):
    out = tmp_path / "ret.pdf"
    write_return_pdf(filled["db"], filled["id"], out)
    text = "".join(page_texts(out))
    assert "填报说明" in text and "校验码：Excel报表和PDF报表" in text
    _has_explanations(text, [filled["rate"]])
    # the count was entered as 12: shown with its indicator's fixed decimals
    assert fmt_fixed(12.0, filled["number"]) in text
    rate = filled["rate"]
    assert fmt_fixed(3 / 1537 * rate.scale, rate) in text
