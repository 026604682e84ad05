"""The browser app: a Gradio chat over the Advisor facade, a library tab, and the corpus file route."""

from __future__ import annotations

__all__ = ["build_ui", "corpus_file_routes", "main"]


def __getattr__(name):  # keep `import advisor.web` light: gradio loads only when the UI is built
    if name == "build_ui":
        from .ui import build_ui

        return build_ui
    if name == "corpus_file_routes":
        from .files import corpus_file_routes

        return corpus_file_routes
    if name == "main":
        from .server import main

        return main
    raise AttributeError(name)
