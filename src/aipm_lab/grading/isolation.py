"""Linux namespaces for one submission: a new, empty root holding only what a notebook needs.

Why hand-written: Python 3.11 has no ``os.unshare``, ``mount`` or ``pivot_root``,
bubblewrap is not installed on most machines, and Docker needs a daemon and root.
What is needed is a few system calls, made here through ctypes, in the order
bubblewrap makes them:

* ``unshare(2)`` of the user, mount, PID and network namespaces, by an unprivileged
  user (user namespaces make the others allowed); inside, the process is uid 1000,
  never root and never the grader's own id (a root grader's job first becomes a sandbox
  uid; :func:`stage` lets it reach a Python kept in a folder only root may enter);
* a second ``fork``, so the submission runs below PID 1 of its own PID namespace: when
  it ends, the kernel kills every process it left behind (a daemon, a fork bomb);
* an **allow-list root**: a fresh tmpfs becomes ``/`` (``pivot_root``) and only the
  paths of a :class:`Plan` are bound into it, read-only: the OS runtime (``/usr``), this
  Python and its installed libraries, the curriculum's datasets and public exercises (its
  ``solutions/`` is an empty folder); anything else the grader names is covered by an empty folder. Plus a fresh ``/proc`` (only
  the submission's own processes), a minimal ``/dev``, a private ``/tmp`` holding its
  working folder, and a network namespace with nothing in it. The old root is
  detached, so the grader's files, ``/tmp``, home folders, clones, caches, wheels,
  the output folder and other submissions do not exist in there at all;
* no capabilities and ``no_new_privs``, so it cannot change the mounts.

Where any step is refused (macOS, a kernel or container without unprivileged user
namespaces) :func:`available` says so, and the grader reports it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import re
import stat
from dataclasses import dataclass, field

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC = 32, 1024, 2048, 4096, 16384
MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 1 << 18, 1 << 21, 1 << 24
MNT_DETACH = 2
AT_FDCWD, AT_RECURSIVE = -100, 0x8000
MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID, MOUNT_ATTR_NODEV = 1, 2, 4
SYS_MOUNT_SETATTR = 442  # the same number on every architecture (added in Linux 5.12)
PR_SET_NO_NEW_PRIVS = 38
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}
# Flags a mount keeps when remounted inside a user namespace (the kernel refuses to clear them).
_LOCKED = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
           "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME}
TMP_SIZE = "512m"
"""Room a submission gets in its own /tmp (memory-backed); files are capped at 64 MB each anyway."""
INSIDE_ID = 1000
"""The uid and gid a notebook has inside its namespace: an ordinary user, not root."""
WORKDIR = "/tmp/run"
"""The notebook's working folder inside its root (empty at the start of each run)."""
DEVICES = ("null", "zero", "full", "random", "urandom")
"""The device files a notebook gets in its /dev."""
ETC = ("ld.so.cache", "localtime", "nsswitch.conf")
"""Files of /etc a notebook may read: the dynamic loader's cache, the time zone, name lookup rules."""
_PASSWD = f"sandbox:x:{INSIDE_ID}:{INSIDE_ID}:sandbox:{WORKDIR}:/usr/sbin/nologin\n"

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


def _pivot_root(new: str, old: str) -> None:
    number = SYS_PIVOT_ROOT.get(platform.machine())
    if number is None:
        raise OSError(f"pivot_root: unknown system call number on {platform.machine()}")
    _ok(_c().syscall(ctypes.c_long(number), new.encode(), old.encode()), "pivot_root")


def unshare() -> None:
    """Enter new user, PID and network namespaces as uid and gid :data:`INSIDE_ID`.

    The PID namespace applies to children: fork once more and :func:`confine` there (which
    makes the mount namespace, so this process keeps the host's files in view).
    """
    uid, gid = os.geteuid(), os.getegid()
    # A process that is not dumpable has its /proc files owned by root: its own uid_map
    # could not be written (the worker is not dumpable; its children inherit that).
    set_dumpable(True)
    _ok(_c().unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET), "unshare")
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"{INSIDE_ID} {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"{INSIDE_ID} {gid} 1")


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


