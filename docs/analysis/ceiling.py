#!/usr/bin/env python3
"""Ceiling study: how much gap can simple predictors on frozen query embeddings close?

Developer tool (Python 3 + numpy), not part of the build. Reads a benchmark's outcome log and
embedding files written by EmbedQueries.java, and prints Markdown tables of gap closed:
5-fold cross-validation over train+valid (the test split is never read), and train -> valid.
The metric re-implements dev.haps.eval (21 cost weights, lambda(w) = 0.01*1000^w with
lambda(0) = 0, cost scale = mean cost of the most expensive configuration on train, upper
convex hull, AIQ over the fixed configurations' cost range, no credit left of the first point).

usage: ceiling.py DATA_DIR NAME=EMBEDDINGS.f32 [NAME=EMBEDDINGS.f32 ...] [--extras]
The first embedding is the main one; --extras adds the side studies on it.
"""
import json
import sys

import numpy as np

WEIGHTS = np.linspace(0, 1, 21)
FOLDS = 5


def lam(w):
    return np.where(w == 0, 0.0, 0.01 * 1000.0 ** w)


def load(data_dir):
    rows = [json.loads(l) for l in open(f'{data_dir}/outcomes.jsonl', encoding='utf-8')]
    cfgs = sorted({(o['model'], json.dumps(o['params'], sort_keys=True))
                   for r in rows for o in r['outcomes']})
    ix = {c: i for i, c in enumerate(cfgs)}
    n, c = len(rows), len(cfgs)
    score, cost, seen = np.zeros((n, c)), np.zeros((n, c)), np.zeros((n, c), bool)
    for i, r in enumerate(rows):
        for o in r['outcomes']:
            j = ix[(o['model'], json.dumps(o['params'], sort_keys=True))]
            score[i, j], cost[i, j], seen[i, j] = o['score'], o.get('cost_usd') or 0.0, True
    if not seen.all():
        sys.exit('this study needs every configuration observed on every query')
    split = np.array([r['split'] for r in rows])
    train = split == 'train'
    return dict(ids=[r['id'] for r in rows], S=score, K=cost, split=split,
                task=np.array([r['task'] for r in rows]), chars=np.array([len(r['query']) for r in rows]),
                scale=cost[train].mean(0).max())


def embeddings(d, path):
    ids = open(path + '.ids', encoding='utf-8').read().split('\n')[:-1]
    if ids != d['ids']:
        sys.exit(f'{path}: ids do not match outcomes.jsonl order')
    return np.fromfile(path, dtype='<f4').reshape(len(ids), -1).astype(np.float64)


def hull(points):
    hx, hy, best = [], [], -np.inf
    for x, y in sorted(points, key=lambda p: (p[0], -p[1])):
        if y <= best:
            continue
        best = y
        while len(hx) >= 2 and (hx[-1] - hx[-2]) * (y - hy[-2]) - (hy[-1] - hy[-2]) * (x - hx[-2]) >= 0:
            hx.pop(); hy.pop()
        hx.append(x); hy.append(y)
    return hx, hy


def aiq(points, lo, hi):
    hx, hy = hull(points)
    a = max(lo, hx[0])
    if hi <= a:
        return 0.0

    def at(c):
        if c >= hx[-1]:
            return hy[-1]
        i = np.searchsorted(hx, c, side='right') - 1
        return hy[i] + (c - hx[i]) / (hx[i + 1] - hx[i]) * (hy[i + 1] - hy[i])
    total = 0.0
    for i in range(len(hx) - 1):
        s, e = max(a, hx[i]), min(hi, hx[i + 1])
        if e > s:
            total += (e - s) * (at(s) + at(e)) / 2
    flat = max(a, hx[-1])
    if hi > flat:
        total += (hi - flat) * hy[-1]
    return total / (hi - lo)


def gap(d, q, pred_score, pred_cost, weights=WEIGHTS):
    """Gap closed on queries q by a router picking argmax(pred_score - lambda*pred_cost/scale)."""
    S, K, scale = d['S'][q], d['K'][q], d['scale']
    r = np.arange(len(q))

    def points(choices):
        return [(K[r, ch].mean(), S[r, ch].mean()) for ch in choices]
    fixed = [(K[:, j].mean(), S[:, j].mean()) for j in range(S.shape[1])]
    lo, hi = min(p[0] for p in fixed), max(p[0] for p in fixed)
    base = aiq(fixed, lo, hi)
    oracle = aiq(points([np.argmax(S - l * K / scale - 1e-12 * K, 1) for l in lam(weights)]), lo, hi)
    mine = aiq(points([np.argmax(pred_score - l * pred_cost / scale, 1) for l in lam(weights)]), lo, hi)
    return (mine - base) / (oracle - base)


# ----------------------------------------------------------------------------- predictors
# Each takes (d, X, train rows, query rows) and returns predicted score and cost [len(q), C].

def best_fixed(d, X, tr, q):
    return np.tile(d['S'][tr].mean(0), (len(q), 1)), np.tile(d['K'][tr].mean(0), (len(q), 1))


def task_prior(d, X, tr, q):
    s, k = np.zeros((len(q), d['S'].shape[1])), np.zeros((len(q), d['S'].shape[1]))
    for t in np.unique(d['task']):
        mt, mq = d['task'][tr] == t, d['task'][q] == t
        s[mq], k[mq] = d['S'][tr][mt].mean(0), d['K'][tr][mt].mean(0)
    return s, k


def unit(a):
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def knn(kk):
    def f(d, X, tr, q):
        nn = np.argsort(-(unit(X[q]) @ unit(X[tr]).T), axis=1, kind='stable')[:, :kk]
        return d['S'][tr][nn].mean(1), d['K'][tr][nn].mean(1)
    return f


