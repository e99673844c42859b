"""Run a notebook's code cells in a fresh, limited process forked from a warm worker.

Why hand-written: nbclient and papermill start a new kernel (and pay the
interpreter start and the imports of numpy, pandas and scikit-learn) for every
notebook, which is most of the time spent grading a small exercise set. No
maintained library offers a pre-imported fork server for notebook cells, so this
module is one, kept small:

* A **worker** (``python -m aipm_lab.grading.sandbox MODULE...``) imports the
  heavy modules once, then serves jobs read from its stdin.
* For each job it **forks a child**, which drops privileges (when run as root),
  caps its memory, CPU time and file sizes, and runs the cells one by one in a
  fresh IPython shell, so magics and input transformers behave as in Jupyter.
* After each cell the child sends a snapshot of the answer variables, turned
  into plain data by :func:`aipm_lab.course.checks.to_plain`, through a pipe. A cell
  that runs past the timeout is interrupted (SIGINT) and, if it ignores that,
  the child is killed; the answers sent so far are kept.

Everything crossing a process boundary is length-prefixed JSON, never pickle.
The child's results are data, not verdicts: the grader decides in its own process.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import select
import signal
import struct
import sys
import tempfile
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aipm_lab.grading.isolation import Plan

HEADER = struct.Struct("!I")
MAX_MESSAGE = 8 * 2**20
"""Largest message a child may send; more is treated as a broken submission."""
MAX_ERROR = 500
"""Longest error text kept per cell: the notebook's process can write anything on its pipe."""
GRACE_SECONDS = 3.0
"""Time a cell gets to stop after SIGINT before the child is killed."""
NOBODY = 65534
SANDBOX_UIDS = range(60000, 61000)
"""Users a root grader runs notebooks as: each worker claims one uid of this range for its life
(:func:`claim_uid`; the gid of the same number with it), so notebooks that run at the same time
never share a uid and, without namespaces, none can signal, trace or read another's files.
Uids of accounts the system knows (``getpwuid``) are skipped."""
UID_LOCKS = "/run/aipm-lab"
"""Where workers hold their claims: a lock per uid, released by the kernel when its holder ends."""


def send(fd: int, message: dict) -> None:
    """Write one length-prefixed JSON message to ``fd``."""
    data = json.dumps(message).encode()
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


