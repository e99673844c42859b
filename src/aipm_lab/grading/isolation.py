"""Linux namespaces for one submission: it sees no grader, no solutions, no classmates, no network.

Why hand-written: Python 3.11 has no ``os.unshare`` or ``mount``, bubblewrap is not
installed on most machines, and Docker needs a daemon and root. What is needed is a
few system calls, made here through ctypes:

* ``unshare(2)`` of the user, mount, PID and network namespaces, by an unprivileged
  user (user namespaces make the others allowed);
* a second ``fork``, so the submission runs as PID 1 of its own PID namespace: when
  it ends, the kernel kills every process it left behind (a daemon, a fork bomb);
* a fresh ``/proc`` (only the submission's own processes: the grader's memory,
  command line and working folder are out of sight), every existing mount made
  read-only, empty tmpfs over the folders it must not read (solutions, submissions,
  the output folder, the reference cache), its own small tmpfs ``/tmp`` and
  ``/dev/shm``, and a network namespace with nothing in it;
* no capabilities and ``no_new_privs``, so it cannot unmount the masks.

Where any step is refused (macOS, a kernel without unprivileged user namespaces)
:func:`available` says so and the grader falls back to what it had, and reports it.
"""

from __future__ import annotations

import ctypes
import os

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC = 32, 1024, 2048, 4096, 16384
MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 1 << 18, 1 << 21, 1 << 24
PR_SET_NO_NEW_PRIVS = 38
# Flags a mount keeps when remounted inside a user namespace (the kernel refuses to clear them).
_LOCKED = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
           "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME}
TMP_SIZE = "512m"
"""Room a submission gets in its own /tmp (memory-backed); files are capped at 64 MB each anyway."""

_libc = None


def _c():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def _ok(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: None if s is None else s.encode()  # noqa: E731
    _ok(_c().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def unshare() -> None:
    """Enter new user, mount, PID and network namespaces, keeping this process's own uid and gid.

    The PID namespace applies to children: fork once more and run the submission there.
    """
    uid, gid = os.geteuid(), os.getegid()
    _ok(_c().unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET), "unshare")
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"{gid} {gid} 1")


def _mounts() -> list[tuple[str, int]]:
    """Mount points and the flags each must keep, from /proc/self/mountinfo."""
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            point = fields[4].encode().decode("unicode_escape")  # octal escapes such as \040
            flags = 0
            for option in fields[5].split(","):
                flags |= _LOCKED.get(option, 0)
            found.append((point, flags))
    return found


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)


def confine(hidden: list[str], keep: list[str], workdir: str) -> str:
    """Make this process's view of the system safe to run a submission in; return its work folder.

    Call in the first child of :func:`unshare` (PID 1 of the new PID namespace).

    Parameters
    ----------
    hidden : list of str
        Folders and files the submission must not see: a folder is covered by an empty,
        read-only tmpfs, a file by ``/dev/null``. Missing paths are skipped, and so is a
        folder that holds something in ``keep`` (hide the files in it instead).
    keep : list of str
        What the submission needs to read: Python, its packages, the datasets.
    workdir : str
        A folder made for this run; used (writable) when ``/tmp`` itself cannot be
        replaced because something in ``keep`` lies under it.
    """
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    tmp_kept = any(_inside(k, "/tmp") for k in keep)
    if tmp_kept:  # bound before the rest turns read-only: a bind mount copies its source's flags
        _mount(workdir, workdir, None, MS_BIND)
    for point, flags in _mounts():
        if tmp_kept and point == workdir:
            continue
        try:
            _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)
        except OSError:
            if point == "/":
                raise  # the root must be read-only, or the run is not isolated
    for path in hidden:
        if os.path.isdir(path) and not any(_inside(k, path) for k in keep):
            _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k,mode=555")
        elif os.path.isfile(path):
            _mount("/dev/null", path, None, MS_BIND)
    private = f"size={TMP_SIZE},mode=1777"
    if os.path.isdir("/dev/shm"):
        _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, private)
    if not tmp_kept:  # the grader's and other runs' temporary files vanish behind an empty /tmp
        _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, private)
        workdir = "/tmp/run"
        os.mkdir(workdir, 0o700)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _drop_privileges()
    return workdir


