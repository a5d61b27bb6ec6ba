// A portal's magic link carries its key in the URL's fragment (#key=…), which browsers never
// send to a server. On any portal page, this reads it, clears it from the address (and so from
// the history), and posts it to the portal's session address, which trades it for the session
// cookie: a new link replaces the session an older one opened.
(function () {
  var match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  var app = /^\/portal\/([^\/]+)/.exec(window.location.pathname);
  if (!match || !app) {
    return;
  }
  history.replaceState(null, "", window.location.pathname + window.location.search);
  var form = document.createElement("form");
  form.method = "post";
  form.action = "/portal/" + app[1] + "/session";
  var key = document.createElement("input");
  key.type = "hidden";
  key.name = "key";
  key.value = decodeURIComponent(match[1]);
  form.appendChild(key);
  document.body.appendChild(form);
  form.submit();
})();
