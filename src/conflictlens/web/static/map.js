/* Map: offline country (Natural Earth 1:50m) and admin-1 boundaries, events of the current view as
 * markers sized by fatalities and clustered; a click opens the event. Points are fetched per view (bbox),
 * at most 5,000 at a time, so the page stays usable over 100k events. No tile server is used. */
"use strict";

(() => {
  const {el, api, showError, filterForm, onlyFilters} = CL;
  const main = document.getElementById("main");
  main.classList.add("wide");
  main.appendChild(el("h1", {text: "Map"}));
  let params = new URLSearchParams(location.search);
  filterForm(main, (p) => { params = p; refresh(); });
  const status = el("p", {class: "status", id: "status"});
  const box = el("div", {id: "map", class: "map"});
  main.append(status, box);

  const map = L.map(box, {worldCopyJump: true, minZoom: 2, maxZoom: 12, attributionControl: true, preferCanvas: false});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: Natural Earth");
  map.setView([20, 20], 2);
  const clusters = L.markerClusterGroup({maxClusterRadius: 45, chunkedLoading: true});
  map.addLayer(clusters);

  // Rings that cross the antimeridian jump from +180 to -180; unwrap them so Leaflet draws no line
  // across the whole map (Russia's far east, Fiji). Antarctica (ISO 010) circles the pole and is left out.
  function unwrap(ring) {
    let shift = 0;
    return ring.map((point, i) => {
      if (i > 0) {
        const d = point[0] - ring[i - 1][0];
        if (d > 180) shift -= 360; else if (d < -180) shift += 360;
      }
      return [point[0] + shift, point[1]];
    });
  }
  function unwrapGeometry(g) {
    if (g.type === "Polygon") g.coordinates = g.coordinates.map(unwrap);
    if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map((p) => p.map(unwrap));
    return g;
  }

  fetch("/static/vendor/world-atlas/countries-50m.json").then((r) => r.json()).then((topo) => {
    const countries = topojson.feature(topo, topo.objects.countries);
    countries.features = countries.features.filter((f) => f.id !== "010" && f.geometry);
    countries.features.forEach((f) => unwrapGeometry(f.geometry));
    L.geoJSON(countries, {interactive: false, style: {color: "#8a8f98", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1}}).addTo(map).bringToBack();
  });

  let admin1 = null;
  let admin1Loading = false;
  function maybeAdmin1() {
    if (map.getZoom() < 5) { if (admin1) map.removeLayer(admin1); return; }
    if (admin1) { if (!map.hasLayer(admin1)) admin1.addTo(map); return; }
    if (admin1Loading) return;
    admin1Loading = true;
    fetch("/static/vendor/admin1/admin1.geojson").then((r) => r.json()).then((data) => {
      data.features.forEach((f) => unwrapGeometry(f.geometry));
      admin1 = L.geoJSON(data, {interactive: false, style: {color: "#b0b4ba", weight: 0.5, fill: false, dashArray: "2 3"}});
      if (map.getZoom() >= 5) admin1.addTo(map);
    });
  }

  function bbox() {
    const b = map.getBounds();
    const wrap = (lon) => ((((lon + 180) % 360) + 360) % 360) - 180;
    let west = b.getWest(), east = b.getEast();
    if (east - west >= 360) {
      west = -180; east = 180;
    } else {
      west = wrap(west);
      east = wrap(east) === -180 ? 180 : wrap(east);  // west > east afterwards means across the antimeridian
    }
    const south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
    return [west, south, east, north].map((v) => v.toFixed(4)).join(",");
  }

  function marker(p) {
    const radius = 5 + 3 * Math.sqrt(p.killed || 0);
    const m = L.circleMarker([p.lat, p.lon], {radius: Math.min(radius, 40), color: "#7a1c14", weight: 1, fillColor: "#c0392b", fillOpacity: 0.6});
    m.options.eventId = p.event_id;
    // Tooltip content as a DOM node built with textContent: Leaflet would parse a string as HTML.
    m.bindTooltip(el("span", {text: `${p.date || "undated"} · ${p.type || ""} · ${p.place || ""} · killed ${p.killed ?? "?"}`}));
    m.on("click", () => { location.href = "/event/" + encodeURIComponent(p.event_id); });
    return m;
  }

  let generation = 0;
  async function refresh() {
    const mine = ++generation;
    const query = onlyFilters(params);
    query.set("bbox", bbox());
    query.set("view", "point");
    query.set("limit", "5000");
    status.textContent = "Loading…";
    let page;
    try { page = await api("/api/events?" + query); } catch (error) { status.textContent = ""; showError(status, error); return; }
    if (mine !== generation) return;
    clusters.clearLayers();
    clusters.addLayers(page.items.filter((p) => p.lat !== null && p.lon !== null).map(marker));
    status.textContent = page.next_cursor
      ? `Showing ${page.items.length} of ${page.total} events in view: zoom in or filter to see all.`
      : `${page.total} event(s) in view.`;
  }

  let timer = null;
  map.on("moveend", () => { clearTimeout(timer); timer = setTimeout(refresh, 150); maybeAdmin1(); });
  refresh();
})();
