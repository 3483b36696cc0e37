"""Run a private Virtuoso (`virtuoso-t +foreground`) for tests, and stop it by its PID afterwards.

Each instance gets its own generated ``virtuoso.ini`` and database directory under a directory the caller
owns (a pytest ``tmp_path_factory`` directory), binds both its SQL port and its HTTP port to 127.0.0.1 on
free ports, and is yielded once its ``/sparql`` answers. On start-up the helper gives the ``dba`` account a
generated password and creates two accounts the way a publisher would set carekg up:

- a *loader* (``carekg_loader``) with the ``SPARQL_UPDATE`` role, for the Graph Store Protocol endpoint
  ``/sparql-graph-crud-auth`` and the SPARQL Update endpoint ``/sparql-auth`` (both HTTP digest auth);
- a *reader* (``carekg_reader``) with only ``SPARQL_SELECT``, for ``/sparql-auth`` queries; anonymous
  ``/sparql`` runs as Virtuoso's own ``SPARQL`` account, which also holds only ``SPARQL_SELECT``.

Use from a session fixture::

    @pytest.fixture(scope="session")
    def virtuoso(tmp_path_factory):
        try:
            ensure_virtuoso_installed()
        except VirtuosoUnavailable as reason:
            pytest.skip(str(reason))
        with start_virtuoso(tmp_path_factory.mktemp("virtuoso")) as running:
            yield running
"""

import contextlib
import ctypes
import dataclasses
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTALL_SCRIPT = REPO_ROOT / "scripts" / "install_virtuoso.sh"
SERVER_BINARY = "virtuoso-t"
ISQL_BINARY = "isql-vt"  # Debian's name for Virtuoso's isql (unixODBC's isql is another program)

READY_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 30.0
INSTALL_TIMEOUT_SECONDS = 900.0
ISQL_TIMEOUT_SECONDS = 300.0

# What virtuoso-t logs before exiting when its SQL or its HTTP port is taken (seen with 7.2.5).
PORT_TAKEN_SIGNS = ("Failed to start listening at SQL port", "Failed HTTP listen at")
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

LOADER_USER = "carekg_loader"
READER_USER = "carekg_reader"

# Virtuoso's shipped ini: "NumberOfBuffers = 170000 / MaxDirtyBuffers = 130000 if there is 2 GB system
# memory free" (each buffer caches one 8 KB page; about two thirds of the memory given to the buffer pool).
SHIPPED_BUFFERS, SHIPPED_DIRTY_BUFFERS, SHIPPED_MEGABYTES = 170000, 130000, 2048


class VirtuosoUnavailable(Exception):
    """Virtuoso is not installed and could not be installed here (the message says why)."""