@dataclass
class Plan:
    """What a notebook's root holds: absolute host paths, each shown at the same path inside.

    Attributes
    ----------
    readable : list of str
        Folders and files bound read-only (with everything mounted below them).
    empty : list of str
        Folders inside a readable one shown empty (a file: shown as an empty file); a
        readable path inside one of them is bound again on top. Elsewhere, nothing: they
        do not exist in the new root.
    links : dict
        Symbolic links to recreate (path -> target), such as ``/lib -> usr/lib``.
    folders : list of str
        Empty folders to create, such as the curriculum's ``solutions/``: a notebook finds
        the curriculum (its exercises' public questions, its datasets) but no solution.
    """

    readable: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    folders: list[str] = field(default_factory=list)

    def hide(self, paths: list[str]) -> None:
        """Show ``paths`` empty where they lie inside a readable path (elsewhere they do not exist anyway)."""
        self.empty += [os.path.realpath(p) for p in paths]

    def steps(self) -> list[tuple[str, str]]:
        """(kind, path) in the order they are made: parents before children, masks before rebinds."""
        denied = set(self.empty)

        def covered(path: str) -> bool:  # already bound with a folder above it, and no mask between
            return any(r != path and _inside(path, r) and not any(_inside(path, e) and _inside(e, r) for e in denied)
                       for r in self.readable)

        steps = [("link", p) for p in self.links]
        steps += [("bind", p) for p in dict.fromkeys(self.readable) if p not in denied and not covered(p)]
        steps += [("empty", p) for p in dict.fromkeys(self.empty) if any(_inside(p, r) for r in self.readable)]
        steps += [("folder", p) for p in dict.fromkeys(self.folders)]
        order = {"link": 0, "empty": 1, "folder": 2, "bind": 3}
        return sorted(steps, key=lambda s: (s[1].split("/"), order[s[0]]))


def _allow(plan: Plan, path: str) -> None:
    """Add a host path to the plan: its real location, and the symbolic links leading there."""
    path = os.path.abspath(path)
    real = os.path.realpath(path)
    if not os.path.exists(real):
        return
    if real != path and os.path.islink(path):
        plan.links[path] = os.readlink(path)
    plan.readable.append(real)


def plan() -> Plan:
    """The allow-list for notebooks run by this Python (add the grader's own paths with :meth:`Plan.hide`).

    Of the curriculum, only the datasets and the exercises (public) are shown, beside an
    empty ``solutions/``.
    """
    import sys
    import sysconfig

    import aipm_lab
    from aipm_lab.course.curriculum import PACKAGED

    result = Plan()
    # The OS runtime: shared libraries, tools such as sleep, time zones (merged /usr: /lib is a link).
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        _allow(result, top)
    for name in ETC:
        _allow(result, os.path.join("/etc", name))
    # This Python and what it imports: its prefixes, sys.path, this package (an editable
    # install's source folder, not the clone around it).
    package = os.path.dirname(os.path.realpath(aipm_lab.__file__))
    for path in (sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values(),
                 *(p for p in sys.path if p), package):
        _allow(result, path)
    base = curriculum()
    if base:  # a clone (or AIPM_LAB_HOME), or the copy a wheel carries
        for name in ("datasets", "exercises", "pyproject.toml"):
            _allow(result, os.path.join(base, name))
        result.folders.append(os.path.join(base, "solutions"))
        result.hide([base])
    result.hide([str(PACKAGED)])
    return result


def curriculum() -> str | None:
    """The curriculum folder the grader trusts (:func:`~aipm_lab.course.curriculum.installed_root`), if any."""
    try:
        from aipm_lab.course.curriculum import installed_root

        return os.path.realpath(installed_root())
    except Exception:  # noqa: BLE001 - no curriculum: notebooks generate their data
        return None


def _private_above(path: str) -> str | None:
    """The topmost folder above ``path`` that other users may not enter (no ``o+x``), if any."""
    parts = path.split("/")
    for end in range(2, len(parts)):
        folder = "/".join(parts[:end])
        try:
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                return folder
        except OSError:
            return None
    return None


