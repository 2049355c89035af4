"""The message centre: notices reach their member, are counted in the header
until read, are worded in the reader's language and important ones are e-mailed."""

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy

from openwenku.notifications import kinds
from openwenku.notifications.services import notify
from tests.conftest import run_worker

# Wording made of messages the catalogue already translates, so the test sees both languages.
NEWS = kinds.register(kinds.Kind("test-news", gettext_lazy("Messages"), "%(title)s"))
IMPORTANT = kinds.register(
    kinds.Kind("test-important", gettext_lazy("Messages"), "%(title)s", email=True)
)


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_user("other", "other@example.com", "pw-Other-123")


@pytest.mark.django_db
def test_unread_count_in_header_until_the_centre_is_opened(member_client, member):
    notify(member, NEWS, title="《高等数学》已通过审核", url="/d/1/")
    notify(member, NEWS, title="second")

    home = member_client.get("/").content.decode()
    assert 'id="nav-unread">2<' in home

    page = member_client.get("/notifications/").content.decode()
    assert "《高等数学》已通过审核" in page
    assert 'href="/d/1/"' in page
    assert page.count('class="notice unread"') == 2  # shown once as new...

    # ...then read: the header no longer counts them.
    assert 'id="nav-unread"' not in member_client.get("/").content.decode()
    assert 'class="notice unread"' not in member_client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_mark_all_read(member_client, member):
    notify(member, NEWS, title="a")
    response = member_client.post("/notifications/read/")
    assert response.status_code == 302
    assert 'id="nav-unread"' not in member_client.get("/").content.decode()


@pytest.mark.django_db
def test_a_member_sees_only_their_own_notices(client, member, other):
    notify(member, NEWS, title="for the member only")
    client.force_login(other)
    assert "for the member only" not in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_the_centre_needs_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_notice_is_worded_in_the_readers_language(member_client, member):
    notify(member, NEWS, title="x")
    member_client.cookies["django_language"] = "en"
    assert '<p class="notice-title"><span class="badge">New</span> Messages' in (
        member_client.get("/notifications/").content.decode()
    )
    notify(member, NEWS, title="y")
    member_client.cookies["django_language"] = "zh-hans"
    assert "消息" in member_client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_links_stay_on_the_site(member):
    assert notify(member, NEWS, title="x", url="https://evil.example/").url == ""
    assert notify(member, NEWS, title="x", url="//evil.example/").url == ""
    assert notify(member, NEWS, title="x", url="/d/5/").url == "/d/5/"


@pytest.mark.django_db
def test_unknown_kind_is_refused(member):
    with pytest.raises(ValueError):
        notify(member, "no-such-kind")


@pytest.mark.django_db(transaction=True)
def test_important_notices_are_emailed_once(member):
    notice = notify(member, IMPORTANT, title="您的文档已被下架", url="/d/9/")
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "您的文档已被下架" in message.body
    assert "/d/9/" in message.body
    # Sending it again (a task run twice) mails nothing more.
    from openwenku.notifications.tasks import email_notification

    email_notification.call(notice.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_member_can_turn_email_off(client, member):
    client.force_login(member)
    client.post("/notifications/preferences/", {})  # checkbox unticked
    notify(member, IMPORTANT, title="quiet")
    notify(member, NEWS, title="never mailed anyway")
    run_worker()
    assert mail.outbox == []
    client.post("/notifications/preferences/", {"email": "on"})
    notify(member, IMPORTANT, title="loud")
    run_worker()
    assert [m.to for m in mail.outbox] == [[member.email]]
