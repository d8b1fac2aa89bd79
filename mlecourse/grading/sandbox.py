"""How a student's kernel is started: resource limits, and a bubblewrap sandbox when available.

The kernel command becomes::

    bwrap <read-only root, private /tmp, no network, hidden folders> --   (when bwrap works)
      python -c <set rlimits, die with the grader> <mem> <fsize> <cpu> --
        python -m ipykernel_launcher -f <connection file> ...

* memory: ``RLIMIT_AS`` (an allocation past the cap raises ``MemoryError`` in the kernel), file
  size ``RLIMIT_FSIZE``, CPU time ``RLIMIT_CPU`` as a backstop to the per-cell timeout, no core
  dumps; ``PR_SET_PDEATHSIG`` so that a kernel never outlives its grader;
* bubblewrap: the whole filesystem read-only, a private ``/tmp``, the submissions folder, the
  grader's output folders and the home directory hidden (the Python installation is bound back
  read-only), new user/PID/network/IPC namespaces (no network at all), all capabilities dropped.
  The kernel talks to the grader over ZeroMQ IPC sockets in its private working directory, which
  is the only writable place.

Without bwrap (or where it cannot create namespaces) the grader still applies the limits, but the
student's code can read and write whatever the grader's user can: ``sandbox_name()`` says
``"none"`` and the CLI prints a warning.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["bwrap_command", "limits_command", "sandbox_available", "sandbox_name"]

LIMITS_SCRIPT = """\
import ctypes, os, resource, sys
mem, fsize, cpu = (int(v) for v in sys.argv[1:4])
for res, soft, hard in ((resource.RLIMIT_AS, mem, mem), (resource.RLIMIT_FSIZE, fsize, fsize),
                        (resource.RLIMIT_CORE, 0, 0), (resource.RLIMIT_CPU, cpu, cpu + 5)):
    try:
        resource.setrlimit(res, (soft, hard))
    except (ValueError, OSError):
        pass
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG = SIGKILL
except Exception:
    pass
os.execv(sys.argv[5], sys.argv[5:])
"""


def limits_command(memory_mb: int, fsize_mb: int, cpu_seconds: int) -> list[str]:
    """The prefix that applies resource limits, then execs the rest of the command."""
    return [
        sys.executable, "-c", LIMITS_SCRIPT,
        str(memory_mb * 2**20), str(fsize_mb * 2**20), str(int(cpu_seconds)), "--",
    ]


def _needed_paths() -> list[str]:
    """Paths the kernel must be able to read even when their parents are hidden."""
    paths = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    for p in sys.path:
        if p and os.path.isdir(p):
            paths.add(os.path.realpath(p))
    here = Path(__file__).resolve().parents[2]  # the folder holding the mlecourse package
    paths.add(str(here))
    return sorted(paths)


def bwrap_command(workdir: str | os.PathLike[str], hide: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The bubblewrap prefix for a kernel working in ``workdir`` (bwrap must be available).

    ``hide`` lists folders to cover with an empty tmpfs (the submissions, the gradebook);
    the home directory is always hidden. Paths the Python installation needs are bound back.
    """
    exe = shutil.which("bwrap")
    if exe is None:
        raise RuntimeError("bwrap is not installed")
    workdir = os.path.realpath(workdir)
    args = [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]

    def under(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder.rstrip("/") + "/")

    home = os.path.realpath(os.path.expanduser("~"))
    if home not in ("/", "/tmp") and os.path.isdir(home):
        args += ["--tmpfs", home]
    # bind back, read-only, what Python needs from the hidden places (a venv or a checkout under
    # the private /tmp, pyenv under the home directory)
    rebound = [p for p in _needed_paths() if under(p, home) or under(p, "/tmp")]
    for p in rebound:
        args += ["--ro-bind", p, p]
    # hide the submissions and the gradebook last, so that no bound-back folder shows them again
    for h in sorted({os.path.realpath(h) for h in hide}):
        if h in ("/", "/tmp") or (under(h, "/tmp") and not any(under(h, p) for p in rebound)):
            continue  # /tmp is private already
        if os.path.isdir(h):
            args += ["--tmpfs", h]
        elif os.path.isfile(h):
            args += ["--ro-bind", "/dev/null", h]  # e.g. last run's gradebook
    args += [
        "--bind", workdir, workdir, "--chdir", workdir,
        "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
        "--cap-drop", "ALL", "--die-with-parent", "--hostname", "sandbox",
        "--setenv", "HOME", workdir,
        "--",
    ]
    return args


@functools.cache
def sandbox_available() -> bool:
    """True when ``bwrap`` is installed and can create its namespaces on this machine."""
    if shutil.which("bwrap") is None:
        return False
    # probe as a kernel runs: in a private working folder, importing what a kernel imports
    with tempfile.TemporaryDirectory(prefix="mlecourse-probe-") as probe:
        try:
            cmd = [*bwrap_command(probe), sys.executable, "-c", "import numpy, ipykernel, mlecourse"]
            done = subprocess.run(cmd, capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.SubprocessError):
            return False
    return done.returncode == 0


def sandbox_name(use_sandbox: bool | None = None) -> str:
    """``"bubblewrap"`` when kernels will run sandboxed, ``"none"`` otherwise."""
    if use_sandbox is False:
        return "none"
    return "bubblewrap" if sandbox_available() else "none"
