"""The commands on the database as a whole: ``demo``, ``backup``, ``restore``, ``move-to``."""

from __future__ import annotations

from pathlib import Path

from tianbao.cli.messages import _fail


def _demo(db, args) -> int:
    from tianbao.services.demo import make_demo

    summary = make_demo(db, plan_id=args.plan)
    print(summary)
    return 0


def _backup_restore(args) -> int:
    from db.engine import backup_file, resolve_url, restore_file, sqlite_path

    url = resolve_url(args.db)
    path = sqlite_path(url)
    if path is None:
        return _server_backup_restore(args, url)
    if args.cmd == "backup":
        if not path.exists():
            return _fail(f"数据库“{path}”不存在。")
        dest = backup_file(path, dest=args.dest)
        print(f"已备份到：{dest}")
        return 0
    if str(args.file).endswith(".json.gz"):
        from db.transfer import restore_dump

        if path.exists():
            backup_file(path, reason="pre-restore")
            path.unlink()
        restore_dump(url, args.file, backup_first=False)
        print(f"已从“{args.file}”恢复数据库“{path}”")
        return 0
    saved = restore_file(args.file, path)
    print(f"已从“{args.file}”恢复数据库；恢复前的数据已另存为：{saved}")
    return 0


def _server_backup_restore(args, url: str) -> int:
    """A server has no file to copy: a logical dump of every table that ``restore`` reads back."""
    from db.dump import dump_database, server_backup_path
    from db.engine import make_engine, public_url
    from db.transfer import restore_dump

    if args.cmd == "backup":
        dest = args.dest or server_backup_path(url, "manual")
        if not str(dest).endswith(".json.gz"):
            dest = Path(str(dest) + ".json.gz")
        engine = make_engine(url)
        try:
            dump_database(engine, dest)
        finally:
            engine.dispose()
        print(f"已备份服务器数据库 {public_url(url)} 到：{dest}")
        return 0
    saved = restore_dump(url, args.file)
    print(f"已从“{args.file}”恢复服务器数据库 {public_url(url)}")
    if saved is not None:
        print(f"恢复前的数据已另存为：{saved}")
    return 0


def _move_to(args) -> int:
    from db.engine import open_database, public_url, sqlite_path
    from db.transfer import move_to

    src = open_database(args.db)
    try:
        if sqlite_path(src.url) is None:
            return _fail(
                "move-to 从本机的 SQLite 数据库复制；请用 --db 指定要复制的 .sqlite 文件。"
            )
        result = move_to(src, args.url)
    finally:
        src.close()
    total = sum(result.counts.values())
    print(f"已复制到 {public_url(args.url)}：{len(result.counts)} 张表，共 {total} 行")
    for name, n in sorted(result.counts.items()):
        print(f"  {name}: {n}")
    print(f"核对：各表行数一致；{result.returns} 份报表的校验码全部一致。")
    print(f"以后请用：tianbao --db {public_url(args.url)} …（或在程序中“连接服务器…”）")
    return 0
