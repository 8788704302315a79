from django.urls import path

from reporting import views_cycles

urlpatterns = [
    path("cycles/", views_cycles.cycle_list, name="cycle-list"),
    path("cycles/new/", views_cycles.cycle_new, name="cycle-new"),
    path("cycles/<int:pk>/", views_cycles.cycle_detail, name="cycle-detail"),
]
