"""The parser on excerpts of real notices nobody here wrote (tests/fixtures/realworld, sources in each .json).

Each layout of issue 9 is shown on a real text; the scores over all fixtures are floors that a change
may raise, never lower (benchmarks/realworld.py prints them with every miss).
"""
from __future__ import annotations

import pytest

import policykg
from policykg.corpus import segment
from policykg.responsibility import parse_statement
from realworld import REALWORLD, fixtures, score, total


def real(name: str):
    return policykg.parse(REALWORLD / f"{name}.txt")


def roles(measure) -> list[tuple[str, str]]:
    return [(r.party.mention, r.role) for r in measure.responsibilities]


def measure_starting(doc, words: str):
    return next(m for m in doc.measures if words in m.text or words in m.title)


def statement(body: str, context: str | None) -> list[tuple[str, str]]:
    parsed = parse_statement(body, context)
    assert parsed is not None, body
    return [(r.party.mention, r.role) for r in parsed[0]]


# -- one unknown name never costs its neighbours -------------------------------------------------

def test_trailing_collective_keeps_the_whole_annotation():
    # a 45-item city notice: （牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，各区、县级市）
    assert statement("牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，各区、县级市", "广州市") == [
        ("市发展改革委", "lead"), ("市委组织部", "support"), ("市人力资源和社会保障局", "support"), ("各区、县级市", "support")]


def test_separate_half_width_lines_keep_units_the_registry_does_not_know():
    # 鞍立政发〔2023〕2号: 牵头单位:区发改局 / 责任单位:立山经济开发区,全区经济运行各专班
    m = measure_starting(real("anshan_lishan_2023_separate_lines"), "努力实现地区生产总值增长")
    assert roles(m) == [("区发改局", "lead"), ("立山经济开发区", "responsible"), ("全区经济运行各专班", "responsible")]


def test_a_collective_run_ends_where_the_next_name_starts():
    # 责任单位:立山经济开发区,各街道、区直各部门
    m = measure_starting(real("anshan_lishan_2023_separate_lines"), "固定资产投资增长")
    assert ("各街道", "responsible") in roles(m) and ("区直各部门", "responsible") in roles(m)


# -- brackets, labels, numbering --------------------------------------------------------------

def test_tortoise_shell_brackets_and_a_default_stated_inside_them():
    # 〔责任单位:省发展改革委、…按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕
    doc = real("sichuan_drc_2022_liutong_buzaizuofengong")
    first, second = doc.measures[0], doc.measures[1]
    assert [p for p, _ in roles(first)][:2] == ["省发展改革委", "省市场监管局"]
    assert ("相关市（州）人民政府", "responsible") in roles(first)
    assert ("相关市（州）人民政府", "responsible") in roles(second)


def test_lead_and_coordinating_responsible_units_with_small_full_stop_numbers():
    # 安徽: 1﹒全省生产总值增长7%以上… / 牵头责任单位:省发展改革委。/ 协同责任单位:省政府各部门、各直属机构。
    m = measure_starting(real("anhui_2022_lead_coop_lines"), "全省生产总值增长7%以上")
    assert m.number == "1."
    assert roles(m) == [("省发展改革委", "lead"), ("省政府各部门", "support"), ("各直属机构", "support")]


def test_square_brackets_with_lead_and_responsible():
    # 黄石下陆区: [牵头单位:…;责任单位:…]
    doc = real("huangshi_xialu_2020_square_brackets")
    assert doc.measures and all(any(r == "lead" for _, r in roles(m)) for m in doc.measures)


def test_the_measure_that_declares_the_first_listed_rule_keeps_it():
    # （人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）: the rule and its own measure both hold
    doc = policykg.parse("（一）稳定就业。做好就业工作。（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）\n"
                         "（二）加强社保。做好社保工作。（财政部、人力资源社会保障部负责）\n")
    assert [roles(m) for m in doc.measures] == [
        [("人力资源社会保障部", "lead"), ("财政部", "responsible")],
        [("财政部", "lead"), ("人力资源社会保障部", "responsible")]]


def test_the_first_listed_rule_in_a_bracket_after_a_labelled_line():
    # 宁波海曙: 责任单位:区发改局、海曙生态环境分局(列第一位者为牵头或汇总单位,下同)
    m = measure_starting(real("ningbo_haishu_2023_leader_headings"), "完成上级下达的能源和环境指标")
    assert roles(m) == [("区发改局", "lead"), ("海曙生态环境分局", "responsible")]


