"""Run a submission's code cells in a fresh, limited kernel and call its functions on hidden inputs.

The student's kernel only computes. After the notebook's own code cells have run, the grader
executes one small *harness* cell per part: it reads the inputs (plain JSON written by the
grader), calls the student's function on each, and writes back plain JSON values (numbers, lists,
arrays with their shape; anything else only described). Expected values and comparisons stay in
the grader's process, so nothing the notebook does to ``numpy``, ``mlecourse``, ``float`` or
``==`` can change a grade.

A cell that runs past the timeout, kills the kernel or runs out of memory is recorded, the kernel
is killed, and a fresh kernel re-runs the other cells (skipping that one), up to
``MAX_KERNEL_STARTS`` kernels.
Outputs are never kept: only their size (capped in the kernel, counted in the grader) and the name
and message of an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from ..exercises._core import encode_value
from .sandbox import bwrap_command, limits_command

__all__ = ["HarnessRequest", "RunRecord", "Unit", "run_units"]

MAX_KERNEL_STARTS = 8
OUTPUT_LIMIT = 1_000_000  # characters of output a submission may print (the rest is dropped)
RESULT_FILE_LIMIT = 64 * 2**20
STARTUP_TIMEOUT = 60

_log = logging.getLogger("mlecourse.grading.kernel")
_log.addHandler(logging.NullHandler())
_log.propagate = False

# Caps what the kernel sends. IPython re-wraps `sys.stdout.write` around every cell (to keep the
# output in its history), so the streams get a subclass whose `write` is capped and which ignores
# attempts to replace `write`. The grader counts what arrives anyway; this only saves shipping and
# storing 100 MB.
PREAMBLE = f"""\
def __mlecourse_cap_output__(limit):
    import sys
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if stream is None:
            continue
        base = type(stream)
        state = {{"n": 0}}
        def write(self, s, *args, _base=base, _state=state, **kwargs):
            n = len(s) if isinstance(s, str) else 0
            before = _state["n"]
            if before >= limit:
                return n
            _state["n"] = before + n
            if before + n > limit:
                _base.write(self, s[: limit - before])
                return _base.write(self, "\\n[output truncated by the grader]\\n")
            return _base.write(self, s, *args, **kwargs)
        def setattr_(self, key, value, _base=base):
            if key != "write":
                _base.__setattr__(self, key, value)
        try:
            stream.__class__ = type("CappedStream", (base,), {{"write": write, "__setattr__": setattr_}})
            stream.__dict__.pop("write", None)
        except Exception:
            pass
