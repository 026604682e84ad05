"""`make run-shared`: the shared deployment on one machine, to try it out.

Starts a local Postgres 16 with pgvector (the pgserver package, no root; data in pgdata/), builds the
index into it if needed, then serves two app processes from that one store (ports PORT and PORT+1).
A rebuild started in either (Library tab) is served by both after its switch. Ctrl-C stops all.
For a real deployment use your own Postgres (docs/deployment.md); pgserver is for development.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_database(data: Path) -> str:
    try:
        import pgserver
    except ImportError:
        sys.exit("run-shared: pgserver is missing (pip install -r requirements-dev.txt)")
    data.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data, cleanup_mode="stop")  # stopped when this script exits
    if "advisor" not in server.psql("SELECT datname FROM pg_database;"):
        server.psql("CREATE DATABASE advisor;")
    start_database.server = server  # keep the handle alive as long as the script
    return server.get_uri("advisor")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=7860)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--data", type=Path, default=ROOT / "pgdata", help="the database's folder (git-ignored)")
    args = ap.parse_args()

    uri = start_database(args.data)
    env = {**os.environ, "ADVISOR_STORE": uri}
    print(f"run-shared: Postgres + pgvector in {args.data}/ ; ADVISOR_STORE={uri}", flush=True)
    apps = []
    for n in range(args.processes):
        # the first process builds (catalog first, then the texts) when needed; the others serve what it switches in
        extra = [] if n == 0 else ["--no-auto-index"]
        cmd = [sys.executable, str(ROOT / "app.py"), "--host", args.host, "--port", str(args.port + n), *extra]
        apps.append(subprocess.Popen(cmd, env=env, cwd=ROOT))
        print(f"run-shared: app process {n + 1} on http://{args.host}:{args.port + n}/", flush=True)
    try:
        while all(app.poll() is None for app in apps):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for app in apps:
            if app.poll() is None:
                app.send_signal(signal.SIGINT)
        for app in apps:
            try:
                app.wait(15)
            except subprocess.TimeoutExpired:
                app.kill()
    return max((app.returncode or 0) for app in apps)


if __name__ == "__main__":
    sys.exit(main())
