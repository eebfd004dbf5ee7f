"""The foundation acceptance on the bundled notice 桂人社发〔2023〕32号 (issue 2)."""
from __future__ import annotations

import pytest

GX = "广西壮族自治区"
NINE = ["人力资源和社会保障厅", "发展和改革委员会", "教育厅", "公安厅", "财政厅", "住房和城乡建设厅",
        "农业农村厅", "医疗保障局", "总工会"]
# The 责任单位 lists as printed in part 二, canonical names
MEASURE_OWNERS = {
    "（一）": ["人力资源和社会保障厅", "发展和改革委员会", "财政厅", "住房和城乡建设厅", "农业农村厅"],
    "（二）": ["人力资源和社会保障厅", "教育厅", "财政厅", "住房和城乡建设厅", "农业农村厅", "总工会"],
    "（三）": ["人力资源和社会保障厅", "公安厅", "财政厅", "住房和城乡建设厅", "农业农村厅", "医疗保障局", "总工会"],
    "（四）": ["发展和改革委员会", "财政厅", "住房和城乡建设厅", "教育厅", "公安厅"],
    "（五）": ["人力资源和社会保障厅", "发展和改革委员会", "教育厅", "公安厅", "住房和城乡建设厅", "医疗保障局", "总工会"],
    "（六）": ["人力资源和社会保障厅", "教育厅", "住房和城乡建设厅", "医疗保障局", "总工会"],
}


def test_doc_number_date_and_title(seed_doc):
    assert seed_doc.doc_number == "桂人社发〔2023〕32号"
    assert seed_doc.date == "2023-05-18"
    assert seed_doc.title == "广西壮族自治区人力资源和社会保障厅等9部门关于印发开展县域农民工市民化质量提升行动工作方案的通知"


def test_nine_issuers_without_the_文件_suffix(seed_doc):
    assert [p.name for p in seed_doc.issuers] == [GX + n for n in NINE]


def test_citation_of_the_national_notice(seed_doc):
    [citation] = seed_doc.citations
    assert citation.doc_number == "人社部发〔2023〕8号"
    assert citation.title == "人力资源社会保障部等9部门关于开展县域农民工市民化质量提升行动的通知"


def test_exactly_the_six_measures_of_part_two(seed_doc):
    assert [m.number for m in seed_doc.measures] == list(MEASURE_OWNERS)
    assert all(m.section == "主要措施" for m in seed_doc.measures)
    assert seed_doc.measures[3].title == "开展公共服务供给提升行动"


@pytest.mark.parametrize("number", list(MEASURE_OWNERS))
def test_responsibilities_as_listed_with_canonical_names(seed_doc, number):
    measure = next(m for m in seed_doc.measures if m.number == number)
    assert [r.party.name for r in measure.responsibilities] == [GX + n for n in MEASURE_OWNERS[number]]
    # a plain 责任单位 list makes everyone responsible; nobody is lead unless the text says so
    assert {r.role for r in measure.responsibilities} == {"responsible"}


def test_short_forms_resolve_to_full_names(seed_doc):
    first = seed_doc.measures[0]
    drc = next(r for r in first.responsibilities if r.party.mention == "发展改革委")
    assert drc.party.name == "广西壮族自治区发展和改革委员会"


EXPECTED_TARGETS = [  # (indicator ends with, value, unit, comparator)
    ("招聘活动", 5000, "场次", ">="), ("专车专列", 4000, "次", "="), ("农民工务工", 150000, "人", "="),
    ("职业技能培训", 200000, "人次", "="), ("乡村工匠", 200, "名", "="), ("相关培训", 90000, "人次", ">="),
    ("保障性租赁住房", 60000, "套", ">="), ("公办幼儿园", 50, "所", "="), ("义务教育学校", 30, "所", "="),
    ("普通高中", 5, "所", "="), ("比例", 87, "%", ">="),
]


def test_all_eleven_targets_of_part_one(seed_doc):
    got = [(t.indicator, t.value, t.unit, t.comparator) for t in seed_doc.targets]
    assert len(got) == 11
    for (indicator, value, unit, comparator), expected in zip(got, EXPECTED_TARGETS):
        assert indicator.endswith(expected[0])
        assert (value, unit, comparator) == expected[1:]


def test_the_two_report_deadlines(seed_doc):
    assert [d.date for d in seed_doc.deadlines] == ["2023-07-15", "2024-01-15"]
    for d in seed_doc.deadlines:
        assert d.what == "工作总结、工作成效及典型经验"
        assert d.submit_to.name == "广西壮族自治区人力资源和社会保障厅"
        assert [p.name for p in d.obligated] == ["市人力资源和社会保障局", "区直各有关部门"]


def test_settlement_condition_with_two_alternatives_in_measure_four(seed_doc):
    [condition] = seed_doc.conditions
    assert condition.governs == "户口迁移"
    assert condition.any_of == ["合法稳定住所（含租赁）", "合法稳定就业"]
    assert condition.measure == next(m.id for m in seed_doc.measures if m.number == "（四）")


def test_page_breaks_inside_sentences_are_repaired(seed_doc):
    # the seed breaks …做好农民工 / 市民化工作… and …在公办 / 学校就读… over two paragraphs
    texts = [m.text for m in seed_doc.measures] + [p.text for p in seed_doc.paragraphs]
    assert any("做好农民工市民化工作" in t for t in texts)
    assert any("在公办学校就读" in t for t in texts)
    assert any("劳务输出基地与“八桂系列”劳务品牌" in t for t in texts)
    assert any("树立新生代农民工" in t for t in texts)
    assert any("报送自治区人力资源社会保障厅" in d.text for d in seed_doc.deadlines)


def test_every_span_points_at_the_original_text(seed_doc):
    for t in seed_doc.targets:
        assert seed_doc.quote(t.span) == t.text
    for c in seed_doc.conditions:
        assert seed_doc.quote(c.span) == c.text
    four = seed_doc.measures[3]
    assert seed_doc.quote(four.span).startswith("（四）开展公共服务供给提升行动。")
    assert seed_doc.quote(four.span).endswith("公安厅）")


def test_to_dict_has_the_documented_keys(seed_doc):
    d = seed_doc.to_dict()
    assert {"doc_number", "title", "issuers", "date", "measures", "targets", "deadlines", "conditions",
            "citations"} <= set(d)
    assert {"id", "number", "title", "text", "responsibilities", "span"} <= set(d["measures"][0])
    assert set(d["measures"][0]["responsibilities"][0]) >= {"name", "mention", "role"}
    assert {"text", "indicator", "value", "unit", "comparator", "measure", "span"} <= set(d["targets"][0])
    assert {"text", "date", "what", "obligated", "submit_to", "span"} <= set(d["deadlines"][0])
    assert {"text", "governs", "any_of", "measure", "span"} <= set(d["conditions"][0])
    assert {"doc_number", "title"} <= set(d["citations"][0])
