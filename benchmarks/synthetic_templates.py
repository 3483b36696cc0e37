"""The one place that says what a synthetic report looks like: Turtle templates and the word banks they use.

benchmarks/synthetic_corpus.py fills these templates; change the model here (and only here) when carekg's
ontology or shapes change. Each template follows the shape of the hand-authored report graph
graph/south-lanarkshire-2014.ttl and is checked by tests/test_synthetic_corpus.py against carekg's shapes.

Placeholders are ``{name}`` (str.format). Values that go into string literals are escaped by the generator
(``turtle_string``) before they are put in; IRIs' local names are slugs.

Everything here is benchmark data, never part of the published graph: every IRI minted contains ``synthetic``,
every label ends with " (synthetic)", every graph says dct:description "synthetic benchmark data". The one
exception is the calendar months (MONTH): a month is a calendar fact, not data, and carekg's shapes allow one
IRI per month, so the corpus uses carekg's own month IRIs and states exactly what graph/shared.ttl states
about a month (the same label, no " (synthetic)"), so that the corpus also conforms when loaded with carekg's
data. The sentences are written for this generator (no source's wording). The council areas and their GSS
codes are the real 32 areas as listed in public GSS code lists (the pre-2018 codes of Fife, Glasgow City,
North Lanarkshire and Perth and Kinross, as in 2012-2017), given for realism only: they are not a source of
facts and must not be copied into graph/.
"""

# The model as of carekg ontology 1.1.0 (ontology/CHANGES.md):
# - months are OWL-Time calendar months (time:DateTimeInterval with a time:DateTimeDescription), defined
#   once in the common graph for every month of YEARS (MONTH), with carekg's month IRIs and no dct:source,
#   as in graph/shared.ttl (see the module docstring);
# - grade-count observations say how their count was obtained: carekg:statedInSource for the grades the
#   release's sentence counts, carekg:derivedByArithmetic (carekg's reading) for the zeros;
# - recommendations, strengths and quotations have a schema:position, their place among their kind in the
#   release;
# - an addressee the sentence names is carekg:addressedTo; one it only refers to ("the partnership") is
#   carekg:addresseeAsRead; likewise carekg:strengthOfAsRead for strengths, whose sentences name no body.

SYNTHETIC = "synthetic benchmark data"
LABEL_MARK = " (synthetic)"
BASE = "https://w3id.org/carekg/"
GRAPH_BASE = BASE + "graph/"
COMMON_GRAPH = GRAPH_BASE + "synthetic-common"

# The 32 council areas: (slug, label, GSS code). See the module docstring.
COUNCIL_AREAS: tuple[tuple[str, str, str], ...] = (
    ("aberdeen-city", "Aberdeen City", "S12000033"),
    ("aberdeenshire", "Aberdeenshire", "S12000034"),
    ("angus", "Angus", "S12000041"),
    ("argyll-and-bute", "Argyll and Bute", "S12000035"),
    ("city-of-edinburgh", "City of Edinburgh", "S12000036"),
    ("clackmannanshire", "Clackmannanshire", "S12000005"),
    ("dumfries-and-galloway", "Dumfries and Galloway", "S12000006"),
    ("dundee-city", "Dundee City", "S12000042"),
    ("east-ayrshire", "East Ayrshire", "S12000008"),
    ("east-dunbartonshire", "East Dunbartonshire", "S12000045"),
    ("east-lothian", "East Lothian", "S12000010"),
    ("east-renfrewshire", "East Renfrewshire", "S12000011"),
    ("falkirk", "Falkirk", "S12000014"),
    ("fife", "Fife", "S12000015"),
    ("glasgow-city", "Glasgow City", "S12000046"),
    ("highland", "Highland", "S12000017"),
    ("inverclyde", "Inverclyde", "S12000018"),
    ("midlothian", "Midlothian", "S12000019"),
    ("moray", "Moray", "S12000020"),
    ("na-h-eileanan-siar", "Na h-Eileanan Siar", "S12000013"),
    ("north-ayrshire", "North Ayrshire", "S12000021"),
    ("north-lanarkshire", "North Lanarkshire", "S12000044"),
    ("orkney-islands", "Orkney Islands", "S12000023"),
    ("perth-and-kinross", "Perth and Kinross", "S12000024"),
    ("renfrewshire", "Renfrewshire", "S12000038"),
    ("scottish-borders", "Scottish Borders", "S12000026"),
    ("shetland-islands", "Shetland Islands", "S12000027"),
    ("south-ayrshire", "South Ayrshire", "S12000028"),
    ("south-lanarkshire", "South Lanarkshire", "S12000029"),
    ("stirling", "Stirling", "S12000030"),
    ("west-dunbartonshire", "West Dunbartonshire", "S12000039"),
    ("west-lothian", "West Lothian", "S12000040"),
)

