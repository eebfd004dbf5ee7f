"""The parser on 55 real State Council documents (../shared/corpus/govcn; skipped when absent)."""
from __future__ import annotations

import json
import re

import pytest

import policykg
from conftest import SHARED_CORPUS

pytestmark = pytest.mark.skipif(not (SHARED_CORPUS / "index.json").is_file(), reason="shared corpus absent")

INDEX = json.loads((SHARED_CORPUS / "index.json").read_text("utf-8")) if (SHARED_CORPUS / "index.json").is_file() else []
FILES = [e["file"] for e in INDEX]
#: A plain-regex reading of the annotations, independent of the parser: （A、B等有关部门负责[，rule]）
ANNOTATION = re.compile(r"。（(?P<names>[^（）]+?)负责(?P<rule>，排在第一位的部门为牵头部门，下同)?）")


@pytest.fixture(scope="module")
def parsed():
    return {f: policykg.parse(SHARED_CORPUS / f) for f in FILES}


def by_number(number: str) -> str:
    return next(e["file"] for e in INDEX if e["number"] == number)


def expected_parties(names: str) -> list[str]:
    out = []
    for name in names.split("、"):
        head, etc, tail = name.partition("等")
        out += [head, tail] if etc else [name]
    return out


@pytest.mark.parametrize("name", FILES)
def test_every_document_parses_with_its_number_and_title(parsed, name):
    entry = next(e for e in INDEX if e["file"] == name)
    d = parsed[name]
    assert d.doc_number == entry["number"]
    assert d.title == entry["title"]


@pytest.mark.parametrize("number, lead_rule", [("国发〔2019〕3号", True), ("国办发〔2018〕121号", False)])
def test_every_fuze_annotation_is_a_measure_with_exactly_its_parties(parsed, number, lead_rule):
    # 国发〔2019〕3号: （税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）
    name = by_number(number)
    text = (SHARED_CORPUS / name).read_text("utf-8")
    annotations = list(ANNOTATION.finditer(text))
    measures = parsed[name].measures
    assert len(annotations) == len(measures) > 15
    for ann, m in zip(annotations, measures):
        parties = expected_parties(ann.group("names"))
        assert [r.party.mention for r in m.responsibilities] == parties
        roles = [r.role for r in m.responsibilities]
        if lead_rule:  # the document's own rule: the first listed leads
            assert roles == ["lead"] + ["responsible"] * (len(parties) - 1)
        else:
            assert set(roles) == {"responsible"}
        assert d_quote(parsed[name], m).endswith(ann.group(0)[1:])


def d_quote(doc, measure) -> str:
    return doc.quote(measure.span).rstrip()


def test_national_bodies_in_annotations_resolve_to_the_registry(parsed):
    d = parsed[by_number("国发〔2019〕3号")]
    ids = {r.party.org.id for m in d.measures for r in m.responsibilities}
    assert {"cn-gac", "cn-mof", "cn-sat", "cn-mofcom", "cn-ndrc", "cn-nmpa", "cn-csrc"} <= ids
    unknown = {r.party.mention for m in d.measures for r in m.responsibilities
               if not r.party.org.in_registry and not r.party.collective}
    assert unknown == set()


def test_labelled_annotations_with_scope_notes(parsed):
    # 国发〔2018〕38号: （负责部门：海关总署，适用范围：福建自贸试验区）
    d = parsed[by_number("国发〔2018〕38号")]
    assert len(d.measures) == 53
    assert all(m.responsibilities for m in d.measures)


@pytest.mark.parametrize("number", [
    "国办函〔2004〕57号",  # 函 on questions raised during an inspection
    "国办函〔2004〕80号",  # 复函
    "国办函〔2006〕82号",  # 答复 to a CPPCC proposal
    "国令第707号",  # decree with a regulation
    "国令第706号",
    "国办发〔2018〕109号",  # name list: 组成人员
    "国办函〔2018〕74号",
    "国函〔2018〕159号",  # 批复
    "国发〔2018〕41号",  # a regulation (暂行办法) in articles
])
def test_documents_that_set_no_measures_yield_none(parsed, number):
    assert parsed[by_number(number)].measures == []


def test_no_measure_without_text(parsed):
    for d in parsed.values():
        for m in d.measures:
            assert m.text.strip() and m.title, (d.doc_number, m.id)
