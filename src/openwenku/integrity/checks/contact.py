"""Contact details and advertising in the text: phone numbers, QQ numbers,
WeChat ids, e-mail addresses and links, with their usual obfuscations.

The patterns run over the lightly normalised text (:func:`..normalize.fold`:
full-width → half-width, lowercase, traditional → simplified; punctuation
kept), so ``ＱＱ：１２３４５６７８`` reads as ``qq:12345678``; separators between
digits (``138 1234 5678``, ``Q Q 1234-5678``) and spelled-out dots (``点com``)
are allowed by the patterns themselves. Every hit is mapped back to the
original text for its excerpt and context. What holds a document is the
operator's policy (settings ``OPENWENKU_CONTACT_*``, README "Content checks").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from openwenku.documents.models import Document

from ..normalize import context, fold, offsets
from ..registry import Finding, register_check
from .sensitive_words import _segments

CODE = "contact"

_SEP = r"[\s\-]?"  # one separator between digits
_TLDS = (
    "com|cn|net|org|edu|gov|info|top|xyz|cc|io|me|vip|club|site|shop|tv|co|biz|"
    "wang|ltd|work|online|tech|hk|tw|app|dev|ink|link|live|pro|store|fun|icu|asia"
)
# "." also spelled out: 点 / 。 / (dot) / [dot] / " dot ".
_DOT = r"(?:\.|点|。|\s*[\(\[{]\s*dot\s*[\)\]}]\s*|\s+dot\s+)"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "email",
        re.compile(
            rf"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]{{0,63}}"
            rf"\s*(?:@|[\(\[{{]\s*at\s*[\)\]}}])\s*"
            rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?:{_TLDS}))(?![a-z0-9])"
        ),
    ),
    (
        "url",
        re.compile(
            rf"(?:(?:https?|ftp)://(?P<host>[^\s/\"'<>()（）]+)[^\s\"'<>]*"
            rf"|(?<![a-z0-9@.\-])(?P<domain>(?:www{_DOT})?{_LABEL}(?:{_DOT}{_LABEL})*"
            rf"\.(?:{_TLDS})|(?:www{_DOT}){_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?:{_TLDS})"
            rf"|{_LABEL}(?:点|。|\s*[\(\[{{]\s*dot\s*[\)\]}}]\s*)(?:com|cn|net|org))"
            rf"(?![a-z0-9\-])(?:/[^\s\"'<>]*)?)"
        ),
    ),
    (
        "wechat",
        re.compile(
            r"(?:微\s*信|威\s*信|薇\s*信|v\s*信|加\s*v|加\s*微|微\s*x"
            r"|(?<![a-z0-9])(?:wei\s*xin|weixin|wechat|vx|wx|vchat)(?=\s*(?:号|id)?\s*[:\s]))"
            r"\s*(?:号码|号|id)?\s*[:]?\s*"
            r"(?P<value>[a-z][a-z0-9_\-]{5,19}|1[3-9]\d{9}|\d{6,12})(?![a-z0-9_\-])"
        ),
    ),
    (
        "qq",
        re.compile(
            r"(?:(?<![a-z0-9])q\s*q|扣\s*扣|企\s*鹅)\s*(?:号码|号|群)?\s*[:]?\s*"
            rf"(?P<value>[1-9](?:{_SEP}\d){{4,10}})(?![\d])"
        ),
    ),
    (
        "phone",
        # Mobiles: 13812345678, 138 1234 5678, 138-1234-5678, +86 …; digits spaced
        # out one by one (1 3 8 1 2 …) only after a word that says it is a number
        # to call: tables are full of single digits in a row.
        re.compile(
            r"(?<![\d.])(?:(?:\+|00)?86[\s\-]?)?(?P<value>1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4})"
            r"(?![\d])(?!\.\d)"
            r"|(?:电话|手机|手机号|联系|热线|致电|拨打|tel|phone|call)\s*[:]?\s*"
            r"(?P<value2>1(?P<sep>[\s\-])[3-9](?:(?P=sep)\d){9})(?![\d])"
        ),
    ),
    (
        "phone",
        # Landlines: (010) 1234 5678, 0571-88888888; a bare 0… run of digits only
        # after a word that says it is a number to call.
        re.compile(
            r"(?:(?<![\d])(?:\(0\d{2,3}\)|0\d{2,3}[\-\s])\s*(?P<value>[2-9]\d{2,3}[\-\s]?\d{4})"
            r"|(?:电话|热线|tel|phone|座机|传真|fax|联系)\s*[:]?\s*"
            r"(?P<value2>0\d{2,3}[\-\s]?[2-9]\d{6,7}))(?![\d])"
        ),
    ),
]


@dataclass(frozen=True)
class Contact:
    type: str  # phone | qq | wechat | email | url
    value: str  # as normalised: digits only for numbers, the address or link
    domain: str  # e-mail and links: the host, else ""
    start: int  # span in the original text
    end: int
    excerpt: str
    context: str


def _clean_domain(domain: str) -> str:
    domain = re.sub(_DOT, ".", domain.strip().lower())
    domain = domain.split(":")[0].strip(".")
    return domain.removeprefix("www.")


_NUMBER_NEIGHBOUR = re.compile(r"[\d%.,]")


def _in_a_table_of_numbers(folded: str, match: re.Match[str]) -> bool:
    """A number written with spaces ("192 2008 2009") that sits between other numbers
    is a row of table cells (counts, years, percentages), not a phone number."""
    if not re.search(r"\s", match.group(0)):
        return False
    before = folded[: match.start()].rstrip()
    after = folded[match.end() :].lstrip()
    return bool(
        (before and _NUMBER_NEIGHBOUR.match(before[-1]))
        or (after and _NUMBER_NEIGHBOUR.match(after[0]))
    )


def find_contacts(text: str) -> list[Contact]:
    """Every contact detail in ``text``, earlier patterns winning overlaps."""
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, str, str]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            groups = match.groupdict()
            if kind == "phone" and _in_a_table_of_numbers(folded, match):
                continue
            domain = ""
            if kind in ("email", "url"):
                domain = _clean_domain(groups.get("domain") or groups.get("host") or "")
                value = re.sub(r"\s+", "", match.group(0))
            else:
                raw = groups.get("value") or groups.get("value2") or match.group(0)
                if kind == "wechat":
                    value = re.sub(r"[^0-9a-z_\-]", "", raw)
                elif kind == "phone" and not raw.startswith("1"):
                    value = re.sub(r"\D", "", match.group(0))  # a landline: with its area code
                else:
                    value = re.sub(r"\D", "", raw)
            taken.append((start, end))
            found.append((start, end, kind, value, domain))
    if not found:
        return []
    starts = offsets(text, "light")
    contacts = []
    for start, end, kind, value, domain in sorted(found):
        first, last = starts[start], starts[end - 1] + 1
        contacts.append(
            Contact(
                type=kind,
                value=value,
                domain=domain,
                start=first,
                end=last,
                excerpt=text[first:last],
                context=context(text, first, last),
            )
        )
    return contacts


def allowed_domain(domain: str) -> bool:
    """The site's own domain and the operator's allowed ones (subdomains too)."""
    if not domain:
        return False
    allowed = {
        d.lower().removeprefix("www.")
        for d in settings.OPENWENKU["CHECKS"]["CONTACT_ALLOWED_DOMAINS"]
    }
    own = urlsplit(settings.SITE_URL).hostname
    if own:
        allowed.add(own.lower().removeprefix("www."))
    return any(domain == d or domain.endswith("." + d) for d in allowed if d)


def last_page(document: Document) -> int | None:
    if not document.pk:
        return None
    numbers = document.pages.values_list("number", flat=True)
    return max(numbers, default=None) or (document.page_count or None)


# Words that make a link an advertisement ("more documents at …", "scan to …").
AD_WORDS = re.compile(
    r"更多|下载|访问|关注|加群|免费|优惠|代写|代做|购买|淘宝|店铺|咨询|扫码|领取|资料库|网盘"
)


def _deep(link: str) -> bool:
    """A link to a page inside a site (a path after the host), not to the site."""
    rest = re.sub(r"^[a-z]+://", "", link).split("/", 1)
    return len(rest) > 1 and bool(rest[1].strip("/"))


def severity_of(
    kind: str,
    page: int | None,
    last: int | None,
    link_pages: set[int | None],
    context: str = "",
    deep_link: bool = False,
) -> str:
    """The operator's policy for one contact detail (see the settings)."""
    policy = settings.OPENWENKU["CHECKS"]
    on_last_page = page is not None and page == last and kind in policy["CONTACT_LAST_PAGE"]
    if on_last_page:
        return "info"
    if kind in policy["CONTACT_HOLD"]:
        return "hold"
    if kind in ("email", "url"):
        threshold = policy["CONTACT_LINK_PAGES"]
        if threshold and len(link_pages) >= threshold:
            return "hold"
        # A site offered with words of advertising ("更多资料请访问 www.….com"); a deep
        # link (https://host/path/…) is a reference, whatever its neighbours say.
        if not deep_link and AD_WORDS.search(fold(context)):
            return "hold"
    return "info"


