"""How long a new user waits on a first `make run`: serving, first recommendations, first passages.

Starts `app.py` as a new user would (a fresh, empty index folder; the shipped corpus), then asks the chat one
question through the app's own HTTP API, again and again, until the answer names resources and, later, cites
passages. Everything is timed from the moment the process starts.

    python bench/bench_first_answer.py [--question "which book covers VC dimension proofs?"] [--json PATH]

Targets (issue #15): recommendations within 60 s of serving; the whole shipped corpus in <= 3 minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _common import dump_json, machine_info  # noqa: E402

# the reply's own markers (web/render.py): a resources section, and page citations of passages
RESOURCES = re.compile(r"Recommended resources")
PASSAGE = re.compile(r"#page=\d+")
BUILDING = re.compile(r"being built")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_page(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"app.py exited with {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"app.py did not serve {url} within {timeout:.0f} s")


def reply_text(client, question: str) -> str:
    messages, _ = client.predict(question, api_name="/ask")
    last = messages[-1]["content"] if messages else ""
    if isinstance(last, list):  # Gradio 5 message parts
        last = " ".join(part.get("text", "") for part in last if isinstance(part, dict))
    return str(last)


def run(question: str, timeout: float) -> dict:
    from gradio_client import Client

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="advisor-first-run-") as tmp:
        env = {**os.environ, "ADVISOR_INDEX_DIR": str(Path(tmp) / "index")}
        t0 = time.time()
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for_page(url, proc, timeout)
            serving = time.time() - t0
            client = Client(url, verbose=False)
            out = {"question": question, "serving_s": round(serving, 1)}
            polls = 0
            while time.time() - t0 < timeout:
                polls += 1
                asked = time.time()
                text = reply_text(client, question)
                took = time.time() - asked
                if "recommend_s" not in out and not BUILDING.search(text) and RESOURCES.search(text):
                    out.update(recommend_s=round(time.time() - t0, 1), recommend_after_serving_s=round(
                        time.time() - t0 - serving, 1), first_reply_s=round(took, 2), first_reply=text[:400])
                if PASSAGE.search(text):
                    out.update(passages_s=round(time.time() - t0, 1), polls=polls)
                    break
                time.sleep(2)
            return out
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--question", default="which book covers VC dimension proofs?")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--json", help="also write the figures as JSON to this path ('-' for stdout)")
    args = ap.parse_args()
    info = machine_info()
    print(f"{info.get('cpus')} CPUs ({info.get('cpu', '?')}), load {info.get('load_avg_1m')}; a fresh index of the shipped corpus")
    out = run(args.question, args.timeout)
    print(f"serving after            {out['serving_s']:6.1f} s")
    if "recommend_s" in out:
        print(f"first recommendations    {out['recommend_s']:6.1f} s  ({out['recommend_after_serving_s']:.1f} s after serving;"
              f" the reply took {out['first_reply_s']:.2f} s)")
    else:
        print("first recommendations    none within the timeout")
    print(f"first cited passages     {out.get('passages_s', float('nan')):6.1f} s  (the whole shipped corpus indexed)")
    dump_json(args.json, {"machine": info, **out})
    return 0 if "recommend_s" in out else 1


if __name__ == "__main__":
    sys.exit(main())
