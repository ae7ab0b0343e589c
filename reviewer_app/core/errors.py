"""The one exception hierarchy of the application.

Core code raises these and holds no user-facing prose: every error carries a stable
``code`` and the ``params`` a message needs. The CLI and the GUI turn them into
translated sentences through :func:`reviewer_app.i18n.describe_error`, looking up
``error.<code>`` in the catalogs under ``resources/i18n``. A test checks that every
code defined here has a message in every language.

Subclasses set ``code`` as a class attribute; an instance may override it when one
class covers several closely related problems (``RubricError`` names the problem in
``code`` so the message can say exactly what is wrong).
"""

from __future__ import annotations

from typing import Any, ClassVar


class ReviewerAppError(Exception):
    """Base of every error the application expects and can explain to a user."""

    code: ClassVar[str] = "internal"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        if code is not None:
            self.code = code  # type: ignore[misc]  # instance override of the class default
        self.params: dict[str, Any] = params
        super().__init__(self.code, params)

    def __str__(self) -> str:  # for logs and developers; users see the translated text
        detail = ", ".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        return f"{self.code}({detail})" if detail else self.code

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep errors picklable across process boundaries (background workers).
        return (_rebuild_error, (type(self), self.code, self.params))


def _rebuild_error(cls: type[ReviewerAppError], code: str, params: dict[str, Any]) -> ReviewerAppError:
    err = cls.__new__(cls)
    ReviewerAppError.__init__(err, code, **params)
    return err


# --- rubric -------------------------------------------------------------------------


class RubricError(ReviewerAppError):
    """A rubric file cannot be used.

    ``code`` is ``rubric.<problem>``; params always include ``file`` and ``where``
    (the item, group or section concerned, or ``"top level"`` for the file as a whole).
    """

    code: ClassVar[str] = "rubric.invalid"


# --- entries and scoring ------------------------------------------------------------


class EntryError(ReviewerAppError):
    """An entry cannot be recorded as given (unknown item, mark not on the scale, …)."""

    code: ClassVar[str] = "entry.invalid"


# --- bundles and keys ---------------------------------------------------------------


class BundleError(ReviewerAppError):
    """Base for everything that can be wrong with an assignment or result bundle."""

    code: ClassVar[str] = "bundle.invalid"


class BundleFormatError(BundleError):
    """Not a bundle of ours, an unknown format version, a truncated or malformed container."""

    code: ClassVar[str] = "bundle.format"


class BundleLimitError(BundleError):
    """A declared or actual size exceeds the limits in the format specification."""

    code: ClassVar[str] = "bundle.limit"


class BundleIntegrityError(BundleError):
    """Authenticated decryption failed or a digest does not match: the bytes were altered."""

    code: ClassVar[str] = "bundle.integrity"


class BundleSignatureError(BundleError):
    """The signature does not verify, or the signer is not the key pinned for the round."""

    code: ClassVar[str] = "bundle.signature"


class WrongSecretError(BundleError):
    """The passphrase (or private key) does not unlock this bundle."""

    code: ClassVar[str] = "bundle.wrong_secret"


class ResultRejectedError(BundleError):
    """A result bundle is authentic but does not belong here.

    ``code`` names the outcome: ``bundle.result.wrong_round``, ``.wrong_reviewer``,
    ``.not_issued``, ``.stale_revision``, ``.duplicate``, ``.rubric_mismatch``,
    ``.unknown_proposal`` …
    """

    code: ClassVar[str] = "bundle.result.rejected"


class KeyStoreError(ReviewerAppError):
    """A key cannot be created, found, stored or unlocked."""

    code: ClassVar[str] = "keys.error"


class KeyNotFoundError(KeyStoreError):
    code: ClassVar[str] = "keys.not_found"


class KeyringUnavailableError(KeyStoreError):
    """No usable OS keyring; callers fall back to asking for the secret again."""

    code: ClassVar[str] = "keys.no_keyring"


class KeyFileError(KeyStoreError):
    """A passphrase-protected key file is malformed or the passphrase is wrong."""

    code: ClassVar[str] = "keys.file"


# --- the reviewer's workspace -------------------------------------------------------


class StoreError(ReviewerAppError):
    """The local database cannot be opened, upgraded or written."""

    code: ClassVar[str] = "store.error"


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the application."""

    code: ClassVar[str] = "store.schema_too_new"


class AuditChainError(StoreError):
    """The audit log's hash chain does not verify."""

    code: ClassVar[str] = "store.audit_chain"


class WorkspaceError(ReviewerAppError):
    """A workspace operation is refused (unknown bundle, locked bundle, conflicted proposal …)."""

    code: ClassVar[str] = "workspace.error"


class ExportBlockedError(WorkspaceError):
    """Export refused: blocking findings remain or a distribution justification is missing.

    ``params["findings"]`` holds the blocking findings.
    """

    code: ClassVar[str] = "workspace.export_blocked"


# --- printed documents --------------------------------------------------------------


class SheetError(ReviewerAppError):
    """A score sheet or panel document cannot be produced."""

    code: ClassVar[str] = "sheets.error"


# --- files in general ---------------------------------------------------------------


class InputFileError(ReviewerAppError):
    """A file the user named cannot be read (missing, unreadable, wrong type)."""

    code: ClassVar[str] = "file.unreadable"


class OutputPathError(ReviewerAppError):
    """An output path cannot be written as asked.

    ``code`` names the problem: ``file.output.exists`` (a regular file is there and replacing
    it was not asked for), ``file.output.not_regular`` (a folder, device, FIFO or symlink is
    there: never replaced), ``file.output.no_folder`` (the folder it names does not exist: we
    never create folders the user did not name). ``params["path"]`` is the path.
    """

    code: ClassVar[str] = "file.output.invalid"


# --- text people type or files carry --------------------------------------------------


class TextError(ReviewerAppError):
    """A text cannot be accepted as given (see ``core/text.py`` for the rule).

    ``code`` names the problem: ``text.not_utf8`` (bytes that are not UTF-8), ``text.too_long.<kind>``
    (``length`` and ``limit`` in characters), ``text.control_char`` (an id or title holding a
    control or bidi character: ``field`` and ``char``), ``text.label_too_long``.
    """

    code: ClassVar[str] = "text.invalid"


# --- the secretariat's workspace ----------------------------------------------------


class SecretariatError(ReviewerAppError):
    """A secretariat operation is refused (unknown round, proposal or reviewer, a decision out of turn …).

    ``code`` is ``secretariat.<problem>``.
    """

    code: ClassVar[str] = "secretariat.error"


class RoundSetupError(SecretariatError):
    """A round's setup folder has problems; ``params["problems"]`` holds every one of them.

    Each problem is a ``SetupProblem`` (file, line, column, code, params): validation reports
    all problems at once so the secretariat can fix the folder in one pass.
    """

    code: ClassVar[str] = "secretariat.setup.invalid"


class ResultImportError(SecretariatError):
    """One result bundle cannot be imported; the import report carries it per file, never stops the batch.

    ``code`` is ``secretariat.import.<problem>`` (payload problems: ``secretariat.import.payload.<problem>``).
    """

    code: ClassVar[str] = "secretariat.import.rejected"
