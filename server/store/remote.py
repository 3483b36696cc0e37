"""A build served by a remote SPARQL 1.1 engine (Virtuoso first): its data in the engine, its dumps,
validation report and manifest in the store directory, as ``carekg build --into`` wrote them.

Every query is pinned to carekg's graphs of the live build: the default graph is their union (the
engine's own default graph would be every graph it holds, system graphs included) and ``GRAPH ?g``
ranges over them only, by the protocol's ``default-graph-uri`` / ``named-graph-uri`` (always both:
given one alone, Virtuoso ranges ``GRAPH ?g`` over every graph). The default graph is sent as the
build's union graph (loaded with it; it leaves out the inferred graph, sent beside it, so that the
asserted graphs too are one graph), and the named graphs only to a query with a GRAPH pattern: Virtuoso 7.2 compiles each graph listed in about a millisecond, so listing a 1M-triple
build's 2,383 graphs made a ten-row query take half a second. carekg's own reads over all its graphs
name none and filter by the build's versioned-name prefix instead. The graphs carry versioned names in
the engine (carekg.store.engine_manifest); the query's text and the results are renamed on the way
(carekg.sparql.renaming), so a client only ever sees carekg's public graph names.

The engine's traps, handled here rather than passed on: a result the engine cut at its row limit
(Virtuoso's ``ResultSetMaxRows``, announced only by ``X-SPARQL-MaxRows``, or not at all for graphs)
is announced as truncated; an "anytime" partial answer (``X-SQL-State: S1TAT``, or 206) and the
engine's own timeout are 503s; blank-node labels the engine writes as IRIs (``nodeID://…``) are
relabelled; the timeout is an HTTP timeout, never the engine's ``timeout`` parameter.
"""

import json
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Generic, TypeVar

import pyoxigraph as ox

from ..errors import CarekgError
from ..sparql.execution import (
    QueryFailed,
    QueryJob,
    QuerySyntaxError,
    QueryTimeout,
    check_dataset_iris,
    syntax_error,
)
from ..sparql.renaming import NO_GRAPH, RenamedQuery, rename_query
from ..sparql.results import Serialized, WritableResult, write_result
from ..sparql.scan import scan_query
from .built import BuiltStore
from .engine_manifest import (
    MANIFEST_GRAPH,
    MANIFEST_PREDICATE,
    MANIFEST_QUERY,
    MANIFEST_SUBJECT,
    EngineManifest,
)
from .manifest import BUILDS_FOLDER, Lease, NoBuildError
from .protocol import GraphName, QueryResult, Subject, Term
from .sparql_client import N_TRIPLES, RESULTS_JSON, EngineTimeout, Reply, SparqlClient

log = logging.getLogger(__name__)

IN_APP_TIMEOUT_SECONDS = 60.0  # pages' and counts' own queries
MEMO_ENTRIES = 50_000  # answers to carekg's own queries remembered per build (pages re-ask them)
MANIFEST_TIMEOUT_SECONDS = 10.0
PARTIAL_STATE = "S1TAT"  # Virtuoso's SQL state of an "anytime" (partial) answer
TIMEOUT_STATE = "S1T00"  # Virtuoso's SQL state of a query stopped at MaxQueryExecutionTime
TOO_SLOW_SIGN = (
    "The estimated execution time"  # Virtuoso's refusal beyond MaxQueryCostEstimationTime
)
_UNSAFE_LABEL = re.compile(r"[^A-Za-z0-9_]")
ENGINE_CUT_HEADER = "X-SPARQL-MaxRows"  # Virtuoso's only sign that it cut a result at its limit
Remembered = TypeVar("Remembered")


class NoEngineBuild(NoBuildError):
    """The engine holds no carekg manifest, or it names a build the store directory lacks."""


