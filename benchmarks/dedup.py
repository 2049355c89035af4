"""Near-duplicate index benchmark (run by hand, not in CI).

    .venv/bin/python benchmarks/dedup.py                      # 100,000 documents, SQLite
    .venv/bin/python benchmarks/dedup.py --backend both       # and PostgreSQL
    .venv/bin/python benchmarks/dedup.py --docs 20000 --queries 100

Fills the database index (``similarity_fingerprint`` and ``similarity_bandkey``)
with ``--docs`` documents, then measures, for ``--queries`` uploads, the LSH
candidate lookup (``selectors.candidates``: the band keys' rows, grouped by
document) and the whole comparison (``selectors.similar_to``: lookup, then
resemblance and containment of every candidate from the stored samples), and the
index's size on disk. Baseline, in the same run: comparing the upload's sample
with every stored one (the brute force the index avoids), timed on
``--brute-docs`` documents and scaled to ``--docs``.

The documents: ``--pool`` texts recombined from the corpus's paragraphs (Chinese
and English) get real signatures; the rest get synthetic ones with the same
number of keys (random keys: distinct content), 5 % of them sharing a few
"boilerplate" keys and 1 % being partial copies of a pool text. Queries are
half copies of pool texts (a new cover, the first 70 %) and half new texts.
Each backend runs in its own process on a fresh database. Run the timed part
under the shared lock so timings do not collide with other benchmarks:

    flock /tmp/openwenku-bench.lock .venv/bin/python benchmarks/dedup.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.shared import SEED, SHARED  # noqa: E402  (the checkout's root is on the path now)

CORPUS = SHARED / "corpus" / "main"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
SOURCES = [
    "chatchat__test.txt",
    "chatchat__1.pdf",
    "pdfjs__tracemonkey.pdf",
    "pdfjs__TAMReview.pdf",
    "tika__testJournalParser.pdf",
]


def source_paragraphs() -> list[str]:
    import pypdfium2 as pdfium

    texts = []
    for name in SOURCES:
        path = CORPUS / name
        if not path.exists():
            continue
        if path.suffix == ".pdf":
            pdf = pdfium.PdfDocument(str(path))
            try:
                texts.append(
                    "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
                )
            finally:
                pdf.close()
        else:
            texts.append(path.read_text(encoding="utf-8"))
    if SEED.exists():
        texts.append(SEED.read_text(encoding="utf-8"))
    sentences = []
    for text in texts:
        sentences += [
            s.strip() for s in re.split(r"(?<=[。！？.!?;；\n])", text) if len(s.strip()) > 4
        ]
    paragraphs, current = [], ""
    for sentence in sentences:
        current += sentence + " "
        if len(current) >= 200:
            paragraphs.append(current)
            current = ""
    return paragraphs


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


def _text(rng: random.Random, paragraphs: list[str]) -> str:
    target = int(2000 * 20 ** rng.random())  # 2,000 to 40,000 characters, log-uniform
    out, size = [], 0
    while size < target:
        paragraph = rng.choice(paragraphs)
        # A random cut, so that no two texts share whole runs of paragraphs.
        paragraph = paragraph[rng.randrange(len(paragraph) // 2) :]
        out.append(paragraph)
        size += len(paragraph)
    return "\n".join(out)


def _index_size(connection) -> dict[str, int]:
    tables = ["similarity_bandkey", "similarity_fingerprint"]
    sizes = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                sizes[table] = cursor.fetchone()[0]
        else:
            try:
                cursor.execute(
                    "SELECT tbl_name, name FROM sqlite_master WHERE tbl_name IN (%s, %s)", tables
                )
                owner = dict((name, tbl) for tbl, name in cursor.fetchall())
                cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
                for name, size in cursor.fetchall():
                    if name in owner:
                        sizes[owner[name]] = sizes.get(owner[name], 0) + size
            except Exception:  # SQLite without dbstat: the whole file
                sizes = {"database file": Path(connection.settings_dict["NAME"]).stat().st_size}
    return sizes


def run_backend(args) -> dict:
    import django

    from openwenku import datadir

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openwenku.settings")
    datadir.ensure()
    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.db import connection, transaction

    from openwenku.accounts.models import User
    from openwenku.documents.models import Document
    from openwenku.similarity import selectors, signature
    from openwenku.similarity.models import Fingerprint
    from openwenku.similarity.services import Computed

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    paragraphs = source_paragraphs()
    owner = User.objects.create_user(username="bench", password="x-Passw0rd-1")

    # Real signatures for the pool.
    started = time.monotonic()
    pool_texts = [_text(rng, paragraphs) for _ in range(args.pool)]
    pool = [signature.text_signature(t) for t in pool_texts]
    signing = time.monotonic() - started
    pool_chars = sum(len(t) for t in pool_texts)
    key_counts = [len(s.keys) for s in pool]
    boilerplate = [rng.getrandbits(63) for _ in range(1000)]

    def synthetic(i: int) -> tuple[int, bytes, list[int]]:
        if i < args.pool:
            s = pool[i]
            return s.shingles, s.sample.astype("<u4").tobytes(), s.keys
        n = rng.choice(key_counts)
        keys = [rng.getrandbits(64) - (1 << 63) for _ in range(n)]
        roll = rng.random()
        if roll < 0.01:  # a partial copy of a pool text
            source = pool[rng.randrange(args.pool)].keys
            keys[: len(source) * 6 // 10] = source[: len(source) * 6 // 10]
        elif roll < 0.06:  # shared boilerplate
            keys[:3] = rng.sample(boilerplate, 3)
        sample = np.sort(np.array(rng.sample(range(1 << 32), signature.SAMPLE), dtype="<u4"))
        return n * 300, sample.tobytes(), list(dict.fromkeys(keys))

    started = time.monotonic()
    rows = 0
    batch = 5000
    for start in range(0, args.docs, batch):
        count = min(batch, args.docs - start)
        with transaction.atomic():
            documents = Document.objects.bulk_create(
                [
                    Document(
                        owner=owner,
                        title=f"doc {start + j}",
                        original_name="x.pdf",
                        size=1,
                        sha256=f"{start + j:064x}",
                        format="pdf",
                        status=Document.Status.READY,
                    )
                    for j in range(count)
                ]
            )
            if documents[0].pk is None:
                first = Document.objects.order_by("-pk").values_list("pk", flat=True)[count - 1]
                ids = list(range(first, first + count))
            else:
                ids = [d.pk for d in documents]
            fingerprints, keys = [], []
            for j, pk in enumerate(ids):
                size, sample, doc_keys = synthetic(start + j)
                fingerprints.append(
                    Fingerprint(
                        document_id=pk,
                        method="text",
                        size=size,
                        sample=sample,
                        keys=np.array(doc_keys, dtype="<i8").tobytes(),
                    )
                )
                keys.extend((key, pk) for key in doc_keys)
            Fingerprint.objects.bulk_create(fingerprints)
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(
                        "COPY similarity_bandkey (key, document_id) FROM STDIN"
                    ) as copy:
                        for row in keys:
                            copy.write_row(row)
                else:
                    cursor.executemany(
                        "INSERT INTO similarity_bandkey (key, document_id) VALUES (%s, %s)", keys
                    )
            rows += len(keys)
        print(f"\r{start + count:,} documents, {rows:,} keys", end="", file=sys.stderr)
    print(file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE similarity_bandkey")
            cursor.execute("ANALYZE similarity_fingerprint")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    building = time.monotonic() - started

    # Queries: half copies of pool texts, half new texts.
    queries = []
    for q in range(args.queries):
        if q % 2 == 0:
            text = pool_texts[rng.randrange(args.pool)]
            queries.append(("copy", "New cover page\n" + text[: len(text) * 7 // 10]))
        else:
            queries.append(("new", _text(rng, paragraphs)))
    lookup, whole, sign_times = [], [], []
    found = {"copy": 0, "new": 0}
    for kind, text in queries:
        t0 = time.perf_counter()
        s = signature.text_signature(text)
        t1 = time.perf_counter()
        mine = Computed(
            method="text", size=s.shingles, sample=s.sample.astype("<u4").tobytes(), keys=s.keys
        )
        selectors.candidates(mine.keys)
        t2 = time.perf_counter()
        matches = selectors.similar_to(mine)
        t3 = time.perf_counter()
        sign_times.append(t1 - t0)
        lookup.append(t2 - t1)
        whole.append(t3 - t2)
        found[kind] += bool(matches)

    # Baseline: the upload's sample against every stored sample.
    stored = [
        np.frombuffer(bytes(sample), dtype="<u4")
        for sample in Fingerprint.objects.order_by("document_id").values_list("sample", flat=True)[
            : args.brute_docs
        ]
    ]
    brute = []
    for _kind, text in queries[: args.brute_queries]:
        s = signature.text_signature(text)
        t0 = time.perf_counter()
        best = 0.0
        for other in stored:
            overlap = signature.text_overlap(s.sample, other)
            if overlap is not None:
                best = max(best, overlap.containment_a, overlap.containment_b)
        brute.append((time.perf_counter() - t0) * args.docs / len(stored))

    return {
        "backend": connection.vendor,
        "documents": args.docs,
        "band_keys": rows,
        "pool": args.pool,
        "pool_chars": pool_chars,
        "signing_seconds": signing,
        "build_seconds": building,
        "sizes": _index_size(connection),
        "signature": _percentiles(sign_times),
        "lookup": _percentiles(lookup),
        "whole": _percentiles(whole),
        "brute": _percentiles(brute),
        "brute_docs": len(stored),
        "found": found,
        "queries": len(queries),
    }


def _postgres(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _child(backend: str, args) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["OPENWENKU_DATA_DIR"] = tempfile.mkdtemp(prefix=f"ow-bench-dedup-{backend}-")
    if backend == "postgres":
        env["DATABASE_URL"] = _postgres(args.pg_database)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    cmd = [sys.executable, __file__, "--child", backend]
    for name in ("docs", "queries", "pool", "brute_docs", "brute_queries"):
        cmd += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    try:
        out = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE)
    finally:
        shutil.rmtree(env["OPENWENKU_DATA_DIR"], ignore_errors=True)
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def report(results: list[dict]) -> None:
    print()
    for r in results:
        look, whole, brute, sign = r["lookup"], r["whole"], r["brute"], r["signature"]
        print(
            f"== {r['backend']}: {r['documents']:,} documents, {r['band_keys']:,} band keys "
            f"({r['band_keys'] / r['documents']:.0f} per document)"
        )
        print(
            f"   build: real signatures for {r['pool']:,} texts ({r['pool_chars']:,} characters) "
            f"in {r['signing_seconds']:.1f}s; bulk insert {r['build_seconds']:.1f}s"
        )
        for table, size in r["sizes"].items():
            print(f"   size on disk: {table} {size / 1024 / 1024:,.1f} MiB")
        print(
            f"   signature of an upload: p50 {sign['p50']:.1f} ms, p95 {sign['p95']:.1f} ms "
            "(not part of the lookup)"
        )
        print(
            f"   candidate lookup (LSH), {r['queries']} uploads: p50 {look['p50']:.1f} ms, "
            f"p95 {look['p95']:.1f} ms, p99 {look['p99']:.1f} ms"
        )
        print(
            f"   lookup + exact comparison of the candidates: p50 {whole['p50']:.1f} ms, "
            f"p95 {whole['p95']:.1f} ms, p99 {whole['p99']:.1f} ms"
        )
        print(
            f"   brute force over every sample (timed on {r['brute_docs']:,}, scaled): "
            f"p50 {brute['p50']:.0f} ms, p95 {brute['p95']:.0f} ms"
        )
        print(
            f"   ratio brute/LSH lookup+comparison: p50 {brute['p50'] / whole['p50']:.0f}x, "
            f"p95 {brute['p95'] / whole['p95']:.0f}x"
        )
        print(
            f"   copies found: {r['found']['copy']}/{r['queries'] // 2 + r['queries'] % 2}; "
            f"new texts with a match: {r['found']['new']}/{r['queries'] // 2}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--pool", type=int, default=1000, help="texts with real signatures")
    parser.add_argument("--brute-docs", type=int, default=5000)
    parser.add_argument("--brute-queries", type=int, default=10)
    parser.add_argument("--pg-database", default="openwenku_bench_dedup")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(run_backend(args)))
        return
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    report([_child(b, args) for b in backends])


if __name__ == "__main__":
    main()
