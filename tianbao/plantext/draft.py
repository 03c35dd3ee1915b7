"""Assemble a draft plan catalogue (docs/catalogue-format.md) from a plan's text.

``draft_plans(plan_text)`` returns one :class:`Draft` per plan found in the text.  A draft's
``plan`` is a plain dictionary in the catalogue format, ready for the catalogue loader and for
writing as TOML; ``flags`` lists every uncertain item for review; ``left_out`` lists the numbers
that were deliberately not taken as targets and why; ``counts`` states the draft's own counts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from tianbao.plantext.dictionary import Dictionary, norm_name, similarity
from tianbao.plantext.phrases import Context, Found, LeftOut, Span, find_values, parse_paragraph
from tianbao.plantext.reader import PlanText, PlanTextError, read_plan_text
from tianbao.plantext.structure import DOMAIN_EN, PlanLayout, clean_line, find_plans


class DraftError(PlanTextError):
    """No plan, or no targets, could be read from the text."""


FLAG_TEXT = {
    "unknown_indicator": (
        "指标不在标准指标词典中：类型、单位、分子分母由原文推断，请核对",
        "indicator not in the dictionary: kind, unit, numerator and denominator inferred",
    ),
    "ambiguous_op": (
        "比较方式不明确（原文只写“达到/保持在 X”），已按指标方向判断，请核对",
        "ambiguous comparator, decided from the indicator's direction",
    ),
    "name_from_previous": (
        "指标名称取自前一分句，请核对",
        "indicator name taken from the previous clause",
    ),
    "names_not_split": (
        "一句多个数值但名称无法逐一对应，请核对",
        "several values, names could not be paired",
    ),
    "name_missing": ("找不到指标名称，请补写", "no indicator name found"),
    "full_coverage": (
        "“全覆盖”读作覆盖率 ≥100%，请核对指标名称",
        "'full coverage' read as coverage ≥ 100%",
    ),
    "op_inherited": (
        "原文未写比较词，沿用前一目标的比较方式，请核对",
        "comparator inherited from the previous target",
    ),
    "tolerance_assumed": ("“左右”未给容差，草稿暂定，请核对", "tolerance of 'about' assumed"),
    "domain_guessed": (
        "该目标出自重点工程等领域之外的段落，所属领域为推断，请核对",
        "domain guessed",
    ),
    "conflict": (
        "同一指标同一年份有两个不同目标，请核对",
        "two different targets for the same year",
    ),
    "points_without_change": (
        "数值单位为“个百分点”但不是变化目标，请核对",
        "percentage points outside a change target",
    ),
    "unmatched_number": (
        "句中有数字但未能识别为目标，请核对是否遗漏",
        "a number that matched no pattern",
    ),
    "year_outside": ("目标年份不在规划期内，已删去年份，请核对", "target year outside the period"),
    "title_missing": ("未找到规划标题，请补写标题、地区和规划期", "plan title not found"),
    "domains_missing": (
        "未找到“妇女与…/儿童与…”领域标题，全部指标归入一个领域",
        "no domain headings",
    ),
}

_PREFIX = {
    "health": "H",
    "safety": "S",
    "education": "E",
    "welfare": "W",
    "family": "F",
    "environment": "V",
    "law": "L",
    "economy": "C",
    "decision": "D",
    "security": "B",
}

_LOWER_RE = re.compile(
    r"(死亡率|发生率|患病率|患率|近视率|贫血率|迟缓率|肥胖|超重|传播率|感染率|流行率|伤害|犯罪|"
    r"低体重|剖宫产|辍学|失学|文盲|屏幕|早孕|不合格|案件数|吸烟|事故)"
)
_DOMAIN_GUESS = [
    ("safety", r"伤害|溺水|交通安全|校园安全|欺凌|安全"),
    ("health", r"近视|龋|医|疫苗|死亡|营养|体质|健康|母乳|筛查|保健|床位|心理|睡眠"),
    ("education", r"教育|学校|幼儿园|入学|入园|学前|义务|高中|课"),
    ("welfare", r"托位|托育|福利|孤儿|困境|救助|儿童主任|督导员|未成年人救助"),
    ("family", r"家庭|家长|家风|亲子"),
    ("environment", r"友好|公园|环境|图书|科普|自来水|厕所|阅读|校外活动"),
    ("law", r"法律|法治|司法|犯罪|未成年人保护|侵害"),
    ("economy", r"就业|收入|经济|创业"),
    ("decision", r"女干部|领导班子|人大代表|政协委员|村委会|居委会"),
    ("security", r"保险|养老|社会保障|低保"),
]


@dataclass
class Draft:
    plan: dict[str, Any]
    flags: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)
    lines: tuple[str, ...] = ()
    layout: PlanLayout | None = None

    @property
    def counts(self) -> dict[str, int]:
        inds = self.plan["indicators"]
        targets = [t for i in inds for t in i["targets"]]
        quant = [t for t in targets if t["op"] not in ("direction", "qualitative")]
        flagged = {(f["code"], f.get("target")) for f in self.flags if f.get("target") is not None}
        return {
            "indicators": len(inds),
            "targets": len(targets),
            "quantified": len(quant),
            "qualitative": len(targets) - len(quant),
            "flags": len(self.flags),
            "flagged_targets": len(flagged),
            "left_out": len(self.left_out),
        }

    def summary_zh(self) -> str:
        c = self.counts
        return (
            f"{self.plan['title']}：{c['indicators']} 个指标，{c['targets']} 个目标（量化 {c['quantified']}，"
            f"定性 {c['qualitative']}），{c['flags']} 处待核，{c['left_out']} 处数字未作为目标。"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "counts": self.counts,
            "flags": self.flags,
            "left_out": self.left_out,
        }

    def to_toml(self) -> str:
        return to_toml(self.plan)


# ---- drafting ---------------------------------------------------------------------------------


def draft_text(
    text: str,
    *,
    source: str = "粘贴的文本",
    plan_id: str | None = None,
    dictionary: Dictionary | None = None,
) -> Draft:
    """The first (or only) plan in pasted text."""
    return draft_plans(read_plan_text(text, source), plan_id=plan_id, dictionary=dictionary)[0]


def draft_plans(
    pt: PlanText, *, plan_id: str | None = None, dictionary: Dictionary | None = None
) -> list[Draft]:
    if dictionary is None:
        dictionary = Dictionary.builtin()
    layouts = find_plans(pt.lines)
    drafts = []
    for lay in layouts:
        pid = (
            plan_id
            if plan_id and len(layouts) == 1
            else (f"{plan_id}-{lay.kind}" if plan_id else None)
        )
        d = _draft_one(pt, lay, dictionary, pid)
        drafts.append(d)
    if not any(d.counts["quantified"] for d in drafts):
        raise DraftError(
            f"在 {pt.source} 中没有找到任何量化目标（如“婴儿死亡率降至 4‰ 以下”）。"
            "请确认这是妇女或儿童发展规划的正文，且含“主要目标”部分。",
            f"No quantified targets found in {pt.source}.",
        )
    return drafts


def _paragraphs(lines: tuple[str, ...], numbers: list[int]) -> list[list[tuple[int, str]]]:
    """Group the given lines into paragraphs: a numbered item or —— line starts one; a line that
    does not end a sentence continues onto the next (PDF and web pages break lines anywhere)."""
    paras: list[list[tuple[int, str]]] = []
    prev_ln = -10
    for ln in numbers:
        s = clean_line(lines[ln - 1])
        if not s or re.fullmatch(r"[-—－–\s]*(?:第\s*)?\d{1,3}(?:\s*页)?[-—－–\s]*", s):
            continue  # blank, or a page number left in a PDF's text layer
        starts = re.match(
            r"^(?:\d+\s*[.．、]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|——|-{2}|[一二三四五六七八九十]+、|[•●·■◆])",
            s,
        )
        cont = (
            paras
            and not starts
            and ln - prev_ln <= 3
            and not re.search(r"[。；;！？!?]$", paras[-1][-1][1])
        )
        if cont:
            paras[-1].append((ln, s))
        else:
            paras.append([(ln, s)])
        prev_ln = ln
    return paras


def _draft_one(pt: PlanText, lay: PlanLayout, dic: Dictionary, plan_id: str | None) -> Draft:
    return _Drafter(pt, lay, dic).draft(plan_id)


class _Drafter:
    """Reads one plan's sections into indicators (merging restatements), then numbers and flags them."""

    def __init__(self, pt: PlanText, lay: PlanLayout, dic: Dictionary) -> None:
        self.pt, self.lay, self.dic = pt, lay, dic
        self.lines = pt.lines
        self.flags: list[dict[str, Any]] = []
        self.left: list[dict[str, Any]] = []
        self.ctx = Context(lay.period, lay.base_year)
        self.domains = lay.domains or []
        if not self.domains:
            from tianbao.plantext.structure import DomainLayout

            allines = list(range(lay.start, lay.end + 1))
            self.domains = [DomainLayout("general", "全部目标", lay.start, goals=allines)]
        self.inds: list[dict[str, Any]] = []
        self.by_key: dict[str, dict[str, Any]] = {}
        self.tflags: dict[int, list[str]] = {}  # id(target dict) -> flags
        self.para_no = 0  # the paragraph being read (targets of one paragraph are never merged)

    def draft(self, plan_id: str | None) -> Draft:
        for dom in self.domains:
            for section, numbers in (
                ("goals", dom.goals),
                ("measures", dom.measures),
                ("intro", dom.intro),
            ):
                for para in _paragraphs(self.lines, numbers):
                    self._read(para, dom.code, section)
        # 重点工程: targets restated or new; their domain is that of the matching indicator
        for para in _paragraphs(self.lines, self.lay.projects):
            self._read(para, self.domains[0].code, "projects")
        # numbers outside the goal sections are facts and context, not targets
        for ln in self.lay.other:
            s = clean_line(self.lines[ln - 1])
            if find_values(re.sub(r"\s", "", s)):
                reason = "前言、发展基础、组织实施、监测评估等部分的数字（现状或说明），不是目标"
                self.left.append({"line": ln, "text": s[:60], "reason": reason})
        return self._assemble(plan_id, self._finish_indicators())

    def _read(self, para: list[tuple[int, str]], dom: str, section: str) -> None:
        self.para_no += 1
        span = Span.of(para)
        self.ctx.prev_names, self.ctx.prev_found = [], []
        found, lo = parse_paragraph(span, self.ctx, section)
        for x in lo:
            self.left.append({"line": x.line, "text": x.text, "reason": x.reason})
        if section == "intro":
            for f in found:
                self.left.append(
                    {
                        "line": f.line,
                        "text": f.quote,
                        "reason": "领域导语（主要目标之前）的数字，未作为目标",
                    }
                )
            return
        quant = [f for f in found if f.op not in ("direction", "qualitative")]
        for f in found:
            if section == "projects" and f.op in ("direction", "qualitative"):
                continue
            self.add_found(f, dom, section == "projects")
        _unmatched(span, found, lo, self.left)
        if section == "goals" and not quant:
            _qualitative(para, span, dom, self.inds, self.by_key, found)

    def _indicator_for(self, f: Found, dom: str, guessed: bool) -> dict[str, Any]:
        name = f.name
        entry = self.dic.lookup(name, f.unit)
        if entry is None:
            full = self.dic.complete(name)
            if full:
                name = full
                entry = self.dic.lookup(full)
        key = norm_name(entry.name if entry else name)
        ind = self.by_key.get(key) or self.by_key.get(norm_name(name))
        if ind is None:
            ind = _restated([i for i in self.inds if i.get("_para") != self.para_no], name, f)
        if ind is None:
            ind = _new_indicator(name, f, entry, dom)
            ind["_para"] = self.para_no
            codes = [d.code for d in self.domains]
            if guessed and entry and entry.domain in codes:
                ind["domain"] = entry.domain
            elif guessed:
                ind["domain"] = _guess_domain(name, codes) or dom
                ind["_flags"].append("domain_guessed")
            self.inds.append(ind)
            self.by_key[key] = ind
        return ind

    def add_found(self, f: Found, dom: str, guessed: bool) -> None:
        ind = self._indicator_for(f, dom, guessed)
        src = {"line": f.line, "quote": f.quote}
        if src not in ind["sources"]:
            ind["sources"].append(src)
        t = _target_dict(f, ind, self.lay)
        if t is None:
            return
        same = ("op", "value", "year", "each", "change_unit", "basis", "reached_in", "reference")
        if any(all(old.get(k) == t.get(k) for k in same) for old in ind["targets"]):
            return  # the same target restated (策略措施 / 重点工程): one more source only
        quant = ("qualitative", "direction")
        if any(
            old.get("year") == t.get("year")
            and old.get("each") == t.get("each")
            and old["op"] not in quant
            and t["op"] not in quant
            and old.get("change_unit") == t.get("change_unit")
            for old in ind["targets"]
        ):
            f.flags.append("conflict")
        ind["targets"].append(t)
        self.tflags[id(t)] = list(dict.fromkeys(f.flags))

    def _finish_indicators(self) -> list[dict[str, Any]]:
        """Codes in the order of the domains and the text; flags listed and written into notes."""
        counters: dict[str, int] = {}
        out_inds = []
        order = {d.code: k for k, d in enumerate(self.domains)}
        pos = {id(i): k for k, i in enumerate(self.inds)}
        for ind in sorted(self.inds, key=lambda i: (order.get(i["domain"], 99), pos[id(i)])):
            prefix = _PREFIX.get(ind["domain"], "X")
            counters[prefix] = counters.get(prefix, 0) + 1
            code = f"{prefix}{counters[prefix]:02d}"
            ind["code"] = code
            notes = []
            ind.pop("_para", None)
            for fl in dict.fromkeys(ind.pop("_flags")):
                self.flags.append(
                    {
                        "code": code,
                        "name": ind["name"],
                        "flag": fl,
                        "line": ind["sources"][0]["line"],
                        "message": FLAG_TEXT[fl][0],
                    }
                )
                notes.append(FLAG_TEXT[fl][0])
            for k, t in enumerate(ind["targets"]):
                for fl in self.tflags.get(id(t), []):
                    msg = FLAG_TEXT.get(fl, (fl,))[0]
                    self.flags.append(
                        {
                            "code": code,
                            "name": ind["name"],
                            "flag": fl,
                            "target": k,
                            "line": t.get("line"),
                            "quote": t.get("quote", ""),
                            "message": msg,
                        }
                    )
                    t["note"] = (t.get("note", "") + " 待核：" + msg).strip()
            if notes:
                ind["note"] = ("待核：" + "；".join(notes) + "。" + ind.get("note", "")).strip()
            if not ind.get("note"):
                ind.pop("note", None)
            out_inds.append(_ordered(ind))
        for x in self.left:
            if x["reason"].startswith(("数字未能识别", "有数值但")):
                self.flags.append(
                    {
                        "code": "",
                        "name": "",
                        "flag": "unmatched_number",
                        "line": x["line"],
                        "quote": x["text"],
                        "message": FLAG_TEXT["unmatched_number"][0],
                    }
                )
        for fl in self.lay.flags:
            self.flags.append(
                {
                    "code": "",
                    "name": "",
                    "flag": fl,
                    "line": self.lay.start,
                    "message": FLAG_TEXT[fl][0],
                }
            )
        return out_inds

    def _assemble(self, plan_id: str | None, out_inds: list[dict[str, Any]]) -> Draft:
        lay, pt, kind = self.lay, self.pt, self.lay.kind
        who = "Women" if kind == "women" else "Children"
        title = (
            lay.title
            or ("妇女发展规划" if kind == "women" else "儿童发展规划")
            + f"（{lay.period[0]}—{lay.period[1]}年）"
        )
        pid = (
            plan_id
            or "draft-"
            + kind
            + "-"
            + hashlib.sha1(
                (title + "".join(self.lines[lay.start - 1 : lay.start + 50])).encode("utf-8")
            ).hexdigest()[:8]
        )
        plan = {
            "format": 1,
            "id": pid,
            "version": 1,
            "title": title,
            "title_en": f"{lay.region or 'Draft'} {who}'s Development Plan ({lay.period[0]}–{lay.period[1]}) — draft",
            "kind": kind,
            "region": lay.region,
            "period": [lay.period[0], lay.period[1]],
            "base_year": lay.base_year,
            "source": pt.source,
            "note": "",
            "domains": [
                {
                    "code": d.code,
                    "name": d.name,
                    "name_en": f"{who} and {DOMAIN_EN.get(d.code, d.name)}",
                }
                for d in self.domains
            ],
            "indicators": out_inds,
        }
        d = Draft(plan, self.flags, self.left, tuple(self.lines), lay)
        c = d.counts
        plan["note"] = (
            f"由规划文本自动起草（{pt.source}），须逐项核对：{c['indicators']} 个指标，{c['targets']} 个目标"
            f"（量化 {c['quantified']}），{c['flags']} 处待核，{c['left_out']} 处数字未作为目标"
            f"（前言/发展基础的现状数字、括号内的国家或省目标等）。"
        )
        return d


