"""Fixtures for the archive tests: one archive per test on each engine, a stand-in extractor, and
a small corpus of plans that cite one another.

``archive_db`` is parametrized over SQLite (a file in tmp_path) and PostgreSQL (a throwaway
server started once per session, or ``VANBAN_TEST_PG_URL``; skipped with the reason when neither
is possible). Registered from tests/conftest.py through ``pytest_plugins``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import FIXTURES, REAL, ROOT

FAKE_DIR = FIXTURES / "archive"
FAKE = "fake_extract:extract"

# --------------------------------------------------------------------------- engines


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    from tests.pg_server import Unavailable, throwaway_postgres

    try:
        with throwaway_postgres() as url:
            yield url
    except Unavailable as err:
        pytest.skip(f"PostgreSQL not available: {err}")


@pytest.fixture(scope="session")
def pg_database(pg_server: str) -> Iterator[str]:
    """One migrated database for the session; tests get it emptied (see ``archive_db``)."""
    from vanban.corpus.store import Store

    from tests.pg_server import create_database, drop_database

    url = create_database(pg_server)
    Store.open(url).close()
    yield url
    drop_database(pg_server, url)


def empty_postgres(url: str) -> None:
    from sqlalchemy import text
    from vanban.corpus import schema
    from vanban.corpus.store import Store

    names = ", ".join(t.name for t in schema.metadata.sorted_tables)
    with Store.open(url) as store, store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty archive, on each engine in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite'}"
    url = request.getfixturevalue("pg_database")
    empty_postgres(url)
    return url


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.sqlite'}"


# --------------------------------------------------------------------------- extractor


@pytest.fixture
def worker_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes start with the parent's sys.path. Under pytest the checkout root is on it,
    and its bare ``vanban/`` folder would shadow the installed package there; drop it, and add the
    stand-in extractor's folder."""
    kept = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    monkeypatch.setattr(sys, "path", [str(FAKE_DIR), *kept])


@pytest.fixture
def fake_extractor(worker_path: None) -> str:
    return FAKE


def real_pipeline_available() -> bool:
    try:
        import vanban

        vanban.extract(b"K\xe1\xba\xbe HO\xe1\xba\xa0CH\nS\xe1\xbb\x91: 1/KH-UBND\n", name="probe.txt")
    except ImportError:
        return False
    except Exception:
        return True
    return True


# --------------------------------------------------------------------------- corpus

PLANS: dict[str, str] = {
    "tinh/120-kh-tu.txt": """TỈNH ỦY BẮC GIANG
Số 120-KH/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Bắc Giang, ngày 15 tháng 01 năm 2024

KẾ HOẠCH
thực hiện phong trào thi đua “Dân vận khéo” giai đoạn 2024 - 2025

Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương Đảng về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận, Ban Thường vụ Tỉnh ủy xây dựng kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
Đẩy mạnh phong trào thi đua “Dân vận khéo” trong hệ thống chính trị.
II. TỔ CHỨC THỰC HIỆN
Ban Dân vận Tỉnh ủy tổng hợp kết quả, báo cáo trước ngày 30/11/2025.
""",
    "huyen/18-kh-hu.txt": """HUYỆN ỦY LẠNG GIANG
Số 18-KH/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Lạng Giang, ngày 20 tháng 02 năm 2024

KẾ HOẠCH
triển khai phong trào thi đua dân vận khéo năm 2024

Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương Đảng;
Thực hiện Kế hoạch số 120-KH/TU ngày 15/01/2024 của Ban Thường vụ Tỉnh ủy, Ban Thường vụ Huyện ủy xây dựng kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng công tác dân vận của các cấp ủy đảng.
II. TỔ CHỨC THỰC HIỆN
Ban Dân vận Huyện ủy hướng dẫn các xã đăng ký mô hình trước ngày 30/6/2024.
Văn phòng Huyện ủy tổng hợp kết quả trước ngày 15/12/2024.
""",
    "xa-an-phu/45-kh-du.txt": """ĐẢNG ỦY XÃ AN PHÚ
Số 45-KH/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
An Phú, ngày 10 tháng 3 năm 2024

KẾ HOẠCH
thực hiện phong trào thi đua “Dân vận khéo” năm 2024

Thực hiện Kế hoạch số 18-KH/HU ngày 20/02/2024 của Ban Thường vụ Huyện ủy, Đảng ủy xã xây dựng kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
Mỗi chi bộ xây dựng ít nhất 01 mô hình dân vận khéo.
II. TỔ CHỨC THỰC HIỆN
Văn phòng Đảng ủy tổng hợp đăng ký mô hình trước ngày 15/5/2024.
""",
    "xa-tan-my/46-kh-du.txt": """ĐẢNG ỦY XÃ TÂN MỸ
Số 46-KH/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
Tân Mỹ, ngày 12 tháng 3 năm 2024

KẾ HOẠCH
phát động phong trào thi đua dân vận khéo năm 2024

Thực hiện Kế hoạch số 18-KH/HU ngày 20/02/2024 của Ban Thường vụ Huyện ủy, Đảng ủy xã Tân Mỹ ban hành kế hoạch.
I. NỘI DUNG
Chi bộ các thôn đăng ký mô hình trước ngày 20/5/2024.
""",
    "ubnd-a/01-kh-ubnd.txt": """ỦY BAN NHÂN DÂN XÃ AN PHÚ
Số: 01/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
An Phú, ngày 05 tháng 01 năm 2024

KẾ HOẠCH
phòng, chống thiên tai năm 2024

Căn cứ Nghị định số 66/2021/NĐ-CP ngày 06/7/2021 của Chính phủ, UBND xã ban hành kế hoạch phòng chống thiên tai.
I. NỘI DUNG
UBND xã kiểm tra đê điều trước ngày 31/5/2024.
""",
    "ubnd-b/01-kh-ubnd.txt": """ỦY BAN NHÂN DÂN XÃ TÂN MỸ
Số: 01/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Tân Mỹ, ngày 12 tháng 01 năm 2024

KẾ HOẠCH
chuyển đổi số năm 2024

UBND xã Tân Mỹ ban hành kế hoạch chuyển đổi số năm 2024.
I. NỘI DUNG
Văn phòng UBND xã hoàn thành cổng thông tin trước ngày 30/9/2024.
""",
    "ubnd-b/05-kh-ubnd.txt": """ỦY BAN NHÂN DÂN XÃ TÂN MỸ
Số: 05/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Tân Mỹ, ngày 20 tháng 3 năm 2024

KẾ HOẠCH
tuyên truyền chuyển đổi số

Thực hiện Kế hoạch số 01/KH-UBND ngày 12/01/2024 của UBND xã về chuyển đổi số, UBND xã ban hành kế hoạch tuyên truyền.
I. NỘI DUNG
Văn phòng UBND xã phát hành tài liệu trước ngày 30/4/2024.
""",
    "khong-dau/ghi-chu.txt": """GHI CHU CONG VIEC
Ban dan van khoi dong phong trao dan van kheo, ghi chu khong dau.
""",
}