def check(document: Document) -> list[Finding]:
    policy = settings.OPENWENKU["CHECKS"]
    last = last_page(document)
    hits: list[tuple[int | None, str, Contact]] = []
    for page, field, text in _segments(document):
        if text:
            hits += [
                (page, field, c)
                for c in find_contacts(text)
                if not (c.type in ("email", "url") and allowed_domain(c.domain))
            ]
    if not hits:
        return []
    counts: dict[str, int] = {}
    for _page, _field, contact in hits:
        counts[contact.type] = counts.get(contact.type, 0) + 1
    # Pages (None: title/description/tags) with links that the last-page rule does not cover.
    link_pages = {
        page
        for page, _field, c in hits
        if c.type in ("email", "url")
        and not (page is not None and page == last and c.type in policy["CONTACT_LAST_PAGE"])
    }
    findings = [
        Finding(
            kind="contact",
            severity=severity_of(
                c.type, page, last, link_pages, c.context, deep_link=_deep(c.value)
            ),
            page=page,
            excerpt=c.excerpt,
            context=c.context,
            details={
                "type": c.type,
                "value": c.value,
                "domain": c.domain,
                "field": field,
                "count": counts[c.type],
                "counts": counts,
            },
        )
        for page, field, c in hits
    ]
    # The strictest first, so the stored ones (up to the limit) are those that matter.
    findings.sort(key=lambda f: f.severity != "hold")
    return findings[: policy["MAX_FINDINGS"]]


def register() -> None:
    register_check(CODE, check, label=_("Contact details and advertising"), metadata=True)
