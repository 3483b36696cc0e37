"""Write a synthetic corpus of joint-inspection reports in carekg's own ontology, for benchmarks.

Run (from the repository root):
    .venv/bin/python benchmarks/synthetic_corpus.py --triples 100k --seed 1 -o kg-100k.nq

Reports are added until the corpus holds at least the number of triples asked for (one report is about
250-570 triples, 420 on average). Report i is the same for every size of a given seed: the 10k corpus is the
first reports of the 100k one. Each report is one named graph,
<https://w3id.org/carekg/graph/synthetic-NNNNN-{area}-{year}>; the council areas, inspectorates, the
synthetic chief executive and the calendar months of 2012-2017 (with carekg's own month IRIs, see
synthetic_templates.py) are in <…/graph/synthetic-common>; carekg's own ontology and SKOS schemes are included
as they are bundled (``--no-ontology`` leaves them out), so the file can be served alone and its grades have
their levels. The output is N-Quads (``.nq``).

What a report looks like is in benchmarks/synthetic_templates.py, the one place to change when the model does.
The corpus passes ``carekg validate FILE`` (tests/test_synthetic_corpus.py checks a small one).
"""

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
import synthetic_templates as t

from carekg.dataset.loading import parse_all
from carekg.dataset.validation import builtin_ontology_files

CONTEXT_CHARS = 32  # length of oa:prefix and oa:suffix, as in the hand-authored graph


def turtle_string(text: str) -> str:
    """A Turtle string literal (quoted, escaped)."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def english(text: str) -> str:
    return turtle_string(text) + "@en"


def label(text: str) -> str:
    """An English rdfs:label marked synthetic."""
    return english(text + t.LABEL_MARK)


def parse_size(text: str) -> int:
    """'10k', '100k', '1M' or a plain number of triples."""
    factors = {"k": 1_000, "m": 1_000_000}
    cleaned = text.strip().lower().replace("_", "")
    if cleaned and cleaned[-1] in factors:
        return int(float(cleaned[:-1]) * factors[cleaned[-1]])
    return int(cleaned)


def listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def org(slug: str) -> str:
    return f"synthetic-{slug}"


@dataclass(frozen=True)
class Passage:
    name: str  # the evidence's local name; "" for passages no resource cites
    text: str


class Release:
    """The synthetic news release of one report: passages in order, then evidence with text-quote selectors."""

    def __init__(self) -> None:
        self.passages: list[Passage] = []

    def add(self, name: str, text: str) -> None:
        self.passages.append(Passage(name, text))

    def evidence_turtle(self, source: str) -> str:
        full = ""
        starts: list[int] = []
        for passage in self.passages:
            if full:
                full += "\n\n"
            starts.append(len(full))
            full += passage.text
        blocks = []
        for passage, start in zip(self.passages, starts, strict=True):
            if not passage.name:
                continue
            end = start + len(passage.text)
            short = passage.text if len(passage.text) <= 56 else passage.text[:56] + "…"
            blocks.append(
                t.EVIDENCE.format(
                    name=passage.name,
                    label=label(f"synthetic release: “{short}”"),
                    source=source,
                    exact=turtle_string(passage.text),
                    prefix=turtle_string(full[max(0, start - CONTEXT_CHARS) : start]),
                    suffix=turtle_string(full[end : end + CONTEXT_CHARS]),
                )
            )
        return "".join(blocks)


def graph_iri(report_id: str) -> str:
    return t.GRAPH_BASE + report_id


def in_graph(graph: str, body: str, extra_prefixes: str = "") -> str:
    """TriG: the prefixes, then the body in the named graph, with the graph's synthetic description."""
    description = t.GRAPH_DESCRIPTION.format(
        graph=graph, synthetic=t.SYNTHETIC, label=label(f"graph {graph}")
    )
    return f"{t.PREFIXES}{extra_prefixes}\n<{graph}> {{\n{description}{body}\n}}\n"


def common_trig() -> str:
    """The shared graph: council areas, inspectorates, the chief executive, their synthetic source, and the
    calendar months of every year a report can fall in."""
    parts = [
        t.COMMON_SOURCE.format(
            label=label("list of council areas and inspectorates for benchmarks"),
            synthetic=t.SYNTHETIC,
        )
    ]
    for slug, name, gss in t.COUNCIL_AREAS:
        parts.append(t.COUNCIL_AREA.format(area=org(slug), label=label(name), gss=gss))
    for slug, name in (t.LEAD_INSPECTORATE, *t.PARTNER_INSPECTORATES):
        parts.append(t.INSPECTORATE.format(organisation=org(slug), label=label(name)))
    person_slug, person_name = t.CHIEF_EXECUTIVE
    parts.append(
        t.CHIEF_EXECUTIVE_PERSON.format(
            person=org(person_slug),
            label=label(person_name),
            name=turtle_string(person_name),
            post=org(t.LEAD_INSPECTORATE[0] + "-chief-executive"),
            post_label=label(f"Chief Executive of the {t.LEAD_INSPECTORATE[1]}"),
            lead=org(t.LEAD_INSPECTORATE[0]),
        )
    )
    for year in t.YEARS:
        for number, name in enumerate(t.MONTH_NAMES, start=1):
            parts.append(
                t.MONTH.format(
                    month=month_slug(year, number),
                    label=english(f"{name} {year}"),
                    year=year,
                    month_number=number,
                )
            )
    return in_graph(t.COMMON_GRAPH, "".join(parts))


