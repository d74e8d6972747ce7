from django.urls import path, re_path

from . import cycle_views, public_views, recommendation_views, revision_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewCycleListView.as_view(), name="list"),
    path("<int:pk>/", cycle_views.ReviewCycleDetailView.as_view(), name="detail"),
    path("<int:pk>/change/", cycle_views.ReviewCycleChangeView.as_view(), name="change"),
    path("<int:pk>/open/", cycle_views.ReviewCycleOpenView.as_view(), name="open"),
    path("<int:pk>/close/", cycle_views.ReviewCycleCloseView.as_view(), name="close"),
    path("<int:pk>/minutes/", cycle_views.BoardMinutesView.as_view(), name="minutes"),
    path("<int:pk>/actions/<int:action_pk>/decision/", cycle_views.BoardDecisionCreateView.as_view(), name="decide"),
    path("plans/<slug:slug>/schedule/", cycle_views.PlanCycleScheduleView.as_view(), name="schedule"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/themes/<int:number>/", views.ThemeDashboardView.as_view(), name="theme_dashboard"),
    path("dashboard/actions.<str:fmt>", views.ActionExportView.as_view(), name="export"),
    path("board-pack/", views.BoardPackView.as_view(), name="board_pack"),
    path("board-pack.pdf", views.BoardPackPdfView.as_view(), name="board_pack_pdf"),
    # Plan revisions
    path("revisions/", revision_views.RevisionListView.as_view(), name="revisions"),
    path("revisions/new/", revision_views.RevisionStartView.as_view(), name="revision_start"),
    path("revisions/<int:pk>/", revision_views.RevisionDetailView.as_view(), name="revision"),
    path(
        "revisions/<int:pk>/actions/<int:action_pk>/",
        revision_views.RevisionDecideView.as_view(),
        name="revision_decide",
    ),
    re_path(
        r"^revisions/(?P<pk>[0-9]+)/actions/(?P<action_pk>[0-9]+)/(?P<fate>[a-z]+)/$",
        revision_views.RevisionDecideFateView.as_view(),
        name="revision_decide_fate",
    ),
    path("revisions/<int:pk>/add/", revision_views.RevisionAddActionView.as_view(), name="revision_add"),
    path(
        "revisions/<int:pk>/added/<int:decision_pk>/",
        revision_views.RevisionAddActionView.as_view(),
        name="revision_added_edit",
    ),
    path(
        "revisions/<int:pk>/decisions/<int:decision_pk>/remove/",
        revision_views.RevisionRemoveDecisionView.as_view(),
        name="revision_remove",
    ),
    path("revisions/<int:pk>/publish/", revision_views.RevisionPublishView.as_view(), name="revision_publish"),
    re_path(
        r"^revisions/(?P<pk>[0-9]+)/plan/(?P<which>before|after)/$",
        revision_views.RevisionPlanView.as_view(),
        name="revision_plan",
    ),
    # Inspection recommendations
    path("recommendations/", recommendation_views.RecommendationListView.as_view(), name="recommendations"),
    path("recommendations/<int:pk>/", recommendation_views.RecommendationDetailView.as_view(), name="recommendation"),
    path(
        "recommendations/<int:pk>/edit/",
        recommendation_views.RecommendationSaveView.as_view(),
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/unlink/<int:action_pk>/",
        recommendation_views.RecommendationUnlinkView.as_view(),
        name="recommendation_unlink",
    ),
    path("recommendations/sources/new/", recommendation_views.SourceSaveView.as_view(), name="source_new"),
    path("recommendations/sources/<int:pk>/", recommendation_views.SourceDetailView.as_view(), name="source"),
    path("recommendations/sources/<int:pk>/edit/", recommendation_views.SourceSaveView.as_view(), name="source_edit"),
    path(
        "recommendations/sources/<int:source_pk>/add/",
        recommendation_views.RecommendationSaveView.as_view(),
        name="recommendation_add",
    ),
    path(
        "recommendations/sources/<int:source_pk>/paste/",
        recommendation_views.RecommendationPasteView.as_view(),
        name="recommendation_paste",
    ),
    path(
        "recommendations/for-action/<int:action_pk>/",
        recommendation_views.ActionRecommendationsView.as_view(),
        name="action_recommendations",
    ),
    # The public progress page's settings and summaries (the page itself is at /public/<slug>/)
    path("public-pages/<slug:slug>/", public_views.PublicPageSettingsView.as_view(), name="public_page"),
    path(
        "public-pages/<slug:slug>/summaries/<int:action_pk>/",
        public_views.PublicSummaryView.as_view(),
        name="public_summary",
    ),
]