def _unmatched(
    span: Span, found: list[Found], lo: list[LeftOut], left: list[dict[str, Any]]
) -> None:
    """Numbers with a unit that no target used and no rule explained: flagged for review."""
    used_lines = {f.line for f in found}
    explained = {x.line for x in lo}
    for v in find_values(span.text):
        ln = span.line_at(v.start)
        if ln in used_lines or ln in explained:
            continue
        if v.unit in ("%", "‰", "1/10万", "个百分点"):
            left.append(
                {
                    "line": ln,
                    "text": span.text[max(0, v.start - 20) : v.end + 6],
                    "reason": "数字未能识别为目标（句式未知），请核对",
                }
            )
            explained.add(ln)


def _restated(inds: list[dict[str, Any]], name: str, f: Found) -> dict[str, Any] | None:
    """An indicator already drafted with the very same target and a nearly equal name
    (7岁以下儿童保健管理率 / 7岁以下儿童健康管理率): the same indicator restated."""
    if f.op in ("direction", "qualitative"):
        return None
    best, score = None, 0.0
    for ind in inds:
        if ind.get("kind") == "yesno":
            continue
        same = any(
            t.get("op") == f.op
            and t.get("value") == (f.value if not isinstance(f.value, float) else _num(f.value))
            and t.get("year") == f.year
            for t in ind["targets"]
        )
        if not same:
            continue
        s = similarity(ind["name"], name)
        a, b = norm_name(ind["name"]), norm_name(name)
        if a in b or b in a:
            continue  # one name more specific than the other: two indicators
        if s > score:
            best, score = ind, s
    return best if score >= 0.65 else None


