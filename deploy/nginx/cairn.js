// Cairn's metatile routing key for nginx (njs 0.7+), used as `hash $cairn_metatile consistent;`.
//
// Every tile of one metatile must reach the same Cairn instance, or the metatile is rendered on
// several. The key names the metatile, not the tile, and is exactly the one Cairn's own ring
// computes (`ClusterRing.metatileKey`, used by `cairn seed --shard K/N`):
//
//     {map}/{z}/{floor(x/M)}/{floor(y/M)}           tiles of the map's default grid
//     {map}/{grid}/{z}/{floor(x/M)}/{floor(y/M)}    tiles asked in a named grid other than WebMercatorQuad
//
// with x the column and y the row from the top, and M the map's metatile size, taken from
// `$cairn_metatile_size` (an nginx `map` on `$cairn_map`, printed by `cairn cluster nginx-upstream`,
// 8 when the map is not listed). PNG at any scale and vector tiles of one metatile share a key, so one
// instance holds all of a metatile's products. Anything else (pages, documents, malformed tile URLs)
// is keyed by its URI: Cairn answers those itself, and any instance will do.

var tileRoutes = [
    // /maps/{map}/{z}/{x}/{y}[@2x].png, .webp and /maps/{map}/{z}/{x}/{y}.pbf
    { pattern: /^\/maps\/([a-z0-9][a-z0-9-]{0,63})\/([^/]+)\/([^/]+)\/([^/@.]+)(?:@2x)?\.(?:png|webp|pbf)$/,
      map: 1, grid: 0, z: 2, x: 3, y: 4 },
    // /maps/{map}/grids/{grid}/{z}/{x}/{y}[@2x].png
    { pattern: /^\/maps\/([a-z0-9][a-z0-9-]{0,63})\/grids\/([A-Za-z0-9]{1,64})\/([^/]+)\/([^/]+)\/([^/@.]+)(?:@2x)?\.png$/,
      map: 1, grid: 2, z: 3, x: 4, y: 5 },
    // /tms/1.0.0/{map}/{z}/{x}/{y}[@2x].png: rows from the bottom
    { pattern: /^\/tms\/1\.0\.0\/([a-z0-9][a-z0-9-]{0,63})\/([^/]+)\/([^/]+)\/([^/@.]+)(?:@2x)?\.png$/,
      map: 1, grid: 0, z: 2, x: 3, y: 4, rowsFromBottom: true },
    // /wmts/{map}/{style}/{tileMatrixSet}/{tileMatrix}/{row}/{col}.png
    { pattern: /^\/wmts\/([a-z0-9][a-z0-9-]{0,63})\/[^/]+\/([A-Za-z0-9]{1,64})\/([^/]+)\/([^/]+)\/([^/.]+)\.png$/,
      map: 1, grid: 2, z: 3, y: 4, x: 5 },
    // /ogcapi/collections/{map}/map/tiles/{tileMatrixSet}/{tileMatrix}/{row}/{col}
    { pattern: /^\/ogcapi\/collections\/([a-z0-9][a-z0-9-]{0,63})\/map\/tiles\/([A-Za-z0-9]{1,64})\/([^/]+)\/([^/]+)\/([^/]+)$/,
      map: 1, grid: 2, z: 3, y: 4, x: 5 },
];

// Plain decimal digits without leading zeros, as Cairn accepts them (`TileAddress.number`);
// anything else is not a tile Cairn would serve, and keeps its URI as key.
function number(text, maxDigits) {
    if (typeof text !== 'string' || text.length === 0 || text.length > maxDigits) { return null; }
    if (!/^(0|[1-9][0-9]*)$/.test(text)) { return null; }
    return parseInt(text, 10);
}

// The tile a request asks for: {map, grid, z, x, y}, or null when it is not a tile request.
function tileOf(r) {
    var uri = r.uri;
    for (var i = 0; i < tileRoutes.length; i++) {
        var route = tileRoutes[i];
        var m = route.pattern.exec(uri);
        if (!m) { continue; }
        var z = number(m[route.z], 2), x = number(m[route.x], 9), y = number(m[route.y], 9);
        if (z === null || x === null || y === null) { return null; }
        if (route.rowsFromBottom) {
            // Web Mercator rows; Cairn answers rows outside the grid with a 404 whatever the key.
            if (z > 30 || y >= Math.pow(2, z)) { return null; }
            y = Math.pow(2, z) - 1 - y;
        }
        return { map: m[route.map], grid: route.grid ? m[route.grid] : null, z: z, x: x, y: y };
    }
    if (uri === '/wmts') { return wmtsKeyValueTile(r); }
    return null;
}

// `GET /wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=…&TILEMATRIXSET=…&TILEMATRIX=…&TILEROW=…&TILECOL=…`,
// parameter names in any case as Cairn reads them (the first of a repeated name wins).
function wmtsKeyValueTile(r) {
    var query = {};
    var names = Object.keys(r.args);
    for (var i = 0; i < names.length; i++) {
        var name = names[i].toUpperCase();
        if (query[name] !== undefined) { continue; }
        var value = r.args[names[i]];
        query[name] = Array.isArray(value) ? value[0] : value;
    }
    if (query.REQUEST !== 'GetTile' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(query.LAYER || '')) { return null; }
    var z = number(query.TILEMATRIX, 2), x = number(query.TILECOL, 9), y = number(query.TILEROW, 9);
    if (z === null || x === null || y === null) { return null; }
    return { map: query.LAYER, grid: query.TILEMATRIXSET || null, z: z, x: x, y: y };
}

// `js_set $cairn_map cairn.mapName;` — the map a tile request is for ('' otherwise), which the
// `map $cairn_map $cairn_metatile_size` table turns into the map's metatile size.
function mapName(r) {
    var tile = tileOf(r);
    return tile ? tile.map : '';
}

// `js_set $cairn_metatile cairn.metatileKey;` — the key `hash … consistent` routes by.
function metatileKey(r) {
    var tile = tileOf(r);
    if (!tile) { return r.uri; }
    var size = number(r.variables.cairn_metatile_size || '', 2);
    if (size === null || size < 1 || size > 16) { size = 8; }
    var column = Math.floor(tile.x / size), row = Math.floor(tile.y / size);
    // Tiles of a map's default grid share a key whatever the route. The front does not know each
    // map's default grid; WebMercatorQuad is the usual one, so naming it keys like the default.
    var grid = tile.grid && tile.grid !== 'WebMercatorQuad' ? tile.grid + '/' : '';
    return tile.map + '/' + grid + tile.z + '/' + column + '/' + row;
}

export default { mapName, metatileKey };
