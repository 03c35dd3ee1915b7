"""The ``units`` command: list and add reporting units, import a unit list."""

from __future__ import annotations

# --- units ---------------------------------------------------------------------------------------


def _units(db, args) -> int:
    from db import repo
    from db.models import UNIT_LEVEL_LABELS

    with db.session() as s:
        if args.action == "list":
            units = repo.list_units(s)
            depth: dict[str, int] = {}
            for u in units:
                depth[u.code] = depth.get(u.parent_code, -1) + 1 if u.parent_code else 0
                print(f"{'  ' * depth[u.code]}{u.code}  {u.name}  [{UNIT_LEVEL_LABELS[u.level]}]")
            if not units:
                print("还没有单位。用 `tianbao units add` 添加，或 `tianbao demo` 生成演示数据。")
            return 0
        if args.action == "add":
            u = repo.add_unit(s, args.code, args.name, args.level, args.parent)
            print(f"已添加单位 {u.code} {u.name}")
            return 0
    from tianbao.services.units import import_units

    added = import_units(db, args.file)
    print(f"已导入 {added} 个单位")
    return 0
