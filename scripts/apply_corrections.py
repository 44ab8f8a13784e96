"""Apply reviewed label corrections to the corpus (data/corpus/*.jsonl), in place.

    python scripts/apply_corrections.py

Two kinds of file in data/annotation/ are read:
- adjudication_*.jsonl: the adjudicators' final value of every field two annotators disagreed on
  ({"id", "final": {field: value}, "chose", "reason"});
- consistency_*.jsonl: the consistency pass over the single-annotated examples
  ({"id", "changes": {field: {"old", "new"}}, "rule"}). A change applies only if the corpus still
  holds its "old" value; otherwise it is reported as stale and skipped.

Rerunning changes nothing more. The first annotation of the double-annotated sample stays in
data/annotation/first_pass.jsonl, so `python scripts/agreement.py --first data/annotation/first_pass.jsonl`
still reproduces the agreement figures.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANN = ROOT / "data" / "annotation"
FIELDS = {"servqual", "polarity", "delight", "failures", "recovery", "touchpoints"}


def _lines(pattern: str):
    for path in sorted(ANN.glob(pattern)):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                yield f"{path.name}:{lineno}", json.loads(line)


def main() -> int:
    final: dict[str, dict] = {}
    expected: dict[str, dict] = {}
    for where, row in _lines("adjudication_*.jsonl"):
        final[row["id"]] = row["final"]
    for where, row in _lines("consistency_*.jsonl"):
        if row["id"] in final:
            print(f"{where}: {row['id']} was adjudicated; consistency change ignored", file=sys.stderr)
            continue
        final[row["id"]] = {f: c["new"] for f, c in row["changes"].items()}
        expected[row["id"]] = {f: c["old"] for f, c in row["changes"].items()}
    bad = {i: set(v) - FIELDS for i, v in final.items() if set(v) - FIELDS}
    if bad:
        print(f"unknown fields: {bad}", file=sys.stderr)
        return 1
    changed, stale = collections.Counter(), []
    for path in sorted((ROOT / "data" / "corpus").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in rows:
            for field, value in final.get(row["id"], {}).items():
                if row[field] == value:
                    continue
                old = expected.get(row["id"], {}).get(field, row[field])
                if old != row[field]:
                    stale.append(f"{row['id']}.{field}")
                    continue
                row[field] = value
                changed[field] += 1
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"examples with reviewed labels: {len(final)}")
    print(f"fields changed by this run: {dict(changed)} (total {sum(changed.values())})")
    if stale:
        print(f"stale changes skipped (corpus no longer holds the 'old' value): {len(stale)} {stale[:10]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
