"""Negation scope marking for lexical features (rules in ``data/lexicons/negation.yaml``).

>>> mark_negation(["the", "staff", "be", "not", "helpful", "."], [""] * 6)
['the', 'staff', 'be', 'not', 'NEG_helpful', '.']
>>> mark_negation(["친절", "하", "지", "않다", "었", "어요"], ["NNG", "XSA", "EC", "VX", "EP", "EF"])
['NEG_친절', 'NEG_하', '지', '않다', '었', '어요']
>>> mark_negation(["하나", "도", "안", "친절", "하", "어요"], ["NR", "JX", "MAG", "NNG", "XSA+EP", "EF"])
['하나', '도', '안', 'NEG_친절', 'NEG_하', '어요']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from ..resources import data_path, load_yaml

__all__ = ["mark_negation", "default_rules"]

PREFIX = "NEG_"


@lru_cache(maxsize=1)
def default_rules() -> dict:
    return load_yaml(data_path("lexicons", "negation.yaml"))


def mark_negation(lemmas: Sequence[str], tags: Sequence[str], rules: dict | None = None) -> list[str]:
    """Lemmas with those inside a negation's scope prefixed ``NEG_`` (see the rules file)."""
    rules = rules or default_rules()
    en, ko = rules["en"], rules["ko"]
    out = [l.lower() for l in lemmas]
    tags = list(tags) + [""] * (len(out) - len(tags))
    neg = [False] * len(out)
    en_neg, en_break = set(en["negators"]), set(en["breakers"])
    for i, lemma in enumerate(out):
        if lemma in en_neg:
            for j in range(i + 1, min(i + 1 + en["max_scope"], len(out))):
                if out[j] in en_break or out[j] in en_neg:
                    break
                neg[j] = True
        elif lemma in ko["pre_negators"] and tags[i].startswith(ko["pre_tag"]):
            for j in range(i + 1, min(i + 1 + ko["max_scope"], len(out))):
                if tags[j][:1] in ("E", "S", "J"):
                    break
                neg[j] = True
        elif lemma in ko["post_negators"] and i >= 1 and out[i - 1] == ko["post_link"]:
            for j in range(i - 2, max(i - 2 - ko["max_scope"], -1), -1):
                if tags[j][:1] in ("E", "S", "J"):
                    break
                neg[j] = True
        elif lemma in ko["absence"]:
            for j in range(i - 1, max(i - 1 - ko["max_scope"], -1), -1):
                if any(tags[j].startswith(p) for p in ko["absence_skip_prefixes"]):
                    continue
                if tags[j].startswith("NN"):
                    neg[j] = True
                break
    return [PREFIX + l if n else l for l, n in zip(out, neg)]
