"""Fast ingest keeps its results: on the 55 State Council notices (../shared/corpus/govcn, skipped
when absent), parsing and indexing in worker processes stores the same triples and answers every
search with the same hits as doing it all in one process; the index ingest writes incrementally
answers as a rebuild from the store does; re-ingesting unchanged notices changes nothing."""
from __future__ import annotations

import shutil

import pytest

import policykg
from policykg import index as I
from policykg.tokenize import EVERY, index_view, jieba_segmenter, prepare_tokens, subwords_of, words

from conftest import SHARED_CORPUS

needs_corpus = pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="shared corpus absent")

QUERIES = ["落户", "乡村工匠", "仲裁", '"职业教育"', "保障性租赁住房", "就业 培训", "养老保险 OR 医疗保险",
           "药品 NOT 采购", "营商环境", "地震", "国务院办公厅", "小微企业 融资", "自由贸易试验区", "个人所得税",
           "消防", "体育竞赛"]


def _hits(home) -> list:
    kg = policykg.open(home)
    try:
        out = [[(h.iri, h.kind, h.score, h.snippet, h.marks, h.owners) for h in kg.search(q, limit=20)]
               for q in QUERIES]
        out.append([h.iri for h in kg.search("监管", kind="measure", document="国发〔2019〕5号", limit=50)])
        return out
    finally:
        kg.close()


def _triples(home) -> list[str]:
    kg = policykg.open(home)
    try:
        return sorted(kg.store.dump().splitlines())
    finally:
        kg.close()


def _ingest(home, workers: int) -> list:
    kg = policykg.open(home)
    try:
        return kg.ingest([SHARED_CORPUS], workers=workers)
    finally:
        kg.close()


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    """The govcn corpus ingested in one process, and by two worker processes."""
    single, multi = tmp_path_factory.mktemp("single"), tmp_path_factory.mktemp("multi")
    _ingest(single, workers=1)
    _ingest(multi, workers=2)
    return single, multi


@needs_corpus
def test_worker_processes_store_the_same_triples_as_one_process(homes):
    single, multi = homes
    assert _triples(single) == _triples(multi)


@needs_corpus
def test_worker_processes_give_the_same_search_hits_as_one_process(homes):
    single, multi = homes
    hits = _hits(single)
    assert sum(len(h) for h in hits) > 100  # the queries find things in this corpus
    assert hits == _hits(multi)


@needs_corpus
def test_the_index_ingest_writes_answers_as_a_rebuild_from_the_store(homes, tmp_path):
    _, multi = homes
    copy = tmp_path / "copy"
    shutil.copytree(multi, copy)
    kg = policykg.open(copy)
    I.rebuild_index(kg)  # every entry read back from the store, one writer
    kg.close()
    assert _hits(copy) == _hits(multi)


@needs_corpus
def test_an_ingest_indexes_with_the_user_words_a_rebuild_reads_from_the_store(homes, tmp_path):
    # ingest takes the organisations of the new graphs, not the store's list: the same words
    from contextlib import closing
    _, multi = homes
    copy = tmp_path / "copy"
    shutil.copytree(multi, copy)
    with closing(I._connect(I.index_file(I.index_root(copy)))) as conn:
        ingested = I._user_words(conn)
    kg = policykg.open(copy)
    I.rebuild_index(kg)
    kg.close()
    with closing(I._connect(I.index_file(I.index_root(copy)))) as conn:
        assert I._user_words(conn) == ingested and len(ingested) > 300


@needs_corpus
def test_reingesting_unchanged_notices_stores_and_indexes_nothing_again(homes, tmp_path):
    _, multi = homes
    copy = tmp_path / "copy"
    shutil.copytree(multi, copy)
    before = _triples(copy), _hits(copy)
    results = _ingest(copy, workers=2)
    assert len(results) == 55
    assert all(r.ok and r.note == "unchanged (already stored)" for r in results)
    assert (_triples(copy), _hits(copy)) == before


def test_a_changed_notice_is_stored_again(tmp_path):
    # 桂人社发〔2024〕40号 ingested, then edited: the edit is not "unchanged"
    from conftest import FIXTURES
    source = FIXTURES / "ingest" / "provincial_plan.txt"
    copy = tmp_path / "plan.txt"
    copy.write_text(source.read_text("utf-8"), "utf-8")
    kg = policykg.open(tmp_path / "home")
    try:
        [first] = kg.ingest([copy])
        [again] = kg.ingest([copy])
        copy.write_text(source.read_text("utf-8").replace("。", "。\n", 1) + "\n五、加强宣传引导，营造良好氛围。\n", "utf-8")
        [changed] = kg.ingest([copy])
        assert (first.note, again.note, changed.note) == (None, "unchanged (already stored)", None)
        assert [h.kind for h in kg.search("营造良好氛围")]
    finally:
        kg.close()


def test_a_title_and_text_cut_once_give_the_words_cutting_them_apart_gives(tmp_path):
    # 乡村工匠 → 乡村, 工匠 in the sub-word view, whichever way the passage is cut
    seg = jieba_segmenter(tmp_path, ["乡村工匠"])
    title, text = "（三）培育乡村工匠", "实施“春暖农民工”服务行动，培育乡村工匠1万名。"
    head, body, sub = prepare_tokens(seg, title, text)
    assert head == index_view(seg, title)[0] and body == index_view(seg, text)[0]
    assert sub.split()[0] == EVERY and "工匠" in sub.split()
    assert sorted(sub.split()[1:]) == sorted(w for w, *_ in subwords_of(seg, words(seg, f"{title}\n{text}")))


def test_entries_read_from_the_validation_store_are_those_read_from_a_store_of_their_own():
    # ingest reads a task's index entries from the store its graphs were validated in
    from conftest import FIXTURES
    from policykg.entries import entries_of_graphs
    from policykg.ingest import prepare
    from policykg.validate import check_graphs_together
    prepared = [prepare(p) for p in sorted((FIXTURES / "realworld").glob("*.txt"))]
    graphs = {r.iri: nt for r, nt, *_ in prepared if r.ok and nt}
    verdicts, checked = check_graphs_together(list(graphs.values()))
    assert checked is not None and not any(verdicts) and len(graphs) > 40
    assert entries_of_graphs(graphs, checked) == entries_of_graphs(graphs)


def test_entries_read_graph_by_graph_are_those_the_sparql_over_the_store_reads(tmp_path):
    # a rebuild reads each stored document's graph into memory (fast on 10 000 documents); the
    # SPARQL over the whole store is the reference
    from conftest import FIXTURES
    from policykg.entries import graph_entries, stored_entries
    kg = policykg.open(tmp_path / "home")
    try:
        kg.ingest([FIXTURES / "realworld", FIXTURES / "search"])
        expected = graph_entries(kg)
        assert len(expected) > 500 and stored_entries(kg) == expected
        some = sorted({e["doc"] for e in expected})[:3]
        assert stored_entries(kg, some) == graph_entries(kg, some)
    finally:
        kg.close()
