"""Value types shared by the interview modules (the essay's types come from ``rules.base``)."""

from __future__ import annotations

from itog.exams.kinds.base import Choice


class AnswerState(Choice):
    """A participant's line in the ведомость учета проведения (Рекомендации)."""

    PLANNED = "planned", "ожидает"
    IN_PROGRESS = "in_progress", "отвечает"
    FINISHED = "finished", "завершил"
    ABSENT = "absent", "Н (не явился)"
    NOT_FINISHED = "not_finished", "не завершил"


class Role(Choice):
    """Roles of the school's commission for the interview (Рекомендации; seed 002 row 2)."""

    RESPONSIBLE = "responsible", "ответственный организатор"
    ORGANIZER = "organizer", "организатор проведения итогового собеседования"
    INTERLOCUTOR = "interlocutor", "экзаменатор-собеседник"
    EXPERT = "expert", "эксперт"
    TECH = "tech", "технический специалист"


PASS, FAIL = "зачет", "незачет"
