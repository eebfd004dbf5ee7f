"""Every way notices write responsibility and numbering (trailing lists, 负责 verbs, labels, once-stated rules), on fixture texts of our own."""
from __future__ import annotations

import pytest

import policykg
from conftest import FIXTURES
from policykg.responsibility import parse_statement

LAYOUTS = FIXTURES / "layouts"


def doc(name: str):
    return policykg.parse(LAYOUTS / name)


def roles(measure) -> list[tuple[str, str]]:
    return [(r.party.mention, r.role) for r in measure.responsibilities]


def statement(body: str, context: str | None = "cn") -> list[tuple[str, str]]:
    parsed = parse_statement(body, context)
    assert parsed is not None, body
    return [(r.party.mention, r.role) for r in parsed[0]]


# -- the forms of an annotation -------------------------------------------------------------

def test_trailing_responsible_list():
    # （责任单位：省人力资源社会保障厅、省教育厅）
    d = doc("trailing_list.txt")
    assert [m.title for m in d.measures] == ["广泛募集见习岗位", "落实见习补贴政策", "加强见习过程管理"]
    assert roles(d.measures[0]) == [("省人力资源社会保障厅", "responsible"), ("省教育厅", "responsible")]


def test_fuze_list_is_responsible():
    assert statement("体育总局、教育部负责") == [("体育总局", "responsible"), ("教育部", "responsible")]


def test_huitong_makes_the_first_lead_and_the_rest_support():
    assert statement("商务部会同有关部门负责") == [("商务部", "lead"), ("有关部门", "support")]


def test_bare_list_then_collective_by_division_of_duties():
    assert statement("商务部、邮政局，各省级人民政府按职责分工负责") == [
        ("商务部", "responsible"), ("邮政局", "responsible"), ("各省级人民政府", "responsible")]


def test_collective_party_is_marked_collective():
    parsed = parse_statement("海关总署、商务部等有关部门负责", "cn")
    assert [(r.party.mention, r.party.collective) for r in parsed[0]] == [
        ("海关总署", False), ("商务部", False), ("有关部门", True)]


def test_first_listed_lead_rule_applies_to_its_own_annotation_and_after():
    # （邮政局、交通运输部、商务部负责，列第一位者为牵头单位，下同）
    d = doc("fuze_first_leads.txt")
    assert roles(d.measures[0]) == [("邮政局", "lead"), ("交通运输部", "responsible"), ("商务部", "responsible")]
    assert roles(d.measures[-1]) == [("交通运输部", "lead"), ("公安部", "responsible")]


def test_without_a_rule_nobody_is_made_lead():
    # 国办发（2024）21号 states no first-listed rule: （体育总局、教育部负责）
    d = doc("running_on.txt")
    assert all(r.role == "responsible" for m in d.measures for r in m.responsibilities)


def test_several_annotations_in_one_paragraph_each_cover_the_sentences_before():
    # （三）…支持快递企业与电商平台合作。（商务部、邮政局，…负责）推动农产品上行，建设产地仓。（农业农村部…负责）
    d = doc("fuze_first_leads.txt")
    third = [m for m in d.measures if m.number == "（三）"]
    assert len(third) == 2
    assert "电商平台" in third[0].text and "产地仓" not in third[0].text
    assert "产地仓" in third[1].text and "电商平台" not in third[1].text
    assert roles(third[1]) == [("农业农村部", "lead"), ("供销合作总社", "responsible")]


def test_lead_and_support_labels():
    # （牵头单位：省农业农村厅，配合单位：省发展改革委、省政务服务数据管理局）
    m = doc("labelled_roles.txt").measures[0]
    assert roles(m) == [("省农业农村厅", "lead"), ("省发展改革委", "support"), ("省政务服务数据管理局", "support")]


def test_qiantou_canyu():
    # （省农业农村厅牵头，省工业和信息化厅、省财政厅参与）
    m = doc("labelled_roles.txt").measures[1]
    assert roles(m) == [("省农业农村厅", "lead"), ("省工业和信息化厅", "support"), ("省财政厅", "support")]


def test_zhidao_is_guide():
    # （省科技厅指导）
    assert roles(doc("labelled_roles.txt").measures[2]) == [("省科技厅", "guide")]


