"""Bounded loopback load test of the web app: concurrent chat sessions while the index is rebuilt.

    python bench/load_test.py                   # 50 sessions x 4 questions, the real embedding model
    python bench/load_test.py --fake --json     # the deterministic fake embedder, JSON report on stdout
    python bench/load_test.py --shared          # two app processes on one local Postgres + pgvector (pgserver)

What it does, strictly bounded and only on 127.0.0.1:

1. copies a small corpus (topics.yaml, a dozen catalog records, the full text of three resources) into a
   temporary folder and starts `python app.py --host 127.0.0.1 --port <free port> --corpus-dir ... --index-dir ...`
   as a subprocess; waits (at most --startup-timeout) until its start-up index build is done;
2. opens one gradio_client session per simulated user (each has its own conversation state on the server)
   and runs them all at once: each asks --questions questions through the chat endpoint the UI exposes
   (found with `client.view_api()`, the one taking `message`), one after the other, the last a question
   only the new file answers, some sessions with a follow-up ("which of those are free?");
3. once a quarter of the requests are answered, adds the full text of another resource to the corpus and
   clicks "Rebuild index" through the UI's `/rebuild` endpoint (an incremental build in the app's
   background thread: the chat keeps answering from the old index until the new one is swapped in), and
   polls the UI's `/load` endpoint until the build is over;
4. reports requests sent, answered, failed (with reasons), latency p50/p95/max (client side: queueing
   included), throughput, whether the rebuild completed during the run, and whether the answers to the
   new file's question asked after it cite the new file (plus one post-run probe in a fresh session).

With --shared the app processes are two, serving one Postgres store (pgserver, in the temporary folder): the
first builds at start-up, the second starts with --no-auto-index; sessions alternate between them; the rebuild
is clicked in the first, the second must show the new file indexed without a restart, and the post-run probe
is asked of both.

Bounds: total requests = sessions x questions (+1 post-run probe), each waited for at most
--request-timeout seconds, all of them within --deadline seconds of the start of the load phase; the rebuild
is followed for at most --rebuild-timeout seconds and start-up for at most --startup-timeout, so the whole run
ends within the sum of the three plus about a minute; the app is stopped (SIGINT, then SIGTERM/SIGKILL of that
one process) whatever happens. Exit status 0 only when every
request was answered, none failed and the rebuild completed.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# Nothing leaves this machine: no telemetry, no version checks, no Hub look-ups (set for the app process).
QUIET_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1", "TRANSFORMERS_OFFLINE": "1", "DO_NOT_TRACK": "1",
}


def loopback_env(env: dict) -> dict:
    """QUIET_ENV, and 127.0.0.1 never sent through a proxy."""
    env.update(QUIET_ENV)
    for key in ("NO_PROXY", "no_proxy"):
        extra = [h for h in ("127.0.0.1", "localhost") if h not in (env.get(key) or "").split(",")]
        env[key] = ",".join([v for v in [env.get(key)] if v] + extra)
    return env


REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"

# --- the corpus -------------------------------------------------------------------------------------
CATALOG_IDS = (  # records of the texts below, and some record-only resources around the same topics
    "cs236-dgm-notes", "cs228-pgm-notes", "d2l", "pot-ot-user-guide", "boyd-convex-optimization", "mml-book",
    "deep-learning-book", "bishop-prml", "cover-thomas", "matrix-cookbook", "wgan-paper",
    "peyre-cuturi-computational-ot",
)
TEXTS = (  # full texts indexed at start-up (about 150 KB of Markdown)
    "cs236-dgm-notes/index.md", "cs236-dgm-notes/introduction/index.md", "cs236-dgm-notes/autoregressive/index.md",
    "cs236-dgm-notes/vae/index.md", "cs236-dgm-notes/flow/index.md", "cs236-dgm-notes/gan/index.md",
    "cs228-pgm-notes/inference/variational/index.md", "cs228-pgm-notes/preliminaries/probabilityreview/index.md",
    "d2l/chapter_preliminaries/calculus.md", "d2l/chapter_preliminaries/linear-algebra.md",
)
# Added mid-run: its catalog record is there from the start ("full text not indexed yet" until the rebuild).
NEW_TEXT = "pot-ot-user-guide/user_guide.rst"
NEW_RESOURCE = "pot-ot-user-guide"
NEW_KEY = f"texts/{NEW_TEXT}"  # its file key in the index, and in the /corpus-file/ links of answers
NEW_LINK = f"/corpus-file/{NEW_KEY}"

# --- the questions ----------------------------------------------------------------------------------
QUESTIONS = (
    "Where is the evidence lower bound (ELBO) derived for variational autoencoders?",
    "Which resource explains the reparameterization trick?",
    "What maths do I need for the Wasserstein distance in WGANs?",
    "How does the change of variables formula work in normalizing flows?",
    "Where can I learn the chain rule and gradients needed for backpropagation?",
    "Explain KL divergence and its link to maximum likelihood estimation",
    "Which notes cover mean field variational inference?",
    "Where is Bayes' rule explained with worked examples?",
    "What linear algebra do I need for machine learning: norms, eigenvalues, matrix decompositions?",
    "How do GANs relate to f-divergences and the Jensen-Shannon divergence?",
    "Free course on convex optimization",
    "Where are autoregressive models like PixelCNN explained with their likelihood?",
)
FOLLOW_UP = "Which of those are free?"
# Only the file added mid-run covers this in detail: answers after the rebuild should cite it.
PROBE = "How does the Sinkhorn algorithm solve entropic regularized optimal transport?"

OK_MARKERS = ("#### Recommended resources", "#### Cited passages", "Nothing in the indexed corpus covers this",
              "No resource matches these filters", "in my previous answer")
ERROR_MARKERS = {
    "**Something went wrong": "error reply",
    "**The index is being built**": "index being built",
    "**There is no index yet": "no index",
    "**The index is damaged": "index damaged",
    "**Sorry:**": "input refused",
    "_Searching the library…_": "placeholder only",
}


def session_questions(session: int, n: int) -> list[str]:
    """What one session asks: rotating topics, a follow-up in every third session, the probe question last."""
    out = []
    for j in range(n):
        if j == n - 1:
            out.append(PROBE)
        elif j == 1 and session % 3 == 0:
            out.append(FOLLOW_UP)
        else:
            out.append(QUESTIONS[(session * max(1, n - 1) + j) % len(QUESTIONS)])
    return out


def make_corpus(dst: Path, source: Path = REPO / "corpus") -> Path:
    """A small corpus copied from the repository's: topics, CATALOG_IDS records, TEXTS."""
    (dst / "catalog").mkdir(parents=True)
    (dst / "texts").mkdir()
    shutil.copy2(source / "topics.yaml", dst / "topics.yaml")
    for rid in CATALOG_IDS:
        shutil.copy2(source / "catalog" / f"{rid}.md", dst / "catalog" / f"{rid}.md")
    for rel in TEXTS:
        target = dst / "texts" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "texts" / rel, target)
    return dst


