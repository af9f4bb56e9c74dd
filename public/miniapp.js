/* The Mini App glue: Telegram's theme and back button, and follow/unfollow on a case page.
   Writes carry Telegram's initData in the Authorization header; the server checks its signature. */
(function () {
  "use strict";
  var tg = window.Telegram && window.Telegram.WebApp;
  if (!tg || !tg.initData) return;
  tg.ready();
  try { tg.expand(); } catch (e) { /* older clients */ }

  var root = location.pathname === "/app" || location.pathname === "/app/";
  if (!root) {
    tg.BackButton.show();
    tg.BackButton.onClick(function () {
      if (history.length > 1) history.back();
      else location.href = "/app";
    });
  } else {
    tg.BackButton.hide();
  }

  var box = document.getElementById("follow");
  if (!box) return;
  var button = document.getElementById("follow-button");
  var status = document.getElementById("follow-status");
  var slug = box.getAttribute("data-slug");
  var following = false;

  function call(path, body) {
    return fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "tma " + tg.initData },
      body: JSON.stringify(body),
      credentials: "omit"
    }).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      return res.json();
    });
  }

  function show(state) {
    following = state;
    button.textContent = box.getAttribute(state ? "data-unfollow" : "data-follow");
    status.textContent = box.getAttribute(state ? "data-following" : "data-not-following");
    box.setAttribute("data-state", state ? "following" : "not-following");
    box.hidden = false;
  }

  function fail() {
    status.textContent = box.getAttribute("data-failed");
    box.setAttribute("data-state", "failed");
    box.hidden = false;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    call("/app/api/follow", { slug: slug, follow: !following })
      .then(function (r) { show(r.following); })
      .catch(fail)
      .then(function () { button.disabled = false; });
  });

  call("/app/api/following", { slug: slug }).then(function (r) { show(r.following); }).catch(fail);
})();
