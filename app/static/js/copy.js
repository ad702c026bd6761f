// "Copy link" buttons: shown only where the Clipboard API exists; the read-only field works without them.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll(".copy-button").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        status.textContent = status.dataset.copied;
      });
    });
  });
})();
