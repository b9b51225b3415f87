"""Parser fixtures: every distinct deadline string of the two roadmap analyses.

Facts copied from the documents (quoted exactly, with the analyses' counts):

* ``KALMYKIA_001`` — roadmaps-kalmykia-2024.md §1.3, the 63 distinct
  «Сроки» strings of seed 001 (145 cells), academic year 2023/24;
* ``KUZBASS_004`` — roadmap-kuzbass-2021.md Appendix B, the 127 distinct
  strings of seed 004 (after joining split cells), academic year 2020/21;
* ``PLAN_SCHEDULE_000`` — the «дата начала» / «дата окончания» cells of
  seed 000 (roadmaps-kalmykia-2024.md §1.1), 2023/24;
* ``TOMSK_002`` — the «Дата» cells of seed 002 (essay-procedure-rules.md J), 2023/24;
* ``OTHER`` — dates in order bodies, the issue's examples and foreseeable
  variants of the same families;
* ``NOT_DEADLINES`` — cells that hold no deadline (kind ``unknown`` + a finding).

``windows`` are ISO (start, end) pairs (None = open side); ``anchor`` is
(event, exam, offset, unit, bound).  Expected values were checked by hand
against the documents; the reversed windows of seed 001 (E2, F5) are kept
as written and must carry a warning.
"""

from __future__ import annotations

from typing import NamedTuple


class Fx(NamedTuple):
    raw: str
    kind: str
    windows: list[tuple[str | None, str | None]] | None = None
    anchor: tuple | None = None
    schedule_ref: str | None = None
    recurrence: str | None = None
    warnings: tuple[str, ...] = ()
    count: int = 1
    year: str | None = None


# roadmaps-kalmykia-2024.md §1.3 (seed 001, plan for 2024 → academic year 2023/24)
KALMYKIA_001 = [
    Fx("по графику", "external", schedule_ref="по графику", count=17),
    Fx("ноябрь 2023 года", "window", windows=[("2023-11-01", "2023-11-30")], count=15),
    Fx("март 2024 года", "window", windows=[("2024-03-01", "2024-03-31")], count=15),
    Fx("февраль 2024 года", "window", windows=[("2024-02-01", "2024-02-29")], count=8),
    Fx("в течение 2023-2024 учебного года", "continuous", windows=[("2023-09-01", "2024-08-31")], count=7),
    Fx("декабрь 2023 года", "window", windows=[("2023-12-01", "2023-12-31")], count=6),
    Fx("в течение 2023 – 2024 учебного года", "continuous", windows=[("2023-09-01", "2024-08-31")], count=5),
    Fx("постоянно", "continuous", windows=[("2023-09-01", "2024-08-31")], count=4),
    Fx("январь 2024 года", "window", windows=[("2024-01-01", "2024-01-31")], count=4),
    Fx("февраль - март 2024 года", "window", windows=[("2024-02-01", "2024-03-31")], count=3),
    Fx("август-октябрь 2023 года", "window", windows=[("2023-08-01", "2023-10-31")], count=2),
    Fx(
        "ноябрь 2023 года, март 2024 года",
        "windows",
        windows=[("2023-11-01", "2023-11-30"), ("2024-03-01", "2024-03-31")],
        count=2,
    ),
    Fx("ноябрь – декабрь 2023 года", "window", windows=[("2023-11-01", "2023-12-31")], count=2),
    Fx(
        "февраль – март, апрель 2024 года",
        "windows",
        windows=[("2024-02-01", "2024-03-31"), ("2024-04-01", "2024-04-30")],
        count=2,
    ),
    Fx("апрель 2024 года", "window", windows=[("2024-04-01", "2024-04-30")], count=2),
    Fx("в период ГИА", "event_period", anchor=("gia_period", None, 0, None, "within"), count=2),
    Fx("в период проведения ГИА", "event_period", anchor=("gia_period", None, 0, None, "within"), count=2),
    Fx("в период ГИА-2024", "event_period", anchor=("gia_period", None, 0, None, "within"), count=2),
    Fx("до 1 сентября 2024 года", "by_date", windows=[(None, "2024-09-01")], count=1),
    Fx("август - ноябрь 2023 года", "window", windows=[("2023-08-01", "2023-11-30")], count=1),
    Fx("август-ноябрь 2023 года", "window", windows=[("2023-08-01", "2023-11-30")], count=1),
    Fx("август – ноябрь 2023 года", "window", windows=[("2023-08-01", "2023-11-30")], count=1),
    Fx("ноябрь 2023 года - март 2024 года", "window", windows=[("2023-11-01", "2024-03-31")], count=1),
    Fx(
        "не реже 1 раза в квартал", "recurring", windows=[("2023-09-01", "2024-08-31")], recurrence="quarterly", count=1
    ),
    Fx("ноябрь 2023 года– февраль 2024 года", "window", windows=[("2023-11-01", "2024-02-29")], count=1),
    Fx(
        "ноябрь 2023 года, апрель 2024 года",
        "windows",
        windows=[("2023-11-01", "2023-11-30"), ("2024-04-01", "2024-04-30")],
        count=1,
    ),
    Fx("по отдельному графику ФЦТ", "external", schedule_ref="по отдельному графику ФЦТ", count=1),
    Fx("декабрь 2023 - январь 2024 года", "window", windows=[("2023-12-01", "2024-01-31")], count=1),
    Fx("октябрь - ноябрь 2023 года", "window", windows=[("2023-10-01", "2023-11-30")], count=1),
    Fx("ноябрь-декабрь 2023 года", "window", windows=[("2023-11-01", "2023-12-31")], count=1),
    Fx(
        "январь 2024 года  декабрь 2023 года",
        "windows",
        windows=[("2024-01-01", "2024-01-31"), ("2023-12-01", "2023-12-31")],
        warnings=("windows_out_of_order",),
        count=1,
    ),
    Fx("январь-февраль 2024 года", "window", windows=[("2024-01-01", "2024-02-29")], count=1),
    Fx("март 2024 г.", "window", windows=[("2024-03-01", "2024-03-31")], count=1),
    Fx("март-апрель 2024 года", "window", windows=[("2024-03-01", "2024-04-30")], count=1),
    Fx("апрель-май 2024 года", "window", windows=[("2024-04-01", "2024-05-31")], count=1),
    Fx("апрель - май 2024 года", "window", windows=[("2024-04-01", "2024-05-31")], count=1),
    Fx("октябрь 2023 года", "window", windows=[("2023-10-01", "2023-10-31")], count=1),
    Fx(
        "в течение 2023-2024 учебного года по графику",
        "continuous",
        windows=[("2023-09-01", "2024-08-31")],
        schedule_ref="по графику",
        count=1,
    ),
    Fx(
        "ноябрь 2023 г., март-июнь, сентябрь 2024 года",
        "windows",
        windows=[("2023-11-01", "2023-11-30"), ("2024-03-01", "2024-06-30"), ("2024-09-01", "2024-09-30")],
        count=1,
    ),
    Fx(
        "октябрь 2023 года- май 2023 года",
        "window",
        windows=[("2023-10-01", "2023-05-31")],
        warnings=("reversed_window",),
        count=1,
    ),
    Fx("в течение 2023– 2024 учебного года", "continuous", windows=[("2023-09-01", "2024-08-31")], count=1),
    Fx("сентябрь 2023 года – февраль 2024 года", "window", windows=[("2023-09-01", "2024-02-29")], count=1),
    Fx("в течение года", "continuous", windows=[("2023-09-01", "2024-08-31")], count=1),
    Fx("октябрь - декабрь 2023 года", "window", windows=[("2023-10-01", "2023-12-31")], count=1),
    Fx(
        "сентябрь 2023 года - июнь 2023 года",
        "window",
        windows=[("2023-09-01", "2023-06-30")],
        warnings=("reversed_window",),
        count=1,
    ),
    Fx("ноябрь 2023 года - январь 2024 года", "window", windows=[("2023-11-01", "2024-01-31")], count=1),
    Fx(
        "ГИА-11: с 01.12. 2023 г. - 01.02. 2024 года, ГИА-9: до 01.03.2024 года",
        "windows",
        windows=[("2023-12-01", "2024-02-01"), (None, "2024-03-01")],
        count=1,
    ),
    Fx(
        "март-июль, сентябрь 2024 года",
        "windows",
        windows=[("2024-03-01", "2024-07-31"), ("2024-09-01", "2024-09-30")],
        count=1,
    ),
    Fx("по графику ФЦТ", "external", schedule_ref="по графику ФЦТ", count=1),
    Fx("по договору", "external", schedule_ref="по договору", count=1),
    Fx("за 2 недели до начала ГИА", "relative", anchor=("gia_start", None, -2, "week", "exact"), count=1),
    Fx(
        "февраль - март, апрель-май 2024 года по договору",
        "windows",
        windows=[("2024-02-01", "2024-03-31"), ("2024-04-01", "2024-05-31")],
        schedule_ref="по договору",
        count=1,
    ),
    Fx(
        "ноябрь 2023 года, март - май 2024 года",
        "windows",
        windows=[("2023-11-01", "2023-11-30"), ("2024-03-01", "2024-05-31")],
        count=1,
    ),
    Fx(
        "Октябрь - ноябрь 2023 года, март - июнь 2024 года",
        "windows",
        windows=[("2023-10-01", "2023-11-30"), ("2024-03-01", "2024-06-30")],
        count=1,
    ),
    Fx(
        "ноябрь 2023 года, март – июнь 2024 года",
        "windows",
        windows=[("2023-11-01", "2023-11-30"), ("2024-03-01", "2024-06-30")],
        count=1,
    ),
    Fx(
        "март, май-июнь 2024 года",
        "windows",
        windows=[("2024-03-01", "2024-03-31"), ("2024-05-01", "2024-06-30")],
        count=1,
    ),
    Fx("в течение учебного года", "continuous", windows=[("2023-09-01", "2024-08-31")], count=1),
    Fx("ежемесячно", "recurring", windows=[("2023-09-01", "2024-08-31")], recurrence="monthly", count=1),
    Fx(
        "декабрь 2023 года, март – июль 2024 года",
        "windows",
        windows=[("2023-12-01", "2023-12-31"), ("2024-03-01", "2024-07-31")],
        count=1,
    ),
    Fx(
        "в течение 2023 – 2024 учебного года по отдельному плану",
        "continuous",
        windows=[("2023-09-01", "2024-08-31")],
        schedule_ref="по отдельному плану",
        count=1,
    ),
    Fx("февраль-июнь 2024 года", "window", windows=[("2024-02-01", "2024-06-30")], count=1),
    Fx("февраль - июнь 2024 года", "window", windows=[("2024-02-01", "2024-06-30")], count=1),
    Fx("ноябрь 2023 года – январь 2024 года", "window", windows=[("2023-11-01", "2024-01-31")], count=1),
]


