import { defineLabeledEnum, type EnumMember, type EnumValue } from './labeled-enum';

export const EntityType = defineLabeledEnum(
  'EntityType',
  {
    // Lighting and power
    LIGHT: { label: 'Light', description: 'A light fixture or smart bulb.' },
    SWITCH: { label: 'Switch', description: 'A wall switch that turns a circuit on and off.' },
    OUTLET: { label: 'Outlet', description: 'A wall outlet or smart plug.' },
    DIMMER: { label: 'Dimmer', description: 'A wall dimmer that sets the brightness of the lights on its circuit.' },
    CEILING_FAN: { label: 'Ceiling fan', description: 'A ceiling fan, with or without a light.' },
    // Heating, cooling and air
    THERMOSTAT: { label: 'Thermostat', description: 'The thermostat that controls heating and cooling.' },
    HVAC_AIR_HANDLER: { label: 'Air handler', description: 'The indoor unit that blows conditioned air through the ducts.' },
    HVAC_CONDENSER: { label: 'Condenser', description: 'The outdoor air-conditioning or heat-pump unit.' },
    HVAC_FURNACE: { label: 'Furnace', description: 'A gas, oil or electric furnace.' },
    AIR_FILTER: { label: 'Air filter', description: 'A replaceable HVAC air filter: where it is and what size it takes.' },
    HUMIDIFIER: { label: 'Humidifier', description: 'A whole-house or room humidifier.' },
    DEHUMIDIFIER: { label: 'Dehumidifier', description: 'A whole-house or room dehumidifier.' },
    // Water
    WATER_HEATER: { label: 'Water heater', description: 'A tank or tankless water heater.' },
    WATER_SOFTENER: { label: 'Water softener', description: 'A water softener or filtration system.' },
    WATER_SHUTOFF_VALVE: { label: 'Water shutoff valve', description: 'A valve that shuts off the water supply.' },
    WATER_METER: { label: 'Water meter', description: 'The utility water meter.' },
    SUMP_PUMP: { label: 'Sump pump', description: 'A pump that keeps ground water out of the basement.' },
    // Electricity and gas
    ELECTRIC_PANEL: { label: 'Electric panel', description: 'A breaker panel or sub-panel.' },
    ELECTRIC_METER: { label: 'Electric meter', description: 'The utility electricity meter.' },
    GAS_METER: { label: 'Gas meter', description: 'The utility gas meter and its shutoff.' },
    GENERATOR: { label: 'Generator', description: 'A standby or portable generator.' },
    SOLAR_INVERTER: { label: 'Solar inverter', description: 'The inverter of a solar array.' },
    EV_CHARGER: { label: 'EV charger', description: 'A charger for an electric vehicle.' },
    BATTERY_STORAGE: { label: 'Home battery', description: 'A home battery that stores electricity.' },
    // Sensors and security
    MOTION_SENSOR: { label: 'Motion sensor', description: 'A sensor that detects movement.' },
    PRESENCE_SENSOR: { label: 'Presence sensor', description: 'A sensor that tells whether someone is in a room.' },
    DOOR: { label: 'Door', description: 'A door, usually with a contact sensor.' },
    WINDOW: { label: 'Window', description: 'A window, usually with a contact sensor.' },
    GARAGE_DOOR: { label: 'Garage door', description: 'A garage door and its opener.' },
    LOCK: { label: 'Lock', description: 'A door lock, smart or not.' },
    DOORBELL: { label: 'Doorbell', description: 'A doorbell, with or without a camera.' },
    CAMERA: { label: 'Camera', description: 'A security camera.' },
    SMOKE_DETECTOR: { label: 'Smoke detector', description: 'A smoke alarm.' },
    CO_DETECTOR: { label: 'CO detector', description: 'A carbon monoxide alarm.' },
    WATER_LEAK_SENSOR: { label: 'Water leak sensor', description: 'A sensor that detects water on the floor.' },
    TEMPERATURE_SENSOR: { label: 'Temperature sensor', description: 'A sensor that measures temperature.' },
    HUMIDITY_SENSOR: { label: 'Humidity sensor', description: 'A sensor that measures relative humidity.' },
    ALARM_PANEL: { label: 'Alarm panel', description: 'The keypad of a security alarm system.' },
    SIREN: { label: 'Siren', description: 'An alarm siren or strobe.' },
    // Media, network and computers
    SPEAKER: { label: 'Speaker', description: 'A speaker or smart speaker.' },
    TELEVISION: { label: 'Television', description: 'A television.' },
    MEDIA_PLAYER: { label: 'Media player', description: 'A streaming box, receiver or other media player.' },
    WIFI_ACCESS_POINT: { label: 'Wi-Fi access point', description: 'A Wi-Fi access point or mesh node.' },
    NETWORK_SWITCH: { label: 'Network switch', description: 'A wired network switch.' },
    ROUTER: { label: 'Router', description: 'The internet router or modem.' },
    COMPUTER: { label: 'Computer', description: 'A desktop or laptop computer.' },
    PRINTER: { label: 'Printer', description: 'A printer or scanner.' },
    // Appliances
    REFRIGERATOR: { label: 'Refrigerator', description: 'A refrigerator.' },
    FREEZER: { label: 'Freezer', description: 'A stand-alone freezer.' },
    DISHWASHER: { label: 'Dishwasher', description: 'A dishwasher.' },
    CLOTHES_WASHER: { label: 'Washing machine', description: 'A clothes washing machine.' },
    CLOTHES_DRYER: { label: 'Dryer', description: 'A clothes dryer.' },
    OVEN: { label: 'Oven', description: 'A wall oven or the oven of a range.' },
    COOKTOP: { label: 'Cooktop', description: 'A cooktop or the burners of a range.' },
    MICROWAVE: { label: 'Microwave', description: 'A microwave oven.' },
    RANGE_HOOD: { label: 'Range hood', description: 'The exhaust hood above the cooktop.' },
    GARBAGE_DISPOSAL: { label: 'Garbage disposal', description: 'A food waste disposer under the sink.' },
    // Outdoors
    SPRINKLER_CONTROLLER: { label: 'Sprinkler controller', description: 'The controller that runs the lawn sprinklers.' },
    IRRIGATION_VALVE: { label: 'Irrigation valve', description: 'A valve that opens one sprinkler or drip zone.' },
    POOL_PUMP: { label: 'Pool pump', description: 'The pump that circulates pool water.' },
    HOT_TUB: { label: 'Hot tub', description: 'A hot tub or spa.' },
    BLINDS: { label: 'Blinds', description: 'Motorised blinds, shades or curtains.' },
    FIREPLACE: { label: 'Fireplace', description: 'A wood, gas or electric fireplace.' },
    SHED: { label: 'Shed', description: 'A shed or other outbuilding.' },
    FENCE_GATE: { label: 'Gate', description: 'A gate in a fence.' },
    // Lines: routes drawn across the plan
    PLUMBING_LINE: { label: 'Water line', description: 'The route of a water supply pipe.' },
    ELECTRIC_LINE: { label: 'Electric line', description: 'The route of an electric cable or circuit.' },
    GAS_LINE: { label: 'Gas line', description: 'The route of a gas pipe.' },
    NETWORK_CABLE: { label: 'Network cable', description: 'The route of a network cable.' },
    SEWER_LINE: { label: 'Sewer line', description: 'The route of a drain or sewer pipe.' },
    // Areas: regions drawn on the plan
    ROOM_AREA: { label: 'Room', description: 'A room or other indoor space.' },
    YARD_AREA: { label: 'Yard', description: 'A lawn or yard.' },
    DRIVEWAY_AREA: { label: 'Driveway', description: 'A driveway or parking space.' },
    PATIO_AREA: { label: 'Patio', description: 'A patio, deck or porch.' },
    GARDEN_AREA: { label: 'Garden', description: 'A garden bed.' },
    POOL_AREA: { label: 'Pool', description: 'A swimming pool.' },
    OTHER: { label: 'Other', description: 'Anything that fits no other type.' },
  },
  { default: 'OTHER' },
);
export type EntityType = EnumMember<typeof EntityType>;
export type EntityTypeValue = EnumValue<typeof EntityType>;

