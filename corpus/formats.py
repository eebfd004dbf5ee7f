"""Documents in other formats → plain text, one paragraph a line.

``html_text``: a page as saved from a government site; scripts, navigation and site chrome
(menus, breadcrumbs, share bars, footers, the 索引号/主题分类 info table) are dropped and the
document's own content kept. ``docx_text``: Word 2007+ files, read with zipfile + ElementTree.
``pdf_text``: PDFs with a text layer when the optional ``pypdf`` package is installed; otherwise a
clear InputError. All stdlib except that optional one.
"""
from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree

from .read import InputError

#: Files taken from a folder by ``policykg ingest`` (a file named explicitly is always tried,
#: whatever its name): plain text, HTML pages, DOCX, and PDF (with the optional pypdf).
SUFFIXES = (".txt", ".text", ".htm", ".html", ".docx", ".pdf")

# -- HTML ------------------------------------------------------------------------------------

_DROP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
              "select", "button", "template", "svg", "canvas", "object", "head", "title", "map"}
_VOID = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "param", "source",
         "track", "wbr"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table", "section",
          "article", "blockquote", "pre", "dd", "dt", "dl", "center", "tbody", "thead", "main", "body"}
#: id/class words of site chrome: menus, breadcrumbs, share bars, footers, sidebars.
CHROME_ATTR = re.compile(
    r"nav|menu|footer|breadcrumb|crumb|share|sidebar|toolbar|copyright|login|search|banner|qrcode|erweima|"
    r"gotop|pagination|(?:^|[\s_-])(?:head|header|top|topbar|foot|bottom|side|links?|related|relevant|friend|"
    r"print|close|font|fontsize|position|location|pager|ewm)(?:$|[\s_-])", re.I)
#: id/class words of the content block on government sites (gov.cn: UCAP-CONTENT, pages_content).
CONTENT_ATTR = re.compile(r"ucap-content|pages_content|trs_editor|article|content|zoom|main-?text|wzy|"
                          r"textbox|detail|zwnr|text", re.I)
#: Lines of chrome that survive inside content blocks, dropped at the start and end of the text.
CHROME_LINE = re.compile(
    r"^(?:首页|当前位置|您现在的位置|【?字体|字号|打印|关闭|分享到|扫一扫|责任编辑|来源[：:]|【?打印本页|"
    r"【?关闭窗口|版权所有|主办单位|承办单位|网站标识码|网站地图|联系我们|.*ICP备|.*公网安备|返回顶部|"
    r"索引号|主题分类|发文机关|成文日期|发布日期|发文字号|主\s*题\s*词|浏览次数|【?大】?\s*【?中】?\s*【?小】?$|"
    r"[\[【]?\s*(?:大|中|小)\s*[\]】]?(?:\s*[\[【]?\s*(?:大|中|小)\s*[\]】]?)+$)")
#: The info table gov.cn prints above a document: 索引号 / 主题分类 / 发文机关 … (label cells).
_INFO_LABEL = re.compile(r"^(?:索\s*引\s*号|主题分类|发文机关|成文日期|标\s*题|发文字号|发布日期|主\s*题\s*词)[：:]?$")


class _Node:
    __slots__ = ("tag", "attrs", "children", "parent", "span")

    def __init__(self, tag: str, attrs: str, parent: "_Node | None", span: tuple[int, int] = (1, 1)):
        self.tag, self.attrs, self.parent, self.span = tag, attrs, parent, span
        self.children: list[_Node | str] = []


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the page (unclosed <p> and stray end tags are common)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", "", None)
        self.node = self.root

    def handle_starttag(self, tag, attrs):
        label = " ".join(v for k, v in attrs if k in ("id", "class") and v)
        span = (1, 1)
        if tag in ("td", "th"):
            a = dict(attrs)
            span = (_int(a.get("rowspan")), _int(a.get("colspan")))
        node = _Node(tag, label, self.node, span)
        self.node.children.append(node)
        if tag not in _VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(_Node(tag, "", self.node))

    def handle_endtag(self, tag):
        node = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def _chrome(node: _Node, by_attr: bool = True) -> bool:
    return node.tag in _DROP_TAGS or bool(by_attr and node.attrs and CHROME_ATTR.search(node.attrs)
                                          and not CONTENT_ATTR.search(node.attrs))


def _render(node: _Node, out: list[str], by_attr: bool = True) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(child.replace("\n", " ").replace("\r", " ").replace("\t", " "))
            continue
        if _chrome(child, by_attr):
            continue
        if child.tag == "br":
            out.append("\n")
            continue
        if child.tag == "table":
            rows = _table_rows(child)
            if rows is not None:
                out.append("\n" + "\n".join("\t".join(row) for row in rows) + "\n")
                continue
        block = child.tag in _BLOCK
        if block:
            out.append("\n")
        _render(child, out, by_attr)
        if child.tag in ("td", "th"):
            out.append("\u3000")
        if block:
            out.append("\n")


