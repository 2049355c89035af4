"""Search behaviour, shared by both backends (marked postgres: also run on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from openwenku.documents.models import Document
from openwenku.documents.signals import (
    document_changed,
    document_published,
    document_removed,
    send_after_commit,
)
from openwenku.search import selectors, services
from openwenku.search.models import SearchEntry
from openwenku.search.planner import SearchFilters

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def titles(query: str, **kwargs) -> list[str]:
    return [h.document.title for h in selectors.search_documents(query=query, **kwargs).hits]


@pytest.fixture
def library(make_doc, categories):
    from openwenku.documents.models import Category

    office = Category.objects.filter(parent__isnull=True).order_by("position", "id").first()
    other = Category.objects.filter(parent__isnull=True).order_by("position", "id")[1]
    return {
        "guide": make_doc(
            "核电厂定期安全审查指南",
            ["本指南规定了核电厂定期安全审查的范围和要求。", "老化管理与经验反馈。"],
            category=office,
            tags=("核安全",),
            downloads=5,
        ),
        "tokyo": make_doc(
            "东京和京都旅游攻略",
            ["东京和京都都很美，值得一游。"],
            fmt="pdf",
            price=8,
            category=other,
            downloads=50,
        ),
        "tokyo_metro": make_doc(
            "日本首都圈介绍",
            ["东京都的人口约一千四百万。"],
            fmt="pptx",
            downloads=1,
        ),
        "cpp": make_doc(
            "C++ 程序设计教程",
            ["学习 C++ 与参考文献格式 GB/T 7714-2015，2024年版。"] * 3,
            fmt="pdf",
            downloads=20,
        ),
        "safety_body": make_doc(
            "年度工作总结",
            ["今年重点推进了核电厂安全审查工作，安全审查覆盖全部机组。"] * 2,
            fmt="doc",
            downloads=100,
        ),
    }


def test_chinese_words_in_the_body_are_found(library):
    assert titles("安全审查")[:2] == ["核电厂定期安全审查指南", "年度工作总结"]
    assert "年度工作总结" in titles("机组")


def test_tokyo_metropolis_does_not_match_tokyo_and_kyoto(library):
    assert titles("东京都") == ["日本首都圈介绍"]
    assert set(titles("东京")) == {"东京和京都旅游攻略", "日本首都圈介绍"}


def test_one_character_query_works(library):
    assert set(titles("核")) == {"核电厂定期安全审查指南", "年度工作总结"}
    assert "日本首都圈介绍" in titles("都")


def test_quoted_phrase_must_occur_as_written(library, make_doc):
    make_doc("审查与安全", ["审查制度和安全文化是两回事。"])
    assert "审查与安全" in titles("审查 安全")
    assert "审查与安全" not in titles('"安全审查"')
    assert set(titles('"安全审查"')) == {"核电厂定期安全审查指南", "年度工作总结"}
    # A phrase broken by a line break in extracted text still matches.
    make_doc("换行", ["核电厂安全\n审查在此"])
    assert "换行" in titles("“安全审查”")


def test_several_words_mean_all_and_minus_excludes(library):
    assert titles("核电厂 老化") == ["核电厂定期安全审查指南"]
    assert titles("安全审查 -指南") == ["年度工作总结"]
    assert set(titles("东京都 OR 程序设计")) == {"日本首都圈介绍", "C++ 程序设计教程"}


def test_latin_digits_and_normalisation(library):
    assert titles("c++") == ["C++ 程序设计教程"]
    assert titles("GB/T 7714") == ["C++ 程序设计教程"]
    assert titles("2024年") == ["C++ 程序设计教程"]
    assert titles("Ｃ＋＋") == ["C++ 程序设计教程"]  # full width
    assert titles("核電廠") == titles("核电厂")  # traditional


def test_title_is_weighted_above_body_and_ties_go_to_popularity(library, make_doc):
    assert titles("安全审查")[0] == "核电厂定期安全审查指南"
    a = make_doc("说明甲", ["共同的词语出现一次。"], downloads=3)
    b = make_doc("说明乙", ["共同的词语出现一次。"], downloads=9)
    assert titles("词语")[:2] == [b.title, a.title]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unterminated',
        "-",
        "--",
        "*",
        "核*",
        ":",
        "title:核电",
        "OR",
        "AND OR NOT",
        "(",
        ")(",
        "[核电]",
        "{x}",
        "NEAR(核电 安全)",
        "😀🔥",
        "核电😀",
        "\x00",
        "核\x00电",
        "'; DROP TABLE documents_document; --",
        "x" * 10_000,
        "核" * 10_000,
        "^$%&\\",
        "a'b''c",
        "\\'",
        "%_",
    ],
)
def test_hostile_queries_never_fail(library, client, query):
    selectors.search_documents(query=query)
    selectors.suggestions(query)
    response = client.get(reverse("search:search"), {"q": query})
    assert response.status_code == 200
    assert client.get("/api/search", {"q": query}).status_code == 200
    assert client.get(reverse("search:suggest"), {"q": query}).status_code == 200
    assert Document.objects.count() == 5


def test_filters_and_sorting_combine_with_the_query(library):
    assert set(titles("东京", filters=SearchFilters(formats=["pdf"]))) == {"东京和京都旅游攻略"}
    assert titles("东京", filters=SearchFilters(price="free")) == ["日本首都圈介绍"]
    assert titles("东京", filters=SearchFilters(price="paid")) == ["东京和京都旅游攻略"]
    in_category = SearchFilters(category_ids=[library["guide"].category_id])
    assert titles("核", filters=in_category) == ["核电厂定期安全审查指南"]
    two_pages = SearchFilters(pages_min=2, pages_max=2)
    assert set(titles("核", filters=two_pages)) == {"核电厂定期安全审查指南", "年度工作总结"}
    assert titles("核", filters=SearchFilters(pages_min=3)) == []
    assert titles("核", sort="downloads") == ["年度工作总结", "核电厂定期安全审查指南"]
    newest = titles("核", sort="newest")
    assert newest == ["年度工作总结", "核电厂定期安全审查指南"]


def test_filters_on_the_page(library, client):
    url = reverse("search:search")
    page = client.get(url, {"q": "东京", "format": "pdf"}).content.decode()
    assert library["tokyo"].get_absolute_url() in page
    assert library["tokyo_metro"].get_absolute_url() not in page
    page = client.get(url, {"q": "核", "pages": "1-5", "sort": "downloads"}).content.decode()
    assert page.index(library["safety_body"].get_absolute_url()) < page.index(
        library["guide"].get_absolute_url()
    )
    page = client.get(url, {"q": "东京", "price": "free", "format": "bogus", "page": "x"})
    assert page.status_code == 200


def test_results_page_shows_what_a_reader_needs(library, client):
    page = client.get(reverse("search:search"), {"q": "机组"}).content.decode()
    assert "年度工作总结" in page
    assert "第1页" in page  # the snippet names its page
    assert "<em>机组</em>" in page
    assert "王**" in page  # masked uploader
    assert library["safety_body"].get_absolute_url() in page


def test_snippets_are_short_and_only_from_free_pages(make_doc):
    secret = "付费页面里的秘密内容独一无二"
    doc = make_doc(
        "付费文档",
        ["公开的第一页，介绍一些概况。" * 20, "公开的第二页。", secret, secret],
        price=10,
        preview_pages=2,
    )
    results = selectors.search_documents(query="秘密内容")
    assert [h.document for h in results.hits] == [doc]  # found by the hidden pages' words...
    snippet = results.hits[0].snippet
    assert snippet.page <= 2 and secret not in snippet.text  # ...but never shown
    hit = selectors.search_documents(query="概况").hits[0]
    assert hit.snippet.page == 1
    assert len(hit.snippet.text) <= 120


def test_api_never_returns_hidden_page_text(make_doc, client):
    secret = "只在付费页出现的句子"
    make_doc("API 文档", ["免费页内容。", secret], price=5, preview_pages=1)
    data = client.get("/api/search", {"q": "付费页"}).json()
    assert data["count"] == 1
    assert secret not in str(data)
    hit = data["results"][0]
    assert hit["snippet"]["page"] == 1
    assert hit["uploader"].endswith("**")
    none_free = client.get("/api/search", {"q": "句子"}).json()
    assert secret not in str(none_free)


def test_api_search_with_filters_and_pagination(library, make_doc, client):
    for i in range(25):
        make_doc(f"批量文档{i}", ["批量生成的分页测试内容。"])
    first = client.get("/api/search", {"q": "分页测试"}).json()
    assert first["count"] == 25 and first["pages"] == 2 and len(first["results"]) == 20
    second = client.get("/api/search", {"q": "分页测试", "page": 2}).json()
    assert len(second["results"]) == 5
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    only_pdf = client.get("/api/search", {"q": "东京", "format": "pdf"}).json()
    assert [r["title"] for r in only_pdf["results"]] == ["东京和京都旅游攻略"]


def test_removed_document_disappears_at_once(library, django_capture_on_commit_callbacks):
    doc = library["guide"]
    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.filter(pk=doc.pk).update(status=Document.Status.FAILED)
        send_after_commit(document_removed, doc.pk)
    assert "核电厂定期安全审查指南" not in titles("安全审查")
    assert not SearchEntry.objects.filter(document=doc).exists()


def test_unpublished_document_is_hidden_even_before_the_index_hears_of_it(library):
    Document.objects.filter(pk=library["cpp"].pk).update(status=Document.Status.CONVERTING)
    assert titles("c++") == []
    assert selectors.suggestions("C++ 程序") == []


def test_deleted_document_leaves_the_index(library):
    library["cpp"].delete()
    assert titles("c++") == []
    assert selectors.search_documents(query="c++").total == 0


def test_index_follows_publish_and_edit_signals(make_doc, django_capture_on_commit_callbacks):
    doc = make_doc("新发布的文档", ["正文里有稀有词语甲乙丙。"], index=False)
    assert titles("稀有词语") == []
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit(document_published, doc.pk)
    assert titles("稀有词语") == ["新发布的文档"]
    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.filter(pk=doc.pk).update(title="改名后的标题")
        send_after_commit(document_changed, doc.pk)
    assert titles("改名后") == ["改名后的标题"]
    assert titles("稀有词语") == ["改名后的标题"]  # the body stayed indexed


def test_no_all_words_match_falls_back_to_some(library):
    results = selectors.search_documents(query="核电厂 不存在的词汇")
    assert results.relaxed and results.total >= 1


def test_zero_results_page_helps(library, client):
    services.search_log_query(query="核电", results=3)
    page = client.get(reverse("search:search"), {"q": "完全找不到的东西xyz"}).content.decode()
    assert "完全找不到的东西xyz" in page
    assert "search-empty" in page


def test_query_log_suggestions_and_related_searches(library, client, settings):
    settings.OPENWENKU = {**settings.OPENWENKU, "SEARCH": {"SUGGEST_MIN_COUNT": 2}}
    for _ in range(3):
        client.get(reverse("search:search"), {"q": "核电厂 安全"})
    client.get(reverse("search:search"), {"q": "核电厂 安全", "page": 2})  # not logged again
    client.get(reverse("search:search"), {"q": "我的手机13800138000"})  # never logged
    from openwenku.search.models import QueryLog, QueryStat

    assert QueryStat.objects.get(query="核电厂 安全").count == 3
    assert not QueryLog.objects.filter(query__contains="13800138000").exists()
    suggestions = client.get(reverse("search:suggest"), {"q": "核电"}).json()["suggestions"]
    assert {"text": "核电厂 安全", "kind": "query", "url": None} in suggestions
    assert any(s["kind"] == "title" and s["text"] == "核电厂定期安全审查指南" for s in suggestions)
    api = client.get("/api/search/suggest", {"q": "核电"}).json()
    assert api == suggestions
    results = selectors.search_documents(query="核电厂")
    related = selectors.related_searches(results)
    assert "核电厂 安全" in related


def test_operators_see_top_and_zero_result_queries(library, client, admin_client):
    for q in ["东京", "东京", "没有结果的查询词"]:
        client.get(reverse("search:search"), {"q": q})
    assert client.get(reverse("search:insights")).status_code == 302
    # Staff status alone does not open it; the permission (the Operators group has it) does.
    from django.contrib.auth.models import Group

    from openwenku.accounts.models import User

    staff = User.objects.create_user("staffer", password="pw-staffer-1", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("search:insights")).status_code == 403
    staff.groups.add(Group.objects.get(name="Operators"))
    staff = User.objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.get(reverse("search:insights")).status_code == 200
    page = admin_client.get(reverse("search:insights")).content.decode()
    top = page.index("东京")
    assert "没有结果的查询词" in page[top:]


def test_document_page_has_related_searches_and_similar_documents(make_doc, client):
    a = make_doc("核电厂定期安全审查", ["核电厂定期安全审查的经验反馈与老化管理。" * 5])
    b = make_doc("核电厂老化管理", ["核电厂老化管理和经验反馈的做法。" * 5])
    make_doc("蛋糕食谱", ["面粉鸡蛋和糖。" * 5])
    page = client.get(a.get_absolute_url()).content.decode()
    assert "related-searches" in page
    assert "?q=" in page
    from openwenku.discovery.selectors import related_documents

    assert related_documents(a)[0] == b


def test_reindex_command_rebuilds_without_losing_documents(library, make_doc):
    stale = make_doc("待删除", ["内容"])
    Document.objects.filter(pk=stale.pk).update(status=Document.Status.FAILED)
    SearchEntry.objects.filter(document=library["cpp"]).delete()
    call_command("reindex", "--no-progress")
    assert titles("c++") == ["C++ 程序设计教程"]
    assert not SearchEntry.objects.filter(document=stale).exists()
    assert SearchEntry.objects.count() == 5
    call_command("reindex", "--missing", "--no-progress")
    call_command("reindex", "--document", str(library["cpp"].pk))
    if connection.vendor == "sqlite":
        call_command("reindex", "--repair", "--no-progress")
    assert titles("东京都") == ["日本首都圈介绍"]


# The same fixtures and the same expected, ordered results on SQLite and PostgreSQL.
SHARED_EXPECTATIONS = {
    "安全审查": ["核电厂定期安全审查指南", "年度工作总结"],
    "东京都": ["日本首都圈介绍"],
    "东京": ["东京和京都旅游攻略", "日本首都圈介绍"],
    "c++": ["C++ 程序设计教程"],
    '"安全审查" 机组': ["年度工作总结"],
    "核 -指南": ["年度工作总结"],
    "东京都 OR 程序设计": ["C++ 程序设计教程", "日本首都圈介绍"],
    "核电厂 老化": ["核电厂定期安全审查指南"],
}


@pytest.mark.parametrize("query", list(SHARED_EXPECTATIONS))
def test_identical_results_on_both_backends(library, query):
    assert titles(query) == SHARED_EXPECTATIONS[query], connection.vendor


# --- at scale: bounded candidate sets and estimated counts -------------------------------


@pytest.fixture
def small_exact_limit(monkeypatch):
    """Pretend a few matches are "many", so the at-scale path runs on a small fixture."""
    from openwenku.search import planner
    from openwenku.search.backends import base

    monkeypatch.setattr(base, "EXACT_LIMIT", 4)
    monkeypatch.setattr(planner, "TITLE_CANDIDATES", 5)
    monkeypatch.setattr(planner, "BODY_CANDIDATES", 5)
    return planner


def test_many_matches_rank_candidates_and_estimate_the_count(make_doc, small_exact_limit):
    for i in range(12):
        make_doc(f"批量文档{i}", ["批量生成的分页测试内容。" * (1 + i % 3)], downloads=i)
    best = make_doc("分页测试手册", ["分页测试的说明。"])
    first = selectors.search_documents(query="分页测试", page_size=5)
    # Five body candidates and the title matches are ranked; the count is estimated.
    assert first.approximate and first.total > 4  # more than EXACT_LIMIT, roughly
    assert first.hits[0].document == best  # the title match comes first
    # A deeper page widens the windows; here they then hold every match (exact).
    everything = selectors.search_documents(query="分页测试")
    assert not everything.approximate and everything.total == 13
    assert everything.hits[0].document == best and len(everything.hits) == 13
    second = selectors.search_documents(query="分页测试", page_size=5, page=2)
    assert [h.document.pk for h in second.hits] == [h.document.pk for h in everything.hits[5:10]]
    pdf_only = selectors.search_documents(query="分页测试", filters=SearchFilters(formats=["pdf"]))
    assert pdf_only.total == 0 and pdf_only.hits == []


def test_many_matches_keep_phrases_filters_and_exclusions(make_doc, small_exact_limit):
    for i in range(8):
        make_doc(f"安全文件{i}", ["核电厂的安全审查。" if i % 2 else "审查安全的流程。"])
    phrase = titles('"安全审查"')
    assert phrase and all(int(t[-1]) % 2 for t in phrase)
    assert set(titles("安全 -核电厂")) == {f"安全文件{i}" for i in range(0, 8, 2)}
    free = titles("安全", filters=SearchFilters(price="free"))
    assert len(free) == 8


def test_many_matches_show_about_n_on_the_page_and_in_the_api(
    make_doc, small_exact_limit, client, monkeypatch
):
    monkeypatch.setattr(small_exact_limit, "BODY_CANDIDATES", 20)
    for i in range(40):
        make_doc(f"估算文档{i}", ["估算结果数量。"])
    data = client.get("/api/search", {"q": "估算"}).json()
    assert data["count"] >= 40 and data["count_is_estimate"] is True
    page = client.get(reverse("search:search"), {"q": "估算"}).content.decode()
    assert "search-count" in page


def test_many_matches_sorted_by_date_or_downloads(make_doc, small_exact_limit):
    docs = [make_doc(f"排序文档{i}", ["排序测试内容。"], downloads=(i * 7) % 5) for i in range(6)]
    newest = selectors.search_documents(query="排序测试", sort="newest")
    assert newest.approximate and [h.document for h in newest.hits] == docs[::-1]
    downloads = [
        h.document.download_count
        for h in selectors.search_documents(query="排序测试", sort="downloads").hits
    ]
    assert downloads == sorted(downloads, reverse=True)


@pytest.mark.parametrize("query", ["批次测试", "测试", "批次 测试"])
def test_skipping_the_body_window_changes_neither_page_nor_count(make_doc, monkeypatch, query):
    """When title matches fill the page, the body window is not collected: same page, count."""
    from openwenku.search import planner
    from openwenku.search.backends import base

    monkeypatch.setattr(base, "EXACT_LIMIT", 20)
    monkeypatch.setattr(planner, "TITLE_CANDIDATES", 5)
    monkeypatch.setattr(planner, "BODY_CANDIDATES", 5)
    for i in range(14):
        make_doc(f"批次测试手册{i}", ["批次测试的说明。" * (1 + i % 3)], downloads=i)
    for i in range(14):
        make_doc(f"正文文档{i}", ["正文里提到批次测试。"], downloads=50 + i)
    moot = []
    real = planner.body_window_moot

    def spy(*args):
        moot.append(real(*args))
        return moot[-1]

    monkeypatch.setattr(planner, "body_window_moot", spy)
    pages = [selectors.search_documents(query=query, page_size=4, page=p) for p in (1, 2)]
    assert moot and moot[0] is True
    monkeypatch.setattr(planner, "body_window_moot", lambda *a: False)
    for number, page in enumerate(pages, start=1):
        full = selectors.search_documents(query=query, page_size=4, page=number)
        assert [h.document.pk for h in page.hits] == [h.document.pk for h in full.hits]
        assert (page.total, page.approximate) == (full.total, full.approximate)
        assert all("批次测试" in h.document.title for h in page.hits)
    assert pages[0].approximate  # (a deeper page widens the windows: they hold every match)
    # Filters (like phrases) keep the body window: its size may be the exact count.
    pdf = selectors.search_documents(query=query, filters=SearchFilters(formats=["pdf"]))
    assert (pdf.total, pdf.approximate) == (0, False)


def test_title_candidates_follow_an_edited_title(make_doc, small_exact_limit):
    """The title part of the index is computed from the vector: an edit moves a document
    between the title and body candidates at once."""
    for i in range(8):
        make_doc(f"其他资料{i}", ["资料里写着年度盘点。"], downloads=100 + i)
    document = make_doc("仓库说明", ["仓库的年度盘点流程。"])
    assert titles("年度盘点")[0] != "仓库说明"
    Document.objects.filter(pk=document.pk).update(title="年度盘点说明")
    services.search_update_metadata(document_id=document.pk)
    assert titles("年度盘点")[0] == "年度盘点说明"
    Document.objects.filter(pk=document.pk).update(title="仓库说明")
    services.search_index_document(document_id=document.pk)
    assert titles("年度盘点")[0] != "仓库说明"


def test_postgres_title_candidates_are_one_index_scan_without_reading_vectors(make_doc):
    """PostgreSQL: a query word in the title or keywords and the whole query are both
    answered inside the two-column GIN index (no row's vector is read to test them)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from openwenku.search.backends import get_backend
    from openwenku.search.query import parse

    make_doc("核电厂安全审查", ["核电厂的安全审查。"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchentry' "
            "AND indexdef LIKE '%%USING gin%%'"
        )
        assert [row[0] for row in cursor.fetchall()] == ["search_entry_vectors_gin"]
    backend = get_backend()
    for query in ["核电厂 安全", "安全 -核电厂", '"安全审查" 核电厂', "核电厂"]:
        match, params = backend.title_match_sql(parse(query))
        with backend.planner(), connection.cursor() as cursor:
            sql = f"EXPLAIN SELECT e.document_id FROM search_searchentry e WHERE {match}"
            cursor.execute(sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "search_entry_vectors_gin" in plan and "Filter" not in plan, plan


def test_postgres_window_shortcuts_find_the_same_pages_and_counts(make_doc, monkeypatch):
    """PostgreSQL reads a window (a candidate set, the sample behind an estimate) from
    the index, or from the first matching entries already read: the pages and counts
    are the same either way."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from openwenku.search import planner
    from openwenku.search.backends import base, postgres
    from openwenku.search.backends.base import SearchBackend

    monkeypatch.setattr(base, "EXACT_LIMIT", 4)
    monkeypatch.setattr(planner, "TITLE_CANDIDATES", 5)
    monkeypatch.setattr(planner, "BODY_CANDIDATES", 5)
    monkeypatch.setattr(base, "SHARE_SAMPLE", 8)
    for i in range(36):
        make_doc(
            f"安全手册{i}" if i % 3 == 0 else f"资料{i}",
            ["核电厂的安全审查和评价。" if i % 2 else "安全评价的流程与经验。"],
            fmt="pdf" if i % 4 == 0 else "docx",
            downloads=(i * 7) % 11,
        )
    with connection.cursor() as cursor:
        # Rows in id order in both tables, so that every plan (whichever table it
        # starts from) meets the matches in the same order: windows are well defined.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # (no deferred checks pending)
        for table in ("search_searchentry", "documents_document"):
            cursor.execute(f"CLUSTER {table} USING {table}_pkey")
            cursor.execute(f"ANALYZE {table}")
    cases = [
        ("安全", {}),
        ("安全 评价", {}),
        ("安全 -核电厂", {}),
        ('"安全审查"', {}),
        ("评价", {"filters": SearchFilters(formats=["pdf"])}),
        ("安全", {"page": 2, "page_size": 4}),
        ("安全 评价", {"sort": "newest"}),
    ]

    def results():
        out = []
        for query, kwargs in cases:
            found = selectors.search_documents(query=query, **{"page_size": 4, **kwargs})
            out.append(([h.document.pk for h in found.hits], found.total, found.approximate))
        return out

    used = {"first": 0}
    real_first = postgres.PostgresBackend._first_window

    def first(self, cursor, window):
        found = real_first(self, cursor, window)
        used["first"] += found is not None
        return found

    monkeypatch.setattr(postgres.PostgresBackend, "_first_window", first)
    shortcut = results()
    assert used["first"]
    monkeypatch.setattr(postgres.PostgresBackend, "window", SearchBackend.window)
    monkeypatch.setattr(
        postgres.PostgresBackend, "counted_match_sql", SearchBackend.counted_match_sql
    )
    reference = results()
    assert shortcut == reference
    assert reference[0][2] and reference[0][1] > 4  # (the windows were used)
