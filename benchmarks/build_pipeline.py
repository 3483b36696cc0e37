"""What building carekg's store costs as the number of reports grows: parse, validate, fill, hash.

Run: .venv/bin/python benchmarks/build_pipeline.py [--reports 1 10 50]
A synthetic corpus is made by copying the South Lanarkshire report graph with its report-specific IRIs
renamed (one named graph per copy), next to the real ontology and schemes. Baseline in the same process:
rdflib's own Turtle parser on the same bytes, against carekg's pyoxigraph parse.
"""

import argparse
import resource
import time
from collections.abc import Callable
from typing import TypeVar

import rdflib

from carekg.dataset.loading import parse_all
from carekg.dataset.sources import DataFile, bundled_data_files, graph_iri_for
from carekg.dataset.validation import union_graph, validate
from carekg.store.embedded import dataset_version, store_from_quads

T = TypeVar("T")
REPORT_STEM = "south-lanarkshire-2014"


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, (time.perf_counter() - started) * 1000


def corpus(reports: int) -> list[DataFile]:
    files = bundled_data_files()
    schemes = [f for f in files if not f.name.endswith(REPORT_STEM + ".ttl")]
    report = next(f for f in files if f.name.endswith(REPORT_STEM + ".ttl")).data.decode("utf-8")
    copies = [
        DataFile(
            f"synthetic-{i}.ttl",
            report.replace("south-lanarkshire", f"area-{i}").encode("utf-8"),
            graph_iri_for(f"area-{i}-2014"),
        )
        for i in range(reports)
    ]
    return schemes + copies


def rdflib_parse(files: list[DataFile]) -> int:
    dataset = rdflib.Dataset()
    for f in files:
        dataset.graph(rdflib.URIRef(f.graph_iri or "urn:default")).parse(
            data=f.data, format="turtle"
        )
    return len(list(dataset.quads()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args()
    header = (
        f"{'reports':>7}{'quads':>8}{'rdflib parse ms':>17}{'carekg parse ms':>17}{'speed-up':>9}"
        f"{'validate ms':>13}{'fill ms':>9}{'hash ms':>9}{'peak RSS MB':>13}"
    )
    print(header)
    for reports in args.reports:
        files = corpus(reports)
        _, baseline_ms = timed(lambda files=files: rdflib_parse(files))
        quads, parse_ms = timed(lambda files=files: parse_all(files))
        outcome, validate_ms = timed(lambda quads=quads: validate(union_graph(quads)))
        assert outcome.conforms, "the synthetic corpus must conform like the real graph"
        _, fill_ms = timed(lambda quads=quads: store_from_quads(quads))
        _, hash_ms = timed(lambda quads=quads: dataset_version(quads))
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{reports:>7}{len(quads):>8}{baseline_ms:>17.1f}{parse_ms:>17.1f}"
            f"{baseline_ms / parse_ms:>8.1f}x{validate_ms:>13.0f}{fill_ms:>9.1f}{hash_ms:>9.1f}"
            f"{rss_mb:>13.0f}"
        )


if __name__ == "__main__":
    main()
