import pytest

from people.models import Role, User


@pytest.fixture
def operator(make_user):
    """An administrator who also signs in to the Django admin, as `createsuperuser` makes one."""
    person = make_user(Role.ADMIN, username="operator")
    User.objects.filter(pk=person.pk).update(is_staff=True, is_superuser=True)
    person.refresh_from_db()
    return person