class Reader:
    """Incremental reader of length-prefixed JSON messages from a pipe."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = b""

    def feed(self) -> list[dict] | None:
        """Read what is available; return complete messages, or None at end of file.

        Raises
        ------
        ValueError
            If the stream is not well-formed (oversized or not JSON objects).
        """
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            return None
        self.buffer += chunk
        messages = []
        while len(self.buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self.buffer)
            if size > MAX_MESSAGE:
                raise ValueError(f"message of {size} bytes is over the limit")
            if len(self.buffer) < HEADER.size + size:
                break
            body = self.buffer[HEADER.size : HEADER.size + size]
            self.buffer = self.buffer[HEADER.size + size :]
            message = json.loads(body)
            if not isinstance(message, dict):
                raise ValueError("message is not a JSON object")
            messages.append(message)
        if len(self.buffer) > MAX_MESSAGE + HEADER.size:
            raise ValueError("message over the limit")
        return messages


def _describe(error: BaseException | None) -> str | None:
    if error is None:
        return None
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:300]}" if text else type(error).__name__


def _die_with_parent() -> None:
    """Ask Linux to kill this process if its parent (the worker) dies."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _limit(job: dict) -> None:
    """Memory, CPU, file-size and process-count limits for the child."""
    with open("/proc/self/statm") as f:
        baseline = int(f.read().split()[0]) * resource.getpagesize()
    memory = baseline + int(job["memory_mb"]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(job["cell_timeout"] * (len(job["cells"]) + 1) + 10)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 2**20, 64 * 2**20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if job.get("nproc"):  # a fork bomb stops here (root is exempt from this limit by the kernel)
        resource.setrlimit(resource.RLIMIT_NPROC, (job["nproc"], job["nproc"]))


ALWAYS_PRELOADED = ("IPython.core.interactiveshell", "aipm_lab.course.checks")
"""What every worker imports before the notebook's own modules: the shell and the answer snapshot."""

MAX_EXTRA_PROCESSES = 128
"""Processes and threads a submission may add to those its user already runs."""


def _process_cap(uid: int) -> int:
    """RLIMIT_NPROC for a child of ``uid``: what that user runs now, plus some room."""
    count = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/status") as f:
                    count += next((int(line.split()[2]) for line in f if line.startswith("Threads:")), 1) \
                        if os.stat(f"/proc/{name}").st_uid == uid else 0
            except (OSError, ValueError, IndexError):
                continue
    return count + MAX_EXTRA_PROCESSES


def _become(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def claim_uid() -> int:
    """A uid of :data:`SANDBOX_UIDS` that no other worker on this machine holds, held until this process ends.

    The claim is an exclusive lock on a file in :data:`UID_LOCKS`, kept open (the job
    processes forked from this one hold it too, so a uid is not reused while a notebook of
    a dead worker still runs). Falls back to ``nobody`` if no uid can be claimed.
    """
    import fcntl
    import pwd

    try:
        os.makedirs(UID_LOCKS, mode=0o700, exist_ok=True)
    except OSError:
        return NOBODY
    for uid in SANDBOX_UIDS:
        try:
            pwd.getpwuid(uid)
            continue  # a real account: never lend its uid to a notebook
        except KeyError:
            pass
        fd = os.open(os.path.join(UID_LOCKS, f"uid-{uid}"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return uid  # fd stays open: it is the claim
        except OSError:
            os.close(fd)
    return NOBODY


def unprivileged_problem(plan: Plan) -> str | None:
    """Why notebooks could not run as an unprivileged uid under this root grader; None where they can.

    Probed in a throwaway child that does what a job's process does: stage the plan
    (:func:`~aipm_lab.grading.isolation.stage`), become user ``nobody`` (the uids notebooks
    run as have no more rights), then reach every path of the plan and read this Python's
    standard library, its libraries and ``os.py``. Where that fails (a Python installed with
    umask 077, say), the answer names the path and the fix.
    """
    import sysconfig

    from aipm_lab.grading import isolation

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - probe child
        os.close(read)
        problem = ""
        try:
            isolation.stage(plan)
            _become(NOBODY)
            for path in plan.readable:
                os.stat(path)
            for key in ("stdlib", "purelib"):
                os.listdir(sysconfig.get_paths()[key])
            with open(os.__file__, "rb"):
                pass
        except OSError as exc:
            problem = (f"other users cannot read {exc.filename}, so notebooks would run as host root: make this "
                       "Python and its libraries readable by others (chmod -R o+rX on their folders), grade as an "
                       "ordinary user") if exc.filename else \
                (f"notebooks cannot run as an unprivileged user here ({exc.strerror or exc}), so they would run "
                 "as host root: install this Python where other users can read it, grade as an ordinary user")
        except BaseException as exc:  # noqa: BLE001
            problem = f"notebooks cannot run as an unprivileged user here ({_describe(exc)}), so they would run as host root"
        os.write(write, problem.encode()[:2000])
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        problem = f.read().decode(errors="replace")
    os.waitpid(pid, 0)
    return problem or None


def _wait_and_mirror(pid: int) -> None:
    """Wait for ``pid`` and end this process the way it ended (same exit code, or same signal)."""
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if os.getpid() != 1:  # PID 1 of a namespace cannot signal itself: say it with the exit code
            signal.signal(sig, signal.SIG_DFL)
            os.kill(os.getpid(), sig)
        os._exit(128 + sig)
    code = os.WEXITSTATUS(status)
    if code > 128 and os.getpid() != 1:  # an init below us reported a signal by its exit code
        signal.signal(code - 128, signal.SIG_DFL)
        os.kill(os.getpid(), code - 128)
    os._exit(code)


def _enter_namespaces(job: dict) -> None:
    """Move the job's process into new namespaces (see :mod:`.isolation`): its next child is PID 1 there.

    The job's process holds the worker's reply pipe but stays in the parent PID namespace,
    where nothing in the run can name it (a notebook's /proc, kill(2) and ptrace reach its
    own PID namespace only); it is not dumpable. The uid changes first, then the death
    signal is set again (a uid change clears it).
    """
    from aipm_lab.grading import isolation

    if job.get("as_nobody"):
        isolation.stage(job["plan"])  # while root: root's private folders hold only the plan's paths
        _become(job["uid"])
    _die_with_parent()
    isolation.unshare()
    isolation.set_dumpable(False)


def _isolate(job: dict, out: int) -> None:
    """In PID 1 of the job's namespaces: build the notebook's root, fork, and return in the child.

    Two processes: PID 1 only waits (every process the submission leaves behind dies with
    it), and the cells run in its child, where signals behave as in a Jupyter kernel. PID 1
    holds no file of the worker and is not dumpable: the notebook cannot open its /proc entries.
    """
    from aipm_lab.grading import isolation

    _die_with_parent()
    job["plan"].hide(job.get("hide", []))  # this process's own copy of the worker's plan
    job["cwd"] = isolation.confine(job["plan"])
    pid = os.fork()
    if pid:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the interrupt is for the cell, below
        os.close(out)
        _wait_and_mirror(pid)
    _die_with_parent()


ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MPLBACKEND",
               "PYTHONHASHSEED", "AIPM_LAB_WIDGETS")
"""The only variables a notebook inherits from the grader; the rest of its environment is made for it."""


def _minimal_environment(cwd: str) -> None:
    kept = {k: os.environ[k] for k in ENVIRONMENT if k in os.environ}
    os.environ.clear()
    os.environ.update(kept)
    os.environ.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    for var in ("HOME", "MPLCONFIGDIR", "IPYTHONDIR", "TMPDIR"):
        os.environ[var] = cwd


def _child(job: dict, out: int) -> None:
    """Body of the forked child: run the cells, reporting after each one."""
    # First, let go of every file of the worker (its job and reply pipes among them): nothing
    # forked from here on, the waiters included, holds one.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, out)
    os.closerange(out + 1, 4096)
    os.setpgid(0, 0)
    from aipm_lab.grading import isolation

    if job.get("isolation") == "namespaces":
        _isolate(job, out)  # the uid changed in the job's process, before its namespaces were made
    else:
        if job.get("as_nobody"):
            isolation.stage(job["plan"])  # as in namespaces: what the probe found readable
            _become(job["uid"])
        _die_with_parent()  # after the uid change, which clears it
    isolation.set_dumpable(True)  # the worker is not dumpable; the notebook's process behaves as usual
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.chdir(job["cwd"])
    _minimal_environment(job["cwd"])
    tempfile.tempdir = job["cwd"]  # the worker's cached choice may be read-only in here
    _limit(job)

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from aipm_lab.course.checks import to_plain

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    answers = job["answers"]

    def snapshot() -> dict:
        ns = shell.user_ns
        return {name: to_plain(ns[name]) for name in answers if name in ns}

    for index, source in job["cells"]:
        send(out, {"event": "start", "cell": index})
        start = time.perf_counter()
        try:
            result = shell.run_cell(source, store_history=False)
            error = _describe(result.error_before_exec or result.error_in_exec)
        except BaseException as exc:  # noqa: BLE001 - the shell itself was broken by the cell
            error = _describe(exc)
        try:
            state = snapshot()
        except BaseException as exc:  # noqa: BLE001
            state, error = {}, error or f"answers could not be read: {_describe(exc)}"
        send(out, {"event": "end", "cell": index, "error": error,
                   "seconds": time.perf_counter() - start, "answers": state})
    send(out, {"event": "done"})


def _kill(pid: int, sig: int) -> None:
    for target in (lambda: os.killpg(pid, sig), lambda: os.kill(pid, sig)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


def run_job(job: dict) -> dict:
    """Fork a child, run ``job`` in it and return what it reported.

    Parameters
    ----------
    job : dict
        ``cells`` (list of [notebook index, source]), ``answers`` (variable names),
        ``cell_timeout`` (seconds), ``memory_mb``.

    Returns
    -------
    dict
        ``status`` ("completed", "timeout" or "crashed"), ``message``,
        ``answers`` (last snapshot), ``cells`` (index, status, error, seconds),
        ``seconds`` (wall time) and ``max_rss_mb`` of the child.
    """
    start = time.perf_counter()
    namespaces = job.get("isolation") == "namespaces"
    workdir = None if namespaces else tempfile.mkdtemp(prefix="aipm-run-")  # in namespaces: its own /tmp/run
    if workdir and job.get("as_nobody"):
        os.chown(workdir, job["uid"], job["uid"])
    uid = job["uid"] if job.get("as_nobody") else os.geteuid()
    # Scanning /proc costs a few ms per run: skip it for root, whom the kernel exempts from RLIMIT_NPROC.
    job = {**job, "cwd": workdir, "nproc": _process_cap(uid) if uid != 0 else None}
    if namespaces:
        _enter_namespaces(job)  # this process is used for this job only: it exits after answering
    indices = {index for index, _ in job["cells"]}  # cell numbers a message may name: the memory kept is bounded
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.close(read_fd)
            _child(job, write_fd)
        finally:
            os._exit(0)
    os.close(write_fd)
    reader = Reader(read_fd)
    status, message, answers, cells = "crashed", "", {}, {}
    current, deadline, interrupted = None, None, False
    try:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([read_fd], [], [], wait)[0]:
                if not interrupted:
                    cells[current] = {"status": "timeout", "error": f"cell ran over {job['cell_timeout']} s"}
                    _kill(pid, signal.SIGINT)
                    interrupted, deadline = True, time.monotonic() + GRACE_SECONDS
                    continue
                status, message = "timeout", f"cell {current} ignored the interrupt and was stopped"
                break
            batch = reader.feed()
            if batch is None:
                break
            for event in batch:
                kind = event.get("event")
                if kind == "start" and type(event.get("cell")) is int and event["cell"] in indices:
                    current, interrupted = event.get("cell"), False
                    deadline = time.monotonic() + job["cell_timeout"]
                elif kind == "end":
                    previous = cells.get(current, {})
                    error = event.get("error") if isinstance(event.get("error"), str) else None
                    seconds = event.get("seconds")
                    cells[current] = {
                        "status": previous.get("status") or ("error" if error else "ok"),
                        "error": previous.get("error") or error and error[:MAX_ERROR],
                        "seconds": seconds if isinstance(seconds, (int, float)) else None,
                    }
                    if isinstance(event.get("answers"), dict):
                        answers = event["answers"]
                    deadline = None
                elif kind == "done":
                    status = "timeout" if any(c["status"] == "timeout" for c in cells.values()) else "completed"
    except (ValueError, OSError) as exc:
        status, message = "crashed", f"the notebook broke the result channel ({exc})"
    finally:
        _kill(pid, signal.SIGKILL)
        _, code, usage = os.wait4(pid, 0)
        os.close(read_fd)
        if workdir:
            _remove(workdir)
    if status == "crashed" and not message:
        # PID 1 of the run's namespace cannot kill itself: it says the notebook's signal with its exit code.
        killed = os.WTERMSIG(code) if os.WIFSIGNALED(code) else \
            os.WEXITSTATUS(code) - 128 if namespaces and os.WEXITSTATUS(code) > 128 else 0
        if killed in {s.value for s in signal.Signals}:
            name = signal.Signals(killed).name
            hint = " (memory limit?)" if name in ("SIGKILL", "SIGSEGV") else " (CPU limit)" if name == "SIGXCPU" else ""
            message = f"the notebook process was killed by {name}{hint} during cell {current}"
        else:
            message = f"the notebook process exited (code {os.WEXITSTATUS(code)}) during cell {current}"
    return {
        "status": status,
        "message": message,
        "answers": answers,
        "cells": [{"index": k, **v} for k, v in sorted(cells.items(), key=lambda kv: kv[0] or 0)],
        "seconds": time.perf_counter() - start,
        "max_rss_mb": usage.ru_maxrss / 1024,
    }


def _remove(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def serve(modules: list[str]) -> None:
    """Worker main loop: preload ``modules``, then run jobs from stdin until it closes."""
    # Keep the protocol channel private: stray prints from imports go to stderr.
    channel_in, channel_out = os.dup(0), os.dup(1)
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the grader decides when workers stop
    os.environ.setdefault("MPLBACKEND", "Agg")
    from aipm_lab.grading import isolation

    isolation.set_dumpable(False)  # reference answers pass through this process
    # Probed before the imports: forking a small process is cheap. AIPM_LAB_ISOLATION=off is
    # for debugging a notebook that fails only in the sandbox; the run then reports "uid" or "none".
    namespaces = os.environ.get("AIPM_LAB_ISOLATION", "").lower() != "off" and isolation.available()
    # The imports create some 300,000 long-lived objects: collecting while they run is wasted
    # work (0.3 s of about 2 s here). Frozen afterwards, they stay out of every child's
    # collections, as CPython's gc.freeze documentation advises for pre-fork servers.
    gc.disable()
    for name in [*ALWAYS_PRELOADED, *modules]:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - a missing module fails in the notebook, where it is reported
            pass
    gc.freeze()
    gc.enable()
    allowed = isolation.plan()
    # A root grader runs notebooks as an unprivileged uid, never as host root (see unprivileged_problem).
    problem = unprivileged_problem(allowed) if os.geteuid() == 0 else None
    as_nobody = os.geteuid() == 0 and problem is None
    # In namespaces as root but unable to drop root, a notebook's files would be read as host
    # root: reported under its own name, so a cohort is refused unless the instructor says so.
    mode = ("namespaces-as-root" if problem else "namespaces") if namespaces else "uid" if as_nobody else "none"
    # Under root, a pids cgroup caps each run's processes; made and joined once (see process_group_cap).
    cgroup = isolation.process_group_cap(f"worker-{os.getpid()}") if namespaces else None
    send(channel_out, {"event": "ready", "pid": os.getpid(), "as_nobody": as_nobody, "isolation": mode,
                       "problem": problem, "cgroup": cgroup})
    # Under root, notebooks run as this worker's own uid: a classmate's notebook, run at the same
    # time by another worker, is out of its reach even without namespaces.
    setting = {"as_nobody": as_nobody, "uid": claim_uid() if as_nobody else None,
               "isolation": "namespaces" if namespaces else mode, "plan": allowed}
    # This process never reads a job or a result: each job is read, run and answered by a
    # child forked before the job arrives, which then exits. So no notebook is forked from
    # a process that held another job's cells, answers or reference answers.
    while True:
        select.select([channel_in], [], [])  # a job, or the grader closed the pipe
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the job's process
            _die_with_parent()
            code = 0
            try:
                job = _read_one(Reader(channel_in))
                if job is None:
                    code = _NO_MORE_JOBS
                else:
                    send(channel_out, run_job({**job, **setting}))
            except BaseException:  # noqa: BLE001 - the worker answers for it below
                code = 1
            os._exit(code)
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        if code == _NO_MORE_JOBS:
            return
        if code != 0:
            send(channel_out, {"status": "crashed", "message": f"the grading job process ended (code {code})",
                               "answers": {}, "cells": [], "seconds": 0.0, "max_rss_mb": 0.0})


_NO_MORE_JOBS = 3


def _read_one(reader: Reader) -> dict | None:
    """The next message from ``reader``'s pipe, or None at its end."""
    while True:
        batch = reader.feed()
        if batch is None:
            return None
        if batch:
            return batch[0]


if __name__ == "__main__":
    serve(sys.argv[1:])
