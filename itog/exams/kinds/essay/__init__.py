"""The final essay (итоговое сочинение (изложение)) as an exam kind: everything that is the
essay's and nobody else's. Shared code reaches it only through the registry
(``itog.exams.kinds.get_rules("essay")`` or ``session.rules``), never by importing these modules.

* :mod:`.rules` — the one rules object (:data:`.rules.RULES`) mapping each stage to the modules below;
* :mod:`.codes` — the validation codes V01–V74 (K.3) and X01… with their messages (registered);
* :mod:`.calendar` — the dates of п. 4.1 and the deadlines before the exam;
* :mod:`.procedure` — registration, commissions, the day before the exam (п. 2–5, 7.5, 7.11);
* :mod:`.participants_import` — a school's list upload: its columns and row checks (re-exported by procedure);
* :mod:`.after` — the exam day, checking, results, re-check, re-admission, storage (sections D–I);
* :mod:`.criteria` + ``criteria_data/`` — the federal criteria as versioned data and their aggregation;
* :mod:`.blanks` — the essay's blank layout as printing and scanning see it (box codes, session digit).
"""
