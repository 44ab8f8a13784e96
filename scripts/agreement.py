"""Inter-annotator agreement on the double-annotated sample (Cohen's kappa per label).

    python scripts/agreement.py

The first annotation is the corpus label as it was written; the second comes from the blind
annotators' files data/annotation/second_pass_*.jsonl. Multi-label tasks get one binary kappa per
label; polarity and recovery get one multiclass kappa each (and one binary kappa per class); delight
gets a binary kappa; touchpoints get a kappa over every (example, catalog touchpoint) pair. Prints a
Markdown table (pasted into data/README.md) and writes data/annotation/disagreements.jsonl for
adjudication.

Pass --first PATH to compare against a saved copy of the first annotation (used after adjudication
has changed the corpus): a JSONL of the corpus rows as they were.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from textcs.corpus import load_corpus
from textcs.taxonomy import load_catalogs, load_taxonomy

ANN = Path(__file__).resolve().parents[1] / "data" / "annotation"
FIELDS = ("servqual", "polarity", "delight", "failures", "recovery", "touchpoints")


def kappa(a: list, b: list) -> float:
    # Both annotators using a single category gives kappa 0/0; report perfect agreement as 1.
    if len(set(a) | set(b)) == 1:
        return 1.0
    return float(cohen_kappa_score(a, b))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--first", type=Path, help="JSONL of the first annotation (default: the corpus now)")
    args = ap.parse_args()
    tax = load_taxonomy()
    catalogs = load_catalogs()
    second = pd.concat(
        [pd.read_json(p, lines=True, dtype=False) for p in sorted(ANN.glob("second_pass_*.jsonl"))],
        ignore_index=True,
    ).set_index("id")
    first = pd.read_json(args.first, lines=True, dtype=False) if args.first else load_corpus()
    first = first.set_index("id").loc[second.index]
    rows = []

    def add(task: str, label: str, a: list, b: list) -> None:
        binary = all(isinstance(x, bool) for x in a + b)
        rows.append({
            "task": task,
            "label": label,
            "kappa": round(kappa(a, b), 3),
            "agreement": round(sum(x == y for x, y in zip(a, b)) / len(a), 3),
            "positives": f"{sum(a)} / {sum(b)}" if binary else "",
        })

    for task in ("servqual", "failures"):
        for label in tax.labels(task):
            add(task, label, [label in x for x in first[task]], [label in x for x in second[task]])
    for task in ("polarity", "recovery"):
        add(task, "(all classes)", list(first[task]), list(second[task]))
        for label in tax.labels(task):
            add(task, label, [x == label for x in first[task]], [x == label for x in second[task]])
    add("delight", "delight", [bool(x) for x in first["delight"]], [bool(x) for x in second["delight"]])
    a_tp, b_tp = [], []
    for ex_id, row in first.iterrows():
        for tp in catalogs[row["industry"]].touchpoints:
            a_tp.append(tp in row["touchpoints"])
            b_tp.append(tp in second.loc[ex_id, "touchpoints"])
    add("touchpoints", "(example x touchpoint pairs)", a_tp, b_tp)

    table = pd.DataFrame(rows)
    n = len(second)
    langs = first["lang"].value_counts().to_dict()
    print(f"Double-annotated examples: {n} (ko {langs.get('ko', 0)}, en {langs.get('en', 0)})\n")
    print("| task | label | Cohen's kappa | raw agreement | positives (1st / 2nd) |")
    print("|---|---|---|---|---|")
    for r in table.itertuples():
        print(f"| {r.task} | {r.label} | {r.kappa:.3f} | {r.agreement:.3f} | {r.positives} |")

    disagreements = []
    for ex_id, row in first.iterrows():
        s = second.loc[ex_id]
        diff = {}
        for f in FIELDS:
            x, y = row[f], s[f]
            same = sorted(x) == sorted(y) if isinstance(x, list) else bool(x) == bool(y) if f == "delight" else x == y
            if not same:
                diff[f] = {"first": x, "second": y}
        if diff:
            disagreements.append({"id": ex_id, "lang": row["lang"], "industry": row["industry"], "text": row["text"], "diff": diff})
    with (ANN / "disagreements.jsonl").open("w", encoding="utf-8") as fh:
        for d in disagreements:
            fh.write(json.dumps(d, ensure_ascii=False, default=lambda o: o.item()) + "\n")
    print(f"\nExamples with any disagreement: {len(disagreements)} of {n} -> data/annotation/disagreements.jsonl")


if __name__ == "__main__":
    main()
