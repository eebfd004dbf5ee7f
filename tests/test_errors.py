"""One exception hierarchy: the library raises PolicyKGError subclasses on purpose, the CLI turns only
those into one-line messages (an exit status per class) and lets every other exception show its traceback."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

import policykg
from policykg import errors
from policykg.cli import main


@pytest.mark.parametrize("name, builtin", [("InputError", ValueError), ("NotFound", LookupError),
                                           ("DocumentNotFound", LookupError), ("DepartmentError", LookupError),
                                           ("StoreError", RuntimeError)])
def test_every_library_error_is_a_policykg_error_and_keeps_its_builtin_base(name, builtin):
    cls = getattr(policykg, name)
    assert cls is getattr(errors, name)
    assert issubclass(cls, policykg.PolicyKGError) and issubclass(cls, builtin)


def test_input_error_is_importable_from_corpus_as_before():
    from policykg.corpus import InputError
    from policykg.corpus.read import InputError as from_read
    assert InputError is from_read is policykg.InputError


def test_the_store_and_the_index_raise_store_errors():
    from policykg.search import IndexLocked
    from policykg.store import StoreError
    assert StoreError is policykg.StoreError and issubclass(IndexLocked, policykg.StoreError)


def test_unknown_department_raises_department_error(kg):
    with pytest.raises(policykg.DepartmentError, match="魔法部"):
        kg.measures(owner="魔法部")


def test_bad_sparql_raises_input_error(kg):
    with pytest.raises(policykg.InputError, match="SPARQL"):
        kg.sparql("SELEKT nothing")


def test_unknown_fact_id_raises_not_found(kg):
    with pytest.raises(policykg.NotFound, match="no measure .9.9."):
        kg.fact("m9.9")


@pytest.fixture
def cli(tmp_path):
    def invoke(*args):
        return CliRunner().invoke(main, ["--home", str(tmp_path / "home"), *args])
    return invoke


def test_a_programming_error_in_the_library_keeps_its_traceback(cli, monkeypatch):
    # 部门 listing hits a bug (a KeyError): not a user error, so no one-line message swallows it
    def broken(self):
        raise KeyError("o")
    monkeypatch.setattr(policykg.KnowledgeGraph, "departments", broken)
    result = cli("departments")
    assert isinstance(result.exception, KeyError)
    assert "policykg:" not in result.output


@pytest.mark.parametrize("error, status", [
    (lambda: policykg.DepartmentError("魔法部", []), 1),
    (lambda: policykg.DocumentNotFound("川府发〔2024〕1号", []), 1),
    (lambda: policykg.InputError("notice.txt", "binary data, not a text file"), 2),
    (lambda: policykg.StoreError("/data/store: the store is in use by another policykg process"), 3),
])
def test_cli_maps_each_error_class_to_an_exit_status_with_one_line(cli, monkeypatch, error, status):
    def failing(self):
        raise error()
    monkeypatch.setattr(policykg.KnowledgeGraph, "departments", failing)
    result = cli("departments")
    assert result.exit_code == status
    assert result.output.count("\n") == 1 and result.output.startswith("policykg: ")
    assert "Traceback" not in result.output
