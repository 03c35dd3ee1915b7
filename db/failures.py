"""Database failures as messages a user can act on (Chinese, with English), never tracebacks.

``translate`` turns a driver or SQLAlchemy exception — from SQLite or PostgreSQL — into a
:class:`DatabaseError` saying what happened and what to do: the server cannot be reached, an
operation timed out, another user holds a lock, the disk is full, no permission …  Exceptions that
are bugs (an integrity error the code should have prevented, a programming error) are not
translated: ``translate`` returns None for them.
"""

from __future__ import annotations

from tianbao.domain.errors import KnownError

KEPT = "您输入的内容没有丢失，"  # said where the caller keeps what was typed (GUI)


class DatabaseError(KnownError):
    """A database that cannot be used, with a message for the user in Chinese."""

    #: what happened: unreachable | timeout | locked | disk_full | permission | auth | missing |
    #: too_long | bad_text | corrupt | other
    kind = "other"
    #: whether trying the same thing again later can succeed (the GUI keeps the value and retries)
    retry = False

    def __init__(self, message: str = "", message_en: str | None = None, *, kind: str = ""):
        super().__init__(message, message_en)
        if kind:
            self.kind = kind
            self.retry = kind in ("unreachable", "timeout", "locked", "disk_full", "conflict_retry")


class DatabaseTooNew(DatabaseError):
    pass


_MESSAGES = {
    "unreachable": (
        "无法连接数据库服务器（{detail}）。请检查网络连接、服务器是否开启，以及地址和端口是否正确；"
        "恢复后程序会自动重新保存。",
        "Cannot reach the database server ({detail}). Check the network, that the server is running, "
        "and its address and port; the program saves again once it is back.",
    ),
    "timeout": (
        "数据库操作超时（{detail}）。服务器或网络可能很忙，或另一位用户的操作尚未完成。请稍后重试。",
        "A database operation timed out ({detail}). The server or network may be busy, or another "
        "user's operation has not finished. Please try again shortly.",
    ),
    "locked": (
        "数据库正被其他用户或程序占用（{detail}）。请稍等片刻再试；"
        "如果一直如此，请关闭其他正在使用该数据库的 Tianbao 窗口或程序。",
        "The database is in use by another user or program ({detail}). Wait a moment and try "
        "again; if it persists, close other Tianbao windows or programs using it.",
    ),
    "disk_full": (
        "磁盘空间已满，无法保存（{detail}）。请清理数据库所在磁盘（或服务器磁盘）后重试。",
        "The disk is full ({detail}). Free space on the database's disk (or the server's) and try "
        "again.",
    ),
    "permission": (
        "没有写入数据库的权限（{detail}）。请检查数据库文件或文件夹的权限（是否只读），"
        "或请服务器管理员为您的账户授予权限。",
        "No permission to write to the database ({detail}). Check the file's or folder's "
        "permissions (read-only?), or ask the server's administrator to grant access.",
    ),
    "auth": (
        "服务器拒绝登录：用户名或密码不正确（{detail}）。请在“连接服务器”中重新输入。",
        "The server refused the login: wrong user name or password ({detail}). Enter them again "
        "under Connect to server.",
    ),
    "missing": (
        "服务器上没有这个数据库（{detail}）。请检查数据库名称，或请管理员先创建该数据库。",
        "The server has no such database ({detail}). Check the name, or ask the administrator "
        "to create it.",
    ),
    "too_long": (
        "输入的文字太长，数据库无法保存（{detail}）。请缩短后重试。",
        "The text is too long for the database ({detail}). Shorten it and try again.",
    ),
    "bad_text": (
        "输入的文字含有数据库不接受的字符（{detail}），常见于从其他程序复制的内容。"
        "请删除不可见的控制字符后重试。",
        "The text contains characters the database refuses ({detail}), often from text copied "
        "from another program. Remove the invisible control characters and try again.",
    ),
    "corrupt": (
        "数据库文件已损坏（{detail}）。请从备份恢复（tianbao restore），或联系技术人员。",
        "The database file is damaged ({detail}). Restore it from a backup (tianbao restore).",
    ),
    "conflict_retry": (
        "另一位用户同时在修改相同的数据（{detail}）。请重试。",
        "Another user was changing the same data at the same moment ({detail}). Please retry.",
    ),
    "other": (
        "数据库出错：{detail}。请重试；如果反复出现，请联系技术人员。",
        "Database error: {detail}. Please retry; if it keeps happening, contact support.",
    ),
}

