"""Declare the corpus's fixed train/dev/test split in the data itself.

Each example's split follows from its id alone, so adding examples never moves existing ones:
crc32(id) % 20 in {0, 1, 2} -> test (15 %), {3, 4, 5} -> dev (15 %), else train (70 %).
Rewrites data/corpus/*.jsonl in place, adding or refreshing the "split" field. Rerunning changes nothing.

    python scripts/assign_splits.py
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def split_of(example_id: str) -> str:
    bucket = zlib.crc32(example_id.encode("utf-8")) % 20
    return "test" if bucket < 3 else "dev" if bucket < 6 else "train"


def main() -> None:
    counts: dict[str, int] = {}
    for path in sorted(CORPUS.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in rows:
            row["split"] = split_of(row["id"])
            counts[row["split"]] = counts.get(row["split"], 0) + 1
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(counts)


if __name__ == "__main__":
    main()
