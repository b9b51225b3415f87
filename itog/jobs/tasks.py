"""Import the modules that register job kinds (so a worker knows them)."""

import itog.exams.printing  # noqa: E402,F401
import itog.web.lists  # noqa: E402,F401  (the "list-export" job: XLSX of a filtered list)
import itog.web.list_specs  # noqa: E402,F401
