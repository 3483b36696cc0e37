"""benchmarks/synthetic_corpus.py for the tests: the module, a corpus as N-Quads bytes, a broken copy."""

import importlib
import io
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def corpus_module() -> ModuleType:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("synthetic_corpus")


def nquads(module: ModuleType, triples: int, seed: int) -> bytes:
    output = io.BytesIO()
    module.write_corpus(output, triples, seed)
    return output.getvalue()


def with_a_recommendation_not_in_its_evidence(corpus: bytes) -> bytes:
    """The corpus with one recommendation's text changed so that its evidence no longer holds it."""
    text = corpus.decode("utf-8")
    line = next(
        line
        for line in text.splitlines()
        if "/recommendation/" in line and "<https://schema.org/text>" in line
    )
    return text.replace(line, line.replace('"', '"NOT IN THE RELEASE ', 1), 1).encode("utf-8")
