"""A store of the bundled dataset plus three synthetic inspections (tests/data/synthetic-inspections.trig,
invented test data in carekg's model), for tests that need several inspections."""

from pathlib import Path

from carekg.dataset.build import build_embedded_store
from carekg.dataset.sources import DataFile, bundled_data_files
from carekg.store.embedded import EmbeddedStore

SYNTHETIC_TRIG = Path(__file__).parent / "data" / "synthetic-inspections.trig"
ID = "https://w3id.org/carekg/id/"
SYNTHETIC_INSPECTIONS = tuple(
    ID + f"inspection/synthetic-{slug}" for slug in ("a-2013", "b-2015", "c-2016")
)
SOUTH_LANARKSHIRE = ID + "inspection/south-lanarkshire-2014"


SEED_GRAPHS = {"shared", "south-lanarkshire-2014"}


def synthetic_store() -> EmbeddedStore:
    """The ontology, the shared graph, the seed report and the synthetic TriG (whose statements keep
    their own named graphs): four inspections, whatever else the corpus holds."""
    synthetic = DataFile(name=str(SYNTHETIC_TRIG), data=SYNTHETIC_TRIG.read_bytes(), graph_iri=None)
    seed = [
        f
        for f in bundled_data_files()
        if "ontology" in Path(f.name).parts or Path(f.name).stem in SEED_GRAPHS
    ]
    return build_embedded_store([*seed, synthetic])
