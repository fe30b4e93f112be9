"""One error shape for the whole app: ``{"error": {"code", "message"}}`` with the right status for
the API, the same message on an HTML page for the pages; never a stack trace."""

from __future__ import annotations

from vanban.extractor import errors as e

# The most specific class wins (checked in order).
_STATUS: tuple[tuple[type[e.VanbanError], int], ...] = (
    (e.UnsupportedFormatError, 415),
    (e.TooLargeError, 413),
    (e.FileMissingError, 400),
    (e.ConverterMissingError, 501),  # the server lacks antiword/LibreOffice for .doc
    (e.InputError, 422),  # empty, damaged, encrypted, scanned, garbled, timed out
    (e.UsageError, 400),
    (e.StoreError, 503),
)

HTTP_CODES = {
    400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    413: "too_large", 415: "unsupported_media_type", 422: "invalid_request", 500: "internal_error",
    503: "unavailable",
}

HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ (bad request)",
    403: "Không được phép (forbidden)",
    404: "Không tìm thấy trang (not found)",
    405: "Phương thức không được hỗ trợ (method not allowed)",
    413: "Tệp quá lớn (payload too large)",
    415: "Định dạng không được hỗ trợ (unsupported media type)",
    422: "Dữ liệu gửi lên không hợp lệ (invalid request)",
    500: "Lỗi máy chủ; xem nhật ký của vanban serve (internal server error; see the server log)",
    503: "Dịch vụ tạm thời không dùng được (service unavailable)",
}


def status_of(err: e.VanbanError) -> int:
    from vanban.corpus.registry import RegistryError

    if isinstance(err, RegistryError):
        return 503  # the user's registry file is broken: a server-side problem, not the request's
    for cls, status in _STATUS:
        if isinstance(err, cls):
            return status
    return 500


def body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}
