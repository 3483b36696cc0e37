"""`carekg serve` bounds what one request can make it read, and says it serves only once it listens."""

import http.client
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from carekg_process import SESSION_STORE, RunningServer, carekg_executable, carekg_serve

from carekg.commands.serve import MAX_REQUEST_LINE_BYTES

pytestmark = pytest.mark.slow

LONG_LINE_BYTES = 2 * 1024 * 1024
# A bound on behaviour, not a speed goal: unbounded, a line this long held a worker far longer.
REFUSAL_SECONDS = 10.0


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve-limits") / "serve.log"


@pytest.fixture(scope="module")
def server(server_log: Path) -> Iterator[RunningServer]:
    with carekg_serve([], server_log) as running:
        yield running


def ten_kilobyte_query() -> str:
    """A real query of about 10 KB: a VALUES list of IRIs, none of them in the data."""
    values = " ".join(f"<https://example.org/thing/{i:05d}>" for i in range(300))
    query = f"SELECT (COUNT(?x) AS ?n) WHERE {{ VALUES ?x {{ {values} }} }}"
    assert 10_000 <= len(query) <= 11_000
    return query


def test_a_ten_kilobyte_get_query_is_answered(server: RunningServer) -> None:
    path = "/sparql?query=" + quote(ten_kilobyte_query(), safe="")
    assert len(path) > 8190  # longer than gunicorn's own ceiling
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": "text/csv"})
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()
    assert response.status == 200, body
    assert body.splitlines() == ["n", "300"]


def send_request_line(server: RunningServer, length: int) -> tuple[bytes, float]:
    """Send a GET whose request line is ``length`` bytes long; what came back and how long it took.

    The server may close the connection while the line is still being sent: sending stops there and
    the answer already received is read."""
    started = time.monotonic()
    head = (
        b"GET /sparql?query=" + b"A" * (length - len(b"GET /sparql?query= HTTP/1.1")) + b" HTTP/1.1"
    )
    with socket.create_connection((server.host, server.port), timeout=REFUSAL_SECONDS) as sock:
        try:
            for offset in range(0, len(head), 64 * 1024):
                sock.sendall(head[offset : offset + 64 * 1024])
            sock.sendall(b"\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    return answer, time.monotonic() - started


def test_a_two_megabyte_request_line_is_refused_with_a_4xx(server: RunningServer) -> None:
    answer, elapsed = send_request_line(server, LONG_LINE_BYTES)
    assert answer.startswith(b"HTTP/1.1 414 "), answer[:200]  # gunicorn's refusal, not the app's
    assert b"Request Line is too large" in answer
    assert elapsed < REFUSAL_SECONDS
    # the server goes on answering
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request("GET", "/sparql?query=ASK%7B%7D", headers={"Accept": "*/*"})
        assert connection.getresponse().status == 200
    finally:
        connection.close()


def test_a_request_line_that_never_ends_is_cut_off_at_the_bound(server: RunningServer) -> None:
    """Unbounded, gunicorn would wait for the end of the line, reading whatever came."""
    with socket.create_connection((server.host, server.port), timeout=REFUSAL_SECONDS) as sock:
        sock.sendall(b"GET /sparql?query=" + b"A" * (MAX_REQUEST_LINE_BYTES + 64 * 1024))
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 414 "), answer[:200]


def test_a_request_line_at_the_bound_reaches_the_app(server: RunningServer) -> None:
    answer, _ = send_request_line(server, MAX_REQUEST_LINE_BYTES)
    # the app reads the query (a malformed one: a run of "A"), so gunicorn let the line through
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"malformed query" in answer


def test_serving_is_announced_once_the_server_listens(
    server: RunningServer, server_log: Path
) -> None:
    log = server_log.read_text()
    assert log.index("Listening at") < log.index("carekg: serving")
    assert f"carekg: serving http://{server.host}:{server.port}/sparql" in log


def test_a_taken_port_is_never_announced_as_serving(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        # The tests' store of the built-in graph, never a developer's ./.carekg/store.
        command = [str(carekg_executable()), "serve", "--store", str(SESSION_STORE)]
        result = subprocess.run(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert "in use" in result.stderr
    assert "serving" not in result.stderr


def test_a_query_that_overflows_the_stack_is_400_on_the_real_server(server: RunningServer) -> None:
    """gunicorn's worker threads have fixed stacks; the query process forked from one must still
    fail as the client's mistake, and the worker keep serving."""
    query = "SELECT * WHERE { FILTER(" + "!" * 50_000 + "true) }"
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request(
            "POST", "/sparql", body=query, headers={"Content-Type": "application/sparql-query"}
        )
        response = connection.getresponse()
        body = response.read().decode()
        assert response.status == 400, body
        assert "too complex to evaluate" in body
        connection.request("GET", "/sparql?query=ASK%7B%7D", headers={"Accept": "*/*"})
        assert connection.getresponse().status == 200
    finally:
        connection.close()