def test_items_of_a_labelled_list_may_carry_their_own_verb():
    # 宁波海曙: 责任单位:经济投资局和航空口岸局分别牵头、区发改局
    m = measure_starting(real("ningbo_haishu_2023_leader_headings"), "提高国家级临空经济示范区能级")
    assert roles(m) == [("经济投资局", "lead"), ("航空口岸局", "lead"), ("区发改局", "responsible")]


def test_an_item_whose_title_starts_with_digits_is_the_next_item():
    # 11.121人才梯队项目 after item 10 is item 11, not a decimal
    text = "一、人才\n10.引进人才。做好引才工作。\n11.121人才梯队项目。加强培养。\n"
    items = [s.number for s in segment(text).walk()]
    assert items == ["一、", "10.", "11."]


def test_a_decimal_at_the_start_of_a_line_is_not_an_item():
    # after item 1 only 2 may follow: 3.5亿元 is an amount
    text = "一、目标\n1.稳增长。\n3.5亿元用于补贴。\n"
    assert [s.number for s in segment(text).walk()] == ["一、", "1."]


def test_a_bare_list_names_three_cities_sharing_one_suffix():
    # 黑龙江: (哈爾濱機場擴建指揮部、哈爾濱、黑河、綏芬河市政府、省農墾總局負責)
    m = measure_starting(real("heilongjiang_wenzengzhang_fuze_trad"), "推进民航基础设施建设")
    assert [p for p, _ in roles(m)] == ["哈尔滨机场扩建指挥部", "哈尔滨、黑河、绥芬河市政府", "省农垦总局"]


def test_two_names_run_together_are_two_parties():
    # 西安: | 市行政审批局市司法局 | (a table cell that lost its separator)
    assert [p for p, _ in statement("牵头单位：市行政审批局市司法局", "西安市")] == ["市行政审批局", "市司法局"]


def test_pinyin_glosses_of_a_mirror_site_are_not_part_of_names():
    # 内蒙古: 〔責任單位:自治區(qū)農(nóng)牧廳(鄉(xiāng)村振興局)、財政廳〕
    m = real("neimenggu_2024_zhengceqingdan_pinyin_gloss").measures[0]
    assert [p for p, _ in roles(m)] == ["自治区农牧厅（乡村振兴局）", "财政厅"]


def test_a_label_naming_no_role_takes_roles_from_its_verbs():
    # 粤府〔2021〕22号: 部门分工:省发展改革委牵头,各地、各部门配合。
    m = measure_starting(real("guangdong_2021_fengong_lines"), "地区生产总值增长6%以上")
    assert roles(m) == [("省发展改革委", "lead"), ("各地", "support"), ("各部门", "support")]


def test_a_table_copied_with_pipes_between_cells():
    # 西安: 序号 | 陕西省《工作要点》部署任务 | 西安市落实措施 | 牵头单位 | 责任单位 | 完成时限 |
    doc = real("xian_2022_pipe_table")
    assert any(("市行政审批局", "lead") in roles(m) for m in doc.measures)


# -- header ---------------------------------------------------------------------------------------

def test_a_copy_starting_with_its_salutation_is_titled_by_what_it_issues():
    # 重庆: 各區縣(自治縣)人民政府,市政府各部門,有關單位: / 《…實施方案》已經市政府同意,現印發給你們
    doc = real("chongqing_2024_getihu_horizon_trad")
    assert doc.title == "重庆市构建分型分类精准培育机制促进个体工商户高质量发展实施方案"
    assert "市政府各部门" in [p.mention for p in doc.recipients]


# -- what was not read is said ----------------------------------------------------------------------

def test_an_annotation_that_gives_no_party_is_reported_with_its_line():
    doc = policykg.parse("一、就业\n1.稳岗位。加强服务。（牵头单位：）\n2.促创业。做好服务。（责任单位：人社局）\n")
    assert [(u.line, u.text) for u in doc.unread] == [(2, "（牵头单位：）")]


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.stem)
def test_no_annotation_of_a_real_notice_is_left_not_understood(path):
    s = score(path)
    assert s.counts["not understood"] == 0, s.misses


# -- floors over every real notice -----------------------------------------------------------------

@pytest.fixture(scope="module")
def overall():
    return total()


@pytest.mark.parametrize("found, of, floor", [
    ("parties said right", "parties said", 0.99),  # precision: what the parser says of a measure is right
    ("parties found", "parties", 0.91),
    ("leads found", "leads", 0.93),
    ("measures found", "measures", 0.89),
    ("targets found", "targets", 0.90),
    ("deadlines found", "deadlines", 0.52),
])
def test_score_on_real_notices_stays_above_its_floor(overall, found, of, floor):
    assert overall.ratio(found, of) >= floor, overall.misses[:20]


