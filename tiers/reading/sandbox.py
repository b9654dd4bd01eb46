"""Untrusted bytes are parsed in a child process with limits, so no file can take the server down.

The spreadsheet readers (calamine is Rust; pyarrow and pandas are C++) abort the whole process when
an allocation fails, and a file can be built to ask for more than any machine has. `read_table` runs
here in a child with an address-space limit and a CPU-time limit, under a wall-clock limit and a
cap on what it sends back; the caller gets either the cells or a one-line refusal that names the
file. The checks in `tiers.reading.limits` refuse most such files before anything is allocated;
this is for what they cannot see.

Two ways to get the child. The dashboard's server is multi-threaded, where fork() is unsafe, so it
keeps one worker process started ahead with the reading modules imported (`python -m
tiers.reading.sandbox`): a read hands it the bytes at once, and a fresh spare is started in the
background for the next one (each worker reads one file and exits, so nothing one file did stays).
The command line is single-threaded: it runs its whole command in a forked child and limits each
read there, so nothing but file names crosses between the processes.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import os
import pickle
import resource
import subprocess
import sys
import threading
from collections.abc import Callable

from tiers.reading.read import RawTable, RosterError, read_table

# A reader may grow its address space by a base plus a multiple of the file's size: a file that is
# small and asks for gigabytes (a far cell, a zip bomb, repeated cells) is what gets refused, a big
# honest file gets room in proportion (a 1M-row, 44 MB CSV needs about 0.6 GB to become cells).
MEMORY_BASE_BYTES = int(os.environ.get("TIERSCOPE_READ_MEMORY_MB", "1536")) * 2**20
MEMORY_PER_FILE_BYTE = 12
CPU_LIMIT_SECONDS = 120
WALL_LIMIT_SECONDS = 300  # a reader that neither answers nor uses CPU (it should never) is stopped too
MAX_RESULT_BYTES = 1024 * 2**20  # what a reader may send back


def memory_budget(file_bytes: int) -> int:
    """How far a reader of a file of this size may grow its address space."""
    return MEMORY_BASE_BYTES + MEMORY_PER_FILE_BYTE * file_bytes


def _few_malloc_arenas() -> None:
    """An address-space limit counts what is reserved, not what is used: the C library reserves 64 MB
    per thread arena (up to 8 per core), so a reader busy on several threads could hit the limit with
    memory to spare. Two arenas keep the limit a measure of what the reader really takes."""
    try:
        ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX (glibc)
    except (OSError, AttributeError):
        pass


def _set_limits(file_bytes: int, keep_hard: bool = False) -> None:
    """Address space: what is in use now plus the budget; CPU: what was used so far plus the limit.
    `keep_hard` sets only the soft limits, which the process may lift again."""
    _few_malloc_arenas()
    with open("/proc/self/statm") as statm:  # the address space already in use (pages), Linux
        in_use = int(statm.read().split()[0]) * resource.getpagesize()
    memory = in_use + memory_budget(file_bytes)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(usage.ru_utime + usage.ru_stime) + CPU_LIMIT_SECONDS
    for kind, soft, hard in ((resource.RLIMIT_AS, memory, memory), (resource.RLIMIT_CPU, cpu, cpu + 5)):
        resource.setrlimit(kind, (soft, resource.getrlimit(kind)[1] if keep_hard else hard))


def _answer(data: bytes, file_name: str, sheet: str | None) -> bytes:
    """("ok", RawTable) or ("refused", message), pickled: what a child sends back."""
    try:
        answer = ("ok", read_table(data, file_name, sheet))
    except RosterError as error:
        answer = ("refused", str(error))
    except MemoryError:
        answer = ("refused", _over_memory(file_name))
    except Exception as error:  # noqa: BLE001 - any reader failure is the file's, said in one line
        answer = ("refused", f"{file_name}: the file could not be read ({type(error).__name__}: {str(error)[:160]}).")
    try:
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        payload = pickle.dumps(("refused", _over_memory(file_name)))
    if len(payload) > MAX_RESULT_BYTES:
        payload = pickle.dumps(("refused", f"{file_name}: the file holds more than {MAX_RESULT_BYTES // 2**20:,} MB "
                                           "of cells, more than Tierscope reads. Split the roster."))
    return payload


def _over_memory(file_name: str) -> str:
    return (f"{file_name}: reading this file needs more memory than Tierscope gives a file of its size. "
            "It may be built to exhaust the server; else export the roster sheet alone as CSV.")


def _stopped(file_name: str, status: int | None) -> str:
    """The refusal for a child that ended without an answer (`status` as subprocess gives it)."""
    if status is None:
        return (f"{file_name}: reading the file took longer than {WALL_LIMIT_SECONDS // 60} minutes and was "
                "stopped. Export the roster sheet alone as CSV.")
    if status in (-6, -9, -11):  # an allocation refused under the limit aborts (Rust, C++), or the kernel kills
        return _over_memory(file_name)
    if status == -24:  # SIGXCPU
        return (f"{file_name}: reading the file took more than {CPU_LIMIT_SECONDS} s of computing and was stopped. "
                "It may be built to exhaust the server; else export the roster sheet alone as CSV.")
    return (f"{file_name}: the reader stopped on this file (status {status}). It may be damaged; "
            "open it in a spreadsheet program and save it again.")


def _result(payload: bytes, file_name: str, status: int | None) -> RawTable:
    if not payload:
        raise RosterError(_stopped(file_name, status))
    outcome, value = pickle.loads(payload)
    if outcome != "ok":
        raise RosterError(value)
    return value


# The server's way: a worker process started ahead.

_spare: subprocess.Popen | None = None
_spare_lock = threading.Lock()


def _start_worker() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tiers.reading.sandbox"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True,
                            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _wait_ready(worker: subprocess.Popen) -> None:
    """Block until the worker has imported the reading modules (it says so with one byte)."""
    if not getattr(worker, "ready", False):
        worker.stdout.read(1)
        worker.ready = True


def prepare_worker(wait: bool = False) -> None:
    """Start the spare worker now, so the first upload does not wait for one to start; `wait` until it
    is ready (a benchmark measuring the read alone)."""
    global _spare
    with _spare_lock:
        if _spare is None or _spare.poll() is not None:
            _spare = _start_worker()
        if wait:
            _wait_ready(_spare)


def _take_worker() -> subprocess.Popen:
    global _spare
    with _spare_lock:
        worker, _spare = _spare, None
    if worker is None or worker.poll() is not None:
        worker = _start_worker()
    threading.Thread(target=prepare_worker, daemon=True).start()
    _wait_ready(worker)
    return worker


def _read_in_worker(data: bytes, file_name: str, sheet: str | None) -> RawTable:
    worker = _take_worker()
    request = pickle.dumps((data, file_name, sheet), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        payload, _ = worker.communicate(request, timeout=WALL_LIMIT_SECONDS)
        status = worker.returncode
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.communicate()
        payload, status = b"", None
    except (BrokenPipeError, OSError):  # it died before taking the whole request
        payload, status = b"", worker.wait()
    return _result(payload, file_name, status)


def serve_one() -> None:
    """The worker: imports done, limits set, read one request from stdin, answer on stdout, exit."""
    import pyarrow

    import tiers.reading.roster  # noqa: F401 - the reading modules, imported before the request arrives
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())  # the C library's allocator, its arenas few
    sys.stdout.buffer.write(b"\x01")  # ready
    sys.stdout.buffer.flush()
    request = sys.stdin.buffer.read()
    if not request:  # the server stopped before it needed this spare
        return
    _set_limits(len(request))
    data, file_name, sheet = pickle.loads(request)
    del request
    sys.stdout.buffer.write(_answer(data, file_name, sheet))
    sys.stdout.buffer.flush()


# The command line's way: the whole command in a forked child, the limits around each read.

_reads_reported_to: int | None = None  # in a command's child: where each file's name is said before it is read


@contextlib.contextmanager
def _limited(file_bytes: int, quiet: bool):
    """Soft limits for the read (the hard limits are kept, so they can be lifted again after it), and
    standard error silenced (`quiet`) so that a reader's own abort message is not the user's message."""
    saved = {kind: resource.getrlimit(kind) for kind in (resource.RLIMIT_AS, resource.RLIMIT_CPU)}
    stderr = os.dup(2) if quiet else None
    if quiet:
        faulthandler.disable()
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    _set_limits(file_bytes, keep_hard=True)
    try:
        yield
    finally:
        for kind, limit in saved.items():
            resource.setrlimit(kind, limit)
        if stderr is not None:
            os.dup2(stderr, 2)
            os.close(stderr)


def _read_in_command_child(data: bytes, file_name: str, sheet: str | None) -> RawTable:
    os.write(_reads_reported_to, file_name.encode("utf-8", "replace")[:4000] + b"\n")
    with _limited(len(data), quiet=True):
        try:
            return read_table(data, file_name, sheet)
        except MemoryError:
            raise RosterError(_over_memory(file_name)) from None


def run_command_isolated(command: Callable[[], int]) -> int:
    """Run a command-line command in a forked child whose reads are limited (`read_table_isolated`
    reads there in-process, under `_limited`). The child's exit code is the command's; a child ended
    by a limit is one line on standard error naming the file it was reading, and exit status 2.
    Nothing is sent between the processes but the names of the files read, so a million-row
    classify costs a fork. Only from a single-threaded program."""
    global _reads_reported_to
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 2
        try:
            os.close(read_end)
            _reads_reported_to = write_end
            code = command()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as names:
        read = names.read().decode("utf-8", "replace").splitlines()
    status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if status >= 0:
        return status
    print(f"tierscope: error: {_stopped(read[-1] if read else 'the file', status)}", file=sys.stderr)
    return 2


def read_table_isolated(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """`read_table` under the limits above; RosterError for every way it can fail. In the dashboard
    it runs in the reader worker; inside `run_command_isolated`, in the command's own child."""
    if _reads_reported_to is not None:
        return _read_in_command_child(data, file_name, sheet)
    return _read_in_worker(data, file_name, sheet)


if __name__ == "__main__":
    serve_one()
    os._exit(0)  # nothing to tear down object by object: the answer is sent
