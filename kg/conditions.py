"""Conditions: what someone must meet for something, with the alternatives.

``以具有合法稳定住所（含租赁）或合法稳定就业为户口迁移的基本条件`` → governs 户口迁移, any of
[合法稳定住所（含租赁）, 合法稳定就业].
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Each pattern names the requirement alternatives (``alts``) and what they govern (``governs``).
PATTERNS = [
    re.compile(r"以(?:具有|具备|拥有|满足)?(?P<alts>[^，。；]{2,80}?)为(?P<governs>[^，。；的]{2,16})的?(?:基本|前置|前提|必要|主要)?条件"),
    re.compile(r"(?P<governs>[^，。；]{2,16}?)(?:的)?(?:基本|前置|前提|必要|申请)?条件(?:为|是)[：:]?(?:具有|具备)?(?P<alts>[^。；]{2,80}?)(?=[。；]|$)"),
    re.compile(r"(?:具有|具备|满足|符合)(?P<alts>[^，。；]{2,60}?)(?:之一|条件)?的[^，。；]{0,12}?，(?:可以|可|均可|准予|允许)(?:申请|办理)?(?P<governs>[^，。；]{2,16})"),
]
_OR = re.compile(r"或者|或是|或")
#: Every pattern needs 条件 or one of these verbs.
_HINT = re.compile(r"具有|具备|满足|符合")
#: What every match of each pattern contains: a paragraph without it is not scanned by that pattern
#: (the second one tries up to sixteen characters at every start: most of the time conditions took).
REQUIRES = [re.compile("条件"), re.compile("条件[为是]"), _HINT]


@dataclass
class Requirement:
    start: int
    end: int
    governs: str
    any_of: list[str]


def find_conditions(text: str, start: int = 0, end: int | None = None) -> list[Requirement]:
    end = len(text) if end is None else end
    found: list[Requirement] = []
    chunk = text[start:end]
    if "条件" not in chunk and not _HINT.search(chunk):
        return found  # most paragraphs: one cheap test instead of three patterns
    for pattern, required in zip(PATTERNS, REQUIRES):
        if not required.search(chunk):
            continue
        for m in pattern.finditer(text, start, end):
            if any(r.start <= m.start() < r.end for r in found):
                continue
            alts = [a.strip("，,、 ") for a in _OR.split(m.group("alts")) if a.strip("，,、 ")]
            alts = [re.sub(r"^(?:具有|具备|拥有)", "", a) for a in alts]
            governs = re.sub(r"^(?:作为|申请)", "", m.group("governs"))
            found.append(Requirement(m.start(), m.end(), governs, alts))
    return sorted(found, key=lambda r: r.start)