def test_a_portal_page_title_keeps_only_the_document_title():
    # 穗府〔2021〕3号 as copied: 广州市人民政府关于印发…责任分工的通知• 听全文• 2021-03-0…
    assert real("guangzhou_2021_table_cell_per_line").title == "广州市人民政府关于印发2021年市政府工作报告部署工作责任分工的通知"


def test_a_news_item_reprinting_a_notice_has_no_sentence_for_an_issuer():
    # 新安晚报安徽网大皖新闻讯据安徽省人民政府网消息，近日，安徽省人民政府发布关于…的通知
    assert all("新闻" not in p.name and "，" not in p.name for p in real("anhui_2022_lead_coop_lines").issuers)


def test_a_table_copied_with_spaces_between_cells():
    # 国办函〔2016〕38号: 序号 工 作 任 务 牵头负责部门 / 1 居民消费价格涨幅3%左右 发展改革委
    doc = real("national_guobanhan_2016_lianghua_table_rows")
    first = measure_starting(doc, "居民消费价格涨幅3%左右")
    assert first.number == "1" and roles(first) == [("发展改革委", "lead")]
    assert len(doc.measures) == 9


def test_a_table_printed_one_cell_a_line_skips_the_leader_column_and_headings():
    # 穗府〔2021〕3号: 序号 / 重点工作 / 市政府 / 分管领导 / 牵头单位 / 配合单位 / 备注, then (一) headings and rows
    # 1 / 加快建设以中新知识城… / 王 东 / 市科技局 / 黄埔区、南沙区政府
    first = real("guangzhou_2021_table_cell_per_line").measures[0]
    assert roles(first) == [("市科技局", "lead"), ("黄埔区", "support"), ("南沙区政府", "support")]


def test_a_lead_marked_beside_its_name():
    # 责任单位：市发展改革委（牵头）、市财政局 / ★區發改委、統計局 (★ marks the lead in 吴江's table)
    assert statement("责任单位：市发展改革委（牵头）、市财政局", "某市") == [("市发展改革委", "lead"), ("市财政局", "responsible")]
    assert statement("责任单位：★区发改委、统计局", "某市") == [("区发改委", "lead"), ("统计局", "responsible")]


def test_responsibility_in_the_prose_with_huitong():
    # 国办函 2014: …的問題,由國土資源部會同農業部等部門負責落實。
    doc = real("national_guobanhan_2014_huitong_prose_trad")
    m = measure_starting(doc, "严守耕地保护红线")
    assert roles(m) == [("国土资源部", "lead"), ("农业部", "support")]


def test_etc_departments_names_no_further_party():
    # （区发改局牵头，区财政局、…、区水务局等部门，区国投公司、各街道办事处配合）: 等部门 is "and the like"
    m = measure_starting(real("kunming_guandu_2016_lead_cooperate"), "加强项目谋划储备")
    assert "部门" not in [p for p, _ in roles(m)] and ("区国投公司", "support") in roles(m)


def test_a_table_printed_one_cell_a_line_each_ending_in_a_pipe():
    # 霍山经济开发区: 序号 | / 重点工作 | / 责任领导 | / 责任单位 | / 完成时限 | / 1 | / … / 叶林 | / 招商工作部、安商工作部 |
    first = real("huoshan_kaifaqu_2025_table_quannian").measures[0]
    assert roles(first) == [("招商工作部", "responsible"), ("安商工作部", "responsible")]


def test_the_unit_line_under_a_numbered_row_of_a_table():
    # 咸宁: header …/ 责任单位 / 备注; row 2.纳入工信部支持… / 市经信局、市财政局等,各县、市、区政府,咸宁高新区管委会
    m = measure_starting(real("xianning_2020_gongbao_table_deng_collectives"), "纳入工信部支持新冠肺炎防护用品")
    assert [p for p, _ in roles(m)] == ["市经信局", "市财政局", "各县、市、区政府", "咸宁高新区管委会"]


def test_a_star_marks_the_lead_in_a_pipe_table_one_cell_a_line():
    # 吴江: 1.地區生產總值增長5%以上。 / | / 錢 宇 / | / ★區發改委、統計局
    m = measure_starting(real("suzhou_wujiang_2024_star_marks_lead"), "地区生产总值增长5%以上")
    assert roles(m) == [("区发改委", "lead"), ("统计局", "responsible")]


def test_what_holds_by_a_months_end_is_due_then():
    # 遂宁: 到2019年6月底,…审批时间压缩至…以内
    doc = real("suining_2019_gongcheng_shenpi_yinei_deadlines")
    assert "2019-06" in [d.date for d in doc.deadlines] and "2019-12" in [d.date for d in doc.deadlines]
