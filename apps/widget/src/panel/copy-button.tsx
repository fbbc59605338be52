import { useState } from 'preact/hooks';
import { copyText } from './copy-text.ts';
import { useEnv } from './state.ts';

/** A copy button that says "Copied" (to the eye and to screen readers) when it worked. */
export function CopyButton(props: {
  text: string;
  label: string;
  input?: () => HTMLInputElement | null;
  primary?: boolean;
}) {
  const { t, announce } = useEnv();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class={props.primary ? 'btn primary' : 'btn'}
      onClick={async () => {
        const ok = await copyText(props.text, props.input?.());
        setDone(ok);
        announce(ok ? t.copied : t.copyFailed);
        if (ok) setTimeout(() => setDone(false), 2500);
      }}
    >
      {done ? `✓ ${t.copied}` : props.label}
    </button>
  );
}
