(function () {
  "use strict";
  var C = JSON.parse(document.getElementById("cairn-embed").textContent), T = 256;
  var map = document.getElementById("map"), retina = (window.devicePixelRatio || 1) > 1;
  var z = C.zoom, cx = 0, cy = 0, imgs = {}, mark = null;
  function px(lon, lat, zz) {
    var s = T * Math.pow(2, zz), r = Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180;
    return [(lon + 180) / 360 * s, (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * s];
  }
  function url(tz, tx, ty) {
    return C.tiles.split("{r}").join(retina ? "@2x" : "").split("{z}").join(String(tz))
      .split("{x}").join(String(tx)).split("{y}").join(String(ty));
  }
  function render() {
    var w = map.clientWidth, h = map.clientHeight, n = Math.pow(2, z), s = T * n;
    cy = Math.max(0, Math.min(s, cy));
    var left = Math.round(cx - w / 2), top = Math.round(cy - h / 2), keep = {};
    for (var ty = Math.max(0, Math.floor(top / T)); ty <= Math.min(n - 1, Math.floor((top + h - 1) / T)); ty++) {
      for (var tx = Math.floor(left / T); tx <= Math.floor((left + w - 1) / T); tx++) {
        var key = z + "/" + tx + "/" + ty, img = imgs[key];
        if (!img) {
          img = document.createElement("img"); img.alt = "";
          img.src = url(z, ((tx % n) + n) % n, ty);
          map.appendChild(img); imgs[key] = img;
        }
        img.style.left = (tx * T - left) + "px"; img.style.top = (ty * T - top) + "px";
        keep[key] = true;
      }
    }
    for (var k in imgs) { if (!keep[k]) { map.removeChild(imgs[k]); delete imgs[k]; } }
    if (C.marker) {
      if (!mark) { mark = document.createElement("div"); mark.className = "marker"; map.appendChild(mark); }
      var m = px(C.marker[0], C.marker[1], z);
      mark.style.left = (m[0] - left) + "px"; mark.style.top = (m[1] - top) + "px";
    }
  }
  function zoomTo(nz) {
    nz = Math.max(C.minZoom, Math.min(C.maxZoom, nz));
    if (nz === z) { return; }
    var f = Math.pow(2, nz - z); cx *= f; cy *= f; z = nz; render();
  }
  var p = px(C.lon, C.lat, z); cx = p[0]; cy = p[1];
  var drag = null;
  map.addEventListener("pointerdown", function (e) { drag = [e.clientX, e.clientY]; map.setPointerCapture(e.pointerId); });
  map.addEventListener("pointermove", function (e) {
    if (!drag) { return; }
    cx -= e.clientX - drag[0]; cy -= e.clientY - drag[1]; drag = [e.clientX, e.clientY]; render();
  });
  map.addEventListener("pointerup", function () { drag = null; });
  map.addEventListener("wheel", function (e) { e.preventDefault(); zoomTo(z + (e.deltaY < 0 ? 1 : -1)); }, { passive: false });
  document.getElementById("zin").addEventListener("click", function () { zoomTo(z + 1); });
  document.getElementById("zout").addEventListener("click", function () { zoomTo(z - 1); });
  window.addEventListener("resize", render);
  render();
})();