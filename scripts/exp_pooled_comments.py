"""Side experiment: a comment embedding as the token-weighted mean of its sentence embeddings
(pooled) against encoding the whole comment again (whole), for comment-level sentiment.

    python scripts/exp_pooled_comments.py twitter_airline
    python scripts/exp_pooled_comments.py yogiyo    # 3,000-review samples per split, seed 0

Logistic regression on [USE | TF-IDF] trained on the train split, measured on the test split. Its
result is quoted in docs/benchmarks.md ("Analyzer throughput"); it changes nothing shipped.
"""
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, accuracy_score, balanced_accuracy_score
import textcs
from textcs.datasets import load_dataset
from textcs.features import LexicalFeaturizer, Unit
from textcs.features.encoders import USEEncoder
from textcs.preprocess import Preprocessor
enc = USEEncoder(threads=1); pre = Preprocessor()
def feats(texts):
    recs = pre(texts)
    whole, sents, owner = [], [], []
    for i, r in enumerate(recs):
        whole.append(r.text or "")
        for s in (r.sentences or []):
            sents.append(s.text); owner.append((i, max(1, len(s.tokens))))
    W = enc.encode(whole)
    S = enc.encode(sents)
    P = np.zeros((len(texts), 512), np.float32)
    for (i, w), v in zip(owner, S): P[i] += w * v
    P /= np.maximum(np.linalg.norm(P, axis=1, keepdims=True), 1e-12)
    units = [Unit.of(r.text, [t for s in r.sentences for t in s.tokens]) for r in recs]
    return W, P, units, sum(r.sentences is not None and len(r.sentences) > 1 for r in recs)
name = sys.argv[1]
d = load_dataset(name)
if name == "yogiyo":
    d = d[(d.total <= 2) | (d.total >= 4)]; d["y"] = (d.total >= 4).astype(int)
    d = d.groupby("split").sample(n=3000, random_state=0)
else:
    d["y"] = d.sentiment
tr, te = d[d.split == "train"], d[d.split == "test"]
t0 = time.time()
Wtr, Ptr, Utr, m1 = feats(tr.text.tolist()); Wte, Pte, Ute, m2 = feats(te.text.tolist())
print("encoded", time.time() - t0, "multi-sentence share", m1 / len(tr))
lex = LexicalFeaturizer().fit(Utr); Ltr, Lte = lex.transform(Utr), lex.transform(Ute)
for nm, A, B in (("whole", Wtr, Wte), ("pooled", Ptr, Pte), ("both", np.hstack([Wtr,Ptr]), np.hstack([Wte,Pte]))):
    Xtr = sp.hstack([sp.csr_matrix(A), Ltr]).tocsr(); Xte = sp.hstack([sp.csr_matrix(B), Lte]).tocsr()
    clf = LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced").fit(Xtr, tr.y)
    p = clf.predict(Xte)
    print(name, nm, "macroF1 %.3f acc %.3f balacc %.3f" % (f1_score(te.y, p, average="macro"), accuracy_score(te.y, p), balanced_accuracy_score(te.y, p)))
