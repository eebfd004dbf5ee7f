"""Deadlines as real notices write them: precision, dates without a year, recurring and relative dates,
and what is never a deadline. Each sentence is quoted from a published notice unless marked otherwise."""
import json

from policykg import parse
from policykg.deadlines import due_dates


def _due(sentence, year=None, doc_date=None, time_column=False):
    return [(d.iso, d.precision, d.period, d.recurrence) for group, _ in
            due_dates(sentence, year, doc_date, time_column) for d in group]


def _notice(body, date="2020年1月23日"):
    """A notice around real body text: the header and signature only give it a date."""
    return f"某市人民政府办公室关于做好重点工作的通知\n某政办发〔2020〕1号\n各县区人民政府：\n{body}\n某市人民政府办公室\n{date}\n"


def test_month_end_has_month_precision():
    # 咸阳市 2022 放管服要点: 2022年10月底前编制并公布市、县两级行政许可事项清单
    assert _due("2022年10月底前编制并公布市、县两级行政许可事项清单") == [("2022-10", "month", None, None)]


def test_a_day_with_前_has_day_precision():
    # 华容县 2021 重点工作任务: 于2021年3月15日前报县政府督查室备案
    assert _due("各项工作任务的主要责任单位要将实施方案和“四四表单”报县政府分管领导审查签字后，"
                "于2021年3月15日前报县政府督查室备案。") == [("2021-03-15", "day", None, None)]


def test_a_quarter_without_a_year_takes_the_notices_year():
    # 淮安市 2020 为民办十件实事实施方案: 一季度完成立项，组织设计单位招标和方案制定
    doc = parse(_notice("一、工作安排\n一季度完成立项，组织设计单位招标和方案制定，征求业主意见，部分项目进场施工。"))
    [d] = doc.deadlines
    assert (d.date, d.precision, d.period) == ("2020-03", "quarter", "2020-Q1")


def test_a_half_year_keeps_its_precision():
    # the form of issue 9's notice: 2019年上半年
    assert _due("2019年上半年完成试点。") == [("2019-06", "half-year", "2019-H1", None)]


def test_年底前_without_a_year_takes_the_nearest_year_before_it():
    # 温州市 2018 行动计划 sets 2018 for the paragraph; a 年底前 later in it belongs to 2018
    doc = parse(_notice("一、目标\n2018年，新创省义务教育标准化学校30所。年底前完成全部验收。", "2018年4月30日"))
    [d] = doc.deadlines
    assert (d.date, d.precision) == ("2018", "year")


def test_a_month_without_a_year_takes_the_year_of_its_sentence():
    assert _due("2019年完成摸底，6月底前完成整改。", year=2018)[-1] == ("2019-06", "month", None, None)


def test_recurring_deadline_gives_first_date_and_interval():
    # issue 9's notice: 从2019年起，每年2月底前…
    assert _due("从2019年起，每年2月底前将上一年度工作情况报送市政府。") == [("2019-02", "month", None, "P1Y")]


def test_a_date_relative_to_the_notice_is_resolved_from_its_date():
    # issue 9's notice: 本意见印发之日起30日内
    doc = parse(_notice("一、工作要求\n各区要在本意见印发之日起30日内制定具体实施方案。", "2020年1月23日"))
    [d] = doc.deadlines
    assert (d.date, d.precision, d.relative_to) == ("2020-02-22", "day", "本意见印发之日起30日内")


def test_a_relative_date_without_the_notices_date_is_left_out():
    assert _due("各区要在本意见印发之日起30日内制定具体实施方案。") == []


def test_长期坚持_and_持续推进_are_no_dates():
    assert _due("长期坚持", time_column=True) == [] and _due("持续推进", time_column=True) == []


def test_a_date_cell_under_a_time_column_is_a_deadline():
    assert _due("1\t开展职业技能培训\t市人力资源社会保障局\t2019年上半年", time_column=True) == \
        [("2019-06", "half-year", "2019-H1", None)]


def test_signature_date_and_phone_number_are_no_deadlines():
    # 盘锦市大洼区 2021 任务分解 (signature) and a 2024 农资打假 notice (phone line)
    doc = parse(_notice("一、要求\n区委区政府督查室要根据各项工作任务完成时限要求，适时开展督查督办工作。\n"
                        "电话：010-59192353，传真：010-59191891。", "2021年1月25日"))
    assert doc.deadlines == []


def test_a_date_before_the_notice_is_no_deadline():
    # 国务院办公厅 reply: 并于2005年12月28日主持召开国务院常务会议听取了…的汇报 (in a 2006 reply)
    doc = parse(_notice("一、情况\n温家宝总理并于2005年12月28日主持召开国务院常务会议听取了中央政府门户网站建设情况的汇报。",
                        "2006年9月7日"))
    assert doc.deadlines == []


def test_precision_reaches_json_and_rdf(tmp_path):
    from policykg.graph import document_graph
    from policykg.graph import registry_graph
    from policykg.validate import validate_graph
    doc = parse(_notice("一、工作安排\n一季度完成立项，组织设计单位招标和方案制定。\n"
                        "从2020年起，每年2月底前将上一年度工作情况报送市政府。"))
    as_json = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    assert [(d["precision"], d["recurrence"]) for d in as_json["deadlines"]] == [("quarter", None), ("month", "P1Y")]
    turtle = document_graph(doc).serialize(format="nt")
    assert "unitQuarter" in turtle and '"P1Y"^^<http://www.w3.org/2001/XMLSchema#duration>' in turtle
    assert '"2020-03"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>' in turtle
    g = document_graph(doc)
    g += registry_graph()
    assert validate_graph(g).conforms
