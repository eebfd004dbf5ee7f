"""Citations of other documents: 《…》（人社部发〔2023〕8号）, or a bare 文号."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from policykg.corpus.segment import DOC_NUMBER

from .model import Party


@dataclass
class Cited:
    start: int
    end: int
    doc_number: str | None
    title: str | None


_TITLED = re.compile(r"《(?P<title>[^《》\n]{2,150})》\s*(?:[（(](?P<num>[^（）()\n]{4,40})[）)])?")


#: Words that end the sentence before a bare 文号 and are never part of its prefix: 要按照国办发〔1993〕71号.
_BEFORE_NUMBER = re.compile(r".*(?:文件|按照|根据|依据|参照|对照|执行|贯彻|落实|印发|转发|结合|按|据|要|的|和|与|及|是|对|将|在|以|为|"
                            r"见|即|了|由|等|并|[、，。；：《》“”（）\s])")
_PRC = "中华人民共和国"


def canonical_doc_number(match: re.Match[str]) -> str:
    """文号 with the year in 〔〕, whatever brackets were printed: 国发[2019]3号 → 国发〔2019〕3号.
    A prefix caught with the words before it is trimmed (要按照国办发 → 国办发); 国务院令 is cited 国令."""
    if match.group("decree"):
        decree = match.group("decree")
        for k in range(len(_PRC)):
            if decree.startswith(_PRC[k:]) and len(decree) > len(_PRC) - k + 1:
                decree = decree[len(_PRC) - k:]
                break
        decree = "国令" if decree == "国务院令" else decree
        return f"{decree}第{match.group('dseq')}号"
    prefix = _BEFORE_NUMBER.sub("", match.group("prefix"))
    return f"{prefix}〔{match.group('year')}〕{match.group('seq')}号" if prefix else ""


_NUMBER_HINT = re.compile(r"[〔\[［(（【](?:19|20)\d{2}[〕\]］)）】]|令第\d")


def find_citations(text: str, own_number: str | None = None, start: int = 0) -> list[Cited]:
    found: list[Cited] = []
    for m in _TITLED.finditer(text, start):
        number = None
        if m.group("num"):
            n = DOC_NUMBER.search(m.group("num"))
            number = (canonical_doc_number(n) or None) if n else None
        found.append(Cited(m.start(), m.end(), number, m.group("title")))
    last_end = start
    for hint in _NUMBER_HINT.finditer(text, start):  # cheap scan; the full pattern only near a hint
        if hint.start() < last_end:
            continue
        hit = DOC_NUMBER.search(text, max(last_end, hint.start() - 14), hint.end() + 8)
        if hit is None or any(c.start <= hit.start() < c.end for c in found):
            continue
        last_end = hit.end()
        number = canonical_doc_number(hit)
        if number:
            found.append(Cited(hit.start(), hit.end(), number, None))
    seen, out = set(), []
    for c in sorted(found, key=lambda c: c.start):
        key = c.doc_number or c.title
        if key == own_number or key in seen or c.doc_number is None and not _looks_like_document(c.title):
            continue
        seen.add(key)
        out.append(c)
    return out


def _looks_like_document(title: str | None) -> bool:
    return bool(title and re.search(r"(?:通知|意见|方案|办法|决定|规定|条例|法|规划|纲要|规则|细则|批复|函|计划|标准|目录|指引|准则)$", title))


# -- 文号 prefix → issuer -----------------------------------------------------------------------
@lru_cache(maxsize=1)
def _issuer_prefixes() -> list[tuple[str, str, str]]:
    """(prefix, issuer name, jurisdiction), longest prefix first."""
    data = json.loads(resources.files("policykg.ontology").joinpath("doc_number_issuers.json")
                      .read_text("utf-8"))
    rows = [(p, name, jur) for jur, table in data["prefixes"].items() for p, name in table.items()]
    return sorted(rows, key=lambda r: -len(r[0]))


def issuer_of_doc_number(doc_number: str) -> Party | None:
    """``人社部发〔2023〕8号`` → the Party 人力资源和社会保障部; None where the prefix is not listed."""
    from policykg.ontology import load_registry

    from .parties import new_organisation
    prefix = re.split(r"[〔\[(（第]", doc_number, maxsplit=1)[0]
    for p, name, jur in _issuer_prefixes():
        if prefix.startswith(p):
            org = load_registry().resolve_mention(name, jur) or new_organisation(name, jur)
            return Party(org, p)
    return None
