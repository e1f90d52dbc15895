// Desktop notifications: the core's `notify` events (a watched job reached its status) become
// system notifications; a click brings the window forward on that job.

import { Notification, type BrowserWindow } from 'electron';
import type { Core } from '../core';

export function showCoreNotifications(core: Pick<Core, 'on'>, window: () => BrowserWindow | null): () => void {
  const shown = new Set<Notification>(); // keep references, or a click after GC is lost
  return core.on('notify', ({ title, body, jobId }) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body });
    shown.add(notification);
    notification.on('click', () => {
      const win = window();
      if (!win || win.isDestroyed()) return;
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      // jobId is an integer (validated by the contract), so the script is a fixed shape
      if (jobId !== null && Number.isInteger(jobId)) void win.webContents.executeJavaScript(`location.hash = '#/job/${jobId}'`);
    });
    notification.on('close', () => shown.delete(notification));
    notification.show();
  });
}
