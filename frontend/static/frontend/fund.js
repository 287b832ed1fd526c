// Funding a milestone (frontend/contracts/fund.html): ask the server for the PaymentIntent, let
// Stripe.js confirm it with the card (3-D Secure included), then ask the server what became of it.
// The server decides: it reads the PaymentIntent from Stripe, never trusts the page's word.
(function () {
  "use strict";
  var form = document.querySelector("[data-fund-form]");
  if (!form || typeof Stripe === "undefined") return;
  var stripe = Stripe(form.dataset.publishableKey);
  var card = stripe.elements().create("card");
  var mount = form.querySelector("[data-card-element]");
  card.mount(mount);
  // The mount is a group named by the "Card details" label; Stripe's own iframe gets that name too.
  card.on("ready", function () {
    var frame = mount.querySelector("iframe");
    if (frame) frame.title = document.getElementById(mount.getAttribute("aria-labelledby")).textContent;
  });
  var submit = form.querySelector("[data-fund-submit]");
  var progress = form.querySelector("[data-fund-progress]");
  var errorBox = form.querySelector("[data-fund-error]");
  var newCard = form.querySelector("[data-new-card]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  // Once Stripe.js says the card was charged, no later failure of ours may read as "not charged".
  var CHARGED = "Your card was charged. The payment is still being recorded: reload this page in a few " +
    "minutes to see the milestone funded. Do not pay again.";

  function showError(message) {
    errorBox.querySelector("[data-fund-error-text]").textContent = message;
    errorBox.hidden = false;
    errorBox.setAttribute("tabindex", "-1");  // focus moves to the message, so it is read out
    errorBox.focus();
  }

  function busy(on) {
    submit.disabled = on;
    progress.hidden = !on;
  }

  function post(url, data) {
    var body = new URLSearchParams(data || {});
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body,
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(
        function (json) { return { ok: response.ok, json: json }; },
        function () {  // not JSON: a lapsed login, a proxy's error page
          throw new Error("The payment page lost its connection to the site. Reload the page and try again.");
        }
      );
    });
  }

  function chosenCard() {
    var checked = form.querySelector("input[name=card]:checked");
    return checked && checked.value !== "new" ? checked.value : null;
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "card") newCard.hidden = chosenCard() !== null;
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    busy(true);
    post(form.dataset.intentUrl).then(function (intent) {
      if (!intent.ok) throw new Error(intent.json.error.message);
      var saved = chosenCard();
      var data = saved ? { payment_method: saved } : { payment_method: { card: card } };
      var save = form.querySelector("[data-save-card]");
      if (!saved && save && save.checked) data.setup_future_usage = "off_session";
      return stripe.confirmCardPayment(intent.json.client_secret, data).then(function (result) {
        var charged = Boolean(result.paymentIntent && result.paymentIntent.status === "succeeded");
        return post(form.dataset.confirmUrl, { payment_intent: intent.json.payment_intent }).then(function (answer) {
          // "funded", or "refunded" (the contract ended meanwhile): the milestone page says which.
          if (answer.json.status === "funded" || answer.json.status === "refunded") {
            window.location.assign(answer.json.redirect);
            return;
          }
          if (charged) throw new Error(CHARGED);
          var reason = (result.error && result.error.message) || answer.json.message ||
            (answer.json.error && answer.json.error.message) || "The payment did not go through.";
          throw new Error(reason);
        }, function (lost) {
          throw charged ? new Error(CHARGED) : lost;
        });
      });
    }).catch(function (error) {
      busy(false);
      showError(error.message);
    });
  });
})();
