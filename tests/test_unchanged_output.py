"""The fast paths of ingest give what their references give, and every fixture's graph what it gave.

* a document's N-Triples written directly (``graph.NTriplesTerms``) are rdflib's N-Triples of the
  same graph;
* the segmenter (``tokenize.Segmenter``) cuts as jieba's precise mode does, with and without user words;
* folding characters by a scan gives what the translation table gives;
* the graph of every text below is pinned (``fixtures/pinned_graphs.json``: the sha1 of its sorted
  N-Triples lines), so a change meant only to be faster that changes a triple fails here. When the
  extraction is meant to change, write the pins again: ``python tests/test_unchanged_output.py``.

Texts: the real-notice fixtures, the bundled notice, and ../shared/corpus/govcn where it is present.
"""
from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

import policykg
from policykg.entries import graph_digest
from policykg.graph import NTriplesTerms, document_graph
from policykg.ingest import document_ntriples
from policykg.ontology import XSD

from conftest import FIXTURES, SEED, SHARED_CORPUS

ROOT = Path(__file__).resolve().parents[1]
PINS = FIXTURES / "pinned_graphs.json"


def _texts() -> dict[str, Path]:
    """Name → file: the name is the path from the repository (``govcn/…`` for the shared corpus)."""
    files = sorted((FIXTURES / "realworld").glob("*.txt")) + [SEED]
    named = {str(p.relative_to(ROOT)): p for p in files}
    named.update({f"govcn/{p.name}": p for p in sorted(SHARED_CORPUS.glob("*.txt"))})
    return named


TEXTS = _texts()


#: The folder of a source file, as its graph names it: a checkout elsewhere must pin the same.
_SOURCE_FOLDER = re.compile(r'(ontology#sourceName> ")[^"\n]*/')


def pinned_digest(nt: str) -> str:
    """The graph's digest (as ingest computes it), the folder of the source file left out."""
    return graph_digest(_SOURCE_FOLDER.sub(r"\1", nt))


@pytest.fixture(scope="module")
def parsed():
    return {name: policykg.parse(path) for name, path in TEXTS.items()}


@pytest.mark.parametrize("name", TEXTS)
def test_a_documents_graph_is_the_one_pinned(parsed, name):
    pins = json.loads(PINS.read_text("utf-8"))
    assert pinned_digest(document_ntriples(parsed[name])) == pins[name]


@pytest.mark.parametrize("name", TEXTS)
def test_ntriples_written_directly_are_rdflibs_ntriples_of_the_graph(parsed, name):
    doc = parsed[name]
    rdflib_lines = [line for line in document_graph(doc).serialize(format="nt").splitlines() if line.strip()]
    assert sorted(document_ntriples(doc).splitlines()) == sorted(rdflib_lines)


@pytest.mark.parametrize("value, datatype", [
    ('《关于做好"春暖行动"的通知》\\附件\n第二行\r', None), (5000, None), (4.5, None), (95.0, None), (1e-07, None),
    (True, None), (False, None), ("2023-07-15", "date"), ("2023-02-30", "date"), ("2023-12", "gYearMonth"),
    ("2025", "gYear"), ("P1Y", "duration"), ("P1W", "duration"), ("P6M", "duration"), ("P3M", "duration"),
    ("P12M", "duration"), ("P0Y", "duration"), ("P14D", "duration"), (0.1 + 0.2, None), (1e20, None),
    ("2023-7-5", "date"), ("0999", "gYear")])
def test_literals_are_written_as_rdflib_writes_them(value, datatype):
    import rdflib
    subject, predicate = "https://example.org/s", "https://example.org/p"
    g = rdflib.Graph()
    g.add((rdflib.URIRef(subject), rdflib.URIRef(predicate),
           rdflib.Literal(value, datatype=XSD + datatype if datatype else None)))
    line = g.serialize(format="nt").strip()
    literal = NTriplesTerms.literal(value, datatype=XSD + datatype if datatype else None)
    assert line == f"<{subject}> <{predicate}> {literal} ."