def stage(plan: Plan) -> None:
    """Let an unprivileged uid reach the plan's paths that lie below a folder only root may enter (as root).

    A root grader's Python often lives in such a folder (pyenv or conda in ``/root``, mode 700).
    In a mount namespace of this process's own, each such folder is covered by an empty
    tmpfs into which only the plan's paths below it are bound again, at the same paths, so
    :func:`confine` finds them where they were and nothing else of that folder exists.
    Nothing is mounted on the host; the namespace ends with the last process in it. The
    paths themselves keep their modes: a file others may not read stays unreadable. Does
    nothing (and makes no namespace) where no plan path needs it.
    """
    below: dict[str, list[str]] = {}
    for path in dict.fromkeys(plan.readable):
        top = _private_above(path)
        if top:
            below.setdefault(top, []).append(path)
    if not below:
        return
    _ok(_c().unshare(CLONE_NEWNS), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing made here reaches the host
    for top, paths in below.items():
        # Opened before the folder is covered; each bind (recursive) brings its mounts along.
        opened = {p: os.open(p, os.O_PATH | os.O_CLOEXEC) for p in paths
                  if not any(q != p and _inside(p, q) for q in paths)}
        _mount("tmpfs", top, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755")
        for path, fd in opened.items():
            _make(path, stat.S_ISDIR(os.fstat(fd).st_mode))
            _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
            os.close(fd)


def _mounts_below(folder: str) -> list[tuple[str, int]]:
    """Mount points at or under ``folder`` and the flags each must keep, from mountinfo."""
    found = []
    with open("/oldroot/proc/self/mountinfo") as f:  # the old root's /proc, while it is still there
        for line in f:
            fields = line.split()
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[4])  # octal escapes such as \040
            if _inside(point, folder):
                flags = 0
                for option in fields[5].split(","):
                    flags |= _LOCKED.get(option, 0)
                found.append((point, flags))
    return found


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64), ("propagation", ctypes.c_uint64),
                ("userns_fd", ctypes.c_uint64)]


def _read_only(folder: str) -> None:
    """Make ``folder`` and every mount below it read-only (a recursive bind copies them writable).

    One ``mount_setattr(2)`` call for the whole tree (Linux 5.12 or later); older kernels
    remount each mount found in mountinfo, keeping the flags the kernel locks.
    """
    attr = _MountAttr(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0, 0, 0)
    if _c().syscall(ctypes.c_long(SYS_MOUNT_SETATTR), ctypes.c_int(AT_FDCWD), folder.encode(),
                    ctypes.c_uint(AT_RECURSIVE), ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr))) == 0:
        return
    if ctypes.get_errno() != errno.ENOSYS:
        _ok(-1, f"mount_setattr {folder}")
    for point, flags in _mounts_below(folder):
        _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)


def _make(path: str, directory: bool) -> None:
    os.makedirs(path if directory else os.path.dirname(path), mode=0o755, exist_ok=True)
    if not directory and not os.path.exists(path):
        open(path, "w").close()


def _write(path: str, text: str) -> None:
    _make(path, False)
    with open(path, "w") as f:
        f.write(text)


