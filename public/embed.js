/*
 * Portico's signup embed. Paste on any page of a site the agent listed (agent.embed_origins):
 *
 *   <script src="https://portal.example.net/embed.js" data-agent="northwind-direct" async></script>
 *
 * It puts the signup form (/embed/signup) in an iframe right after the script tag (or inside the
 * element named by data-target="#some-id"), grows the iframe to fit its content, and when a signup
 * completes dispatches a `portico:signup-complete` event (bubbling, detail { custnum }) on the
 * iframe, which reaches document and window listeners on the host page. Messages are checked both
 * ways: this script only listens to the portal's origin and to its own iframe; the form only talks
 * to the host origin it was given, and only when the agent lists that origin. Nothing secret is
 * ever sent, and no cookie is needed.
 */
(function () {
  "use strict";

  function findScript() {
    if (document.currentScript) return document.currentScript;
    var all = document.querySelectorAll("script[data-agent]");
    for (var i = 0; i < all.length; i++) {
      if (/\/embed\.js(\?|#|$)/.test(all[i].src) && !all[i].getAttribute("data-portico-done")) return all[i];
    }
    return null;
  }

  var script = findScript();
  if (!script || script.getAttribute("data-portico-done")) return;
  script.setAttribute("data-portico-done", "1");

  var agent = script.getAttribute("data-agent") || "";
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(agent)) {
    if (window.console) console.error("Portico embed: data-agent must be the agent's signup key");
    return;
  }
  var portal = new URL(script.src, document.baseURI).origin;

  var iframe = document.createElement("iframe");
  iframe.src = portal + "/embed/signup?agent=" + encodeURIComponent(agent) + "&parent=" + encodeURIComponent(window.location.origin);
  iframe.title = script.getAttribute("data-title") || "Sign up";
  iframe.setAttribute("loading", "eager");
  iframe.setAttribute("data-portico-embed", agent);
  iframe.style.width = "100%";
  iframe.style.border = "0";
  iframe.style.display = "block";
  iframe.style.height = (parseInt(script.getAttribute("data-height") || "", 10) || 720) + "px";
  iframe.style.transition = "height 0.15s ease";

  var target = script.getAttribute("data-target");
  var host = target ? document.querySelector(target) : null;
  if (host) host.appendChild(iframe);
  else script.parentNode.insertBefore(iframe, script.nextSibling);

  iframe.addEventListener("load", function () {
    // Ask for the height again (the form may have rendered before this page listened).
    if (iframe.contentWindow) iframe.contentWindow.postMessage({ type: "portico:hello" }, portal);
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== portal || event.source !== iframe.contentWindow) return;
    var data = event.data;
    if (!data || typeof data !== "object") return;
    if (data.type === "portico:resize") {
      var h = Number(data.height);
      if (isFinite(h) && h > 0 && h < 20000) iframe.style.height = Math.ceil(h) + 4 + "px";
    } else if (data.type === "portico:signup-complete") {
      var custnum = Number(data.custnum);
      if (!(custnum > 0)) return;
      var detail = { custnum: custnum, agent: agent };
      var ev;
      if (typeof window.CustomEvent === "function") ev = new CustomEvent("portico:signup-complete", { bubbles: true, detail: detail });
      else {
        ev = document.createEvent("CustomEvent");
        ev.initCustomEvent("portico:signup-complete", true, false, detail);
      }
      iframe.dispatchEvent(ev);
    }
  });
})();
