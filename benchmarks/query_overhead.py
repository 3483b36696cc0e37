"""The cost of carekg's fork-per-query timeout: a tiny query in-process vs through a forked child.

Run: .venv/bin/python benchmarks/query_overhead.py [--runs 200] [--synthetic 200000]
Both paths run in this same process, on the same store, with the same serializer; the difference is
the fork, the pipe and the wait. A larger store is measured too, since fork copies page tables.
"""

import argparse
import os
import resource
import statistics
import time
from collections.abc import Callable

import pyoxigraph as ox

from carekg.dataset.build import build_embedded_store
from carekg.dataset.sources import bundled_data_files
from carekg.rdf.formats import SPARQL_JSON, TURTLE
from carekg.sparql.execution import QueryJob, run_query, run_query_with_timeout

TINY_QUERIES = {
    "ASK": "ASK { ?s ?p ?o }",
    "SELECT LIMIT 1": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
}


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def synthetic_store(triples: int) -> ox.Store:
    store = ox.Store()
    ex = "http://example.org/"
    store.extend(
        ox.Quad(
            ox.NamedNode(f"{ex}s{i // 10}"),
            ox.NamedNode(f"{ex}p{i % 10}"),
            ox.Literal(str(i)),
            ox.NamedNode(f"{ex}g{i % 5}"),
        )
        for i in range(triples)
    )
    return store


def measure(label: str, store: ox.Store, runs: int) -> None:
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{label}: {len(store)} quads; peak RSS of this process {rss_mb:.0f} MB")
    print(f"{'query':<16}{'in-process ms':>15}{'forked child ms':>17}{'overhead ms':>13}")
    for name, text in TINY_QUERIES.items():
        job = QueryJob(text, SPARQL_JSON, TURTLE)
        direct = median_ms(lambda job=job: run_query(store, job), runs)
        forked = median_ms(lambda job=job: run_query_with_timeout(store, job, 30.0), runs)
        print(f"{name:<16}{direct:>15.3f}{forked:>17.3f}{forked - direct:>13.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--synthetic", type=int, default=200_000, help="0 to skip")
    args = parser.parse_args()
    print(f"median of {args.runs} runs each; pid {os.getpid()}; {os.cpu_count()} CPUs")
    measure("built-in graph", build_embedded_store(bundled_data_files()).pyoxigraph(), args.runs)
    if args.synthetic:
        measure("synthetic store", synthetic_store(args.synthetic), args.runs)


if __name__ == "__main__":
    main()
