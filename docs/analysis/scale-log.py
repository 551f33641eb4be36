"""A large synthetic outcome log for timing and memory checks of `haps train` and `haps eval`.

Queries are the shared benchmarks' texts (repeated with a "Variant k." prefix past the first
6,899); scores follow a logistic model (model ability + model-by-task skill - query
difficulty), 0/1 except every fifth model's, which records the probability itself; every
seventh model has no price and no cost. About 70/10/20 % train/valid/test, with half of the even
tasks' test queries moved to train (a shifted test mix). Not a quality benchmark: the figures in
docs/training.md ("Timings") are about time and memory only.

    python3 docs/analysis/scale-log.py QUERIES CONFIGURATIONS OUT [--missing FRACTION]

--missing leaves that share of (query, configuration) cells out (`haps train` accepts such a log,
`haps eval` asks for a complete one). Same arguments, same file.
"""
import argparse
import json
import math
import os
import random

ap = argparse.ArgumentParser()
ap.add_argument("queries", type=int)
ap.add_argument("configurations", type=int)
ap.add_argument("out")
ap.add_argument("--missing", type=float, default=0.0)
ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../shared/data"))
a = ap.parse_args()

random.seed(1)
texts = []
for bench in ["routerbench-3task", "concise-cot", "zeroeval"]:
    with open(os.path.join(a.shared, bench, "outcomes.jsonl")) as f:
        for line in f:
            o = json.loads(line)
            texts.append((o["task"], o["query"]))
tasks = sorted({t for t, _ in texts})
task_index = {t: i for i, t in enumerate(tasks)}

G = a.configurations
models = [{"id": "m%02d" % g,
           "price_per_mtok": None if g % 7 == 0 else {"input": 0.1 * (g + 1), "output": 0.3 * (g + 1)},
           "parameters": []} for g in range(G)]
os.makedirs(a.out, exist_ok=True)
with open(os.path.join(a.out, "candidates.json"), "w") as f:
    json.dump({"benchmark": "big", "source": {"repo": "synthetic", "commit": "0", "paths": [],
                                               "license": "none"}, "models": models}, f)

skill = [[random.gauss(0, 1) for _ in tasks] for _ in range(G)]
ability = [random.gauss(0, 1) + 0.05 * g for g in range(G)]
with open(os.path.join(a.out, "outcomes.jsonl"), "w") as f:
    for i in range(a.queries):
        task, query = texts[i % len(texts)]
        if i >= len(texts):
            query = "Variant %d. %s" % (i // len(texts), query)
        difficulty = random.gauss(0, 1)
        u = random.random()
        split = "train" if u < 0.7 else ("valid" if u < 0.8 else "test")
        if split == "test" and task_index[task] % 2 == 0 and random.random() < 0.6:
            split = "train"
        outcomes = []
        for g in range(G):
            if a.missing > 0 and random.random() < a.missing:
                continue
            p = 1 / (1 + math.exp(-(ability[g] + skill[g][task_index[task]] - difficulty)))
            score = 1.0 if random.random() < p else 0.0
            if g % 5 == 0:
                score = round(p, 3)
            tokens_in = len(query) // 4
            tokens_out = random.randint(5, 300)
            cost = None if g % 7 == 0 else (tokens_in * 0.1 * (g + 1) + tokens_out * 0.3 * (g + 1)) / 1e6
            outcomes.append({"model": "m%02d" % g, "params": {}, "score": score, "cost_usd": cost,
                             "input_tokens": tokens_in, "output_tokens": tokens_out})
        f.write(json.dumps({"id": "q%d" % i, "split": split, "query": query, "answer": "",
                            "outcomes": outcomes, "task": task}) + "\n")
