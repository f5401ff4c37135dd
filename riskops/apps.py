from django.apps import AppConfig


class RiskOpsConfig(AppConfig):
    name = "riskops"
    verbose_name = "RiskOps"

    def ready(self):
        from core import log_context  # noqa: F401 - connects the Celery signals that carry request ids
