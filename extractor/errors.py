"""The one exception tree of vanban.

    VanbanError                      code      exit
    ├── InputError                   VB1xx     2   the user's file cannot be read as a document
    │   ├── FileMissingError         VB101
    │   ├── EmptyFileError           VB102
    │   ├── UnsupportedFormatError   VB103
    │   ├── CorruptFileError         VB104     (bad zip/xml/pdf, truncated, binary junk)
    │   ├── EncryptedFileError       VB105     (password-protected .docx/.pdf/.doc)
    │   ├── TooLargeError            VB106     (file or decompressed size over the limit, zip bombs)
    │   ├── ScannedDocumentError     VB107     (PDF without a text layer; OCR not requested)
    │   ├── EncodingError            VB108     (text that decodes to nothing Vietnamese)
    │   ├── ConverterMissingError    VB109     (.doc without antiword/LibreOffice installed)
    │   └── ConversionTimeoutError   VB110     (a converter or parser ran past its limit)
    ├── RulePackError                VB2xx     2   a rule pack is invalid (names file, line, key)
    ├── StoreError                   VB3xx     2   the archive database cannot be used
    ├── UsageError                   VB4xx     2   bad options
    └── ModelError                   VB5xx     2   a shipped model artifact cannot be used
                                                   (extraction falls back to the rules)

Every message names the file it is about, so a line in a batch log stands on its own.
"""

from __future__ import annotations

import warnings
from pathlib import Path


class VanbanError(Exception):
    """Root of every error vanban raises on purpose."""

    code = "VB000"

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": str(self)}


class InputError(VanbanError):
    code = "VB100"


class FileMissingError(InputError):
    code = "VB101"


class EmptyFileError(InputError):
    code = "VB102"


class UnsupportedFormatError(InputError):
    code = "VB103"


class CorruptFileError(InputError):
    code = "VB104"


class EncryptedFileError(InputError):
    code = "VB105"


class TooLargeError(InputError):
    code = "VB106"


class ScannedDocumentError(InputError):
    code = "VB107"


class EncodingError(InputError):
    code = "VB108"


class ConverterMissingError(InputError):
    code = "VB109"


class ConversionTimeoutError(InputError):
    code = "VB110"


class RulePackError(VanbanError):
    code = "VB200"


class StoreError(VanbanError):
    code = "VB300"


class UsageError(VanbanError):
    code = "VB400"


class ModelError(VanbanError):
    code = "VB500"


def _plain(message: Warning | str, category: type[Warning], filename: str, lineno: int,
           line: str | None = None) -> str:
    return f"vanban: warning: {message}\n"


def plain_warnings() -> None:
    """Show warnings as one line for the user (the command line, index workers): the warnings
    vanban gives on purpose (an unusable model file) name their file already, and the Python
    source line that raised them means nothing to a user."""
    warnings.formatwarning = _plain
