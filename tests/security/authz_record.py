"""Turn a recorded matrix run (``AUTHZ_RECORD=1 pytest tests/security/test_authz_matrix.py -s > run.log``) into
declaration lines: ``python tests/security/authz_record.py run.log``. Review every line before pasting it into
``<app>/tests/authz.py``: a neighbour or a role that should not act and shows ``OK`` is a leak, not a declaration."""

from __future__ import annotations

import collections
import sys

from tests.security.authz import ALL_ROLES, HIDDEN, OK, SUBJECTS, Access

HELPER_DEFAULTS = {"refused": "DENIED", "neighbour": "HIDDEN", "anonymous": "LOGIN"}
NAMES = {"ok": "OK", "login": "LOGIN", "denied": "DENIED", "hidden": "HIDDEN", "method": "NOT_ALLOWED"}


def parse(lines):
    records: dict[str, dict[str, dict[str, str]]] = {}
    current = None
    for line in lines:
        if line.startswith("RECORD "):
            parts = line.split()
            current = " ".join(parts[1:3]) if parts[1] in ("GET", "POST", "PUT", "PATCH", "DELETE") else parts[1]
            records[current] = {}
        elif current and line.startswith(("  read:", "  write:")):
            action, cells = line.strip().split(":", 1)
            records[current][action] = dict(cell.split("=") for cell in cells.split())
    return records


def _outside(cells):
    return [s for s in cells if s.endswith("@neighbour") or s.startswith("enterprise@")]


def access_expression(cells: dict[str, str]) -> str:
    roles = tuple(r for r in ALL_ROLES if cells.get(f"{r}@own") == OK)
    neighbours = [cells[f"{r}@neighbour"] for r in roles if f"{r}@neighbour" in cells]
    scoped = any(o != OK for o in neighbours)
    neighbour = collections.Counter(o for o in neighbours if o != OK).most_common(1)[0][0] if scoped else HIDDEN
    outside = [o for s, o in cells.items() if s.endswith("@neighbour") or s.startswith("enterprise@")]
    outsiders = outside[0] if scoped and len(set(outside)) == 1 and outside[0] != OK else None
    others = [
        o
        for s, o in cells.items()
        if s != "anonymous" and s.split("@")[0] not in roles and not (outsiders and s in dict.fromkeys(_outside(cells)))
    ]
    refused = collections.Counter(others).most_common(1)[0][0] if others else "denied"
    access = Access(
        roles=roles,
        scoped=scoped,
        refused=refused,
        neighbour=neighbour,
        anonymous=cells["anonymous"],
        outsiders=outsiders,
    )
    exceptions = {s: o for s, o in cells.items() if access.expected(s) != o}
    if outsiders and cells["anonymous"] == "login":
        args = [repr(tuple(r for r in roles if r != "enterprise"))]
        if refused != "denied":
            args.append(f"refused={NAMES[refused]}")
        args += [f"**{{{s!r}: {NAMES[o]}}}" for s, o in exceptions.items()]
        return "scoped(" + ", ".join(args) + ")"
    args = [f"roles={roles!r}" if roles != ALL_ROLES else "roles=ALL_ROLES"]
    if not scoped:
        args.append("scoped=False")
    for key, value in (("refused", refused), ("neighbour", neighbour), ("anonymous", cells["anonymous"])):
        if NAMES[value] != HELPER_DEFAULTS[key] and (key != "neighbour" or scoped):
            args.append(f"{key}={NAMES[value]}")
    if exceptions:
        args.append("cells={" + ", ".join(f"{s!r}: {NAMES[o]}" for s, o in exceptions.items()) + "}")
    return "Access(" + ", ".join(args) + ")"


if __name__ == "__main__":
    with open(sys.argv[1]) as log:
        records = parse(log)
    for name, actions in records.items():
        parts = [f"{action}={access_expression(cells)}" for action, cells in actions.items()]
        print(f"{name!r}: {', '.join(parts)}")
    assert SUBJECTS
