"""One exception root, :class:`PublishError`, and an exit code per kind.

The CLI is the only place that turns these into exit codes and messages
(pandoc's ``PandocError`` and its exit codes are the model). Every message is
one line that names the file and the problem; a traceback is shown only with
``--traceback``.

========================  ====  ==============================================
kind                      exit  meaning
========================  ====  ==============================================
UsageError                2     bad command line or options
InputError                65    input cannot be read or decoded: empty,
                                binary, unsure encoding, corrupt zip, XML-
                                illegal characters
UnsupportedFormatError    66    no normaliser for this input, or suffix and
                                content disagree
InvalidTEIError           67    a TEI tree is invalid against a schema
ValidationError           67    ``publish validate``: some file is invalid
RenderError               70    rendering failed: missing glyph, WeasyPrint
                                or ebooklib error, refused resource
StrictError               71    ``--strict`` and a warning was logged
WriteError                73    an output cannot be written (disk full,
                                permissions)
DepositError              74    deposit or preservation refused, or a bag or
                                OCFL object failed verification
Interrupted               130   stopped by Ctrl-C (128 + SIGINT)
(any other exception)     1     a bug; traceback only with ``--traceback``
========================  ====  ==============================================

This docstring is the one table of exit codes; README.md's table is checked
against the classes by the tests. Every exit code the CLI returns comes from
one of these classes.
"""

from __future__ import annotations

from pathlib import Path


class PublishError(Exception):
    """Root of every error the user can cause; ``exit_code`` says which kind."""

    exit_code = 1

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as the CLI prints it: ``path: problem``, one line."""
        text = " ".join(self.message.split())
        return f"{self.path}: {text}" if self.path is not None else text


class UsageError(PublishError):
    """Bad command line or options."""

    exit_code = 2


class InputError(PublishError):
    """The input cannot be read or decoded."""

    exit_code = 65


class UnsupportedFormatError(PublishError):
    """No normaliser takes this input, or its suffix and content disagree."""

    exit_code = 66


class InvalidTEIError(PublishError):
    """A TEI tree is invalid against the package schema or TEI P5."""

    exit_code = 67


class ValidationError(PublishError):
    """``publish validate`` found at least one invalid file (each is named on stderr)."""

    exit_code = 67


class RenderError(PublishError):
    """A renderer failed: missing glyph, refused resource, library error."""

    exit_code = 70


class StrictError(PublishError):
    """A warning was logged and ``--strict`` makes warnings fatal."""

    exit_code = 71


class WriteError(PublishError):
    """An output cannot be written (sysexits.h ``EX_CANTCREAT``)."""

    exit_code = 73


class DepositError(PublishError):
    """A deposit or preservation was refused, or a bag or OCFL object failed verification."""

    exit_code = 74


class Interrupted(PublishError):
    """The user stopped the command (Ctrl-C): 128 + SIGINT, as shells report it."""

    exit_code = 130


#: Every kind of error and its exit code, the root (a bug) included.
EXIT_CODES = {cls.__name__: cls.exit_code for cls in (PublishError, *PublishError.__subclasses__())}