export const PathStyle = defineLabeledEnum(
  'PathStyle',
  {
    AREA: { label: 'Area', description: 'A closed path, filled: a room, a yard, a pool.' },
    LINE: { label: 'Line', description: 'An open path, stroked: a pipe, a cable, a fence.' },
  },
  { default: 'AREA' },
);
export type PathStyle = EnumMember<typeof PathStyle>;

/** How an entity is drawn on the plan by default: an icon at a point, or a path in one of the PathStyles. */
export type EntityShape = 'icon' | EnumValue<typeof PathStyle>;

export const ENTITY_TYPE_SHAPE: Readonly<Record<EntityTypeValue, EntityShape>> = {
  light: 'icon',
  switch: 'icon',
  outlet: 'icon',
  dimmer: 'icon',
  ceiling_fan: 'icon',
  thermostat: 'icon',
  hvac_air_handler: 'icon',
  hvac_condenser: 'icon',
  hvac_furnace: 'icon',
  air_filter: 'icon',
  humidifier: 'icon',
  dehumidifier: 'icon',
  water_heater: 'icon',
  water_softener: 'icon',
  water_shutoff_valve: 'icon',
  water_meter: 'icon',
  sump_pump: 'icon',
  electric_panel: 'icon',
  electric_meter: 'icon',
  gas_meter: 'icon',
  generator: 'icon',
  solar_inverter: 'icon',
  ev_charger: 'icon',
  battery_storage: 'icon',
  motion_sensor: 'icon',
  presence_sensor: 'icon',
  door: 'icon',
  window: 'icon',
  garage_door: 'icon',
  lock: 'icon',
  doorbell: 'icon',
  camera: 'icon',
  smoke_detector: 'icon',
  co_detector: 'icon',
  water_leak_sensor: 'icon',
  temperature_sensor: 'icon',
  humidity_sensor: 'icon',
  alarm_panel: 'icon',
  siren: 'icon',
  speaker: 'icon',
  television: 'icon',
  media_player: 'icon',
  wifi_access_point: 'icon',
  network_switch: 'icon',
  router: 'icon',
  computer: 'icon',
  printer: 'icon',
  refrigerator: 'icon',
  freezer: 'icon',
  dishwasher: 'icon',
  clothes_washer: 'icon',
  clothes_dryer: 'icon',
  oven: 'icon',
  cooktop: 'icon',
  microwave: 'icon',
  range_hood: 'icon',
  garbage_disposal: 'icon',
  sprinkler_controller: 'icon',
  irrigation_valve: 'icon',
  pool_pump: 'icon',
  hot_tub: 'icon',
  blinds: 'icon',
  fireplace: 'icon',
  shed: 'area',
  fence_gate: 'icon',
  plumbing_line: 'line',
  electric_line: 'line',
  gas_line: 'line',
  network_cable: 'line',
  sewer_line: 'line',
  room_area: 'area',
  yard_area: 'area',
  driveway_area: 'area',
  patio_area: 'area',
  garden_area: 'area',
  pool_area: 'area',
  other: 'icon',
};

