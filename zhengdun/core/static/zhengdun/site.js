// Behaviour the templates ask for by data attributes, in place of inline event
// handlers, which the Content-Security-Policy (script-src 'self') refuses.
//   <form data-zd-confirm="确定删除？">        asks before submitting
//   <select data-zd-autosubmit data-zd-clear="org">  submits its form on change, first emptying the named field
//   <a href="…" data-zd-back>                 goes back in history (the href is the fallback)
// Listeners sit on the document, so content that htmx swaps in behaves the same.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement ? form.dataset.zdConfirm : undefined;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLElement) || !("zdAutosubmit" in field.dataset) || !field.form) {
      return;
    }
    var cleared = field.dataset.zdClear && field.form.elements.namedItem(field.dataset.zdClear);
    if (cleared && "value" in cleared) {
      cleared.value = "";
    }
    field.form.submit();
  });

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-zd-back]") : null;
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
