"""Correct answers a new user gets: each test is a wrong or confusing answer found by trying the CLI
on the bundled notice and on a district notice (tests/fixtures/cli/district_plan.txt, invented: 青政办发〔2024〕12号,
four measures with 牵头单位/配合单位; 区发改局 leads （二）（三） and supports （一）（四）)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import FIXTURES

DISTRICT = FIXTURES / "cli" / "district_plan.txt"


@pytest.fixture(scope="module")
def run(module_cli):
    """The CLI on a home holding the bundled notice and the district notice."""
    assert module_cli("ingest", str(DISTRICT)).exit_code == 0
    return module_cli


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# -- departments: the 牵头 column ---------------------------------------------------------------------
def test_departments_count_the_measures_each_one_leads(run):
    rows = {d["name"]: d for d in _json(run("departments", "--format", "json"))}
    assert (rows["区发改局"]["measures"], rows["区发改局"]["leads"]) == (4, 2)
    assert rows["区住建局"]["leads"] == 1 and rows["区财政局"]["leads"] == 0


# -- measures --role without --owner ------------------------------------------------------------------
def test_role_alone_lists_only_measures_where_someone_has_that_role(run):
    lead = _json(run("measures", "--role", "lead", "--format", "json"))
    assert [(m["document"], m["number"]) for m in lead] == [("青政办发〔2024〕12号", n)
                                                          for n in ("（一）", "（二）", "（三）", "（四）")]
    assert _json(run("measures", "--role", "guide", "--format", "json")) == []


def test_role_with_owner_is_that_departments_role(run):
    support = _json(run("measures", "--owner", "区发改局", "--role", "support", "--format", "json"))
    assert [m["number"] for m in support] == ["（一）", "（四）"]


# -- parse: a path that does not exist ----------------------------------------------------------------
def test_parse_of_a_missing_file_is_an_error_not_a_text(run):
    result = run("parse", "/no/such/file.txt")
    assert result.exit_code == 2
    assert result.output.strip() == "policykg: /no/such/file.txt: no such file"


def test_library_parse_of_a_missing_path_raises_input_error():
    import policykg
    with pytest.raises(policykg.InputError, match="no such file"):
        policykg.parse("notices/通知.docx")


def test_library_parse_of_a_one_line_text_still_reads_it_as_text():
    import policykg
    assert policykg.parse("国务院办公厅关于A/B试点的通知").title == "国务院办公厅关于A/B试点的通知"


# -- show: departments and roles, not IRIs --------------------------------------------------------------
def test_show_lists_responsible_departments_with_their_roles_in_printed_order(run):
    out = run("show", "m2.4", "--doc", "桂人社发〔2023〕32号").output
    rows = [line.split()[1] for line in out.splitlines() if line.startswith("pkg:responsibility")]
    assert rows == ["广西壮族自治区发展和改革委员会（负责）", "广西壮族自治区财政厅（负责）",
                    "广西壮族自治区住房和城乡建设厅（负责）", "广西壮族自治区教育厅（负责）", "广西壮族自治区公安厅（负责）"]
    assert "/responsibility/" not in out


def test_show_names_the_measure_a_condition_belongs_to(run):
    out = run("show", "c1", "--doc", "桂人社发〔2023〕32号").output
    assert "pkg:measure    （四）开展公共服务供给提升行动" in out


def test_show_json_keeps_the_iris_and_adds_their_labels(run):
    fact = _json(run("show", "m2.2", "--doc", "青政办发", "--format", "json"))
    assert "区发改局（牵头）" in fact["labels"].values()
    assert any("/responsibility/" in value for _, value in fact["properties"])


# -- SPARQL errors: the line of the user's query ----------------------------------------------------------
def test_sparql_syntax_error_names_the_line_of_the_query_as_typed(run):
    result = run("sparql", "SELECT ?m WHERE {\n  ?m a pkg:Measure .\n  FILTER(\n}")
    assert result.exit_code == 2 and "line 4" in result.output


# -- remove of the bundled notice -----------------------------------------------------------------------
def test_removing_the_bundled_notice_says_how_to_get_it_back_and_build_does(tmp_path):
    from click.testing import CliRunner

    from policykg.cli import main
    home = ["--home", str(tmp_path / "home")]
    removed = CliRunner().invoke(main, [*home, "remove", "桂人社发〔2023〕32号"])
    assert removed.exit_code == 0 and "`policykg build`" in removed.output
    assert CliRunner().invoke(main, [*home, "measures"]).output.strip() == "nothing found"
    assert CliRunner().invoke(main, [*home, "build"]).output.strip() == "built 桂人社发〔2023〕32号"
    assert len(json.loads(CliRunner().invoke(main, [*home, "measures", "--format", "json"]).output)) == 6


def test_removing_an_ingested_notice_gives_no_bundled_hint(tmp_path):
    from click.testing import CliRunner

    from policykg.cli import main
    home = ["--home", str(tmp_path / "home")]
    CliRunner().invoke(main, [*home, "ingest", str(DISTRICT)])
    removed = CliRunner().invoke(main, [*home, "remove", "青政办发〔2024〕12号"])
    assert removed.exit_code == 0 and "build" not in removed.output


# -- graph --open without a browser ----------------------------------------------------------------------
def test_graph_open_without_a_browser_says_where_the_file_is(run, tmp_path, monkeypatch):
    import webbrowser
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)  # what it returns with no browser
    result = run("graph", "--open", "-o", str(tmp_path / "g.html"))
    assert result.exit_code == 1 and str((tmp_path / "g.html").resolve()) in result.output
    assert (tmp_path / "g.html").exists()


# -- owners and obligated parties in the document's order ----------------------------------------------------
def test_condition_owners_are_listed_as_the_measure_lists_them(run):
    # （四）…（责任单位：自治区发展改革委、财政厅、住房城乡建设厅、教育厅、公安厅）
    [c] = _json(run("conditions", "--format", "json"))
    assert c["owners"] == ["广西壮族自治区发展和改革委员会", "广西壮族自治区财政厅", "广西壮族自治区住房和城乡建设厅",
                           "广西壮族自治区教育厅", "广西壮族自治区公安厅"]


def test_deadline_parties_are_listed_as_the_sentence_names_them(run):
    # 请各市人力资源和社会保障局、区直各有关部门及时总结好的经验做法，分别于2023年7月15日…
    rows = list(csv.reader(io.StringIO(run("deadlines", "--format", "csv").output)))
    assert rows[1][2] == "市人力资源和社会保障局、区直各有关部门"


# -- tables: --wide shows long cells whole ----------------------------------------------------------------
def test_long_unit_lists_are_cut_in_tables_but_whole_with_wide(run):
    cut = run("conditions").output
    whole = run("conditions", "--wide").output
    assert "…" in cut and "广西壮族自治区公安厅" not in cut
    assert "…" not in whole and "广西壮族自治区教育厅、广西壮族自治区公安厅" in whole


def test_wide_applies_to_question_answers_too(run):
    cut, whole = run("query", "落户条件是什么"), run("query", "落户条件是什么", "--wide")
    assert whole.exit_code == 0 and "…" in cut.output
    assert "…" not in whole.output and "广西壮族自治区公安厅" in whole.output


# -- export: one document, and one labelled table per document ------------------------------------------------
def test_matrix_md_has_one_labelled_section_per_document(run):
    text = run("export", "--format", "matrix-md").output
    sections = [line for line in text.splitlines() if line.startswith("## ") and "〔" in line]
    assert [s.split()[1] for s in sections] == ["桂人社发〔2023〕32号", "青政办发〔2024〕12号"]
    district = text[text.index("## 青政办发"):]
    matrix = district[district.index("### 部门 × 任务矩阵"):]
    assert "| 区发改局 |   | 牵头 | 牵头 |" not in matrix  # the district's matrix has no Guangxi columns
    assert "| 区发改局 | 配合 | 牵头 | 牵头 | 配合 | 4 |" in matrix and "广西壮族自治区" not in matrix


def test_task_rows_are_numbered_within_their_document(run):
    rows = list(csv.reader(io.StringIO(run("export", "--format", "matrix-csv").output.lstrip("\ufeff"))))
    labels = [r[0] for r in rows if r and r[0].startswith("文件：")]
    assert [label.split()[0] for label in labels] == ["文件：桂人社发〔2023〕32号", "文件：青政办发〔2024〕12号"]
    district = rows[rows.index(next(r for r in rows if r and r[0].startswith("文件：青政办发"))):]
    assert [r[0] for r in district[2:6]] == ["1", "2", "3", "4"]


def test_export_doc_gives_only_that_document(run):
    rows = list(csv.reader(io.StringIO(run("export", "--format", "matrix-csv", "--doc", "青政办发").output.lstrip("\ufeff"))))
    assert rows[0][0] == "序号" and {r[6] for r in rows[1:5]} == {"青政办发〔2024〕12号"}
    assert "桂人社发" not in run("export", "--format", "nt", "--doc", "青政办发〔2024〕12号").output
    ics = run("export", "--format", "ics", "--doc", "青政办发").output
    assert ics.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20240710" in ics


def test_a_target_stated_in_the_goals_and_in_the_measure_is_one_cell(run):
    rows = list(csv.reader(io.StringIO(run("export", "--format", "matrix-csv", "--doc", "青政办发").output.lstrip("\ufeff"))))
    assert rows[1][5] == "完成老旧小区改造≥120个"


def test_export_to_a_missing_folder_is_a_one_line_error(run, tmp_path):
    result = run("export", "--format", "turtle", "-o", str(tmp_path / "no" / "such" / "g.ttl"))
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output


def test_listings_take_doc(run):
    assert _json(run("targets", "--doc", "青政办发", "--format", "json"))[0]["document"] == "青政办发〔2024〕12号"
    assert [d["date"] for d in _json(run("deadlines", "--doc", "青政办发", "--format", "json"))] == ["2024-07-10"]
    assert _json(run("conditions", "--doc", "青政办发", "--format", "json")) == []


# -- targets --owner ------------------------------------------------------------------------------------------
def test_targets_of_a_department_leave_out_goals_of_fields_it_has_no_part_in(run):
    # 公安厅 is listed in （四）（五）, to which 新建公办幼儿园 and 补贴性职业技能培训 are linked only by shared terms
    indicators = [t["indicator"] for t in _json(run("targets", "--owner", "公安厅", "--format", "json"))]
    assert "新建公办幼儿园" not in indicators and "开展各类补贴性职业技能培训" not in indicators


def test_targets_of_a_department_keep_goals_its_name_names_or_it_leads(run):
    housing = [t["indicator"] for t in _json(run("targets", "--owner", "住房城乡建设厅", "--format", "json"))]
    assert housing == ["建设保障性租赁住房"]
    # 区发改局 leads （二）: the goal 新增停车泊位3000个 is linked to it; it only supports （一） (老旧小区改造)
    district = [(t["indicator"], t["measure"]) for t in _json(run("targets", "--owner", "区发改局", "--format", "json"))]
    assert ("新增停车泊位", None) in district and ("完成老旧小区改造", None) not in district
    assert ("完成老旧小区改造", "（一）") in district  # stated in a measure it has a part in


# -- questions on a notice the rules were not written for -----------------------------------------------------
def _ask(run, question):
    return _json(run("query", question, "--format", "json"))


def test_topic_words_are_found_in_the_stored_text_of_any_notice(run):
    assert [m["number"] for m in _ask(run, "关于停车的措施")["items"]] == ["（二）"]
    departments = _ask(run, "哪些部门负责停车设施建设")  # the measure says 建设便民停车设施
    assert {d["department"] for d in departments["items"]} == {"区发改局", "区住建局", "区城管局"}


def test_a_quantity_on_another_notice(run):
    answer = _ask(run, "社区养老服务中心建多少个")
    assert [(t["indicator"], t["value"]) for t in answer["items"]] == [("新建社区养老服务中心", 8)]


def test_a_month_finds_the_deadlines_of_every_notice(run):
    answer = _ask(run, "7月份要交什么材料")
    assert [d["date"] for d in answer["items"]] == ["2023-07-15", "2024-07-10"]


def test_issuers_of_each_stored_document(run):
    answer = _ask(run, "who issued 青政办发〔2024〕12号")
    assert answer["items"][0]["issuers"] == ["南宁市青秀区人民政府办公室"]
    both = _ask(run, "这个文件是谁发的")
    assert [d["document"] for d in both["items"]] == ["桂人社发〔2023〕32号", "青政办发〔2024〕12号"]
    assert "name the 文号" in both["note"]


# -- short ids in several documents ---------------------------------------------------------------------------
def test_an_ambiguous_short_id_names_the_documents_by_their_doc_number(run):
    result = run("show", "m2.2")
    assert result.exit_code == 1
    assert "name one with --doc: 桂人社发〔2023〕32号、青政办发〔2024〕12号" in result.output


def test_trace_takes_the_document_of_a_short_id(run):
    out = run("trace", "m2.2", "--doc", "青政办发", "--depth", "1").output
    assert out.startswith("（二）建设便民停车设施 [measure]") and "lead → 区发改局 [department]" in out