export const EntityStateType = defineLabeledEnum(
  'EntityStateType',
  {
    ON_OFF: { label: 'On / off', description: 'Whether something is switched on.' },
    OPEN_CLOSE: { label: 'Open / closed', description: 'Whether a door, window or valve is open.' },
    MOVEMENT: { label: 'Movement', description: 'Whether movement is being detected.' },
    PRESENCE: { label: 'Presence', description: 'Whether someone is there.' },
    TEMPERATURE: { label: 'Temperature', description: 'A measured temperature.' },
    HUMIDITY: { label: 'Humidity', description: 'A measured relative humidity, in percent.' },
    LIGHT_DIMMER: { label: 'Brightness', description: 'The brightness of a light, in percent.' },
    LIGHT_COLOR_TEMPERATURE: { label: 'Colour temperature', description: 'The colour temperature of a light, in kelvin.' },
    SMOKE: { label: 'Smoke', description: 'Whether smoke is detected.' },
    CO: { label: 'Carbon monoxide', description: 'Whether carbon monoxide is detected.' },
    GAS: { label: 'Gas', description: 'Whether a gas leak is detected.' },
    MOISTURE: { label: 'Moisture', description: 'Whether water is detected where it should not be.' },
    BATTERY: { label: 'Battery', description: 'The charge left in a battery, in percent.' },
    CONNECTIVITY: { label: 'Connectivity', description: 'Whether a device is reachable.' },
    PROBLEM: { label: 'Problem', description: 'Whether a device reports a fault.' },
    POWER: { label: 'Power', description: 'The power being drawn or produced right now, in watts.' },
    ENERGY: { label: 'Energy', description: 'The energy used or produced so far, in kilowatt-hours.' },
    FLOW_RATE: { label: 'Flow rate', description: 'How fast water or gas is flowing right now.' },
    ILLUMINANCE: { label: 'Illuminance', description: 'A measured light level, in lux.' },
    VIDEO_STREAM: { label: 'Video stream', description: 'A live video feed.' },
    LOCK_STATE: { label: 'Lock', description: 'Whether a lock is locked.' },
    COVER_POSITION: { label: 'Position', description: 'How far blinds or a cover are open, in percent.' },
    HVAC_MODE: { label: 'HVAC mode', description: 'Whether the system is heating, cooling or off.' },
    TARGET_TEMPERATURE: { label: 'Target temperature', description: 'The temperature the system is aiming for.' },
    ALARM_STATE: { label: 'Alarm state', description: 'Whether a security system is armed, disarmed or triggered.' },
    MEDIA_STATE: { label: 'Playback', description: 'Whether a media device is playing.' },
    DISCRETE: { label: 'Discrete', description: 'One of a set of named values.' },
    MULTIVALUED: { label: 'Multi-valued', description: 'Several named values reported together.' },
    BLOB: { label: 'Data', description: 'Opaque data such as an image or a document.' },
  },
  { default: 'DISCRETE' },
);
export type EntityStateType = EnumMember<typeof EntityStateType>;
export type EntityStateTypeValue = EnumValue<typeof EntityStateType>;