__mlecourse_cap_output__({OUTPUT_LIMIT})
del __mlecourse_cap_output__
"""

_HARNESS_BODY = '''\
import json, os, signal, time
import numpy as np

class _Late(BaseException):
    pass

def _alarm(signum, frame):
    raise _Late()

def _arg(a):
    if "array" in a:
        dtype = np.int64 if a["dtype"] == "int" else np.float64
        return np.array(a["array"], dtype=dtype).reshape(a["shape"])
    if "int" in a:
        return int(a["int"])
    return float(a["float"])

with open(request_path, encoding="utf-8") as fh:
    req = json.load(fh)
g = __mlecourse_harness__.__globals__
name = req["function"]
out = {"nonce": req["nonce"], "function": name}
f = g.get(name)
if f is None:
    out["missing"] = True
    out["defined"] = sorted(
        k for k, v in list(g.items())
        if isinstance(k, str) and not k.startswith("_") and type(v).__name__ == "function"
        and getattr(v, "__module__", None) == g.get("__name__")
    )[:50]
elif not callable(f):
    out["not_callable"] = type(f).__name__
else:
    out["module"] = str(getattr(f, "__module__", "") or "")
    out["qualname"] = str(getattr(f, "__qualname__", "") or "")
    results = []
    deadline = time.monotonic() + req["budget"]
    try:
        old = signal.signal(signal.SIGALRM, _alarm)
    except (ValueError, OSError):
        old = None
    try:
        for case in req["cases"]:
            left = deadline - time.monotonic()
            if left <= 0:
                results.append({"t": "timeout", "s": 0})
                continue
            limit = min(req["call_limit"], left)
            try:
                if old is not None:
                    signal.setitimer(signal.ITIMER_REAL, limit)
                try:
                    v = encode_value(f(*[_arg(a) for a in case]))
                finally:
                    if old is not None:
                        signal.setitimer(signal.ITIMER_REAL, 0)
            except _Late:
                v = {"t": "timeout", "s": round(limit, 3)}
            except BaseException as exc:
                try:
                    msg = str(exc)[:300]
                except BaseException:
                    msg = ""
                v = {"t": "error", "type": type(exc).__name__, "msg": msg}
            results.append(v)
    finally:
        if old is not None:
            signal.signal(signal.SIGALRM, old)
    out["results"] = results
with open(result_path + ".part", "w", encoding="utf-8") as fh:
    json.dump(out, fh)
os.replace(result_path + ".part", result_path)
'''


def harness_source(request_path: str, result_path: str) -> str:
    """The code of one harness cell (self-contained: it imports nothing from mlecourse)."""
    encoder = textwrap.dedent(inspect.getsource(encode_value))
    body = textwrap.indent(encoder + "\n" + _HARNESS_BODY, "    ")
    return (
        "def __mlecourse_harness__(request_path, result_path):\n"
        f"{body}\n"
        f"__mlecourse_harness__({request_path!r}, {result_path!r})\n"
        "del __mlecourse_harness__\n"
    )


@dataclass
class HarnessRequest:
    """Inputs for one part: the function name and the encoded argument lists."""

    function: str
    cases: list[list[Any]]
    call_limit: float
    budget: float


@dataclass
class Unit:
    """One thing to execute: a notebook code cell or a harness call."""

    kind: str  # "cell" | "harness"
    label: str  # "cell 4" or the function name
    source: str = ""
    request: HarnessRequest | None = None


@dataclass
class RunRecord:
    """What happened: per-unit status, events, and the harness answers per function."""

    # ok, error, timeout, kernel_died, memory_limit, not_run
    status: dict[int, str] = field(default_factory=dict)
    errors: dict[int, tuple[str, str]] = field(default_factory=dict)
    output_chars: dict[int, int] = field(default_factory=dict)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    kernel_starts: int = 0
    startup_error: str = ""


class _Client(NotebookClient):
    """An nbclient that keeps no outputs: it counts their size and remembers errors."""

    def __init__(self, nb: Any, km: Any, **kw: Any) -> None:
        super().__init__(nb, km=km, **kw)
        self.chars: dict[int, int] = {}
        self.errors: dict[int, tuple[str, str]] = {}
        self.exits: set[int] = set()
        self.on_cell_executed = self._note_exit

    def _note_exit(self, cell: Any, cell_index: int, execute_reply: dict[str, Any]) -> None:
        """``exit()``/``quit()`` return normally and stop the kernel just after: blame the cell."""
        payload = (execute_reply or {}).get("content", {}).get("payload", []) or []
        if any(isinstance(p, dict) and p.get("source") == "ask_exit" for p in payload):
            self.exits.add(cell_index)

    def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
        content = msg.get("content", {})
        kind = msg.get("msg_type", "")
        size = 0
        if kind == "stream":
            size = len(content.get("text", ""))
        elif kind in ("display_data", "execute_result", "update_display_data"):
            size = sum(len(str(v)) for v in content.get("data", {}).values())
        elif kind == "error":
            self.errors[cell_index] = (
                str(content.get("ename", ""))[:100], str(content.get("evalue", ""))[:300]
            )
        self.chars[cell_index] = self.chars.get(cell_index, 0) + size
        return None

    def handle_comm_msg(self, outs, msg, cell_index):  # type: ignore[override]
        return None


class _LimitedKernelManager(AsyncKernelManager):
    """Launches ``python -m ipykernel_launcher`` behind the limits (and sandbox) prefix."""

    prefix: ClassVar[list[str]] = []

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return [
            *self.prefix, sys.executable, "-m", "ipykernel_launcher", "-f",
            os.path.realpath(self.connection_file),
            "--HistoryManager.enabled=False", "--IPKernelApp.capture_fd_output=False",
            "--Application.log_level=CRITICAL",
        ]


def kernel_env(workdir: Path) -> dict[str, str]:
    """A small, clean environment for the kernel (nothing inherited but PATH)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(workdir),
        "IPYTHONDIR": str(workdir / ".ipython"),
        "MPLCONFIGDIR": str(workdir / ".matplotlib"),
        "JUPYTER_RUNTIME_DIR": str(workdir / ".runtime"),
        "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
        "MLECOURSE_GRADING": "1",
    }


