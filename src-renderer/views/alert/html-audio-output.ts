import type { AudioOutput } from './sound-player';

/** One audio element for every alert sound: a new sound replaces the last, so two never play over each other. */
export class HtmlAudioOutput implements AudioOutput {
  private readonly audio = new Audio();
  /** Settles the promise of the sound playing now, when it is stopped or replaced. */
  private settleCurrent: (() => void) | null = null;

  constructor(private readonly urlOf: (sound: string) => string | undefined) {
    this.audio.preload = 'auto';
  }

  play(sound: string, volume: number): Promise<void> {
    this.settle();
    const url = this.urlOf(sound);
    if (url === undefined) return Promise.reject(new Error(`There is no sound named "${sound}".`));
    const audio = this.audio;
    return new Promise<void>((resolve, reject) => {
      const finished = () => {
        detach();
        resolve();
      };
      const failed = () => {
        detach();
        reject(new Error(`The sound "${sound}" could not be played (${audio.error?.message || 'unreadable file'}).`));
      };
      const detach = () => {
        audio.removeEventListener('ended', finished);
        audio.removeEventListener('error', failed);
        if (this.settleCurrent === finished) this.settleCurrent = null;
      };
      this.settleCurrent = finished;
      audio.addEventListener('ended', finished);
      audio.addEventListener('error', failed);
      audio.src = url;
      audio.volume = Math.max(0, Math.min(1, volume));
      audio.play().catch((error: unknown) => {
        detach();
        reject(error);
      });
    });
  }

  stop(): void {
    this.audio.pause();
    this.settle();
  }

  private settle(): void {
    this.settleCurrent?.();
  }
}
