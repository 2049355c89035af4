"""Crash safety with real worker processes, real LibreOffice and the real database.

Runs on SQLite and again on PostgreSQL (marker ``postgres``)."""

import os
import shutil
import signal

import pytest
from django_tasks_db.models import DBTaskResult

from openwenku.conversion.recovery import CONVERT_PATH
from openwenku.documents import services
from openwenku.documents.models import Document
from tests.conftest import corpus_file
from tests.conversion.workers import office_pids, spawn_worker, stop, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.slow]

BIG_DOCX = "poi__bug65649.docx"  # 180 pages: long enough to be killed mid-way


def upload(member, name, tmp_path, as_name=None):
    path = corpus_file(name)
    if as_name:
        path = shutil.copy(path, tmp_path / as_name)
    return services.document_create(owner=member, incoming=services.incoming_from_path(path))


def fresh(doc):
    return Document.objects.get(pk=doc.pk)


def assert_complete(doc):
    doc = fresh(doc)
    assert doc.status == "ready", doc.failure_reason
    numbers = list(doc.pages.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, doc.page_count + 1))  # none missing, none twice
    assert doc.pages_ready == doc.page_count


def test_kill_9_worker_mid_conversion_then_another_finishes(member, tmp_path):
    doc = upload(member, BIG_DOCX, tmp_path)
    first = spawn_worker(tmp_path / "w1.log")
    try:
        wait_for(lambda: fresh(doc).pages_ready >= 3, 120, "the first pages")
        os.kill(first.pid, signal.SIGKILL)  # the worker only, mid-render
        first.wait()
    finally:
        stop(first)
    assert fresh(doc).status == "converting"

    second = spawn_worker(tmp_path / "w2.log")
    try:
        wait_for(lambda: fresh(doc).status in ("ready", "failed"), 180, "the takeover")
    finally:
        stop(second)
    assert_complete(doc)
    assert fresh(doc).attempts == 2
    # The killed worker's task row does not stay RUNNING for ever.
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    assert DBTaskResult.objects.filter(task_path=CONVERT_PATH, status="SUCCESSFUL").exists()


def test_killed_libreoffice_is_restarted_and_the_document_finishes(member, tmp_path):
    doc = upload(member, BIG_DOCX, tmp_path)
    worker = spawn_worker(tmp_path / "w.log")
    try:
        pids = wait_for(lambda: office_pids(worker.pid), 60, "the warm LibreOffice")
        wait_for(lambda: fresh(doc).status == "converting", 30, "the conversion to start")
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        wait_for(lambda: fresh(doc).status in ("ready", "failed"), 180, "the conversion")
        restarted = office_pids(worker.pid)
    finally:
        stop(worker)
    assert_complete(doc)
    assert restarted and set(restarted).isdisjoint(pids), "a new LibreOffice took over"
    assert worker.returncode is not None


def test_hostile_file_that_hangs_libreoffice_does_not_stop_the_next(member, tmp_path):
    hostile = upload(member, "poi__poc-shared-strings.xlsx", tmp_path)
    normal = upload(member, "poi__IllustrativeCases.docx", tmp_path)
    worker = spawn_worker(tmp_path / "w.log", OPENWENKU_CONVERT_TIMEOUT="10")
    try:
        wait_for(lambda: fresh(normal).status in ("ready", "failed"), 120, "the next document")
        wait_for(lambda: fresh(hostile).status in ("ready", "failed"), 60, "the hostile one")
    finally:
        stop(worker)
    assert fresh(hostile).status == "failed"
    assert fresh(hostile).failure_code == "timeout"
    assert "timed out" in fresh(hostile).failure_reason
    assert_complete(normal)


def test_two_workers_convert_thirty_documents_exactly_once(member, tmp_path):
    names = [
        "pdfjs__tracemonkey.pdf",
        "poi__HeaderFooterUnicode.docx",
        "chatchat__test.txt",
        "tika__testRTFVarious.rtf",
        "poi__SampleSS.ods",
        "tika__testFooter.odt",
    ]
    docs = [
        upload(member, names[i % len(names)], tmp_path, as_name=f"{i}-{names[i % 6]}")
        for i in range(30)
    ]
    workers = [spawn_worker(tmp_path / f"w{i}.log") for i in range(2)]
    try:
        wait_for(
            lambda: Document.objects.filter(status__in=["ready", "failed"]).count() == 30,
            300,
            "30 conversions",
            interval=0.5,
        )
    finally:
        for w in workers:
            stop(w)
    for doc in docs:
        assert_complete(doc)
        assert fresh(doc).attempts == 1, "converted more than once"
    done = DBTaskResult.objects.filter(task_path=CONVERT_PATH, status="SUCCESSFUL")
    claimed_by = {w for row in done.values_list("worker_ids", flat=True) for w in row}
    assert done.count() == 30
    assert len(claimed_by) == 2, "both workers took part"
