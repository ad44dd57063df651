"""``manage.py create_brand --name NAME --slug SLUG --admin-username USER [--admin-email EMAIL]
[--starter-framework]``: a new chain's first brand and its HQ admin, in one step.

The admin can do each piece by hand (a Brand, a user with staff status, a Membership with the HQ admin
role), but a newcomer misses one of the three and is then locked out of their own brand. This makes
all three in one transaction, and with ``--starter-framework`` a draft framework to edit: a copy of the
demo's checklist (dimensions, journeys, sections, items), never published until HQ publishes it.
The new admin's password is set afterwards (``manage.py changepassword USER``), so it never passes
through the shell history. Walkthrough: docs/deploy.md, "Your first brand".
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cx_audit.core.choices import Role
from journeys.models import Framework
from journeys.services import framework_create, framework_part_save
from locations.models import Brand, Membership

STARTER_NAME = "Store standard (draft, from the demo)"


class Command(BaseCommand):
    help = (
        "Create a brand and its first HQ admin (a staff user with the HQ admin role in the brand); "
        "--starter-framework also adds a draft framework copied from the demo to edit and publish."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The brand's name, e.g. 'Acme Mobile'.")
        parser.add_argument("--slug", required=True, help="Unique short name, e.g. acme.")
        parser.add_argument(
            "--admin-username", required=True, help="The HQ admin's login (an existing user gets the role)."
        )
        parser.add_argument("--admin-email", default="", help="The HQ admin's e-mail (password resets).")
        parser.add_argument(
            "--starter-framework",
            action="store_true",
            help="Also create a draft framework, a copy of the demo's, to edit in the admin and publish.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                brand = brand_create(name=options["name"], slug=options["slug"])
                user, created = hq_admin_add(
                    brand=brand, username=options["admin_username"], email=options["admin_email"]
                )
                draft = starter_framework_create(brand=brand) if options["starter_framework"] else None
        except ValidationError as error:
            raise CommandError("; ".join(_messages(error))) from error
        self.stdout.write(f"Brand {brand.name!r} (slug {brand.slug}, id {brand.pk}) created.")
        done = "created" if created else "given the HQ admin role"
        self.stdout.write(f"HQ admin {user.username!r} {done}.")
        if draft is not None:
            self.stdout.write(f"Draft framework v{draft.version} {draft.name!r} (id {draft.pk}) created.")
        if created:
            self.stdout.write(f"Next: set the password: python manage.py changepassword {user.username}")


def brand_create(*, name: str, slug: str) -> Brand:
    """A brand, validated like the admin's form (a taken slug is refused, not overwritten)."""
    brand = Brand(name=name, slug=slug)
    brand.full_clean()
    brand.save()
    return brand


def hq_admin_add(*, brand: Brand, username: str, email: str) -> tuple[Any, bool]:
    """The brand's HQ admin: staff status (to open the admin) and the HQ admin membership.

    A new user gets no usable password until one is set with ``changepassword``."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    created = user is None
    if created:
        user = user_model(username=username, email=email, is_staff=True)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    membership = Membership(user=user, brand=brand, role=Role.HQ_ADMIN)
    membership.full_clean()
    membership.save()
    return user, created


def starter_framework_create(*, brand: Brand) -> Framework:
    """A draft copy of the demo framework: a complete checklist to adapt rather than a blank page."""
    from cx_audit.demo.seeding import build_parts  # the demo's content, needed only here

    draft = framework_create(
        brand=brand,
        name=STARTER_NAME,
        description="A starting point copied from the demo framework: edit its parts, then publish.",
    )
    build_parts(draft, save=lambda part: framework_part_save(part=part))
    return draft


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()]
    return list(error.messages)
