"""The voice pages: the customer dashboard, a location's voice, recovery actions, survey links."""

from django.urls import path

from cx_audit.voice import pages, recovery_pages, survey_pages

app_name = "voice"

urlpatterns: list = []

urlpatterns += [  # the customers' voice: the dashboard and a location's voice
    path("", pages.DashboardView.as_view(), name="dashboard"),
    path("locations/<int:pk>/", pages.LocationVoiceView.as_view(), name="location"),
]

urlpatterns += [  # customer recovery
    path("recovery/", recovery_pages.RecoveryListView.as_view(), name="recovery_list"),
    path("recovery/<int:pk>/", recovery_pages.RecoveryDetailView.as_view(), name="recovery_detail"),
    path("recovery/<int:pk>/close/", recovery_pages.RecoveryCloseView.as_view(), name="recovery_close"),
]

urlpatterns += [  # the in-store survey's links and stickers (the survey itself is under /s/)
    path("surveys/", survey_pages.SurveyLinkListView.as_view(), name="surveys"),
    path("surveys/issue-missing/", survey_pages.SurveyLinksEnsureView.as_view(), name="survey_ensure"),
    path("surveys/stickers.pdf", survey_pages.StickerSheetView.as_view(), name="survey_stickers"),
    path("surveys/<int:pk>/issue/", survey_pages.SurveyLinkIssueView.as_view(), name="survey_issue"),
    path("surveys/<int:pk>/revoke/", survey_pages.SurveyLinkRevokeView.as_view(), name="survey_revoke"),
    path("surveys/<int:pk>/sticker.pdf", survey_pages.StickerView.as_view(), name="survey_sticker"),
]
