from django.apps import AppConfig


class RiskOpsConfig(AppConfig):
    name = "riskops"
    verbose_name = "RiskOps"
