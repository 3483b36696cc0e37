"""Run a SPARQL query and serialize its result, in-process or in a child process with a real timeout.

pyoxigraph cannot cancel a query (evaluation happens inside iteration and one aggregate may compute for
hours before its first row), so ``run_query_with_timeout`` forks: the child inherits the in-memory store
copy-on-write, evaluates and serializes, and writes a one-line JSON header plus the body to a pipe. The
parent reads the whole answer before it responds, so that the deadline can still become a 503 and
the answer can be cached (the row cap bounds its size); at the deadline it kills the child. The child
also arms its own alarm, so it dies even if its parent does. A child that dies of a crash signal
before the deadline overflowed its stack on a query nested or chained too deep (the lexical scan
catches brackets; long chains of operators, UNIONs or path steps nest inside the engine): that is the
client's to fix. A child killed outright (the kernel's OOM killer) is the server's trouble.
"""

import contextlib
import json
import os
import re
import resource
import select
import signal
import time
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ..errors import CarekgError
from ..rdf.formats import MediaType, by_name
from .results import FormatCannotHold, Serialized, UnproducibleFormat, write_result
from .scan import QueryTooComplex, scan_query

_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_MAX_MESSAGE = 600
_CHILD_GRACE_SECONDS = 2.0  # the child's own alarm fires this long after the parent's deadline
# How a process dies when evaluation overflows its stack (Rust aborts on a detected overflow).
_STACK_OVERFLOW_SIGNALS = frozenset({signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT})
# The child's stack may grow no further than this (Linux's usual default), even where the shell's
# limit is higher or unlimited: a query nested too deep then fails the same way everywhere, and soon.
_CHILD_STACK_BYTES = 8 * 1024 * 1024


class QuerySyntaxError(CarekgError):
    """A query the parser rejects, with the line and column of the error where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(
            f"malformed query at {where}{message}" if where else f"malformed query: {message}"
        )


class QueryTimeout(CarekgError):
    """The query did not finish within the time allowed; its evaluation was stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(
            f"the query did not finish within {seconds:g} s and was stopped; "
            "narrow it (fewer patterns, a LIMIT, more specific terms) and try again"
        )


class QueryFailed(CarekgError):
    """The query parsed but its evaluation failed on I/O (e.g. a SERVICE that could not be reached)."""


class QueryCrashed(CarekgError):
    """The query process failed in a way that is no fault of the query (a bug, memory exhausted)."""


class QueryOutOfMemory(CarekgError):
    """The query needed more memory than a query process may use."""

    def __init__(self) -> None:
        super().__init__(
            "the query needed more memory than a query may use on this server and was stopped; "
            "narrow it (a LIMIT, fewer or more specific patterns) and try again"
        )


class InvalidDatasetIri(CarekgError):
    """A protocol graph or the base IRI given with the query is not an absolute IRI."""


@dataclass(frozen=True)
class QueryJob:
    """One query to run: its text, the protocol dataset, and the formats wanted for each result kind."""

    query: str
    results_type: MediaType | None  # for SELECT and ASK; None: nothing acceptable
    graph_type: MediaType | None  # for CONSTRUCT and DESCRIBE; None: nothing acceptable
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    max_rows: int = 10000
    prefixes: tuple[tuple[str, str], ...] = ()  # for Turtle/TriG output only, never for parsing
    # Whether the query names its own dataset (FROM / FROM NAMED), when the caller has scanned it
    # already (None: scan it again where it runs).
    names_dataset: bool | None = None


def job_to_json(job: QueryJob) -> dict[str, object]:
    """The job as JSON, for a query process in another interpreter (formats by their short names)."""
    return {
        "query": job.query,
        "results_type": job.results_type.name if job.results_type else None,
        "graph_type": job.graph_type.name if job.graph_type else None,
        "default_graphs": list(job.default_graphs),
        "named_graphs": list(job.named_graphs),
        "base_iri": job.base_iri,
        "max_rows": job.max_rows,
        "prefixes": [list(pair) for pair in job.prefixes],
        "names_dataset": job.names_dataset,
    }