def confine(plan: Plan) -> str:
    """Give this process a new mount namespace and root holding only ``plan``; return the notebook's working folder.

    Call in the first child of :func:`unshare` (PID 1 of the new PID namespace). As in
    bubblewrap: a tmpfs on ``/tmp`` becomes the root, the old root is reached under
    ``/oldroot`` while ``/newroot`` is filled, then the old root is detached for good.
    Every bind is recursive: in a user namespace a non-recursive bind of a folder with
    mounts below it is refused (EINVAL), and recursive binds keep a clone under /tmp
    reachable whatever is mounted where.
    """
    _ok(_c().unshare(CLONE_NEWNS), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755")
    os.chdir("/tmp")
    os.mkdir("newroot", 0o755)
    os.mkdir("oldroot", 0o755)
    _pivot_root("/tmp", "oldroot")
    os.chdir("/")
    _mount("tmpfs", "/newroot", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755")
    new = lambda path: "/newroot" + path  # noqa: E731
    old = lambda path: "/oldroot" + path  # noqa: E731
    private = f"size={TMP_SIZE},mode=1777"
    _make(new("/tmp"), True)  # first: a clone or a Python under /tmp is bound into this one
    _mount("tmpfs", new("/tmp"), "tmpfs", MS_NOSUID | MS_NODEV, private)
    masks = []
    for kind, path in plan.steps():
        if kind == "link":
            _make(os.path.dirname(new(path)), True)
            if not os.path.lexists(new(path)):
                os.symlink(plan.links[path], new(path))
        elif kind == "bind":
            directory = os.path.isdir(old(path))
            if not os.path.exists(new(path)):
                _make(new(path), directory)
            _mount(old(path), new(path), None, MS_BIND | MS_REC)
            _read_only(new(path))
        elif kind == "folder":
            _make(new(path), True)
        elif os.path.isdir(old(path)):  # empty: a writable tmpfs until its own rebinds are made
            _make(new(path), True)  # missing where it was readable itself (a clone on sys.path)
            _mount("tmpfs", new(path), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755")
            masks.append(new(path))
        elif os.path.exists(old(path)):
            _make(new(path), False)
            _mount(old("/dev/null"), new(path), None, MS_BIND)
    for mask in masks:
        _mount(None, mask, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    _make(new("/dev"), True)
    _mount("tmpfs", new("/dev"), "tmpfs", MS_NOSUID, "size=64k,mode=755")
    for name in DEVICES:
        _make(new(f"/dev/{name}"), False)
        _mount(old(f"/dev/{name}"), new(f"/dev/{name}"), None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, new(f"/dev/{name}"))
    _make(new("/dev/shm"), True)
    _mount("tmpfs", new("/dev/shm"), "tmpfs", MS_NOSUID | MS_NODEV, private)
    _write(new("/etc/passwd"), _PASSWD)
    _write(new("/etc/group"), f"sandbox:x:{INSIDE_ID}:\n")
    _make(new("/proc"), True)
    _mount("proc", new("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    # The setup root goes, and the old root mounted in it with it (one lazy unmount takes the
    # whole tree; every mount is private since the first step): nothing of the host is reachable.
    os.chdir("/newroot")
    _pivot_root(".", ".")
    _ok(_c().umount2(b".", MNT_DETACH), "umount the setup root")
    os.chdir("/")
    _mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.mkdir(WORKDIR, 0o700)
    _drop_privileges()
    return WORKDIR


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
_ABOVE_A_NOTEBOOK = 4
"""Processes of a run that are not the notebook's: the job's process, the two waiters, the notebook's own."""


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
    """Make a pids cgroup for one worker, capped at its own tasks plus ``limit``; join it; return its folder.

    The kernel exempts root from RLIMIT_NPROC, so under root a fork bomb is stopped by a
    cgroup instead. The worker joins once, before its first job (moving a process between
    cgroups costs some 10 ms, too much for every run); its jobs run one at a time, each
    forked into the group, and a run's processes are gone before the next one starts (its
    PID namespace ended). The grader deletes the group with :func:`remove` after the worker;
    groups that graders before it left behind are deleted here (:func:`_remove_stale`).
    None where not possible (not root, no pids controller).
    """
    base = _pids_root() if os.geteuid() == 0 else None
    if base is None:
        return None
    _remove_stale(os.path.join(base, "aipm-lab"))
    folder = os.path.join(base, "aipm-lab", name)
    try:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "pids.max"), "w") as f:
            f.write(str(limit + len(os.listdir("/proc/self/task")) + _ABOVE_A_NOTEBOOK))
        with open(os.path.join(folder, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))
    except OSError:
        remove(folder)
        return None
    return folder


def _remove_stale(parent: str) -> None:
    """Delete the empty groups under ``parent`` whose worker is gone (killed graders, older versions' per-run groups).

    ``rmdir`` removes only a group no process is in, so a concurrent grader's running
    notebook keeps its group; a live worker's group is skipped, as it may be between its
    creation and its worker joining it.
    """
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        pid = name.removeprefix("worker-")
        if pid.isdigit() and _alive(int(pid)):
            continue
        try:
            os.rmdir(os.path.join(parent, name))
        except OSError:  # a file of the controller, or a group with processes in it
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


REMOVE_WITHIN = 10.0
"""Seconds :func:`remove` waits for a killed worker's processes to leave its group (a loaded machine)."""


def remove(folder: str | None) -> None:
    """Delete a worker's cgroup once the worker is gone, first ending what is left in it (bounded wait).

    After the worker is killed, its job's process and the run below it die with it, which
    takes a moment on a loaded machine (a large notebook's memory is freed); anything still
    listed in ``cgroup.procs`` is a leftover of the worker's runs and is killed.
    """
    if not folder:
        return
    import signal
    import time

    deadline = time.monotonic() + REMOVE_WITHIN
    while True:
        try:
            os.rmdir(folder)
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return
        try:
            with open(os.path.join(folder, "cgroup.procs")) as f:
                left = [int(pid) for pid in f.read().split()]
        except (OSError, ValueError):
            left = []
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.01)


def available() -> bool:
    """Whether this machine lets this process build the namespaces and root :func:`confine` makes.

    Probed in a throwaway child (and its child), so this process is unchanged; it works
    for root and other users, and whether or not this process is dumpable.
    """
    if not os.path.exists("/proc/self/uid_map"):
        return False
    allowed = plan()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - probe child
        code = 1
        try:
            unshare()
            inner = os.fork()
            if inner == 0:
                try:
                    confine(allowed)
                    os._exit(0 if os.getpid() == 1 and os.path.isdir(WORKDIR) else 1)
                except BaseException:  # noqa: BLE001
                    os._exit(1)
            code = os.waitstatus_to_exitcode(os.waitpid(inner, 0)[1])
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