def test_guide_then_each_group_responsible():
    # 川办发-style: （教育厅指导，各高校负责） — 各高校 is a collective party
    assert statement("教育厅指导，各高校负责", "gx") == [("教育厅", "guide"), ("各高校", "responsible")]


def test_other_labels_inside_an_annotation_are_skipped():
    # （牵头单位：省教育厅；配合单位：省农业农村厅；完成时限：2025年底前）
    assert roles(doc("labelled_roles.txt").measures[3]) == [("省教育厅", "lead"), ("省农业农村厅", "support")]
    # 国发〔2018〕38号 style: （负责部门：海关总署，适用范围：福建自贸试验区）
    assert statement("负责部门：海关总署，适用范围：福建自贸试验区") == [("海关总署", "responsible")]


def test_separate_lead_and_responsible_lines():
    # 牵头单位：市市场监督管理局 / 责任单位：市税务局、市公安局 — 责任单位 are then co-responsible
    d = doc("separate_lines.txt")
    assert roles(d.measures[0]) == [("市市场监督管理局", "lead"), ("市税务局", "responsible"),
                                    ("市公安局", "responsible")]
    assert roles(d.measures[2]) == [("市自然资源局", "responsible")]


def test_default_party_stated_once_joins_every_later_measure():
    # （以下各项任务均需各市（州）人民政府落实，不再列出）
    d = doc("default_party.txt")
    assert all(("各市（州）人民政府", "responsible") in roles(m) for m in d.measures)
    assert roles(d.measures[0])[:2] == [("省人力资源社会保障厅", "responsible"), ("省财政厅", "responsible")]


def test_mid_sentence_parenthesis_is_not_an_annotation():
    # 国发〔2019〕4号: …的实施（技工院校内由人力资源社会保障行政部门负责），国务院…
    d = policykg.parse("国务院关于印发职业教育方案的通知\n国发〔2030〕1号\n各省人民政府：\n"
                       "一、主要任务\n（一）启动试点。院校外、院校内证书的实施（技工院校内由人力资源社会保障行政部门负责），"
                       "由教育行政部门组织。\n")
    assert all(not m.responsibilities for m in d.measures)


def test_a_plain_aside_in_brackets_is_not_responsibility():
    assert parse_statement("以下简称自贸试验区", "cn") is None
    assert parse_statement("含租赁", "cn") is None


# -- numbering ------------------------------------------------------------------------------

def test_flat_list_beyond_thirty():
    # 一、 … 三十二、 each with （A、B负责）
    d = doc("flat_numbering.txt")
    assert len(d.measures) == 32
    assert d.measures[-1].number == "三十二、"
    assert roles(d.measures[29]) == [("农业农村部", "responsible"), ("人民银行", "responsible")]


def test_numbering_runs_on_across_parts():
    # 一、（一）（二） 二、（三）（四） 三、（五): item numbers continue across parts
    d = doc("running_on.txt")
    assert [m.number for m in d.measures] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert [m.id for m in d.measures] == ["m1.1", "m1.2", "m2.1", "m2.2", "m3.1"]


def test_closing_paragraph_after_the_last_item_is_not_part_of_it():
    # 各地区、各有关部门要加强组织领导… follows （五）…（财政部、体育总局负责）
    last = doc("running_on.txt").measures[-1]
    assert "加强组织领导" not in last.text


def test_unnumbered_paragraphs_with_annotations_are_measures():
    # 严格落实耕地保护目标责任…。（省自然资源厅负责）
    d = doc("unnumbered.txt")
    assert len(d.measures) == 3
    assert roles(d.measures[1]) == [("省自然资源厅", "responsible"), ("省农业农村厅", "responsible"),
                                    ("省林业局", "responsible")]


# -- text variants --------------------------------------------------------------------------

def test_traditional_half_width_letter_spaced_multiline_title_and_square_brackets():
    # 國 務 院 辦 公 廳 / 關於加強城市供水 / 安全保障工作的通知 / 國辦發[2024]17號 / (生態環境部、水利部負責)
    d = doc("traditional_halfwidth.txt")
    assert d.doc_number == "国办发〔2024〕17号"
    assert d.title == "国务院办公厅关于加强城市供水安全保障工作的通知"
    assert [p.name for p in d.issuers] == ["国务院办公厅"]
    assert roles(d.measures[0]) == [("生态环境部", "responsible"), ("水利部", "responsible")]
    assert d.measures[0].responsibilities[0].party.org.id == "cn-mee"


