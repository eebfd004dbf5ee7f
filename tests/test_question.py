"""Questions in plain Chinese or English (kg/question.py, `policykg query`) on the bundled notice."""
import json

import pytest
from click.testing import CliRunner

from policykg.cli import main
from policykg.question import (QUESTION_RULES, chinese_number, find_dates, find_measure_numbers, find_topic,
                               measure_ordinal)

EDUCATION = ["（二）", "（四）", "（五）", "（六）"]
FOUR = {"广西壮族自治区发展和改革委员会", "广西壮族自治区财政厅", "广西壮族自治区住房和城乡建设厅",
        "广西壮族自治区教育厅", "广西壮族自治区公安厅"}


def numbers(answer):
    return [m["number"] for m in answer.items]


# -- measures owned or led by a department ----------------------------------------------------
@pytest.mark.parametrize("question", [
    "教育厅负责哪些措施", "自治区教育厅负责哪些任务？", "广西壮族自治区教育厅承担了什么工作", "教育厅参与哪些措施",
    "measures owned by the Department of Education", "what does the Department of Education own?",
    "Which measures is the education department responsible for?", "what does education own"])
def test_measures_of_the_department_of_education(kg, question):
    answer = kg.query(question)
    assert answer.understood and answer.kind == "measures"
    assert answer.query.department == "广西壮族自治区教育厅"
    assert numbers(answer) == EDUCATION


@pytest.mark.parametrize("question", ["公安厅负责哪些措施", "公安厅管哪些事", "measures of the Department of Public Security",
                                      "what tasks does the public security department handle"])
def test_measures_of_public_security(kg, question):
    assert numbers(kg.query(question)) == ["（三）", "（四）", "（五）"]


@pytest.mark.parametrize("question", ["教育厅牵头的任务", "which measures does the Department of Education lead"])
def test_lead_question_says_no_lead_is_named_and_shows_all_roles(kg, question):
    # the seed notice names no lead (no 牵头 / 列第一位者为牵头单位): say so, list every role
    answer = kg.query(question)
    assert answer.query.role == "lead"
    assert "lead" in answer.note
    assert numbers(answer) == EDUCATION


# -- departments of a measure -----------------------------------------------------------------
@pytest.mark.parametrize("question", [
    "（四）由哪些部门负责", "措施四的责任单位是什么", "第四项措施由谁负责", "(4)有哪些部门",
    "which departments are responsible for measure 4", "who is responsible for the fourth measure?",
    "who is responsible for the public-services measure", "公共服务那项措施由哪些部门负责"])
def test_departments_of_measure_four(kg, question):
    answer = kg.query(question)
    assert answer.kind == "departments"
    assert answer.query.measures == ["（四）"]
    assert {d["department"] for d in answer.items} == FOUR


def test_departments_of_an_unknown_measure_number_say_so(kg):
    answer = kg.query("（十二）由哪些部门负责")
    assert answer.items == [] and "（十二）" not in (answer.note or "") and "#12" in answer.note


# -- targets by topic or department -----------------------------------------------------------
@pytest.mark.parametrize("question", ["关于住房的目标", "住房方面有哪些指标", "targets for housing",
                                      "what are the housing goals?"])
def test_housing_targets(kg, question):
    answer = kg.query(question)
    assert answer.kind == "targets" and answer.query.topic == "住房"
    assert [t["indicator"] for t in answer.items] == ["建设保障性租赁住房"]


@pytest.mark.parametrize("question", ["教育方面的目标", "关于学校的目标有哪些", "targets for education",
                                      "education targets"])
def test_education_targets_by_topic(kg, question):
    answer = kg.query(question)
    assert answer.query.topic == "教育" and answer.query.department is None
    indicators = [t["indicator"] for t in answer.items]
    assert indicators[:3] == ["新建公办幼儿园", "义务教育学校", "普通高中"]
    assert any(i.startswith("进城务工人员随迁子女") for i in indicators) and len(indicators) == 4