def _qualitative(para, span: Span, dom: str, inds, by_key, found: list[Found]) -> None:
    text = re.sub(
        r"^(?:\d+\s*[.．、]|[（(][一二三四五六七八九十\d]+[）)]|——|[一二三四五六七八九十]+、)",
        "",
        span.text,
    )
    text = text.strip()
    if len(text) < 4:
        return
    first = re.split(r"[。；;]", text)[0]
    name = first if len(first) <= 40 else first[:40]
    name = name.rstrip("，,")
    key = "yesno:" + norm_name(name)
    if key in by_key:
        return
    line = span.line_at(0)
    quote = "".join(c for c, ln in zip(span.text, span.lines, strict=True) if ln == line)
    quote = re.sub(
        r"^(?:\d+\s*[.．、]|[（(][一二三四五六七八九十\d]+[）)]|——|[一二三四五六七八九十]+、)",
        "",
        quote,
    )
    targets = [{"op": "qualitative", "line": line, "quote": quote}]
    for f in found:
        if f.op == "direction":
            targets.append(
                {"op": "direction", "direction": f.direction, "line": f.line, "quote": f.quote}
            )
    ind = {
        "code": "",
        "domain": dom,
        "name": name,
        "unit": "",
        "kind": "yesno",
        "sources": [{"line": line, "quote": quote}],
        "targets": targets,
        "_flags": [],
    }
    inds.append(ind)
    by_key[key] = ind


