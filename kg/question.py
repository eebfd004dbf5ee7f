"""Questions in plain Chinese or English → a structured query → SPARQL → an answer in the question's form.

Rules and the organisation registry only: no model, no network. Every rule the mapping uses lives in
``question_rules.json`` (intent patterns, topic synonyms, English terms, ordinals, fillers), loaded once
into ``QUESTION_RULES``; tests/test_question.py
shows real questions each rule handles. A question no rule maps is answered by full-text search,
labelled as such.

    >>> kg.query("教育厅负责几项措施").value
    4
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from policykg.ontology import ID, Organisation, load_registry

from .errors import DepartmentError, InputError

if TYPE_CHECKING:
    from typing import Callable

    from .reader import GraphReader

    #: Full-text search as a question uses it: (text, kind=, document=, limit=) → hits with ``iri`` and ``score``.
    Searcher = Callable[..., list[Any]]

# ---------------------------------------------------------------------------------------------
# The rules: one data place, question_rules.json (each family with what it is for under "_about").
# Patterns are matched on the question in lower case.
# ---------------------------------------------------------------------------------------------
def load_rules() -> dict[str, Any]:
    """The question rules of ``question_rules.json`` (package data): intents in the order they are
    tried, topics, English terms, count / lead / date words, fillers and question words."""
    import json
    from importlib import resources
    rules = json.loads(resources.files(__package__).joinpath("question_rules.json").read_text("utf-8"))
    return {k: v for k, v in rules.items() if not k.startswith("_")}


#: The rules, loaded once (see ``load_rules``).
QUESTION_RULES: dict[str, Any] = load_rules()

_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = r"[一二三四五六七八九十两\d]{1,3}"
_MEASURE_REF_ZH = [re.compile(rf"[（(]({_NUMERAL})[）)]"), re.compile(rf"第({_NUMERAL})[项条个点]"),
                   re.compile(rf"(?:措施|任务)({_NUMERAL})(?![\d])")]
_MEASURE_REF_EN = re.compile(r"\b(?:measure|item|task|action)\s*(?:no\.?|number|#)?\s*\(?(\d{1,3}|[ivx]{1,5}|"
                             r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\)?\b")
_ORDINAL_EN = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+"
                         r"(?:measure|item|task|action)\b")
_MONTHS_EN = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
              "nov": 11, "dec": 12}
_MONTH_EN = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
             r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_MONTH_ZH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
#: Dates as questions write them (named groups, read by ``find_dates``): 2024年1月15日 / 2024-01-15;
#: 2024年1月 / 2024-01; 15 July 2023 / July 15, 2023; July 2023; 7月15日; 7月 / 7月份 / 七月; a month name
#: (May and March only after in/by/before/…: they are English words too); a year (2023年, 2023).
_DATE = re.compile(
    r"(?P<y>\d{4})\s*(?:-|/|年|\.)\s*(?P<m>\d{1,2})\s*(?:-|/|月|\.)\s*(?P<d>\d{1,2})\s*日?"
    r"|(?P<ym_y>\d{4})\s*年\s*(?P<ym_m>\d{1,2})\s*月份?|(?P<iso_y>\d{4})-(?P<iso_m>\d{2})(?![-\d])"
    rf"|\b(?P<en_d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<en_m1>{_MONTH_EN})\.?,?\s+(?P<en_y1>\d{{4}})\b"
    rf"|\b(?P<en_m2>{_MONTH_EN})\.?\s+(?P<en_d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<en_y2>\d{{4}}))?\b"
    rf"|\b(?P<en_m3>{_MONTH_EN})\.?,?\s+(?P<en_y3>\d{{4}})\b"
    rf"|(?<![\d年])(?P<md_m>{_MONTH_ZH})\s*月\s*(?P<md_d>\d{{1,2}})\s*[日号]"
    rf"|(?<![\d年])(?P<mo_m>{_MONTH_ZH})\s*月份?(?!\d)"
    rf"|\b(?P<en_m5>{_MONTH_EN})\b"
    r"|(?<!\d)(?P<yr>\d{4})\s*年?(?!\d)", re.IGNORECASE)
_MONTH_PREPOSITION = re.compile(r"\b(?:in|by|before|after|until|since|from|of|during)\s+$", re.IGNORECASE)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[（(]\d{4}[〕\]）)]\d{1,4}号")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def chinese_number(text: str) -> int | None:
    """``四`` → 4, ``十二`` → 12, ``二十`` → 20, ``7`` → 7."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text.lower() in _ROMAN:
        return _ROMAN[text.lower()]
    if not text or any(c not in _ZH_DIGITS and c != "十" for c in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0) if ones else 0)
    return _ZH_DIGITS.get(text)


def measure_ordinal(number: str) -> int | None:
    """The integer of a measure number as printed: （四） → 4, 4. → 4, (12) → 12."""
    core = re.sub(r"[（）()、.．\s第项条]", "", number)
    return chinese_number(core)


