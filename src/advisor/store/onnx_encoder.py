"""ONNX Runtime backend for the packaged sentence-transformers model: export, int8 quantization, OnnxEmbedder.

The model is exported here, on this machine, from the packaged weights (nothing is downloaded): the
transformer with sentence-transformers' pooling and normalization inside the graph, fused by ONNX
Runtime's BERT optimizer, and an int8 copy quantized dynamically (per-channel weights, MatMul only:
int8 over all ops loses far more, see docs/performance.md "Encoder backends"). Both files are written
into a temporary folder that is renamed into the cache at the end, so a killed export never leaves a
half file behind, and both are checked against the torch model before they are kept.

Cache: $ADVISOR_MODEL_CACHE, else $XDG_CACHE_HOME/advisor/onnx, else ~/.cache/advisor/onnx; one
folder per model (a digest of its files and of EXPORT_VERSION).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelError
from .embeddings import TokenizerSpans

EXPORT_VERSION = 1  # bump when the export or quantization recipe changes: a new cache folder
FP32_FILE, INT8_FILE, META_FILE = "model.onnx", "model-int8.onnx", "export.json"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# texts the export is checked on against torch (varied: short, long, formulas, non-ASCII, truncated)
PROBES = [
    "hi",
    "What is the VC dimension of a hypothesis class?",
    "Theorem 2.3 (Hoeffding). Let X_1, ..., X_n be independent with a_i <= X_i <= b_i. Then "
    "P(|S_n - E S_n| >= t) <= 2 exp(-2t^2 / sum_i (b_i - a_i)^2). Proof. Apply Markov's inequality.",
    "Bayes rule: posterior ∝ likelihood × prior; the MAP estimate is the posterior's mode.",
    "The singular value decomposition writes A = U Σ V^T with orthogonal U and V. " * 12,
    "$$\\nabla_\\theta \\mathcal{L} = \\mathbb{E}_{q}[\\nabla \\log p(x, z)]$$ KKT conditions, ELBO.",
]
MIN_COSINE = {FP32_FILE: 0.9999, INT8_FILE: 0.97}  # an export below these is refused, not cached
_EXPORT_LOCK = threading.Lock()


def cache_root() -> Path:
    if os.environ.get("ADVISOR_MODEL_CACHE"):
        return Path(os.environ["ADVISOR_MODEL_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "advisor" / "onnx"


def model_digest(model_path: str | Path) -> str:
    """Digest of the model's files (names and contents) and of the export recipe."""
    h = hashlib.sha256(f"advisor-onnx-export-{EXPORT_VERSION}".encode())
    root = Path(model_path)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        if path.suffix == ".md":
            continue
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:20]


def read_st_config(model_path: str | Path) -> dict:
    """What the sentence-transformers model does after the transformer; ModelError if this export cannot do it."""
    root = Path(model_path)
    try:
        modules = json.loads((root / "modules.json").read_text())
        types = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling_dir = next(root / m["path"] for m in modules if m["type"].endswith("Pooling"))
        pooling = json.loads((pooling_dir / "config.json").read_text())
        bert = json.loads((root / "sentence_bert_config.json").read_text())
    except (OSError, ValueError, KeyError, StopIteration) as exc:
        raise ModelError(f"{root}: not a sentence-transformers model the ONNX backend can export ({exc})") from None
    if types[:2] != ["Transformer", "Pooling"] or set(types[2:]) - {"Normalize"}:
        raise ModelError(f"{root}: the ONNX backend handles Transformer + Pooling (+ Normalize) models, not {types}")
    modes = [k for k in ("cls_token", "mean_tokens") if pooling.get(f"pooling_mode_{k}")]
    others = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v and k[13:] not in modes]
    if len(modes) != 1 or others:
        raise ModelError(f"{root}: the ONNX backend handles mean or CLS pooling only")
    return {"pooling": modes[0], "dimension": int(pooling["word_embedding_dimension"]),
            "max_seq_length": int(bert.get("max_seq_length", 256))}