# roadmap-kuzbass-2021.md Appendix B (seed 004, plan for 2021 → academic year 2020/21)
KUZBASS_004 = [
    Fx("август – сентябрь 2020 года", "window", windows=[("2020-08-01", "2020-09-30")], count=10),
    Fx("август 2020 года", "window", windows=[("2020-08-01", "2020-08-31")], count=6),
    Fx("апрель 2021 года", "window", windows=[("2021-04-01", "2021-04-30")], count=18),
    Fx("в течение учебного года", "continuous", windows=[("2020-09-01", "2021-08-31")], count=18),
    Fx("август - ноябрь 2020 года", "window", windows=[("2020-08-01", "2020-11-30")], count=1),
    Fx("октябрь 2020 года", "window", windows=[("2020-10-01", "2020-10-31")], count=28),
    Fx("октябрь – ноябрь 2020 года", "window", windows=[("2020-10-01", "2020-11-30")], count=5),
    Fx(
        "По отдельному плану мероприятий, утвержденному МОиН",
        "external",
        schedule_ref="По отдельному плану мероприятий, утвержденному МОиН",
        count=3,
    ),
    Fx("2020 год", "window", windows=[("2020-01-01", "2020-12-31")], count=1),
    Fx(
        "в течение учебного года и по заявкам",
        "continuous",
        windows=[("2020-09-01", "2021-08-31")],
        schedule_ref="по заявкам",
        count=1,
    ),
    Fx("сентябрь 2020 года", "window", windows=[("2020-09-01", "2020-09-30")], count=6),
    Fx("ноябрь 2020 года", "window", windows=[("2020-11-01", "2020-11-30")], count=31),
    Fx("декабрь 2020 года", "window", windows=[("2020-12-01", "2020-12-31")], count=17),
    Fx("январь 2021 года", "window", windows=[("2021-01-01", "2021-01-31")], count=7),
    Fx("февраль 2021 года", "window", windows=[("2021-02-01", "2021-02-28")], count=19),
    Fx("март 2021 года", "window", windows=[("2021-03-01", "2021-03-31")], count=35),
    Fx(
        "в течение учебного года по плану КРИПКиПРО",
        "continuous",
        windows=[("2020-09-01", "2021-08-31")],
        schedule_ref="по плану КРИПКиПРО",
        count=1,
    ),
    Fx("октябрь 2020 года – февраль 2021 года", "window", windows=[("2020-10-01", "2021-02-28")], count=1),
    Fx(
        "ноябрь, декабрь 2020 года",
        "windows",
        windows=[("2020-11-01", "2020-11-30"), ("2020-12-01", "2020-12-31")],
        count=2,
    ),
    Fx("январь – март 2021 года", "window", windows=[("2021-01-01", "2021-03-31")], count=3),
    Fx("По отдельному плану-графику", "external", schedule_ref="По отдельному плану-графику", count=1),
    Fx("ноябрь – декабрь 2020 года", "window", windows=[("2020-11-01", "2020-12-31")], count=3),
    Fx(
        "октябрь 2020 года, апрель 2021 года, октябрь 2021 года",
        "windows",
        windows=[("2020-10-01", "2020-10-31"), ("2021-04-01", "2021-04-30"), ("2021-10-01", "2021-10-31")],
        count=1,
    ),
    Fx("сентябрь 2020 года – май 2021 года", "window", windows=[("2020-09-01", "2021-05-31")], count=3),
    Fx(
        "сентябрь – октябрь 2020 года март – апрель 2021 года",
        "windows",
        windows=[("2020-09-01", "2020-10-31"), ("2021-03-01", "2021-04-30")],
        count=1,
    ),
    Fx("август 2020 года – июнь 2021 года", "window", windows=[("2020-08-01", "2021-06-30")], count=1),
    Fx("август 2020 года – август 2021 года", "window", windows=[("2020-08-01", "2021-08-31")], count=3),
    Fx("По отдельному плану", "external", schedule_ref="По отдельному плану", count=2),
    Fx("сентябрь 2020", "window", windows=[("2020-09-01", "2020-09-30")], count=2),
    Fx(
        "декабрь 2020 года апрель 2021 года",
        "windows",
        windows=[("2020-12-01", "2020-12-31"), ("2021-04-01", "2021-04-30")],
        count=1,
    ),
    Fx("апрель – сентябрь 2021 года", "window", windows=[("2021-04-01", "2021-09-30")], count=5),
    Fx("май 2021 года", "window", windows=[("2021-05-01", "2021-05-31")], count=2),
    Fx("апрель – май 2021 года", "window", windows=[("2021-04-01", "2021-05-31")], count=2),
    Fx("ноябрь 2020 года – май 2021 года", "window", windows=[("2020-11-01", "2021-05-31")], count=1),
    Fx(
        "февраль 2021 года март 2021 года август 2021 года",
        "windows",
        windows=[("2021-02-01", "2021-02-28"), ("2021-03-01", "2021-03-31"), ("2021-08-01", "2021-08-31")],
        count=2,
    ),
    Fx(
        "март 2021 года май 2021 года август 2021 года",
        "windows",
        windows=[("2021-03-01", "2021-03-31"), ("2021-05-01", "2021-05-31"), ("2021-08-01", "2021-08-31")],
        count=7,
    ),
    Fx(
        "апрель, май 2021 года",
        "windows",
        windows=[("2021-04-01", "2021-04-30"), ("2021-05-01", "2021-05-31")],
        count=1,
    ),
    Fx("октябрь – декабрь 2020 года", "window", windows=[("2020-10-01", "2020-12-31")], count=1),
    Fx("ноябрь 2020 года – февраль 2021 года", "window", windows=[("2020-11-01", "2021-02-28")], count=1),
    Fx("ноябрь 2020 года – январь 2021 года", "window", windows=[("2020-11-01", "2021-01-31")], count=1),
    Fx("сентябрь – октябрь 2020 года", "window", windows=[("2020-09-01", "2020-10-31")], count=2),
    Fx("весь период", "continuous", windows=[("2020-09-01", "2021-08-31")], count=10),
    Fx("июль – август 2021 года", "window", windows=[("2021-07-01", "2021-08-31")], count=1),
    Fx("октябрь 2020 года – январь 2021 года", "window", windows=[("2020-10-01", "2021-01-31")], count=1),
    Fx("февраль – октябрь 2021 года", "window", windows=[("2021-02-01", "2021-10-31")], count=3),
    Fx(
        "апрель 2021 года май – июнь 2021 года август – сентябрь 2021 года",
        "windows",
        windows=[("2021-04-01", "2021-04-30"), ("2021-05-01", "2021-06-30"), ("2021-08-01", "2021-09-30")],
        count=1,
    ),
    Fx("октябрь 2020 года – апрель 2021 года", "window", windows=[("2020-10-01", "2021-04-30")], count=1),
    Fx("февраль – март 2021 года", "window", windows=[("2021-02-01", "2021-03-31")], count=5),
    Fx("октябрь 2021 года", "window", windows=[("2021-10-01", "2021-10-31")], count=1),
    Fx("декабрь 2020 года – март 2021 года", "window", windows=[("2020-12-01", "2021-03-31")], count=4),
    Fx(
        "сентябрь – декабрь 2020 года, февраль – апрель 2021 года",
        "windows",
        windows=[("2020-09-01", "2020-12-31"), ("2021-02-01", "2021-04-30")],
        count=2,
    ),
    Fx("февраль – апрель 2021 года", "window", windows=[("2021-02-01", "2021-04-30")], count=3),
    Fx("ноябрь 2020 года – апрель 2021 года", "window", windows=[("2020-11-01", "2021-04-30")], count=1),
    Fx("январь – май 2021 года", "window", windows=[("2021-01-01", "2021-05-31")], count=4),
    Fx("в период проведения ГИА", "event_period", anchor=("gia_period", None, 0, None, "within"), count=5),
    Fx("март – май 2021 года", "window", windows=[("2021-03-01", "2021-05-31")], count=4),
    Fx("в течение года", "continuous", windows=[("2020-09-01", "2021-08-31")], count=12),
    Fx("январь – апрель 2021 года", "window", windows=[("2021-01-01", "2021-04-30")], count=1),
    Fx("сентябрь 2020 года – март 2021 года", "window", windows=[("2020-09-01", "2021-03-31")], count=1),
    Fx("январь – февраль 2021 года", "window", windows=[("2021-01-01", "2021-02-28")], count=6),
    Fx("сентябрь - октябрь 2020 года", "window", windows=[("2020-09-01", "2020-10-31")], count=1),
    Fx(
        "ноябрь 2020 года, август 2021 года",
        "windows",
        windows=[("2020-11-01", "2020-11-30"), ("2021-08-01", "2021-08-31")],
        count=1,
    ),
    Fx(
        "ноябрь 2020 года январь 2021 года апрель 2021 года",
        "windows",
        windows=[("2020-11-01", "2020-11-30"), ("2021-01-01", "2021-01-31"), ("2021-04-01", "2021-04-30")],
        count=2,
    ),
    Fx(
        "февраль 2021 года август 2021 года",
        "windows",
        windows=[("2021-02-01", "2021-02-28"), ("2021-08-01", "2021-08-31")],
        count=3,
    ),
    Fx(
        "февраль 2021 года апрель 2021 года август 2021 года",
        "windows",
        windows=[("2021-02-01", "2021-02-28"), ("2021-04-01", "2021-04-30"), ("2021-08-01", "2021-08-31")],
        count=1,
    ),
    Fx(
        "не позднее чем за 1 рабочий день до экзамена",
        "relative",
        anchor=("exam_day", None, -1, "working_day", "not_later"),
        count=2,
    ),
    Fx(
        "февраль 2020 года апрель 2020 года август 2020 года",
        "windows",
        windows=[("2020-02-01", "2020-02-29"), ("2020-04-01", "2020-04-30"), ("2020-08-01", "2020-08-31")],
        warnings=("outside_academic_year",),
        count=1,
    ),
    Fx(
        "в течение 2 дней со дня принятия решения",
        "relative",
        anchor=("decision", None, 2, "day", "within"),
        warnings=("day_type_unspecified",),
        count=2,
    ),
    Fx(
        "ноябрь 2020 года, январь 2021 года, апрель 2021 года",
        "windows",
        windows=[("2020-11-01", "2020-11-30"), ("2021-01-01", "2021-01-31"), ("2021-04-01", "2021-04-30")],
        count=1,
    ),
    Fx(
        "февраль 2021 года май 2021 года август 2021 года",
        "windows",
        windows=[("2021-02-01", "2021-02-28"), ("2021-05-01", "2021-05-31"), ("2021-08-01", "2021-08-31")],
        count=1,
    ),
    Fx(
        "не позднее чем за 1 календарный день до экзамена",
        "relative",
        anchor=("exam_day", None, -1, "calendar_day", "not_later"),
        count=4,
    ),
    Fx(
        "за 1 календарный день до экзамена", "relative", anchor=("exam_day", None, -1, "calendar_day", "exact"), count=1
    ),
    Fx("по отдельному графику", "external", schedule_ref="по отдельному графику", count=5),
    Fx(
        "не позднее 2 календарных дней после утверждения результатов председателем ГЭК",
        "relative",
        anchor=("gek_approval", None, 2, "calendar_day", "not_later"),
        count=1,
    ),
    Fx(
        "в течение 1 календарного дня со дня подачи апелляции",
        "relative",
        anchor=("appeal_filed", None, 1, "calendar_day", "within"),
        count=2,
    ),
    Fx(
        "не позднее 2 календарных дней с момента принятия решения конфликтной комиссией",
        "relative",
        anchor=("appeal_decision", None, 2, "calendar_day", "not_later"),
        count=1,
    ),
    Fx("по запросу ФЦТ", "external", schedule_ref="по запросу ФЦТ", count=2),
    Fx(
        "по согласованному с Управлением специальной связи Кемеровской области графику",
        "external",
        schedule_ref="по согласованному с Управлением специальной связи Кемеровской области графику",
        count=1,
    ),
    Fx("в день проведения экзамена", "relative", anchor=("exam_day", None, 0, "calendar_day", "exact"), count=2),
    Fx(
        "до начала работы конфликтной комиссии",
        "relative",
        anchor=("appeal_commission_start", None, 0, "calendar_day", "not_later"),
        count=1,
    ),
    Fx(
        "в течение 10 дней после экзамена",
        "relative",
        anchor=("exam_day", None, 10, "day", "within"),
        warnings=("day_type_unspecified",),
        count=2,
    ),
    Fx(
        "март 2021 года, август 2021 года",
        "windows",
        windows=[("2021-03-01", "2021-03-31"), ("2021-08-01", "2021-08-31")],
        count=1,
    ),
    Fx(
        "апрель 2021 года май 2021 года август 2021 года",
        "windows",
        windows=[("2021-04-01", "2021-04-30"), ("2021-05-01", "2021-05-31"), ("2021-08-01", "2021-08-31")],
        count=1,
    ),
    Fx("ГУ ОЦМКО", "unknown", warnings=("actor_in_deadline",), count=1),
    Fx("февраль – сентябрь 2021 года", "window", windows=[("2021-02-01", "2021-09-30")], count=2),
    Fx(
        "май, август 2021 года",
        "windows",
        windows=[("2021-05-01", "2021-05-31"), ("2021-08-01", "2021-08-31")],
        count=1,
    ),
    Fx(
        "за день до проведения экзамена",
        "relative",
        anchor=("exam_day", None, -1, "day", "exact"),
        warnings=("day_type_unspecified",),
        count=1,
    ),
    Fx(
        "в день утверждения результатов ГЭК",
        "relative",
        anchor=("gek_approval", None, 0, "calendar_day", "exact"),
        count=1,
    ),
    Fx(
        "в день получения протоколов результатов, утвержденных ГЭК",
        "relative",
        anchor=("results_received", None, 0, "calendar_day", "exact"),
        count=1,
    ),
    Fx("в сроки работы КК", "event_period", anchor=("appeal_commission_period", None, 0, None, "within"), count=1),
    Fx(
        "не позднее двух дней со дня принятия решения КК",
        "relative",
        anchor=("appeal_decision", None, 2, "day", "not_later"),
        warnings=("day_type_unspecified",),
        count=1,
    ),
    Fx(
        "в день получения результатов из ГЭК",
        "relative",
        anchor=("results_received", None, 0, "calendar_day", "exact"),
        count=1,
    ),
    Fx("май – декабрь 2021 года", "window", windows=[("2021-05-01", "2021-12-31")], count=1),
    Fx(
        "по завершении обработки всех этапов ГИА",
        "relative",
        anchor=("processing_end", None, 0, "calendar_day", "not_earlier"),
        count=1,
    ),
    Fx(
        "в течение полугода по завершении экзаменов",
        "relative",
        anchor=("gia_end", None, 6, "month", "within"),
        count=1,
    ),
    Fx("декабрь 2020 года - май 2021 года", "window", windows=[("2020-12-01", "2021-05-31")], count=1),
    Fx(
        "по завершении сроков хранения",
        "relative",
        anchor=("storage_end", None, 0, "calendar_day", "not_earlier"),
        count=1,
    ),
    Fx(
        "в период обработки материалов по каждому экзамену",
        "event_period",
        anchor=("processing_period", None, 0, None, "within"),
        count=1,
    ),
    Fx(
        "1 сутки со дня утверждения результатов ГИА",
        "relative",
        anchor=("gek_approval", None, 1, "calendar_day", "within"),
        count=1,
    ),
    Fx("январь – сентябрь 2020 года", "window", windows=[("2020-01-01", "2020-09-30")], count=1),
    Fx("январь – сентябрь 2021 года", "window", windows=[("2021-01-01", "2021-09-30")], count=1),
    Fx(
        "по отдельному плану-графику в соответствии с графиком Рособнадзора",
        "external",
        schedule_ref="по отдельному плану-графику в соответствии с графиком Рособнадзора",
        count=1,
    ),
    Fx(
        "в соответствии с Порядком и графиком Рособнадзора",
        "external",
        schedule_ref="в соответствии с Порядком и графиком Рособнадзора",
        count=2,
    ),
    Fx("по отдельному плану-графику", "external", schedule_ref="по отдельному плану-графику", count=1),
    Fx("ноябрь 2020 года – октябрь 2021 года", "window", windows=[("2020-11-01", "2021-10-31")], count=1),
    Fx("по графику ФЦТ", "external", schedule_ref="по графику ФЦТ", count=1),
    Fx(
        "январь – апрель 2020 года",
        "window",
        windows=[("2020-01-01", "2020-04-30")],
        warnings=("outside_academic_year",),
        count=1,
    ),
    Fx(
        "декабрь 2021 года",
        "window",
        windows=[("2021-12-01", "2021-12-31")],
        warnings=("outside_academic_year",),
        count=1,
    ),
    Fx("сентябрь 2020 года – сентябрь 2021 года", "window", windows=[("2020-09-01", "2021-09-30")], count=2),
    Fx(
        "март – апрель 2021 года, май – июнь 2021 года, сентябрь 2021 года",
        "windows",
        windows=[("2021-03-01", "2021-04-30"), ("2021-05-01", "2021-06-30"), ("2021-09-01", "2021-09-30")],
        count=1,
    ),
    Fx("февраль – май 2021 года", "window", windows=[("2021-02-01", "2021-05-31")], count=3),
    Fx("март – апрель 2021 года", "window", windows=[("2021-03-01", "2021-04-30")], count=2),
    Fx(
        "март – апрель, май – июнь, сентябрь 2021 года",
        "windows",
        windows=[("2021-03-01", "2021-04-30"), ("2021-05-01", "2021-06-30"), ("2021-09-01", "2021-09-30")],
        count=1,
    ),
    Fx("март – сентябрь 2021 года", "window", windows=[("2021-03-01", "2021-09-30")], count=1),
    Fx("постоянно", "continuous", windows=[("2020-09-01", "2021-08-31")], count=3),
    Fx(
        "февраль, март 2021 года",
        "windows",
        windows=[("2021-02-01", "2021-02-28"), ("2021-03-01", "2021-03-31")],
        count=2,
    ),
    Fx(
        "март – апрель 2020 года",
        "window",
        windows=[("2020-03-01", "2020-04-30")],
        warnings=("outside_academic_year",),
        count=1,
    ),
    Fx("декабрь 2020 года – май 2021 года", "window", windows=[("2020-12-01", "2021-05-31")], count=2),
    Fx(
        "декабрь 2020 года, апрель 2021 года",
        "windows",
        windows=[("2020-12-01", "2020-12-31"), ("2021-04-01", "2021-04-30")],
        count=1,
    ),
    Fx("декабрь 2020 года – апрель 2021 года", "window", windows=[("2020-12-01", "2021-04-30")], count=2),
    Fx("круглогодично", "continuous", windows=[("2020-09-01", "2021-08-31")], count=2),
    Fx("декабрь 2020 года – сентябрь 2021 года", "window", windows=[("2020-12-01", "2021-09-30")], count=1),
    Fx(
        "декабрь 2020 года, январь, март 2021 года",
        "windows",
        windows=[("2020-12-01", "2020-12-31"), ("2021-01-01", "2021-01-31"), ("2021-03-01", "2021-03-31")],
        count=1,
    ),
    Fx(
        "в течение года по отдельному плану",
        "continuous",
        windows=[("2020-09-01", "2021-08-31")],
        schedule_ref="по отдельному плану",
        count=1,
    ),
    Fx("сентябрь – ноябрь 2020 года", "window", windows=[("2020-09-01", "2020-11-30")], count=1),
    Fx("апрель – июнь 2021 года", "window", windows=[("2021-04-01", "2021-06-30")], count=1),
    Fx(
        "по срокам в течение 2021 года",
        "continuous",
        windows=[("2021-01-01", "2021-12-31")],
        schedule_ref="по срокам",
        count=1,
    ),
]


