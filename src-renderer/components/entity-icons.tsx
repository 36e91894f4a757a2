import type { JSX } from 'preact';
import { EntityType, type EntityStateTypeValue, type EntityTypeValue } from '../../src-shared/enums/entity';

// Parts that several icons share, drawn around the origin and moved into place with a transform.
const drop = (x: number, y: number, s = 1) => (
  <path transform={`translate(${x} ${y}) scale(${s})`} d="M0-4c-1.9 2.4-3 4-3 5.4a3 3 0 0 0 6 0C3 0 1.9-1.6 0-4z" />
);
const flame = (x: number, y: number, s = 1) => (
  <path
    transform={`translate(${x} ${y}) scale(${s})`}
    d="M0-4.5c.5 1.6 2.8 2.6 2.8 5a2.8 2.8 0 0 1-5.6 0c0-1.2.6-2 1.3-2.6.1.9.5 1.5 1.1 1.7C-.6-1.8-.5-3.3 0-4.5z"
  />
);
const bolt = (x: number, y: number, s = 1) => (
  <path transform={`translate(${x} ${y}) scale(${s})`} d="M.8-4.5-2.2.5H.6L-.8 4.5 2.2-.5H-.6z" />
);
const dot = (cx: number, cy: number, r = 0.9) => <circle cx={cx} cy={cy} r={r} fill="currentColor" stroke="none" />;
const fanBlades = (cx: number, cy: number, r: number) => (
  <g transform={`translate(${cx} ${cy})`}>
    {[0, 120, 240].map((angle) => (
      <path key={angle} transform={`rotate(${angle})`} d={`M0 0C${-0.9 * r} ${-0.35 * r} ${-0.55 * r} ${-r} 0 ${-r}S${0.5 * r} ${-0.35 * r} 0 0z`} />
    ))}
  </g>
);
/** A short pipe run along the bottom: the common base of the line icons. */
const pipe = <path d="M2 14.5h20M2 19.5h20M7 13.5v7M17 13.5v7" />;

