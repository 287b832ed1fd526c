// Copy buttons for values shown once (an invitation link, a new API key). No inline handlers: the
// Content Security Policy allows only scripts from this host.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copyTarget);
  if (!input) return;
  input.focus();
  input.select();
  const done = () => {
    button.textContent = "Copied";
    window.setTimeout(() => { button.textContent = button.dataset.label || "Copy"; }, 2000);
  };
  button.dataset.label = button.dataset.label || button.textContent;
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, () => { button.textContent = "Press Ctrl+C to copy"; });
  } else {
    button.textContent = "Press Ctrl+C to copy";
  }
});