def test_doc_number_in_round_brackets():
    assert doc("running_on.txt").doc_number == "国办发〔2024〕21号"


def test_joint_issuers_of_a_province_get_that_province():
    # 湖南省人力资源和社会保障厅 / 湖南省教育厅 文件 / 湖南省财政厅
    d = doc("trailing_list.txt")
    assert d.jurisdiction == "湖南省"
    assert [p.org.jurisdiction for p in d.issuers] == ["湖南省"] * 3
    assert d.title == "湖南省人力资源和社会保障厅等3部门关于做好高校毕业生就业见习工作的通知"


# -- documents that set no measures ---------------------------------------------------------

@pytest.mark.parametrize("name", ["reply.txt", "decree.txt", "name_list.txt"])
def test_replies_decrees_and_name_lists_yield_no_measures(name):
    assert doc(name).measures == []


def test_decree_number_and_title():
    # 中华人民共和国国务院令 / 第799号 / 《城市绿化管理条例》已经…现予公布
    d = doc("decree.txt")
    assert d.doc_number == "国令第799号"
    assert d.title == "城市绿化管理条例"
    assert d.date == "2024-04-20"


# -- more forms seen in provincial and city plans -------------------------------------------

def test_labels_run_together_when_the_space_between_them_is_lost():
    # 牵头单位：市发展改革委　配合单位：市财政局 (the full-width space is dropped by normalising)
    assert statement("牵头单位：市发展改革委 配合单位：市财政局", "gx") == [
        ("市发展改革委", "lead"), ("市财政局", "support")]


def test_verbs_inside_a_labelled_list_set_the_roles():
    assert statement("责任单位：自治区人力资源社会保障厅牵头，自治区教育厅等按职责分工负责", "gx") == [
        ("自治区人力资源社会保障厅", "lead"), ("自治区教育厅", "responsible")]


def test_a_leading_deadline_label_is_skipped():
    assert statement("完成时限：2025年底前；责任单位：省民政厅", "四川省") == [("省民政厅", "responsible")]


def test_collective_with_levels_in_brackets_stays_whole():
    assert statement("责任单位：市人力资源社会保障局，各县（市、区）人民政府", "gx") == [
        ("市人力资源社会保障局", "responsible"), ("各县（市、区）人民政府", "responsible")]


def test_two_bodies_joined_by_he_are_two_parties():
    # 教育部和财政部负责 — but 人力资源和社会保障部 is one ministry
    assert statement("教育部和财政部负责") == [("教育部", "responsible"), ("财政部", "responsible")]
    assert statement("人力资源和社会保障部负责") == [("人力资源和社会保障部", "responsible")]


def test_wei_qiantou_danwei_and_peihe():
    assert statement("省发展改革委为牵头单位，省财政厅为配合单位", "四川省") == [
        ("省发展改革委", "lead"), ("省财政厅", "support")]
    assert statement("省教育厅牵头负责，省财政厅、省民政厅按职责分工配合", "四川省") == [
        ("省教育厅", "lead"), ("省财政厅", "support"), ("省民政厅", "support")]


def test_site_chrome_before_and_after_a_copied_text_is_dropped():
    # 首页 > 政策 > 政策文件库 / 【字体：大 中 小】 / 索引号：… / 标题：… above; 责任编辑 / 版权所有 below
    d = doc("copied_page.txt")
    assert d.doc_number == "国办发〔2025〕19号"
    assert d.title == "国务院办公厅关于加强城市内涝治理的实施意见"
    assert d.date == "2025-04-10"
    assert len(d.measures) == 2
    assert all("版权所有" not in p.text and "首页" not in p.text for p in d.paragraphs)


def test_default_party_named_before_the_verb():
    # （各县（市、区）人民政府均需落实，以下不再列出）
    from policykg.responsibility import find_rules
    rules = find_rules("通知如下（各县（市、区）人民政府均需落实，以下不再列出）：\n一、…", "四川省")
    assert [p.mention for p in rules.default_at(100)] == ["各县（市、区）人民政府"]


