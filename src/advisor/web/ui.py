"""The Gradio Blocks app: Chat and Library tabs over one Advisor."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from ..types import ACCESS, LEVELS, MATH_DEPTHS, RESOURCE_KINDS
from ..errors import IndexCorruptError, NoIndexError, UserInputError
from ..config import DEFAULT_MAX_UPLOAD_MB, llm_enabled_by_env
from .chat import WRITING, Conversation, filters_from, respond, respond_stream
from .render import esc, user_markdown
from .fetching import FetchHandlers
from .status import index_status_html, library_html, progress_html

log = logging.getLogger("advisor.web")

EXAMPLES = [
    "Which book covers VC dimension proofs?",
    "Where is the spectral theorem proved?",
    "What maths do I need for the Wasserstein distance in WGANs?",
    "Free course on convex optimization",
]

# $...$ and \(...\) inline, $$...$$ and \[...\] displayed.
LATEX_DELIMITERS = [
    {"left": "$$", "right": "$$", "display": True},
    {"left": "$", "right": "$", "display": False},
    {"left": "\\(", "right": "\\)", "display": False},
    {"left": "\\[", "right": "\\]", "display": True},
]

CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")

# System fonts only: the app works offline and asks no third party for web fonts.
SANS = ("ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif")
MONO = ("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace")


def theme():
    return gr.themes.Default(primary_hue="indigo", secondary_hue="sky", neutral_hue="slate", font=SANS, font_mono=MONO)


AUTO_KIND = "auto"
LLM_LABEL = "Write the answer with a local LLM (OpenAI-compatible server, e.g. Ollama)"
BUSY_POLL = 1.0  # seconds between status polls while a build runs
IDLE_POLL = 5.0  # otherwise: notices builds started from another tab or at start-up


def topic_choices(advisor) -> list[tuple[str, str]]:
    return sorted(((t.name, t.id) for t in advisor.topics.values()), key=lambda c: c[0].lower())


class Handlers(FetchHandlers):
    """What the UI's events do, as plain methods (the unit tests call them directly)."""

    def __init__(self, advisor, max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024, llm_config=None):
        self.advisor = advisor
        self.llm_config = llm_config  # None: LLMConfig.from_env() at each question
        self.max_upload_bytes = max_upload_bytes
        self.corpus_dir = Path(advisor.settings.corpus_dir)

    def status_parts(self) -> tuple[str, str]:
        rows, skipped, info, problem = self.advisor.library()
        status = index_status_html(info, problem, self.advisor.build_status.running)
        return status, library_html(rows, skipped)

    def banner(self) -> str:
        return progress_html(self.advisor.build_status, self.advisor.store.exists())

    def build_key(self) -> tuple:
        """Identifies the build state a page has shown: a new build, or the end of one, changes it."""
        st = self.advisor.build_status
        return (st.started_at, st.running)

    def poll(self) -> gr.Timer:
        busy = self.advisor.build_status.running or self.advisor.fetch_status.running
        return gr.Timer(BUSY_POLL if busy else IDLE_POLL, active=True)

    def load(self):
        status, lib = self.status_parts()
        return status, status, lib, self.banner(), self.poll(), self.build_key()

    def ask(self, message, conv: Conversation, free=False, kinds=None, levels=None, depths=None, use_llm=False):
        message = (message or "").strip()
        if not message:
            yield gr.skip(), conv, gr.skip()
            return
        filters = filters_from(free, kinds, levels, depths)
        shown = conv.messages + [{"role": "user", "content": user_markdown(message)}]
        if not use_llm:
            yield shown + [{"role": "assistant", "content": "_Searching the library…_"}], conv, ""
            respond(self.advisor, message, filters, conv)
            yield list(conv.messages), conv, ""
            return
        yield shown + [{"role": "assistant", "content": WRITING}], conv, ""
        # the last snapshot is the finished reply, recorded in conv: show conv.messages then
        for snapshot in respond_stream(self.advisor, message, filters, conv, llm_config=self.llm_config):
            yield shown + [{"role": "assistant", "content": snapshot}], conv, ""
        yield list(conv.messages), conv, ""

    @staticmethod
    def example(evt: gr.SelectData) -> str:
        value = evt.value
        return value.get("text", "") if isinstance(value, dict) else str(value or "")

    @staticmethod
    def clear():
        return [], Conversation()

    def rebuild(self, full=False):
        advisor = self.advisor
        if advisor.build_status.running:
            gr.Info("A build is already running.")
            return self.banner(), self.poll()
        rebuild = bool(full)
        if not rebuild:
            try:
                advisor.load()
            except IndexCorruptError:
                rebuild = True  # an incremental build would trust the damaged version
            except NoIndexError:
                pass
        # the library's own folder is always indexed: an upload must never stay 'pending' for good
        advisor.rebuild_in_background([self.corpus_dir], rebuild=rebuild)
        return self.banner(), self.poll()

    def tick(self, seen=None):
        """Progress while building; one refresh of status and library when a build ends; nothing otherwise."""
        key = self.build_key()
        if self.advisor.build_status.running:
            return self.banner(), gr.skip(), gr.skip(), gr.skip(), self.poll(), key
        if key == seen:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), seen
        status, lib = self.status_parts()
        return self.banner(), status, status, lib, self.poll(), key

    def add(self, file, title=None, authors=None, year=None, url=None, topics=None, kind=AUTO_KIND,
            access="free", level="intermediate", depth="moderate"):
        """Validate and store an upload; a rejected file gets a warning toast and an inline message."""
        keep = (gr.skip(),) * 6  # leave the form as it is, so the user can fix it
        if not file:
            return (self._rejected("Choose a PDF, Markdown or text file first."), gr.skip()) + keep
        path = Path(file if isinstance(file, (str, Path)) else getattr(file, "name", file))
        try:
            added = self.advisor.add_resource(
                path, path.name, max_bytes=self.max_upload_bytes, title=title, authors=authors, year=year, url=url,
                topics=topics, kind=None if kind in (None, "", AUTO_KIND) else kind, access=access, level=level,
                math_depth=depth,
            )
        except UserInputError as exc:
            return (self._rejected(str(exc)), gr.skip()) + keep
        except OSError as exc:
            log.exception("adding %s failed", path.name)
            return (self._rejected(f"could not save the file ({exc.strerror or exc})"), gr.skip()) + keep
        gr.Info(f"Added “{esc(added.title)}”. Rebuild the index to search it.", duration=6)  # toasts render HTML
        notes = "".join(f"<br><small>{esc(n)}</small>" for n in added.notes)
        msg = (f'<div class="adv-added">Added <b>{esc(added.title)}</b> as <code>{esc(added.id)}</code> '
               f"(<code>{esc(added.file_key)}</code>). Click <b>Rebuild index</b> to make it searchable.{notes}</div>")
        _, lib = self.status_parts()
        return msg, lib, None, "", "", "", "", []

    @staticmethod
    def _rejected(message: str) -> str:
        gr.Warning(esc(message), duration=12, title="Upload rejected")  # names and topics come from the user
        return f'<div class="adv-rejected" role="alert"><b>Upload rejected:</b> {esc(message)}</div>'


