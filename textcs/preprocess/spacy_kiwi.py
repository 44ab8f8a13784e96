"""A spaCy tokenizer backed by Kiwi (kiwipiepy), registered as ``textcs.KiwiTokenizer.v1``.

Kiwi analyses Korean into morphemes whose surface spans can overlap (했 = 하/XSA + 었/EP). spaCy
tokens must tile the text, so morphemes sharing characters become one token: its tag joins their
Kiwi tags with ``+``, its lemma is the first morpheme's lemma (verbs and adjectives in 다-form), and
``token._.morphs`` lists every morpheme as ``(form, tag)``. Latin words inside Korean stay whole
(Kiwi tags them ``SL``) with a lower-cased lemma. Sentence boundaries come from Kiwi, plus one at
every line break. PII placeholders and the emoticons of ``preprocess.yaml`` stay single tokens.
``doc.text`` is always exactly the input.

>>> import spacy
>>> nlp = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "textcs.KiwiTokenizer.v1"}}})
>>> doc = nlp("배송 빨랐어요ㅋㅋ 앱 login은 안돼요")
>>> [(t.text, t.tag_, t.lemma_) for t in doc][:4]
[('배송', 'NNG', '배송'), ('빨', 'VA', '빠르다'), ('랐', 'EP', '었'), ('어요', 'EF', '어요')]
>>> [s.text for s in doc.sents]
['배송 빨랐어요ㅋㅋ', '앱 login은 안돼요']
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import regex
import srsly
from spacy.tokens import Doc, Token
from spacy.util import registry
from spacy.vocab import Vocab

__all__ = ["KiwiTokenizer", "create_kiwi_tokenizer"]

if not Token.has_extension("morphs"):
    Token.set_extension(
        "morphs", getter=lambda t: t.doc.user_data.get("kiwi_morphs", [[]] * len(t.doc))[t.i]
    )



def default_protected(config: dict | None = None) -> str:
    """Regex of spans Kiwi keeps whole: PII placeholders, the config's emoticons, jamo runs (ㅋㅋ)."""
    if config is None:
        from .config import load_config

        config = load_config()
    emoticons = sorted(config["emoticons"], key=len, reverse=True)
    return "|".join([r"<[A-Z]+>", *map(regex.escape, emoticons), r"[\u3131-\u318e]{2,}"])

_LEMMA_LOWER = {"SL"}
_PIECES = regex.compile(r"\s+|\S+")


@registry.tokenizers("textcs.KiwiTokenizer.v1")
def create_kiwi_tokenizer(
    num_workers: int = 1,
    upos: dict[str, str] | None = None,
    protected: str | None = None,
) -> Callable[[Any], "KiwiTokenizer"]:
    """spaCy registry factory: ``{"@tokenizers": "textcs.KiwiTokenizer.v1"}`` in a config.

    ``protected`` is a regex of spans Kiwi must keep whole (PII placeholders, emoticons).
    """

    def make(nlp) -> KiwiTokenizer:
        return KiwiTokenizer(nlp.vocab, num_workers=num_workers, upos=upos, protected=protected)

    return make


