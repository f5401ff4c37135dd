"""Who may do what with integrations: risk officers and administrators set them up, read their
deliveries and reset their secrets; a sender needs only the integration's token."""

from rest_framework.permissions import BasePermission

from core.permissions import may_write_register, signed_in


def may_manage_integrations(user) -> bool:
    return may_write_register(user)


class ManagesIntegrations(BasePermission):
    def has_permission(self, request, view):
        return signed_in(request) and may_manage_integrations(request.user)