def _any(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


# ---------------------------------------------------------------------------------------------
# Structured query and answer
# ---------------------------------------------------------------------------------------------
@dataclass
class StructuredQuery:
    """How a question was understood."""

    intent: str  # measures | departments | co_departments | targets | deadlines | conditions | issuers | search
    count: bool = False
    department: str | None = None  # canonical Chinese name
    department_iri: str | None = None
    department_mention: str | None = None  # as written in the question
    also: list[str] = field(default_factory=list)  # more departments that must share the measure (names)
    also_iris: list[str] = field(default_factory=list)
    role: str | None = None  # lead, when the question asks who leads
    measures: list[str] = field(default_factory=list)  # numbers as printed, e.g. （四）
    measure_iris: list[str] = field(default_factory=list)
    document: str | None = None  # 文号 named in the question
    document_iri: str | None = None
    topic: str | None = None
    topic_terms: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # other words of the question, matched in the text
    before: str | None = None  # ISO date (inclusive: 前 / by)
    on: str | None = None
    month: str | None = None  # a month (07) or day (07-15) of any year: 7月份, 7月15日, in July
    after: str | None = None
    next: bool = False
    today: str | None = None
    text: str | None = None  # search text (fallback)
    #: the facts the full-text index finds for ``topic_terms`` / ``words`` (IRIs), when it was asked
    matches: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [], False) and k != "matches"}

    def summary(self) -> str:
        parts = [self.intent + (" (count)" if self.count else "")]
        if self.document:
            parts.append(f"document={self.document}")
        if self.department:
            parts.append(f"department={self.department}" + "".join(f" & {a}" for a in self.also))
        if self.role:
            parts.append(f"role={self.role}")
        if self.measures:
            parts.append("measure=" + "".join(self.measures))
        if self.topic:
            parts.append(f"topic={self.topic} ({'/'.join(self.topic_terms)})")
        if self.words:
            parts.append(f"words={'/'.join(self.words)}")
        if self.before:
            parts.append(f"before={self.before}")
        if self.on:
            parts.append(f"on={self.on}")
        if self.month:
            parts.append(f"month={self.month} (any year)")
        if self.after:
            parts.append(f"after={self.after}")
        if self.next:
            parts.append(f"next after {self.today}")
        if self.text:
            parts.append(f"text={self.text}")
        if self.matches is not None:
            parts.append(f"{len(self.matches)} found by full-text search")
        return " · ".join(parts)


@dataclass
class Answer:
    """An answer in the form of the question: a list (``items``), a number (``value``), dates…"""

    question: str
    query: StructuredQuery
    sparql: str
    kind: str  # measures | departments | co_departments | targets | deadlines | conditions | issuers | count | search
    items: list[dict[str, Any]]
    value: int | None = None  # for counts
    understood: bool = True
    note: str | None = None
    fallback: str | None = None  # "full-text search" or "SPARQL text match" when not understood

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "understood": self.understood, "query": self.query.to_dict(),
                "kind": self.kind, "value": self.value, "note": self.note, "fallback": self.fallback,
                "items": self.items, "sparql": self.sparql}

    @property
    def headline(self) -> str:
        """One line saying what was found, in the question's form."""
        q = self.query
        if not self.understood:
            return (f"Could not map the question to a structured query; {self.fallback} results for "
                    f"'{q.text}' ({len(self.items)}):")
        if self.kind == "count":
            what = {"measures": "measures", "targets": "targets", "deadlines": "deadlines",
                    "conditions": "conditions", "departments": "departments",
                    "co_departments": "departments", "issuers": "documents"}.get(q.intent, q.intent)
            return f"{self.value} {what}"
        if self.kind == "deadlines":
            dates = sorted({i["date"] for i in self.items})
            return ", ".join(dates) if dates else "no deadline found"
        if self.kind == "issuers":
            if len(self.items) == 1:
                return f"{self.items[0]['document']} was issued by {'、'.join(self.items[0]['issuers'])}"
            return f"{len(self.items)} documents" if self.items else "no document found"
        return f"{len(self.items)} {self.kind.replace('_', ' ')}" if self.items else f"no {self.kind} found"


# ---------------------------------------------------------------------------------------------
# Understanding
# ---------------------------------------------------------------------------------------------
@dataclass
class _Dept:
    iri: str
    name: str
    mention: str
    strong: bool  # unmistakably a department (not a topic word that also names one)
    words: frozenset = frozenset()


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _en_words(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"[a-z]+", text.lower())]


_ORG_SUFFIX = r"(?:厅|局|部|委员会|委|会|办公室|办|院|署|行|司|处|中心|政府|集团|公司)$"
_GENERIC_EN = {"department", "dept", "bureau", "ministry", "office", "administration", "commission", "general",
               "city", "national", "guangxi", "the", "of", "and", "for", "people", "government"}


def find_department(kg: "GraphReader", question: str) -> _Dept | None:
    """The department a question names (any form the registry knows, Chinese or English), or None.

    Raises ``DepartmentError`` when the name is ambiguous (the candidates are listed)."""
    registry = load_registry()
    active = {d.iri: d for d in kg.departments()}
    orgs = [o for o, _ in kg.organisations()]
    # Chinese: the longest registry form present in the question
    forms: list[tuple[str, str]] = []
    for o in orgs:
        for form in {o.name, *o.short, registry.split_prefix(o.name)[1]}:
            # an organisation first met in a document needs a name that cannot be a common word (部门)
            if len(form) >= 2 and (o.in_registry or (len(form) >= 3 and re.search(_ORG_SUFFIX, form))):
                forms.append((form, o.id))
    forms.sort(key=lambda f: -len(f[0]))
    prefixes = sorted({p for j in registry.jurisdictions.values() for p in j.prefixes}, key=len, reverse=True)
    for form, _ in forms:
        at = question.find(form)
        if at < 0 or (form.endswith("部") and question[at + len(form):at + len(form) + 1] == "门"):
            continue
        mention = form
        for p in prefixes:
            if question[:at].endswith(p):
                mention = p + form
                break
        org = kg.resolve_department(mention)
        return _Dept(f"{ID}org/{org.id}", org.name, mention, True)
    # Chinese: "教育部门" / "公安部门" — the words before 部门
    for m in re.finditer(r"([\u4e00-\u9fff]{2,4})部门", question):
        stem = m.group(1)
        for k in range(min(4, len(stem)), 1, -1):
            try:
                org = kg.resolve_department(stem[-k:])
            except DepartmentError:  # only "no such department": anything else is a bug
                continue
            return _Dept(f"{ID}org/{org.id}", org.name, stem[-k:] + "部门", True)
    # English: a label written out in full (Ministry of Finance), the longest first
    low = question.lower()
    labelled = sorted(((o, o.en) for o in orgs if o.en and o.en.lower() in low), key=lambda p: -len(p[1]))
    if labelled:
        longest = [(o, en) for o, en in labelled if len(en) == len(labelled[0][1])]
        active_top = [(o, en) for o, en in longest if f"{ID}org/{o.id}" in active] or longest
        if len(active_top) == 1:
            o, en = active_top[0]
            return _Dept(f"{ID}org/{o.id}", o.name, en, True, frozenset(_en_words(en)) - _GENERIC_EN)
    # English: an organisation whose distinctive words all occur in the question
    words = set(_en_words(question))
    if not words:
        return None
    has_org_word = bool(re.search(QUESTION_RULES["org_words"], question.lower()))
    best: list[tuple[int, bool, Organisation, frozenset[str]]] = []
    for pool in ([o for o in orgs if f"{ID}org/{o.id}" in active], orgs):
        scored: list[tuple[int, bool, Organisation, frozenset[str]]] = []
        for o in pool:
            if not o.en:
                continue
            distinct = {w for w in _en_words(o.en) if w not in _GENERIC_EN}
            shared = distinct & words
            if not distinct or not shared:
                continue
            full = shared == distinct
            if full or len(shared) >= 2 or has_org_word:
                scored.append((len(shared), full, o, frozenset(shared)))
        if scored:
            most = max(s[0] for s in scored)
            best = [s for s in scored if s[0] == most]
            if len(best) > 1:
                best = [s for s in best if s[1]] or best
            break
    if not best:
        return None
    if len(best) > 1:
        if not has_org_word and best[0][0] < 2:
            return None  # one topic word (education) that several bodies share: read it as a topic
        raise DepartmentError(" ".join(sorted(best[0][3])), [s[2] for s in best])
    n, full, o, overlap = best[0]
    strong = has_org_word or n >= 2
    return _Dept(f"{ID}org/{o.id}", o.name, " ".join(sorted(overlap)), strong, overlap)


