"""Property-based tests of the REST API from its own OpenAPI schema (schemathesis): whatever
parameters and uploads the schema allows, or breaks, the server never answers with a 5xx, every
status it sends is one it documents, and every body matches its declared schema.

The schema is loaded when the module is imported (schemathesis' lazy fixture loader does not work
with pytest 9); building the app opens nothing, and the archive it points to is filled by a
module fixture before the first request.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from tests.web_support import seed_archive  # noqa: E402

EXAMPLES = 25
_TMP = Path(tempfile.mkdtemp(prefix="vanban-schemathesis-"))
_DB = f"sqlite:///{_TMP / 'archive.sqlite'}"
atexit.register(shutil.rmtree, _TMP, True)  # also when the module is collected but not run


def _app() -> Any:
    from vanban.web.app import create_app

    # A small upload limit, so generated bodies also reach the 413 path.
    return create_app(db=_DB, max_upload_bytes=64 * 1024, data_dir=_TMP / "data")


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@pytest.fixture(scope="module", autouse=True)
def _archive() -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    mp.setenv("VANBAN_HOME", str(_TMP / "home"))
    seed_archive(_DB)
    yield
    mp.undo()
    shutil.rmtree(_TMP, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_never_fails_with_a_server_error(case: Any) -> None:
    case.call_and_validate(checks=[checks.not_a_server_error, checks.status_code_conformance,
                                   checks.content_type_conformance, checks.response_schema_conformance])
