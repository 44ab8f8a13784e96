"""Measure a textcs model on the real test splits (never trained on) and the corpus test split,
with baselines run side by side, and write the table into docs/benchmarks.md and the model card.

    python scripts/evaluate.py [--model models/default] [--profile default] [--no-write]

Baselines, trained in this run on the same training rows as the model (textcs.classify.train):
- majority: the most frequent training class;
- tfidf-lr: word (1-2) + character (2-4) TF-IDF on the raw text, logistic regression per task,
  threshold 0.5;
- VADER (English sentiment only): compound >= 0.05 positive, <= -0.05 negative, else neutral.

Benchmarks and their methods:
- Twitter US airline sentiment, test split: 3-class polarity per tweet; macro-F1 and accuracy.
- Yogiyo reviews, test split: total stars <= 2 vs >= 4; a review is positive when P(positive) >
  P(negative); balanced accuracy.
- SemEval-2014 restaurants, test: SERVICE category vs any of reliability/responsiveness/assurance/
  empathy decided; AMBIENCE vs tangibles decided; F1 of the positive class.
- Twitter negative reasons -> failure types (data/mappings/twitter_negativereason.yaml), negative test
  tweets with a mapped reason: predicted type = the most probable failure type; macro-F1.
- Korean food-delivery ABSA, test: sentences with aspect 배달 vs the delivery touchpoint found (the
  restaurant catalog's cues); recall and precision over distinct sentences.
- Corpus test split: macro-F1 per task and F1 per label.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score
import scipy.sparse as sp

import textcs
from _docs import write_block
from textcs.classify.train import collect_examples
from textcs.corpus import load_corpus
from textcs.datasets import load_dataset
from textcs.resources import data_path, load_yaml
from textcs.touchpoints import TouchpointMatcher

ROOT = Path(__file__).resolve().parents[1]
CARE = ("reliability", "responsiveness", "assurance", "empathy")


class TfidfLR:
    """The tfidf-lr baseline for one task."""

    def __init__(self, kind: str, labels: list[str]):
        self.kind, self.labels = kind, labels
        self.word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=100_000)
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True, max_features=100_000)

    def _x(self, texts, fit=False):
        if fit:
            return sp.hstack([self.word.fit_transform(texts), self.char.fit_transform(texts)], format="csr")
        return sp.hstack([self.word.transform(texts), self.char.transform(texts)], format="csr")

    def fit(self, texts, y):
        X = self._x(texts, fit=True)
        if self.kind == "multiclass":
            self.lr = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced").fit(X, y)
        else:
            y = np.asarray(y)
            self.lrs = []
            for j in range(y.shape[1]):
                known = y[:, j] >= 0
                yj = y[known, j]
                self.lrs.append(None if yj.min() == yj.max() else
                                LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced").fit(X[known], yj))
        return self

    def proba(self, texts) -> np.ndarray:
        X = self._x(texts)
        if self.kind == "multiclass":
            p = self.lr.predict_proba(X)
            return p[:, [list(self.lr.classes_).index(l) if l in self.lr.classes_ else 0 for l in self.labels]]
        return np.column_stack([np.zeros(X.shape[0]) if lr is None else lr.predict_proba(X)[:, 1] for lr in self.lrs])


def baseline_data(examples, task, labels, kind):
    rows = [e for e in examples if task in e.labels and e.part == "fit"]
    if kind == "multiclass":
        return [e.text for e in rows], [e.labels[task] for e in rows]
    return [e.text for e in rows], np.array([[e.labels[task][l] for l in labels] for e in rows], dtype=np.int8)


def vader(texts):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    out = []
    for t in texts:
        c = sia.polarity_scores(t)["compound"]
        out.append("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    ap.add_argument("--profile", default="default")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    t_start = time.perf_counter()
    analyzer = textcs.load(args.model, profile=args.profile)
    model = analyzer.model
    examples = collect_examples(log=lambda m: None)
    tax = {t: model.tasks[t] for t in model.tasks}

    baselines = {}
    for task in ("polarity", "servqual", "failures", "delight", "recovery"):
        spec = tax[task]
        texts, y = baseline_data(examples, task, spec.labels, spec.kind)
        baselines[task] = TfidfLR(spec.kind, spec.labels).fit(texts, y)
        if spec.kind == "multiclass":
            baselines[task].majority = pd.Series(y).value_counts().idxmax()
    rows = []

    def add(bench, metric, ours, base_tfidf, majority=None, vader_value=None, n=None, target=None):
        rows.append({"benchmark": bench, "metric": metric, "n": n, "textcs": ours, "tfidf-lr": base_tfidf,
                     "majority": majority, "VADER": vader_value, "target": target})

    # Twitter sentiment
    tw = load_dataset("twitter_airline", split="test")
    res = analyzer.analyze(tw["text"].tolist())
    pred = [r.polarity or "neutral" for r in res]
    gold = tw["sentiment"].tolist()
    pol = tax["polarity"].labels
    b = [pol[i] for i in baselines["polarity"].proba(tw["text"].tolist()).argmax(1)]
    maj = [baselines["polarity"].majority] * len(gold)
    v = vader(tw["text"].tolist())
    add("Twitter US airline sentiment (test)", "macro-F1", f1_score(gold, pred, average="macro"), f1_score(gold, b, average="macro"),
        f1_score(gold, maj, average="macro"), f1_score(gold, v, average="macro"), len(gold), ">= 0.78")
    add("Twitter US airline sentiment (test)", "accuracy", accuracy_score(gold, pred), accuracy_score(gold, b),
        accuracy_score(gold, maj), accuracy_score(gold, v), len(gold), ">= 0.83")

    # Twitter failures
    mapping = load_yaml(data_path("mappings", "twitter_negativereason.yaml"))
    neg = tw[(tw["sentiment"] == "negative") & tw["negativereason"].map(lambda r: bool(mapping.get(r)) if isinstance(r, str) else False)]
    fl = tax["failures"].labels
    idx = [tw.index.get_loc(i) for i in neg.index]
    gold_f = [mapping[r][0] for r in neg["negativereason"]]
    classes = sorted(set(gold_f))
    cols = [fl.index(c) for c in classes]
    ours_f = [classes[int(np.argmax([res[i].failures_proba.get(c, 0.0) for c in classes]))] for i in idx]
    b_p = baselines["failures"].proba(neg["text"].tolist())[:, cols]
    base_f = [classes[j] for j in b_p.argmax(1)]
    maj_f = [pd.Series([mapping[r][0] for r in load_dataset("twitter_airline", split="train")["negativereason"]
                        if isinstance(r, str) and mapping.get(r)]).value_counts().idxmax()] * len(gold_f)
    add("Twitter negative reasons -> failure types (test)", "macro-F1", f1_score(gold_f, ours_f, average="macro"),
        f1_score(gold_f, base_f, average="macro"), f1_score(gold_f, maj_f, average="macro"), None, len(gold_f), ">= 0.60")

    # Yogiyo
    yg = load_dataset("yogiyo", split="test")
    yg = yg[(yg["total"] <= 2) | (yg["total"] >= 4)]
    gold_y = np.where(yg["total"] >= 4, "positive", "negative")
    res_y = analyzer.analyze(yg["text"].tolist())
    ours_y = ["positive" if r.polarity_proba.get("positive", 0) > r.polarity_proba.get("negative", 0) else "negative" for r in res_y]
    bp = baselines["polarity"].proba(yg["text"].tolist())
    base_y = np.where(bp[:, pol.index("positive")] > bp[:, pol.index("negative")], "positive", "negative")
    add("Yogiyo reviews, stars <= 2 vs >= 4 (test)", "balanced accuracy", balanced_accuracy_score(gold_y, ours_y),
        balanced_accuracy_score(gold_y, base_y), 0.5, None, len(gold_y), ">= 0.90")

    # SemEval 2014
    se = load_dataset("semeval2014_restaurants", split="test")
    res_s = analyzer.analyze(se["text"].tolist())
    sq = tax["servqual"].labels
    bsq = baselines["servqual"].proba(se["text"].tolist()) >= 0.5
    gold_service = se["categories"].map(lambda c: "service" in c).to_numpy()
    ours_service = np.array([any(d in r.servqual for d in CARE) for r in res_s])
    base_service = bsq[:, [sq.index(d) for d in CARE]].any(axis=1)
    add("SemEval-2014 restaurants: SERVICE vs reliability/responsiveness/assurance/empathy (test)", "F1",
        f1_score(gold_service, ours_service), f1_score(gold_service, base_service), 0.0, None, len(se), ">= 0.80")
    gold_amb = se["categories"].map(lambda c: "ambience" in c).to_numpy()
    ours_amb = np.array(["tangibles" in r.servqual for r in res_s])
    add("SemEval-2014 restaurants: AMBIENCE vs tangibles (test)", "F1", f1_score(gold_amb, ours_amb),
        f1_score(gold_amb, bsq[:, sq.index("tangibles")]), 0.0, None, len(se), ">= 0.65")

    # Korean ABSA delivery touchpoint (cue matching; the baseline is the bare word 배달)
    absa = load_dataset("korean_absa", split="test")
    sents = absa["text"].drop_duplicates().tolist()
    gold_d = set(absa.loc[absa["aspect"] == "배달", "text"])
    matcher = TouchpointMatcher.for_industry("restaurant")
    pred_d = {t for t in sents if any(m.id == "restaurant.delivery_rider" for m in matcher.find(t))}
    base_d = {t for t in sents if "배달" in t}
    for metric, f in (("recall", lambda p: len(p & gold_d) / len(gold_d)), ("precision", lambda p: len(p & gold_d) / max(len(p), 1))):
        add("Korean ABSA: 배달 sentences -> delivery touchpoint (test)", metric, f(pred_d), f(base_d), None, None, len(sents),
            ">= 0.85" if metric == "recall" else ">= 0.80")

    # Corpus test split
    ct = load_corpus(split="test")
    res_c = analyzer.analyze(ct["text"].tolist())
    per_label = []
    for task in ("servqual", "failures"):
        labels = tax[task].labels
        Yg = np.array([[l in x for l in labels] for x in ct[task]])
        Yp = np.array([[l in getattr(r, task) for l in labels] for r in res_c])
        Yb = baselines[task].proba(ct["text"].tolist()) >= 0.5
        add(f"corpus test: {task}", "macro-F1", f1_score(Yg, Yp, average="macro", zero_division=0),
            f1_score(Yg, Yb, average="macro", zero_division=0), 0.0, None, len(ct), "reported")
        for j, l in enumerate(labels):
            per_label.append((task, l, int(Yg[:, j].sum()), f1_score(Yg[:, j], Yp[:, j], zero_division=0),
                              f1_score(Yg[:, j], Yb[:, j], zero_division=0)))
    gp = ct["polarity"].tolist()
    cp = [r.polarity for r in res_c]
    bp = [pol[i] for i in baselines["polarity"].proba(ct["text"].tolist()).argmax(1)]
    add("corpus test: polarity", "macro-F1", f1_score(gp, cp, average="macro"), f1_score(gp, bp, average="macro"),
        f1_score(gp, [baselines["polarity"].majority] * len(gp), average="macro"), None, len(ct), "reported")
    gd = ct["delight"].astype(bool).to_numpy()
    add("corpus test: delight", "F1", f1_score(gd, [r.delight for r in res_c]),
        f1_score(gd, baselines["delight"].proba(ct["text"].tolist())[:, 0] >= 0.5), 0.0, None, len(ct), "reported")
    gr = ct["recovery"].tolist()
    rec = tax["recovery"].labels
    add("corpus test: recovery", "macro-F1", f1_score(gr, [r.recovery for r in res_c], average="macro"),
        f1_score(gr, [rec[i] for i in baselines["recovery"].proba(ct["text"].tolist()).argmax(1)], average="macro"),
        f1_score(gr, [baselines["recovery"].majority] * len(gr), average="macro"), None, len(ct), "reported")

    fmt = lambda v: "" if v is None else f"{v:.3f}"
    lines = [
        f"Command: `python scripts/evaluate.py --model {args.model.relative_to(ROOT) if args.model.is_relative_to(ROOT) else args.model} --profile {args.profile}`  ",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}  ",
        f"Date: {dt.date.today().isoformat()}; evaluation took {time.perf_counter() - t_start:.0f}s.",
        "",
        "| benchmark | metric | n | textcs | tfidf-lr | majority | VADER | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['benchmark']} | {r['metric']} | {r['n']:,} | **{fmt(r['textcs'])}** | {fmt(r['tfidf-lr'])} | "
                     f"{fmt(r['majority'])} | {fmt(r['VADER'])} | {r['target']} |")
    lines += ["", "Corpus test split, F1 per label (textcs / tfidf-lr):", "",
              "| task | label | support | textcs | tfidf-lr |", "|---|---|---|---|---|"]
    lines += [f"| {t} | {l} | {n} | {a:.3f} | {b:.3f} |" for t, l, n, a, b in per_label]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", f"evaluate_{args.profile}",
                    f"## Classifiers on real test splits ({args.profile} profile)", text)
        write_block(args.model / "MODEL_CARD.md", f"evaluate_{args.profile}", f"## Metrics ({args.profile} profile)", text)

if __name__ == "__main__":
    main()
