// The rule pages' live examples (issue 16, `scalelens-docgen`'s "Try it" section): each
// `.scalelens-embed` holds a static picture and the playground's iframe (`?embed`). The embed
// posts `{scalelens: 'height', height}` to this page (same origin only) once it has rendered and
// whenever its content resizes: size the iframe to it and show it in place of the picture.
// Without scripts, or until the first message, the picture stays (embed.css).
(function () {
  'use strict';
  window.addEventListener('message', function (ev) {
    if (ev.origin !== window.location.origin) return;
    var d = ev.data;
    if (!d || d.scalelens !== 'height' || typeof d.height !== 'number' || !(d.height > 0)) return;
    var frames = document.querySelectorAll('iframe.scalelens-embed-live');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow !== ev.source) continue;
      frames[i].style.height = Math.min(Math.ceil(d.height), 4000) + 'px';
      frames[i].parentElement.classList.add('loaded');
    }
  });
})();
