// Loads the app's bundle, inline in the page (the page's Content-Security-Policy allows exactly this script by its
// hash). A phone on congested Wi-Fi can lose the download: then it says so and tries again, after 1, 2, 4… s (at most
// 30 s), or at once when the network comes back, instead of showing "Loading…" forever. The bundle, once it runs,
// replaces the whole page.
(function (src) {
  var tries = 0;
  var timer = 0;
  var loading = false;
  function load() {
    if (loading) return;
    loading = true;
    clearTimeout(timer);
    var script = document.createElement("script");
    script.src = src;
    script.onerror = function () {
      script.remove();
      loading = false;
      var shown = document.querySelector("#main .loading");
      if (shown) shown.textContent = "Still loading… retrying · 読み込み中… 再試行しています";
      timer = setTimeout(load, Math.min(30000, 1000 * Math.pow(2, tries++)));
    };
    document.body.appendChild(script);
  }
  window.addEventListener("online", function () {
    if (tries) load();
  });
  load();
})("%JS%");
