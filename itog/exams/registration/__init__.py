"""Registration (п. 2–5): sessions of a kind's calendar, applications decided by the kind's rules,
a school's list upload, submissions ОО → МОУО → РЦОИ and the выверка.

* :mod:`.participants_import` — pure: the list upload's columns, rows and errors;
* :mod:`.services` — sessions, registration (rules first, all or nothing), submissions;
* :mod:`.importing` — the list upload saved (region-wide duplicates, one transaction).
"""