def add_new_file(corpus: Path, source: Path = REPO / "corpus") -> Path:
    target = corpus / "texts" / NEW_TEXT
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "texts" / NEW_TEXT, target)
    return target


# --- the app ----------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class App:
    """`python app.py` on 127.0.0.1 in a subprocess; stop() ends that one process."""

    def __init__(self, corpus: Path, index: Path, log_path: Path, fake: bool, model: str | None = None,
                 store: str | None = None, auto_index: bool = True):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}/"
        self.log_path = log_path
        env = loopback_env(dict(os.environ))
        env.pop("ADVISOR_MODEL", None)
        if fake:
            env["ADVISOR_MODEL"] = "fake"
        elif model:
            env["ADVISOR_MODEL"] = model
        for key in ("ADVISOR_AUTH", "ADVISOR_CORPUS_DIR", "ADVISOR_INDEX_DIR", "ADVISOR_STORE"):
            env.pop(key, None)
        if store:
            env["ADVISOR_STORE"] = store
        self.model = env.get("ADVISOR_MODEL") or "default (all-MiniLM-L6-v2)"
        cmd = [sys.executable, str(REPO / "app.py"), "--host", HOST, "--port", str(self.port),
               "--corpus-dir", str(corpus), "--index-dir", str(index), *([] if auto_index else ["--no-auto-index"])]
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)

    def wait_http(self, deadline: float) -> None:
        import httpx

        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited with status {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(self.url, timeout=2, trust_env=False).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError("app did not serve its page in time")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(10)
        self._log.close()
        return self.proc.returncode


def connect(url: str):
    from gradio_client import Client

    # token=False: no saved Hugging Face token is sent; trust_env=False: no proxy between us and 127.0.0.1
    return Client(url, token=False, verbose=False, download_files=False, analytics_enabled=False, max_workers=2,
                  httpx_kwargs={"trust_env": False})


def find_endpoints(client) -> dict[str, str]:
    """api_names of the chat, rebuild and status endpoints, from view_api()."""
    named = client.view_api(print_info=False, return_format="dict")["named_endpoints"]

    def params(name):
        return [p["parameter_name"] for p in named[name]["parameters"]]

    chat = sorted((n for n in named if params(n)[:1] == ["message"]), key=len)
    rebuild = [n for n in named if params(n) == ["full"]]
    status = [n for n in named if n == "/load" and not params(n)]  # demo.load: what a page shows on opening
    if not chat or not rebuild or not status:
        raise RuntimeError(f"chat/rebuild/status endpoints not found among {sorted(named)}")
    return {"chat": chat[0], "chat_params": params(chat[0]), "rebuild": rebuild[0], "status": status[0]}


def app_state(client, api: str) -> dict:
    """Build state as the page shows it (the /load outputs: header status, library status, library, banner)."""
    header, _lib_status, library, banner, *_ = client.predict(api_name=api)
    row = re.search(rf'adv-lib-id">{re.escape(NEW_RESOURCE)}</div></td>(.*?)</tr>', library or "", re.S)
    return {
        "index_ok": "adv-status-ok" in (header or ""),
        "building": "adv-build-running" in (banner or ""),
        "build_error": _plain(banner) if "adv-build-error" in (banner or "") else None,
        "new_indexed": bool(row and 'class="adv-ok">indexed' in row.group(1)),
        "banner": _plain(banner),
    }


def _plain(fragment: str | None) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment or "")).strip()


