"""A rights holder sends a copyright notice in a real browser (no account), an
operator accepts it in the browser, and the document page answers 410; the uploader
files a counter-notice from that page, the operator restores the document, and it
serves again."""

import os

import pytest

from tests.access.conftest import staff  # noqa: F401  (an operator with named permissions)
from tests.market.conftest import make_doc

from .conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_notice_accepted_in_the_browser_takes_the_page_down(
    page,
    live_server,
    transactional_db,
    django_user_model,
    staff,  # noqa: F811
    tmp_path,
    settings,
):
    settings.SITE_URL = live_server.url  # the address readers copy from their browser
    uploader = django_user_model.objects.create_user(
        "uploader", "up@example.com", "s3cret-Passw0rd"
    )
    doc = make_doc(uploader, pages=2, title="被侵权的辞典")
    staff("copyright-op", "moderation.handle_notice", "moderation.take_down")
    proof = tmp_path / "著作权登记证书.pdf"
    proof.write_bytes(b"%PDF-1.4 proof\n")
    page.set_default_timeout(30_000)

    # The rights holder follows the footer's link from the document page.
    assert page.goto(f"{live_server.url}/doc/{doc.pk}.html").status == 200
    page.click("footer a[href='/copyright/notice/']")
    page.wait_for_selector("#notice-form")
    page.fill("#id_name", "某某出版社")
    page.fill("#id_email", "rights@publisher.example")
    page.fill("#id_work", "《被侵权的辞典》2020 年版")
    page.fill("#id_urls", f"{live_server.url}/doc/{doc.pk}.html")
    page.set_input_files("#id_proof", [str(proof)])
    page.check("#id_good_faith")
    page.check("#id_accurate")
    page.click("#notice-form button[type=submit]")
    number = page.inner_text("#notice-number")
    assert "CN" in number

    # The operator logs in and accepts it from the queue.
    page.goto(f"{live_server.url}/accounts/login/?next=/manage/notices/")
    page.fill("input[name=username]", "copyright-op")
    page.fill("input[name=password]", "s3cret-Passw0rd")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/manage/notices/")
    page.click("#notices a")
    page.wait_for_selector("#accept-form")
    assert "被侵权的辞典" in page.inner_text("main")
    page.click("#accept-form button[type=submit]")
    page.wait_for_selector(".messages")
    assert "已下架" in page.inner_text(".messages")

    # The document page now answers 410 with the notice, to anyone.
    page.context.clear_cookies()
    response = page.goto(f"{live_server.url}/doc/{doc.pk}.html")
    assert response.status == 410
    assert "文档已下架" in page.inner_text("#taken-down")

    # The uploader sees why, and files a counter-notice from the 410 page.
    page.goto(f"{live_server.url}/accounts/login/?next=/doc/{doc.pk}.html")
    page.fill("input[name=username]", "uploader")
    page.fill("input[name=password]", "s3cret-Passw0rd")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#taken-down")
    page.click("#taken-down a.btn-primary")
    page.wait_for_selector("#counter-notice-form")
    page.fill("#id_real_name", "王小明")
    page.fill("#id_contact", "up@example.com")
    page.fill("#id_reasons", "这本辞典是我本人编写的，出版合同保留了网络传播权。")
    page.check("#id_statement")
    page.click("#counter-notice-form button[type=submit]")
    page.wait_for_selector(".messages")

    # The operator restores it from the takedowns queue; it serves again to anyone.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next=/manage/takedowns/")
    page.fill("input[name=username]", "copyright-op")
    page.fill("input[name=password]", "s3cret-Passw0rd")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#takedowns")
    page.click("#takedowns a")
    page.wait_for_selector("#decide-form")
    assert "王小明" in page.inner_text("main")
    page.click("#decide-form button.btn-primary")
    page.wait_for_selector(".messages")
    page.context.clear_cookies()
    response = page.goto(f"{live_server.url}/doc/{doc.pk}.html")
    assert response.status == 200
    assert "被侵权的辞典" in page.inner_text("h1")
