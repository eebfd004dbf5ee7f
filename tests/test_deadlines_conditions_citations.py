"""Deadlines, conditions and citations on short texts of the genre."""
from policykg import parse

HEAD = "某某市教育局\n某教发〔2024〕3号\n关于做好示范学校建设工作的通知\n各县（区）教育局：\n"


def test_date_with_前_is_a_deadline_with_what_is_due():
    doc = parse(HEAD + "一、工作要求\n请各县（区）教育局于2024年6月30日前将建设方案报送市教育局。\n")
    [d] = doc.deadlines
    assert (d.date, d.what) == ("2024-06-30", "建设方案")
    assert d.submit_to is not None and d.submit_to.mention == "市教育局"


def test_year_end_deadline_has_year_precision():
    doc = parse(HEAD + "一、主要任务\n（一）建设学校。2025年底前完成全部示范学校建设。（责任单位：市教育局）\n")
    [d] = doc.deadlines
    assert d.date == "2025"
    assert d.measure == doc.measures[0].id


def test_a_bare_year_is_a_period_not_a_deadline():
    doc = parse(HEAD + "一、目标\n2024年，建成示范学校10所。\n")
    assert doc.deadlines == []


def test_condition_with_alternatives():
    doc = parse(HEAD + "一、政策\n以具有合法稳定住所或合法稳定就业为落户的基本条件。\n")
    [c] = doc.conditions
    assert (c.governs, c.any_of) == ("落户", ["合法稳定住所", "合法稳定就业"])


def test_citation_with_half_width_brackets_is_normalised():
    doc = parse(HEAD + "一、依据\n根据《国务院关于促进综合保税区高水平开放高质量发展的若干意见》(国发[2019]3号)，制定本方案。\n")
    [c] = doc.citations
    assert c.doc_number == "国发〔2019〕3号"
    assert c.title == "国务院关于促进综合保税区高水平开放高质量发展的若干意见"


def test_own_doc_number_is_not_a_citation():
    doc = parse(HEAD + "一、说明\n本通知（某教发〔2024〕3号）自印发之日起施行。\n")
    assert doc.citations == []
