// Meeting mode: the arrow keys (and PageUp/PageDown, as sent by presentation clickers) move to
// the previous or next view in the navigation, keeping the URL parameters; Escape leaves meeting
// mode. The navigation itself is hidden then (style.css), but its links still carry the views.
document.addEventListener("keydown", function (event) {
  if (!document.documentElement.classList.contains("rk-present")) { return; }
  const target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
    return;
  }
  if (event.key === "Escape") {
    const params = new URLSearchParams(window.location.search);
    params.delete("presentatie");
    const query = params.toString();
    event.preventDefault();
    window.location.assign(window.location.pathname + (query ? "?" + query : ""));
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