@pytest.mark.parametrize("question", ["住房城乡建设厅的目标", "targets of the Department of Housing and Urban-Rural Development"])
def test_targets_of_a_department_follow_topic_links(kg, question):
    answer = kg.query(question)
    assert answer.query.department == "广西壮族自治区住房和城乡建设厅"
    housing = next(t for t in answer.items if t["indicator"] == "建设保障性租赁住房")
    assert housing["related_measures"] == ["（四）"]


def test_targets_of_a_department_leave_out_linked_goals_of_other_fields(kg):
    # 公安厅 is listed in （四）, linked by shared terms to 新建公办幼儿园: not a goal of the police
    assert "新建公办幼儿园" not in [t["indicator"] for t in kg.query("公安厅的目标").items]


# -- deadlines --------------------------------------------------------------------------------
@pytest.mark.parametrize("question", ["有哪些截止日期", "什么时候要报送材料", "what are the deadlines?", "list the due dates"])
def test_all_deadlines(kg, question):
    answer = kg.query(question)
    assert answer.kind == "deadlines"
    assert [d["date"] for d in answer.items] == ["2023-07-15", "2024-01-15"]
    assert answer.headline == "2023-07-15, 2024-01-15"


@pytest.mark.parametrize("question,before", [("what is due before 2024-01-01", "2024-01-01"),
                                             ("2024年1月1日前有哪些截止日期", "2024-01-01"),
                                             ("2023年底前要报送什么", "2023-12-31"),
                                             ("deadlines by the end of 2023-12", "2023-12-31")])
def test_deadlines_before_a_date(kg, question, before):
    answer = kg.query(question)
    assert answer.query.before == before
    assert [d["date"] for d in answer.items] == ["2023-07-15"]


def test_deadlines_on_a_date(kg):
    answer = kg.query("2023年7月15日要交什么")
    assert answer.query.on == "2023-07-15" and [d["what"] for d in answer.items] == ["工作总结、工作成效及典型经验"]


def test_deadlines_after_a_date(kg):
    assert [d["date"] for d in kg.query("2023年8月1日以后的截止日期").items] == ["2024-01-15"]
    assert [d["date"] for d in kg.query("deadlines after 2023-08-01").items] == ["2024-01-15"]


@pytest.mark.parametrize("question", ["下一个截止日期", "最近的报送时限是哪天", "when is the next deadline?"])
def test_next_deadline_relative_to_today(kg, question):
    assert [d["date"] for d in kg.query(question, today="2023-06-01").items] == ["2023-07-15"]
    assert [d["date"] for d in kg.query(question, today="2023-07-16").items] == ["2024-01-15"]
    assert kg.query(question, today="2024-02-01").items == []


# -- conditions -------------------------------------------------------------------------------
@pytest.mark.parametrize("question", ["落户条件是什么", "户口迁移需要什么条件", "落户有什么要求",
                                      "settlement conditions", "what are the hukou requirements?"])
def test_settlement_conditions(kg, question):
    answer = kg.query(question)
    assert answer.kind == "conditions"
    assert answer.query.topic == "落户" or answer.query.words == ["户口迁移"]  # the more specific words win
    (condition,) = answer.items
    assert condition["any_of"] == ["合法稳定住所（含租赁）", "合法稳定就业"]
    assert condition["measure"] == "（四）" and set(condition["owners"]) == FOUR


# -- counts -----------------------------------------------------------------------------------
@pytest.mark.parametrize("question,value", [
    ("教育厅负责几项措施", 4), ("教育厅一共参与多少个任务", 4), ("how many measures does the Department of Education own", 4),
    ("how many measures involve 总工会", 4), ("how many measures involve the trade union?", 4),
    ("公安厅负责几项措施", 3), ("（四）有几个责任单位", 5), ("有几个截止日期", 2), ("how many targets are there", 11)])
def test_counts(kg, question, value):
    answer = kg.query(question)
    assert answer.kind == "count" and answer.value == value
    assert answer.headline.startswith(str(value))


