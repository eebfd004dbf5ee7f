"""Quantitative targets: value, unit, comparator and indicator."""
import pytest

from policykg.targets import clean_indicator, find_quantities, horizon_before, period_of


def _one(text):
    [q] = find_quantities(text)
    return q.indicator, q.value, q.unit, q.comparator


def test_ten_thousands_are_multiplied_out():
    assert _one("直接输送农民工务工15万人；") == ("直接输送农民工务工", 150000, "人", "=")


def test_不少于_is_at_least():
    assert _one("举办线上线下招聘活动不少于5000场次") == ("举办线上线下招聘活动", 5000, "场次", ">=")


def test_以上_after_the_unit_is_at_least():
    assert _one("建设保障性租赁住房6万套以上；") == ("建设保障性租赁住房", 60000, "套", ">=")


def test_percentage_with_bracketed_note_in_the_indicator():
    text = "随迁子女就读公办学校（含政府购买民办学校学位）比例达到87%以上"
    assert _one(text) == ("随迁子女就读公办学校（含政府购买民办学校学位）比例", 87, "%", ">=")


def test_左右_is_approximately():
    assert _one("新增城镇就业1.2万人左右")[1:] == (12000, "人", "~")


def test_listed_quantities_each_get_their_own_indicator():
    got = [(q.indicator, q.value) for q in find_quantities("新建公办幼儿园50所、义务教育学校30所、普通高中5所")]
    assert got == [("新建公办幼儿园", 50), ("义务教育学校", 30), ("普通高中", 5)]


def test_counts_of_departments_and_years_are_not_targets():
    assert find_quantities("人力资源社会保障部等9部门关于开展行动的通知，2023年起实施") == []


def test_numbers_inside_cited_titles_are_not_targets():
    assert find_quantities("根据《关于做好10万人就业工作的通知》精神") == []


def test_period_from_the_paragraph_start():
    assert period_of("2023年，以提升县域农民工市民化质量为重点") == "2023"
    assert period_of("到2025年，基本建成") == "2025"


# -- forms seen in real notices and reports (each sentence quoted from a published text) ------------

def test_a_range_gives_both_ends_not_a_value_with_a_dangling_dash():
    # a 2024 labour-economics report: …约占16-24岁城镇青年人口总数的19%
    [age] = find_quantities("约占16-24岁")
    assert (age.comparator, age.low, age.high, age.unit, age.value) == ("between", 16, 24, "岁", None)
    assert age.indicator == "约占"


@pytest.mark.parametrize("dash", ["—", "-", "至", "～"])
def test_every_range_dash_is_read(dash):
    # the same real fragment with each way notices print the dash
    [age] = find_quantities(f"约占16{dash}24岁")
    assert (age.low, age.high) == (16, 24)


def test_a_range_qualifying_what_is_counted_is_no_target():
    # the whole sentence: the age band says whose share is 19%
    [share] = find_quantities("约占16-24岁城镇青年人口总数的19%")
    assert (share.value, share.unit) == (19, "%")
    assert share.indicator == "约占16-24岁城镇青年人口总数的"


def test_零_words_are_targets_of_zero():
    # 杭州市钱塘区下沙街道 2022 半年度工作总结: 14天内实现疫情风险零扩散
    [q] = find_quantities("14天内实现疫情风险零扩散")
    assert (q.value, q.comparator) == (0, "=") and q.indicator.endswith("疫情风险扩散")


def test_以上_左右_以内_from_a_government_work_report():
    # 2019 政府工作报告: 今年城镇新增就业1100万人以上，城镇调查失业率5.5%左右，城镇登记失业率4.5%以内。
    got = [(q.indicator, q.comparator, q.value) for q in
           find_quantities("今年城镇新增就业1100万人以上，城镇调查失业率5.5%左右，城镇登记失业率4.5%以内。")]
    assert got == [("今年城镇新增就业", ">=", 11_000_000), ("城镇调查失业率", "~", 5.5), ("城镇登记失业率", "<=", 4.5)]


