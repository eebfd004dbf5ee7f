"""The organisation registry: who the departments are and every way notices name them.

The data lives in ``organisations.json`` beside this module; this module only reads it and
answers two questions: *which organisation does this mention in a document mean* (with the
document's jurisdiction as context) and *which organisations could a user mean by this name*.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

# English words that never identify an organisation on their own
_GENERIC_EN = {"department", "bureau", "ministry", "office", "administration", "commission",
               "general", "city", "national", "guangxi"}


@dataclass(frozen=True)
class Organisation:
    """One organisation: registry entry or one first met in a document."""

    id: str
    name: str
    jurisdiction: str | None = None
    en: str | None = None
    short: tuple[str, ...] = ()
    parent: str | None = None
    in_registry: bool = True


@dataclass(frozen=True)
class Jurisdiction:
    key: str
    name: str
    prefixes: tuple[str, ...]
    doc_number_prefixes: tuple[str, ...]
    level: str
    en: str


@dataclass
class Registry:
    """All known organisations, jurisdictions and collective parties."""

    organisations: list[Organisation]
    jurisdictions: dict[str, Jurisdiction]
    collectives: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {o.id: o for o in self.organisations}
        self._prefixes = sorted(
            ((p, j.key) for j in self.jurisdictions.values() for p in j.prefixes),
            key=lambda pair: -len(pair[0]))
        # (jurisdiction, base name) -> organisation; base names are the forms without prefix
        self._by_base: dict[tuple[str | None, str], Organisation] = {}
        self._full: dict[str, Organisation] = {}
        for o in self.organisations:
            self._full[o.name] = o
            for form in (o.name, *o.short):
                self._by_base.setdefault((o.jurisdiction, form), o)
            base = self.split_prefix(o.name)[1]
            self._by_base.setdefault((o.jurisdiction, base), o)

    # -- document side -------------------------------------------------------------------
    def split_prefix(self, mention: str) -> tuple[str | None, str]:
        """``自治区教育厅`` → (``gx``, ``教育厅``); no known prefix → (None, mention)."""
        for prefix, key in self._prefixes:
            if mention.startswith(prefix) and len(mention) > len(prefix):
                return key, mention[len(prefix):]
        return None, mention

    def resolve_mention(self, mention: str, context: str | None = None) -> Organisation | None:
        """The registry organisation a name printed in a document means, or None.

        ``context`` is the document's jurisdiction key; an unprefixed short form
        (``发展改革委``) means that jurisdiction's body first, then the national one.
        """
        mention = mention.strip()
        if mention in self._full:
            return self._full[mention]
        key, base = self.split_prefix(mention)
        order = [key] if key else [context, "cn"]
        for jur in order:
            if jur and (jur, base) in self._by_base:
                return self._by_base[(jur, base)]
        return None

    def jurisdiction_of_doc_number(self, doc_number: str) -> str | None:
        """``桂人社发〔2023〕32号`` → ``gx``: the jurisdiction a 文号 prefix reveals."""
        best: tuple[int, str] | None = None
        for j in self.jurisdictions.values():
            for p in j.doc_number_prefixes:
                if doc_number.startswith(p) and (best is None or len(p) > best[0]):
                    best = (len(p), j.key)
        return best[1] if best else None

    def is_collective(self, mention: str) -> bool:
        return mention in self.collectives

    # -- user side -----------------------------------------------------------------------
    def lookup(self, name: str, among: list[Organisation] | None = None) -> list[Organisation]:
        """Every organisation a user could mean by ``name`` (Chinese or English, any form).

        ``among`` restricts the candidates (e.g. to organisations present in the graph).
        """
        pool = among if among is not None else self.organisations
        query = name.strip()
        if not query:
            return []
        scoped = _SCOPED.match(query)  # 区发改局（鞍山市立山区）: a name and where it belongs
        if scoped:
            return [o for o in self.lookup(scoped.group("name"), pool)
                    if o.jurisdiction and o.jurisdiction.endswith(scoped.group("where"))]
        exact = [o for o in pool if query in (o.name, o.id) or (o.en and query.lower() == o.en.lower())]
        if exact:
            return exact
        # 立山区区发改局 / 鞍山市立山区区发改局: an organisation first met in a document, named with the
        # place it belongs to (the registry's own prefixes are handled below)
        local = [o for o in pool if not o.in_registry and o.jurisdiction and query.endswith(o.name)
                 and len(query) > len(o.name) and o.jurisdiction.endswith(query[:-len(o.name)])]
        if local:
            return local
        key, base = self.split_prefix(query)
        hits = [o for o in pool
                if (key is None or o.jurisdiction == key)
                and (base in o.short or base == o.name or base == self.split_prefix(o.name)[1])]
        if hits:
            return hits
        words = _en_words(query)
        if words - _GENERIC_EN:
            hits = [o for o in pool if o.en and words <= _en_words(o.en)]
            if hits:
                return hits
        # last resort: a Chinese substring of the full name (公安 → 公安厅)
        if re.search(r"[\u4e00-\u9fff]", query) and len(query) >= 2:
            return [o for o in pool if query in o.name]
        return []


#: ``区发改局（鞍山市立山区）`` or ``区发改局 (立山区)``: the form ambiguity messages suggest.
_SCOPED = re.compile(r"^(?P<name>.+?)\s*[（(](?P<where>[^（）()]+)[）)]$")


def _en_words(text: str) -> set[str]:
    """Lower-case English words of a name, with 'dept' read as 'department'."""
    words = {"department" if w == "dept" else w for w in re.findall(r"[a-z]+", text.lower())}
    return words - {"the", "of", "and", "for"}


def _org_from_json(entry: dict) -> Organisation:
    return Organisation(id=entry["id"], name=entry["name"], jurisdiction=entry.get("jurisdiction"),
                        en=entry.get("en"), short=tuple(entry.get("short", ())),
                        parent=entry.get("parent"))


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The bundled registry (read once per process)."""
    raw = json.loads(resources.files(__package__).joinpath("organisations.json").read_text("utf-8"))
    jurisdictions = {
        key: Jurisdiction(key=key, name=j["name"], prefixes=tuple(j["prefixes"]),
                          doc_number_prefixes=tuple(j.get("doc_number_prefixes", ())),
                          level=j["level"], en=j["en"])
        for key, j in raw["jurisdictions"].items()}
    return Registry([_org_from_json(e) for e in raw["organisations"]], jurisdictions,
                    list(raw.get("collectives", ())))
