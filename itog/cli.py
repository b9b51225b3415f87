"""The `itog` command: a thin wrapper over Django management commands.

itog demo              migrate, build the demo region, print logins, serve on 127.0.0.1:8000
itog serve             production server (gunicorn + WhiteNoise)
itog backup FILE       copy the database to FILE;  itog restore FILE
itog <django command>  anything manage.py offers (migrate, createsuperuser, …)
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itog.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "itog"
    if len(argv) == 1:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
