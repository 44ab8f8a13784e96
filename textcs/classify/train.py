"""Training the default (hybrid) model from the corpus and the real data sets' train splits.

Training rows come from every source, and each row carries the labels its source knows; ``-1``
marks "unknown for this task", and such rows are left out of that head.

- corpus ``train``: every task;
- Twitter airline (en): polarity, plus failure types through ``data/mappings/twitter_negativereason.yaml``;
- Yogiyo (ko): polarity from total stars (1-2 negative, 4-5 positive; 3 left out as mixed);
- SemEval 2014/2016 restaurants (en, sentences): polarity where all categories agree; tangibles from
  AMBIENCE; SERVICE teaches the ``service`` gate (any of reliability, responsiveness, assurance,
  empathy); sentences only about food, drinks, price, anecdotes or the place in general carry none
  of the five dimensions (the taxonomy's rule) and no failure;
- Korean food-delivery ABSA (ko, sentences): polarity where all aspects agree.

Real ``train`` splits are cut again, by a hash of the text, into 90 % for fitting and 10 % for dev
(threshold tuning together with the corpus ``dev`` split). Test and eval splits are never read here.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from ..corpus import load_corpus
from ..datasets import DatasetNotFound, load_dataset
from ..features import LexicalFeaturizer, Unit, units_from_records
from ..preprocess import Preprocessor
from ..resources import data_path, load_yaml
from ..taxonomy import Taxonomy, load_taxonomy
from .heads import LinearHead, tune_thresholds
from .model import LANGUAGE_GROUP, PROFILES, TaskSpec, TextcsModel

__all__ = ["Example", "collect_examples", "train_model", "TASK_ORDER"]

# Tasks that get a head per language group next to the pooled one (chosen on dev data, see
# docs/benchmarks.md): sentiment cues and the data mix differ most between the languages.
LANGUAGE_HEADS = ("polarity",)
# Weight of corpus sentences tagged negation or contrast, in the heads of SCOPE_TASKS.
SCOPE_WEIGHT = 4.0
SCOPE_TASKS = ("polarity",)
TASK_ORDER = ("polarity", "servqual", "service", "failures", "delight", "recovery")
# The service gate: "this sentence is about the people or process of the service", i.e. any of the
# four dimensions other than tangibles. It lets SemEval's SERVICE category teach the model.
CARE = ("reliability", "responsiveness", "assurance", "empathy")
UNKNOWN = -1


@dataclass
class Example:
    text: str
    source: str
    part: str  # "fit" or "dev"
    labels: dict = field(default_factory=dict)  # task -> label (multiclass) or {label: 0/1} (multilabel)
    weight: float = 1.0  # sample weight in every head's fit


def _part(text: str) -> str:
    return "dev" if zlib.crc32(text.encode("utf-8")) % 10 == 0 else "fit"


def _from_corpus(tax: Taxonomy, scope_weight: float = 1.0) -> list[Example]:
    out = []
    for split, part in (("train", "fit"), ("dev", "dev")):
        for r in load_corpus(split=split).itertuples():
            out.append(Example(r.text, "corpus", part, {
                "polarity": r.polarity,
                "servqual": {l: int(l in r.servqual) for l in tax.labels("servqual")},
                "failures": {l: int(l in r.failures) for l in tax.labels("failures")},
                "delight": {"delight": int(bool(r.delight))},
                "recovery": r.recovery,
                "service": {"service": int(any(d in r.servqual for d in CARE))},
            }, weight=scope_weight if {"negation", "contrast"} & set(r.phenomena) else 1.0))
    return out


def _from_twitter(tax: Taxonomy) -> list[Example]:
    mapping = load_yaml(data_path("mappings", "twitter_negativereason.yaml"))
    out = []
    for r in load_dataset("twitter_airline", split="train").itertuples():
        labels: dict = {"polarity": r.sentiment}
        if r.sentiment == "negative":
            mapped = mapping.get(r.negativereason) if isinstance(r.negativereason, str) else None
            if mapped:
                labels["failures"] = {l: int(l in mapped) for l in tax.labels("failures")}
        else:
            labels["failures"] = {l: 0 for l in tax.labels("failures")}
        out.append(Example(r.text, "twitter", _part(r.text), labels))
    return out


def _from_yogiyo(seed: int, max_positive_ratio: float = 2.0) -> list[Example]:
    frame = load_dataset("yogiyo", split="train")
    neg = frame[frame["total"] <= 2]
    pos = frame[frame["total"] >= 4]
    pos = pos.sample(n=min(len(pos), int(len(neg) * max_positive_ratio)), random_state=seed)
    rows = pd.concat([neg.assign(p="negative"), pos.assign(p="positive")]).sort_index()
    return [Example(t, "yogiyo", _part(t), {"polarity": p}) for t, p in zip(rows["text"], rows["p"])]


# Categories that are about none of the five dimensions: the product, its price, anecdotes, the
# place in general.
_NONE_2014 = {"food", "price", "anecdotes/miscellaneous"}
_NONE_2016 = {"FOOD#QUALITY", "FOOD#PRICES", "FOOD#STYLE_OPTIONS", "DRINKS#QUALITY", "DRINKS#PRICES",
              "DRINKS#STYLE_OPTIONS", "RESTAURANT#PRICES", "RESTAURANT#GENERAL", "RESTAURANT#MISCELLANEOUS",
              "LOCATION#GENERAL"}


def _from_semeval(tax: Taxonomy) -> list[Example]:
    out = []
    for name, none_of_five, ambience, service in (
        ("semeval2014_restaurants", _NONE_2014, "ambience", "service"),
        ("semeval2016_restaurants", _NONE_2016, "AMBIENCE#GENERAL", "SERVICE#GENERAL"),
    ):
        for r in load_dataset(name, split="train").itertuples():
            cats = set(r.categories)
            labels: dict = {}
            pols = set(r.category_polarity.values())
            if len(pols) == 1 and (p := pols.pop()) in ("positive", "negative", "neutral"):
                labels["polarity"] = p
            if cats <= none_of_five:  # includes sentences with no category at all
                labels["servqual"] = {l: 0 for l in tax.labels("servqual")}
                labels["failures"] = {l: 0 for l in tax.labels("failures")}
            elif ambience in cats:
                labels["servqual"] = {l: (1 if l == "tangibles" else UNKNOWN) for l in tax.labels("servqual")}
            labels["service"] = {"service": int(service in cats)}
            out.append(Example(r.text, name, _part(r.text), labels))
    return out


def _from_korean_absa() -> list[Example]:
    frame = load_dataset("korean_absa", split="train")
    names = {-1: "negative", 0: "neutral", 1: "positive"}
    out = []
    for text, group in frame.groupby("text", sort=True):
        pols = set(group["polarity"])
        if len(pols) == 1:
            out.append(Example(text, "korean_absa", _part(text), {"polarity": names[int(pols.pop())]}))
    return out


def collect_examples(seed: int = 0, use_real: bool = True, scope_weight: float = SCOPE_WEIGHT,
                     log: Callable[[str], None] = print) -> list[Example]:
    """Every training and dev example, from the corpus and (when present) the real train splits.

    Corpus sentences tagged ``negation`` or ``contrast`` weigh ``scope_weight`` examples each in the
    heads of SCOPE_TASKS: they are few next to the real reviews, where "친절" and "good" almost always
    mean what they say."""
    tax = load_taxonomy()
    examples = _from_corpus(tax, scope_weight)
    if use_real:
        for loader in (lambda: _from_twitter(tax), lambda: _from_yogiyo(seed), lambda: _from_semeval(tax), _from_korean_absa):
            try:
                examples.extend(loader())
            except DatasetNotFound as exc:
                log(f"skipping a real data set: {exc}")
    counts = pd.Series([e.source for e in examples]).value_counts().to_dict()
    log(f"examples by source: {counts}")
    return examples


def _targets(examples: list[Example], task: str, spec: TaskSpec) -> tuple[np.ndarray, np.ndarray]:
    """Rows that know ``task`` and their targets (labels, or a 0/1/-1 matrix)."""
    rows = np.array([i for i, e in enumerate(examples) if task in e.labels], dtype=int)
    if spec.kind == "multiclass":
        return rows, np.array([examples[i].labels[task] for i in rows])
    return rows, np.array([[examples[i].labels[task][l] for l in spec.labels] for i in rows], dtype=np.int8)


def _enough(spec: TaskSpec, y: np.ndarray, min_per_label: int = 20) -> bool:
    """Whether rows ``y`` can fit a head of their own: every label seen ``min_per_label`` times."""
    if spec.kind == "multiclass":
        return all((y == label).sum() >= min_per_label for label in spec.labels)
    return bool(len(y)) and all(((y[:, k] == 1).sum() >= min_per_label) for k in range(y.shape[1]))


def _tuned(proba: np.ndarray, y: np.ndarray, labels: list[str], min_positives: int = 1) -> dict[str, float]:
    """Label -> tuned threshold, for the labels the dev rows can tune."""
    thresholds = tune_thresholds(proba, y, min_positives=min_positives)
    return {l: t for l, t in zip(labels, thresholds) if t is not None}


def train_model(examples: list[Example], encoder: str | None = "use-multilingual-v3", seed: int = 0,
                C: dict[str, float] | None = None, dense_weight: float = 1.0,
                preprocessor: Preprocessor | None = None, language_heads: Sequence[str] = LANGUAGE_HEADS,
                log: Callable[[str], None] = print) -> TextcsModel:
    """Fit features, heads for both profiles, and per-label thresholds on the dev part.

    Tasks in ``language_heads`` also get one head per language group, fitted on that group's rows
    only, so that (for instance) Korean delivery reviews do not pull English tweets' sentiment."""
    tax = load_taxonomy()
    C = {"polarity": 2.0, "servqual": 4.0, "service": 4.0, "failures": 4.0, "delight": 4.0, "recovery": 4.0, **(C or {})}
    tasks = {
        "polarity": TaskSpec("polarity", "multiclass", list(tax.labels("polarity"))),
        "servqual": TaskSpec("servqual", "multilabel", list(tax.labels("servqual"))),
        "failures": TaskSpec("failures", "multilabel", list(tax.labels("failures"))),
        "delight": TaskSpec("delight", "multilabel", ["delight"]),
        "recovery": TaskSpec("recovery", "multiclass", list(tax.labels("recovery"))),
        "service": TaskSpec("service", "multilabel", ["service"]),
    }
    pre = preprocessor or Preprocessor()
    t0 = time.perf_counter()
    records = pre([e.text for e in examples])
    units = [Unit.of(r.text, [t for s in r.sentences for t in s.tokens]) for r in records]
    groups = np.array([LANGUAGE_GROUP.get(r.language, "en") for r in records])
    log(f"preprocessed {len(units):,} examples in {time.perf_counter() - t0:.0f}s")
    fit_rows = np.array([e.part == "fit" for e in examples])
    weights = np.array([e.weight for e in examples], dtype=np.float64)
    lexical = LexicalFeaturizer().fit([u for u, f in zip(units, fit_rows) if f])
    model = TextcsModel(tasks, lexical, encoder, dense_weight, meta={"seed": seed})
    for profile in PROFILES:
        if profile == "default" and not encoder:
            continue
        t0 = time.perf_counter()
        X = model.features(units, profile)
        log(f"[{profile}] features {X.shape} in {time.perf_counter() - t0:.0f}s")
        for task in TASK_ORDER:
            spec = tasks[task]
            rows, y = _targets(examples, task, spec)
            fit = rows[fit_rows[rows]]
            dev = rows[~fit_rows[rows]]
            y_fit, y_dev = y[fit_rows[rows]], y[~fit_rows[rows]]
            t0 = time.perf_counter()
            w = weights if task in SCOPE_TASKS else np.ones_like(weights)
            head = LinearHead(spec.kind, spec.labels, C=C[task], seed=seed).fit(X[fit], y_fit, w[fit])
            model.heads[profile][task] = head
            if task in language_heads:
                for group in ("ko", "en"):
                    mine = groups[fit] == group
                    if _enough(spec, y_fit[mine]):
                        model.heads[profile][f"{task}@{group}"] = LinearHead(
                            spec.kind, spec.labels, C=C[task], seed=seed).fit(X[fit][mine], y_fit[mine], w[fit][mine])
            if spec.kind == "multilabel" and len(dev):
                proba = model.predict_proba(X[dev], profile, groups[dev])[task]
                spec.thresholds[profile] = _tuned(proba, y_dev, spec.labels)
                for group in ("ko", "en"):
                    mine = groups[dev] == group
                    # A language gets its own threshold only where its dev rows have enough positives.
                    own = _tuned(proba[mine], y_dev[mine], spec.labels, min_positives=20)
                    if own:
                        spec.thresholds[f"{profile}@{group}"] = own
            log(f"[{profile}] {task}: {len(fit):,} fit / {len(dev):,} dev rows, {time.perf_counter() - t0:.0f}s")
    return model
