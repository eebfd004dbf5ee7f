"""The read side rewritten for 10 000 documents gives the answers it gave before.

Each rewritten path is compared with a straightforward reference computation (the query or loop it
replaced) on the 55 State Council notices (../shared/corpus/govcn, skipped when absent) plus the
bundled notice and the district notice of tests/fixtures/cli (青政办发〔2024〕12号: 区发改局 leads
（二）（三）). The organisation list the home keeps between processes is checked to follow every
change of the store.
"""
from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, SHARED_CORPUS

DISTRICT = FIXTURES / "cli" / "district_plan.txt"
DISTRICT_NO = "青政办发〔2024〕12号"
needs_corpus = pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="shared corpus absent")


@pytest.fixture(scope="module")
def govcn(tmp_path_factory):
    import policykg
    kg = policykg.open(tmp_path_factory.mktemp("govcn"))
    kg.ingest([SHARED_CORPUS, DISTRICT])
    yield kg
    kg.close()


def _data(records) -> list:
    return [dataclasses.asdict(r) for r in records]


# -- reference computations: the queries and loops the rewritten paths replaced ---------------------------
def _reference_measures(kg, owner=None, document=None, role=None):
    """Measures from one query with the responsibilities as an OPTIONAL (the former form)."""
    from policykg.ontology import ID
    from policykg.reader import path_order
    from policykg.records import MeasureRecord, RoleRecord
    first = ""
    role_filter = f"pkg:role pkg:{role}" if role else ""
    if owner:
        org = kg.resolve_department(owner)
        first = f"?m pkg:responsibility ?r0 . ?r0 pkg:agent <{ID}org/{org.id}>" + (" ; " if role else "") + f"{role_filter} ."
    elif role:
        first = f"?m pkg:responsibility ?r0 . ?r0 {role_filter} ."
    rows = kg.store.select(f"""
        SELECT DISTINCT ?m ?d ?num ?dtitle ?number ?path ?title ?text ?s ?e ?o ?role ?mention ?pos WHERE {{
          {first}
          ?m a pkg:Measure ; eli:is_part_of ?d ; pkg:number ?number ; pkg:path ?path ;
             eli:title ?title ; pkg:text ?text ; pkg:spanStart ?s ; pkg:spanEnd ?e .
          ?d eli:title ?dtitle . OPTIONAL {{ ?d eli:id_local ?num }}
          {kg.document_filter("?d", document)}
          OPTIONAL {{ ?m pkg:responsibility ?r . ?r pkg:agent ?o ; pkg:role ?role ; pkg:mention ?mention ;
                                                        pkg:listPosition ?pos . }}
        }}""")
    names = {f"{ID}org/{o.id}": (o.name, o.en) for o, _ in kg.organisations()}
    measures: dict[str, MeasureRecord] = {}
    rows.sort(key=lambda r: r["pos"] or 0)
    for r in rows:
        m = measures.get(r["m"])
        if m is None:
            m = measures[r["m"]] = MeasureRecord(r["m"], r["num"] or r["dtitle"], r["number"], r["title"],
                                                 r["text"], r["path"], (r["s"], r["e"]))
        if r["o"] in names:
            zh, en = names[r["o"]]
            m.responsibilities.append(RoleRecord(zh, r["role"].rsplit("#", 1)[-1], r["mention"], en, r["o"]))
    return sorted(measures.values(), key=lambda m: (m.document, path_order(m.path)))


