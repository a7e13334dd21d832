from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo office (UNTOP) and the `demo` command."""

    name = "peacebuild.demo"
    verbose_name = _("Demo office")
