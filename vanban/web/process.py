"""From a received upload to an extraction, a check report and, for the report page, a session
with the annotated .docx. Runs in a worker thread (extraction is CPU bound); the upload's
working folder is deleted as soon as the work is done, whatever happens."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from vanban.extractor.errors import EmptyFileError, VanbanError
from vanban.web.sessions import Session

if TYPE_CHECKING:
    from vanban.extractor.model import ExtractedDocument
    from vanban.rules.model import CheckReport
    from vanban.web.state import WebState
    from vanban.web.uploads import Upload

log = logging.getLogger("vanban.web")


def _ingestable(upload: Upload) -> str:
    """The format read from the content (magic bytes), not the name; the file is renamed to
    match so that converters and the .docx annotator see the right suffix."""
    from vanban.extractor.ingest import sniff

    with upload.path.open("rb") as fh:
        head = fh.read()
    if not head:
        raise EmptyFileError("tệp rỗng (the file is empty, 0 bytes)", path=upload.name)
    fmt = sniff(head, upload.name)
    target = upload.path.with_name(f"upload.{fmt}")
    upload.path.rename(target)
    upload.path = target
    return fmt


def extract_upload(upload: Upload) -> ExtractedDocument:
    from vanban.api import extract

    try:
        _ingestable(upload)
        return extract(upload.path, name=upload.name)
    finally:
        upload.discard()


def check_upload(upload: Upload, state: WebState) -> CheckReport:
    from vanban.api import check, extract

    try:
        _ingestable(upload)
        return check(extract(upload.path, name=upload.name), registry=state.registry())
    finally:
        upload.discard()


def check_for_page(upload: Upload, state: WebState, *, store: bool) -> Session:
    """Check an upload, write the annotated .docx (for .docx uploads) into a new session and,
    when asked, store the draft in the archive."""
    from vanban.api import check, extract

    token, folder = state.sessions.new_folder()
    try:
        fmt = _ingestable(upload)
        doc = extract(upload.path, name=upload.name)
        report = check(doc, registry=state.registry())
        session = Session(token=token, report=report, name=upload.name, format=fmt, folder=folder)
        if fmt == "docx":
            from vanban.rules.report.docx import annotate

            try:
                session.annotated = folder / "annotated.docx"
                session.comments = annotate(report, upload.path, session.annotated)
            except VanbanError as err:
                session.annotated = None
                session.annotate_error = str(err)
        if store:
            try:
                session.stored_id = state.store().write_document(doc, report.findings)
            except VanbanError as err:
                session.store_error = str(err)
    except BaseException:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        upload.discard()
    # The ingested structure (blocks, origins) was needed only by the annotator.
    session.report = replace(report, document=replace(doc, ingested=None))
    state.sessions.add(session)
    return session