def _guess_domain(name: str, codes: list[str]) -> str | None:
    for code, pat in _DOMAIN_GUESS:
        if code in codes and re.search(pat, name):
            return code
    return None


def _better(name: str, entry, op: str) -> str:
    if entry and entry.info.get("better") in ("lower", "higher"):
        return entry.info["better"]
    if _LOWER_RE.search(name):
        return "lower"
    if op in ("<=", "<"):
        return "lower"
    return "higher"


def _new_indicator(name: str, f: Found, entry, dom: str) -> dict[str, Any]:
    ind: dict[str, Any] = {"code": "", "domain": dom, "name": name, "_flags": []}
    if entry is not None:
        info = dict(entry.info)
        ind.update(
            {
                k: v
                for k, v in info.items()
                if k
                in (
                    "name_en",
                    "unit",
                    "kind",
                    "scale",
                    "numerator",
                    "denominator",
                    "gross",
                    "better",
                    "bounds",
                    "plausible",
                    "change_threshold",
                )
            }
        )
        if (
            f.op in ("<=", ">=", "<", ">", "approx", "range")
            and ind.get("kind") in ("rate", "ratio")
            and f.unit
            and f.unit != ind.get("unit")
            and f.unit not in ("个百分点",)
        ):
            # the text's unit wins over the dictionary's (a county may state a count per 10,000)
            ind = {"code": "", "domain": dom, "name": name, "_flags": ["unknown_indicator"]}
            _infer(ind, name, f)
    else:
        if f.op != "direction":  # a trend only needs no definition
            ind["_flags"].append("unknown_indicator")
        _infer(ind, name, f)
    ind.setdefault("better", _better(name, entry, f.op))
    ind["sources"] = []
    ind["targets"] = []
    if f.direction or f.op == "direction":
        pass
    return ind


