"""A small XLSX writer: sheets of rows (text and numbers), a few cell styles, column widths and a
frozen first row and column, written straight as SpreadsheetML text.

For the 任务分工表 of a large graph: openpyxl builds an object per cell and serialises it element by
element, which took 40 s for the 700 000 cells of 10 000 documents; the text here is written in about
a second. What openpyxl reads back from it is what it read back from its own workbook: the same
values, fonts, fills, alignments, column widths and frozen panes.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, Sequence
from xml.sax.saxutils import escape, quoteattr

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
#: Characters XML 1.0 does not allow (openpyxl refuses them): left out of cell text.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Style:
    """A cell's look: bold, font size (None: the default), solid fill (RRGGBB), wrapped text and vertical alignment."""

    bold: bool = False
    size: float | None = None
    fill: str | None = None
    wrap: bool = False
    vertical: str | None = None


@dataclass
class Sheet:
    """One worksheet: rows of values (str, int, float; None or '' for an empty cell), each row with
    one style (None: unstyled); column widths by 1-based column; ``freeze``: the top-left cell of the
    part that scrolls (``B2`` freezes the first row and column)."""

    title: str
    rows: list[tuple[Sequence[Any], Style | None]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    freeze: str | None = None

    def append(self, values: Sequence[Any], style: Style | None = None) -> None:
        self.rows.append((values, style))

    @property
    def max_column(self) -> int:
        return max((len(values) for values, _ in self.rows), default=0)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def workbook(sheets: list[Sheet]) -> bytes:
    """The ``.xlsx`` file of ``sheets``, in that order."""
    styles: dict[Style, int] = {}  # style → its cellXfs index (0: the default)
    parts = {f"xl/worksheets/sheet{i}.xml": _sheet_xml(sheet, styles) for i, sheet in enumerate(sheets, 1)}
    parts["xl/styles.xml"] = _styles_xml(list(styles))
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">'
        '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>'
        + "".join(f'<sheet name={quoteattr(s.title)} sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1))
        + "</sheets></workbook>")
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, len(sheets) + 1))
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>')
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
                  for i in range(1, len(sheets) + 1))
        + "</Types>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/styles.xml", *(f"xl/worksheets/sheet{i}.xml" for i in range(1, len(sheets) + 1))):
            z.writestr(name, parts[name])
    return buf.getvalue()


def _sheet_xml(sheet: Sheet, styles: dict[Style, int]) -> str:
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">',
           '<sheetViews><sheetView workbookViewId="0">']
    if sheet.freeze:
        column, row = re.fullmatch(r"([A-Z]+)(\d+)", sheet.freeze).groups()  # type: ignore[union-attr]
        x = sum((ord(c) - 64) * 26 ** i for i, c in enumerate(reversed(column))) - 1
        y = int(row) - 1
        out.append(f'<pane xSplit="{x}" ySplit="{y}" topLeftCell="{sheet.freeze}" activePane="bottomRight" '
                   f'state="frozen"/><selection pane="bottomRight" activeCell="{sheet.freeze}" sqref="{sheet.freeze}"/>')
    out.append('</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
    if sheet.widths:
        out.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                                      for i, w in sorted(sheet.widths.items())) + "</cols>")
    out.append("<sheetData>")
    letters = [column_letter(i) for i in range(1, sheet.max_column + 1)]
    add = out.append
    for number, (values, style) in enumerate(sheet.rows, 1):
        if style is not None and style not in styles:
            styles[style] = len(styles) + 1
        s = f' s="{styles[style]}"' if style is not None else ""
        cells = []
        for letter, value in zip(letters, values):
            ref = f"{letter}{number}"
            if value is None or value == "":
                if s:  # an empty cell keeps its row's style, as openpyxl writes it (text: typed as text)
                    cells.append(f'<c r="{ref}"{s}/>' if value is None else f'<c r="{ref}"{s} t="inlineStr"/>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"{s}><v>{value!r}</v></c>')
            else:
                text = escape(_ILLEGAL.sub("", str(value)))
                cells.append(f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        add(f'<row r="{number}">{"".join(cells)}</row>' if cells else f'<row r="{number}"/>')
    out.append("</sheetData></worksheet>")
    return "".join(out)


def _styles_xml(styles: list[Style]) -> str:
    """Fonts, fills and cell formats: the default first (as openpyxl writes it), then one per style."""
    fonts = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>']
    fills = ['<fill><patternFill/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    for style in styles:
        font_id = 0
        if style.bold or style.size:
            fonts.append("<font>" + ('<b val="1"/>' if style.bold else "")
                         + (f'<sz val="{style.size:g}"/>' if style.size else "") + "</font>")
            font_id = len(fonts) - 1
        fill_id = 0
        if style.fill:
            fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="00{style.fill}"/></patternFill></fill>')
            fill_id = len(fills) - 1
        aligned = ([f'vertical="{style.vertical}"'] if style.vertical else []) + (['wrapText="1"'] if style.wrap else [])
        applied = (' applyFont="1"' if font_id else "") + (' applyFill="1"' if fill_id else "") + \
            (' applyAlignment="1"' if aligned else "")
        xfs.append(f'<xf numFmtId="0" fontId="{font_id}" fillId="{fill_id}" borderId="0" xfId="0"{applied}>'
                   + (f"<alignment {' '.join(aligned)}/>" if aligned else "") + "</xf>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
            f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts><fills count="{len(fills)}">{"".join(fills)}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
