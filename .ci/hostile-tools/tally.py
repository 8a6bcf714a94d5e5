"""What one Schemathesis run got back, from its VCR cassette: how many responses carried
no error, how many carried each error code, and how many operations answered at least once
without an error. Shows how far the fuzzing got past validation and authorization.

    venv/bin/python tally.py CASSETTE.yaml
"""

from __future__ import annotations

import collections
import json
import re
import sys

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader

FIELD = re.compile(r"^\s*(?:(query|mutation)\b[^{]*)?\{\s*([A-Za-z_][A-Za-z0-9_]*)")


def main(path: str) -> None:
    with open(path, encoding="utf-8") as file:
        cassette = yaml.load(file, Loader=Loader)
    codes: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()
    tried: set[str] = set()
    answered: set[str] = set()
    total = clean = 0
    for interaction in cassette.get("http_interactions") or []:
        response = interaction.get("response") or {}
        status = str((response.get("status") or {}).get("code"))
        statuses[status] += 1
        total += 1
        try:
            query = json.loads(interaction["request"]["body"]["string"]).get("query", "")
        except (KeyError, TypeError, ValueError, AttributeError):
            query = ""
        match = FIELD.match(query)
        operation = f"{match.group(1) or 'query'} {match.group(2)}" if match else "?"
        tried.add(operation)
        try:
            payload = json.loads((response.get("body") or {}).get("string") or "")
        except ValueError:
            codes["(not JSON)"] += 1
            continue
        errors = payload.get("errors") if isinstance(payload, dict) else None
        if not errors:
            clean += 1
            answered.add(operation)
            continue
        for code in {((e.get("extensions") or {}).get("code") or "(none)") for e in errors if isinstance(e, dict)}:
            codes[code] += 1
    if total == 0:
        print("  no responses recorded")
        return
    by_code = ", ".join(f"{code} {count}" for code, count in codes.most_common())
    by_status = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    print(f"  {total} responses (HTTP {by_status}); without errors: {clean} ({100 * clean // total}%)")
    print(f"  error codes (responses carrying each): {by_code or 'none'}")
    print(f"  operations answered without an error at least once: {len(answered)} of {len(tried)} tried")


if __name__ == "__main__":
    main(sys.argv[1])
