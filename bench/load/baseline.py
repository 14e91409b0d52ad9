"""The raw baseline: Enlace's key reads as plain SQL behind a minimal WSGI app, no Django.

The limit the load test compares Enlace with (bench/load/run.py serves it with gunicorn, the
same worker count, on the same database, loaded the same way):

- GET /api/v1/incidents?status=active&limit=50&offset=0 — a restricted list page (count and
  page, ordered as Enlace orders incidents),
- GET /api/v1/map/incidents?status=active — the incidents map layer as GeoJSON points,
- GET /api/v1/incidents/<id> — a detail, 404 when not released to the reader.

Each request authenticates as Enlace's API does (`Authorization: Bearer <key>`: the SHA-256 of
the key looked up among active tokens, its user active and of a nation) and applies the same
releasability rule, written in SQL: the reader's nation owns the incident, or the nation is
among its releasable-to nations and foreign disclosure is approved. The rule has no parents for
incidents, so this is the whole of it; it does not check role permissions (every load-test role
may read incidents).

    DATABASE_URL=postgres://... gunicorn --workers 4 --chdir bench/load baseline:app
"""

import hashlib
import json
import os
import re
from urllib.parse import parse_qs, urlsplit

import psycopg

_local = {}

VISIBLE = """(i.owner_nation_id = %(nation)s OR (i.disclosure = 'approved' AND EXISTS (
    SELECT 1 FROM response_incident_rel_to r
    WHERE r.incident_id = i.id AND r.nation_id = %(nation)s)))"""
USER = """SELECT u.nation_id FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id
    WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > now() AND u.is_active
    AND u.nation_id IS NOT NULL"""
DETAIL = re.compile(r"^/api/v1/incidents/(\d+)$")


def connection():
    conn = _local.get(os.getpid())
    if conn is None or conn.closed:
        url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
        conn = _local[os.getpid()] = psycopg.connect(url, autocommit=True)
    return conn


def respond(start_response, status, payload):
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body)))])
    return [body]


def row_out(row):
    (pk, name_en, name_es, kind, status, started_at, lat, lon, country, host, distance,
     channel, owner, disclosure, rel_to) = row
    return {"id": pk, "name": name_en, "name_en": name_en, "name_es": name_es, "kind": kind,
            "status": status, "started_at": started_at.isoformat(), "latitude": lat,
            "longitude": lon, "country": country, "host_agency": host,
            "border_distance_km": distance, "request_channel": channel,
            "marking": {"owner": owner, "rel_to": rel_to, "disclosure": disclosure}}


COLUMNS = """i.id, i.name_en, i.name_es, i.kind, i.status, i.started_at, i.latitude,
    i.longitude, c.code, o.acronym, i.border_distance_km, i.request_channel, own.code,
    i.disclosure, ARRAY(SELECT n.code FROM response_incident_rel_to r
                        JOIN accounts_nation n ON n.id = r.nation_id
                        WHERE r.incident_id = i.id ORDER BY n.code)
    FROM response_incident i JOIN accounts_nation c ON c.id = i.country_id
    JOIN accounts_organization o ON o.id = i.host_agency_id
    JOIN accounts_nation own ON own.id = i.owner_nation_id"""


def app(environ, start_response):
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if not auth.startswith("Bearer "):
        return respond(start_response, "401 Unauthorized", {"detail": "Unauthorized"})
    conn = connection()
    with conn.cursor() as cur:
        cur.execute(USER, (hashlib.sha256(auth[7:].strip().encode()).hexdigest(),))
        found = cur.fetchone()
        if found is None:
            return respond(start_response, "401 Unauthorized", {"detail": "Unauthorized"})
        args = {"nation": found[0]}
        path = environ.get("PATH_INFO", "")
        query = parse_qs(urlsplit("?" + environ.get("QUERY_STRING", "")).query)
        status = query.get("status", [None])[0]
        where = VISIBLE
        if status:
            where += " AND i.status = %(status)s"
            args["status"] = status
        if path == "/api/v1/incidents":
            args["limit"] = min(int(query.get("limit", ["50"])[0]), 200)
            args["offset"] = int(query.get("offset", ["0"])[0])
            cur.execute(f"SELECT count(*) FROM response_incident i WHERE {where}", args)
            count = cur.fetchone()[0]
            cur.execute(f"SELECT {COLUMNS} WHERE {where} ORDER BY i.started_at DESC, i.id "
                        "LIMIT %(limit)s OFFSET %(offset)s", args)
            return respond(start_response, "200 OK",
                           {"items": [row_out(r) for r in cur.fetchall()], "count": count})
        if path == "/api/v1/map/incidents":
            cur.execute(f"""SELECT i.id, i.name_en, i.kind, i.status, i.request_channel,
                i.border_distance_km, c.code, i.started_at, i.longitude, i.latitude
                FROM response_incident i JOIN accounts_nation c ON c.id = i.country_id
                WHERE {where} ORDER BY i.started_at DESC, i.id""", args)
            features = [{"type": "Feature", "id": f"incident-{r[0]}",
                         "geometry": {"type": "Point", "coordinates": [r[8], r[9]]},
                         "properties": {"id": r[0], "name": r[1], "kind": r[2], "status": r[3],
                                        "channel": r[4], "border_distance_km": r[5],
                                        "nation": r[6], "started_at": r[7].isoformat(),
                                        "feature": "location",
                                        "url": f"/response/incidents/{r[0]}/"}}
                        for r in cur.fetchall()]
            return respond(start_response, "200 OK",
                           {"type": "FeatureCollection", "features": features})
        match = DETAIL.match(path)
        if match:
            args["pk"] = int(match.group(1))
            cur.execute(f"SELECT {COLUMNS} WHERE i.id = %(pk)s AND {VISIBLE}", args)
            row = cur.fetchone()
            if row is None:
                return respond(start_response, "404 Not Found", {"detail": "Not Found"})
            return respond(start_response, "200 OK", row_out(row))
    return respond(start_response, "404 Not Found", {"detail": "Not Found"})
