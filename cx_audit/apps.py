from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CxAuditConfig(AppConfig):
    name = "cx_audit"
    verbose_name = _("Audits")