class PartialAnswer(QueryTimeout):
    """The engine answered only part of the result (its "anytime" mode): refused, never passed on."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.args = (
            "the SPARQL engine stopped the query before it finished and offered a partial result, "
            "which carekg does not pass on; narrow the query (fewer patterns, a LIMIT) and try again",
        )


_STRING_TYPES = frozenset(
    {
        "http://www.w3.org/2001/XMLSchema#string",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    }
)


class CanonicalLiterals:
    """Typed literals as the embedded store gives them back: Oxigraph keeps a canonical form (``true``
    for Virtuoso's ``"1"^^xsd:boolean``; ``xsd:integer`` for every type derived from it, where
    Virtuoso keeps ``xsd:nonNegativeInteger``), so both backends answer the same terms."""

    def __init__(self, entries: int = 10_000):
        self.entries = entries
        self._known: dict[tuple[str, str], tuple[str, str]] = {}
        self._lock = threading.Lock()

    def canonical(self, value: str, datatype: str) -> tuple[str, str]:
        key = (value, datatype)
        found = self._known.get(key)
        if found is None:
            scratch = ox.Store()
            literal = ox.Literal(value, datatype=ox.NamedNode(datatype))
            scratch.add(ox.Quad(MANIFEST_SUBJECT, MANIFEST_PREDICATE, literal))
            stored = next(iter(scratch)).object
            assert isinstance(stored, ox.Literal)
            found = (stored.value, stored.datatype.value)
            with self._lock:
                if len(self._known) >= self.entries:
                    self._known.clear()
                self._known[key] = found
        return found


class EstimatedTooSlow(QueryTimeout):
    """The engine refused to start a query it estimated would run past its own time limit."""

    def __init__(self, engine_message: str):
        super().__init__(0)
        self.args = (
            "the SPARQL engine estimated that the query would run past its time limit and did not "
            f"start it ({engine_message}); narrow it (fewer patterns, a LIMIT) and try again",
        )


class GraphNames:
    """The renaming between carekg's public graph IRIs and a build's versioned names in the engine."""

    def __init__(self, manifest: EngineManifest):
        self.literals = CanonicalLiterals()
        self.to_engine = dict(manifest.graphs)
        self.from_engine = {v: k for k, v in manifest.graphs.items()}
        self.default = manifest.default

    def engine_term(self, term: Any) -> Any:
        if isinstance(term, ox.NamedNode) and term.value in self.to_engine:
            return ox.NamedNode(self.to_engine[term.value])
        return term

    def public_term(self, term: Any) -> Any:
        if isinstance(term, ox.NamedNode) and term.value in self.from_engine:
            return ox.NamedNode(self.from_engine[term.value])
        if isinstance(term, ox.Literal):
            if term.value in self.from_engine:
                return ox.Literal(self.from_engine[term.value], datatype=term.datatype)
            if term.language is None and term.datatype.value not in _STRING_TYPES:
                value, datatype = self.literals.canonical(term.value, term.datatype.value)
                return ox.Literal(value, datatype=ox.NamedNode(datatype))
        return term

    def engine_quad(self, quad: ox.Quad) -> ox.Quad:
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode):
            engine_graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph = ox.NamedNode(
                self.to_engine[graph.value]
            )
        else:
            assert self.default is not None
            engine_graph = ox.NamedNode(self.default)
        return ox.Quad(
            self.engine_term(quad.subject),
            quad.predicate,
            self.engine_term(quad.object),
            engine_graph,
        )

    def public_triple(self, triple: ox.Triple) -> ox.Triple:
        return ox.Triple(
            self.public_term(triple.subject), triple.predicate, self.public_term(triple.object)
        )

    def public_json_results(self, body: bytes) -> bytes:
        """SPARQL JSON results with versioned names made public and blank-node labels made safe."""
        data = json.loads(body)
        for row in data.get("results", {}).get("bindings", []):
            for cell in row.values():
                kind, value = cell.get("type"), cell.get("value")
                if kind in ("uri", "literal", "typed-literal") and value in self.from_engine:
                    cell["value"] = self.from_engine[value]
                elif "datatype" in cell and cell["datatype"] not in _STRING_TYPES:
                    cell["value"], cell["datatype"] = self.literals.canonical(
                        value, cell["datatype"]
                    )
                elif kind == "bnode":
                    cell["value"] = safe_label(value)
        return json.dumps(data).encode("utf-8")


def with_no_graph(named: Sequence[str]) -> list[str]:
    """The named graphs to send: always NO_GRAPH among them. Given ``GRAPH <g>`` for a graph outside
    the named graphs, Virtuoso 7.2 answers ASK with true and COUNT(*) with 1 whatever ``g`` holds; a
    foreign ``g`` is renamed NO_GRAPH (carekg.sparql.renaming), which is then inside, and empty."""
    return [*dict.fromkeys([*named, NO_GRAPH])]


def safe_label(label: str) -> str:
    """A blank-node label pyoxigraph accepts for one the engine wrote (Virtuoso: ``nodeID://b1``)."""
    return _UNSAFE_LABEL.sub("_", label.removeprefix("nodeID://"))


def read_engine_manifest(client: SparqlClient) -> EngineManifest | None:
    """The engine's manifest, or None where it holds none (or none can be read just now)."""
    reply = client.query(
        MANIFEST_QUERY,
        RESULTS_JSON,
        MANIFEST_TIMEOUT_SECONDS,
        default_graphs=[NO_GRAPH],
        named_graphs=[MANIFEST_GRAPH],
    )
    if reply.status != 200:
        raise CarekgError(
            f"{client.query_url}: reading carekg's manifest failed with {reply.status}: "
            f"{reply.text[:300]}"
        )
    bindings = json.loads(reply.body).get("results", {}).get("bindings", [])
    if not bindings:
        return None
    try:
        return EngineManifest.from_json(bindings[0]["m"]["value"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CarekgError(f"{client.query_url}: carekg's manifest is unreadable: {exc}") from None


class RemoteStore(BuiltStore):
    """One build, its data served by a remote engine; dumps and report from its build folder."""

    def __init__(
        self,
        store_dir: Path,
        client: SparqlClient,
        engine_manifest: EngineManifest,
        engine_max_rows: int = 0,
    ):
        build = store_dir.resolve() / BUILDS_FOLDER / engine_manifest.build
        if not build.is_dir():
            raise NoEngineBuild(
                f"the engine at {client.query_url} serves carekg build {engine_manifest.build}, "
                f"which is not in {store_dir}: serve with the --store directory that "
                "`carekg build --into` wrote"
            )
        super().__init__(build, pool=None, store_dir=store_dir)
        self.client = client
        self.engine_manifest = engine_manifest
        self.names = GraphNames(engine_manifest)
        self.engine_max_rows = engine_max_rows
        self.hold()
        self._parser = threading.local()
        # A build never changes, so what the engine answered for it holds until the next build.
        self._answers: Memo[bytes] = Memo(MEMO_ENTRIES)
        self._quads_memo: Memo[list[ox.Quad]] = Memo(MEMO_ENTRIES)

    def health(self) -> dict[str, object]:
        engine = {"query_endpoint": self.client.query_url, "build": self.engine_manifest.build}
        return {**super().health(), "engine": engine}

    # ---------------------------------------------------------------- the Store protocol

    def quads(
        self,
        graph: str | GraphName | None = None,
        *,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
    ) -> Iterator[ox.Quad]:
        if any(isinstance(t, ox.BlankNode | ox.Triple) for t in (subject, object)):
            return iter(())  # a blank node cannot be named in a query; carekg's data has none
        graph_name = ox.NamedNode(graph) if isinstance(graph, str) else graph
        # Pages ask many patterns about one term (its statements by predicate, whether it is
        # known, its label): one read of everything around the term answers them all.
        if isinstance(subject, ox.NamedNode):
            found = self._around(subject)
        elif isinstance(object, ox.NamedNode):
            found = self._around(object)
        else:
            found = self._matching(graph_name, predicate, object)
        return iter(
            [
                q
                for q in found
                if (subject is None or q.subject == subject)
                and (predicate is None or q.predicate == predicate)
                and (object is None or q.object == object)
                and (graph_name is None or q.graph_name == graph_name)
            ]
        )

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        union_default: bool = True,
    ) -> QueryResult:
        self._parse(sparql)  # a malformed query raises SyntaxError here, as on the embedded store
        form = scan_query(sparql).form
        renamed = rename_query(sparql, self.names.to_engine.get)
        defaults, nameds = self._dataset(renamed, default_graphs, named_graphs, union_default)
        is_graph = form in ("CONSTRUCT", "DESCRIBE")
        body = self._in_app_reply(
            renamed.text, N_TRIPLES if is_graph else RESULTS_JSON, defaults, nameds
        )
        if is_graph:
            return _as_query_triples(self._public_triples(body))
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def answer(self, job: QueryJob, timeout: float) -> Serialized:
        check_dataset_iris(job)
        self._check_syntax(job)
        form = scan_query(job.query, job.base_iri).form
        renamed = rename_query(job.query, self.names.to_engine.get, job.base_iri)
        defaults, nameds = self._dataset(renamed, job.default_graphs, job.named_graphs, True)
        is_graph = form in ("CONSTRUCT", "DESCRIBE")
        try:
            reply = self.client.query(
                renamed.text,
                N_TRIPLES if is_graph else RESULTS_JSON,
                timeout,
                default_graphs=defaults,
                named_graphs=nameds,
            )
        except EngineTimeout:
            raise QueryTimeout(timeout) from None
        _raise_for(reply, timeout)
        cap = job.max_rows
        if self.engine_max_rows and self.engine_max_rows < cap:
            cap = self.engine_max_rows
        result: WritableResult
        if is_graph:
            result = self._public_triples(reply.body)
            cut_by_engine = bool(self.engine_max_rows) and len(result) >= self.engine_max_rows
        else:
            result = ox.parse_query_results(
                self.names.public_json_results(reply.body), format=ox.QueryResultsFormat.JSON
            )
            cut_by_engine = ENGINE_CUT_HEADER in reply.headers
        outcome = write_result(
            result, job.results_type, job.graph_type, cap, dict(job.prefixes), cut_by_engine
        )
        return replace(outcome, row_cap=cap) if cap != job.max_rows else outcome

    # ---------------------------------------------------------------- following the engine

    def oxigraph(self) -> ox.Store:
        raise RuntimeError("a remote store has no Oxigraph store of its own")

    def successor(self) -> "RemoteStore | None":
        """The engine's live build, if it is no longer this one (an unreadable or empty manifest,
        as between a Graph Store PUT's delete and insert, changes nothing)."""
        latest = read_engine_manifest(self.client)
        if latest is None or latest.build == self.engine_manifest.build:
            return None
        assert self.store_dir is not None
        return RemoteStore(self.store_dir, self.client, latest, self.engine_max_rows)

    def hold(self) -> bool:
        """Hold this process's lease on the build folder (its dumps and report: there is no local
        store), so that no build prunes it while it is served."""
        pid = os.getpid()
        held = self._lease
        if held is not None and held[0] == pid:
            return True
        with self._lock:
            if self._lease is not None and self._lease[0] == pid:
                return True
            try:
                self._lease = (pid, Lease(self.build).acquire())
            except OSError:  # a read-only folder: serve it unleased
                return self.build.is_dir()
            return True

    # ---------------------------------------------------------------- helpers

    def _around(self, term: ox.NamedNode) -> list[ox.Quad]:
        """Every statement with ``term`` as its subject or its object, in any of carekg's graphs."""
        found = self._quads_memo.get(("around", term))
        if found is None:
            t = str(self.names.engine_term(term))
            where = f"{{ {t} ?p ?o BIND({t} AS ?s) }} UNION {{ ?s ?p {t} BIND({t} AS ?o) }}"
            found = list(dict.fromkeys(self._select_quads(where)))
            self._quads_memo.put(("around", term), found)
        return found

    def _matching(
        self, graph: GraphName | None, predicate: ox.NamedNode | None, obj: Term | None
    ) -> list[ox.Quad]:
        key = ("match", graph, predicate, obj)
        found = self._quads_memo.get(key)
        if found is None:
            graphs: list[str] | None
            if graph is None:
                graphs = None  # all of the build's
            elif isinstance(graph, ox.DefaultGraph):
                graphs = [self.names.default or NO_GRAPH]
            else:
                graphs = [self.names.to_engine.get(graph.value, NO_GRAPH)]
            p = str(predicate) if predicate is not None else "?p"
            o = str(self.names.engine_term(obj)) if obj is not None else "?o"
            found = self._select_quads(f"?s {p} {o}", graphs, predicate, obj)
            self._quads_memo.put(key, found)
        return found

    def _select_quads(
        self,
        where: str,
        graphs: Sequence[str] | None = None,
        predicate: ox.NamedNode | None = None,
        obj: Term | None = None,
    ) -> list[ox.Quad]:
        """The quads ``GRAPH ?g { where }`` binds (?s ?p ?o, or the given predicate and object), in
        public names, all of them: a result the engine cut at its row limit is read again in
        ordered pages."""
        if graphs is None:
            # Every graph of the build, told by its versioned names' prefix rather than listed: a
            # list of thousands costs Virtuoso about a millisecond per graph to compile. With no
            # dataset given, GRAPH ?g ranges over all the engine's graphs; the filter keeps the
            # build's (its union graph aside, which repeats them).
            manifest = self.engine_manifest
            keep = f'STRSTARTS(STR(?g), "{manifest.graph_prefix}")'
            if manifest.union is not None:
                keep += f" && ?g != <{manifest.union}>"
            text = f"SELECT * WHERE {{ GRAPH ?g {{ {where} }} FILTER({keep}) }}"
            rows = self._all_rows(text, [], [])
        else:
            text = f"SELECT * WHERE {{ GRAPH ?g {{ {where} }} }}"
            rows = self._all_rows(text, [NO_GRAPH], with_no_graph(graphs))
        out = []
        for row in rows:
            g = row["g"]
            out.append(
                ox.Quad(
                    row["s"],
                    predicate if predicate is not None else row["p"],
                    obj if obj is not None else row["o"],
                    ox.DefaultGraph() if g is None or g.value == self.names.default else g,
                )
            )
        return out

    def _all_rows(
        self, text: str, defaults: list[str], nameds: list[str]
    ) -> list[ox.QuerySolution]:
        reply = self.client.query(
            text, RESULTS_JSON, IN_APP_TIMEOUT_SECONDS, default_graphs=defaults, named_graphs=nameds
        )
        _raise_for(reply, IN_APP_TIMEOUT_SECONDS)
        if ENGINE_CUT_HEADER not in reply.headers:
            return list(self._solutions(reply.body))
        page = int(reply.headers[ENGINE_CUT_HEADER] or 0) or self.engine_max_rows or 1000
        rows: list[ox.QuerySolution] = []
        while True:
            paged = f"{text} ORDER BY ?g ?s ?p ?o LIMIT {page} OFFSET {len(rows)}"
            reply = self.client.query(
                paged,
                RESULTS_JSON,
                IN_APP_TIMEOUT_SECONDS,
                default_graphs=defaults,
                named_graphs=nameds,
            )
            _raise_for(reply, IN_APP_TIMEOUT_SECONDS)
            got = list(self._solutions(reply.body))
            rows += got
            if len(got) < page:
                return rows

    def _solutions(self, body: bytes) -> ox.QuerySolutions:
        solutions = ox.parse_query_results(
            self.names.public_json_results(body), format=ox.QueryResultsFormat.JSON
        )
        assert isinstance(solutions, ox.QuerySolutions)
        return solutions

    def _in_app_reply(
        self, text: str, accept: str, defaults: list[str], nameds: list[str]
    ) -> bytes:
        """The engine's answer to one of carekg's own queries (JSON results with public names, or
        N-Triples as sent), remembered for this build."""
        key = (text, accept, tuple(defaults), tuple(nameds))
        body = self._answers.get(key)
        if body is None:
            reply = self.client.query(
                text, accept, IN_APP_TIMEOUT_SECONDS, default_graphs=defaults, named_graphs=nameds
            )
            _raise_for(reply, IN_APP_TIMEOUT_SECONDS)
            if ENGINE_CUT_HEADER in reply.headers or (
                accept == N_TRIPLES
                and self.engine_max_rows
                and reply.body.count(b"\n") >= self.engine_max_rows
            ):
                raise QueryFailed(
                    f"the SPARQL engine cut one of carekg's own queries at its row limit "
                    f"({reply.headers.get(ENGINE_CUT_HEADER) or self.engine_max_rows} rows); raise "
                    "that limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of its ini)"
                )
            body = reply.body if accept == N_TRIPLES else self.names.public_json_results(reply.body)
            self._answers.put(key, body)
        return body

    def _dataset(
        self,
        renamed: RenamedQuery,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        union_default: bool,
    ) -> tuple[list[str], list[str]]:
        """The engine's default and named graphs for a query: those given with it (the protocol's
        win), else its FROM clauses, else carekg's graphs (the default graph their union, or the
        default graph's own triples)."""
        if default_graphs or named_graphs:
            defaults = self._engine_defaults(default_graphs)
            nameds = self._engine_graphs(named_graphs)
        elif renamed.names_dataset:
            defaults, nameds = list(renamed.from_graphs), list(renamed.from_named_graphs)
        else:
            if not union_default:
                defaults = [self.names.default or NO_GRAPH]
            elif self.engine_manifest.union is not None:
                defaults = self._engine_defaults([*self.names.to_engine], with_default=True)
            else:  # a build loaded before union graphs
                defaults = self.engine_manifest.engine_graphs
            nameds = list(self.names.from_engine)
        if not renamed.has_graph_pattern:
            # Without a GRAPH pattern the named graphs cannot change the answer, and listing them
            # costs the engine (see _select_quads): NO_GRAPH alone is sent.
            nameds = []
        return defaults or [NO_GRAPH], with_no_graph(nameds)

    def _engine_defaults(self, public: Sequence[str], with_default: bool = False) -> list[str]:
        """The engine graphs whose merge is the default graph made of the ``public`` graphs (and,
        ``with_default``, the data's default graph): the union graph for all that it covers (it holds
        every graph but those outside it, the default graph's triples included), when the request
        covers all of that, then the rest by name."""
        manifest = self.engine_manifest
        covered = set(manifest.graphs) - set(manifest.outside_union)
        if (
            manifest.union is None
            or not covered <= set(public)
            or (manifest.default is not None and not with_default)
        ):
            return self._engine_graphs(public)
        return [manifest.union, *self._engine_graphs([g for g in public if g not in covered])]

    def _engine_graphs(self, public: Sequence[str]) -> list[str]:
        """The versioned names of the public graphs a client named (a graph that is not carekg's
        becomes the empty NO_GRAPH: the engine's other graphs stay out of reach)."""
        return [self.names.to_engine.get(g, NO_GRAPH) for g in public]

    def _public_triples(self, body: bytes) -> list[ox.Triple]:
        return [self.names.public_triple(t) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]  # type: ignore[arg-type]

    def _check_syntax(self, job: QueryJob) -> None:
        """A malformed client query is refused with the same line and column on both backends."""
        try:
            self._parse(job.query, job.base_iri)
        except SyntaxError as exc:
            raise syntax_error(exc) from None

    def _parse(self, query: str, base_iri: str | None = None) -> None:
        """Parse ``query`` as the embedded store would (on an empty store: nothing is evaluated)."""
        parser: ox.Store | None = getattr(self._parser, "store", None)
        if parser is None:
            parser = self._parser.store = ox.Store()
        parser.query(query, base_iri=base_iri)


class Memo(Generic[Remembered]):
    """A bounded, thread-safe memory of answers (least recently used go first)."""

    def __init__(self, entries: int):
        self.entries = entries
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[object, ...], Remembered] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> Remembered | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: tuple[object, ...], body: Remembered) -> None:
        with self._lock:
            self._items[key] = body
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


