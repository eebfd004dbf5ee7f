"""The command line: thin shell over the library, one shared --format option, one-line errors."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest


from conftest import SEED


@pytest.fixture(scope="module")
def run(module_cli):
    """The CLI on a data directory of this module's own."""
    return module_cli


@pytest.mark.parametrize("name", ["教育厅", "自治区教育厅", "广西壮族自治区教育厅", "Department of Education",
                                  "education department"])
def test_measures_owner_json_for_every_name_form(run, name):
    result = run("measures", "--owner", name, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [m["number"] for m in json.loads(result.output)] == ["（二）", "（四）", "（五）", "（六）"]


def test_table_is_the_default_and_aligned(run):
    lines = run("measures", "--owner", "公安厅").output.splitlines()
    assert lines[0].startswith("文号") and set(lines[1]) <= {"-", " "}
    assert [line.split()[1] for line in lines[2:]] == ["（三）", "（四）", "（五）"]


def test_csv_output_has_a_header_row(run):
    rows = list(csv.reader(io.StringIO(run("deadlines", "--format", "csv").output)))
    assert rows[0][0] == "日期" and [r[0] for r in rows[1:]] == ["2023-07-15", "2024-01-15"]


def test_unknown_department_exits_non_zero_with_one_line(run):
    result = run("measures", "--owner", "Ministry of Magic")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "Ministry of Magic" in result.output
    assert "Traceback" not in result.output


def test_ambiguous_department_lists_candidates(run):
    result = run("measures", "--owner", "保障")
    assert result.exit_code == 1
    assert "广西壮族自治区人力资源和社会保障厅" in result.output and "广西壮族自治区医疗保障局" in result.output


def test_conditions_show_both_alternatives(run):
    out = run("conditions").output
    assert "合法稳定住所（含租赁） 或 合法稳定就业" in out and "（四）" in out


def test_targets_departments_listings(run):
    assert len(json.loads(run("targets", "--format", "json").output)) == 11
    assert len(json.loads(run("departments", "--format", "json").output)) == 9


def test_sparql_command(run):
    out = run("sparql", "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }", "--format", "json").output
    assert json.loads(out) == [{"n": 6}]


def test_bad_sparql_is_a_one_line_error(run):
    result = run("sparql", "SELEKT nothing")
    assert result.exit_code == 2 and "SPARQL" in result.output and "Traceback" not in result.output


def test_export_turtle_and_validate(run):
    assert "pkg:Measure" in run("export", "--format", "turtle").output
    result = run("validate")
    assert result.exit_code == 0 and "conforms" in result.output


def test_parse_prints_json_without_storing(run):
    data = json.loads(run("parse", str(SEED)).output)
    assert data["doc_number"] == "桂人社发〔2023〕32号" and len(data["measures"]) == 6


def test_parse_table_format(run):
    out = run("parse", str(SEED), "--format", "table").output
    assert out.startswith("桂人社发〔2023〕32号") and "措施 (6)" in out


@pytest.mark.parametrize("content,problem", [(b"", "empty"), (b"\x00\x01\x02PK\x03\x04" * 100, "binary")])
def test_parse_bad_file_is_a_one_line_error(run, tmp_path, content, problem):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run("parse", str(bad))
    assert result.exit_code == 2
    assert str(bad) in result.output and problem in result.output and "Traceback" not in result.output


def test_console_script_answers_from_a_fresh_home(tmp_path):
    out = subprocess.run([sys.executable, "-m", "policykg.cli", "--home", str(tmp_path), "measures",
                          "--owner", "教育厅", "--format", "json"], capture_output=True, text=True, check=True)
    assert len(json.loads(out.stdout)) == 4