class CellsFx(NamedTuple):
    """A start/end pair of a plan-schedule (seed 000), with per-window qualifiers."""

    start: str
    end: str
    kind: str
    windows: list[tuple[str | None, str | None]]
    qualifiers: list[dict] | None = None
    item: str = ""


# roadmaps-kalmykia-2024.md §1.1 (seed 000, «дата начала» / «дата окончания», 2023/24)
PLAN_SCHEDULE_000 = [
    CellsFx("09.11.2023г.", "29.12.2023г.", "window", [("2023-11-09", "2023-12-29")], item="IS1"),
    CellsFx("09.11.2023г.", "10.11.2023г.", "window", [("2023-11-09", "2023-11-10")], item="IS2"),
    CellsFx("09.11.2023г.", "15.11.2023г.", "window", [("2023-11-09", "2023-11-15")], item="IS3"),
    CellsFx(
        "16.11.2023г.\nРайоны и СПО ",
        "17.11.2023г.\nг. Элиста",
        "windows",
        [("2023-11-16", "2023-11-16"), ("2023-11-17", "2023-11-17")],
        [{"territory": ["Районы и СПО"]}, {"territory": ["г. Элиста"]}],
        item="IS4",
    ),
    CellsFx("16.11.2023г.", "24.11.2023г.", "window", [("2023-11-16", "2023-11-24")], item="IS5"),
    CellsFx("", "до 24.11.2023г.", "by_date", [(None, "2023-11-24")], item="IS6"),
    CellsFx("27.11.2023г.", "28.11.2023г.", "window", [("2023-11-27", "2023-11-28")], item="IS7"),
    CellsFx(
        "01.12.2023г.\nв 12:00 ч.",
        "01.12.2023г.\nв 14:00 ч.",
        "date",
        [("2023-12-01", "2023-12-01")],
        [{"times": [{"time": "12:00", "bound": "from"}, {"time": "14:00", "bound": "until"}]}],
        item="IS8",
    ),
    CellsFx(
        "01.12.2023г.\nг. Элиста, Районы и СПО",
        "01.12.2023г.",
        "date",
        [("2023-12-01", "2023-12-01")],
        [{"territory": ["г. Элиста", "Районы и СПО"]}],
        item="IS9",
    ),
    CellsFx("ноябрь", "ноябрь", "window", [("2023-11-01", "2023-11-30")], item="IS10"),
    CellsFx("29.11.2023г.", "05.12.2023г", "window", [("2023-11-29", "2023-12-05")], item="IS11"),
    CellsFx(
        "06.12.2023г. \nв 09:45ч ИС\nв 09:30ч ИЗ",
        "06.12.2023г. ",
        "date",
        [("2023-12-06", "2023-12-06")],
        [{"times": [{"time": "09:45", "bound": "at", "label": "ИС"}, {"time": "09:30", "bound": "at", "label": "ИЗ"}]}],
        item="IS12",
    ),
    CellsFx("06.12.2023г. ", "06.12.2023г. ", "date", [("2023-12-06", "2023-12-06")], item="IS13"),
    CellsFx("06.12.2023г. ", "07.12.2023г. ", "window", [("2023-12-06", "2023-12-07")], item="IS14"),
    CellsFx("06.12.2023г. ", "11.12.2023г. ", "window", [("2023-12-06", "2023-12-11")], item="IS16"),
    CellsFx("06.12.2023г. ", "11.12.2023г.", "window", [("2023-12-06", "2023-12-11")], item="IS17"),
    CellsFx(
        "11.12.2023г.\nРайоны и СПО",
        "12.12.2023г.\nг.Элиста",
        "windows",
        [("2023-12-11", "2023-12-11"), ("2023-12-12", "2023-12-12")],
        [{"territory": ["Районы и СПО"]}, {"territory": ["г. Элиста"]}],
        item="IS18",
    ),
    CellsFx("11.12.2023г.", "18.12.2023г.", "window", [("2023-12-11", "2023-12-18")], item="IS19"),
    CellsFx("18.12.2023г.", "19.12.2023г.", "window", [("2023-12-18", "2023-12-19")], item="IS20"),
    CellsFx("20.12.2023г.", "20.12.2023г.", "date", [("2023-12-20", "2023-12-20")], item="IS21"),
    CellsFx("27.12.2023г.", "27.12.2023г.", "date", [("2023-12-27", "2023-12-27")], item="IS22"),
]

