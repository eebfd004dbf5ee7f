"""Shared fixtures. Every test runs against its own data directory, never the user's."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "govcn"
SEED = Path(__file__).resolve().parents[1] / "corpus" / "gui_ren_she_fa_2023_32_county_migrant_worker_urbanisation.txt"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("POLICYKG_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("POLICYKG_STORE", raising=False)  # never a server of the user's


@pytest.fixture(scope="session")
def seed_doc():
    import policykg
    return policykg.parse(SEED)


@pytest.fixture(scope="session")
def kg(tmp_path_factory):
    """The knowledge graph built from the bundled corpus, shared by read-only tests."""
    import policykg
    graph = policykg.open(tmp_path_factory.mktemp("kg"))
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def module_cli(tmp_path_factory):
    """Invoke the CLI in-process against a data directory shared by one test module."""
    from click.testing import CliRunner

    from policykg.cli import main
    home = str(tmp_path_factory.mktemp("clihome"))

    def invoke(*args):
        return CliRunner().invoke(main, ["--home", home, *args])
    return invoke


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command of the PyPI package ``oxigraph`` (test extra), beside this Python."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


class SparqlServer:
    """A real Oxigraph SPARQL server on a free localhost port, started and stopped by the tests."""

    def __init__(self, location: Path, union: bool = True):
        binary = oxigraph_binary()
        if binary is None:
            pytest.skip("the `oxigraph` server is not installed (pip install oxigraph, in the test extra)")
        self.location = location
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._cmd = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
                     *(["--union-default-graph"] if union else [])]
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(self._cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}") from None
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not start within 20 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def clear(self) -> None:
        request = urllib.request.Request(f"{self.url}/update", data=b"DROP ALL",
                                         headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(request, timeout=10).read()


@pytest.fixture(scope="session")
def sparql_server(tmp_path_factory):
    """One Oxigraph server for the session (emptied by ``remote_url`` before each test that uses it)."""
    server = SparqlServer(tmp_path_factory.mktemp("oxigraph") / "db")
    yield server
    server.stop()


@pytest.fixture
def remote_url(sparql_server) -> str:
    """The URL of an empty SPARQL server."""
    if sparql_server.process is None:
        sparql_server.start()
    sparql_server.clear()
    return sparql_server.url


@pytest.fixture(params=["embedded", "remote"])
def store(request, tmp_path):
    """Every store test runs twice: on the embedded store and on a real SPARQL server."""
    if request.param == "embedded":
        from policykg.store import OxigraphStore
        s = OxigraphStore(tmp_path / "s")
    else:
        from policykg.remote import RemoteStore
        s = RemoteStore(request.getfixturevalue("remote_url"))
    yield s
    s.close()