class KiwiTokenizer:
    """Callable ``text -> Doc`` with a batched :meth:`pipe` that lets Kiwi use its worker threads."""

    def __init__(
        self,
        vocab: Vocab,
        num_workers: int = 1,
        upos: dict[str, str] | None = None,
        protected: str | None = None,
    ):
        self.vocab = vocab
        self.num_workers = num_workers
        if upos is None:
            from .config import load_config

            upos = load_config()["kiwi_upos"]
        self.upos = dict(upos)
        self.protected = protected if protected is not None else default_protected()
        self._protected = regex.compile(self.protected)

    @cached_property
    def kiwi(self):
        from kiwipiepy import Kiwi

        return Kiwi(num_workers=self.num_workers)

    def _pretokenized(self, text: str) -> list[tuple[int, int, str]]:
        spans = []
        for m in self._protected.finditer(text):
            tag = "NNP" if m.group(0).startswith("<") else "SW"
            spans.append((m.start(), m.end(), tag))
        return spans

    def __call__(self, text: str) -> Doc:
        morphs = self.kiwi.tokenize(text, pretokenized=self._pretokenized) if text else []
        return self.to_doc(text, morphs)

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
        """Tokenize many texts; Kiwi analyses them on ``num_workers`` threads."""
        texts = list(texts)
        nonempty = [t for t in texts if t]
        results = iter(self.kiwi.tokenize(iter(nonempty), pretokenized=self._pretokenized))
        for text in texts:
            yield self.to_doc(text, next(results) if text else [])

    def to_doc(self, text: str, morphs: list) -> Doc:
        """Build the Doc for ``text`` from Kiwi's morphemes (see the module docstring)."""
        groups: list[list] = []
        pending: list = []  # zero-width morphemes (an elided copula 이) join the next group
        end = -1
        for m in morphs:
            if m.len == 0:
                if groups and m.start < end:
                    groups[-1].append(m)
                else:
                    pending.append(m)
            elif groups and m.start < end:
                groups[-1].append(m)
                end = max(end, m.start + m.len)
            else:
                groups.append(pending + [m])
                pending = []
                end = m.start + m.len
        if pending and groups:
            groups[-1].extend(pending)
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        pos: list[str] = []
        lemmas: list[str] = []
        sent_starts: list[bool] = []
        morph_lists: list[list[tuple[str, str]]] = []

        def add_gap(gap: str) -> None:
            # Text between Kiwi groups: one plain space attaches to the previous token; anything
            # else (line breaks, several spaces, characters Kiwi skipped) becomes tokens of its own.
            if gap[0] == " " and words and not spaces[-1]:
                spaces[-1] = True
                gap = gap[1:]
            for piece in _PIECES.findall(gap):
                ws = piece.isspace()
                words.append(piece)
                spaces.append(False)
                tags.append("_SP" if ws else "SW")
                pos.append("SPACE" if ws else "SYM")
                lemmas.append(piece)
                sent_starts.append(len(words) == 1)
                morph_lists.append([])

        upos = self.upos
        prev_end = 0
        prev_sent = groups[0][0].sent_position if groups else None
        for group in groups:
            spans = [(m.start, m.start + m.len) for m in group if m.len]
            start = min(a for a, _ in spans)
            stop = max(b for _, b in spans)
            gap = text[prev_end:start]
            if gap:
                if gap == " " and words and not spaces[-1]:
                    spaces[-1] = True
                else:
                    add_gap(gap)
            head = group[0]
            head_tag = head.tag
            words.append(text[start:stop])
            spaces.append(False)
            if len(group) == 1:
                tags.append(head_tag)
                morph_lists.append([(head.form, head_tag)])
            else:
                forms_tags = [(m.form, m.tag) for m in group]
                tags.append("+".join(t for _, t in forms_tags))
                morph_lists.append(forms_tags)
            pos.append(upos.get(head_tag.split("-", 1)[0], "X"))
            if head_tag[0] == "V":  # verbs and adjectives: Kiwi's lemma is the 다-form
                lemma = head.lemma or head.form
            else:
                lemma = head.form.lower() if head_tag in _LEMMA_LOWER else head.form
            lemmas.append(lemma)
            sent = head.sent_position
            sent_starts.append(sent != prev_sent or "\n" in gap)
            prev_sent = sent
            prev_end = stop
        if prev_end < len(text):
            add_gap(text[prev_end:])
        if sent_starts:
            sent_starts[0] = True
        doc = Doc(
            self.vocab,
            words=words,
            spaces=spaces,
            tags=tags,
            pos=pos,
            lemmas=lemmas,
            sent_starts=sent_starts,
        )
        doc.user_data["kiwi_morphs"] = morph_lists
        return doc

    # spaCy serialisation: the tokenizer has no weights, only its settings.
    def _settings(self) -> dict[str, Any]:
        return {"num_workers": self.num_workers, "upos": self.upos, "protected": self.protected}

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self._settings()).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "KiwiTokenizer":
        settings = srsly.json_loads(data)
        self.__init__(self.vocab, **settings)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "kiwi_tokenizer.json", self._settings())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "KiwiTokenizer":
        settings = srsly.read_json(Path(path) / "kiwi_tokenizer.json")
        self.__init__(self.vocab, **settings)
        return self
