// Passkeys (通行密钥) on the second-factor pages, by data attributes in place of inline
// scripts, which the Content-Security-Policy refuses:
//   <div data-zd-passkey-block hidden>       shown only where the browser has WebAuthn
//   <p data-zd-passkey-unsupported>          hidden where it has
//   <form data-zd-passkey="register|login" data-zd-passkey-options="URL">
//     <input type="hidden" name="credential"> <p data-zd-passkey-error></p>
// On submit the script asks URL for the ceremony's options, lets the browser create or use
// the passkey (@simplewebauthn/browser, loaded before this file), puts the browser's answer
// in the credential field and submits the form; the server checks it.
(function () {
  "use strict";

  var ERR_CANCELLED = "未完成通行密钥操作（已取消、已超时，或本设备没有可用的通行密钥），请重试";
  var ERR_OPTIONS = "暂时无法开始通行密钥验证，请刷新页面后重试";
  var lib = window.SimpleWebAuthnBrowser;

  if (!window.PublicKeyCredential || !lib) {
    return; // the blocks stay hidden: codes still work
  }
  document.querySelectorAll("[data-zd-passkey-block]").forEach(function (block) {
    block.hidden = false;
  });
  document.querySelectorAll("[data-zd-passkey-unsupported]").forEach(function (note) {
    note.hidden = true;
  });

  function options(form) {
    var csrf = form.elements.namedItem("csrfmiddlewaretoken");
    return fetch(form.dataset.zdPasskeyOptions, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(
        function (body) {
          if (!response.ok) {
            throw { zdMessage: body.detail || ERR_OPTIONS };
          }
          return body;
        },
        function () {
          throw { zdMessage: ERR_OPTIONS };
        }
      );
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.zdPasskey) {
      return;
    }
    var field = form.elements.namedItem("credential");
    if (field.value) {
      return; // the browser's answer is in: the form goes to the server
    }
    event.preventDefault();
    var error = form.querySelector("[data-zd-passkey-error]");
    var button = form.querySelector("button[type=submit]");
    if (error) {
      error.textContent = "";
    }
    if (button) {
      button.disabled = true;
    }
    options(form)
      .then(function (optionsJSON) {
        if (form.dataset.zdPasskey === "register") {
          return lib.startRegistration({ optionsJSON: optionsJSON });
        }
        return lib.startAuthentication({ optionsJSON: optionsJSON });
      })
      .then(function (answer) {
        field.value = JSON.stringify(answer);
        form.submit();
      })
      .catch(function (problem) {
        if (error) {
          error.textContent = (problem && problem.zdMessage) || ERR_CANCELLED;
        }
        if (button) {
          button.disabled = false;
        }
      });
  });
})();
