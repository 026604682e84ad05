"""Encoder backends (torch fp32, ONNX fp32, ONNX int8) on the shipped corpus: speed, agreement, index time, quality.

    .venv/bin/python bench/bench_encoders.py [--backends torch,onnx,onnx-int8] [--sample N] [--no-index]
        [--no-eval] [--quick] [--overlap] [--overlap-backend B] [--corpus-dir DIR] [--json out.json]

One run:
1. builds a full index of the corpus with each backend (model loaded and warmed first, so loading is not
   counted), in temp folders: full-index seconds per backend;
2. encodes every chunk the torch index embedded (its text chunks, then its catalog chunks) with the bare torch
   model (model.encode through the torch embedder, batch 32): the "raw torch encode" each index time is compared
   with (target <= 0.6x); the ratio against the text chunks alone is printed beside it (the figure of round 6
   and before, whose denominator left out the catalog the index also embeds);
3. encodes the same sample of those chunks with each backend, in alternating order, rounds kept at their
   best: chunks/s; and the cosine of each backend's vectors to torch's on every chunk (from its index);
4. runs the four evaluation files through Advisor.evaluate() on each backend's index: MRR@10;
5. with --overlap: indexes again with ADVISOR_OVERLAP_TOKENS=0 and compares time, chunks and passage MRR.
--quick: a 256-chunk sample, no index, eval or raw encode (the encoders' speed and agreement only). ONNX models are exported
into ADVISOR_MODEL_CACHE (default ~/.cache/advisor/onnx) if not there yet; export time is reported apart.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, Timer, dump_json, machine_info, print_table, rss_mb  # noqa: E402

BACKENDS = ("torch", "onnx", "onnx-int8")
EVAL_FILES = ("passages.jsonl", "heldout.jsonl", "resources.jsonl", "resources_heldout_c.jsonl")
TARGET_INDEX_S = 180.0
TARGET_RATIO = 0.6
MAX_MRR_DROP = 0.01


def load() -> float:
    return round(os.getloadavg()[0], 2)


def make_advisor(backend: str, corpus: Path, index_dir: Path, overlap: int | None = None, embedder=None):
    from advisor.config import Settings
    from advisor.service import Advisor

    extra = {} if overlap is None else {"overlap_tokens": overlap}
    # a long per-file time limit: on a loaded machine the default 120 s skips big PDFs, and a corpus with
    # files missing would make the backends' MRR incomparable
    adv = Advisor(Settings(corpus_dir=corpus, index_dir=index_dir, backend=backend, file_timeout=3600.0, **extra),
                  embedder=embedder)
    with Timer() as t:
        emb = adv.embedder
        emb.encode(["warm up the model " * 20] * 32, batch_size=32)
    return adv, t.seconds


def build_index(adv) -> dict:
    l0 = load()
    with Timer() as t:
        report = adv.index()
    if report.skipped:
        print(f"  WARNING: {len(report.skipped)} files skipped: {report.skipped[:3]}")
    return {"index_s": t.seconds, "chunks": report.chunks_total, "embedded": report.chunks_embedded,
            "files": report.files_total, "skipped": [list(s) for s in report.skipped],
            "timings": report.timings, "load_start": l0, "load_end": load(),
            "backend_recorded": (adv.store.read_manifest() or {}).get("fingerprint", {}).get("backend")}


EVAL_LIMIT = 0  # --eval-limit: the first N questions of each file (a smoke test), 0 = all


def run_eval(adv) -> dict:
    out = {}
    for name in EVAL_FILES:
        path = REPO / "tests" / "eval" / name
        if not path.exists():
            continue
        if EVAL_LIMIT:
            short = Path(tempfile.mkdtemp(prefix="advisor-bench-eval-")) / name
            short.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:EVAL_LIMIT]))
            path = short
        try:
            res = adv.evaluate(path)
        finally:
            if EVAL_LIMIT:
                shutil.rmtree(path.parent, ignore_errors=True)
        kind = "passages" if res["passages"]["n"] else "resources"
        out[name] = {"kind": kind, **{k: res[kind][k] for k in ("n", "mrr@10")},
                     "hit@1": res[kind]["hit@1"], "hit@5" if kind == "passages" else "hit@3":
                     res[kind]["hit@5" if kind == "passages" else "hit@3"]}
    return out


def chunk_key(c) -> tuple:
    return (c.path, c.page_start, c.page_end, c.text)


def encode_speed(embedders: dict, texts: list[str], rounds: int, batch: int) -> dict:
    """chunks/s per backend on the same texts; rounds alternate the order, the best round is kept."""
    runs: dict[str, list[float]] = {b: [] for b in embedders}
    names = list(embedders)
    for r in range(rounds):
        for b in (names if r % 2 == 0 else names[::-1]):
            with Timer() as t:
                embedders[b].encode(texts, batch_size=batch)
            runs[b].append(len(texts) / t.seconds)
    return {b: {"chunks_per_s": max(v), "runs": v} for b, v in runs.items()}


def parse() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated, torch first (the reference)")
    ap.add_argument("--sample", type=int, default=None, help="chunks for the speed comparison (default 640, --quick 256)")
    ap.add_argument("--rounds", type=int, default=2, help="speed rounds, alternating order (best kept)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--no-index", action="store_true", help="skip the full-index builds (and so the eval)")
    ap.add_argument("--no-eval", action="store_true", help="skip the evaluation files")
    ap.add_argument("--no-raw", action="store_true",
                    help="skip the raw torch encode of every chunk (estimated from the sample's torch speed)")
    ap.add_argument("--quick", action="store_true", help="256-chunk sample, no index, no eval, no raw encode")
    ap.add_argument("--overlap", action="store_true", help="also index with overlap 0 and compare with 48")
    ap.add_argument("--overlap-backend", default="torch", help="backend for the overlap study (default torch)")
    ap.add_argument("--eval-limit", type=int, default=0, help="only the first N questions of each file (smoke test)")
    ap.add_argument("--reference-index", type=Path,
                    help="an existing torch index of the same corpus and settings: copied and evaluated instead of "
                         "building the torch index again (its full-index time is then not measured)")
    ap.add_argument("--eval-backends", default=None, help="comma-separated: evaluate only these (default: all)")
    ap.add_argument("--same-chunks", action="store_true",
                    help="with --reference-index: give each other backend the reference's very chunks, re-encoded "
                         "(no build: isolates the encoder; no index time)")
    ap.add_argument("--only-overlap", action="store_true",
                    help="only the overlap-0 index and its passage MRR (for a second process beside a main run)")
    ap.add_argument("--corpus-dir", type=Path, default=REPO / "corpus")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON ('-' for stdout)")
    args = ap.parse_args()
    if args.quick:
        args.no_index = args.no_raw = True
        args.sample = args.sample or 256
    args.sample = args.sample or 640
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.eval_backends = [b.strip() for b in args.eval_backends.split(",")] if args.eval_backends else None
    if args.backends[0] != "torch" or set(args.backends) - set(BACKENDS):
        ap.error(f"--backends: torch first, then any of {', '.join(BACKENDS[1:])}")
    return args


def main() -> int:
    args = parse()
    global EVAL_LIMIT
    EVAL_LIMIT = args.eval_limit
    import numpy as np

    from advisor.ingest.chunking import embedding_text

    info = machine_info()
    try:
        import onnxruntime

        info["onnxruntime"] = onnxruntime.__version__
    except ImportError:
        pass
    print(f"advisor encoder benchmark  ({info.get('cpu', '?')}, {info['cpus']} cpus, load {info['load_avg_1m']}, "
          f"torch {info.get('torch', '?')} x{info.get('torch_threads', '?')}, onnxruntime {info.get('onnxruntime', '-')})")
    work = Path(tempfile.mkdtemp(prefix="advisor-bench-enc-"))
    result: dict = {"benchmark": "encoders", "machine": info, "backends": {}, "corpus": str(args.corpus_dir)}
    try:
        advisors, rows = {}, {}
        if args.reference_index:  # a copy: the eval only reads it, but nothing here may touch the original
            shutil.copytree(args.reference_index, work / "index-torch")
        for b in args.backends:
            exported = b == "torch" or _exported()
            advisors[b], load_s = make_advisor(b, args.corpus_dir, work / f"index-{b}")
            rows[b] = {"backend": b, "model_load_s": load_s, "export_in_load": not exported, "rss_mb": rss_mb()}
            print(f"  {b}: model ready in {load_s:.1f} s{' (exported now)' if not exported else ''}, load {load()}")

        # 1. full index per backend
        if args.only_overlap:
            result["overlap"] = overlap_study(args, advisors, rows, work, baseline=False)
            report(result, args)
            dump_json(args.json, result)
            return 0
        if not args.no_index:
            for b in args.backends:
                if b == "torch" and args.reference_index:
                    rows[b]["reference_index"] = str(args.reference_index)
                elif args.same_chunks:
                    rows[b].update(same_chunks_index(work / "index-torch", advisors[b], work / f"index-{b}"))
                    print(f"  {b}: re-encoded the reference's {rows[b]['chunks']} chunks in {rows[b]['encode_s']:.1f} s")
                else:
                    rows[b].update(build_index(advisors[b]))
                    print(f"  {b}: full index {rows[b]['index_s']:.1f} s, {rows[b]['chunks']} chunks, load {load()}")
                if not args.no_eval and b in (args.eval_backends or args.backends):  # right after its index, so that a run cut short still has its figures
                    rows[b]["eval"] = run_eval(advisors[b])
                    print(f"  {b}: MRR@10 " + ", ".join(f"{k} {v['mrr@10']:.4f}" for k, v in rows[b]["eval"].items())
                          + f", load {load()}")
            chunks = advisors["torch"].loaded.texts.chunks
        else:
            chunks = _chunk_only(advisors["torch"], work, args.sample * 2)
        texts = [embedding_text(c) for c in chunks]
        print(f"  {len(texts)} text chunks")

        # 2. raw torch encode of every chunk the index encodes (the denominator of the index-time target): the
        # text chunks, and the catalog's chunks, which the full index embeds too
        torch_emb = advisors["torch"].embedder
        catalog_texts = ([embedding_text(c) for c in advisors["torch"].loaded.catalog.chunks]
                         if not args.no_index else [])
        if not args.no_raw:
            l0 = load()
            with Timer() as t_raw:
                torch_emb.encode(texts, batch_size=args.batch_size)
            with Timer() as t_cat:
                if catalog_texts:
                    torch_emb.encode(catalog_texts, batch_size=args.batch_size)
            result["raw_torch_encode"] = {"seconds": t_raw.seconds + t_cat.seconds, "texts_seconds": t_raw.seconds,
                                          "catalog_seconds": t_cat.seconds, "chunks": len(texts) + len(catalog_texts),
                                          "text_chunks": len(texts), "catalog_chunks": len(catalog_texts),
                                          "chunks_per_s": len(texts) / t_raw.seconds, "load_start": l0, "load_end": load()}
            print(f"  raw torch encode of all {len(texts)} text chunks: {t_raw.seconds:.1f} s, and of the "
                  f"{len(catalog_texts)} catalog chunks: {t_cat.seconds:.1f} s, load {load()}")

        # 3. speed on a sample, and agreement with torch
        rng = np.random.default_rng(0)
        pick = sorted(rng.choice(len(texts), min(args.sample, len(texts)), replace=False).tolist())
        sample = [texts[i] for i in pick]
        speed = encode_speed({b: advisors[b].embedder for b in args.backends}, sample, args.rounds, args.batch_size)
        ref = torch_emb.encode(sample, batch_size=args.batch_size)
        for b in args.backends:
            rows[b].update(speed[b])
            cos = np.sum(advisors[b].embedder.encode(sample, batch_size=args.batch_size) * ref, axis=1)
            rows[b].update(cos_sample_mean=float(cos.mean()), cos_sample_min=float(cos.min()))
        if not args.no_index:
            ref_vec = {chunk_key(c): v for c, v in zip(chunks, np.asarray(advisors["torch"].loaded.texts.vectors))}
            for b in args.backends:
                idx = advisors[b].loaded.texts
                same = [(ref_vec[chunk_key(c)], v) for c, v in zip(idx.chunks, np.asarray(idx.vectors)) if chunk_key(c) in ref_vec]
                cos = np.array([float(np.dot(a, v)) for a, v in same])
                rows[b].update(same_chunks=len(same) == len(chunks) == len(idx.chunks), cos_index_mean=float(cos.mean()),
                               cos_index_p1=float(np.percentile(cos, 1)), cos_index_min=float(cos.min()))
        if args.no_raw and not args.no_index:  # estimated from the sample's torch speed instead of measured
            rate = rows["torch"]["chunks_per_s"]
            result["raw_torch_encode"] = {"seconds": len(texts) / rate, "chunks": len(texts), "chunks_per_s": rate,
                                          "estimated_from_sample": True}
        raw = result.get("raw_torch_encode", {}).get("seconds")
        raw_texts = result.get("raw_torch_encode", {}).get("texts_seconds")
        for b in args.backends:
            if raw and "index_s" in rows[b]:
                rows[b]["index_over_raw_torch"] = rows[b]["index_s"] / raw
                if raw_texts:  # the figure before the catalog was counted in the denominator (round 6 and earlier)
                    rows[b]["index_over_raw_torch_texts_only"] = rows[b]["index_s"] / raw_texts

        result["backends"] = rows
        result["sample_chunks"] = len(sample)

        # 5. overlap study
        if args.overlap and not args.no_index:
            result["overlap"] = overlap_study(args, advisors, rows, work)
        result["load_end"] = load()
        report(result, args)
        dump_json(args.json, result)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def same_chunks_index(reference: Path, adv, out: Path) -> dict:
    """A copy of the reference index whose text and catalog vectors are re-encoded by adv's backend."""
    import json

    import numpy as np

    from advisor.ingest.chunking import embedding_text
    from advisor.types import Chunk

    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(reference, out)
    version = out / (out / "CURRENT").read_text().strip()
    n, seconds = 0, 0.0
    for part in ("texts", "catalog"):
        lines = (version / part / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
        chunks = [Chunk.from_dict(json.loads(line)) for line in lines if line.strip()]
        with Timer() as t:
            vectors = adv.embedder.encode([embedding_text(c) for c in chunks], batch_size=32)
        assert vectors.shape == np.load(version / part / "vectors.npy", mmap_mode="r").shape
        np.save(version / part / "vectors.npy", vectors)
        n, seconds = n + len(chunks), seconds + t.seconds
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["fingerprint"]["backend"] = adv.embedder.backend
    (version / "manifest.json").write_text(json.dumps(manifest))
    adv._index = adv._retriever = None
    return {"chunks": n, "encode_s": seconds, "same_chunks_as": str(reference)}


def _exported() -> bool:
    from advisor.store import onnx_encoder
    from advisor.store.embeddings import resolve_model_path

    folder = onnx_encoder.cache_root() / onnx_encoder.model_digest(resolve_model_path("all-MiniLM-L6-v2"))
    return (folder / onnx_encoder.META_FILE).exists()


def _chunk_only(adv, work: Path, enough: int) -> list:
    """Text chunks of the corpus without building an index: the torch index's if there is one (--reference-index),
    else the files chunked with the torch tokenizer until there are `enough`."""
    from advisor.ingest.chunking import chunk_document
    from advisor.ingest.loaders import load_document, loader_for
    from advisor.library.scan import scan

    if (work / "index-torch" / "CURRENT").exists():
        return adv.loaded.texts.chunks
    emb = adv.embedder
    corpus = Path(adv.settings.corpus_dir)
    out = []
    for src in scan(corpus, lambda p: loader_for(p) is not None, exclude_dirs=("catalog",)).files:
        try:
            doc = load_document(src.path, src.rel)
        except Exception:
            continue
        out.extend(chunk_document(doc, emb.token_spans, emb.max_tokens, adv.settings.overlap_tokens))
        if len(out) >= enough:
            break
    return out


def overlap_study(args, advisors, rows, work: Path, baseline: bool = True) -> dict:
    b = args.overlap_backend
    if baseline and (b not in advisors or "index_s" not in rows.get(b, {})):
        if b not in advisors:
            advisors[b], _ = make_advisor(b, args.corpus_dir, work / f"index-{b}")
        rows[b] = {**rows.get(b, {"backend": b}), **build_index(advisors[b])}
        rows[b]["eval"] = run_eval(advisors[b])
    adv0, _ = make_advisor(b, args.corpus_dir, work / f"index-{b}-overlap0", overlap=0, embedder=advisors[b].embedder)
    zero = build_index(adv0)
    zero["eval"] = {k: v for k, v in run_eval(adv0).items() if v["kind"] == "passages"}
    base = rows.get(b, {}) if baseline else {}
    return {"backend": b, "overlap48": {"index_s": base.get("index_s"), "chunks": base.get("chunks"),
                                        "eval": {k: v for k, v in base.get("eval", {}).items() if v["kind"] == "passages"}},
            "overlap0": zero}


def report(result: dict, args) -> None:
    rows = result["backends"]
    raw = result.get("raw_torch_encode")
    table = []
    for b, r in rows.items():
        table.append({"backend": b, "chunks/s": r.get("chunks_per_s", float("nan")),
                      "cos mean (sample)": r.get("cos_sample_mean", float("nan")),
                      "cos min (sample)": r.get("cos_sample_min", float("nan")),
                      "cos mean (index)": r.get("cos_index_mean", ""), "cos p1 (index)": r.get("cos_index_p1", ""),
                      "index s": r.get("index_s", ""), "index / raw torch": r.get("index_over_raw_torch", ""),
                      "load": f"{r.get('load_start', '')}-{r.get('load_end', '')}"})
    print_table(table, title=f"encoders on {result.get('sample_chunks')} sampled chunks (speed), all chunks (index)")
    if raw:
        how = "estimated from the sample's speed" if raw.get("estimated_from_sample") else "measured"
        print(f"raw torch encode of all {raw['chunks']} chunks ({how}): {raw['seconds']:.1f} s ({raw['chunks_per_s']:.1f} chunks/s)")
    evals = [(b, r["eval"]) for b, r in rows.items() if r.get("eval")]
    if evals:
        ref = rows["torch"].get("eval") or evals[0][1]
        table = []
        for b, ev in evals:
            row = {"backend": b}
            for name, e in ev.items():
                delta = e["mrr@10"] - ref.get(name, e)["mrr@10"]
                row[name.replace(".jsonl", "")] = f"{e['mrr@10']:.4f} ({delta:+.4f})"
            row["all within 0.01"] = all(e["mrr@10"] >= ref[name]["mrr@10"] - MAX_MRR_DROP for name, e in ev.items())
            table.append(row)
        columns = list(dict.fromkeys(k for row in table for k in row))
        print_table(table, columns, title="MRR@10 per evaluation file (change against torch)")
    for b, r in rows.items():
        if "index_s" in r:
            ok_t = r["index_s"] <= TARGET_INDEX_S
            ratio = r.get("index_over_raw_torch")
            print(f"{b}: full index {r['index_s']:.1f} s (target <= {TARGET_INDEX_S:.0f} s: {'met' if ok_t else 'missed'})"
                  + (f", {ratio:.2f}x raw torch encode (target <= {TARGET_RATIO}x: {'met' if ratio <= TARGET_RATIO else 'missed'})"
                     if ratio else "")
                  + (f" [{r['index_over_raw_torch_texts_only']:.2f}x the text chunks' encode alone]"
                     if r.get("index_over_raw_torch_texts_only") else "")
                  + f"; manifest backend {r.get('backend_recorded')!r}")
    ov = result.get("overlap")
    if ov:
        table = []
        for name in ("overlap48", "overlap0"):
            o = ov[name]
            row = {"overlap": name[7:], "index s": o.get("index_s"), "chunks": o.get("chunks")}
            for f, e in o.get("eval", {}).items():
                row[f"{f.replace('.jsonl', '')} MRR@10"] = e["mrr@10"]
                row[f"{f.replace('.jsonl', '')} hit@5"] = e["hit@5"]
            table.append(row)
        columns = list(dict.fromkeys(k for row in table for k in row))
        print_table(table, columns, title=f"overlap study ({ov['backend']})")


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