def find_topic(question: str) -> tuple[str, list[str]] | None:
    """The topic a question is about (住房, 教育, 落户 …) with the terms searched for it."""
    low = question.lower()
    best = None
    for topic, (terms, names) in QUESTION_RULES["topics"].items():
        for name in names:
            if re.search(r"[a-z]", name):
                hit = re.search(rf"\b{re.escape(name)}\b", low) is not None
            else:
                hit = name in question
            if hit and (best is None or len(name) > best[0]):
                best = (len(name), topic, terms)
    return (best[1], list(best[2])) if best else None


def find_measure_numbers(question: str) -> list[int]:
    """Measure numbers a question refers to: （四）, 第四项, 措施4, measure 4, the fourth measure."""
    out: list[int] = []
    for rx in _MEASURE_REF_ZH:
        for m in rx.finditer(question):
            n = chinese_number(next(g for g in m.groups() if g))
            if n is not None and n not in out:
                out.append(n)
    low = question.lower()
    for m in _MEASURE_REF_EN.finditer(low):
        n = QUESTION_RULES["numbers_en"].get(m.group(1)) or chinese_number(m.group(1))
        if n is not None and n not in out:
            out.append(n)
    for m in _ORDINAL_EN.finditer(low):
        n = QUESTION_RULES["ordinals_en"][m.group(1)]
        if n not in out:
            out.append(n)
    return out


def _month(text: str) -> int:
    """``7`` / ``七`` / ``十二`` / ``July`` / ``jul`` → the month's number."""
    return _MONTHS_EN[text[:3].lower()] if text[:1].isalpha() and text.isascii() else chinese_number(text) or 0


def find_dates(question: str) -> list[tuple[str, int, int, str]]:
    """Dates written in the question with their spans and what they name: (ISO form, start, end, unit).

    unit ``day``: 2024-01-15 (2024年1月15日, 15 July 2024); ``month``: 2024-01 (2024年1月, July 2024);
    ``year``: 2023 (2023年, 2023; 2023年底 → the day 2023-12-31); ``month of any year``: --07 (7月份, in July)
    or --07-15 (7月15日) — XSD's gMonth / gMonthDay forms."""
    out = []
    for m in _DATE.finditer(question):
        g = {k: v for k, v in m.groupdict().items() if v}
        if "y" in g:
            iso, unit = f"{int(g['y']):04d}-{int(g['m']):02d}-{int(g['d']):02d}", "day"
        elif "ym_y" in g or "iso_y" in g:
            iso, unit = f"{int(g.get('ym_y') or g['iso_y']):04d}-{int(g.get('ym_m') or g['iso_m']):02d}", "month"
        elif "en_y1" in g or "en_y2" in g:
            y, mo, d = g.get("en_y1") or g["en_y2"], _month(g.get("en_m1") or g["en_m2"]), g.get("en_d1") or g["en_d2"]
            iso, unit = f"{int(y):04d}-{mo:02d}-{int(d):02d}", "day"
        elif "en_d2" in g:
            iso, unit = f"--{_month(g['en_m2']):02d}-{int(g['en_d2']):02d}", "month of any year"
        elif "en_y3" in g:
            iso, unit = f"{int(g['en_y3']):04d}-{_month(g['en_m3']):02d}", "month"
        elif "md_m" in g:
            iso, unit = f"--{_month(g['md_m']):02d}-{int(g['md_d']):02d}", "month of any year"
        elif "mo_m" in g:
            iso, unit = f"--{_month(g['mo_m']):02d}", "month of any year"
        elif "en_m5" in g:
            if g["en_m5"].lower() in ("may", "march") and not _MONTH_PREPOSITION.search(question[:m.start()]):
                continue  # "what may be due": the verb, not the month
            iso, unit = f"--{_month(g['en_m5']):02d}", "month of any year"
        elif question[m.end():m.end() + 1] == "底" or question[m.end():m.end() + 2] == "年底":
            iso, unit = f"{g['yr']}-12-31", "day"  # 2023年底前 → by 2023-12-31
        else:
            iso, unit = g["yr"], "year"
        out.append((iso, m.start(), m.end(), unit))
    return out


def _period(iso: str, unit: str) -> tuple[str, str]:
    """First and last day of a date found by ``find_dates``: 2023-07 → (2023-07-01, 2023-07-31)."""
    import calendar
    if unit == "year":
        return f"{iso}-01-01", f"{iso}-12-31"
    if unit == "month":
        y, m = int(iso[:4]), int(iso[5:7])
        return f"{iso}-01", f"{iso}-{calendar.monthrange(y, m)[1]:02d}"
    return iso, iso


