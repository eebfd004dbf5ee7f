"""The header and closing blocks: 文号, title, issuers, recipients (主送) and the date."""
from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.corpus import Line, Segmented
from policykg.corpus.segment import DATE_LINE, DOC_NUMBER
from policykg.ontology import Registry, load_registry

from .citations import canonical_doc_number
from .model import Party
from .parties import is_name_like, is_org_like, jurisdiction_of, resolve_list, resolve_party

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_ISSUER_LINE = re.compile(r"^(?P<name>.+?)(?:文件|函|令|公告|通知)?$")
#: A decree's number printed over two lines: 中华人民共和国国务院令 / 第707号.
_DECREE_ISSUER = re.compile(r"^(?:中华人民共和国)?(?P<organ>[\u4e00-\u9fff]{2,30}?)令$")
_DECREE_SEQ = re.compile(r"^第(?P<seq>\d{1,5})号$")
#: Decree numbers as they are cited: 国务院令 → 国令.
DECREE_ABBREVIATIONS = {"国务院": "国"}
#: Words that make a header line part of the title rather than an issuer: 国务院办公厅转发国家地震局.
_TITLE_ENDS = ("通知", "意见", "方案", "办法", "决定", "批复", "复函", "规定", "条例", "通报", "答复", "公告", "规划",
               "计划", "细则", "纲要", "报告", "函")
_TITLE_WORD = re.compile(r"关于|转发|印发|批转|公布")
#: A title inside a portal page's words: the issuer and 关于… up to the kind of document, nothing around it.
_FRAMED_TITLE = re.compile(
    r"[\u4e00-\u9fff（）\d、]{0,60}?关于[^。>•|\n]{2,100}?(?:(?:方案|办法|规定|计划|要点)?的(?:通知|意见|决定|批复|复函|函|通报)"
    r"|方案|办法|规定|计划|要点)"
    r"(?![》”])")
#: The 主送 line: 各区县（自治县）人民政府，市政府各部门，有关单位：
_SALUTATION_LINE = re.compile(r"^[^。《》]{2,200}[：:]$")
#: The sentence that issues a document: 现将《…》印发给你们 / 《…》已经…同意，现印发给你们.
_ISSUED = re.compile(r"《(?P<title>[^《》]{4,80})》(?:已经|经[^。]{0,20}同意|印发给你们|转发给你们|现予印发|予以印发)"
                     r"|(?:现将|特将)《(?P<t2>[^《》]{4,80})》")
_PUBLISHED = re.compile(r"(?:公布|发布|印发)[^《。]{0,12}《(?P<title>[^《》]{2,80})》|^《(?P<title2>[^《》]{2,80})》已经")


@dataclass
class Metadata:
    doc_number: str | None
    doc_number_span: tuple[int, int] | None
    title: str
    title_span: tuple[int, int] | None
    issuers: list[Party]
    recipients: list[Party]
    date: str | None
    jurisdiction: str | None


def _cn_date(text: str) -> str | None:
    m = re.match(r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})年(?P<m>[\d一二三四五六七八九十]{1,3})月(?P<d>[\d一二三四五六七八九十]{1,3})日", text)
    if not m:
        return None
    year = m.group("y") if m.group("y").isdigit() else "".join(str(_CN_DIGIT[c]) for c in m.group("y"))
    return f"{int(year):04d}-{_small(m.group('m')):02d}-{_small(m.group('d')):02d}"


def _small(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)
    return _CN_DIGIT[text]


def _issuer_name(line: str) -> str:
    """``广西壮族自治区人力资源和社会保障厅文件`` → the issuer's name without 文件/函/令/公告/通知."""
    m = _ISSUER_LINE.match(line)
    return m.group("name") if m else line