# --- one request, one session -----------------------------------------------------------------------
@dataclass
class Request:
    session: int
    turn: int
    question: str
    start: float = 0.0  # seconds since the load phase began
    end: float | None = None
    outcome: str = "not sent"  # answered | failed
    reason: str = ""
    cites_new: bool = False
    has_citations: bool = False

    @property
    def latency(self) -> float | None:
        return None if self.end is None else self.end - self.start


def message_text(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, list):
        return "".join(str(c.get("text") or "") if isinstance(c, dict) else str(c) for c in content)
    return ""


def check_reply(result, question: str, turn: int) -> tuple[str, str]:
    """(outcome, reason) for the final output of the chat endpoint: (chatbot messages, textbox)."""
    messages = result[0] if isinstance(result, (tuple, list)) and result else result
    if not isinstance(messages, list) or len(messages) < 2:
        return "failed", f"unexpected output {str(result)[:80]!r}"
    if len(messages) != 2 * (turn + 1):  # each session sees its own conversation, and all of it
        return "failed", f"conversation has {len(messages)} messages, expected {2 * (turn + 1)}"
    user, reply = messages[-2], messages[-1]
    if user.get("role") != "user" or message_text(user).strip() != html.escape(question, quote=False):
        return "failed", "reply to another question"
    text = message_text(reply)
    for marker, why in ERROR_MARKERS.items():
        if marker in text:
            return "failed", why
    if not text.strip():
        return "failed", "empty reply"
    return "answered", "" if any(m in text for m in OK_MARKERS) else "unrecognised reply format"


