"""`advisor` command line: index, search, ask, chat, info, eval, fetch, catalog (each with --json)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from .config import LLMConfig, Settings
from .errors import AdvisorError, UserInputError
from .service import Advisor
from .types import Answer, Filters


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--index-dir", type=Path, help="index directory (default index/, env ADVISOR_INDEX_DIR)")
    p.add_argument("--corpus-dir", type=Path, help="corpus with catalog/ and texts/ (default corpus/, env ADVISOR_CORPUS_DIR)")
    p.add_argument("--model", help="embedding model: packaged name or local path (env ADVISOR_MODEL)")
    p.add_argument("--backend", help="what runs the model: torch, onnx or onnx-int8 (env ADVISOR_BACKEND)")
    p.add_argument("--store", help="postgresql://... : the shared Postgres store instead of --index-dir "
                                   "(env ADVISOR_STORE; docs/deployment.md)")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--free", action="store_true", help="only free resources")
    p.add_argument("--kind", action="append", default=[], help="book, course, lecture-notes, cheatsheet, paper, ...")
    p.add_argument("--level", action="append", default=[], help="intro, intermediate, advanced")
    p.add_argument("--math-depth", action="append", default=[], help="applied, moderate, rigorous, proof-heavy")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="advisor", description="Study advisor for the mathematics behind machine learning.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="build or update the index (incremental)")
    p.add_argument("paths", nargs="*", type=Path,
                   help="files or folders to add to what is indexed (default: as last time, else corpus/)")
    p.add_argument("--remove", action="append", type=Path, default=[], metavar="PATH",
                   help="stop indexing this folder or file (repeatable)")
    p.add_argument("--only", action="store_true", help="index only the PATHs given; the others leave (named in the output)")
    p.add_argument("--rebuild", action="store_true", help="re-embed everything")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    _common(p)

    p = sub.add_parser("search", help="ranked passages for a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10, help="number of passages")
    p.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid")
    _common(p)
    _filters(p)

    p = sub.add_parser("ask", help="recommended resources and cited passages")
    p.add_argument("question")
    p.add_argument("--resources", type=int, default=5)
    p.add_argument("--passages", type=int, default=5)
    p.add_argument("--llm", action="store_true",
                   help="let a local OpenAI-compatible model (Ollama, llama.cpp, LM Studio, vLLM) write a cited reply")
    p.add_argument("--llm-url", help="its base URL, implies --llm (env ADVISOR_LLM_URL, default http://127.0.0.1:11434/v1)")
    p.add_argument("--llm-model", help="model name, implies --llm (env ADVISOR_LLM_MODEL, default: the server's first)")
    _common(p)
    _filters(p)

    p = sub.add_parser("chat", help="a conversation on the terminal: one question per line, follow-ups read with "
                                    "the questions before them (\"is there a free one?\", \"something easier?\")")
    p.add_argument("--resources", type=int, default=5)
    p.add_argument("--passages", type=int, default=3)
    _common(p)
    _filters(p)

    p = sub.add_parser("info", help="what is indexed")
    _common(p)

    p = sub.add_parser("copy-index", help="copy the current index into another store, vectors and all "
                                          "(e.g. a laptop index into the shared Postgres store)")
    p.add_argument("target", help="postgresql://... URI, or a folder for a file index")
    _common(p)

    p = sub.add_parser("eval", help="evaluate retrieval on a JSONL question set")
    p.add_argument("file", type=Path)
    p.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid")
    _common(p)

    p = sub.add_parser("fetch", help="download official free PDFs of catalog resources")
    p.add_argument("ids", nargs="*")
    p.add_argument("--all-free", action="store_true", help="every record with a pdf_url")
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--retries", type=int, default=3)
    _common(p)

    p = sub.add_parser("catalog", help="list and filter catalog resources")
    p.add_argument("--topic", action="append", default=[], help="topic id or name")
    p.add_argument("--validate", action="store_true", help="check the catalog and exit non-zero on problems")
    _common(p)
    _filters(p)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        # inside the error handling: a bad ADVISOR_* value is one line and exit code 2, never a traceback
        settings = Settings.from_env(index_dir=args.index_dir, corpus_dir=args.corpus_dir, model=args.model,
                                     store=args.store, backend=args.backend)
        return COMMANDS[args.command](args, settings)
    except AdvisorError as exc:
        print(f"advisor: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("advisor: interrupted", file=sys.stderr)
        return 130


def _out(args, data, text: str) -> None:
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        print(text)


def _advisor(settings) -> Advisor:
    return Advisor(settings)


def _filters_from(args) -> Filters:
    return Filters(free_only=args.free, kinds=args.kind, levels=args.level, math_depths=args.math_depth)


def cmd_index(args, settings) -> int:
    adv = _advisor(settings)
    t = time.perf_counter()
    if args.only and not args.paths:
        raise UserInputError("--only needs the folders or files to keep indexing")
    report = adv.index(args.paths or None, rebuild=args.rebuild, progress=not (args.quiet or args.json),
                       remove=args.remove or None, only=args.only)
    lines = []
    if report.full_rebuild_reason:
        lines.append(report.full_rebuild_reason)
    lines.extend(report.notes)
    if report.noop:
        lines.append(f"Index is up to date: {report.files_total} files unchanged, nothing embedded.")
    else:
        lines.append(
            f"Indexed {report.files_total} files ({len(report.added)} added, {len(report.changed)} changed, "
            f"{report.unchanged} unchanged, {len(report.removed)} removed): {report.chunks_total} chunks, "
            f"{report.chunks_embedded} embedded, {report.pages_read} PDF pages read."
        )
    timings = ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items())
    lines.append(f"Time: {time.perf_counter() - t:.1f}s ({timings}). Index: {report.index_dir}")
    if report.skipped:
        lines.append(f"Skipped {len(report.skipped)} file(s):")
        lines.extend(f"  - {f}: {r}" for f, r in report.skipped)
    if report.catalog_problems:
        lines.append(f"Catalog problems ({len(report.catalog_problems)} record(s) not loaded):")
        lines.extend(f"  - {p}" for p in report.catalog_problems)
    _out(args, report.to_dict(), "\n".join(lines))
    return 0


def _hit_dict(adv, h, question: str) -> dict:
    c = h.chunk
    return {
        "path": c.path, "page_start": c.page_start, "page_end": c.page_end,
        "label_start": c.label_start, "label_end": c.label_end, "section": list(c.section),
        "passage_kind": c.passage_kind, "resource_id": h.resource_id, "score": round(h.score, 6),
        "dense": None if h.dense is None else round(h.dense, 4), "bm25": None if h.bm25 is None else round(h.bm25, 4),
        "link": adv.link_for(c, question), "text": c.text,
    }


def cmd_search(args, settings) -> int:
    adv = _advisor(settings)
    hits = adv.search(args.query, args.k, _filters_from(args), mode=args.mode)
    lines = []
    for n, h in enumerate(hits, 1):
        lines.append(f"{n}. {adv.citation(h)}")
        link = adv.link_for(h.chunk, args.query)
        if link:
            lines.append(f"   {link}")
        lines.append("   " + " ".join(h.chunk.text.split())[:300])
    _out(args, {"query": args.query, "passages": [_hit_dict(adv, h, args.query) for h in hits]}, "\n".join(lines) or "No passages found.")
    return 0


def answer_dict(adv, answer) -> dict:
    return {
        "question": answer.question,
        "covered": answer.covered,
        "resources": [
            {"id": m.resource.id, "title": m.resource.title, "score": round(m.score, 6), "reasons": m.reasons,
             "kind": m.resource.kind, "access": m.resource.access, "level": m.resource.level,
             "math_depth": m.resource.math_depth, "url": m.resource.url, "pdf_url": m.resource.pdf_url,
             "matched_topics": m.matched_topics}
            for m in answer.resources
        ],
        "passages": [_hit_dict(adv, h, answer.question) for h in answer.passages],
        "text": answer.text,
        "notes": answer.notes,
        "scope": dataclasses.asdict(answer.scope) if answer.scope else None,
    }


def cmd_ask(args, settings) -> int:
    adv = _advisor(settings)
    if args.llm or args.llm_url or args.llm_model:
        stream = adv.ask_stream(args.question, filters=_filters_from(args), k_resources=args.resources,
                                k_passages=args.passages, llm_config=LLMConfig.from_env(args.llm_url, args.llm_model))
        if not args.json:
            print_stream(stream, sys.stdout)
            return 0
        answer = stream.run()
    else:
        answer = adv.ask(args.question, filters=_filters_from(args), k_resources=args.resources, k_passages=args.passages)
    notes = [n for n in answer.notes if n not in answer.text]
    _out(args, answer_dict(adv, answer), "\n".join([answer.text, *(f"Note: {n}" for n in notes)]))
    return 0


def cmd_chat(args, settings) -> int:
    """One answer per line read; with --json, one JSON object per answer. Ends at EOF, "exit" or "quit"."""
    adv = _advisor(settings)
    history: list[str] = []
    previous: list = []  # the previous answer's resources: "which of those is free?" is answered from them
    interactive = sys.stdin.isatty() and not args.json
    if interactive:
        print("Ask about the mathematics of ML; follow-ups are read with the questions before them. "
              "Ctrl-D or 'exit' ends.")
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line or line.strip().lower() in ("exit", "quit"):
            return 0
        if not line.strip():
            continue
        try:
            answer = adv.ask(line.strip(), filters=_filters_from(args), history=history, previous=previous,
                             k_resources=args.resources, k_passages=args.passages)
        except UserInputError as exc:  # one bad line is said, and the conversation goes on
            print(f"advisor: {exc}", file=sys.stderr)
            continue
        history.append(answer.query)
        if not answer.aside:  # a remark in passing leaves the previous answer the one a follow-up is about
            previous = answer.resources if answer.covered else []
        notes = [n for n in answer.notes if n not in answer.text]
        if args.json:
            print(json.dumps(answer_dict(adv, answer), ensure_ascii=False, default=str), flush=True)
        else:
            lead = [answer.scope.describe()] if answer.scope else []
            print("\n".join([*lead, answer.text, *(f"Note: {n}" for n in notes)]) + "\n", flush=True)


def cmd_info(args, settings) -> int:
    adv = _advisor(settings)
    info = adv.info()
    c = info["counts"] or {}
    lines = [
        f"Index {info['index_dir']} ({info['version']}), built {info['built_at']} in {info['build_seconds']}s",
        f"Model {info['model']} (dim {info['dimension']}), chunks of at most {info['chunking']['max_tokens']} tokens, "
        f"overlap {info['chunking']['overlap_tokens']}",
        f"{c.get('files', 0)} files, {c.get('pages', 0)} PDF pages, {c.get('chunks', 0)} chunks, "
        f"{c.get('resources', 0)} resources ({c.get('catalog_records', 0)} catalog records), {c.get('skipped', 0)} skipped",
        "Roots: " + ", ".join(info["roots"] or []),
        _ranking_line(info["resource_ranking"]),
    ]
    if info.get("store_search"):
        st = info["store_search"]
        cache = st["postings_cache"]
        lines.append(f"Shared store: HNSW ef_search {st['hnsw_ef_search']}; postings cache {cache['budget_mb']:g} MB "
                     f"per app process ({cache['eligible_terms']} terms' lists fit; {cache['held_mb']:.1f} MB held here)")
    indexed = [r for r in info["resources"] if r.get("files")]
    if indexed:
        lines.append("Full texts:")
        lines.extend(f"  {r['id']}: {r['files']} files, {r['pages']} pages, {r['chunks']} chunks" for r in indexed)
    for s in info["skipped"]:
        lines.append(f"  skipped {s['file']}: {s['reason']}")
    for w in info.get("warnings", []):
        lines.append(f"  {w['file']}: {w['unreadable_pages']} of {w['pages']} pages unreadable")
    _out(args, info, "\n".join(lines))
    return 0


def _ranking_line(r: dict) -> str:
    if r["ranking"] != "learned":
        return "Resource ranking: weighted score"
    return f"Resource ranking: learned ({r['model']}, {r['trees']} trees, sha256 {r['sha256']})"


def cmd_eval(args, settings) -> int:
    result = _advisor(settings).evaluate(args.file, mode=args.mode)
    p, r = result["passages"], result["resources"]
    lines = [f"passages: n={p['n']} hit@1={p['hit@1']} hit@5={p['hit@5']} mrr@10={p['mrr@10']}",
             f"resources: n={r['n']} hit@1={r['hit@1']} hit@3={r['hit@3']} mrr@10={r['mrr@10']}"]
    for kind, row in result.get("resources_by_type", {}).items():
        lines.append(f"  {kind:15} n={row['n']:3} hit@1={row['hit@1']} hit@3={row['hit@3']} mrr@10={row['mrr@10']}")
    misses = [q for q in result["questions"] if q["rank"] is None]
    if misses:
        lines.append(f"{len(misses)} question(s) without a hit in the top 10:")
        lines.extend(f"  {q['id']}: {q['question'][:90]}" for q in misses)
    _out(args, result, "\n".join(lines))
    return 0


def cmd_fetch(args, settings) -> int:
    if not args.all_free and not args.ids:
        raise UserInputError("name resource ids to fetch, or use --all-free")
    results = _advisor(settings).fetch(None if args.all_free else args.ids, timeout=args.timeout,
                                       retries=args.retries, progress=not args.json)
    lines = [f"{r.resource_id}: {r.status}" + (f" -> {r.path}" if r.path else "") + (f" ({r.message})" if r.message else "")
             for r in results]
    failed = sum(1 for r in results if r.status == "failed")
    lines.append(f"{len(results) - failed} ok, {failed} failed. Run `advisor index` to index what arrived.")
    _out(args, [r.to_dict() for r in results], "\n".join(lines))
    return 1 if failed else 0


def cmd_catalog(args, settings) -> int:
    adv = _advisor(settings)
    if args.validate:
        check = adv.validate_catalog()
        problems = check["problems"]
        _out(args, check, "\n".join(problems) or f"Catalog OK: {check['records']} records, {check['topics']} topics.")
        return 1 if problems else 0
    rows, total = adv.catalog_records(_filters_from(args), args.topic)
    lines = [f"{r.id:34} {r.kind:13} {r.access or '':11} {r.level or '':12} {r.math_depth or '':11} {r.title}" for r in rows]
    lines.append(f"{len(rows)} of {total} resources")
    _out(args, [r.to_dict() for r in rows], "\n".join(lines))
    return 0


def print_stream(stream, out: TextIO) -> Answer:
    """Print a stream to a terminal as it grows; if the final text rewrites what was shown, print it whole."""
    printed = ""
    last = ""
    for text in stream:
        last = text
        if text.startswith(printed):  # mid-stream rewrites are skipped until the text extends what is shown
            out.write(text[len(printed):])
            out.flush()
            printed = text
    if not last.startswith(printed):  # e.g. the model failed half-way: the fallback answer, whole
        out.write("\n\n" + last)
    out.write("\n")
    out.flush()
    return stream.answer


def cmd_copy_index(args, settings) -> int:
    adv = _advisor(settings)
    t = time.perf_counter()
    copied = adv.copy_index(args.target)
    print(f"Copied {copied} passages from {adv.store.label} to {args.target if '://' not in args.target else 'the database'}"
          f" in {time.perf_counter() - t:.1f}s; nothing was embedded again.")
    return 0


COMMANDS = {
    "copy-index": cmd_copy_index, "index": cmd_index, "search": cmd_search, "ask": cmd_ask, "chat": cmd_chat,
    "info": cmd_info,
    "eval": cmd_eval, "fetch": cmd_fetch, "catalog": cmd_catalog,
}

if __name__ == "__main__":
    sys.exit(main())
