"""Running the content checks, storing their findings, acting on them."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from openwenku.accounts.models import User
from openwenku.audit.models import AuditEntry
from openwenku.audit.services import audit_record
from openwenku.core.errors import ApplicationError
from openwenku.documents.models import Document
from openwenku.documents.publishing import Reason, Verdict
from openwenku.documents.services import document_hold

from . import registry
from .messages import reason_message
from .models import AcceptedFinding, CheckRun, Hit, SensitiveWord, WordCategory, WordListVersion
from .normalize import normalize
from .registry import Finding

logger = logging.getLogger(__name__)

_ACTION = {"pass": "publish", "info": "publish", "hold": "hold", "reject": "reject"}


@dataclass
class CheckResult:
    """What :func:`run_checks` found: the action for the document and why."""

    action: str = "publish"  # "publish" | "hold" | "reject"
    reasons: list[Reason] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # every finding, accepted ones too
    held_by: list[Finding] = field(default_factory=list)  # the ones deciding the action

    @property
    def verdict(self) -> Verdict:
        return Verdict(self.action, list(self.reasons))  # type: ignore[arg-type]


def _key(kind: str, page: int | None, excerpt: str) -> tuple[str, int | None, str]:
    return (kind, page, excerpt[:500])


def run_checks(document: Document, *, codes: list[str] | None = None) -> CheckResult:
    """Run every registered check (or those in ``codes``) on ``document``.

    The stored results of the checks that ran are replaced in one transaction
    (one CheckRun per check per document). Findings a moderator accepted before
    (same kind, page and excerpt) are stored accepted and decide nothing.
    A check that crashes is logged and its previous result kept: our bug must
    not block a member's upload.
    """
    found: dict[str, list[Finding]] = {}
    for check in registry.checks():
        if codes is not None and check.code not in codes:
            continue
        try:
            found[check.code] = list(check.fn(document))
        except Exception:
            logger.exception("content check %s failed on document %s", check.code, document.pk)
    accepted = {
        _key(kind, page, excerpt): (by, at)
        for kind, page, excerpt, by, at in AcceptedFinding.objects.filter(
            document=document
        ).values_list("kind", "page", "excerpt", "accepted_by", "accepted_at")
    }
    result = CheckResult()
    with transaction.atomic():
        for code, findings in found.items():
            live = [f for f in findings if _key(f.kind, f.page, f.excerpt) not in accepted]
            outcome = registry.strictest([f.severity for f in live])
            run, _created = CheckRun.objects.update_or_create(
                document=document, check_code=code, defaults={"outcome": outcome}
            )
            run.hits.all().delete()
            Hit.objects.bulk_create(
                [
                    Hit(
                        run=run,
                        kind=f.kind[:32],
                        severity=f.severity,
                        page=f.page,
                        excerpt=f.excerpt[:500],
                        context=f.context[:500],
                        score=f.score,
                        duplicate_of_id=f.duplicate_of_id,
                        details=f.details,
                        accepted=_key(f.kind, f.page, f.excerpt) in accepted,
                        accepted_by_id=accepted.get(_key(f.kind, f.page, f.excerpt), (None,))[0],
                        accepted_at=accepted.get(_key(f.kind, f.page, f.excerpt), (None, None))[1],
                    )
                    for f in findings
                ]
            )
            result.findings.extend(findings)
            result.held_by.extend(f for f in live if f.severity in ("hold", "reject"))
    return _decide(result)


def _decide(result: CheckResult) -> CheckResult:
    worst = registry.strictest([f.severity for f in result.held_by])
    result.action = _ACTION[worst]
    if result.action == "publish":
        return result
    deciding = [f for f in result.held_by if f.severity == worst]
    kinds = list(dict.fromkeys(f.kind for f in deciding))
    kinds += [k for k in dict.fromkeys(f.kind for f in result.held_by) if k not in kinds]
    result.reasons = [Reason(kind, str(reason_message(kind))) for kind in kinds]
    return result


def publish_gate(document: object) -> Verdict:
    """The publish gate conversion consults (registered in apps.ready)."""
    assert isinstance(document, Document)
    return run_checks(document).verdict


# Documents the checks look at after conversion (the publish gate sees the others).
CHECKED_STATUSES = (
    Document.Status.READY,
    Document.Status.HELD,
    Document.Status.UNPUBLISHED,
    Document.Status.REJECTED,
)


def integrity_recheck(*, document: Document, metadata_only: bool = False) -> CheckResult | None:
    """Re-run the checks after an edit (``metadata_only``), OCR or a list change.

    A published document that now has a finding that holds or rejects is held
    for review (never for a finding a moderator already accepted); a moderator
    decides whether to reject it. Documents not converted yet are left alone:
    the publish gate checks them.
    """
    if document.status not in CHECKED_STATUSES:
        return None
    codes = [c.code for c in registry.checks() if c.metadata] if metadata_only else None
    result = run_checks(document, codes=codes)
    if result.action != "publish" and document.status == Document.Status.READY:
        first = result.reasons[0]
        with translation.override("en"):
            english = "; ".join(str(reason_message(r.code)) for r in result.reasons)
        document_hold(document=document, code=first.code, reason=english)
    return result


def integrity_recheck_all(*, document: Document) -> str:
    """``checks run``: every check again; "checked", "held", "rejected" or "skipped"."""
    result = integrity_recheck(document=document)
    if result is None:
        return "skipped"
    return {"publish": "checked", "hold": "held", "reject": "rejected"}[result.action]


def findings_accept(document: Document, by: User | None) -> int:
    """A moderator reviewed ``document``'s findings and let it through: none of
    them holds it again (also after re-runs). Returns how many were accepted."""
    now = timezone.now()
    with transaction.atomic():
        hits = list(Hit.objects.filter(run__document=document, accepted=False))
        known = {
            _key(k, p, e)
            for k, p, e in AcceptedFinding.objects.filter(document=document).values_list(
                "kind", "page", "excerpt"
            )
        }
        new = []
        for hit in hits:
            key = _key(hit.kind, hit.page, hit.excerpt)
            if key not in known:
                known.add(key)
                new.append(
                    AcceptedFinding(
                        document=document,
                        kind=hit.kind,
                        page=hit.page,
                        excerpt=hit.excerpt,
                        accepted_by=by,
                    )
                )
        AcceptedFinding.objects.bulk_create(new)
        Hit.objects.filter(pk__in=[h.pk for h in hits]).update(
            accepted=True, accepted_by=by, accepted_at=now
        )
        for run in CheckRun.objects.filter(document=document):
            run.outcome = registry.strictest(
                [s for s in run.hits.filter(accepted=False).values_list("severity", flat=True)]
            )
            run.save(update_fields=["outcome"])
    return len(hits)


# -- the sensitive-word list ------------------------------------------------------


class WordListInvalid(ApplicationError):
    """A word-list file with bad lines: nothing of it was imported."""

    code = "word_list_invalid"
    status = 400
    default_message = _("The word list has errors; nothing was imported.")

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__()
        self.errors = errors

    @property
    def message(self) -> str:
        lines = "; ".join(
            str(_("line %(line)d: %(error)s") % {"line": n, "error": e}) for n, e in self.errors
        )
        return f"{super().message} {lines}"

    def extra(self) -> dict[str, Any]:
        return {"errors": [{"line": n, "error": e} for n, e in self.errors]}


@dataclass
class WordImport:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0


_SPLIT = re.compile(r"\t|,|，")


def words_parse(text: str, *, category: str | None = None) -> list[tuple[str, str]]:
    """(normalised word, category name) of each line of a word-list file.

    A line is ``word``, ``word<TAB>category`` or ``word,category``; blank lines
    and lines starting with ``#`` are skipped. ``category`` is the default for
    lines without one. Raises :class:`WordListInvalid` with every bad line.
    """
    known = set(WordCategory.objects.values_list("name", flat=True))
    errors: list[tuple[int, str]] = []
    words: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in _SPLIT.split(line, maxsplit=1)]
        raw, name = parts[0], (parts[1] if len(parts) > 1 and parts[1] else category)
        word = normalize(raw)
        if not word:
            errors.append((number, str(_("“%(word)s” has no letters or digits") % {"word": raw})))
        elif len(word) > SensitiveWord._meta.get_field("word").max_length:  # type: ignore[operator]
            errors.append((number, str(_("“%(word)s” is too long") % {"word": raw})))
        elif not name:
            errors.append((number, str(_("“%(word)s” has no category") % {"word": raw})))
        elif name not in known:
            errors.append((number, str(_("unknown category “%(category)s”") % {"category": name})))
        elif words.get(word, name) != name:
            errors.append(
                (
                    number,
                    str(_("“%(word)s” is listed twice in different categories") % {"word": raw}),
                )
            )
        else:
            words[word] = name
    if errors:
        raise WordListInvalid(errors)
    return list(words.items())


def words_changed(*, by: User | None, reason: str, **details: Any) -> None:
    """Bump the list's version (every worker rebuilds its matcher) and audit the change."""
    updated = WordListVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        WordListVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    audit_record(AuditEntry.Action.WORDS_CHANGED, actor=by, reason=reason, **details)


