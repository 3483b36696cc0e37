"""`carekg build`: a new build becomes current only when complete; every fault leaves the previous build
current and whole (a malformed file, a shape violation, a full disk, kill -9 half-way), the error names
the file and line or the cause, an unchanged report is not validated again, and old builds are pruned
while the dumps of the last few versions stay."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO_ROOT

from carekg.dataset.build import build_into
from carekg.dataset.writing import prune
from carekg.errors import RdfSyntaxError
from carekg.store.built import BuiltStore
from carekg.store.manifest import MANIFEST_FILE, current_build, read_manifest

TRIPLE = '<http://example.org/a> <http://example.org/p> "{n}" .\n'


def write_data(path: Path, triples: int) -> Path:
    path.write_text("".join(TRIPLE.format(n=n) for n in range(triples)), encoding="utf-8")
    return path


def snapshot(store_dir: Path) -> tuple[Path, str, int]:
    """The current build, its version, and how many triples its store answers."""
    build = current_build(store_dir)
    store = BuiltStore(build, pool=None)
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    count = int(next(iter(result))["n"].value)  # type: ignore[index,arg-type]
    store.close()
    return build, read_manifest(build).version, count


@pytest.fixture
def built(tmp_path: Path) -> Path:
    store_dir = tmp_path / "store"
    build_into(store_dir, [write_data(tmp_path / "one.nt", 3)])
    return store_dir


def test_a_build_writes_store_dumps_and_manifest_and_becomes_current(built: Path) -> None:
    build, version, count = snapshot(built)
    manifest = read_manifest(build)
    assert count == 3 and manifest.triples == 3 and manifest.version == version
    assert (built / "current").is_symlink()
    formats = {(d.format, d.gz) for d in manifest.dumps if d.graph is None}
    assert formats == {
        (f, gz) for f in ("turtle", "nt", "nq", "trig", "jsonld", "xml") for gz in (0, 1)
    }
    for dump in manifest.dumps:
        assert (build / dump.path).stat().st_size == dump.bytes


def test_a_malformed_file_names_file_and_line_and_leaves_the_build_current(
    built: Path, tmp_path: Path
) -> None:
    before = snapshot(built)
    broken = tmp_path / "broken.nt"
    broken.write_text(TRIPLE.format(n=1) + "<http://example.org/a> <http://example.org/p> .\n")
    with pytest.raises(RdfSyntaxError) as raised:
        build_into(built, [broken])
    assert str(raised.value).startswith(f"{broken}:2:")
    assert snapshot(built) == before


def test_a_shape_violation_names_the_file_and_leaves_the_build_current(
    built: Path, tmp_path: Path
) -> None:
    before = snapshot(built)
    report = tmp_path / "report.ttl"
    report.write_text(
        "@prefix carekg: <https://w3id.org/carekg/def/> .\n"
        "<https://w3id.org/carekg/id/inspection/x> a carekg:JointInspection .\n"
    )
    with pytest.raises(Exception, match=r"report\.ttl:2"):
        build_into(built, [report], validate=True)
    assert snapshot(built) == before


def test_a_conforming_report_file_builds_validated_with_the_built_in_context(
    tmp_path: Path,
) -> None:
    # Its own nodes are checked; the shared nodes of the context are the built-in build's to check.
    report = REPO_ROOT / "graph" / "moray-2016.ttl"
    result = build_into(tmp_path / "store", [report], validate=True)
    assert result.manifest.validated and result.manifest.conforms


def test_a_full_disk_is_a_build_error_and_leaves_the_build_current(
    built: Path, tmp_path: Path
) -> None:
    """RLIMIT_FSIZE stands in for a full disk: a write past it fails with EFBIG."""
    before = snapshot(built)
    big = write_data(tmp_path / "big.nt", 20_000)
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))\n"
        "from carekg.dataset.build import build_into\n"
        "from carekg.errors import CarekgError\n"
        "try:\n"
        f"    build_into(Path({str(built)!r}), [Path({str(big)!r})])\n"
        "except CarekgError as exc:\n"
        "    print(exc); sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "could not write the build" in result.stdout
    assert "the previous build is still current" in result.stdout
    assert snapshot(built) == before
    assert not [p for p in (built / "builds").iterdir() if p.name.endswith(".partial")]


def test_kill_9_during_a_build_leaves_the_previous_build_current(
    built: Path, tmp_path: Path
) -> None:
    before = snapshot(built)
    big = write_data(tmp_path / "big.nt", 300_000)
    carekg = Path(sys.executable).parent / "carekg"
    process = subprocess.Popen(
        [str(carekg), "build", "--store", str(built), str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(2.0)  # parsing or loading by now
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert snapshot(built) == before
    # The next build clears the half-written one and completes.
    build_into(built, [write_data(tmp_path / "two.nt", 2)])
    assert snapshot(built)[2] == 2
    assert not [p for p in (built / "builds").iterdir() if p.name.endswith(".partial")]


def test_an_unchanged_report_is_not_validated_again(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    first = build_into(store_dir)
    cache = {p: p.stat().st_mtime_ns for p in (store_dir / "cache" / "validation").glob("*.json")}
    assert cache  # the first build validated and kept the outcome
    second = build_into(store_dir)
    assert first.manifest.version == second.manifest.version
    assert second.manifest.validated and second.manifest.conforms
    # Nothing was validated again: the cache holds the same entries, none rewritten.
    after = {p: p.stat().st_mtime_ns for p in (store_dir / "cache" / "validation").glob("*.json")}
    assert after == cache


def test_a_rebuild_of_the_same_data_links_the_dumps_and_one_of_other_data_writes_them(
    tmp_path: Path,
) -> None:
    store_dir = tmp_path / "store"
    data = write_data(tmp_path / "data.nt", 3)
    first, same = build_into(store_dir, [data]), build_into(store_dir, [data])
    other = build_into(store_dir, [write_data(tmp_path / "data.nt", 4)])
    assert first.manifest.dumps == same.manifest.dumps != other.manifest.dumps
    for dump in first.manifest.dumps:
        old, new = first.build / dump.path, same.build / dump.path
        assert new.stat().st_ino == old.stat().st_ino  # linked, not written again
        assert (other.build / dump.path).stat().st_ino != old.stat().st_ino
    for dump in other.manifest.dumps:
        assert hashlib.sha256((other.build / dump.path).read_bytes()).hexdigest() == dump.sha256


def test_old_builds_are_pruned_but_recent_dumps_stay_and_leased_builds_stay_whole(
    built: Path, tmp_path: Path
) -> None:
    first = current_build(built)
    leased = BuiltStore(first, pool=None)
    leased.oxigraph()  # a server has it open: it holds the lease
    for n in range(2, 6):
        build_into(built, [write_data(tmp_path / f"d{n}.nt", n)])
    assert (first / "oxigraph").is_dir(), "a build in use is never removed"
    leased.close()
    prune(built, keep_dumps=2)
    complete = sorted(p for p in (built / "builds").iterdir() if (p / MANIFEST_FILE).is_file())
    assert len(complete) == 2  # the dumps of the last two versions
    assert complete[-1] == current_build(built)
    assert not (complete[0] / "oxigraph").exists() and (complete[0] / "dumps").is_dir()


def test_builds_follow_without_reopening_a_removed_store(built: Path, tmp_path: Path) -> None:
    old = BuiltStore(current_build(built), pool=None, store_dir=built)
    assert old.successor() is None
    build_into(built, [write_data(tmp_path / "next.nt", 5)])
    new = old.successor()
    assert new is not None and new.version != old.version
    assert sum(1 for _ in new.quads()) == 5
    assert isinstance(new.oxigraph(), ox.Store)
    new.close()


def test_the_build_counts_the_void_statistics_the_server_would_count(tmp_path: Path) -> None:
    from carekg.dataset.statistics import statistics
    from carekg.web.linked_data.void import statistics_of

    store_dir = tmp_path / "store"
    build_into(store_dir)
    store = BuiltStore(current_build(store_dir), pool=None)
    assert store.manifest.statistics[""]["triples"] == store.manifest.triples
    for graph in (None, *store.named_graphs()):
        counted = statistics(q.triple for q in store.quads(graph))
        assert statistics_of(store, graph) == counted, graph
    store.close()
