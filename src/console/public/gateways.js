/* global document */
// The gateway form: only the chosen type's config inputs are shown (without this script they
// all are, and the server reads only the chosen type's).
(function () {
  var select = document.getElementById('type');
  if (!select) return;
  function sync() {
    document.querySelectorAll('fieldset[data-gateway-type]').forEach(function (set) {
      set.hidden = set.getAttribute('data-gateway-type') !== select.value;
    });
  }
  select.addEventListener('change', sync);
  sync();
})();
