"""Who is responsible for a measure, as notices write it.

Handled forms (each has a test in tests/test_layouts.py with an example):
``（责任单位：A、B）`` · ``（负责部门：A；适用范围：…）`` · ``（A、B负责）`` · ``（A会同有关部门负责）`` ·
``（A、B，各省级人民政府按职责分工负责）`` · ``（牵头单位：A，配合单位：B、C）`` · ``（A牵头，B、C参与）`` ·
``（A指导）`` · separate ``牵头单位：A`` / ``责任单位：B`` lines · the once-stated rule
``排在第一位的部门为牵头部门，下同`` · a default party stated once (``以下均需各市人民政府落实，不再列出``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from policykg.ontology import Registry, load_registry

from .model import Party, Responsibility
from .parties import is_name_like, is_org_like, resolve_list, resolve_party, split_parties

#: Labelled lists: ``牵头单位：`` → role of every party listed after it.
LABELS: dict[str, str] = {
    "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "主责部门": "lead", "牵头": "lead",
    "主办单位": "lead", "牵头责任单位": "lead", "牵头责任部门": "lead", "主要责任单位": "lead",
    "主体责任单位": "lead", "第一责任单位": "lead",
    "责任单位": "responsible", "责任部门": "responsible", "实施单位": "responsible",
    "负责单位": "responsible", "负责部门": "responsible", "落实单位": "responsible",
    "承办单位": "responsible", "责任主体": "responsible", "责任处室": "responsible", "责任科室": "responsible",
    "具体责任单位": "responsible", "工作责任单位": "responsible", "完成单位": "responsible",
    "配合单位": "support", "配合部门": "support", "参与单位": "support", "协办单位": "support",
    "协助单位": "support", "协同单位": "support", "参与部门": "support", "配合": "support",
    "协同责任单位": "support", "协同部门": "support", "协助部门": "support", "协作单位": "support",
    "配合责任单位": "support", "参加单位": "support", "协办部门": "support", "支持单位": "support",
    "指导单位": "guide", "指导部门": "guide", "督导单位": "guide",
    # labels that name no role: the verbs of the list say it (部门分工：省发展改革委牵头，各地、各部门配合)
    "部门分工": "responsible", "责任分工": "responsible", "任务分工": "responsible",
}
_LABEL_ALT = "|".join(sorted(LABELS, key=len, reverse=True))
_LABEL = re.compile(rf"(?P<label>{_LABEL_ALT})\s*[：:]\s*")
_LABEL_ANY = re.compile(rf"(?:{_LABEL_ALT})\s*[：:]")
#: Any other ``label：`` inside an annotation (适用范围：…, 完成时限：…) is skipped with what follows it.
_OTHER_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,6}[：:]")
#: Verbs after a party list: ``A、B负责`` → responsible.
_MANNER = r"(?:按职责分工|按照职责分工|按职责|根据职责分工|依据职责|依职责|分别|共同|积极|负责)?"
VERBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:为|是)(?:牵头|主责)(?:单位|部门)$"), "lead"),
    (re.compile(r"(?:为|是)(?:配合|参与|协办|协助)(?:单位|部门)$"), "support"),
    (re.compile(r"(?:为|是)(?:责任|实施)(?:单位|部门|主体)$"), "responsible"),
    (re.compile(_MANNER + r"(?:参与|配合|协助|参加|协同)(?:实施|落实|推进)?$"), "support"),
    (re.compile(r"(?:负总责|主抓|牵总|统筹(?:协调|推进|负责)?)$"), "lead"),
    (re.compile(r"(?:负责)?督促指导$"), "guide"),
    (re.compile(r"(?:按职责分工|按照职责分工|按职责|分别|共同|依职责|依据职责|根据职责分工|抓好|做好|切实|认真|负责|组织)*"
                r"(?:负责|落实|承担|组织实施|推进|实施)$"), "responsible"),
    (re.compile(r"(?:分别|共同|负责)?牵头(?:负责|落实|推进|督导|抓总)?$"), "lead"),
    (re.compile(r"(?:参与|配合|协助|参加|协同)$"), "support"),
    (re.compile(r"(?:负责)?指导$"), "guide"),
]
#: The once-stated rule that the first-listed party leads, for the rest of the document. (Every match
#: starts with 排, 列, 第 or 首: looking ahead for one lets the scan skip other characters at once.)
FIRST_LEADS = re.compile(r"(?=[排列第首])(?:排在|列|排名|排序|排)?(?:第一|首)(?:位|个)?的?(?:部门|单位|者)?(?:为|是)牵头")
#: A party stated once for the rest of the document: ``以下均需各市人民政府落实，不再列出``.
DEFAULT_PARTY = re.compile(
    r"(?:以下|下列|各项|上述)[^。；（）\n]{0,20}?(?:均需|均由|均要|均须|都需|需|由)(?P<who>(?:[^。；，（）\n]|（[^（）\n]{1,8}）){2,40}?)"
    r"(?:负责)?(?:组织)?(?:落实|实施|负责)[，,]?(?:以下|下文)?(?:均)?不再(?:一一|重复|单独)?列出"
    r"|(?:^|[。；（\n])(?P<who2>(?:[^。；，（）\n]|（[^（）\n]{1,8}）){2,40}?)(?:均需|均要|均须|均)(?:负责)?(?:组织)?"
    r"(?:落实|实施)[，,]?(?:以下|下文)(?:均)?不再(?:一一|重复|单独)?列出"
    r"|具体任务均涉及(?P<who3>(?:[^。；，（）\n]|（[^（）\n]{1,8}）){2,40}?)[，,]不再(?:做|进行)?分工", re.M)
#: Clauses after the parties that say when or how, not who: ``2023年底前完成``, ``持续推进``.
_ASIDE = re.compile(r"^\d{4}年|前完成|^持续|^长期|^逐步|完成$|^年底|^\d{1,2}月")
#: ``负责`` followed by what: 各省级人民政府负责本地区相关工作.
_RESPONSIBLE_FOR = re.compile(r"(?:按职责分工|分别)?负责(?=本地区|本部门|本行业|辖区|相关|具体|组织|督促|指导)")
#: A label in brackets with the names after it: 【牵头单位】市发改委【责任单位】市财政局、各区政府.
_BRACKETED_LABEL = re.compile(rf"[【〔\[](?P<label>{_LABEL_ALT})[】〕\]](?P<names>[^【〔\[\n。；]+)")
#: Responsibility stated in the prose, closing a sentence: ``…的问题，由A会同B负责落实。``
_PROSE = re.compile(r"(?<=[，,。；\n])由(?P<who>[^。；，,：“”《》\n]{2,60}?)(?P<verb>负责落实|负责实施|负责|牵头落实|牵头)(?=[。；])"
                    r"|(?<=[，,。；\n])由(?P<who2>[^。；，,：“”《》\n]{2,30}?会同[^。；，,：“”《》\n]{2,120}?等(?:有关|相关)?(?:部门|单位))")
#: The tail of a once-stated rule: 下同, 以下同, 后同.
_RULE_TAIL = re.compile(r"(?:以|后)?下同|后同")
#: Clauses that state a rule for other measures, not parties of this one: 以下各项工作均需…落实，不再列出;
#: 具体任务均涉及相关市（州）人民政府，不再做分工.
_RULE_CLAUSE = re.compile(r"不再(?:一一|重复|单独|另行)?(?:列出|做分工|分工|列明|明确)|以下各项|以下均|下列各项|具体任务均")
_BRACKETED_RULE = re.compile(r"（[^（）]*(?:下同|牵头[^（）]*单位|不再列出)[^（）]*）")
#: ``由`` / ``请`` before the parties: 由A负责, 请A牵头.
_BY_OR_ASKED = re.compile(r"^(?:由|请)")
#: Where a clause of an annotation ends: a comma or full stop outside brackets.
_CLAUSE_END = re.compile(r"[，,；;。](?![^（(]*[）)])")
_HUI_TONG = re.compile(r"^(?P<lead>.+?)(?:会同|联合|牵头会同)(?P<rest>.+)$")
#: Brackets an annotation is printed in: （…） with one level of nesting, 【…】, 〔…〕 and [...]
#: (文号 years such as 〔2023〕 are bracketed too, but say nothing about responsibility).
BRACKETED = re.compile(r"（(?P<body>[^（）\n]*(?:（[^（）\n]*）[^（）\n]*)*)）"
                    r"|【(?P<body2>[^【】\n]{2,300})】|〔(?P<body3>[^〔〕\n]{2,300})〕|[\[［](?P<body4>[^\[\]［］\n]{2,300})[\]］]")
_LINE_LABEL = re.compile(rf"^(?:{_LABEL_ALT})\s*[：:][^\n]*$", re.M)
#: A bracket holding a number only (an item's: （一）, （12）) states no responsibility.
_NUMBER_ONLY = re.compile(r"[0-9〇零一二三四五六七八九十百]+")
#: An annotation closes a sentence: it follows 。；… or starts a line, or ends one.
_BEFORE_OK = "。；！？;.\n"
_AFTER_OK = "。；;\n"


@dataclass
class Annotation:
    """One responsibility statement found in the text."""

    start: int  # offsets in the normalised text
    end: int
    responsibilities: list[Responsibility]
    states_first_leads: bool = False


@dataclass
class Rules:
    """Document-wide rules stated once: first-listed leads (from an offset on) and default parties."""

    first_leads_from: int | None = None
    defaults: list[tuple[int, list[Party]]] = field(default_factory=list)
    #: where the rules are stated (normalised-text spans)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def first_leads_at(self, pos: int) -> bool:
        return self.first_leads_from is not None and pos >= self.first_leads_from

    def default_at(self, pos: int) -> list[Party]:
        parties: list[Party] = []
        for start, found in self.defaults:
            if start <= pos:
                parties = found
        return parties


def find_rules(text: str, context: str | None, registry: Registry | None = None) -> Rules:
    """The once-stated rules of a document (where they are stated decides where they apply)."""
    registry = registry or load_registry()
    rules = Rules()
    m = FIRST_LEADS.search(text) if "牵头" in text else None  # every such rule ends in 牵头
    if m:
        # a rule inside an annotation covers that annotation too
        open_paren = text.rfind("（", 0, m.start())
        same = open_paren >= 0 and "）" not in text[open_paren:m.start()] and "\n" not in text[open_paren:m.start()]
        rules.first_leads_from = open_paren if same else m.start()
        rules.spans.append(m.span())
    if "不再" not in text:  # every default-party rule says so (不再列出, 不再分工); most notices have none
        return rules
    for d in DEFAULT_PARTY.finditer(text):
        who = _BY_OR_ASKED.sub("", d.group("who") or d.group("who2") or d.group("who3"))
        mentions = split_parties(who)
        if mentions and all(is_org_like(p, registry) for p in mentions):
            rules.defaults.append((d.start(), resolve_list(who, context, registry)))
            rules.spans.append(d.span())
    return rules


def bracketed_body(m: re.Match[str]) -> str:
    """The text inside the brackets a :data:`BRACKETED` match found."""
    return next(b for b in m.group("body", "body2", "body3", "body4") if b is not None)


def parse_statement(body: str, context: str | None, registry: Registry | None = None
                    ) -> tuple[list[Responsibility], bool] | None:
    """Parse the inside of an annotation; None when it is not about responsibility.

    Every listed name is a party: a name the registry does not know is kept as printed, and never
    costs the names beside it (``牵头单位：市发展改革委，配合单位：市委组织部，各区、县级市``)."""
    registry = registry or load_registry()
    first_leads = bool(FIRST_LEADS.search(body))
    # 区发改局、海曙生态环境分局（列第一位者为牵头或汇总单位，下同）: the rule is no party
    body = _BRACKETED_RULE.sub("", _separate_labels(body.strip().rstrip("。")))
    # A、B负责。列第一位者为牵头单位，下同 — a full stop inside the annotation ends a clause too
    clauses = [c.strip() for c in _CLAUSE_END.split(body)]
    result: list[Responsibility] = []
    pending = ""  # a bare list whose verb follows in the next clause: A、B，各省级人民政府按职责分工负责
    label_role: str | None = None  # a labelled list may run over several clauses
    skipping = False  # inside 适用范围：… and the like
    for clause in clauses:
        if not clause:
            continue
        if FIRST_LEADS.search(clause) or _RULE_TAIL.fullmatch(clause) or _RULE_CLAUSE.search(clause):
            continue
        m = _LABEL.match(clause)
        if m:
            skipping = False
            label_role = LABELS[m.group("label")]
            parties = _parties(clause[m.end():], context, registry, listed=True)
            if parties is None:  # 责任单位：A牵头，B、C参与 — the verbs say the roles
                verbed = _clause(clause[m.end():], context, registry) or _mixed_list(
                    clause[m.end():], label_role, context, registry)
                if verbed is None:
                    return None
                result += verbed
                continue
            result += [Responsibility(p, label_role) for p in parties]
            continue
        if _OTHER_LABEL.match(clause):
            skipping, label_role = True, None
            continue
        parsed = _clause(pending + clause, context, registry)
        if parsed is not None:
            pending, skipping, label_role = "", False, None
            result.extend(parsed)
            continue
        if skipping or (result and _ASIDE.search(clause)):
            continue
        if label_role is not None:  # 牵头单位：A，B → a list split by a comma
            parties = _parties(clause, context, registry, listed=True)
            if parties is not None:
                result += [Responsibility(p, label_role) for p in parties]
                continue
        if pending or not (mentions := split_parties(clause)) or not all(
                is_name_like(x) for x in mentions) or not any(is_org_like(x, registry) for x in mentions):
            return None
        pending = clause + "、"
    if pending or not result:
        return None
    return promote_lead(_dedupe(_marked_leads(result, context, registry))), first_leads


#: A lead marked beside its name in a list: 市发展改革委（牵头）, ★区发改委 (★ marks the lead in tables).
_LEAD_MARK = re.compile(r"^[★☆]\s*|（(?:牵头|牵头单位|牵头部门|主办|主责)）$")


def _marked_leads(items: list[Responsibility], context: str | None, registry: Registry) -> list[Responsibility]:
    """``责任单位：市发展改革委（牵头）、市财政局``: the marked party leads, named without its mark."""
    out = []
    for r in items:
        if _LEAD_MARK.search(r.party.mention):
            clean = _LEAD_MARK.sub("", r.party.mention)
            out.append(Responsibility(resolve_party(clean, r.party.org.jurisdiction or context, registry), "lead"))
        else:
            out.append(r)
    return out


def _mixed_list(text: str, role: str, context: str | None, registry: Registry) -> list[Responsibility] | None:
    """A labelled list whose items may carry their own verb: ``经济投资局和航空口岸局分别牵头、区发改局``
    → the first two lead, 区发改局 has the label's role."""
    out: list[Responsibility] = []
    for piece in re.split(r"[、，,](?![^（(]*[）)])", text):
        if not piece.strip():
            continue
        verbed = _clause(piece, context, registry)
        if verbed is None:
            parties = _parties(piece, context, registry, listed=True)
            if parties is None:
                return None
            verbed = [Responsibility(p, role) for p in parties]
        out += verbed
    return out or None