def test_a_language_tagged_name_is_written_as_rdflib_writes_it():
    import rdflib
    g = rdflib.Graph()
    g.add((rdflib.URIRef("https://example.org/s"), rdflib.URIRef("https://example.org/p"),
           rdflib.Literal("广西壮族自治区人力资源和社会保障厅", lang="zh")))
    assert g.serialize(format="nt").strip().endswith(
        NTriplesTerms.literal("广西壮族自治区人力资源和社会保障厅", lang="zh") + " .")


@pytest.fixture(scope="module")
def segmenters(tmp_path_factory):
    """(ours, jieba's) without user words, and (ours, jieba's) with the policy terms and registry names."""
    import logging

    import jieba

    from policykg.ontology import load_registry
    from policykg.tokenize import WORD_CHAR, fold, jieba_segmenter
    from policykg.userdict import policy_terms
    jieba.setLogLevel(logging.WARNING)
    cache = tmp_path_factory.mktemp("jieba")
    registry = load_registry()
    user = sorted(set(policy_terms()) | {n for o in registry.organisations for n in (o.name, *o.short)})
    pairs = []
    for words in ([], user):
        theirs = jieba.Tokenizer()
        theirs.tmp_dir = str(cache)
        theirs.initialize()
        for w in words:  # as jieba_segmenter adds them
            w = fold(w.strip())
            if len(w) > 1 and WORD_CHAR.search(w):
                theirs.add_word(w)
        pairs.append((jieba_segmenter(cache, words), theirs))
    return pairs


@pytest.mark.parametrize("name", TEXTS)
def test_the_segmenter_cuts_a_text_as_jieba_does(segmenters, name):
    from policykg.tokenize import fold
    text = fold(TEXTS[name].read_text("utf-8"))
    for ours, theirs in segmenters:
        assert list(ours.cut(text)) == list(theirs.cut(text, HMM=False))


def test_on_a_tie_the_segmenter_takes_the_longer_word_as_jieba_does(tmp_path):
    # counts chosen so that 农民 + 工 and 农民工 are exactly as probable: (2/10)(5/10) = 1/10
    import logging

    import jieba

    from policykg.tokenize import Segmenter
    jieba.setLogLevel(logging.WARNING)
    words = tmp_path / "dict.txt"
    words.write_text("农民 2\n工 5\n农民工 1\n市民 2\n", "utf-8")
    theirs = jieba.Tokenizer(dictionary=str(words))
    theirs.tmp_dir = str(tmp_path)
    theirs.initialize()
    ours = Segmenter(dict(theirs.FREQ), theirs.total)
    assert list(ours.cut("农民工市民")) == list(theirs.cut("农民工市民", HMM=False)) == ["农民工", "市民"]


def test_folding_by_a_scan_gives_what_the_translation_table_gives(monkeypatch):
    normalise = importlib.import_module("policykg.corpus.normalise")
    table = normalise._translation()
    every = "關於進一步做好農民工市民化工作的通知（２０２３）:\r\n" + "".join(map(chr, sorted(table)))
    below_u10000 = "".join(c for c in every if ord(c) < 0x10000)  # scanned by the other pattern
    for text in (every, below_u10000):
        expected = normalise._HALF_PUNCT.sub(lambda m: normalise._HALF_TO_FULL[m.group(0)], text.translate(table))
        monkeypatch.setattr(normalise, "_folded", 0)  # a process that has folded little: str.translate
        assert normalise.fold_chars(text) == expected
        monkeypatch.setattr(normalise, "_folded", 10**9)  # one that has folded much: the scan
        assert normalise.fold_chars(text) == expected


if __name__ == "__main__":  # write the pins again (only when the extraction is meant to change)
    pins = json.loads(PINS.read_text("utf-8")) if PINS.is_file() else {}
    pins.update({name: pinned_digest(document_ntriples(policykg.parse(path))) for name, path in TEXTS.items()})
    PINS.write_text(json.dumps(dict(sorted(pins.items())), ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{len(pins)} graphs pinned in {PINS}")
