"""Split a normalised notice into header, numbered body sections and closing block."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbering import Marker, match_marker

#: 文号 as printed: 桂人社发〔2023〕32号, 国发[2019]3号, 国办函(2004)57号, 国令第707号.
DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*[〔\[［(（【](?P<year>(?:19|20)\d{2})[〕\]］)）】]\s*(?:第)?(?P<seq>\d{1,4})\s*号"
    r"|(?P<decree>[\u4e00-\u9fff]{1,6}令)第(?P<dseq>\d{1,4})号")
#: A date line in the closing block: 2023年5月18日 or 二〇二三年五月十八日.
DATE_LINE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
_CLOSING = re.compile(r"^(?:[（(]此件[^）)]*[）)]|[（(]?本文?件?有删减[）)]?|抄送[：:]|.{0,40}\d{4}年\d{1,2}月\d{1,2}日\s*印发$|.{0,40}印发$)")
_SALUTATION = re.compile(r"^[^。]{2,200}[：:]$")
_TITLE_END = re.compile(r"(?:通知|意见|方案|办法|决定|批复|复函|函|规定|条例|通报|答复|公告|通告|规划|计划|细则|纲要|报告|请示|指南|决议|命令|令)$")


@dataclass
class Line:
    text: str
    start: int  # offsets in the normalised text
    end: int


@dataclass
class Section:
    """A numbered part of the body: （四）开展公共服务供给提升行动。…"""

    marker: Marker | None
    level: int
    title: str
    start: int
    end: int
    body_start: int  # where the text after the title starts
    lines: list[Line] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    path: tuple[int, ...] = ()

    @property
    def number(self) -> str:
        return self.marker.text if self.marker else ""

    def walk(self):
        """This section and all below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Segmented:
    text: str
    header: list[Line]
    salutation: Line | None
    body: list[Line]
    closing: list[Line]
    sections: list[Section]

    def walk(self):
        for s in self.sections:
            yield from s.walk()


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append(Line(raw, pos, pos + len(raw)))
        pos += len(raw) + 1
    return lines


def _is_paragraph(line: Line) -> bool:
    return "。" in line.text or len(line.text) > 60


def _header_end(lines: list[Line]) -> tuple[int, Line | None]:
    """Index of the first body line, and the salutation (主送) line if there is one."""
    for i, line in enumerate(lines[:40]):
        if _SALUTATION.match(line.text) and "。" not in line.text and i > 0:
            return i + 1, line
        if _is_paragraph(line) or match_marker(line.text):
            return i, None
    return 0, None


def _closing_start(lines: list[Line], first_body: int) -> int:
    i = len(lines)
    while i > first_body:
        text = lines[i - 1].text
        if DATE_LINE.match(text) or _CLOSING.match(text) or (
                len(text) <= 40 and "。" not in text and "，" not in text and not match_marker(text)
                and not text.endswith("：") and i < len(lines) and i > first_body + 1):
            i -= 1
            continue
        break
    return i


#: Web-page chrome left in a copied text: breadcrumbs, font-size switches, print/close links, the
#: info table (索引号 / 发文机关 / 标题 …), footers. Dropped only before the header and after the closing.
CHROME = re.compile(
    r"^(?:首页|当前位置|您现在的位置|您的位置|【?我要纠错|【?字体|字号|【?打印|【?关闭|分享到|扫一扫|责任编辑|来源[：:]|"
    r"版权所有|主办单位|网站标识码|网站地图|联系我们|.*ICP备|.*公网安备|返回顶部|浏览次数|"
    r"(?:索\s*引\s*号|主题分类|发文机关|成文日期|发布日期|发文字号|标\s*题|主\s*题\s*词)\s*[：:]|"
    r"[\[【]?\s*(?:大|中|小)\s*[\]】]?(?:\s*[\[【]?\s*(?:大|中|小)\s*[\]】]?)+$)"
    r"|.*(?:首页|主页)\s*[>＞»]")


def strip_chrome(lines: list[Line]) -> list[Line]:
    """The lines without the site chrome before the document and after it."""
    start, end = 0, len(lines)
    while start < end and CHROME.match(lines[start].text):
        start += 1
    while end > start and CHROME.match(lines[end - 1].text):
        end -= 1
    return lines[start:end]


def segment(text: str) -> Segmented:
    """Find the header block, the salutation, numbered sections, and the closing block."""
    lines = strip_chrome(split_lines(text))
    body_start, salutation = _header_end(lines)
    closing_start = _closing_start(lines, body_start)
    header, body, closing = lines[:body_start], lines[body_start:closing_start], lines[closing_start:]
    if salutation is not None:
        header = header[:-1]
    return Segmented(text, header, salutation, body, closing, build_sections(body))


def build_sections(body: list[Line]) -> list[Section]:
    """Nest numbered lines by style; the first style met is the top level."""
    kinds: list[str] = []
    roots: list[Section] = []
    stack: list[Section] = []
    expected: tuple[int, ...] = ()  # what the next 1. item may be numbered: on, or afresh under a new part
    for line in body:
        marker = match_marker(line.text, expected)
        if marker is not None:
            expected = (marker.value + 1,) if marker.kind == "arabic" else expected[:1] + (1,)
        if marker is None:
            if stack:
                stack[-1].lines.append(line)
                for s in stack:
                    s.end = line.end
            continue
        if marker.kind not in kinds:
            kinds.append(marker.kind)
        level = kinds.index(marker.kind)
        rest = line.text[marker.length:]
        title, body_offset = _title(rest)
        section = Section(marker, level, title, line.start, line.end,
                          line.start + marker.length + body_offset, [line])
        while stack and stack[-1].level >= level:
            stack.pop()
        siblings = stack[-1].children if stack else roots
        section.path = (stack[-1].path if stack else ()) + (len(siblings) + 1,)
        siblings.append(section)
        stack.append(section)
        for s in stack:
            s.end = line.end
    return roots


_FIRST_SENTENCE = re.compile(r"([^。！？；]{1,60}?)[。！？；]")


def _title(rest: str) -> tuple[str, int]:
    """Split a numbered line into its title and where the text after it starts."""
    if "。" not in rest and len(rest) <= 60:
        return rest.rstrip("：:"), len(rest)
    m = _FIRST_SENTENCE.match(rest)
    if m and "，" not in m.group(1)[:4]:
        return m.group(1), m.end()
    return "", 0
