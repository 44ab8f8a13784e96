"""Speed of the sentence feature extractors on real comments (sentences per second).

    python scripts/bench_encoders.py [--n 2000] [--no-write]

Preprocesses N Korean (Yogiyo) and N English (Twitter airline) comments from ../shared/data/real
(or the sample file when absent), then times the multilingual USE encoder and the lexical TF-IDF
transform (fitted on the project corpus) on their sentences. Writes a table into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time

from _docs import write_block
from bench_preprocess import ROOT, load_texts

import textcs
from textcs.corpus import load_corpus
from textcs.features import LexicalFeaturizer, get_encoder, units_from_records



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    pre = textcs.Preprocessor()
    corpus_units = [u for us in units_from_records(pre(load_corpus(split="train")["text"])) for u in us]
    lex = LexicalFeaturizer().fit(corpus_units)
    use = get_encoder("use-multilingual-v3")
    use.encode(["warm up"])
    rows = []
    for lang in ("ko", "en"):
        texts, source = load_texts(lang, args.n)
        units = [u for us in units_from_records(pre(texts)) for u in us]
        sents = [u.text for u in units]
        t0 = time.perf_counter()
        use.encode(sents)
        t_use = time.perf_counter() - t0
        t0 = time.perf_counter()
        lex.transform(units)
        t_lex = time.perf_counter() - t0
        rows.append((lang, source, len(sents), round(len(sents) / t_use), round(len(sents) / t_lex)))
    text = (
        f"Command: `python scripts/bench_encoders.py --n {args.n}`  \n"
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}  \n"
        f"Date: {dt.date.today().isoformat()}  \nLexical features: {lex.n_features:,} "
        f"(fitted on the corpus train split).\n\n"
        "| language | source | sentences | USE multilingual v3 sentences/s | lexical TF-IDF sentences/s |\n"
        "|---|---|---|---|---|\n"
        + "\n".join(f"| {l} | {s} | {n:,} | {u:,} | {x:,} |" for l, s, n, u, x in rows)
    )
    print(text)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "bench_encoders", "## Sentence feature extractors", text)

if __name__ == "__main__":
    main()