# essay-procedure-rules.md J (seed 002, Tomsk interview plan-schedule, 2023/24)
TOMSK_002 = [
    Fx("До 31.01.2024", "by_date", windows=[(None, "2024-01-31")]),
    Fx(
        "За две недели до итогового собеседования",
        "relative",
        anchor=("exam_day", "interview", -2, "week", "exact"),
        # resolved from the interview calendar: 14.02.2024 − 14 days (and the additional days)
        windows=[("2024-01-31", "2024-01-31"), ("2024-02-28", "2024-02-28"), ("2024-04-01", "2024-04-01")],
    ),
    Fx("С 07.02.2024 с 10.00", "window", windows=[("2024-02-07", None)]),
    Fx("Не позднее 13.02.2024", "by_date", windows=[(None, "2024-02-13")], count=2),
    Fx("14.02.2024 с 07.30", "date", windows=[("2024-02-14", "2024-02-14")]),
    Fx("14.02.2024", "date", windows=[("2024-02-14", "2024-02-14")]),
    Fx("До 19.02.2024 включительно", "by_date", windows=[(None, "2024-02-19")]),
    Fx("Не позднее 20.02.2024", "by_date", windows=[(None, "2024-02-20")]),
    Fx("Не позднее\n20.02.2024", "by_date", windows=[(None, "2024-02-20")]),  # the split cell, joined
    Fx("Не позднее 26.02.2024", "by_date", windows=[(None, "2024-02-26")]),
]

