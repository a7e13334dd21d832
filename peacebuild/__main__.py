"""The `peacebuild` console script: Django's management, with `demo` as the main job.

`peacebuild demo` migrates, loads the demo office and serves it; any other
`peacebuild <command>` is passed through to manage.py.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacebuild.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["peacebuild", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
