"""Chinese full-text search (issue 4): relevance on the bundled notice, query syntax, folding,
the index following the graph (ingest, remove, rebuild), the writer lock and the CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg import index as I
from policykg import search as S
from policykg.cli import main
from policykg.tokenize import fold, jieba_segmenter, runs, words

FIXTURES = Path(__file__).parent / "fixtures"

SCHOOL_NOTICE = FIXTURES / "search" / "gui_jiao_fa_2024_7_school_places.txt"  # 桂教发〔2024〕7号


def first(kg, query, **kw):
    hits = kg.search(query, **kw)
    assert hits, f"no hit for {query}"
    return hits[0]


# -- the acceptance relevance table: query → expected first hit --------------------------------------
RELEVANCE = [
    # (query, filters, kind, number or None, a string the first hit's text must contain)
    ("落户", {}, "measure", "（四）", "简化城镇落户手续"),
    ("仲裁", {}, "measure", "（三）", "调解仲裁法律援助"),
    ('"春暖农民工"', {}, "measure", "（五）", "春暖农民工"),
    ("保障性租赁住房", {}, "target", None, "6万套"),
    ("随迁子女", {"owner": "公安厅"}, "measure", "（四）", "随迁子女入学政策"),
]


@pytest.mark.parametrize("query,filters,kind,number,contains", RELEVANCE, ids=[r[0] for r in RELEVANCE])
def test_relevance_table_first_hit(kg, query, filters, kind, number, contains):
    hit = first(kg, query, **filters)
    text = hit.snippet + kg.sparql(f"SELECT ?t WHERE {{ <{hit.iri}> pkg:text ?t }}")[0]["t"]
    assert (hit.kind, hit.number, contains in text) == (kind, number, True)


def test_relevance_乡村工匠_first_hit_is_the_200_target_or_measure_二(kg):
    hit = first(kg, "乡村工匠")
    assert (hit.kind == "target" and "乡村工匠200名" in hit.snippet) or (hit.kind, hit.number) == ("measure", "（二）")


def test_hits_carry_iri_kind_document_number_owners_and_highlighted_snippet(kg):
    hit = first(kg, "仲裁")
    assert hit.iri.endswith("/measure/2.3") and hit.document == "桂人社发〔2023〕32号"
    assert "广西壮族自治区公安厅" in hit.owners and hit.owners[0] == "广西壮族自治区人力资源和社会保障厅"
    assert hit.marks and all(hit.snippet[s:e] == "仲裁" for s, e in hit.marks)
    assert "【仲裁】" in hit.highlighted()


# -- folding -------------------------------------------------------------------------------------
@pytest.mark.parametrize("folded,plain", [("隨遷子女", "随迁子女"), ("落戶", "落户"), ("６万套", "6万套")])
def test_traditional_and_full_width_queries_find_the_same_hits(kg, folded, plain):
    assert [h.iri for h in kg.search(folded)] == [h.iri for h in kg.search(plain)] != []


def test_traditional_characters_fold_through_traditional_tsv():
    # corpus/traditional.tsv is what maps 隨遷 → 随迁; without it this query would find nothing
    assert fold("隨遷子女落戶") == "随迁子女落户"


# -- query syntax --------------------------------------------------------------------------------
def test_plain_words_must_all_match(kg):
    hits = kg.search("随迁子女 仲裁")
    assert hits == []
    both = kg.search("农民工 仲裁")
    assert [h.number for h in both] == ["（三）"]


def test_or_finds_either(kg):
    numbers = {h.number for h in kg.search("仲裁 OR 春暖农民工")}
    assert {"（三）", "（五）"} <= numbers


def test_not_and_minus_exclude(kg):
    assert "（六）" in {h.number for h in kg.search("落户")}
    for query in ("落户 NOT 宣传", "落户 -宣传"):
        assert [h.number for h in kg.search(query)] == ["（四）"]


def test_parse_query_or_binds_tighter_than_and():
    assert S.parse_query('落户 OR 居住证 "公安 厅"') == (
        "and", [("or", [("word", "落户"), ("word", "居住证")]), ("phrase", "公安 厅")])


def test_kind_and_document_filters(kg):
    hits = kg.search("随迁子女", kind="target")
    assert hits and {h.kind for h in hits} == {"target"}
    assert kg.search("随迁子女", kind="目标") == hits
    assert kg.search("落户", document="桂人社发") == kg.search("落户")
    with pytest.raises(ValueError, match="unknown kind"):
        kg.search("落户", kind="law")
    with pytest.raises(LookupError, match="no indexed document"):
        kg.search("落户", document="国发〔2099〕1号")


def test_owner_filter_accepts_any_name_form(kg):
    expected = [h.iri for h in kg.search("随迁子女", owner="公安厅")]
    assert [h.iri for h in kg.search("随迁子女", owner="广西壮族自治区公安厅")] == expected
    assert [h.iri for h in kg.search("随迁子女", owner="自治区公安厅")] == expected


def test_paragraphs_covered_by_a_measure_are_indexed_once(kg):
    assert [h.kind for h in kg.search("仲裁")] == ["measure"]


# -- the analyzer --------------------------------------------------------------------------------
def test_segmenter_cuts_exactly_like_jieba_precise_mode(tmp_path):
    import jieba
    text = fold(Path(__file__).resolve().parents[1].joinpath(
        "corpus", "gui_ren_she_fa_2023_32_county_migrant_worker_urbanisation.txt").read_text("utf-8"))
    ours = jieba_segmenter(tmp_path, ["随迁子女"])
    theirs = jieba.Tokenizer()
    theirs.tmp_dir = str(tmp_path)
    theirs.initialize()
    theirs.add_word("随迁子女")
    assert list(ours.cut(text)) == list(theirs.cut(text, HMM=False))


def test_policy_terms_and_department_names_stay_whole(kg, tmp_path):
    from policykg.userdict import user_words
    seg = jieba_segmenter(tmp_path, user_words(kg))
    cut = [w for w, *_ in words(seg, "建设保障性租赁住房，培养乡村工匠，随迁子女入学，自治区公安厅牵头")]
    assert {"保障性租赁住房", "乡村工匠", "随迁子女", "公安厅"} <= set(cut)


def test_programme_names_quoted_in_a_notice_join_the_user_dictionary():
    from policykg.userdict import programme_names
    assert programme_names(["在春节前后开展“春暖农民工”服务行动，深入实施“技能广西行动”"]) == {"春暖农民工", "技能广西行动"}


def test_query_dictionary_is_the_index_vocabulary_and_cuts_the_same(tmp_path):
    seg = jieba_segmenter(tmp_path, ["随迁子女"])
    text = fold("清理取消不合规的随迁子女入学证明材料及时限要求，稳步提升农民工随迁子女在公办学校就读比例")
    small = seg.restricted({w for w, *_ in words(seg, text)})
    assert list(small.cut(text)) == list(seg.cut(text)) and len(small.freq) < 200


def test_subword_field_finds_a_word_inside_a_longer_one(kg):
    # 乡村工匠 is one word (terms.txt); search mode also indexes 工匠 inside it
    assert any("乡村工匠200名" in h.snippet for h in kg.search("工匠", kind="target"))


def test_phrase_does_not_match_across_punctuation(kg):
    # （四）: “两为主、两纳入、以居住证为主要依据” — 纳入 and 以 are split by a comma
    assert kg.search("两纳入 以居住证") and kg.search('"两纳入以居住证"') == []


def test_runs_split_a_phrase_at_punctuation():
    assert runs("“春暖农民工”服务") == ["春暖农民工", "服务"]


# -- the index follows the graph -----------------------------------------------------------------
@pytest.fixture
def fresh_kg(tmp_path):
    import policykg
    graph = policykg.open(tmp_path / "home")
    yield graph
    graph.close()


def test_phrase_finds_only_contiguous_passages(fresh_kg):
    from policykg import parse
    fresh_kg.add_documents([parse(SCHOOL_NOTICE)])
    loose = {h.iri for h in fresh_kg.search("随迁 子女")}
    phrase = fresh_kg.search('"随迁子女"')
    assert phrase and all("随迁子女" in fold(h.snippet) for h in phrase)
    # 桂教发〔2024〕7号 says 随迁人员的子女: found by the words, not by the phrase
    assert any("桂教发" in i for i in loose) and not any("桂教发" in h.iri for h in phrase)


def test_words_in_a_row_rank_before_scattered_ones(fresh_kg):
    from policykg import parse
    fresh_kg.add_documents([parse(SCHOOL_NOTICE)])
    hits = fresh_kg.search("人员子女")  # 人员 子女: all must match; 随迁人员子女 (in a row) also scores as a phrase
    assert "人员子女" in hits[0].snippet and "人员的子女" in hits[1].snippet
    assert hits[0].score > 1.5 * hits[1].score  # without the phrase bonus the two are within 10 %


def test_ingest_and_remove_update_the_index(fresh_kg):
    from policykg import parse
    assert fresh_kg.search("学位供给", document="桂人社发") and not fresh_kg.search('"简化入学手续"')
    fresh_kg.add_documents([parse(SCHOOL_NOTICE)])
    hit = first(fresh_kg, '"简化入学手续"')
    assert (hit.kind, hit.number, hit.document) == ("measure", "（一）", "桂教发〔2024〕7号")
    assert first(fresh_kg, "入学", owner="公安厅", document="桂教发〔2024〕7号").number == "（一）"
    fresh_kg.remove("桂教发〔2024〕7号")
    assert fresh_kg.search('"简化入学手续"') == []
    with pytest.raises(LookupError, match="matches no indexed document: 桂人社发"):
        fresh_kg.search("入学", document="桂教发")
    assert first(fresh_kg, "落户").number == "（四）"


def test_rebuild_renames_a_new_file_into_place_and_open_readers_follow(fresh_kg):
    root = I.index_root(fresh_kg.home)
    opened = I.open_index(root)
    before = opened.identity
    I.rebuild_index(fresh_kg)
    # the reader opened before still answers from the file it has open ...
    assert S.query_index(opened, "落户", limit=1)[0].number == "（四）"
    # ... and the next search opens the new one
    assert I.open_index(root).identity != before and first(fresh_kg, "落户").number == "（四）"


def test_an_index_of_an_older_version_is_rebuilt_on_first_search_and_says_so(fresh_kg, capsys):
    # a home indexed before issue 10 has whoosh generations (g…/, CURRENT) and no search.sqlite
    root = I.index_root(fresh_kg.home)
    I.index_file(root).unlink()
    (root / "g18a0").mkdir()
    (root / "CURRENT").write_text("g18a0")
    assert first(fresh_kg, "落户").number == "（四）"
    assert not (root / "CURRENT").exists() and not (root / "g18a0").exists()
    assert "building the search index" in capsys.readouterr().err


def test_writer_lock_times_out_and_the_index_is_rebuilt_on_next_search(fresh_kg, monkeypatch, capsys):
    from policykg import parse
    monkeypatch.setattr(I, "LOCK_TIMEOUT", 0.2)
    root = I.index_root(fresh_kg.home)
    with I._lock(root):
        with pytest.raises(S.IndexLocked, match="being written by another process"):
            I.update_index(fresh_kg, [])
        fresh_kg.add_documents([parse(SCHOOL_NOTICE)])  # stored; the index is marked stale
    assert "search index not updated" in capsys.readouterr().err and (root / "STALE").exists()
    assert first(fresh_kg, '"简化入学手续"').document == "桂教发〔2024〕7号"
    assert not (root / "STALE").exists()


def test_in_memory_graph_searches_too():
    import policykg
    from policykg.corpus import bundled_paths
    graph = policykg.KnowledgeGraph.in_memory()
    graph.add_documents([policykg.parse(p) for p in bundled_paths()], reference=True)
    assert first(graph, "仲裁").number == "（三）"


def test_an_in_memory_graph_finds_what_it_just_ingested():
    # the store is written by a thread while the index is updated: the search after ingest sees it
    import policykg
    from conftest import FIXTURES
    graph = policykg.KnowledgeGraph.in_memory()
    graph.build()
    result, = graph.ingest([FIXTURES / "ingest" / "national_notice.txt"])
    assert result.ok and "人社部发〔2024〕21号" in {h.document for h in graph.search("农民工", limit=100)}


# -- the command line ----------------------------------------------------------------------------
def run(*args):
    return CliRunner().invoke(main, ["search", *args])


def test_cli_table_plain_when_not_a_terminal():
    result = run("落户")
    assert result.exit_code == 0, result.output
    assert "（四）" in result.output.splitlines()[2] and "【落户】" in result.output and "\033[" not in result.output


def test_cli_highlights_with_ansi_on_a_terminal(monkeypatch):
    import policykg.cli.search as cli_search
    monkeypatch.setattr(cli_search, "_on_terminal", lambda: True)
    assert "\033[1;33m落户\033[0m" in run("落户").output


def test_cli_search_help_exits_0():
    result = run("--help")
    assert result.exit_code == 0 and "policykg: 0" not in result.output and "--owner" in result.output


def test_cli_no_result_says_so_and_exits_0():
    result = run("量子计算")
    assert (result.exit_code, result.output.strip()) == (0, "no results for 量子计算")


def test_cli_json_and_csv():
    data = json.loads(run("随迁子女", "--owner", "公安厅", "--format", "json").output)
    assert data[0]["number"] == "（四）" and data[0]["iri"].endswith("/measure/2.4") and data[0]["marks"]
    csv_out = run("仲裁", "--format", "csv", "--limit", "1").output.splitlines()
    assert csv_out[0].startswith("rank,kind,document") and len(csv_out) == 2


def test_cli_bad_filter_is_one_line_error():
    result = run("落户", "--owner", "不存在的部门")
    assert result.exit_code == 1 and "no department matches" in result.output and "Traceback" not in result.output


def test_cli_search_does_not_load_jieba_or_the_store(kg, tmp_path):
    # the cold path reads the index only: no jieba start-up (≈0.6 s for its dictionary), no store
    code = ("import sys; from policykg.search import search_home; "
            f"hits = search_home({str(kg.home)!r}, '落户', open_kg=lambda: 1/0); "
            "print(hits[0].number, 'jieba' in sys.modules, 'pyoxigraph' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["（四）", "False", "False"]


def test_the_index_stores_cut_words_with_a_gap_where_punctuation_was(tmp_path):
    # 两为主、两纳入: the comma becomes a gap token, so "为主两" is no phrase of this text
    from policykg.tokenize import EVERY, GAP, prepare_tokens
    seg = jieba_segmenter(tmp_path, ["乡村工匠"])
    title, text, sub = prepare_tokens(seg, "", "两为主、两纳入，培养乡村工匠")
    assert text == f"两 为主 {GAP} 两 纳入 {GAP} 培养 乡村工匠"
    assert sub.split() == [EVERY, "乡村", "工匠"] and title == ""


# -- the index finds exactly what a plain reading of the query finds ------------------------------
PLAIN_QUERIES = ["落户", "乡村工匠", "工匠", "就业 培训", "养老保险 OR 医疗保险", "农民工 NOT 工资", "NOT 工作",
                 '"大气污染"', '"随迁子女"', "农村劳动力", "(就业 OR 创业) 培训 -农民工", "两纳入 以居住证",
                 '"两纳入以居住证"', "牵头 -（", "監管", "生态环境 OR 大气 OR 水"]


def _plainly_matches(node: tuple, seg, columns: dict[str, list[str]]) -> bool:
    """``node`` read word by word over one entry's stored tokens, without the index."""
    kind = node[0]
    anywhere = set(columns["title"]) | set(columns["text"]) | set(columns["sub"])

    def in_a_row(toks: list[str]) -> bool:
        n = len(toks)
        return any(seq[i:i + n] == toks for seq in (columns["title"], columns["text"]) for i in range(len(seq)))

    if kind == "word":
        toks = [w for w, *_ in words(seg, node[1])]
        return bool(toks) and all(t in anywhere for t in toks)
    if kind == "phrase":
        parts = [[w for w, *_ in words(seg, run)] for run in runs(node[1])]
        return all((p[0] in anywhere) if len(p) == 1 else in_a_row(p) for p in parts if p)
    if kind == "not":
        return not _plainly_matches(node[1], seg, columns)
    results = [_plainly_matches(n, seg, columns) for n in node[1]]
    return any(results) if kind == "or" else all(results)