# -- departments sharing measures with X ------------------------------------------------------
@pytest.mark.parametrize("question", ["和教育厅共同负责的部门", "与教育厅一起负责措施的有哪些部门",
                                      "which departments share measures with the Department of Education",
                                      "who works with the education department?"])
def test_departments_sharing_measures(kg, question):
    answer = kg.query(question)
    assert answer.kind == "co_departments" and answer.query.department == "广西壮族自治区教育厅"
    shared = {d["department"]: d for d in answer.items}
    assert "广西壮族自治区教育厅" not in shared
    assert shared["广西壮族自治区住房和城乡建设厅"]["shared_measures"] == 4
    assert shared["广西壮族自治区公安厅"]["measures"] == ["（四）", "（五）"]


@pytest.mark.parametrize("question", ["教育厅和公安厅共同负责哪些措施", "measures shared by 教育厅 and 公安厅"])
def test_measures_two_departments_share(kg, question):
    answer = kg.query(question)
    assert answer.kind == "measures" and answer.query.also
    assert numbers(answer) == ["（四）", "（五）"] and answer.note is None


def test_free_words_are_what_no_rule_consumed():
    from policykg.question import free_words
    assert free_words("乡村工匠的目标是多少") == ["乡村工匠"]
    assert free_words("教育厅负责哪些措施", "教育厅") == []


# -- explanation, fallback, errors ------------------------------------------------------------
def test_the_sparql_shown_is_the_query_that_answers(kg):
    answer = kg.query("教育厅负责哪些措施")
    rows = kg.sparql(answer.sparql)
    assert {r["number"] for r in rows} == set(EDUCATION)
    assert "gx-education" in answer.sparql


def test_unmapped_question_says_so_and_falls_back_to_search(kg):
    answer = kg.query("农民工工资拖欠怎么处理")  # no rule maps it
    assert not answer.understood and answer.kind == "search"
    expected = "full-text search" if hasattr(kg, "search") else "text match (SPARQL CONTAINS)"
    assert answer.fallback == expected
    assert "Could not map" in answer.headline and expected in answer.headline
    first = answer.items[0]
    assert first.get("number") == "（三）" or "拖欠农民工工资" in first.get("text", "")  # it is in （三）


class _WithoutSearch:
    """The graph as it was before kg.search existed."""

    def __init__(self, kg):
        self._kg = kg

    def __getattr__(self, name):
        if name == "search":
            raise AttributeError(name)
        return getattr(self._kg, name)


def test_without_search_the_fallback_is_a_sparql_text_match(kg):
    from policykg.question import ask
    answer = ask(_WithoutSearch(kg), "农民工工资拖欠怎么处理")
    assert not answer.understood and answer.fallback == "text match (SPARQL CONTAINS)"
    assert "CONTAINS(?text" in answer.sparql
    assert "拖欠农民工工资" in answer.items[0]["text"]


def test_ambiguous_department_lists_candidates(kg):
    from policykg.knowledge import DepartmentError
    with pytest.raises(DepartmentError) as err:
        kg.query("what does the security department own")
    assert len(err.value.candidates) >= 2


def test_empty_question_is_an_error(kg):
    with pytest.raises(ValueError):
        kg.query("  ")


