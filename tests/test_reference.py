"""The registry and ontology graphs and the compiled shapes are kept in <home>/cache/ (policykg.reference):
read back instead of made again, made again when the files they come from change, and an ingest into a
home that has them imports neither rdflib nor jieba (a fifth and a third of a second)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from policykg import graph, reference, validate
from policykg.reference import FILE, load_reference

from conftest import FIXTURES


@pytest.fixture
def fresh(monkeypatch):
    """This process as if it had made neither the graphs nor the checks yet."""
    monkeypatch.setattr(graph, "_REFERENCE", None)
    monkeypatch.setattr(validate, "_CHECKER", [])


def test_the_graphs_and_checks_are_read_back_as_made(tmp_path, fresh, monkeypatch):
    load_reference(tmp_path)
    made, checks = graph.reference_ntriples(), validate.shape_checker().checks
    assert (tmp_path / FILE).is_file()
    monkeypatch.setattr(graph, "_REFERENCE", None)
    monkeypatch.setattr(validate, "_CHECKER", [])
    monkeypatch.setattr(graph, "_make_reference_ntriples", lambda: pytest.fail("made again"))
    load_reference(tmp_path)
    assert graph.reference_ntriples() == made and validate.shape_checker().checks == checks


def test_a_change_to_their_sources_makes_them_again(tmp_path, fresh, monkeypatch):
    load_reference(tmp_path)
    made = []
    monkeypatch.setattr(graph, "_REFERENCE", None)
    monkeypatch.setattr(reference, "_stamp", lambda: "organisations.json edited")
    real = graph._make_reference_ntriples
    monkeypatch.setattr(graph, "_make_reference_ntriples", lambda: made.append(1) or real())
    load_reference(tmp_path)
    assert made == [1]


def test_a_damaged_file_is_made_again(tmp_path, fresh):
    (tmp_path / FILE).write_bytes(b"not marshal")
    load_reference(tmp_path)
    assert graph.reference_ntriples()[0].count("\n") > 100
    assert validate.shape_checker() is not None


def test_an_ingest_into_a_home_with_its_cache_imports_neither_rdflib_nor_jieba(tmp_path):
    home = tmp_path / "home"
    ingest = FIXTURES / "ingest"
    build = f"import policykg; policykg.open({str(home)!r}).close()"
    subprocess.run([sys.executable, "-c", build], check=True)
    code = f"""
import sys, policykg
kg = policykg.open({str(home)!r})
results = kg.ingest([{str(ingest / 'national_notice.txt')!r}, {str(ingest / 'provincial_plan.txt')!r}])
assert all(r.ok for r in results) and kg.search("农民工")
print(sorted(m for m in ("rdflib", "jieba") if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
