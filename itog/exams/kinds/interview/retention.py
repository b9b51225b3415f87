"""Retention of the interview's recordings and forms.

The seeds do not say how long the interview's recordings, protocols and statements are kept.
Issue 16 asks for the essay's storage rules to be extended to them, so (our reading, a setting):
recordings are kept like the essay's audio recordings and the protocols and statements like its
report forms — until 1 March, in the reading the essay uses (:data:`essay_after.ORIGINALS_READING`:
of the academic year after the exam's). Until then destruction is refused (I80).
"""

from __future__ import annotations

from datetime import date

from itog.exams.kinds.base import Choice, Violation
from itog.exams.kinds.essay import after as essay_after

from .codes import fmt_date, violation

__all__ = ["Kept", "check_destruction", "destroy_not_before"]


class Kept(Choice):
    RECORDING = "recording", "Аудиозаписи ответов участников"
    PROTOCOL = "protocol", "Протоколы экспертов"
    STATEMENT = "statement", "Ведомости учета проведения и итоговые ведомости"


_AS = {
    Kept.RECORDING: essay_after.StorageKind.AUDIO,
    Kept.PROTOCOL: essay_after.StorageKind.REPORT_FORMS,
    Kept.STATEMENT: essay_after.StorageKind.REPORT_FORMS,
}


def destroy_not_before(kind: Kept | str, exam_date: date) -> date:
    """The first day destruction is allowed."""
    return essay_after.destroy_not_before(_AS[Kept(kind)], exam_date)


def check_destruction(kind: Kept | str, exam_date: date, on: date) -> list[Violation]:
    first = destroy_not_before(kind, exam_date)
    if on >= first:
        return []
    return [violation("I80", field="destroyed_on", what=Kept(kind).label, date=fmt_date(first))]