def month_slug(year: int, month: int) -> str:
    """The local name of a calendar month: carekg's own (graph/shared.ttl), since a month is one resource."""
    return f"{year}-{month:02d}"


def area_quality(seed: int, area: str) -> float:
    """How well an area does, from 0 (poorly) to 1 (well): fixed per area and seed."""
    return random.Random(f"{seed}:area:{area}").random()


def area_has_board(seed: int, area: str) -> bool:
    return random.Random(f"{seed}:board:{area}").random() < 0.5


def grade_counts(rng: random.Random, quality: float) -> dict[str, int]:
    """How many of the nine indicators got each grade; weaker areas get more adequate-or-worse grades."""
    mean = 2.6 + 2.4 * quality + rng.gauss(0, 0.4)
    counts = {slug: 0 for slug, _, _ in t.GRADES}
    by_level = {level: slug for slug, _, level in t.GRADES}
    for _ in range(t.INDICATORS_EVALUATED):
        level = min(6, max(1, round(rng.gauss(mean, 0.8))))
        counts[by_level[level]] += 1
    return counts


def counts_sentence(counts: dict[str, int]) -> str:
    parts = [
        f"{t.NUMBER_WORDS[counts[slug]]} {'was' if counts[slug] == 1 else 'were'} evaluated {name}"
        for slug, name, _ in t.GRADES
        if counts[slug]
    ]
    return listed(parts)


def distinct_texts(
    rng: random.Random, count: int, make: Callable[[random.Random], str]
) -> list[str]:
    texts: list[str] = []
    while len(texts) < count:
        text = make(rng)
        if text not in texts:
            texts.append(text)
    return texts


def recommendation_text(rng: random.Random) -> str:
    verb = rng.choice(t.RECOMMENDATION_VERBS)
    return (
        f"{verb} {rng.choice(t.RECOMMENDATION_OBJECTS)} {rng.choice(t.RECOMMENDATION_QUALIFIERS)}"
    )


def strength_text(rng: random.Random) -> str:
    return f"{rng.choice(t.STRENGTH_SUBJECTS)} {rng.choice(t.STRENGTH_ACTIONS)}"


