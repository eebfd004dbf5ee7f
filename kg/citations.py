"""Citations of other documents: 《…》（人社部发〔2023〕8号）, or a bare 文号."""
from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.corpus.segment import DOC_NUMBER


@dataclass
class Cited:
    start: int
    end: int
    doc_number: str | None
    title: str | None


_TITLED = re.compile(r"《(?P<title>[^《》\n]{2,150})》\s*(?:[（(](?P<num>[^（）()\n]{4,40})[）)])?")


def canonical_doc_number(match: re.Match[str]) -> str:
    """文号 with the year in 〔〕, whatever brackets were printed: 国发[2019]3号 → 国发〔2019〕3号."""
    if match.group("decree"):
        return f"{match.group('decree')}第{match.group('dseq')}号"
    return f"{match.group('prefix')}〔{match.group('year')}〕{match.group('seq')}号"


def find_citations(text: str, own_number: str | None = None, start: int = 0) -> list[Cited]:
    found: list[Cited] = []
    for m in _TITLED.finditer(text, start):
        number = None
        if m.group("num"):
            n = DOC_NUMBER.search(m.group("num"))
            number = canonical_doc_number(n) if n else None
        found.append(Cited(m.start(), m.end(), number, m.group("title")))
    for m in DOC_NUMBER.finditer(text, start):
        if any(c.start <= m.start() < c.end for c in found):
            continue
        number = canonical_doc_number(m)
        found.append(Cited(m.start(), m.end(), number, None))
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
