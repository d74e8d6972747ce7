from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("cycles/<int:pk>/chase/", views.ReviewCycleChaseView.as_view(), name="chase"),
    path("calendar/", views.CalendarFeedView.as_view(), name="calendar"),
    path("calendar/<str:key>.ics", views.calendar_feed, name="calendar_feed"),
]