# -- the rules, with real examples ------------------------------------------------------------
#: One real question (Chinese, English) per rule family of kg/question_rules.json, with what the family
#: makes of it. test_every_rule_family_has_an_example keeps the table in step with the file.
RULE_EXAMPLES = [
    ("intents.issuers", "这个文件是谁发的", "who issued 桂人社发〔2023〕32号", lambda a: a.kind == "issuers"),
    ("intents.co_departments", "哪些部门和教育厅一起负责措施",
     "which departments share measures with the Department of Education", lambda a: a.kind == "co_departments"),
    ("intents.conditions", "落户的条件是什么", "what are the conditions for settlement",
     lambda a: a.kind == "conditions" and a.items),
    ("intents.deadlines", "什么时候要交材料", "what is due in July 2023", lambda a: a.kind == "deadlines" and a.items),
    ("intents.targets", "关于住房的目标", "targets for housing", lambda a: a.kind == "targets" and a.items),
    ("intents.departments", "（四）由哪些部门负责", "who is responsible for measure 4",
     lambda a: a.kind == "departments" and {i["department"] for i in a.items} == FOUR),
    ("intents.measures", "教育厅负责哪些措施", "what does the Department of Education own",
     lambda a: a.kind == "measures" and numbers(a) == EDUCATION),
    ("quantity", "保障性租赁住房建多少套", "how many kindergartens will be built",
     lambda a: a.kind == "targets" and not a.query.count and len(a.items) == 1),
    ("count", "教育厅负责几项措施", "how many measures does the Department of Education own",
     lambda a: a.kind == "count" and a.value == 4),
    ("lead", "教育厅牵头的任务", "measures led by the Department of Education", lambda a: a.query.role == "lead"),
    ("next", "下一个截止日期是什么", "what is the next deadline",
     lambda a: a.query.next and [i["due"] for i in a.items] == ["2023-07-15"]),
    ("before", "2024年1月15日前要交什么", "what is due before 2024-01-15",
     lambda a: a.query.before == "2024-01-15" and a.query.after is None),
    ("after", "2023年7月之后要交什么", "what is due after July 2023",
     lambda a: a.query.after == "2023-07-31" and [i["due"] for i in a.items] == ["2024-01-15"]),
    ("topics", "关于住房的目标", "targets for housing", lambda a: a.query.topic == "住房"),
    ("en_terms", "幼儿园建多少所", "how many kindergartens will be built",  # kindergarten → 幼儿园
     lambda a: len(a.items) == 1 and "幼儿园" in a.items[0]["text"]),
    ("org_words", "教育厅的目标", "targets of the education department",
     lambda a: a.query.department == "广西壮族自治区教育厅" and a.query.topic is None),
    ("numbers_en", "（三）由哪些部门负责", "who handles measure three", lambda a: a.query.measures == ["（三）"]),
    ("ordinals_en", "第三项由哪些部门负责", "who is responsible for the third measure",
     lambda a: a.query.measures == ["（三）"]),
    ("filler", "乡村工匠的目标是多少", "what is the target for rural craftsmen",
     lambda a: a.kind == "targets" and a.query.words == ["乡村工匠"] if "乡" in a.question
     else a.kind == "targets" and a.query.words == ["工匠"]),
    ("question_words", "今天天气怎么样", "what is the weather",
     lambda a: not a.understood and a.query.text in ("今天天气 样", "weather")),
]


@pytest.mark.parametrize("family,chinese,english,check", RULE_EXAMPLES, ids=[r[0] for r in RULE_EXAMPLES])
def test_each_rule_family_handles_its_example_in_both_languages(kg, family, chinese, english, check):
    for question in (chinese, english):
        answer = kg.query(question, today="2023-06-01")
        assert check(answer), (family, question, answer.query.summary(), answer.headline)


def test_every_rule_family_has_an_example():
    from importlib import resources
    rules = json.loads(resources.files("policykg").joinpath("question_rules.json").read_text("utf-8"))
    families = {k for k in rules if not k.startswith("_")} - {"intents"} | {f"intents.{i}" for i in rules["intents"]}
    assert families == {r[0] for r in RULE_EXAMPLES}
    assert set(rules["_about"]) == {k for k in rules if not k.startswith("_")}  # each family says what it is for


def test_the_rules_are_loaded_from_the_data_file_in_the_order_intents_are_tried():
    from policykg.question import load_rules
    assert load_rules() == QUESTION_RULES
    assert list(QUESTION_RULES["intents"])[:2] == ["issuers", "co_departments"]  # 谁发的 before 谁


@pytest.mark.parametrize("question", ["这个文件是谁发的", "教育厅负责哪些措施", "（四）由哪些部门负责", "哪些部门参与了措施",
                                      "哪些部门和教育厅一起负责措施", "关于住房的目标", "2024年1月15日前要交什么",
                                      "落户的条件是什么"])