def _raise_for(reply: Reply, timeout: float) -> None:
    """The engine's answer as carekg's error, where it is not a complete result."""
    state = reply.headers.get("X-SQL-State", "")
    if reply.status == 206 or PARTIAL_STATE in state:
        raise PartialAnswer(timeout)
    if reply.status == 200:
        return
    text = reply.text
    if TIMEOUT_STATE in state or TIMEOUT_STATE in text[:400]:
        raise QueryTimeout(timeout)
    if TOO_SLOW_SIGN in text[:400]:
        raise EstimatedTooSlow(" ".join(text.split())[:300])
    message = " ".join(text.split())[:500]
    if reply.status == 400:
        raise QuerySyntaxError(f"the SPARQL engine refused the query: {message}")
    raise QueryFailed(f"the SPARQL engine failed with {reply.status}: {message}")


def _as_query_triples(triples: list[ox.Triple]) -> ox.QueryTriples:
    """Triples as the QueryTriples an embedded CONSTRUCT returns (what in-app callers expect)."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    result = store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


def open_remote(store_dir: Path, client: SparqlClient, engine_max_rows: int = 0) -> RemoteStore:
    """The engine's live build (NoEngineBuild if it holds none)."""
    manifest = read_engine_manifest(client)
    if manifest is None:
        raise NoEngineBuild(
            f"the engine at {client.query_url} holds no carekg build yet: run "
            "`carekg build --into URL` (or --update-endpoint URL) first"
        )
    return RemoteStore(store_dir, client, manifest, engine_max_rows)
