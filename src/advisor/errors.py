"""One exception family whose messages are shown to users as a single line."""

from __future__ import annotations


class AdvisorError(Exception):
    """Base class: str(err) is a complete, user-facing, one-line message."""

    exit_code = 1


class UserInputError(AdvisorError):
    """The user asked for something malformed (empty query, bad flag value)."""

    exit_code = 2


class MissingPathError(AdvisorError):
    """A path the user named does not exist."""


class NoIndexError(AdvisorError):
    """No index has been built yet in the index directory."""


class IndexCorruptError(AdvisorError):
    """An index exists but cannot be trusted; rebuilding fixes it."""


class IndexBusyError(AdvisorError):
    """Another process holds the index build lock."""


class DocumentError(AdvisorError):
    """One source file could not be read; the rest of the corpus is unaffected."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class CatalogError(AdvisorError):
    """A catalog record is malformed."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class FetchError(AdvisorError):
    """A download failed; nothing half-written is left in place."""


class ModelError(AdvisorError):
    """The embedding model could not be loaded."""


class LLMError(AdvisorError):
    """The LLM server could not be used; the message says why, in one line."""


class UploadRejected(UserInputError):
    """The uploaded file is refused; the message names the file and the reason."""


class StoreError(AdvisorError):
    """The shared (Postgres) store could not answer: unreachable, or the version changed mid-question."""
