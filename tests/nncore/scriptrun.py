"""Run an exported NumPy script in a fresh Python and read its last, machine-readable line;
list what it imports."""

import ast
import json
import subprocess
import sys


def run_exported(text: str, tmp_path, tag: str) -> tuple[list[str], object]:
    """The script's printed lines and the JSON after `tag` on its last line (it must end
    cleanly, printing nothing on stderr)."""
    path = tmp_path / "exported.py"
    path.write_text(text)
    r = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    got, _, payload = lines[-1].partition(" ")
    assert got == tag
    return lines, json.loads(payload)


def imported_modules(text: str) -> set[str]:
    """The top-level modules a script's source imports."""
    imported = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    return imported