def build_ui(advisor, max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024) -> gr.Blocks:
    h = Handlers(advisor, max_upload_bytes)
    # delete_cache: uploads sit in Gradio's temp folder until copied into the corpus; drop them after an hour
    with gr.Blocks(title="Advisor · maths for machine learning", fill_width=False, delete_cache=(3600, 3600)) as demo:
        conv = gr.State(Conversation())
        header_status = _header()
        banner = gr.HTML(elem_id="adv-banner")
        with gr.Tabs(elem_id="adv-tabs"):
            chat = _chat_tab()
            lib = _library_tab(advisor, h.book_choices())
        timer = gr.Timer(IDLE_POLL, active=True)
        seen = gr.State(None)
        # events are registered in a fixed order: it numbers them in the page's config
        _wire_chat(h, chat, conv)
        lib.rebuild_btn.click(h.rebuild, lib.full, [banner, timer])
        timer.tick(h.tick, seen, [banner, header_status, lib.status, lib.library, timer, seen], show_progress="hidden")
        form = lib.form
        form.add_btn.click(h.add, [form.upload, form.title, form.authors, form.year, form.url, form.topics, form.kind,
                                   form.access, form.level, form.depth],
                           [form.result, lib.library, form.upload, form.title, form.authors, form.year, form.url,
                            form.topics])
        demo.load(h.load, None, [header_status, lib.status, lib.library, banner, timer, seen], show_progress="hidden")
        _wire_fetch(h, demo, lib.fetch, timer, chat.hint)  # after the events above, so their numbers stay as they were
    return demo