/** One icon per entity type, drawn in a 24x24 box with the stroke set by EntityIconPaths. */
const ICONS: Record<EntityTypeValue, JSX.Element> = {
  light: (
    <>
      <path d="M12 2.5a6.5 6.5 0 0 0-3.8 11.8c.8.6 1.3 1.4 1.3 2.3v.4h5v-.4c0-.9.5-1.7 1.3-2.3A6.5 6.5 0 0 0 12 2.5z" />
      <path d="M9.5 19.5h5M10.5 22h3" />
    </>
  ),
  switch: (
    <>
      <rect x="6" y="2.5" width="12" height="19" rx="2" />
      <rect x="9.5" y="7" width="5" height="10" rx="1" />
      <rect x="9.5" y="7" width="5" height="5" rx="1" fill="currentColor" />
    </>
  ),
  outlet: (
    <>
      <rect x="5" y="2.5" width="14" height="19" rx="2.5" />
      <rect x="8" y="5" width="8" height="6" rx="2.5" />
      <rect x="8" y="13" width="8" height="6" rx="2.5" />
      <path d="M10.5 7v2M13.5 7v2M10.5 15v2M13.5 15v2" />
    </>
  ),
  dimmer: (
    <>
      <rect x="6" y="2.5" width="12" height="19" rx="2" />
      <path d="M12 6v12" />
      <rect x="9" y="8.5" width="6" height="3" rx="1" fill="currentColor" />
      {dot(15.5, 14, 0.7)}
      {dot(15.5, 16.5, 0.7)}
    </>
  ),
  ceiling_fan: (
    <>
      {fanBlades(12, 12, 9)}
      <circle cx="12" cy="12" r="2" fill="currentColor" />
    </>
  ),
  thermostat: (
    <>
      <circle cx="12" cy="12" r="9.5" />
      <path d="M10.6 13.3V7.5a1.4 1.4 0 0 1 2.8 0v5.8a2.6 2.6 0 1 1-2.8 0z" />
      <path d="M12 9.5v5" />
    </>
  ),
  hvac_air_handler: (
    <>
      <rect x="8" y="2" width="8" height="4" />
      <rect x="4.5" y="6" width="15" height="16" rx="1.5" />
      <path d="M4.5 10h15" />
      {fanBlades(12, 16, 4)}
    </>
  ),
  hvac_condenser: (
    <>
      <rect x="2.5" y="3.5" width="19" height="15.5" rx="1.5" />
      <circle cx="12" cy="11.25" r="5.5" />
      {fanBlades(12, 11.25, 4.5)}
      <path d="M5 19v2.5M19 19v2.5" />
    </>
  ),
  hvac_furnace: (
    <>
      <rect x="5" y="2.5" width="14" height="19" rx="1.5" />
      <path d="M8 6h8M8 8.5h8" />
      {flame(12, 15.2, 1.05)}
    </>
  ),
  air_filter: (
    <>
      <rect x="2.5" y="5" width="19" height="14" rx="1" />
      <path d="M5 16.5 7.3 7.5l2.3 9 2.4-9 2.3 9 2.4-9 2.3 9" />
    </>
  ),
  humidifier: (
    <>
      <rect x="6" y="11" width="12" height="10.5" rx="3" />
      <path d="M9 8.5c-.8-1 .8-2 0-3s.8-2 0-3M12 8.5c-.8-1 .8-2 0-3s.8-2 0-3M15 8.5c-.8-1 .8-2 0-3s.8-2 0-3" />
      {drop(12, 16, 0.8)}
    </>
  ),
  dehumidifier: (
    <>
      <rect x="5" y="2.5" width="14" height="19" rx="2" />
      <path d="M8 6h8M8 8.5h8" />
      {drop(12, 15, 1)}
      <path d="M9 13.2l6 5.6" />
    </>
  ),
  water_heater: (
    <>
      <path d="M9.5 4V1.8M14.5 4V1.8M8 20v2M16 20v2" />
      <rect x="6" y="4" width="12" height="16" rx="3" />
      {flame(12, 14.5, 0.9)}
    </>
  ),
  water_softener: (
    <>
      <rect x="3.5" y="5.5" width="6.5" height="16" rx="3" />
      <rect x="4.5" y="2" width="4.5" height="3.5" rx=".5" />
      <rect x="12.5" y="9" width="8" height="12.5" rx="1.5" />
      <path d="M15 13.5h.01M18 13.5h.01M16.5 16h.01M15 18.5h.01M18 18.5h.01" />
    </>
  ),
  water_shutoff_valve: (
    <>
      <path d="M2 12h5M2 17h5M17 12h5M17 17h5M2 10.5v8M22 10.5v8" />
      <path d="M7 10.5h10v8H7z" />
      <path d="M12 10.5V6.5" />
      <path d="M7 5h10" />
      <path d="M7 3.8v2.4M17 3.8v2.4" />
    </>
  ),
  water_meter: (
    <>
      <path d="M2 12h2.5M19.5 12h2.5" />
      <circle cx="12" cy="12" r="7.5" />
      <rect x="8.5" y="7" width="7" height="3" rx=".5" />
      {drop(12, 15, 0.75)}
    </>
  ),
  sump_pump: (
    <>
      <path d="M3.5 8v13.5h17V8" />
      <path d="M3.5 13c1.5-1 2.5 1 4 0M16.5 13c1.5-1 2.5 1 4 0" />
      <rect x="8.5" y="14" width="7" height="7.5" rx="1" />
      <path d="M12 14V3.5h6" />
    </>
  ),
  electric_panel: (
    <>
      <rect x="5" y="2.5" width="14" height="19" rx="1.5" />
      <path d="M12 2.5v19" />
      <path d="M8 6.5h2M14 6.5h2M8 10h2M14 10h2M8 13.5h2M14 13.5h2M8 17h2M14 17h2" />
    </>
  ),
  electric_meter: (
    <>
      <rect x="4" y="2.5" width="16" height="19" rx="3" />
      <circle cx="12" cy="10.5" r="5.5" />
      {bolt(12, 10.5, 0.85)}
      <path d="M9 18.5h6" />
    </>
  ),
  gas_meter: (
    <>
      <path d="M7 6V2.5M17 6V2.5M5.5 2.5h3M15.5 2.5h3" />
      <rect x="3" y="6" width="18" height="15.5" rx="2" />
      <circle cx="8" cy="10" r="1.7" />
      <circle cx="12" cy="10" r="1.7" />
      <circle cx="16" cy="10" r="1.7" />
      {flame(12, 17, 0.7)}
    </>
  ),
  generator: (
    <>
      <path d="M6 6V3.5h12V6" />
      <rect x="2.5" y="6" width="19" height="11" rx="2" />
      {bolt(12, 11.5, 0.9)}
      <circle cx="6.5" cy="19.5" r="2" />
      <circle cx="17.5" cy="19.5" r="2" />
    </>
  ),
  solar_inverter: (
    <>
      <path d="M5 4h14l3 10H2z" />
      <path d="M3.5 9h17M9.5 4 8.5 14M14.5 4l1 10" />
      <path d="M12 14v5M7.5 21.5 12 19l4.5 2.5" />
    </>
  ),
  ev_charger: (
    <>
      <rect x="3.5" y="2.5" width="10" height="19" rx="2" />
      <rect x="6" y="5" width="5" height="5" rx=".5" />
      {bolt(8.5, 15, 0.7)}
      <path d="M13.5 12h2a2 2 0 0 1 2 2v4.5a1.5 1.5 0 0 0 3 0V9" />
      <path d="M18.5 9h4V6.5a2 2 0 0 0-4 0z" />
    </>
  ),
  battery_storage: (
    <>
      <path d="M10 2.5h4" />
      <rect x="6" y="4" width="12" height="17.5" rx="2" />
      <path d="M9 17.5h6M9 14h6M9 10.5h6" />
    </>
  ),
  motion_sensor: (
    <>
      <circle cx="14" cy="4" r="1.8" />
      <path d="M7.5 10.5 10.5 7.5h4l2.5 4 3 .5" />
      <path d="M13 8 11 14l3.5 2.5v5" />
      <path d="M11 14l-1.5 3.5-4.5 1" />
    </>
  ),
  presence_sensor: (
    <>
      <circle cx="12" cy="8" r="3.2" />
      <path d="M6.5 20.5a5.5 5.5 0 0 1 11 0" />
      <path d="M4.5 4.5a9 9 0 0 0 0 11M19.5 4.5a9 9 0 0 1 0 11" />
    </>
  ),
  door: (
    <>
      <path d="M6 21V3.5a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1V21" />
      <path d="M3 21h18" />
      {dot(15, 12, 1)}
    </>
  ),
  window: (
    <>
      <rect x="4.5" y="3" width="15" height="16.5" rx="1" />
      <path d="M12 3v16.5M4.5 11.25h15M2.5 21.5h19" />
    </>
  ),
  garage_door: (
    <>
      <path d="M2.5 21V9.5L12 3.5l9.5 6V21" />
      <path d="M6 21v-9.5h12V21M6 14.5h12M6 17.5h12" />
    </>
  ),
  lock: (
    <>
      <path d="M8 10.5V7a4 4 0 0 1 8 0v3.5" />
      <rect x="5" y="10.5" width="14" height="11" rx="2" />
      <circle cx="12" cy="15" r="1.3" />
      <path d="M12 16.3v2" />
    </>
  ),
  doorbell: (
    <>
      <path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15z" />
      <path d="M12 3V2M10 20.5a2 2 0 0 0 4 0" />
    </>
  ),
  camera: (
    <>
      <path d="M2.5 8.5 16 5l1.6 6-13.5 3.5a1 1 0 0 1-1.2-.7L1.8 9.7a1 1 0 0 1 .7-1.2z" />
      <path d="M17.6 11 20 10M13 14.4l1 3h4" />
      <path d="M20.5 14v7" />
      {dot(13.2, 8.5)}
    </>
  ),
  smoke_detector: (
    <>
      <path d="M2.5 3.5h19" />
      <path d="M5 3.5v2.5a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V3.5" />
      <path d="M8 12c-1 1 1 2 0 3s1 2 0 3M12 11.5c-1 1 1 2 0 3s1 2 0 3 1 2 0 3M16 12c-1 1 1 2 0 3s1 2 0 3" />
    </>
  ),
  co_detector: (
    <>
      <rect x="2.5" y="4" width="19" height="16" rx="3" />
      <path d="M10.4 9.7a3 3 0 1 0 0 4.6" />
      <circle cx="15.5" cy="12" r="2.6" />
    </>
  ),
  water_leak_sensor: (
    <>
      {drop(12, 8, 1.2)}
      <rect x="6" y="15" width="12" height="4" rx="1.5" />
      <path d="M3 21.5h18" />
    </>
  ),
  temperature_sensor: (
    <>
      <path d="M10 14V4.5a2 2 0 0 1 4 0V14a4 4 0 1 1-4 0z" />
      <path d="M12 10v7" />
      {dot(12, 17.3, 1.5)}
      <path d="M16.5 6h2M16.5 9h2M16.5 12h2" />
    </>
  ),
  humidity_sensor: (
    <>
      <path d="M12 2.5c-3.5 4.3-6 7.5-6 10.5a6 6 0 0 0 12 0c0-3-2.5-6.2-6-10.5z" />
      <path d="M14.2 11 9.8 16.2" />
      <circle cx="10.2" cy="11.6" r=".9" />
      <circle cx="13.8" cy="15.6" r=".9" />
    </>
  ),
  alarm_panel: (
    <>
      <rect x="4" y="2.5" width="16" height="19" rx="2" />
      <rect x="7" y="5" width="10" height="3.5" rx=".5" />
      {dot(8.5, 12)}
      {dot(12, 12)}
      {dot(15.5, 12)}
      {dot(8.5, 15)}
      {dot(12, 15)}
      {dot(15.5, 15)}
      {dot(8.5, 18)}
      {dot(12, 18)}
      {dot(15.5, 18)}
    </>
  ),
  siren: (
    <>
      <path d="M7 17.5v-5a5 5 0 0 1 10 0v5" />
      <rect x="4.5" y="17.5" width="15" height="3.5" rx="1" />
      <path d="M12 2.5v2M4.8 5.3l1.4 1.4M19.2 5.3l-1.4 1.4M2 12h2M20 12h2M12 10v4" />
    </>
  ),
  speaker: (
    <>
      <rect x="5" y="2.5" width="14" height="19" rx="2" />
      <circle cx="12" cy="14.5" r="3.8" />
      <circle cx="12" cy="7" r="1.5" />
      {dot(12, 14.5, 0.8)}
    </>
  ),
  television: (
    <>
      <rect x="2" y="4" width="20" height="13" rx="1.5" />
      <path d="M7 21.5h10M12 17v4.5" />
    </>
  ),
  media_player: (
    <>
      <rect x="2.5" y="7" width="19" height="10" rx="2" />
      <path d="M10 9.5v5l4.2-2.5z" />
      <path d="M5 19.5h2M17 19.5h2" />
    </>
  ),
  wifi_access_point: (
    <>
      <path d="M3 9.5a13 13 0 0 1 18 0M6 12.7a8.5 8.5 0 0 1 12 0M9 15.8a4.2 4.2 0 0 1 6 0" />
      {dot(12, 19, 1.5)}
    </>
  ),
  network_switch: (
    <>
      <rect x="2" y="7.5" width="20" height="9" rx="1.5" />
      <path d="M4.5 11h2v2.5h-2zM8 11h2v2.5H8zM11.5 11h2v2.5h-2zM15 11h2v2.5h-2z" />
      {dot(19.3, 12.2, 0.7)}
    </>
  ),
  router: (
    <>
      <rect x="2.5" y="13" width="19" height="7.5" rx="2" />
      <path d="M7 13 5 4M17 13l2-9" />
      {dot(6.5, 16.75)}
      {dot(9.5, 16.75)}
      <path d="M13.5 16.75h4.5" />
    </>
  ),
  computer: (
    <>
      <rect x="4.5" y="4" width="15" height="11" rx="1" />
      <path d="M2 19h20l-2-4H4z" />
    </>
  ),
  printer: (
    <>
      <path d="M7 9V3h10v6" />
      <rect x="2.5" y="9" width="19" height="8" rx="2" />
      <path d="M7 14h10v7.5H7z" />
      {dot(18, 11.5, 0.8)}
    </>
  ),
  refrigerator: (
    <>
      <rect x="5" y="2" width="14" height="20" rx="2" />
      <path d="M5 9.5h14M8 5v2M8 12.5v4" />
    </>
  ),
  freezer: (
    <>
      <rect x="5" y="2" width="14" height="20" rx="2" />
      <path d="M12 7.5v9M8.1 9.75l7.8 4.5M8.1 14.25l7.8-4.5" />
      <path d="M10.8 7.8 12 9l1.2-1.2M10.8 16.2 12 15l1.2 1.2" />
    </>
  ),
  dishwasher: (
    <>
      <rect x="4" y="2.5" width="16" height="19" rx="2" />
      <path d="M4 7h16M9 10h6" />
      {dot(7, 4.75, 0.7)}
      <path d="M7.5 19v-5.5a1 1 0 0 1 2 0V19M11 19v-5.5a1 1 0 0 1 2 0V19M14.5 19v-5.5a1 1 0 0 1 2 0V19M6.5 19h11" />
    </>
  ),
  clothes_washer: (
    <>
      <rect x="4" y="2.5" width="16" height="19" rx="2" />
      <path d="M4 6.5h16" />
      {dot(7, 4.5, 0.7)}
      {dot(9.5, 4.5, 0.7)}
      <circle cx="12" cy="14" r="4.8" />
      <path d="M8 15.2c1.3-1 2.7 1 4 0s2.7 1 4 0" />
    </>
  ),
  clothes_dryer: (
    <>
      <rect x="4" y="2.5" width="16" height="19" rx="2" />
      <path d="M4 6.5h16" />
      <circle cx="16" cy="4.5" r="1" />
      <circle cx="12" cy="14" r="4.8" />
      <path d="M10.2 16.2c-.7-.8.7-1.4 0-2.2s.7-1.4 0-2.2M13.8 16.2c-.7-.8.7-1.4 0-2.2s.7-1.4 0-2.2" />
    </>
  ),
  oven: (
    <>
      <rect x="3" y="2.5" width="18" height="19" rx="2" />
      <path d="M3 7.5h18" />
      {dot(7, 5, 0.8)}
      {dot(10.3, 5, 0.8)}
      {dot(13.7, 5, 0.8)}
      {dot(17, 5, 0.8)}
      <path d="M8 10h8" />
      <rect x="6" y="12" width="12" height="7" rx="1" />
    </>
  ),
  cooktop: (
    <>
      <rect x="2.5" y="3.5" width="19" height="17" rx="2" />
      <circle cx="8" cy="9" r="2.6" />
      <circle cx="16.3" cy="9" r="2" />
      <circle cx="8" cy="15.5" r="2" />
      <circle cx="16.3" cy="15.5" r="2.6" />
    </>
  ),
  microwave: (
    <>
      <rect x="2" y="5" width="20" height="14" rx="2" />
      <rect x="4.5" y="7.5" width="10.5" height="9" rx="1" />
      <path d="M17.5 8.5h2M17.5 11h2M17.5 13.5h2" />
      {dot(18.5, 16)}
    </>
  ),
  range_hood: (
    <>
      <path d="M9.5 2v7M14.5 2v7" />
      <path d="M9.5 9h5l6 5.5h-17z" />
      <path d="M3.5 14.5v2h17v-2" />
      <path d="M8 21.5c-.7-.7.7-1.3 0-2M12 21.5c-.7-.7.7-1.3 0-2M16 21.5c-.7-.7.7-1.3 0-2" />
    </>
  ),
  garbage_disposal: (
    <>
      <path d="M2.5 3.5h19" />
      <path d="M5 3.5v1a4 4 0 0 0 4 4h6a4 4 0 0 0 4-4v-1" />
      <path d="M10 8.5v2M14 8.5v2" />
      <rect x="8" y="10.5" width="8" height="11" rx="2" />
      <path d="M16 14.5h3.5v3M10.5 14l3 3M13.5 14l-3 3" />
    </>
  ),
  sprinkler_controller: (
    <>
      <path d="M4 21.5h16M10 21.5v-5h4v5M12 16.5v-3" />
      <path d="M4.5 11a9 9 0 0 1 15 0" stroke-dasharray="0.1 3" />
      <path d="M7.5 11.5a5.5 5.5 0 0 1 9 0" stroke-dasharray="0.1 3" />
      <path d="M2 7.5a12.5 12.5 0 0 1 20 0" stroke-dasharray="0.1 3" />
    </>
  ),
  irrigation_valve: (
    <>
      <path d="M2 15h5M2 20h5M17 15h5M17 20h5" />
      <rect x="7" y="13.5" width="10" height="8" rx="1.5" />
      <path d="M12 13.5V9" />
      <path d="M12 9.5c-3.2 0-4.8-1.8-4.8-4.3 2.9 0 4.8 1.7 4.8 4.3zM12 8c0-2.7 1.6-4.6 4.8-4.6 0 2.8-1.9 4.6-4.8 4.6z" />
    </>
  ),
  pool_pump: (
    <>
      <rect x="2" y="9.5" width="11" height="8" rx="2" />
      <path d="M5 9.5v8M8 9.5v8" />
      <circle cx="17" cy="13.5" r="4" />
      <path d="M17 9.5V5h4M15 5h2" />
      <path d="M2 21h20" />
    </>
  ),
  hot_tub: (
    <>
      <path d="M2.5 12.5h19v3.5a5 5 0 0 1-5 5h-9a5 5 0 0 1-5-5z" />
      <path d="M8 9.5c-.8-.9.8-1.6 0-2.5s.8-1.6 0-2.5M12 9.5c-.8-.9.8-1.6 0-2.5s.8-1.6 0-2.5M16 9.5c-.8-.9.8-1.6 0-2.5s.8-1.6 0-2.5" />
      <circle cx="8" cy="17" r=".8" />
      <circle cx="12" cy="16" r=".8" />
      <circle cx="15.5" cy="17.5" r=".8" />
    </>
  ),
  blinds: (
    <>
      <rect x="2.5" y="2.5" width="19" height="2.5" rx=".5" />
      <path d="M4 8h16M4 11h16M4 14h16M4 17h16" />
      <path d="M3.5 20.5h17" stroke-width="2.4" />
      <path d="M18 5v13" />
    </>
  ),
  fireplace: (
    <>
      <path d="M2 4h20M4 4v17.5M20 4v17.5M2 21.5h20" />
      <path d="M8 21.5V13a4 4 0 0 1 8 0v8.5" />
      {flame(12, 17.5, 0.75)}
    </>
  ),
  shed: (
    <>
      <path d="M3.5 21.5V10L12 3.5l8.5 6.5v11.5z" />
      <path d="M8.5 21.5v-7h7v7M8.5 14.5l7 7M15.5 14.5l-7 7" />
    </>
  ),
  fence_gate: (
    <>
      <path d="M3 21.5V5.5l1.25-2 1.25 2v16M18.5 21.5v-16l1.25-2 1.25 2v16" />
      <path d="M5.5 8.5h13M5.5 17.5h13M6 17 18 9" />
      <path d="M9.5 8.5v9M14.5 8.5v9" />
    </>
  ),
  plumbing_line: (
    <>
      {pipe}
      {drop(12, 6.5, 1.1)}
    </>
  ),
  electric_line: (
    <>
      <path d="M2 17c3.5 0 3.5-4 7-4s3.5 4 7 4 3.5-2.5 6-2.5" />
      {bolt(12, 6, 1.1)}
    </>
  ),
  gas_line: (
    <>
      {pipe}
      {flame(12, 6.8, 1.1)}
    </>
  ),
  network_cable: (
    <>
      <path d="M7.5 2.5h9v8.5a1 1 0 0 1-1 1h-7a1 1 0 0 1-1-1z" />
      <path d="M10 2.5V5M12 2.5V5M14 2.5V5" />
      <path d="M9.5 12v3.5h5V12M12 15.5V18a3.5 3.5 0 0 1-3.5 3.5H3" />
    </>
  ),
  sewer_line: (
    <>
      {pipe}
      <circle cx="12" cy="6.5" r="4.5" />
      <path d="M10 4.8v3.4M12 4.2v4.6M14 4.8v3.4" />
    </>
  ),
  room_area: (
    <>
      <path d="M7.5 21.5H2.5v-19h19v19h-5.5" />
      <path d="M7.5 21.5V12.5a9 9 0 0 1 9 9" />
    </>
  ),
  yard_area: (
    <>
      <circle cx="12" cy="8.5" r="6" />
      <path d="M12 14.5v7M9.5 17.5l2.5 2M2.5 21.5h19" />
      <path d="M4 21.5c0-1.5-.5-2.5-1.5-3M4 21.5c0-2 .8-3 2-3.5M20 21.5c0-1.5.5-2.5 1.5-3M20 21.5c0-2-.8-3-2-3.5" />
    </>
  ),
  driveway_area: (
    <>
      <path d="M5 12.5l1.8-4.2a1.5 1.5 0 0 1 1.4-.9h7.6a1.5 1.5 0 0 1 1.4.9l1.8 4.2" />
      <rect x="3.5" y="12.5" width="17" height="5" rx="1.5" />
      <path d="M6 17.5v2.5M18 17.5v2.5" />
      {dot(7, 15)}
      {dot(17, 15)}
    </>
  ),
  patio_area: (
    <>
      <path d="M2.5 9.5a9.5 6 0 0 1 19 0z" />
      <path d="M12 9.5v12M7 15.5h10M8.5 15.5l-1 6M15.5 15.5l1 6M2.5 21.5h19" />
    </>
  ),
  garden_area: (
    <>
      <path d="M8 3.5l2 2 2-3 2 3 2-2v4.5a4 4 0 0 1-8 0z" />
      <path d="M12 12v9.5" />
      <path d="M12 18.5c-3 0-4.5-1.8-4.5-3.8 2.6 0 4.5 1.5 4.5 3.8zM12 17c3 0 4.5-1.8 4.5-3.8-2.6 0-4.5 1.5-4.5 3.8z" />
      <path d="M3.5 21.5h17" />
    </>
  ),
  pool_area: (
    <>
      <path d="M8 15V5a2 2 0 0 0-2-2M16 15V5a2 2 0 0 0-2-2M8 7.5h8M8 11.5h8" />
      <path d="M2.5 17.5c1.6 1 3.2 1 4.75 0s3.2-1 4.75 0 3.2 1 4.75 0 3.2-1 4.75 0M2.5 21.5c1.6 1 3.2 1 4.75 0s3.2-1 4.75 0 3.2 1 4.75 0 3.2-1 4.75 0" />
    </>
  ),
  other: (
    <>
      <circle cx="12" cy="12" r="9.5" />
      <path d="M9.5 9.5a2.5 2.5 0 1 1 3.6 2.2c-.7.4-1.1 1-1.1 1.8v.5" />
      {dot(12, 17, 1)}
    </>
  ),
};