def extract_metadata(seg: Segmented, registry: Registry | None = None) -> Metadata:
    registry = registry or load_registry()
    header = seg.header
    number_index, doc_number, number_span = None, None, None
    for i, line in enumerate(header):
        m = DOC_NUMBER.search(line.text)
        if m and "《" not in line.text[:m.start()] and len(line.text) - len(canonical_doc_number(m)) < 12:
            number_index, doc_number = i, canonical_doc_number(m)
            number_span = (line.start + m.start(), line.start + m.end())
            break
    number_issuer = ""
    if doc_number is None:  # on one line with the issuer: …保障厅文件　桂人社发〔2023〕32号
        for i, line in enumerate(header):
            m = DOC_NUMBER.search(line.text)
            if m and "《" not in line.text and "关于" not in line.text and canonical_doc_number(m):
                number_index, doc_number = i, canonical_doc_number(m)
                number_span = (line.start + m.start(), line.start + m.end())
                before = line.text[:m.start() + len(m.group("prefix") or "") - len(doc_number.split("〔")[0])]
                before = re.sub(r"\s*文件\s*$", "", before.strip())
                if before and is_org_like(before, registry):
                    number_issuer = before
                break
    decree = False
    if doc_number is None:
        for i, line in enumerate(header[:-1]):
            d, n = _DECREE_ISSUER.match(line.text), _DECREE_SEQ.match(header[i + 1].text)
            if d and n:
                organ = DECREE_ABBREVIATIONS.get(d.group("organ"), d.group("organ"))
                doc_number, number_index, decree = f"{organ}令第{n.group('seq')}号", i + 1, True
                number_span = (line.start, header[i + 1].end)
                break
    jurisdiction = registry.jurisdiction_of_doc_number(doc_number) if doc_number else None

    issuer_lines: list[Line] = []
    title_lines: list[Line] = []
    for i, line in enumerate(header):
        if i == number_index or (decree and number_index is not None and i == number_index - 1) or re.match(
                r"^(?:签发人|发文|密级|紧急|特急|加急|[★☆]|\d{6})", line.text):
            continue
        name = _issuer_name(line.text)
        if (number_index is None or i < number_index) and not title_lines and is_org_like(name, registry) \
                and not _TITLE_WORD.search(line.text):
            issuer_lines.append(line)
        else:
            title_lines.append(line)
    # 国务院办公厅 / 关于…的函 / 国办函〔2004〕57号: a title printed above the 文号 starts with its issuer
    if (issuer_lines and title_lines and title_lines[0].text.startswith("关于")
            and number_index is not None and header.index(title_lines[0]) < number_index
            and header.index(issuer_lines[-1]) == header.index(title_lines[0]) - 1
            and not issuer_lines[-1].text.endswith("文件")):
        title_lines.insert(0, issuer_lines[-1])
    salutation = seg.salutation
    if title_lines and _SALUTATION_LINE.match(title_lines[-1].text):  # a copy that starts with 主送
        salutation = title_lines.pop()
    title = "".join(line.text for line in title_lines)
    title_span = (title_lines[0].start, title_lines[-1].end) if title_lines else None
    framed = _FRAMED_TITLE.search(title) if title else None
    if framed and title_span and (framed.start() or framed.end() < len(title)):  # 首页 > …的通知• 听全文
        title = framed.group(0)
        title_span = (title_span[0] + framed.start(), title_span[0] + framed.end())
    if not title and seg.body:  # 《…》已经市政府同意，现印发给你们: the notice names what it issues
        for line in seg.body[:2]:
            p = _ISSUED.search(line.text)
            if p:
                group = "title" if p.group("title") else "t2"
                title = p.group(group)
                title_span = (line.start + p.start(group), line.start + p.end(group))
                break
    if not title and not decree and seg.body and (seg.body[0].text.endswith(_TITLE_ENDS) or doc_number is None):
        first = seg.body[0]  # no header block: the first line names the document
        title = re.split(r"[。；]", first.text)[0][:60]
        title_span = (first.start, first.start + len(title))
    if decree and not title and seg.body:  # 现公布《…条例》: a decree is titled by what it publishes
        for line in seg.body[:3]:
            p = _PUBLISHED.search(line.text)
            if p:
                title = p.group("title") or p.group("title2")
                start = line.start + p.start("title" if p.group("title") else "title2")
                title_span = (start, start + len(title))
                break

    if issuer_lines:
        names = "、".join(_issuer_name(line.text) for line in issuer_lines)
    elif number_issuer:
        names = number_issuer
    else:
        m = re.match(r"^(?P<who>[^关]{2,60}?)(?:等\d+部门)?关于", title)
        names = re.split(r"转发|印发|批转", m.group("who"))[0] if m else ""
        if decree and number_index is not None:
            names = re.sub(r"令$", "", header[number_index - 1].text.replace("中华人民共和国", ""))
        if not names:  # the signature in the closing block
            names = "、".join(line.text for line in seg.closing if is_org_like(line.text, registry)
                             and not DATE_LINE.match(line.text))
    if jurisdiction is None and names:
        known = registry.resolve_mention(re.split(r"[、，]", names)[0])
        jurisdiction = known.jurisdiction if known else jurisdiction_of(names, registry)[0]
    # a reprint (news item, portal page) puts words before the document: only names are issuers
    issuers = [p for p in resolve_list(names, jurisdiction, registry) if is_name_like(p.mention)
               and is_org_like(p.mention, registry)] if names else []

    recipients: list[Party] = []
    if salutation is not None:
        recipients = resolve_list(salutation.text.rstrip("：:"), jurisdiction, registry)

    date = None
    for line in seg.closing:
        if DATE_LINE.match(line.text):
            date = _cn_date(line.text)
            break
    if date is None:
        for line in seg.closing:
            if line.text.endswith("印发"):
                m = re.search(r"\d{4}年\d{1,2}月\d{1,2}日", line.text)
                date = _cn_date(m.group(0)) if m else None
    if date is None:  # a signature date above an annex or a published regulation
        date = next((_cn_date(line.text) for line in seg.body if DATE_LINE.match(line.text.strip())), None)
    return Metadata(doc_number, number_span, title, title_span, issuers, recipients, date, jurisdiction)


__all__ = ["Metadata", "extract_metadata", "resolve_party"]