/** Values any state may take when its source cannot say. */
export const UNAVAILABLE_STATE_VALUES = ['unavailable', 'unknown'] as const;

/** The display values of the state types that take one of a fixed set (all others are numbers or free form). */
export const ENTITY_STATE_VALUES = {
  on_off: ['on', 'off'],
  open_close: ['open', 'closed'],
  movement: ['active', 'idle'],
  presence: ['present', 'away'],
  smoke: ['detected', 'clear'],
  co: ['detected', 'clear'],
  gas: ['detected', 'clear'],
  moisture: ['detected', 'clear'],
  problem: ['detected', 'clear'],
  connectivity: ['connected', 'disconnected'],
  lock_state: ['locked', 'unlocked', 'jammed'],
  hvac_mode: ['off', 'heat', 'cool', 'heat_cool', 'auto', 'fan_only', 'dry'],
  alarm_state: ['disarmed', 'armed_home', 'armed_away', 'armed_night', 'arming', 'pending', 'triggered'],
  media_state: ['playing', 'paused', 'idle', 'off'],
} as const satisfies Partial<Record<EntityStateTypeValue, readonly string[]>>;
export type DiscreteStateTypeValue = keyof typeof ENTITY_STATE_VALUES;

export const DEFAULT_STATE_TYPES: Readonly<Record<EntityTypeValue, readonly EntityStateTypeValue[]>> = {
  light: ['on_off', 'light_dimmer'],
  switch: ['on_off'],
  outlet: ['on_off', 'power'],
  dimmer: ['on_off', 'light_dimmer'],
  ceiling_fan: ['on_off'],
  thermostat: ['temperature', 'target_temperature', 'hvac_mode'],
  hvac_air_handler: ['on_off'],
  hvac_condenser: ['on_off'],
  hvac_furnace: ['on_off'],
  // Filters and softeners rarely report anything; they are on the plan for their notes and schedules.
  air_filter: [],
  humidifier: ['on_off', 'humidity'],
  dehumidifier: ['on_off', 'humidity'],
  water_heater: ['on_off', 'temperature'],
  water_softener: [],
  water_shutoff_valve: ['open_close'],
  water_meter: ['flow_rate'],
  sump_pump: ['on_off', 'problem'],
  electric_panel: ['power'],
  electric_meter: ['power', 'energy'],
  gas_meter: ['flow_rate'],
  generator: ['on_off', 'problem'],
  solar_inverter: ['power', 'energy'],
  ev_charger: ['on_off', 'power'],
  battery_storage: ['battery', 'power'],
  motion_sensor: ['movement'],
  presence_sensor: ['presence'],
  door: ['open_close'],
  window: ['open_close'],
  garage_door: ['open_close'],
  lock: ['lock_state'],
  doorbell: ['movement'],
  camera: ['video_stream', 'movement'],
  smoke_detector: ['smoke', 'battery'],
  co_detector: ['co', 'battery'],
  water_leak_sensor: ['moisture', 'battery'],
  temperature_sensor: ['temperature'],
  humidity_sensor: ['humidity'],
  alarm_panel: ['alarm_state'],
  siren: ['on_off'],
  speaker: ['media_state'],
  television: ['on_off'],
  media_player: ['media_state'],
  wifi_access_point: ['connectivity'],
  network_switch: ['connectivity'],
  router: ['connectivity'],
  computer: ['connectivity'],
  printer: ['connectivity'],
  refrigerator: ['temperature'],
  freezer: ['temperature'],
  dishwasher: ['on_off'],
  clothes_washer: ['on_off'],
  clothes_dryer: ['on_off'],
  oven: ['on_off', 'temperature'],
  cooktop: ['on_off'],
  microwave: ['on_off'],
  range_hood: ['on_off'],
  garbage_disposal: [],
  sprinkler_controller: ['on_off'],
  irrigation_valve: ['open_close'],
  pool_pump: ['on_off', 'power'],
  hot_tub: ['on_off', 'temperature'],
  blinds: ['cover_position'],
  fireplace: ['on_off'],
  shed: [],
  fence_gate: ['open_close'],
  plumbing_line: [],
  electric_line: [],
  gas_line: [],
  network_cable: [],
  sewer_line: [],
  room_area: [],
  yard_area: [],
  driveway_area: [],
  patio_area: [],
  garden_area: [],
  pool_area: [],
  other: [],
};

