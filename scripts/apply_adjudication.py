"""Apply the adjudicators' final labels (data/annotation/adjudication_*.jsonl) to the corpus.

    python scripts/apply_adjudication.py

Each adjudication line names an example id and the final value of every field the two annotators
disagreed on. The script rewrites the matching rows of data/corpus/*.jsonl in place (rerunning
changes nothing more) and prints how many fields changed from the first annotation. The
first annotation stays in data/annotation/first_pass.jsonl, so the agreement figures can be rerun:
``python scripts/agreement.py --first data/annotation/first_pass.jsonl``.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELDS = {"servqual", "polarity", "delight", "failures", "recovery", "touchpoints"}


def main() -> int:
    final: dict[str, dict] = {}
    chose = collections.Counter()
    for path in sorted((ROOT / "data" / "annotation").glob("adjudication_*.jsonl")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not set(row["final"]) <= FIELDS:
                print(f"{path.name}:{lineno}: unknown field(s) {set(row['final']) - FIELDS}", file=sys.stderr)
                return 1
            final[row["id"]] = row["final"]
            chose.update(row.get("chose", {}).values())
    changed = collections.Counter()
    for path in sorted((ROOT / "data" / "corpus").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in rows:
            for field, value in final.get(row["id"], {}).items():
                if row[field] != value:
                    row[field] = value
                    changed[field] += 1
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"adjudicated examples: {len(final)}; decisions: {dict(chose)}")
    print(f"fields changed in the corpus by this run: {dict(changed)} (total {sum(changed.values())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
