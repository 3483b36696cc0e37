"""The warm query pool, from a server worker's side: one pool for the whole server, shared by its workers.

Why shared and not one pool per gunicorn worker: a query that runs to its timeout holds its process for
the whole timeout. With a pool per worker (and the server's query processes numbering the cores, as they
should on a machine of this size), it would stall every request the kernel hands to that worker, while
the other worker's process sits idle. With one pool, a slow query holds one process and every other
query takes the next free one, whichever worker it arrived on.

How a worker uses it: each query process (see carekg.store.supervisor) owns a slot, ``slot-<n>.sock``
with a lock file beside it. A request takes the first slot whose lock it can take (``flock``, without
waiting), connects, learns the process's pid, sends the job and reads the answer until the deadline.
At the deadline it kills that process (the supervisor starts a fresh one) and answers 503. When every
slot is taken it waits, polling, up to ``wait_seconds``; at most ``queue_limit`` requests of one worker
wait at once, the others are answered 503 with Retry-After at once.
"""

import contextlib
import fcntl
import json
import os
import select
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import CarekgError
from ..sparql.execution import (
    QueryCrashed,
    QueryJob,
    QueryTimeout,
    check_dataset_iris,
    death_error,
    decode_answer,
    job_to_json,
)
from ..sparql.results import Serialized
from .supervisor import slot_exit, slot_socket

POLL_SECONDS = 0.001
CONNECT_RETRY_SECONDS = 0.005
EXIT_RECORD_WAIT_SECONDS = 2.0


class PoolBusy(CarekgError):
    """Every query process is busy and the wait queue is full."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(
            "every query process of this server is busy and the queue of waiting queries is full; "
            f"retry in {retry_after} s"
        )


@dataclass
class PoolStats:
    size: int
    busy: int
    waiting: int


class QueryPool:
    """The client side of the pool whose supervisor serves ``folder``."""

    def __init__(self, folder: Path, size: int, queue_limit: int = 32, wait_seconds: float = 5.0):
        self.folder = folder
        self.size = size
        self.queue_limit = queue_limit
        self.wait_seconds = wait_seconds
        self._waiting = 0
        self._lock = threading.Lock()
        self.on_waiting: Callable[[int], object] = lambda _n: None  # told the queue's new length

    def answer(self, job: QueryJob, store_path: Path, timeout: float) -> Serialized:
        check_dataset_iris(job)  # here, so that a refusal needs no process
        deadline = time.monotonic() + timeout
        with self._slot(deadline) as slot:
            return self._ask(slot, job, store_path, timeout, deadline)

    def stats(self) -> PoolStats:
        busy = sum(1 for n in range(self.size) if self._slot_taken(n))
        return PoolStats(size=self.size, busy=busy, waiting=self._waiting)

    # ---------------------------------------------------------------- slots

    def _lock_path(self, slot: int) -> Path:
        return self.folder / f"slot-{slot}.lock"

    def _try_take(self, slot: int) -> int | None:
        fd = os.open(self._lock_path(slot), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    def _slot_taken(self, slot: int) -> bool:
        fd = self._try_take(slot)
        if fd is None:
            return True
        os.close(fd)
        return False

    @contextlib.contextmanager
    def _slot(self, deadline: float) -> Iterator[int]:
        fd, slot = self._take_any()
        if fd is None:
            with self._lock:
                if self._waiting >= self.queue_limit:
                    raise PoolBusy(retry_after=1)
                self._waiting += 1
                self.on_waiting(self._waiting)
            try:
                give_up = min(deadline, time.monotonic() + self.wait_seconds)
                while fd is None:
                    if time.monotonic() >= give_up:
                        raise PoolBusy(retry_after=max(1, round(self.wait_seconds)))
                    time.sleep(POLL_SECONDS)
                    fd, slot = self._take_any()
            finally:
                with self._lock:
                    self._waiting -= 1
                    self.on_waiting(self._waiting)
        try:
            yield slot
        finally:
            os.close(fd)

    def _take_any(self) -> tuple[int | None, int]:
        # Start at a different slot in each process, so that workers do not all contend for slot 0.
        start = os.getpid() % self.size
        for offset in range(self.size):
            slot = (start + offset) % self.size
            fd = self._try_take(slot)
            if fd is not None:
                return fd, slot
        return None, -1

    # ---------------------------------------------------------------- one query

    def _connect(self, slot: int, deadline: float) -> socket.socket:
        """A connection to the slot's process; a replacement may still be starting, so retry."""
        path = str(slot_socket(self.folder, slot))
        while True:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.connect(path)
                return connection
            except (FileNotFoundError, ConnectionRefusedError):
                connection.close()
                if time.monotonic() >= deadline:
                    raise
                time.sleep(CONNECT_RETRY_SECONDS)

    def _ask(
        self, slot: int, job: QueryJob, store_path: Path, timeout: float, deadline: float
    ) -> Serialized:
        try:
            connection = self._connect(slot, deadline)
        except OSError as exc:
            if time.monotonic() >= deadline:
                raise QueryTimeout(timeout) from None
            raise QueryCrashed(f"no query process answers on slot {slot}: {exc}") from None
        with connection:
            request = {"store": str(store_path), "timeout": timeout, "job": job_to_json(job)}
            pid_line, payload = _exchange(
                connection, json.dumps(request).encode() + b"\n", deadline
            )
            pid = int(pid_line) if pid_line else None
            if payload is None:  # the deadline passed
                if pid is not None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                    self._wait_for_exit_record(slot, pid)
                raise QueryTimeout(timeout)
        if b"\n" not in payload:  # the process died before it could answer
            raise self._death(slot, pid)
        return decode_answer(payload)

    def _wait_for_exit_record(self, slot: int, pid: int) -> dict[str, object] | None:
        """The supervisor's record of how process ``pid`` ended, once it has reaped it."""
        give_up = time.monotonic() + EXIT_RECORD_WAIT_SECONDS
        path = slot_exit(self.folder, slot)
        while time.monotonic() < give_up:
            with contextlib.suppress(FileNotFoundError, ValueError):
                record: dict[str, object] = json.loads(path.read_text())
                if record.get("pid") == pid:
                    return record
            time.sleep(0.01)
        return None

    def _death(self, slot: int, pid: int | None) -> CarekgError:
        record = self._wait_for_exit_record(slot, pid) if pid is not None else None
        if record is None:
            return QueryCrashed("the query process ended without an answer")
        return death_error(int(record["status"]), str(record.get("last_words", "")))  # type: ignore[call-overload]


def _exchange(
    connection: socket.socket, request: bytes, deadline: float
) -> tuple[bytes, bytes | None]:
    """Send the request, then read the process's pid line and the answer until end of file (the
    process writes its pid as soon as it accepts, so the pid is known even if the deadline passes).

    Returns (pid line, answer); the answer is None if the deadline passed first."""
    connection.sendall(request)
    connection.setblocking(False)
    poller = select.poll()
    poller.register(connection, select.POLLIN)
    received = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            pid_line, _, _ = bytes(received).partition(b"\n")
            return (pid_line if b"\n" in received else b""), None
        try:
            chunk = connection.recv(1 << 16)
        except BlockingIOError:
            continue
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            pid_line, newline, answer = bytes(received).partition(b"\n")
            return (pid_line, answer) if newline else (b"", b"")
        received += chunk
