"""Draw the double-annotation sample: 20 examples per industry x language (320 in all), chosen
deterministically (seed 2026), written without labels for blind second annotators.

    python scripts/annotation_sample.py

Writes data/annotation/sample_a.jsonl and sample_b.jsonl (160 each, for two annotators), each line
{"id", "lang", "industry", "text"}.
"""

from __future__ import annotations

import json
from pathlib import Path

from textcs.corpus import load_corpus

OUT = Path(__file__).resolve().parents[1] / "data" / "annotation"
PER_CELL, SEED = 20, 2026


def main() -> None:
    corpus = load_corpus()
    sample = (
        corpus.groupby(["industry", "lang"])
        .sample(n=PER_CELL, random_state=SEED)
        .sort_values("id")
        .reset_index(drop=True)
    )
    OUT.mkdir(parents=True, exist_ok=True)
    for name, part in (("a", sample.iloc[0::2]), ("b", sample.iloc[1::2])):
        with (OUT / f"sample_{name}.jsonl").open("w", encoding="utf-8") as fh:
            for row in part.itertuples():
                fh.write(json.dumps({"id": row.id, "lang": row.lang, "industry": row.industry, "text": row.text},
                                    ensure_ascii=False) + "\n")
        print(f"sample_{name}.jsonl: {len(part)} examples")


if __name__ == "__main__":
    main()
