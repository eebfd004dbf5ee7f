"""The graph on a real SPARQL server (Oxigraph, started by the tests on a free localhost port):
the same answers as the embedded store, whole documents or nothing, one-line errors naming the URL,
a search index that follows the server, and `policykg push` / `--store`."""
from __future__ import annotations

import socket
import threading

import pytest

import policykg
from conftest import FIXTURES, SparqlServer, free_port
from policykg import remote
from policykg.remote import Endpoints, RemoteStore
from policykg.errors import InputError, StoreError

G = "https://w3id.org/policykg/id/doc/test"


def _doc(i: int, word: str = "落户", n: int = 300) -> str:
    return "".join(f'<http://example.org/d{i}/s{j}> <http://example.org/p> "{word}{j}" .\n' for j in range(n))


@pytest.fixture
def remote_kg(remote_url, tmp_path):
    kg = policykg.open(tmp_path / "home", store=remote_url)
    yield kg
    kg.close()


# -- endpoints ------------------------------------------------------------------------------------

def test_a_bare_server_url_means_oxigraphs_endpoints():
    assert Endpoints.from_url("http://127.0.0.1:7878/") == Endpoints(
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")


def test_a_fuseki_dataset_url_takes_query_update_and_graph_store_itself():
    assert Endpoints.from_url("http://fuseki:3030/policykg") == Endpoints(*["http://fuseki:3030/policykg"] * 3)


def test_a_graphdb_repository_url_uses_its_statements_and_graph_store_paths():
    e = Endpoints.from_url("http://graphdb:7200/repositories/policykg")
    assert (e.update, e.store) == ("http://graphdb:7200/repositories/policykg/statements",
                                   "http://graphdb:7200/repositories/policykg/rdf-graphs/service")


def test_a_store_that_is_not_an_http_url_is_refused_by_name():
    with pytest.raises(InputError, match="^ftp://x: not a SPARQL server URL"):
        Endpoints.from_url("ftp://x")


# -- failures -------------------------------------------------------------------------------------

def test_a_server_that_is_down_gives_one_line_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError) as err:
        RemoteStore(url)
    assert str(err.value).startswith(f"{url}: cannot reach the SPARQL server")
    assert "\n" not in str(err.value)


def test_a_server_that_does_not_answer_in_time_gives_one_line_naming_the_url():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        with pytest.raises(StoreError, match=rf"^{url}: no answer from the SPARQL server within 0.5 s$"):
            RemoteStore(url, timeout=0.5)
    finally:
        listener.close()


def test_the_cli_reports_a_down_server_in_one_line_with_the_store_exit_status_3(tmp_path):
    from click.testing import CliRunner

    from policykg.cli import main
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "--store", url, "measures"])
    assert result.exit_code == 3  # the data cannot be used right now, as for a busy store
    assert result.output.strip().splitlines() == [f"policykg: {url}: cannot reach the SPARQL server (Connection refused)"]


def test_a_write_to_a_stopped_server_fails_and_the_document_is_still_whole_after_restart(tmp_path):
    server = SparqlServer(tmp_path / "db")
    try:
        store = RemoteStore(server.url)
        store.replace_graphs({G: _doc(1, "旧")})
        server.stop()
        with pytest.raises(StoreError, match=f"^{server.url}: cannot reach"):
            store.replace_graphs({G: _doc(1, "新")})
        server.start()
        assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(?o, '旧')) }") == [{"n": 300}]
    finally:
        server.stop()


def test_a_failed_batch_of_a_bulk_write_leaves_every_document_old_or_new_never_a_mix(remote_url, monkeypatch):
    store = RemoteStore(remote_url)
    store.replace_graphs({f"{G}/1": _doc(1, "旧"), f"{G}/2": _doc(2, "旧")})
    monkeypatch.setattr(remote, "BATCH_BYTES", 20_000)  # one document per request
    with pytest.raises(InputError, match="^invalid N-Triples: "):
        store.replace_graphs({f"{G}/1": _doc(1, "新"), f"{G}/2": _doc(2, "新") + "<broken"})
    words = store.select("SELECT ?g (GROUP_CONCAT(DISTINCT SUBSTR(?o, 1, 1)) AS ?w) (COUNT(*) AS ?n) "
                         "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {r["g"]: (r["w"], r["n"]) for r in words} == {f"{G}/1": ("新", 300), f"{G}/2": ("旧", 300)}


def test_a_server_whose_graph_store_refuses_nquads_gets_new_graphs_as_updates(remote_url):
    store = RemoteStore(remote_url)
    store.endpoints = Endpoints(store.endpoints.query, store.endpoints.update, store.endpoints.query)
    store.replace_graphs({G: _doc(1)})
    assert store._quads_post is False
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 300}]


