from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import PreferencesForm, TokenForm
from accounts.selectors import organizations_for
from core.views import paginate, run_service


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.update_preferences, request.user, **form.cleaned_data):
            messages.success(request, _("Your preferences are saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        created = run_service(form, services.create_token, request.user, **form.cleaned_data)
        if created:
            new_key = created[1]
            form = TokenForm()
    return render(request, "accounts/tokens.html", {
        "form": form, "new_key": new_key, "tokens": request.user.api_tokens.all(),
    })


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.revoke_token(token, actor=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")


@login_required
def organizations(request):
    qs = organizations_for(request.user).select_related("parent")
    nation = request.GET.get("nation")
    if nation:
        qs = qs.filter(nation__code=nation.upper())
    return render(request, "accounts/organizations.html",
                  {"page": paginate(request, qs, per_page=50), "nation": nation or ""})
