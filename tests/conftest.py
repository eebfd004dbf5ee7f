"""Shared fixtures. Every test runs against its own data directory, never the user's."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "govcn"
SEED = Path(__file__).resolve().parents[1] / "corpus" / "gui_ren_she_fa_2023_32_county_migrant_worker_urbanisation.txt"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("POLICYKG_HOME", str(tmp_path_factory.mktemp("home")))


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