def test_an_intents_count_and_its_list_are_one_query(kg, question):
    """The builder writes an intent's patterns once: counting them finds as many as listing them."""
    import re
    from dataclasses import replace

    from policykg.question import to_sparql
    sq = kg.query(question, today="2023-06-01").query
    listed = kg.select(to_sparql(replace(sq, count=False)))
    count_query = to_sparql(replace(sq, count=True))
    counted = int(kg.select(count_query)[0]["count"])
    var = re.search(r"COUNT\(DISTINCT \?(\w+)\)", count_query).group(1)
    assert listed and counted == len({r[var] for r in listed})


def test_the_next_deadline_query_is_ordered_and_limited(kg):
    answer = kg.query("下一个截止日期是什么", today="2023-06-01")
    assert answer.sparql.endswith("ORDER BY ?due LIMIT 10") and 'FILTER(?due >= "2023-06-01")' in answer.sparql


def test_topic_synonyms_map_words_to_topics():
    assert find_topic("关于保障性住房的目标")[0] == "住房"
    assert "保障性住房" in QUESTION_RULES["topics"]["住房"][0]
    assert find_topic("义务教育学位够吗")[0] == "教育"
    assert find_topic("settlement conditions")[0] == "落户"
    assert find_topic("who is responsible for the public-services measure")[0] == "公共服务"
    assert find_topic("今天天气怎么样") is None


def test_measure_references_in_both_languages():
    assert find_measure_numbers("（四）由哪些部门负责") == [4]
    assert find_measure_numbers("第十二项措施") == [12]
    assert find_measure_numbers("measure iv") == [4]
    assert find_measure_numbers("the sixth measure") == [6]
    assert find_measure_numbers("who handles measure three") == [3]
    assert find_measure_numbers("measures owned by the Department of Education") == []
    assert chinese_number("二十") == 20 and measure_ordinal("（四）") == 4 and measure_ordinal("4.") == 4


def test_dates_in_both_languages():
    assert [d for d, *_ in find_dates("2024年1月15日前")] == ["2024-01-15"]
    assert [d for d, *_ in find_dates("due before 2024-01-01")] == ["2024-01-01"]
    assert [d for d, *_ in find_dates("2023年底前")] == ["2023-12-31"]


# -- CLI --------------------------------------------------------------------------------------
def test_cli_query_explain_shows_structured_query_and_sparql():
    result = CliRunner().invoke(main, ["query", "教育厅负责几项措施", "--explain"])
    assert result.exit_code == 0, result.output
    assert "Understood as: measures (count)" in result.output
    assert "Structured query:" in result.output and "COUNT(DISTINCT ?measure)" in result.output
    assert "\n4 measures" in result.output


def test_cli_query_json():
    result = CliRunner().invoke(main, ["query", "which departments are responsible for measure 4", "--format", "json"])
    data = json.loads(result.output)
    assert data["understood"] and data["query"]["measures"] == ["（四）"]
    assert {d["department"] for d in data["items"]} == FOUR


def test_cli_next_deadline_with_today():
    result = CliRunner().invoke(main, ["query", "下一个截止日期", "--today", "2023-08-01"])
    assert result.exit_code == 0 and "2024-01-15" in result.output and "2023-07-15" not in result.output


def test_cli_bad_today_is_a_one_line_error():
    result = CliRunner().invoke(main, ["query", "下一个截止日期", "--today", "tomorrow"])
    assert result.exit_code != 0 and "tomorrow" in result.output and "Traceback" not in result.output


def test_cli_unmapped_question_is_labelled():
    result = CliRunner().invoke(main, ["query", "农民工工资拖欠怎么处理"])
    assert result.exit_code == 0 and "Could not map" in result.output


# -- several documents --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def two_docs(tmp_path_factory):
    """The bundled notice plus a small second notice (tests/fixtures/question/second_notice.txt)."""
    from pathlib import Path

    import policykg
    graph = policykg.open(tmp_path_factory.mktemp("two"))
    graph.add_documents([policykg.parse(Path(__file__).parent / "fixtures" / "question" / "second_notice.txt")])
    yield graph
    graph.close()


