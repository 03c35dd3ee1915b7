"""Is a database file on a network share?  SQLite's WAL needs shared memory that network file systems
do not provide, and even its rollback journal relies on file locks that SMB and NFS often get wrong.

Windows: UNC paths (``\\\\server\\share\\…``) and drive letters the system reports as remote (mapped
network drives).  Linux and other Unix: the file system type of the longest mount point above the
file in ``/proc/mounts`` (NFS, SMB/CIFS, sshfs, …).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

NETWORK_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb2",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "sshfs",
    "9p",
    "afs",
    "ncpfs",
    "glusterfs",
    "fuse.glusterfs",
    "ceph",
    "fuse.ceph",
    "lustre",
    "davfs",
    "fuse.davfs2",
    "fuse.gvfsd-fuse",
    "fuse.rclone",
}

DRIVE_REMOTE = 4


def _unescape(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal (\040 …).
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 4 <= len(field) and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def linux_network_mount(path: Path, mounts_text: str | None = None) -> str | None:
    """The network file system type and mount point holding ``path``, e.g. ``"cifs //srv/share"``."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path)
    best: tuple[int, str, str, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        source, point, fstype = _unescape(parts[0]), _unescape(parts[1]), parts[2]
        prefix = point.rstrip("/") + "/"
        if target == point or target.startswith(prefix) or point == "/":
            if best is None or len(point) > best[0]:
                best = (len(point), point, fstype, source)
    if best is None:
        return None
    _n, point, fstype, source = best
    if fstype.lower() in NETWORK_FS or fstype.lower().startswith(("nfs", "smb", "cifs")):
        return f"{fstype} {source} → {point}"
    return None


def windows_network_path(path: str, drive_type=None) -> str | None:
    """A UNC path, or a drive letter Windows reports as a network drive."""
    p = PureWindowsPath(path)
    text = str(p)
    if text.startswith("\\\\") or text.startswith("//"):
        return f"UNC {p.anchor}"
    if p.drive and len(p.drive) == 2 and p.drive[1] == ":":
        if drive_type is None:
            drive_type = _windows_drive_type
        if drive_type(p.drive + "\\") == DRIVE_REMOTE:
            return f"网络驱动器 {p.drive}"
    return None


def _windows_drive_type(root: str) -> int:
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - not on Windows, or no answer: treat as local
        return 0


def network_share(path: str | os.PathLike) -> str | None:
    """Where ``path`` lives if that is a network share (a short description), else None."""
    if sys.platform.startswith("win"):
        return windows_network_path(str(path))
    p = Path(path)
    try:
        p = p.resolve()
    except OSError:
        pass
    return linux_network_mount(p)
