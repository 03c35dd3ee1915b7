"""Parsing untrusted files in a child process, where a crash cannot take the program down.

Spreadsheet parsers are native code (calamine is Rust): a hostile or merely broken file can make
them allocate gigabytes, loop, panic or abort the process (SIGABRT).  Every file someone sent us
is therefore read in a worker process with limits:

- **time** — the parent waits at most :data:`TIME_LIMIT` seconds of wall-clock time, then kills
  the worker;
- **memory** — on Linux and macOS the worker's address space is capped with
  ``resource.setrlimit(RLIMIT_AS)`` (:data:`MEMORY_LIMIT`); an allocation beyond it fails, which
  Python reports as ``MemoryError`` and Rust as an abort — both a refused file.  Windows has no
  rlimits; there the time limit and the output limit below are the fallback (no job object);
- **output** — the result comes back pickled through a pipe and is read with a hard maximum
  (:data:`OUTPUT_LIMIT`), so a worker cannot flood the parent's memory either.

The parent gets plain data (cell values, formats, sheet names) or a refusal: a
:class:`~tianbao.domain.errors.KnownError` raised in the worker (the reader's own Chinese
message) is raised again in the parent; a crash, a panic, a time-out or a limit reached becomes a
:class:`FileRefused` with a Chinese message, and the caller goes on with the next file.

A script that reads files this way needs the ``if __name__ == "__main__":`` guard, as any
program using multiprocessing's spawn does (the worker imports the main module).

Workers are started lazily with the ``spawn`` context (the same on every platform, and what works
in a PyInstaller bundle — ``desktop.launch`` calls ``multiprocessing.freeze_support()``) and kept
in a small pool for the next file; a worker that crashed, timed out or raised something
unexpected is discarded and replaced at the next call.  :func:`run` uses one shared pool;
:class:`Sandbox` makes others (tests use short limits).
"""

from __future__ import annotations

import atexit
import gc
import logging
import multiprocessing
import pickle
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tianbao.domain.errors import KnownError, os_problem

log = logging.getLogger(__name__)

TIME_LIMIT = 30.0  # seconds of wall-clock time per file
# Address space of a worker (Linux, macOS); the largest file accepted peaks at ~270 MB.
MEMORY_LIMIT = 512 * 1024 * 1024
OUTPUT_LIMIT = 96 * 1024 * 1024  # bytes of pickled result
START_LIMIT = 60.0  # seconds for a worker to start, not counted in a file's time
_READY = b"ready"
POOL_SIZE = 2  # workers kept: a folder import parses two files at once (issue 19)

_AFTER = "未导入任何数据。"


class FileRefused(KnownError):
    """A file whose reading crashed the parser, ran out of time or memory, or gave too much data."""

    def __init__(self, message: str = "", message_en: str | None = None, reason: str = ""):
        super().__init__(message, message_en)
        self.reason = reason  # crash | timeout | memory | output | error


class ReaderUnavailable(KnownError):
    """The worker process could not be started or reached (not the file's fault)."""


@dataclass(frozen=True)
class TaskStats:
    """What the last task cost in its worker: CPU seconds and peak resident memory (bytes)."""

    cpu: float
    peak_rss: int
    wall: float


# --- the worker ---------------------------------------------------------------------------------


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits (time and output limits still apply)
        return
    for what, value in ((resource.RLIMIT_AS, limit), (resource.RLIMIT_CORE, 0)):
        try:
            soft, hard = resource.getrlimit(what)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(what, (value, hard))
        except (ValueError, OSError):  # pragma: no cover - a stricter limit is already set
            pass


