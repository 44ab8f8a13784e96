"""spaCy integration: ``nlp.add_pipe("textcs")`` labels each Doc and its sentences.

The factory is registered through the ``spacy_factories`` entry point, so a pipeline config naming
``textcs`` works without importing textcs first. Config:

- ``model``: a model directory (``textcs train`` output or a full model); ``None`` (default) is the
  shipped default model;
- ``profile``: ``default`` or ``fast`` (``onnx`` for a transformer model exported with ``--onnx``);
- ``industry``: touchpoint catalog for the shipped model (``airline``, ``restaurant``, ...);
- ``batch_size``: comments per analyzer call in ``nlp.pipe``.

After the component runs:

- ``doc._.textcs`` is the comment's result (:class:`~textcs.classify.analyzer.CommentResult`, or
  :class:`~textcs.training.TaskResult` for a trained task model);
- ``doc.spans["textcs"]`` holds textcs's sentences, and ``span._.textcs`` is the result of the
  textcs sentence that overlaps ``span`` most (``None`` when none does), so it works on
  ``doc.sents`` from any sentencizer too.

``nlp.to_disk`` copies a custom model directory into the pipeline folder, so ``spacy.load`` and
``spacy package`` carry the model with them.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("textcs")
>>> doc = nlp("Flight was 3 hours late. The crew were lovely.")
>>> [(s.text, s._.textcs.polarity) for s in doc.spans["textcs"]]
[('Flight was 3 hours late.', 'negative'), ('The crew were lovely.', 'positive')]
>>> "delay" in doc._.textcs.failures
True
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

__all__ = ["TextcsComponent", "make_textcs"]

SPANS_KEY = "textcs"
MODEL_SUBDIR = "model"


def _best_sentence(span: Span):
    result = span.doc._.textcs
    if result is None:
        return None
    best, most = None, 0
    for s in result.sentences:
        overlap = min(s.end, span.end_char) - max(s.start, span.start_char)
        if overlap > most:
            best, most = s, overlap
    return best


if not Doc.has_extension("textcs"):
    Doc.set_extension("textcs", default=None)
if not Span.has_extension("textcs"):
    Span.set_extension("textcs", getter=_best_sentence)


class TextcsComponent:
    """The ``textcs`` pipeline component (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = "textcs", model: str | None = None, profile: str = "default",
                 industry: str | None = None, batch_size: int = 256):
        self.name, self.model, self.profile, self.industry = name, model, profile, industry
        self.batch_size = batch_size
        self._analyzer = None  # loaded on first use, so from_disk can point at a bundled model first

    @property
    def analyzer(self):
        if self._analyzer is None:
            import textcs

            options = {"industry": self.industry} if self.industry else {}
            self._analyzer = textcs.load(self.model, profile=self.profile, **options)
        return self._analyzer

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        size = batch_size or self.batch_size
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= size:
                yield from self._annotate(batch)
                batch = []
        if batch:
            yield from self._annotate(batch)

    def _annotate(self, docs: list[Doc]) -> list[Doc]:
        for doc, result in zip(docs, self.analyzer.analyze([d.text for d in docs])):
            doc._.textcs = result
            spans = [doc.char_span(s.start, s.end, alignment_mode="expand") for s in result.sentences]
            doc.spans[SPANS_KEY] = [s for s in spans if s is not None]
        return docs

    # -- serialisation: the model directory travels with the pipeline
    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model:
            target = path / MODEL_SUBDIR
            if Path(self.model).resolve() != target.resolve():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(self.model, target)

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "TextcsComponent":
        bundled = Path(path) / MODEL_SUBDIR
        if bundled.is_dir():
            self.model, self._analyzer = str(bundled), None
        return self


@Language.factory("textcs", default_config={"model": None, "profile": "default", "industry": None, "batch_size": 256})
def make_textcs(nlp: Language, name: str, model: str | None, profile: str, industry: str | None,
                batch_size: int) -> TextcsComponent:
    return TextcsComponent(nlp, name, model, profile, industry, batch_size)
