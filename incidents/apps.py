from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from incidents.on_call_work import open_work_for_teams
        from oncall.open_work import on_hand_off

        on_hand_off(open_work_for_teams)