YEARS: tuple[int, ...] = (2012, 2013, 2014, 2015, 2016, 2017)
INDICATORS_EVALUATED = 9

# (slug, label): the lead first; partners follow. Minted as organisation:synthetic-{slug}.
LEAD_INSPECTORATE = ("care-inspectorate", "Care Inspectorate")
PARTNER_INSPECTORATES: tuple[tuple[str, str], ...] = (
    ("education-scotland", "Education Scotland"),
    ("healthcare-improvement-scotland", "Healthcare Improvement Scotland"),
    ("hmics", "Her Majesty\u2019s Inspectorate of Constabulary for Scotland"),
)

# The six grades of carekg's own evaluation scale (ontology/evaluation-scale.ttl): (slug, label, level).
GRADES: tuple[tuple[str, str, int], ...] = (
    ("excellent", "excellent", 6),
    ("very-good", "very good", 5),
    ("good", "good", 4),
    ("adequate", "adequate", 3),
    ("weak", "weak", 2),
    ("unsatisfactory", "unsatisfactory", 1),
)

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# ---------------------------------------------------------------- word banks for the texts

RECOMMENDATION_VERBS = (
    "strengthen", "speed up", "review", "improve", "embed", "extend", "simplify", "evaluate",
    "agree", "monitor", "resource", "coordinate", "prioritise", "redesign", "sustain",
)  # fmt: skip
RECOMMENDATION_OBJECTS = (
    "joint planning for Care Leavers",
    "support for care leavers moving into their own homes",
    "the initial response to child protection concerns",
    "information sharing between social work, health and police staff",
    "the quality of chronologies in case records",
    "early help for families under stress",
    "assessment of risk for young people who go missing",
    "transitions from children's to adult services",
    "the use of data to measure outcomes",
    "self-evaluation across the partnership",
    "engagement with children and their carers in planning",
    "support for kinship carers",
    "mental health services for young people",
    "the consistency of plans for looked after children",
    "multi-agency training on neglect",
    "the review of child protection case conferences",
    "access to advocacy for children in care",
    "the oversight of the chief officers group",
    "work with schools on attendance and exclusions",
    "services for children affected by parental substance misuse",
)  # fmt: skip
RECOMMENDATION_QUALIFIERS = (
    "so that outcomes improve more quickly",
    "with clear lines of accountability",
    "across the whole partnership area",
    "using a shared set of measures",
    "within the next planning cycle",
    "so that the most vulnerable children benefit first",
    "and report progress to the community planning board",
    "in partnership with the third sector",
    "drawing on the views of young people",
    "with the same standard in every locality",
)  # fmt: skip

STRENGTH_SUBJECTS = (
    "staff", "health visitors", "teachers", "social workers", "partners", "police officers",
    "youth workers", "foster carers",
)  # fmt: skip
STRENGTH_ACTIONS = (
    "knew the children they worked with well",
    "worked together to find flexible solutions to local needs",
    "gave young people a real say in decisions about services",
    "supported new parents from the earliest stage",
    "responded quickly when a child was at risk",
    "built trusting relationships with families",
    "made good use of shared training",
    "helped young people into education, training or work",
)  # fmt: skip