def _infer(ind: dict[str, Any], name: str, f: Found) -> None:
    unit = f.unit
    if f.op == "change" and f.change_unit == "points":
        unit = "%"
    if f.op in ("change", "growth") and not unit:
        unit = "%" if name.endswith("率") else ""
    if f.op == "direction":
        ind.update(unit="", kind="yesno")
        return
    per = re.match(r"^每(千|万|百|十万)(?:名|个)?(.{1,10}?)(?:拥有|有|配备)?", name)
    if unit in ("%", "‰", "1/10万", "1/万"):
        scale = {"%": 100, "‰": 1000, "1/10万": 100000, "1/万": 10000}[unit]
        ind.update(
            unit=unit,
            kind="rate",
            scale=scale,
            numerator=f"{name}的分子（待核）",
            denominator=f"{name}的分母（待核）",
        )
        if "毛入" in name:
            ind["gross"] = True
    elif per and unit in (
        "名",
        "张",
        "个",
        "所",
        "人",
        "家",
        "次",
        "间",
        "处",
        "项",
        "支",
        "户",
        "册",
    ):
        scale = {"千": 1000, "万": 10000, "百": 100, "十万": 100000}[per.group(1)]
        ind.update(
            unit=unit,
            kind="ratio",
            scale=scale,
            numerator=f"{name}的分子（待核）",
            denominator=f"{per.group(2)}数",
        )
    elif unit in ("小时", "天", "年"):
        ind.update(unit=unit, kind="duration")
    elif unit in ("元", "万元", "平方米"):
        ind.update(unit=unit, kind="amount")
    elif unit in ("名", "张", "个", "所", "人", "家", "次", "间", "处", "项", "支", "户", "册"):
        ind.update(unit=unit, kind="count")
    elif f.op in ("growth", "change"):
        ind.update(unit="元" if "标准" in name else "", kind="amount")
    else:
        ind.update(
            unit="",
            kind="count"
            if isinstance(f.value, float) and float(f.value).is_integer()
            else "amount",
        )


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def _loader_has(field_name: str) -> bool:
    """Whether the catalogue format of this program knows a target field (added in later versions)."""
    from tianbao.domain.catalogue import Target

    return field_name in getattr(Target, "__dataclass_fields__", {})


