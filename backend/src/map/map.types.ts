// The shape of GET /api/map, shared by the backend builder and the frontend
// (type-only, so the browser bundle never pulls in the builder's fs code).

/** [longitude, latitude] */
export type LngLat = [number, number];

export interface CountyProperties {
  code: string;
  name: string;
  unitCode: string;
  unitName: string;
}

export type CountyGeometry =
  | { type: 'Polygon'; coordinates: LngLat[][] }
  | { type: 'MultiPolygon'; coordinates: LngLat[][][] };

export interface CountyFeature {
  type: 'Feature';
  id: string;
  properties: CountyProperties;
  geometry: CountyGeometry;
}

export interface CountyCollection {
  type: 'FeatureCollection';
  features: CountyFeature[];
}

/** A reporting unit's outline: the county edges not shared with another county of the same unit. */
export interface UnitBorder {
  unitCode: string;
  lines: LngLat[][];
}

/** A county-level unit without a polygon (development zone, 长白山's areas), shown as a point. */
export interface MapMarker {
  code: string;
  name: string;
  unitCode: string;
  coord: LngLat;
}

export interface JilinMap {
  counties: CountyCollection;
  unitBorders: UnitBorder[];
  markers: MapMarker[];
}
