"""Precision@5 of the passages an answer cites, judged blind.

    python bench/evidence_precision.py dump OUT.jsonl [--set tests/eval/resources.jsonl] [--n 45] [--tag NAME]
    python bench/evidence_precision.py score ITEMS.jsonl LABELS.jsonl

`dump` asks each of the first N resource questions that name a topic and writes one line per cited passage
(question, passage text; no score, rank or system name), so a judge sees only the question and the passage.
Run it once per system (e.g. with PYTHONPATH pointing at an older checkout) with different --tag values,
shuffle the items together, and have them judged: LABELS.jsonl holds {"item": ..., "relevant": true|false}.
`score` prints precision@5 per tag: the share of cited passages (at most 5 per question) judged relevant.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def dump(args) -> None:
    from advisor.search.evaluate import read_questions
    from advisor.service import Advisor

    adv = Advisor()
    questions = [q for q in read_questions(Path(args.set)) if q.gold_titles or q.gold_ids]
    matcher = adv.retriever.matcher
    chosen = [q for q in questions if matcher.find(q.question)][: args.n]
    with open(args.out, "a", encoding="utf-8") as out:
        for q in chosen:
            answer = adv.ask(q.question, k_passages=5)
            for h in answer.passages[:5]:
                text = " ".join(h.chunk.text.split())[:900]
                item = hashlib.sha1(f"{args.tag}|{q.id}|{h.chunk.id}".encode()).hexdigest()[:12]
                out.write(json.dumps({"item": item, "tag": args.tag, "qid": q.id, "question": q.question,
                                      "passage": text}, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} questions dumped to {args.out} as {args.tag}")


def score(args) -> None:
    items = [json.loads(line) for line in open(args.items, encoding="utf-8") if line.strip()]
    labels = {}
    for line in open(args.labels, encoding="utf-8"):
        if line.strip():
            row = json.loads(line)
            labels[row["item"]] = bool(row["relevant"])
    per: dict[str, dict[str, list[bool]]] = {}
    for it in items:
        if it["item"] in labels:
            per.setdefault(it["tag"], {}).setdefault(it["qid"], []).append(labels[it["item"]])
    for tag, questions in sorted(per.items()):
        judged = [v for v in questions.values()]
        passages = sum(len(v) for v in judged)
        precision = sum(sum(v) / len(v) for v in judged) / len(judged)
        print(f"{tag}: {len(judged)} questions, {passages} cited passages, precision@5 {precision:.3f}, "
              f"all relevant in {sum(all(v) for v in judged)} questions")


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.add_argument("--set", default="tests/eval/resources.jsonl")
    d.add_argument("--n", type=int, default=45)
    d.add_argument("--tag", default="current")
    s = sub.add_parser("score")
    s.add_argument("items")
    s.add_argument("labels")
    args = ap.parse_args()
    dump(args) if args.cmd == "dump" else score(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