def test_a_server_not_querying_the_union_of_its_graphs_is_refused_with_the_fix(tmp_path):
    server = SparqlServer(tmp_path / "db", union=False)
    try:
        with pytest.raises(StoreError, match="does not query the union of its named graphs; start Oxigraph "
                                             "with `serve --union-default-graph`"):
            RemoteStore(server.url).replace_graphs({G: _doc(1)})
    finally:
        server.stop()


# -- the knowledge graph on a server --------------------------------------------------------------

def test_every_listing_on_a_server_equals_the_embedded_one(remote_kg, kg):
    for listing in ("measures", "targets", "deadlines", "conditions", "departments", "documents"):
        assert getattr(remote_kg, listing)() == getattr(kg, listing)(), listing


def test_questions_and_sparql_on_a_server_answer_as_embedded(remote_kg, kg):
    assert remote_kg.query("教育厅负责哪些措施").to_dict() == kg.query("教育厅负责哪些措施").to_dict()
    assert remote_kg.sparql("SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }") == [{"n": 6}]


def test_ingest_and_remove_on_a_server(remote_kg):
    results = remote_kg.ingest([FIXTURES / "ingest" / "national_notice.txt"])
    assert [r.ok for r in results] == [True]
    assert "人社部发〔2024〕21号" in [d.doc_number for d in remote_kg.documents() if not d.stub]
    remote_kg.remove("人社部发〔2024〕21号")
    assert "人社部发〔2024〕21号" not in [d.doc_number for d in remote_kg.documents() if not d.stub]


def test_search_with_a_server_keeps_its_index_in_the_home_under_remote(remote_kg, kg, tmp_path):
    hits = remote_kg.search("随迁子女")
    assert [h.iri for h in hits] == [h.iri for h in kg.search("随迁子女")]
    assert remote_kg.home.parent == tmp_path / "home" / "remote"
    assert (remote_kg.home / "index" / "search.sqlite").exists()


def test_search_finds_what_another_client_ingested_into_the_same_server(remote_url, tmp_path):
    mine = policykg.open(tmp_path / "mine", store=remote_url)
    theirs = policykg.open(tmp_path / "theirs", store=remote_url)
    assert mine.search("首批认定") == []
    theirs.ingest([FIXTURES / "ingest" / "national_notice.txt"])
    assert [h.document for h in mine.search("首批认定")][:1] == ["人社部发〔2024〕21号"]


def test_search_finds_another_clients_new_version_of_a_document_once_the_record_is_due(remote_url, tmp_path,
                                                                                       monkeypatch):
    monkeypatch.setattr(remote, "FULL_CHECK_SECONDS", 0)  # default 60 s: same graph names, counted again
    notice = (FIXTURES / "ingest" / "national_notice.txt").read_text("utf-8")
    mine = policykg.open(tmp_path / "mine", store=remote_url)
    theirs = policykg.open(tmp_path / "theirs", store=remote_url)
    theirs.ingest([FIXTURES / "ingest" / "national_notice.txt"])
    assert mine.search("数字技能") == []
    revised = tmp_path / "revised.txt"
    revised.write_text(notice.replace("遴选建设一批高技能人才培训基地", "遴选建设一批数字技能人才培训基地"), "utf-8")
    theirs.ingest([revised])
    assert [h.document for h in mine.search("数字技能")][:1] == ["人社部发〔2024〕21号"]


# -- push and the command line --------------------------------------------------------------------

def test_push_copies_a_home_to_a_server(remote_url, tmp_path):
    from click.testing import CliRunner

    from policykg.cli import main
    home = str(tmp_path / "home")
    runner = CliRunner()
    assert runner.invoke(main, ["--home", home, "ingest", str(FIXTURES / "ingest")]).exit_code == 0
    result = runner.invoke(main, ["--home", home, "push", remote_url])
    assert result.exit_code == 0, result.output
    local, served = policykg.open(home), policykg.open(home, store=remote_url)
    assert sorted(served.store.dump().splitlines()) == sorted(local.store.dump().splitlines())
    assert served.measures(owner="教育厅") == local.measures(owner="教育厅")


def test_the_store_option_and_environment_variable_select_the_server(remote_url, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from policykg.cli import main
    runner = CliRunner()
    by_option = runner.invoke(main, ["--home", str(tmp_path), "--store", remote_url, "measures", "--owner", "教育厅"])
    monkeypatch.setenv("POLICYKG_STORE", remote_url)
    by_env = runner.invoke(main, ["--home", str(tmp_path), "search", "落户", "--format", "json"])
    assert by_option.exit_code == 0 and "开展职业技能水平提升行动" in by_option.output
    assert by_env.exit_code == 0 and "（四）" in by_env.output
    assert not (tmp_path / "store").exists()  # nothing embedded was created
