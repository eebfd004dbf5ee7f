"""Organisation names in documents → registry organisations, new organisations or collectives."""
from __future__ import annotations

import pytest

from policykg.ontology import load_registry
from policykg.parties import resolve_list, resolve_party


def org(mention: str, context: str | None = "cn") -> str:
    return resolve_party(mention, context).org.id


@pytest.mark.parametrize("mention, expected", [
    ("人力资源社会保障部", "cn-mohrss"), ("人力资源和社会保障部", "cn-mohrss"), ("人社部", "cn-mohrss"),
    ("国家发展改革委", "cn-ndrc"), ("发展改革委", "cn-ndrc"), ("医保局", "cn-nhsa"), ("国家医疗保障局", "cn-nhsa"),
    ("教育部", "cn-moe"), ("财政部", "cn-mof"), ("海关总署", "cn-gac"), ("税务总局", "cn-sat"),
    ("市场监管总局", "cn-samr"), ("商务部", "cn-mofcom"), ("科技部", "cn-most"), ("工业和信息化部", "cn-miit"),
    ("生态环境部", "cn-mee"), ("文化和旅游部", "cn-mct"), ("体育总局", "cn-gas"), ("药监局", "cn-nmpa"),
    ("证监会", "cn-csrc"), ("银保监会", "cn-cbirc"), ("人民银行", "cn-pboc"), ("卫生健康委", "cn-nhc"),
    ("民政部", "cn-mca"), ("自然资源部", "cn-mnr"), ("交通运输部", "cn-mot"), ("水利部", "cn-mwr"),
    ("司法部", "cn-moj"), ("外交部", "cn-mofa"), ("国资委", "cn-sasac"), ("统计局", "cn-nbs"),
    ("国家统计局", "cn-nbs"), ("知识产权局", "cn-cnipa"), ("外汇局", "cn-safe"), ("民航局", "cn-caac"),
])
def test_national_ministries_and_short_forms(mention, expected):
    # as printed in State Council annotations: （海关总署、财政部、税务总局负责）
    assert org(mention) == expected


def test_national_bodies_have_english_labels():
    registry = load_registry()
    assert all(o.en for o in registry.organisations)
    assert registry.lookup("General Administration of Customs")[0].id == "cn-gac"


def test_same_named_departments_of_different_jurisdictions_differ():
    # 自治区教育厅 vs 四川省教育厅 vs 教育部
    ids = {org("自治区教育厅", "gx"), org("四川省教育厅", "gx"), org("教育部", "gx")}
    assert ids == {"gx-education", "new-四川省-教育厅", "cn-moe"}


def test_unknown_province_prefix_gives_the_jurisdiction():
    # no province but 广西 is listed; the prefix itself says where the body is
    party = resolve_party("内蒙古自治区财政厅", None)
    assert party.org.jurisdiction == "内蒙古自治区" and not party.org.in_registry
    assert party.org.name == "内蒙古自治区财政厅"  # named as printed
    assert resolve_party("成都市教育局", "cn").org.jurisdiction == "成都市"


def test_a_prefix_carries_over_the_rest_of_a_list():
    # 四川省发展改革委、财政厅、教育部: the first two are 四川省's, 教育部 is national
    assert [p.org.id for p in resolve_list("四川省发展改革委、财政厅、教育部", "gx")] == [
        "new-四川省-发展和改革委员会", "new-四川省-财政厅", "cn-moe"]


def test_unprefixed_local_name_in_a_provincial_document_is_that_provinces_body():
    # in a Guangxi notice 统计局 is Guangxi's statistics bureau, 税务总局 still the national one
    assert org("统计局", "gx") == "new-gx-统计局"
    assert org("税务总局", "gx") == "cn-sat"
    # in a 四川省 document 卫生健康委 is 四川省's
    assert org("卫生健康委", "四川省") == "new-四川省-卫生健康委员会"  # one id for both spellings


def test_two_spellings_of_an_unknown_body_get_one_id():
    # 湖南省人力资源和社会保障厅 (issuer) and 省人力资源社会保障厅 (annotation)
    assert org("湖南省人力资源和社会保障厅", None) == org("省人力资源社会保障厅", "湖南省")


def test_seed_jurisdiction_names_still_resolve():
    assert org("自治区人力资源社会保障厅", "gx") == "gx-hrss"
    assert org("发展改革委", "gx") == "gx-drc"
    assert org("医保局", "gx") == "gx-healthcare-security"


def test_collective_parties():
    for mention in ("各省级人民政府", "有关部门", "各市（州）人民政府", "其他有关部门", "自治区有关部门", "区直各有关部门",
                    "国务院各部委", "各市、县人民政府"):
        assert resolve_party(mention, "cn").collective, mention


def test_etc_departments_tail_names_no_further_party():
    # （负责部门：人民银行等部门，适用范围：浙江自贸试验区）: 等部门 means "and the like"
    assert [p.org.id for p in resolve_list("人民银行等部门", "cn")] == ["cn-pboc"]


def test_etc_relevant_departments_tail_is_a_collective():
    # （海关总署、商务部等有关部门负责）
    parties = resolve_list("海关总署、商务部等有关部门", "cn")
    assert parties[-1].mention == "有关部门" and parties[-1].collective


def test_level_word_is_dropped_only_for_the_documents_own_level():
    # 省教育厅 in a 湖南省 document is 湖南省's 教育厅; 市发展改革委 in a 广东省 document is not the province's
    assert org("省教育厅", "湖南省") == org("湖南省教育厅", None)
    assert org("市发展改革委", "广东省") != org("省发展改革委", "广东省")
