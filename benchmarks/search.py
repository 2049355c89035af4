"""Search benchmark (run by hand, not in CI).

    .venv/bin/python benchmarks/search.py                 # 100,000 documents, both backends
    .venv/bin/python benchmarks/search.py --docs 20000 --backend sqlite

Builds an index of synthetic documents whose text is recombined from real Chinese
text (the shared corpus's Chinese documents and the seed page), then measures the
search service (count, estimated above 1,000 matches, and one page of 20 hits
with snippets; "~" marks an estimate in the report) for a fixed set of
queries on SQLite (FTS5) and PostgreSQL (tsvector + GIN), against the naive
``LIKE '%q%'`` scan over titles and page text, in the same run. Also reports the
indexing rate and the index size.

Segmenting 100k bodies with jieba would take most of an hour, so the bodies are
recombined from paragraphs segmented once (a document's tokens are the
concatenation of its paragraphs' tokens); titles are segmented one by one. The
full indexing path (jieba on every page) is timed separately on a sample.
Each backend runs in its own process on a fresh database; with ``--reuse`` the
built database is kept (PostgreSQL: ``--pg-database``; SQLite: a fixed directory
under the temp dir) and later runs with the same ``--docs`` only migrate it and
measure, reporting the build figures recorded when it was built. Run the timed
part under the shared lock so timings do not collide with other benchmarks:

    flock /tmp/openwenku-bench.lock .venv/bin/python benchmarks/search.py --reuse
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.shared import SEED, SHARED  # noqa: E402  (the checkout's root is on the path now)

CORPUS = SHARED / "corpus" / "main"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"

# Fixed queries: one to four words, common and rare, Chinese and mixed.
QUERIES = [
    "教育",
    "安全",
    "发展",
    "工作",
    "评价",
    "核电厂",
    "学生",
    "模型",
    "问题",
    "管理",
    "核",
    "党",
    "辟谷",
    "股市",
    "提示",
    "答案",
    "老化",
    "设计",
    "标准",
    "经验反馈",
    "高质量发展",
    "教育工作会议",
    "立德树人",
    "功利化",
    "短视化",
    "定期安全评价",
    "构筑物",
    "纠正行动",
    "差异项",
    "语言模型",
    "ChatGPT",
    "2024年",
    "GB/T",
    "NB/T 20442",
    "教育 改革",
    "安全 审查",
    "核电厂 老化",
    "学生 睡眠",
    "股市 修炼",
    "模型 答案",
    "教育 质量 提升",
    "核电厂 安全 评价",
    "党 教育 领导",
    "提示 技巧 工程",
    "功利化 短视化 办学行为",
    "运行 经验 反馈 核电厂",
    "基础教育 重点 工作 部署",
    "中小学 人工智能 教育 基地",
    '"教育高质量发展"',
    '"定期安全评价"',
    "安全 -核电厂",
    "辟谷 OR 养颜",
    "不存在的词语组合",
    "量子 纠缠 超导",
    "评价报告",
    "国家能源局",
]


# --- source text ------------------------------------------------------------------------


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join(
        html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))) for p in paragraphs
    )


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def source_paragraphs() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("chatchat__*")):
        if path.suffix == ".docx":
            texts.append(_docx_text(path))
        elif path.suffix == ".pdf":
            texts.append(_pdf_text(path))
        elif path.suffix == ".txt":
            texts.append(path.read_text(encoding="utf-8"))
    if SEED.exists():
        texts.append(SEED.read_text(encoding="utf-8"))
    sentences = []
    for text in texts:
        sentences += [s.strip() for s in re.split(r"(?<=[。！？；\n])", text) if len(s.strip()) > 4]
    paragraphs, current = [], ""
    for sentence in sentences:
        current += sentence
        if len(current) >= 80:
            paragraphs.append(current[:400])
            current = ""
    return paragraphs


# --- one backend, in this process ----------------------------------------------------------


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    return {
        "p50": pick(50),
        "p95": pick(95),
        "p99": pick(99),
        "mean": statistics.mean(ordered) * 1000,
    }


def run_backend(args) -> dict:
    import django

    from openwenku import datadir

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openwenku.settings")
    datadir.ensure()
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from openwenku.search.backends import get_backend

    call_command("migrate", verbosity=0)
    backend = get_backend()
    built = _load_build(connection, args.docs) if args.reuse else None
    reused = built is not None
    if built is None:
        from openwenku.documents.models import Document

        if Document.objects.exists():
            raise SystemExit(f"the kept database holds an unfinished build: {_REBUILD}")
        built = _build(args, backend)
        _save_build(connection, built)  # (so that a later run may reuse it)
    return {**_measure(args, backend, built), "reused": reused}


_REBUILD = (
    "run once without --reuse to rebuild it (PostgreSQL), or remove the kept directory "
    "(SQLite: OPENWENKU_DATA_DIR of this run)"
)


def _load_build(connection, docs: int) -> dict | None:
    """The figures of an earlier build of this database with ``docs`` documents."""
    with connection.cursor() as cursor:
        if "bench_search_build" not in connection.introspection.table_names(cursor):
            return None
        cursor.execute("SELECT data FROM bench_search_build")
        row = cursor.fetchone()
    data = json.loads(row[0]) if row else None
    if data is None or data["documents"] != docs:
        raise SystemExit(
            f"the kept database holds another build ({data and data['documents']} documents): "
            + _REBUILD
        )
    return data


def _save_build(connection, built: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_search_build (data TEXT NOT NULL)")
        cursor.execute("DELETE FROM bench_search_build")
        cursor.execute("INSERT INTO bench_search_build (data) VALUES (%s)", [json.dumps(built)])


def _build(args, backend) -> dict:
    from django.db import connection, transaction

    from openwenku.accounts.models import User
    from openwenku.documents.models import Document, DocumentPage
    from openwenku.search import analysis
    from openwenku.search.backends.postgres import tsvector_literal
    from openwenku.search.models import SearchEntry

    rng = random.Random(42)
    t0 = time.perf_counter()
    paragraphs = source_paragraphs()
    analysed = [(p, analysis.index_text([p]), analysis.compact(p)) for p in paragraphs]
    prep_seconds = time.perf_counter() - t0
    owner = User.objects.create_user(username="bench", password="bench-Passw0rd")

    n = args.docs
    batch = 2000
    build = {"documents": 0.0, "pages": 0.0, "index": 0.0}
    total_chars = 0
    for start in range(0, n, batch):
        size = min(batch, n - start)
        specs = []
        for _ in range(size):
            chosen = rng.sample(analysed, rng.randint(5, 12))
            title_src = chosen[0][2][: rng.randint(8, 24)]
            specs.append((title_src, chosen))
        t = time.perf_counter()
        with transaction.atomic():
            docs = Document.objects.bulk_create(
                [
                    Document(
                        owner=owner,
                        title=title,
                        original_name=f"{title}.docx",
                        original="bench/original",
                        size=1000,
                        sha256="0" * 64,
                        format=rng.choice(["docx", "pdf", "doc", "pptx", "txt"]),
                        status=Document.Status.READY,
                        page_count=(len(chosen) + 3) // 4,
                        pages_ready=(len(chosen) + 3) // 4,
                        price=rng.choice([0, 0, 0, 5, 10]),
                        download_count=rng.randint(0, 500),
                        view_count=rng.randint(0, 5000),
                    )
                    for title, chosen in specs
                ]
            )
        build["documents"] += time.perf_counter() - t
        t = time.perf_counter()
        pages = []
        for doc, (_, chosen) in zip(docs, specs, strict=True):
            for number, i in enumerate(range(0, len(chosen), 4), start=1):
                text = "".join(c[0] for c in chosen[i : i + 4])
                total_chars += len(text)
                pages.append(
                    DocumentPage(document=doc, number=number, text=text, width=1, height=1)
                )
        with transaction.atomic():
            DocumentPage.objects.bulk_create(pages, batch_size=2000)
        build["pages"] += time.perf_counter() - t
        t = time.perf_counter()
        entries = []
        for doc, (title, chosen) in zip(docs, specs, strict=True):
            title_tokens = analysis.index_text([title])
            body = " ".join(c[1] for c in chosen)
            entry = SearchEntry(
                document=doc,
                title=title_tokens,
                keywords=doc.format,
                body=body,
                text="".join(c[2] for c in chosen),
                top_terms=[],
            )
            if backend.vendor == "postgresql":
                entry.vector = tsvector_literal(title_tokens, doc.format, body)
            entries.append(entry)
        with transaction.atomic():
            SearchEntry.objects.bulk_create(entries, batch_size=1000)
        build["index"] += time.perf_counter() - t
        print(f"  {backend.vendor}: {start + size}/{n} documents", file=sys.stderr, end="\r")
    t = time.perf_counter()
    backend.optimize()
    if backend.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchentry")
            cursor.execute("VACUUM ANALYZE documents_document")
            cursor.execute("VACUUM ANALYZE documents_documentpage")
    build["optimize"] = time.perf_counter() - t
    print(file=sys.stderr)
    return {
        "documents": n,
        "body_chars": total_chars,
        "source_paragraphs": len(paragraphs),
        "prep_seconds": prep_seconds,
        "build_seconds": build,
        "bulk_index_docs_per_s": n / build["index"],
    }


def _measure(args, backend, built: dict) -> dict:
    from django.db import connection

    from openwenku.documents.models import Document, DocumentPage
    from openwenku.search import selectors, services

    # The full indexing path (jieba on every page, keywords) on a sample.
    sample = list(Document.objects.order_by("?").values_list("pk", flat=True)[: args.sample])
    t = time.perf_counter()
    for pk in sample:
        services.search_index_document(document_id=pk)
    service_seconds = time.perf_counter() - t
    sample_chars = sum(
        len(x)
        for x in DocumentPage.objects.filter(document_id__in=sample).values_list("text", flat=True)
    )

    # Queries through the search service: count + 20 hits + snippets.
    latencies, per_query = [], {}
    for q in QUERIES:
        selectors.search_documents(query=q)  # warm-up
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            results = selectors.search_documents(query=q)
            times.append(time.perf_counter() - t)
        latencies += times
        per_query[q] = {
            "hits": results.total,
            "approximate": results.approximate,
            "ms": statistics.median(times) * 1000,
        }

    # The naive LIKE scan over titles and page text, as moredoc does.
    like_latencies = []
    like_sql = (
        "FROM documents_document d WHERE d.status = 'ready' AND (d.title LIKE %s OR EXISTS "
        "(SELECT 1 FROM documents_documentpage p WHERE p.document_id = d.id AND p.text LIKE %s))"
    )
    like_queries = QUERIES[: args.like_queries]
    for q in like_queries:
        pattern = "%" + q.replace('"', "").replace("%", "") + "%"
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {like_sql}", [pattern, pattern])
            cursor.fetchone()
            cursor.execute(
                f"SELECT d.id {like_sql} ORDER BY d.download_count DESC LIMIT 20",
                [pattern, pattern],
            )
            cursor.fetchall()
        like_latencies.append(time.perf_counter() - t)

    return {
        **built,
        "backend": backend.vendor,
        "service_index_docs_per_s": len(sample) / service_seconds,
        "service_index_chars_per_s": sample_chars / service_seconds,
        "index_bytes": backend.size_bytes(),
        "search": _percentiles(latencies),
        "like": _percentiles(like_latencies),
        "like_queries": len(like_queries),
        "queries": len(QUERIES),
        "per_query": per_query,
    }


# --- driver -----------------------------------------------------------------------------------


def _postgres(name: str, reuse: bool) -> str:
    """A fresh database of this name, or (reuse) the kept one if it exists."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (reuse and exists):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _sqlite_dir(docs: int, reuse: bool) -> str:
    """A fresh directory, or (reuse) the kept one of this size, made if missing."""
    if not reuse:
        return tempfile.mkdtemp(prefix="ow-bench-sqlite-")
    path = Path(tempfile.gettempdir()) / f"ow-bench-search-sqlite-{docs}"
    path.mkdir(exist_ok=True)
    return str(path)


