"""Exports: GraphML / GEXF, the 任务分工表 (CSV, XLSX, Markdown) and the deadlines as iCalendar."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from policykg.exports import FIRST_LISTED, TASK_HEADERS, _fold, _ics_text, task_table
from policykg.render import full_graph

HRSS = "广西壮族自治区人力资源和社会保障厅"
EDU = "广西壮族自治区教育厅"
DRC = "广西壮族自治区发展和改革委员会"


@pytest.fixture(scope="module")
def run(module_cli):
    """The CLI on a data directory of this module's own."""
    return module_cli


def test_graphml_loads_back_with_the_same_counts_and_attributes(kg, tmp_path):
    import networkx as nx
    path = tmp_path / "g.graphml"
    path.write_text(kg.export("graphml"), encoding="utf-8")
    g, back = full_graph(kg), nx.read_graphml(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())
    edu = next(a for _, a in back.nodes(data=True) if a.get("label") == "教育厅")
    assert (edu["kind"], edu["name"], edu["measures"]) == ("department", EDU, 4)
    assert {a["role"] for _, _, a in back.edges(data=True) if a["relation"] == "role"} == {"responsible"}


def test_gexf_loads_back_with_the_same_counts(kg, tmp_path):
    import networkx as nx
    path = tmp_path / "g.gexf"
    path.write_text(kg.export("gexf"), encoding="utf-8")
    g, back = full_graph(kg), nx.read_gexf(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())
    assert "教育厅" in {a.get("label") for _, a in back.nodes(data=True)}


def test_task_table_has_one_row_per_measure_with_its_departments(kg):
    rows = task_table(kg).rows
    assert [r.task for r in rows][:2] == ["（一）开展就业创业质量提升行动", "（二）开展职业技能水平提升行动"]
    assert len(rows) == 6
    four = rows[3]  # （四）（责任单位：自治区发展改革委、财政厅、住房城乡建设厅、教育厅、公安厅）
    assert four.lead == [DRC + FIRST_LISTED]
    assert four.others == ["广西壮族自治区财政厅", "广西壮族自治区住房和城乡建设厅", EDU, "广西壮族自治区公安厅"]


def test_without_a_named_lead_the_first_listed_unit_is_marked(kg):
    table = task_table(kg)
    assert all(len(r.lead) == 1 and r.lead[0].endswith(FIRST_LISTED) for r in table.rows)
    assert any("列首" in note for note in table.notes)


def test_document_wide_report_deadlines_fill_the_deadline_column(kg):
    row = task_table(kg).rows[0]
    assert row.deadlines == ["2023-07-15、2024-01-15 报送工作总结、工作成效及典型经验"]


def test_matrix_has_a_role_per_department_and_measure(kg):
    table = task_table(kg)
    edu = next(r for r in table.matrix if r[0] == EDU)
    assert edu[1:] == ["", "负责", "", "负责", "负责", "负责", 4]
    assert len(table.matrix) == 9 and table.matrix_headers[0] == "部门"


def test_matrix_xlsx_opens_with_openpyxl_with_six_task_rows(kg, tmp_path):
    import openpyxl
    path = tmp_path / "t.xlsx"
    path.write_bytes(kg.export("matrix-xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["任务分工表", "部门矩阵"]
    ws = wb["任务分工表"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == TASK_HEADERS
    tasks = [r for r in rows[1:] if isinstance(r[0], int)]
    assert [r[0] for r in tasks] == [1, 2, 3, 4, 5, 6]
    assert tasks[1][2] == HRSS + FIRST_LISTED and EDU in tasks[1][3]  # （二） 人社厅 first, 教育厅 among the others
    assert EDU not in (tasks[0][3] or "")  # （一）: 人社厅、发展改革委、财政厅、住房城乡建设厅、农业农村厅
    matrix = list(wb["部门矩阵"].iter_rows(values_only=True))
    assert len(matrix) == 10 and matrix[0][0] == "部门"


def test_matrix_csv_has_the_table_then_the_matrix(kg):
    text = kg.export("matrix-csv")
    assert text.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == TASK_HEADERS and [r[0] for r in rows[1:7]] == ["1", "2", "3", "4", "5", "6"]
    assert rows[7] == [] and rows[8][0] == "部门"


def test_matrix_md_has_both_sections_and_escapes_pipes(kg):
    text = kg.export("matrix-md")
    assert "# 重点任务分工表" in text and "## 部门 × 任务矩阵" in text
    assert text.count("\n| ") >= 1 + 6 + 1 + 9
    from policykg.exports import _md_cell
    assert _md_cell("a|b<script>") == "a\\|b&lt;script&gt;"


def test_ics_parses_and_holds_the_two_report_deadlines(kg):
    import icalendar
    cal = icalendar.Calendar.from_ical(kg.export("ics"))
    events = cal.walk("VEVENT")
    assert sorted(e.decoded("DTSTART") for e in events) == [date(2023, 7, 15), date(2024, 1, 15)]
    for e in events:
        assert "工作总结、工作成效及典型经验" in str(e["SUMMARY"]) and HRSS in str(e["SUMMARY"])
        assert "区直各有关部门" in str(e["DESCRIPTION"])  # who must report
    assert len({str(e["UID"]) for e in events}) == 2


def test_ics_lines_are_folded_at_75_octets_and_end_in_crlf(kg):
    text = kg.export("ics")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode("utf-8")) for line in text.split("\r\n")) <= 75


def test_ics_text_escaping():
    assert _ics_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = _fold("SUMMARY:" + "农民工" * 40)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "农民工" * 40


def test_cli_export_xlsx_to_a_file(run, tmp_path):
    out = tmp_path / "t.xlsx"
    result = run("export", "--format", "matrix-xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


def test_cli_export_keeps_the_rdf_formats(run):
    result = run("export", "--format", "nt")
    assert result.exit_code == 0 and "<https://w3id.org/policykg/" in result.output


def test_cli_export_ics_to_stdout(run):
    result = run("export", "--format", "ics")
    assert result.exit_code == 0 and result.output.startswith("BEGIN:VCALENDAR")


def test_cli_refuses_to_write_xlsx_to_a_terminal(tmp_path):
    import os
    import pty
    import subprocess
    import sys
    master, slave = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-c", "from policykg.cli import main; main()",
                                 "--home", str(tmp_path / "home"), "export", "--format", "matrix-xlsx"],
                                stdout=slave, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(slave)
        os.close(master)
    assert result.returncode == 1
    assert "matrix-xlsx is binary" in result.stderr.decode() and "-o" in result.stderr.decode()
