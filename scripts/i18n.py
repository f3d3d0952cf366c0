"""Keep the Chinese catalogue in step with the code: extract tr() strings, compile the .qm.

    python scripts/i18n.py          # update resources/i18n/dissuade_zh_CN.ts and compile .qm
    python scripts/i18n.py --check  # exit 1 listing strings without a Chinese translation
    python scripts/i18n.py --fill T.json  # add translations {"Context": {"source": "译文"}}

Each ui module defines `tr(text)` as QCoreApplication.translate("<Context>", text); this finds
the literal strings passed to it. Translations live in the .ts file (edit it with Qt Linguist
or by hand); strings no longer in the code are dropped.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "dissuade_zh_CN.ts"
QM = TS.with_suffix(".qm")


def extract(folder: Path = ROOT / "ui") -> dict[str, list[str]]:
    """{context: [source strings in order of appearance]} for every ui module."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        context = None
        for node in ast.walk(tree):
            if (isinstance(node, ast.FunctionDef) and node.name == "tr"):
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "translate"
                            and call.args and isinstance(call.args[0], ast.Constant)):
                        context = str(call.args[0].value)
        if context is None:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                strings = found.setdefault(context, [])
                if node.args[0].value not in strings:
                    strings.append(node.args[0].value)
    return found


def read_ts(path: Path = TS) -> dict[tuple[str, str], str]:
    if not path.exists():
        return {}
    table = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr_el = msg.find("translation")
            text = (tr_el.text or "") if tr_el is not None else ""
            if tr_el is not None and tr_el.get("type") == "unfinished":
                text = ""
            table[(name, msg.findtext("source") or "")] = text
    return table


def write_ts(strings: dict[str, list[str]], table: dict[tuple[str, str], str],
             path: Path = TS) -> None:
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    for context in sorted(strings):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        for source in strings[context]:
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "source").text = source
            translation = table.get((context, source), "")
            el = ET.SubElement(msg, "translation")
            if translation:
                el.text = translation
            else:
                el.set("type", "unfinished")
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def missing(strings: dict[str, list[str]], table: dict[tuple[str, str], str]) -> list[str]:
    return [f"{c}: {s!r}" for c, items in strings.items() for s in items if not table.get((c, s))]


def lrelease() -> str:
    exe = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    return exe


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--fill", metavar="JSON", help='translations to add: {"Context": '
                        '{"source": "译文"}}')
    args = parser.parse_args()
    strings, table = extract(), read_ts()
    if args.fill:
        import json

        for context, pairs in json.loads(Path(args.fill).read_text(encoding="utf-8")).items():
            for source, translation in pairs.items():
                table[(context, source)] = translation
    gaps = missing(strings, table)
    if args.check:
        print("\n".join(gaps) or "all strings translated")
        return 1 if gaps else 0
    write_ts(strings, table)
    subprocess.run([lrelease(), "-silent", str(TS), "-qm", str(QM)], check=True)
    print(f"{TS.name}: {sum(map(len, strings.values()))} strings, {len(gaps)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
