// Writes the alert sounds (small mono WAV files, synthesised) that the panel plays; the output is committed.
// Run: node scripts/generate-sounds.mjs [--out <dir>]   (default src-renderer/assets/sounds)
// The same input always gives the same bytes, so a test can check the committed files against this script.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SAMPLE_RATE = 22_050;
const NYQUIST = SAMPLE_RATE / 2;
/** Peak level of the loudest sound; the per-level volume setting scales from here. */
const FULL_SCALE = 0.85;
const ATTACK_S = 0.005;
const RELEASE_S = 0.012;

/** Partials as [frequency ratio, amplitude]: timbres built by addition, band-limited below Nyquist. */
const SINE = [[1, 1]];
const SOFT = [[1, 1], [2, 0.12]];
const BELL = [[1, 1], [2.0, 0.35], [2.76, 0.2], [5.4, 0.08]];
const GLASS = [[1, 1], [2.32, 0.4], [4.25, 0.15]];
const WOOD = [[1, 1], [3.9, 0.25], [9.2, 0.05]];
const SQUARE_ISH = [[1, 1], [3, 0.33], [5, 0.2], [7, 0.14]];
const SAW_ISH = Array.from({ length: 10 }, (_, i) => [i + 1, 1 / (i + 1)]);

/**
 * One note: `freq` in Hz, or a function of seconds into the note (a sweep); `decay` (seconds) is an exponential
 * fall, none for a held tone. Attack and release ramps keep every edge free of clicks.
 */
function note({ at, dur, freq, partials = SINE, gain = 1, decay = null }) {
  return { at, dur, freq, partials, gain, decay };
}

function render(notes, totalS) {
  const samples = new Float64Array(Math.round(totalS * SAMPLE_RATE));
  for (const n of notes) {
    const start = Math.round(n.at * SAMPLE_RATE);
    const length = Math.min(Math.round(n.dur * SAMPLE_RATE), samples.length - start);
    const freqAt = typeof n.freq === 'function' ? n.freq : () => n.freq;
    // Phase is integrated so that a sweep stays continuous.
    let phase = 0;
    for (let i = 0; i < length; i += 1) {
      const t = i / SAMPLE_RATE;
      const f = freqAt(t);
      phase += (2 * Math.PI * f) / SAMPLE_RATE;
      let value = 0;
      for (const [ratio, amplitude] of n.partials) {
        if (f * ratio >= NYQUIST) continue;
        // Higher partials of a struck sound die sooner.
        const partialDecay = n.decay === null ? 1 : Math.exp(-t / (n.decay / Math.sqrt(ratio)));
        value += amplitude * partialDecay * Math.sin(phase * ratio);
      }
      const attack = Math.min(1, t / ATTACK_S);
      const release = Math.min(1, (n.dur - t) / RELEASE_S);
      samples[start + i] += n.gain * value * attack * Math.max(0, release);
    }
  }
  return samples;
}

/** Scales to `peak` of full scale, so each level's sound has a known loudness before the volume setting. */
function normalise(samples, peak) {
  let max = 0;
  for (const s of samples) max = Math.max(max, Math.abs(s));
  const scale = max === 0 ? 0 : (peak * FULL_SCALE) / max;
  return samples.map((s) => s * scale);
}

function wav(samples) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(s * 32767))), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const repeat = (count, every, make) => Array.from({ length: count }, (_, i) => make(i * every, i));

/** name -> [notes, length in seconds, peak (0-1)]. INFO sounds are soft, CRITICAL ones loud and insistent. */
const SOUNDS = {
  // INFO
  chime: [[note({ at: 0, dur: 1.2, freq: 1046.5, partials: SOFT, decay: 0.35 }), note({ at: 0.18, dur: 1.0, freq: 1318.5, partials: SOFT, decay: 0.35, gain: 0.8 })], 1.2, 0.55],
  glass: [[note({ at: 0, dur: 0.9, freq: 1760, partials: GLASS, decay: 0.25 })], 0.9, 0.5],
  marimba: [[note({ at: 0, dur: 0.5, freq: 784, partials: WOOD, decay: 0.15 }), note({ at: 0.16, dur: 0.6, freq: 1174.7, partials: WOOD, decay: 0.15 })], 0.8, 0.55],
  // WARNING
  'two-tone': [repeat(4, 0.26, (at, i) => note({ at, dur: 0.24, freq: i % 2 === 0 ? 880 : 660, partials: SOFT })), 1.05, 0.75],
  'ding-dong': [[note({ at: 0, dur: 1.2, freq: 659.3, partials: BELL, decay: 0.6 }), note({ at: 0.45, dur: 1.15, freq: 523.3, partials: BELL, decay: 0.6 })], 1.6, 0.75],
  'triple-beep': [repeat(3, 0.2, (at) => note({ at, dur: 0.12, freq: 1000, partials: SOFT })), 0.62, 0.7],
  // CRITICAL
  alarm: [
    [0, 0.8].flatMap((groupAt) => repeat(4, 0.15, (at, i) => note({ at: groupAt + at, dur: 0.1, freq: i % 2 === 0 ? 1800 : 2400, partials: SQUARE_ISH }))),
    1.6,
    1,
  ],
  siren: [[note({ at: 0, dur: 2, freq: (t) => 1000 - 400 * Math.cos(2 * Math.PI * t), partials: [[1, 1], [3, 0.25]] })], 2, 1],
  klaxon: [repeat(3, 0.5, (at) => note({ at, dur: 0.35, freq: 420, partials: SAW_ISH })), 1.5, 1],
};

const SILENCE_S = 0.1;

function main() {
  const outFlag = process.argv.indexOf('--out');
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = outFlag >= 0 ? path.resolve(process.argv[outFlag + 1]) : path.join(repoRoot, 'src-renderer', 'assets', 'sounds');
  mkdirSync(outDir, { recursive: true });
  for (const [name, [notes, length, peak]] of Object.entries(SOUNDS)) {
    writeFileSync(path.join(outDir, `${name}.wav`), wav(normalise(render(notes, length), peak)));
  }
  writeFileSync(path.join(outDir, 'silence.wav'), wav(new Float64Array(Math.round(SILENCE_S * SAMPLE_RATE))));
  console.log(`Wrote ${Object.keys(SOUNDS).length + 1} sounds to ${outDir}`);
}

main();
