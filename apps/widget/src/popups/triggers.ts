/**
 * Arms a pop-up's triggers and calls `fire` once, on the first that happens: time on the page,
 * how far down the page, or the pointer leaving through the top of the window (exit intent:
 * only where there is a mouse, so never on a phone). Returns a function that disarms them all.
 */
export function armTriggers(
  triggers: { afterSeconds?: number; scrollPercent?: number; exitIntent: boolean },
  fire: () => void,
): () => void {
  const undo: Array<() => void> = [];
  let fired = false;
  const once = () => {
    if (fired) return;
    fired = true;
    disarm();
    fire();
  };
  const disarm = () => undo.splice(0).forEach((u) => u());

  if (triggers.afterSeconds !== undefined) {
    const timer = setTimeout(once, triggers.afterSeconds * 1000);
    undo.push(() => clearTimeout(timer));
  }
  if (triggers.scrollPercent !== undefined) {
    const wanted = triggers.scrollPercent;
    const onScroll = () => {
      const doc = document.documentElement;
      const scrollable = doc.scrollHeight - window.innerHeight;
      const percent = scrollable <= 0 ? 100 : (window.scrollY / scrollable) * 100;
      if (percent >= wanted) once();
    };
    addEventListener('scroll', onScroll, { passive: true });
    undo.push(() => removeEventListener('scroll', onScroll));
  }
  const desktop = matchMedia('(hover: hover) and (pointer: fine)').matches;
  if (triggers.exitIntent && desktop) {
    const onOut = (event: MouseEvent) => {
      if (!event.relatedTarget && event.clientY <= 0) once();
    };
    document.addEventListener('mouseout', onOut);
    undo.push(() => document.removeEventListener('mouseout', onOut));
  }
  return disarm;
}
