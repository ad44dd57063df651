"""The voice vocabulary: channels, where a record came from, polarity and recovery states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackChannel(models.TextChoices):
    IN_STORE_SURVEY = "in_store_survey", _("In-store survey")
    HOTLINE = "hotline", _("Hotline")
    ECOMMERCE_CHAT = "ecommerce_chat", _("E-commerce chat")
    APP = "app", _("App")
    WECHAT = "wechat", _("WeChat / mini program")
    COMMUNITY = "community", _("Community")
    REVIEW_SITE = "review_site", _("Review site")
    OTHER = "other", _("Other")


class FeedbackSource(models.TextChoices):
    """How the record reached us (the channel is where the customer spoke)."""

    CSV = "csv", _("CSV import")
    API = "api", _("API")
    SURVEY = "survey", _("In-store survey page")
    DEMO = "demo", _("Demo data")


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")


class Polarity(models.IntegerChoices):
    PAIN = -1, _("Pain")
    NEUTRAL = 0, _("Neutral")
    PLEASURE = 1, _("Pleasure")


# A tag's polarity: a tag is a pain or a pleasure (an aspect term only says where, and tags nothing).
PAIN_OR_PLEASURE = [(Polarity.PAIN.value, _("Pain")), (Polarity.PLEASURE.value, _("Pleasure"))]


class RecoveryReason(models.TextChoices):
    DETRACTOR = "detractor", _("Detractor with a comment")
    CRITICAL_TOUCHPOINT = "critical_touchpoint", _("Pain at a critical touchpoint")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RECOVERED = "recovered", _("Recovered")
    NOT_RECOVERED = "not_recovered", _("Not recovered")


CLOSED_RECOVERY = (RecoveryStatus.RECOVERED, RecoveryStatus.NOT_RECOVERED)