def _separate_labels(body: str) -> str:
    """``牵头单位：A 责任单位：B`` (the space lost in copying) → ``牵头单位：A；责任单位：B``; a longer
    label is never cut inside (``牵头责任单位：`` stays whole)."""
    out, pos = [], 0
    for m in _LABEL_ANY.finditer(body):
        if m.start() > 0 and body[m.start() - 1] not in "，,；;（(":
            out += [body[pos:m.start()].rstrip(), "；"]
            pos = m.start()
    return "".join(out) + body[pos:]


def promote_lead(items: list[Responsibility]) -> list[Responsibility]:
    """``A负责，B配合``: with supporters named and no lead, who is responsible before them leads."""
    roles = [r.role for r in items]
    if "support" not in roles or "lead" in roles:
        return items
    first_support = roles.index("support")
    return [Responsibility(r.party, "lead") if i < first_support and r.role == "responsible" else r
            for i, r in enumerate(items)]


def _clause(clause: str, context: str | None, registry: Registry) -> list[Responsibility] | None:
    clause = _BY_OR_ASKED.sub("", clause.strip().rstrip("。"))
    for pattern, role in VERBS:
        m = pattern.search(clause)
        if not m:
            continue
        names = clause[:m.start()].strip("，, ")
        if "由" in names:  # 此项工作由教育部负责 → 教育部
            names = names.rsplit("由", 1)[1]
        if not names:
            return None
        hui = _HUI_TONG.match(names)
        if hui:  # A会同B负责: A leads, B supports
            lead = _parties(hui.group("lead"), context, registry)
            rest = _parties(hui.group("rest"), context, registry)
            if lead is None or rest is None:
                return None
            return [Responsibility(p, "lead") for p in lead] + [Responsibility(p, "support") for p in rest]
        parties = _parties(names, context, registry)
        if parties is None:
            continue  # A牵头负责: 负责 alone leaves "A牵头"; the lead pattern reads it
        return [Responsibility(p, role) for p in parties]
    m = _RESPONSIBLE_FOR.search(clause)  # 各省级人民政府负责本地区相关工作
    if m:
        parties = _parties(clause[:m.start()], context, registry)
        if parties is not None:
            return [Responsibility(p, "responsible") for p in parties]
    return None


