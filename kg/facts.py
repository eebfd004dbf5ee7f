"""One fact by IRI or short id (m2.4, t3, d1, c1, p5): its properties, readable, and the sentence it was read from."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from policykg.ontology import PKG

from .errors import InputError, NotFound
from .roles import ROLE_ZH

if TYPE_CHECKING:
    from .reader import GraphReader

_KINDS = {"m": "measure", "t": "target", "d": "deadline", "c": "condition", "p": "paragraph"}
_SHORT = re.compile(r"^(?P<kind>[mtdcp]|measure/|target/|deadline/|condition/|paragraph/)?"
                    r"(?P<local>\d+(?:[.\-]\d+)*)$")
_SENTENCE_END = "。！？；\n"


@dataclass
class FactRecord:
    """One fact, where it comes from and the sentence it was read from."""

    iri: str
    kind: str
    document: str  # 文号 or title
    document_iri: str
    source: str | None  # file name at ingest
    span: tuple[int, int] | None
    quote: str  # the span of the original text
    sentence: str  # the span widened to whole sentences
    properties: list[tuple[str, str]]  # (prefixed property, value: literal or IRI)
    #: a readable name for every IRI value: a department with its role (广西壮族自治区教育厅（负责）) for a
    #: responsibility, a measure's number and title, a document's 文号, an organisation's name
    labels: dict[str, str] = field(default_factory=dict)
    #: the order to list IRI values in (a measure's responsibilities: as the document lists them)
    order: dict[str, int] = field(default_factory=dict)

    def readable(self) -> list[tuple[str, str]]:
        """The properties with every IRI value replaced by its label, responsibilities in printed order."""
        rows = sorted(self.properties, key=lambda pv: (pv[0], self.order.get(pv[1], 0), pv[1]))
        return [(p, self.labels.get(v, v)) for p, v in rows]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _short_name(iri: str) -> str:
    from policykg.ontology import PREFIXES
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def find_fact(kg: "GraphReader", ident: str, document: str | None = None) -> FactRecord:
    """A fact by IRI, or by short id (``m2.4`` or ``2.4`` a measure path, ``t3`` a target, ``d1`` a
    deadline, ``c1`` a condition, ``p5`` a paragraph) within ``document`` (文号 or title; may be
    left out when one stored document has that fact)."""
    ident = ident.strip()
    if ident.startswith(("http://", "https://")):
        iri = ident
    else:
        m = _SHORT.match(ident)
        if not m:
            raise InputError(f"'{ident}'", "neither a fact IRI nor a short id such as m2.4, t3, d1, c1, p5")
        kind = (m.group("kind") or "m").rstrip("/")
        kind = _KINDS.get(kind, kind)
        local = m.group("local")
        names = {d.iri: d.doc_number or d.title for d in kg.documents() if not d.stub}
        docs = [kg.document_iri(document)] if document else list(names)
        hits = [d for d in docs if kg.ask(f"ASK {{ <{d}/{kind}/{local}> ?p ?o }}")]
        if not hits:
            where = f" in {document}" if document else ""
            raise NotFound(f"no {kind} '{local}'{where}")
        if len(hits) > 1:  # the documents by their 文号, as --doc takes them
            raise NotFound(f"{kind} '{local}' exists in {len(hits)} documents; name one with --doc: "
                           + "、".join(names.get(d, d) for d in hits[:10]))
        iri = f"{hits[0]}/{kind}/{local}"
    rows = kg.select(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    if not rows:
        raise NotFound(f"no fact <{iri}> in the store")
    props = {r["p"]: r["o"] for r in rows}
    doc_iri = props.get("http://www.w3.org/ns/prov#wasDerivedFrom") or props.get(
        "http://data.europa.eu/eli/ontology#is_part_of") or iri
    doc_rows = kg.select(f"""SELECT ?num ?title ?text ?src WHERE {{
        OPTIONAL {{ <{doc_iri}> eli:id_local ?num }} OPTIONAL {{ <{doc_iri}> eli:title ?title }}
        OPTIONAL {{ <{doc_iri}> pkg:sourceText ?text }} OPTIONAL {{ <{doc_iri}> pkg:sourceName ?src }} }}""")
    info: dict[str, Any] = doc_rows[0] if doc_rows else {}
    text = info.get("text") or ""
    start, end = props.get(PKG + "spanStart"), props.get(PKG + "spanEnd")
    span = (int(start), int(end)) if start is not None and end is not None else None
    quote = sentence = ""
    if span and text:
        quote = text[span[0]:span[1]]
        s = max(text.rfind(c, 0, span[0]) for c in _SENTENCE_END) + 1
        e = min((i for i in (text.find(c, max(span[1] - 1, span[0])) for c in _SENTENCE_END) if i >= 0),
                default=len(text) - 1) + 1
        sentence = text[s:e].strip()
    kind = next((_short_name(str(r["o"])).split(":", 1)[-1] for r in rows
                 if r["p"] == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), "")
    shown = [(_short_name(r["p"]), str(r["o"])) for r in rows
             if r["p"] not in (PKG + "sourceText",)]
    labels, order = _labels(kg, iri)
    return FactRecord(iri, kind, info.get("num") or info.get("title") or "", doc_iri, info.get("src"),
                      span, quote, sentence, sorted(shown), labels, order)


def _labels(kg: "GraphReader", iri: str) -> tuple[dict[str, str], dict[str, int]]:
    """Readable names of the IRIs ``iri`` points to, and the printed position of responsibilities."""
    rows = kg.select(f"""
        SELECT DISTINCT ?x ?label ?role ?pos WHERE {{
          <{iri}> ?p ?x . FILTER(isIRI(?x))
          {{ ?x pkg:agent ?a ; pkg:role ?role . ?a skos:prefLabel ?label FILTER(lang(?label) = "zh")
             OPTIONAL {{ ?x pkg:listPosition ?pos }} }}
          UNION {{ ?x skos:prefLabel ?label FILTER(lang(?label) = "zh") }}
          UNION {{ ?x a pkg:Measure ; pkg:number ?n ; eli:title ?t BIND(CONCAT(?n, ?t) AS ?label) }}
          UNION {{ ?x eli:id_local ?label }}
          UNION {{ ?x rdfs:label ?label }}
        }}""")
    labels: dict[str, str] = {}
    order: dict[str, int] = {}
    for r in rows:
        role = r["role"].rsplit("#", 1)[-1] if r["role"] else None
        labels.setdefault(r["x"], f"{r['label']}（{ROLE_ZH.get(role, role)}）" if role else r["label"])
        if r["pos"] is not None:
            order[r["x"]] = int(r["pos"])
    return labels, order


