// Four live camera streams on one panel page for a long while: does the hub's or the renderer's memory grow, how many
// frames per second does each stream show, and what does it cost the hub in CPU? The hub runs as a real panel server
// process; the cameras are the ZoneMinder simulator's, in this process.
import { chromium } from '@playwright/test';
import { MAX_STREAMS_PER_PANEL } from '../src-shared/mjpeg/camera-paths';
import { startZmHome, stopZmHome } from '../e2e/zm-home';
import { CHROMIUM_ARGS, chromiumPath, CLOCK_TICKS_PER_SECOND, readProcessStat, reportFigure, rssMegabytes, runBench } from './bench-support';

/** The measured time; BENCH_CAMERA_SECONDS shortens it while working on the bench itself. */
const DURATION_SECONDS = Number(process.env.BENCH_CAMERA_SECONDS ?? '600');
const SAMPLE_SECONDS = 10;
/** The simulator's zms sends this many frames a second when the hub asks for no other rate. */
const SOURCE_FPS = 5;
const FIRST_FRAMES_TIMEOUT_MS = 30_000;
const GOAL_HUB_GROWTH_MB = 10;
const GOAL_RENDERER_GROWTH_MB = 5;
const GOAL_FPS_SHARE = 0.9;
const GOAL_HUB_CPU_PERCENT = 10;
/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readProcessStat(pid);
  if (!stat) throw new Error(`process ${pid} is gone`);
  return stat.ticks / CLOCK_TICKS_PER_SECOND;
}

interface Sample {
  at: number;
  hubRssMb: number;
  rendererHeapMb: number;
  hubCpuPercent: number;
  /** Frames a second of each stream since the sample before. */
  fps: number[];
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);