def test_task_division_table_rows_are_measures():
    # 序号	重点任务	牵头单位	配合单位	完成时限 / 1	开展职业技能培训…	市人力资源社会保障局	市财政局、市教育局	…
    d = doc("division_table.txt")
    assert [m.number for m in d.measures] == ["1", "2", "3"]
    assert roles(d.measures[0]) == [("市人力资源社会保障局", "lead"), ("市财政局", "support"), ("市教育局", "support")]
    assert roles(d.measures[1])[1] == ("各县（市、区）人民政府", "support")
    assert d.measures[2].responsibilities[1].party.org.jurisdiction == "柳州市"


# -- deadline forms -------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, due", [
    ("完成时限：2024年12月。", ["2024-12"]),  # a labelled deadline in a 分工 annotation or table
    ("力争2025年6月底基本完成改造任务。", ["2025-06"]),  # month's end + completing
    ("到2025年底实现全覆盖。", ["2025"]),
    ("截至2024年底，累计培训5000人次。", []),  # as of: a status, not a deadline
    ("本办法自2024年3月起施行。", []),
    ("2024年上半年完成试点。", ["2024-06"]),
    ("2024年第三季度前出台实施细则。", ["2024-09"]),
])
def test_deadline_forms(sentence, due):
    from policykg.deadlines import due_dates
    assert [d.iso for group, _ in due_dates(sentence) for d in group] == due


def test_annotation_on_the_title_line_covers_the_paragraphs_below():
    d = policykg.parse("某市人民政府办公室关于开展就业服务行动的通知\n某政办〔2030〕2号\n各区人民政府：\n"
                       "一、重点任务\n（一）开展技能培训行动（责任单位：市人力资源社会保障局、市财政局）\n"
                       "围绕重点产业开展订单式培训，全年培训3000人次。\n对参训人员按规定给予培训补贴。\n"
                       "（二）开展招聘服务行动（责任单位：市人力资源社会保障局）\n每月举办一场专场招聘会。\n")
    first = d.measures[0]
    assert first.title == "开展技能培训行动"
    assert "培训补贴" in first.text and "招聘会" not in first.text
    assert [r.party.mention for r in first.responsibilities] == ["市人力资源社会保障局", "市财政局"]


def test_task_division_table_with_one_cell_a_line():
    # 序号 / 重点任务 / 牵头单位 / 配合单位 / 完成时限 stacked, as pages converted to text print them;
    # row 2 has no 配合单位 cell at all, so its date must not be read as a party
    d = doc("stacked_table.txt")
    assert [m.number for m in d.measures] == ["1", "2", "3"]
    assert roles(d.measures[0]) == [("省商务厅", "lead"), ("省文化和旅游厅", "support"), ("省财政厅", "support")]
    assert roles(d.measures[1]) == [("省商务厅", "lead")]
    assert roles(d.measures[2])[-1] == ("各市（州）人民政府", "support")


# -- target forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("全市人均预期寿命达到79岁", ("全市人均预期寿命", 79, "岁", "=")),
    ("审批时间压缩至3个工作日以内", ("审批时间", 3, "个工作日", "<=")),
    ("就业率提高到95%", ("就业率", 95, "%", ">=")),
    ("造林绿化20万亩", ("造林绿化", 200000, "亩", "=")),
    ("培训1,200人次以上", ("培训", 1200, "人次", ">=")),
    ("婴儿死亡率控制在5‰以下", ("婴儿死亡率", 5, "‰", "<=")),
])
def test_target_forms(text, expected):
    from policykg.targets import find_quantities
    q = find_quantities(text)[0]
    assert (q.indicator, q.value, q.unit, q.comparator) == expected


@pytest.mark.parametrize("printed", ["国办发〔2024〕7号", "国办发[2024]7号", "国办发(2024)7号", "国办发（2024）7号",
                                     "国办发﹝2024﹞7号", "国办发【2024】7号", "国办发〔２０２４〕７号"])
def test_doc_number_brackets(printed):
    d = policykg.parse(f"国务院办公厅关于某项工作的通知\n{printed}\n各省人民政府：\n现通知如下。\n")
    assert d.doc_number == "国办发〔2024〕7号"


def test_annotation_in_square_brackets():
    # 【责任单位：省教育厅、省财政厅】
    d = policykg.parse("某省人民政府关于某事的通知\n某政发〔2030〕1号\n各市人民政府：\n一、主要任务\n"
                       "（一）加强培训。开展职业培训。【责任单位：省教育厅、省财政厅】\n")
    assert roles(d.measures[0]) == [("省教育厅", "responsible"), ("省财政厅", "responsible")]


