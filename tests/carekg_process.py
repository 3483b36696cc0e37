"""Run a real `carekg serve` process on a free loopback port for tests, and stop it afterwards."""

import atexit
import contextlib
import dataclasses
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class RunningServer:
    host: str
    port: int
    pid: int = 0  # the gunicorn master's process id, once started

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def endpoint_url(self) -> str:
        return self.base_url + "/sparql"


_SESSION_FOLDER = tempfile.mkdtemp(prefix="carekg-test-store-")
atexit.register(shutil.rmtree, _SESSION_FOLDER, True)
SESSION_STORE = Path(_SESSION_FOLDER) / "store"


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def carekg_executable() -> Path:
    """The console script installed next to the running interpreter (the project's venv)."""
    script = Path(sys.executable).with_name("carekg")
    if not script.exists():
        raise FileNotFoundError(f"{script}: carekg is not installed in this environment")
    return script


def _answers_http(host: str, port: int) -> bool:
    connection = http.client.HTTPConnection(host, port, timeout=2)
    try:
        connection.request("GET", "/sparql?query=ASK%7B%7D", headers={"Accept": "*/*"})
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def _stop(process: "subprocess.Popen[bytes]") -> None:
    """gunicorn's quick shutdown: SIGINT to the master, whose workers then get SIGQUIT and stop at once
    before it stops the query pool. Not the graceful SIGTERM, whose workers keep kept-alive connections
    open for seconds more (tests/test_serve.py stops a server that way once)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGINT)
        _wait_unreaped(process.pid, STOP_TIMEOUT_SECONDS)
        # The server runs in its own session, which the master, dead or alive, still names until it is
        # reaped: kill whatever is left of it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _wait_unreaped(pid: int, timeout: float) -> None:
    """Wait up to ``timeout`` for child ``pid`` to end, leaving it to be reaped (its pid stays ours)."""
    deadline = time.monotonic() + timeout
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)


class PortTaken(Exception):
    """The free port found was taken by another process before the server bound it."""


def _wait_until_ready(
    process: "subprocess.Popen[bytes]", command: list[str], server: RunningServer, log_path: Path
) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    # Our process must still be running once the port answers: another server may hold the port.
    while not (_answers_http(server.host, server.port) and process.poll() is None):
        if process.poll() is not None:
            log = log_path.read_text(errors="replace")
            if "Address already in use" in log:
                raise PortTaken(log)
            raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}:\n{log}")
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"{' '.join(command)} did not answer within {READY_TIMEOUT_SECONDS} s:\n"
                + log_path.read_text(errors="replace")
            )
        time.sleep(0.1)


@contextlib.contextmanager
def carekg_serve(
    extra_args: Sequence[str], log_path: Path, attempts: int = 3
) -> Iterator[RunningServer]:
    """`carekg serve --host 127.0.0.1 --port <free> <extra_args>`, yielded once it answers HTTP."""
    # A developer's CAREKG_* settings must not change what the tests see.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREKG_")}
    # Servers of the built-in graph share one store directory per test run, built by the first of
    # them (never a developer's ./.carekg/store, which may hold a build of older data or code).
    env["CAREKG_STORE"] = str(SESSION_STORE)
    for attempt in range(1, attempts + 1):
        server = RunningServer("127.0.0.1", free_loopback_port())
        command = [
            str(carekg_executable()),
            "serve",
            *("--host", server.host, "--port", str(server.port)),
            *extra_args,
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        server = dataclasses.replace(server, pid=process.pid)
        try:
            try:
                _wait_until_ready(process, command, server, log_path)
            except PortTaken:
                if attempt == attempts:
                    raise
                continue
            yield server
            return
        finally:
            _stop(process)
