/*
 * Stand-in for Stripe.js v3, served by the fake Stripe server (escrow.fake_stripe) for development and
 * tests only. It implements the subset the project uses, with Stripe.js's signatures and results:
 *
 *   var stripe = Stripe("pk_test_...");
 *   var card = stripe.elements().create("card");  card.mount("#card");  card.on("change", fn);
 *   stripe.confirmCardPayment(clientSecret, {payment_method: {card: card, billing_details: {...}}})
 *     .then(function (result) { result.paymentIntent or result.error });
 *
 * plus createPaymentMethod, retrievePaymentIntent, handleCardAction and handleNextAction. The card
 * Element renders plain inputs (no iframe) marked data-fake-stripe-card-number / -expiry / -cvc; the
 * 3-D Secure challenge is a <dialog> with buttons marked data-fake-stripe-3ds="complete" / "fail".
 * No inline styles, no <style> tags, no eval: it runs under a strict Content-Security-Policy. Requests go
 * to the origin this script was loaded from.
 */
(function () {
  "use strict";

  function scriptOrigin() {
    var script = document.currentScript;
    if (!script) {
      var scripts = document.getElementsByTagName("script");
      for (var i = 0; i < scripts.length; i++) {
        if (scripts[i].src && scripts[i].src.indexOf("/js.stripe.com/v3") !== -1) {
          script = scripts[i];
        }
      }
    }
    return script && script.src ? new URL(script.src, window.location.href).origin : window.location.origin;
  }

  var ORIGIN = scriptOrigin();

  function IntegrationError(message) {
    var error = new Error(message);
    error.name = "IntegrationError";
    return error;
  }

  // --- card data ------------------------------------------------------------------------------

  function digitsOf(value) {
    return String(value || "").replace(/\D/g, "");
  }

  function luhnValid(number) {
    var total = 0;
    for (var i = 0; i < number.length; i++) {
      var digit = Number(number.charAt(number.length - 1 - i));
      if (i % 2 === 1) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      total += digit;
    }
    return number.length >= 12 && total % 10 === 0;
  }

  function brandOf(number) {
    if (/^3[47]/.test(number)) return "amex";
    if (/^4/.test(number)) return "visa";
    if (/^(5[1-5]|222[1-9]|22[3-9]|2[3-6]|27[01]|2720)/.test(number)) return "mastercard";
    if (/^(6011|65|64[4-9])/.test(number)) return "discover";
    if (/^(30[0-5]|36|38)/.test(number)) return "diners";
    if (/^35/.test(number)) return "jcb";
    if (/^62/.test(number)) return "unionpay";
    return "unknown";
  }

  function numberLength(brand) {
    return brand === "amex" ? 15 : brand === "diners" ? 14 : 16;
  }

  function fail(code, message) {
    return { type: "validation_error", code: code, message: message };
  }

  // The card's state: {empty, complete, brand, error (invalid data, or incomplete when `strict`), card}.
  function validate(values, strict) {
    var number = digitsOf(values.number);
    var expiry = digitsOf(values.expiry);
    var cvc = digitsOf(values.cvc);
    var brand = brandOf(number);
    var errors = [];
    var wanted = numberLength(brand);
    if (number.length < wanted) {
      if (strict || !number) {
        errors.push(fail("incomplete_number", "Your card number is incomplete."));
      }
    } else if (!luhnValid(number)) {
      errors.push(fail("invalid_number", "Your card number is invalid."));
    }
    var month = null;
    var year = null;
    if (expiry.length === 4 || expiry.length === 6) {
      month = Number(expiry.slice(0, 2));
      year = expiry.length === 4 ? 2000 + Number(expiry.slice(2)) : Number(expiry.slice(2));
      var now = new Date();
      if (month < 1 || month > 12) {
        errors.push(fail("invalid_expiry_month", "Your card's expiration date is invalid."));
      } else if (year < now.getFullYear()) {
        errors.push(fail("invalid_expiry_year_past", "Your card's expiration year is in the past."));
      } else if (year === now.getFullYear() && month < now.getMonth() + 1) {
        errors.push(fail("invalid_expiry_month_past", "Your card's expiration date is in the past."));
      }
    } else {
      errors.push(fail("incomplete_expiry", "Your card's expiration date is incomplete."));
    }
    if (cvc.length < (brand === "amex" ? 4 : 3)) {
      errors.push(fail("incomplete_cvc", "Your card's security code is incomplete."));
    }
    var invalid = errors.filter(function (error) {
      return strict || error.code.indexOf("incomplete") !== 0;
    });
    return {
      empty: !number && !expiry && !cvc,
      complete: errors.length === 0,
      brand: brand,
      error: invalid[0],
      card: { number: number, exp_month: month, exp_year: year, cvc: cvc },
    };
  }

  // --- the card Element -----------------------------------------------------------------------

  function makeInput(name, label, placeholder, autocomplete, marker, maxLength) {
    var input = document.createElement("input");
    input.type = "text";
    input.name = name;
    input.className = "FakeStripeCard-input FakeStripeCard-input--" + name;
    input.setAttribute("aria-label", label);
    input.setAttribute("placeholder", placeholder);
    input.setAttribute("autocomplete", autocomplete);
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("spellcheck", "false");
    input.setAttribute(marker, "");
    input.maxLength = maxLength;
    return input;
  }

  function CardElement(group, options) {
    this._group = group;
    this._options = options || {};
    this._handlers = {};
    this._container = null;
    this._wrapper = null;
    this._inputs = null;
    this._touched = false;
  }

  CardElement.prototype.on = function (event, handler) {
    (this._handlers[event] = this._handlers[event] || []).push(handler);
    return this;
  };

  CardElement.prototype.off = function (event, handler) {
    var handlers = this._handlers[event] || [];
    this._handlers[event] = handler
      ? handlers.filter(function (item) {
          return item !== handler;
        })
      : [];
    return this;
  };

  CardElement.prototype._emit = function (event, payload) {
    (this._handlers[event] || []).slice().forEach(function (handler) {
      handler(payload);
    });
  };

  CardElement.prototype._values = function () {
    var inputs = this._inputs;
    return inputs ? { number: inputs.number.value, expiry: inputs.expiry.value, cvc: inputs.cvc.value } : {};
  };

  CardElement.prototype._state = function (strict) {
    return validate(this._values(), strict);
  };

  CardElement.prototype._changed = function () {
    var state = this._state(false);
    var container = this._container;
    if (container) {
      container.classList.toggle("StripeElement--empty", state.empty);
      container.classList.toggle("StripeElement--complete", state.complete);
      container.classList.toggle("StripeElement--invalid", Boolean(state.error));
    }
    if (this._inputs) {
      var code = state.error ? state.error.code : "";
      this._inputs.number.setAttribute("aria-invalid", String(/number/.test(code)));
      this._inputs.expiry.setAttribute("aria-invalid", String(/expiry/.test(code)));
      this._inputs.cvc.setAttribute("aria-invalid", String(/cvc/.test(code)));
    }
    this._emit("change", {
      elementType: "card",
      empty: state.empty,
      complete: state.complete,
      error: state.error,
      brand: state.brand,
      value: { postalCode: "" },
    });
  };

  CardElement.prototype.mount = function (target) {
    var node = typeof target === "string" ? document.querySelector(target) : target;
    if (!node || !node.appendChild) {
      throw IntegrationError("The selector you specified (" + target + ") applies to no DOM elements.");
    }
    if (this._wrapper) {
      this.unmount();
    }
    var self = this;
    var wrapper = document.createElement("div");
    wrapper.className = "FakeStripeCard";
    wrapper.setAttribute("data-fake-stripe-card", "");
    var inputs = {
      number: makeInput("cardnumber", "Card number", "1234 1234 1234 1234", "cc-number",
        "data-fake-stripe-card-number", 23),
      expiry: makeInput("exp-date", "Expiration date (MM / YY)", "MM / YY", "cc-exp",
        "data-fake-stripe-card-expiry", 9),
      cvc: makeInput("cvc", "Security code (CVC)", "CVC", "cc-csc", "data-fake-stripe-card-cvc", 4),
    };
    ["number", "expiry", "cvc"].forEach(function (name) {
      var input = inputs[name];
      input.addEventListener("input", function () {
        self._changed();
      });
      input.addEventListener("focus", function () {
        node.classList.add("StripeElement--focus");
        self._emit("focus", { elementType: "card" });
      });
      input.addEventListener("blur", function () {
        node.classList.remove("StripeElement--focus");
        self._emit("blur", { elementType: "card" });
      });
      wrapper.appendChild(input);
    });
    if (this._options.disabled) {
      this.update({ disabled: true });
    }
    node.appendChild(wrapper);
    node.classList.add("StripeElement", "StripeElement--empty");
    this._container = node;
    this._wrapper = wrapper;
    this._inputs = inputs;
    window.setTimeout(function () {
      self._emit("ready", { elementType: "card" });
    }, 0);
  };

  CardElement.prototype.update = function (options) {
    if (options && "disabled" in options && this._inputs) {
      var inputs = this._inputs;
      [inputs.number, inputs.expiry, inputs.cvc].forEach(function (input) {
        input.disabled = Boolean(options.disabled);
      });
    }
  };

  CardElement.prototype.focus = function () {
    if (this._inputs) this._inputs.number.focus();
  };

  CardElement.prototype.blur = function () {
    if (this._inputs && this._wrapper.contains(document.activeElement)) document.activeElement.blur();
  };

  CardElement.prototype.clear = function () {
    if (!this._inputs) return;
    this._inputs.number.value = "";
    this._inputs.expiry.value = "";
    this._inputs.cvc.value = "";
    this._changed();
  };

  CardElement.prototype.unmount = function () {
    if (!this._wrapper) return;
    this._wrapper.parentNode.removeChild(this._wrapper);
    this._container.classList.remove("StripeElement", "StripeElement--empty", "StripeElement--focus",
      "StripeElement--complete", "StripeElement--invalid");
    this._wrapper = null;
    this._container = null;
    this._inputs = null;
  };

  CardElement.prototype.destroy = function () {
    this.unmount();
    this._group._card = null;
  };

  function Elements(options) {
    this._options = options || {};
    this._card = null;
  }

  Elements.prototype.create = function (type, options) {
    if (type !== "card") {
      throw IntegrationError('The fake Stripe.js supports only the "card" Element, not "' + type + '".');
    }
    if (this._card) {
      throw IntegrationError("Can only create one Element of type card.");
    }
    this._card = new CardElement(this, options);
    return this._card;
  };

  Elements.prototype.getElement = function (type) {
    return type === "card" ? this._card : null;
  };

  // --- the API -------------------------------------------------------------------------------

  function encode(params, prefix, pairs) {
    pairs = pairs || [];
    Object.keys(params).forEach(function (key) {
      var value = params[key];
      var name = prefix ? prefix + "[" + key + "]" : key;
      if (value === undefined || value === null) return;
      if (typeof value === "object") {
        encode(value, name, pairs);
      } else {
        pairs.push(encodeURIComponent(name).replace(/%5B/g, "[").replace(/%5D/g, "]") + "=" +
          encodeURIComponent(String(value)));
      }
    });
    return pairs.join("&");
  }

  function connectionError(reason) {
    return {
      type: "api_connection_error",
      message: "Failed to reach the fake Stripe server at " + ORIGIN + " (" + reason + ").",
    };
  }

  // Resolves {ok, body} for any answer of the server, {ok: false, body: {error}} when it is unreachable.
  function request(key, method, path, params) {
    var url = ORIGIN + path;
    var init = { method: method, headers: { Authorization: "Bearer " + key } };
    var body = encode(params || {});
    if (method === "GET") {
      if (body) url += "?" + body;
    } else {
      init.headers["Content-Type"] = "application/x-www-form-urlencoded";
      init.body = body;
    }
    return window.fetch(url, init).then(
      function (response) {
        return response.json().then(function (json) {
          return { ok: response.ok, body: json };
        });
      },
      function (error) {
        return { ok: false, body: { error: connectionError(String(error && error.message)) } };
      }
    );
  }

  function intentId(clientSecret) {
    var match = /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9_-]+$/.exec(String(clientSecret || ""));
    if (!match) {
      throw IntegrationError("Invalid value for clientSecret: it should be a client secret of the form " +
        "${id}_secret_${secret}. You specified: " + clientSecret + ".");
    }
    return match[1];
  }

  function describeAmount(intent) {
    return (intent.amount / 100).toFixed(2) + " " + String(intent.currency).toUpperCase();
  }

  // The 3-D Secure challenge: a modal <dialog> whose buttons complete or fail the authentication.
  function challenge(intent) {
    return new Promise(function (resolve) {
      var dialog = document.createElement("dialog");
      var title = document.createElement("h2");
      var text = document.createElement("p");
      var complete = document.createElement("button");
      var failure = document.createElement("button");
      var titleId = "fake-stripe-3ds-title-" + intent.id;
      var done = false;
      dialog.className = "FakeStripe3DS";
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.setAttribute("aria-labelledby", titleId);
      dialog.setAttribute("data-fake-stripe-3ds-dialog", "");
      title.id = titleId;
      title.textContent = "3D Secure authentication (test)";
      text.textContent = "Fake Stripe: authenticate the test payment of " + describeAmount(intent) + ".";
      [[complete, "complete", "Complete authentication"], [failure, "fail", "Fail authentication"]].forEach(
        function (spec) {
          spec[0].type = "button";
          spec[0].className = "FakeStripe3DS-button FakeStripe3DS-button--" + spec[1];
          spec[0].setAttribute("data-fake-stripe-3ds", spec[1]);
          spec[0].textContent = spec[2];
        }
      );
      function finish(outcome) {
        if (done) return;
        done = true;
        if (typeof dialog.close === "function" && dialog.open) dialog.close();
        if (dialog.parentNode) dialog.parentNode.removeChild(dialog);
        resolve(outcome);
      }
      complete.addEventListener("click", function () {
        finish("succeed");
      });
      failure.addEventListener("click", function () {
        finish("fail");
      });
      dialog.addEventListener("cancel", function (event) {
        event.preventDefault();
        finish("fail");
      });
      dialog.appendChild(title);
      dialog.appendChild(text);
      dialog.appendChild(complete);
      dialog.appendChild(failure);
      document.body.appendChild(dialog);
      if (typeof dialog.showModal === "function") {
        dialog.showModal();
      } else {
        dialog.setAttribute("open", "");
      }
      complete.focus();
    });
  }

  function intentResult(intent) {
    if (intent.status === "requires_payment_method" && intent.last_payment_error) {
      var error = {};
      Object.keys(intent.last_payment_error).forEach(function (key) {
        error[key] = intent.last_payment_error[key];
      });
      error.payment_intent = intent;
      return { error: error };
    }
    return { paymentIntent: intent };
  }

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    if (typeof publishableKey !== "string" || !publishableKey) {
      throw IntegrationError("Please call Stripe() with your publishable key. You used an empty string.");
    }
    if (/^(sk|rk)_/.test(publishableKey)) {
      throw IntegrationError("You should not use your secret key with Stripe.js. Please pass a publishable key " +
        "instead.");
    }
    this._key = publishableKey;
  }

  Stripe.prototype.elements = function (options) {
    return new Elements(options);
  };

  Stripe.prototype._createPaymentMethod = function (element, billingDetails, metadata) {
    var state = element._state(true);
    if (!element._inputs) {
      return Promise.resolve({ error: fail("integration_error", "The card Element is not mounted.") });
    }
    if (!state.complete) {
      element._changed();
      return Promise.resolve({ error: state.error });
    }
    var params = { type: "card", card: state.card };
    if (billingDetails) params.billing_details = billingDetails;
    if (metadata) params.metadata = metadata;
    return request(this._key, "POST", "/v1/payment_methods", params).then(function (answer) {
      return answer.ok ? { paymentMethod: answer.body } : { error: answer.body.error };
    });
  };

  Stripe.prototype.createPaymentMethod = function (data, element, extra) {
    if (typeof data === "string") {
      data = { type: data, card: element, billing_details: extra && extra.billing_details };
    }
    if (!data || data.type !== "card" || !(data.card instanceof CardElement)) {
      return Promise.reject(IntegrationError("createPaymentMethod: pass {type: 'card', card: cardElement}."));
    }
    return this._createPaymentMethod(data.card, data.billing_details, data.metadata);
  };

  Stripe.prototype._authenticate = function (intent, clientSecret) {
    var key = this._key;
    return challenge(intent).then(function (outcome) {
      var path = "/_fake/payment_intents/" + intent.id + "/authenticate";
      return request(key, "POST", path, { outcome: outcome, client_secret: clientSecret }).then(function (answer) {
        return answer.ok ? intentResult(answer.body) : { error: answer.body.error };
      });
    });
  };

  Stripe.prototype.confirmCardPayment = function (clientSecret, data, options) {
    var self = this;
    var id;
    try {
      id = intentId(clientSecret);
    } catch (error) {
      return Promise.reject(error);
    }
    data = data || {};
    var method = data.payment_method;
    var ready;
    if (typeof method === "string" || !method) {
      ready = Promise.resolve({ paymentMethod: method ? { id: method } : null });
    } else if (method.card instanceof CardElement) {
      ready = this._createPaymentMethod(method.card, method.billing_details, method.metadata);
    } else {
      return Promise.reject(IntegrationError("confirmCardPayment: payment_method should be a PaymentMethod id " +
        "or {card: cardElement}."));
    }
    return ready.then(function (created) {
      if (created.error) return created;
      var params = { client_secret: clientSecret };
      if (created.paymentMethod) params.payment_method = created.paymentMethod.id;
      ["setup_future_usage", "return_url", "receipt_email"].forEach(function (name) {
        if (data[name]) params[name] = data[name];
      });
      return request(self._key, "POST", "/v1/payment_intents/" + id + "/confirm", params).then(function (answer) {
        if (!answer.ok) return { error: answer.body.error };
        var intent = answer.body;
        if (intent.status === "requires_action" && !(options && options.handleActions === false)) {
          return self._authenticate(intent, clientSecret);
        }
        return { paymentIntent: intent };
      });
    });
  };

  Stripe.prototype.retrievePaymentIntent = function (clientSecret) {
    var id;
    try {
      id = intentId(clientSecret);
    } catch (error) {
      return Promise.reject(error);
    }
    return request(this._key, "GET", "/v1/payment_intents/" + id, { client_secret: clientSecret }).then(
      function (answer) {
        return answer.ok ? { paymentIntent: answer.body } : { error: answer.body.error };
      }
    );
  };

  Stripe.prototype.handleCardAction = function (clientSecret) {
    var self = this;
    return this.retrievePaymentIntent(clientSecret).then(function (result) {
      if (result.error || result.paymentIntent.status !== "requires_action") return result;
      return self._authenticate(result.paymentIntent, clientSecret);
    });
  };

  Stripe.prototype.handleNextAction = function (options) {
    return this.handleCardAction(options && options.clientSecret);
  };

  Stripe.version = 3;
  Stripe.fake = true;
  window.Stripe = Stripe;
})();
