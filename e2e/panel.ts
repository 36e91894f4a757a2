import { inflateSync } from 'node:zlib';
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** Page helpers: the panel's screens and controls by their test ids. */
export class Panel {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByTestId('app-shell')).toBeVisible();
    await expect(this.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  }

  async openSettings(tab: 'settings' | 'integrations' | 'triggers' | 'system' = 'settings'): Promise<void> {
    const dialog = this.page.getByTestId('settings-dialog');
    // A reload keeps the route, so the dialog may already be open.
    if (!(await dialog.isVisible())) await this.page.getByTestId('open-settings').click();
    await expect(dialog).toBeVisible();
    await this.page.getByTestId(`settings-tab-${tab}`).click();
    await expect(this.page.getByTestId(`settings-page-${tab}`)).toBeVisible();
  }

  settingInput(id: string) {
    return this.page.getByTestId(`setting-input-${id}`);
  }

  async setText(id: string, value: string): Promise<void> {
    await this.settingInput(id).fill(value);
    await this.page.getByTestId(`setting-save-${id}`).click();
  }
}

/** A small valid PDF, built by hand so the test needs no fixture file. */
export function pdfBytes(text: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 18 Tf 20 70 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 18 Tf 20 70 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export class HomePanel extends Panel {
  async setUp(profile: 'single_story' | 'two_story' | 'apartment' | 'empty'): Promise<void> {
    await expect(this.page.getByTestId('first-run')).toBeVisible();
    await this.page.getByTestId(`profile-${profile}`).click();
    // "Start empty" offers the plan upload first.
    if (profile === 'empty') await this.page.getByTestId('first-run-without-plan').click();
    await expect(this.page.getByTestId('plan-canvas')).toBeVisible();
  }

  /** Every item of the plan has its element: the first frame of a view holds only the ones that show a name or value. */
  async planComplete(): Promise<void> {
    await expect(this.page.getByTestId('plan-canvas')).toHaveAttribute('data-items', 'all');
  }

  entity(name: string) {
    return this.page.locator('[data-entity-id]', { hasText: name });
  }

  /** An item's value on the plan, which is drawn on the layer above the icons. */
  async shownValue(item: Locator): Promise<Locator> {
    return this.page.getByTestId('plan-values').locator(`[data-value-of="${await item.getAttribute('data-entity-id')}"]`);
  }

  /** The colour [r, g, b] on screen at a point: what the user sees, with every layer composited. */
  async screenPixel(point: { x: number; y: number }): Promise<number[]> {
    return onePixelPng(await this.page.screenshot({ clip: { x: Math.floor(point.x), y: Math.floor(point.y), width: 1, height: 1 } }));
  }

  async startEditing(): Promise<void> {
    await this.page.getByTestId('edit-toggle').click();
    await expect(this.page.getByTestId('edit-toolbar')).toBeVisible();
  }

  async stopEditing(): Promise<void> {
    await this.page.getByTestId('edit-toggle').click();
    await expect(this.page.getByTestId('edit-toolbar')).toBeHidden();
  }

  /** Drags with the mouse in small steps, as a finger would. */
  async drag(from: { x: number; y: number }, by: { x: number; y: number }): Promise<void> {
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(from.x + by.x / 2, from.y + by.y / 2, { steps: 5 });
    await this.page.mouse.move(from.x + by.x, from.y + by.y, { steps: 5 });
    await this.page.mouse.up();
  }

  /**
   * The colour [r, g, b, a] that the plan's icon canvas shows on an item's disc, at `offset` (in disc radii from its
   * centre) from the middle of the item's hit target: where the painter put the disc is checked against where the
   * SVG put the item.
   */
  async iconPixel(item: Locator, offset: { dx: number; dy: number }): Promise<number[]> {
    return item.evaluate((element, at) => {
      interface Box {
        left: number;
        top: number;
        width: number;
      }
      interface Canvas {
        width: number;
        getBoundingClientRect(): Box;
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Iterable<number> } };
      }
      const node = element as unknown as { querySelector(s: string): { getBoundingClientRect(): Box }; ownerDocument: { querySelector(s: string): Canvas } };
      const hit = node.querySelector('.icon-hit').getBoundingClientRect();
      const canvas = node.ownerDocument.querySelector('[data-testid="plan-icons"]');
      const box = canvas.getBoundingClientRect();
      const r = hit.width / 2;
      const ratio = canvas.width / box.width;
      const x = Math.round((hit.left + r + at.dx * r - box.left) * ratio);
      const y = Math.round((hit.top + r + at.dy * r - box.top) * ratio);
      return [...canvas.getContext('2d').getImageData(x, y, 1, 1).data];
    }, offset);
  }

  /** A theme colour (a CSS variable holding #rrggbb) as [r, g, b]. */
  async themeColour(variable: string): Promise<number[]> {
    const hex = await this.page.evaluate((name) => {
      const page = globalThis as unknown as { document: { documentElement: unknown }; getComputedStyle(e: unknown): { getPropertyValue(n: string): string } };
      return page.getComputedStyle(page.document.documentElement).getPropertyValue(name).trim();
    }, variable);
    return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }

  async centreOf(locator: ReturnType<Page['locator']>): Promise<{ x: number; y: number }> {
    const box = await locator.boundingBox();
    if (!box) throw new Error('element has no box');
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }
}

/** The colour of a 1×1 PNG of 8-bit RGB or RGBA: with no neighbours, every row filter leaves its bytes as they are. */
function onePixelPng(png: Buffer): number[] {
  const chunks: Buffer[] = [];
  let colourType = -1;
  for (let offset = 8; offset + 8 <= png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      if (data.readUInt32BE(0) !== 1 || data.readUInt32BE(4) !== 1 || data[8] !== 8 || data[12] !== 0) throw new Error('not a 1×1 8-bit PNG');
      colourType = data[9]!;
    }
    if (type === 'IDAT') chunks.push(data);
    offset += 12 + length;
  }
  if (colourType !== 2 && colourType !== 6) throw new Error(`PNG colour type ${colourType} is not RGB or RGBA`);
  return [...inflateSync(Buffer.concat(chunks)).subarray(1, 4)];
}

/** Whether two colours are within `tolerance` of each other in every channel (edges and glyph strokes blend). */
export function sameColour(actual: number[], expected: number[], tolerance = 12): boolean {
  return expected.every((channel, i) => Math.abs((actual[i] ?? -999) - channel) <= tolerance);
}
