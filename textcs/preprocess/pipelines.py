"""The spaCy pipelines textcs tokenizes with, one per language route.

- ``ko`` (also used for ``mixed``): ``spacy.blank("ko")`` with the Kiwi tokenizer, which already sets
  tags, POS, lemmas and sentences.
- ``en``: spaCy's English tokenizer, lower-cased lookup lemmas (spacy-lookups-data's table with the
  corrections in ``lexicons/en_lemma_overrides.yaml``; no trained pipeline to download) and
  rule-based sentences; or any installed spaCy pipeline named in
  ``english_model`` (e.g. ``en_core_web_sm``) if you have one.
- ``other``: spaCy's multi-language tokenizer and rule-based sentences; text passes through.

Every pipeline keeps PII placeholders and emoticons as single tokens and starts a sentence after
a line break.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..resources import data_path, load_yaml
from .spacy_kiwi import default_protected

__all__ = ["PIPELINES", "build_pipeline"]


@Language.component("textcs_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (comments use them as sentence ends). spaCy keeps
    line breaks as whitespace tokens of their own."""
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text:
            doc[i + 1].is_sent_start = True
    return doc


@Language.factory("textcs_lemmatizer", default_config={"overrides": None})
def make_lemmatizer(nlp: Language, name: str, overrides: dict[str, str] | None):
    """Lower-cased lookup lemmas from spacy-lookups-data, corrected by ``en_lemma_overrides.yaml``."""
    from spacy.lookups import load_lookups

    table = load_lookups(nlp.lang, ["lemma_lookup"]).get_table("lemma_lookup")
    if overrides is None:
        overrides = load_yaml(data_path("lexicons", "en_lemma_overrides.yaml"))

    def lemmatize(doc: Doc) -> Doc:
        for token in doc:
            lower = token.lower_
            token.lemma_ = overrides.get(lower) or table.get(lower, lower)
        return doc

    return lemmatize


def _protect_tokens(nlp: Language, config: dict[str, Any]) -> None:
    # spaCy would split "<PHONE>" into < PHONE > and "^^" into ^ ^: special cases keep them whole
    # (matched in spaCy's C code, unlike a token_match callback).
    for piece in [f"<{rule['type']}>" for rule in config["pii"]] + list(config["emoticons"]):
        nlp.tokenizer.add_special_case(piece, [{"ORTH": piece}])


def _rule_sentences(nlp: Language) -> None:
    nlp.add_pipe("textcs_line_breaks")
    nlp.add_pipe("sentencizer", config={"overwrite": False})


def _workers(value: Any) -> int:
    return max(1, os.cpu_count() or 1) if value in (None, "auto") else max(1, int(value))


def build_korean(config: dict[str, Any]) -> Language:
    return spacy.blank(
        "ko",
        config={
            "nlp": {
                "tokenizer": {
                    "@tokenizers": "textcs.KiwiTokenizer.v1",
                    "num_workers": _workers(config.get("kiwi_workers", "auto")),
                    "upos": config["kiwi_upos"],
                    "protected": default_protected(config),
                }
            }
        },
    )


def build_english(config: dict[str, Any]) -> Language:
    model = config.get("english_model")
    if model:
        nlp = spacy.load(model)
        _protect_tokens(nlp, config)
        if not nlp.has_pipe("parser") and not nlp.has_pipe("senter"):
            _rule_sentences(nlp)
        return nlp
    nlp = spacy.blank("en")
    _protect_tokens(nlp, config)
    nlp.add_pipe("textcs_lemmatizer")
    _rule_sentences(nlp)
    return nlp


def build_other(config: dict[str, Any]) -> Language:
    nlp = spacy.blank("xx")
    _protect_tokens(nlp, config)
    _rule_sentences(nlp)
    return nlp


# Language route -> pipeline builder. ``mixed`` goes through the Korean pipeline: Kiwi keeps the
# Latin words whole and handles the Korean around them.
PIPELINES: dict[str, Callable[[dict[str, Any]], Language]] = {
    "ko": build_korean,
    "mixed": build_korean,
    "en": build_english,
    "other": build_other,
}


def build_pipeline(route: str, config: dict[str, Any]) -> Language:
    """Build the spaCy pipeline for a language route (``ko``, ``mixed``, ``en``, ``other``)."""
    try:
        return PIPELINES[route](config)
    except KeyError:
        raise ValueError(f"no pipeline for language {route!r}; known: {sorted(PIPELINES)}") from None

