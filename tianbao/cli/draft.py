"""``tianbao plans draft FILE``: draft a plan catalogue from the plan's published text.

Reads .txt / .docx / .pdf / .html, drafts every plan found in it, checks the draft with the
catalogue loader and writes it as a catalogue file (.toml) or a plan workbook (.xlsx) to review
and finish in Excel; ``--json`` prints the draft with its counts, flags and what was left out.
Known problems (unreadable file, no targets found, unknown output type) exit 2 with a Chinese
message via :class:`KnownError`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tianbao.domain.catalogue import plan_from_dict
from tianbao.domain.errors import KnownError
from tianbao.plantext import draft_plans, read_plan_file


def add_parser(plans_sub) -> None:
    dr = plans_sub.add_parser(
        "draft", help="从规划正文（.txt/.docx/.pdf/.html）起草计划目录，供核对后导入"
    )
    dr.add_argument("file", type=Path, help="规划正文文件")
    dr.add_argument("--id", help="新计划的编号（小写字母、数字和连字符），默认自动生成")
    dr.add_argument(
        "--kind", choices=("women", "children"), help="文件含妇女和儿童两个规划时，选其一"
    )
    dr.add_argument(
        "-o",
        "--output",
        type=Path,
        help="写出草稿：plan.toml（计划目录）或 plan.xlsx（计划工作簿）",
    )
    dr.add_argument(
        "--json", action="store_true", help="以 JSON 输出草稿、计数、待核项和未作为目标的数字"
    )


def run(args) -> int:
    out: Path | None = args.output
    if out is not None and out.suffix.lower() not in (".toml", ".xlsx"):
        raise KnownError(
            f"输出文件 {out.name} 的类型不支持：请用 .toml（计划目录）或 .xlsx（计划工作簿）。",
            f"Unsupported output type {out.suffix}: use .toml or .xlsx.",
        )
    drafts = draft_plans(read_plan_file(args.file), plan_id=args.id)
    if args.kind:
        chosen = [d for d in drafts if d.plan["kind"] == args.kind]
        if not chosen:
            kinds = "、".join("妇女" if d.plan["kind"] == "women" else "儿童" for d in drafts)
            raise KnownError(
                f"{args.file.name} 中没有{'妇女' if args.kind == 'women' else '儿童'}发展规划（找到：{kinds}）。",
                f"No {args.kind} plan in {args.file.name}.",
            )
        drafts = chosen
    plans = [
        plan_from_dict(d.plan, origin=args.file.name) for d in drafts
    ]  # the real loader's checks
    if args.json:
        print(
            json.dumps(
                [d.to_json() for d in drafts] if len(drafts) > 1 else drafts[0].to_json(),
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for d in drafts:
            print(d.summary_zh())
            for f in d.flags:
                where = f"第{f['line']}行 " if f.get("line") else ""
                what = f"{f['code']} {f['name']}：" if f.get("code") else ""
                print(f"  待核 {where}{what}{f['message']}")
    if out is not None:
        if len(drafts) > 1:
            print(
                f"文件中有 {len(drafts)} 个规划，只写出第一个（{drafts[0].plan['title']}）；用 --kind 选择。",
                file=sys.stderr,
            )
        if out.suffix.lower() == ".toml":
            tmp = out.with_name(out.name + ".tmp")
            tmp.write_text(drafts[0].to_toml(), encoding="utf-8")
            tmp.replace(out)
        else:
            from tianbao.excel.planbook import write_plan_workbook

            write_plan_workbook(plans[0], out)
        if not args.json:
            print(f"已写出草稿：{out}（核对“待核”各项后用 tianbao plans import 导入）")
    return 0
