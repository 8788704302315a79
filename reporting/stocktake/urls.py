from django.urls import path

from reporting.stocktake import correction_views, public, views

urlpatterns = [
    # The programme team's pages.
    path("stocktakes/", views.stocktake_list, name="stocktake-list"),
    path("stocktakes/<int:year>/", views.stocktake_detail, name="stocktake-detail"),
    path("stocktakes/<int:year>/as-at/", views.stocktake_as_at, name="stocktake-as-at"),
    path("stocktakes/<int:year>/preview/", views.stocktake_preview, name="stocktake-preview"),
    path("stocktakes/<int:year>/pdf/", views.stocktake_render, name="stocktake-render"),
    path("stocktakes/<int:year>/stocktake.pdf", views.stocktake_pdf, name="stocktake-pdf"),
    path("stocktakes/<int:year>/publish/", views.stocktake_publish, name="stocktake-publish"),
    path("stocktakes/<int:year>/next-year/", views.stocktake_next_year, name="stocktake-next-year"),
    path(
        "stocktakes/<int:year>/withdraw/",
        correction_views.stocktake_withdraw,
        name="stocktake-withdraw",
    ),
    path(
        "stocktakes/<int:year>/remove-item/",
        correction_views.stocktake_redact,
        name="stocktake-redact",
    ),
    path(
        "stocktakes/<int:year>/remake-pdf/",
        correction_views.stocktake_remake_pdf,
        name="stocktake-remake-pdf",
    ),
    # Anyone, without signing in: published stocktakes only.
    path("public/stocktakes/", public.public_stocktakes, name="public-stocktakes"),
    path("public/stocktakes/<int:year>/", public.public_stocktake, name="public-stocktake"),
    path(
        "public/stocktakes/<int:year>/stocktake.pdf",
        public.public_stocktake_pdf,
        name="public-stocktake-pdf",
    ),
    path(
        "public/stocktakes/<int:year>/data/",
        public.public_stocktake_data,
        name="public-stocktake-data",
    ),
    path(
        "public/stocktakes/<int:year>/data/datapackage.json",
        public.public_stocktake_datapackage,
        name="public-stocktake-datapackage",
    ),
    path(
        "public/stocktakes/<int:year>/data/<slug:name>.csv",
        public.public_stocktake_csv,
        name="public-stocktake-csv",
    ),
]
