"""Small helpers shared by the bench/ scripts: timing, memory, synthetic data, table output."""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

DIM = 384


# --- memory ---------------------------------------------------------------------------------------
def status_kb(field: str, pid: int | str = "self") -> int:
    """A /proc/PID/status memory field in kB (0 when unreadable)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb() -> float:
    """Current resident set size."""
    return status_kb("VmRSS") / 1024


def peak_rss_mb() -> float:
    """Peak RSS since start or since the last reset_peak_rss() (Linux VmHWM; getrusage elsewhere)."""
    hwm = status_kb("VmHWM")
    if hwm:
        return hwm / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS counter so a phase can be measured on its own (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


# --- timing ---------------------------------------------------------------------------------------
class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0


def percentiles_ms(samples: list[float]) -> dict[str, float]:
    arr = np.asarray(samples, dtype=np.float64) * 1000
    return {"p50_ms": float(np.percentile(arr, 50)), "p95_ms": float(np.percentile(arr, 95)),
            "mean_ms": float(arr.mean()), "n": len(samples)}


def time_calls(fn, args_list, warmup: int = 3) -> list[float]:
    for a in args_list[:warmup]:
        fn(a)
    out = []
    for a in args_list:
        t = time.perf_counter()
        fn(a)
        out.append(time.perf_counter() - t)
    return out


# --- machine --------------------------------------------------------------------------------------
def machine_info() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    for mod in ("numpy", "faiss", "bm25s", "torch", "sentence_transformers", "pypdf"):
        try:
            m = __import__(mod)
            info[mod] = getattr(m, "__version__", "?")
        except Exception:
            pass
    try:
        import torch

        info["torch_threads"] = torch.get_num_threads()
    except Exception:
        pass
    try:
        import faiss

        info["faiss_threads"] = faiss.omp_get_max_threads()
    except Exception:
        pass
    return info


# --- synthetic data -------------------------------------------------------------------------------
_WORDS_CACHE: list[str] | None = None


def real_words(limit: int = 30000) -> list[str]:
    """Vocabulary of real words taken from the corpus text files (falls back to a built-in list)."""
    global _WORDS_CACHE
    if _WORDS_CACHE is not None:
        return _WORDS_CACHE
    import re
    from collections import Counter

    counts: Counter = Counter()
    texts = REPO / "corpus" / "texts"
    for ext in ("*.md", "*.tex", "*.txt", "*.ipynb"):
        for path in sorted(texts.rglob(ext)):
            try:
                counts.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z\-]{1,20}", path.read_text(errors="ignore")))
            except OSError:
                continue
            if len(counts) > limit * 4 and sum(counts.values()) > 5_000_000:
                break
    words = [w for w, _ in counts.most_common(limit)]
    if len(words) < 1000:  # no corpus checked out: a tiny fallback vocabulary
        base = ("matrix vector eigenvalue probability random variable gradient descent convex function "
                "theorem proof lemma kernel space norm inner product linear map basis dimension entropy "
                "expectation variance distribution sample estimator bayes posterior prior likelihood model "
                "network layer loss optimization learning rate dual constraint lagrangian").split()
        words = [f"{a}{i}" if i else a for i in range(40) for a in base]
    _WORDS_CACHE = words
    return words


def synthetic_texts(n: int, seed: int = 0, words_per_chunk: tuple[int, int] = (120, 200)) -> list[str]:
    """Texts with a Zipf-like word distribution over real words, so BM25 postings look realistic.

    Each text also leans on a random 'topic' (a small slice of the vocabulary), as real chunks do.
    """
    words = np.array(real_words(), dtype=object)
    v = len(words)
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, v + 1, dtype=np.float64)
    p = 1.0 / ranks ** 1.07
    p /= p.sum()
    cdf = np.cumsum(p)
    n_topics = 2000
    topic_start = rng.integers(200, max(201, v - 60), size=n_topics)
    out = []
    lens = rng.integers(words_per_chunk[0], words_per_chunk[1], size=n)
    # draw all background words at once per block for speed
    block = 4096
    for b0 in range(0, n, block):
        b1 = min(n, b0 + block)
        total = int(lens[b0:b1].sum())
        bg = np.searchsorted(cdf, rng.random(total))
        bg = np.minimum(bg, v - 1)
        pos = 0
        for i in range(b0, b1):
            L = int(lens[i])
            ids = bg[pos:pos + L].copy()
            pos += L
            t = topic_start[rng.integers(0, n_topics)]
            k = L // 5  # a fifth of the words come from the chunk's topic
            ids[rng.integers(0, L, size=k)] = t + rng.integers(0, 50, size=k)
            out.append(" ".join(words[ids]))
    return out


def random_unit_vectors(n: int, dim: int = DIM, seed: int = 0, dtype=np.float32) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), dtype=dtype)
    step = 65536
    for a in range(0, n, step):
        b = min(n, a + step)
        x = rng.standard_normal((b - a, dim), dtype=np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[a:b] = x
    return out


class EmbeddingModel:
    """Synthetic vectors shaped like real MiniLM chunk embeddings.

    The Gaussian part is fitted on real embeddings (their mean and covariance: the real anisotropy and
    spectrum). On top of it, a corpus structure: books of `per_book` chunks made of sections of
    `per_section` chunks; a chunk is  mean + book + section + own noise  (shares `w_book`, `w_section`,
    the rest), each term drawn from the fitted Gaussian, then normalized.
    Passage-like queries are drawn like chunks (held out); question-like queries use the mean of real
    question embeddings and more own noise (`query_noise`), since questions sit away from passages.
    The default weights were calibrated so that IVF recall-vs-nprobe curves and top-1/top-10 cosines of
    synthetic data match those of the real corpus (see `bench_scale.py --calibrate`).
    w_book = w_section = 0 gives one unstructured Gaussian: a much harder case than real data.
    """

    def __init__(self, real: np.ndarray | None, dim: int = DIM, *, w_book: float = 0.25, w_section: float = 0.40,
                 per_book: int = 1000, per_section: int = 20, query_noise: float = 0.9,
                 question_mean: np.ndarray | None = None, seed: int = 0):
        rng = np.random.default_rng(seed)
        if real is not None and len(real) >= 2 * dim:
            real = np.asarray(real, dtype=np.float64)
            self.mean = real.mean(0)
            cov = np.cov(real - self.mean, rowvar=False)
            evals, evecs = np.linalg.eigh(cov)
            evals = np.clip(evals, 1e-8, None)
            self.source = f"fitted on {len(real):,} real embeddings"
        else:
            evals = 1.0 / np.arange(1, dim + 1) ** 1.0
            evals = evals / evals.sum() * 0.8
            evecs = np.linalg.qr(rng.standard_normal((dim, dim)))[0]
            self.mean = evecs[:, 0] * 0.35
            self.source = "power-law spectrum (no real embeddings available)"
        self.transform = (evecs * np.sqrt(evals)).T.astype(np.float32)  # z @ transform ~ N(0, cov)
        self.mean = self.mean.astype(np.float32)
        self.question_mean = (np.asarray(question_mean, dtype=np.float32) if question_mean is not None
                              else self.mean * 0.5)
        self.dim = dim
        self.w_book, self.w_section = float(w_book), float(w_section)
        self.w_noise = 1.0 - self.w_book - self.w_section
        self.per_book, self.per_section = per_book, per_section
        self.query_noise = float(query_noise)
        self.seed = seed
        self._n = None

    @property
    def structured(self) -> bool:
        return self.w_book + self.w_section > 0

    def describe(self) -> str:
        if not self.structured:
            return self.source + ", no topical structure"
        return (f"{self.source}; books of {self.per_book} chunks (w {self.w_book}), sections of {self.per_section} "
                f"(w {self.w_section}), question noise {self.query_noise}")

    def _gauss(self, rng, n: int) -> np.ndarray:
        return rng.standard_normal((n, self.dim), dtype=np.float32) @ self.transform

    def _structure(self, n: int) -> None:
        """Book and section centres for a corpus of n chunks (fixed by the seed)."""
        if self._n == n:
            return
        rng = np.random.default_rng(self.seed + 1)
        self.n_books = max(1, n // self.per_book)
        self.n_sections = max(1, n // self.per_section)
        self.books = self._gauss(rng, self.n_books)
        self.sections = self._gauss(rng, self.n_sections)
        self.section_book = rng.integers(0, self.n_books, self.n_sections)
        self._n = n

    def _centre(self, sec: np.ndarray, scale: float = 1.0) -> np.ndarray:
        return scale * (np.sqrt(self.w_book) * self.books[self.section_book[sec]]
                        + np.sqrt(self.w_section) * self.sections[sec])

    def corpus(self, n: int, seed: int = 1) -> np.ndarray:
        """n chunk vectors, consecutive chunks in the same section and book."""
        self._structure(n)
        rng = np.random.default_rng(seed)
        out = np.empty((n, self.dim), dtype=np.float32)
        a_n = np.float32(np.sqrt(self.w_noise))
        step = 65536
        for a in range(0, n, step):
            b = min(n, a + step)
            sec = (np.arange(a, b, dtype=np.int64) * self.n_sections) // n
            x = self.mean + self._centre(sec) + a_n * self._gauss(rng, b - a)
            x /= np.linalg.norm(x, axis=1, keepdims=True)
            out[a:b] = x
        return out

    def queries(self, n: int, n_corpus: int, kind: str = "question", seed: int = 2) -> np.ndarray:
        """Held-out queries about random sections of the corpus made by corpus(n_corpus)."""
        self._structure(n_corpus)
        rng = np.random.default_rng(seed)
        sec = rng.integers(0, self.n_sections, n)
        if kind == "passage":
            mean, w_n = self.mean, self.w_noise
        else:
            mean, w_n = self.question_mean, max(self.query_noise, self.w_noise)
        scale = np.sqrt((1 - w_n) / (self.w_book + self.w_section)) if self.structured else 0.0
        x = mean + self._centre(sec, scale) + np.float32(np.sqrt(w_n)) * self._gauss(rng, n)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return x.astype(np.float32)


def real_question_mean() -> np.ndarray | None:
    """Mean embedding of the real evaluation questions (bench/.cache/real_questions.npy, from bench_indexing.py)."""
    cache = REPO / "bench" / ".cache" / "real_questions.npy"
    try:
        q = np.load(cache)
        return q.mean(0).astype(np.float32) if len(q) >= 20 else None
    except (OSError, ValueError):
        return None


def real_embeddings(min_count: int = 2 * DIM) -> np.ndarray | None:
    """Real chunk embeddings from an index on disk (ADVISOR_INDEX_DIR, ./index) or bench/.cache."""
    candidates = []
    if os.environ.get("ADVISOR_INDEX_DIR"):
        candidates.append(Path(os.environ["ADVISOR_INDEX_DIR"]))
    candidates += [REPO / "index"]
    for d in candidates:
        try:
            cur = (d / "CURRENT").read_text().strip()
            vec = np.load(d / cur / "texts" / "vectors.npy", mmap_mode="r")
            if len(vec) >= min_count and vec.shape[1] == DIM:
                return np.asarray(vec, dtype=np.float32)
        except (OSError, ValueError):
            continue
    cache = REPO / "bench" / ".cache" / "real_vectors.npy"
    if cache.exists():
        vec = np.load(cache)
        if len(vec) >= min_count:
            return vec
    return None


# --- output ---------------------------------------------------------------------------------------
def print_table(rows: list[dict], columns: list[str] | None = None, title: str | None = None) -> None:
    if not rows:
        return
    columns = columns or list(rows[0])
    cells = [[_fmt(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    if title:
        print(f"\n{title}")
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.rjust(w) for v, w in zip(row, widths)))


def _fmt(v) -> str:
    if isinstance(v, float):
        if v == 0:
            return "0"
        if abs(v) >= 100:
            return f"{v:,.0f}"
        if abs(v) >= 10:
            return f"{v:.1f}"
        return f"{v:.2f}" if abs(v) >= 0.1 else f"{v:.3f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def dump_json(path: str | None, payload: dict) -> None:
    if not path:
        return
    text = json.dumps(payload, indent=1, default=str)
    if path == "-":
        print(text)
    else:
        Path(path).write_text(text + "\n", encoding="utf-8")
        print(f"\nwrote {path}")
