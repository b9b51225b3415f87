"""The essay's rules object: one :class:`~itog.exams.kinds.base.KindRules` covering every stage."""

from __future__ import annotations

from types import SimpleNamespace

from itog.exams.kinds.base import ExamForm, KindRules

from . import after, blanks, calendar, codes, criteria, procedure, profile

# The checking stage: the criteria in force (versioned data) and the rules of marks and their entry.
checking = SimpleNamespace(
    criteria_for=criteria.criteria_for,
    aggregate=criteria.aggregate,
    count_words=criteria.count_words,
    check_expert_marks=after.check_expert_marks,
    compare_entries=after.compare_entries,
    check_transfer_person=after.check_transfer_person,
    delivery_deadline=after.delivery_deadline,
    check_delivery=after.check_delivery,
    check_expert_assignment=after.check_expert_assignment,
    check_assignments=after.check_assignments,
    check_marks_target=after.check_marks_target,
)

RULES = KindRules(
    kind="essay",
    title="Итоговое сочинение (изложение)",
    label="итоговое сочинение (изложение)",
    genitive="итогового сочинения (изложения)",
    prepositional="итоговом сочинении (изложении)",
    ruleset=procedure.RULESET,
    calendar=calendar,
    registration=procedure,
    commissions=procedure,
    seating=procedure,
    examday=after,
    checking=checking,
    results=after,
    recheck=after,
    readmission=after,
    retention=after,
    codes={**codes.VALIDATIONS, **after.EXTRA},
    blanks=blanks,
    forms={f.value: f.label for f in (ExamForm.ESSAY, ExamForm.EXPOSITION)},
    profile=profile,
)