def _parties(names: str, context: str | None, registry: Registry, listed: bool = False) -> list[Party] | None:
    """The parties of a printed list, or None when it is not a list of names. After a role label
    (``listed``) every name counts; before a verb, one recognisable organisation vouches for the
    unknown names beside it (``立山经济开发区、区发改局负责``)."""
    names = names.strip("，,；; ")
    mentions = split_parties(names)
    if not mentions or "由" in names or not all(is_name_like(m) for m in mentions):
        return None
    if not listed and not any(is_org_like(m, registry) for m in mentions):
        return None
    return resolve_list(names, context, registry)


def _dedupe(items: list[Responsibility]) -> list[Responsibility]:
    seen, out = set(), []
    for r in items:
        if r.party.org.id not in seen:
            seen.add(r.party.org.id)
            out.append(r)
    return out


def closes_sentence(text: str, start: int, end: int, floor: int = 0) -> bool:
    """An unlabelled bracket is an annotation only where it closes a sentence or a line; in the middle of
    one (``（技工院校内由人力资源社会保障行政部门负责）``, followed by ``，``) it is an aside."""
    before = text[start - 1] if start > floor else "\n"
    after = text[end] if end < len(text) else "\n"
    return before in _BEFORE_OK or after in _AFTER_OK


def find_annotations(text: str, start: int, end: int, context: str | None,
                     registry: Registry | None = None) -> list[Annotation]:
    """Responsibility statements in text[start:end]: bracketed annotations and labelled lines."""
    registry = registry or load_registry()
    found = []
    for m in BRACKETED.finditer(text, start, end):
        body = bracketed_body(m)
        if _NUMBER_ONLY.fullmatch(body):
            continue  # （一）, （2）: an item's number, most of the brackets a notice prints
        labelled = _LABEL.match(body) is not None
        if not labelled and not closes_sentence(text, m.start(), m.end(), start):
            continue  # （技工院校内由…部门负责）， in the middle of a sentence
        parsed = parse_statement(body, context, registry)
        if parsed:
            found.append(Annotation(m.start(), m.end(), parsed[0], parsed[1]))
    if "】" in text[start:end] or "〕" in text[start:end]:  # 【牵头单位】市发改委【责任单位】市财政局
        for m in _BRACKETED_LABEL.finditer(text, start, end):
            if any(a.start <= m.start() < a.end for a in found):
                continue
            parsed = parse_statement(f"{m.group('label')}：{m.group('names')}", context, registry)
            if parsed:
                found.append(Annotation(m.start(), m.end(), parsed[0], parsed[1]))
    if "由" in text[start:end]:  # …的问题，由国土资源部会同农业部等部门负责落实。
        for m in _PROSE.finditer(text, start, end):
            if any(a.start <= m.start() < a.end for a in found):
                continue
            who, verb = (m.group("who"), m.group("verb")) if m.group("who") else (m.group("who2"), "负责")
            verbed = _clause(who + verb, context, registry)
            if verbed:
                found.append(Annotation(m.start(), m.end(), promote_lead(_dedupe(verbed)), False))
    if "：" in text[start:end] or ":" in text[start:end]:
        for m in _LINE_LABEL.finditer(text, start, end):
            if any(a.start <= m.start() < a.end for a in found):
                continue
            parsed = parse_statement(m.group(0), context, registry)
            if parsed:
                found.append(Annotation(m.start(), m.end(), parsed[0], parsed[1]))
    return sorted(found, key=lambda a: a.start)


def apply_first_leads(responsibilities: list[Responsibility]) -> list[Responsibility]:
    """Under a first-listed-leads rule the first party of a plain list is the lead."""
    if not responsibilities or any(r.role == "lead" for r in responsibilities):
        return responsibilities
    first = responsibilities[0]
    return [Responsibility(first.party, "lead")] + responsibilities[1:]


def add_default(responsibilities: list[Responsibility], parties: list[Party]) -> list[Responsibility]:
    """Add the parties a document named once for all its measures (``不再列出``)."""
    have = {r.party.org.id for r in responsibilities}
    return responsibilities + [Responsibility(p, "responsible") for p in parties if p.org.id not in have]
