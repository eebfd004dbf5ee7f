"""Organisations first met in documents belong to the place that names them: 区发改局 of 立山区 is not 区发改局 of 铁西区.

The two notices in tests/fixtures/identity are written by us after the layout of 鞍立政发〔2023〕2号.
"""
from __future__ import annotations

import pytest

import policykg
from conftest import FIXTURES

IDENTITY = FIXTURES / "identity"


@pytest.fixture(scope="module")
def cli(module_cli):
    result = module_cli("ingest", str(IDENTITY))
    assert result.exit_code == 0, result.output
    return module_cli


def test_a_district_notice_belongs_to_its_district():
    doc = policykg.parse(IDENTITY / "lishan_district.txt")
    assert doc.jurisdiction == "鞍山市立山区"
    assert doc.measures[0].responsibilities[0].party.org.jurisdiction == "鞍山市立山区"


def test_the_same_short_name_in_two_districts_is_two_organisations():
    lishan = policykg.parse(IDENTITY / "lishan_district.txt").measures[0].responsibilities[0].party.org
    tiexi = policykg.parse(IDENTITY / "tiexi_district.txt").measures[0].responsibilities[0].party.org
    assert (lishan.name, tiexi.name) == ("区发改局", "区发改局")
    assert lishan.id != tiexi.id


def test_an_ambiguous_short_name_lists_each_candidate_with_its_place(cli):
    result = cli("measures", "--owner", "区发改局")
    assert result.exit_code == 1
    assert "区发改局（鞍山市立山区）" in result.output and "区发改局（鞍山市铁西区）" in result.output


def test_a_candidate_named_as_listed_is_found(cli):
    result = cli("measures", "--owner", "区发改局（鞍山市铁西区）", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "固定资产投资" in result.output and "地区生产总值" not in result.output


def test_a_name_with_its_district_in_front_is_found(cli):
    result = cli("measures", "--owner", "立山区区发改局", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "地区生产总值" in result.output and "固定资产投资" not in result.output


def test_each_district_has_its_own_streets(cli):
    lishan = policykg.parse(IDENTITY / "tiexi_district.txt").measures[0].responsibilities[1].party
    assert lishan.collective and lishan.org.id == "collective-鞍山市铁西区-各街道"


def test_parse_lists_annotations_not_understood_on_stderr(tmp_path):
    from click.testing import CliRunner

    from policykg.cli import main
    notice = tmp_path / "notice.txt"
    notice.write_text("一、就业\n1.稳岗位。加强服务。（牵头单位：）\n", "utf-8")
    result = CliRunner().invoke(main, ["parse", str(notice)])
    assert result.exit_code == 0
    assert "1 annotation not understood" in result.stderr and "line 2: （牵头单位：）" in result.stderr


def test_two_notices_with_the_same_title_and_no_doc_number_are_two_documents():
    text = "{}人民政府关于印发2023年重点工作任务分工方案的通知\n一、目标\n1.地区生产总值增长6%左右。\n牵头单位:区发改局\n"
    a, b = policykg.parse(text.format("鞍山市立山区")), policykg.parse(text.format("鞍山市铁西区"))
    assert a.doc_number is None and b.doc_number is None
    from policykg.iris import document_iri
    assert document_iri(a.key) != document_iri(b.key)
    assert document_iri(a.key) == document_iri(policykg.parse(text.format("鞍山市立山区")).key)


def test_ingest_lists_annotations_not_understood_and_counts_them(tmp_path):
    from click.testing import CliRunner

    from policykg.cli import main
    notice = tmp_path / "notice.txt"
    notice.write_text("某县人民政府关于印发重点任务分工方案的通知\n一、就业\n1.稳岗位。加强服务。（牵头单位：）\n"
                      "2.促创业。做好服务。（责任单位：县人社局）\n", "utf-8")
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "h"), "ingest", str(notice)])
    assert result.exit_code == 0, result.output
    assert "1 annotation not understood" in result.stderr and "line 3: （牵头单位：）" in result.stderr
    row = result.stdout.splitlines()[2].split()
    assert row[-1] == "1"  # the 未识别 column
