/**
 * The alert of a pushed preview record (issue 13): four sounds an agent tells apart from a ringing
 * call, named as Workspace names them (`outbound-callback.ringing-bell` aliases BELL, RING, CHORD,
 * WARNING), synthesised with Web Audio so no media file ships or is fetched. Pure data + one player.
 */
import type { AlertSound } from './types';

interface Tone {
  /** Hz; two for a dual tone. */
  frequencies: number[];
  /** Start and length, in seconds from the alert's start. */
  start: number;
  length: number;
  wave: OscillatorType;
}

/** Each sound's notes: distinct in rhythm as well as pitch, and under 1.5 s. */
export const ALERT_TONES: Record<Exclude<AlertSound, 'none'>, Tone[]> = {
  // One struck bell, ringing out.
  bell: [{ frequencies: [1046.5, 2093], start: 0, length: 1.2, wave: 'sine' }],
  // A phone-like double burst (two tones together), twice.
  ring: [
    { frequencies: [440, 480], start: 0, length: 0.35, wave: 'sine' },
    { frequencies: [440, 480], start: 0.5, length: 0.35, wave: 'sine' },
  ],
  // A rising major chord, one note after the other.
  chord: [
    { frequencies: [523.25], start: 0, length: 0.9, wave: 'triangle' },
    { frequencies: [659.25], start: 0.12, length: 0.78, wave: 'triangle' },
    { frequencies: [783.99], start: 0.24, length: 0.66, wave: 'triangle' },
  ],
  // Two-tone, three times: urgent.
  warning: [
    { frequencies: [880], start: 0, length: 0.18, wave: 'square' },
    { frequencies: [660], start: 0.22, length: 0.18, wave: 'square' },
    { frequencies: [880], start: 0.44, length: 0.18, wave: 'square' },
    { frequencies: [660], start: 0.66, length: 0.18, wave: 'square' },
  ],
};

type AudioContextLike = Pick<AudioContext, 'currentTime' | 'destination' | 'createOscillator' | 'createGain' | 'state' | 'resume'>;

let shared: AudioContextLike | undefined;

/** Plays the sound (nothing for `none`, or where the page has no Web Audio). Returns whether it played. */
export function playAlert(sound: AlertSound, context?: AudioContextLike): boolean {
  if (sound === 'none') return false;
  const tones = ALERT_TONES[sound];
  const Ctor = globalThis.AudioContext as (new () => AudioContext) | undefined;
  const ctx = context ?? (shared ??= Ctor ? new Ctor() : undefined);
  if (!ctx || !tones) return false;
  if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  const t0 = ctx.currentTime + 0.02;
  for (const tone of tones) {
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    const peak = 0.18 / tone.frequencies.length;
    gain.gain.setValueAtTime(0.0001, t0 + tone.start);
    gain.gain.exponentialRampToValueAtTime(peak, t0 + tone.start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + tone.start + tone.length);
    for (const frequency of tone.frequencies) {
      const osc = ctx.createOscillator();
      osc.type = tone.wave;
      osc.frequency.setValueAtTime(frequency, t0 + tone.start);
      osc.connect(gain);
      osc.start(t0 + tone.start);
      osc.stop(t0 + tone.start + tone.length + 0.05);
    }
  }
  return true;
}
