from django.contrib import admin

from .models import ServiceType


# The catalogue is national: the admin site keeps it to national
# administrators, since this admin does not declare an area scope.
@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("name_vi", "name_en", "category", "is_filing", "is_active")
    list_editable = ("is_active",)
    list_filter = ("category", "is_filing", "is_active")
    search_fields = ("code", "name_vi", "name_en")
