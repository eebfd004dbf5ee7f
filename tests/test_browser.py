"""A real browser: headless Chromium opens the generated page from a file with networking disabled.

Checks that vis-network drew the expected numbers of nodes and edges (the page writes them into
``#pkg-status``), that a screenshot is not blank, and that document text such as
``<img src=x onerror=…>`` stays text (its handler would set ``data-xss`` on <body>).

Needs Debian's ``chromium`` (and ``fonts-wqy-zenhei`` for readable Chinese labels); skipped otherwise.
Set POLICYKG_SCREENSHOT=path.png to keep a copy of the screenshot.
"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policykg.knowledge import KnowledgeGraph
from policykg.render import responsibility_graph

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
INJECTION = Path(__file__).parent / "fixtures" / "render" / "injection_notice.txt"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
         # networking off: every host name fails to resolve and any connection goes to a dead proxy
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"]

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason="Chromium not found: install it with `apt-get install -y chromium fonts-wqy-zenhei` (Debian) "
           "to run the browser tests")


def _no_network_prefix() -> list[str]:
    """``unshare -n`` (a network namespace with no interfaces) where this machine allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([*_no_network_prefix(), CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=180, cwd=tmp_path)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.by_id: dict[str, dict[str, str]] = {}
        self.body: dict[str, str] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag == "body":
            self.body = attrs
        if "id" in attrs:
            self.by_id[attrs["id"]] = attrs


def dump_dom(tmp_path: Path, page: Path, budget_ms: int = 10000) -> _Elements:
    result = chromium(tmp_path, f"--virtual-time-budget={budget_ms}", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    parsed = _Elements()
    parsed.feed(result.stdout.decode("utf-8"))
    return parsed


def png_pixels(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows) of an 8-bit non-interlaced RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and ctype in (2, 6) and not interlace, (depth, ctype, interlace)
        elif kind == b"IDAT":
            idat.append(chunk)
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), w * bpp
    prev, rows = bytearray(stride), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                line[i] = (line[i] + (((line[i - bpp] if i >= bpp else 0) + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a, b, c = (line[i - bpp] if i >= bpp else 0), prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


@pytest.fixture(scope="module")
def bundled_page(kg, tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "graph.html"
    kg.render(path=path)
    return path, responsibility_graph(kg)


def test_graph_draws_offline_with_every_node_and_edge(bundled_page, tmp_path):
    page, g = bundled_page
    dom = dump_dom(tmp_path, page)
    status = dom.by_id["pkg-status"]
    assert status.get("data-drawn") == "1", status
    assert int(status["data-nodes"]) == g.number_of_nodes() == 32  # 9 departments, 6 measures, 11 targets, …
    assert int(status["data-edges"]) == g.number_of_edges()
    assert status.get("data-stable") == "1"  # physics switched off after stabilisation


def test_screenshot_is_not_blank(bundled_page, tmp_path):
    page, _ = bundled_page
    shot = tmp_path / "graph.png"
    result = chromium(tmp_path, "--virtual-time-budget=10000", "--window-size=1400,900",
                      f"--screenshot={shot}", page.as_uri())
    assert result.returncode == 0 and shot.exists(), result.stderr.decode(errors="replace")[-2000:]
    if os.environ.get("POLICYKG_SCREENSHOT"):
        shutil.copy(shot, os.environ["POLICYKG_SCREENSHOT"])
    w, h, bpp, rows = png_pixels(shot.read_bytes())
    assert (w, h) == (1400, 900)
    colours, blue = set(), 0
    for row in rows:
        for i in range(0, len(row), bpp):
            px = row[i:i + 3]
            colours.add(px)
            blue += abs(px[0] - 0x2F) + abs(px[1] - 0x6F) + abs(px[2] - 0xB5) < 30  # department dots
    assert len(colours) > 300
    assert blue > 3000  # nine department dots were painted, not just the legend swatch


#: Test-only harness appended to the page: hover the node whose label carries the payload and
#: record what the tooltip shows.
HOVER = """<script>
setTimeout(function () {
  var out = document.createElement('div'); out.id = 'pkg-test';
  var ids = nodes.getIds().filter(function (id) { return String(nodes.get(id).label).indexOf('onerror') >= 0; });
  out.setAttribute('data-payload-nodes', String(ids.length));
  var pos = network.canvasToDOM(network.getPositions([ids[0]])[ids[0]]);
  var canvas = document.querySelector('#mynetwork canvas'), rect = canvas.getBoundingClientRect();
  canvas.dispatchEvent(new MouseEvent('mousemove', {clientX: rect.left + pos.x, clientY: rect.top + pos.y,
                                                    bubbles: true}));
  setTimeout(function () {
    var tip = document.querySelector('div.vis-tooltip');
    out.setAttribute('data-tooltip', tip ? tip.innerText : '');
    var made = tip ? Array.prototype.filter.call(tip.getElementsByTagName('*'),
                                                 function (e) { return e.tagName !== 'BR'; }) : null;
    out.setAttribute('data-tooltip-elements', made ? String(made.length) : '-1');  // innerText makes <br>s only
    document.body.appendChild(out);
  }, 1500);
}, 3000);
</script>
"""


def test_document_text_like_img_onerror_stays_text(tmp_path):
    import policykg
    graph = KnowledgeGraph.in_memory()
    try:
        graph.add_documents([policykg.parse(INJECTION)])
        page = graph.render()
    finally:
        graph.close()
    path = tmp_path / "injection.html"
    path.write_text(page.replace("</body>", HOVER + "</body>"), encoding="utf-8")
    for _attempt in range(3):  # the hover is timer-driven: on a busy machine the tooltip may be late
        dom = dump_dom(tmp_path, path, budget_ms=15000)
        assert "data-xss" not in dom.body  # neither onerror nor the <script> in the text ran
        assert "img" not in dom.tags  # no element was made from document text
        if dom.by_id.get("pkg-test", {}).get("data-tooltip"):
            break
    assert dom.by_id["pkg-status"].get("data-drawn") == "1"
    test = dom.by_id["pkg-test"]
    assert test["data-payload-nodes"] == "1"
    assert "开展<img src=x onerror='document.body.dataset.xss=1'>href提升行动" in test["data-tooltip"]
    assert "<script>document.body.dataset.xss=3</script>" in test["data-tooltip"]
    assert test["data-tooltip-elements"] == "0"  # the hover text is plain text
