"""Validate text-derived indices against the stars the same customers gave.

Runs the shipped analyzer on the real reviews (Skytrax airline and lounge reviews, Yogiyo delivery
reviews; all splits, since nothing is trained here) and compares, with Spearman's rank correlation:

- entity level: per airline (>= 20 reviews) or restaurant (>= 50 reviews), the overall satisfaction
  index vs the mean overall rating, and each touchpoint's index (from the sentences that mention the
  touchpoint, :func:`textcs.scoring.touchpoint_index`) vs the mean of its sub-rating. An entity
  enters a touchpoint figure when at least MIN_MENTIONS of its reviews mention the touchpoint;
- review level: each review's touchpoint sentiment (mean satisfaction of the sentences that mention
  it) vs that touchpoint's stars, over reviews that mention it and rated it; and the review's overall
  satisfaction vs its overall rating.

Skytrax sub-ratings of 0 mean "not rated" and are treated as missing. Yogiyo is reported twice: all
splits, and the test split alone (restaurants with >= 20 test reviews), because 4,080 Yogiyo train
reviews taught the shipped model polarity.

    python scripts/validate_indices.py                       # analyze everything, print, write docs
    python scripts/validate_indices.py --cache /tmp/scoring/cache --no-write
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent))
import textcs  # noqa: E402
from _docs import write_block  # noqa: E402
from textcs import scoring  # noqa: E402
from textcs.datasets import load_dataset  # noqa: E402
from textcs.touchpoints import TouchpointMatcher  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MIN_MENTIONS = 5
TARGETS = {"entity overall": 0.85, "entity touchpoint": 0.70, "review touchpoint": 0.50}


@dataclass(frozen=True)
class Touchpoint:
    label: str
    catalog: str  # the catalog whose cues find the touchpoint in a sentence
    id: str
    rating: str


@dataclass(frozen=True)
class Spec:
    name: str  # textcs.datasets name
    title: str
    industry: str  # the analyzer's catalog
    entity: str
    min_reviews: int
    overall: str
    touchpoints: tuple[Touchpoint, ...]
    zero_is_missing: bool = True
    max_overall: float | None = None  # drop overall ratings above (a second scale mixed in)
    split: str | None = None
    notes: tuple[str, ...] = field(default=())


SPECS = (
    Spec("skytrax_airline", "Skytrax airline", "airline", "airline_name", 20, "overall_rating", (
        Touchpoint("cabin staff", "airline", "airline.cabin_crew", "cabin_staff_rating"),
        Touchpoint("seat", "airline", "airline.seat_cabin", "seat_comfort_rating"),
        Touchpoint("food", "airline", "airline.food_beverage", "food_beverages_rating"),
        Touchpoint("entertainment", "airline", "airline.entertainment", "inflight_entertainment_rating"),
    )),
    Spec("skytrax_lounge", "Skytrax lounge", "airline", "airline_name", 20, "overall_rating", (
        # "staff" in the generic catalog; the airline catalog would file "lounge staff" under the lounge
        Touchpoint("staff", "generic", "generic.staff_in_person", "staff_service_rating"),
        Touchpoint("food", "airline", "airline.food_beverage", "catering_rating"),
        Touchpoint("seat/comfort", "airline", "airline.seat_cabin", "comfort_rating"),
    ), max_overall=5, notes=("lounge overall ratings above 5 (a 1-10 scale on a few reviews) are left out",)),
    Spec("yogiyo", "Yogiyo (all splits)", "restaurant", "restaurant", 50, "total", (
        Touchpoint("delivery", "restaurant", "restaurant.delivery_rider", "delivery"),
        Touchpoint("food", "restaurant", "restaurant.food_quality", "taste"),
    ), zero_is_missing=False),
)


def analyze(spec: Spec, cache: Path | None, profile: str) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """The analyzer's (comments, sentences) for every review of ``spec.name``, from the cache if there."""
    if cache is not None:
        c_path, s_path = cache / f"{spec.name}.comments.parquet", cache / f"{spec.name}.sentences.parquet"
        if c_path.exists() and s_path.exists():
            return pd.read_parquet(c_path), pd.read_parquet(s_path), float("nan")
    frame = load_dataset(spec.name)
    start = time.perf_counter()
    comments, sentences = textcs.load(profile=profile, industry=spec.industry).analyze_frame(frame, text="text")
    seconds = time.perf_counter() - start
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        comments.to_parquet(c_path)
        sentences.to_parquet(s_path)
    return comments, sentences, seconds


def rating(frame: pd.DataFrame, column: str, spec: Spec, cap: float | None = None) -> pd.Series:
    r = pd.to_numeric(frame[column], errors="coerce")
    if spec.zero_is_missing:
        r = r.where(r > 0)
    if cap is not None:
        r = r.where(r <= cap)
    return r


def rho(a: pd.Series, b: pd.Series) -> tuple[float, int]:
    ok = a.notna() & b.notna()
    if ok.sum() < 3:
        return float("nan"), int(ok.sum())
    return float(spearmanr(a[ok], b[ok]).statistic), int(ok.sum())


def interval(r: float, n: int) -> str:
    """95 % interval of Spearman's rho by Fisher's z with the Fieller-Hartley-Pearson variance 1.06/(n-3)."""
    if n < 5 or not np.isfinite(r):
        return ""
    z, half = np.arctanh(np.clip(r, -0.9999, 0.9999)), 1.96 * np.sqrt(1.06 / (n - 3))
    return f"{np.tanh(z - half):.2f} to {np.tanh(z + half):.2f}"


