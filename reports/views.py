from django.shortcuts import render

from accounts.decorators import role_required
from accounts.models import Role
from accounts.scope import Level, scope_for


@role_required(Role.WARD, Role.PROVINCE)
def dashboard(request):
    current = scope_for(request.user)
    area = request.user.ward if current.level == Level.WARD else request.user.province
    return render(request, "reports/dashboard.html", {"area": area})