@dataclass(frozen=True)
class VirtuosoSettings:
    """What the generated virtuoso.ini sets explicitly. Defaults suit the tests' small data."""

    buffer_memory_megabytes: int = 512
    result_set_max_rows: int = 10000
    max_query_execution_time_seconds: int = 60
    max_query_cost_estimation_time_seconds: int = 400
    threads_per_query: int = 2  # the machine has two cores
    max_client_connections: int = 20
    http_server_threads: int = 10
    checkpoint_interval_minutes: int = 60

    @property
    def number_of_buffers(self) -> int:
        return max(2000, self.buffer_memory_megabytes * SHIPPED_BUFFERS // SHIPPED_MEGABYTES)

    @property
    def max_dirty_buffers(self) -> int:
        return self.number_of_buffers * SHIPPED_DIRTY_BUFFERS // SHIPPED_BUFFERS


@dataclass(frozen=True)
class Account:
    user: str
    password: str


@dataclass(frozen=True)
class RunningVirtuoso:
    host: str
    sql_port: int
    http_port: int
    pid: int
    directory: (
        Path  # holds virtuoso.ini, db/ (database, transaction log, virtuoso.log) and stdout.log
    )
    dba: Account
    loader: Account  # SPARQL_UPDATE: Graph Store Protocol and SPARQL Update
    reader: Account  # SPARQL_SELECT only

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def query_endpoint(self) -> str:
        """Anonymous SPARQL queries (Virtuoso's `SPARQL` account: SPARQL_SELECT only)."""
        return self.base_url + "/sparql"

    @property
    def authenticated_query_endpoint(self) -> str:
        """Queries (and, for an account with SPARQL_UPDATE, updates) with HTTP digest auth."""
        return self.base_url + "/sparql-auth"

    @property
    def update_endpoint(self) -> str:
        """SPARQL 1.1 Update: POST ``update=...`` with digest auth as :attr:`loader`."""
        return self.authenticated_query_endpoint

    @property
    def graph_store_endpoint(self) -> str:
        """SPARQL 1.1 Graph Store Protocol (``?graph-uri=`` or ``?default``), digest auth as :attr:`loader`."""
        return self.base_url + "/sparql-graph-crud-auth"

    @property
    def public_graph_store_endpoint(self) -> str:
        """The Graph Store Protocol without auth: reads answer, writes are refused."""
        return self.base_url + "/sparql-graph-crud"

    @property
    def database_directory(self) -> Path:
        return self.directory / "db"

    @property
    def log_path(self) -> Path:
        return self.database_directory / "virtuoso.log"

    def isql(self, sql: str, account: Account | None = None) -> str:
        """Run SQL statements (each ending in ``;``) through isql-vt; raise on any error."""
        return run_isql(self.host, self.sql_port, account or self.dba, sql)


# ---------------------------------------------------------------- installing


def virtuoso_installed() -> bool:
    return shutil.which(SERVER_BINARY) is not None and shutil.which(ISQL_BINARY) is not None


def ensure_virtuoso_installed() -> None:
    """Install Debian's virtuoso-opensource through scripts/install_virtuoso.sh when it is missing."""
    if virtuoso_installed():
        return
    try:
        result = subprocess.run(
            ["bash", str(INSTALL_SCRIPT)],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise VirtuosoUnavailable(f"{INSTALL_SCRIPT.name} could not run: {error}") from error
    if result.returncode != 0 or not virtuoso_installed():
        output = (result.stderr or result.stdout).strip().splitlines()
        reason = output[-1] if output else f"exit status {result.returncode}"
        raise VirtuosoUnavailable(f"Virtuoso cannot be installed: {reason}")


# ---------------------------------------------------------------- the ini


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def virtuoso_ini(
    directory: Path, host: str, sql_port: int, http_port: int, settings: VirtuosoSettings
) -> str:
    """The text of a virtuoso.ini whose every file lies under ``directory``."""
    db = directory / "db"
    return f"""\
; Generated by tests/virtuoso_process.py for a private test instance.
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = {host}:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = {settings.max_client_connections}
CheckpointInterval   = {settings.checkpoint_interval_minutes}
O_DIRECT             = 0
CaseMode             = 2
AllowOSCalls         = 0
; files the server may read (DB.DBA.TTLP over file_to_string, the bulk loader's ld_dir)
DirsAllowed          = ., {directory}
ThreadsPerQuery      = {settings.threads_per_query}
NumberOfBuffers      = {settings.number_of_buffers}
MaxDirtyBuffers      = {settings.max_dirty_buffers}

[HTTPServer]
ServerPort           = {host}:{http_port}
ServerRoot           = {directory}/vsp
MaxClientConnections = {settings.max_client_connections}
ServerThreads        = {settings.http_server_threads}
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
Charset              = UTF-8
EnabledGzipContent   = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = {settings.result_set_max_rows}
MaxQueryExecutionTime      = {settings.max_query_execution_time_seconds}
MaxQueryCostEstimationTime = {settings.max_query_cost_estimation_time_seconds}
"""


# ---------------------------------------------------------------- isql


class IsqlError(Exception):
    """isql-vt reported an error (the message holds its output)."""


def run_isql(host: str, port: int, account: Account, sql: str) -> str:
    """Run ``sql`` through isql-vt, fed on standard input; raise :class:`IsqlError` on any error.

    isql-vt exits 0 after a failed statement when reading standard input, so its output is checked too.
    """
    isql = shutil.which(ISQL_BINARY)
    if isql is None:
        raise VirtuosoUnavailable(f"{ISQL_BINARY} not found")
    result = subprocess.run(
        [
            isql,
            f"{host}:{port}",
            account.user,
            account.password,
            "VERBOSE=OFF",
            "BANNER=OFF",
            "PROMPT=OFF",
        ],
        input=sql + "\nEXIT;\n",
        capture_output=True,
        text=True,
        timeout=ISQL_TIMEOUT_SECONDS,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 or "*** Error" in output:
        raise IsqlError(f"isql-vt exited {result.returncode}:\n{output}")
    return result.stdout


def account_setup_sql(dba: Account, loader: Account, reader: Account) -> str:
    """The statements that secure a fresh database and create carekg's loading and serving accounts.

    The same statements set a publisher's Virtuoso up (run once as dba in isql): the loader may write
    through SPARQL (Graph Store Protocol and Update: the SPARQL_UPDATE role), the reader may only query.
    """
    return f"""\
DB.DBA.USER_CREATE('{loader.user}', '{loader.password}');
GRANT SPARQL_UPDATE TO "{loader.user}";
DB.DBA.USER_CREATE('{reader.user}', '{reader.password}');
GRANT SPARQL_SELECT TO "{reader.user}";
USER_SET_PASSWORD('dba', '{dba.password}');
CHECKPOINT;
"""


# ---------------------------------------------------------------- HTTP


@dataclass(frozen=True)
class Response:
    status: int
    headers: Message
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _plain_request(
    method: str, url: str, body: bytes | None, headers: Mapping[str, str], timeout: float
) -> Response:
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def digest_authorization(method: str, url: str, account: Account, timeout: float = 30.0) -> str:
    """An ``Authorization`` header for one request, from the challenge a body-less probe gets.

    urllib's digest handler sends the body first and answers the challenge afterwards; Virtuoso resets
    the connection on a large unauthenticated body (seen with a 10 MB PUT), so the challenge is fetched
    with a GET that carries no body and changes nothing.
    """
    probe = _plain_request("GET", url, None, {}, timeout)
    challenge = probe.header("WWW-Authenticate") or ""
    if probe.status != 401 or not challenge.lower().startswith("digest "):
        raise RuntimeError(f"{url}: expected a digest challenge, got {probe.status} {challenge!r}")
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[7:]))
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, account.user, account.password)
    handler = urllib.request.HTTPDigestAuthHandler(passwords)
    authorization = handler.get_authorization(urllib.request.Request(url, method=method), fields)
    if not authorization:
        raise RuntimeError(f"{url}: cannot answer the digest challenge {challenge!r}")
    return f"Digest {authorization}"