def test_national_lead_then_departments_and_regions_by_division_of_duties():
    # the common State Council form: （国家发展改革委、商务部牵头，国务院相关部门及各地区按职责分工负责）
    assert statement("国家发展改革委、商务部牵头，国务院相关部门及各地区按职责分工负责") == [
        ("国家发展改革委", "lead"), ("商务部", "lead"), ("国务院相关部门", "responsible"), ("各地区", "responsible")]


def test_etc_with_a_named_group_of_departments():
    # （…、商务部等国务院相关部门按职责分工负责）
    assert statement("国家发展改革委、商务部等国务院相关部门按职责分工负责") == [
        ("国家发展改革委", "responsible"), ("商务部", "responsible"), ("国务院相关部门", "responsible")]


@pytest.mark.parametrize("body, expected", [
    ("国家发展改革委、财政部等按职责分工负责，地方各级人民政府负责落实",
     [("国家发展改革委", "responsible"), ("财政部", "responsible"), ("地方各级人民政府", "responsible")]),
    ("工业和信息化部、科技部按职责分工负责；各省级人民政府负责本地区相关工作",
     [("工业和信息化部", "responsible"), ("科技部", "responsible"), ("各省级人民政府", "responsible")]),
    ("商务部、海关总署按职责分工负责，各地区抓好落实",
     [("商务部", "responsible"), ("海关总署", "responsible"), ("各地区", "responsible")]),
    ("省教育厅牵头负责，省财政厅配合", [("省教育厅", "lead"), ("省财政厅", "support")]),
])
def test_second_clauses_with_their_own_verbs(body, expected):
    assert statement(body) == expected


def test_doc_number_on_the_issuers_line():
    # 广西壮族自治区人力资源和社会保障厅文件　桂人社发〔2024〕3号 / 关于做好某项工作的通知
    d = policykg.parse("广西壮族自治区人力资源和社会保障厅文件　桂人社发〔2024〕3号\n关于做好某项工作的通知\n"
                       "各市人力资源社会保障局：\n现通知如下。\n")
    assert (d.doc_number, d.title) == ("桂人社发〔2024〕3号", "关于做好某项工作的通知")
    assert [p.org.id for p in d.issuers] == ["gx-hrss"]


def test_traditional_map_folds_traditional_and_leaves_simplified_alone():
    from policykg.corpus.normalise import fold_chars
    assert fold_chars("關於進一步做好農民工市民化工作的通知") == "关于进一步做好农民工市民化工作的通知"
    assert fold_chars("成效显著，乾坤") == "成效显著，乾坤"  # 著 and 乾 are simplified characters too


def test_text_without_a_header_is_still_named():
    # pasted without its header: the first sentence names it, so the document has a key
    d = policykg.parse("为做好某项工作，现通知如下。\n一、加强组织领导。（教育部负责）\n")
    assert d.title == "为做好某项工作，现通知如下"
    assert d.key and len(d.measures) == 1


def test_responsible_party_leads_when_supporters_are_named():
    # （省教育厅负责，省财政厅配合）: whoever is responsible beside named supporters leads
    assert statement("省教育厅负责，省财政厅配合", "湖南省") == [("省教育厅", "lead"), ("省财政厅", "support")]
    assert statement("责任单位：省民政厅；配合单位：省财政厅", "湖南省") == [("省民政厅", "lead"), ("省财政厅", "support")]


@pytest.mark.parametrize("body, expected", [
    ("省政府办公厅负总责，省发展改革委负责具体实施", [("省政府办公厅", "lead"), ("省发展改革委", "responsible")]),
    ("省发展改革委统筹，省财政厅落实", [("省发展改革委", "lead"), ("省财政厅", "responsible")]),
    ("省应急管理厅督促指导", [("省应急管理厅", "guide")]),
])
def test_lead_and_guide_verbs(body, expected):
    assert statement(body, "湖南省") == expected


def test_labels_in_brackets_with_the_names_after_them():
    # 【牵头单位】市发改委【责任单位】市财政局、各区政府 (labels boxed, names run on)
    doc = policykg.parse("一、重点任务\n1.推进项目建设。加快项目进度。【牵头单位】市发改委【责任单位】市财政局、各区政府\n")
    assert roles(doc.measures[0]) == [("市发改委", "lead"), ("市财政局", "responsible"), ("各区政府", "responsible")]