class Run:
    def __init__(self, endpoints: dict, sessions: int, questions: int, request_timeout: float, deadline: float):
        self.endpoints = endpoints
        self.sessions, self.questions = sessions, questions
        self.request_timeout, self.deadline = request_timeout, deadline
        self.requests: list[Request] = []
        self.lock = threading.Condition()
        self.done = 0
        self.t0 = 0.0

    def now(self) -> float:
        return time.monotonic() - self.t0

    def ask(self, client, req: Request) -> None:
        remaining = self.deadline - self.now()
        if remaining <= 0:
            req.reason = "overall deadline passed"
            return
        n_extra = len(self.endpoints["chat_params"]) - 1  # free, kinds, levels, depths: no filters
        args = [False] + [[] for _ in range(n_extra - 1)] if n_extra else []
        req.start = self.now()
        job = client.submit(req.question, *args, api_name=self.endpoints["chat"])
        try:
            result = job.result(timeout=min(self.request_timeout, remaining))
            req.end = self.now()
            req.outcome, req.reason = check_reply(result, req.question, req.turn)
            text = message_text(result[0][-1]) if req.outcome == "answered" else ""
            req.cites_new = NEW_LINK in text
            req.has_citations = "/corpus-file/" in text
        except TimeoutError:
            req.end, req.outcome, req.reason = None, "failed", "timed out"
            job.cancel()
        except Exception as exc:  # an app error, a dropped connection: counted, never fatal
            req.end, req.outcome, req.reason = self.now(), "failed", f"{type(exc).__name__}: {exc}"[:200]

    def session(self, client, sid: int, reqs: list[Request], start: threading.Event) -> None:
        start.wait()
        try:
            for req in reqs:
                self.ask(client, req)
                with self.lock:
                    self.done += 1
                    self.lock.notify_all()
                if req.outcome != "answered" and req.reason == "overall deadline passed":
                    break
        finally:
            client.close()


