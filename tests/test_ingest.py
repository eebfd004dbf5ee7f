"""Ingesting many files: summaries, bad files skipped, links between documents, idempotence, provenance.

Fixtures (tests/fixtures/ingest/, invented texts): a national notice 人社部发〔2024〕21号, a Guangxi plan
桂人社发〔2024〕40号 citing it as 《…》（人社部发〔2024〕21号）, and a city notice citing the Guangxi plan by a
bare 文号 (根据桂人社发〔2024〕40号文件要求).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import policykg
from policykg.cli import main
from policykg.citations import find_citations, issuer_of_doc_number
from policykg.validate import shape_checker

from conftest import FIXTURES

HERE = FIXTURES / "ingest"
NATIONAL, PROVINCIAL, CITY = HERE / "national_notice.txt", HERE / "provincial_plan.txt", HERE / "city_plan.txt"
NATIONAL_NO, PROVINCIAL_NO, CITY_NO = "人社部发〔2024〕21号", "桂人社发〔2024〕40号", "南人社发〔2024〕12号"


@pytest.fixture
def kg(tmp_path):
    graph = policykg.open(tmp_path / "home")
    yield graph
    graph.close()


def _doc(kg, number):
    found = [d for d in kg.documents() if d.doc_number == number]
    assert len(found) <= 1, f"{number} appears {len(found)} times"
    return found[0] if found else None


def _count(kg) -> int:
    return kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]


# -- 文号 prefix → issuer (ontology/doc_number_issuers.json) -----------------------------------------
@pytest.mark.parametrize("number, issuer", [
    ("人社部发〔2023〕8号", "人力资源和社会保障部"),
    ("桂人社发〔2023〕32号", "广西壮族自治区人力资源和社会保障厅"),
    ("国办发〔2018〕121号", "国务院办公厅"),  # the longest prefix wins over 国发
    ("国发〔2019〕3号", "国务院"),
    ("发改农经〔2004〕1933号", "国家发展和改革委员会"),
])
def test_doc_number_prefix_names_the_issuer(number, issuer):
    assert issuer_of_doc_number(number).name == issuer


def test_unknown_doc_number_prefix_names_no_issuer():
    assert issuer_of_doc_number("粤府〔2020〕1号") is None


def test_issuer_outside_the_registry_is_a_new_national_organisation():
    party = issuer_of_doc_number("中发〔1994〕8号")
    assert party.name == "中共中央" and party.org.jurisdiction == "cn"


def test_bare_doc_number_loses_the_words_before_it():
    [cited] = find_citations("根据桂人社发〔2024〕40号精神，制定本方案。")
    assert cited.doc_number == "桂人社发〔2024〕40号"


def test_a_cited_decree_gets_the_number_its_own_header_gives():
    [cited] = find_citations("依照中华人民共和国国务院令第76号的规定")
    assert cited.doc_number == "国令第76号"
    assert issuer_of_doc_number("国令第76号").name == "国务院"


# -- the batch --------------------------------------------------------------------------------------
def test_ingest_returns_a_summary_per_file(kg):
    [r] = kg.ingest([NATIONAL])
    assert (r.doc_number, r.measures, r.targets, r.deadlines, r.problem) == (NATIONAL_NO, 2, 1, 2, None)
    assert r.title == "人力资源社会保障部关于开展职业技能提升示范行动的通知"
    assert [m.number for m in kg.measures(document=NATIONAL_NO)] == ["（一）", "（二）"]


def test_folders_are_read_recursively_skipping_hidden_and_other_files(kg, tmp_path):
    (tmp_path / "in" / "gx" / "nanning").mkdir(parents=True)
    shutil.copy(NATIONAL, tmp_path / "in" / "a.txt")
    shutil.copy(PROVINCIAL, tmp_path / "in" / "gx" / "b.txt")
    shutil.copy(CITY, tmp_path / "in" / "gx" / "nanning" / "c.txt")
    shutil.copy(CITY, tmp_path / "in" / ".hidden.txt")
    (tmp_path / "in" / "index.json").write_text("{}", "utf-8")
    results = kg.ingest([tmp_path / "in"])
    assert [r.doc_number for r in results] == [NATIONAL_NO, PROVINCIAL_NO, CITY_NO]


def test_a_bad_file_is_reported_and_skipped_the_rest_stored(kg, tmp_path):
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    results = kg.ingest([NATIONAL, tmp_path / "broken.txt", tmp_path / "missing.txt", PROVINCIAL])
    assert [r.problem for r in results] == [None, "binary data, not a text file", "no such file or folder", None]
    assert _doc(kg, NATIONAL_NO).measures == 2 and _doc(kg, PROVINCIAL_NO).measures == 2


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {"binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
             "empty": b"", "blank": "   \n\n".encode(),
             "latin-1": "Résumé des mesures: café, façade, naïve, déjà vu, garçon.\n".encode("latin-1") * 20}
    out = {}
    for name, data in files.items():
        out[name] = tmp_path / f"{name}.txt"
        out[name].write_bytes(data)
    big = out["50 MB"] = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    return out


def test_bad_inputs_get_one_line_errors_and_leave_the_store_untouched(kg, tmp_path):
    before = sorted(kg.store.dump().splitlines())
    results = kg.ingest(list(_bad_inputs(tmp_path).values()))
    problems = [r.problem for r in results]
    assert all(problems) and all("\n" not in p for p in problems), problems
    assert "too large" in problems[-1] and "empty" in problems[1]
    assert sorted(kg.store.dump().splitlines()) == before


def test_cli_ingest_exits_nonzero_naming_the_bad_file_but_stores_the_good(tmp_path):
    bad = _bad_inputs(tmp_path)
    home = str(tmp_path / "home")
    result = CliRunner().invoke(main, ["--home", home, "ingest", str(NATIONAL), str(bad["binary"]),
                                       str(bad["50 MB"])])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("policykg:")]
    assert errors == [f"policykg: {bad['binary']}: binary data, not a text file",
                      f"policykg: {bad['50 MB']}: too large (50 MB; the limit is 20 MB)"]
    assert "Traceback" not in result.output
    listed = CliRunner().invoke(main, ["--home", home, "documents", "--format", "json"])
    assert NATIONAL_NO in [d["doc_number"] for d in json.loads(listed.stdout) if not d["stub"]]


def test_cli_ingest_prints_a_summary_table(tmp_path):
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "h"), "ingest", str(HERE)])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split()
    assert header == ["文件", "文号", "标题", "措施", "目标", "时限", "未识别", "问题"]
    assert "3 stored, 0 failed" in result.stderr


def test_cli_progress_bar_on_request(tmp_path):
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "h"), "ingest", "--progress", str(HERE)])
    assert "ingesting" in result.stderr and result.exit_code == 0


# -- links across documents -------------------------------------------------------------------------
def test_a_citation_creates_a_stub_with_title_number_and_issuer(kg):
    kg.ingest([PROVINCIAL])
    stub = _doc(kg, NATIONAL_NO)
    assert stub.stub and stub.title == "人力资源社会保障部关于开展职业技能提升示范行动的通知"
    assert stub.issuers == ["人力资源和社会保障部"]
    assert stub.cited_by == [PROVINCIAL_NO] and _doc(kg, PROVINCIAL_NO).citations == [NATIONAL_NO]


def test_ingesting_the_cited_document_merges_it_with_its_stub(kg):
    kg.ingest([PROVINCIAL])
    stub_iri = _doc(kg, NATIONAL_NO).iri
    kg.ingest([NATIONAL])
    merged = _doc(kg, NATIONAL_NO)  # one node: _doc asserts there is no duplicate
    assert merged.iri == stub_iri and not merged.stub and merged.measures == 2
    assert merged.cited_by == [PROVINCIAL_NO]
    assert len([d for d in kg.documents() if d.iri == stub_iri]) == 1


def test_removing_the_national_notice_turns_it_back_into_a_stub(kg):
    kg.ingest([NATIONAL, PROVINCIAL])
    gone = kg.remove(NATIONAL_NO)
    assert gone.stub and gone.cited_by == [PROVINCIAL_NO] and gone.triples > 0
    stub = _doc(kg, NATIONAL_NO)
    assert stub.stub and stub.measures == 0 and stub.cited_by == [PROVINCIAL_NO]
    assert kg.measures(owner="财政部") == []  # 建设示范基地 (财政部配合) went with it


def test_removing_a_document_nobody_cites_leaves_no_trace(kg):
    before = sorted(kg.store.dump().splitlines())
    kg.ingest([CITY])
    gone = kg.remove(CITY_NO)
    assert not gone.stub
    assert sorted(kg.store.dump().splitlines()) == before


def test_a_bare_doc_number_links_the_city_notice_to_the_provincial_plan(kg):
    kg.ingest([CITY, PROVINCIAL])
    assert _doc(kg, PROVINCIAL_NO).cited_by == [CITY_NO]
    assert _doc(kg, CITY_NO).citations == [PROVINCIAL_NO]


def test_documents_json_shows_citations_and_cited_by(tmp_path):
    home = str(tmp_path / "home")
    CliRunner().invoke(main, ["--home", home, "ingest", str(NATIONAL), str(PROVINCIAL)])
    data = {d["doc_number"]: d for d in json.loads(
        CliRunner().invoke(main, ["--home", home, "documents", "--format", "json"]).stdout)}
    assert data[PROVINCIAL_NO]["citations"] == [NATIONAL_NO]
    assert data[NATIONAL_NO]["cited_by"] == [PROVINCIAL_NO] and data[NATIONAL_NO]["stub"] is False


def test_cli_remove_reports_the_stub_and_refuses_unknown_documents(tmp_path):
    home = str(tmp_path / "home")
    CliRunner().invoke(main, ["--home", home, "ingest", str(NATIONAL), str(PROVINCIAL)])
    result = CliRunner().invoke(main, ["--home", home, "remove", NATIONAL_NO])
    assert result.exit_code == 0 and f"{NATIONAL_NO} stays as a stub" in result.stdout
    result = CliRunner().invoke(main, ["--home", home, "remove", "国发〔1900〕1号"])
    assert result.exit_code == 1 and "no document matches" in result.stderr


# -- idempotence --------------------------------------------------------------------------------------
def test_reingesting_the_same_file_changes_nothing(kg):
    kg.ingest([NATIONAL, PROVINCIAL])
    count, dump = _count(kg), sorted(kg.store.dump().splitlines())
    kg.ingest([PROVINCIAL, NATIONAL])
    assert _count(kg) == count and sorted(kg.store.dump().splitlines()) == dump


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_another_name_and_encoding_replace_the_same_document(kg, tmp_path, encoding):
    kg.ingest([NATIONAL])
    count = _count(kg)
    copy = tmp_path / f"copy-{encoding}.txt"
    copy.write_bytes(NATIONAL.read_text("utf-8").encode(encoding))
    [r] = kg.ingest([copy])
    assert r.encoding == encoding and r.doc_number == NATIONAL_NO
    assert _count(kg) == count
    assert _doc(kg, NATIONAL_NO).source == str(copy)


def test_the_same_document_twice_in_one_batch_is_stored_once(kg, tmp_path):
    copy = tmp_path / "again.txt"
    shutil.copy(NATIONAL, copy)
    first, second = kg.ingest([NATIONAL, copy])
    assert first.note == f"replaced by {copy} (same document)" and second.ok
    assert _doc(kg, NATIONAL_NO).source == str(copy)


# -- provenance ---------------------------------------------------------------------------------------
def test_show_quotes_the_sentence_a_target_came_from(kg):
    kg.ingest([NATIONAL])
    fact = kg.fact("t1", document=NATIONAL_NO)
    assert fact.quote in fact.sentence
    assert fact.sentence == "面向农民工、高校毕业生等重点群体开展职业技能培训，全年培训不少于500万人次。"
    assert fact.document == NATIONAL_NO and fact.kind == "Target"


def test_show_finds_a_measure_by_its_path_when_one_document_has_it(tmp_path):
    home = str(tmp_path / "home")
    CliRunner().invoke(main, ["--home", home, "ingest", str(NATIONAL)])
    result = CliRunner().invoke(main, ["--home", home, "show", "m1.2"])
    assert result.exit_code == 0, result.output
    assert "（二）建设示范基地。遴选建设一批高技能人才培训基地" in result.stdout
    assert "/doc/人社部发-2024-21/measure/1.2" in result.stdout


def test_show_by_iri_and_unknown_ids(kg):
    kg.ingest([NATIONAL])
    iri = kg.fact("d1", document=NATIONAL_NO).iri
    assert kg.fact(iri).sentence.startswith("遴选建设一批高技能人才培训基地")
    with pytest.raises(LookupError):
        kg.fact("t99", document=NATIONAL_NO)
    with pytest.raises(ValueError):
        kg.fact("no such thing")


# -- validation: the compiled shapes agree with pySHACL -----------------------------------------------
def _variants(nt: str) -> dict[str, str]:
    pkg = "https://w3id.org/policykg/ontology#"
    lines = nt.splitlines(keepends=True)
    measure_text = next(t for t in lines if "/measure/" in t.split()[0] and f"<{pkg}text>" in t)
    deadline = next(t.split()[0] for t in lines if "/deadline/" in t.split()[0])
    doc = next(t.split()[0] for t in lines if f"<{pkg}sourceText>" in t)
    span = next(t for t in lines if "/measure/" in t.split()[0] and f"<{pkg}spanStart>" in t)
    return {
        "as built": nt,
        "measure without text": nt.replace(measure_text, ""),
        "two 文号": nt + f'{doc} <http://data.europa.eu/eli/ontology#id_local> "另〔2024〕1号" .\n',
        "role outside the list": nt.replace(f"<{pkg}lead>", f"<{pkg}boss>"),
        "span as a string": nt.replace(span, span.replace("^^<http://www.w3.org/2001/XMLSchema#integer>", "")),
        "two due dates": nt + f'{deadline} <http://www.w3.org/2006/time#inXSDgYear> '
                              f'"2024"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n',
        "agent not an organisation": nt.replace(f"<{pkg}agent> <https://w3id.org/policykg/id/org/",
                                                f"<{pkg}agent> <https://example.org/", 1),
    }


def test_compiled_shapes_agree_with_pyshacl():
    import rdflib

    from policykg.ingest import document_ntriples, reference_ntriples
    from policykg.validate import validate_graph
    registry, ontology = reference_ntriples()
    nt = document_ntriples(policykg.parse(NATIONAL))
    verdicts = {}
    for name, data in _variants(nt).items():
        mine = not shape_checker().violations(registry + ontology + data)
        reference = validate_graph(rdflib.Graph().parse(data=registry + ontology + data, format="nt")).conforms
        verdicts[name] = (mine, reference)
    assert all(m == r for m, r in verdicts.values()), verdicts
    assert [n for n, (m, _) in verdicts.items() if m] == ["as built"]


def test_bulk_triples_equal_the_rdflib_graph():
    import rdflib
    from rdflib.compare import isomorphic

    from policykg.graph import document_graph
    from policykg.ingest import document_ntriples
    doc = policykg.parse(PROVINCIAL)
    assert isomorphic(document_graph(doc), rdflib.Graph().parse(data=document_ntriples(doc), format="nt"))


def test_a_graph_breaking_the_shapes_is_not_stored(kg, monkeypatch):
    import policykg.ingest as ingest
    build = ingest.document_ntriples

    def broken(doc):
        nt = build(doc)
        return "".join(_variants(nt)["span as a string"]) if doc.doc_number == NATIONAL_NO else nt
    monkeypatch.setattr(ingest, "document_ntriples", broken)
    before = sorted(kg.store.dump().splitlines())
    with pytest.raises(ValueError, match="breaks the shapes"):
        kg.add_documents([policykg.parse(PROVINCIAL), policykg.parse(NATIONAL)])
    assert sorted(kg.store.dump().splitlines()) == before
    national, provincial = kg.ingest([NATIONAL, PROVINCIAL])
    assert national.problem.startswith("breaks the shapes") and provincial.ok


# -- the store's bulk path for new documents -----------------------------------------------------------
def test_bulk_loaded_new_graphs_are_undone_when_the_load_fails_or_was_killed(tmp_path):
    from policykg.store import OxigraphStore
    store = OxigraphStore(tmp_path / "store")
    store.BULK_MIN = 1  # every load of new graphs takes the bulk path
    store.replace_graphs({"https://example.org/g1": '<https://example.org/a> <https://example.org/p> "甲" .\n'})
    before = store.dump()
    with pytest.raises(ValueError, match="invalid N-Triples"):
        store.replace_graphs({"https://example.org/g2": '<https://example.org/b> <https://example.org/p> "乙" .\n',
                              "https://example.org/g3": "<https://example.org/c> <https://example.org/p> broken .\n"})
    assert store.dump() == before
    # a load killed half-way leaves its journal behind: the next open drops what it lists
    store.replace_graphs({"https://example.org/g4": '<https://example.org/d> <https://example.org/p> "丁" .\n'})
    store._store.update(f"INSERT DATA {{ GRAPH <{store.JOURNAL}> {{ <{store.JOURNAL}> <{store.JOURNAL}#graph> "
                        "<https://example.org/g4> } }")
    store.close()
    assert OxigraphStore(tmp_path / "store").dump() == before


def _refuse_national(kg, monkeypatch) -> None:
    """The store refuses (StoreError "disk full") any write that holds 人社部发〔2024〕21号."""
    from policykg.errors import StoreError
    write = kg.store.replace_graphs

    def refuse(graphs):
        if any("人社部发-2024-21" in g for g in graphs):
            raise StoreError("disk full")
        return write(graphs)
    monkeypatch.setattr(kg.store, "replace_graphs", refuse)


@pytest.mark.parametrize("refused, order", [
    ("first", [NATIONAL, CITY, PROVINCIAL]),  # stored while the next results come in
    ("last", [CITY, PROVINCIAL, NATIONAL])])  # stored while the index is cut
def test_documents_the_store_refuses_are_reported_and_left_out_of_the_index(kg, monkeypatch, refused, order):
    # chunks are stored in a thread: a refusal must still keep 人社部发〔2024〕21号 out of the search
    # index (which commits after the store), and tell why
    _refuse_national(kg, monkeypatch)
    results = {r.path: r for r in kg.ingest(order, chunk=2 if refused == "last" else 1)}
    assert results[str(NATIONAL)].problem == "not stored (disk full)"
    assert results[str(PROVINCIAL)].ok and results[str(CITY)].ok
    found = {h.document for h in kg.search("农民工", limit=100)}
    assert PROVINCIAL_NO in found and NATIONAL_NO not in found
    assert not (kg.home / "index" / "STALE").exists()


def test_an_unexpected_store_error_is_raised_not_reported_per_file(kg, monkeypatch):
    # the store writes in a thread; anything but a refusal (StoreError) still reaches the caller
    def broken(graphs):
        raise RuntimeError("store crashed")
    monkeypatch.setattr(kg.store, "replace_graphs", broken)
    with pytest.raises(RuntimeError, match="store crashed"):
        kg.ingest([CITY, PROVINCIAL, NATIONAL], chunk=1)


def test_a_refused_new_version_leaves_the_old_one_searchable(kg, monkeypatch, tmp_path):
    # 人社部发〔2024〕21号 stored, then an edited copy refused by the store while the index was cut:
    # the store keeps the old graph, so the index must keep the old entries
    kg.ingest([NATIONAL])
    before = sorted(h.iri for h in kg.search("农民工", document=NATIONAL_NO, limit=100))
    edited = tmp_path / "national_edited.txt"
    edited.write_text(NATIONAL.read_text("utf-8") + "\n六、各地要加强宣传引导。\n", "utf-8")
    _refuse_national(kg, monkeypatch)
    result, = kg.ingest([edited])
    assert result.problem == "not stored (disk full)"
    assert before and sorted(h.iri for h in kg.search("农民工", document=NATIONAL_NO, limit=100)) == before


def test_ingests_that_only_add_keep_the_query_dictionary_a_full_read_gives(kg, monkeypatch):
    # adding 人社部发〔2024〕21号, then 桂人社发〔2024〕40号, then 南人社发〔2024〕12号 extends the query
    # dictionary from their tokens; it must be what restricting to the whole vocabulary gives
    import marshal
    from contextlib import closing

    from policykg import index as I
    extended = []
    vocabulary = I._vocabulary
    monkeypatch.setattr(I, "_vocabulary", lambda conn, added: extended.append(added is not None)
                        or vocabulary(conn, added))
    for path in (NATIONAL, PROVINCIAL, CITY):
        assert kg.ingest([path])[0].ok
    assert extended == [True, True, True]
    with closing(I._connect(I.index_file(I.index_root(kg.home)))) as conn:
        stored = marshal.loads(conn.execute("SELECT value FROM meta WHERE key = 'qdict'").fetchone()[0])
        words = I._user_words(conn)
        full = I._segmenter(I._base_dir(kg), words).restricted(vocabulary(conn, None))
    assert stored == (dict(full.freq), full.total)
