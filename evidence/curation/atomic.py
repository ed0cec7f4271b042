"""Crash-safe writes: temp file in the same folder, fsync, ``os.replace``, fsync the folder.

A process killed at any moment leaves either the old or the new file, never a mix. Orphaned
temp files (``.<name>.*.tmp``) of killed writers are removed by the next locked write.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (the file mode of an existing file is kept)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def atomic_write_text(path: str | Path, text: str) -> None:
    """UTF-8 text version of :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def locked(path: str | Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` so read-modify-write cycles never interleave.

    Inside the lock no other locked writer runs, so orphaned temp files are removed here.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{target}.lock", "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            for orphan in target.parent.glob(f".{target.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    orphan.unlink()
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def append_line(path: str | Path, line: str) -> None:
    """Append one line with a single ``write`` and fsync (for the JSON-lines audit log)."""
    data = (line.rstrip("\n") + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