def test_a_measure_number_in_several_documents_is_answered_for_each_and_says_so(two_docs):
    answer = two_docs.query("（四）由哪些部门负责")
    assert {d["document"] for d in answer.items} == {"桂人社发〔2023〕32号", "桂教发〔2023〕99号"}
    assert "文号" in answer.note


def test_a_doc_number_in_the_question_scopes_the_answer(two_docs):
    answer = two_docs.query("桂教发〔2023〕99号的（四）由哪些部门负责")
    assert answer.query.document == "桂教发〔2023〕99号"
    assert [d["department"] for d in answer.items] == ["广西壮族自治区财政厅", "广西壮族自治区教育厅"]
    assert [d["date"] for d in two_docs.query("桂教发〔2023〕99号有哪些截止日期").items] == ["2023-09-30"]


def test_counts_add_up_over_documents(two_docs):
    assert two_docs.query("教育厅负责几项措施").value == 8
    assert two_docs.query("桂人社发〔2023〕32号中教育厅负责几项措施").value == 4


def test_an_unknown_doc_number_is_an_error_listing_the_stored_ones(two_docs):
    with pytest.raises(LookupError) as err:
        two_docs.query("国发〔2099〕1号有哪些措施")
    assert "桂教发〔2023〕99号" in str(err.value)


# -- dates as a new user writes them ------------------------------------------------------------
@pytest.mark.parametrize("question", ["what is due in July 2023", "what is due in july 2023?", "2023年7月要交什么",
                                      "deadlines in Jul 2023"])
def test_a_month_and_year_mean_that_month(kg, question):
    answer = kg.query(question)
    assert (answer.query.after, answer.query.before) == ("2023-06-30", "2023-07-31")
    assert [d["date"] for d in answer.items] == ["2023-07-15"]


@pytest.mark.parametrize("question", ["7月份要交什么材料", "七月要交什么", "what is due in July?"])
def test_a_month_without_a_year_means_that_month_of_any_year(kg, question):
    answer = kg.query(question)
    assert answer.query.month == "07" and answer.note is None
    assert [d["date"] for d in answer.items] == ["2023-07-15"]


def test_a_year_means_the_whole_year(kg):
    assert [d["date"] for d in kg.query("deadlines in 2024").items] == ["2024-01-15"]


def test_english_dates_with_day_month_and_year():
    assert [d for d, *_ in find_dates("due by 15 July 2023")] == ["2023-07-15"]
    assert [d for d, *_ in find_dates("due July 15, 2023")] == ["2023-07-15"]
    assert [(d, unit) for d, _, _, unit in find_dates("what is due in July 2023")] == [("2023-07", "month")]
    assert [d for d, *_ in find_dates("7月15日前")] == ["--07-15"]
    assert find_dates("what may be due") == []  # the verb, not the month


# -- quantities and issuers -----------------------------------------------------------------------
@pytest.mark.parametrize("question, indicator", [
    ("随迁子女入学比例要达到多少", "进城务工人员随迁子女就读义务教育公办学校（含政府购买民办学校学位）比例"),
    ("保障性租赁住房建多少套", "建设保障性租赁住房"),
    ("how many kindergartens will be built", "新建公办幼儿园"),
])
def test_a_question_for_a_quantity_is_answered_by_the_target(kg, question, indicator):
    answer = kg.query(question)
    assert answer.kind == "targets" and [t["indicator"] for t in answer.items] == [indicator]


@pytest.mark.parametrize("question", ["这个文件是谁发的", "桂人社发〔2023〕32号的发文机关是哪些", "who issued this notice?"])
def test_who_issued_a_document_is_answered_with_its_issuers(kg, question):
    answer = kg.query(question)
    assert answer.kind == "issuers"
    [doc] = answer.items
    assert doc["document"] == "桂人社发〔2023〕32号" and len(doc["issuers"]) == 9
    assert doc["issuers"][0] == "广西壮族自治区人力资源和社会保障厅" and answer.headline.startswith("桂人社发〔2023〕32号 was issued by")