def _reference_deadlines(kg):
    """Deadlines from one query joining the parties' names (the former form)."""
    from policykg.reader import _PRECISION, in_text_order
    from policykg.records import DeadlineRecord
    rows = kg.store.select("""
        SELECT ?x ?num ?dtitle ?date ?what ?text ?sub ?mnum ?s ?e ?unit ?period ?every ?rel
               (GROUP_CONCAT(DISTINCT ?oname; separator="|") AS ?obl) WHERE {
          ?x a pkg:Deadline ; prov:wasDerivedFrom ?d ; pkg:text ?text ; pkg:spanStart ?s ; pkg:spanEnd ?e .
          ?x time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?date .
          ?d eli:title ?dtitle . OPTIONAL { ?d eli:id_local ?num }
          OPTIONAL { ?x pkg:deliverable ?what }
          OPTIONAL { ?x pkg:datePrecision ?unit } OPTIONAL { ?x pkg:calendarPeriod ?period }
          OPTIONAL { ?x pkg:recurrence ?every } OPTIONAL { ?x pkg:relativeTo ?rel }
          OPTIONAL { ?x pkg:submitTo ?st . ?st skos:prefLabel ?sub FILTER(lang(?sub) = "zh") }
          OPTIONAL { ?x pkg:obligatedParty ?o . ?o skos:prefLabel ?oname FILTER(lang(?oname) = "zh") }
          OPTIONAL { ?x pkg:measure ?m . ?m pkg:number ?mnum }
        } GROUP BY ?x ?num ?dtitle ?date ?what ?text ?sub ?mnum ?s ?e ?unit ?period ?every ?rel""")
    out = [DeadlineRecord(r["x"], r["num"] or r["dtitle"], str(r["date"]), r["what"] or "",
                          in_text_order([o for o in (r["obl"] or "").split("|") if o], r["text"]), r["sub"],
                          r["text"], r["mnum"], (r["s"], r["e"]), _PRECISION.get(r["unit"] or "", ""), r["period"],
                          str(r["every"]) if r["every"] else None, r["rel"]) for r in rows]
    return sorted(out, key=lambda d: (d.date, d.document, d.span))


def _reference_documents(kg):
    """Documents from the former queries: all properties in one query, measures counted by link."""
    from policykg.records import DocumentRecord
    docs = [r["d"] for r in kg.store.select("SELECT DISTINCT ?d WHERE { ?d a eli:LegalResource }")]
    fields = {"id_local": "num", "title": "title", "citedTitle": "cited", "date_document": "date", "sourceName": "text"}
    props: dict = {}
    for r in kg.store.select("""SELECT DISTINCT ?d ?p ?o WHERE {
            VALUES ?p { eli:id_local eli:title pkg:citedTitle eli:date_document pkg:sourceName } ?d ?p ?o }"""):
        props.setdefault(r["d"], {}).setdefault(fields[r["p"].rsplit("#", 1)[-1]], r["o"])
    labels = {r["i"]: r["name"] for r in kg.store.select(
        'SELECT DISTINCT ?i ?name WHERE { ?i skos:prefLabel ?name FILTER(lang(?name) = "zh") }')}
    issuers: dict = {}
    for r in kg.store.select("SELECT DISTINCT ?d ?i WHERE { ?d pkg:issuer ?i }"):
        if r["i"] in labels:
            issuers.setdefault(r["d"], set()).add(labels[r["i"]])
    counts = {r["d"]: r["n"] for r in kg.store.select(
        "SELECT ?d (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a pkg:Measure ; eli:is_part_of ?d } GROUP BY ?d")}
    rows = [{"d": d, **dict.fromkeys(fields.values()), **props.get(d, {}), "issuers": sorted(issuers.get(d, ())),
             "n": counts.get(d, 0)} for d in docs]
    names = {r["d"]: r["num"] or r["title"] or r["cited"] or "" for r in rows}
    cites: dict = {}
    cited_by: dict = {}
    for r in kg.store.select("SELECT DISTINCT ?a ?b WHERE { ?a eli:cites ?b }"):
        cites.setdefault(r["a"], []).append(names.get(r["b"], r["b"]))
        cited_by.setdefault(r["b"], []).append(names.get(r["a"], r["a"]))
    out = [DocumentRecord(r["d"], r["num"], r["title"] or r["cited"] or "", r["date"], r["issuers"], r["n"],
                          r["text"] is None, sorted(cites.get(r["d"], [])), sorted(cited_by.get(r["d"], [])), r["text"])
           for r in rows]
    return sorted(out, key=lambda d: (d.doc_number is None, d.doc_number or "", d.title))


