"""Quantitative targets: value, unit, comparator and indicator."""
from policykg.targets import find_quantities, period_of


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
