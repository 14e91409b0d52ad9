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
  // The outline's extent ([west, south, east, north]); beyond it the map is greyed out rather
  // than drawn as sea.
  var REGION = L.latLngBounds([config.region[1], config.region[0]],
                              [config.region[3], config.region[2]]);
  var BORDER = [[31.8, -119.2], [34.4, -114.6]];  // Los Angeles to Ensenada and the Colorado

  var map = L.map(element, {zoomSnap: 0.5, minZoom: 4, maxBounds: REGION.pad(0.5),
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

  // Opened on no incident and no proposal, the map shows the border and every active incident.
  function fitActive() {
    var view = L.latLngBounds(BORDER);
    layers.incidents.eachLayer(function (layer) {
      var p = layer.feature.properties;
      if (p.feature === "location" && p.status === "active") { view.extend(layer.getLatLng()); }
    });
    map.fitBounds(view, {padding: [24, 24]});
  }

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

  // Symbols drawn alike on the map and in the legend, coloured by the same CSS classes.
  var SVG = "http://www.w3.org/2000/svg";
  function svgNode(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  // A deployment's state shows as its step in the lifecycle (a number), not by colour alone.
  var STEPS = {};
  Object.keys(labels.states).forEach(function (state, i) { STEPS[state] = String(i + 1); });

  function badge(parent, state, cx) {
    svgNode("circle", {cx: cx, cy: 11, r: 10, "class": "deployment-badge state-" + state}, parent);
    svgNode("text", {x: cx, y: 15, "class": "deployment-step"}, parent).textContent = STEPS[state];
  }

  function deploymentTooltip(p) {
    var text = document.createElement("span");
    text.textContent = p.name + " — " + STEPS[p.state] + ". " + p.state_label;
    return text;
  }

  function dot(radius) {
    return function (feature, latlng) { return L.circleMarker(latlng, {radius: radius}); };
  }

  // Incidents are triangles and units squares, each with a sign of its status or availability
  // drawn inside, so neither the layer nor the state is told by colour alone.
  var SIGNS = {
    "!": "M11 6.5V12.5M11 15.5V15.6",  // an active incident
    "-": "M7.5 13H14.5",  // contained: held at a line
    "check": "M7 11.5L10 14.5L15.5 8.5",  // a closed incident, an available unit
    "dots": "M6.5 11H6.6M11 11H11.1M15.5 11H15.6",  // committed: promised, not yet gone
    "arrow": "M6 11H15.5M12.5 8L15.5 11L12.5 14",  // deployed
    "cross": "M7.5 7.5L14.5 14.5M14.5 7.5L7.5 14.5"  // out of service
  };
  var SHAPES = {
    incident: {sign: {active: "!", contained: "-", closed: "check"},
               draw: function (svg, className) {
                 svgNode("path", {d: "M11 1.5L21 19.5H1Z", "class": className}, svg);
               }},
    unit: {sign: {available: "check", committed: "dots", deployed: "arrow",
                  out_of_service: "cross"},
           draw: function (svg, className) {
             svgNode("rect", {x: 2, y: 2, width: 18, height: 18, rx: 2, "class": className},
                     svg);
           }}
  };

  // A border event's counterpart notices: overdue "!", escalated an arrow, waiting dots, all
  // acknowledged a check; none sent, no sign.
  var NOTICE_SIGNS = {overdue: "!", escalated: "arrow", waiting: "dots", acknowledged: "check"};

  function borderEventSymbol(state, noticeStatus) {
    var svg = svgNode("svg", {width: 22, height: 22, viewBox: "0 0 22 22", "aria-hidden": "true",
                              "class": "map-symbol border-event-symbol notice-" +
                                       (noticeStatus || "none")});
    svgNode("path", {d: "M11 1L21 11L11 21L1 11Z",
                     "class": "border-event" + (state ? " state-" + state : "")}, svg);
    if (NOTICE_SIGNS[noticeStatus]) {
      svgNode("path", {d: SIGNS[NOTICE_SIGNS[noticeStatus]], "class": "symbol-sign"}, svg);
    }
    return svg;
  }

  function symbol(kind, state) {
    var shape = SHAPES[kind];
    var mark = (kind === "incident" ? "status-" : "availability-") + state;
    var className = (kind === "incident" ? "incident-location " : "unit ") + mark;
    var svg = svgNode("svg", {width: 22, height: 22, viewBox: "0 0 22 22", "aria-hidden": "true",
                              "class": "map-symbol " + kind + "-symbol " + mark});
    shape.draw(svg, className);
    svgNode("path", {d: SIGNS[shape.sign[state]], "class": "symbol-sign"}, svg);
    return svg;
  }

  function symbolMarker(kind, state) {
    return function (feature, latlng) {
      var p = feature.properties;
      return L.marker(latlng, {
        icon: L.divIcon({html: symbol(kind, p[state]), className: kind + "-marker",
                         iconSize: [22, 22]}),
        title: p.name + " — " + p[state + "_label"]
      });
    };
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
    // Each port coloured by the worse of its two sides' current status (status board); the
    // popup says each side's status in words, so colour is never the only sign.
    ports: L.geoJSON(null, {
      pointToLayer: dot(6),
      style: function (f) { return {className: "port status-" + (f.properties.status || "none")}; },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup(p.name, p.url, [
          [labels.status, p.status_label || labels.port_no_status],
          [labels.us_lanes, p.status_usa_text],
          [labels.mx_lanes, p.status_mex_text],
          [labels.hours, hours(p)],
          [labels.provisional, p.hours_provisional ? p.hours_text : null]
        ]));
      }
    }),
    units: L.geoJSON(null, {
      pointToLayer: symbolMarker("unit", "availability"),
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
      pointToLayer: symbolMarker("incident", "status"),
      style: function () { return {className: "incident-perimeter"}; },  // markers take none
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup(p.name, p.url, [
          [labels.kind, p.kind_label], [labels.status, p.status_label],
          [labels.channel, p.channel_label], [labels.distance, p.border_distance_km]
        ]));
      }
    }),
    // Border events (border/): real ones only; a diamond, its perimeter dashed. The diamond's
    // ring and sign tell its counterpart notices' status (NOTICE_SIGNS); the popup and the
    // marker's title say it in words.
    border_events: L.geoJSON(null, {
      pointToLayer: function (f, latlng) {
        var p = f.properties;
        return L.marker(latlng, {icon: L.divIcon({html: borderEventSymbol(p.state,
                                                                          p.notice_status),
                                                  className: "border-event-marker",
                                                  iconSize: [22, 22]}),
                                 title: p.name + " — " + p.state_label + " — " +
                                        p.notice_status_label});
      },
      style: function () { return {className: "border-event-perimeter"}; },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup(p.name, p.url, [
          [labels.kind, p.kind_label], [labels.state, p.state_label],
          [labels.severity, p.severity_label], [labels.side, p.side],
          [labels.distance, p.border_distance_km],
          [labels.notice_status, p.notice_status_label +
            (p.notice_status === "none" ? "" : " (" + p.notice_summary + ")")]
        ]));
      }
    }),
    // Received CAP alerts (interop/): a hollow circle at the alert's point, its area dotted.
    cap_alerts: L.geoJSON(null, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {radius: 7, className: "cap-alert" +
                                       (f.properties.exercise ? " exercise" : "")});
      },
      style: function () { return {className: "cap-alert-area"}; },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup(p.name, p.url, [
          [labels.kind, p.event], [labels.status, p.status_label],
          [labels.msg_type, p.msg_type_label], [labels.severity, p.severity],
          [labels.sender, p.sender]
        ]));
      }
    }),
    deployments: L.geoJSON(null, {
      pointToLayer: function (f, latlng) {
        var icon = svgNode("svg", {width: 22, height: 22, viewBox: "0 0 22 22"});
        badge(icon, f.properties.state, 11);
        return L.marker(latlng, {icon: L.divIcon({html: icon, className: "deployment-marker",
                                                  iconSize: [22, 22]})});
      },
      style: function (f) {  // routes; positions are badges
        return {className: "deployment route state-" + f.properties.state, fill: false};
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindTooltip(deploymentTooltip(p));
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
  // Beyond the outline's extent nothing is known: grey it out, part of the outline layer.
  layers.outline.addLayer(L.polygon([
    [[-85, -180], [85, -180], [85, 180], [-85, 180]],
    [REGION.getSouthWest(), REGION.getNorthWest(), REGION.getNorthEast(), REGION.getSouthEast()]
  ], {className: "outline-beyond", interactive: false}));

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

  function swatch(shape, className, radius) {
    var svg = svgNode("svg", {width: 22, height: 22, viewBox: "0 0 22 22", "aria-hidden": "true"});
    if (shape === "circle") {
      svgNode("circle", {cx: 11, cy: 11, r: radius, "class": className}, svg);
    } else if (shape === "line") {
      svgNode("path", {d: "M1 11H21", "class": className}, svg);
    } else {
      svgNode("rect", {x: 2, y: 4, width: 18, height: 14, "class": className}, svg);
    }
    return svg;
  }

  function deploymentSwatch(state) {
    var svg = svgNode("svg", {width: 44, height: 22, viewBox: "0 0 44 22", "aria-hidden": "true"});
    svgNode("path", {d: "M1 11H24", "class": "deployment route state-" + state}, svg);
    badge(svg, state, 33);
    return svg;
  }


  // [title, [[symbol, label], ...]] for every kind of symbol the map draws.
  function legendGroups() {
    function each(choices, symbol) {
      return Object.keys(choices).map(function (code) { return [symbol(code), choices[code]]; });
    }
    return [
      [labels.layers.incidents, each(labels.statuses, function (status) {
        return symbol("incident", status);
      }).concat([[swatch("rect", "incident-perimeter"), labels.perimeter]])],
      [labels.layers.border_events, [[borderEventSymbol("", "none"), labels.border_event],
                                     [swatch("rect", "border-event-perimeter"),
                                      labels.perimeter]]],
      [labels.layers.cap_alerts, [[swatch("circle", "cap-alert", 6), labels.cap_alert],
                                  [swatch("rect", "cap-alert-area"), labels.cap_area]]],
      [labels.notice_status, each(labels.notice_statuses, function (status) {
        return borderEventSymbol("", status);
      })],
      [labels.layers.deployments, each(labels.states, deploymentSwatch)],
      [labels.layers.units, each(labels.availabilities, function (availability) {
        return symbol("unit", availability);
      })],
      [labels.layers.ports, each(labels.port_statuses, function (status) {
        return swatch("circle", "port status-" + status, 6);
      }).concat([[swatch("circle", "port status-none", 6), labels.port_no_status]])],
      [labels.border, [[swatch("line", "boundary"), labels.layers.boundary],
                                [swatch("rect", "border-zone"), labels.layers.border_zone]]]
    ];
  }

  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var root = L.DomUtil.create("details", "map-legend");
    root.open = element.clientHeight >= 600;  // on a smaller map it would hide too much
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    L.DomUtil.create("summary", "", root).textContent = labels.legend;
    var groups = L.DomUtil.create("div", "map-legend-groups", root);
    legendGroups().forEach(function (group) {
      var section = L.DomUtil.create("section", "", groups);
      L.DomUtil.create("h3", "", section).textContent = group[0];
      var list = L.DomUtil.create("ul", "", section);
      group[1].forEach(function (entry) {
        var item = L.DomUtil.create("li", "", list);
        item.appendChild(entry[0]);
        item.appendChild(document.createTextNode(entry[1]));
      });
    });
    return root;
  };
  legend.addTo(map);

  map.on("overlayadd", restack);

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
        } else if (key === "incidents" && !element.dataset.incident &&
                   !element.dataset.proposal) {
          fitActive();
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
