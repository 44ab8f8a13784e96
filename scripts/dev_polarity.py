"""Polarity on the DEV parts of the training data, for choosing how the polarity heads combine.

    python scripts/dev_polarity.py MODEL_DIR [MODEL_DIR ...]

For each model, prints macro-F1 per source (the 10 % dev part of each real train split, and the
corpus dev split) with the pooled polarity head alone, the language heads alone, and their average
(the shipped rule, ``language_mix`` 0.5). Test splits are not read. Used to choose the shipped
variant: see "Notes on the classifier figures" in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.metrics import f1_score

from textcs.classify.model import LANGUAGE_GROUP, TextcsModel
from textcs.classify.train import collect_examples
from textcs.features import Unit
from textcs.preprocess import Preprocessor

SOURCES = ("twitter", "yogiyo", "corpus", "semeval2014_restaurants", "korean_absa")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+")
    args = ap.parse_args()
    examples = [e for e in collect_examples(log=lambda m: None) if e.part == "dev" and "polarity" in e.labels]
    records = Preprocessor()([e.text for e in examples])
    units = [Unit.of(r.text, [t for s in r.sentences for t in s.tokens]) for r in records]
    groups = np.array([LANGUAGE_GROUP.get(r.language, "en") for r in records])
    y = np.array([e.labels["polarity"] for e in examples])
    source = np.array([e.source for e in examples])
    print("| model | heads | " + " | ".join(SOURCES) + " | all dev |")
    print("|---" * (len(SOURCES) + 3) + "|")
    for path in args.models:
        model = TextcsModel.from_pretrained(path)
        X = model.features(units, "default")
        labels = np.array(model.tasks["polarity"].labels)
        pooled = model.heads["default"]["polarity"].predict_proba(X)
        model.language_mix = 1.0
        own = model.predict_proba(X, "default", groups)["polarity"]
        for name, p in (("pooled", pooled), ("language", own), ("average", (pooled + own) / 2)):
            pred = labels[p.argmax(1)]
            cells = [f"{f1_score(y[source == s], pred[source == s], average='macro'):.3f}" for s in SOURCES]
            print(f"| {path} | {name} | " + " | ".join(cells) + f" | {f1_score(y, pred, average='macro'):.3f} |")


if __name__ == "__main__":
    main()
