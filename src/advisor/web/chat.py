"""The conversation: history for follow-ups, answers restricted to the previous resources, friendly errors."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Iterator

from ..errors import AdvisorError, IndexCorruptError, NoIndexError, UserInputError
from ..types import Answer, Filters, ResourceMatch, Scope
from .render import esc, reply_markdown, user_markdown
from .status import building_reply

WRITING = "_Writing the answer with the local model…_"

log = logging.getLogger("advisor.web")

MAX_TURNS_KEPT = 20


@dataclass
class Turn:
    question: str
    query: str  # what was searched: the question, or the question with the earlier one it leans on
    resources: list[ResourceMatch] = field(default_factory=list)
    aside: bool = False  # a remark in passing: a follow-up is about the answer before it


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)  # what the Chatbot shows

    @property
    def history(self) -> list[str]:
        """Earlier questions, as searched: a chain of follow-ups keeps its original subject."""
        return [t.query for t in self.turns]

    @property
    def last_resources(self) -> list[ResourceMatch]:
        return next((t.resources for t in reversed(self.turns) if not t.aside), [])

    @property
    def shown(self) -> str | None:
        """The resource the previous answer put first ("something easier?" moves away from it)."""
        return self.last_resources[0].resource.id if self.last_resources else None


def filters_from(free_only: bool = False, kinds=None, levels=None, math_depths=None) -> Filters:
    return Filters(free_only=bool(free_only), kinds=list(kinds or []), levels=list(levels or []),
                   math_depths=list(math_depths or []))


def respond(advisor, question: str, filters: Filters | None, conv: Conversation,
            k_resources: int = 5, k_passages: int = 5) -> str:
    """Answer one message; updates `conv` (turns and messages) and returns the reply Markdown."""
    question = (question or "").strip()
    conv.messages.append({"role": "user", "content": user_markdown(question)})
    reply = _answer(advisor, question, filters or Filters(), conv, k_resources, k_passages)
    conv.messages.append({"role": "assistant", "content": reply})
    if len(conv.turns) > MAX_TURNS_KEPT:
        del conv.turns[:-MAX_TURNS_KEPT]
    return reply


def _answer(advisor, question: str, filters: Filters, conv: Conversation, k_resources: int, k_passages: int) -> str:
    try:
        answer = advisor.ask(question, filters=filters, history=conv.history, shown=conv.shown,
                             previous=conv.last_resources, k_resources=k_resources, k_passages=k_passages)
        conv.turns.append(Turn(question, answer.query or question, answer.resources if answer.covered else [],
                               answer.aside))
        intro = scope_line(answer.scope) if answer.scope else follow_up_line(conv, answer)
        return _render(advisor, answer, intro=intro)
    except Exception as exc:
        return _error_reply(advisor, question, exc)


def scope_line(scope: Scope) -> str:
    """Said first when a follow-up was answered from the previous answer's resources ("which of those ...?")."""
    return esc(scope.describe())


def follow_up_line(conv: Conversation, answer: Answer) -> str | None:
    """Said first when a message was read as a follow-up, so that the learner sees what was answered."""
    if len(conv.turns) < 2 or not answer.follows:
        return None
    earlier = conv.turns[-2].query  # as it was searched: a chain of follow-ups leads with its subject
    return f"_Read with your previous question: “{esc(earlier[:120])}”._"


def _error_reply(advisor, question: str, exc: Exception) -> str:
    """The friendly reply for a failure while answering (the chat must stay up whatever happens)."""
    if isinstance(exc, (NoIndexError, IndexCorruptError)):
        status = advisor.build_status
        if status.running:
            return building_reply(status)
        if isinstance(exc, NoIndexError):
            return ("**There is no index yet.** Open the **Library** tab and click **Rebuild index** "
                    "(or run `advisor index`).")
        return ("**The index is damaged** — " + esc(str(exc)) + ". Open the **Library** tab and click "
                "**Rebuild index** (or run `advisor index --rebuild`).")
    if isinstance(exc, UserInputError):
        return "**Sorry:** " + esc(str(exc))
    if isinstance(exc, AdvisorError):
        return "**Something went wrong:** " + esc(str(exc))
    # the chat must stay up whatever happens in the engine
    log.error("answering %r failed", question, exc_info=exc)
    return f"**Something went wrong** while answering ({esc(type(exc).__name__)}). The details are in the server log."


