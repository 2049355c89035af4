"""Contact details and advertising: found with their obfuscations, counted per
document, held or recorded by the operator's policy."""

import pytest

from openwenku.documents.models import Document
from openwenku.integrity import selectors
from openwenku.integrity.checks.contact import find_contacts

pytestmark = pytest.mark.django_db

FILLER = "本文介绍文库系统的设计与实现，包括上传、转换、检索和阅读等环节。" * 12


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("联系我 微信：abc123 谢谢", "wechat", "abc123"),
        ("加V：zhangsan88", "wechat", "zhangsan88"),
        ("加Ｖ zhangsan88", "wechat", "zhangsan88"),
        ("VX：abc123", "wechat", "abc123"),
        ("v信 abc123456", "wechat", "abc123456"),
        ("薇信 abc12345", "wechat", "abc12345"),
        ("ｗｅｉｘｉｎ： hello_world", "wechat", "hello_world"),
        ("wx: abc_12345", "wechat", "abc_12345"),
        ("微信号:13912345678", "wechat", "13912345678"),
        ("Q Q 12345678", "qq", "12345678"),
        ("ＱＱ：１２３４５６７８", "qq", "12345678"),
        ("扣扣 987654321", "qq", "987654321"),
        ("企鹅号：10001", "qq", "10001"),
        ("QQ群 1234-5678", "qq", "12345678"),
        ("电话 138 1234 5678", "phone", "13812345678"),
        ("手机13812345678。", "phone", "13812345678"),
        ("+86-139-1234-5678", "phone", "13912345678"),
        ("手机：1 3 8 1 2 3 4 5 6 7 8", "phone", "13812345678"),
        ("致电 010-62751234", "phone", "01062751234"),
        ("(0571) 8888 8888", "phone", "057188888888"),
        ("电话：0571-88888888", "phone", "057188888888"),
        ("邮箱 abc.def@qq.com", "email", "abc.def@qq.com"),
        ("abc (at) gmail (dot) com", "email", "abc(at)gmail(dot)com"),
        ("访问 www.example.com 下载", "url", "www.example.com"),
        ("ｗｗｗ．ｂａｉｄｕ．ｃｏｍ", "url", "www.baidu.com"),
        ("到 xxx点com 领取", "url", "xxx点com"),
        ("https://ex.cn/path?a=1", "url", "https://ex.cn/path?a=1"),
    ],
)
def test_found_with_obfuscations(text, kind, value):
    [contact] = find_contacts(text)
    assert (contact.type, contact.value) == (kind, value)
    assert contact.excerpt in text


@pytest.mark.parametrize(
    "text",
    [
        "wxWidgets 库",
        "微信公众号和微信支付",
        "GB/T 12345-2008 规定",
        "2023年12月31日",
        "图 1.2 所示，e.g. the method",
        "版本 v1.2.3，文件 report.docx",
        "ISBN 978-7-111-12345-6",
        "node.js and vue.js",
        "编号 15012345678901234",
        "共计 13800 元，增长 12.5%",
        "SF1 7 0 2 1 2 3 4 5 6 8 9 1 3 4 SF1",  # a table of digits
        "16 18 5 0 2.0 1.1 2 15 20",
        "% 21% 5.9% 6.3% 230 192 2008 2009 Web+ 19%",  # counts and years in a table row
    ],
)
def test_ordinary_text_is_not_a_contact(text):
    assert find_contacts(text) == []


def test_wechat_id_holds_and_the_uploader_sees_why(convert_text, member_client):
    document = convert_text(FILLER + "需要资料请加微信：abc123，备注文库。" + FILLER)
    assert document.status == Document.Status.HELD
    assert document.failure_code == "contact"
    [hit] = selectors.findings_for(document)
    assert hit.details["type"] == "wechat" and hit.details["value"] == "abc123"
    assert hit.excerpt == "微信：abc123" and "需要资料请加" in hit.context
    page = member_client.get(document.get_absolute_url()).content.decode()
    assert "文档包含联系方式" in page


def test_counted_per_document(convert_text):
    document = convert_text(
        FILLER + "Q Q 12345678 " + FILLER + "\f" + "电话 13812345678，QQ：87654321" + FILLER
    )
    hits = selectors.findings_for(document)
    assert sorted(h.details["type"] for h in hits) == ["phone", "qq", "qq"]
    assert {h.details["counts"]["qq"] for h in hits} == {2}
    assert {h.page for h in hits} == {1, 2}


def test_links_on_the_last_page_are_information(convert_text, settings):
    text = FILLER + "\f" + FILLER + "\f" + FILLER + "更多资料见 www.example.com 或 a@example.com"
    document = convert_text(text)
    assert document.status == Document.Status.READY, document.failure_reason
    hits = selectors.findings_for(document)
    assert [(h.details["type"], h.severity, h.page) for h in hits] == [
        ("url", "info", 3),
        ("email", "info", 3),
    ]


def test_an_advertised_link_holds(convert_text):
    document = convert_text(
        FILLER + "更多精品资料请访问 www.spam-example.com 免费下载" + FILLER + "\f" + FILLER
    )
    assert document.status == Document.Status.HELD
    [hit] = selectors.findings_for(document)
    assert (hit.details["type"], hit.severity) == ("url", "hold")


def test_a_plain_reference_link_is_information(convert_text):
    text = FILLER + "更多内容参见 http://www.w3.org/TR/xml/ 第三节。" + FILLER + "\f" + FILLER
    document = convert_text(text)
    assert document.status == Document.Status.READY
    assert [h.severity for h in selectors.findings_for(document)] == ["info"]


def test_links_on_many_pages_can_hold(convert_text, settings):
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "CHECKS": {**settings.OPENWENKU["CHECKS"], "CONTACT_LINK_PAGES": 3},
    }
    page = FILLER + "本文网址：www.spam-example.com"
    document = convert_text("\f".join([page] * 4))
    assert document.status == Document.Status.HELD
    # Pages 1-3 hold; the last page's link is allowed there.
    assert [(h.page, h.severity) for h in selectors.findings_for(document)] == [
        (1, "hold"),
        (2, "hold"),
        (3, "hold"),
        (4, "info"),
    ]


def test_allowed_domains_and_the_site_itself(convert_text, settings):
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "CHECKS": {**settings.OPENWENKU["CHECKS"], "CONTACT_ALLOWED_DOMAINS": ["gov.cn"]},
    }
    settings.SITE_URL = "https://wenku.example.org"
    page = FILLER + "依据 http://www.std.gov.cn/ 与 wenku.example.org/doc/1 。"
    document = convert_text("\f".join([page] * 4))
    assert document.status == Document.Status.READY
    assert selectors.findings_for(document) == []


def test_policy_setting_decides_what_holds(convert_text, settings):
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "CHECKS": {**settings.OPENWENKU["CHECKS"], "CONTACT_HOLD": ["qq"]},
    }
    document = convert_text(FILLER + "电话 13812345678" + FILLER)
    assert document.status == Document.Status.READY
    assert [h.severity for h in selectors.findings_for(document)] == ["info"]