def test_达到_x_以上_is_at_least_and_an_age_qualifier_is_no_target():
    # 宁波市 2012 民生实事: 全市60岁以上农村老年人健康体检率达到80%以上
    [q] = find_quantities("全市60岁以上农村老年人健康体检率达到80%以上，")
    assert (q.indicator, q.comparator, q.value) == ("全市60岁以上农村老年人健康体检率", ">=", 80)


def test_控制在_x_以内_is_at_most():
    # 温州市 2018 公共服务体系建设行动计划: 城镇登记失业率控制在2.8%以内
    [q] = find_quantities("城镇登记失业率控制在2.8%以内等。")
    assert (q.indicator, q.comparator, q.value) == ("城镇登记失业率", "<=", 2.8)


def test_the_item_number_is_not_part_of_the_indicator():
    assert clean_indicator("（一）知识产权保护方面")[0] == "知识产权保护方面"
    assert clean_indicator("61.江西省赣州市推出")[0] == "江西省赣州市推出"


def test_a_leading_horizon_leaves_the_indicator_and_gives_the_period():
    assert clean_indicator("2025年底前完成")[0] == "完成" and clean_indicator("2025年底前完成")[1] == "2025"


def test_the_horizon_of_the_sentence_sets_the_period():
    # 六盘水市新型基础设施建设三年行动方案（2022—2024年）, 主要目标
    text = ("2022年，全市新建5G基站2600个以上，新建市级及以上创新平台15个以上。"
            "到2024年，全市累计建成5G基站1万个，累计新建市级及以上创新平台50个以上。")
    second = text.index("到2024年")
    late = [q for q in find_quantities(text) if q.start > second]
    assert [horizon_before(text, q.start) for q in late] == ["2024", "2024"]
    assert period_of(text) == "2022"


# -- targets and their measures (the bundled notice, 桂人社发〔2023〕32号) -----------------------------

def test_every_target_of_the_seed_is_linked_to_a_measure(seed_doc):
    # all eleven targets stand in 一、主要目标, outside every measure: each is linked by topic, and
    # 举办线上线下招聘活动不少于5000场次 / 直接输送农民工务工15万人 share their sentence's link (“点对点” → （一）)
    numbers = {m.id: m.number for m in seed_doc.measures}
    links = {t.indicator: [numbers[m] for m in t.related_measures] for t in seed_doc.targets}
    assert all(links.values())
    assert links["举办线上线下招聘活动"] == links["直接输送农民工务工"] == ["（一）"]
    assert links["建设保障性租赁住房"] == ["（四）"]


def test_a_target_inside_a_measure_belongs_to_it():
    from policykg import parse
    doc = parse("某市人民政府办公室关于印发方案的通知\n某政办发〔2030〕3号\n各区人民政府：\n一、重点任务\n"
                "（一）开展技能培训行动。围绕重点产业开展订单式培训，全年培训3000人次。（责任单位：市人力资源社会保障局）\n")
    [t] = doc.targets
    assert t.measure == doc.measures[0].id and t.related_measures == []


def test_the_targets_listing_shows_the_measure_of_every_target(kg):
    rows = kg.targets()
    assert rows and all(r.measures for r in rows)
    [housing] = [r for r in rows if r.indicator == "建设保障性租赁住房"]
    assert (housing.measures, housing.min_value, housing.amount) == ("≈（四）", 60000, "≥60000套")


def test_the_item_count_beside_a_heading_is_no_target():
    # 分工方案 headings: 二、坚定不移推进项目建设（共3项）
    import policykg
    doc = policykg.parse("二、坚定不移推进项目建设（共3项）\n1.全年实施亿元以上项目50个。\n牵头单位:区发改局\n")
    assert [t.indicator for t in doc.targets] == ["全年实施亿元以上项目"]


def test_an_item_number_before_digits_is_not_part_of_the_indicator():
    # 7.12345热线办结率达到95%以上 (item 7 after item 6)
    import policykg
    doc = policykg.parse("一、目标\n6.举办活动。\n牵头单位:区商务局\n7.12345热线办结率达到95%以上。\n牵头单位:区营商局\n")
    assert [(t.indicator, t.value) for t in doc.targets] == [("12345热线办结率", 95)]
