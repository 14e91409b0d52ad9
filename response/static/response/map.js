/* The common operating picture (response/map.html): Leaflet over the GeoJSON layers of
   /api/v1/map/. The page hands over the endpoints and the labels in the reader's language as
   JSON (#map-config) and the tile URL as data-tile-url: the CSP allows no inline script.
   Colours are CSS classes (map.css). Without tiles, or when tiles fail, the outline layer is
   the base: it never depends on the tile server. */
(function () {
  "use strict";

  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var labels = config.labels;
  var REGION = [[22, -125], [42, -109]];
  var BORDER = [[31.8, -119.2], [34.4, -114.6]];  // Los Angeles to Ensenada and the Colorado

  var map = L.map(element, {zoomSnap: 0.5, minZoom: 4, maxBounds: L.latLngBounds(REGION).pad(1),
                            zoomControl: false});
  // Leaflet's controls in the reader's language (Leaflet itself speaks English).
  L.control.zoom({zoomInTitle: labels.zoom_in, zoomOutTitle: labels.zoom_out}).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="' +
                                   escapeHtml(labels.leaflet) + '">Leaflet</a>');
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", labels.close_popup); }
  });
  map.fitBounds(BORDER);

  // Layer names reach the layers control as HTML.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  function popup(title, url, rows) {
    return function () {
      var root = document.createElement("div");
      root.className = "map-popup";
      var heading = document.createElement("h3");
      if (url) {
        var link = document.createElement("a");
        link.href = url;
        link.textContent = title;
        link.title = labels.open;
        heading.appendChild(link);
      } else {
        heading.textContent = title;
      }
      root.appendChild(heading);
      var list = document.createElement("dl");
      rows.forEach(function (row) {
        if (row[1] === null || row[1] === undefined || row[1] === "") { return; }
        var term = document.createElement("dt");
        term.textContent = row[0];
        var value = document.createElement("dd");
        value.textContent = row[1];
        list.appendChild(term);
        list.appendChild(value);
      });
      root.appendChild(list);
      return root;
    };
  }

  function dot(radius) {
    return function (feature, latlng) { return L.circleMarker(latlng, {radius: radius}); };
  }

  function hours(p) {
    if (p.open_all_day) { return labels.open_all_day + " (" + p.days_label + ")"; }
    return p.opens + "–" + p.closes + " (" + p.days_label + ")";
  }

  var layers = {
    outline: L.geoJSON(null, {
      style: function (f) {
        var land = f.properties.layer === "land";
        return {className: "outline-" + f.properties.layer, interactive: false, fill: land,
                stroke: !land};
      }
    }),
    border_zone: L.geoJSON(null, {
      style: function () { return {className: "border-zone"}; },
      onEachFeature: function (f, layer) { layer.bindPopup(popup(f.properties.name, null, [])); }
    }),
    boundary: L.geoJSON(null, {
      style: function () { return {className: "boundary", fill: false}; },
      onEachFeature: function (f, layer) { layer.bindPopup(popup(f.properties.name, null, [])); }
    }),
    ports: L.geoJSON(null, {
      pointToLayer: dot(6),
      style: function () { return {className: "port"}; },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup(p.name, p.url, [
          [labels.hours, hours(p)],
          [labels.provisional, p.hours_provisional ? p.hours_text : null]
        ]));
      }
    }),
    units: L.geoJSON(null, {
      pointToLayer: dot(5),
      style: function (f) { return {className: "unit availability-" + f.properties.availability}; },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup(p.name, p.url, [
          [labels.organization, p.organization], [labels.kind, p.kind_name],
          [labels.home_base, p.home_base], [labels.headcount, p.headcount],
          [labels.availability, p.availability_label]
        ]));
      }
    }),
    incidents: L.geoJSON(null, {
      pointToLayer: dot(8),
      style: function (f) {
        return {className: f.properties.feature === "perimeter" ? "incident-perimeter"
          : "incident-location status-" + f.properties.status};
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup(p.name, p.url, [
          [labels.kind, p.kind_label], [labels.status, p.status_label],
          [labels.channel, p.channel_label], [labels.distance, p.border_distance_km]
        ]));
      }
    }),
    deployments: L.geoJSON(null, {
      pointToLayer: dot(6),
      style: function (f) {
        var route = f.properties.feature === "route";
        return {className: "deployment " + (route ? "route" : "position") + " state-" +
          f.properties.state, fill: !route};
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup(p.name, p.url, [
          [labels.state, p.state_label], [labels.organization, p.sending_organization],
          [labels.incident, p.incident_name], [labels.transport, p.transport_label],
          [labels.port, p.port], [labels.people, p.people]
        ]));
      }
    }),
    // An allocation proposal's moves (?proposal=<id>): home base → port → incident.
    proposal: L.geoJSON(null, {
      style: function (f) {
        return {className: "proposal-move mode-" + f.properties.mode +
          (f.properties.pinned ? " pinned" : ""), fill: false};
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup(p.unit, p.url, [
          [labels.request, p.request], [labels.kind, p.kind],
          [labels.transport, labels[p.mode]], [labels.port, p.port],
          [labels.eta, new Date(p.eta).toLocaleString(document.documentElement.lang)]
        ]));
      }
    })
  };

  // Features are drawn in the order their data arrives; keep the configured stacking instead
  // (outline at the bottom, deployments on top).
  function restack() {
    config.order.forEach(function (key) {
      if (map.hasLayer(layers[key])) { layers[key].bringToFront(); }
    });
  }

  var bases = {};
  var tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    bases[escapeHtml(labels.tiles)] = L.tileLayer(tileUrl, {
      maxZoom: 18, attribution: escapeHtml(element.dataset.tileAttribution || "")
    }).addTo(map);
  }
  var overlays = {};
  config.order.forEach(function (key) {
    layers[key].addTo(map);
    overlays[escapeHtml(labels.layers[key])] = layers[key];
  });
  L.control.layers(bases, overlays, {collapsed: false}).addTo(map).getContainer()
    .querySelector(".leaflet-control-layers-toggle").title = labels.layers_control;
  L.control.scale().addTo(map);

  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var root = L.DomUtil.create("div", "map-legend");
    var heading = L.DomUtil.create("h2", "", root);
    heading.textContent = labels.legend;
    var list = L.DomUtil.create("ul", "", root);
    Object.keys(labels.states).forEach(function (state) {
      var item = L.DomUtil.create("li", "", list);
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("width", "14");
      svg.setAttribute("height", "14");
      svg.setAttribute("aria-hidden", "true");
      var swatch = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      swatch.setAttribute("width", "14");
      swatch.setAttribute("height", "14");
      swatch.setAttribute("class", "state-" + state);
      svg.appendChild(swatch);
      item.appendChild(svg);
      item.appendChild(document.createTextNode(labels.states[state]));
    });
    return root;
  };
  legend.addTo(map);

  map.on("overlayadd", function (event) {
    if (event.layer === layers.deployments) { legend.addTo(map); }
    restack();
  });
  map.on("overlayremove", function (event) {
    if (event.layer === layers.deployments) { legend.remove(); }
  });

  var error = document.getElementById("map-error");
  config.order.forEach(function (key) {
    fetch(config.endpoints[key], {credentials: "same-origin",
                                  headers: {Accept: "application/geo+json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        layers[key].addData(data);
        restack();
        if (key === "incidents" && element.dataset.incident && layers.incidents.getLayers().length) {
          map.fitBounds(layers.incidents.getBounds(), {maxZoom: 11, padding: [40, 40]});
        }
        if (key === "proposal" && layers.proposal.getLayers().length) {
          map.fitBounds(layers.proposal.getBounds(), {maxZoom: 11, padding: [40, 40]});
        }
      })
      .catch(function () {
        error.textContent = labels.load_failed + " (" + labels.layers[key] + ")";
        error.hidden = false;
      });
  });
}());