def _reset_peak() -> None:
    """Reset the kernel's high-water mark of resident memory, so the peak is per task (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _peak_rss() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return rss if sys.platform == "darwin" else rss * 1024
    except ImportError:
        return 0


def _serve(conn, memory_limit: int, output_limit: int) -> None:
    """The worker's loop: receive (function, args), send back the pickled outcome."""
    _limit_memory(memory_limit)
    # A file's cells are thousands of short-lived lists and strings, freed by their reference
    # counts: the collector's youngest pass every 700 of them only traversed live ones (0.7 ms
    # of a reader's 21 ms per file, issue 19).  Cycles still get collected, a little later.
    gc.set_threshold(20_000, 10, 10)
    conn.send_bytes(_READY)  # started: from now on the time limit is the file's alone
    while True:
        try:
            request = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the parent went away
        _reset_peak()
        t0 = time.process_time()
        keep = True
        try:
            func, args, given = pickle.loads(request)
            if given is not None and given[1] is not None:
                global _context
                _context = None  # the previous one is freed before the next is loaded
                _context = (given[0], pickle.loads(given[1]))
                gc.freeze()  # kept for every file: not traversed by each full collection
            outcome: tuple = ("ok", func(*args))
        except KnownError as e:
            outcome = ("known", _portable(e))
        except MemoryError:
            outcome, keep = ("memory", None), False
        except BaseException as e:  # a parser panic (PanicException) is a BaseException
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            outcome, keep = ("error", (type(e).__name__, traceback.format_exc(limit=20))), False
        stats = (time.process_time() - t0, _peak_rss())
        try:
            data = pickle.dumps((outcome, stats), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data, keep = pickle.dumps((("memory", None), stats)), False
        except Exception as e:  # noqa: BLE001 - an unpicklable result is a bug of the reader
            data = pickle.dumps((("error", (type(e).__name__, traceback.format_exc())), stats))
            keep = False
        if len(data) > output_limit:
            data = pickle.dumps((("output", len(data)), stats))
        del outcome
        try:
            conn.send_bytes(data)
        except (OSError, ValueError):
            return
        if not keep:
            return  # a worker that ran out of memory or failed oddly is not reused


_context: tuple[str, Any] | None = None  # in a worker: the last context the parent sent


def context(key: str) -> Any:
    """In a worker: the object sent with ``Sandbox.run(..., context=(key, blob))``, None if
    another (or none) is loaded.  Data the parent sends once per worker, not with every file
    (the plans a folder's files are matched to)."""
    return _context[1] if _context is not None and _context[0] == key else None


def _portable(e: KnownError) -> KnownError:
    """The error itself if it survives pickling, else a plain KnownError with its messages."""
    try:
        pickle.loads(pickle.dumps(e))
        return e
    except Exception:  # noqa: BLE001
        return KnownError(str(e), e.message_en)


# --- the parent's side --------------------------------------------------------------------------


class _Worker:
    def __init__(self, ctx, memory_limit: int, output_limit: int):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_serve,
            args=(child, memory_limit, output_limit),
            name="tianbao-file-reader",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.context = ""  # key of the context this worker holds
        # Wait for the worker to start (Python and this module imported) before any file's clock
        # runs: on a busy office PC that alone can take seconds, and it is not the file's fault.
        try:
            started = self.conn.poll(START_LIMIT) and self.conn.recv_bytes() == _READY
        except (EOFError, OSError):
            started = False
        if not started:
            self.stop()
            raise OSError(f"the file reader did not start within {START_LIMIT:g} s")

    def stop(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        p = self.process
        if p.is_alive():
            p.kill()
        p.join(timeout=5)
        try:
            p.close()
        except ValueError:  # pragma: no cover - still running after kill and join
            pass


class Sandbox:
    """A pool of worker processes that run top-level functions under limits.

    ``run(func, *args, name=...)`` calls ``func(*args)`` in a worker and returns its result;
    ``name`` (the file's name) goes into the refusal messages."""

    def __init__(
        self,
        *,
        size: int = POOL_SIZE,
        time_limit: float = TIME_LIMIT,
        memory_limit: int = MEMORY_LIMIT,
        output_limit: int = OUTPUT_LIMIT,
    ):
        self.size = max(1, size)
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.output_limit = output_limit
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._busy = 0
        self._cond = threading.Condition()
        self._closed = False
        self.last: TaskStats | None = None  # what the last task cost (tests, benchmarks)
        self.started = 0  # workers started so far

    # -- workers

    def _take(self) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise RuntimeError("sandbox closed")
                if self._idle:
                    self._busy += 1
                    return self._idle.pop()
                if self._busy < self.size:
                    self._busy += 1
                    break
                self._cond.wait()
        try:
            worker = _Worker(self._ctx, self.memory_limit, self.output_limit)
        except BaseException:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise
        self.started += 1
        return worker

    def _give_back(self, worker: _Worker, keep: bool) -> None:
        if not keep or self._closed:
            worker.stop()
        with self._cond:
            self._busy -= 1
            if keep and not self._closed:
                self._idle.append(worker)
            self._cond.notify()

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when their task returns."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for w in idle:
            w.stop()

    # -- tasks

    def run(
        self,
        func: Callable[..., Any],
        *args: Any,
        name: str = "",
        context: tuple[str, bytes] | None = None,
    ) -> Any:
        """``func(*args)`` in a worker.  ``context``: (key, pickled object) that ``func`` reads
        with :func:`context`; sent to a worker only when it does not hold that key yet."""

        def request(worker: _Worker) -> bytes:
            given = None
            if context is not None:
                given = (context[0], None if worker.context == context[0] else context[1])
            return pickle.dumps((func, args, given), protocol=pickle.HIGHEST_PROTOCOL)

        worker = self._send(request)
        if context is not None:
            worker.context = context[0]
        keep = False
        t0 = time.monotonic()
        try:
            try:
                ready = worker.conn.poll(self.time_limit)
            except (OSError, EOFError):
                ready = True  # died while reading: recv below reports it
            if not ready:
                raise self._refused(name, "timeout")
            try:
                data = worker.conn.recv_bytes(maxlength=self.output_limit + 4096)
            except EOFError:
                raise self._refused(name, self._death(worker)) from None
            except OSError as e:
                if "bad message length" in str(e):  # longer than maxlength
                    raise self._refused(name, "output") from None
                raise self._refused(name, self._death(worker)) from None
            outcome, (cpu, peak) = pickle.loads(data)
            self.last = TaskStats(cpu, peak, time.monotonic() - t0)
            kind, value = outcome
            if kind == "ok":
                keep = True
                return value
            if kind == "known":
                keep = True
                raise value
            if kind == "error":
                log.error("reading %s failed in the worker: %s\n%s", name, value[0], value[1])
                raise self._refused(name, "error", value[0])
            raise self._refused(name, kind)
        finally:
            self._give_back(worker, keep)

    def _send(self, request: Callable[[_Worker], bytes]) -> _Worker:
        """Hand the request to a worker.  An idle worker that died meanwhile (killed from outside,
        the machine suspended) is replaced once: that is not the file's fault."""
        for attempt in range(2):
            try:
                worker = self._take()
            except OSError as e:
                raise ReaderUnavailable(
                    f"无法启动读取文件的子进程（{os_problem(e)}）。"
                    "请关闭一些程序后重试；如仍不行，请重新启动电脑。",
                    "Could not start the file reader process; close some programs and retry.",
                ) from None
            try:
                if not worker.process.is_alive():
                    raise BrokenPipeError
                worker.conn.send_bytes(request(worker))
                return worker
            except (OSError, ValueError):
                self._give_back(worker, keep=False)
                if attempt:
                    raise ReaderUnavailable(
                        "读取文件的子进程意外退出，未能读取文件。请重试。",
                        "The file reader process exited unexpectedly; please retry.",
                    ) from None
        raise AssertionError("unreachable")

    def _death(self, worker: _Worker) -> str:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        log.warning("file reader died with exit code %s", code)
        return "memory" if code == -9 else "crash"  # SIGKILL: the kernel's out-of-memory killer

    def _refused(self, name: str, reason: str, detail: str = "") -> FileRefused:
        what = f"“{name}”" if name else "文件"
        if reason == "timeout":
            zh = (
                f"读取{what}超过 {self.time_limit:g} 秒仍未完成，已停止并拒绝该文件。"
                "文件可能已损坏、过大，或是恶意构造的。请让报送单位用 Excel 或 WPS 重新保存"
                f"（或只复制报表区域到新工作簿）后再发送。{_AFTER}"
            )
            en = f"Reading {name} took longer than {self.time_limit:g} s and was stopped."
        elif reason == "memory":
            zh = (
                f"读取{what}需要的内存超过上限（{self.memory_limit // 1048576} MB），已拒绝。"
                "文件的内容或工作表范围远超一份报表，可能已损坏或是恶意构造的。请删除多余的"
                f"行列（或只复制报表区域到新工作簿）后另存再导入。{_AFTER}"
            )
            en = f"Reading {name} needed more memory than allowed; the file was refused."
        elif reason == "output":
            zh = (
                f"{what}中的数据量远超一份报表（超过 {self.output_limit // 1048576} MB），已拒绝。"
                f"请只保留报表区域后另存再导入。{_AFTER}"
            )
            en = f"{name} holds far more data than a return; the file was refused."
        else:  # crash | error
            zh = (
                f"{what}已损坏或格式异常，读取程序无法处理（已在独立进程中拦截，本程序未受影响）。"
                "请让报送单位重新发送，或先用 Excel/WPS 打开看能否修复并另存为 .xlsx 后再导入。"
                f"{_AFTER}"
            )
            en = f"{name} is damaged or malformed and could not be read."
        return FileRefused(zh, en, reason=reason)


_shared: Sandbox | None = None
_shared_lock = threading.Lock()


def shared() -> Sandbox:
    """The program's pool of file readers, started at its first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Sandbox()
            atexit.register(_shared.close)
        return _shared


def run(
    func: Callable[..., Any],
    *args: Any,
    name: str = "",
    context: tuple[str, bytes] | None = None,
) -> Any:
    """``func(*args)`` in the shared pool of worker processes (see :class:`Sandbox`)."""
    return shared().run(func, *args, name=name, context=context)