def _intent(question: str) -> str | None:
    low = question.lower()
    for intent, patterns in QUESTION_RULES["intents"].items():
        if _any(patterns, low):
            return intent
    return None


def understand(kg: "GraphReader", question: str, today: str | None = None,
               search: "Searcher | None" = None) -> StructuredQuery:
    """Map a question onto a StructuredQuery (intent ``search`` when no rule applies); ``search`` finds
    measures by their words (without it, the words are matched in the text)."""
    q = question.strip()
    low = q.lower()
    today = today or date.today().isoformat()
    doc = _DOC_NUMBER.search(q)
    doc_iri = None
    if doc:
        doc_iri = kg.document_iri(doc.group(0))  # raises DocumentNotFound with the stored ones
        q = q.replace(doc.group(0), " ")
        low = q.lower()
    dept = find_department(kg, q)
    rest = q.replace(dept.mention, " ") if dept and dept.strong else q
    if dept and dept.words:  # English: the department's words are no topic
        rest = re.sub(r"\b(?:" + "|".join(sorted(dept.words)) + r")s?\b", " ", rest, flags=re.I) if dept.strong else rest
    second = find_department(kg, rest) if dept and dept.strong and rest != q else None
    if second and dept and second.iri != dept.iri:
        rest = rest.replace(second.mention, " ")
    else:
        second = None
    topic = find_topic(rest)
    numbers = find_measure_numbers(q)
    intent = _intent(q)
    count = _any(QUESTION_RULES["count"], low)
    sq = StructuredQuery(intent or "search", count=count, today=today)
    if doc:
        sq.document, sq.document_iri = doc.group(0), doc_iri

    if intent == "co_departments" and second and re.search(r"措施|任务|工作|事项|measures?|tasks?", low):
        intent = "measures"  # 教育厅和公安厅共同负责哪些措施: the measures both have a part in
    if intent == "co_departments" and not dept:
        intent = "departments" if numbers or topic else _intent_without(q, "co_departments")
    if intent == "departments" and not numbers and not topic and dept:
        intent = "co_departments" if re.search(r"其他|别的|other", low) else "measures"
    if intent == "measures" and not dept and not topic and not re.search(r"措施|任务|measures?|tasks?", low):
        intent = None
    if intent == "targets" and dept and not dept.strong and topic is None:
        # "targets for education": a topic word that also names a department is read as the topic
        topic = find_topic(q)
        dept = None if topic else dept
    if intent in ("targets", "conditions", "deadlines") and dept and not dept.strong:
        topic = topic or find_topic(q)
        dept = None if topic else dept

    if intent == "issuers":  # 这个文件是谁发的 / 教育厅发了哪些文件
        sq.intent = "issuers"
        if dept and dept.strong:
            sq.department, sq.department_iri, sq.department_mention = dept.name, dept.iri, dept.mention
        return sq
    en_words = english_terms(rest)
    if intent is None and (count or _any(QUESTION_RULES["quantity"], low)) \
            and (free_words(q, *([dept.mention] if dept and dept.strong else [])) or en_words):
        intent, sq.count = "targets", False  # 保障性租赁住房建多少套: a quantity, found among the targets
        if en_words:
            topic = None  # the question's own words say more than a topic
    if intent is None:
        sq.intent = "search"
        sq.text = _search_text(q)
        return sq
    sq.intent = intent
    if dept and intent in ("measures", "co_departments", "targets", "deadlines") or (dept and intent == "departments"):
        sq.department, sq.department_iri, sq.department_mention = dept.name, dept.iri, dept.mention
        if second and intent in ("measures", "targets"):
            sq.also, sq.also_iris = [second.name], [second.iri]
    if intent in ("measures", "departments") and _any(QUESTION_RULES["lead"], low):
        sq.role = "lead"
    if sq.department and dept and not dept.strong:
        topic = None  # "what does education own": the word named the department, not a topic
    words = free_words(q, *([dept.mention] if dept and dept.strong else []), *([second.mention] if second else []))
    if topic and any(len(w) > len(name) and name in w for w in words for name in [_topic_name(q, topic[0])]):
        topic = None  # 乡村工匠 says more than the topic 技能培训 its 工匠 names: match the words
    if topic:
        sq.topic, sq.topic_terms = topic
    if intent == "departments":
        pool = [m for m in kg.measures() if not doc_iri or m.iri.startswith(doc_iri + "/")]
        ms = [m for m in pool if numbers and measure_ordinal(m.number) in numbers]
        if not ms and topic:
            ms = _measures_by_topic(pool, topic[1])
        if not ms and not numbers and words:
            found = search_facts(search, words, "measure", sq.document)
            ms = [m for m in pool if (m.iri in found if found is not None else all(w in m.text for w in words))]
        sq.measures = [m.number for m in ms]
        sq.measure_iris = [m.iri for m in ms]
        if not ms and (numbers or topic):
            sq.measures = [f"#{n}" for n in numbers]  # named but not found: answered with nothing
    if intent == "deadlines":
        dates = find_dates(q)
        (before_zh, before_en), (after_zh, after_en) = QUESTION_RULES["before"], QUESTION_RULES["after"]
        for iso, start, end, unit in dates:
            tail, head = q[end:end + 4].lower(), q[max(0, start - 16):start].lower()
            if unit == "month of any year":  # 7月份要交什么: that month (and day), whatever the year
                sq.month = iso[2:]
                continue
            first, last = _period(iso, unit)
            if re.match(rf"\s*(?:{after_zh})", tail) or re.search(rf"(?:{after_en})\s*$", head):
                sq.after = first if unit == "day" else last
            elif re.match(rf"\s*底?(?:{before_zh})", tail) or re.search(rf"(?:{before_en})\s*$", head) \
                    or re.search(r"截至|截止到?\s*$", head) or re.search(r"\bend of\s*$", head):
                end_of = tail.startswith("底") or re.search(r"\b(?:end of|by)\s*$|截至|截止", head)
                sq.before = last if end_of else first
            elif unit == "day":
                sq.on = first
            else:  # within the month or year: after the day before its first, by its last
                from datetime import timedelta
                sq.after = (date.fromisoformat(first) - timedelta(days=1)).isoformat()
                sq.before = last
        sq.next = _any(QUESTION_RULES["next"], low) and not dates
    if not sq.next:
        sq.today = None
    if not topic and intent in ("measures", "targets", "conditions", "deadlines", "departments") \
            and not sq.measures:
        sq.words = words or [w for w in en_words if not re.search(r"[a-z]", w)]
    return sq