def _reference_neighbourhood(kg, owner, radius):
    """The owner's neighbourhood cut out of the graph of everything (the former way)."""
    from policykg.render import full_graph
    g = full_graph(kg)
    name = kg.resolve_department(owner).name
    centre = next(n for n, a in g.nodes(data=True) if a["kind"] == "department" and a.get("name") == name)
    keep, frontier = {centre}, [centre]
    for _ in range(radius):
        nxt = []
        for n in frontier:
            if g.nodes[n]["kind"] == "document" and n != centre:
                continue
            for nb in (*g.predecessors(n), *g.successors(n)):
                if nb not in keep:
                    keep.add(nb)
                    nxt.append(nb)
        frontier = nxt
    g = g.subgraph(keep).copy()
    g.nodes[centre]["focus"] = 1
    return g


def _graph_data(g) -> tuple[list, list]:
    nodes = sorted((n, json.dumps(a, sort_keys=True, ensure_ascii=False)) for n, a in g.nodes(data=True))
    edges = sorted((u, v, json.dumps(a, sort_keys=True, ensure_ascii=False)) for u, v, a in g.edges(data=True))
    return nodes, edges


# -- the rewritten paths give the reference answers ----------------------------------------------------------
@needs_corpus
def test_measures_of_every_department_are_those_of_the_one_query_form(govcn):
    for dept in govcn.departments():
        assert _data(govcn.measures(owner=dept.name)) == _data(_reference_measures(govcn, owner=dept.name)), dept.name


@needs_corpus
@pytest.mark.parametrize("role", ["lead", "support", "guide"])
def test_measures_by_role_are_those_of_the_one_query_form(govcn, role):
    assert _data(govcn.measures(role=role)) == _data(_reference_measures(govcn, role=role))
    assert _data(govcn.measures(owner="区发改局", role=role)) == _data(_reference_measures(govcn, owner="区发改局", role=role))


@needs_corpus
def test_all_measures_and_one_documents_are_those_of_the_one_query_form(govcn):
    assert _data(govcn.measures()) == _data(_reference_measures(govcn))
    assert _data(govcn.measures(document=DISTRICT_NO)) == _data(_reference_measures(govcn, document=DISTRICT_NO))


@needs_corpus
def test_deadlines_name_the_same_parties_as_the_joined_query(govcn):
    assert _data(govcn.deadlines()) == _data(_reference_deadlines(govcn))


@needs_corpus
def test_documents_listing_is_that_of_the_former_queries(govcn):
    assert _data(govcn.documents()) == _data(_reference_documents(govcn))


@needs_corpus
def test_documents_among_some_are_those_records_of_the_whole_listing(govcn):
    every = {d.iri: d for d in govcn.documents()}
    cited = [d.iri for d in every.values() if d.cited_by or d.citations][:5]
    assert cited and _data(govcn.documents(among=cited)) == _data([every[i] for i in sorted(
        cited, key=lambda i: (every[i].doc_number is None, every[i].doc_number or "", every[i].title))])


@needs_corpus
@pytest.mark.parametrize("owner,depth", [("公安部", 2), ("教育部", 1), ("教育部", 3), ("区发改局", 2), ("财政部", 0)])
def test_owner_graph_is_the_neighbourhood_cut_from_the_whole_graph(govcn, owner, depth):
    from policykg.render import responsibility_graph
    assert _graph_data(responsibility_graph(govcn, owner=owner, depth=depth)) == \
        _graph_data(_reference_neighbourhood(govcn, owner, depth))


@needs_corpus
def test_task_tables_place_deadlines_matrix_and_goals_as_the_per_measure_scan(govcn):
    from policykg.exports import ROLE_ZH, _deadline_cells, task_tables
    deadlines, departments = govcn.deadlines(), govcn.departments()
    tables = task_tables(govcn)
    measures = govcn.measures()
    assert [r.measure_iri for t in tables for r in t.rows] == [m.iri for m in sorted(measures, key=lambda m: m.document)]
    by_iri = {m.iri: m for m in measures}
    for table in tables:
        for row in table.rows:
            m = by_iri[row.measure_iri]
            own = [d for d in deadlines if d.document == m.document and d.measure == m.number]
            wide = [d for d in deadlines if d.document == m.document and not d.measure]
            assert row.deadlines == _deadline_cells(own or wide)
        doc_measures = [m for m in measures if m.document == table.document]
        matrix = []
        for d in departments:
            roles = [[r.role for r in m.responsibilities if r.iri == d.iri] for m in doc_measures]
            if any(roles):
                matrix.append([d.name] + ["、".join(ROLE_ZH.get(r, r) for r in rs) for rs in roles]
                              + [sum(1 for rs in roles if rs)])
        matrix.sort(key=lambda row: -int(row[-1]))
        assert table.matrix == matrix