/** The icon's strokes for use inside an SVG (the plan places and scales them); unknown types draw OTHER. */
export function EntityIconPaths({ type }: { type: string }) {
  return (
    <g fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
      {ICONS[EntityType.fromNameSafe(type).value]}
    </g>
  );
}

/**
 * What an entity of type OTHER is drawn as, by the state it reports: Home Assistant's plain sensors (a battery
 * level, a temperature) arrive as OTHER, and a question mark says nothing about them.
 */
const GLYPH_BY_STATE_TYPE: Partial<Record<EntityStateTypeValue, EntityTypeValue>> = {
  battery: 'battery_storage',
  temperature: 'temperature_sensor',
  humidity: 'humidity_sensor',
  power: 'electric_meter',
  energy: 'electric_meter',
  flow_rate: 'water_meter',
  movement: 'motion_sensor',
  presence: 'presence_sensor',
  smoke: 'smoke_detector',
  co: 'co_detector',
  moisture: 'water_leak_sensor',
  open_close: 'door',
  lock_state: 'lock',
  connectivity: 'router',
};

/** The type whose glyph an entity shows: its own, or for OTHER the one its first state suggests. */
export function glyphType(entityType: string, primaryStateType: string | undefined): EntityTypeValue {
  const own = EntityType.fromNameSafe(entityType).value;
  if (own !== EntityType.OTHER.value || primaryStateType === undefined) return own;
  return (Object.hasOwn(GLYPH_BY_STATE_TYPE, primaryStateType) && GLYPH_BY_STATE_TYPE[primaryStateType as EntityStateTypeValue]) || own;
}

