"""The knowledge graph built from the bundled notice: queries, stability, validation, export."""
from __future__ import annotations

import pytest
import rdflib

import policykg
from policykg.knowledge import DepartmentError

EDUCATION = ["（二）", "（四）", "（五）", "（六）"]
# each issuing department → the measures whose 责任单位 list names it
OWNED = {
    "人力资源社会保障厅": ["（一）", "（二）", "（三）", "（五）", "（六）"],
    "发展改革委": ["（一）", "（四）", "（五）"],
    "教育厅": EDUCATION,
    "公安厅": ["（三）", "（四）", "（五）"],
    "财政厅": ["（一）", "（二）", "（三）", "（四）"],
    "住房城乡建设厅": ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"],
    "农业农村厅": ["（一）", "（二）", "（三）"],
    "医保局": ["（三）", "（五）", "（六）"],
    "总工会": ["（二）", "（三）", "（五）", "（六）"],
}


def numbers(measures):
    return [m.number for m in measures]


def test_first_open_builds_the_bundled_corpus(tmp_path):
    kg = policykg.open(tmp_path / "fresh")
    assert numbers(kg.measures(owner="教育厅")) == EDUCATION


@pytest.mark.parametrize("name", ["教育厅", "自治区教育厅", "广西壮族自治区教育厅", "Department of Education",
                                  "education department", "EDUCATION", "education"])
def test_every_name_form_of_the_department_of_education(kg, name):
    assert numbers(kg.measures(owner=name)) == EDUCATION


@pytest.mark.parametrize("name,expected", OWNED.items())
def test_measures_of_each_issuing_department(kg, name, expected):
    assert numbers(kg.measures(owner=name)) == expected


def test_unknown_department_lists_no_candidates(kg):
    with pytest.raises(DepartmentError, match="no department matches"):
        kg.measures(owner="月球开发部")  # no such department anywhere


def test_ambiguous_department_lists_candidates(kg):
    # 保障 is part of both 人力资源和社会保障厅 and 医疗保障局
    with pytest.raises(DepartmentError) as err:
        kg.resolve_department("保障")
    assert len(err.value.candidates) == 2
    assert "广西壮族自治区医疗保障局" in str(err.value)


def test_measure_records_carry_roles_in_printed_order(kg):
    four = next(m for m in kg.measures() if m.number == "（四）")
    assert four.departments[0] == "广西壮族自治区发展和改革委员会"
    assert four.responsibilities[0].mention == "自治区发展改革委"
    assert {r.role for r in four.responsibilities} == {"responsible"}


def test_departments_lists_the_nine(kg):
    assert len(kg.departments()) == 9
    assert kg.departments()[0].name == "广西壮族自治区住房和城乡建设厅"  # in all six measures


def test_targets_deadlines_conditions(kg):
    assert len(kg.targets()) == 11
    assert [d.date for d in kg.deadlines()] == ["2023-07-15", "2024-01-15"]
    [c] = kg.conditions()
    assert c.any_of == ["合法稳定住所（含租赁）", "合法稳定就业"] and c.measure == "（四）"
    assert "广西壮族自治区公安厅" in c.owners


def test_measures_of_one_document(kg):
    assert len(kg.measures(document="桂人社发〔2023〕32号")) == 6


def test_sparql_select_returns_rows(kg):
    rows = kg.sparql("SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }")
    assert rows == [{"n": 6}]


def test_graph_conforms_to_the_shapes(kg):
    report = kg.validate()
    assert report.conforms, report.text


def test_turtle_export_parses_back_to_the_same_triple_count(kg):
    turtle = kg.export("turtle")
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == len(kg.graph)


def test_building_twice_gives_the_same_triples(tmp_path):
    kg = policykg.open(tmp_path / "twice")
    first = sorted(kg.store.dump().splitlines())
    kg.build()
    assert sorted(kg.store.dump().splitlines()) == first


def test_iris_are_readable_and_stable(kg):
    four = next(m for m in kg.measures() if m.number == "（四）")
    assert four.iri == "https://w3id.org/policykg/id/doc/桂人社发-2023-32/measure/2.4"
