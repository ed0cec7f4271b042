"""One live ``srtk run`` per review, and recovery from a killed one.

``srtk run`` takes an OS lock (``fcntl.flock``) on ``<output>/.srtk-run.lock`` and writes its PID
into it; the lock is held by the Snakemake process it becomes (the descriptor survives ``exec``)
and is released by the kernel however that process ends, SIGKILL included. Holding it proves that
no other ``srtk run`` is live on the review, so the locks a killed Snakemake left in
``.snakemake/locks`` are stale and can be cleared (what ``snakemake --unlock`` does, without
parsing the workflow a second time); outputs a killed job left incomplete are re-made by
``rerun-incomplete`` in the default profile.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from pathlib import Path

LOCK_NAME = ".srtk-run.lock"
"""The lock file, in the review's output folder (kept between runs; only its lock state matters)."""


class RunLockedError(RuntimeError):
    """Another run is live on the review; the message names its PID."""


def acquire(output: Path) -> int:
    """Lock ``output`` for this process (non-blocking) and return the inheritable descriptor.

    Raises :class:`RunLockedError` naming the PID of the run that holds the lock.
    """
    output.mkdir(parents=True, exist_ok=True)
    path = output / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
        os.close(fd)
        raise RunLockedError(
            f"another `srtk run` (PID {holder}) is running on {output} (lock {path}); "
            "wait for it to finish, or stop it first"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    os.set_inheritable(fd, True)
    return fd


def stale_snakemake_locks(output: Path) -> list[Path]:
    """The lock files Snakemake keeps in ``output/.snakemake/locks`` (none after a clean run)."""
    locks = output / ".snakemake" / "locks"
    return sorted(p for p in locks.iterdir() if p.is_file()) if locks.is_dir() else []


def clear_snakemake_locks(output: Path) -> None:
    """Remove ``output/.snakemake/locks``, as ``snakemake --unlock`` does with its file persistence."""
    shutil.rmtree(output / ".snakemake" / "locks", ignore_errors=True)


WORKFLOW_PROCESS = re.compile(rb"snakemake|-m (evidence|extraction|figures)\b")
"""A process of a run: Snakemake, or a rule's command (``python -m evidence|extraction|figures``)."""


def live_snakemake(output: Path) -> list[int]:
    """PIDs of other processes of a run working in ``output``: a plain ``snakemake`` run (which does
    not take the srtk lock), or the jobs of a run whose Snakemake alone was killed. Read from
    ``/proc``, so empty where there is none."""
    target = output.resolve()
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if int(proc.name) == os.getpid() or Path(os.readlink(proc / "cwd")) != target:
                continue
            if WORKFLOW_PROCESS.search((proc / "cmdline").read_bytes().replace(b"\0", b" ")):
                found.append(int(proc.name))
        except (OSError, ValueError):
            continue
    return sorted(found)
