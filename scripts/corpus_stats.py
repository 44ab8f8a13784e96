"""Counts of the project's corpus, and the targets it must meet.

    python scripts/corpus_stats.py

Prints Markdown tables (pasted into data/README.md) and a PASS/FAIL line for each target: at least
4,000 examples, about half Korean and half English, and every SERVQUAL dimension and failure type on
at least 200 examples in each language. The exit code is 1 if any target fails.
"""

from __future__ import annotations

import sys

import pandas as pd

from textcs.corpus import load_corpus, validate_corpus
from textcs.taxonomy import load_taxonomy

MIN_TOTAL, MIN_PER_LABEL = 4000, 200


def md(frame: pd.DataFrame) -> str:
    frame = frame.fillna(0)
    head = "| " + " | ".join([frame.index.name or "", *map(str, frame.columns)]) + " |"
    sep = "|" + "---|" * (len(frame.columns) + 1)
    rows = ["| " + " | ".join([str(i), *(f"{int(v):,}" for v in r)]) + " |" for i, r in zip(frame.index, frame.values)]
    return "\n".join([head, sep, *rows])


def main() -> int:
    tax = load_taxonomy()
    corpus = load_corpus()
    out: list[str] = []
    by_lang = corpus.groupby("lang").size()
    out.append(f"Examples: {len(corpus):,} (ko {by_lang.get('ko', 0):,}, en {by_lang.get('en', 0):,})\n")

    out.append("### Examples per industry and language\n")
    t = corpus.groupby(["industry", "lang"]).size().unstack()
    t.index.name = "industry"
    out.append(md(t) + "\n")

    out.append("### Examples per split and language\n")
    t = corpus.groupby(["split", "lang"]).size().unstack()
    t.index.name = "split"
    out.append(md(t) + "\n")

    label_counts = {}
    for task in ("servqual", "failures"):
        exploded = corpus[["lang", task]].explode(task).dropna()
        t = exploded.groupby([task, "lang"]).size().unstack().reindex(tax.labels(task))
        t.index.name = task
        label_counts[task] = t
        out.append(f"### {task} labels per language (an example can carry several)\n")
        out.append(md(t) + "\n")
    for task, col in (("polarity", "polarity"), ("recovery", "recovery")):
        t = corpus.groupby([col, "lang"]).size().unstack().reindex(tax.labels(task))
        t.index.name = task
        out.append(f"### {task} per language\n")
        out.append(md(t) + "\n")

    extra = pd.DataFrame({
        "delight": corpus.groupby("lang")["delight"].sum(),
        "no servqual label": corpus.groupby("lang")["servqual"].apply(lambda s: sum(len(x) == 0 for x in s)),
        "no failure": corpus.groupby("lang")["failures"].apply(lambda s: sum(len(x) == 0 for x in s)),
        "with touchpoint": corpus.groupby("lang")["touchpoints"].apply(lambda s: sum(len(x) > 0 for x in s)),
    }).T
    extra.index.name = "other"
    out.append("### Delight, empty label sets, touchpoints\n")
    out.append(md(extra) + "\n")

    t = corpus[["lang", "phenomena"]].explode("phenomena").dropna().groupby(["phenomena", "lang"]).size().unstack()
    t.index.name = "phenomenon"
    out.append("### Writing phenomena per language\n")
    out.append(md(t.sort_values("ko", ascending=False)) + "\n")

    checks = [
        (f"at least {MIN_TOTAL:,} examples", len(corpus) >= MIN_TOTAL),
        ("about half Korean, half English (each 40-60 %)", 0.4 <= by_lang.get("ko", 0) / len(corpus) <= 0.6),
    ]
    for task, t in label_counts.items():
        for label, row in t.fillna(0).iterrows():
            for lang in ("ko", "en"):
                checks.append((f"{task}/{label}/{lang} >= {MIN_PER_LABEL} (has {int(row.get(lang, 0))})",
                               row.get(lang, 0) >= MIN_PER_LABEL))
    problems = validate_corpus(corpus)
    checks.append((f"every row valid against the taxonomy ({len(problems)} problems)", not problems))
    out.append("### Targets\n")
    out.extend(f"- {'PASS' if ok else 'FAIL'}: {name}" for name, ok in checks)
    print("\n".join(out))
    for p in problems[:20]:
        print("  problem:", p)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