def http_request(
    method: str,
    url: str,
    *,
    params: Mapping[str, str] | None = None,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    account: Account | None = None,
    timeout: float = 120.0,
) -> Response:
    """One HTTP request (digest auth when ``account`` is given); HTTP errors are returned, not raised."""
    if params:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
    all_headers = dict(headers or {})
    if account is not None:
        all_headers["Authorization"] = digest_authorization(method, url, account)
    return _plain_request(method, url, body, all_headers, timeout)


def sparql_query(
    endpoint: str,
    query: str,
    accept: str = "application/sparql-results+json",
    *,
    account: Account | None = None,
    extra: Mapping[str, str] | None = None,
    timeout: float = 120.0,
) -> Response:
    """A SPARQL query by POST form (``extra`` adds parameters such as Virtuoso's ``timeout``)."""
    form = urllib.parse.urlencode({"query": query, **(extra or {})}).encode()
    return http_request(
        "POST",
        endpoint,
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        account=account,
        timeout=timeout,
    )


def sparql_update(endpoint: str, update: str, account: Account | None) -> Response:
    """A SPARQL 1.1 Update by POST form (digest auth when ``account`` is given)."""
    form = urllib.parse.urlencode({"update": update}).encode()
    return http_request(
        "POST",
        endpoint,
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        account=account,
    )


def graph_store_put(
    running: RunningVirtuoso, graph: str, turtle: bytes, account: Account | None = None
) -> Response:
    """Replace ``graph`` with the Turtle given (Graph Store Protocol PUT, digest auth)."""
    return http_request(
        "PUT",
        running.graph_store_endpoint,
        params={"graph-uri": graph},
        body=turtle,
        headers={"Content-Type": "text/turtle"},
        account=account or running.loader,
    )


# ---------------------------------------------------------------- the process


def _answers_sparql(host: str, port: int) -> bool:
    try:
        answer = http_request(
            "GET", f"http://{host}:{port}/sparql", params={"query": "ASK {}"}, timeout=2
        )
    except OSError:
        return False
    return answer.status == 200


def _log_text(directory: Path) -> str:
    parts = []
    for path in (directory / "stdout.log", directory / "db" / "virtuoso.log"):
        if path.exists():
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')}")
    return "\n".join(parts)


def _wait_until_ready(process: "subprocess.Popen[bytes]", host: str, http_port: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    # Our process must still be running once the port answers: another server may hold the port.
    while not (_answers_sparql(host, http_port) and process.poll() is None):
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"virtuoso-t did not answer within {READY_TIMEOUT_SECONDS} s")
        time.sleep(0.1)


