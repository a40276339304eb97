"""Fill locale/en/LC_MESSAGES/django.po from JSON maps {msgid: translation or [singular, plural]}.

Used when translating new messages in bulk: `python scripts/apply_translations.py part1.json part2.json`.
Only untranslated and fuzzy entries are filled: a translation already in the catalogue is kept (older JSON files
must not undo a later correction). `--overwrite` replaces existing translations too.
"""

import datetime
import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main(paths: list[str]) -> None:
    overwrite = "--overwrite" in paths
    paths = [p for p in paths if p != "--overwrite"]
    mapping: dict = {}
    for path in paths:
        mapping.update(json.loads(Path(path).read_text(encoding="utf-8")))
    po = polib.pofile(str(PO))
    filled = 0
    for entry in po:
        # A key "context\u0004msgid" translates that pgettext context only; a plain key every other entry.
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.obsolete or key not in mapping:
            continue
        if entry.translated() and "fuzzy" not in entry.flags and not overwrite:
            continue
        value = mapping[key]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        filled += 1
    po.metadata_is_fuzzy = False
    po.metadata["Project-Id-Version"] = "quality-platform"
    po.metadata["Language"] = "en"
    po.metadata["Language-Team"] = "English"
    po.metadata["Last-Translator"] = "质监通 maintainers"
    po.metadata["PO-Revision-Date"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M+0000")
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    for entry in [e for e in po if e.obsolete]:
        po.remove(entry)
    po.save(str(PO))
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
    print(f"filled {filled}; untranslated {len(missing)}")
    for msgid in missing[:20]:
        print("  ", msgid)


if __name__ == "__main__":
    main(sys.argv[1:])
