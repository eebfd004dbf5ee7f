"""Segmentation: header, salutation, numbered sections, closing."""
from policykg.corpus import normalise, segment
from policykg.corpus.numbering import cn_number, match_marker

NOTICE = """广西壮族自治区教育厅
桂教发〔2024〕7号
关于开展示范学校
建设工作的通知
各市教育局：
现就有关事项通知如下。
一、总体要求
（一）明确目标。到2025年建成示范学校100所。
（二）压实责任。各地要落实主体责任。
二、工作安排
1.启动阶段。制定方案。
2.实施阶段。组织实施。
2024年3月1日
（此件公开发布）
"""


def test_chinese_numerals_read_as_numbers():
    assert [cn_number(t) for t in ("四", "十", "十二", "二十三", "三十", "一百零五")] == [4, 10, 12, 23, 30, 105]


def test_markers_of_every_style():
    assert match_marker("（四）开展公共服务供给提升行动。").text == "（四）"
    assert match_marker("三十、其他").value == 30
    assert match_marker("12.强化企业市场主体地位。").value == 12
    assert match_marker("（3）加强宣传。").kind == "paren-arabic"
    assert match_marker("2023年，以提升县域农民工市民化质量为重点") is None
    assert match_marker("1.5倍以上") is None


def test_header_title_salutation_and_closing():
    seg = segment(normalise(NOTICE).text)
    assert [line.text for line in seg.header] == ["广西壮族自治区教育厅", "桂教发〔2024〕7号", "关于开展示范学校", "建设工作的通知"]
    assert seg.salutation.text == "各市教育局："
    assert [line.text for line in seg.closing] == ["2024年3月1日", "（此件公开发布）"]


def test_sections_nest_by_numbering_style():
    seg = segment(normalise(NOTICE).text)
    tree = [(s.number, s.title, s.path) for s in seg.walk()]
    assert tree == [("一、", "总体要求", (1,)), ("（一）", "明确目标", (1, 1)), ("（二）", "压实责任", (1, 2)),
                    ("二、", "工作安排", (2,)), ("1.", "启动阶段", (2, 1)), ("2.", "实施阶段", (2, 2))]