def english_terms(question: str) -> list[str]:
    """The Chinese words the English words of a question stand for (``QUESTION_RULES["en_terms"]``),
    longest English entries first: "how many kindergartens" → [幼儿园]."""
    low, out = question.lower(), []
    for en, zh in sorted(QUESTION_RULES["en_terms"].items(), key=lambda kv: -len(kv[0])):
        pattern = rf"\b{re.escape(en)}(?:s|es)?\b"
        if re.search(pattern, low):
            low = re.sub(pattern, " ", low)
            if zh not in out:
                out.append(zh)
    return out


def _topic_name(question: str, topic: str) -> str:
    """The word of the question that named ``topic`` (the longest of the topic's names found)."""
    _terms, names = QUESTION_RULES["topics"][topic]
    low = question.lower()
    found = [n for n in names if (n in question if not re.search(r"[a-z]", n) else n in low)]
    return max(found, key=len) if found else topic


def free_words(question: str, *department_mentions: str) -> list[str]:
    """The Chinese words of a question no rule consumed: 乡村工匠的目标是多少 → [乡村工匠]."""
    text = question
    for mention in department_mentions:
        text = text.replace(mention, " ")
    text = _DATE.sub(" ", text)
    for rx in _MEASURE_REF_ZH:
        text = rx.sub(" ", text)
    patterns = [zh for zh, _en in QUESTION_RULES["intents"].values()]
    patterns += [QUESTION_RULES[k][0] for k in ("count", "lead", "next", "before", "after")]
    for p in patterns:
        text = re.sub(p, " ", text)
    text = re.sub(QUESTION_RULES["question_words"], " ", text, flags=re.I)
    text = re.sub(QUESTION_RULES["filler"], " ", text)
    return [w for w in re.findall(r"[\u4e00-\u9fff]{2,}", text)][:5]


def _intent_without(question: str, skip: str) -> str | None:
    low = question.lower()
    for intent, patterns in QUESTION_RULES["intents"].items():
        if intent != skip and _any(patterns, low):
            return intent
    return None


def _measures_by_topic(measures, terms: list[str]):
    """Measures whose title names the topic; else those whose text mentions it most (≥ half the best)."""
    by_title = [m for m in measures if any(t in m.title for t in terms)]
    if by_title:
        return by_title
    scored = [(sum(m.text.count(t) for t in terms), m) for m in measures]
    best = max((s for s, _ in scored), default=0)
    return [m for s, m in scored if best and s * 2 >= best]


def _search_text(question: str) -> str:
    text = re.sub(QUESTION_RULES["question_words"], " ", question, flags=re.I)
    return " ".join(text.split()) or question.strip()


# ---------------------------------------------------------------------------------------------
# SPARQL and answers
# ---------------------------------------------------------------------------------------------
def _lit(text: str) -> str:
    from .store import sparql_string
    return sparql_string(text)


def _contains(var: str, terms: list[str]) -> str:
    return " || ".join(f"CONTAINS({var}, {_lit(t)})" for t in terms)


@dataclass
class Select:
    """One SELECT query, built from parts: the variable listed (or counted), more columns, the
    patterns of its WHERE clause in order, and grouping, order and limit. Every intent's SPARQL is
    made by one of these, so the filters (department, document, topic and words, dates) are written once."""

    var: str
    columns: str = ""
    patterns: list[str] = field(default_factory=list)
    group_by: str = ""
    order_by: str = ""
    limit: int | None = None

    def where(self, *patterns: str) -> Select:
        """Add patterns (triples, FILTER, BIND, VALUES, OPTIONAL) to the WHERE clause, in order."""
        self.patterns += patterns
        return self

    def values(self, var: str, iris: list[str]) -> Select:
        """Keep ``var`` to ``iris``."""
        return self.where(f"VALUES {var} {{ {' '.join(f'<{i}>' for i in iris)} }}")

    def linked(self, path: str, iri: str | None, subject: str = "") -> Select:
        """When ``iri`` is given, ``subject`` (``var`` unless named) must reach it by ``path``: the
        department or the document asked about."""
        return self.where(f"{subject or self.var} {path} <{iri}> .") if iri else self

    def text(self, sq: StructuredQuery, topic_vars: list[str], word_vars: list[str]) -> Select:
        """Keep ``var`` to the question's topic and words: the facts the full-text index found
        (``VALUES``), or — without an index — text containment in ``topic_vars`` / ``word_vars``."""
        if sq.matches is not None:
            return self.values(self.var, sq.matches)
        if sq.topic_terms:
            self.where(f"FILTER({' || '.join(_contains(v, sq.topic_terms) for v in topic_vars)})")
        return self.words(sq.words, word_vars)

    def words(self, words: list[str], text_vars: list[str]) -> Select:
        """Keep to rows where one of ``text_vars`` contains each of ``words``."""
        return self.where(*(f"FILTER({' || '.join(f'CONTAINS({v}, {_lit(w)})' for v in text_vars)})"
                            for w in words))

    def dates(self, sq: StructuredQuery, due: str) -> Select:
        """Keep the ISO date ``due`` in the question's range: by ``before``, on ``on``, in ``month`` of any
        year (07 or 07-15: the characters after YYYY-), after ``after``, from ``today`` on for the next."""
        if sq.before:
            self.where(f"FILTER({due} <= {_lit(sq.before)})")
        if sq.on:
            self.where(f"FILTER({due} = {_lit(sq.on)})")
        if sq.month:
            self.where(f"FILTER(SUBSTR({due}, 6, {len(sq.month)}) = {_lit(sq.month)})")
        if sq.after:
            self.where(f"FILTER({due} > {_lit(sq.after)})")
        if sq.next:
            self.where(f"FILTER({due} >= {_lit(sq.today or '')})")
            self.limit = 10
        return self

    def sparql(self, count: bool = False) -> str:
        """The query text; ``count``: how many distinct ``var`` match instead of the rows."""
        where = "\n  ".join(self.patterns)
        if count:
            return f"SELECT (COUNT(DISTINCT {self.var}) AS ?count) WHERE {{\n  {where}\n}}"
        tail = (f" GROUP BY {self.group_by}" if self.group_by else "") \
            + (f" ORDER BY {self.order_by}" if self.order_by else "") \
            + (f" LIMIT {self.limit}" if self.limit is not None else "")
        return f"SELECT DISTINCT {' '.join(filter(None, [self.var, self.columns]))} WHERE {{\n  {where}\n}}{tail}"


