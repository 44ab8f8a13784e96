import numpy as np
import pytest

from textcs.features import LexicalFeaturizer, Unit, get_encoder, units_from_records


@pytest.fixture(scope="module")
def use():
    return get_encoder("use-multilingual-v3")


def test_use_encoder_is_multilingual_and_normalised(use):
    texts = ["승무원이 저한테 너무 무례했어요.", "The flight attendant was very rude to me.", "The room was clean and spacious."]
    x = use.encode(texts)
    assert x.shape == (3, 512) and x.dtype == np.float32
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    sim = x @ x.T
    assert sim[0, 1] > sim[0, 2] + 0.2  # the Korean and English complaint are closer than an unrelated sentence
    assert use.encode([]).shape == (0, 512)


def test_registry_errors_are_clear(tmp_path):
    with pytest.raises(ValueError, match="unknown encoder"):
        get_encoder("word2vec")
    pytest.importorskip("transformers")
    with pytest.raises(FileNotFoundError, match="local models only"):
        get_encoder(f"transformers:{tmp_path / 'missing'}")


def test_lexical_round_trip_without_pickle(pre, tmp_path):
    texts = ["직원이 친절하지 않았어요", "직원이 친절했어요", "Not bad at all, the crew was great", "The crew was bad", "배송이 늦었어요 ㅠㅠ"] * 2
    units = [u for units in units_from_records(pre(texts)) for u in units]
    lex = LexicalFeaturizer(min_df=1).fit(units)
    lex.save(tmp_path / "lex")
    assert sorted(p.name for p in (tmp_path / "lex").iterdir()) == ["lexical.json", "lexical_idf.npz"]
    loaded = LexicalFeaturizer.load(tmp_path / "lex")
    a, b = lex.transform(units), loaded.transform(units)
    assert a.shape == b.shape and abs(a - b).max() < 1e-12
    # negation scope is marked in both languages
    assert "NEG_bad" in lex.word_vocabulary and "not NEG_bad" in lex.word_vocabulary
    assert "NEG_친절" in lex.word_vocabulary


def test_lexical_ignores_unseen_terms():
    lex = LexicalFeaturizer(min_df=1).fit([Unit("good", ["good"]), Unit("bad", ["bad"])])
    x = lex.transform([Unit("zzz", ["zzz"])])
    assert x.shape == (1, lex.n_features) and x.nnz == 0


def _tiny_bert(folder):
    """A tiny BERT built here (config + tokenizer trained on the spot): no download anywhere."""
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    corpus = ["the crew was rude", "직원이 친절했어요", "my bag was lost", "배송이 늦었어요"] * 10
    tok.train_from_iterator(corpus, trainers.WordPieceTrainer(vocab_size=200, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]"
    )
    config = transformers.BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=64)
    transformers.set_seed(0)
    transformers.BertModel(config).save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder


def test_transformers_encoder_loads_a_local_model(tmp_path):
    pytest.importorskip("torch")
    tiny = _tiny_bert(tmp_path / "tiny")
    enc = get_encoder(f"transformers:{tiny}", device="cpu")
    x = enc.encode(["the crew was rude", "배송이 늦었어요", "the crew was rude"])
    assert x.shape == (3, 32) and np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    assert np.allclose(x[0], x[2], atol=1e-6)


def test_sentence_transformers_encoder_loads_a_local_model(tmp_path):
    st = pytest.importorskip("sentence_transformers")
    tiny = _tiny_bert(tmp_path / "tiny")
    # A plain HF folder becomes a sentence-transformers model with mean pooling; saved as such.
    st.SentenceTransformer(str(tiny), device="cpu", local_files_only=True).save(str(tmp_path / "st"))
    enc = get_encoder(f"sentence-transformers:{tmp_path / 'st'}", device="cpu")
    x = enc.encode(["the crew was rude", "직원이 친절했어요"])
    assert x.shape == (2, 32) and np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
