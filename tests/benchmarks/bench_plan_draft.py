"""Benchmark: draft each seed plan from its text and score the draft against the built-in catalogue.

    python3 tests/benchmarks/bench_plan_draft.py

For every seed document in /work/shared/seeds (or $TIANBAO_SEEDS) the drafter reads the text,
with a dictionary of standard indicators built from the shipped catalogues *leaving out the
catalogues of that seed* — so the score measures reading, not recall of a shipped answer.
Quantified targets are matched one to one, two ways:

- value+op: same comparator and value, stated within 3 lines of the catalogue's line;
- full target: indicator matched by name (similar names: character-bigram Dice ≥ 0.5, or one name of
  at least four characters contained in the other), op, value, year and per-sub-unit ``each``.

Printed: recall and precision per plan and overall, the share of drafted targets flagged for
review (the target or its indicator carries a 待核 flag), and every miss (with whether it was
flagged or why it was left out).
"""

from __future__ import annotations

import os
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tianbao.plantext.dictionary import Dictionary, norm_name, similarity  # noqa: E402
from tianbao.plantext.draft import draft_plans  # noqa: E402
from tianbao.plantext.reader import read_plan_file  # noqa: E402

SEEDS = Path(os.environ.get("TIANBAO_SEEDS", "/work/shared/seeds"))
QUANT = {"<=", "<", ">=", ">", "approx", "range", "change", "growth"}


def _val(v):
    if isinstance(v, list):
        return tuple(round(float(x), 4) for x in v)
    return round(float(v), 4) if v is not None else None


def _each(e):
    return norm_name(e or "").replace("（", "").replace("）", "").replace("、", "")


def each_match(a, b) -> bool:
    a, b = _each(a), _each(b)
    if not a or not b:
        return a == b
    return a == b or a in b or b in a or similarity(a, b) >= 0.6


def name_match(a: str, b: str) -> float:
    na, nb = norm_name(a), norm_name(b)
    if not na or not nb:
        return 0.0
    if (na in nb or nb in na) and min(len(na), len(nb)) >= 4:
        return max(0.6, similarity(na, nb))
    s = similarity(na, nb)
    return s if s >= 0.5 else 0.0


def targets_of(plan: dict) -> list[dict]:
    out = []
    for ind in plan["indicators"]:
        for t in ind.get("targets", []):
            if t["op"] in QUANT:
                value = _val(t.get("value"))
                if t.get("reached_in") is not None:
                    value = ("reached_in", t["reached_in"])
                elif t.get("reference") is not None:
                    value = ("reference", norm_name(t["reference"]))
                out.append(
                    {
                        "name": ind["name"],
                        "code": ind["code"],
                        "op": t["op"],
                        "value": value,
                        "year": t.get("year"),
                        "each": t.get("each"),
                        "line": t.get("line"),
                        "quote": t.get("quote", ""),
                        "note": t.get("note", ""),
                    }
                )
    return out


def score(cat: dict, draft) -> dict:
    want = targets_of(cat)
    got = targets_of(draft.plan)
    # full matches first (best name similarity), then value+op separately
    full_pairs: dict[int, int] = {}
    cands = []
    for i, w in enumerate(want):
        for j, g in enumerate(got):
            if (
                g["op"] == w["op"]
                and g["value"] == w["value"]
                and g["year"] == w["year"]
                and each_match(g["each"], w["each"])
            ):
                s = name_match(w["name"], g["name"])
                if s > 0:
                    near = 1 if (w["line"] and g["line"] and abs(w["line"] - g["line"]) <= 3) else 0
                    cands.append((near, s, i, j))
    used_g: set[int] = set()
    for _near, _s, i, j in sorted(cands, reverse=True):
        if i in full_pairs or j in used_g:
            continue
        full_pairs[i] = j
        used_g.add(j)
    vo_pairs: dict[int, int] = {}
    used_v: set[int] = set()
    vcands = []
    for i, w in enumerate(want):
        for j, g in enumerate(got):
            if (
                g["op"] == w["op"]
                and g["value"] == w["value"]
                and w["line"]
                and g["line"]
                and abs(w["line"] - g["line"]) <= 3
            ):
                vcands.append((-abs(w["line"] - g["line"]), name_match(w["name"], g["name"]), i, j))
    for _d, _s, i, j in sorted(vcands, reverse=True):
        if i in vo_pairs or j in used_v:
            continue
        vo_pairs[i] = j
        used_v.add(j)
    flagged_t = {(f["code"], f.get("target")) for f in draft.flags if f.get("target") is not None}
    flagged_lines = {f["line"] for f in draft.flags}
    left_lines = {x["line"]: x["reason"] for x in draft.left_out}
    # which drafted targets are flagged
    code_targets = []
    for ind in draft.plan["indicators"]:
        for k, t in enumerate(ind["targets"]):
            if t["op"] in QUANT:
                code_targets.append((ind["code"], k))
    flagged_inds = {f["code"] for f in draft.flags if f.get("code") and f.get("target") is None}
    n_flagged = sum(1 for ct in code_targets if ct in flagged_t or ct[0] in flagged_inds)
    misses = []
    for i, w in enumerate(want):
        if i in full_pairs:
            continue
        if i in vo_pairs:
            g = got[vo_pairs[i]]
            why = f"drafted as {g['code']} {g['name']} {g['op']} {g['value']} y={g['year']} each={g['each']}"
            status = (
                "flagged" if any(f.get("code") == g["code"] for f in draft.flags) else "explained"
            )
        else:
            ln = w["line"]
            qual = [
                ind
                for ind in draft.plan["indicators"]
                if ind["kind"] == "yesno" and any(t.get("line") == ln for t in ind["targets"])
            ]
            if ln in flagged_lines:
                status, why = "flagged", "its line is flagged for review"
            elif ln in left_lines:
                status, why = "explained", "left out: " + left_lines[ln]
            elif qual:
                status, why = "explained", f"read as a qualitative goal ({qual[0]['code']}, 是/否)"
            else:
                status, why = "explained", "not drafted (phrasing not read)"
        misses.append((w, status, why))
    extras = [got[j] for j in range(len(got)) if j not in used_g]
    return {
        "want": len(want),
        "got": len(got),
        "full": len(full_pairs),
        "vo": len(vo_pairs),
        "vo_prec": len(used_v),
        "flagged": n_flagged,
        "misses": misses,
        "extras": extras,
        "flagged_codes": {f.get("code") for f in draft.flags if f.get("code")},
    }