_ZH_NAME = '?org skos:prefLabel ?name FILTER(lang(?name) = "zh")'


def _issuers(sq: StructuredQuery) -> Select:
    q = Select("?document", "?number ?title ?issuer ?head", order_by="?number ?title").where(
        "?document pkg:sourceText ?source ; eli:title ?title ; pkg:issuer ?org .",
        "BIND(SUBSTR(?source, 1, 2000) AS ?head)  # the header, to list the issuers as printed",
        "OPTIONAL { ?document eli:id_local ?number }",
        '?org skos:prefLabel ?issuer FILTER(lang(?issuer) = "zh")')
    if sq.department_iri:
        q.values("?org", [sq.department_iri])
    return q.values("?document", [sq.document_iri]) if sq.document_iri else q


def _measures(sq: StructuredQuery) -> Select:
    q = Select("?measure", "?number ?title").where(
        "?measure a pkg:Measure ; pkg:number ?number ; eli:title ?title ; pkg:text ?text .")
    if sq.department_iri:
        role = " ; pkg:role pkg:lead" if sq.role else ""
        q.where(f"?measure pkg:responsibility ?r . ?r pkg:agent <{sq.department_iri}>{role} .")
    for iri in sq.also_iris:
        q.linked("pkg:responsibility/pkg:agent", iri)
    return q.text(sq, ["?title", "?text"], ["?text"]).linked("eli:is_part_of", sq.document_iri)


def _departments(sq: StructuredQuery) -> Select:
    """The departments of the measures asked about (each role, in the order listed) — or, when none is
    named, every department with how many measures it has a part in."""
    role = " ; pkg:role pkg:lead" if sq.role else " ; pkg:role ?role"
    if sq.measures:
        q = Select("?org", "?measure ?number ?name ?role ?pos", order_by="?measure ?pos")
        q.values("?measure", sq.measure_iris)
    else:
        q = Select("?org", "?name (COUNT(DISTINCT ?measure) AS ?measures)", group_by="?org ?name",
                   order_by="DESC(?measures) ?name")
    q.where("?measure a pkg:Measure ; pkg:number ?number ; pkg:text ?text ; pkg:responsibility ?r .",
            f"?r pkg:agent ?org{role} ; pkg:listPosition ?pos .", _ZH_NAME)
    # a topic chose the measures (sq.measures) already; left-over words are matched in their text
    return q.words(sq.words, ["?text"]).linked("eli:is_part_of", sq.document_iri, "?measure")


def _co_departments(sq: StructuredQuery) -> Select:
    """The departments sharing measures with the one asked about, most shared first."""
    q = Select("?org", '?name (COUNT(DISTINCT ?measure) AS ?shared) '
                       '(GROUP_CONCAT(DISTINCT ?number; separator="") AS ?numbers)',
               group_by="?org ?name", order_by="DESC(?shared) ?name")
    q.linked("eli:is_part_of", sq.document_iri, "?measure")
    org = f"<{sq.department_iri}>"
    return q.where(f"?measure pkg:responsibility/pkg:agent {org} ; pkg:number ?number .",
                   f"?measure pkg:responsibility/pkg:agent ?org . FILTER(?org != {org})", _ZH_NAME)


def _targets(sq: StructuredQuery) -> Select:
    q = Select("?target", "?indicator").where("?target a pkg:Target ; pkg:text ?text ; pkg:indicator ?indicator .")
    if sq.department_iri:
        q.where("?target pkg:measure|pkg:relatedMeasure ?m .")
        for iri in [sq.department_iri, *sq.also_iris]:
            q.linked("pkg:responsibility/pkg:agent", iri, "?m")
    return q.text(sq, ["?text"], ["?text"]).linked("prov:wasDerivedFrom", sq.document_iri)


def _deadlines(sq: StructuredQuery) -> Select:
    q = Select("?deadline", "?due", order_by="?due").where(
        "?deadline a pkg:Deadline ; time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?date .",
        "BIND(STR(?date) AS ?d)",
        "# a year or a month is due at its end: 2023 → 2023-12-31, 2023-12 → 2023-12-31",
        'BIND(IF(STRLEN(?d) = 4, CONCAT(?d, "-12-31"), IF(STRLEN(?d) = 7, CONCAT(?d, "-31"), ?d)) AS ?due)')
    if sq.department_iri:
        org = f"<{sq.department_iri}>"
        q.where(f"{{ ?deadline pkg:obligatedParty|pkg:submitTo {org} }} UNION "
                f"{{ ?deadline pkg:measure/pkg:responsibility/pkg:agent {org} }}")
    if (sq.topic_terms or sq.words) and sq.matches is None:
        q.where("?deadline pkg:text ?text .")
    return q.text(sq, ["?text"], ["?text"]).dates(sq, "?due").linked("prov:wasDerivedFrom", sq.document_iri)