REPORT_QUOTES = (
    "Most children and young people in the area are safe, healthy and well supported.",
    "Outcomes for the most vulnerable children are improving, though not yet quickly enough.",
    "Leaders share a clear vision for children's services and staff understand it.",
    "Partners do not yet use data well enough to show the difference their work makes.",
    "Children told inspectors that they feel listened to by the adults who support them.",
    "The quality of assessments and plans varies too much between teams.",
    "Early support for families is a real strength of the partnership.",
    "Young people leaving care need better help to find and keep a home.",
)  # fmt: skip
CHIEF_EXECUTIVE_QUOTES = (
    "Every child deserves services that help them to grow up safe and to do well.",
    "Joint inspection lets us see how well services work together for children.",
    "We expect partners to act on these findings and we will follow their progress.",
    "Where services are doing well, we want that practice to be shared.",
)  # fmt: skip
CHIEF_EXECUTIVE = ("chief-executive", "Sam Example")  # a synthetic person (slug, name)

# ---------------------------------------------------------------- the release's sentences (evidence passages)
# Each is one passage of the synthetic news release; the texts of recommendations, strengths and quotations
# are put into them verbatim, as carekg's shapes require (schema:text occurs in the evidence's oa:exact).

SENTENCE_HEADLINE = (
    "Inspectors have reported on services for children and young people in {area}, "
    "in a synthetic release made for benchmarking."
)
SENTENCE_LEAD_AND_MONTHS = (
    "The joint inspection, led by the {lead}, took place in {months} {year}."
)  # fmt: skip
SENTENCE_TEAMS = "Its team came from the {inspectorates}."
SENTENCE_SCOPE = "They looked at services that the {partnership} provides for children, young people and families."
SENTENCE_GRADE_COUNTS = "Of nine quality indicators, {counts}."
SENTENCE_REPORT_QUOTE = "The report states: “{text}”"
SENTENCE_RECOMMENDATION = "Inspectors asked the partnership to {text}."
SENTENCE_RECOMMENDATION_WITH_BOARD = "Inspectors asked the {partnership} and the {board} to {text}."
SENTENCE_TITLE = "{title}"
SENTENCE_END = "Ends. This release is synthetic benchmark data."
SENTENCE_STRENGTH = "A key strength was that {text}."
SENTENCE_CHIEF_EXECUTIVE = "{name}, Chief Executive of the {lead}, said:"
SENTENCE_CHIEF_EXECUTIVE_QUOTE = "“{text}”"

# ---------------------------------------------------------------- Turtle templates

PREFIXES = """\
@prefix area: <https://w3id.org/carekg/id/area/> .
@prefix carekg: <https://w3id.org/carekg/def/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix grade: <https://w3id.org/carekg/id/grade/> .
@prefix inspection: <https://w3id.org/carekg/id/inspection/> .
@prefix month: <https://w3id.org/carekg/id/month/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix organisation: <https://w3id.org/carekg/id/organisation/> .
@prefix person: <https://w3id.org/carekg/id/person/> .
@prefix post: <https://w3id.org/carekg/id/post/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix report: <https://w3id.org/carekg/id/report/> .
@prefix schema: <https://schema.org/> .
@prefix source: <https://w3id.org/carekg/id/source/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Per report: prefixes for the IRIs minted under the report's own id (as in the hand-authored graph).
REPORT_PREFIXES = """\
@prefix evidence: <https://w3id.org/carekg/id/evidence/{id}/> .
@prefix observation: <https://w3id.org/carekg/id/observation/grade-counts/{id}/> .
@prefix quotation: <https://w3id.org/carekg/id/quotation/{id}/> .
@prefix recommendation: <https://w3id.org/carekg/id/recommendation/{id}/> .
@prefix strength: <https://w3id.org/carekg/id/strength/{id}/> .
"""

GRAPH_DESCRIPTION = """
<{graph}> dct:description "{synthetic}" ;
    rdfs:label {label} .