@needs_corpus
def test_records_as_dicts_are_what_asdict_gives(govcn):
    for records in (govcn.measures(), govcn.targets(), govcn.deadlines(), govcn.conditions(), govcn.documents(),
                    govcn.departments()):
        for r in records:
            plain = r.to_dict()
            assert plain == dataclasses.asdict(r)
            assert [type(v) for v in plain.values()] == [type(v) for v in dataclasses.asdict(r).values()]


def _openpyxl_workbook(tables) -> bytes:
    """The 任务分工表 workbook as openpyxl built it (the former writer), from the same tables."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from policykg.exports import NOTES, TASK_HEADERS, _xlsx_safe
    several = len(tables) > 1
    wb = Workbook()
    written: dict[str, int] = {}

    def append(ws, values):
        ws.append(values)
        written[ws.title] = row = written.get(ws.title, 0) + 1
        return [ws.cell(row, col) for col in range(1, len(values) + 1)]

    def block(ws, t, headers, rows):
        if several:
            if written.get(ws.title):
                append(ws, [])
            append(ws, [f"文件：{t.label}"])[0].font = Font(bold=True, size=12)
        for c in append(ws, list(headers)):
            c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
            c.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            for c in append(ws, [_xlsx_safe(v) for v in row]):
                c.alignment = Alignment(wrap_text=True, vertical="top")

    def finish(ws, widths):
        for i in range(1, ws.max_column + 1):
            ws.column_dimensions[get_column_letter(i)].width = widths(i)
        if not several:
            ws.freeze_panes = "B2"
    ws = wb.active
    ws.title = "任务分工表"
    for t in tables:
        block(ws, t, TASK_HEADERS, [r.cells() for r in t.rows])
    finish(ws, lambda i: {1: 6, 2: 34, 3: 30, 4: 60, 5: 34, 6: 40, 7: 22}.get(i, 20))
    append(ws, [])
    for note in ["说明"] + NOTES:
        append(ws, [None, note])
    ws = wb.create_sheet("部门矩阵")
    for t in tables:
        block(ws, t, t.matrix_headers, t.matrix)
    finish(ws, lambda i: 34 if i == 1 else 14)
    ws = wb.create_sheet("总体目标")
    for t in tables:
        if t.document_targets or not several:
            block(ws, t, t.targets_headers, t.document_targets)
    finish(ws, lambda i: {1: 22, 2: 40, 3: 14, 4: 8, 5: 60}.get(i, 20))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _as_read(data: bytes) -> dict:
    """What openpyxl reads from a workbook: every cell's value, type, font, fill and alignment, the
    column widths and the frozen panes of each sheet."""
    import io

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: (ws.freeze_panes, ws.dimensions, {k: d.width for k, d in sorted(ws.column_dimensions.items())},
                       [(c.value, c.data_type, c.font.b, c.font.sz, c.font.name, c.fill.fill_type, c.fill.fgColor.rgb,
                         c.alignment.wrap_text, c.alignment.vertical, c.number_format)
                        for row in ws.iter_rows() for c in row])
            for ws in wb.worksheets}


@needs_corpus
@pytest.mark.parametrize("document", [None, DISTRICT_NO, "国发〔2019〕5号"])
def test_the_workbook_reads_back_as_the_one_openpyxl_wrote(govcn, document):
    from policykg.exports import matrix_xlsx, task_tables
    assert _as_read(matrix_xlsx(govcn, document=document)) == _as_read(_openpyxl_workbook(task_tables(govcn, document)))


# -- the organisation list kept in the home follows every change of the store -------------------------------
def _cli(home, *args):
    from policykg.cli import main
    return CliRunner().invoke(main, ["--home", str(home), *args])


def test_a_department_named_only_by_an_ingested_notice_is_found_after_the_ingest(tmp_path):
    assert _cli(tmp_path, "measures", "--owner", "区发改局").exit_code == 1  # the list is kept now
    assert _cli(tmp_path, "ingest", str(DISTRICT)).exit_code == 0
    result = _cli(tmp_path, "measures", "--owner", "区发改局", "--format", "json")
    assert result.exit_code == 0 and len(json.loads(result.output)) == 4


def test_a_department_of_a_removed_notice_is_gone_after_the_removal(tmp_path):
    assert _cli(tmp_path, "ingest", str(DISTRICT)).exit_code == 0
    assert _cli(tmp_path, "measures", "--owner", "区发改局").exit_code == 0
    assert _cli(tmp_path, "remove", DISTRICT_NO).exit_code == 0
    result = _cli(tmp_path, "measures", "--owner", "区发改局")
    assert result.exit_code == 1 and "区发改局" in result.output


def test_a_write_through_the_store_alone_is_not_answered_from_the_kept_list(tmp_path):
    import policykg
    from policykg.ingest import write_documents
    from policykg.reader import GraphReader
    from policykg.store import OxigraphStore
    policykg.open(tmp_path).close()
    kg = policykg.open(tmp_path)
    assert "区发改局" not in {o.name for o, _ in kg.organisations()}  # kept for this version
    kg.close()
    store = OxigraphStore(tmp_path / "store")
    write_documents(GraphReader(store, tmp_path), [policykg.parse(DISTRICT)])  # nothing told to forget
    store.close()
    kg = policykg.open(tmp_path)
    assert len(kg.measures(owner="区发改局")) == 4
    kg.close()


def test_a_notice_undone_by_the_journal_on_reopening_takes_its_departments_away(tmp_path):
    import policykg
    from policykg.iris import document_iri
    kg = policykg.open(tmp_path)
    kg.ingest([DISTRICT])
    assert kg.measures(owner="区发改局")  # the list with 区发改局 is kept
    store = kg.store  # a bulk load killed half-way leaves its journal naming the notice's graph
    store._store.update(f"INSERT DATA {{ GRAPH <{store.JOURNAL}> {{ <{store.JOURNAL}> <{store.JOURNAL}#graph> "
                        f"<{document_iri(DISTRICT_NO)}> }} }}")
    kg.close()
    kg = policykg.open(tmp_path)
    with pytest.raises(policykg.DepartmentError):
        kg.measures(owner="区发改局")
    kg.close()


def test_kept_listings_follow_a_second_notice_naming_the_same_department(tmp_path):
    def count(*args):
        result = _cli(tmp_path, *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return len(json.loads(result.output))
    assert _cli(tmp_path, "ingest", str(DISTRICT)).exit_code == 0
    before = [count("measures", "--owner", "区发改局"), count("documents"), count("deadlines"), count("targets")]
    second = tmp_path / "second.txt"
    second.write_text(DISTRICT.read_text("utf-8").replace("12号", "13号"), "utf-8")
    assert _cli(tmp_path, "ingest", str(second)).exit_code == 0
    after = [count("measures", "--owner", "区发改局"), count("documents"), count("deadlines"), count("targets")]
    added = [count(what, "--doc", "青政办发〔2024〕13号") for what in ("deadlines", "targets")]
    assert after == [before[0] * 2, before[1] + 1, before[2] + added[0], before[3] + added[1]] and all(added)


def test_nothing_kept_is_used_while_a_write_is_under_way(tmp_path):
    from policykg.kept import keep, recall
    keep(tmp_path, "organisations", "v1", [["教育部", True]])
    assert recall(tmp_path, "organisations", "v1") == [["教育部", True]]
    assert recall(tmp_path, "organisations", "v2") is None
    assert recall(tmp_path, "organisations", None) is None  # the store's version while it is written