def _child(backend: str, args) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if backend == "postgres":
        env["OPENWENKU_DATA_DIR"] = tempfile.mkdtemp(prefix="ow-bench-postgres-")
        env["DATABASE_URL"] = _postgres(args.pg_database, args.reuse)
    else:
        env["OPENWENKU_DATA_DIR"] = _sqlite_dir(args.docs, args.reuse)
    cmd = [
        sys.executable,
        __file__,
        "--child",
        backend,
        "--docs",
        str(args.docs),
        "--repeat",
        str(args.repeat),
        "--sample",
        str(args.sample),
        "--like-queries",
        str(args.like_queries),
        *(["--reuse"] if args.reuse else []),
    ]
    out = subprocess.run(cmd, env=env, check=True, capture_output=False, stdout=subprocess.PIPE)
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def report(results: list[dict]) -> None:
    print()
    for r in results:
        s, like = r["search"], r["like"]
        b = r["build_seconds"]
        print(
            f"== {r['backend']}: {r['documents']:,} documents, {r['body_chars']:,} body characters"
            + (" (kept database; build figures from when it was built)" if r.get("reused") else "")
        )
        print(
            f"   bulk build: documents {b['documents']:.1f}s, pages {b['pages']:.1f}s, "
            f"index {b['index']:.1f}s ({r['bulk_index_docs_per_s']:,.0f} docs/s), "
            f"optimize {b['optimize']:.1f}s"
        )
        print(
            f"   full indexing path (jieba on every page): {r['service_index_docs_per_s']:,.1f} "
            f"docs/s, {r['service_index_chars_per_s']:,.0f} chars/s"
        )
        print(f"   index size: {r['index_bytes'] / 1024 / 1024:,.1f} MiB")
        print(
            f"   search service, {r['queries']} queries: p50 {s['p50']:.1f} ms, "
            f"p95 {s['p95']:.1f} ms, p99 {s['p99']:.1f} ms, mean {s['mean']:.1f} ms"
        )
        print(
            f"   LIKE '%q%' over title and text, {r['like_queries']} queries: "
            f"p50 {like['p50']:.1f} ms, p95 {like['p95']:.1f} ms, p99 {like['p99']:.1f} ms"
        )
        print(
            f"   ratio LIKE/search: p50 {like['p50'] / s['p50']:.1f}x, "
            f"p95 {like['p95'] / s['p95']:.1f}x, mean {like['mean'] / s['mean']:.1f}x"
        )
        slow = sorted(r["per_query"].items(), key=lambda kv: -kv[1]["ms"])[:5]
        print(
            "   slowest queries: "
            + ", ".join(
                f"{q} ({v['ms']:.0f} ms, {'~' if v.get('approximate') else ''}{v['hits']:,} hits)"
                for q, v in slow
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--sample", type=int, default=300, help="documents for the full path")
    parser.add_argument("--like-queries", type=int, default=len(QUERIES))
    parser.add_argument(
        "--pg-database",
        default="openwenku_bench_search",
        help="PostgreSQL database of this benchmark (dropped and created unless --reuse)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the built database between runs and only measure when it exists",
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(run_backend(args)))
        return
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = [_child(b, args) for b in backends]
    report(results)


if __name__ == "__main__":
    main()
