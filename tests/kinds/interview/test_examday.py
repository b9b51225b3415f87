"""The собеседник's ведомость: start/stop, warnings on durations, «Н», not finished with a reason."""

from datetime import datetime, timedelta

from itog.exams.kinds.interview.examday import Person, Thresholds, Vedomost
from itog.exams.kinds.interview.values import AnswerState

T0 = datetime(2024, 2, 14, 9, 0)


def ved():
    return Vedomost(
        "101",
        [
            Person("a", "Аверин А."),
            Person("b", "Белова Б.", extended=True),
            Person("c", "Волков В."),
            Person("d", "Глебова Г."),
        ],
    )


def codes(vs):
    return [v.code for v in vs]


def test_start_stop_fills_times():
    v = ved()
    assert v.start("a", T0) == []
    assert v.stop("a", T0 + timedelta(minutes=15)) == []
    line = v.lines["a"]
    assert line.state == AnswerState.FINISHED and line.minutes == 15 and line.started_at == T0


def test_duration_warnings():
    v = ved()
    v.start("a", T0)
    w = v.stop("a", T0 + timedelta(minutes=9))
    assert codes(w) == ["I50"] and not w[0].is_error and "9 мин" in w[0].message
    assert v.lines["a"].state == AnswerState.FINISHED and v.lines["a"].warnings == tuple(w)
    v.start("c", T0 + timedelta(minutes=10))
    assert codes(v.stop("c", T0 + timedelta(minutes=36))) == ["I51"]  # 26 > 25
    v.start("b", T0 + timedelta(minutes=40))
    assert v.stop("b", T0 + timedelta(minutes=40 + 55)) == []  # extended: 55 is still fine
    v2 = Vedomost("1", [Person("b", "Белова Б.", extended=True)])
    v2.start("b", T0)
    assert codes(v2.stop("b", T0 + timedelta(minutes=56))) == ["I51"]
    v3 = Vedomost("1", [Person("a", "Аверин А.")], thresholds=Thresholds(min_minutes=5))
    v3.start("a", T0)
    assert v3.stop("a", T0 + timedelta(minutes=6)) == []


def test_refusals_leave_line_unchanged():
    v = ved()
    assert codes(v.stop("a", T0)) == ["I58"]
    v.start("a", T0)
    assert codes(v.start("c", T0)) == ["I57"] and v.lines["c"].state == AnswerState.PLANNED
    assert codes(v.start("a", T0)) == ["I55"]
    assert codes(v.stop("a", T0 - timedelta(minutes=1))) == ["I52"]
    assert v.lines["a"].state == AnswerState.IN_PROGRESS
    assert codes(v.start("zz", T0)) == ["I59"]
    assert codes(v.mark_absent("a")) == ["I56"]


def test_absent_and_not_finished():
    v = ved()
    assert v.mark_absent("d", "болезнь") == []
    assert v.lines["d"].state == AnswerState.ABSENT and v.lines["d"].reason == "болезнь"
    assert codes(v.start("d", T0)) == ["I56"]
    v.start("a", T0)
    assert codes(v.mark_not_finished("a", T0 + timedelta(minutes=5), " ")) == ["I53"]
    assert v.mark_not_finished("a", T0 + timedelta(minutes=5), "плохое самочувствие") == []
    assert v.lines["a"].state == AnswerState.NOT_FINISHED and v.lines["a"].minutes == 5


def test_close_check():
    v = ved()
    v.start("a", T0)
    got = v.close_check()
    assert codes(got) == ["I54", "I58", "I58", "I58"]
    v.stop("a", T0 + timedelta(minutes=15))
    for pid in "bcd":
        v.mark_absent(pid)
    assert v.close_check() == [] and v.counts()["absent"] == 3
