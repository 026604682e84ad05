"""Advisor in the browser: `python app.py [--host 127.0.0.1] [--port 7860] [--auth USER:PASSWORD] [--share]`.

Serves at once; when the index is missing or stale it is built in the background meanwhile.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from advisor.web.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