/** State types the panel offers controls for; everything else is only displayed. */
export const CONTROLLABLE_STATE_TYPES: readonly EntityStateTypeValue[] = [
  'on_off',
  // Garage doors and gates: a cover's open/closed; a door's contact sensor stays read-only (no controller is made).
  'open_close',
  'light_dimmer',
  'light_color_temperature',
  'lock_state',
  'cover_position',
  'target_temperature',
  'hvac_mode',
  // A value from a list the integration gives (a camera's function, a run state); only with choices to pick from.
  'discrete',
];

/** Semantic styles of a state value; the renderer maps each to colours for the current ViewStyle and theme. */
export type StateStyleToken = 'active' | 'inactive' | 'ok' | 'warning' | 'alert' | 'alarm' | 'unavailable' | 'neutral';

// Typed from ENTITY_STATE_VALUES so that adding a value without a style fails to compile.
export const STATE_STYLE: {
  readonly [K in DiscreteStateTypeValue]: Readonly<Record<(typeof ENTITY_STATE_VALUES)[K][number], StateStyleToken>>;
} = {
  on_off: { on: 'active', off: 'inactive' },
  open_close: { open: 'alert', closed: 'ok' },
  movement: { active: 'active', idle: 'inactive' },
  presence: { present: 'active', away: 'inactive' },
  smoke: { detected: 'alarm', clear: 'ok' },
  co: { detected: 'alarm', clear: 'ok' },
  gas: { detected: 'alarm', clear: 'ok' },
  moisture: { detected: 'alarm', clear: 'ok' },
  problem: { detected: 'warning', clear: 'ok' },
  connectivity: { connected: 'ok', disconnected: 'warning' },
  lock_state: { locked: 'ok', unlocked: 'warning', jammed: 'alert' },
  hvac_mode: { off: 'inactive', heat: 'active', cool: 'active', heat_cool: 'active', auto: 'active', fan_only: 'active', dry: 'active' },
  alarm_state: {
    disarmed: 'inactive',
    armed_home: 'ok',
    armed_away: 'ok',
    armed_night: 'ok',
    arming: 'warning',
    pending: 'alert',
    triggered: 'alarm',
  },
  media_state: { playing: 'active', paused: 'inactive', idle: 'inactive', off: 'inactive' },
};

