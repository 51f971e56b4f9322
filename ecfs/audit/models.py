from django.conf import settings
from django.db import models

from .actions import AuditAction

REDACTED_SUMMARY = "Redacted: the family's records were anonymised"
REFERRAL_OBJECT_TYPE = "referrals.referral"


class AppendOnlyQuerySet(models.QuerySet):
    def redact_anonymised_family(self, family, *, referral_uuids=()) -> int:
        """The one change allowed: blank the free text of an anonymised family's events, keeping who, when
        and what. The database guard accepts exactly this change and only once the family is anonymised.

        ``referral_uuids``: the family's referrals, whose events from before triage linked them to the family
        carry no family (the guard checks that each is the anonymised family's)."""
        if family.anonymised_at is None:
            raise PermissionError("Only an anonymised family's audit events can be redacted.")
        before_linked = models.Q(
            family=None, object_type=REFERRAL_OBJECT_TYPE, object_id__in=[str(uuid) for uuid in referral_uuids]
        )
        return models.QuerySet.update(
            self.filter(models.Q(family=family) | before_linked).exclude(summary=REDACTED_SUMMARY),
            summary=REDACTED_SUMMARY,
            changes={},
        )

    def redact_anonymised_referral(self, referral) -> int:
        """The same change for a referral never linked to a family, once it is anonymised: its events carry no
        family, and the guard checks that the referral is anonymised and has none."""
        if referral.anonymised_at is None or referral.family_id is not None:
            raise PermissionError("Only an anonymised referral never linked to a family has its events redacted.")
        return models.QuerySet.update(
            self.filter(family=None, object_type=REFERRAL_OBJECT_TYPE, object_id=str(referral.uuid)).exclude(
                summary=REDACTED_SUMMARY
            ),
            summary=REDACTED_SUMMARY,
            changes={},
        )

    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only: they cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events are append-only: they cannot be deleted.")


class AuditActionField(models.CharField):
    """The action, from the closed vocabulary (``AuditAction``, which ``audit_record`` enforces). Its choices are
    left out of migrations: adding an action to the vocabulary changes no table, so it needs no migration."""

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, path, args, kwargs


class AuditEvent(models.Model):
    """One thing that happened to a personal record, written by the service that did it.

    Rows are only ever added. ``family`` is set whenever the event concerns a
    family, so a family's timeline and "who touched this family" are one
    indexed query.
    """

    occurred_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_events", null=True, blank=True
    )
    action = AuditActionField(max_length=60, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="audit_events", null=True, blank=True
    )
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # The family timeline: a family's events, newest first.
            models.Index(fields=["family", "-occurred_at"], name="audit_family_time_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only: they cannot be deleted.")
