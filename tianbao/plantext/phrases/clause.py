"""One clause (between commas): the special forms first, then the value tokens, then the forms without a number."""

from __future__ import annotations

import re

from tianbao.plantext.phrases.forms import (
    _CHANGE_BASE_AFTER_RE,
    _CHANGE_BASE_RE,
    _CHANGE_YEARLY_RE,
    _CONTINUE_RE,
    _GROWTH_RE,
    _REFERENCE_RE,
    _TREND_UP_RE,
    _decide_op,
    _strip_years,
    _verb_before,
    _year_in,
)
from tianbao.plantext.phrases.names import (
    _EACH_UNIT_RE,
    _HEAD_RE,
    _PROVIDE,
    SUFFIXES,
    VERBS,
    Context,
    Found,
    LeftOut,
    clean_name,
    split_names,
)
from tianbao.plantext.phrases.naming import (
    _BARE_HEAD_RE,
    _coverage,
    _each_from_subject,
    _names_after,
    _names_for,
    _one_value_names,
)
from tianbao.plantext.phrases.numbers import COUNT_UNITS, Value, find_values
from tianbao.plantext.phrases.spans import Span

_DOWN = ("下降", "降低", "减少")


class _Clause:
    """One clause (between commas): the special forms first, then the value tokens, and when the
    clause has no number, the forms without one (在此基础上继续提高, 全覆盖, trends)."""

    def __init__(
        self, cl: Span, ctx: Context, section: str, left: list[LeftOut], year_ctx: int | None
    ):
        self.cl, self.ctx, self.section, self.left = cl, ctx, section, left
        self.text = text = cl.text
        self.year = _year_in(text, ctx) or year_ctx
        m = _EACH_UNIT_RE.search(text)
        self.each = m.group(1) if m else None
        self.out: list[Found] = []
        self.consumed: list[tuple[int, int]] = []
        # past figures: "2020年…为95%", a year before the plan's period
        self.past = [int(y) for y in re.findall(r"(20[0-9]\d)年", text) if int(y) <= ctx.base_year]
        self.last: dict = {}  # the previous group of this clause: op, verb, subject, each, noun mode
        self.last_names: list[str] = []
        self.trailing_fix: list[Found] = []  # durations listed before their shared noun
        self.starts_guarantee = bool(re.match(r"^(?:——)?(?:保证|保障|确保|要求)", text))
        self.prev_end = 0

    def quote(self, a: int, b: int, at: int) -> tuple[int, str]:
        return self.cl.quote(a, b, at)

    def taken(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.consumed)

    def run(self) -> list[Found]:
        self._change_base()
        self._change_base_after()
        self._change_yearly()
        self._growth()
        self._continue_value()
        groups = self._groups()
        for gi in range(len(groups)):
            self._group(groups, gi)
        if not groups and not self.out:
            self._no_value()
        return self.out

    # --- special forms ---------------------------------------------------------------------

    def _subject_names(self, start: int) -> tuple[str, list[str] | None]:
        subj = clean_name(_strip_years(self.text[:start]))
        return subj, _names_for(subj, 1, self.ctx)

    def _add_named(
        self, names: list[str] | None, op: str, value, unit: str, line: int, q: str, **kw
    ) -> None:
        for name in names or [""]:
            f = Found(name, op, value, unit, line, q, year=self.year, each=self.each, **kw)
            if not names:
                f.flags.append("name_missing")
            self.out.append(f)

    def _change_base(self) -> None:
        for m in _CHANGE_BASE_RE.finditer(self.text):
            sign = -1 if m.group("dir") in _DOWN else 1
            value: float | list[float] = sign * float(m.group("num"))
            if m.group("num2"):
                value = sorted([sign * float(m.group("num")), sign * float(m.group("num2"))])
            _subj, names = self._subject_names(m.start())
            line, q = self.quote(0, m.end(), m.start("num"))
            by = int(m.group("by"))
            self._add_named(
                names,
                "change",
                value,
                "",
                line,
                q,
                change_unit="percent",
                basis="base_year",
                base_year=by,
            )
            self.consumed.append(m.span())

    def _change_base_after(self) -> None:
        for m in _CHANGE_BASE_AFTER_RE.finditer(self.text):
            sign = -1 if m.group("dir") in _DOWN else 1
            value: float | list[float] = sign * float(m.group("num"))
            if m.group("num2"):
                value = sorted([sign * float(m.group("num")), sign * float(m.group("num2"))])
            names = _names_for(clean_name(m.group("subj")), 1, self.ctx)
            line, q = self.quote(m.start("subj"), m.end(), m.start("num"))
            self._add_named(
                names,
                "change",
                value,
                "",
                line,
                q,
                change_unit="percent",
                basis="base_year",
                base_year=int(m.group("by")),
            )
            self.consumed.append(m.span())

    def _change_yearly(self) -> None:
        for m in _CHANGE_YEARLY_RE.finditer(self.text):
            if self.taken(m.start()):
                continue
            sign = -1 if m.group("dir") in _DOWN else 1
            value: float | list[float] = sign * float(m.group("num"))
            if m.group("num2"):
                value = sorted([sign * float(m.group("num")), sign * float(m.group("num2"))])
            cu = "points" if m.group("unit") == "个百分点" else "percent"
            if cu == "percent" and self.text[m.start() : m.start() + 2] == "年均":
                continue  # 年均增长 X% is growth, below
            _subj, names = self._subject_names(m.start())
            line, q = self.quote(0, m.end(), m.start("num"))
            self._add_named(
                names,
                "change",
                value,
                "%" if cu == "points" else "",
                line,
                q,
                change_unit=cu,
                basis="previous_year",
            )
            self.consumed.append(m.span())

    def _growth(self) -> None:
        for m in _GROWTH_RE.finditer(self.text):
            if self.taken(m.start()):
                continue
            subj, names = self._subject_names(m.start())
            if m.group("what") and names:
                names = [f"{n}{m.group('what')}" if len(subj) >= 2 else n for n in names]
            line, q = self.quote(0, m.end(), m.start("num"))
            rate = float(m.group("num"))
            self._add_named(names, "growth", rate, "", line, q)
            self.consumed.append(m.span())

    def _continue_value(self) -> None:
        """ "在 96% 基础上继续提高": above the stated value."""
        for m in _CONTINUE_RE.finditer(self.text):
            if not m.group("num") or self.taken(m.start()):
                continue
            subj, names = self._subject_names(m.start())
            line, q = self.quote(0, m.end(), m.start())
            for name in names or []:
                f = Found(
                    name,
                    ">",
                    float(m.group("num")),
                    m.group("unit") or "%",
                    line,
                    q,
                    year=_year_in(self.text[: m.start()], self.ctx) or self.year,
                    each=self.each,
                    note="“在…基础上继续提高”读作高于该值。",
                )
                if len(subj) < 2:
                    f.flags.append("name_from_previous")
                self.out.append(f)
            self.consumed.append(m.span())

    # --- value tokens ------------------------------------------------------------------------

    def _groups(self) -> list[list[Value]]:
        """Values joined only by 、 和 及 (分别 a、b 和 c) form one group."""
        text = self.text
        groups: list[list[Value]] = []
        for v in find_values(text):
            if self.taken(v.start):
                continue
            if groups:
                gap = re.sub(r"^(以上|以下|以内|左右)", "", text[groups[-1][-1].end : v.start])
                if (
                    re.fullmatch(r"[、和及与或]|以及", gap)
                    and groups[-1][-1].unit in (v.unit, "")
                    and v.unit
                ):
                    groups[-1].append(v)
                    continue
            groups.append([v])
        return groups

    @staticmethod
    def _comparator(gap: str) -> tuple[str | None, str | None, int, str]:
        verb, verb_op, vi = _verb_before(gap)
        if verb is None:
            # "每千名儿童至少拥有儿科医生1.12名": the comparator stands before the noun
            hits = list(
                re.finditer(r"(至少|不少于|不低于|不超过|不高于|达到|保持在|控制在|降至)", gap)
            )
            if hits and len(gap) - hits[-1].end() <= 20:
                sm = hits[-1]
                verb = sm.group(1)
                verb_op = dict(VERBS)[verb]
                gap = gap[: sm.start()] + gap[sm.end() :]
                vi = len(gap)
        return verb, verb_op, vi, gap

    @staticmethod
    def _noun_after(rest: str, unit: str, more: bool) -> str | None:
        noun = None
        if rest.startswith("的") and unit in ("%", "‰") and len(rest) > 2:
            noun = rest[1:]
        elif (
            unit in COUNT_UNITS
            and rest
            and re.match(r"[\u4e00-\u9fff《“]", rest[0])
            and not re.match(r"(以上|以下|以内|左右|和|及|或|与|、|的|等|为|是|以|，)", rest)
        ):
            noun = rest
        elif (
            unit in ("小时", "天")
            and rest
            and re.match(r"[\u4e00-\u9fff]", rest[0])
            and not re.match(r"(以上|以下|以内|左右|和|及|或|、|为|是|以)", rest)
        ):
            noun = rest
        if noun is not None and more:
            noun = re.sub(r"[、和及与或，,]+$", "", noun)
        return noun

    def _op_for(self, verb, verb_op, suffix_op, gap, noun_after, unit, subj_text, flags):
        """(op, ambiguous, continuing) or None when the numbers are not a target."""
        op, ambiguous = _decide_op(verb_op, suffix_op)
        bare = re.sub(r"[、和及与或，,的]", "", gap)
        last = self.last
        continuing = bool(last) and (not bare or (last.get("noun") and not verb))
        if op is None and continuing and last.get("op"):
            op, ambiguous = last["op"], last.get("ambiguous", False)
        if op is None and noun_after is not None and unit not in ("小时", "天"):
            op = ">="  # "90%的城市社区建立…", "建设1个…": at least that many
        if op is None and self.starts_guarantee:
            op, ambiguous = ">=", True
        if op is None:
            # no comparator: inherit the previous target's, as in "小学生10小时、初中生9小时"
            prev = self.ctx.sent_found or self.out
            if (
                prev
                and prev[-1].op in ("<=", ">=", "<", ">", "approx")
                and noun_after is None
                and len(clean_name(subj_text)) <= 8
            ):
                op = prev[-1].op
                flags.append("op_inherited")
            else:
                return None, "数字未能识别为目标（无比较词）"
        if (verb_op == "is" or verb in ("达", "达到")) and self.past and self.year is None:
            return None, "过去年份的数字（现状），不是目标"
        if verb_op == "is" and not suffix_op:
            return None, "“为 X”多为现状描述，未作为目标（请核对）"
        return (op, ambiguous, continuing), ""

    def _group(self, groups: list[list[Value]], gi: int) -> None:
        text, grp = self.text, groups[gi]
        first, lastv = grp[0], grp[-1]
        bound = groups[gi + 1][0].start if gi + 1 < len(groups) else len(text)
        suffix_op, suf_len = None, 0
        for suf, sop in SUFFIXES:
            if text.startswith(suf, lastv.end):
                suffix_op, suf_len = sop, len(suf)
                break
        verb, verb_op, vi, gap = self._comparator(text[self.prev_end : first.start])
        end = lastv.end + suf_len
        unit = lastv.unit
        noun_after = self._noun_after(text[end:bound], unit, gi + 1 < len(groups))
        subj_text = _strip_years(gap[:vi] if verb else gap)
        each_here = self.each
        if each_here:
            subj_text = _EACH_UNIT_RE.sub("", subj_text)
        flags: list[str] = []
        decided, why = self._op_for(
            verb, verb_op, suffix_op, gap, noun_after, unit, subj_text, flags
        )
        if decided is None:
            self.left.append(LeftOut(self.cl.line_at(first.start), text[:80], why))
            self.prev_end = end
            return
        op, ambiguous, continuing = decided
        provision = verb in _PROVIDE if verb else False
        n = len(grp)
        subj = clean_name(subj_text)
        names: list[str] | None = None
        if noun_after is not None:
            names, each_here = self._names_before_noun(
                grp,
                end,
                bound,
                subj,
                verb,
                noun_after,
                each_here,
                continuing,
                gap,
                op,
                ambiguous,
                flags,
            )
            provision = provision or bool(names)
        if names is None:
            names, each_here = self._names_by_subject(
                subj, n, unit, gap, each_here, continuing, flags
            )
            self.last = {
                "op": op,
                "ambiguous": ambiguous,
                "verb": verb,
                "subj": subj,
                "each": each_here,
                "noun": False,
            }
        if names and noun_after is None and unit in COUNT_UNITS:
            head = {"次": "次数", "课时": "课时数", "人次": "人次"}.get(unit, "数")
            names = [nm if (not nm or _HEAD_RE.search(nm)) else nm + head for nm in names]
        if not names:
            self.left.append(
                LeftOut(self.cl.line_at(first.start), text[:80], "有数值但找不到指标名称")
            )
            flags.append("name_missing")
            names = [""] * n
        if len(names) != n and n > 1:
            names = (names * n)[:n]
        this_year = _year_in(gap, self.ctx) or self.year
        for k, v in enumerate(grp):
            line, q = self.quote(
                self.prev_end if k == 0 else 0, bound if noun_after is not None else end, v.start
            )
            for name in [names[k]] if n > 1 else names:
                f = Found(
                    name,
                    op,
                    v.value,
                    v.unit,
                    line,
                    q,
                    year=this_year,
                    each=each_here,
                    flags=list(flags),
                    ambiguous_op=ambiguous,
                    provision=provision,
                )
                self._emit(f, v, unit, noun_after)
        self.last_names = names
        self.prev_end = bound if noun_after is not None else end

    def _names_before_noun(
        self,
        grp,
        end,
        bound,
        subj,
        verb,
        noun_after,
        each_here,
        continuing,
        gap,
        op,
        ambiguous,
        flags,
    ):
        """The value stands before its noun: the name is built from the noun (and predicate)."""
        last, unit = self.last, grp[-1].unit
        use_verb, pre_subj = verb, subj
        if (len(subj) < 2 or continuing) and last:
            pre_subj = last.get("subj", "")
            use_verb = use_verb or last.get("verb")
            each_here = each_here or last.get("each")
        elif (
            len(subj) < 2
            and self.ctx.prev_found
            and self.ctx.prev_found[-1].each
            and unit in COUNT_UNITS
        ):
            each_here = self.ctx.prev_found[-1].each
            pre_subj = "每" + each_here
            flags.append("name_from_previous")
        if each_here is None and unit in COUNT_UNITS:
            each_here = _each_from_subject(pre_subj, unit, gap)
        names = _names_after(grp, self.text, end, bound, pre_subj, use_verb, noun_after, each_here)
        if names:
            self.last = {
                "op": op,
                "ambiguous": ambiguous,
                "verb": use_verb,
                "subj": pre_subj,
                "each": each_here,
                "noun": True,
            }
        return names, each_here

    def _names_by_subject(self, subj, n, unit, gap, each_here, continuing, flags):
        if continuing and len(subj) < 2 and self.last.get("noun"):
            subj = self.last.get("subj", "")
        if _BARE_HEAD_RE.fullmatch(subj) and self.ctx.prev_clause and n == 1:
            # "指导乡镇设立工作站，覆盖率达到50%": the measure of what the previous clause names
            subj = self.ctx.prev_clause + subj
            flags.append("name_from_previous")
        # 每所…, X级…, X各… : the target applies to each such unit
        if unit in COUNT_UNITS and each_here is None:
            each_here = _each_from_subject(subj, unit, gap) or None
        if subj.startswith(("每所", "每个", "每家", "每一")) and each_here:
            subj = ""
        if len(subj) < 2:
            inherited = self.last_names or self.ctx.prev_names
            if inherited and len(inherited) == n:
                flags.append("name_from_previous")
                return list(inherited), each_here
            if inherited and n == 1:
                flags.append("name_from_previous")
                return [inherited[-1]], each_here
            return None, each_here
        if n > 1:
            names = split_names(subj, n)
            if names is None:
                flags.append("names_not_split")
                return [subj] * n, each_here
            return names, each_here
        return _one_value_names(subj, gap), each_here

    def _emit(self, f: Found, v: Value, unit: str, noun_after: str | None) -> None:
        if isinstance(v.value, list):
            f.op = "range"
        if v.unit == "个百分点":
            f.flags.append("points_without_change")
        if v.chinese:
            f.note = "数值由中文数字读出。"
        if unit in ("小时", "天") and noun_after is None:
            self.trailing_fix.append(f)
        elif unit in ("小时", "天") and noun_after is not None and self.trailing_fix:
            noun = re.sub(r"^的", "", noun_after)
            for tf in self.trailing_fix:
                if noun not in tf.name:
                    tf.name = tf.name + noun
            self.trailing_fix = []
        self.out.append(f)

    # --- clauses without a number ------------------------------------------------------------

    def _no_value(self) -> None:
        for form in (self._continue_milestone, self._reference, self._full_coverage, self._trend):
            if form():
                return

    def _continue_milestone(self) -> bool:
        m = _CONTINUE_RE.search(self.text)
        if not m:
            return False
        if m.group("num"):
            _subj, names = self._subject_names(m.start())
            line, q = self.quote(0, m.end(), m.start())
            for name in names or []:
                self.out.append(
                    Found(
                        name,
                        ">",
                        float(m.group("num")),
                        m.group("unit") or "%",
                        line,
                        q,
                        year=self.year,
                        each=self.each,
                        note="“在…基础上继续提高”读作高于该值。",
                    )
                )
            return True
        keep = bool(m.group("keep"))
        for p in self.ctx.prev_found:
            if p.op in (">=", ">") and isinstance(p.value, float):
                line, q = self.quote(0, m.end(), m.start())
                f = Found(
                    p.name,
                    ">=" if keep else ">",
                    p.value,
                    p.unit,
                    line,
                    q,
                    year=self.year,
                    each=p.each,
                    flags=["name_from_previous"],
                )
                if p.year and self.year and self.year > p.year:
                    f.reached_in = p.year
                    f.note = (
                        f"“在此基础上{'巩固' if keep else '继续'}提高”：{'不低于' if keep else '高于'}"
                        f"{p.year}年实际达到的数值。"
                    )
                else:
                    f.note = "“在此基础上继续提高”读作高于上一阶段目标值。"
                self.out.append(f)
        return True

    def _reference(self) -> bool:
        m = _REFERENCE_RE.search(self.text)
        if not m:
            return False
        _subj, names = self._subject_names(m.start())
        if not names:
            return False
        line, q = self.quote(0, m.end(), m.start())
        op = {"高于": ">", "低于": "<", "不高于": "<="}.get(m.group("verb"), ">=")
        for name in names:
            self.out.append(
                Found(
                    name,
                    op,
                    None,
                    "%",
                    line,
                    q,
                    year=self.year,
                    reference=m.group("ref"),
                    note="与同年的参照数值比较。",
                )
            )
        return True

    def _full_coverage(self) -> bool:
        cover = _coverage(self.text, self.section)
        if cover is None:
            return False
        for name, a, b in cover:
            line, q = self.quote(a, b, a)
            self.out.append(
                Found(
                    name,
                    ">=",
                    100.0,
                    "%",
                    line,
                    q,
                    year=self.year,
                    each=self.each,
                    flags=["full_coverage"],
                    note="“全覆盖/全面普及/所有”读作达到 100%。",
                )
            )
        return True

    def _trend(self) -> bool:
        m = _TREND_UP_RE.search(self.text)
        if not m:
            return False
        name = clean_name(m.group("name"))
        if len(name) >= 2:
            line, q = self.quote(0, m.end(), m.start())
            self.out.append(
                Found(name, "direction", None, "", line, q, year=self.year, direction="not_up")
            )
        return True