def _header() -> gr.HTML:
    """The brand line; returns the status slot at its right."""
    with gr.Row(elem_id="adv-header", equal_height=True):
        gr.HTML('<div class="adv-brand"><span class="adv-logo">∑</span><div><div class="adv-name">Advisor</div>'
                '<div class="adv-tagline">Where to learn the mathematics behind machine learning — '
                "with cited passages from your own library.</div></div></div>", elem_id="adv-brand")
        return gr.HTML(elem_id="adv-header-status")


def _chat_tab() -> SimpleNamespace:
    with gr.Tab("Chat", id="chat", elem_id="adv-chat-tab"), gr.Row(equal_height=False):
        with gr.Column(scale=4, min_width=480):
            hint = gr.HTML(elem_id="adv-free-hint")  # free books the library lacks (filled on load)
            chatbot = gr.Chatbot(
                elem_id="adv-chatbot",
                show_label=False,
                height="68vh",
                min_height=420,
                layout="panel",
                latex_delimiters=LATEX_DELIMITERS,
                sanitize_html=True,
                allow_tags=False,
                render_markdown=True,
                line_breaks=False,
                feedback_options=None,
                buttons=["copy"],
                examples=[{"text": q, "display_text": q} for q in EXAMPLES],
                placeholder="<div class='adv-empty'><b>Ask where to learn a topic.</b><br>"
                            "I recommend books, courses and notes from the indexed library and quote the "
                            "passages, with links to the exact PDF page.</div>",
            )
            with gr.Row(equal_height=True, elem_id="adv-ask-row"):
                box = gr.Textbox(
                    show_label=False, placeholder="Ask a question, e.g. where is the KKT theorem proved?",
                    scale=8, autofocus=True, max_length=2000, elem_id="adv-question", container=False,
                )
                send = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="adv-ask")
        with gr.Column(scale=1, min_width=230, elem_id="adv-filters"):
            gr.HTML("<div class='adv-side-title'>Filters</div>")
            free = gr.Checkbox(label="Free resources only", value=False, elem_id="adv-free")
            kinds = gr.CheckboxGroup(list(RESOURCE_KINDS), label="Kind", elem_id="adv-kind")
            levels = gr.CheckboxGroup(list(LEVELS), label="Level", elem_id="adv-level")
            depths = gr.CheckboxGroup(list(MATH_DEPTHS), label="Math depth", elem_id="adv-depth")
            use_llm = gr.Checkbox(label=LLM_LABEL, value=llm_enabled_by_env(), elem_id="adv-llm")
            clear = gr.Button("New conversation", size="sm", elem_id="adv-clear")
    return SimpleNamespace(hint=hint, chatbot=chatbot, box=box, send=send, free=free, kinds=kinds, levels=levels,
                           depths=depths, use_llm=use_llm, clear=clear)


def _library_tab(advisor, books: list[tuple[str, str]]) -> SimpleNamespace:
    with gr.Tab("Library", id="library", elem_id="adv-library-tab"):
        status = gr.HTML(elem_id="adv-lib-status")
        with gr.Row(equal_height=True):
            rebuild_btn = gr.Button("Rebuild index", variant="primary", scale=0, min_width=160,
                                    elem_id="adv-rebuild")
            full = gr.Checkbox(label="Re-embed everything (slow; only after changing models)", value=False,
                               scale=3, elem_id="adv-full")
        form = _add_form(advisor)
        fetch = _fetch_section(books)
        library = gr.HTML(elem_id="adv-library")
    return SimpleNamespace(status=status, rebuild_btn=rebuild_btn, full=full, form=form, fetch=fetch,
                           library=library)


