"""The README documents every command and option the CLI offers (docs tested against --help)."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from policykg.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented(name):
    assert re.search(rf"policykg {name}\b", README), f"`policykg {name}` is missing from README.md"


@pytest.mark.parametrize("name,option", sorted(
    (name, opt) for name, cmd in main.commands.items() for p in cmd.params
    if isinstance(p, click.Option) for opt in p.opts if opt.startswith("--") and opt != "--help"))
def test_every_option_is_documented(name, option):
    assert option in README, f"`policykg {name} {option}` is missing from README.md"