/** Ids of the plan's marks, drawn once in its defs and used by the items drawn in SVG that need one. */
export const PLAN_MARK_IDS = { stale: 'plan-mark-stale', battery: 'plan-mark-battery' } as const;

/**
 * The stale mark in a 24×24 box: a clock on a dark disc with a light rim, so that it reads on yellow, on white and in
 * the dark theme alike. Its colours are its own, not the theme's.
 */
export const STALE_MARK = (
  <>
    <circle cx="12" cy="12" r="10.5" fill="#24292f" stroke="#ffffff" stroke-width="2" />
    <g fill="none" stroke="#ffffff" stroke-width="2.2" stroke-linecap="round">
      <circle cx="12" cy="12" r="6" />
      <path d="M12 8.6V12l2.4 1.6" />
    </g>
  </>
);

/** A stack of cards, in a 24×24 box: what a collection looks like on the plan (its member count is drawn beside it). */
export const COLLECTION_GLYPH = (
  <g fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round">
    <rect x="3" y="8" width="13" height="13" rx="2" />
    <path d="M6.5 5.5V4.5a1.5 1.5 0 0 1 1.5-1.5h10a1.5 1.5 0 0 1 1.5 1.5v10a1.5 1.5 0 0 1-1.5 1.5h-1" />
  </g>
);

/** The stale mark (for areas and lines) and the battery drawn in a battery level's badge. */
export function PlanMarkSymbols() {
  return (
    <>
      <symbol id={PLAN_MARK_IDS.stale} viewBox="0 0 24 24">
        {STALE_MARK}
      </symbol>
      <symbol id={PLAN_MARK_IDS.battery} viewBox="0 0 24 24">
        <g fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round">
          <rect x="2" y="7" width="17" height="10" rx="2" />
          <path d="M21.5 10.5v3" stroke-linecap="round" />
        </g>
        <rect x="4.5" y="9.5" width="8" height="5" rx="0.8" fill="currentColor" />
      </symbol>
    </>
  );
}

/** A stand-alone icon, for pickers and lists. */
export function EntityIcon({ type, size = 32 }: { type: string; size?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <EntityIconPaths type={type} />
    </svg>
  );
}
