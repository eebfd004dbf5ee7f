"""Stable, readable IRIs: from the 文号 and the structural path, never random."""
from __future__ import annotations

import re

from policykg.ontology import ID

_DOC_NUMBER_PARTS = re.compile(r"^(?P<prefix>.+?)〔(?P<year>\d{4})〕(?P<seq>\d+)号$")


def doc_slug(key: str) -> str:
    """``桂人社发〔2023〕32号`` → ``桂人社发-2023-32``. A document without a 文号 (key: title｜issuers｜date)
    → the start of its title and a digest of the whole key: readable, short, and never shared by two
    documents that only have a title in common."""
    m = _DOC_NUMBER_PARTS.match(key)
    if m:
        return f"{m.group('prefix')}-{m.group('year')}-{m.group('seq')}"
    if "｜" not in key and DOC_NUMBER_LIKE.search(key):  # 国令第707号, 国办函〔2004〕57号 cited by number
        return re.sub(r"[\s<>\"{}|\\^`#?/%]+", "-", key).strip("-")[:80]
    import hashlib
    title = re.sub(r"[\s<>\"{}|\\^`#?/%｜]+", "-", key.split("｜")[0]).strip("-")[:24]
    return f"{title}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


#: A key that is a 文号 of another shape (decrees: 国令第707号).
DOC_NUMBER_LIKE = re.compile(r"第\d+号$|〔\d{4}〕\d+号$")


def document_iri(key: str) -> str:
    return f"{ID}doc/{doc_slug(key)}"


def fact_iri(doc_key: str, kind: str, local: str) -> str:
    """``fact_iri("桂人社发〔2023〕32号", "measure", "2.4")`` → …/doc/桂人社发-2023-32/measure/2.4"""
    return f"{document_iri(doc_key)}/{kind}/{local}"


def org_iri(org_id: str) -> str:
    return f"{ID}org/{org_id}"


def jurisdiction_iri(key: str) -> str:
    return f"{ID}jurisdiction/{key}"


REGISTRY_GRAPH = f"{ID}graph/registry"
ONTOLOGY_GRAPH = f"{ID}graph/ontology"
