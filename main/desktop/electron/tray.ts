/**
 * Tray adapter: renders a TrayState (tray-state.ts) into Electron's Tray and Menu. Rebuilds the
 * menu only when the model changed (menus flicker on some Linux panels when replaced needlessly).
 */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { TrayPort } from '../controller';
import type { TrayAction, TrayMenuItem, TrayState } from '../tray-state';
import { trayIconFile } from '../tray-state';

function toTemplate(items: TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator' };
    if (item.kind === 'submenu') return { label: item.label, enabled: item.enabled, submenu: toTemplate(item.items, onAction) };
    return {
      label: item.label,
      enabled: item.enabled,
      ...(item.checked !== undefined && { type: 'checkbox' as const, checked: item.checked }),
      click: () => onAction(item.action),
    };
  });
}

export function createTray(iconDir: string, onAction: (action: TrayAction) => void): TrayPort & { dispose(): void } {
  const image = (state: TrayState) => {
    const img = nativeImage.createFromPath(join(iconDir, trayIconFile(state.status, process.platform)));
    if (process.platform === 'darwin') img.setTemplateImage(true);
    return img;
  };
  let tray: Tray | undefined;
  let lastIcon = '';
  let lastMenu = '';
  return {
    render(state) {
      if (!tray) {
        tray = new Tray(image(state));
        lastIcon = state.status;
        // A left click shows the window on Windows and Linux (macOS opens the menu).
        tray.on('click', () => onAction({ type: 'show' }));
      } else if (lastIcon !== state.status) {
        tray.setImage(image(state));
        lastIcon = state.status;
      }
      tray.setToolTip(state.tooltip);
      const menuKey = JSON.stringify(state.menu);
      if (menuKey !== lastMenu) {
        tray.setContextMenu(Menu.buildFromTemplate(toTemplate(state.menu, onAction)));
        lastMenu = menuKey;
      }
    },
    dispose() {
      tray?.destroy();
      tray = undefined;
    },
  };
}