class _Session:
    """One kernel: start it, run cells, kill it."""

    def __init__(self, workdir: Path, nb: Any, prefix: list[str]) -> None:
        self.workdir = workdir
        km = _LimitedKernelManager(
            kernel_name="python3", transport="ipc",
            connection_file=str(workdir / "kernel.json"), ip=str(workdir / "ipc"), log=_log,
        )
        km.prefix = prefix
        self.km = km
        self.client = _Client(
            nb, km=km, timeout=30, allow_errors=True, interrupt_on_timeout=False,
            startup_timeout=STARTUP_TIMEOUT, iopub_timeout=2, record_timing=False,
            kernel_name="python3", log=_log, shutdown_kernel="immediate",
        )

    async def start(self) -> None:
        await self.km.start_kernel(
            env=kernel_env(self.workdir), cwd=str(self.workdir), independent=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        await self.client.async_start_new_kernel_client()

    async def run(self, cell: Any, index: int, timeout: float) -> str:
        self.client.timeout = max(1, round(timeout))
        try:
            await self.client.async_execute_cell(cell, index, store_history=False)
        except CellTimeoutError:
            return "timeout"
        except DeadKernelError:
            return "kernel_died"
        if index in self.client.exits:
            return "kernel_died"
        return "error" if index in self.client.errors else "ok"

    async def close(self) -> None:
        client, km = self.client, self.km
        with contextlib.suppress(Exception):
            if client.kc is not None:
                client.kc.stop_channels()
        pgid = None
        with contextlib.suppress(Exception):
            pgid = km.provisioner.pgid if km.provisioner is not None else None
        with contextlib.suppress(Exception):
            await asyncio.wait_for(km.shutdown_kernel(now=True), timeout=10)
        if pgid:
            with contextlib.suppress(OSError):
                os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            await km._async_cleanup_resources()


async def _run_units(
    units: list[Unit], workdir: Path, *, timeout: float, memory_mb: int, sandbox: bool,
    hide: list[str],
) -> RunRecord:
    cells = [nbformat.v4.new_code_cell(PREAMBLE)]
    for u in units:
        src = u.source if u.kind == "cell" else ""
        cells.append(nbformat.v4.new_code_cell(src))
    nb = nbformat.v4.new_notebook(cells=cells)
    cpu = int(timeout * (len(units) + 4) + 60)
    prefix = limits_command(memory_mb, 256, cpu)
    if sandbox:
        prefix = bwrap_command(workdir, hide) + prefix
    record = RunRecord()
    skipped: set[int] = set()
    done: set[int] = set()
    nonce = secrets.token_hex(8)
    while True:
        if record.kernel_starts >= MAX_KERNEL_STARTS:
            for i in range(len(units)):
                if i not in skipped and i not in done:
                    record.status[i] = "not_run"
            break
        record.kernel_starts += 1
        session = _Session(workdir, nb, prefix)
        restart = False
        try:
            try:
                await session.start()
            except Exception as exc:
                record.startup_error = f"{type(exc).__name__}: {exc}"[:500]
                for i in range(len(units)):
                    if i not in done:
                        record.status[i] = "not_run"
                break
            if await session.run(nb.cells[0], 0, 30) != "ok":
                record.startup_error = "the grader's set-up cell failed"
            for i, unit in enumerate(units):
                if i in skipped or i in done:
                    continue
                cell = nb.cells[i + 1]
                if unit.kind == "harness":
                    req = unit.request
                    assert req is not None
                    req_path = workdir / f"request-{i}.json"
                    res_path = workdir / f"result-{i}.json"
                    res_path.unlink(missing_ok=True)
                    payload = {
                        "nonce": nonce, "function": req.function, "cases": req.cases,
                        "call_limit": req.call_limit, "budget": req.budget,
                    }
                    req_path.write_text(json.dumps(payload), encoding="utf-8")
                    cell.source = harness_source(str(req_path), str(res_path))
                    status = await session.run(cell, i + 1, req.budget + timeout)
                    record.answers[req.function] = _read_result(res_path, nonce)
                    done.add(i)
                else:
                    status = await session.run(cell, i + 1, timeout)
                if status == "error":
                    record.errors[i] = session.client.errors.get(i + 1, ("", ""))
                    if "MemoryError" in record.errors[i][0] and unit.kind == "cell":
                        status = "memory_limit"  # the memory may still be held: start afresh
                record.status[i] = status
                record.output_chars[i] = session.client.chars.get(i + 1, 0)
                if status in ("timeout", "kernel_died", "memory_limit"):
                    skipped.add(i)
                    restart = True
                    break
        finally:
            await session.close()
        if not restart:
            break
    return record


def _read_result(path: Path, nonce: str) -> dict[str, Any]:
    try:
        if path.stat().st_size > RESULT_FILE_LIMIT:
            return {"invalid": "the answers were too large"}
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"invalid": "no answers came back"}
    except (OSError, ValueError) as exc:
        return {"invalid": f"the answers could not be read ({type(exc).__name__})"}
    if not isinstance(data, dict) or data.get("nonce") != nonce:
        return {"invalid": "the answers came back malformed"}
    return data


def run_units(
    units: list[Unit], workdir: Path, *, timeout: float, memory_mb: int, sandbox: bool,
    hide: list[str] | None = None,
) -> RunRecord:
    """Execute ``units`` in fresh kernels (see the module docstring); never raises for
    anything the submission does."""
    return asyncio.run(
        _run_units(
            units, workdir, timeout=timeout, memory_mb=memory_mb, sandbox=sandbox,
            hide=list(hide or []),
        )
    )
