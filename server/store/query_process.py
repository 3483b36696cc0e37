"""One process of the query pool: ``python -m carekg.store.query_process SOCKET MEMORY_BYTES``.

It listens on a Unix socket and answers one query per connection, on the build named in the request,
which it opens read-only once (and again only when a request names another build). On a connection it
first writes its pid on a line, so that the client can kill it at the deadline; then it reads a one-line
JSON request ``{"store": PATH, "timeout": SECONDS, "job": {...}}`` and writes the answer as
``carekg.sparql.execution.encode_answer`` frames it. It imports only what evaluating a query needs, so that
a replacement starts in tens of milliseconds. Its own alarm ends it shortly after a deadline even if the
client that should kill it is gone; it dies with the supervisor that started it.
"""

import contextlib
import ctypes
import json
import os
import signal
import socket
import sys

import pyoxigraph as ox

from ..sparql.execution import encode_answer, job_from_json, limit_query_process

ALARM_GRACE_SECONDS = 2.0
PR_SET_PDEATHSIG = 1
MAX_REQUEST_BYTES = 16 * 1024 * 1024


def die_with_parent(signum: int) -> None:
    """Ask Linux to send ``signum`` to this process when its parent ends (prctl PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)


def listen(path: str) -> socket.socket:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    return server


def read_request(connection: socket.socket) -> dict[str, object]:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = connection.recv(1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if chunk.endswith(b"\n") or size > MAX_REQUEST_BYTES:
            break
    request: dict[str, object] = json.loads(b"".join(chunks))
    return request


def serve(path: str, memory_bytes: int) -> None:  # pragma: no cover - runs as its own process
    die_with_parent(signal.SIGKILL)
    limit_query_process(memory_bytes)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    server = listen(path)
    open_path: str | None = None
    store: ox.Store | None = None
    pid_line = f"{os.getpid()}\n".encode()
    while True:
        connection, _ = server.accept()
        with connection:
            try:
                connection.sendall(pid_line)
                request = read_request(connection)
            except (OSError, ValueError):
                continue
            build = str(request["store"])
            if build != open_path:
                store = None  # close the previous build before opening the next
                store = ox.Store.read_only(build)
                open_path = build
            assert store is not None
            timeout = float(request["timeout"])  # type: ignore[arg-type]
            signal.setitimer(signal.ITIMER_REAL, timeout + ALARM_GRACE_SECONDS)
            answer = encode_answer(store, job_from_json(request["job"]))  # type: ignore[arg-type]
            signal.setitimer(signal.ITIMER_REAL, 0)
            with contextlib.suppress(OSError):
                connection.sendall(answer)


if __name__ == "__main__":  # pragma: no cover
    serve(sys.argv[1], int(sys.argv[2]))
