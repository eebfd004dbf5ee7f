"""``policykg serve``: the knowledge graph as a local, read-only web application (Starlette).

Safe by default: it binds 127.0.0.1, offers no way to change the graph (``/sparql`` answers queries
only), every text goes through Jinja2's autoescaping, pages carry a Content-Security-Policy that
allows nothing from another origin, and every request's work is cut off after ``timeout`` seconds.
Nothing is loaded from the network: the stylesheet is served from the package.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from importlib import resources
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import quote

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from policykg.knowledge import KnowledgeGraph

#: Pages: no script at all, styles and images from this server only, not framed by other sites.
CSP_PAGE = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "frame-src 'self'; frame-ancestors 'self'; base-uri 'none'")
#: The responsibility graph (policykg.render): its own inline vis-network script, still no network.
CSP_GRAPH = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
             "font-src data:; frame-ancestors 'self'; base-uri 'none'")
DEFAULT_TIMEOUT = 10.0
SPARQL_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


class TimedOut(Exception):
    pass


def _environment():
    import jinja2

    from . import pages
    env = jinja2.Environment(loader=jinja2.PackageLoader("policykg.web", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["q"] = lambda v: quote(str(v), safe="")
    env.filters["cell"] = _cell
    env.globals.update(ROLE_ZH=pages.ROLE_ZH, KIND_ZH=pages.KIND_ZH)
    return env


def create_app(kg: "KnowledgeGraph", timeout: float = DEFAULT_TIMEOUT) -> "Starlette":
    """The web application over ``kg`` (read-only); each request's work is limited to ``timeout`` s."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from policykg.errors import DepartmentError, InputError, NotFound, PolicyKGError, StoreError

    from . import pages
    env = _environment()
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="policykg-web")
    if hasattr(kg.store, "timeout"):  # a SPARQL server: its requests give up at the same limit
        kg.store.timeout = min(kg.store.timeout, timeout)

    async def run(fn: Callable[[], Any]) -> Any:
        """``fn`` in a worker thread, abandoned (the visitor gets an error) after ``timeout`` s."""
        try:
            return await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(pool, fn), timeout)
        except asyncio.TimeoutError:
            raise TimedOut(f"the request took longer than {timeout:g} s and was stopped") from None

    def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP_PAGE,
                                                                 "X-Content-Type-Options": "nosniff",
                                                                 "Referrer-Policy": "no-referrer"})

    def handled(handler):
        """policykg's errors as pages: unknown names 404, bad input 400, a slow or failing store 503."""
        async def endpoint(request: Request):
            try:
                return await handler(request)
            except (NotFound, DepartmentError) as err:
                return page("error.html", 404, message=str(err))
            except (TimedOut, StoreError) as err:
                return page("error.html", 503, message=str(err))
            except PolicyKGError as err:  # InputError and any other: the visitor's input
                return page("error.html", 400, message=str(err))
        return endpoint

    async def index(request: Request):
        departments, documents = await run(lambda: (kg.departments(), [d for d in kg.documents() if not d.stub]))
        return page("index.html", departments=departments, documents=documents)

    async def search(request: Request):
        p = request.query_params
        q, doc, owner, kind = (p.get(k, "").strip() for k in ("q", "doc", "owner", "kind"))

        def work():
            hits = kg.search(q, owner=owner or None, kind=kind or None, document=doc or None, limit=50) if q else []
            return hits, kg.departments(), [d for d in kg.documents() if not d.stub]
        hits, departments, documents = await run(work)
        return page("search.html", q=q, doc=doc, owner=owner, kind=kind, departments=departments,
                    documents=documents, hits=[(h, pages.highlighted(h), pages.hit_link(h)) for h in hits])

    async def department(request: Request):
        name = request.query_params.get("name", "")
        return page("department.html", p=await run(partial(pages.department_page, kg, name)))

    async def fact(request: Request):
        p = request.query_params
        view = await run(partial(pages.fact_page, kg, p.get("iri", ""), p.getlist("hl")))
        if isinstance(view, pages.MeasurePage):
            return page("measure.html", p=view)
        return page("fact.html", p=view)

    async def document(request: Request):
        return page("document.html", p=await run(partial(pages.document_page, kg, request.query_params.get("name", ""))))

    async def download(request: Request):
        p = request.query_params
        data, media, filename = await run(partial(pages.document_download, kg, p.get("name", ""), p.get("format", "")))
        return Response(data, media_type=media, headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "X-Content-Type-Options": "nosniff"})

    async def graph(request: Request):
        p = request.query_params
        html = await run(lambda: kg.render(owner=p.get("owner") or None, document=p.get("doc") or None,
                                           measure=p.get("measure") or None))
        return HTMLResponse(str(html), headers={"Content-Security-Policy": CSP_GRAPH,
                                                "X-Content-Type-Options": "nosniff"})

    async def ask(request: Request):
        q = request.query_params.get("q", "").strip()
        today = request.query_params.get("today") or None
        answer = await run(lambda: kg.query(q, today=today)) if q else None
        return page("answer.html", q=q, answer=answer)

    async def sparql(request: Request):
        """SPARQL 1.1 Protocol, queries only: GET ?query= or POST (form or application/sparql-query);
        SELECT/ASK as SPARQL JSON results, CONSTRUCT/DESCRIBE as N-Triples."""
        from policykg.store import query_form
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        query = request.query_params.get("query")
        if request.method == "POST":
            if content_type == "application/sparql-query":
                query = (await request.body()).decode("utf-8", "replace")
            elif content_type == "application/x-www-form-urlencoded":
                from urllib.parse import parse_qs
                form = parse_qs((await request.body()).decode("utf-8", "replace"))
                if "update" in form:
                    return _plain("this endpoint is read-only: SPARQL Update is not accepted", 403)
                query = form.get("query", [None])[0]
        if content_type == "application/sparql-update" or "update" in request.query_params:
            return _plain("this endpoint is read-only: SPARQL Update is not accepted", 403)
        if not query:
            return _plain("give a SPARQL query: /sparql?query=SELECT…", 400)
        if query_form(query) not in SPARQL_QUERY_FORMS or _looks_like_update(query):
            return _plain("this endpoint is read-only: only SELECT, ASK, CONSTRUCT and DESCRIBE are answered", 403)
        try:
            data, media = await run(partial(kg.store.results, query))
        except InputError as err:
            return _plain(str(err), 400)
        except (TimedOut, StoreError) as err:
            return _plain(str(err), 503)
        return Response(data, media_type=media, headers={"X-Content-Type-Options": "nosniff",
                                                         "Access-Control-Allow-Origin": "*"})

    def _plain(message: str, status: int) -> Response:
        return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8")

    static = resources.files("policykg.web").joinpath("static")
    app = Starlette(routes=[
        Route("/", handled(index)),
        Route("/search", handled(search)),
        Route("/department", handled(department)),
        Route("/fact", handled(fact)),
        Route("/document", handled(document)),
        Route("/document/download", handled(download)),
        Route("/graph", handled(graph)),
        Route("/ask", handled(ask)),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
    ])
    app.state.pool = pool
    return app


def _cell(value: Any) -> str:
    """An answer item's value as table text: lists joined with 、, parties by name."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("name") or value.get("title") or value)
    if isinstance(value, (list, tuple)):
        return "、".join(_cell(v) for v in value)
    return str(value)


def _looks_like_update(query: str) -> bool:
    """A query text that also carries an update operation (the store would refuse it; say why)."""
    import re
    body = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^>\s]*>|#[^\n]*', " ", query)
    return bool(re.search(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b\s+(DATA|WHERE|GRAPH|SILENT|ALL|"
                          r"DEFAULT|NAMED|<|\{)", body, re.I))


def serve(kg: "KnowledgeGraph", host: str = "127.0.0.1", port: int = 8080, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Serve ``kg`` with uvicorn until interrupted."""
    import uvicorn
    uvicorn.run(create_app(kg, timeout=timeout), host=host, port=port, log_level="warning")