def job_from_json(data: dict[str, Any]) -> QueryJob:
    return QueryJob(
        query=data["query"],
        results_type=by_name(data["results_type"]) if data["results_type"] else None,
        graph_type=by_name(data["graph_type"]) if data["graph_type"] else None,
        default_graphs=tuple(data["default_graphs"]),
        named_graphs=tuple(data["named_graphs"]),
        base_iri=data["base_iri"],
        max_rows=data["max_rows"],
        prefixes=tuple((prefix, iri) for prefix, iri in data["prefixes"]),
        names_dataset=data.get("names_dataset"),
    )


def dataset_options(job: QueryJob) -> dict[str, object]:
    """The pyoxigraph dataset arguments: the protocol's graphs win, then the query's FROM clauses,
    else the default graph is the union of all graphs."""
    if job.default_graphs or job.named_graphs:
        return {
            "default_graph": [ox.NamedNode(g) for g in job.default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs],
        }
    names_dataset = job.names_dataset
    if names_dataset is None:
        names_dataset = scan_query(job.query, job.base_iri).names_dataset
    if names_dataset:
        return {}
    return {"use_default_graph_as_union": True}


def run_query(store: ox.Store, job: QueryJob) -> Serialized:
    """Evaluate and serialize in this process, with no time limit: what the child process of
    ``run_query_with_timeout`` runs (and that function itself where there is no fork)."""
    check_dataset_iris(job)
    options = dataset_options(job)
    try:
        result = store.query(job.query, base_iri=job.base_iri, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise syntax_error(exc) from None
    # Evaluation is lazy: it happens while the result is written; an OSError on the way is the
    # evaluation's (a SERVICE that failed), since write_result reports a refusing serializer itself.
    try:
        return write_result(
            result, job.results_type, job.graph_type, job.max_rows, dict(job.prefixes)
        )
    except OSError as exc:
        raise QueryFailed(f"the query failed: {exc}") from None


def check_dataset_iris(job: QueryJob) -> None:
    """Raise InvalidDatasetIri for a protocol graph or base IRI that is not an absolute IRI (the
    endpoint's protocol checks refuse these first; the CLI's options arrive here unchecked)."""
    named = [("default graph", g) for g in job.default_graphs]
    named += [("named graph", g) for g in job.named_graphs]
    for what, iri in named:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise InvalidDatasetIri(f"the {what} {iri!r} is not an absolute IRI: {exc}") from None
    if job.base_iri is not None:
        try:
            ox.NamedNode(job.base_iri)
        except ValueError as exc:
            raise InvalidDatasetIri(
                f"the base IRI {job.base_iri!r} is not an absolute IRI: {exc}"
            ) from None


def syntax_error(exc: SyntaxError) -> QuerySyntaxError:
    message = str(exc.msg)
    match = _POSITION.match(message)
    line = column = None
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[match.end() :]
    elif exc.lineno is not None:
        line, column = exc.lineno, exc.offset
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + "…"
    return QuerySyntaxError(message, line, column)


def run_query_with_timeout(store: ox.Store, job: QueryJob, timeout: float) -> Serialized:
    """Evaluate and serialize in a forked child; kill it and raise QueryTimeout at the deadline."""
    if not hasattr(os, "fork"):  # pragma: no cover - carekg serves from Linux
        return run_query(store, job)
    check_dataset_iris(job)  # here, so that the refusal is not lost in the child
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError as exc:  # out of processes or memory: the server's trouble, not the query's
        os.close(read_fd)
        os.close(write_fd)
        raise QueryCrashed(f"could not start a process for the query: {exc}") from None
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        _child(store, job, timeout, read_fd, write_fd)
    os.close(write_fd)
    finished = False
    status = 0
    try:
        payload = _read_until(read_fd, time.monotonic() + timeout)
        finished = payload is not None
    finally:
        os.close(read_fd)
        if not finished:
            _kill(pid)
        status = _reap(pid)
    if payload is None:
        raise QueryTimeout(timeout)
    if b"\n" not in payload:  # the child died before it could answer
        raise death_error(status)
    return decode_answer(payload)


def death_error(status: int, last_words: str = "") -> CarekgError:
    """The error for a query process that ended without an answer, from its wait status and the last
    lines it wrote to its standard error, where known (Rust aborts both on a stack overflow and on a
    failed allocation: what it printed tells them apart)."""
    if "memory allocation" in last_words or "out of memory" in last_words.lower():
        return QueryOutOfMemory()
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in _STACK_OVERFLOW_SIGNALS:
        return QueryTooComplex(
            "its evaluation overflowed the stack; use fewer nested groups and shorter chains of "
            "operators, UNIONs or path steps"
        )
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return QueryCrashed(
            f"the query process was stopped by {name} (it may have run out of memory)"
        )
    return QueryCrashed("the query process ended without an answer")


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything written to ``fd`` until end of file, or None if the deadline passes first."""
    chunks: list[bytes] = []
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        if not poller.poll(remaining * 1000):  # poll, not select: descriptors may pass 1023
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int) -> int:
    """Wait for the child; its wait status (0 if it was already reaped)."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def _child(
    store: ox.Store, job: QueryJob, timeout: float, read_fd: int, write_fd: int
) -> None:  # pragma: no cover
    """Run in the forked child: answer through ``write_fd`` and exit without running any cleanup
    inherited from the parent (server hooks, atexit handlers, pytest)."""
    try:
        os.close(read_fd)
        # Drop every inherited descriptor (other requests' sockets, the listening socket) so that
        # a connection the parent closes is not held open by this child.
        os.closerange(3, write_fd)
        os.closerange(write_fd + 1, _max_fd())
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, timeout + _CHILD_GRACE_SECONDS)
        limit_query_process()
        with os.fdopen(write_fd, "wb") as out:
            out.write(encode_answer(store, job))
    finally:
        os._exit(0)