@pytest.fixture(scope="module")
def many_notices(tmp_path_factory):
    """The bundled notice, the school notice and the real-notice excerpts (and the gov.cn notices
    when ../shared/corpus is beside the repository), ingested."""
    import policykg
    from conftest import SHARED_CORPUS
    graph = policykg.open(tmp_path_factory.mktemp("many"))
    graph.ingest([SCHOOL_NOTICE, FIXTURES / "realworld"] + ([SHARED_CORPUS] if SHARED_CORPUS.is_dir() else []))
    yield graph
    graph.close()


@pytest.mark.parametrize("query", PLAIN_QUERIES)
def test_every_query_finds_exactly_the_entries_a_plain_reading_finds(many_notices, query):
    opened = I.open_index(I.index_root(many_notices.home))
    rows = opened.conn.execute("SELECT e.iri, f.title, f.text, f.sub FROM entry e JOIN fts f ON f.rowid = e.id")
    expected = {iri for iri, *cols in rows
                if _plainly_matches(S.parse_query(query), opened.segmenter,
                                    dict(zip(("title", "text", "sub"), (c.split() for c in cols))))}
    found = {h.iri for h in S.query_index(opened, query, limit=100_000)}
    assert found == expected and (expected or query == '"两纳入以居住证"')


def test_a_rebuild_cut_by_worker_processes_writes_what_one_process_writes(many_notices, tmp_path):
    import sqlite3

    from policykg.entries import graph_entries
    from policykg.userdict import user_words
    entries = graph_entries(many_notices)
    words = user_words(many_notices, (e["text"] for e in entries))
    seg = jieba_segmenter(tmp_path, words)
    tables = []
    for workers in (1, 2):
        conn = sqlite3.connect(":memory:", isolation_level=None)
        I._create(conn)
        I._write_all(conn, seg, words, entries, workers=workers)
        tables.append([conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                       for t in ("entry", "fts", "owner", "document", "meta")])
    assert len(tables[0][0]) == len(entries) > 500 and tables[0] == tables[1]