def _descendants(node: _Node, tag: str, stop: str = "table"):
    for child in node.children:
        if isinstance(child, str):
            continue
        if child.tag == tag:
            yield child
        elif child.tag != stop:
            yield from _descendants(child, tag, stop)


def _cell_text(cell: _Node) -> str:
    out: list[str] = []
    _render(cell, out)
    lines = [re.sub(r"[ \t\xa0\u3000]+", " ", line).strip() for line in "".join(out).split("\n")]
    lines = [line for line in lines if line]
    if len(lines) > 1 and all(len(line) <= 25 and line[-1] not in "。；，" for line in lines):
        return "、".join(lines)  # one party per line in a 牵头单位 cell
    return "".join(lines)


def _table_rows(table: _Node) -> list[list[str]] | None:
    """A data table as rows of cells (rowspan/colspan filled in), tab-separated by the caller;
    None for a layout table that holds the page (it renders as ordinary blocks)."""
    rows: list[list[str]] = []
    carry: dict[int, tuple[int, str]] = {}  # column → (rows still to fill, text) from a rowspan
    for tr in _descendants(table, "tr"):
        row: list[str] = []
        cells = list(_descendants(tr, "td")) + list(_descendants(tr, "th"))
        cells.sort(key=lambda c: tr.children.index(c) if c in tr.children else 0)
        for cell in cells:
            if any(True for _ in _descendants(cell, "table", stop="")):
                return None
            while len(row) in carry:
                left, text = carry.pop(len(row))
                row.append(text)
                if left > 1:
                    carry[len(row) - 1] = (left - 1, text)
            text = _cell_text(cell)
            if len(text) > 1500:  # a layout table holding the whole page
                return None
            for _ in range(cell.span[1]):
                if cell.span[0] > 1:
                    carry[len(row)] = (cell.span[0] - 1, text)
                row.append(text)
        while len(row) in carry:
            left, text = carry.pop(len(row))
            row.append(text)
            if left > 1:
                carry[len(row) - 1] = (left - 1, text)
        if any(row):
            rows.append(row)
    if len(rows) < 2:
        return None
    return [row for row in rows if not _INFO_LABEL.match(row[0])] or None


def _cjk_count(node: _Node) -> int:
    out: list[str] = []
    _render(node, out)
    return len(re.findall(r"[\u4e00-\u9fff]", "".join(out)))


def _content_root(root: _Node) -> _Node:
    """The element that holds the document: the content-like block with the most Chinese text."""
    best, best_count = root, 0
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            if isinstance(child, str) or _chrome(child):
                continue
            if child.attrs and CONTENT_ATTR.search(child.attrs):
                count = _cjk_count(child)
                if count > best_count:
                    best, best_count = child, count
                continue  # the outermost content block wins over the blocks inside it
            stack.append(child)
    return best if best_count >= 50 else root


def _page_title(root: _Node) -> list[str]:
    """The page's <h1> when it reads as a document title (…的通知 / …意见), as lines to prepend."""
    from .segment import _TITLE_END

    for h1 in _descendants(root, "h1", stop=""):
        node, chrome = h1, False
        while node is not None:
            chrome = chrome or _chrome(node)
            node = node.parent
        if chrome:
            continue
        text = _cell_text(h1)
        if text and _TITLE_END.search(text):
            return ["\n", text, "\n"]
    return []


def html_text(html: str, name: str = "<html>") -> str:
    """The document inside a saved web page, one paragraph a line."""
    builder = _TreeBuilder()
    try:
        builder.feed(html)
        builder.close()
    except Exception as err:  # html.parser is forgiving; this is a last resort
        raise InputError(name, f"unreadable HTML ({err})") from None
    out: list[str] = []
    root = _content_root(builder.root)
    if root is not builder.root and not any(True for _ in _descendants(root, "h1", stop="")):
        out += _page_title(builder.root)  # the title printed above the content block
    _render(root, out)
    whole: list[str] = []
    _render(builder.root, whole, by_attr=False)
    cjk = len(re.findall(r"[\u4e00-\u9fff]", "".join(out)))
    if cjk < 0.3 * len(re.findall(r"[\u4e00-\u9fff]", "".join(whole))):
        out = whole  # the chrome rules took the document too (an odd class name): keep the page
    lines = [re.sub(r"[ \xa0]+", " ", line).strip(" \u3000") for line in "".join(out).split("\n")]
    lines = [line for line in lines if line.strip()]
    # the info table: a label cell followed by its value
    kept: list[str] = []
    skip_next = False
    for line in lines:
        if skip_next:
            skip_next = False
            continue
        if _INFO_LABEL.match(line):
            skip_next = True
            continue
        kept.append(line)
    for k in range(1, 5):  # the <h1> above the content, repeated in its first lines: keep one
        if len(kept) > k and kept[0] == "".join(kept[1:1 + k]):
            kept.pop(0)
            break
    while kept and CHROME_LINE.match(kept[0]):
        kept.pop(0)
    while kept and CHROME_LINE.match(kept[-1]):
        kept.pop()
    text = "\n".join(kept)
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise InputError(name, "HTML page without Chinese text")
    return text + "\n"


def looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:4096].lower() or \
        bool(head.startswith("<") and re.search(r"<(?:body|div|p|table)\b", text[:8192], re.I))


# -- DOCX ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph(p: ElementTree.Element) -> str:
    parts = []
    for el in p.iter():
        if el.tag == _W + "t" and el.text:
            parts.append(el.text)
        elif el.tag == _W + "tab":
            parts.append("\t")
        elif el.tag in (_W + "br", _W + "cr"):
            parts.append("\n")
    return "".join(parts)


def _blocks(parent: ElementTree.Element):
    """Paragraphs and tables in document order, including those inside content controls (w:sdt)."""
    for el in parent:
        if el.tag in (_W + "p", _W + "tbl"):
            yield el
        elif el.tag == _W + "sdt":
            content = el.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)


def docx_text(data: bytes, name: str = "<docx>") -> str:
    """The paragraphs and table rows of a .docx file, in document order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise InputError(name, "not a Word document (no word/document.xml)") from None
    try:
        body = ElementTree.fromstring(xml).find(_W + "body")
    except ElementTree.ParseError as err:
        raise InputError(name, f"damaged Word document ({err})") from None
    lines: list[str] = []
    for el in _blocks(body) if body is not None else []:
        if el.tag == _W + "p":
            lines.append(_paragraph(el))
        elif el.tag == _W + "tbl":
            above: list[str] = []
            for row in el.iter(_W + "tr"):
                cells: list[str] = []
                for tc in row.iter(_W + "tc"):
                    paras = [_paragraph(p) for p in tc.iter(_W + "p")]
                    paras = [p for p in paras if p.strip()]
                    text = ("、" if len(paras) > 1 and all(len(p) <= 25 and p[-1] not in "。；，" for p in paras)
                            else "").join(paras)
                    merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                    if merge is not None and merge.get(_W + "val") != "restart" and len(cells) < len(above):
                        text = above[len(cells)]  # a vertically merged cell: the text of the one above
                    span = tc.find(f"{_W}tcPr/{_W}gridSpan")
                    cells += [text] * (_int(span.get(_W + "val")) if span is not None else 1)
                above = cells
                if any(c.strip() for c in cells):
                    lines.append("\t".join(cells))
    text = "\n".join(line for line in lines if line.strip())
    if not text.strip():
        raise InputError(name, "empty: the Word document has no text")
    return text + "\n"


# -- PDF -------------------------------------------------------------------------------------

def pdf_text(data: bytes, name: str = "<pdf>") -> str:
    """Text of a PDF's text layer (needs the optional ``pypdf``); scanned PDFs are refused."""
    try:
        import pypdf  # optional: pip install pypdf
    except ImportError:
        raise InputError(name, "PDF input needs the optional package pypdf (pip install pypdf); "
                               "or save the document as text or DOCX") from None
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as err:
        raise InputError(name, f"unreadable PDF ({type(err).__name__})") from None
    if len(re.findall(r"[\u4e00-\u9fff]", text)) < 20:
        raise InputError(name, "PDF without a Chinese text layer (a scan?): run OCR first")
    from .read import MIN_COMMON_SHARE, common_share

    if common_share(text) < MIN_COMMON_SHARE:
        raise InputError(name, "PDF text layer does not read as Chinese (fonts without a Unicode map)")
    return text


# -- dispatch --------------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str | None:
    """The container format of some bytes: 'pdf', 'docx', 'doc', 'zip', or None for text."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    if data.startswith(_OLE2):
        return "doc"
    return None


def convert(data: bytes, name: str) -> tuple[str, str] | None:
    """(text, format) for container formats; None when ``data`` should be decoded as text."""
    kind = sniff(data)
    if kind == "pdf":
        return pdf_text(data, name), "pdf"
    if kind == "docx":
        return docx_text(data, name), "docx"
    if kind == "doc":
        raise InputError(name, "old Word .doc format: save it as DOCX or text")
    if kind == "zip":
        raise InputError(name, "a ZIP archive, not a document")
    return None
