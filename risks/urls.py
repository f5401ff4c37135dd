"""Pages of the register (the API is routed in riskops/urls.py)."""

from django.urls import path

from risks import matrix_views, views

urlpatterns = [
    path("", views.register, name="risk-list"),
    path("new/", views.risk_create, name="risk-create"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("appetite/", views.appetite, name="risk-appetite"),
    path("matrix/", matrix_views.matrix, name="risk-matrix-page"),
    path("matrix/v<int:version>/", matrix_views.matrix, name="risk-matrix-version"),
    path("matrix/new/", matrix_views.matrix_new, name="risk-matrix-new"),
    path("import/", views.import_file, name="risk-import"),
    path("import/template/", views.import_template, name="risk-import-template"),
    path("import/<int:job_id>/", views.import_job, name="risk-import-job"),
    path("export/<str:kind>/", views.export, name="risk-export"),
    path("<int:pk>/", views.risk_detail, name="risk-detail"),
    path("<int:pk>/edit/", views.risk_edit, name="risk-edit"),
    path("<int:pk>/review/", views.risk_review, name="risk-review"),
    path("<int:pk>/actions/", views.action_create, name="risk-action-create"),
    path("actions/<int:pk>/status/", views.action_status, name="risk-action-status"),
    path("<int:pk>/acceptances/", views.acceptance_request, name="risk-acceptance-request"),
    path("acceptances/<int:pk>/<str:decision>/", views.acceptance_decide, name="risk-acceptance-decide"),
]