def report_location(index: int) -> tuple[tuple[str, str, str], int]:
    """Report i's council area and year: the areas in turn, their years spread so that any few reports
    span several years; every (area, year) once in each round of 32 x 6 reports."""
    areas, years = len(t.COUNCIL_AREAS), len(t.YEARS)
    area = index % areas
    year = t.YEARS[(index // areas + area) % years]
    return t.COUNCIL_AREAS[area], year


def report_id(index: int) -> str:
    (slug, _, _), year = report_location(index)
    return f"synthetic-{index:05d}-{slug}-{year}"


def report_trig(index: int, seed: int) -> tuple[str, str]:
    """Report i of the corpus of ``seed``: its graph IRI and its TriG."""
    rng = random.Random(f"{seed}:report:{index}")
    (area_slug, area_name, _), year = report_location(index)
    rid = report_id(index)
    area = org(area_slug)
    source = f"{rid}-news"
    lead_slug, lead_name = t.LEAD_INSPECTORATE
    lead = org(lead_slug)
    partners = sorted(rng.sample(t.PARTNER_INSPECTORATES, rng.randint(1, 3)))
    inspectorates = [t.LEAD_INSPECTORATE, *partners]
    partnership = f"synthetic-{area_slug}-community-planning-partnership"
    partnership_name = f"{area_name} Community Planning Partnership"
    board = (
        f"synthetic-{area_slug}-childrens-services-board" if area_has_board(seed, area_slug) else ""
    )
    board_name = f"{area_name} Children\u2019s Services Board"
    title = f"Services for children and young people in {area_name}: synthetic report {index}"

    first_month = rng.randint(1, 10)
    months = [first_month] + ([first_month + rng.randint(1, 2)] if rng.random() < 0.6 else [])
    last_month = months[-1] + rng.randint(4, 8)
    issued = (
        f"{year + (last_month - 1) // 12}-{(last_month - 1) % 12 + 1:02d}-{rng.randint(1, 28):02d}"
    )
    counts = grade_counts(rng, area_quality(seed, area_slug))

    recommendations = distinct_texts(rng, rng.randint(2, 10), recommendation_text)
    with_board = [bool(board) and rng.random() < 0.4 for _ in recommendations]
    if board and not any(with_board):
        with_board[-1] = True
    strengths = distinct_texts(rng, rng.randint(2, 6), strength_text)
    report_quotes = rng.sample(t.REPORT_QUOTES, rng.randint(1, 4))
    chief_quotes = rng.sample(t.CHIEF_EXECUTIVE_QUOTES, rng.randint(0, 3))

    release = Release()
    release.add("", t.SENTENCE_TITLE.format(title=title))
    release.add("headline", t.SENTENCE_HEADLINE.format(area=area_name))
    month_words = listed([t.MONTH_NAMES[m - 1] for m in months])
    release.add(
        "lead-and-months",
        t.SENTENCE_LEAD_AND_MONTHS.format(lead=lead_name, months=month_words, year=year),
    )
    release.add(
        "inspection-teams",
        t.SENTENCE_TEAMS.format(inspectorates=listed([name for _, name in inspectorates])),
    )
    release.add("scope", t.SENTENCE_SCOPE.format(partnership=partnership_name))
    release.add("grade-counts", t.SENTENCE_GRADE_COUNTS.format(counts=counts_sentence(counts)))

    body: list[str] = []
    for number, text in enumerate(report_quotes, start=1):
        release.add(f"quotation-{number}", t.SENTENCE_REPORT_QUOTE.format(text=text))
        body.append(
            t.REPORT_QUOTATION.format(
                number=number,
                label=label(f"Quotation {number} from synthetic report {index}"),
                text=english(text),
                id=rid,
                source=source,
            )
        )
    for number, (text, board_too) in enumerate(
        zip(recommendations, with_board, strict=True), start=1
    ):
        if board_too:
            # The sentence names the partnership and the board: stated addressees.
            sentence = t.SENTENCE_RECOMMENDATION_WITH_BOARD.format(
                partnership=partnership_name, board=board_name, text=text
            )
            addressees = t.ADDRESSED_TO.format(
                organisations=f"organisation:{partnership}, organisation:{board}"
            )
        else:
            # "the partnership": carekg's reading of which body is meant.
            sentence = t.SENTENCE_RECOMMENDATION.format(text=text)
            addressees = t.ADDRESSEE_AS_READ.format(
                organisations=f"organisation:{partnership}",
                comment=english(t.ADDRESSEE_AS_READ_COMMENT.format(partnership=partnership_name)),
            )
        release.add(f"recommendation-{number}", sentence)
        body.append(
            t.RECOMMENDATION.format(
                number=number,
                label=label(f"Synthetic report {index}, recommendation {number}"),
                text=english(text),
                addressees=addressees,
                id=rid,
                source=source,
            )
        )
    strength_comment = english(t.STRENGTH_OF_AS_READ_COMMENT)
    for number, text in enumerate(strengths, start=1):
        release.add(f"strength-{number}", t.SENTENCE_STRENGTH.format(text=text))
        body.append(
            t.STRENGTH.format(
                number=number,
                label=label(f"Synthetic report {index}, key strength {number}"),
                text=english(text),
                partnership=partnership,
                comment=strength_comment,
                id=rid,
                source=source,
            )
        )
    person_slug, person_name = t.CHIEF_EXECUTIVE
    if chief_quotes:
        release.add(
            "chief-executive",
            t.SENTENCE_CHIEF_EXECUTIVE.format(name=person_name, lead=lead_name),
        )
    number = len(report_quotes)
    for text in chief_quotes:
        number += 1
        release.add(f"quotation-{number}", t.SENTENCE_CHIEF_EXECUTIVE_QUOTE.format(text=text))
        body.append(
            t.PERSON_QUOTATION.format(
                number=number,
                label=label(f"{person_name} on synthetic report {index} ({number})"),
                text=english(text),
                person=org(person_slug),
                id=rid,
                source=source,
            )
        )
    release.add("", t.SENTENCE_END)

    head: list[str] = [
        t.INSPECTION.format(
            id=rid,
            label=label(
                f"Joint inspection of services for children and young people in {area_name}, {year}, number {index}"
            ),
            synthetic=t.SYNTHETIC,
            lead=lead,
            agents=", ".join(f"organisation:{org(slug)}" for slug, _ in inspectorates),
            associations=", ".join(
                f"inspection:{rid}-association-{org(slug)}" for slug, _ in inspectorates
            ),
            months=", ".join(f"month:{month_slug(year, m)}" for m in months),
            partnership=partnership,
            area=area,
            indicators=t.INDICATORS_EVALUATED,
            observations=", ".join(f"observation:{slug}" for slug, _, _ in t.GRADES),
            source=source,
        )
    ]
    for slug, name in inspectorates:
        role = "LeadInspectorate" if slug == lead_slug else "PartnerInspectorate"
        kind = "lead" if slug == lead_slug else "partner"
        head.append(
            t.ASSOCIATION.format(
                id=rid,
                organisation=org(slug),
                label=label(f"{name}: {kind} inspectorate of synthetic inspection {index}"),
                role=role,
                source=source,
            )
        )
    stated = counts_sentence(counts)
    for slug, name, _ in t.GRADES:
        obtained = (
            t.STATED_COUNT
            if counts[slug]
            else t.DERIVED_COUNT.format(
                comment=english(t.DERIVED_COUNT_COMMENT.format(stated=stated, grade=name))
            )
        )
        head.append(
            t.OBSERVATION.format(
                grade=slug,
                label=label(f"Synthetic inspection {index}: indicators graded {name}"),
                id=rid,
                count=counts[slug],
                obtained=obtained,
                source=source,
            )
        )
    head.append(
        t.PARTNERSHIP.format(
            partnership=partnership, label=label(partnership_name), area=area, source=source
        )
    )
    if board:
        head.append(
            t.BOARD.format(
                board=board,
                label=label(board_name),
                source=source,
                number=with_board.index(True) + 1,
            )
        )
    head.append(
        t.REPORT.format(
            id=rid,
            label=label(title),
            title=english(title),
            issued=issued,
            source=source,
        )
    )
    head.append(
        t.SOURCE.format(
            source=source,
            label=label(f"News release on synthetic report {index}"),
            title=english(title),
            identifier=source,
            lead=lead,
            id=rid,
            synthetic=t.SYNTHETIC,
        )
    )
    graph = graph_iri(rid)
    trig = in_graph(
        graph,
        "".join(head) + "".join(body) + release.evidence_turtle(source),
        t.REPORT_PREFIXES.format(id=rid),
    )
    return graph, trig


def parse_trig(text: str) -> list[ox.Quad]:
    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TRIG))