def ridge(alpha):
    def f(d, X, tr, q):
        a = np.hstack([X[tr], np.ones((len(tr), 1))])
        b = np.hstack([X[q], np.ones((len(q), 1))])
        eye = np.eye(a.shape[1]); eye[-1, -1] = 0
        targets = np.hstack([d['S'][tr], np.log(d['K'][tr] + 1e-9)])
        p = b @ np.linalg.solve(a.T @ a + alpha * eye, a.T @ targets)
        c = d['S'].shape[1]
        return p[:, :c], np.exp(p[:, c:])
    return f


def blend(f, g, beta):
    def h(d, X, tr, q):
        s1, k1 = f(d, X, tr, q)
        s2, k2 = g(d, X, tr, q)
        return (1 - beta) * s1 + beta * s2, np.exp((1 - beta) * np.log(k1) + beta * np.log(k2))
    return h


def with_true_cost(f):
    def h(d, X, tr, q):
        return f(d, X, tr, q)[0], d['K'][q]
    return h


def subsample(f, frac):
    def h(d, X, tr, q):
        keep = np.sort(np.random.default_rng(1).permutation(tr)[:int(len(tr) * frac)])
        return f(d, X, keep, q)
    return h


# ----------------------------------------------------------------------------- protocols

def cross_validated(d, X, f, weights=WEIGHTS):
    pool = np.where(d['split'] != 'test')[0]
    perm = np.random.default_rng(0).permutation(pool)
    gaps = []
    for i in range(FOLDS):
        q = np.sort(perm[i::FOLDS])
        tr = np.setdiff1d(pool, q)
        gaps.append(gap(d, q, *f(d, X, tr, q), weights=weights))
    return np.mean(gaps), np.std(gaps)


def on_valid(d, X, f):
    tr, va = np.where(d['split'] == 'train')[0], np.where(d['split'] == 'valid')[0]
    return gap(d, va, *f(d, X, tr, va))


KS = [5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300]
ALPHAS = [1, 3, 10, 30, 100, 300]


def best_of(d, X, family, grid):
    results = [(cross_validated(d, X, family(p)), p) for p in grid]
    (mean, std), p = max(results, key=lambda r: r[0][0])
    return mean, std, p


def main(argv):
    extras = '--extras' in argv
    argv = [a for a in argv if a != '--extras']
    d = load(argv[0])
    reps = [a.split('=', 1) for a in argv[1:]]
    print(f'## {argv[0].rstrip("/").split("/")[-1]}: {FOLDS}-fold CV over train+valid '
          f'({(d["split"] != "test").sum()} queries); mean ± std over folds\n')
    f = lambda m, s: f'{m:+.3f} ± {s:.3f}'
    X0 = embeddings(d, reps[0][1])
    print('| predictor | CV gap closed |\n|---|---:|')
    print(f'| best fixed configuration (train means) | {f(*cross_validated(d, X0, best_fixed))} |')
    print(f'| per-task prior (true task label, train means) | {f(*cross_validated(d, X0, task_prior))} |')
    print()
    print('| representation | best kNN (k) | best ridge (α) | kNN on valid, same k | ridge on valid, same α |')
    print('|---|---:|---:|---:|---:|')
    for name, path in reps:
        X = embeddings(d, path)
        km, ks, k = best_of(d, X, knn, KS)
        rm, rs, a = best_of(d, X, ridge, ALPHAS)
        print(f'| {name} | {f(km, ks)} (k={k}) | {f(rm, rs)} (α={a}) | '
              f'{on_valid(d, X, knn(k)):+.3f} | {on_valid(d, X, ridge(a)):+.3f} |')
    if len(reps) > 1:
        Xs = [embeddings(d, p) for _, p in reps]
        Xc = np.hstack([x - x.mean(0) for x in Xs])
        m, s, a = best_of(d, Xc, ridge, ALPHAS)
        print(f'| all of the above, concatenated | – | {f(m, s)} (α={a}) | – | – |')
    if not extras:
        return
    name = reps[0][0]
    km, _, k = best_of(d, X0, knn, KS)
    rm, _, a = best_of(d, X0, ridge, ALPHAS)
    onehot = (d['task'][:, None] == np.unique(d['task'])[None]).astype(float)
    loglen = np.log(d['chars'])[:, None]
    loglen = (loglen - loglen.mean()) / loglen.std()
    print(f'\n### Side studies on {name} (kNN k={k}, ridge α={a})\n')
    print('| variant | CV gap closed |\n|---|---:|')
    rows = [
        ('ridge + true task one-hot', lambda: cross_validated(d, np.hstack([X0, 3 * onehot]), ridge(a))),
        ('ridge + log query length', lambda: cross_validated(d, np.hstack([X0, loglen]), ridge(a))),
        ('ridge scores, true per-query cost', lambda: cross_validated(d, X0, with_true_cost(ridge(a)))),
        ('ridge 50/50 kNN blend', lambda: cross_validated(d, X0, blend(ridge(a), knn(k), 0.5))),
        ('ridge on 50% of the training folds', lambda: cross_validated(d, X0, subsample(ridge(a), 0.5))),
        ('ridge on 75% of the training folds', lambda: cross_validated(d, X0, subsample(ridge(a), 0.75))),
        ('ridge, 201 cost weights instead of 21', lambda: cross_validated(d, X0, ridge(a), np.linspace(0, 1, 201))),
        ('kNN, 201 cost weights instead of 21', lambda: cross_validated(d, X0, knn(k), np.linspace(0, 1, 201))),
    ]
    for label, run in rows:
        print(f'| {label} | {f(*run())} |')


if __name__ == '__main__':
    main(sys.argv[1:])
