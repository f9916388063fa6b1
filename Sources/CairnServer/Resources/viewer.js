// The slippy map: integer zoom levels, 256 CSS px tiles (512 px images on high-DPI screens), drag / wheel /
// double-click / pinch / keyboard / buttons, and the view kept in the URL hash as #z/lat/lon.
(function () {
  "use strict";
  var CFG = JSON.parse(document.getElementById("cairn-config").textContent), TILE = 256, MAXLAT = 85.0511287798;
  var map = document.getElementById("map"), pos = document.getElementById("pos");
  var zin = document.getElementById("zin"), zout = document.getElementById("zout");
  var retina = (window.devicePixelRatio || 1) > 1;
  var z = CFG.zoom, cx = 0, cy = 0;           // centre in world pixels at zoom z
  var layer = null, tiles = {}, pending = 0, oldLayers = [];

  function clampZ(v) { return Math.max(CFG.minZoom, Math.min(CFG.maxZoom, v)); }
  function worldSize(zz) { return TILE * Math.pow(2, zz); }
  function project(lon, lat, zz) {
    var s = worldSize(zz), r = Math.max(-MAXLAT, Math.min(MAXLAT, lat)) * Math.PI / 180;
    return [(lon + 180) / 360 * s, (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * s];
  }
  function unproject(x, y, zz) {
    var s = worldSize(zz), n = Math.PI - 2 * Math.PI * y / s;
    return [x / s * 360 - 180, 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)))];
  }
  function tileURL(tz, tx, ty) {
    var t = CFG.tiles;
    if (t.indexOf("{r}") >= 0) { t = t.split("{r}").join(retina ? "@2x" : ""); }
    else if (retina) { t = t.split("{y}").join("{y}@2x"); }
    return versioned(t.split("{z}").join(String(tz)).split("{x}").join(String(tx)).split("{y}").join(String(ty)), tz, tx, ty);
  }
  // Invalidated tiles (from /maps/{map}/events, below): a tile's URL carries the newest invalidation
  // covering it (and the number of resets), so after an edit neither this page nor the browser's
  // cache shows the old tile, while other tiles keep their cached URLs.
  var invalidated = [], resets = 0;
  function versionOf(tz, tx, ty) {
    var v = 0;
    for (var i = 0; i < invalidated.length; i++) {
      var r = invalidated[i];
      if (r.z === tz && tx >= r.minX && tx <= r.maxX && ty >= r.minY && ty <= r.maxY && r.v > v) { v = r.v; }
    }
    return v;
  }
  function versioned(url, tz, tx, ty) {
    var v = versionOf(tz, tx, ty);
    if (!v && !resets) { return url; }
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + "v=" + resets + "." + v;
  }
  // Records `ranges` as changed by invalidation `id` (all tiles when ranges is null: a reset) and,
  // unless `keepShown`, re-requests the shown tiles among them.
  function invalidate(ranges, id, keepShown) {
    if (ranges) {
      for (var i = 0; i < ranges.length; i++) {
        var r = ranges[i];
        invalidated.push({ z: r.z, minX: r.minX, minY: r.minY, maxX: r.maxX, maxY: r.maxY, v: id });
      }
      // A long-lived page forgets old ranges as a reset does (every tile gets a new URL, and the shown
      // ones are re-requested once): dropping only some could bring back a URL cached before an edit.
      if (invalidated.length > 2000) { invalidated = []; resets++; }
    } else {
      invalidated = []; resets++;
    }
    var n = Math.pow(2, z), refreshed = 0;
    if (keepShown || map.hidden) { return refreshed; }
    for (var key in tiles) {
      var parts = key.split("/"), tx = ((+parts[0] % n) + n) % n, ty = +parts[1];
      var url = tileURL(z, tx, ty), img = tiles[key];
      if (img.getAttribute("src") === url) { continue; }
      img.style.visibility = "";
      if (img.complete) { pending++; }
      img.src = url;
      refreshed++;
    }
    return refreshed;
  }
  function setView(lon, lat, zz) {
    z = clampZ(zz);
    var p = project(lon, lat, z);
    cx = p[0]; cy = p[1];
  }
  function newLayer() {
    layer = document.createElement("div");
    layer.className = "layer";
    map.appendChild(layer);
    tiles = {}; pending = 0;
  }
  function dropOldLayers() {
    while (oldLayers.length) { var l = oldLayers.shift(); if (l.parentNode) { l.parentNode.removeChild(l); } }
  }
  function tileDone() {
    pending = Math.max(0, pending - 1);
    if (pending === 0) { dropOldLayers(); }
  }
  function render() {
    var w = map.clientWidth, h = map.clientHeight, n = Math.pow(2, z), s = worldSize(z);
    cx = ((cx % s) + s) % s;
    cy = Math.max(0, Math.min(s, cy));
    var left = Math.round(cx - w / 2), top = Math.round(cy - h / 2);
    var x0 = Math.floor(left / TILE), x1 = Math.floor((left + w - 1) / TILE);
    var y0 = Math.max(0, Math.floor(top / TILE)), y1 = Math.min(n - 1, Math.floor((top + h - 1) / TILE));
    var keep = {};
    for (var ty = y0; ty <= y1; ty++) {
      for (var tx = x0; tx <= x1; tx++) {
        var key = tx + "/" + ty, img = tiles[key];
        if (!img) {
          img = document.createElement("img");
          img.className = "tile"; img.alt = ""; img.draggable = false;
          img.onload = tileDone;
          img.onerror = function () { this.style.visibility = "hidden"; tileDone(); };
          pending++;
          img.src = tileURL(z, ((tx % n) + n) % n, ty);
          layer.appendChild(img);
          tiles[key] = img;
        }
        img.style.transform = "translate(" + (tx * TILE - left) + "px," + (ty * TILE - top) + "px)";
        keep[key] = true;
      }
    }
    for (var k in tiles) {
      if (!keep[k]) {
        var gone = tiles[k];
        gone.onload = gone.onerror = null;
        if (!gone.complete) { tileDone(); }
        layer.removeChild(gone);
        delete tiles[k];
      }
    }
    if (pending === 0) { dropOldLayers(); }
    zin.disabled = z >= CFG.maxZoom; zout.disabled = z <= CFG.minZoom;
    scheduleHash();
  }
  function zoomTo(nz, px, py) {
    nz = clampZ(nz);
    if (nz === z) { return; }
    var w = map.clientWidth, h = map.clientHeight;
    if (px === undefined) { px = w / 2; py = h / 2; }
    var f = Math.pow(2, nz - z), wx = cx - w / 2 + px, wy = cy - h / 2 + py;
    // keep the old tiles, scaled around the anchor, until the new level has loaded
    dropOldLayers();
    var old = layer, shift = "translate(" + px + "px," + py + "px) scale(" + f + ") translate(" + (-px) + "px," + (-py) + "px)";
    old.style.transform = shift + (old.style.transform ? " " + old.style.transform : "");
    oldLayers.push(old);
    setTimeout(dropOldLayers, 3000);
    cx = wx * f - px + w / 2; cy = wy * f - py + h / 2; z = nz;
    newLayer();
    render();
  }
  function panBy(dx, dy) {
    cx -= dx; cy -= dy;
    var t = "translate(" + dx + "px," + dy + "px)";
    for (var i = 0; i < oldLayers.length; i++) { oldLayers[i].style.transform = t + " " + oldLayers[i].style.transform; }
    render();
  }

  // ---- URL hash #z/lat/lon
  var hashTimer = null, lastHash = "";
  function currentHash() {
    var ll = unproject(cx, cy, z);
    return "#" + z + "/" + ll[1].toFixed(5) + "/" + ll[0].toFixed(5);
  }
  function scheduleHash() {
    var hsh = currentHash();
    pos.textContent = "z" + hsh.slice(1).split("/").join(" ");
    if (hashTimer) { return; }
    hashTimer = setTimeout(function () {
      hashTimer = null;
      lastHash = currentHash();
      if (location.hash !== lastHash) { history.replaceState(null, "", lastHash); }
    }, 250);
  }
  function readHash() {
    var m = /^#(\d+)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(location.hash);
    if (!m) { return false; }
    setView(parseFloat(m[3]), parseFloat(m[2]), parseInt(m[1], 10));
    return true;
  }
  window.addEventListener("hashchange", function () {
    if (location.hash === lastHash) { return; }
    if (readHash()) { dropOldLayers(); if (layer) { map.removeChild(layer); } newLayer(); render(); }
  });

  // ---- input
  var pointers = {}, pinchDist = 0, dragged = false;
  function relative(e) { var r = map.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
  function pointerList() { var a = []; for (var k in pointers) { a.push(pointers[k]); } return a; }
  map.addEventListener("pointerdown", function (e) {
    if (e.pointerType === "mouse" && e.button !== 0) { return; }
    try { map.setPointerCapture(e.pointerId); } catch (err) { /* synthetic or already released pointer */ }
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    var p = pointerList();
    if (p.length === 2) { pinchDist = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y); }
    dragged = false;
    map.classList.add("dragging");
    map.focus();
  });
  map.addEventListener("pointermove", function (e) {
    var prev = pointers[e.pointerId];
    if (!prev) { return; }
    var p = pointerList();
    if (p.length === 1) {
      var dx = e.clientX - prev.x, dy = e.clientY - prev.y;
      prev.x = e.clientX; prev.y = e.clientY;
      if (dx || dy) { dragged = true; panBy(dx, dy); }
    } else if (p.length === 2) {
      prev.x = e.clientX; prev.y = e.clientY;
      var d = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y), r = map.getBoundingClientRect();
      var mx = (p[0].x + p[1].x) / 2 - r.left, my = (p[0].y + p[1].y) / 2 - r.top;
      if (pinchDist > 0 && d / pinchDist > 1.6) { zoomTo(z + 1, mx, my); pinchDist = d; }
      else if (pinchDist > 0 && d / pinchDist < 0.625) { zoomTo(z - 1, mx, my); pinchDist = d; }
    }
  });
  function pointerEnd(e) {
    delete pointers[e.pointerId];
    pinchDist = 0;
    if (pointerList().length === 0) { map.classList.remove("dragging"); }
  }
  map.addEventListener("pointerup", pointerEnd);
  map.addEventListener("pointercancel", pointerEnd);
  map.addEventListener("dblclick", function (e) {
    e.preventDefault();
    var p = relative(e);
    zoomTo(z + (e.shiftKey ? -1 : 1), p[0], p[1]);
  });
  var wheelSum = 0, wheelLast = 0, wheelZoomed = 0;
  map.addEventListener("wheel", function (e) {
    e.preventDefault();
    var now = Date.now();
    if (now - wheelLast > 400) { wheelSum = 0; }
    wheelLast = now;
    wheelSum += e.deltaY * (e.deltaMode === 1 ? 40 : e.deltaMode === 2 ? 800 : 1);
    if (Math.abs(wheelSum) >= 50 && now - wheelZoomed > 250) {
      var p = relative(e);
      zoomTo(z + (wheelSum < 0 ? 1 : -1), p[0], p[1]);
      wheelSum = 0; wheelZoomed = now;
    }
  }, { passive: false });
  map.addEventListener("keydown", function (e) {
    var step = 120;
    switch (e.key) {
      case "+": case "=": zoomTo(z + 1); break;
      case "-": case "_": zoomTo(z - 1); break;
      case "ArrowLeft": panBy(step, 0); break;
      case "ArrowRight": panBy(-step, 0); break;
      case "ArrowUp": panBy(0, step); break;
      case "ArrowDown": panBy(0, -step); break;
      default: return;
    }
    e.preventDefault();
  });
  zin.addEventListener("click", function () { zoomTo(z + 1); });
  zout.addEventListener("click", function () { zoomTo(z - 1); });
  window.addEventListener("resize", render);

  if (!readHash()) { setView(CFG.lon, CFG.lat, CFG.zoom); }
  newLayer();
  // Opened in vector mode: no raster tiles until the user switches back.
  var vectorFirst = CFG.vector && CFG.vector.available && /(^|[?&])mode=vector(&|$)/.test(location.search);
  if (!vectorFirst) { render(); }
  window.cairnViewer = {
    zoomTo: zoomTo, panBy: panBy, view: function () { return currentHash(); },
    invalidate: invalidate, versioned: versioned,
    center: function () { var ll = unproject(cx, cy, z); return { lon: ll[0], lat: ll[1], zoom: z }; },
    jump: function (lon, lat, zz) {
      setView(lon, lat, zz); dropOldLayers();
      if (layer) { map.removeChild(layer); }
      newLayer(); render();
    }
  };
})();
// The vector mode: MapLibre GL JS (loaded from Cairn on first use) draws the client style from Cairn's
// vector tiles over the same view; MapLibre zoom = raster level - 1 (512 px world), so the scale matches.
// `?mode=vector` opens in it. The state goes to data attributes on <body> for tests and scripts.
(function () {
  "use strict";
  var CFG = JSON.parse(document.getElementById("cairn-config").textContent), V = CFG.vector, body = document.body;
  if (!V) { return; }
  var rasterBtn = document.getElementById("mode-raster"), vectorBtn = document.getElementById("mode-vector");
  var raster = document.getElementById("map"), gl = document.getElementById("gl"), note = document.getElementById("mode-note");
  var zoomBox = document.querySelector(".zoom");
  var glMap = null, errors = [];
  body.setAttribute("data-vector", V.available ? "off" : "unavailable");
  function fail(message) {
    errors.push(String(message));
    body.setAttribute("data-vector-errors", errors.join(" | ").slice(0, 2000));
    note.textContent = "Vector mode: " + message;
  }
  // Labels come from Cairn's glyph ranges (/fonts/…): when they cannot be loaded, or the style has
  // symbol layers Cairn could not keep, the note says labels are missing instead of leaving the user
  // to guess. `data-vector-labels` is "shown", "none" (the style has no labels) or "missing".
  function labelsMissing(reason) {
    body.setAttribute("data-vector-labels", "missing");
    note.textContent = "Vector mode: labels cannot be shown (" + reason + ")";
  }
  function checkLabels() {
    var style = glMap.getStyle(), omitted = (style.metadata && style.metadata["cairn:omitted-layers"]) || [];
    var symbols = style.layers.filter(function (l) { return l.type === "symbol"; });
    if (body.getAttribute("data-vector-labels") === "missing") { return; }
    if (symbols.length > 0 && !style.glyphs) { labelsMissing("the style has no glyphs URL"); return; }
    body.setAttribute("data-vector-labels", symbols.length > 0 ? "shown" : "none");
    if (omitted.length > 0) { note.textContent = "Vector mode: not drawn here: " + omitted.join(", "); }
  }
  function load(done) {
    if (window.maplibregl) { done(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet"; css.href = V.css;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = V.script;
    script.onload = done;
    script.onerror = function () { fail("MapLibre GL JS could not be loaded"); };
    document.head.appendChild(script);
  }
  function press(vector) {
    rasterBtn.setAttribute("aria-pressed", vector ? "false" : "true");
    vectorBtn.setAttribute("aria-pressed", vector ? "true" : "false");
    raster.hidden = vector; zoomBox.hidden = vector; gl.hidden = !vector;
    history.replaceState(null, "", pageURL(vector, location.hash));
  }
  // The page's own URL with ?mode=vector set or removed, other parameters (a credential) kept.
  function pageURL(vector, hash) {
    var q = location.search.replace(/^\?/, "").split("&").filter(function (p) { return p && p !== "mode=vector"; });
    if (vector) { q.push("mode=vector"); }
    return location.pathname + (q.length ? "?" + q.join("&") : "") + hash;
  }
  // An internal map's page has a tile token: MapLibre's requests for this map's style, TileJSON and
  // tiles on this server carry it too (never requests elsewhere, which must not see it).
  function withToken(url, resourceType) {
    if (resourceType === "Tile") { url = withVersion(url); }
    if (!CFG.token) { return { url: url }; }
    var u;
    try { u = new URL(url, location.href); } catch (err) { return { url: url }; }
    if (u.host !== location.host || u.pathname.indexOf(V.base) !== 0 || u.searchParams.has("token")) { return { url: url }; }
    u.searchParams.set("token", CFG.token);
    return { url: u.href };
  }
  // This map's vector tiles get the raster view's invalidation version (see `invalidate` there).
  function withVersion(url) {
    var m = /\/(\d+)\/(\d+)\/(\d+)\.pbf(\?|$)/.exec(url);
    if (!m || url.indexOf(V.base) < 0) { return url; }
    return window.cairnViewer.versioned(url, +m[1], +m[2], +m[3]);
  }
  // MapLibre GL JS 5.3 cannot reload single tiles: the vector sources reload, and since only the
  // invalidated tiles' URLs changed, only those miss the browser's cache.
  function reloadSources() {
    if (!glMap || !glMap.isStyleLoaded()) { return; }
    var sources = glMap.getStyle().sources;
    for (var id in sources) {
      var source = glMap.getSource(id);
      if (sources[id].type === "vector" && source && source.setTiles && source.tiles) { source.setTiles(source.tiles.slice()); }
    }
  }
  function syncHash() {
    var c = glMap.getCenter(), zz = Math.round(glMap.getZoom() + 1);
    var hsh = "#" + zz + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5);
    document.getElementById("pos").textContent = "z" + hsh.slice(1).split("/").join(" ");
    history.replaceState(null, "", pageURL(true, hsh));
  }
  function toVector() {
    if (!V.available) { return; }
    body.setAttribute("data-vector", "loading");
    load(function () {
      var c = window.cairnViewer.center();
      press(true);
      if (!glMap) {
        try {
          glMap = new maplibregl.Map({
            container: gl, style: V.style, center: [c.lon, c.lat], zoom: c.zoom - 1,
            minZoom: Math.max(0, CFG.minZoom - 1), maxZoom: Math.max(0, CFG.maxZoom - 1),
            attributionControl: false, fadeDuration: 0, transformRequest: withToken
          });
        } catch (err) {
          fail(err && err.message ? err.message : err);
          return;
        }
        glMap.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-left");
        glMap.on("error", function (e) {
          var message = e && e.error && e.error.message ? e.error.message : "map error";
          fail(message);
          if (/glyph|\/fonts\//i.test(message + " " + (e && e.error && e.error.url || ""))) { labelsMissing(message); }
        });
        glMap.on("load", function () { body.setAttribute("data-vector", "loaded"); checkLabels(); syncHash(); });
        glMap.on("idle", function () { body.setAttribute("data-vector-idle", "true"); });
        glMap.on("moveend", syncHash);
      } else {
        glMap.jumpTo({ center: [c.lon, c.lat], zoom: c.zoom - 1 });
        glMap.resize();
        body.setAttribute("data-vector", "loaded");
      }
    });
  }
  function toRaster() {
    if (glMap) {
      var c = glMap.getCenter();
      window.cairnViewer.jump(c.lng, c.lat, Math.round(glMap.getZoom() + 1));
    }
    press(false);
    body.setAttribute("data-vector", V.available ? "off" : "unavailable");
  }
  rasterBtn.addEventListener("click", toRaster);
  vectorBtn.addEventListener("click", toVector);
  if (/(^|[?&])mode=vector(&|$)/.test(location.search)) { toVector(); }
  window.cairnVector = { show: toVector, hide: toRaster, map: function () { return glMap; }, reload: reloadSources };
})();
// Live updates: /maps/{map}/events (Server-Sent Events) names the tiles each edit changed; the shown
// raster tiles among them are re-requested, and the vector view reloads. A `reset` (this page fell
// behind, or reconnected after missing some) refreshes everything. State for tests: data-events on <body>.
(function () {
  "use strict";
  var CFG = JSON.parse(document.getElementById("cairn-config").textContent), body = document.body;
  if (!window.EventSource || !window.cairnViewer) { return; }
  var retina = (window.devicePixelRatio || 1) > 1, received = 0;
  var url = "/maps/" + encodeURIComponent(CFG.name) + "/events" + (CFG.token ? "?token=" + encodeURIComponent(CFG.token) : "");
  var events = new EventSource(url);
  function has(list, value) { return !list || list.indexOf(value) >= 0; }
  events.addEventListener("open", function () { body.setAttribute("data-events", "open"); });
  events.addEventListener("error", function () { body.setAttribute("data-events", events.readyState === 2 ? "closed" : "reconnecting"); });
  events.addEventListener("invalidate", function (e) {
    var data;
    try { data = JSON.parse(e.data); } catch (err) { return; }
    var raster = has(data.formats, "png") && has(data.scales, retina ? 2 : 1);
    window.cairnViewer.invalidate(data.tiles || [], data.id, !raster);
    if (window.cairnVector && has(data.formats, "pbf")) { window.cairnVector.reload(); }
    body.setAttribute("data-invalidations", String(++received));
  });
  events.addEventListener("reset", function () {
    window.cairnViewer.invalidate(null, 0);
    if (window.cairnVector) { window.cairnVector.reload(); }
    body.setAttribute("data-invalidations", String(++received));
  });
})();
