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
