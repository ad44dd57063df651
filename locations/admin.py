from django.contrib import admin

from cx_audit.core.admin import ScopedModelAdmin
from locations.models import Brand, Franchisee, GeocodeResult, Location, Membership, Region


@admin.register(Brand)
class BrandAdmin(ScopedModelAdmin):
    list_display = ["name", "slug", "direct_max_city_tier"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "parent", "brand"]
    list_filter = ["brand"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Franchisee)
class FranchiseeAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "legal_name", "contact_email", "brand"]
    list_filter = ["brand"]
    search_fields = ["code", "name", "legal_name"]


@admin.register(Location)
class LocationAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "outlet_type", "franchisee", "city", "city_tier", "region", "status"]
    list_filter = ["brand", "outlet_type", "status", "city_tier", "region"]
    search_fields = ["code", "name", "city", "address", "franchisee__name"]
    autocomplete_fields = ["franchisee", "region"]
    list_select_related = ["franchisee", "region"]
    fieldsets = [
        (None, {"fields": ["brand", "code", "name", "outlet_type", "franchisee", "status"]}),
        ("Where", {"fields": ["region", "address", "city", "country", "city_tier", "latitude", "longitude"]}),
        ("Business", {"fields": ["opening_date", "floor_area", "annual_revenue"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    list_display = ["user", "brand", "role", "franchisee"]
    list_filter = ["brand", "role"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["franchisee", "regions", "locations"]


@admin.register(GeocodeResult)
class GeocodeResultAdmin(admin.ModelAdmin):
    list_display = ["query", "latitude", "longitude", "created_at"]
    search_fields = ["query"]
