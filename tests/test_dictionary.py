"""jieba's dictionary as memory-mapped files (policykg.dictionary): the same answers as jieba's own
dict, made once per cache folder, remade when damaged; and the user words an ingest reads from new
graphs (policykg.userdict.graph_organisation_names)."""
from __future__ import annotations

import marshal

import pytest

import policykg
from policykg import dictionary
from policykg.dictionary import COUNTS_FILE, JIEBA_CACHE, TRIE_FILE, jieba_counts


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    folder = tmp_path_factory.mktemp("jieba")
    jieba_counts(folder)
    return folder


def test_the_files_answer_as_jiebas_dictionary_does(cache):
    freq, total = marshal.loads((cache / JIEBA_CACHE).read_bytes())
    counts, their_total = jieba_counts(cache)
    assert their_total == total and len(counts) == len(freq)
    for word in ("农民工", "随迁子女", "中华人民共和国", "工", "农民工市"):
        assert counts.get(word) == freq.get(word)  # a word's count; a prefix's 0 (农民工市); absent: None
    assert counts.get("乡村工匠") is None and counts.get("乡村工匠", 1) == 1


def test_words_added_on_top_are_this_segmenters_alone(cache):
    mine, _ = jieba_counts(cache)
    mine["乡村工匠"] = 7
    assert mine.setdefault("乡村工", 0) == 0 and mine.setdefault("乡村", 0) > 0  # a known word keeps its count
    assert mine["乡村工匠"] == 7 and "乡村工" in mine
    fresh, _ = jieba_counts(cache)
    assert fresh.get("乡村工匠") is None and "乡村工" not in fresh


def test_a_second_process_maps_the_files_instead_of_reading_jieba(cache, monkeypatch):
    monkeypatch.setattr(dictionary, "_LOADED", {})
    monkeypatch.setattr(dictionary, "_jieba_freq", lambda folder: pytest.fail("read jieba's dictionary again"))
    counts, _ = jieba_counts(cache)
    assert counts.get("农民工") > 0


@pytest.mark.parametrize("damaged, content", [
    (COUNTS_FILE, b"\0" * 24),  # three counts for a trie of 500 000 entries
    (TRIE_FILE, b"not a trie" * 100)])
def test_a_damaged_file_is_made_again(cache, tmp_path, monkeypatch, damaged, content):
    import shutil
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    (copy / damaged).write_bytes(content)
    monkeypatch.setattr(dictionary, "_LOADED", {})
    counts, _ = jieba_counts(copy)
    assert counts.get("农民工") == jieba_counts(cache)[0].get("农民工")
    assert (copy / TRIE_FILE).stat().st_size == (cache / TRIE_FILE).stat().st_size


# -- user words from a new graph -------------------------------------------------------------------
def test_a_new_graph_adds_the_names_of_the_organisations_it_types():
    # 桂人社发〔2023〕32号 names 区直各有关部门, an organisation the registry does not know
    from policykg.corpus import bundled_paths
    from policykg.ingest import document_ntriples
    from policykg.userdict import graph_organisation_names
    nt = document_ntriples(policykg.parse(bundled_paths()[0]))
    assert "区直各有关部门" in graph_organisation_names(nt)


def test_the_names_read_from_graphs_are_those_the_store_answers(tmp_path):
    # the registry graph and a document graph read one by one give kg.organisations()'s names
    from policykg.corpus import bundled_paths
    from policykg.graph import reference_ntriples
    from policykg.ingest import document_ntriples
    from policykg.userdict import graph_organisation_names, organisation_names
    kg = policykg.open(tmp_path / "home")
    try:
        registry, _ = reference_ntriples()
        nt = document_ntriples(policykg.parse(bundled_paths()[0]))
        assert organisation_names(kg) == graph_organisation_names(registry) | graph_organisation_names(nt)
    finally:
        kg.close()


def test_escaped_names_are_read_as_written():
    from policykg.userdict import graph_organisation_names
    nt = ('<https://example.org/o> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Organization> .\n'
          '<https://example.org/o> <http://www.w3.org/2004/02/skos/core#prefLabel> "\\"春暖\\"工作专班\\u4E00"@zh .\n'
          '<https://example.org/o> <http://www.w3.org/2004/02/skos/core#altLabel> "专班"@zh .\n'
          '<https://example.org/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "不是组织"@zh .\n')
    assert graph_organisation_names(nt) == {'"春暖"工作专班一', "专班"}