"""

# ---- the shared graph: areas, inspectorates, the chief executive, the source that "lists" them, the months

COMMON_SOURCE = """
source:synthetic-common
    a carekg:SourceDocument ;
    rdfs:label {label} ;
    dct:description "{synthetic}" .
"""

COUNCIL_AREA = """
area:{area}
    a carekg:CouncilArea ;
    rdfs:label {label} ;
    carekg:gssCode "{gss}" ;
    dct:source source:synthetic-common .
"""

INSPECTORATE = """
organisation:{organisation}
    a carekg:Inspectorate ;
    rdfs:label {label} ;
    dct:source source:synthetic-common .
"""

CHIEF_EXECUTIVE_PERSON = """
person:{person}
    a schema:Person, prov:Person ;
    rdfs:label {label} ;
    schema:name {name} ;
    org:holds post:{post} ;
    dct:source source:synthetic-common .

post:{post}
    a org:Post ;
    rdfs:label {post_label} ;
    org:postIn organisation:{lead} ;
    org:heldBy person:{person} ;
    dct:source source:synthetic-common .
"""

# Calendar months, once for the whole corpus, in the common graph: carekg's own IRIs (month:2014-06),
# triple for triple as graph/shared.ttl gives them (no " (synthetic)" in the label; calendar facts, so no
# dct:source).
MONTH = """
month:{month}
    a time:DateTimeInterval ;
    rdfs:label {label} ;
    time:hasDateTimeDescription month:{month}-description .

month:{month}-description
    a time:DateTimeDescription ;
    time:unitType time:unitMonth ;
    time:year "{year}"^^xsd:gYear ;
    time:month "--{month_number:02d}"^^xsd:gMonth .
"""

# ---- one report's graph

INSPECTION = """
inspection:{id}
    a carekg:JointInspection ;
    rdfs:label {label} ;
    dct:description "{synthetic}" ;
    carekg:leadInspectorate organisation:{lead} ;
    prov:wasAssociatedWith {agents} ;
    prov:qualifiedAssociation {associations} ;
    carekg:fieldworkMonth {months} ;
    carekg:partnershipInspected organisation:{partnership} ;
    dct:spatial area:{area} ;
    carekg:indicatorsEvaluated "{indicators}"^^xsd:nonNegativeInteger ;
    carekg:indicatorScheme <https://w3id.org/carekg/id/scheme/quality-indicators> ;
    carekg:gradeCounts {observations} ;
    prov:generated report:{id} ;
    dct:source source:{source} ;
    carekg:evidence evidence:headline, evidence:lead-and-months, evidence:inspection-teams, evidence:scope,
        evidence:grade-counts .
"""

ASSOCIATION = """
inspection:{id}-association-{organisation}
    a prov:Association ;
    rdfs:label {label} ;
    prov:agent organisation:{organisation} ;
    prov:hadRole carekg:{role} ;
    dct:source source:{source} ;
    carekg:evidence evidence:inspection-teams .
"""

OBSERVATION = """
observation:{grade}
    a qb:Observation ;
    rdfs:label {label} ;
    qb:dataSet <https://w3id.org/carekg/id/dataset/grade-counts> ;
    carekg:inspection inspection:{id} ;
    carekg:grade grade:{grade} ;
    carekg:indicatorCount "{count}"^^xsd:nonNegativeInteger ;
{obtained}    dct:source source:{source} ;
    carekg:evidence evidence:grade-counts .
"""

PARTNERSHIP = """
organisation:{partnership}
    a carekg:CommunityPlanningPartnership ;
    rdfs:label {label} ;
    schema:areaServed area:{area} ;
    dct:source source:{source} ;
    carekg:evidence evidence:scope .