# --- the whole run ----------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def run(sessions: int = 50, questions: int = 4, fake: bool = False, model: str | None = None,
        request_timeout: float = 120.0, deadline: float = 900.0, startup_timeout: float = 600.0,
        rebuild_after: float = 0.25, rebuild_timeout: float = 600.0, keep: bool = False, log=print,
        shared: bool = False) -> dict:
    """Run the load test; returns the report (a dict, as printed by --json).

    shared: a local Postgres + pgvector (pgserver) serves two app processes; sessions alternate between them,
    the rebuild is clicked in the first, and both must then answer from the new generation without a restart."""
    if sessions < 1 or questions < 1:
        raise ValueError("sessions and questions must be positive")
    # gradio_client sends telemetry unless this variable says False, whatever analytics_enabled says
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    work = Path(tempfile.mkdtemp(prefix="advisor-load-"))
    corpus, index = make_corpus(work / "corpus"), work / "index"
    report: dict = {
        "config": {"sessions": sessions, "questions_per_session": questions, "model": None, "host": HOST,
                   "request_timeout_s": request_timeout, "deadline_s": deadline, "rebuild_after": rebuild_after,
                   "store": "postgres (pgserver), 2 app processes" if shared else "files, 1 app process",
                   "corpus": {"catalog_records": len(CATALOG_IDS), "text_files": len(TEXTS), "new_file": NEW_KEY}},
        "machine": {"cpus": os.cpu_count(), "loadavg_before": os.getloadavg()},
    }
    database = start_database(work / "pg") if shared else None
    store = database.get_uri("advisor") if database else None
    apps: list[App] = []
    clients: list = []
    try:
        t_start = time.monotonic()
        controls = []
        for n in range(2 if shared else 1):
            # the first process builds at start-up; the second serves what the first switched in
            apps.append(App(corpus, index, work / f"app{n}.log", fake=fake, model=model, store=store,
                            auto_index=n == 0))
            report["config"]["model"] = apps[0].model
            log(f"starting app process {n + 1} on {apps[n].url} (model: {apps[n].model}; corpus in {work})")
            controls.append(wait_ready(apps[n], t_start + startup_timeout))
        endpoints = find_endpoints(controls[0])
        report["endpoints"] = endpoints
        report["startup_seconds"] = round(time.monotonic() - t_start, 1)
        log(f"index ready after {report['startup_seconds']} s")

        load = Run(endpoints, sessions, questions, request_timeout, deadline)
        plan = {s: [Request(s, j, q) for j, q in enumerate(session_questions(s, questions))] for s in range(sessions)}
        load.requests = [r for s in range(sessions) for r in plan[s]]
        total = len(load.requests)
        log(f"opening {sessions} sessions over {len(apps)} app process(es)")
        threads = start_sessions(load, plan, apps, clients)
        log(f"load: {sessions} sessions x {questions} questions = {total} requests")
        rebuild = rebuild_midrun(load, corpus, controls, endpoints, total, rebuild_after, rebuild_timeout, log)
        for t in threads:
            t.join(max(0.0, deadline - load.now()) + 5)
        still_running = sum(t.is_alive() for t in threads)
        probes = [post_run_probe(load, app, clients) for app in apps] if rebuild["completed"] else []
        report["load"] = summarize(load.requests, rebuild, still_running)
        report["rebuild"] = rebuild
        report["post_run_probe"] = probes[0] if probes else {}
        if shared:
            report["post_run_probes"] = probes
        report["ok"] = (report["load"]["answered"] == total and report["load"]["failed"] == 0
                        and rebuild["completed"] and all(p["cites_new_file"] for p in probes))
    except Exception as exc:
        report["ok"] = False
        report["error"] = f"{type(exc).__name__}: {exc}"
        report["app_log_tail"] = "\n".join(app.log_tail() for app in apps)
    finally:
        for c in clients:
            try:
                c.close()
            except Exception:
                pass
        statuses = [app.stop() for app in apps]
        report["app_exit_status"] = statuses[0] if len(statuses) == 1 else statuses
        if database is not None:
            database.cleanup()
        report["machine"]["loadavg_after"] = os.getloadavg()
        if keep:
            report["work_dir"] = str(work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return report


def start_sessions(load: Run, plan: dict[int, list[Request]], apps: list[App], clients: list) -> list[threading.Thread]:
    """One client per session, sessions taking the app processes in turn; all start together."""
    for s in range(len(plan)):
        clients.append(connect(apps[s % len(apps)].url))
    go = threading.Event()
    threads = [threading.Thread(target=load.session, args=(clients[s], s, plan[s], go), daemon=True,
                                name=f"session-{s}") for s in range(len(plan))]
    for t in threads:
        t.start()
    load.t0 = time.monotonic()
    go.set()
    return threads


def start_database(folder: Path):
    """A local Postgres + pgvector (pgserver, no root) with an empty `advisor` database; cleanup() stops it."""
    try:
        import pgserver
    except ImportError:
        raise SystemExit("load_test --shared: pgserver is missing (pip install -r requirements-dev.txt)") from None
    folder.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(folder, cleanup_mode="stop")
    server.psql("CREATE DATABASE advisor;")
    return server


def wait_ready(app: App, deadline: float):
    """A control client once the app serves its page and its index is loaded (after a start-up build)."""
    app.wait_http(deadline)
    control = connect(app.url)
    status = find_endpoints(control)["status"]
    while True:
        state = app_state(control, status)
        if state["index_ok"] and not state["building"]:
            return control
        if state["build_error"]:
            raise RuntimeError(f"start-up build failed: {state['build_error']}")
        if time.monotonic() > deadline:
            raise TimeoutError("start-up index build did not finish in time")
        time.sleep(1)


def rebuild_midrun(load: Run, corpus: Path, controls: list, endpoints: dict, total: int, rebuild_after: float,
                   rebuild_timeout: float, log) -> dict:
    """Once rebuild_after of the requests are answered: add a file, click "Rebuild index" in the first app
    process, follow the build to its end, then wait until every other process shows the new file indexed."""
    trigger_at = max(1, min(total - 1, int(total * rebuild_after))) if total > 1 else 1
    rebuild: dict = {"triggered": False, "completed": False, "error": None}
    with load.lock:
        load.lock.wait_for(lambda: load.done >= trigger_at, timeout=max(0.0, load.deadline - load.now()))
        done_at_trigger = load.done
    if load.now() >= load.deadline:
        return rebuild
    add_new_file(corpus)
    rebuild.update(triggered=True, requests_done_before=done_at_trigger, start_s=round(load.now(), 3))
    controls[0].predict(False, api_name=endpoints["rebuild"])
    log(f"rebuild triggered after {done_at_trigger} of {total} requests")
    t_limit = time.monotonic() + rebuild_timeout
    while time.monotonic() < t_limit:
        state = app_state(controls[0], endpoints["status"])
        if state["build_error"]:
            rebuild["error"] = state["build_error"]
            return rebuild
        if not state["building"] and state["new_indexed"]:
            rebuild.update(completed=True, end_s=round(load.now(), 3), banner=state["banner"])
            break
        time.sleep(0.5)
    if not rebuild["completed"]:
        return rebuild
    log(f"rebuild done after {rebuild['end_s'] - rebuild['start_s']:.1f} s: {rebuild['banner']}")
    seen = []
    for control in controls[1:]:  # the other processes pick up the switch without a restart
        while time.monotonic() < t_limit and not app_state(control, endpoints["status"])["new_indexed"]:
            time.sleep(0.5)
        seen.append(round(load.now() - rebuild["end_s"], 2) if time.monotonic() < t_limit else None)
    if seen:
        rebuild["other_processes_saw_it_after_s"] = seen
        rebuild["completed"] = all(s is not None for s in seen)
    return rebuild


def post_run_probe(load: Run, app: App, clients: list) -> dict:
    """The new file's question in a fresh session of this app process, after everything: does it cite it?"""
    c = connect(app.url)
    clients.append(c)
    r = Request(-1, 0, PROBE)
    load.ask(c, r)
    return {"app": app.url, "outcome": r.outcome, "reason": r.reason, "cites_new_file": r.cites_new,
            "latency_s": None if r.latency is None else round(r.latency, 3)}


def summarize(requests: list[Request], rebuild: dict, still_running: int) -> dict:
    wall = max((r.end for r in requests if r.end is not None), default=0.0)  # first request to last answer
    sent = [r for r in requests if r.outcome != "not sent"]
    answered = [r for r in requests if r.outcome == "answered"]
    failed = [r for r in requests if r.outcome == "failed"]
    lat = sorted(r.latency for r in answered if r.latency is not None)
    reasons: dict[str, int] = {}
    for r in failed + [r for r in requests if r.outcome == "not sent"]:
        reasons[r.reason or r.outcome] = reasons.get(r.reason or r.outcome, 0) + 1
    out = {
        "requests_planned": len(requests), "sent": len(sent), "answered": len(answered), "failed": len(failed),
        "not_sent": len(requests) - len(sent), "failure_reasons": reasons,
        "unrecognised_replies": sum(1 for r in answered if r.reason),
        "answers_with_citations": sum(1 for r in answered if r.has_citations),
        "latency_s": {"p50": _r(percentile(lat, 50)), "p95": _r(percentile(lat, 95)),
                      "max": _r(lat[-1] if lat else None), "mean": _r(statistics.fmean(lat) if lat else None)},
        "wall_seconds": round(wall, 2),
        "throughput_rps": round(len(answered) / wall, 2) if wall > 0 else None,
        "sessions_still_running": still_running,
    }
    if rebuild.get("triggered"):
        start, end = rebuild["start_s"], rebuild.get("end_s")
        during = [r for r in answered if r.end is not None and r.end > start and (end is None or r.start < end)]
        after = [r for r in answered if end is not None and r.start >= end]
        probes_after = [r for r in after if r.question == PROBE]
        before = [r for r in answered if r.end is not None and r.end <= start and r.question == PROBE]
        lat_during = sorted(r.latency for r in during)
        rebuild.update({
            "seconds": None if end is None else round(end - start, 2),
            "completed_during_run": end is not None and end <= wall,
            "answered_while_building": len(during),
            "latency_while_building_s": {"p50": _r(percentile(lat_during, 50)), "p95": _r(percentile(lat_during, 95))},
            "probe_answers_before_rebuild": len(before),
            "probe_answers_before_rebuild_citing_new_file": sum(r.cites_new for r in before),
            "probe_answers_after_rebuild": len(probes_after),
            "probe_answers_after_rebuild_citing_new_file": sum(r.cites_new for r in probes_after),
            "answers_after_rebuild_citing_new_file": sum(r.cites_new for r in after),
            "answers_after_rebuild": len(after),
        })
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def text_report(rep: dict) -> str:
    c, lines = rep["config"], []
    lines.append(f"load test: {c['sessions']} sessions x {c['questions_per_session']} questions, model {c['model']}, "
                 f"store {c.get('store', 'files')}, "
                 f"{rep['machine']['cpus']} CPUs, load average before {rep['machine']['loadavg_before'][0]:.2f}")
    if "error" in rep:
        lines.append(f"ERROR: {rep['error']}")
        if rep.get("app_log_tail"):
            lines.append(rep["app_log_tail"])
    if "load" in rep:
        ld = rep["load"]
        lat = ld["latency_s"]
        lines.append(f"requests: {ld['requests_planned']} planned, {ld['sent']} sent, {ld['answered']} answered, "
                     f"{ld['failed']} failed, {ld['not_sent']} not sent {ld['failure_reasons'] or ''}")
        lines.append(f"latency: p50 {lat['p50']} s, p95 {lat['p95']} s, max {lat['max']} s (queueing included); "
                     f"throughput {ld['throughput_rps']} answers/s over {ld['wall_seconds']} s")
    rb = rep.get("rebuild") or {}
    if rb.get("triggered"):
        lines.append(
            f"rebuild: triggered after {rb['requests_done_before']} requests, "
            + (f"completed in {rb['seconds']} s ({'during' if rb['completed_during_run'] else 'after'} the run); "
               f"{rb['answered_while_building']} answers while building "
               f"(p50 {rb['latency_while_building_s']['p50']} s, p95 {rb['latency_while_building_s']['p95']} s)"
               if rb["completed"] else f"NOT completed ({rb.get('error') or 'timed out'})"))
        if rb["completed"]:
            lines.append(f"new file cited by {rb['probe_answers_after_rebuild_citing_new_file']} of "
                         f"{rb['probe_answers_after_rebuild']} answers to its question asked after the rebuild "
                         f"(before: {rb['probe_answers_before_rebuild_citing_new_file']} of "
                         f"{rb['probe_answers_before_rebuild']})")
    if rb.get("other_processes_saw_it_after_s"):
        lines.append(f"the other app process showed the new file indexed {rb['other_processes_saw_it_after_s'][0]} s "
                     "after the switch (no restart)")
    for p in rep.get("post_run_probes") or ([rep["post_run_probe"]] if rep.get("post_run_probe") else []):
        lines.append(f"post-run probe ({p.get('app', 'app')}): {p['outcome']}, cites the new file: "
                     f"{p['cites_new_file']}, {p['latency_s']} s")
    lines.append("OK" if rep.get("ok") else "FAILED")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=50, help="concurrent chat sessions (default 50)")
    ap.add_argument("--questions", type=int, default=4, help="questions per session (default 4)")
    ap.add_argument("--fake", action="store_true", help="ADVISOR_MODEL=fake: the hashing embedder, for speed")
    ap.add_argument("--model", help="embedding model for the app (default: the app's default)")
    ap.add_argument("--request-timeout", type=float, default=120.0, help="seconds to wait for one answer (120)")
    ap.add_argument("--deadline", type=float, default=900.0, help="seconds for the whole load phase (900)")
    ap.add_argument("--startup-timeout", type=float, default=600.0,
                    help="seconds for the app to start and build its first index (600)")
    ap.add_argument("--rebuild-after", type=float, default=0.25,
                    help="trigger the rebuild once this fraction of the requests is answered (0.25)")
    ap.add_argument("--rebuild-timeout", type=float, default=600.0,
                    help="seconds to wait for the rebuild to finish once triggered (600)")
    ap.add_argument("--shared", action="store_true", help="the shared store: a local Postgres + pgvector "
                    "(pgserver) and two app processes, sessions split between them, the rebuild clicked in one")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpus, index and app log")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    if not 0 < args.rebuild_after < 1:
        ap.error("--rebuild-after must be between 0 and 1")
    quiet = (lambda *a, **k: print(*a, file=sys.stderr, **k))
    rep = run(args.sessions, args.questions, fake=args.fake, model=args.model, request_timeout=args.request_timeout,
              deadline=args.deadline, startup_timeout=args.startup_timeout, rebuild_after=args.rebuild_after,
              rebuild_timeout=args.rebuild_timeout, keep=args.keep, log=quiet, shared=args.shared)
    print(json.dumps(rep, indent=2) if args.json else text_report(rep))
    return 0 if rep.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
