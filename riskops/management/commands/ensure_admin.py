import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from audit.models import AuditAction
from audit.recording import audit_record
from people.models import Role, User
from people.selectors import people_active

ADMIN_PASSWORD_FILE = settings.VAR_DIR / "admin-password"


class Command(BaseCommand):
    help = "Creates an administrator with a random password if none exists, and says how to log in."

    def handle(self, *args, **options):
        admin = people_active().filter(is_superuser=True).order_by("pk").first()
        if admin is None:
            password = secrets.token_urlsafe(12)
            with transaction.atomic():
                admin = User.objects.create_superuser("admin", "admin@localhost", password, role=Role.ADMIN)
                audit_record(admin, by=None, action=AuditAction.CREATED)
            ADMIN_PASSWORD_FILE.write_text(password)
            ADMIN_PASSWORD_FILE.chmod(0o600)
            self.stdout.write(f"created administrator '{admin.username}' with password {password}")
        elif ADMIN_PASSWORD_FILE.exists():
            self.stdout.write(f"administrator '{admin.username}': password in {ADMIN_PASSWORD_FILE}")
        else:
            self.stdout.write(f"administrator '{admin.username}' exists (password set by you)")