runBench(async () => {
  if (!(DURATION_SECONDS >= SAMPLE_SECONDS * 3)) throw new Error(`BENCH_CAMERA_SECONDS must be at least ${SAMPLE_SECONDS * 3}`);
  const monitors = Array.from({ length: MAX_STREAMS_PER_PANEL }, (_, i) => ({ name: `Camera ${i + 1}`, width: 640, height: 360 }));
  const home = await startZmHome(monitors);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${home.server.url}/#/cameras`);
    const canvases = page.getByTestId('camera-canvas');
    const frameCounts = () => canvases.evaluateAll((list) => list.map((c) => Number(c.getAttribute('data-frames'))));
    await page
      .waitForFunction(
        (count) => {
          const shown = [...document.querySelectorAll('[data-testid="camera-canvas"]')];
          return shown.length === count && shown.every((c) => Number(c.getAttribute('data-frames')) > 0);
        },
        MAX_STREAMS_PER_PANEL,
        { timeout: FIRST_FRAMES_TIMEOUT_MS },
      )
      .catch(async (error: unknown) => {
        const states = await page.getByTestId('camera-stream').evaluateAll((list) => list.map((s) => `${s.getAttribute('data-status')}: ${s.querySelector('canvas')?.getAttribute('data-frames')} frames`));
        throw new Error(`the ${MAX_STREAMS_PER_PANEL} streams did not all show a frame: ${states.join('; ') || 'no stream on the page'}`, { cause: error });
      });
    const cdp = await page.context().newCDPSession(page);
    const rendererHeapMb = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 1024 / 1024;
    };
    const pid = home.server.pid;
    console.log(`${MAX_STREAMS_PER_PANEL} live streams (ZoneMinder simulator, 640×360 at ${SOURCE_FPS} fps) on one panel page for ${DURATION_SECONDS} s, sampled every ${SAMPLE_SECONDS} s`);

    const samples: Sample[] = [];
    const start = performance.now();
    let lastFrames = await frameCounts();
    let lastCpu = cpuSeconds(pid);
    let lastAt = start;
    for (let i = 1; i <= Math.floor(DURATION_SECONDS / SAMPLE_SECONDS); i++) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + i * SAMPLE_SECONDS * 1000 - performance.now())));
      const now = performance.now();
      const frames = await frameCounts();
      const cpu = cpuSeconds(pid);
      const seconds = (now - lastAt) / 1000;
      const sample: Sample = {
        at: (now - start) / 1000,
        hubRssMb: rssMegabytes(pid),
        rendererHeapMb: await rendererHeapMb(),
        hubCpuPercent: ((cpu - lastCpu) / seconds) * 100,
        fps: frames.map((count, stream) => (count - (lastFrames[stream] ?? 0)) / seconds),
      };
      samples.push(sample);
      console.log(
        `  ${sample.at.toFixed(0).padStart(5)} s  hub RSS ${sample.hubRssMb.toFixed(1).padStart(6)} MB  renderer heap ${sample.rendererHeapMb.toFixed(1).padStart(5)} MB  ` +
          `hub CPU ${sample.hubCpuPercent.toFixed(1).padStart(5)} %  fps ${sample.fps.map((f) => f.toFixed(1)).join(' / ')}`,
      );
      lastFrames = frames;
      lastCpu = cpu;
      lastAt = now;
    }

    // First and last minute; a shorter run compares its first and last thirds.
    const window = Math.max(1, Math.min(Math.round(60 / SAMPLE_SECONDS), Math.floor(samples.length / 3)));
    const first = samples.slice(0, window);
    const last = samples.slice(-window);
    const hubGrowth = mean(last.map((s) => s.hubRssMb)) - mean(first.map((s) => s.hubRssMb));
    const rendererGrowth = mean(last.map((s) => s.rendererHeapMb)) - mean(first.map((s) => s.rendererHeapMb));
    const fpsPerStream = Array.from({ length: MAX_STREAMS_PER_PANEL }, (_, stream) => mean(samples.map((s) => s.fps[stream] ?? 0)));
    const hubCpu = mean(samples.map((s) => s.hubCpuPercent));
    const windowSeconds = window * SAMPLE_SECONDS;
    console.log(`memory growth, first ${windowSeconds} s → last ${windowSeconds} s: hub RSS ${hubGrowth.toFixed(1)} MB, renderer heap ${rendererGrowth.toFixed(1)} MB`);
    console.log(`frames per second per stream: ${fpsPerStream.map((f) => f.toFixed(2)).join(' / ')} (source ${SOURCE_FPS})`);
    console.log(`hub CPU: mean ${hubCpu.toFixed(1)} % of one core`);

    reportFigure({ measure: `hub RSS growth, first → last ${windowSeconds} s of ${DURATION_SECONDS} s, 4 streams`, value: hubGrowth, unit: 'MB', goal: `< ${GOAL_HUB_GROWTH_MB} MB`, met: hubGrowth < GOAL_HUB_GROWTH_MB });
    reportFigure({
      measure: `renderer heap growth, first → last ${windowSeconds} s, 4 streams`,
      value: rendererGrowth,
      unit: 'MB',
      goal: `< ${GOAL_RENDERER_GROWTH_MB} MB`,
      met: rendererGrowth < GOAL_RENDERER_GROWTH_MB,
    });
    for (const [stream, fps] of fpsPerStream.entries()) {
      reportFigure({
        measure: `frames per second, stream ${stream + 1} of 4 (source ${SOURCE_FPS})`,
        value: fps,
        unit: 'fps',
        goal: `≥ ${(SOURCE_FPS * GOAL_FPS_SHARE).toFixed(1)} fps`,
        met: fps >= SOURCE_FPS * GOAL_FPS_SHARE,
      });
    }
    reportFigure({ measure: 'hub CPU with 4 live streams (mean)', value: hubCpu, unit: '%', goal: `< ${GOAL_HUB_CPU_PERCENT} %`, met: hubCpu < GOAL_HUB_CPU_PERCENT });
  } finally {
    await browser.close();
    await stopZmHome(home);
  }
});