const UNAVAILABLE: ReadonlySet<string> = new Set(UNAVAILABLE_STATE_VALUES);
const STYLE_BY_STATE_TYPE: Partial<Record<EntityStateTypeValue, Readonly<Record<string, StateStyleToken>>>> = STATE_STYLE;

/** The style of a state value; numeric, free-form and unrecognised values are neutral. */
export function styleTokenFor(stateType: string, value: string | null): StateStyleToken {
  if (value === null) return 'neutral';
  const normalised = value.trim().toLowerCase();
  if (UNAVAILABLE.has(normalised)) return 'unavailable';
  if (!EntityStateType.isName(stateType)) return 'neutral';
  const styles = STYLE_BY_STATE_TYPE[EntityStateType.fromName(stateType).value];
  return (styles && Object.hasOwn(styles, normalised) && styles[normalised]) || 'neutral';
}

export const LocationViewType = defineLabeledEnum(
  'LocationViewType',
  {
    DEFAULT: { label: 'Default', description: 'Everything on the plan, coloured by its state.' },
    SECURITY: { label: 'Security', description: 'Doors, windows, locks, cameras and alarms stand out; the rest fades.' },
    AUTOMATION: { label: 'Automation', description: 'What can be controlled stands out: lights, switches, climate and covers.' },
  },
  { default: 'DEFAULT' },
);
export type LocationViewType = EnumMember<typeof LocationViewType>;

export const ViewStyle = defineLabeledEnum(
  'ViewStyle',
  {
    COLOR: { label: 'Colour', description: 'States shown in colour.' },
    GREYSCALE: { label: 'Greyscale', description: 'A calm grey plan where only alerts and alarms show colour.' },
  },
  { default: 'COLOR' },
);
export type ViewStyle = EnumMember<typeof ViewStyle>;

export const CollectionType = defineLabeledEnum(
  'CollectionType',
  {
    APPLIANCES: { label: 'Appliances', description: 'Appliances, with their manuals and warranties.' },
    CAMERAS: { label: 'Cameras', description: 'Cameras, to watch together.' },
    DEVICES: { label: 'Devices', description: 'Smart-home and network devices.' },
    UTILITIES: { label: 'Utilities', description: 'Shutoffs, meters and panels: what to find in an emergency.' },
    DOCUMENTS: { label: 'Documents', description: 'Manuals, receipts, plans and other papers.' },
    OTHER: { label: 'Other', description: 'Any other grouping.' },
  },
  { default: 'OTHER' },
);
export type CollectionType = EnumMember<typeof CollectionType>;

export const CollectionViewType = defineLabeledEnum(
  'CollectionViewType',
  {
    GRID: { label: 'Grid', description: 'Tiles showing each item and its state.' },
    LIST: { label: 'List', description: 'One row per item.' },
  },
  { default: 'GRID' },
);
export type CollectionViewType = EnumMember<typeof CollectionViewType>;

export const AttributeValueType = defineLabeledEnum(
  'AttributeValueType',
  {
    TEXT: { label: 'Text', description: 'Free text on one line.' },
    FILE: { label: 'File', description: 'An attached file such as a manual or a photo.' },
    SECRET: { label: 'Secret', description: 'A password or code: stored encrypted and hidden until revealed.' },
    ENUM: { label: 'Choice', description: 'One of a fixed list of choices.' },
    BOOLEAN: { label: 'Yes / no', description: 'A yes-or-no value.' },
    INTEGER: { label: 'Whole number', description: 'A whole number.' },
    FLOAT: { label: 'Number', description: 'A decimal number.' },
    LINK: { label: 'Link', description: 'A web address.' },
    NOTE: { label: 'Note', description: 'Formatted text over several lines.' },
  },
  { default: 'TEXT' },
);
export type AttributeValueType = EnumMember<typeof AttributeValueType>;
