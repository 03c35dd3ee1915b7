"""Find a plan's parts in its text: title, region, period, base year, domains and sections.

A document may hold more than one plan (a notice issuing a women's and a children's plan);
:func:`find_plans` returns one :class:`PlanLayout` for each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tianbao.plantext.phrases import normalise

_TITLE_RE = re.compile(
    r"^(?P<region>[\u4e00-\u9fff（）()]{0,30}?)(?P<kind>妇女|儿童)发展(?:规划|纲要)"
    r"\s*[（(]?\s*(?P<y1>20\d\d)\s*[-—–－~～至到]\s*(?P<y2>20\d\d)\s*年?\s*[）)]?\s*$"
)
_TITLE_NOYEAR_RE = re.compile(
    r"^(?P<region>[\u4e00-\u9fff]{0,30}?)(?P<kind>妇女|儿童)发展(?:规划|纲要)\s*$"
)
_YEARS_RE = re.compile(
    r"^[（(]\s*(?P<y1>20\d\d)\s*[-—–－~～至到]\s*(?P<y2>20\d\d)\s*年?\s*[）)]\s*$"
)
_NUMBER = r"(?:[（(]?[一二三四五六七八九十]+[）)、.．]?|[（(]?\d+[）)、.．]|\d+、)"
_DOMAIN_RE = re.compile(
    rf"^\s*{_NUMBER}\s*(?P<name>(?:妇女|儿童)(?:与|参与)[\u4e00-\u9fff]{{1,10}}?)\s*[。.：:]?\s*$"
)
_TOP_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、]|第[一二三四五六七八九十]+部分)\s*(?P<name>\S.*)$"
)
_GOALS_RE = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?[【\[]?主要目标[】\]]?\s*[:：]?\s*$"
)
_MEASURES_RE = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?[【\[]?(?:策略措施|主要措施|支持措施|工作措施)[】\]]?\s*[:：]?\s*$"
)
_TOC_RE = re.compile(r"(\.{4,}|…{2,}|·{4,})|\s[（(]\d+[）)]\s*$|\t[（(]?\d+[）)]?\s*$")
_BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")

DOMAIN_CODES = [
    ("健康", "health"),
    ("安全", "safety"),
    ("教育", "education"),
    ("福利", "welfare"),
    ("家庭", "family"),
    ("环境", "environment"),
    ("法律", "law"),
    ("经济", "economy"),
    ("决策", "decision"),
    ("社会保障", "security"),
]
DOMAIN_EN = {
    "health": "Health",
    "safety": "Safety",
    "education": "Education",
    "welfare": "Welfare",
    "family": "Family",
    "environment": "Environment",
    "law": "Legal Protection",
    "economy": "Economy",
    "decision": "Participation in Decision-making",
    "security": "Social Security",
}


def clean_line(s: str) -> str:
    return _BOOKMARK_RE.sub("", normalise(s)).strip()


@dataclass
class DomainLayout:
    code: str
    name: str
    line: int  # heading line (1-based)
    goals: list[int] = field(default_factory=list)  # 1-based line numbers of 主要目标
    measures: list[int] = field(default_factory=list)  # 策略措施 lines
    intro: list[int] = field(default_factory=list)  # between the heading and 主要目标


@dataclass
class PlanLayout:
    title: str
    kind: str  # women | children
    region: str
    period: tuple[int, int]
    start: int  # first line of the plan (1-based)
    end: int  # last line
    domains: list[DomainLayout] = field(default_factory=list)
    projects: list[int] = field(default_factory=list)  # 重点工程 / 重点项目 lines
    other: list[int] = field(default_factory=list)  # 前言, 指导思想, 组织实施, 监测评估 …
    flags: list[str] = field(default_factory=list)
    base_year: int = 0


def domain_code(name: str, used: set[str]) -> str:
    for key, code in DOMAIN_CODES:
        if key in name and code not in used:
            return code
    i = 1
    while f"d{i}" in used:
        i += 1
    return f"d{i}"


def find_plans(lines: list[str] | tuple[str, ...]) -> list[PlanLayout]:
    clean = [clean_line(s) for s in lines]
    n = len(clean)
    # titles: a short line naming the plan and its period, not a quotation of another plan
    titles: list[tuple[int, str, str, str, tuple[int, int]]] = []
    for i, s in enumerate(clean):
        if not s or len(s) > 45 or "《" in s or "关于" in s or "通知" in s or _TOC_RE.search(s):
            continue
        m = _TITLE_RE.match(s)
        period = None
        if m:
            period = (int(m.group("y1")), int(m.group("y2")))
        else:
            m = _TITLE_NOYEAR_RE.match(s)
            if m:
                for j in range(i + 1, min(i + 4, n)):
                    if clean[j]:
                        ym = _YEARS_RE.match(clean[j])
                        if ym:
                            period = (int(ym.group("y1")), int(ym.group("y2")))
                            s = s + clean[j]
                        break
        if m and period:
            region = m.group("region").strip()
            titles.append((i, s, m.group("kind"), region, period))
    plans: list[PlanLayout] = []
    if not titles:
        kind = (
            "women"
            if sum("妇女" in s for s in clean) > sum("儿童" in s for s in clean)
            else "children"
        )
        years = re.findall(r"(20[2-3]\d)\s*[-—–－~至到]\s*(20[2-3]\d)\s*年", " ".join(clean))
        period = (int(years[0][0]), int(years[0][1])) if years else (2021, 2030)
        lay = PlanLayout("", kind, "", period, 1, n, flags=["title_missing"])
        _layout(lay, clean)
        return [lay]
    # one plan per distinct title that is followed by its own domains
    starts = []
    for t in titles:
        if starts and t[2] == starts[-1][2] and t[4] == starts[-1][4]:
            continue  # the same title again (header, cover page)
        starts.append(t)
    for k, (i, s, kind, region, period) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else n
        lay = PlanLayout(
            re.sub(r"\s+", "", s),
            "women" if kind == "妇女" else "children",
            _region(region),
            period,
            i + 1,
            end,
        )
        _layout(lay, clean)
        plans.append(lay)
    # a title with no domains (a notice's heading) is not a plan of its own
    real = [p for p in plans if p.domains]
    return real or plans[:1]


def _region(r: str) -> str:
    r = re.sub(r"(人民政府|政府|办公室)$", "", r)
    return r


def _layout(lay: PlanLayout, clean: list[str]) -> None:
    cur: DomainLayout | None = None
    part = "other"
    used: set[str] = set()
    in_projects = False
    for i in range(lay.start - 1, lay.end):
        s = clean[i]
        ln = i + 1
        if not s:
            continue
        if _TOC_RE.search(s):
            lay.other.append(ln)
            continue
        m = _DOMAIN_RE.match(s)
        if m and len(s) <= 24:
            code = domain_code(m.group("name"), used)
            used.add(code)
            cur = DomainLayout(code, m.group("name"), ln)
            lay.domains.append(cur)
            part = "intro"
            in_projects = False
            continue
        if _GOALS_RE.match(s) and cur is not None:
            part = "goals"
            continue
        if _MEASURES_RE.match(s) and cur is not None:
            part = "measures"
            continue
        t = _TOP_RE.match(s)
        if t and len(s) <= 30 and not re.search(r"[，。；]", s):
            name = t.group("name")
            if re.search(r"重点(工程|项目|任务|行动)", name):
                in_projects = True
                cur = None
                part = "projects"
                continue
            if re.search(
                r"组织实施|监测评估|保障措施|实施保障|指导思想|总体要求|发展领域|附", name
            ):
                in_projects = False
                cur = None
                part = "other"
                continue
        if part == "projects" and in_projects:
            lay.projects.append(ln)
        elif cur is not None and part == "goals":
            cur.goals.append(ln)
        elif cur is not None and part == "measures":
            cur.measures.append(ln)
        elif cur is not None and part == "intro":
            cur.intro.append(ln)
        else:
            lay.other.append(ln)
    # base year: the year relative targets are counted from
    text = "\n".join(clean[lay.start - 1 : lay.end])
    ys = re.findall(r"以\s*(20\d\d)\s*年(?:的?数据|水平)?为(?:基数|基期|基准)", text)
    if ys:
        lay.base_year = max(set(ys), key=ys.count) and int(max(set(ys), key=ys.count))
    else:
        lay.base_year = lay.period[0] - 1
    for d in lay.domains:
        if not d.goals and not d.measures and d.intro:
            d.goals, d.intro = d.intro, []  # no 主要目标 heading: the domain's text is its goals
    if not lay.domains:
        lay.flags.append("domains_missing")