def _target_dict(f: Found, ind: dict[str, Any], lay: PlanLayout) -> dict[str, Any] | None:
    t: dict[str, Any] = {}
    op = f.op
    if f.reference is not None:
        if not _loader_has("reference") or ind.get("kind") in ("yesno", "text"):
            return None
        t = {"op": op, "reference": f.reference}
        if f.year is not None:
            t["year"] = f.year
        t.update(line=f.line, quote=f.quote)
        if f.note:
            t["note"] = f.note
        return t
    if (
        f.reached_in is not None
        and _loader_has("reached_in")
        and ind.get("kind") not in ("yesno", "text")
    ):
        t = {"year": f.year, "op": op, "reached_in": f.reached_in, "line": f.line, "quote": f.quote}
        if f.note:
            t["note"] = f.note
        return t
    if op == "direction":
        if ind["kind"] != "yesno" and ind["kind"] not in (
            "rate",
            "ratio",
            "count",
            "amount",
            "duration",
        ):
            return None
        t = {"op": "direction", "direction": f.direction or "not_up"}
    else:
        if ind.get("kind") in ("yesno", "text"):
            return None
        if f.ambiguous_op and op in (">=", "<="):
            better = ind.get("better", "higher")
            op = "<=" if better == "lower" else ">="
            if better == "lower" or ("unknown_indicator" in ind["_flags"] and f.value != 100):
                f.flags.append("ambiguous_op")
        t["op"] = op
        if op == "range" or isinstance(f.value, list):
            vals = [_num(x) for x in f.value] if isinstance(f.value, list) else [_num(f.value)] * 2
            if op == "change":
                t["value"] = vals
            else:
                t["op"] = "range"
                t["value"] = vals
        elif f.value is not None:
            t["value"] = _num(f.value)
        if op == "approx":
            v = float(f.value) if f.value is not None else 0
            tol = 2 if ind.get("unit") == "%" and v >= 20 else (0.5 if v < 10 else 2)
            t["tolerance"] = tol
            f.flags.append("tolerance_assumed")
            t["note"] = f"容差 ±{tol} 为草稿暂定，原文未给。"
        if op == "change":
            t["change_unit"] = f.change_unit or "percent"
            t["basis"] = f.basis or "base_year"
            if t["basis"] == "base_year":
                t["base_year"] = f.base_year or lay.base_year
        if op in ("growth",):
            t["base_year"] = f.base_year or lay.base_year
    if f.year is not None:
        if lay.period[0] <= f.year <= lay.period[1]:
            t["year"] = f.year
        else:
            f.flags.append("year_outside")
    if f.each:
        t["each"] = f.each
    t["line"] = f.line
    t["quote"] = f.quote
    if f.note:
        t["note"] = (t.get("note", "") + f.note).strip()
    # keep the key order of the built-in files
    order = [
        "year",
        "op",
        "value",
        "tolerance",
        "direction",
        "change_unit",
        "basis",
        "base_year",
        "each",
        "line",
        "quote",
        "note",
    ]
    return {k: t[k] for k in order if k in t}


