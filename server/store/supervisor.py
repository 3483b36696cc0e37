"""The query pool's supervisor: ``python -m carekg.store.supervisor FOLDER SIZE MEMORY_BYTES``.

It starts SIZE query processes, each listening on ``FOLDER/slot-<n>.sock``, and is the parent of them
all: when one ends (killed at a deadline by the server that waited for it, or crashed) it reaps it, so no
zombie is left, writes ``FOLDER/slot-<n>.exit`` (the pid, its wait status and the last lines it wrote to
standard error, which tells a stack overflow from a failed allocation) and starts a fresh one in its
place. That is the only time a query process starts. It ends its processes and itself on SIGTERM, or
when the server that started it ends.

``carekg serve`` starts it (fork and exec, before gunicorn forks any worker): the server's processes never
open the store in a process that forks, and no process forks while it runs threads.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .query_process import die_with_parent

STDERR_TAIL_BYTES = 4096


def slot_socket(folder: Path, slot: int) -> Path:
    return folder / f"slot-{slot}.sock"


def slot_exit(folder: Path, slot: int) -> Path:
    return folder / f"slot-{slot}.exit"


class Slot:
    def __init__(self, folder: Path, number: int, memory_bytes: int):
        self.folder = folder
        self.number = number
        self.memory_bytes = memory_bytes
        self.process: subprocess.Popen[bytes] | None = None
        self.stderr_tails: dict[int, bytearray] = {}  # by pid: the last bytes each process wrote

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "carekg.store.query_process",
                str(slot_socket(self.folder, self.number)),
                str(self.memory_bytes),
            ],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            close_fds=True,
        )
        tail = self.stderr_tails[self.process.pid] = bytearray()
        threading.Thread(
            target=self._collect_stderr, args=(self.process, tail), daemon=True
        ).start()

    def _collect_stderr(self, process: "subprocess.Popen[bytes]", tail: bytearray) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            sys.stderr.buffer.write(line)
            sys.stderr.flush()
            tail += line
            del tail[:-STDERR_TAIL_BYTES]

    def record_exit(self, status: int, pid: int) -> None:
        time.sleep(0.05)  # let the reader thread take the last line
        tail = self.stderr_tails.pop(pid, bytearray())
        lines = [line for line in tail.decode("utf-8", "replace").splitlines() if line]
        record = {"pid": pid, "status": status, "last_words": "\n".join(lines[-20:])}
        path = slot_exit(self.folder, self.number)
        tmp = path.with_suffix(".tmp")
        with contextlib.suppress(OSError):  # the folder is gone when the server has stopped
            tmp.write_text(json.dumps(record))
            tmp.replace(path)


def supervise(folder: Path, size: int, memory_bytes: int) -> None:  # pragma: no cover - own process
    die_with_parent(signal.SIGTERM)
    slots = [Slot(folder, n, memory_bytes) for n in range(size)]
    stopping = threading.Event()

    def stop(_signum: int, _frame: object) -> None:
        stopping.set()
        for slot in slots:
            if slot.process is not None:
                with contextlib.suppress(ProcessLookupError):
                    slot.process.kill()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in slots:
        slot.start()
    by_pid = {slot.process.pid: slot for slot in slots if slot.process is not None}
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid not in by_pid:
            continue
        slot = by_pid.pop(pid)
        if not stopping.is_set():
            # The replacement first: until it listens, the slot's queries wait for it.
            slot.start()
            assert slot.process is not None
            by_pid[slot.process.pid] = slot
        slot.record_exit(status, pid)
        if stopping.is_set() and not by_pid:
            break
    for slot in slots:
        with contextlib.suppress(FileNotFoundError):
            slot_socket(folder, slot.number).unlink()


if __name__ == "__main__":  # pragma: no cover
    supervise(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