def _linker(advisor, question: str | None = None):
    """Chunk -> its link on the web app's file route, at the page the question is about (None when not served)."""
    from .render import file_url

    def linker(chunk):
        if advisor.file_path(chunk.path) is None:
            return None
        return file_url(chunk.path, advisor.page_for(chunk, question) if advisor.has_pages(chunk) else None)

    return linker


def _render(advisor, answer: Answer, intro: str | None = None, extra_notes: list[str] | None = None) -> str:
    titles = {rid: r.title for rid, r in advisor.loaded.resources.items()}
    return reply_markdown(answer, titles, _linker(advisor, answer.question), advisor.has_pages, intro=intro, extra_notes=extra_notes)


# --- answers written by a local LLM (advisor.llm) ---------------------------------------------------------
_IMAGE = re.compile(r"!(?=\[)")


def model_markdown(text: str) -> str:
    """The model's validated reply (llm.validate_citations already neutralised its HTML tags) for the chat.

    Its Markdown and LaTeX stay; Markdown images are shown as text: a reply must not make the browser fetch
    URLs that document text could have put in it.
    """
    return _IMAGE.sub("&#33;", text or "")


def respond_stream(advisor, question: str, filters: Filters | None, conv: Conversation, k_resources: int = 5,
                   k_passages: int = 5, llm_config=None) -> Iterator[str]:
    """Like respond(), with the reply written by the local LLM: yields growing reply Markdown snapshots.

    While the model writes, each snapshot is its (validated, sanitised) text so far; the last one is the
    whole reply: the model's text with its cited passages and the resource cards (web file links, escaped
    like respond()'s), or, when the model could not be used, the extractive reply under a one-line note.
    The turn is recorded in `conv` (turns and messages) before the last snapshot. Follow-ups about the
    previous answer's resources ("which of those is free?") are answered extractively, as respond() does.
    """
    question = (question or "").strip()
    filters = filters or Filters()
    history = conv.history
    if advisor.about_previous(question, conv.last_resources):
        reply = _answer(advisor, question, filters, conv, k_resources, k_passages)
    else:
        try:
            from ..config import LLMConfig

            stream = advisor.ask_stream(question, filters=filters, history=history, shown=conv.shown,
                                        k_resources=k_resources, k_passages=k_passages, llm=True,
                                        llm_config=llm_config or LLMConfig.from_env(), linker=_linker(advisor, question))
            for snapshot in stream:
                if stream.used_llm or stream.fallback_reason or stream.messages is None:
                    continue  # the final answer: rendered below, for the web
                yield model_markdown(snapshot)
            reply = _stream_reply(advisor, stream)
            extractive = stream.extractive
            conv.turns.append(Turn(question, extractive.query or question,
                                   extractive.resources if extractive.covered else [], extractive.aside))
        except Exception as exc:
            reply = _error_reply(advisor, question, exc)
    conv.messages.append({"role": "user", "content": user_markdown(question)})
    conv.messages.append({"role": "assistant", "content": reply})
    if len(conv.turns) > MAX_TURNS_KEPT:
        del conv.turns[:-MAX_TURNS_KEPT]
    yield reply


def _stream_reply(advisor, stream) -> str:
    """The finished stream as a chat reply, rendered like the extractive replies."""
    if stream.used_llm:
        return model_markdown(stream.reply or "") + "\n\n" + _render(advisor, stream.answer)
    if stream.fallback_reason:
        note = f"_Local model not used: {esc(stream.fallback_reason)}. Showing the extractive answer._"
        return _render(advisor, stream.extractive, intro=note)
    return _render(advisor, stream.extractive)