def main(argv: list[str]) -> int:
    catalogues = {}
    for p in sorted((ROOT / "resources" / "plans").glob("*.toml")):
        d = tomllib.loads(p.read_text(encoding="utf-8"))
        catalogues.setdefault(d["source"], []).append(d)
    if not SEEDS.is_dir():
        print(f"seeds not found: {SEEDS}")
        return 1
    tot = {"want": 0, "got": 0, "full": 0, "vo": 0, "vo_prec": 0, "flagged": 0}
    rows = []
    all_misses = []
    t0 = time.perf_counter()
    for seed in sorted(SEEDS.glob("*.txt")):
        cats = catalogues.get(seed.name, [])
        if not cats:
            continue
        dic = Dictionary.builtin(exclude={c["id"] for c in cats})
        drafts = draft_plans(read_plan_file(seed), dictionary=dic)
        for cat in cats:
            cand = [d for d in drafts if d.plan["kind"] == cat["kind"]]
            if not cand:
                print(f"{cat['id']}: no draft of kind {cat['kind']} found in {seed.name}")
                continue
            r = score(cat, cand[0])
            rows.append((cat["id"], r, cand[0]))
            for k in tot:
                tot[k] += r[k]
            all_misses.append((cat["id"], r))
    elapsed = time.perf_counter() - t0

    def pct(a, b):
        return f"{100 * a / b:5.1f}%" if b else "  n/a"

    print(
        f"{'plan':20} {'targets':>7} {'drafted':>7} | {'value+op R':>10} {'P':>6} | {'full R':>7} {'P':>6} | {'flagged':>7}"
    )
    for pid, r, _d in rows:
        print(
            f"{pid:20} {r['want']:7d} {r['got']:7d} | {pct(r['vo'], r['want']):>10} {pct(r['vo_prec'], r['got']):>6} | "
            f"{pct(r['full'], r['want']):>7} {pct(r['full'], r['got']):>6} | {pct(r['flagged'], r['got']):>7}"
        )
    print(
        f"{'overall':20} {tot['want']:7d} {tot['got']:7d} | {pct(tot['vo'], tot['want']):>10} "
        f"{pct(tot['vo_prec'], tot['got']):>6} | {pct(tot['full'], tot['want']):>7} {pct(tot['full'], tot['got']):>6} | "
        f"{pct(tot['flagged'], tot['got']):>7}"
    )
    print(f"drafting time: {elapsed:.2f} s for {len(rows)} plans")
    print()
    for pid, r in all_misses:
        if r["misses"]:
            print(f"-- {pid}: {len(r['misses'])} catalogue targets missed (full-target)")
            for w, status, why in r["misses"]:
                print(
                    f"   [{status}] L{w['line']} {w['code']} {w['name']} {w['op']} {w['value']} y={w['year']} "
                    f"each={w['each']}: {why}"
                )
        if r["extras"]:
            print(
                f"-- {pid}: {len(r['extras'])} drafted targets not matched in the catalogue (precision)"
            )
            for g in r["extras"]:
                flagged = g["code"] in r["flagged_codes"]
                status = "flagged" if flagged else "explained: not a target of the catalogue"
                print(
                    f"   + [{status}] L{g['line']} {g['code']} {g['name']} {g['op']} {g['value']} "
                    f"y={g['year']} each={g['each']} | {g['quote'][:50]}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
