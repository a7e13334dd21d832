import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacebuild.settings")
application = get_wsgi_application()

# A missing or wrong case key stops the server here, before it answers anyone.
from django.db import connections  # noqa: E402

from peacebuild.casework.checks import stop_unless_case_keys_right  # noqa: E402

stop_unless_case_keys_right()
connections.close_all()  # the check's connection; each request opens its own