def encode_answer(store: ox.Store, job: QueryJob) -> bytes:
    """The job's answer as a query process sends it: a one-line JSON header, then the body. Every
    refusal travels in the header, so that ``decode_answer`` raises the same error on the other side."""
    body = b""
    try:
        outcome = run_query(store, job)
        header: dict[str, object] = {
            "status": "ok",
            "kind": outcome.kind,
            "media_type": outcome.media_type.name,
            "rows": outcome.rows,
            "truncated": outcome.truncated,
        }
        body = outcome.body
    except QueryTooComplex as exc:
        header = {"status": "complex", "reason": exc.reason, "line": exc.line, "column": exc.column}
    except QuerySyntaxError as exc:
        header = {
            "status": "syntax",
            "message": exc.message,
            "line": exc.line,
            "column": exc.column,
        }
    except FormatCannotHold as exc:
        header = {
            "status": "cannot_hold",
            "kind": exc.kind,
            "media_type": exc.media_type.name,
            "reason": exc.reason,
        }
    except UnproducibleFormat as exc:
        header = {"status": "unproducible", "kind": exc.kind}
    except MemoryError:
        header = {"status": "memory"}
    except Exception as exc:  # anything else still reaches the other side as a message
        header = {"status": "failed", "message": str(exc) or type(exc).__name__}
        if isinstance(exc, QueryFailed):
            header["status"] = "io"
    return json.dumps(header).encode("utf-8") + b"\n" + body


def limit_query_process(memory_bytes: int = 0) -> None:  # pragma: no cover - query processes
    """No core files, a bounded stack, and at most ``memory_bytes`` of address space (0: no limit)."""
    # A crash (a stack overflow on a deep query) must not leave a core file per request.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    if soft == resource.RLIM_INFINITY or soft > _CHILD_STACK_BYTES:
        resource.setrlimit(resource.RLIMIT_STACK, (_CHILD_STACK_BYTES, hard))


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (ValueError, OSError):  # pragma: no cover
        return 65536


def decode_answer(payload: bytes) -> Serialized:
    """The Serialized result of an ``encode_answer`` payload, or the error it carries."""
    line, _, body = payload.partition(b"\n")
    header = json.loads(line)
    status = header["status"]
    if status == "syntax":
        raise QuerySyntaxError(header["message"], header["line"], header["column"])
    if status == "complex":
        raise QueryTooComplex(header["reason"], header["line"], header["column"])
    if status == "cannot_hold":
        raise FormatCannotHold(header["kind"], by_name(header["media_type"]), header["reason"])
    if status == "unproducible":
        raise UnproducibleFormat(header["kind"])
    if status == "io":
        raise QueryFailed(header["message"])
    if status == "memory":
        raise QueryOutOfMemory()
    if status != "ok":
        raise QueryCrashed(f"the query process failed: {header['message']}")
    return Serialized(
        body=body,
        media_type=by_name(header["media_type"]),
        kind=header["kind"],
        rows=header["rows"],
        truncated=header["truncated"],
    )
