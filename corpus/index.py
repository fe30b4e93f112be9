"""Bulk indexing: walk folders, extract every document in isolated worker processes, store.

The run is resumable and lossless. Every file to index gets its status row (pending) before any
work starts; each finished document is written whole, in one transaction, together with its
paths' status; a run killed at any moment (Ctrl-C, SIGKILL, power cut) leaves only complete
documents and pending rows, and the next run picks up the pending ones.

Each file is parsed in a worker process (a plain ``python`` child talking over pipes) with a time
limit. A worker that runs past the limit
is killed and its file marked failed (VB110); a worker that dies (segfault, out of memory) marks
its file failed and is replaced. Workers are recycled after ``max_tasks_per_child`` files so a
slow leak in a parser cannot grow without bound.

Incremental: a path whose size and mtime are unchanged is not even read again; a path whose
content hash is unchanged costs one hash; a changed file replaces its old document; identical
content under two paths is extracted and stored once, both paths kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.extractor.errors import UsageError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from vanban.corpus.store import DocumentRows, PathState, Store

FORMATS = (".txt", ".md", ".docx", ".pdf", ".doc")
DEFAULT_EXTRACTOR = "vanban.api:extract"
MAX_TASKS_PER_CHILD = 500
BATCH_DOCS = 64  # documents per write transaction …
BATCH_SECONDS = 2.0  # … or this long after the first unwritten one


@dataclass(slots=True)
class IndexSummary:
    """What one run did. ``failed`` counts this run's failures; ``still_failed`` the files that
    failed in earlier runs and were left alone (``--retry-failed`` runs them again)."""

    db: str
    indexed: int = 0  # extracted and stored in this run
    duplicates: int = 0  # new paths whose content was already in the archive
    unchanged: int = 0
    failed: int = 0
    still_failed: int = 0
    skipped: int = 0  # files of other formats
    pruned: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    skipped_formats: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def files_per_second(self) -> float:
        return (self.indexed + self.failed) / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db, "indexed": self.indexed, "duplicates": self.duplicates,
            "unchanged": self.unchanged, "failed": self.failed, "still_failed": self.still_failed,
            "skipped": self.skipped, "pruned": self.pruned, "seconds": round(self.seconds, 3),
            "files_per_second": round(self.files_per_second, 2), "interrupted": self.interrupted,
            "skipped_formats": dict(self.skipped_formats), "failures": list(self.failures),
            "warnings": list(self.warnings),
        }


class Interrupted(KeyboardInterrupt):
    """The run was stopped by Ctrl-C (SIGINT) or SIGTERM. Finished documents are written and the
    workers ended before this is raised; ``summary`` says what was done. Running the same
    ``index`` again resumes. A KeyboardInterrupt, so a caller that does not catch it stops as
    Ctrl-C would stop it."""

    def __init__(self, summary: IndexSummary | None = None, signum: int = signal.SIGINT) -> None:
        super().__init__("indexing interrupted")
        self.summary = summary
        self.signum = signum


# --------------------------------------------------------------------------- walking


@dataclass(frozen=True, slots=True)
class _Found:
    path: str
    size: int
    mtime: float
    format: str


def _ignored(name: str) -> bool:
    # Hidden files and Office lock files ("~$Kế hoạch.docx") are not documents.
    return name.startswith((".", "~$"))


def walk(roots: Sequence[str]) -> tuple[list[_Found], Counter[str]]:
    """Supported files under ``roots`` (files may be given directly), and the skipped extensions."""
    found: dict[str, _Found] = {}
    skipped: Counter[str] = Counter()

    def consider(path: str) -> None:
        name = os.path.basename(path)
        ext = os.path.splitext(name)[1].lower()
        if _ignored(name) or ext not in FORMATS:
            skipped[ext or "(none)"] += 1
            return
        try:
            st = os.stat(path)
        except OSError:
            skipped["(unreadable)"] += 1
            return
        found[path] = _Found(path, st.st_size, st.st_mtime, ext[1:])

    for root in roots:
        if os.path.isfile(root):
            consider(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                consider(os.path.join(dirpath, name))
    return sorted(found.values(), key=lambda f: f.path), skipped


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _roots(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    out = []
    for p in paths:
        path = Path(p).expanduser()
        if not path.exists():
            raise UsageError(f"không tìm thấy thư mục hoặc tệp (no such folder or file): {path}")
        out.append(str(path.resolve()))
    return out


# --------------------------------------------------------------------------- workers


def _load_extractor(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(module), name or "extract")
    return fn


def _findings(doc: Any) -> tuple[Sequence[Any], str | None]:
    """Run the rule packs when the rule engine is installed; its absence only means no findings."""
    from vanban.extractor.errors import VanbanError

    try:
        from vanban.api import check

        report = check(doc)
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("vanban.rules"):
            return (), None
        raise
    except VanbanError as err:
        return (), str(err)
    return tuple(report.findings) + tuple(getattr(report, "manual_checks", ())), None


def extract_rows(path: str, sha256: str, extractor: str = DEFAULT_EXTRACTOR, run_check: bool = True
                 ) -> DocumentRows:
    """Extract one file into the rows the store writes (what a worker does for each job)."""
    from vanban.corpus.store import document_rows
    from vanban.extractor.errors import InputError

    doc = _load_extractor(extractor)(path)
    if doc.source.sha256 and doc.source.sha256 != sha256:
        raise InputError("tệp thay đổi trong khi đang lập chỉ mục; chạy lại (file changed while indexing)",
                         path=path)
    findings, check_error = _findings(doc) if run_check else ((), None)
    rows = document_rows(doc, findings, check_error=check_error)
    return rows if rows.sha256 == sha256 else replace(rows, sha256=sha256)


def _worker_main() -> None:
    """One worker process: take (path, sha256) jobs from stdin until told to stop or the parent
    goes away; answer on the original stdout. Anything a parser prints goes to stderr instead,
    so it can never corrupt the answers."""
    from multiprocessing.connection import Connection

    from vanban.extractor.errors import VanbanError, plain_warnings

    plain_warnings()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    jobs = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    extractor, run_check = sys.argv[1], sys.argv[2] == "1"
    try:
        _load_extractor(extractor)
    except Exception as err:
        answers.send(("fatal", f"{extractor}: {type(err).__name__}: {err}"))
        return
    answers.send(("ready",))
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, sha = job
        try:
            result: Any = ("ok", extract_rows(path, sha, extractor, run_check))
        except VanbanError as err:
            result = ("error", err.code, str(err))
        except Exception as err:  # a bug in a parser must cost one file, not the run
            result = ("error", "VB000", f"{path}: lỗi nội bộ khi trích xuất (internal error): "
                                        f"{type(err).__name__}: {err}")
        try:
            answers.send(result)
        except OSError:
            return


# The child imports the very vanban package the parent runs (first on its path), whatever the
# working directory holds, then the parent's own path (for user extractors).
_BOOT = ("import json, os, sys; sys.argv[1:] = json.loads(os.environ.pop('VANBAN_WORKER_ARGS')); "
         "sys.path[:] = json.loads(os.environ.pop('VANBAN_WORKER_PATH')); "
         "from vanban.corpus.index import _worker_main; _worker_main()")


@dataclass(slots=True)
class _Worker:
    process: subprocess.Popen[bytes]
    jobs: Connection
    answers: Connection
    job: tuple[str, str] | None = None
    started: float = 0.0
    done: int = 0


class _Pool:
    """A handful of worker processes (plain ``python -c`` children talking over pipes: no fork of
    a process holding database connections, no re-import of the caller's ``__main__``) with a
    per-job time limit."""

    def __init__(self, n: int, extractor: str, run_check: bool, timeout_s: float, max_tasks: int) -> None:
        import json

        import vanban

        # Not resolved: an editable install links the package from a tree of its own.
        package_root = str(Path(os.path.abspath(vanban.__file__)).parent.parent)
        self.env = dict(os.environ, VANBAN_WORKER_PATH=json.dumps([package_root, *sys.path]),
                        VANBAN_WORKER_ARGS=json.dumps([extractor, "1" if run_check else "0"]))
        self.timeout_s = timeout_s
        self.max_tasks = max_tasks
        self.workers = [self._start() for _ in range(n)]
        for w in self.workers:
            self._handshake(w)

    def _handshake(self, w: _Worker) -> None:
        """Wait for the worker to load the extractor: a worker that cannot is a setup error for the
        whole run, not a failure of every file."""
        reason = "không phản hồi (no answer)"
        if w.answers.poll(120):
            try:
                msg = w.answers.recv()
            except (EOFError, OSError):
                msg = ("fatal", f"tiến trình kết thúc với mã {w.process.wait(5)} (exited)")
            if msg[0] == "ready":
                return
            reason = msg[1]
        self.close()
        raise UsageError(f"không khởi động được tiến trình trích xuất (cannot start the extraction worker): "
                         f"{reason}")

    def _start(self) -> _Worker:
        from multiprocessing.connection import Connection

        proc = subprocess.Popen([sys.executable, "-c", _BOOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                env=self.env, close_fds=True)
        assert proc.stdin is not None and proc.stdout is not None
        jobs = Connection(os.dup(proc.stdin.fileno()), readable=False)
        answers = Connection(os.dup(proc.stdout.fileno()), writable=False)
        proc.stdin.close()
        proc.stdout.close()
        return _Worker(proc, jobs, answers)

    @staticmethod
    def _stop(w: _Worker, *, kill: bool) -> None:
        if kill:
            w.process.kill()
        else:
            with contextlib.suppress(OSError):
                w.jobs.send(None)
        try:
            w.process.wait(5)
        except subprocess.TimeoutExpired:
            w.process.kill()
            w.process.wait(5)
        w.jobs.close()
        w.answers.close()

    def _replace(self, w: _Worker, *, kill: bool) -> None:
        self._stop(w, kill=kill)
        fresh = self._start()
        self.workers[self.workers.index(w)] = fresh
        self._handshake(fresh)

    def idle(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is None]

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is not None]

    def submit(self, w: _Worker, job: tuple[str, str]) -> bool:
        try:
            w.jobs.send(job)
        except OSError:
            self._replace(w, kill=True)
            return False
        w.job, w.started = job, time.monotonic()
        return True

    def collect(self, wait_s: float) -> Iterator[tuple[tuple[str, str], Any]]:
        """Finished jobs as ``(job, result)``; result is DocumentRows or ``(code, message)``."""
        from multiprocessing.connection import wait

        busy = self.busy()
        if not busy:
            return
        ready = wait([w.answers for w in busy], timeout=wait_s)
        now = time.monotonic()
        for w in busy:
            job = w.job
            assert job is not None
            if w.answers in ready:
                try:
                    msg = w.answers.recv()
                except (EOFError, OSError):
                    try:
                        code = w.process.wait(2)
                    except subprocess.TimeoutExpired:
                        code = None
                    how = f"tín hiệu {-code}" if code is not None and code < 0 else f"mã {code}"
                    w.job = None
                    self._replace(w, kill=True)
                    yield job, ("VB000", f"{job[0]}: tiến trình trích xuất bị dừng đột ngột ({how}) "
                                         f"(extraction worker died)")
                    continue
                w.job = None
                w.done += 1
                if w.done >= self.max_tasks:
                    self._replace(w, kill=False)
                yield job, (msg[1] if msg[0] == "ok" else (msg[1], msg[2]))
            elif now - w.started > self.timeout_s:
                w.job = None
                self._replace(w, kill=True)
                yield job, ("VB110", f"{job[0]}: trích xuất quá {self.timeout_s:g} giây, đã dừng "
                                     f"(extraction ran past the time limit)")

    def next_deadline(self) -> float:
        busy = self.busy()
        if not busy:
            return 0.5
        return max(0.05, min(w.started + self.timeout_s for w in busy) - time.monotonic())

    def close(self) -> None:
        for w in self.workers:
            self._stop(w, kill=w.job is not None)


# --------------------------------------------------------------------------- progress


class _Progress:
    def __init__(self, enabled: bool, total: int, label: str) -> None:
        self.bar: Any = None
        self.task: Any = None
        if not enabled or total == 0:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            # The average since the start: steadier than rich's recent-window speed when results
            # arrive in bursts from several workers.
            def render(self, task: Any) -> Text:
                elapsed = task.finished_time or task.elapsed
                speed = task.completed / elapsed if elapsed and task.completed else None
                return Text(f"{speed:.1f} tệp/s" if speed else "… tệp/s", style="progress.data.speed")

        self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            Rate(), TimeElapsedColumn(), TextColumn("còn"), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=False)
        self.bar.start()
        self.task = self.bar.add_task(label, total=total)

    def advance(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, n)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


# --------------------------------------------------------------------------- the run


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def index(
    paths: Sequence[str | os.PathLike[str]],
    *,
    db: str | os.PathLike[str] | Store | None = None,
    workers: int | None = None,
    prune: bool = False,
    retry_failed: bool = False,
    progress: bool = True,
    timeout_s: float = 60,
    extractor: str = DEFAULT_EXTRACTOR,
    check: bool = True,
    max_tasks_per_child: int = MAX_TASKS_PER_CHILD,
) -> IndexSummary:
    """Index the documents under ``paths`` (folders or files) into the archive ``db``.

    Raises ``Interrupted`` (with the summary so far) on Ctrl-C or SIGTERM, after writing every
    finished document; running it again resumes.

    ``extractor`` names the function that turns a path into an ``ExtractedDocument``
    (``"module:function"``, default ``vanban.api:extract``); ``check`` stores rule findings when
    the rule engine is installed. ``retry_failed`` runs again only the files that failed before.
    """
    from vanban.corpus.store import FileToIndex, open_store

    if workers is not None and workers < 1:
        raise UsageError(f"--workers phải ≥ 1 (got {workers})")
    if timeout_s <= 0:
        raise UsageError(f"--timeout phải > 0 (got {timeout_s})")
    roots = _roots(paths)
    started = time.monotonic()
    store, owned = open_store(db)
    summary = IndexSummary(db=store.display_url)
    old_term = _trap_sigterm()
    try:
        _sync_registry(store, summary)
        found, skipped = walk(roots)
        summary.skipped = sum(skipped.values())
        summary.skipped_formats = dict(skipped)
        states = store.path_states(roots)
        if prune:
            summary.pruned = store.prune(roots, {f.path for f in found})
        todo, touched = _plan(found, states, summary, retry_failed=retry_failed, store=store)
        store.touch_paths(touched)
        plan = store.mark_pending([FileToIndex(f.path, sha, f.size, f.mtime, f.format) for f, sha in todo],
                                  retry_failed=retry_failed)
        jobs: dict[str, str] = {}
        for f, sha in todo:
            action = plan[sha]
            if action == "extract":
                jobs.setdefault(sha, f.path)
            elif action == "indexed":
                summary.duplicates += 1
            else:
                summary.still_failed += 1
        # Copies of content being extracted now are done when it is.
        copies = Counter(sha for _f, sha in todo if plan[sha] == "extract")
        _run_jobs(store, jobs, copies, summary, workers=workers or default_workers(), timeout_s=timeout_s,
                  extractor=extractor, run_check=check, max_tasks=max_tasks_per_child, show=progress)
    except KeyboardInterrupt as err:
        summary.interrupted = True
        signum = err.signum if isinstance(err, Interrupted) else signal.SIGINT
        raise Interrupted(summary, signum) from None
    finally:
        _restore_sigterm(old_term)
        summary.seconds = time.monotonic() - started
        if owned:
            store.close()
    return summary


def _plan(found: list[_Found], states: dict[str, PathState], summary: IndexSummary, *, retry_failed: bool,
          store: Store) -> tuple[list[tuple[_Found, str]], list[tuple[str, int, float]]]:
    """Which files need work: (file, sha256) pairs, and unchanged files with a new mtime."""
    from vanban.corpus.store import extractor_version

    version = extractor_version()
    todo: list[tuple[_Found, str]] = []
    touched: list[tuple[str, int, float]] = []
    for f in found:
        st = states.get(f.path)
        done = st is not None and st.status in ("indexed", "failed") and st.sha256 is not None
        current = done and st is not None and (st.status == "failed" or st.doc_version == version)
        if retry_failed:
            # Only files that failed before; everything else is left as it is.
            if st is None or st.status != "failed":
                summary.unchanged += st is not None
                continue
        elif current and st is not None and st.size == f.size and st.mtime == f.mtime:
            summary.unchanged += 1
            summary.still_failed += st.status == "failed"
            continue
        try:
            sha = _sha256(f.path)
        except OSError as err:
            store.path_failed(f.path, "VB101", f"{f.path}: không đọc được tệp: {err.strerror}",
                              size=f.size, mtime=f.mtime, format=f.format)
            summary.failed += 1
            summary.failures.append({"path": f.path, "code": "VB101", "message": err.strerror})
            continue
        if not retry_failed and current and st is not None and st.sha256 == sha:
            summary.unchanged += 1
            summary.still_failed += st.status == "failed"
            touched.append((f.path, f.size, f.mtime))
            continue
        todo.append((f, sha))
    return todo, touched


def _run_jobs(store: Store, jobs: dict[str, str], copies: Counter[str], summary: IndexSummary, *,
              workers: int, timeout_s: float, extractor: str, run_check: bool, max_tasks: int,
              show: bool) -> None:
    if not jobs:
        return
    queue = deque((path, sha) for sha, path in jobs.items())
    bar = _Progress(show, sum(copies.values()), "Lập chỉ mục")
    pool = _Pool(min(workers, len(queue)), extractor, run_check, timeout_s, max_tasks)
    buffer: list[Any] = []
    counts: list[tuple[str, bool]] = []  # (sha, ok) of buffered results, counted once written
    first_unwritten = 0.0

    def flush() -> None:
        nonlocal first_unwritten
        if not buffer:
            return
        store.write_batch(buffer)
        for sha, ok in counts:
            n = copies[sha]
            if ok:
                summary.indexed += 1
                summary.duplicates += n - 1
            else:
                summary.failed += n
        buffer.clear()
        counts.clear()
        first_unwritten = 0.0

    try:
        while queue or pool.busy():
            for w in pool.idle():
                if not queue:
                    break
                job = queue.popleft()
                if not pool.submit(w, job):
                    queue.appendleft(job)
            for (path, sha), result in pool.collect(min(pool.next_deadline(), 0.5)):
                if isinstance(result, tuple):
                    code, message = result
                    buffer.append((sha, code, message))
                    summary.failures.append({"path": path, "code": code, "message": message})
                    counts.append((sha, False))
                else:
                    buffer.append(result)
                    counts.append((sha, True))
                bar.advance(copies[sha])
                if not first_unwritten:
                    first_unwritten = time.monotonic()
            if len(buffer) >= BATCH_DOCS or (buffer and time.monotonic() - first_unwritten > BATCH_SECONDS):
                flush()
        flush()
    except KeyboardInterrupt:
        flush()  # documents already extracted are kept; a second Ctrl-C here loses only them
        raise
    finally:
        pool.close()
        bar.stop()


def _sync_registry(store: Store, summary: IndexSummary) -> None:
    """Load the regulation registry's rows so queries can name cited central documents. A broken
    user registry file is reported, not fatal: indexing does not depend on it."""
    from vanban.corpus.registry import Registry
    from vanban.extractor.errors import VanbanError

    try:
        registry = Registry.load_default()
    except VanbanError as err:
        summary.warnings.append(str(err))
        return
    store.sync_registry(registry)


def _trap_sigterm() -> Any:
    """Turn SIGTERM into an orderly stop (finished documents written, workers ended)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: Any) -> None:
        raise Interrupted(None, signal.SIGTERM)

    return signal.signal(signal.SIGTERM, handler)


def _restore_sigterm(old: Any) -> None:
    if old is not None:
        signal.signal(signal.SIGTERM, old)
