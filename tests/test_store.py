"""The embedded store: transactions, SPARQL errors, and a second opener while one holds the store."""
from __future__ import annotations

import pytest

from policykg.store import OxigraphStore, StoreError, sparql_string

G = "https://w3id.org/policykg/id/doc/test"
NT = '<http://example.org/a> <http://example.org/p> "落户" .\n'


def test_replace_graphs_replaces_instead_of_adding(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graphs({G: NT})
    store.replace_graphs({G: NT.replace("落户", "户口迁移")})
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "户口迁移"}]
    store.close()


def test_invalid_ntriples_change_nothing(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graphs({G: NT})
    with pytest.raises(ValueError, match="invalid N-Triples"):
        store.replace_graphs({G: "<broken"})
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "落户"}]
    store.close()


def test_a_second_opener_reads_while_the_first_holds_the_store(tmp_path):
    writer = OxigraphStore(tmp_path / "s")
    writer.replace_graphs({G: NT})
    writer._store.flush()
    reader = OxigraphStore(tmp_path / "s")
    assert reader.read_only
    assert reader.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "落户"}]
    with pytest.raises(StoreError, match="in use by another policykg process"):
        reader.replace_graphs({G: NT})
    reader.close()
    writer.close()


def test_sparql_strings_are_escaped():
    assert sparql_string('他说"落户"\n') == '"他说\\"落户\\"\\n"'