def stop_by_pid(process: "subprocess.Popen[bytes]") -> None:
    """SIGTERM (Virtuoso shuts down quickly on it), then SIGKILL if it has not gone in time."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait()


def _die_with_parent() -> None:
    """In the child before exec: Linux sends SIGTERM to Virtuoso if the test process dies first."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _new_account(user: str) -> Account:
    return Account(user, secrets.token_hex(12))


def _launch(server: str, instance: Path) -> "subprocess.Popen[bytes]":
    with (instance / "stdout.log").open("ab") as log:
        return subprocess.Popen(
            [server, "+foreground", "+configfile", str(instance / "virtuoso.ini")],
            cwd=instance,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


@contextlib.contextmanager
def start_virtuoso(
    directory: Path, settings: VirtuosoSettings | None = None, attempts: int = 3
) -> Iterator[RunningVirtuoso]:
    """A private ``virtuoso-t +foreground`` on a fresh database under ``directory``, until the block ends."""
    settings = settings or VirtuosoSettings()
    server = shutil.which(SERVER_BINARY)
    if server is None:
        raise VirtuosoUnavailable(f"{SERVER_BINARY} not found (run {INSTALL_SCRIPT.name})")
    host = "127.0.0.1"
    for attempt in range(1, attempts + 1):
        instance = directory / f"instance-{attempt}"
        (instance / "db").mkdir(parents=True)
        (instance / "vsp").mkdir()
        sql_port, http_port = free_loopback_port(), free_loopback_port()
        while http_port == sql_port:
            http_port = free_loopback_port()
        (instance / "virtuoso.ini").write_text(
            virtuoso_ini(instance, host, sql_port, http_port, settings)
        )
        process = _launch(server, instance)
        try:
            try:
                _wait_until_ready(process, host, http_port)
            except RuntimeError as error:
                log_text = _log_text(instance)
                if attempt < attempts and any(sign in log_text for sign in PORT_TAKEN_SIGNS):
                    continue  # another process took a port between our look and Virtuoso's bind
                raise RuntimeError(f"{error}\n{log_text}") from error
            except TimeoutError as error:
                raise TimeoutError(f"{error}\n{_log_text(instance)}") from error
            dba = _new_account("dba")
            loader, reader = _new_account(LOADER_USER), _new_account(READER_USER)
            # A fresh database's dba password is "dba": replace it before anything else runs.
            run_isql(host, sql_port, Account("dba", "dba"), account_setup_sql(dba, loader, reader))
            yield RunningVirtuoso(
                host=host,
                sql_port=sql_port,
                http_port=http_port,
                pid=process.pid,
                directory=instance,
                dba=dba,
                loader=loader,
                reader=reader,
            )
            return
        finally:
            stop_by_pid(process)


def kill_hard(running: RunningVirtuoso, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """SIGKILL the instance (a crash: no checkpoint, no shutdown) and wait until it has gone."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(running.pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while process_alive(running.pid):
        if time.monotonic() > deadline:
            raise TimeoutError(f"virtuoso-t {running.pid} still running {timeout} s after SIGKILL")
        time.sleep(0.05)


@contextlib.contextmanager
def restarted(stopped: RunningVirtuoso) -> Iterator[RunningVirtuoso]:
    """The same instance (database, ini, ports, accounts) started again after it stopped or was killed.

    Virtuoso replays its transaction log on start-up: what was committed before a kill comes back.
    """
    if process_alive(stopped.pid):
        raise RuntimeError(f"virtuoso-t {stopped.pid} is still running")
    server = shutil.which(SERVER_BINARY)
    if server is None:
        raise VirtuosoUnavailable(f"{SERVER_BINARY} not found")
    process = _launch(server, stopped.directory)
    try:
        try:
            _wait_until_ready(process, stopped.host, stopped.http_port)
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{error}\n{_log_text(stopped.directory)}") from error
        yield dataclasses.replace(stopped, pid=process.pid)
    finally:
        stop_by_pid(process)


def process_alive(pid: int) -> bool:
    """Whether a process with this id still exists (and is not a zombie)."""
    status = Path(f"/proc/{pid}/status")
    try:
        text = status.read_text()
    except OSError:
        return False
    return "State:\tZ" not in text


__all__ = [
    "Account",
    "IsqlError",
    "Response",
    "RunningVirtuoso",
    "VirtuosoSettings",
    "VirtuosoUnavailable",
    "ensure_virtuoso_installed",
    "graph_store_put",
    "http_request",
    "kill_hard",
    "process_alive",
    "restarted",
    "run_isql",
    "sparql_query",
    "sparql_update",
    "start_virtuoso",
    "stop_by_pid",
]