_PG_STATES = {
    "57014": "timeout",  # query_canceled (statement_timeout)
    "25P03": "timeout",  # idle_in_transaction_session_timeout
    "55P03": "locked",  # lock_not_available (lock_timeout)
    "57P01": "unreachable",  # admin_shutdown
    "57P02": "unreachable",  # crash_shutdown
    "57P03": "unreachable",  # cannot_connect_now
    "53100": "disk_full",
    "53000": "disk_full",
    "42501": "permission",
    "28P01": "auth",
    "28000": "auth",
    "3D000": "missing",
    "22001": "too_long",
    "22021": "bad_text",
    "22P05": "bad_text",
    "40001": "conflict_retry",
    "40P01": "conflict_retry",
    "25006": "permission",  # read_only_sql_transaction
}

_TEXT_HINTS = (
    ("database is locked", "locked"),
    ("database table is locked", "locked"),
    ("database is busy", "locked"),
    ("disk is full", "disk_full"),
    ("no space left", "disk_full"),
    ("readonly database", "permission"),
    ("read-only", "permission"),
    ("permission denied", "permission"),
    ("unable to open database file", "permission"),
    ("connection is bad", "unreachable"),
    ("is the server running", "unreachable"),
    ("password authentication failed", "auth"),
    ("no password supplied", "auth"),
    ("does not exist", "missing"),
    ("malformed", "corrupt"),
    ("file is not a database", "corrupt"),
    ("nul (0x00)", "bad_text"),
    ("statement timeout", "timeout"),
    ("timeout expired", "unreachable"),
    ("timed out", "unreachable"),
    ("connection refused", "unreachable"),
    ("could not connect", "unreachable"),
    ("connection failed", "unreachable"),
    ("could not translate host name", "unreachable"),
    ("name or service not known", "unreachable"),
    ("no route to host", "unreachable"),
    ("server closed the connection", "unreachable"),
    ("terminating connection", "unreachable"),
    ("connection is closed", "unreachable"),
    ("the connection is lost", "unreachable"),
    ("consuming input failed", "unreachable"),
    ("ssl syscall", "unreachable"),
    ("network is unreachable", "unreachable"),
    ("disk i/o error", "disk_full"),
)


def _orig(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def kind_of(exc: BaseException) -> str | None:
    """The kind of a database failure, or None if it is a bug rather than an environmental problem."""
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, sa_exc.IntegrityError | sa_exc.ProgrammingError):
        orig = _orig(exc)
        state = getattr(orig, "sqlstate", None)
        if state in ("42501",):
            return "permission"
        return None
    orig = _orig(exc)
    state = getattr(orig, "sqlstate", None)
    if state and state in _PG_STATES:
        return _PG_STATES[state]
    if state and state.startswith("08"):
        return "unreachable"
    if state and state.startswith("53"):
        return "disk_full"
    text = str(orig).lower()
    for hint, kind in _TEXT_HINTS:
        if hint in text:
            return kind
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return "unreachable"
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return "other"
    if isinstance(exc, sa_exc.DataError):
        return "other"
    return None


def _detail(exc: BaseException) -> str:
    text = str(_orig(exc)).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return first[:200]


def translate(exc: BaseException) -> DatabaseError | None:
    """A :class:`DatabaseError` for an environmental database failure, else None (a bug)."""
    if isinstance(exc, KnownError):
        return exc if isinstance(exc, DatabaseError) else None
    kind = kind_of(exc)
    if kind is None:
        return None
    zh, en = _MESSAGES[kind]
    detail = _detail(exc)
    return DatabaseError(zh.format(detail=detail), en.format(detail=detail), kind=kind)
