// Behaviour every console and portal page shares, with no inline script (the pages' CSP allows
// none). A form marked data-progress (the CSV upload) is sent by XMLHttpRequest so that its
// <progress> element shows how much of the file has gone; the server answers as it does to the
// plain form (a redirect to the file, or the page with the problem), and without this script the
// form still works, without the bar.
(function () {
  function send(form, event) {
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-progress-status]");
    if (!bar || !window.FormData) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.max = e.total;
        bar.value = e.loaded;
        if (status) {
          status.textContent = Math.floor(100 * e.loaded / e.total) + "% sent";
        }
      }
    });
    xhr.addEventListener("load", function () {
      if (xhr.status < 400 && xhr.responseURL && xhr.responseURL !== form.action) {
        window.location.assign(xhr.responseURL); // the file's page, where its job shows
        return;
      }
      // the page with the problem: show its main part in place of this one's
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var main = page.querySelector("main");
      if (main) {
        document.querySelector("main").replaceWith(main);
        main.focus();
      }
    });
    xhr.addEventListener("error", function () {
      if (status) {
        status.textContent = "The upload failed: the server could not be reached.";
      }
      if (button) {
        button.disabled = false;
      }
    });
    if (button) {
      button.disabled = true;
    }
    bar.hidden = false;
    bar.value = 0;
    xhr.send(new FormData(form));
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-progress")) {
      send(form, e);
    }
  });
})();
