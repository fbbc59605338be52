import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { StaffApp } from './app.tsx';
import './staff.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StaffApp />
  </StrictMode>,
);

// The offline shell: the page and its files come from the service worker's cache when the
// network is gone (actions wait in the queue, queue.ts).
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/staff/sw.js', { scope: '/staff/' }).catch(() => undefined);
  });
}
