from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "peacebuild.mandates"
    verbose_name = _("Offices and mandates")
