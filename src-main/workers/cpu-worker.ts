// The CPU worker thread: floor-plan sanitising and thumbnails, off the hub's event loop (see cpu-workers.ts).
import sharp from 'sharp';
import { sanitizeSvg } from '../modules/location/svg-sanitizer';
import { ownArrayBuffer, serveWorkerJobs } from '../util/worker-protocol';
import { CpuTask, type SanitizeSvgAnswer, type SanitizeSvgJob, type ThumbnailJob } from './cpu-tasks';

serveWorkerJobs({
  [CpuTask.SANITIZE_SVG]: ({ input }: SanitizeSvgJob) => {
    const clean = sanitizeSvg(typeof input === 'string' ? input : Buffer.from(input));
    const svg = ownArrayBuffer(Buffer.from(clean.svg, 'utf8'));
    const value: SanitizeSvgAnswer = { svg, viewBox: clean.viewBox, elementCount: clean.elementCount, removed: clean.removed };
    return { value, transfer: [svg] };
  },
  [CpuTask.THUMBNAIL]: async ({ source, target, px, maxInputPixels, timeoutSeconds }: ThumbnailJob) => {
    await sharp(source, { limitInputPixels: maxInputPixels })
      .timeout({ seconds: timeoutSeconds })
      .rotate()
      .resize(px, px, { fit: 'inside', withoutEnlargement: true })
      .webp()
      .toFile(target);
    return { value: null };
  },
});
