"""Tracing linkages, shortest paths and networkx projections (kg/trace.py, kg/projection.py)."""
import json

import pytest
from click.testing import CliRunner

from policykg.cli import main

FOUR = {"广西壮族自治区发展和改革委员会", "广西壮族自治区财政厅", "广西壮族自治区住房和城乡建设厅",
        "广西壮族自治区教育厅", "广西壮族自治区公安厅"}


def children(tr, node_id, relation=None):
    return [(e, tr.node(e.target)) for e in tr.edges
            if e.source == node_id and (relation is None or e.relation == relation)]


@pytest.fixture(scope="module")
def luohu(kg):
    return kg.trace("落户")


def test_trace_term_starts_at_the_condition(luohu):
    (cond,) = [n for _, n in children(luohu, luohu.root) if n.kind == "condition"]
    assert cond.attrs["pkg:anyOf"] == ["合法稳定住所（含租赁）", "合法稳定就业"]


def _measure_four(tr):
    cond = next(n for _, n in children(tr, tr.root) if n.kind == "condition")
    ((edge, measure),) = children(tr, cond.id)
    assert edge.relation == "belongs to measure"
    return measure


def test_trace_condition_leads_to_measure_four_and_its_five_departments(luohu):
    measure = _measure_four(luohu)
    assert measure.label.startswith("（四）")
    depts = {n.label for e, n in children(luohu, measure.id) if n.kind == "department"}
    assert depts == FOUR
    assert all(e.relation == "responsible" for e, n in children(luohu, measure.id) if n.kind == "department")


def test_trace_shows_targets_of_measure_fours_topics(luohu):
    measure = _measure_four(luohu)
    targets = [n.label for e, n in children(luohu, measure.id, "related target")]
    for expected in ("建设保障性租赁住房6万套以上", "新建公办幼儿园50所", "义务教育学校30所", "普通高中5所"):
        assert expected in targets
    assert any("87%" in t for t in targets)
    assert not any("乡村工匠" in t for t in targets)


def test_trace_links_other_measures_by_shared_departments(luohu):
    measure = _measure_four(luohu)
    linked = {n.label[:3]: e.detail for e, n in children(luohu, measure.id, "linked measure")}
    assert set(linked) == {"（一）", "（二）", "（三）", "（五）", "（六）"}
    assert "公安厅" in linked["（三）"]  # 公安厅 is responsible for （三） and （四）


def test_trace_ends_with_the_cited_document(luohu):
    measure = _measure_four(luohu)
    ((_, doc),) = children(luohu, measure.id, "part of")
    cited = [n.label for _, n in children(luohu, doc.id, "cites")]
    assert cited and cited[0].startswith("人社部发〔2023〕8号")


def test_trace_table_is_an_indented_tree_with_relations(luohu):
    text = luohu.tree()
    assert text.splitlines()[0] == "落户 [term]"
    assert "├─ matches (落户) → 户口迁移" in text
    assert "│  └─ belongs to measure → （四）开展公共服务供给提升行动 [measure]" in text
    assert "responsible → 广西壮族自治区公安厅 [department]" in text


def test_trace_json_is_nodes_and_labelled_edges(luohu):
    data = luohu.to_dict()
    ids = {n["id"] for n in data["nodes"]}
    assert data["root"] in ids
    assert all(e["source"] in ids and e["target"] in ids and e["relation"] for e in data["edges"])


def test_trace_depth_limits_the_tree(kg):
    shallow = kg.trace("落户", depth=2)
    assert not any(n.kind == "department" for n in shallow.nodes)
    assert any(n.label.startswith("（四）") for n in shallow.nodes)


def test_trace_from_a_measure_number(kg):
    tr = kg.trace("（四）")
    assert tr.node(tr.root).kind == "measure"
    assert any(n.kind == "condition" for _, n in children(tr, tr.root, "has condition"))


