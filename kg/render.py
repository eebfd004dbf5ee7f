"""Responsibility graphs: who owns which measure, as a networkx graph and as a self-contained page.

``responsibility_graph`` turns the answers of the knowledge graph's public queries (measures,
departments, targets, deadlines, conditions — all SPARQL) into a networkx ``DiGraph`` whose nodes
carry a ``kind`` (department, measure, target, deadline, condition, document, party) and whose
edges carry a ``relation`` (``role`` edges also carry the ``role``: lead / responsible / support /
guide). ``render`` draws it with pyvis as one UTF-8 HTML file that works with no network at all:

* vis-network is embedded (``cdn_resources="in_line"``), pyvis's bootstrap CDN links are removed and
  the page is checked to hold no ``src``/``href`` attribute at all; nothing is written to the cwd;
* every text taken from a document reaches the page only as JSON data (tooltips are set with
  ``innerText`` by vis-network 9, labels are drawn on a canvas) or HTML-escaped; pyvis's raw-HTML
  popup (switched on when a title contains "href") is never used;
* physics stops once the layout has stabilised; a legend and a search box are part of the page;
* ``#pkg-status`` receives ``data-nodes``/``data-edges``/``data-drawn`` once vis has drawn the graph
  (the browser test reads them).

In Jupyter, the returned :class:`GraphPage` displays itself (an ``iframe`` with ``srcdoc``).
"""
from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Collection, Iterable

from .errors import InputError, NotFound
from .reader import path_order, values_clause

if TYPE_CHECKING:
    import networkx as nx

    from .reader import GraphReader

#: Node kinds: Chinese and English legend names, colour, vis-network shape.
KINDS: dict[str, dict[str, str]] = {
    "department": {"zh": "部门", "en": "department", "color": "#2f6fb5", "shape": "dot"},
    "measure": {"zh": "任务措施", "en": "measure", "color": "#f59f3a", "shape": "box"},
    "target": {"zh": "量化目标", "en": "target", "color": "#2e9e4f", "shape": "diamond"},
    "deadline": {"zh": "完成时限", "en": "deadline", "color": "#d63b3b", "shape": "triangle"},
    "condition": {"zh": "条件", "en": "condition", "color": "#8e5cc7", "shape": "hexagon"},
    "document": {"zh": "文件", "en": "document", "color": "#6c757d", "shape": "square"},
    "party": {"zh": "其他单位", "en": "other party", "color": "#a8a83a", "shape": "dot"},
}

#: Responsibility roles: Chinese name and edge style (width, dashes, colour).
ROLES: dict[str, dict] = {
    "lead": {"zh": "牵头", "en": "lead", "width": 5, "dashes": False, "color": "#c0392b"},
    "responsible": {"zh": "负责", "en": "responsible", "width": 2.5, "dashes": False, "color": "#34495e"},
    "support": {"zh": "配合", "en": "support", "width": 2, "dashes": [10, 6], "color": "#34495e"},
    "guide": {"zh": "指导", "en": "guide", "width": 2, "dashes": [2, 5], "color": "#34495e"},
}

#: Other relations between nodes (edge label in Chinese).
RELATIONS: dict[str, str] = {
    "part_of": "属于", "target": "目标", "related_target": "相关目标", "deadline": "时限",
    "submit_to": "报送至", "due_from": "报送单位", "condition": "条件",
}

#: How many hops around ``owner`` / ``measure`` are shown when no depth is given.
DEFAULT_DEPTH = 2

LABEL_MAX = 18  # characters of a target / deadline label before it is clipped (full text on hover)
FONT_FACE = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, WenQuanYi Zen Hei, SimHei, sans-serif"


