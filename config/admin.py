"""People in the Django admin: the User admin without a username, with its history, keeping the
rules: only a superuser may make someone staff or a superuser, give permissions one by one, set
another person's password or change a superuser. Anyone else sends a reset link."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import PasswordResetForm, UserChangeForm, UserCreationForm
from django.shortcuts import redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from config.history_admin import StaleCheckAdminMixin, StaleCheckFormMixin
from config.models import User

ONLY_SUPERUSERS = ["is_superuser", "is_staff", "user_permissions"]
PASSWORD_REFUSED = (
    "Only a superuser can set another person’s password. Choose the person in the list of people "
    "and use “Send a password reset link” instead."
)


class PersonCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class PersonAddForm(forms.ModelForm):
    """Adding a person without setting their password: they set it from an invitation."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")

    def save(self, commit=True):
        person = super().save(commit=False)
        person.set_unusable_password()
        if commit:
            person.save()
        return person


class PersonChangeForm(StaleCheckFormMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class PersonAdmin(StaleCheckAdminMixin, SimpleHistoryAdmin, UserAdmin):  # type: ignore[misc]  # the stubs type the template more widely
    form = PersonChangeForm
    add_form = PersonCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    actions = ["send_password_reset_link"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        (
            "Roles and access",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        dates = ["last_login", "date_joined"]
        return dates if request.user.is_superuser else [*ONLY_SUPERUSERS, *dates]

    def get_fieldsets(self, request, obj=None):
        if obj is None and not request.user.is_superuser:
            return [(None, {"fields": ["email", "first_name", "last_name"]})]
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = PersonAddForm
        return super().get_form(request, obj, **kwargs)

    def has_change_permission(self, request, obj=None):
        # A superuser's own record is theirs and other superusers' to change.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # people are deactivated, not deleted

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            messages.error(request, PASSWORD_REFUSED)
            return redirect(reverse("admin:config_user_change", args=[unquote(id)]))
        return super().user_change_password(request, id, form_url)

    @admin.action(description="Send a password reset link", permissions=["change"])
    def send_password_reset_link(self, request, queryset):
        sent, not_sent = [], []
        for person in queryset:
            form = PasswordResetForm({"email": person.email})
            if person.is_active and person.has_usable_password() and form.is_valid():
                form.save(
                    request=request,
                    email_template_name="emails/password_reset.txt",
                    subject_template_name="emails/password_reset_subject.txt",
                    extra_email_context={
                        "site_url": settings.SITE_URL,
                        "programme_name": settings.PROGRAMME_NAME,
                        "reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                    },
                )
                sent.append(person.email)
            else:
                not_sent.append(person.email)
        if sent:
            messages.success(request, f"Password reset link sent to {', '.join(sent)}.")
        if not_sent:
            messages.warning(
                request,
                f"No link sent to {', '.join(not_sent)}: they have no password yet or cannot "
                "sign in. Invite them from the People page instead.",
            )