OTHER = [
    # order bodies (roadmap-kuzbass-2021.md §1.1 п. 3.3; roadmaps-kalmykia-2024.md §1.2)
    Fx("в срок до 20 сентября 2020 года", "by_date", windows=[(None, "2020-09-20")], year="2020/21"),
    Fx("01.11 2023 года", "date", windows=[("2023-11-01", "2023-11-01")]),
    Fx("11.02.2023г", "date", windows=[("2023-02-11", "2023-02-11")], warnings=("outside_academic_year",)),
    # dates inside activity texts of seed 001 (C11, C26, C53, C16, C28, C54)
    Fx("06.12.2023 года", "date", windows=[("2023-12-06", "2023-12-06")]),
    Fx("10.04.2023 года", "date", windows=[("2023-04-10", "2023-04-10")], warnings=("outside_academic_year",)),
    Fx("6 декабря 2023 г.", "date", windows=[("2023-12-06", "2023-12-06")]),
    # the examples
    Fx("с 10 по 25 января 2024", "window", windows=[("2024-01-10", "2024-01-25")]),
    Fx(
        "Районы и СПО – до 10.01.2024; г. Элиста – до 15.01.2024",
        "windows",
        windows=[(None, "2024-01-10"), (None, "2024-01-15")],
    ),
    Fx("в течение года", "continuous", windows=[("2023-09-01", "2024-08-31")]),
    Fx("весь период", "continuous", windows=[("2023-09-01", "2024-08-31")]),
    Fx("по графику Рособрнадзора", "external", schedule_ref="по графику Рособрнадзора"),
    Fx("по отдельному графику", "external", schedule_ref="по отдельному графику"),
    Fx("в соответствии с расписанием", "external", schedule_ref="в соответствии с расписанием"),
    Fx("в дни проведения экзаменов", "event_period", anchor=("exam_days", None, 0, None, "within")),
    Fx("не позднее чем за 2 недели до начала экзамена", "relative", anchor=("exam_day", None, -2, "week", "not_later")),
    Fx("в течение двух рабочих дней после экзамена", "relative", anchor=("exam_day", None, 2, "working_day", "within")),
    # other regions' shapes (not in the seeds): numeric decades and halves, «не ранее чем через»
    Fx("1-я декада декабря 2023 года", "window", windows=[("2023-12-01", "2023-12-10")]),
    Fx("2 декада января 2024", "window", windows=[("2024-01-11", "2024-01-20")]),
    Fx("III декада марта 2024 г.", "window", windows=[("2024-03-21", "2024-03-31")]),
    Fx("в течение 3-ей декады мая 2024 года", "window", windows=[("2024-05-21", "2024-05-31")]),
    Fx("2-я половина ноября 2023 г.", "window", windows=[("2023-11-16", "2023-11-30")]),
    Fx(
        "не ранее чем через 3 рабочих дня после экзамена",
        "relative",
        anchor=("exam_day", None, 3, "working_day", "not_earlier"),
    ),
    Fx(
        "не позднее, чем через 5 календарных дней после экзамена",
        "relative",
        anchor=("exam_day", None, 5, "calendar_day", "not_later"),
    ),
    Fx("II полугодие 2023/24 уч. г.", "window", windows=[("2024-01-01", "2024-06-30")]),
    Fx("I полугодие", "window", windows=[("2023-09-01", "2023-12-31")]),
    Fx("второе полугодие текущего учебного года", "window", windows=[("2024-01-01", "2024-06-30")]),
    Fx("1 полугодие 2024 года", "window", windows=[("2024-01-01", "2024-06-30")]),
    Fx(
        "в 3-дневный срок после проведения экзамена",
        "relative",
        anchor=("exam_day", None, 3, "day", "within"),
        warnings=("day_type_unspecified",),
    ),
    Fx(
        "в трехдневный срок после экзамена",
        "relative",
        anchor=("exam_day", None, 3, "day", "within"),
        warnings=("day_type_unspecified",),
    ),
    Fx("в месячный срок после экзамена", "relative", anchor=("exam_day", None, 1, "month", "within")),
    Fx(
        "за 3 рабочих дня до начала проведения итогового собеседования",
        "relative",
        anchor=("exam_day", "interview", -3, "working_day", "exact"),
    ),
    # an edge of a year: a date to be done by (session 8), the guesses said to the user
    Fx("до конца учебного года", "by_date", windows=[(None, "2024-08-31")]),
    Fx("до окончания 2023/2024 уч. г.", "by_date", windows=[(None, "2024-08-31")]),
    Fx(
        "к концу 2022/23 учебного года", "by_date", windows=[(None, "2023-08-31")], warnings=("academic_year_mismatch",)
    ),
    Fx("до начала нового учебного года", "by_date", windows=[(None, "2024-08-31")]),
    Fx("до начала текущего учебного года", "by_date", windows=[(None, "2023-08-31")]),
    Fx("до начала учебного года", "by_date", windows=[(None, "2024-08-31")], warnings=("year_edge_assumed",)),
    Fx("до конца года", "by_date", windows=[(None, "2023-12-31")], warnings=("year_edge_assumed",)),
    # counted from an event the campaign's calendar does not know: relative, not «не разобрано»
    Fx(
        "в течение 10 дней с момента поступления",
        "relative",
        anchor=(None, None, 10, "day", "within"),
        warnings=("event_unspecified",),
    ),
    Fx(
        "не позднее 3 рабочих дней со дня получения запроса",
        "relative",
        anchor=(None, None, 3, "working_day", "not_later"),
        warnings=("event_unspecified",),
    ),
    # weeks of a month (was: the whole month and «неделя» left unparsed)
    Fx("первая неделя декабря", "window", windows=[("2023-12-01", "2023-12-07")]),
    Fx("в течение второй недели марта", "window", windows=[("2024-03-08", "2024-03-14")]),
    Fx("4-я неделя февраля 2024 г.", "window", windows=[("2024-02-22", "2024-02-28")]),
    Fx("последняя неделя февраля 2024 г.", "window", windows=[("2024-02-23", "2024-02-29")]),
    # «после» a date: from the next day (was: the day itself, «после» unparsed)
    Fx("после 15 июня", "window", windows=[("2024-06-16", None)]),
    Fx("после мая 2024 г.", "window", windows=[("2024-06-01", None)]),
    Fx("после 15 июня до 1 июля", "window", windows=[("2024-06-16", "2024-07-01")]),
    Fx("не ранее 15 июня", "window", windows=[("2024-06-15", None)]),
    # after the GIA is after its end (was: «по итогам проведения ГИА» = not earlier than its start)
    Fx("по итогам проведения ГИА", "relative", anchor=("gia_end", None, 0, "calendar_day", "not_earlier")),
    Fx("по итогам ГИА", "relative", anchor=("gia_end", None, 0, "calendar_day", "not_earlier")),
    Fx("через 2 недели после ГИА", "relative", anchor=("gia_end", None, 2, "week", "exact")),
    Fx("за 2 недели до ГИА", "relative", anchor=("gia_start", None, -2, "week", "exact")),
    Fx("после начала ГИА", "relative", anchor=("gia_start", None, 0, "calendar_day", "not_earlier")),
    # split fragments of seed 004 (before joining) that still read as deadlines
    Fx("1 календарный день до экзамена", "relative", anchor=("exam_day", None, -1, "calendar_day", "exact")),
    Fx("учебного года", "continuous", windows=[("2020-09-01", "2021-08-31")], year="2020/21"),
    Fx("2021 года", "window", windows=[("2021-01-01", "2021-12-31")], year="2020/21"),
    Fx("февраль", "window", windows=[("2021-02-01", "2021-02-28")], year="2020/21"),
    Fx("январь – сентябрь", "window", windows=[("2021-01-01", "2021-09-30")], year="2020/21"),
    # merged deadline + responsible cells of seed 001 (G, H, I1–I2)
    Fx(
        "в период ГИА Сектор ГИА",
        "event_period",
        anchor=("gia_period", None, 0, None, "within"),
        warnings=("responsible_in_deadline",),
    ),
    Fx("по графику Сектор ГИА, РЦОИ", "external", schedule_ref="по графику", warnings=("responsible_in_deadline",)),
    Fx("по договору Сектор ГИА, РЦОИ", "external", schedule_ref="по договору", warnings=("responsible_in_deadline",)),
    Fx(
        "за 2 недели до начала ГИА УГСС, Сектор ГИА",
        "relative",
        anchor=("gia_start", None, -2, "week", "exact"),
        warnings=("responsible_in_deadline",),
    ),
    Fx(
        "ноябрь 2023 года, март - май 2024 года Сектор ГИА, МОУО, ОО",
        "windows",
        windows=[("2023-11-01", "2023-11-30"), ("2024-03-01", "2024-05-31")],
        warnings=("responsible_in_deadline",),
    ),
    Fx(
        "Октябрь - ноябрь 2023 года, март - июнь 2024 года Сектор ГИА, РЦОИ",
        "windows",
        windows=[("2023-10-01", "2023-11-30"), ("2024-03-01", "2024-06-30")],
        warnings=("responsible_in_deadline",),
    ),
    Fx(
        "постоянно Сектор ГИА, РЦОИ, МОУО, ОО",
        "continuous",
        windows=[("2023-09-01", "2024-08-31")],
        warnings=("responsible_in_deadline",),
    ),
    # foreseeable variants of the same families
    Fx("нoябрь 2023 гoда", "window", windows=[("2023-11-01", "2023-11-30")]),  # Latin «o»
    Fx("c 10 по 25 января 2024 г.", "window", windows=[("2024-01-10", "2024-01-25")]),  # Latin «c»
    Fx("до 1 декабря", "by_date", windows=[(None, "2023-12-01")]),
    Fx("не позднее 15 мая 2024 г.", "by_date", windows=[(None, "2024-05-15")]),
    Fx("с 10 января по 25 марта 2024 года", "window", windows=[("2024-01-10", "2024-03-25")]),
    Fx("10-15.01.2024", "window", windows=[("2024-01-10", "2024-01-15")]),
    Fx("01.12.23", "date", windows=[("2023-12-01", "2023-12-01")]),
    Fx("с сентября 2023 года по май 2024 года", "window", windows=[("2023-09-01", "2024-05-31")]),
    Fx("ноябрь – январь", "window", windows=[("2023-11-01", "2024-01-31")]),
    Fx("ноябрь – январь 2024 года", "window", windows=[("2023-11-01", "2024-01-31")]),
    Fx("в марте 2024 года", "window", windows=[("2024-03-01", "2024-03-31")]),
    Fx("в течение ноября", "window", windows=[("2023-11-01", "2023-11-30")]),
    Fx("I квартал 2024 года", "window", windows=[("2024-01-01", "2024-03-31")]),
    Fx("конец ноября 2023 года", "window", windows=[("2023-11-21", "2023-11-30")]),
    Fx("первая среда декабря", "date", windows=[("2023-12-06", "2023-12-06")]),
    Fx("вторая среда апреля 2024 года", "date", windows=[("2024-04-10", "2024-04-10")]),
    Fx("в 2024 году", "window", windows=[("2024-01-01", "2024-12-31")]),
    Fx(
        "ГИА-9: март 2024 года; ГИА-11: апрель 2024 года",
        "windows",
        windows=[("2024-03-01", "2024-03-31"), ("2024-04-01", "2024-04-30")],
    ),
    Fx(
        "- март 2024 года\n- май 2024 года",
        "windows",
        windows=[("2024-03-01", "2024-03-31"), ("2024-05-01", "2024-05-31")],
    ),
    Fx("1) ноябрь 2023\n2) март 2024", "windows", windows=[("2023-11-01", "2023-11-30"), ("2024-03-01", "2024-03-31")]),
    Fx("до 18.00 часов 10.12.2023", "date", windows=[("2023-12-10", "2023-12-10")]),
    Fx(
        "в течение 2024/2025 учебного года",
        "continuous",
        windows=[("2024-09-01", "2025-08-31")],
        warnings=("academic_year_mismatch",),
    ),
    Fx("в течение всего учебного года", "continuous", windows=[("2023-09-01", "2024-08-31")]),
    Fx("на постоянной основе", "continuous", windows=[("2023-09-01", "2024-08-31")]),
    Fx("еженедельно", "recurring", windows=[("2023-09-01", "2024-08-31")], recurrence="weekly"),
    Fx("ежеквартально", "recurring", windows=[("2023-09-01", "2024-08-31")], recurrence="quarterly"),
    Fx("не реже одного раза в месяц", "recurring", windows=[("2023-09-01", "2024-08-31")], recurrence="monthly"),
    Fx("2 раза в год", "recurring", windows=[("2023-09-01", "2024-08-31")], recurrence="yearly"),
    Fx("по понедельникам", "recurring", windows=[("2023-09-01", "2024-08-31")], recurrence="weekly"),
    Fx("ежемесячно до 5 числа", "recurring", windows=[("2023-09-01", "2024-08-31")], recurrence="monthly"),
    Fx(
        "ежемесячно с января по май 2024 года",
        "recurring",
        windows=[("2024-01-01", "2024-05-31")],
        recurrence="monthly",
    ),
    Fx("по мере необходимости", "recurring", windows=[("2023-09-01", "2024-08-31")], recurrence="as_needed"),
    Fx("по запросу", "external", schedule_ref="по запросу"),
    Fx("по плану-графику ФЦТ", "external", schedule_ref="по плану-графику ФЦТ"),
    Fx("согласно графику ФЦТ", "external", schedule_ref="согласно графику ФЦТ"),
    Fx(
        "в сроки, установленные Минпросвещения России и Рособрнадзором",
        "external",
        schedule_ref="в сроки, установленные Минпросвещения России и Рособрнадзором",
    ),
    Fx("в установленные сроки", "external", schedule_ref="в установленные сроки"),
    Fx("в период проведения ЕГЭ", "event_period", anchor=("gia_period", None, 0, None, "within")),
    Fx("во время проведения экзаменов", "event_period", anchor=("gia_period", None, 0, None, "within")),
    Fx("накануне экзаменов", "relative", anchor=("exam_day", None, -1, "calendar_day", "exact")),
    Fx(
        "за 3 дня до экзамена",
        "relative",
        anchor=("exam_day", None, -3, "day", "exact"),
        warnings=("day_type_unspecified",),
    ),
    Fx(
        "не позднее чем за две недели до даты проведения итогового сочинения",
        "relative",
        anchor=("exam_day", "essay", -2, "week", "not_later"),
        windows=[(None, "2023-11-22"), (None, "2024-01-24"), (None, "2024-03-27")],
    ),
    Fx(
        "на следующий рабочий день после подачи апелляции",
        "relative",
        anchor=("appeal_filed", None, 1, "working_day", "exact"),
    ),
    Fx(
        "в течение 3 рабочих дней со дня получения результатов",
        "relative",
        anchor=("results_received", None, 3, "working_day", "within"),
    ),
    Fx(
        "не позднее 5 рабочих дней после официального объявления результатов",
        "relative",
        anchor=("results_day", None, 5, "working_day", "not_later"),
    ),
    Fx("в день объявления результатов", "relative", anchor=("results_day", None, 0, "calendar_day", "exact")),
    Fx("не ранее чем за три месяца до начала ГИА", "relative", anchor=("gia_start", None, -3, "month", "not_earlier")),
    Fx("после окончания экзамена", "relative", anchor=("exam_day", None, 0, "calendar_day", "not_earlier")),
    Fx("до начала ГИА", "relative", anchor=("gia_start", None, 0, "calendar_day", "not_later")),
    Fx("в течение 2 недель после завершения ГИА", "relative", anchor=("gia_end", None, 2, "week", "within")),
    Fx(
        "в течение 3 рабочих дней",
        "relative",
        anchor=(None, None, 3, "working_day", "within"),
        warnings=("event_unspecified",),
    ),
    Fx(
        "в течение 5 дней со дня утверждения приказа",
        "relative",
        anchor=("document_approval", None, 5, "day", "within"),
        warnings=("day_type_unspecified",),
    ),
    Fx(
        "не позднее 2 дней со дня подачи заявления",
        "relative",
        anchor=("application_filed", None, 2, "day", "not_later"),
        warnings=("day_type_unspecified",),
    ),
    Fx(
        "октябрь 2023 года - май 2023 года",
        "window",
        windows=[("2023-10-01", "2023-05-31")],
        warnings=("reversed_window",),
    ),
    Fx("31.02.2024", "unknown", warnings=("invalid_date",)),
]

# Cells with no deadline at all: kind «unknown» and a finding.
NOT_DEADLINES = [
    Fx("ГУ ОЦМКО", "unknown", warnings=("actor_in_deadline",), year="2020/21"),
    Fx("Сектор ГИА, РЦОИ", "unknown", warnings=("actor_in_deadline",)),
    Fx("", "unknown", warnings=("empty",)),
    Fx("Сроки реализации", "unknown", warnings=("unparsed",)),
    Fx("не позднее чем за", "unknown", warnings=("unparsed",)),  # a split fragment alone
    Fx("в течение", "unknown", warnings=("unparsed",)),
]

SEED_FIXTURES = KALMYKIA_001 + KUZBASS_004
ALL_FIXTURES = SEED_FIXTURES + TOMSK_002 + OTHER + NOT_DEADLINES


def year_of(fx: Fx) -> str:
    """The academic year a fixture is read in."""
    if fx.year:
        return fx.year
    if any(f is fx for f in KUZBASS_004):
        return "2020/21"
    return "2023/24"
