// The optional call chime: two soft tones made with WebAudio (no sound file to fetch).
// Browsers refuse to play sound before a person has touched the page, so the screen asks for
// one tap; `enable()` must run inside that tap's handler.

let context = null;

export const chimeSupported = () => Boolean(window.AudioContext || window.webkitAudioContext);

export async function enable() {
  const Audio = window.AudioContext || window.webkitAudioContext;
  context ??= new Audio();
  await context.resume();
  play();
  return context.state === 'running';
}

export const enabled = () => context?.state === 'running';

function tone(frequency, start, length) {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = 'sine';
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.35, start + 0.03);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(start);
  oscillator.stop(start + length + 0.05);
}

/** "Ding-dong" (E5 then C5). */
export function play() {
  if (!enabled()) return;
  const now = context.currentTime;
  tone(659.25, now, 0.6);
  tone(523.25, now + 0.45, 0.9);
}
