"""Pages for one's own account and profiles, and public profiles (frontend/views/profiles.py …)."""

from django.urls import path

from ..views import accounts, emails, payouts, profiles

urlpatterns: list = [
    path("dashboard/", accounts.dashboard, name="dashboard"),
    path("account/settings/", accounts.account_settings, name="account_settings"),
    path("account/billing/", accounts.account_billing, name="account_billing"),
    path("account/emails/", accounts.account_emails, name="account_emails"),
    path("email/unsubscribe/<str:token>/", emails.email_unsubscribe_page, name="email_unsubscribe"),
    path("account/payouts/", payouts.payouts, name="payouts"),
    path("account/payouts/start/", payouts.payouts_start, name="payouts_start"),
    path("account/payouts/return/", payouts.payouts_return, name="payouts_return"),
    path("profile/edit/", profiles.profile_edit, name="profile_edit"),
    path("profile/avatar/", profiles.profile_avatar, name="profile_avatar"),
    path("profile/avatar/remove/", profiles.profile_avatar_remove, name="profile_avatar_remove"),
    path("profile/client/", profiles.client_profile_edit, name="client_profile_edit"),
    path("profile/portfolio/", profiles.portfolio, name="portfolio"),
    path("profile/portfolio/<int:item_id>/", profiles.portfolio_edit, name="portfolio_edit"),
    path("profile/portfolio/<int:item_id>/delete/", profiles.portfolio_delete, name="portfolio_delete"),
    path("freelancers/<slug:handle>/", profiles.freelancer, name="freelancer"),
    path("freelancers/<slug:handle>/message/", profiles.message_direct, name="message_direct"),
    path("cities/search", profiles.cities, name="cities"),
]