# ----------------------------------------------------------------------------------------------
# the graph
# ----------------------------------------------------------------------------------------------
def _clip(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _department_labels(departments) -> dict[str, str]:
    """Short labels (教育厅) for department IRIs, keeping full names where short ones would collide."""
    from policykg.ontology import load_registry
    registry = load_registry()
    short = {d.iri: registry.split_prefix(d.name)[1] for d in departments}
    taken: dict[str, int] = {}
    for label in short.values():
        taken[label] = taken.get(label, 0) + 1
    return {d.iri: (short[d.iri] if taken[short[d.iri]] == 1 else d.name) for d in departments}


def related_targets(kg: "GraphReader") -> list[tuple[str, str]]:
    """(target IRI, measure IRI) pairs linked by ``pkg:relatedMeasure`` (shared key terms)."""
    rows = kg.select("SELECT ?t ?m WHERE { ?t a pkg:Target ; pkg:relatedMeasure ?m . ?m a pkg:Measure }")
    return [(r["t"], r["m"]) for r in rows] if isinstance(rows, list) else []


def _comparator(cmp: str) -> str:
    return {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": ""}.get(cmp, cmp)


def _number(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def full_graph(kg: "GraphReader", among: Collection[str] | None = None) -> "nx.DiGraph":
    """Every department, measure, target, deadline, condition and document as one networkx graph;
    ``among``: only the facts and document nodes of these documents (IRIs), with every department.

    Node attributes: ``kind``, ``label``, ``title`` (hover text: the source sentence), ``document``
    (文号), ``size``, and per kind ``name``/``en``/``measures`` (departments), ``number``/``text``
    (measures), ``value``/``unit`` (targets), ``date`` (deadlines). Edge attributes: ``relation``,
    ``label`` and, for responsibilities, ``role``. All values are str, int or float (GraphML-safe).
    """
    return _build(kg, among, None)[0]


def _build(kg: "GraphReader", among: Collection[str] | None, drawn: Collection[str] | None,
           departments: list | None = None) -> tuple["nx.DiGraph", dict[str, set[str]]]:
    """``full_graph`` of the documents ``among``; with ``drawn`` (measure IRIs), only those measures and
    the targets tied to them are nodes. Every measure of the documents still decides where a deadline,
    target or condition belongs: a fact whose measure is not drawn gets no edge in its place (never
    one to its document instead), and is listed in the second result, fact node → the measures its
    edges in ``full_graph`` go to that are not drawn."""
    import networkx as nx
    g = nx.DiGraph()
    undrawn: dict[str, set[str]] = {}
    docs = [d for d in kg.documents(among=among) if not d.stub]
    doc_iri = {(d.doc_number or d.title): d.iri for d in docs}
    for d in docs:
        label = d.doc_number or _clip(d.title)
        g.add_node(d.iri, kind="document", label=label, document=label,
                   title=f"{d.title}\n{d.doc_number or ''} {d.date or ''}\n发文机关：{'、'.join(d.issuers)}".strip(),
                   size=22)

    departments = kg.departments() if departments is None else departments
    labels = _department_labels(departments)
    for dept in departments:
        g.add_node(dept.iri, kind="department", label=labels[dept.iri], name=dept.name, en=dept.en or "",
                   measures=dept.measures, leads=dept.leads, document="",
                   title=f"{dept.name}\n{dept.en or ''}\n参与措施 {dept.measures} 项，牵头 {dept.leads} 项",
                   size=12 + 4 * dept.measures)
    dept_by_name = {d.name: d.iri for d in departments}

    deadlines = kg.deadlines(among=among)
    conditions = kg.conditions(among=among)
    related = related_targets(kg)
    if drawn is None:
        measures = kg.measures(among=among)
        targets = kg.targets(among=among)
        index = measures
    else:
        measures = kg.measures(iris=drawn)
        tied = {t for t, m in related if m in drawn}
        tied |= {r["t"] for r in kg.select(f"SELECT ?t WHERE {{ {values_clause('?m', drawn)} ?t pkg:measure ?m }}")}
        targets = kg.targets(iris=tied)
        # the measures that place the deadlines (by number) and the targets and conditions (by IRI)
        places = {x.measure for x in deadlines if x.measure}
        in_docs = [d.iri for d in docs if (d.doc_number or d.title) in {x.document for x in deadlines if x.measure}]
        linked = {t.measure_iri for t in targets if t.measure_iri} | {m for t, m in related if t in tied}
        linked |= {c.measure_iri for c in conditions if c.measure_iri}
        index = _listed_measures(kg, in_docs, places) + _listed_measures(kg, None, None, linked - set(drawn))
    measure_by_number = {(m.document, m.number): m.iri for m in sorted(index, key=_measure_order)}
    known = {m.iri for m in index}
    for m in measures:
        roles = "、".join(f"{r.name}（{ROLES.get(r.role, {'zh': r.role})['zh']}）" for r in m.responsibilities)
        g.add_node(m.iri, kind="measure", label=f"{m.number}{_clip(m.title, 2 * LABEL_MAX)}", number=m.number, path=m.path,
                   text=m.text, document=m.document, size=18,
                   title=f"{m.document} {m.number}{m.title}\n\n{m.text}\n\n责任单位：{roles or '（未列明）'}")
        if m.document in doc_iri:
            g.add_edge(m.iri, doc_iri[m.document], relation="part_of", label=RELATIONS["part_of"])
        for r in m.responsibilities:
            if r.iri not in g:  # an organisation the department listing does not know (defensive)
                g.add_node(r.iri, kind="department", label=r.name, name=r.name, en=r.en or "", measures=1,
                           leads=0, document="", title=r.name, size=20)
            g.add_edge(r.iri, m.iri, relation="role", role=r.role, mention=r.mention,
                       label=ROLES.get(r.role, {"zh": r.role})["zh"])

    def belongs(fact: str, measure: str | None, relation: str, document: str) -> None:
        """The edge from ``fact``'s measure (or, without one, its document) to ``fact``."""
        if measure and measure in g:
            g.add_edge(measure, fact, relation=relation, label=RELATIONS[relation])
        elif measure and measure in known:
            undrawn.setdefault(fact, set()).add(measure)
        elif document in doc_iri:
            g.add_edge(doc_iri[document], fact, relation=relation, label=RELATIONS[relation])

    for t in targets:
        value = t.amount
        g.add_node(t.iri, kind="target", label=_clip(f"{t.indicator} {value}"), indicator=t.indicator,
                   value=t.value if t.value is not None else value, unit=t.unit, comparator=t.comparator, period=t.period or "",
                   text=t.text, document=t.document, size=14,
                   title=f"量化目标（{t.period or '未注明期限'}）：{t.indicator} {value}\n\n原文：{t.text}")
        belongs(t.iri, t.measure_iri, "target", t.document)
    for t_iri, m_iri in related:
        if t_iri in g and m_iri in g and not g.has_edge(m_iri, t_iri):
            g.add_edge(m_iri, t_iri, relation="related_target", label=RELATIONS["related_target"])
        elif t_iri in g and m_iri in known and m_iri not in g:
            undrawn.setdefault(t_iri, set()).add(m_iri)

    for x in deadlines:
        g.add_node(x.iri, kind="deadline", label=_clip(f"{x.date} {x.what}"), date=x.date, what=x.what,
                   text=x.text, document=x.document, size=16,
                   title=(f"完成时限 {x.date}：{x.what or '（事项未列明）'}\n"
                          f"报送单位：{'、'.join(x.obligated) or '（未列明）'}\n报送至：{x.submit_to or '（未列明）'}"
                          f"\n\n原文：{x.text}"))
        belongs(x.iri, measure_by_number.get((x.document, x.measure or "")), "deadline", x.document)
        if x.submit_to:
            to = dept_by_name.get(x.submit_to) or _party(g, x.submit_to)
            g.add_edge(x.iri, to, relation="submit_to", label=RELATIONS["submit_to"])
        for name in x.obligated:
            by = dept_by_name.get(name) or _party(g, name)
            g.add_edge(by, x.iri, relation="due_from", label=RELATIONS["due_from"])

    for c in conditions:
        g.add_node(c.iri, kind="condition", label=f"{c.governs}条件", governs=c.governs,
                   any_of="|".join(c.any_of), text=c.text, document=c.document, size=16,
                   title=f"{c.governs}的条件（满足其一）：{' 或 '.join(c.any_of)}\n\n原文：{c.text}")
        belongs(c.iri, c.measure_iri, "condition", c.document)
    return g, undrawn


def _measure_order(m) -> tuple:
    return (m.document, path_order(m.path))


def _listed_measures(kg: "GraphReader", among: Collection[str] | None, numbers: Collection[str] | None,
                     iris: Collection[str] | None = None) -> list:
    """The measures ``kg.measures`` would list (of the documents ``among``, numbered ``numbers``; or
    these ``iris``), with only what places facts: IRI, document (文号 or title), number, path."""
    from types import SimpleNamespace

    from .store import sparql_string
    if (among is not None and not among) or (numbers is not None and not numbers) or (iris is not None and not iris):
        return []
    number_values = f"VALUES ?number {{ {' '.join(sparql_string(n) for n in sorted(numbers))} }}" if numbers else ""
    rows = kg.select(f"""SELECT DISTINCT ?m ?num ?dtitle ?number ?path WHERE {{
        {values_clause('?d', among)} {values_clause('?m', iris)} {number_values}
        ?m eli:is_part_of ?d . ?m a pkg:Measure ; pkg:number ?number ; pkg:path ?path ; eli:title ?title ;
           pkg:text ?text ; pkg:spanStart ?s ; pkg:spanEnd ?e .
        ?d eli:title ?dtitle . OPTIONAL {{ ?d eli:id_local ?num }} }}""")
    first: dict[str, SimpleNamespace] = {}
    for r in rows:
        first.setdefault(r["m"], SimpleNamespace(iri=r["m"], document=r["num"] or r["dtitle"], number=r["number"],
                                                 path=r["path"]))
    return list(first.values())


def _party(g: "nx.DiGraph", name: str) -> str:
    """A node for an addressee that is not one of the graph's departments (区直各有关部门)."""
    node = f"party:{name}"
    if node not in g:
        g.add_node(node, kind="party", label=name, name=name, document="", title=name, size=12)
    return node


def _match_measures(g: "nx.DiGraph", ident: str) -> list[str]:
    """Measure nodes meant by ``ident``: IRI, path (2.4), number as printed (（四）), bare (四) or 1-based index."""
    measures = [n for n, a in g.nodes(data=True) if a["kind"] == "measure"]
    ident = ident.strip()
    hits = [n for n in measures if ident in (n, g.nodes[n]["path"], g.nodes[n]["number"],
                                             g.nodes[n]["number"].strip("（）()、. "))]
    if not hits and ident.isdigit():
        by_doc: dict[str, list[str]] = {}
        for n in measures:
            by_doc.setdefault(g.nodes[n]["document"], []).append(n)
        hits = [ms[int(ident) - 1] for ms in by_doc.values() if 0 < int(ident) <= len(ms)]
    return hits


def responsibility_graph(kg: "GraphReader", owner: str | None = None, document: str | None = None,
                         measure: str | None = None, depth: int | None = None) -> "nx.DiGraph":
    """The graph to draw: everything, or a neighbourhood.

    ``document``: only that document's measures, targets, deadlines and conditions with their
    departments. ``owner`` (any name form: 教育厅, "education") and/or ``measure`` (2.4, （四）, 四, 4):
    the nodes within ``depth`` hops (default 2) of that department / measure. ``depth`` alone limits
    nothing (there is no centre to count from).
    """
    if depth is not None and depth < 0:
        raise InputError("depth", f"must be 0 or more, not {depth}")
    radius = DEFAULT_DEPTH if depth is None else depth
    if owner and not measure:
        return _owner_graph(kg, owner, document, radius)
    g = _narrowed(kg, full_graph(kg), document)
    centres: list[str] = []
    if owner:
        centres.append(_department_node(kg, g, owner, document))
    if measure:
        hits = _match_measures(g, measure)
        if not hits:
            numbers = "、".join(a["number"] for _, a in g.nodes(data=True) if a["kind"] == "measure")
            raise NotFound(f"no measure matches '{measure}'; measures: {numbers or 'none'}")
        if len(hits) > 1:
            raise NotFound(f"measure '{measure}' is ambiguous ({len(hits)} documents have it); add --doc")
        centres.extend(hits)
    return _around(g, centres, radius) if centres else g


def _narrowed(kg: "GraphReader", g: "nx.DiGraph", document: str | None) -> "nx.DiGraph":
    """``g`` kept to the facts of ``document`` (文号 or title) and their departments; ``g`` without one."""
    if not document:
        return g
    iri = kg.document_iri(document)  # raises DocumentNotFound listing the stored documents
    label = g.nodes[iri]["document"] if iri in g else document
    keep = {n for n, a in g.nodes(data=True) if a.get("document") == label}
    keep |= {nb for n in list(keep) for nb in (*g.predecessors(n), *g.successors(n))
             if g.nodes[nb]["kind"] in ("department", "party")}
    return g.subgraph(keep).copy()


def _department_node(kg: "GraphReader", g: "nx.DiGraph", owner: str, document: str | None) -> str:
    org = kg.resolve_department(owner)  # raises DepartmentError with candidates
    dept = next((n for n, a in g.nodes(data=True) if a["kind"] == "department" and a.get("name") == org.name), None)
    if dept is None:
        raise NotFound(f"{org.name} has no role in any measure shown" + (f" of {document}" if document else ""))
    return dept


def _around(g: "nx.DiGraph", centres: list[str], radius: int) -> "nx.DiGraph":
    g = g.subgraph(_walk(g, centres, radius)[0]).copy()
    for c in centres:
        g.nodes[c]["focus"] = 1
    return g


def _owner_graph(kg: "GraphReader", owner: str, document: str | None, radius: int) -> "nx.DiGraph":
    """The neighbourhood of a department, built from what the walk reaches only: the measures it has a
    role in, the facts tied to them, and the documents those are in; never every measure (10 000
    documents: most of the graph). Whenever the walk goes through a node whose neighbours are not all
    drawn (a department or party of other documents, a deadline of a measure not drawn), those are
    added and the graph is built again, until the walk needs nothing more: the result is the
    neighbourhood ``full_graph`` gives (the same nodes, edges and attributes). One difference is left:
    ``full_graph`` tells documents apart by 文号 or title, so two stored documents without a 文号 and
    with the same title share their facts there; here only the one the walk reaches is read."""
    if document:
        kg.document_iri(document)  # an unknown document is reported first, as in full_graph's path
    departments = kg.departments()
    by_name = {d.name: d.iri for d in departments}  # as _build links deadlines to their parties
    org = kg.resolve_department(owner)
    among: set[str] = set()
    drawn: set[str] = set()
    walked: set[str] = set()
    pending = {d.iri for d in departments if d.name == org.name}
    wanted: set[str] = set()
    while True:
        docs, measures = _reached_from(kg, pending, by_name)
        among |= docs
        drawn |= measures | wanted
        among |= _documents_of(kg, wanted)
        walked |= pending
        full, undrawn = _build(kg, among, drawn, departments)
        g = _narrowed(kg, full, document)
        centre = _department_node(kg, g, owner, document)
        _, expanded = _walk(g, [centre], radius)
        pending = {n for n in expanded if g.nodes[n]["kind"] in ("department", "party")} - walked
        wanted = {m for n in expanded for m in undrawn.get(n, ())} - drawn
        if not pending and not wanted:
            return _around(g, [centre], radius)


def _documents_of(kg: "GraphReader", measures: set[str]) -> set[str]:
    if not measures:
        return set()
    return {r["d"] for r in kg.select(f"SELECT DISTINCT ?d WHERE {{ {values_clause('?m', measures)} ?m eli:is_part_of ?d }}")}


def _reached_from(kg: "GraphReader", nodes: set[str], by_name: dict[str, str]) -> tuple[set[str], set[str]]:
    """What ``full_graph`` links to ``nodes`` (department IRIs, ``party:`` nodes): the documents
    (IRIs) of their facts, and the measures (IRIs) they have a role in. Deadlines are found by the
    names they list, as ``full_graph`` links them."""
    docs: set[str] = set()
    measures: set[str] = set()
    if not nodes:
        return docs, measures
    agents = [n for n in nodes if not n.startswith("party:")]
    names = [name for name, iri in by_name.items() if iri in nodes] + [n[len("party:"):] for n in nodes
                                                                      if n.startswith("party:")]
    if agents:
        for r in kg.select(f"""SELECT DISTINCT ?m ?d WHERE {{ {values_clause('?o', agents)}
                ?r pkg:agent ?o . ?m pkg:responsibility ?r ; eli:is_part_of ?d }}"""):
            measures.add(r["m"])
            docs.add(r["d"])
    if names:
        from .store import sparql_string
        labels = " ".join(sparql_string(n) + "@zh" for n in sorted(names))
        # the parties first, each once: their names recur in every document graph naming them
        docs |= {r["d"] for r in kg.select(f"""SELECT DISTINCT ?d WHERE {{
            {{ SELECT DISTINCT ?o WHERE {{ VALUES ?zh {{ {labels} }} ?o skos:prefLabel ?zh }} }}
            ?x pkg:obligatedParty|pkg:submitTo ?o . ?x a pkg:Deadline ; prov:wasDerivedFrom ?d }}""")}
    return docs, measures


# ----------------------------------------------------------------------------------------------
# the page
# ----------------------------------------------------------------------------------------------
def _walk(g: "nx.DiGraph", centres: list[str], radius: int) -> tuple[set[str], set[str]]:
    """Nodes within ``radius`` hops of ``centres``, edges taken both ways, and the nodes whose
    neighbours were taken (the walk went through them). A document node is a hub (every measure,
    target and deadline hangs off it): it is shown but not walked through."""
    keep = set(centres)
    expanded: set[str] = set()
    frontier = list(centres)
    for _ in range(radius):
        nxt = []
        for n in frontier:
            if g.nodes[n]["kind"] == "document" and n not in centres:
                continue
            expanded.add(n)
            for nb in (*g.predecessors(n), *g.successors(n)):
                if nb not in keep:
                    keep.add(nb)
                    nxt.append(nb)
        frontier = nxt
    return keep, expanded


class GraphPage(str):
    """The HTML of a responsibility graph page (a ``str``); displays itself in Jupyter."""

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self, quote=True)}" style="width:100%;height:820px;border:0"'
                ' sandbox="allow-scripts"></iframe>')

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page as UTF-8; returns the path."""
        path = Path(path)
        path.write_text(self, encoding="utf-8")
        return path


_HEAD = """<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
 body {{ margin: 0; font-family: {font}; color: #222; }}
 #pkg-header {{ display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 8px 14px;
   border-bottom: 1px solid #ddd; background: #fafafa; }}
 #pkg-header h1 {{ font-size: 17px; margin: 0; font-weight: 600; }}
 #pkg-header .sub {{ font-size: 13px; color: #666; }}
 #pkg-search {{ font: inherit; font-size: 14px; padding: 4px 8px; width: 240px; }}
 #pkg-search-info {{ font-size: 13px; color: #666; }}
 #pkg-legend {{ position: absolute; right: 14px; top: 62px; z-index: 10; background: rgba(255,255,255,.92);
   border: 1px solid #ccc; border-radius: 4px; padding: 8px 10px; font-size: 13px; line-height: 1.7; }}
 #pkg-legend b {{ display: block; margin-top: 2px; }}
 .pkg-sw {{ display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; }}
 .pkg-ln {{ display: inline-block; width: 34px; margin-right: 6px; vertical-align: 4px; }}
 #mynetwork {{ float: none !important; border: 0 !important; }}
 .card {{ border: 0; }}
 div.vis-tooltip {{ white-space: pre-wrap !important; max-width: 460px; font-family: {font} !important;
   font-size: 13px !important; line-height: 1.5; }}
</style>
<script>
function policykgHook(network, nodes, edges) {{
  var status = document.getElementById('pkg-status');
  network.once('stabilizationIterationsDone', function () {{
    network.setOptions({{ physics: false }});
    network.fit();
    status.setAttribute('data-stable', '1');
  }});
  network.on('afterDrawing', function () {{
    status.setAttribute('data-nodes', String(Object.keys(network.getPositions()).length));
    status.setAttribute('data-edges', String(edges.length));
    status.setAttribute('data-drawn', '1');
  }});
  var box = document.getElementById('pkg-search'), info = document.getElementById('pkg-search-info');
  var hits = [], at = 0;
  box.addEventListener('input', function () {{
    var q = box.value.trim().toLowerCase();
    at = 0;
    if (!q) {{ hits = []; network.unselectAll(); info.textContent = ''; network.fit(); return; }}
    hits = nodes.get({{ filter: function (n) {{
      return String(n.label || '').toLowerCase().indexOf(q) >= 0 || String(n.title || '').toLowerCase().indexOf(q) >= 0;
    }} }}).map(function (n) {{ return n.id; }});
    network.selectNodes(hits);
    info.textContent = hits.length ? hits.length + ' 个匹配（回车逐个查看）' : '无匹配';
    if (hits.length) network.fit({{ nodes: hits }});
  }});
  box.addEventListener('keydown', function (e) {{
    if (e.key === 'Enter' && hits.length) {{
      var id = hits[at % hits.length]; at += 1;
      network.selectNodes([id]);
      network.focus(id, {{ scale: 1.3 }});
    }}
  }});
}}
</script>
"""


def _legend(present_kinds: Iterable[str]) -> str:
    rows = ['<div id="pkg-legend" aria-label="legend"><b>图例 Legend</b>']
    for kind in KINDS:
        if kind in present_kinds:
            k = KINDS[kind]
            radius = "50%" if k["shape"] == "dot" else "2px"
            rows.append(f'<div><span class="pkg-sw" style="background:{k["color"]};border-radius:{radius}"></span>'
                        f'{k["zh"]} {k["en"]}（{k["shape"]}）</div>')
    rows.append("<b>职责 Role</b>")
    for r in ROLES.values():  # all four, so the reader knows what each line style means
        style = "dashed" if r["dashes"] and r["dashes"][0] > 4 else ("dotted" if r["dashes"] else "solid")
        rows.append(f'<div><span class="pkg-ln" style="border-top:{min(r["width"], 4)}px {style} {r["color"]}">'
                    f'</span>{r["zh"]} {r["en"]}</div>')
    rows.append('<div><span class="pkg-ln" style="border-top:1px solid #a0a0a0"></span>其他关系 other</div>')
    rows.append('<div style="color:#666">部门大小 = 参与措施数<br>悬停查看原文 hover: source text</div></div>')
    return "\n".join(rows)


def _options() -> dict:
    return {
        "nodes": {"font": {"face": FONT_FACE, "size": 17, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"color": {"inherit": False}, "smooth": {"enabled": True, "type": "continuous"},
                  "arrows": {"to": {"enabled": False}}},
        "layout": {"randomSeed": 7, "improvedLayout": True},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -170, "springLength": 170,
                                         "springConstant": 0.04, "avoidOverlap": 0.9},
                    "stabilization": {"enabled": True, "iterations": 600, "fit": True}},
    }


def _vis_node(node: str, a: dict) -> dict:
    k = KINDS[a["kind"]]
    out = {"id": node, "label": a["label"], "title": a["title"], "shape": k["shape"], "kind": a["kind"],
           "color": {"background": k["color"], "border": "#333333" if a.get("focus") else k["color"],
                     "highlight": {"background": "#ffe066", "border": "#333333"}},
           "size": a.get("size", 14), "borderWidth": 4 if a.get("focus") else 1}
    if a["kind"] == "measure":
        out["font"] = {"face": FONT_FACE, "size": 18, "color": "#222222", "strokeWidth": 0}
        out["color"]["background"] = "#fde2b8"
        out["color"]["border"] = "#333333" if a.get("focus") else k["color"]
        out["margin"] = 8
    if a["kind"] == "department":
        out["font"] = {"face": FONT_FACE, "size": 20, "strokeWidth": 3, "strokeColor": "#ffffff"}
    return out


def _vis_edge(u: str, v: str, a: dict) -> dict:
    if a["relation"] == "role":
        r = ROLES.get(a["role"], ROLES["responsible"])
        return {"from": u, "to": v, "title": f"{r['zh']}（{r['en']}）", "width": r["width"],
                "dashes": r["dashes"], "color": r["color"], "arrows": ""}
    return {"from": u, "to": v, "title": a.get("label", a["relation"]), "width": 1.2, "dashes": False,
            "color": "#a0a0a0", "arrows": "to" if a["relation"] in ("submit_to", "due_from") else ""}


class _Refs(HTMLParser):
    """Collects every src/href attribute (there must be none)."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.refs += [f"<{tag} {k}={v!r}>" for k, v in attrs if k in ("src", "href", "srcset", "xlink:href")]


def external_references(page: str) -> list[str]:
    """Every ``src``/``href`` attribute of the page, and every ``@import``/``url(http…)`` in it."""
    parser = _Refs()
    parser.feed(page)
    extra = re.findall(r"@import\b[^;]*|url\(\s*['\"]?(?:https?:)?//[^)]*\)", page)
    return parser.refs + extra


def page_html(g: "nx.DiGraph", heading: str, subheading: str = "") -> GraphPage:
    """The self-contained HTML page drawing ``g`` (see the module docstring)."""
    from pyvis.network import Network
    net = Network(height="calc(100vh - 58px)", width="calc(100% - 250px)", directed=True, cdn_resources="in_line")
    for node, a in g.nodes(data=True):
        spec = _vis_node(node, a)
        net.add_node(spec.pop("id"), **spec)
    for u, v, a in g.edges(data=True):
        spec = _vis_edge(u, v, a)
        net.add_edge(spec.pop("from"), spec.pop("to"), **spec)
    net.options = _options()
    nodes, edges, _, height, width, options = net.get_network_data()
    # tojson keeps <, >, & and ' escaped (no </script> break-out); Chinese stays readable UTF-8
    net.templateEnv.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    template = net.templateEnv.get_template(net.path)
    page = template.render(height=height, width=width, nodes=nodes, edges=edges, heading="", options=options,
                           physics_enabled=True, use_DOT=False, dot_lang="", widget=False, bgcolor="#ffffff",
                           conf=False, tooltip_link=False,  # never pyvis's raw-HTML popup
                           neighborhood_highlight=False, select_menu=False, filter_menu=False, notebook=False,
                           cdn_resources="in_line")
    # pyvis's bootstrap CDN links, the commented-out node_modules links and the empty headings go.
    page = re.sub(r"<link\b[^>]*bootstrap[^>]*>\s*", "", page)
    page = re.sub(r"<script\b[^>]*bootstrap[^>]*>\s*</script>\s*", "", page)
    page = re.sub(r"<!--\s*<link[\s\S]*?-->\s*", "", page)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>\s*", "", page)
    page = page.replace("<html>", '<!DOCTYPE html>\n<html lang="zh-CN">', 1)
    hook = "network = new vis.Network(container, data, options);"
    if hook not in page:
        raise RuntimeError("unexpected pyvis template: cannot attach the page script (pyvis version?)")
    page = page.replace(hook, hook + "\n                  policykgHook(network, nodes, edges);", 1)
    kinds = {a["kind"] for _, a in g.nodes(data=True)}
    head = _HEAD.format(title=html.escape(heading), font=FONT_FACE)
    body = (f'<div id="pkg-header"><h1>{html.escape(heading)}</h1>'
            f'<span class="sub">{html.escape(subheading)}</span>'
            '<input id="pkg-search" type="search" placeholder="搜索 部门 / 措施 / 目标…" aria-label="search">'
            '<span id="pkg-search-info"></span></div>\n'
            f'{_legend(kinds)}\n'
            f'<div id="pkg-status" hidden data-expected-nodes="{g.number_of_nodes()}"'
            f' data-expected-edges="{g.number_of_edges()}"></div>\n')
    page = page.replace("</head>", head + "</head>", 1)
    page = re.sub(r"<body>", lambda m: "<body>\n" + body, page, count=1)
    refs = external_references(page)
    if refs:
        raise RuntimeError(f"the graph page would load external resources: {refs[:3]}")
    return GraphPage(page)


def render(kg: "GraphReader", owner: str | None = None, document: str | None = None,
           measure: str | None = None, depth: int | None = None,
           path: str | os.PathLike | None = None) -> GraphPage:
    """The interactive responsibility graph as one self-contained HTML page.

    Filters as in :func:`responsibility_graph`. With ``path`` the page is also written there (UTF-8).
    The returned :class:`GraphPage` is the HTML string; in Jupyter it displays itself.
    """
    g = responsibility_graph(kg, owner=owner, document=document, measure=measure, depth=depth)
    if g.number_of_nodes() == 0:
        raise NotFound("nothing to draw: the knowledge graph holds no measures")
    docs = sorted({a["document"] for _, a in g.nodes(data=True) if a.get("document")})
    heading = "职责关系图 Responsibility graph"
    focus = [a["label"] for _, a in g.nodes(data=True) if a.get("focus")]
    parts = ["、".join(docs[:3]) + ("等" if len(docs) > 3 else "")] if docs else []
    if focus:
        radius = DEFAULT_DEPTH if depth is None else depth
        parts.append(f"围绕 {'、'.join(focus)}（{radius} 层）")
    counts: dict[str, int] = {}
    for _, a in g.nodes(data=True):
        counts[a["kind"]] = counts.get(a["kind"], 0) + 1
    parts.append(" ".join(f"{KINDS[k]['zh']} {n}" for k, n in counts.items() if k in KINDS))
    page = page_html(g, heading, " · ".join(p for p in parts if p))
    if path is not None:
        page.save(path)
    return page