def validate(spec: Spec, comments: pd.DataFrame, sentences: pd.DataFrame) -> list[dict]:
    comments = comments.reset_index(drop=True)
    if spec.split is not None:
        keep = comments.index[comments["split"] == spec.split]
        sentences = sentences[sentences["comment"].isin(keep)].copy()
        sentences["comment"] = sentences["comment"].map({old: new for new, old in enumerate(keep)})
        comments = comments.loc[keep].reset_index(drop=True)
    counts = comments[spec.entity].value_counts()
    entities = counts.index[counts >= spec.min_reviews]
    rows = []
    overall = rating(comments, spec.overall, spec, spec.max_overall)

    def add(figure: str, level: str, value: float, n: int, unit: str, extra: str = "") -> None:
        target = TARGETS.get(f"{level} {'overall' if figure == 'overall' else 'touchpoint'}")
        rows.append({"data": spec.title, "figure": figure, "level": level, "n": n, "unit": unit,
                     "rho": value, "target": target, "extra": extra})

    # entity level, overall
    index = scoring.satisfaction_index(comments, by=spec.entity).set_index(spec.entity).loc[entities]
    stars = overall.groupby(comments[spec.entity]).mean().reindex(entities)
    r, n = rho(index["index"], stars)
    r_plain, _ = rho(index["mean"], stars)
    add("overall", "entity", r, n, "entities", f"plain mean {r_plain:.2f}; {int(index['n'].sum()):,} reviews")
    # review level, overall
    r, n = rho(scoring.comment_satisfaction(comments), overall)
    add("overall", "review", r, n, "reviews")
    for tp in spec.touchpoints:
        matcher = TouchpointMatcher.for_industry(tp.catalog)
        stars_tp = rating(comments, tp.rating, spec)
        t = scoring.touchpoint_index(comments, sentences, by=spec.entity, matcher=matcher)
        t = t[(t["touchpoint"] == tp.id) & t[spec.entity].isin(entities) & (t["n"] >= MIN_MENTIONS)].set_index(spec.entity)
        mean_stars = stars_tp.groupby(comments[spec.entity]).mean().reindex(t.index)
        r, n = rho(t["index"], mean_stars)
        mentions = f"median {t['n'].median():.0f} mentioning reviews per entity" if len(t) else "no entity"
        add(f"{tp.label} ({tp.id} vs {tp.rating})", "entity", r, n, "entities", mentions)
        per_review = _review_touchpoint(comments, sentences, matcher, tp.id)
        r, n = rho(per_review, stars_tp.reindex(per_review.index))
        add(f"{tp.label} ({tp.id} vs {tp.rating})", "review", r, n, "reviews",
            f"{len(per_review):,} reviews mention it")
    return rows


def _review_touchpoint(comments: pd.DataFrame, sentences: pd.DataFrame, matcher: TouchpointMatcher, tp_id: str) -> pd.Series:
    """Per review (comment position): mean satisfaction of its sentences that mention ``tp_id``."""
    tagged = scoring.sentence_touchpoints(comments, sentences, matcher, inherit=False)
    about = tagged[[tp_id in str(v).split(";") for v in tagged["touchpoints"]]]
    return scoring.comment_satisfaction(about).groupby(about["comment"].to_numpy()).mean()


def render(rows: list[dict]) -> str:
    lines = ["| data | figure | level | n | Spearman ρ | 95 % interval | target | met | notes |",
             "|---|---|---|---:|---:|---|---:|---|---|"]
    for r in rows:
        target = "" if r["target"] is None else f"≥ {r['target']:.2f}"
        met = "" if r["target"] is None or np.isnan(r["rho"]) else ("yes" if r["rho"] >= r["target"] else "**no**")
        lines.append(f"| {r['data']} | {r['figure']} | {r['level']} | {r['n']:,} {r['unit']} | {r['rho']:.2f} | "
                     f"{interval(r['rho'], r['n'])} | "
                     f"{target} | {met} | {r['extra']} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=None, help="reuse/keep analyzer output here (parquet)")
    ap.add_argument("--profile", default="default")
    ap.add_argument("--no-write", action="store_true", help="print only; do not update docs/benchmarks.md")
    args = ap.parse_args()
    load = os.getloadavg()
    rows, timings = [], []
    frames = {}
    for spec in SPECS:
        comments, sentences, seconds = analyze(spec, args.cache, args.profile)
        frames[spec.name] = (comments, sentences)
        timings.append(f"{spec.name}: {len(comments):,} reviews, "
                       + (f"analyzed from scratch in {seconds:.0f} s" if np.isfinite(seconds) else "analyzer output from --cache"))
        rows += validate(spec, comments, sentences)
    yogiyo = next(s for s in SPECS if s.name == "yogiyo")
    test_spec = Spec(**{**yogiyo.__dict__, "title": "Yogiyo (test split)", "split": "test", "min_reviews": 20})
    rows += validate(test_spec, *frames["yogiyo"])
    table = render(rows)
    print(table)
    if args.no_write:
        return
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    command = " ".join(["python", "scripts/validate_indices.py", *sys.argv[1:]])
    head = (f"Command: `{command}` ({when}; {platform.machine()}, {os.cpu_count()} cores, no GPU; "
            f"load average {load[0]:.1f} at start; profile `{args.profile}`; {'; '.join(timings)}).\n")
    write_block(ROOT / "docs" / "benchmarks.md", "validate-indices", "## Text indices vs customers' own ratings",
                head + "\n" + table)


if __name__ == "__main__":
    main()
