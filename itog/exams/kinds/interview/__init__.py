"""Итоговое собеседование по русскому языку (the 9th-grade final interview) — pure rules.

No Django here: the modules take plain dataclasses and answer with values and
:class:`~itog.exams.kinds.base.Violation` lists (codes ``I01``… of :mod:`.codes`).

* :mod:`.sources` — the acts every fact comes from (federal Порядок ГИА-9, the federal
  recommendations, ФИПИ criteria, seed 002 — the Tomsk plan-schedule);
* :mod:`.calendar` — dates, the seed-002 deadline chain, overrides;
* :mod:`.registration` — applications, documents, durations, re-admission;
* :mod:`.commission` — the school's commission and combinable roles;
* :mod:`.schedule` — rooms and time slots per participant;
* :mod:`.examday` — the собеседник's ведомость учета проведения;
* :mod:`.audio`, :mod:`.synth_audio` — checks of recordings; synthetic test recordings;
* :mod:`.criteria` — the federal criteria as versioned data, aggregation;
* :mod:`.forms` — printable PDFs;
* :mod:`.rules` — :class:`~.rules.InterviewRules`, everything behind one object.
"""
