"""Input formats and encodings: what reads, and the one-line errors for what does not."""
from __future__ import annotations

import io
import zipfile

import pytest

import policykg
from conftest import FIXTURES
from policykg.corpus import InputError, read_text
from policykg.corpus.formats import docx_text, html_text
from policykg.corpus.read import MAX_BYTES

LAYOUTS = FIXTURES / "layouts"
NOTICE = (LAYOUTS / "running_on.txt").read_text("utf-8")  # 国办发（2024）21号, written for the tests


def parsed_the_same(path) -> None:
    d = policykg.parse(path)
    assert d.doc_number == "国办发〔2024〕21号"
    assert d.title == "国务院办公厅关于促进全民健身和体育消费的意见"
    assert len(d.measures) == 5
    assert [(r.party.mention, r.role) for r in d.measures[1].responsibilities] == [
        ("体育总局", "responsible"), ("教育部", "responsible")]


# -- encodings ------------------------------------------------------------------------------

def test_utf8_text():
    parsed_the_same(LAYOUTS / "running_on.txt")
    assert policykg.parse(LAYOUTS / "running_on.txt").encoding == "utf-8"


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + NOTICE.encode("utf-8"))
    parsed_the_same(path)
    assert policykg.parse(path).encoding == "utf-8-sig"


