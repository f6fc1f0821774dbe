"""Regenerates test/fixtures/ek100-mir-subset.json: an independent numpy implementation of the
published EPIC-KITCHENS-100 MIR metrics (stable argsort), on a 40×40 slice of the real relevancy.

    node bin/vidlens.js metrics ek100-relevancy --videos ../shared/data/ek100/EPIC_100_retrieval_test.csv \
        --sentences ../shared/data/ek100/EPIC_100_retrieval_test_sentence.csv --out /tmp/rel.npy
    python3 scripts/make-ek100-fixture.py /tmp/rel.npy
"""
import csv
import json
import sys

import numpy as np

DATA = '../shared/data/ek100/'


def mean_ap(sim, rel):
    order = np.argsort(-sim, axis=1, kind='stable')
    r = np.take_along_axis(rel, order, axis=1)
    cum = np.cumsum(r, axis=1)
    div = np.arange(r.shape[1]) + 1
    with np.errstate(invalid='ignore', divide='ignore'):
        ap = np.sum(cum / div * (r == 1), axis=1) / np.sum(r == 1, axis=1)
    return float(np.mean(ap))


def mean_ndcg(sim, rel):
    order = np.argsort(-sim, axis=1, kind='stable')
    r = np.take_along_axis(rel, order, axis=1)
    disc = 1 / np.log2(np.arange(rel.shape[1]) + 2)
    ideal = -np.sort(-rel, axis=1)
    k = np.sum(rel > 0, axis=1)
    with np.errstate(invalid='ignore', divide='ignore'):
        scores = [np.sum(r[i, :k[i]] * disc[:k[i]]) / np.sum(ideal[i, :k[i]] * disc[:k[i]]) for i in range(rel.shape[0])]
    return float(np.mean(scores))


rel = np.load(sys.argv[1]).astype(np.float64)
sentences = list(csv.DictReader(open(DATA + 'EPIC_100_retrieval_test_sentence.csv')))
clips = {r['narration_id']: i for i, r in enumerate(csv.DictReader(open(DATA + 'EPIC_100_retrieval_test.csv')))}
rng = np.random.default_rng(1)
cols = rng.choice(len(sentences), 40, replace=False)
rows = np.array([clips[sentences[c]['narration_id']] for c in cols])
sub = rel[np.ix_(rows, cols)]
sim = rng.standard_normal(sub.shape).astype(np.float32).astype(np.float64)
sim[:, :6] = np.round(sim[:, :6], 1)  # ties
out = {
    'source': 'EK100 relevancy rows/cols sampled with numpy seed 1; expected values from a numpy implementation of the published mAP/nDCG (stable argsort)',
    'sim': sim.tolist(), 'rel': sub.tolist(),
    'mAP_v2t': mean_ap(sim, sub), 'mAP_t2v': mean_ap(sim.T, sub.T),
    'nDCG_v2t': mean_ndcg(sim, sub), 'nDCG_t2v': mean_ndcg(sim.T, sub.T),
}
json.dump(out, open('test/fixtures/ek100-mir-subset.json', 'w'))
print({k: v for k, v in out.items() if isinstance(v, float)})
