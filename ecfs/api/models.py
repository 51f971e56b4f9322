import hashlib
import uuid

from django.db import models


def token_hash(token: str) -> str:
    """What is stored for a token: its SHA-256, so a copy of the database holds no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


class PartnerSystem(models.Model):
    """Another agency's system that sends referrals with a bearer token (health visiting, schools...)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_active=True) | models.Q(revoked_at__isnull=False),
                name="partner_system_revoked_has_date",
            ),
        ]

    def __str__(self):
        return self.name


class PartnerReferral(models.Model):
    """Which partner system sent a referral: what lets it read back that referral's status, and no other."""

    partner = models.ForeignKey(PartnerSystem, on_delete=models.PROTECT, related_name="referral_links")
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="partner_link")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A partner's own referrals, newest first (the partner's list endpoint).
            models.Index(fields=["partner", "-created_at"], name="partner_referral_list_idx"),
        ]

    def __str__(self):
        return f"{self.referral} from {self.partner}"