def test_gb18030_text(tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes(NOTICE.encode("gb18030"))
    parsed_the_same(path)
    assert policykg.parse(path).encoding == "gb18030"


def test_gbk_text_with_crlf(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(NOTICE.replace("\n", "\r\n").encode("gbk"))
    parsed_the_same(path)


def test_big5_traditional_text(tmp_path):
    # 國辦發[2024]17號 written in traditional characters, saved as Big5
    path = tmp_path / "big5.txt"
    path.write_bytes((LAYOUTS / "traditional_halfwidth.txt").read_text("utf-8").encode("big5"))
    d = policykg.parse(path)
    assert d.encoding == "big5"
    assert d.doc_number == "国办发〔2024〕17号"
    assert len(d.measures) == 3


def test_a_wrong_legacy_guess_is_refused_not_passed_on(tmp_path):
    # Latin-1 accents read as GB18030 give rare CJK characters: refused, never silently wrong
    path = tmp_path / "latin1.txt"
    path.write_bytes(("Résumé des activités économiques à Genève, année fiscale. " * 40).encode("latin-1"))
    with pytest.raises(InputError, match="unknown encoding"):
        policykg.parse(path)


# -- refused inputs -------------------------------------------------------------------------

def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(InputError, match="binary data") as err:
        policykg.parse(path)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def test_binary_without_nul_bytes_is_refused_as_binary(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes((i * 37 + 11) % 255 + 1 for i in range(6000)))
    with pytest.raises(InputError, match="binary data"):
        policykg.parse(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        policykg.parse(path)


def test_whitespace_only_file_is_refused(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\u3000\n", "utf-8")
    with pytest.raises(InputError, match="empty"):
        policykg.parse(path)


def test_50_mb_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_BYTES
    with pytest.raises(InputError, match="too large") as err:
        policykg.parse(path)
    assert "50 MB" in str(err.value)


def test_old_word_doc_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputError, match="DOCX"):
        policykg.parse(path)


def test_pdf_without_a_usable_text_layer_is_a_clear_error(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with pytest.raises(InputError, match="PDF") as err:
        policykg.parse(path)
    assert "\n" not in str(err.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nothing.txt")
    with pytest.raises(InputError, match="folder"):
        read_text(tmp_path)


# -- HTML -----------------------------------------------------------------------------------

def test_html_page_keeps_the_document_and_drops_site_chrome():
    # a saved gov-site page: nav, breadcrumb, 索引号 table, 【字体：大 中 小】, share bar, footer
    text, _, fmt = read_text(LAYOUTS / "govsite_page.html")
    assert fmt == "html/utf-8"
    lines = text.splitlines()
    assert lines[0] == "国务院办公厅关于" and lines[-1] == "（此件公开发布）"
    for chrome in ("首页", "当前位置", "索 引 号", "分享到", "版权所有", "ICP备", "统计代码", "相关稿件", "字体"):
        assert chrome not in text


def test_html_page_parses_like_a_text_notice():
    d = policykg.parse(LAYOUTS / "govsite_page.html")
    assert d.doc_number == "国办发〔2025〕14号"
    assert d.title == "国务院办公厅关于加快发展社区养老服务的意见"
    assert [(r.party.mention, r.role) for r in d.measures[0].responsibilities] == [
        ("民政部", "lead"), ("住房城乡建设部", "responsible")]
    # <br> inside a paragraph is a page-width break, not a new paragraph
    assert "到2026年底前覆盖" in d.measures[1].text


def test_html_without_a_content_block_trims_chrome_lines():
    page = ("<html><body><div class='menu'>首页 政策 服务</div><p>【打印本页】</p>"
            + "".join(f"<p>{line}</p>" for line in NOTICE.splitlines())
            + "<p>【关闭窗口】</p><p>版权所有：某政府网</p></body></html>")
    text = html_text(page)
    assert text.splitlines()[0] == "国务院办公厅关于促进全民健身和体育消费的意见"
    assert text.splitlines()[-1] == "2024年7月1日"


def test_html_in_gb18030_is_detected(tmp_path):
    path = tmp_path / "page.htm"
    page = (LAYOUTS / "govsite_page.html").read_text("utf-8").replace('charset="utf-8"', 'charset="gb2312"')
    path.write_bytes(page.encode("gb18030"))
    assert policykg.parse(path).doc_number == "国办发〔2025〕14号"


# -- DOCX -----------------------------------------------------------------------------------

def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A minimal Word document (the parts Word itself needs to open it)."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def para(text: str) -> str:  # split in two runs, as Word does at formatting changes
        half = len(text) // 2
        return f"<w:p><w:r><w:t>{text[:half]}</w:t></w:r><w:r><w:t>{text[half:]}</w:t></w:r></w:p>"

    body = "".join(para(p) for p in paragraphs)
    if table:
        rows = "".join("<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in row) + "</w:tr>" for row in table)
        body += f"<w:tbl>{rows}</w:tbl>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>'
                   f"{body}</w:body></w:document>")
    return buf.getvalue()


def test_docx_parses_like_the_text(tmp_path):
    path = tmp_path / "notice.docx"
    path.write_bytes(make_docx(NOTICE.splitlines()))
    parsed_the_same(path)
    assert policykg.parse(path).encoding == "docx"


def test_docx_table_rows_become_lines():
    text = docx_text(make_docx(["重点任务分工表"], [["任务", "牵头单位"], ["建设社区健身设施", "体育总局"]]))
    assert text.splitlines() == ["重点任务分工表", "任务\t牵头单位", "建设社区健身设施\t体育总局"]


def test_zip_that_is_not_a_word_document_is_refused(tmp_path):
    path = tmp_path / "archive.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    path.write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="ZIP archive"):
        policykg.parse(path)


def test_bytes_and_str_sources():
    assert policykg.parse(NOTICE.encode("gb18030")).doc_number == "国办发〔2024〕21号"
    assert policykg.parse(NOTICE).doc_number == "国办发〔2024〕21号"


def test_html_table_with_rowspan_keeps_columns_aligned():
    # the 牵头单位 cell spans two rows: both tasks are led by 市人力资源社会保障局
    page = ("<html><body><div class='content'><p>柳州市人民政府办公室关于印发就业方案的通知</p><p>柳政办〔2024〕9号</p>"
            "<p>各县、区人民政府：</p><p>现将方案印发给你们，请认真贯彻执行。</p>"
            "<table><tr><td>序号</td><td>重点任务</td><td>牵头单位</td><td>配合单位</td></tr>"
            "<tr><td>1</td><td>开展职业技能培训</td><td rowspan='2'>市人力资源社会保障局</td><td>市财政局</td></tr>"
            "<tr><td>2</td><td>建设零工市场</td><td><p>市发展改革委</p><p>市商务局</p></td></tr></table>"
            "</div></body></html>")
    d = policykg.parse(page)
    assert [[(r.party.mention, r.role) for r in m.responsibilities] for m in d.measures] == [
        [("市人力资源社会保障局", "lead"), ("市财政局", "support")],
        [("市人力资源社会保障局", "lead"), ("市发展改革委", "support"), ("市商务局", "support")]]


def test_docx_vertically_merged_cell_repeats_the_text_above():
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def cell(text: str, merge: str | None = None) -> str:
        val = f' w:val="{merge}"' if merge else ""
        pr = f"<w:tcPr><w:vMerge{val}/></w:tcPr>" if merge is not None else ""
        return f"<w:tc>{pr}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = [[cell("任务"), cell("牵头单位")], [cell("甲"), cell("体育总局", "restart")], [cell("乙"), cell("", "")]]
    xml = (f'<w:document {w}><w:body><w:tbl>'
           + "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl></w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", xml)
    assert docx_text(buf.getvalue()).splitlines() == ["任务\t牵头单位", "甲\t体育总局", "乙\t体育总局"]


def test_html_title_above_the_content_block_is_kept_once():
    body = "".join(f"<p>{line}</p>" for line in NOTICE.splitlines()[1:])  # the content lacks the title
    page = (f"<html><body><div class='nav'>首页</div><h1>国务院办公厅关于促进全民健身和体育消费的意见</h1>"
            f"<div class='pages_content'>{body}</div></body></html>")
    parsed_the_same(page)
    with_title = page.replace("<div class='pages_content'>", "<div class='pages_content'><p>国务院办公厅关于促进全民健身和体育消费的意见</p>")
    assert html_text(with_title).count("国务院办公厅关于促进全民健身和体育消费的意见") == 1


def test_gb2312_page_with_a_long_ascii_head_is_detected(tmp_path):
    page = (LAYOUTS / "govsite_page.html").read_text("utf-8")
    page = page.replace("<head>", "<head><script>" + "var x = 1;\n" * 2000 + "</script>")
    path = tmp_path / "long.html"
    path.write_bytes(page.encode("gb18030"))
    assert policykg.parse(path).doc_number == "国办发〔2025〕14号"


def test_html_document_inside_a_chrome_looking_block_is_not_lost():
    # class "head-space" looks like site chrome; the page is kept rather than emptied
    page = ("<html><body><div class='nav'>首页 政策</div><div class='w1200 head-space'>"
            + "".join(f"<p>{line}</p>" for line in NOTICE.splitlines()) + "</div></body></html>")
    parsed_the_same(page)
