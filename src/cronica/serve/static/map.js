/* Map page: country outlines, informal regions and clustered incident points (Leaflet and
   Leaflet.markercluster, vendored). Works offline; a tile server is used only when the
   workbench was started with one (`cronica serve --tiles URL`, in #map[data-tiles]).
   All text goes through textContent. */
(function () {
  "use strict";
  var map = L.map("map", { zoomControl: true, attributionControl: true, minZoom: 2, maxZoom: 18 }).setView([4, -75], 3);
  map.attributionControl.setPrefix("Leaflet · Natural Earth");
  var box = document.getElementById("map");
  var tiles = box.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: box.getAttribute("data-tiles-attribution") || "" }).addTo(map);
  }

  function get(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
      return r.json();
    });
  }

  // One point: [id, lat, lon, type, date, killed, location, country] (/api/v1/map/points).
  function popup(p) {
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = "/incidents/" + encodeURIComponent(p[0]);
    a.textContent = (p[3] || "incident").replace(/_/g, " ") + " " + (p[4] || "undated");
    box.appendChild(a);
    var lines = [[p[6], p[7]].filter(Boolean).join(", "), p[5] != null ? "killed: " + p[5] : null];
    lines.forEach(function (t) {
      if (t) { var d = document.createElement("div"); d.textContent = t; box.appendChild(d); }
    });
    return box;
  }

  get("/static/geo/latin-america-110m.geojson").then(function (fc) {
    // Under a tile layer the outlines are drawn without fill, so the tiles stay visible.
    L.geoJSON(fc, { style: { color: "#6b7280", weight: 1, fillColor: "#f8fafc", fillOpacity: tiles ? 0 : 1 } }).addTo(map);
    return get("/api/v1/regions");
  }).then(function (fc) {
    L.geoJSON(fc, {
      style: { color: "#8d6a9f", weight: 1, dashArray: "3", fillOpacity: 0.08 },
      onEachFeature: function (f, layer) { layer.bindTooltip(String(f.properties.name || "")); }
    }).addTo(map);
    // the page's own filters (?type=&country=&actor=&since=&until=) go to the API as they are
    return get("/api/v1/map/points" + window.location.search);
  }).then(function (data) {
    // Points at the same or nearby places gather into clusters that split as you zoom in;
    // markers are added in chunks and a popup is built only when it opens.
    var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40 });
    var markers = data.points.map(function (p) {
      var m = L.circleMarker([p[1], p[2]], { radius: 6, color: "#fff", weight: 1, fillColor: "#d1495b", fillOpacity: 0.85 });
      m.bindPopup(function () { return popup(p); });
      return m;
    });
    clusters.addLayers(markers);
    map.addLayer(clusters);
    if (markers.length) {
      var bounds = L.latLngBounds(data.points.map(function (p) { return [p[1], p[2]]; }));
      map.fitBounds(bounds.pad(0.4), { maxZoom: 7 });
    }
    box.setAttribute("data-points", String(markers.length));
  }).catch(function (e) {
    var p = document.createElement("p"); p.className = "error"; p.textContent = String(e);
    box.before(p);
  });
})();