def essentials() -> list[str]:
    """What a notebook must still read: this Python, the folders it imports from, the datasets."""
    import sys

    import aipm_lab

    paths = [sys.prefix, sys.base_prefix, os.path.dirname(aipm_lab.__file__),
             *(p for p in sys.path if p and os.path.isdir(p))]
    try:
        from aipm_lab.course.curriculum import root

        paths.append(str(root() / "datasets"))
    except Exception:  # noqa: BLE001 - no curriculum: notebooks generate their data
        pass
    return [os.path.realpath(p) for p in paths]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_privileges() -> None:
    """No capabilities in the namespace (so no unmounting the masks) and none to gain by exec."""
    _ok(_c().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(no_new_privs)")
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _ok(_c().capset(ctypes.byref(header), data), "capset")


PR_SET_DUMPABLE, PR_GET_DUMPABLE = 4, 3


def set_dumpable(on: bool) -> None:
    """Allow or forbid other processes of this user to read this process's memory via /proc or ptrace.

    The grader and its workers hold reference answers; switched off, a submission running as
    the same user (where namespaces are unavailable) cannot read them from /proc/PID/mem.
    """
    try:
        _c().prctl(PR_SET_DUMPABLE, int(on), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux
        pass


MAX_PROCESSES = 128
"""Processes and threads one run may have at once, under root (where RLIMIT_NPROC does not apply)."""


def _pids_root() -> str | None:
    """The pids controller's folder this process may create groups in (cgroup v1 or v2), if any."""
    v1 = "/sys/fs/cgroup/pids"
    if os.path.isfile(f"{v1}/tasks"):
        return v1
    try:
        with open("/sys/fs/cgroup/cgroup.subtree_control") as f:
            return "/sys/fs/cgroup" if "pids" in f.read().split() else None
    except OSError:
        return None


def process_group_cap(name: str, limit: int = MAX_PROCESSES) -> str | None:
    """Make a pids cgroup capped at ``limit`` for one run; return its folder (None where not possible).

    The kernel exempts root from RLIMIT_NPROC, so under root a fork bomb is stopped by a
    cgroup instead. The child joins it with :func:`join`; :func:`remove` deletes it after the run.
    """
    base = _pids_root() if os.geteuid() == 0 else None
    if base is None:
        return None
    folder = os.path.join(base, "aipm-lab", name)
    try:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "pids.max"), "w") as f:
            f.write(str(limit))
    except OSError:
        return None
    return folder


def join(folder: str | None) -> None:
    """Move this process into the cgroup made by :func:`process_group_cap`."""
    if folder:
        with open(os.path.join(folder, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))


def remove(folder: str | None) -> None:
    """Delete a run's cgroup once its processes are gone (they are: the run's PID namespace ended)."""
    if folder:
        import time

        for _ in range(50):
            try:
                os.rmdir(folder)
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.01)


def available() -> bool:
    """Whether this machine lets an unprivileged process build the namespaces :func:`confine` needs.

    Probed in a throwaway child (and its child), so this process is unchanged.
    """
    if not os.path.exists("/proc/self/uid_map"):
        return False
    pid = os.fork()
    if pid == 0:  # pragma: no cover - probe child
        code = 1
        try:
            unshare()
            inner = os.fork()
            if inner == 0:
                try:
                    confine([], essentials(), "/tmp")
                    os._exit(0 if os.getpid() == 1 else 1)
                except BaseException:  # noqa: BLE001
                    os._exit(1)
            code = os.waitstatus_to_exitcode(os.waitpid(inner, 0)[1])
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
