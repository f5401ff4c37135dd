from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Post-incident reviews")

    def ready(self):
        # Resolving an incident opens its review; closing it needs the review completed or waived.
        from incidents.services import on_incident_close, on_incident_resolve
        from reviews.services import review_check_closable, review_open

        on_incident_resolve(review_open)
        on_incident_close(review_check_closable)
