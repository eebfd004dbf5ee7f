"""Normalisation keeps meaning and a map back to the original offsets."""
from policykg.corpus import normalise


def test_half_width_annotation_becomes_full_width():
    n = normalise("落实政策。(责任单位:自治区教育厅,公安厅)")
    assert n.text == "落实政策。（责任单位：自治区教育厅，公安厅）"


def test_letter_spaced_organ_name_is_joined():
    assert normalise("国 务 院 文 件").text == "国务院文件"


def test_full_width_digits_become_ascii():
    assert normalise("培养乡村工匠２００名").text == "培养乡村工匠200名"


def test_page_break_inside_a_sentence_is_repaired():
    raw = "为深入学习贯彻党的二十大精神，进一步做好农民工\n\n市民化工作，制定本方案。"
    assert normalise(raw).text == "为深入学习贯彻党的二十大精神，进一步做好农民工市民化工作，制定本方案。"


def test_heading_followed_by_paragraph_is_not_joined():
    raw = "一、主要目标\n\n2023年，以提升县域农民工市民化质量为重点，进一步落实落细政策。"
    assert normalise(raw).text.startswith("一、主要目标\n")


def test_short_title_lines_are_not_joined_as_page_breaks():
    raw = "国务院关于促进综合保税区\n高水平开放高质量发展的若干意见\n国发〔2019〕3号"
    assert normalise(raw).text.count("\n") == 2


def test_offsets_map_back_to_the_original():
    raw = "　　进一步做好农民工\n\n市民化工作。"
    n = normalise(raw)
    start = n.text.index("市民化")
    o_start, o_end = n.to_original(start, start + 3)
    assert raw[o_start:o_end] == "市民化"


def test_long_title_is_not_joined_to_the_salutation_after_it():
    raw = "青秀区人民政府办公室关于印发城市更新行动方案的通知\n\n各街道办事处，区直各有关单位：\n\n经区人民政府同意。"
    assert normalise(raw).text.startswith("青秀区人民政府办公室关于印发城市更新行动方案的通知\n")
