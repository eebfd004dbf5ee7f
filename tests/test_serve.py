"""`policykg serve`: a real server process on a free localhost port, asked over HTTP — pages,
downloads, the read-only SPARQL endpoint, escaping, time limits — and driven in headless Chromium
(selenium + Debian's chromium-driver): department page → search → measure with its highlighted
source sentence → document → xlsx download, with a screenshot."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from conftest import FIXTURES, free_port

INJECTION = FIXTURES / "render" / "injection_notice.txt"


class Served:
    """``policykg --home HOME serve --port P`` as a child process."""

    def __init__(self, home: Path, *args: str):
        self.url = f"http://127.0.0.1:{(port := free_port())}"
        env = {**os.environ, "POLICYKG_HOME": str(home)}
        self.process = subprocess.Popen([sys.executable, "-m", "policykg.cli", "serve", "--port", str(port), *args],
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120  # the first start builds the bundled corpus
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/static/style.css", timeout=2).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.2)
        raise RuntimeError("policykg serve did not start")

    def get(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.url + path, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    import policykg
    home = tmp_path_factory.mktemp("servehome")
    kg = policykg.open(home)
    kg.ingest([INJECTION])
    kg.close()
    server = Served(home)
    yield server
    server.stop()


def q(text: str) -> str:
    return quote(text, safe="")


# -- pages over HTTP -------------------------------------------------------------------------------

def test_serve_listens_only_on_this_computer_by_default():
    from policykg.cli import main
    host = next(p for p in main.commands["serve"].params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_a_department_page_lists_its_measures_by_role(served):
    status, headers, body = served.get("/department?name=" + q("教育厅"))
    html = body.decode()
    assert status == 200 and "广西壮族自治区教育厅" in html
    assert "开展职业技能水平提升行动" in html and "<h3>负责 (" in html
    assert "script-src" not in headers["content-security-policy"]  # the page itself runs no script


def test_search_highlights_hits_and_filters_by_kind(served):
    html = served.get("/search?" + urlencode({"q": "乡村工匠", "kind": "target"}))[2].decode()
    assert '<mark class="hit">乡村工匠</mark>' in html
    assert html.count('class="hit"') >= 1 and '<span class="kind">目标</span>' in html
    assert '<span class="kind">措施</span>' not in html


def test_a_measure_hit_opens_the_measure_with_the_sentence_of_the_match_in_focus(served):
    html = served.get("/search?" + urlencode({"q": "乡村工匠", "kind": "measure"}))[2].decode()
    link = html.split('<a class="hit-link" href="')[1].split('"')[0].replace("&amp;", "&")
    page = served.get(link)[2].decode()
    assert "<h1>（二） 开展职业技能水平提升行动</h1>" in page
    source = page.split('id="source">')[1].split("</blockquote>")[0]
    focus = source.split('<span class="sentence focus">')[1].split("</span>")[0]
    assert '<mark class="hit">乡村工匠</mark>' in focus
    assert '<mark class="party responsible">教育厅</mark>' in page  # the departments as printed


def test_a_target_page_quotes_its_sentence_and_links_the_measures_it_concerns(served):
    rows = json.loads(served.get("/sparql?" + urlencode({"query": (
        'SELECT ?t WHERE { ?t a pkg:Target ; pkg:text "培养乡村工匠200名" }')}))[2])
    page = served.get("/fact?iri=" + q(rows["results"]["bindings"][0]["t"]["value"]))[2].decode()
    assert '<mark class="fact focus">培养乡村工匠200名</mark>' in page
    assert "（二） 开展职业技能水平提升行动</a>" in page


def test_the_question_box_shows_its_interpretation(served):
    html = served.get("/ask?q=" + q("教育厅负责哪些措施"))[2].decode()
    assert "理解为 Interpreted as" in html and "<th>department</th><td>广西壮族自治区教育厅</td>" in html
    assert '<p class="headline">5 measures</p>' in html  # 4 of the bundled notice, 1 of 桂教发〔2024〕99号
    assert "<td>开展职业技能水平提升行动</td>" in html
    assert "SELECT" in html  # the SPARQL that ran


def test_a_document_offers_its_task_table_as_xlsx_csv_and_its_deadlines_as_ics(served):
    from openpyxl import load_workbook
    name = q("桂人社发〔2023〕32号")
    status, headers, data = served.get(f"/document/download?name={name}&format=xlsx")
    assert status == 200 and "attachment" in headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(data))["任务分工表"]
    assert [c.value for c in sheet[1]][:3] == ["序号", "任务", "牵头单位"]
    assert sheet.max_row >= 7 and "桂教发" not in str([c.value for c in sheet["G"]])  # this document only
    csv_text = served.get(f"/document/download?name={name}&format=csv")[2].decode("utf-8-sig")
    assert csv_text.startswith("序号,任务,牵头单位")
    ics = served.get(f"/document/download?name={name}&format=ics")[2].decode()
    assert ics.count("BEGIN:VEVENT") == 2 and "DTSTART;VALUE=DATE:20230715" in ics


def test_document_text_stays_text_on_every_page(served):
    for path in ("/department?name=" + q("财政厅"), "/search?q=" + q("校园建设"),
                 "/document?name=" + q("桂教发〔2024〕99号")):
        html = served.get(path)[2].decode()
        assert "<img" not in html and "<script>" not in html, path
        assert "&lt;img src=x onerror=" in html or "&lt;script&gt;" in html, path


def test_an_unknown_department_is_a_404_page_with_the_message(served):
    status, _, body = served.get("/department?name=" + q("不存在厅"))
    assert status == 404 and "no department matches" in body.decode()


# -- the SPARQL endpoint ---------------------------------------------------------------------------

def test_sparql_answers_the_standard_protocol_with_json_results(served):
    query = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }"
    by_get = json.loads(served.get("/sparql?" + urlencode({"query": query}))[2])
    status, headers, body = served.get("/sparql", urlencode({"query": query}).encode(),
                                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert headers["content-type"].startswith("application/sparql-results+json")
    assert by_get == json.loads(body)
    assert by_get["results"]["bindings"][0]["n"]["value"] == "8"  # 6 + the 2 of 桂教发〔2024〕99号


def test_sparql_refuses_updates_and_leaves_the_graph_as_it_was(served):
    update = 'INSERT DATA { <http://example.org/x> <http://example.org/p> "写入" }'
    assert served.get("/sparql", urlencode({"update": update}).encode(),
                      {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert served.get("/sparql", update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    assert served.get("/sparql?" + urlencode({"query": update}))[0] == 403
    ask = json.loads(served.get("/sparql?" + urlencode({"query": "ASK { ?s ?p \"写入\" }"}))[2])
    assert ask["boolean"] is False


def test_a_sparql_syntax_error_is_a_400_saying_so(served):
    status, _, body = served.get("/sparql?" + urlencode({"query": "SELECT ?x WHERE { ?x"}))
    assert status == 400 and body.decode().startswith("SPARQL query: syntax error at line 1, column 21")


def test_a_query_over_the_time_limit_is_stopped_with_503(tmp_path):
    import asyncio

    import policykg
    from policykg.web import create_app
    kg = policykg.open(tmp_path)
    app = create_app(kg, timeout=0.05)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # 1 400² rows: about a second
    sent = []

    async def call():
        scope = {"type": "http", "method": "GET", "path": "/sparql", "raw_path": b"/sparql", "root_path": "",
                 "query_string": urlencode({"query": slow}).encode(), "headers": [], "scheme": "http",
                 "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1)}

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)
        await app(scope, receive, send)
    asyncio.run(call())
    app.state.pool.shutdown(wait=True)
    kg.close()
    assert sent[0]["status"] == 503
    assert sent[1]["body"].decode().strip() == "the request took longer than 0.05 s and was stopped"


# -- in a real browser -----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (test extra)")
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.skip("Chromium or chromedriver not found: `apt-get install -y chromium chromium-driver "
                    "fonts-wqy-zenhei` (Debian) to run the browser test")
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.downloads = downloads
    yield driver
    driver.quit()


def test_in_a_browser_department_search_measure_source_and_xlsx_download(served, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(browser, 30)

    browser.get(served.url + "/department?name=" + q("教育厅"))
    assert browser.find_element(By.ID, "department").text == "广西壮族自治区教育厅"
    box = browser.find_element(By.ID, "q")
    box.send_keys("乡村工匠")
    browser.find_element(By.ID, "search-go").click()
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "mark.hit")))
    assert browser.find_element(By.CSS_SELECTOR, "mark.hit").text == "乡村工匠"

    measure = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.hit-link") if "措施" in a.text)
    measure.click()
    focus = wait.until(ready.visibility_of_element_located((By.CSS_SELECTOR, "#source .sentence.focus")))
    assert "乡村工匠" in focus.text and focus.find_element(By.CSS_SELECTOR, "mark.hit").text == "乡村工匠"
    assert browser.find_element(By.TAG_NAME, "h1").text == "（二） 开展职业技能水平提升行动"
    browser.save_screenshot(str(tmp_path / "measure.png"))
    shot = tmp_path / "measure.png"
    if os.environ.get("POLICYKG_SCREENSHOTS"):  # keep the picture to look at
        shutil.copy(shot, Path(os.environ["POLICYKG_SCREENSHOTS"]) / "serve-measure.png")
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one

    browser.find_element(By.CSS_SELECTOR, "p.muted a").click()  # the measure's document
    link = wait.until(ready.element_to_be_clickable((By.ID, "download-xlsx")))
    link.click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(browser.downloads.glob("*.xlsx")):
        time.sleep(0.2)
    files = list(browser.downloads.glob("*.xlsx"))
    assert [f.name for f in files] == ["桂人社发-2023-32号-任务分工表.xlsx"]
    from openpyxl import load_workbook
    assert load_workbook(files[0])["任务分工表"]["B2"].value.startswith("（一）")