def ontology_quads() -> list[ox.Quad]:
    """carekg's bundled ontology and schemes, each in its own named graph, as carekg loads them."""
    quads: list[ox.Quad] = parse_all(builtin_ontology_files())
    return quads


@dataclass(frozen=True)
class CorpusStats:
    triples: int
    reports: int
    seconds: float


def corpus(target_triples: int, seed: int, with_ontology: bool = True) -> Iterator[list[ox.Quad]]:
    """The corpus in chunks of quads: ontology, common graph, then reports until the target is reached."""
    total = 0
    if with_ontology:
        chunk = ontology_quads()
        total += len(chunk)
        yield chunk
    chunk = parse_trig(common_trig())
    total += len(chunk)
    yield chunk
    index = 0
    while total < target_triples:
        _, trig = report_trig(index, seed)
        chunk = parse_trig(trig)
        total += len(chunk)
        index += 1
        yield chunk


def write_corpus(
    output: IO[bytes], target_triples: int, seed: int, with_ontology: bool = True
) -> CorpusStats:
    started = time.perf_counter()
    triples = 0
    chunks = 0
    for chunk in corpus(target_triples, seed, with_ontology):
        ox.serialize(chunk, output, format=ox.RdfFormat.N_QUADS)
        triples += len(chunk)
        chunks += 1
    reports = chunks - (2 if with_ontology else 1)
    return CorpusStats(triples, reports, time.perf_counter() - started)


def write_corpus_file(
    path: Path, target_triples: int, seed: int, with_ontology: bool = True
) -> CorpusStats:
    if path.suffix != ".nq":
        raise SystemExit(f"{path}: the corpus is written as N-Quads; name the file *.nq")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as output:
        stats = write_corpus(output, target_triples, seed, with_ontology)
    partial.replace(path)
    return stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Write a synthetic carekg corpus (N-Quads).",
        epilog="Example: synthetic_corpus.py --triples 100k --seed 1 -o kg-100k.nq",
    )
    parser.add_argument(
        "--triples", type=parse_size, default=10_000, help="about this many (10k, 100k, 1M)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True, help="the .nq file to write")
    parser.add_argument(
        "--no-ontology",
        action="store_true",
        help="leave out carekg's ontology and schemes (validation and the benchmark queries need them)",
    )
    args = parser.parse_args(argv)
    stats = write_corpus_file(args.output, args.triples, args.seed, not args.no_ontology)
    print(
        f"{args.output}: {stats.triples} triples, {stats.reports} synthetic reports, "
        f"seed {args.seed}, {stats.seconds:.2f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
