from django.urls import path

from reports import views

urlpatterns = [
    path("incidents/<int:incident_id>/report/", views.incident_report_page, name="incident-report"),
    path("incidents/<int:incident_id>/report.pdf", views.incident_report_pdf, name="incident-report-pdf"),
    path("risks/report/", views.register_report_page, name="register-report"),
    path("risks/report.pdf", views.register_report_pdf, name="register-report-pdf"),
    path("notifications/digest/", views.digest_preferences, name="digest-preferences"),
    path("notifications/digest/send/", views.digest_send_now, name="digest-send-now"),
]
