"""Responsibility graphs: the networkx graph, the self-contained page, filters, escaping, the CLI."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from policykg.errors import NotFound
from policykg.knowledge import DepartmentError, DocumentNotFound, KnowledgeGraph
from policykg.render import _vis_edge, external_references, page_html, responsibility_graph

INJECTION = Path(__file__).parent / "fixtures" / "render" / "injection_notice.txt"


def kinds(g) -> Counter:
    return Counter(a["kind"] for _, a in g.nodes(data=True))


def labels(g, kind: str) -> set[str]:
    return {a["label"] for _, a in g.nodes(data=True) if a["kind"] == kind}


@pytest.fixture(scope="module")
def injection_kg():
    """A notice whose measure title is ``开展<img src=x onerror='…'>href提升行动`` and whose text holds a <script>."""
    import policykg
    graph = KnowledgeGraph.in_memory()
    graph.add_documents([policykg.parse(INJECTION)])
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def run(module_cli):
    """The CLI on a data directory of this module's own."""
    return module_cli


def test_bundled_graph_holds_nine_departments_six_measures_eleven_targets_two_deadlines_one_condition(kg):
    g = responsibility_graph(kg)
    counts = kinds(g)
    assert (counts["department"], counts["measure"], counts["target"], counts["deadline"], counts["condition"]) \
        == (9, 6, 11, 2, 1)
    assert "教育厅" in labels(g, "department")
    assert "（一）开展就业创业质量提升行动" in labels(g, "measure")
    assert "户口迁移条件" in labels(g, "condition")


def test_role_edges_link_each_department_to_its_measures(kg):
    g = responsibility_graph(kg)
    edu = next(n for n, a in g.nodes(data=True) if a.get("label") == "教育厅")
    roles = {g.nodes[m]["number"]: a["role"] for _, m, a in g.out_edges(edu, data=True) if a["relation"] == "role"}
    assert roles == {"（二）": "responsible", "（四）": "responsible", "（五）": "responsible", "（六）": "responsible"}


def test_department_size_grows_with_its_number_of_measures(kg):
    g = responsibility_graph(kg)
    size = {a["label"]: a["size"] for _, a in g.nodes(data=True) if a["kind"] == "department"}
    assert size["住房和城乡建设厅"] > size["教育厅"] > size["公安厅"]  # 6, 4 and 3 measures


def test_hover_text_of_a_measure_is_its_source_text(kg):
    g = responsibility_graph(kg)
    title = next(a["title"] for _, a in g.nodes(data=True) if a.get("number") == "（四）")
    assert "以具有合法稳定住所（含租赁）或合法稳定就业为户口迁移的基本条件" in title


def test_edge_style_differs_by_role():
    styles = {role: _vis_edge("a", "b", {"relation": "role", "role": role})
              for role in ("lead", "responsible", "support", "guide")}
    assert styles["lead"]["width"] > styles["responsible"]["width"]
    assert styles["responsible"]["dashes"] is False
    assert styles["support"]["dashes"] and styles["guide"]["dashes"] and styles["support"]["dashes"] != styles["guide"]["dashes"]


def test_owner_education_shows_only_its_neighbourhood(kg):
    g = responsibility_graph(kg, owner="教育厅")
    assert {a["number"] for _, a in g.nodes(data=True) if a["kind"] == "measure"} == {"（二）", "（四）", "（五）", "（六）"}
    assert kinds(g)["deadline"] == 0  # the report deadlines concern 人社厅 and 区直各有关部门, not 教育厅 directly


def test_owner_depth_one_is_the_department_and_its_measures(kg):
    g = responsibility_graph(kg, owner="Department of Education", depth=1)
    assert labels(g, "department") == {"教育厅"}
    assert kinds(g) == Counter({"department": 1, "measure": 4})


def test_unknown_owner_raises_department_error(kg):
    with pytest.raises(DepartmentError, match="月球开发部"):
        responsibility_graph(kg, owner="月球开发部")


def test_measure_four_by_printed_number_reaches_the_settlement_condition(kg):
    for ident in ("（四）", "四", "2.4", "4"):
        g = responsibility_graph(kg, measure=ident, depth=1)
        assert labels(g, "measure") == {"（四）开展公共服务供给提升行动"}
        assert "户口迁移条件" in labels(g, "condition")


def test_unknown_measure_names_the_measures(kg):
    with pytest.raises(NotFound, match="（六）"):
        responsibility_graph(kg, measure="九")


def test_document_filter_keeps_that_document_and_rejects_unknown_ones(kg):
    assert kinds(responsibility_graph(kg, document="桂人社发〔2023〕32号"))["measure"] == 6
    with pytest.raises(DocumentNotFound):
        responsibility_graph(kg, document="国发〔1999〕1号")


def test_page_has_no_reference_to_any_external_url(kg):
    page = kg.render()
    assert external_references(page) == []
    assert "<script src" not in page and "<link" not in page
    assert "bootstrap" not in page and "cdn.jsdelivr" not in page and "cdnjs" not in page
    assert "vis.Network" in page  # vis-network is embedded


def test_page_has_legend_search_box_and_stops_physics_after_stabilisation(kg):
    page = kg.render()
    assert 'id="pkg-legend"' in page and "牵头 lead" in page and "配合 support" in page
    assert 'id="pkg-search"' in page
    assert "stabilizationIterationsDone" in page and "physics: false" in page


def test_render_writes_one_utf8_file_and_no_lib_folder(kg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = kg.render(path=tmp_path / "g.html")
    assert os.listdir(tmp_path) == ["g.html"]
    assert (tmp_path / "g.html").read_bytes().decode("utf-8") == page
    assert "教育厅" in page


def test_document_text_cannot_inject_markup(injection_kg):
    page = injection_kg.render()
    measure = next(m for m in injection_kg.measures() if m.number == "（一）")
    assert "<img" in measure.title and "href" in measure.title  # the payload reached the graph
    assert "<img" not in page and "<script>document" not in page
    assert "\\u003cimg src=x onerror=" in page  # as JSON data, shown as text
    assert "popup.innerHTML" not in page  # pyvis's raw-HTML popup ("href" in a title) is never used


def test_heading_is_escaped(kg):
    page = page_html(responsibility_graph(kg, owner="教育厅", depth=1), "<b onmouseover=x>标题</b>")
    assert "<b onmouseover" not in page and "&lt;b onmouseover=x&gt;标题" in page


def test_page_displays_itself_in_jupyter(kg):
    shown = kg.render(owner="教育厅", depth=1)._repr_html_()
    assert shown.startswith("<iframe srcdoc=\"") and "<script" not in shown  # the page is an escaped attribute


def test_cli_graph_writes_the_file(run, tmp_path):
    out = tmp_path / "g.html"
    result = run("graph", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert os.listdir(tmp_path) == ["g.html"] and "vis.Network" in out.read_text(encoding="utf-8")


def test_cli_graph_owner_education(run, tmp_path):
    out = tmp_path / "edu.html"
    assert run("graph", "--owner", "教育厅", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "开展公共服务供给提升行动" in page and "开展就业创业质量提升行动" not in page  # (四) yes, (一) no


def test_cli_graph_unknown_owner_is_a_one_line_error(run, tmp_path):
    result = run("graph", "--owner", "月球开发部", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "月球开发部" in result.output and not (tmp_path / "x.html").exists()


def test_cli_graph_open_uses_webbrowser(run, tmp_path, monkeypatch):
    import webbrowser
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    assert run("graph", "--open", "-o", str(tmp_path / "g.html")).exit_code == 0
    assert opened == [(tmp_path / "g.html").resolve().as_uri()]
