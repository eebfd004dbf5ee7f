"""The store interface, specified once and run on both stores: the embedded one and a real SPARQL
server (the ``store`` fixture). Then what only the embedded store has: a second opener."""
from __future__ import annotations

import pytest

from policykg.errors import InputError, StoreError
from policykg.store import OxigraphStore, sparql_string

G = "https://w3id.org/policykg/id/doc/test"
NT = '<http://example.org/a> <http://example.org/p> "落户" .\n'


G2 = "https://w3id.org/policykg/id/doc/test2"


def test_replace_graphs_replaces_instead_of_adding(store):
    store.replace_graphs({G: NT})
    store.replace_graphs({G: NT.replace("落户", "户口迁移")})
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "户口迁移"}]


def test_invalid_ntriples_change_nothing(store):
    store.replace_graphs({G: NT})
    with pytest.raises(InputError, match="^invalid N-Triples: "):
        store.replace_graphs({G: "<broken"})
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "落户"}]


def test_a_failed_write_of_several_graphs_stores_none_of_them(store):
    store.replace_graphs({G: NT})
    with pytest.raises(InputError, match="^invalid N-Triples: "):
        store.replace_graphs({G: NT.replace("落户", "户口迁移"), G2: "<broken"})
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "落户"}]
    assert G2 not in store.graph_names()


def test_a_failed_load_of_new_graphs_stores_none_of_them(store):
    with pytest.raises(InputError, match="^invalid N-Triples: "):
        store.replace_graphs({G: NT, G2: NT + "<broken\n"})
    assert store.graph_names() == []


def test_an_empty_graph_text_drops_the_graph(store):
    store.replace_graphs({G: NT, G2: NT.replace("落户", "居住证")})
    store.replace_graphs({G: ""})
    assert G not in store.graph_names() and G2 in store.graph_names()
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "居住证"}]


def test_select_gives_numbers_booleans_and_strings_as_python_values(store):
    store.replace_graphs({G: '<http://example.org/t> <http://example.org/v> "200"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
                             '<http://example.org/t> <http://example.org/r> "0.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
                             '<http://example.org/t> <http://example.org/b> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'
                             '<http://example.org/t> <http://example.org/u> "名"@zh .\n'})
    row = store.select("SELECT ?v ?r ?b ?u ?missing WHERE { ?t <http://example.org/v> ?v ; <http://example.org/r> ?r ;"
                       " <http://example.org/b> ?b ; <http://example.org/u> ?u OPTIONAL { ?t <http://example.org/x> ?missing } }")
    assert row == [{"v": 200, "r": 0.5, "b": True, "u": "名", "missing": None}]


def test_queries_see_the_union_of_the_named_graphs_with_prefixes_predefined(store):
    store.replace_graphs({G: '<http://example.org/m> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/policykg/ontology#Measure> .\n',
                          G2: '<http://example.org/n> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/policykg/ontology#Measure> .\n'})
    assert store.select("SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }") == [{"n": 2}]
    assert store.ask("ASK { <http://example.org/n> a pkg:Measure }") is True
    assert store.ask("ASK { <http://example.org/x> a pkg:Measure }") is False


def test_construct_gives_ntriples(store):
    store.replace_graphs({G: NT})
    assert store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").strip() == NT.strip()


def test_results_are_standard_sparql_json_with_term_types(store):
    import json
    store.replace_graphs({G: NT})
    data, media = store.results("SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert media == "application/sparql-results+json"
    assert json.loads(data)["results"]["bindings"] == [
        {"s": {"type": "uri", "value": "http://example.org/a"}, "o": {"type": "literal", "value": "落户"}}]
    assert json.loads(store.results("ASK { ?s ?p ?o }")[0])["boolean"] is True
    assert store.results("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == (NT.encode(), "application/n-triples")


def test_a_sparql_syntax_error_names_line_and_column_of_the_query(store):
    with pytest.raises(InputError, match=r"^SPARQL query: syntax error at line 1, column 21: expected one of"):
        store.select("SELECT ?x WHERE { ?x")
    with pytest.raises(InputError, match=r"^SPARQL query: syntax error at line 2, column 7: "):
        store.select("SELECT ?x WHERE {\n ?x ?y")


def test_dump_is_nquads_naming_each_graph(store):
    store.replace_graphs({G: NT})
    assert store.dump().strip() == f'<http://example.org/a> <http://example.org/p> "落户" <{G}> .'


def test_a_bulk_write_of_many_new_graphs_stores_every_one_whole(store):
    graphs = {f"{G}/{i}": "".join(f'<http://example.org/d{i}/s{j}> <http://example.org/p> "第{j}条" .\n'
                                  for j in range(300)) for i in range(80)}  # 24 000 triples
    store.replace_graphs(graphs)
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {r["g"]: r["n"] for r in rows if r["g"] in graphs} == dict.fromkeys(graphs, 300)


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