def test_trace_from_a_department_in_english(kg):
    tr = kg.trace("Department of Education", depth=1)
    assert [n.label[:3] for _, n in children(tr, tr.root)] == ["（二）", "（四）", "（五）", "（六）"]


def test_trace_of_an_unknown_term_is_a_lookup_error(kg):
    with pytest.raises(LookupError):
        kg.trace("火星移民")


def test_path_from_public_security_to_settlement(kg):
    chains = kg.path("公安厅", "落户")
    assert chains[0].text().startswith("广西壮族自治区公安厅 —responsible→ （四）开展公共服务供给提升行动")
    via_condition = [c for c in chains if c.nodes[-1]["kind"] == "condition"]
    assert via_condition and [s.relation for s in via_condition[0].steps] == ["responsible", "belongs to measure"]
    assert len(chains[0].steps) <= min(len(c.steps) for c in chains)


def test_path_between_two_departments_runs_through_a_shared_measure(kg):
    chains = kg.path("公安厅", "医保局")
    assert {"（三）", "（五）"} <= {c.nodes[1]["label"][:3] for c in chains}  # also: both issued the notice
    assert all(len(c.steps) == 2 for c in chains)


def test_responsibility_projection_is_departments_and_measures_with_roles(kg):
    g = kg.to_networkx(view="responsibility")
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"department", "measure"}
    education = "https://w3id.org/policykg/id/org/gx-education"
    assert sorted(g.nodes[m]["pkg:number"] for m in g[education]) == sorted(["（二）", "（四）", "（五）", "（六）"])
    assert {d["role"] for *_, d in g.edges(data=True)} <= {"lead", "responsible", "support", "guide"}


def test_full_projection_keeps_literals_as_attributes(kg):
    g = kg.to_networkx(view="full")
    cond = next(n for n, d in g.nodes(data=True) if d["kind"] == "condition")
    assert g.nodes[cond]["pkg:governs"] == "户口迁移"
    assert not any(isinstance(n, str) and n == "户口迁移" for n in g)  # literals are not nodes
    assert all(n.startswith("http") for n in g)
    rels = {d["relation"] for *_, d in g.edges(data=True)}
    assert {"pkg:measure", "pkg:relatedMeasure", "responsible", "eli:cites"} <= rels


def test_unknown_view_is_an_error(kg):
    with pytest.raises(ValueError):
        kg.to_networkx(view="everything")


def test_cli_trace_table_and_json():
    runner = CliRunner()
    result = runner.invoke(main, ["trace", "落户"])
    assert result.exit_code == 0, result.output
    assert "保障性租赁住房" in result.output and "cites →" in result.output
    data = json.loads(runner.invoke(main, ["trace", "落户", "--format", "json", "--depth", "2"]).output)
    assert {"root", "nodes", "edges"} <= set(data)


def test_cli_path():
    result = CliRunner().invoke(main, ["path", "公安厅", "落户"])
    assert result.exit_code == 0 and result.output.startswith("1. (1 step) 广西壮族自治区公安厅 —responsible→")


def test_cli_trace_unknown_is_a_one_line_error():
    result = CliRunner().invoke(main, ["trace", "火星移民"])
    assert result.exit_code == 1 and "火星移民" in result.output and "Traceback" not in result.output


def test_a_specific_term_is_matched_alone_not_by_its_topic(kg):
    # 乡村工匠 contains 工匠 (topic 技能培训) but means only itself: the target and （二）
    tr = kg.trace("乡村工匠", depth=2)
    labels = [n.label for n in tr.nodes if n.depth <= 2 and n.kind in ("target", "measure")]
    assert labels == ["培养乡村工匠200名", "（二）开展职业技能水平提升行动"]


def test_trace_shows_the_deadlines_of_the_whole_notice(luohu):
    measure = _measure_four(luohu)
    ((_, doc),) = children(luohu, measure.id, "part of")
    dates = [n.label.split()[0] for _, n in children(luohu, doc.id, "has deadline (whole notice)")]
    assert dates == ["2023-07-15", "2024-01-15"]