def token_string(tokens) -> str:
    """The reference: words (``words()`` output) space-separated, one gap token where their
    positions show punctuation or a space between two of them."""
    from policykg.tokenize import GAP
    out, last = [], None
    for w, pos, _start, _end in tokens:
        if last is not None and pos > last + 1:
            out.append(GAP)
        out.append(w)
        last = pos
    return " ".join(out)


def test_the_index_view_of_a_text_is_its_word_view_without_offsets(tmp_path):
    # index_view skips the offsets words() computes; the words, gaps and sub-words must stay the same
    from policykg.tokenize import index_view, subwords_of
    seg = jieba_segmenter(tmp_path, ["乡村工匠", "随迁子女"])
    texts = ["两为主、两纳入，以居住证为主要依据。 3.5% c++ 培养乡村工匠", "（四）简化落户手续"] + [
        line for path in sorted((FIXTURES / "realworld").glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    for text in texts:
        tokens = list(words(seg, text))
        assert index_view(seg, text) == (token_string(tokens), [w for w, *_ in subwords_of(seg, tokens)]), text


def test_a_sqlite_without_fts5_gets_a_one_line_error(monkeypatch):
    # some Python builds link an SQLite without FTS5: say so instead of "no such module"
    import sqlite3
    monkeypatch.setattr(I, "_SCHEMA", I._SCHEMA.replace("USING fts5(", "USING fts5_not_built_in("))
    with pytest.raises(S.StoreError, match=r"has no FTS5, which the search index needs") as caught:
        I._create(sqlite3.connect(":memory:"))
    assert "\n" not in str(caught.value)
