"""Numbers in a plan's text: Chinese numerals, values with their measure (Value, find_values)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---- numbers ------------------------------------------------------------------------------------

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def cn_number(s: str) -> float | None:
    """一 → 1, 十二 → 12, 九十五 → 95, 一百 → 100, 两千 → 2000, 三万 → 30000, 九十五点五 → 95.5;
    None if not a numeral."""
    if not s:
        return None
    frac = ""
    if "点" in s:
        s, frac = s.split("点", 1)
        if not frac or any(c not in _CN_DIGIT for c in frac):
            return None
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGIT:
            cur = _CN_DIGIT[ch]
        elif ch == "万":
            total = (total + cur or 1) * 10000
            cur = 0
        elif ch in _CN_UNIT:
            total += (cur or 1) * _CN_UNIT[ch]
            cur = 0
        else:
            return None
    total += cur
    if frac:
        return float(f"{total}.{''.join(str(_CN_DIGIT[c]) for c in frac)}")
    return float(total)


_CN = "零〇一二两三四五六七八九十百"
COUNT_UNITS = (
    "课时",
    "人次",
    "名",
    "所",
    "个",
    "张",
    "次",
    "项",
    "家",
    "处",
    "支",
    "人",
    "间",
    "户",
    "册",
    "座",
    "种",
    "门",
)
_UNIT_RE = r"(?:个百分点|/10万|/万|万元|平方米|课时|小时|人次|%|‰|名|所|个|张|次|项|家|处|支|人|元|天|间|户|册|座|种|门)"
_NUM = r"\d+(?:\.\d+)?"
VALUE_RE = re.compile(
    rf"(?P<pct>百分之(?P<pctcn>[{_CN}点]+))"
    rf"|(?P<num>{_NUM})(?P<u1>%|‰)?(?:(?P<dash>[-—–~至到])(?P<num2>{_NUM}))?(?P<unit>{_UNIT_RE})?"
    rf"|(?P<cn>[一两二三四五六七八九十百千万]{{1,6}})(?P<cnunit>人次|所|个|名|项|次|张|家|处|门|种)"
)
_NOT_VALUE_AFTER = (
    "岁",
    "年",
    "月",
    "日",
    "周",
    "届",
    "期",
    "类",
    "级",
    "条",
    "款",
    "部",
    "倍",
    "孩",
    "胎",
    "代",
    "化",
    "级",
    "版",
    "号",
    "方面",
    "季",
    "G",
    "星",
    "位",
)


@dataclass
class Value:
    start: int
    end: int
    value: float | list[float]
    unit: str  # %, ‰, 1/10万, 个百分点, 名 …
    chinese: bool = False


def find_values(text: str) -> list[Value]:
    out: list[Value] = []
    for m in VALUE_RE.finditer(text):
        a, b = m.span()
        nxt = text[b : b + 2]
        if m.group("pct"):
            v = cn_number(m.group("pctcn"))
            if v is None:
                continue
            out.append(Value(a, b, v, "%", True))
            continue
        if m.group("cn"):
            v = cn_number(m.group("cn"))
            prev = text[max(0, a - 1) : a]
            if v is None or prev in ("第", "十", "每") or text[a - 2 : a] in ("十四", "十三"):
                continue
            # 七个领域, 两个全覆盖 … are counts of the text's own parts, not targets: a Chinese
            # count is a target only after a verb that creates or provides something.
            before = text[max(0, a - 4) : a]
            if not re.search(
                r"(建立|建设|创建|设置|设立|配备|办好|建成|掌握|打造|培育|建|设|至少|不少于|有)$",
                before,
            ):
                continue
            out.append(Value(a, b, v, m.group("cnunit"), True))
            continue
        unit = m.group("u1") or m.group("unit") or ""
        if m.group("u1") and m.group("unit") and m.group("unit") not in ("%", "‰"):
            # "10%至20所" never happens; keep the percent sign, give back the rest
            b = m.start("unit")
        if not unit:
            continue
        if any(nxt.startswith(x) for x in _NOT_VALUE_AFTER):
            continue
        if unit in ("/10万",):
            unit = "1/10万"
        elif unit == "/万":
            unit = "1/万"
        prev = text[max(0, a - 1) : a]
        if prev in ("第", "/", ".") or re.match(r"\d", prev or "x"):
            continue
        num = float(m.group("num"))
        if m.group("num2"):
            v2 = float(m.group("num2"))
            if m.group("dash") in ("至", "到") and not m.group("u1") and unit in ("%", "‰"):
                pass
            value: float | list[float] = sorted([num, v2])
        else:
            value = num
        if unit == "%" and m.group("num2") is None and num > 1000:
            continue
        out.append(Value(a, b, value, unit, False))
    return out
