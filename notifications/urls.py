from django.urls import path

from notifications import views

urlpatterns = [
    path("", views.inbox, name="notification-inbox"),
    path("<int:notification_id>/read/", views.read, name="notification-inbox-read"),
    path("read-all/", views.read_all, name="notification-inbox-read-all"),
    path("preferences/", views.preferences, name="notification-inbox-preferences"),
    path("rule/", views.rule, name="notification-rule"),
    path("subscriptions/", views.subscription_add, name="notification-subscription-add"),
    path(
        "subscriptions/<int:subscription_id>/stop/",
        views.subscription_remove,
        name="notification-subscription-remove",
    ),
]
