"""The transformer backend: fine-tune a local Hugging Face encoder for one task.

``AutoModelForSequenceClassification`` over any model folder saved with ``save_pretrained``
(``local_files_only``: nothing is downloaded), with a plain PyTorch loop: AdamW, linear warm-up and
decay, class weights (balanced cross-entropy for single-label tasks, ``pos_weight`` in BCE for
multi-label ones), and early stopping on the dev macro-F1 (the best epoch's weights are kept). CPU or
GPU. The model is saved with ``save_pretrained`` (safetensors) into ``transformer/`` in the model
directory; ``onnx=True`` also writes ``model.onnx`` for onnxruntime on CPU (profile ``onnx``).

``base="scratch"`` builds a small BERT (WordPiece vocabulary trained on the training texts, random
weights) with :func:`build_scratch_encoder`: a model that has seen nothing but your data, for when no
pretrained encoder is on the machine.

Needs the ``train`` extra (``pip install torch==2.13.0`` first, then ``pip install "textcs[train]"``).
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..classify.heads import tune_thresholds
from ..features import Unit
from .data import TaskDef
from .metrics import evaluate

__all__ = ["TransformerBackend", "build_scratch_encoder"]

MODEL_DIR = "transformer"
ONNX_FILE = "model.onnx"


def build_scratch_encoder(texts: Sequence[str], folder: str | Path, hidden: int = 128, layers: int = 2,
                          heads: int = 2, vocab_size: int = 8000, max_length: int = 128, seed: int = 0,
                          dropout: float = 0.1) -> Path:
    """A randomly initialised BERT with a WordPiece tokenizer fitted to ``texts``, saved in ``folder``.

    The vocabulary is built here rather than by the ``tokenizers`` WordPiece trainer, whose choice
    among equally frequent merges changes from run to run: every character seen (alone and as a
    ``##`` continuation), then the most frequent words, ties broken alphabetically, up to
    ``vocab_size``. Words outside it are spelled with characters. Hangul is kept whole (no accent
    stripping, which would split syllables into jamo).
    """
    from collections import Counter

    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = Path(folder)
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False, clean_text=True)
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    words = Counter(w for t in texts for w, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(t)))
    chars = sorted({c for w in words for c in w})
    vocab = specials + chars + [f"##{c}" for c in chars]
    frequent = sorted((w for w in words if len(w) > 1), key=lambda w: (-words[w], w))
    vocab += frequent[:max(0, vocab_size - len(vocab))]
    tok = Tokenizer(models.WordPiece({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer, tok.pre_tokenizer = normalizer, pre_tokenizer
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    tokenizer = BertTokenizerFast(tokenizer_object=tok, model_max_length=max_length, unk_token="[UNK]", strip_accents=False,
                                  pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    config = BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=hidden, num_hidden_layers=layers,
                        num_attention_heads=heads, intermediate_size=hidden * 4, max_position_embeddings=max(max_length, 64),
                        hidden_dropout_prob=dropout, attention_probs_dropout_prob=dropout)
    torch.manual_seed(seed)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _device(name: str):
    import torch

    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


class TransformerBackend:
    name = "transformer"

    def __init__(self, model=None, tokenizer=None, kind: str = "multilabel", profile: str = "default",
                 max_length: int = 128, device: str = "auto", session=None):
        self.model, self.tokenizer, self.kind, self.profile = model, tokenizer, kind, profile
        self.max_length, self.session = max_length, session
        self.device = _device(device) if model is not None else None
        self.info: dict[str, Any] = {}
        self._onnx = False

    def profiles(self) -> list[str]:
        return ["default", "onnx"] if self.session is not None else ["default"]

    @staticmethod
    def check_options(options: Any) -> None:
        """Fail before any work when the options cannot train."""
        if not options.base:
            raise ValueError("the transformer backend needs --base: a local Hugging Face model folder, or scratch")
        if options.base != "scratch" and not Path(options.base).is_dir():
            raise ValueError(f"--base {options.base}: not a folder (the transformer backend loads local models only)")

    # -- training
    def fit(self, train: Sequence[Unit], Y_train: np.ndarray, dev: Sequence[Unit], Y_dev: np.ndarray,
            task: TaskDef, options: Any, log: Callable[[str], None] = print) -> None:
        import torch
        from tqdm import tqdm
        from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

        self.check_options(options)
        self.kind, self.max_length, self._onnx = task.kind, options.max_length, options.onnx
        self.device = _device(options.device)
        texts = [u.text for u in train]
        with tempfile.TemporaryDirectory(prefix="textcs-scratch-") as scratch:
            base = options.base
            if base == "scratch":  # built in a temporary folder; only the fine-tuned model is kept
                base = build_scratch_encoder(texts, scratch, options.scratch_hidden, options.scratch_layers,
                                             max(2, options.scratch_hidden // 64), options.scratch_vocab,
                                             options.max_length, options.seed)
                self.info["base"] = (f"scratch: BERT trained from random weights, hidden {options.scratch_hidden}, "
                                     f"{options.scratch_layers} layers, WordPiece vocabulary from the training texts")
            else:
                self.info["base"] = str(options.base)
            torch.manual_seed(options.seed)
            self.tokenizer = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(
                str(base), local_files_only=True, num_labels=len(task.labels),
                problem_type="multi_label_classification" if task.kind == "multilabel" else "single_label_classification",
                id2label=dict(enumerate(task.labels)), label2id={l: i for i, l in enumerate(task.labels)},
            ).to(self.device)
        Y = torch.tensor(Y_train, dtype=torch.float32)
        if task.kind == "multilabel":
            pos = Y.sum(0)
            weight = ((len(Y) - pos) / pos.clamp(min=1)).clamp(0.1, 100.0) if options.class_weights else None
            loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=weight.to(self.device) if weight is not None else None)
            target = Y
        else:
            counts = Y.sum(0)
            weight = (len(Y) / (len(task.labels) * counts.clamp(min=1))) if options.class_weights else None
            loss_fn = torch.nn.CrossEntropyLoss(weight=weight.to(self.device) if weight is not None else None)
            target = Y.argmax(1)
        enc = self.tokenizer(texts, truncation=True, max_length=options.max_length)
        ids = enc["input_ids"]
        steps_per_epoch = (len(ids) + options.batch_size - 1) // options.batch_size
        optim = torch.optim.AdamW(self.model.parameters(), lr=options.learning_rate, weight_decay=0.01)
        sched = get_linear_schedule_with_warmup(optim, int(0.1 * steps_per_epoch * options.epochs),
                                                steps_per_epoch * options.epochs)
        gen = torch.Generator().manual_seed(options.seed)
        best, best_state, best_epoch, waited = -1.0, None, 0, 0
        for epoch in range(1, options.epochs + 1):
            t0 = time.perf_counter()
            self.model.train()
            order = torch.randperm(len(ids), generator=gen).tolist()
            total = 0.0
            bar = tqdm(range(0, len(order), options.batch_size), desc=f"epoch {epoch}", unit="batch", leave=False,
                       disable=not sys.stderr.isatty(), file=sys.stderr)
            for start in bar:
                rows = order[start:start + options.batch_size]
                batch = self.tokenizer.pad({"input_ids": [ids[i] for i in rows]}, return_tensors="pt").to(self.device)
                logits = self.model(**batch).logits
                loss = loss_fn(logits, target[rows].to(self.device))
                optim.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                optim.step()
                sched.step()
                total += float(loss.detach()) * len(rows)
            line = f"[transformer] epoch {epoch}: loss {total / max(len(ids), 1):.4f}"
            if len(dev):
                proba = self.predict_proba(dev)
                score = self._dev_score(proba, Y_dev, task)
                line += f", dev macro-F1 {score:.4f}"
                if score > best + 1e-6:
                    best, best_epoch, waited = score, epoch, 0
                    best_state = copy.deepcopy({k: v.detach().cpu() for k, v in self.model.state_dict().items()})
                else:
                    waited += 1
            log(f"{line} ({time.perf_counter() - t0:.0f}s)")
            if len(dev) and waited >= options.patience:
                log(f"[transformer] early stop: no better dev macro-F1 for {options.patience} epochs")
                break
        if best_state is not None:
            self.model.load_state_dict(best_state)
        self.model.eval()
        self.info.update({"epochs_run": epoch, "best_epoch": best_epoch or epoch, "device": str(self.device),
                          "parameters": sum(p.numel() for p in self.model.parameters())})

    @staticmethod
    def _dev_score(proba: np.ndarray, Y: np.ndarray, task: TaskDef) -> float:
        if task.kind == "multiclass":
            P = np.eye(len(task.labels), dtype=int)[proba.argmax(1)]
        else:
            t = np.array([x if x is not None else 0.5 for x in tune_thresholds(proba, Y)])
            P = (proba >= t).astype(int)
        return evaluate(Y, P, task.labels, task.kind).summary["macro_f1"]

    # -- prediction
    def predict_proba(self, units: Sequence[Unit], batch_size: int = 64) -> np.ndarray:
        texts = [u.text for u in units]
        out = np.zeros((len(texts), len(self._labels())), dtype=np.float32)
        if not texts:
            return out
        order = np.argsort([len(t) for t in texts], kind="stable")  # similar lengths pad less
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            logits = self._logits([texts[i] for i in rows])
            out[rows] = self._activate(logits)
        return out

    def _labels(self) -> list:
        return list(self.model.config.id2label.values()) if self.model is not None else self._onnx_labels

    def _activate(self, logits: np.ndarray) -> np.ndarray:
        if self.kind == "multilabel":
            return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        z = np.exp(logits - logits.max(1, keepdims=True))
        return z / z.sum(1, keepdims=True)

    def _logits(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer(texts, truncation=True, max_length=self.max_length, padding=True,
                             return_tensors="np" if self.profile == "onnx" else "pt")
        if self.profile == "onnx":
            feeds = {"input_ids": enc["input_ids"].astype(np.int64),
                     "attention_mask": enc["attention_mask"].astype(np.int64)}
            return self.session.run(["logits"], feeds)[0]
        import torch

        self.model.eval()
        with torch.no_grad():
            enc = {k: v.to(self.device) for k, v in enc.items() if k in ("input_ids", "attention_mask")}
            return self.model(**enc).logits.float().cpu().numpy()

    # -- files
    def save(self, folder: Path) -> dict:
        target = Path(folder) / MODEL_DIR
        self.model.save_pretrained(target)
        self.tokenizer.save_pretrained(target)
        if self._onnx:
            export_onnx(self.model, self.tokenizer, Path(folder) / ONNX_FILE)
            self.info["onnx"] = ONNX_FILE
        cfg = self.model.config
        return {**self.info, "architecture": cfg.architectures[0] if cfg.architectures else type(self.model).__name__,
                "hidden_size": cfg.hidden_size, "layers": cfg.num_hidden_layers, "max_length": self.max_length}

    @classmethod
    def load(cls, folder: Path, task: TaskDef, profile: str = "default", device: str = "auto",
             **_: Any) -> "TransformerBackend":
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        import json

        folder = Path(folder)
        spec = json.loads((folder / "task.json").read_text(encoding="utf-8"))
        max_length = int(spec["meta"]["options"].get("max_length", 128))
        tokenizer = AutoTokenizer.from_pretrained(str(folder / MODEL_DIR), local_files_only=True)
        if profile == "onnx":
            if not (folder / ONNX_FILE).exists():
                raise ValueError(f"profile 'onnx' needs {ONNX_FILE}; train with --onnx")
            import onnxruntime as ort

            session = ort.InferenceSession(str(folder / ONNX_FILE), providers=["CPUExecutionProvider"])
            self = cls(None, tokenizer, task.kind, "onnx", max_length, session=session)
            self._onnx_labels = list(task.labels)
            return self
        if profile not in ("default", "fast"):
            raise ValueError(f"profile {profile!r} not in this model (default, onnx)")
        model = AutoModelForSequenceClassification.from_pretrained(str(folder / MODEL_DIR), local_files_only=True)
        self = cls(model, tokenizer, task.kind, "default", max_length, device)
        self.model.to(self.device).eval()
        return self


def export_onnx(model, tokenizer, path: Path) -> Path:
    """Export the classifier to ONNX (inputs ``input_ids``/``attention_mask``, output ``logits``,
    dynamic batch and sequence axes), with the TorchScript exporter, which needs no extra package."""
    import torch

    model = copy.deepcopy(model).to("cpu").eval()
    sample = tokenizer(["an example", "another, longer example text"], padding=True, return_tensors="pt")
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(model, (sample["input_ids"], sample["attention_mask"]), str(path), dynamo=False,
                          input_names=["input_ids", "attention_mask"], output_names=["logits"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "logits": {0: "batch"}},
                          opset_version=17)
    return path
