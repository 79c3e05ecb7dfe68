// Meeting mode: the arrow keys (and PageUp/PageDown, as sent by presentation clickers) move to
// the previous or next view in the navigation, keeping the URL parameters.
document.addEventListener("keydown", function (event) {
  if (!document.documentElement.classList.contains("rk-present")) { return; }
  const target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
    return;
  }
  const forward = event.key === "ArrowRight" || event.key === "PageDown";
  const backward = event.key === "ArrowLeft" || event.key === "PageUp";
  if (!forward && !backward) { return; }
  const links = Array.from(document.querySelectorAll(".rk-nav .rk-nav-link"));
  if (!links.length) { return; }
  let index = links.findIndex(function (link) { return link.classList.contains("rk-active"); });
  index = (index + (forward ? 1 : -1) + links.length) % links.length;
  event.preventDefault();
  links[index].click();
});
