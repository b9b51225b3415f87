"""The hooks that keep the aggregates current: publication of a session's results and the closing of a
re-check or перепроверка (which changes a result after publication) rebuild the session's aggregates once
the transaction commits. Both are post_save signals on the models, so they fire whichever service (or the
admin) publishes."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from itog.conduct.models import RecheckCase, RecheckStatus
from itog.exams.models import ExamSession


def _schedule(session_id: int, reason: str) -> None:
    def run():
        from .refresh import refresh_session

        session = ExamSession.objects.filter(pk=session_id).select_related("region").first()
        if session is not None:
            refresh_session(session, reason)

    transaction.on_commit(run)


@receiver(post_save, sender=ExamSession, dispatch_uid="analytics_on_publish")
def on_publish(sender, instance: ExamSession, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if update_fields is not None and "published_at" not in update_fields:
        return
    if instance.published_at is not None:
        _schedule(instance.pk, "публикация результатов")


@receiver(post_save, sender=RecheckCase, dispatch_uid="analytics_on_recheck")
def on_recheck_closed(sender, instance: RecheckCase, raw=False, **kwargs):
    if not raw and instance.status == RecheckStatus.CLOSED:
        _schedule(instance.work.session_id, "повторная проверка / перепроверка")
