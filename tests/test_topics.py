"""Topic links: document-level targets → measures by shared key terms (kg/topics.py)."""
from policykg.topics import common_terms, enumeration_clause, related_measures, topic_links


def test_common_terms_are_maximal_substrings_left_to_right():
    # 建设保障性租赁住房 against a measure that says 保障性住房 … 建设 … （含租赁）
    assert common_terms("建设保障性租赁住房", "加大保障性住房建设力度，合法稳定住所（含租赁）") == \
        ["建设", "保障性", "租赁", "住房"]


def test_enumeration_clause_keeps_the_list_together():
    text = "培养乡村工匠200名；新建公办幼儿园50所、义务教育学校30所、普通高中5所，进城务工人员随迁子女"
    start = text.index("普通高中")
    assert enumeration_clause(text, start, start + 6) == "新建公办幼儿园50所、义务教育学校30所、普通高中5所"


def test_a_shared_generic_word_alone_makes_no_link():
    measures = ["开展就业服务。推动公共就业服务向乡村延伸", "开展宣传。利用好线上线下宣传渠道", "开展培训"]
    assert related_measures("举办线上线下招聘活动", measures) == []


def test_a_quoted_programme_name_is_enough():
    measures = ["开展“点对点”送工服务", "加强宣传", "完善服务"]
    assert [m.measure for m in related_measures("“点对点”开行专车专列", measures)] == [0]


def test_seed_targets_of_the_goals_section_link_to_measure_four(seed_doc):
    numbers = {m.id: m.number for m in seed_doc.measures}
    indicators = {t.id: t.indicator for t in seed_doc.targets}
    links = {(indicators[f], numbers[m]) for kind, f, m, _ in topic_links(seed_doc) if kind == "target"}
    for indicator in ("建设保障性租赁住房", "新建公办幼儿园", "义务教育学校", "普通高中"):
        assert (indicator, "（四）") in links
    assert any(i.startswith("进城务工人员随迁子女") and n == "（四）" for i, n in links)
    assert ("培养乡村工匠", "（二）") in links
    assert not any(i == "举办线上线下招聘活动" for i, _ in links)


def test_targets_of_a_department_follow_topic_links_it_leads_or_its_field_names(kg):
    # （四） is linked to the housing and school goals by topic; 发展改革委 is listed first in it (the lead by
    # convention), 住房城乡建设厅 names 住房; 公安厅 is listed too, but neither leads nor builds schools
    assert {"建设保障性租赁住房", "新建公办幼儿园", "普通高中"} <= {t.indicator for t in kg.targets(owner="发展改革委")}
    assert {t.indicator for t in kg.targets(owner="住房城乡建设厅")} == {"建设保障性租赁住房"}
    assert {t.indicator for t in kg.targets(owner="公安厅")} == set()


def test_a_fact_fitting_many_measures_is_thematic_and_gets_no_link():
    # a notice on one industry names it in most measures: its overall target belongs to none of them
    measures = [f"发展体育竞赛表演产业。第{i}项工作" for i in "一二三四"] + ["加强组织领导", "完善保障", "强化宣传", "加强监管"]
    assert related_measures("体育竞赛表演产业总规模达到2万亿元", measures) == []