def _conditions(sq: StructuredQuery) -> Select:
    q = Select("?condition", "?governs ?measure").where(
        "?condition a pkg:Condition ; pkg:text ?text ; pkg:governs ?governs .",
        "OPTIONAL { ?condition pkg:measure ?measure }")
    return q.text(sq, ["?text", "?governs"], ["?text", "?governs"]).linked("prov:wasDerivedFrom", sq.document_iri)


def _text_match(sq: StructuredQuery) -> Select:
    """The fallback for a question no rule maps: text match over measures, targets, conditions, paragraphs."""
    terms = _fallback_terms(sq.text or "")
    return Select("?x", "?kind ?text").where(
        "?x a ?kind ; pkg:text ?text . VALUES ?kind { pkg:Measure pkg:Target pkg:Condition pkg:Paragraph }",
        f"FILTER({_contains('?text', terms) if terms else 'false'})")


#: The query each intent is answered by.
_QUERIES = {"issuers": _issuers, "measures": _measures, "departments": _departments,
            "co_departments": _co_departments, "targets": _targets, "deadlines": _deadlines,
            "conditions": _conditions}


def to_sparql(sq: StructuredQuery) -> str:
    """The SPARQL query a StructuredQuery stands for (the one that is run)."""
    build = _QUERIES.get(sq.intent)
    return build(sq).sparql(count=sq.count) if build else _text_match(sq).sparql()


def _fallback_terms(text: str) -> list[str]:
    """Search terms for the text-match fallback: CJK runs, and their bigrams when runs are long."""
    runs = [r for r in re.findall(r"[\u4e00-\u9fff]{2,}|[A-Za-z0-9]{3,}", text)]
    terms = list(runs)
    for r in runs:
        if len(r) > 3 and re.match(r"[\u4e00-\u9fff]", r):
            terms += [r[i:i + 2] for i in range(len(r) - 1)]
    return list(dict.fromkeys(terms))[:40]


#: The kind of fact (as the search index names it) each intent lists.
_FACT_KIND = {"measures": "measure", "targets": "target", "deadlines": "deadline", "conditions": "condition"}


def search_facts(search: "Searcher | None", words: list[str], kind: str, document: str | None = None,
                 any_of: bool = False) -> list[str] | None:
    """IRIs of the facts of ``kind`` the full-text index finds for ``words`` — all of them, or
    (``any_of``) any, as the stored text words them: 停车设施建设 finds 建设便民停车设施, 住房 finds
    保障性租赁住房. When no fact has all the words, the facts sharing most of their parts (the best
    and those scoring at least half as well). ``None`` for a graph without a search index."""
    if search is None or not words:
        return None

    def run(text: str):
        try:
            return search(text, kind=kind, document=document, limit=SEARCH_LIMIT)
        except InputError:  # nothing searchable in the words
            return []
    hits = run(" OR ".join(words) if any_of else " ".join(words))
    if not hits and not any_of:
        parts = _fallback_terms(" ".join(words))
        hits = run(" OR ".join(parts)) if parts else []
        hits = [h for h in hits if h.score * 2 >= hits[0].score]
    return [h.iri for h in hits]


#: At most this many facts are taken from the full-text index for one question.
SEARCH_LIMIT = 5000


def _find_text(search: "Searcher | None", sq: StructuredQuery) -> None:
    """Set ``sq.matches``: the facts the index finds for the topic's terms (any) or the words (all)."""
    kind = _FACT_KIND.get(sq.intent)
    sq.matches = None
    if kind and sq.topic_terms:
        sq.matches = search_facts(search, sq.topic_terms, kind, sq.document, any_of=True)
    elif kind and sq.words:
        sq.matches = search_facts(search, sq.words, kind, sq.document)


def ask(kg: "GraphReader", question: str, today: str | None = None, search: "Searcher | None" = None) -> Answer:
    """Understand ``question``, run its SPARQL, and answer in the question's form; ``search``: the
    full-text search to find facts by their words (without it, SPARQL text matching)."""
    if not question or not question.strip():
        raise InputError("question", "empty")
    sq = understand(kg, question, today, search)
    if sq.intent == "search":
        return _fallback(kg, question, sq, search)
    _find_text(search, sq)
    sparql = to_sparql(sq)
    if sq.count:
        rows = kg.select(sparql)
        value = int(rows[0]["count"]) if rows else 0
        if value == 0 and sq.words:
            sq = StructuredQuery(**{**asdict(sq), "words": []})
            _find_text(search, sq)
            sparql = to_sparql(sq)
            rows = kg.select(sparql)
            value = int(rows[0]["count"]) if rows else 0
        sq_list = StructuredQuery(**{**asdict(sq), "count": False})
        items = _items(kg, sq_list, kg.select(to_sparql(sq_list)))
        return Answer(question, sq, sparql, "count", items, value=value)
    rows = kg.select(sparql)
    items = _items(kg, sq, rows)
    note = None
    if not items and sq.words:
        # the left-over words are a soft filter: when nothing mentions them, answer without them
        note = f"nothing of this kind mentions {'、'.join(sq.words)}; the answer ignores those words"
        sq = StructuredQuery(**{**asdict(sq), "words": []})
        _find_text(search, sq)
        sparql = to_sparql(sq)
        items = _items(kg, sq, kg.select(sparql))
    if sq.intent == "measures" and sq.role == "lead" and not items and sq.department:
        # notices often name no lead; answer with every role, and say so
        broad = StructuredQuery(**{**asdict(sq), "role": None})
        items = _items(kg, broad, kg.select(to_sparql(broad)))
        note = f"no measure names {sq.department} as lead; showing the measures it has any role in"
    if sq.intent == "departments" and sq.role == "lead" and not items:
        broad = StructuredQuery(**{**asdict(sq), "role": None})
        items = _items(kg, broad, kg.select(to_sparql(broad)))
        note = "no lead is named; showing every department with a role"
    docs = {i.get("document") for i in items if sq.intent == "departments" and sq.measures}
    if len(docs) > 1 and not note:
        note = f"{'、'.join(dict.fromkeys(sq.measures))} is in {len(docs)} documents; name the 文号 to pick one"
    if sq.intent == "departments" and not sq.measure_iris and sq.measures:
        note = f"no measure numbered {'、'.join(sq.measures)} is stored"
    if sq.intent == "issuers" and len(items) > 1 and not sq.document and not sq.department:
        note = f"{len(items)} documents are stored; name the 文号 to ask about one"
    return Answer(question, sq, sparql, sq.intent, items, note=note)