REAL_SAMPLE = ("001", "003", "008", "020", "030")


def write_corpus(root: Path, *, real: int = len(REAL_SAMPLE)) -> list[Path]:
    """The plans above, a few real documents, a copy, a corrupt .docx and files of other formats."""
    out = []
    for rel, text in PLANS.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        out.append(p)
    if REAL.is_dir():
        (root / "real").mkdir(exist_ok=True)
        for name in REAL_SAMPLE[:real]:
            src = REAL / f"{name}.txt"
            if src.is_file():
                shutil.copy(src, root / "real" / src.name)
                out.append(root / "real" / src.name)
    (root / "copies").mkdir(exist_ok=True)
    shutil.copy(root / "xa-an-phu/45-kh-du.txt", root / "copies/45-kh-du-ban-sao.txt")
    out.append(root / "copies/45-kh-du-ban-sao.txt")
    (root / "hong").mkdir(exist_ok=True)
    (root / "hong/ke-hoach-hong.docx").write_bytes(b"PK\x03\x04 this is not a real zip archive")
    out.append(root / "hong/ke-hoach-hong.docx")
    (root / "hong/bang-tinh.xlsx").write_bytes(b"PK")
    (root / "hong/anh.png").write_bytes(b"\x89PNG")
    (root / "hong/~$ke-hoach.docx").write_bytes(b"lock")
    return out


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "van-ban"
    write_corpus(root)
    return root


CORPUS_INDEXED = len(PLANS) + len(REAL_SAMPLE)  # distinct good contents, each extracted once
CORPUS_FILES = CORPUS_INDEXED + 2  # + a copy of one plan and the corrupt .docx
CORPUS_SKIPPED = 3  # .xlsx, .png and an Office lock file


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def indexed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The citing-plans corpus indexed once per test module and engine: ``(db_url, corpus_root)``.
    Tests must only read it."""
    from vanban.corpus.index import index

    root = tmp_path_factory.mktemp("indexed") / "van-ban"
    write_corpus(root)
    dropper = None
    if request.param == "sqlite":
        url = f"sqlite:///{root.parent / 'archive.sqlite'}"
    else:
        from tests.pg_server import create_database, drop_database

        server = request.getfixturevalue("pg_server")
        url = create_database(server)
        dropper = (drop_database, server, url)
    with pytest.MonkeyPatch.context() as mp:
        kept = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
        mp.setattr(sys, "path", [str(FAKE_DIR), *kept])
        summary = index([root], db=url, extractor=FAKE, progress=False, workers=2, check=False)
    assert summary.indexed == CORPUS_INDEXED, summary.failures
    yield url, root
    if dropper:
        dropper[0](dropper[1], dropper[2])