def _fetch_section(books: list[tuple[str, str]]) -> SimpleNamespace:
    with gr.Accordion("Get the free books", open=True, elem_id="adv-fetch"):
        table = gr.HTML(elem_id="adv-free-books")
        pick = gr.Dropdown(books, multiselect=True, label="Books to download", elem_id="adv-fetch-pick")
        with gr.Row():
            selected_btn = gr.Button("Download selected", variant="secondary", elem_id="adv-fetch-selected")
            all_btn = gr.Button("Download all", variant="secondary", elem_id="adv-fetch-all")
            cancel_btn = gr.Button("Cancel", variant="stop", elem_id="adv-fetch-cancel")
        status = gr.HTML(elem_id="adv-fetch-status")
        seen = gr.State(None)
    return SimpleNamespace(table=table, pick=pick, selected_btn=selected_btn, all_btn=all_btn,
                           cancel_btn=cancel_btn, status=status, seen=seen)


def _wire_fetch(h: Handlers, demo: gr.Blocks, fetch: SimpleNamespace, timer: gr.Timer, hint: gr.HTML) -> None:
    fetch.selected_btn.click(h.download, fetch.pick, [fetch.status, timer])
    fetch.all_btn.click(h.download_all, None, [fetch.status, timer])
    fetch.cancel_btn.click(h.cancel_downloads, None, fetch.status)
    timer.tick(h.fetch_tick, fetch.seen, [fetch.status, fetch.table, hint, fetch.seen], show_progress="hidden")
    demo.load(h.fetch_load, None, [fetch.table, hint, fetch.status, fetch.seen], show_progress="hidden")


def _add_form(advisor) -> SimpleNamespace:
    with gr.Accordion("Add a resource", open=True, elem_id="adv-add"):
        with gr.Row():
            upload = gr.File(label="PDF, Markdown or text file", file_types=[".pdf", ".md", ".markdown", ".txt"],
                             type="filepath", height=170, elem_id="adv-upload", scale=2)
            with gr.Column(scale=3):
                title = gr.Textbox(label="Title (optional)", placeholder="from the file name if empty",
                                   elem_id="adv-title", max_length=300)
                authors = gr.Textbox(label="Authors (optional)", placeholder="comma-separated",
                                     elem_id="adv-authors")
                with gr.Row():
                    year = gr.Textbox(label="Year", placeholder="optional", elem_id="adv-year", min_width=90)
                    url = gr.Textbox(label="URL (optional)", placeholder="https://…", elem_id="adv-url",
                                     scale=3)
        with gr.Row():
            topics = gr.Dropdown(topic_choices(advisor), multiselect=True, allow_custom_value=True,
                                 label="Topics (optional: guessed from the text when empty)",
                                 elem_id="adv-topics", scale=3)
            kind = gr.Dropdown([("automatic", AUTO_KIND)] + [(k, k) for k in RESOURCE_KINDS], value=AUTO_KIND,
                               label="Kind", elem_id="adv-add-kind", min_width=120)
            access = gr.Dropdown(list(ACCESS), value="free", label="Access", elem_id="adv-add-access",
                                 min_width=110)
            level = gr.Dropdown(list(LEVELS), value="intermediate", label="Level", elem_id="adv-add-level",
                                min_width=120)
            depth = gr.Dropdown(list(MATH_DEPTHS), value="moderate", label="Math depth",
                                elem_id="adv-add-depth", min_width=120)
        add_btn = gr.Button("Add to library", variant="secondary", elem_id="adv-add-btn")
        result = gr.HTML(elem_id="adv-add-result")
    return SimpleNamespace(upload=upload, title=title, authors=authors, year=year, url=url, topics=topics,
                           kind=kind, access=access, level=level, depth=depth, add_btn=add_btn, result=result)


def _wire_chat(h: Handlers, chat: SimpleNamespace, conv: gr.State) -> None:
    ask_inputs = [chat.box, conv, chat.free, chat.kinds, chat.levels, chat.depths, chat.use_llm]
    ask_outputs = [chat.chatbot, conv, chat.box]
    chat.box.submit(h.ask, ask_inputs, ask_outputs, concurrency_limit=4, show_progress="hidden")
    chat.send.click(h.ask, ask_inputs, ask_outputs, concurrency_limit=4, show_progress="hidden")
    chat.chatbot.example_select(h.example, None, chat.box, show_progress="hidden").then(
        h.ask, ask_inputs, ask_outputs, concurrency_limit=4, show_progress="hidden")
    chat.chatbot.clear(h.clear, None, [chat.chatbot, conv])
    chat.clear.click(h.clear, None, [chat.chatbot, conv])