def _items(kg: "GraphReader", sq: StructuredQuery, rows: list[dict]) -> list[dict[str, Any]]:
    """Full records for the IRIs the SPARQL query selected (records come from KnowledgeGraph methods)."""
    if sq.intent == "issuers":
        issued: dict[str, dict[str, Any]] = {}
        for r in rows:
            d = issued.setdefault(r["document"], {"document": r["number"] or r["title"], "title": r["title"],
                                                     "issuers": [], "iri": r["document"]})
            if r["issuer"] not in d["issuers"]:
                d["issuers"].append(r["issuer"])
            d["head"] = r["head"]
        from .reader import in_text_order
        return [{**d, "issuers": in_text_order(d["issuers"], d.pop("head"))} for d in issued.values()]
    if sq.intent == "measures":
        wanted = {r["measure"] for r in rows}
        return [_measure_item(m) for m in kg.measures() if m.iri in wanted]
    if sq.intent == "departments":
        out, seen = [], set()
        en = {d.iri: d.en for d in kg.departments()}
        documents = {m.iri: m.document for m in kg.measures()} if rows and "measure" in rows[0] else {}
        if rows and "measures" in rows[0]:
            return [{"department": r["name"], "en": en.get(r["org"]), "measures": int(r["measures"]),
                     "iri": r["org"]} for r in rows]
        for r in rows:
            key = (r["org"], r["measure"])
            if key in seen:
                continue
            seen.add(key)
            out.append({"department": r["name"], "en": en.get(r["org"]),
                        "role": (r.get("role") or "lead").rsplit("#", 1)[-1], "measure": r["number"],
                        "document": documents.get(r["measure"]), "iri": r["org"], "measure_iri": r["measure"]})
        return out
    if sq.intent == "co_departments":
        en = {d.iri: d.en for d in kg.departments()}
        return [{"department": r["name"], "en": en.get(r["org"]), "shared_measures": int(r["shared"]),
                 "measures": sorted(_split_numbers(r["numbers"]), key=lambda n: measure_ordinal(n) or 0),
                 "iri": r["org"]} for r in rows]
    if sq.intent == "targets":
        wanted = {r["target"] for r in rows}
        if sq.department:  # a goal linked by shared terms is the department's only as KnowledgeGraph.targets says
            wanted &= {t.iri for t in kg.targets(owner=sq.department)}
        related = _related_numbers(kg)
        return [{**_plain(t.to_dict()), "related_measures": related.get(t.iri, [])}
                for t in kg.targets() if t.iri in wanted]
    if sq.intent == "deadlines":
        order = [r["deadline"] for r in rows]
        records = {d.iri: d for d in kg.deadlines()}
        items = [_plain(records[i].to_dict()) | {"due": r["due"]} for i, r in zip(order, rows) if i in records]
        if sq.next and items:
            first = items[0]["due"]
            items = [i for i in items if i["due"] == first]
        return items
    if sq.intent == "conditions":
        wanted = {r["condition"] for r in rows}
        return [_plain(c.to_dict()) for c in kg.conditions() if c.iri in wanted]
    return rows


def _plain(d: dict) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in d.items()}


def _measure_item(m) -> dict[str, Any]:
    return {"number": m.number, "title": m.title, "document": m.document,
            "departments": [{"name": r.name, "role": r.role, "en": r.en} for r in m.responsibilities],
            "iri": m.iri, "span": list(m.span)}


def _split_numbers(text: str | None) -> list[str]:
    return re.findall(r"[（(][^）)]+[）)]|[^（(]+", text or "")


def _related_numbers(kg: "GraphReader") -> dict[str, list[str]]:
    rows = kg.select("SELECT ?t ?n WHERE { ?t a pkg:Target ; pkg:relatedMeasure ?m . ?m pkg:number ?n }")
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["t"], []).append(r["n"])
    return {k: sorted(v, key=lambda n: measure_ordinal(n) or 0) for k, v in out.items()}


def _fallback(kg: "GraphReader", question: str, sq: StructuredQuery, search: "Searcher | None") -> Answer:
    text = sq.text or question
    if search is not None:
        hits = search(text)
        terms = [t for t in re.findall(r"[\u4e00-\u9fff]{2,}|[A-Za-z0-9]{3,}", text)]
        if not hits and len(terms) > 1:  # all words must match by default; any of them will do here
            hits = search(" OR ".join(terms))
        items = [_hit_dict(h) for h in hits]
        return Answer(question, sq, "", "search", items, understood=False, fallback="full-text search")
    sparql = to_sparql(sq)
    rows = kg.select(sparql)
    terms = _fallback_terms(text)
    scored = []
    for r in rows:
        matched = sum(t in r["text"] for t in terms)
        scored.append((-matched, r["kind"].rsplit("#", 1)[-1], r["x"], r["text"]))
    scored.sort()
    items = [{"kind": kind.lower(), "iri": x, "text": t, "matched_terms": -h} for h, kind, x, t in scored[:10]]
    return Answer(question, sq, sparql, "search", items, understood=False, fallback="text match (SPARQL CONTAINS)")


def _hit_dict(hit: Any) -> dict[str, Any]:
    if isinstance(hit, dict):
        return hit
    if hasattr(hit, "to_dict"):
        return hit.to_dict()
    return {k: getattr(hit, k) for k in ("iri", "kind", "number", "title", "snippet", "text", "score")
            if hasattr(hit, k)}