def ensure_exported(model_path: str | Path) -> Path:
    """The cache folder holding FP32_FILE and INT8_FILE for this model, exported now if missing."""
    final = cache_root() / model_digest(model_path)
    if (final / META_FILE).exists():
        return final
    with _EXPORT_LOCK:
        if (final / META_FILE).exists():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
        os.chmod(tmp, 0o755)
        try:
            meta = _export(Path(model_path), tmp)
            (tmp / META_FILE).write_text(json.dumps(meta, indent=1))
            try:
                os.replace(tmp, final)
            except OSError:
                if not (final / META_FILE).exists():  # not another process that won the race: a real failure
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def _export(model_path: Path, out: Path) -> dict:
    """torch.onnx.export of transformer + pooling + normalize, BERT fusions, int8 copy; checked against torch."""
    config = read_st_config(model_path)
    try:
        import onnx
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from onnxruntime.transformers.optimizer import optimize_model
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(f"the ONNX export needs onnx, onnxruntime and torch ({exc.name} missing): "
                         "pip install -r requirements.txt") from None
    import logging
    import warnings

    import transformers

    transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bar in the middle of a build
    # eager attention exports as plain ops that the BERT optimizer fuses into one Attention kernel
    st = SentenceTransformer(str(model_path), device="cpu", model_kwargs={"attn_implementation": "eager"})
    transformer = st[0].auto_model.eval()
    wrapper = _pooled(transformer, config["pooling"]).eval()
    sample = st.tokenizer(["an example sentence", "a second, longer example sentence"], padding=True, return_tensors="pt")
    raw = out / "raw.onnx"
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUTS}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper, tuple(sample[k] for k in INPUTS), str(raw), input_names=list(INPUTS),
            output_names=["sentence_embedding"], dynamic_axes={**axes, "sentence_embedding": {0: "batch"}},
            opset_version=17, dynamo=False, do_constant_folding=True,
        )
    hidden = transformer.config.hidden_size
    optimized = optimize_model(str(raw), model_type="bert", num_heads=transformer.config.num_attention_heads,
                               hidden_size=hidden)
    optimized.save_model_to_file(str(out / FP32_FILE))
    raw.unlink()
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic's advice to pre-process, logged to the root logger
    try:
        quantize_dynamic(str(out / FP32_FILE), str(out / INT8_FILE), per_channel=True, op_types_to_quantize=["MatMul"],
                         weight_type=QuantType.QInt8, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        root.setLevel(level)
    reference = st.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True)
    cosines = {}
    for file in (FP32_FILE, INT8_FILE):
        session = _session(out / file)
        got = _run_session(session, st.tokenizer, PROBES, config["max_seq_length"])
        cosines[file] = float(np.min(np.sum(got * reference, axis=1)))
        if cosines[file] < MIN_COSINE[file]:
            raise ModelError(f"ONNX export of {model_path.name} disagrees with torch ({file}: cosine "
                             f"{cosines[file]:.4f} < {MIN_COSINE[file]}): use ADVISOR_BACKEND=torch")
    import onnxruntime

    return {"export_version": EXPORT_VERSION, "model_path": str(model_path), "config": config,
            "min_cosine_to_torch": cosines, "torch": torch.__version__, "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__}


def _pooled(model, pooling: str):
    """The module to export (its class is made here so that torch is imported only when exporting)."""
    import torch

    class Pooled(torch.nn.Module):
        """The transformer, then sentence-transformers' pooling and Normalize, with keyword arguments."""

        def __init__(self, model, pooling: str):
            super().__init__()
            self.model, self.pooling = model, pooling

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids)[0]
            if self.pooling == "cls_token":
                pooled = tokens[:, 0]
            else:
                mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
                pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    return Pooled(model, pooling)


