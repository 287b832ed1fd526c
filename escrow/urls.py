from django.urls import path

from . import views

app_name = "escrow"
urlpatterns = [path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook")]
