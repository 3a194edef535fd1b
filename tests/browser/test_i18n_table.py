"""Every English string the page shows has its Simplified Chinese entry (no browser needed)."""

import html
import re
from pathlib import Path

from app.equations import NOTES_PRINT, TITLES
from nncore.activations import ACTIVATIONS
from nncore.circuit import ROLES
from nncore.datasets import DATASETS
from nncore.errors import MESSAGES
from nncore.initializers import INITIALIZERS
from nncore.losses import PROBLEMS
from nncore.optimizers import OPTIMIZERS

ROOT = Path(__file__).resolve().parents[2]


def page_strings() -> set[str]:
    keys: set[str] = set()
    template = "\n".join(p.read_text("utf-8") for p in (ROOT / "templates").glob("*.html"))
    for m in re.finditer(r"<(\w+)([^>]*)>", template):
        attrs = m.group(2)
        if "data-i18n-label" in attrs:
            keys.add(html.unescape(re.search(r'aria-label="([^"]*)"', attrs).group(1)))
        if "data-i18n-title" in attrs:
            keys.add(html.unescape(re.search(r' title="([^"]*)"', attrs).group(1)))
        named = re.search(r'data-i18n="([^"]*)"', attrs)
        if named:
            keys.add(html.unescape(named.group(1)))
        elif re.search(r"data-i18n(\s|$)", attrs + " "):
            rest = template[m.end() :]
            keys.add(html.unescape(rest[: rest.index("<")]).strip())
    for path in (ROOT / "static" / "js").glob("*.js"):
        source = path.read_text("utf-8")
        keys |= set(re.findall(r'\bt(?:r)?\("((?:[^"\\]|\\.)*)"', source))
        keys |= set(re.findall(r'label: "([^"]+)", steps', source))
    # names the server sends, shown through t()
    keys |= {a.label for a in ACTIVATIONS.values()} | {o.label for o in OPTIMIZERS.values()}
    keys |= {i.label for i in INITIALIZERS.values()} | {p.label for p in PROBLEMS.values()}
    keys |= {d.description for p in DATASETS.values() for d in p.values()}
    keys |= set(ROLES.values())  # a gate's role, shown in the circuit view's captions
    keys |= set(MESSAGES.values())  # the server's errors, by their codes' templates
    keys |= set(TITLES)  # the titles of a neuron's and a weight's equations
    keys |= set(NOTES_PRINT.values())  # where the notes misprint a formula
    return keys - {""}


def zh_table() -> dict[str, str]:
    source = (ROOT / "static" / "js" / "lang" / "zh.js").read_text("utf-8")
    return dict(re.findall(r'^\s*"((?:[^"\\]|\\.)*)":\s*\n?\s*"((?:[^"\\]|\\.)*)"', source, re.M))


def test_every_page_string_has_a_chinese_entry():
    table, strings = zh_table(), page_strings()
    assert len(strings) > 150 and len(table) > 150  # the scans found the page's strings
    missing = sorted(k for k in strings if k not in table)
    assert missing == []


def test_placeholders_survive_translation():
    table = zh_table()
    assert sum("{" in en for en in table) > 10
    for en, zh in table.items():
        assert sorted(re.findall(r"\{\w+\}", en)) == sorted(re.findall(r"\{\w+\}", zh)), en