def threads() -> int:
    """Intra-op threads: the cores this process may use (2 on the reference machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _session(path: Path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads()
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # no busy-waiting between ops: during a build the PDF reader thread needs the cores torch would spin on
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _run_session(session, tokenizer, texts: Sequence[str], max_seq_length: int, batch_size: int = 32,
                 progress: bool = False) -> np.ndarray:
    """Tokenize once, batch by length (longest first, little padding), run, restore the input order."""
    enc = tokenizer(list(texts), truncation="longest_first", max_length=max_seq_length, verbose=False)
    ids = enc["input_ids"]
    types = enc.get("token_type_ids")
    pad = tokenizer.pad_token_id or 0
    order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
    wanted = {i.name for i in session.get_inputs()}
    out: np.ndarray | None = None
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(ids), desc="Batches", unit="text")
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        width = len(ids[rows[0]])
        input_ids = np.full((len(rows), width), pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        token_types = np.zeros((len(rows), width), dtype=np.int64)
        for r, i in enumerate(rows):
            n = len(ids[i])
            input_ids[r, :n] = ids[i]
            mask[r, :n] = 1
            if types is not None:
                token_types[r, :n] = types[i]
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": token_types}
        vectors = session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
        if out is None:
            out = np.empty((len(ids), vectors.shape[1]), dtype=np.float32)
        out[rows] = vectors
        if bar is not None:
            bar.update(len(rows))
    if bar is not None:
        bar.close()
    assert out is not None
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.ascontiguousarray(out / np.where(norms > 0, norms, 1.0), dtype=np.float32)


class OnnxEmbedder(TokenizerSpans):
    """The packaged (or a local) sentence-transformers model run by ONNX Runtime, fp32 or int8.

    Same tokenizer as the torch backend, so token spans and chunks are identical; vectors are L2-normalized
    float32 like SentenceTransformerEmbedder's."""

    def __init__(self, name: str, quantized: bool = True):
        from .embeddings import canonical_model_name, resolve_model_path

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        path = resolve_model_path(name)
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            raise ModelError("onnxruntime is not installed: pip install -r requirements.txt, or ADVISOR_BACKEND=torch") from None
        config = read_st_config(path)
        folder = ensure_exported(path)
        self.backend = "onnx-int8" if quantized else "onnx"
        self.file = folder / (INT8_FILE if quantized else FP32_FILE)
        try:
            import transformers
            from transformers import AutoTokenizer

            transformers.logging.set_verbosity_error()
            self.session = _session(self.file)
            # chunking runs in a reader thread while encode() runs, and a Rust tokenizer must not be shared
            # between threads: token_spans uses this one, each encoding thread its own copy
            self.tokenizer = AutoTokenizer.from_pretrained(path)
        except Exception as exc:
            raise ModelError(f"cannot load the ONNX model {self.file}: {str(exc).splitlines()[0][:120]}") from None
        self.name = canonical_model_name(name)
        self.dimension = config["dimension"]
        self.max_seq_length = config["max_seq_length"]
        specials = len(self.tokenizer("", add_special_tokens=True)["input_ids"])
        self.max_tokens = self.max_seq_length - specials
        self._template = copy.deepcopy(self.tokenizer)  # never called: copied for each encoding thread
        self._copy_lock = threading.Lock()
        self._local = threading.local()
        self.queries_in_fp32 = quantized  # store.embeddings.separate_query_path
        self._precise = None if quantized else self.session

    def _thread_tokenizer(self):
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            with self._copy_lock:
                tokenizer = self._local.tokenizer = copy.deepcopy(self._template)
        return tokenizer

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # ONNX Runtime sessions may run from several threads at once (a query during a build)
        return _run_session(self.session, self._thread_tokenizer(), texts, self.max_seq_length, batch_size=batch_size,
                            progress=progress)

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Questions and catalog records through the fp32 model, even when passages go through int8.

        int8 pays on the bulk of an index (the passages), while the few query and record vectors stay exact:
        both sides of every comparison then carry at most one rounding, and the records, which decide which
        resource comes first, carry none."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self._precise is None:
            with self._copy_lock:
                if self._precise is None:
                    self._precise = _session(self.file.with_name(FP32_FILE))
        return _run_session(self._precise, self._thread_tokenizer(), texts, self.max_seq_length, batch_size=batch_size)
