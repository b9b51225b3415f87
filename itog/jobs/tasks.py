"""Import the modules that register job kinds (so a worker knows them)."""

import itog.exams.printing  # noqa: E402,F401
