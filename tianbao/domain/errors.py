"""The one base of every problem a user can fix: a bad file, a wrong value, a database that cannot be used.

The desktop and the command line catch ``KnownError`` and nothing broader: they show its message (Chinese by
default, English in the English interface) and change nothing.  Every other exception is a bug and goes to
the crash path with its traceback.
"""

from __future__ import annotations


class KnownError(Exception):
    """A user-fixable problem; ``str(e)`` is the Chinese message, which says what is wrong and what to do."""

    def __init__(self, message: str = "", message_en: str | None = None):
        super().__init__(message)
        self.message_en = message_en

    def text(self, lang: str = "zh") -> str:
        """The message in the interface's language (Chinese when no English one was given)."""
        if lang == "en" and self.message_en:
            return self.message_en
        return str(self)


class InputError(KnownError):
    """Input the user can correct; the message is Chinese and says what to do."""


def os_problem(e: OSError) -> str:
    """An operating-system error in Chinese (``e.strerror`` is English on most systems)."""
    import errno

    words = {
        errno.ENOENT: "文件不存在或已被移走",
        errno.EACCES: "没有权限，或文件正被其他程序占用",
        errno.EPERM: "没有权限",
        errno.EISDIR: "这是一个文件夹，不是文件",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "磁盘是只读的",
        errno.EIO: "读写磁盘时出错（磁盘或网络共享可能有问题）",
        errno.EBUSY: "文件正被其他程序占用",
        errno.EMFILE: "打开的文件过多",
        errno.ENAMETOOLONG: "文件路径过长",
        errno.EAGAIN: "系统资源暂时不足",
        errno.ENOMEM: "内存不足",
    }
    return words.get(e.errno, f"系统错误（代码 {e.errno}）" if e.errno else "读写失败")
