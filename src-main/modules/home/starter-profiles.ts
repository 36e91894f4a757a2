import apartmentPlan from '../location/starter-plans/apartment.svg?raw';
import singleStoryPlan from '../location/starter-plans/single-story.svg?raw';
import twoStoryGroundPlan from '../location/starter-plans/two-story-ground.svg?raw';
import twoStoryUpperPlan from '../location/starter-plans/two-story-upper.svg?raw';
import type { EntityTypeValue } from '../../../src-shared/enums/entity';

export interface StarterItem {
  name: string;
  type: EntityTypeValue;
  x: number;
  y: number;
}

export interface StarterFloor {
  name: string;
  plan: string | null;
  items: StarterItem[];
}

export interface StarterProfileDefinition {
  id: string;
  label: string;
  description: string;
  floors: StarterFloor[];
}

/** Types that also go into each floor's Security view. */
export const SECURITY_TYPES: ReadonlySet<EntityTypeValue> = new Set<EntityTypeValue>([
  'door', 'window', 'garage_door', 'lock', 'motion_sensor', 'presence_sensor', 'camera', 'smoke_detector', 'co_detector', 'water_leak_sensor', 'doorbell', 'alarm_panel',
]);

/** Types gathered into the starter "Appliances" collection. */
export const APPLIANCE_TYPES: ReadonlySet<EntityTypeValue> = new Set<EntityTypeValue>([
  'dishwasher', 'refrigerator', 'clothes_washer', 'clothes_dryer', 'water_heater', 'oven', 'microwave',
]);

// Coordinates are in each plan's viewBox (0 0 1200 800), inside the rooms their names say.
export const STARTER_PROFILES: readonly StarterProfileDefinition[] = [
  {
    id: 'single_story',
    label: 'Single-story house',
    description: 'A house on one floor with a garage: ten rooms and eighteen devices and appliances to start from.',
    floors: [
      {
        name: 'Main floor',
        plan: singleStoryPlan,
        items: [
          { name: 'Garage door', type: 'garage_door', x: 250, y: 310 },
          { name: 'Water heater', type: 'water_heater', x: 170, y: 300 },
          { name: 'Electric panel', type: 'electric_panel', x: 330, y: 300 },
          { name: 'Dishwasher', type: 'dishwasher', x: 500, y: 300 },
          { name: 'Refrigerator', type: 'refrigerator', x: 580, y: 300 },
          { name: 'Kitchen light', type: 'light', x: 540, y: 200 },
          { name: 'Dining light', type: 'light', x: 770, y: 300 },
          { name: 'Thermostat', type: 'thermostat', x: 930, y: 350 },
          { name: 'Living room motion', type: 'motion_sensor', x: 1030, y: 350 },
          { name: 'Television', type: 'television', x: 980, y: 240 },
          { name: 'Washer', type: 'clothes_washer', x: 140, y: 470 },
          { name: 'Dryer', type: 'clothes_dryer', x: 215, y: 470 },
          { name: 'Hall smoke detector', type: 'smoke_detector', x: 520, y: 470 },
          { name: 'Front door', type: 'door', x: 600, y: 470 },
          { name: 'Office light', type: 'light', x: 220, y: 640 },
          { name: 'Bedroom light', type: 'light', x: 615, y: 640 },
          { name: 'Main bedroom light', type: 'light', x: 900, y: 640 },
          { name: 'Main bedroom window', type: 'window', x: 980, y: 640 },
        ],
      },
    ],
  },
  {
    id: 'two_story',
    label: 'Two-story house',
    description: 'Ground and upper floors with a garage and a family room: two plans and twenty-four devices.',
    floors: [
      {
        name: 'Ground floor',
        plan: twoStoryGroundPlan,
        items: [
          { name: 'Garage door', type: 'garage_door', x: 290, y: 330 },
          { name: 'Water heater', type: 'water_heater', x: 220, y: 330 },
          { name: 'Electric panel', type: 'electric_panel', x: 360, y: 330 },
          { name: 'Dishwasher', type: 'dishwasher', x: 550, y: 330 },
          { name: 'Refrigerator', type: 'refrigerator', x: 630, y: 330 },
          { name: 'Kitchen light', type: 'light', x: 590, y: 220 },
          { name: 'Dining light', type: 'light', x: 900, y: 290 },
          { name: 'Thermostat', type: 'thermostat', x: 850, y: 590 },
          { name: 'Living room motion', type: 'motion_sensor', x: 950, y: 590 },
          { name: 'Television', type: 'television', x: 900, y: 480 },
          { name: 'Washer', type: 'clothes_washer', x: 200, y: 550 },
          { name: 'Front door', type: 'door', x: 370, y: 620 },
          { name: 'Hall smoke detector', type: 'smoke_detector', x: 400, y: 540 },
          { name: 'Office light', type: 'light', x: 650, y: 620 },
        ],
      },
      {
        name: 'Upper floor',
        plan: twoStoryUpperPlan,
        items: [
          { name: 'Bedroom 2 light', type: 'light', x: 275, y: 300 },
          { name: 'Main bedroom light', type: 'light', x: 575, y: 300 },
          { name: 'Main bedroom window', type: 'window', x: 640, y: 300 },
          { name: 'Ensuite leak sensor', type: 'water_leak_sensor', x: 900, y: 230 },
          { name: 'Bathroom leak sensor', type: 'water_leak_sensor', x: 240, y: 500 },
          { name: 'Bedroom 3 light', type: 'light', x: 240, y: 660 },
          { name: 'Upstairs smoke detector', type: 'smoke_detector', x: 390, y: 610 },
          { name: 'Family room TV', type: 'television', x: 700, y: 600 },
          { name: 'Family room motion', type: 'motion_sensor', x: 760, y: 600 },
          { name: 'Upstairs office light', type: 'light', x: 950, y: 600 },
        ],
      },
    ],
  },
  {
    id: 'apartment',
    label: 'Apartment',
    description: 'An apartment with a balcony: nine rooms and fifteen devices and appliances.',
    floors: [
      {
        name: 'Apartment',
        plan: apartmentPlan,
        items: [
          { name: 'Front door', type: 'door', x: 240, y: 300 },
          { name: 'Hall smoke detector', type: 'smoke_detector', x: 310, y: 300 },
          { name: 'Bathroom leak sensor', type: 'water_leak_sensor', x: 250, y: 500 },
          { name: 'Washer', type: 'clothes_washer', x: 210, y: 650 },
          { name: 'Dryer', type: 'clothes_dryer', x: 285, y: 650 },
          { name: 'Dishwasher', type: 'dishwasher', x: 450, y: 290 },
          { name: 'Refrigerator', type: 'refrigerator', x: 530, y: 290 },
          { name: 'Kitchen light', type: 'light', x: 490, y: 190 },
          { name: 'Dining light', type: 'light', x: 715, y: 290 },
          { name: 'Thermostat', type: 'thermostat', x: 520, y: 570 },
          { name: 'Television', type: 'television', x: 630, y: 570 },
          { name: 'Living room motion', type: 'motion_sensor', x: 575, y: 460 },
          { name: 'Bedroom light', type: 'light', x: 925, y: 340 },
          { name: 'Office light', type: 'light', x: 925, y: 620 },
          { name: 'Balcony door', type: 'door', x: 625, y: 700 },
        ],
      },
    ],
  },
  {
    id: 'empty',
    label: 'Start empty',
    description: 'One blank location: upload your own floor plan and place everything yourself.',
    floors: [{ name: 'Home', plan: null, items: [] }],
  },
];