"""

BOARD = """
organisation:{board}
    a carekg:ChildrensServicesBoard ;
    rdfs:label {label} ;
    dct:source source:{source} ;
    carekg:evidence evidence:recommendation-{number} .
"""

REPORT = """
report:{id}
    a carekg:InspectionReport ;
    rdfs:label {label} ;
    dct:title {title} ;
    dct:issued "{issued}"^^xsd:date ;
    prov:wasGeneratedBy inspection:{id} ;
    dct:source source:{source} ;
    carekg:evidence evidence:lead-and-months .
"""

SOURCE = """
source:{source}
    a carekg:SourceDocument, schema:NewsArticle ;
    rdfs:label {label} ;
    dct:title {title} ;
    dct:identifier "{identifier}" ;
    dct:publisher organisation:{lead} ;
    schema:about inspection:{id} ;
    dct:description "{synthetic}" .
"""

RECOMMENDATION = """
recommendation:{number}
    a carekg:Recommendation ;
    rdfs:label {label} ;
    schema:text {text} ;
    schema:position {number} ;
{addressees}    prov:wasGeneratedBy inspection:{id} ;
    dct:isPartOf report:{id} ;
    dct:source source:{source} ;
    carekg:evidence evidence:recommendation-{number} .
"""

STRENGTH = """
strength:{number}
    a carekg:Strength ;
    rdfs:label {label} ;
    schema:text {text} ;
    schema:position {number} ;
    carekg:strengthOfAsRead organisation:{partnership} ;
    rdfs:comment {comment} ;
    prov:wasGeneratedBy inspection:{id} ;
    dct:isPartOf report:{id} ;
    dct:source source:{source} ;
    carekg:evidence evidence:strength-{number} .
"""

REPORT_QUOTATION = """
quotation:{number}
    a schema:Quotation, prov:Entity ;
    rdfs:label {label} ;
    schema:text {text} ;
    schema:position {number} ;
    prov:wasQuotedFrom report:{id} ;
    schema:about inspection:{id} ;
    dct:source source:{source} ;
    carekg:evidence evidence:quotation-{number} .
"""

PERSON_QUOTATION = """
quotation:{number}
    a schema:Quotation, prov:Entity ;
    rdfs:label {label} ;
    schema:text {text} ;
    schema:position {number} ;
    schema:creator person:{person} ;
    schema:about inspection:{id} ;
    dct:source source:{source} ;
    carekg:evidence evidence:quotation-{number}, evidence:chief-executive .
"""

# Lines of OBSERVATION: how its count was obtained.
STATED_COUNT = "    carekg:countObtainedBy carekg:statedInSource ;\n"
DERIVED_COUNT = (
    "    carekg:countObtainedBy carekg:derivedByArithmetic ;\n    rdfs:comment {comment} ;\n"
)
DERIVED_COUNT_COMMENT = (
    "Zero: the synthetic release gives the counts of all nine indicators ({stated}), so none was graded "
    "{grade} (carekg's arithmetic)."
)

# Lines of RECOMMENDATION: its addressees, named in the sentence or carekg's reading of it.
ADDRESSED_TO = "    carekg:addressedTo {organisations} ;\n"
ADDRESSEE_AS_READ = "    carekg:addresseeAsRead {organisations} ;\n    rdfs:comment {comment} ;\n"
ADDRESSEE_AS_READ_COMMENT = (
    "\u201cthe partnership\u201d, in the synthetic release's words: carekg reads the {partnership}."
)
STRENGTH_OF_AS_READ_COMMENT = (
    "The synthetic release names no body: carekg reads the partnership inspected."
)

EVIDENCE = """
evidence:{name}
    a carekg:Evidence ;
    rdfs:label {label} ;
    oa:hasSource source:{source} ;
    oa:hasSelector evidence:{name}-selector .

evidence:{name}-selector
    a oa:TextQuoteSelector ;
    oa:exact {exact} ;
    oa:prefix {prefix} ;
    oa:suffix {suffix} .
"""