def words_import(
    *, text: str, category: str | None = None, replace: bool = False, by: User | None = None
) -> WordImport:
    """Import a word-list file, all or nothing (see :func:`words_parse`).

    ``replace``: words not in the file are deleted.
    """
    entries = words_parse(text, category=category)
    result = WordImport()
    with transaction.atomic():
        categories = dict(WordCategory.objects.values_list("name", "pk"))
        existing = dict(SensitiveWord.objects.values_list("word", "category_id"))
        new, moved = [], []
        for word, name in entries:
            wanted = categories[name]
            if word not in existing:
                new.append(SensitiveWord(word=word, category_id=wanted))
            elif existing[word] != wanted:
                moved.append((word, wanted))
            else:
                result.unchanged += 1
        SensitiveWord.objects.bulk_create(new, batch_size=1000)
        for word, wanted in moved:
            SensitiveWord.objects.filter(word=word).update(category_id=wanted)
        result.added, result.changed = len(new), len(moved)
        if replace:
            keep = {word for word, _name in entries}
            gone = [w for w in existing if w not in keep]
            for start in range(0, len(gone), 500):
                SensitiveWord.objects.filter(word__in=gone[start : start + 500]).delete()
            result.removed = len(gone)
        words_changed(
            by=by,
            reason="import",
            added=result.added,
            changed=result.changed,
            removed=result.removed,
            replace=replace,
        )
    return result


def words_export() -> str:
    """The whole list as a file ``words_import`` reads back: ``word<TAB>category``."""
    rows = SensitiveWord.objects.order_by("category__name", "word").values_list(
        "word", "category__name"
    )
    return "".join(f"{word}\t{name}\n" for word, name in rows)


def word_add(*, word: str, category: WordCategory, by: User | None = None) -> SensitiveWord:
    """Add one word (normalised) or move it to ``category``."""
    with transaction.atomic():
        normal = normalize(word)
        if not normal:
            raise ApplicationError(_("The word has no letters or digits."), code="word_empty")
        obj, _created = SensitiveWord.objects.update_or_create(
            word=normal, defaults={"category": category}
        )
        words_changed(by=by, reason="add", word=normal, category=category.name)
    return obj
