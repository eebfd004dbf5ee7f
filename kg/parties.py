"""Organisation mentions in a document → Parties (registry organisations, new ones, collectives)."""
from __future__ import annotations

import re

from policykg.ontology import Organisation, Registry, load_registry

from .model import Party

#: An unknown name is taken for an organisation only if it ends like one.
ORG_SUFFIX = re.compile(
    r"(?:部|委|委员会|局|总局|厅|署|办|办公室|院|会|行|政府|中心|室|处|组|单位|部门|机构|集团|公司|银行|法院|检察院|军|队|社|所|站|台|馆)$")
_LIST_SPLIT = re.compile(r"[、，,；;]|以及|及(?=[\u4e00-\u9fff]{2,}(?:部|委|局|厅|署|会|院|政府))")
_ETC = re.compile(r"^(?P<head>.+?)等(?P<tail>(?:其他|各)?有关部门(?:和单位)?|相关部门|部门|单位)?$")


def _slug(name: str) -> str:
    return re.sub(r"[^\w\u4e00-\u9fff]+", "-", name).strip("-")


def new_organisation(name: str, jurisdiction: str | None) -> Organisation:
    """An organisation that is not in the registry, kept under the name printed."""
    return Organisation(id=f"new-{jurisdiction or 'x'}-{_slug(name)}", name=name,
                        jurisdiction=jurisdiction, in_registry=False)


def collective(name: str) -> Party:
    return Party(Organisation(id=f"collective-{_slug(name)}", name=name, in_registry=False),
                 name, collective=True)


def is_org_like(mention: str, registry: Registry | None = None) -> bool:
    registry = registry or load_registry()
    return bool(registry.resolve_mention(mention) or registry.is_collective(mention)
                or (2 <= len(mention) <= 30 and ORG_SUFFIX.search(mention)
                    and not re.search(r"[，。；：“”]", mention)))


def resolve_party(mention: str, context: str | None, registry: Registry | None = None) -> Party:
    """One mention; ``context`` is the jurisdiction key unprefixed names belong to."""
    registry = registry or load_registry()
    org = registry.resolve_mention(mention, context)
    if org:
        return Party(org, mention)
    if registry.is_collective(mention) or mention.startswith("各"):
        return collective(mention)
    key, _ = registry.split_prefix(mention)
    return Party(new_organisation(mention, key or context), mention)


def split_parties(text: str) -> list[str]:
    """``海关总署、商务部等有关部门`` → [海关总署, 商务部, 有关部门]."""
    pieces: list[str] = []
    for piece in _LIST_SPLIT.split(text):
        piece = piece.strip(" 　和")
        if not piece:
            continue
        m = _ETC.match(piece)
        if m and m.group("head") and not m.group("head").endswith("各"):
            pieces.append(m.group("head"))
            if m.group("tail"):
                pieces.append(m.group("tail"))
        else:
            pieces.append(piece)
    return pieces


def resolve_list(text: str, context: str | None, registry: Registry | None = None) -> list[Party]:
    """A printed list of organisations; a jurisdiction prefix carries over to the names after it
    (``自治区人力资源社会保障厅、发展改革委`` → both 广西)."""
    registry = registry or load_registry()
    parties, current = [], context
    for mention in split_parties(text):
        key, _ = registry.split_prefix(mention)
        if key:
            current = key
        parties.append(resolve_party(mention, current, registry))
    return parties