_IND_ORDER = [
    "code",
    "domain",
    "name",
    "name_en",
    "unit",
    "kind",
    "scale",
    "numerator",
    "denominator",
    "gross",
    "better",
    "bounds",
    "plausible",
    "change_threshold",
    "note",
    "sources",
    "targets",
]


def _ordered(ind: dict[str, Any]) -> dict[str, Any]:
    return {k: ind[k] for k in _IND_ORDER if k in ind}


# ---- TOML -------------------------------------------------------------------------------------


def _tv(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, str):
        return (
            '"'
            + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
            + '"'
        )
    if isinstance(v, list):
        return "[" + ", ".join(_tv(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_tv(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def to_toml(plan: dict[str, Any]) -> str:
    out = [
        f"# {plan['title']} — draft plan catalogue, drafted from {plan.get('source', '')}.",
        "# Review every item marked 待核 before use.",
        "",
    ]
    for k in (
        "format",
        "id",
        "version",
        "title",
        "title_en",
        "kind",
        "region",
        "period",
        "base_year",
        "source",
        "note",
    ):
        if k in plan:
            out.append(f"{k} = {_tv(plan[k])}")
    if plan.get("form"):
        out += ["", "[form]"] + [f"{k} = {_tv(v)}" for k, v in plan["form"].items()]
    for d in plan["domains"]:
        out += ["", "[[domains]]"] + [f"{k} = {_tv(v)}" for k, v in d.items()]
    for ind in plan["indicators"]:
        out += ["", "[[indicators]]"]
        for k, v in ind.items():
            if k in ("sources", "targets"):
                out.append(f"{k} = [")
                out += [f"  {_tv(x)}," for x in v]
                out.append("]")
            else:
                out.append(f"{k} = {_tv(v)}")
    return "\n".join(out) + "\n"
